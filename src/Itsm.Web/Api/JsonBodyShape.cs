using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Itsm.Web.Api;

/// <summary>
/// The fields a JSON body may have and those it must have, read from the body record that the OpenAPI document
/// describes (ApiContracts.cs), so that the contract and the binding cannot drift apart: each public property is a
/// field, named in camelCase as the API's JSON is; a property is required when it is not nullable
/// (<c>string Text</c>), optional when it is (<c>bool? WorkNote = null</c>; give it a default so that the OpenAPI
/// document, which marks constructor parameters without one as required, agrees).
/// </summary>
public sealed class JsonBodyShape
{
    private static readonly ConcurrentDictionary<Type, JsonBodyShape> Shapes = new();
    private static readonly NullabilityInfoContext Nullability = new();

    private JsonBodyShape(Type type)
    {
        Type = type;
        var fields = new List<string>();
        var required = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            fields.Add(name);
            if (!IsNullable(p)) required.Add(name);
        }
        Fields = fields;
        Allowed = fields.ToHashSet(StringComparer.Ordinal);
        Required = required;
    }

    public Type Type { get; }
    /// <summary>Every field, in declaration order (for error messages).</summary>
    public IReadOnlyList<string> Fields { get; }
    public IReadOnlySet<string> Allowed { get; }
    public IReadOnlySet<string> Required { get; }

    public static JsonBodyShape Of<TBody>() => Of(typeof(TBody));

    public static JsonBodyShape Of(Type type) => Shapes.GetOrAdd(type, t => new JsonBodyShape(t));

    private static bool IsNullable(PropertyInfo p)
    {
        if (p.PropertyType.IsValueType) return Nullable.GetUnderlyingType(p.PropertyType) is not null;
        lock (Nullability) return Nullability.Create(p).ReadState != NullabilityState.NotNull;
    }
}
