using System.Net;
using System.Text.Json;
using Itsm.IntegrationTests.Incidents;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>
/// Every ticket-CI endpoint × every role and anonymous. Requesters see nothing of CIs, not even on their own incident
/// (403); every fulfiller reads; an incident's CIs are worked by every fulfiller, a problem's by problem managers and
/// admins; correlation links are made by the service desk, problem managers and admins. Each cell runs on a fresh
/// ticket, and a mutating cell proves a refused call changed nothing and an allowed one did.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed class TicketCiAuthorizationTests(DbProvider provider)
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    /// <summary>The paths this matrix answers for; the incident and problem matrices leave them out.</summary>
    public static bool Covers(string route) =>
        System.Text.RegularExpressions.Regex.IsMatch(route, "^/api/v1/(incidents|problems)/[^/]+/(cis|impacted-services|related|correlation)");

    private sealed record Row(string Method, string Path, string Kind, string? Body, int[] Expected, bool Mutates = false)
    {
        public string Name => $"{Method} {Path}";
    }

    //                                          requester agent probmgr chgmgr cab engineer admin anonymous
    private static readonly int[] Readers = [403, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] ProblemWorkers = [403, 403, 200, 403, 403, 403, 200, 401];

    private static readonly Row[] Rows =
    [
        new("GET", "/api/v1/incidents/{n}/cis", "incidents", null, Readers),
        new("POST", "/api/v1/incidents/{n}/cis", "incidents", """{"ciId":{vm}}""", Readers, true),
        new("DELETE", "/api/v1/incidents/{n}/cis/{cmp}", "incidents", null, Readers, true),
        new("POST", "/api/v1/incidents/{n}/impacted-services/{svc}/include", "incidents", null, Readers, true),
        new("POST", "/api/v1/incidents/{n}/impacted-services/{svc}/exclude", "incidents", null, Readers, true),
        new("GET", "/api/v1/incidents/{n}/related", "incidents", null, Readers),
        new("GET", "/api/v1/incidents/{n}/correlation", "incidents", null, Readers),
        new("POST", "/api/v1/incidents/{n}/correlation/link", "incidents", """{"incidents":["{other}"],"as":"major-incident"}""", [403, 200, 200, 403, 403, 403, 200, 401], true),
        new("GET", "/api/v1/problems/{n}/cis", "problems", null, Readers),
        new("POST", "/api/v1/problems/{n}/cis", "problems", """{"ciId":{vm}}""", ProblemWorkers, true),
        new("DELETE", "/api/v1/problems/{n}/cis/{cmp}", "problems", null, ProblemWorkers, true),
        new("POST", "/api/v1/problems/{n}/impacted-services/{svc}/include", "problems", null, ProblemWorkers, true),
        new("POST", "/api/v1/problems/{n}/impacted-services/{svc}/exclude", "problems", null, ProblemWorkers, true),
        new("GET", "/api/v1/problems/{n}/related", "problems", null, Readers),
    ];

    private ItsmApp _app = null!;
    private long _service, _component, _vm;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        var g = new CmdbTestGraph(_app, "matrix" + Guid.NewGuid().ToString("N")[..8]);
        _service = await g.CiAsync("business-service", "Shop");
        _component = await g.CiAsync("application-component", "cart");
        _vm = await g.CiAsync("virtual-machine", "vm");
        await g.LinkAsync(_service, "depends-on", _component);
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Name, Principals[i], row.Expected[i]);

    [Test]
    public void Matrix_WhenListed_CoversEveryTicketCiEndpoint()
    {
        var mapped = MappedEndpoints.Of(_app.Services, Covers);
        var covered = Rows.Select(r => MappedEndpoints.Line(r.Method, r.Path)).ToHashSet();
        Assert.That(mapped, Has.Count.EqualTo(14));
        Assert.That(mapped.Except(covered), Is.Empty, "ticket-CI endpoints without a row in the authorization matrix");
    }

    [TestCaseSource(nameof(Cells))]
    public async Task Call_WhenPrincipalCallsTicketCiEndpoint_ReturnsMatrixStatus(string endpoint, string principal, int expected)
    {
        var row = Rows.Single(r => r.Name == endpoint);
        var (number, other) = await TargetAsync(row.Kind);
        string Fill(string s) => s.Replace("{n}", number).Replace("{other}", other).Replace("{vm}", $"{_vm}").Replace("{cmp}", $"{_component}").Replace("{svc}", $"{_service}");
        var before = row.Mutates ? await StateAsync(row.Kind, number, other) : null;

        var reply = await _app.Api(principal == Anonymous ? null : principal).SendAsync(new HttpMethod(row.Method), Fill(row.Path), row.Body is null ? null : Fill(row.Body));

        Assert.That(reply.Status, Is.EqualTo(expected), $"{row.Method} {Fill(row.Path)} as {principal}: {reply}");
        if (expected >= 400) Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
        if (before is not null)
        {
            var after = await StateAsync(row.Kind, number, other);
            if (expected < 300) Assert.That(after, Is.Not.EqualTo(before), "an allowed write changes something");
            else Assert.That(after, Is.EqualTo(before), "a refused write changes nothing");
        }
    }

    /// <summary>A fresh ticket with the component affected (the requester's own incident, or a problem), and another incident.</summary>
    private async Task<(string Number, string Other)> TargetAsync(string kind)
    {
        var other = await _app.LogIncidentAsync("agent", new { shortDescription = "Matrix: another incident", impact = 3, urgency = 3 });
        string number;
        if (kind == "incidents") number = await _app.LogIncidentAsync("requester", new { shortDescription = "Matrix: my shop is down", impact = 3, urgency = 3 });
        else
        {
            var created = await _app.Api("problemmanager").SendAsync(HttpMethod.Post, "/api/v1/problems", """{"shortDescription":"Matrix: shop outages"}""");
            number = created.Json.GetProperty("number").GetString()!;
        }
        var added = await _app.Api("admin").SendAsync(HttpMethod.Post, $"/api/v1/{kind}/{number}/cis", JsonSerializer.Serialize(new { ciId = _component }));
        Assert.That(added.Status, Is.EqualTo(200), added.ToString());
        return (number, other);
    }

    private async Task<string> StateAsync(string kind, string number, string other)
    {
        var admin = _app.Api("admin");
        var cis = await admin.SendAsync(HttpMethod.Get, $"/api/v1/{kind}/{number}/cis", null);
        var incident = await admin.SendAsync(HttpMethod.Get, $"/api/v1/incidents/{other}", null);
        return cis.Text + "|" + incident.Json.GetProperty("parentIncidentNumber");
    }
}
