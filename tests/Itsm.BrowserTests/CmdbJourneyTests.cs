using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Itsm.BrowserTests;

/// <summary>
/// The CMDB browser in a real browser: an engineer finds a VM, opens its CI page, sees its dependency graph drawn,
/// taps a node to load its neighbours, and runs an impact analysis from a hypervisor host that lists the business
/// service with the path that explains it. The estate: Payroll (service) depends on Payroll app, which runs on
/// vm-pay-01, which runs on a cluster of two hypervisor hosts that needs both up.
/// </summary>
[TestFixture]
public sealed class CmdbJourneyTests
{
    private const int Phone = 390, Desktop = 1280;
    private BrowserHost _host = null!;

    [OneTimeSetUp] public async Task Start() => _host = await BrowserHost.StartAsync();
    [OneTimeTearDown] public async Task Stop() => await _host.DisposeAsync();

    [Test]
    public async Task EngineerOpensCi_ExpandsItsGraph_AndImpactFromAHostListsTheService()
    {
        var m = Guid.NewGuid().ToString("N")[..6];
        var api = await _host.ApiAsync("engineer");
        var service = await RegisterAsync(api, "business-service", $"Payroll {m}");
        var app = await RegisterAsync(api, "application", $"Payroll app {m}");
        var vm = await RegisterAsync(api, "virtual-machine", $"vm-pay-{m}", new { hostname = $"vm-pay-{m}" });
        var cluster = await RegisterAsync(api, "cluster", $"esx-cluster-{m}", new { }, redundancy: "needs 2 up");
        var host1 = await RegisterAsync(api, "hypervisor-host", $"esx-01-{m}", new { hostname = $"esx-01-{m}" });
        var host2 = await RegisterAsync(api, "hypervisor-host", $"esx-02-{m}", new { hostname = $"esx-02-{m}" });
        await LinkAsync(api, service, "depends-on", app);
        await LinkAsync(api, app, "runs-on", vm);
        await LinkAsync(api, vm, "runs-on", cluster);
        await LinkAsync(api, host1, "member-of", cluster);
        await LinkAsync(api, host2, "member-of", cluster);

        // The engineer finds the VM by name and opens its page.
        var page = await _host.SignInAsync("engineer", width: Desktop);
        await page.GotoAsync("/Cmdb");
        await page.GetByLabel("Search by name").FillAsync($"vm-pay-{m}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = $"vm-pay-{m}", Exact = true }).ClickAsync();
        await page.WaitForURLAsync($"**/Cmdb/Ci/{vm}");
        await Expect(page.Locator("h1")).ToHaveTextAsync($"vm-pay-{m}");
        // The plain list (no script needed) reads from the VM both ways.
        await Expect(page.Locator("#relationships")).ToContainTextAsync("runs on");
        await Expect(page.Locator("#relationships")).ToContainTextAsync("hosts");

        // The graph draws the VM's neighbourhood: the VM, the app it hosts and the cluster it runs on.
        var graph = page.Locator(".cmdb-graph");
        await Expect(graph.Locator("canvas").First).ToBeAttachedAsync();
        await Expect(graph.Locator("[role=status]")).ToContainTextAsync("Graph loaded");
        Assert.That(await NodeIdsAsync(page), Is.EquivalentTo(new[] { vm, app, cluster }), "only the neighbourhood, never the whole graph");

        // Tapping the cluster loads its neighbours: the two hosts appear.
        await TapNodeAsync(page, cluster);
        await Expect(graph.Locator("[role=status]")).ToContainTextAsync($"Loaded the neighbours of esx-cluster-{m}");
        Assert.That(await NodeIdsAsync(page), Is.EquivalentTo(new[] { vm, app, cluster, host1, host2 }));
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("cmdb-ci-1280"), FullPage = true });

