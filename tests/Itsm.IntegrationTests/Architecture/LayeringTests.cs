using System.Reflection;
using Itsm.Application.Common;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Persistence;
using Itsm.Web.Api;

namespace Itsm.IntegrationTests.Architecture;

/// <summary>
/// Dependencies point inward (DESIGN.md §3): Domain is pure C#, Application knows no web, database driver,
/// scheduler or logging sink and no outer project, and pages and API endpoints reach the database only through
/// MediatR requests. Checked by reflection on the compiled assemblies.
/// </summary>
public class LayeringTests
{
    private static readonly Assembly Domain = typeof(Ticket).Assembly;
    private static readonly Assembly Application = typeof(IItsmDbContext).Assembly;
    private static readonly Assembly Infrastructure = typeof(ItsmDbContext).Assembly;
    private static readonly Assembly Web = typeof(IncidentEndpoints).Assembly;

    private static readonly string[] ForbiddenInDomain =
        ["Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Quartz", "Serilog", "Npgsql", "Sqlite", "MediatR", "AutoMapper"];

    private static readonly string[] ForbiddenInApplication =
        ["Microsoft.AspNetCore", "Npgsql", "Sqlite", "Quartz", "Serilog", "Itsm.Infrastructure", "Itsm.Web"];

    /// <summary>
    /// What an assembly references: its own references, and those of the Itsm assemblies it references, since a
    /// forbidden package reached through an inner project is just as much a dependency.
    /// </summary>
    private static IReadOnlyList<string> ReferencesOf(Assembly assembly)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<Assembly>([assembly]);
        while (queue.TryDequeue(out var current))
            foreach (var reference in current.GetReferencedAssemblies())
                if (seen.Add(reference.Name!) && reference.Name!.StartsWith("Itsm.", StringComparison.Ordinal))
                    queue.Enqueue(Assembly.Load(reference));
        return seen.Order(StringComparer.Ordinal).ToList();
    }

    private static List<string> Offending(Assembly assembly, string[] forbidden) =>
        ReferencesOf(assembly).Where(r => forbidden.Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase)
                                                             || f == "Sqlite" && r.Contains(f, StringComparison.OrdinalIgnoreCase))).ToList();

    [Test]
    public void Domain_WhenReferencesAreRead_HasNoFrameworkOrInfrastructurePackage()
    {
        Assert.That(Offending(Domain, ForbiddenInDomain), Is.Empty, "Itsm.Domain references: " + string.Join(", ", ReferencesOf(Domain)));
        Assert.That(ReferencesOf(Domain).Where(r => r.StartsWith("Itsm.", StringComparison.Ordinal)), Is.Empty, "Domain depends on no other project");
    }

    [Test]
    public void Application_WhenReferencesAreRead_HasNoWebDriverSchedulerOrOuterProject()
    {
        Assert.That(Offending(Application, ForbiddenInApplication), Is.Empty,
            "Itsm.Application references: " + string.Join(", ", ReferencesOf(Application)));
    }

    [Test]
    public void ReferencesOf_WhenInfrastructure_FindsTheDriversItReallyUses()
    {
        // The check above is only as good as the reference reading: Infrastructure must show what it does use.
        var offending = Offending(Infrastructure, ForbiddenInApplication);
        Assert.That(offending, Has.Some.StartsWith("Npgsql"));
        Assert.That(offending, Has.Some.Contains("Sqlite"));
        Assert.That(offending, Has.Some.StartsWith("Quartz"));
        Assert.That(Offending(Web, ForbiddenInDomain), Has.Some.StartsWith("Microsoft.AspNetCore").And.Some.StartsWith("Serilog"));
        Assert.That(ReferencesOf(Application), Does.Contain("Itsm.Domain"));
    }

    private static bool IsDbContext(Type type)
    {
        if (type.HasElementType) return IsDbContext(type.GetElementType()!);
        if (typeof(IItsmDbContext).IsAssignableFrom(type) || typeof(ItsmDbContext).IsAssignableFrom(type)) return true;
        return type.IsGenericType && type.GetGenericArguments().Any(IsDbContext);
    }

    /// <summary>
    /// Every type of the web project, whatever its folder (Pages, Api, Auth, Infrastructure, Rendering, …), with their
    /// nested compiler-made types (lambdas, async state machines: a minimal-API handler's parameters become fields
    /// there), and the compiled Razor views (an @inject becomes a property).
    /// </summary>
    private static IEnumerable<Type> WebTypes() =>
        Web.GetTypes().Where(t => t.FullName is { } n && (
            n.StartsWith("Itsm.Web.", StringComparison.Ordinal)
            || n.StartsWith("AspNetCoreGeneratedDocument.", StringComparison.Ordinal)));

    /// <summary>"Type: member" for each constructor parameter, field, property or method parameter typed as the DbContext.</summary>
    private static IEnumerable<string> DbContextUses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var c in type.GetConstructors(all))
            foreach (var p in c.GetParameters().Where(p => IsDbContext(p.ParameterType)))
                yield return $"{type.FullName}: constructor parameter {p.Name}";
        foreach (var f in type.GetFields(all).Where(f => IsDbContext(f.FieldType)))
            yield return $"{type.FullName}: field {f.Name}";
        foreach (var p in type.GetProperties(all).Where(p => IsDbContext(p.PropertyType)))
            yield return $"{type.FullName}: property {p.Name}";
        foreach (var m in type.GetMethods(all))
            foreach (var p in m.GetParameters().Where(p => IsDbContext(p.ParameterType)))
                yield return $"{type.FullName}: parameter {p.Name} of {m.Name}";
    }

    [Test]
    public void Web_WhenEveryFolderIsScanned_NeverTouchesTheDbContext()
    {
        var types = WebTypes().ToList();
        Assert.That(types.Select(t => t.FullName), Is.SupersetOf(new[]
        {
            "Itsm.Web.Api.IncidentEndpoints", "Itsm.Web.Pages.IndexModel", "Itsm.Web.Auth.ApiTokenHandler", "Itsm.Web.Infrastructure.StartupTasks",
        }), "the scan covers endpoints, page models, authentication and the host's own infrastructure");

        var uses = types.SelectMany(DbContextUses).ToList();

        Assert.That(uses, Is.Empty, "The web project sends MediatR requests or uses Infrastructure services instead of the DbContext:\n" + string.Join("\n", uses));
    }

    [Test]
    public void DbContextUses_WhenAnInfrastructureServiceTakesTheDbContext_AreFound()
    {
        // The scan must see a constructor's DbContext parameter, or the test above proves nothing.
        var found = DbContextUses(typeof(Itsm.Infrastructure.Identity.ApiTokenStore)).ToList();

        Assert.That(found, Has.Some.Contains("constructor parameter db"));
    }
}
