using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.IntegrationTests.Security;

/// <summary>The endpoints an app maps, as "METHOD /path/{}" lines, for the authorization matrices' coverage checks.</summary>
public static partial class MappedEndpoints
{
    public static HashSet<string> Of(IServiceProvider services, Func<string, bool> route) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && route(raw))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => Line(m, e.RoutePattern.RawText!)))
            .ToHashSet();

    /// <summary>"GET /api/v1/incidents/{}": parameters blanked, so a matrix row's path and a route compare equal.</summary>
    public static string Line(string method, string route) => $"{method} {RouteParameter().Replace(route.TrimEnd('/'), "{}")}";

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();
}
