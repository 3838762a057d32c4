using System.Text.RegularExpressions;
using Itsm.IntegrationTests.Security;
using Itsm.IntegrationTests.Support;

namespace Itsm.IntegrationTests.Cmdb;

/// <summary>
/// Every CMDB endpoint (/api/v1/cis…, /relationships…, /impact, /cmdb/…) × every role and anonymous. Engineers and
/// Admins write; agents, problem and change managers and CAB members read and get 403 on every write; requesters get
/// 403 everywhere; anonymous callers 401, each refusal a problem document. A write cell runs on a CI of its own and
/// proves that a refused call changed nothing and an allowed one changed something.
/// </summary>
[TestFixture(DbProvider.Sqlite)]
[TestFixture(DbProvider.Postgres)]
public sealed partial class CmdbAuthorizationMatrixTests(DbProvider provider)
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Principals = ["requester", "agent", "problemmanager", "changemanager", "cabmember", "engineer", "admin", Anonymous];

    /// <summary>The paths this matrix answers for; the API matrix leaves them out.</summary>
    public static bool Covers(string route) => CmdbRoute().IsMatch(route);

    [GeneratedRegex("^/api/v1/(cis|relationships|impact|cmdb)(/|$)")]
    private static partial Regex CmdbRoute();

    private sealed record Row(string Method, string Path, string? Body, int[] Expected, bool Mutates = false)
    {
        public string Name => $"{Method} {Path}";
    }

    //                                        requester agent probmgr chgmgr cab engineer admin anonymous
    private static readonly int[] Readers = [403, 200, 200, 200, 200, 200, 200, 401];
    private static readonly int[] Writers = [403, 403, 403, 403, 403, 200, 200, 401];
    private static readonly int[] Creators = [403, 403, 403, 403, 403, 201, 201, 401];

    private static readonly Row[] Rows =
    [
        new("GET", "/api/v1/cis?name={name}", null, Readers),
        new("GET", "/api/v1/cis/{ci}", null, Readers),
        new("POST", "/api/v1/cis", """{"class":"application-component","name":"{new}","reason":"matrix"}""", Creators, true),
        new("PATCH", "/api/v1/cis/{ci}", """{"criticality":1,"reason":"matrix"}""", Writers, true),
        new("POST", "/api/v1/cis/{ci}/retire?reason=matrix", null, Writers, true),
        new("GET", "/api/v1/cis/{ci}/relationships", null, Readers),
        new("GET", "/api/v1/cis/{ci}/graph", null, Readers),
        new("GET", "/api/v1/cis/{vm}/impact", null, Readers),
        new("GET", "/api/v1/cis/{ci}/dependencies", null, Readers),
        new("GET", "/api/v1/cis/{ci}/tickets?pastChanges=5", null, Readers),
        new("POST", "/api/v1/impact", """{"ciIds":[{vm}],"depth":3}""", Readers, true),
        new("POST", "/api/v1/relationships", """{"sourceId":{ci},"type":"runs-on","targetId":{vm},"reason":"matrix"}""", Creators, true),
        new("DELETE", "/api/v1/relationships/{rel}?reason=matrix", null, Writers, true),
        new("GET", "/api/v1/cmdb/changesets?ciId={ci}", null, Readers),
        new("GET", "/api/v1/cmdb/diff?from=2000-01-01T00:00:00Z&ciId={ci}", null, Readers),
        new("GET", "/api/v1/cmdb/classes", null, Readers),
        new("POST", "/api/v1/cmdb/import", """{"source":"matrix","reason":"matrix","cis":[{"key":"{new}","class":"application-component","name":"{new}"}],"relationships":[{"source":"{new}","type":"depends-on","target":"#{vm}"}]}""", Writers, true),
    ];

    private ItsmApp _app = null!;
    private CmdbTestGraph _graph = null!;
    private long _vm, _component, _relationship;

    [OneTimeSetUp]
    public async Task Start()
    {
        _app = new ItsmApp(provider);
        _graph = new CmdbTestGraph(_app, "cmdbmatrix" + Guid.NewGuid().ToString("N")[..8]);
        _vm = await _graph.CiAsync("virtual-machine", "vm");
        _component = await _graph.CiAsync("application-component", "cart");
        _relationship = await _graph.LinkAsync(_component, "runs-on", _vm);
    }

    [OneTimeTearDown] public void Stop() => _app.Dispose();

    public static IEnumerable<TestCaseData> Cells() =>
        from row in Rows
        from i in Enumerable.Range(0, Principals.Length)
        select new TestCaseData(row.Name, Principals[i], row.Expected[i]);

    [Test]
    public void Matrix_WhenListed_CoversEveryCmdbEndpoint()
    {
        var mapped = MappedEndpoints.Of(_app.Services, Covers);
        var covered = Rows.Select(r => MappedEndpoints.Line(r.Method, r.Path.Split('?')[0])).ToHashSet();
        Assert.That(mapped, Has.Count.EqualTo(17));
        Assert.That(mapped.Except(covered), Is.Empty, "CMDB endpoints without a row in the authorization matrix");
        Assert.That(covered, Has.Count.EqualTo(Rows.Length), "one row per endpoint");
    }

    [TestCaseSource(nameof(Cells))]
    public async Task Call_WhenPrincipalCallsCmdbEndpoint_ReturnsMatrixStatus(string endpoint, string principal, int expected)
    {
        var row = Rows.Single(r => r.Name == endpoint);
        // A write gets a CI (and a relationship) of its own; a read looks at the shared component that runs on the VM.
        var (ci, relationship) = row.Mutates ? await FreshCiAsync() : (_component, _relationship);
        var newName = _graph.Name("new" + Guid.NewGuid().ToString("N")[..8]);
        string Fill(string s) => s.Replace("{ci}", $"{ci}").Replace("{vm}", $"{_vm}").Replace("{rel}", $"{relationship}")
            .Replace("{new}", newName).Replace("{name}", _graph.Name("cart"));
        var before = row.Mutates ? await StateAsync(ci, newName) : null;

        var reply = await _app.Api(principal == Anonymous ? null : principal).SendAsync(new HttpMethod(row.Method), Fill(row.Path), row.Body is null ? null : Fill(row.Body));

        Assert.That(reply.Status, Is.EqualTo(expected), $"{row.Method} {Fill(row.Path)} as {principal}: {reply}");
        if (expected >= 400) Assert.That(reply.IsProblem, Is.True, $"a refusal is a problem document: {reply}");
        else Assert.That(reply.MediaType, Is.EqualTo("application/json"), reply.ToString());
        if (before is null) return;
        var after = await StateAsync(ci, newName);
        // POST /impact only asks a question: it changes nothing for anybody.
        if (expected < 300 && row.Path != "/api/v1/impact") Assert.That(after, Is.Not.EqualTo(before), "an allowed write changes something");
        else Assert.That(after, Is.EqualTo(before), "a refused write (or a question) changes nothing");
    }

    /// <summary>A CI of the cell's own that depends on the shared VM.</summary>
    private async Task<(long Ci, long Relationship)> FreshCiAsync()
    {
        var ci = await _graph.CiAsync("application-component", "cell" + Guid.NewGuid().ToString("N")[..8]);
        return (ci, await _graph.LinkAsync(ci, "depends-on", _vm));
    }

    /// <summary>
    /// The CI as the API shows it, its relationships, the VM's impact, the CIs carrying the cell's new name and the
    /// number of changesets in the CMDB: a write, wherever it lands, moves at least one of them.
    /// </summary>
    private async Task<string> StateAsync(long ci, string newName)
    {
        var admin = _app.Api("admin");
        var parts = new List<string>();
        foreach (var path in new[]
                 {
                     $"/api/v1/cis/{ci}", $"/api/v1/cis/{ci}/relationships", $"/api/v1/cis/{_vm}/impact",
                     $"/api/v1/cis?name={Uri.EscapeDataString(newName)}", "/api/v1/cmdb/changesets?pageSize=1",
                 })
        {
            var reply = await admin.SendAsync(HttpMethod.Get, path, null);
            Assert.That(reply.Status, Is.EqualTo(200), $"GET {path}: {reply}");
            parts.Add(path.StartsWith("/api/v1/cmdb/changesets", StringComparison.Ordinal) ? $"changesets={reply.Json.GetProperty("total")}" : reply.Text);
        }
        return string.Join("\n", parts);
    }
}