        // Impact analysis from a host: one host down breaks the cluster (it needs both), so Payroll is impacted.
        await page.GotoAsync($"/Cmdb/Ci/{host1}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Analyse impact" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Cmdb/Impact", StringComparison.Ordinal));
        var services = page.Locator("#services");
        await Expect(services.Locator(".impact-service")).ToHaveCountAsync(1);
        var payroll = services.Locator(".impact-service");
        await Expect(payroll.Locator(".impact-service-name")).ToContainTextAsync($"Payroll {m}");
        var path = await payroll.Locator(".impact-path-ci").AllInnerTextsAsync();
        Assert.That(path.Select(p => p.Split(" · ")[0].Trim()),
            Is.EqualTo(new[] { $"esx-01-{m}", $"esx-cluster-{m}", $"vm-pay-{m}", $"Payroll app {m}", $"Payroll {m}" }), "the explanation path");
        await Expect(payroll).ToContainTextAsync("1 of 2 members impacted");
        // The graph of the host highlights what is impacted.
        await Expect(page.Locator(".cmdb-graph [role=status]")).ToContainTextAsync("Impact shown");
        Assert.That(await page.EvaluateAsync<int>("() => window.itsmGraph.get('.cmdb-graph').cy.nodes('.impacted').length"), Is.GreaterThan(0));
        await page.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("cmdb-impact-1280"), FullPage = true });

        // On a phone both pages fit the screen.
        var phone = await _host.SignInAsync("engineer", width: Phone);
        await phone.GotoAsync($"/Cmdb/Ci/{vm}");
        await Expect(phone.Locator(".cmdb-graph [role=status]")).ToContainTextAsync("Graph loaded");
        await phone.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("cmdb-ci-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(phone, "the CI page");
        await phone.GotoAsync($"/Cmdb/Impact?ci={host1}");
        await Expect(phone.Locator("#services")).ToContainTextAsync($"Payroll {m}");
        await Expect(phone.Locator(".cmdb-graph [role=status]")).ToContainTextAsync("Impact shown");
        await phone.ScreenshotAsync(new() { Path = BrowserHost.ScreenshotPath("cmdb-impact-390"), FullPage = true });
        await AssertNoSidewaysScrollAsync(phone, "the impact page");
        await phone.GotoAsync("/Cmdb");
        await AssertNoSidewaysScrollAsync(phone, "the CI list");
    }

    private static async Task<long> RegisterAsync(HttpClient api, string cls, string name, object? attributes = null, string? redundancy = null)
    {
        var response = await api.PostAsJsonAsync("/api/v1/cis", redundancy is null
            ? new { @class = cls, name, attributes = attributes ?? new { } }
            : (object)new { @class = cls, name, attributes = attributes ?? new { }, redundancy });
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"register {name}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    private static async Task LinkAsync(HttpClient api, long source, string type, long target)
    {
        var response = await api.PostAsJsonAsync("/api/v1/relationships", new { sourceId = source, type, targetId = target });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    /// <summary>The CI ids the widget draws (its documented window.itsmGraph API).</summary>
    private static async Task<long[]> NodeIdsAsync(IPage page) =>
        await page.EvaluateAsync<long[]>("() => window.itsmGraph.get('.cmdb-graph').cy.nodes().map(n => Number(n.data('ciId')))");

    /// <summary>A real mouse click on the node where the canvas draws it, once the layout has settled and the canvas is in view.</summary>
    private static async Task TapNodeAsync(IPage page, long id)
    {
        await page.Locator(".cmdb-graph canvas").First.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync($"() => {{ const g = window.itsmGraph.get('.cmdb-graph'); return g && g.settled && !g.cy.animated() && !g.cy.nodes().some(n => n.animated()) && g.cy.getElementById('n{id}').nonempty(); }}");
        var point = await page.EvaluateAsync<JsonElement>($$"""
            () => {
              const g = window.itsmGraph.get('.cmdb-graph');
              const p = g.cy.getElementById('n{{id}}').renderedPosition();
              const box = g.cy.container().getBoundingClientRect();
              return { x: box.left + p.x, y: box.top + p.y };
            }
            """);
        var (x, y) = (point.GetProperty("x").GetDouble(), point.GetProperty("y").GetDouble());
        var viewport = page.ViewportSize!;
        Assert.That(x is >= 0 && y >= 0 && x < viewport.Width && y < viewport.Height, $"node n{id} is drawn in view at ({x}, {y})");
        await page.Mouse.ClickAsync((float)x, (float)y);
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.That(overflow, Is.False, $"{what} scrolls sideways");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
