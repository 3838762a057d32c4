using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Itsm.Benchmarks;

/// <summary>
/// The agent queue on a year of incidents: generate and load them (plus the agents and callers they name), restart
/// the app so nothing is cached, then time the first page of GET /api/v1/incidents for each filter as the demo agent,
/// and the same for the /Incidents page when it exists (signed in through /Account/Login with a cookie).
/// </summary>
public static class QueueScenario
{
    public const double TargetP95Ms = 100;
    private const int WarmupPerFilter = 20;

    public static async Task<int> RunAsync(Options o)
    {
        var start = Report.Start.Now();
        var clients = o.ClientsFor("queue");
        Terminal.WriteLine($"queue on {o.ProviderName}: {o.Incidents:N0} incidents, {o.Samples} samples per filter, {clients} client(s)");
        using var db = new BenchDatabase(o.Provider) { Keep = o.KeepDatabase };

        // 1. Start once (schema, reference data, demo accounts), load the generated desk, stop.
        DeskReference reference;
        DeskGenerator generator;
        DeskGenerator.Desk desk;
        List<Dictionary<string, object?>> rows;
        TimeSpan generateTime, loadTime;
        var notes = new List<string>();
        using (var app = new BenchApp(db, o))
        {
            app.Start();
            reference = await Sessions.ReadReferenceAsync(app);
            var sw = Stopwatch.StartNew();
            generator = new DeskGenerator(reference, o.Seed);
            desk = generator.MakePeople(callerCount: Math.Max(500, o.Incidents / 5));
            rows = generator.MakeIncidents(desk, o.Incidents, DateTimeOffset.UtcNow);
            generateTime = sw.Elapsed;
            sw.Restart();
            await LoadAsync(app, reference, generator, rows, notes, o.Analyze);
            loadTime = sw.Elapsed;
            Terminal.WriteLine($"  generated {rows.Count:N0} incidents and {generator.NewUsers.Count:N0} people in {generateTime.TotalSeconds:0.0} s, loaded in {loadTime.TotalSeconds:0.0} s ({rows.Count / loadTime.TotalSeconds:N0} incidents/s)");
        }

        // 2. Restart: a new host, no pooled connections, nothing cached by the app.
        db.ClearPools();
        using var restarted = new BenchApp(db, o);
        var baseAddress = restarted.Start();
        Terminal.WriteLine($"  app restarted on {baseAddress}");

        var agent = reference.Users.Single(u => u.Person.UserName == "agent").Person;
        var requester = reference.Users.Single(u => u.Person.UserName == "requester").Person;
        var serviceDesk = reference.Groups.Single(g => g.Name == "Service Desk").Id;
        // Each filter as the API and as the page spell it. The page (Pages/Incidents/Index) names some parameters
        // differently (group, q), opens on queue=mine when none is given (so the others add queue=all), and has no
        // assignee or requester filter (null: not measured there).
        var filters = new (string Name, string ApiQuery, string? PageQuery)[]
        {
            ("queue=mine", "queue=mine", "queue=mine"),
            ("queue=my-groups-unassigned", "queue=my-groups-unassigned", "queue=my-groups-unassigned"),
            ("queue=all-open", "queue=all-open", "queue=all-open"),
            ("state=resolved", "state=resolved", "queue=all&state=resolved"),
            ("priority=1", "priority=1", "queue=all&priority=1"),
            ("assignmentGroupId=(Service Desk)", $"assignmentGroupId={serviceDesk}", $"queue=all&group={serviceDesk}"),
            ("assignee=none", "assignee=none", null),
            ("requester=(demo requester)", $"requester={Uri.EscapeDataString(requester.Id)}", null),
            ("text=printer", "text=printer", "queue=all&q=printer"),
            ("sort=-priority", "sort=-priority", "queue=all&sort=-priority"),
            ("sort=opened", "sort=opened", "queue=all&sort=opened"),
        };

        var token = await Sessions.TokenAsync(baseAddress, agent.UserName);
        var api = Enumerable.Range(0, clients).Select(_ => Sessions.ApiClient(baseAddress, token)).ToList();
        var apiUrls = filters.Select(f => (f.Name, Url: $"/api/v1/incidents?{f.ApiQuery}")).ToList();
        var apiRows = await MeasureAllAsync(api, apiUrls, o.Samples, ApiTotal);
        foreach (var c in api) c.Dispose();

        // 3. The HTML page, if it is there yet (signed in through the form, with one cookie session for all loops).
        var pageRows = new List<FilterResult>();
        var (page, pageNote) = await Sessions.PageClientAsync(baseAddress, agent.UserName);
        if (page is not null)
        {
            using var probe = await page.GetAsync("/Incidents");
            if (probe.StatusCode == HttpStatusCode.OK)
            {
                var pages = Enumerable.Repeat(page, clients).ToList();
                pageRows = await MeasureAllAsync(pages, filters.Where(f => f.PageQuery is not null).Select(f => (f.Name, $"/Incidents?{f.PageQuery}")).ToList(), o.Samples, PageTotal);
                pageNote += "; GET /Incidents answered 200";
                var unmatched = pageRows.Where(r => r.Total != apiRows.Single(a => a.Name == r.Name).Total).Select(r => r.Name).ToList();
                pageNote += unmatched.Count == 0
                    ? "; every page shows the same total as the API for the same filter"
                    : $"; the page's total differs from the API's for {string.Join(", ", unmatched)} (the page may not apply that filter as the API does)";
                var skipped = filters.Where(f => f.PageQuery is null).Select(f => f.Name).ToList();
                if (skipped.Count > 0) pageNote += $"; the page has no filter for {string.Join(", ", skipped)}";
            }
            else pageNote += $"; GET /Incidents answered {(int)probe.StatusCode}: there is no incident list page to measure yet";
            page.Dispose();
        }
        Terminal.WriteLine("  page: " + pageNote);

        // 4. The results.
        var report = new Report(start, "queue", o.ProviderName, $"Agent queue on {o.Incidents:N0} incidents, {(o.Provider == DbProvider.Sqlite ? "SQLite" : "PostgreSQL")}",
            new Dictionary<string, object?>
            {
                ["scenario"] = "queue: first page (25 rows, with the total) of each filter, as the demo agent",
                ["provider"] = o.Provider == DbProvider.Sqlite
                    ? $"SQLite (WAL, synchronous={o.SqliteSynchronous}; {(o.Analyze ? "ANALYZE after loading (--analyze)" : "no ANALYZE: the app does not run it")})"
                    : "PostgreSQL (fresh database; VACUUM (ANALYZE) after loading, as autovacuum would)",
                ["database server"] = db.ServerVersion(),
                ["incidents generated"] = rows.Count,
                ["people generated"] = $"{generator.NewUsers.Count(u => u.Role == "Agent")} agents, {generator.NewUsers.Count(u => u.Role == "Requester")} callers",
                ["samples per filter"] = o.Samples,
                ["warm-up"] = $"the first (cold) request per filter after the restart is shown apart; then a pass of max({WarmupPerFilter}, samples/10) requests per filter, not counted",
                ["clients"] = clients,
                ["seed"] = o.Seed,
            });
        report.Heading("API: GET /api/v1/incidents");
        WriteTable(report, apiRows);
        var apiMissed = apiRows.Where(r => r.Stats.P95 >= TargetP95Ms || r.Errors > 0).Select(r => r.Name).ToList();
        report.Paragraph($"**Target** p95 < {TargetP95Ms} ms for every filter: **{(apiMissed.Count == 0 ? "met" : "MISSED for " + string.Join(", ", apiMissed))}**.");
        report.Heading("Page: GET /Incidents");
        if (pageRows.Count > 0)
        {
            WriteTable(report, pageRows, showQuery: true);
            var pageMissed = pageRows.Where(r => r.Stats.P95 >= TargetP95Ms || r.Errors > 0).Select(r => r.Name).ToList();
            report.Paragraph($"**Target** p95 < {TargetP95Ms} ms for every filter: **{(pageMissed.Count == 0 ? "met" : "MISSED for " + string.Join(", ", pageMissed))}**. ({pageNote}.)");
        }
        else report.Paragraph($"Not measured: {pageNote}.");

        report.Heading("The generated desk");
        report.Paragraph($"Generated in {generateTime.TotalSeconds:0.0} s; loaded with batched INSERTs in {loadTime.TotalSeconds:0.0} s " +
                         $"({Report.N(rows.Count / loadTime.TotalSeconds)} incidents/s). Opened over the 365 days before the run." +
                         (notes.Count > 0 ? " Notes: " + string.Join("; ", notes) + "." : ""));
        var shape = Shape(rows, agent.Id, requester.Id);
        report.Table(["measure", "value"], shape.Select(s => (IReadOnlyList<string>)[s.Key, s.Value]));

        foreach (var (key, list) in new[] { ("api", apiRows), ("page", pageRows) })
            report.Result(key, list.Select(r => new Dictionary<string, object?>
            {
                ["filter"] = r.Name, ["url"] = r.Url, ["matches"] = r.Total, ["firstRequestMs"] = r.FirstMs, ["responseBytes"] = r.Bytes,
                ["samples"] = r.Stats.Count, ["errors"] = r.Errors, ["p50Ms"] = r.Stats.P50, ["p95Ms"] = r.Stats.P95, ["p99Ms"] = r.Stats.P99,
                ["maxMs"] = r.Stats.Max, ["meanMs"] = r.Stats.Mean, ["targetMet"] = r.Stats.P95 < TargetP95Ms && r.Errors == 0, ["firstError"] = r.FirstError,
            }).ToList());
        report.Result("pageNote", pageNote);
        report.Result("dataset", shape);
        report.Result("loadSeconds", loadTime.TotalSeconds);
        var (md, json) = report.Write(o.OutDirectory, new Dictionary<string, object?> { ["database"] = db.ServerVersion() });
        Terminal.WriteLine($"  API target {(apiMissed.Count == 0 ? "met" : "MISSED: " + string.Join(", ", apiMissed))}");
        Terminal.WriteLine($"  results: {md}\n           {json}");
        return apiRows.Concat(pageRows).Sum(r => r.Errors) == 0 ? 0 : 1;
    }

    private sealed record FilterResult(string Name, string Url, int? Total, double FirstMs, long Bytes, LatencyStats Stats, int Errors, string? FirstError);

    /// <summary>
    /// Three passes over the filters: one request each, cold (the first after the restart: connections, query
    /// compilation, JIT); then a warm-up pass, not counted; then, after a pause for the JIT's background work, the
    /// measured pass of <paramref name="samples"/> requests per filter.
    /// </summary>
    private static async Task<List<FilterResult>> MeasureAllAsync(IReadOnlyList<HttpClient> clients, IReadOnlyList<(string Name, string Url)> filters, int samples, Func<byte[], int?> readTotal)
    {
        var cold = new List<(double Ms, long Bytes, int? Total, string? Error)>();
        foreach (var (_, url) in filters)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var first = await clients[0].GetAsync(url);
            var body = await first.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            var total = first.IsSuccessStatusCode ? readTotal(body) : null;
            cold.Add((ms, body.Length, total, first.IsSuccessStatusCode ? null : $"{(int)first.StatusCode} GET {url}: {LoadRunner.Truncate(System.Text.Encoding.UTF8.GetString(body), 600)}"));
        }
        foreach (var (name, url) in filters)
            await LoadRunner.RunAsync(name, clients, Math.Max(WarmupPerFilter, samples / 10), (_, _) => new HttpRequestMessage(HttpMethod.Get, url), HttpStatusCode.OK);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var results = new List<FilterResult>();
        for (var f = 0; f < filters.Count; f++)
        {
            var (name, url) = filters[f];
            var r = await LoadRunner.RunAsync(name, clients, samples, (_, _) => new HttpRequestMessage(HttpMethod.Get, url), HttpStatusCode.OK);
            var c = cold[f];
            var error = c.Error ?? r.FirstError;
            Terminal.WriteLine($"  {url[..url.IndexOf('?', StringComparison.Ordinal)]} {name}: {(c.Total is null ? "" : $"{c.Total:N0} matches, ")}cold {Report.Ms(c.Ms)} ms, p50 {Report.Ms(r.Latency.P50)} p95 {Report.Ms(r.Latency.P95)} max {Report.Ms(r.Latency.Max)} ms{(r.Errors > 0 ? $", {r.Errors} errors" : "")}");
            if (error is not null) Terminal.WriteLine("    first error: " + error);
            results.Add(new FilterResult(name, url, c.Total, c.Ms, c.Bytes, r.Latency, r.Errors + (c.Error is null ? 0 : 1), error));
        }
        return results;
    }

    private static int? ApiTotal(byte[] body) =>
        JsonDocument.Parse(body).RootElement.TryGetProperty("total", out var t) ? t.GetInt32() : null;

    /// <summary>The page's total, from its status line "Showing 1–25 of 118" (the dash HTML-encoded), or "No tickets".</summary>
    private static int? PageTotal(byte[] body)
    {
        var html = System.Text.Encoding.UTF8.GetString(body);
        if (html.Contains("No tickets", StringComparison.Ordinal)) return 0;
        var m = System.Text.RegularExpressions.Regex.Match(html, @"Showing [^<]*? of (\d[\d,]*)");
        return m.Success ? int.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static void WriteTable(Report report, IReadOnlyList<FilterResult> rows, bool showQuery = false)
    {
        var headers = new List<string> { "filter", "matches" };
        headers.AddRange(["cold ms", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "bytes", "p95 < 100 ms"]);
        report.Table(headers, rows.Select(r =>
        {
            var label = showQuery ? $"`{r.Name}` as `{r.Url[(r.Url.IndexOf('?', StringComparison.Ordinal) + 1)..]}`" : $"`{r.Name}`";
            var cells = new List<string> { label, r.Total is { } t ? Report.N(t) : "?" };
            cells.AddRange([Report.Ms(r.FirstMs), Report.Ms(r.Stats.P50), Report.Ms(r.Stats.P95), Report.Ms(r.Stats.P99), Report.Ms(r.Stats.Max),
                Report.N(r.Errors), Report.N(r.Bytes), r.Stats.P95 < TargetP95Ms && r.Errors == 0 ? "yes" : "**no**"]);
            return (IReadOnlyList<string>)cells;
        }));
        var errors = rows.Where(r => r.FirstError is not null).Select(r => $"`{r.Name}`: {r.FirstError!.ReplaceLineEndings(" ")}").ToList();
        if (errors.Count > 0) report.Paragraph("Errors: " + string.Join("; ", errors));
    }

    /// <summary>Loads the synthetic people (accounts, roles, group memberships) and the incidents; fixes the number sequence.</summary>
    private static async Task LoadAsync(BenchApp app, DeskReference reference, DeskGenerator generator, List<Dictionary<string, object?>> rows, List<string> notes, bool analyze)
    {
        var (scope, db) = app.OpenDb();
        using (scope)
        {
            var loader = new BulkLoader(db);
            var roleIds = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id);
            var users = new List<IReadOnlyDictionary<string, object?>>();
            var userRoles = new List<IReadOnlyDictionary<string, object?>>();
            foreach (var (person, role) in generator.NewUsers)
            {
                // Accounts without a password: they appear as callers and assignees but cannot sign in.
                users.Add(loader.RowOf(new ItsmUser
                {
                    Id = person.Id, UserName = person.UserName, NormalizedUserName = person.UserName.ToUpperInvariant(),
                    Email = person.UserName + "@example.org", NormalizedEmail = (person.UserName + "@example.org").ToUpperInvariant(),
                    EmailConfirmed = true, DisplayName = person.DisplayName, LockoutEnabled = true,
                    SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString(),
                }));
                userRoles.Add(loader.RowOf(new IdentityUserRole<string> { UserId = person.Id, RoleId = roleIds[role] }));
            }
            await loader.InsertAsync(typeof(ItsmUser), users, notes.Add);
            await loader.InsertAsync(typeof(IdentityUserRole<string>), userRoles, notes.Add);
            await loader.InsertAsync(typeof(GroupMember),
                generator.NewMemberships.Select(m => (IReadOnlyDictionary<string, object?>)loader.RowOf(new GroupMember(m.GroupId, m.UserId))).ToList(), notes.Add);
            await loader.InsertAsync(typeof(Itsm.Domain.Incidents.Incident), rows, notes.Add);

            await TicketNumberGenerator.MovePastAsync(db, TicketKind.Incident, reference.NextNumber + rows.Count - 1);
            // PostgreSQL: autovacuum both vacuums (after inserts, since PostgreSQL 13) and analyzes a freshly loaded table
            // within a minute; without the vacuum, index-only scans (the pager's counts) visit the heap for every row.
            if (db.Database.IsNpgsql()) await loader.ExecuteAsync("VACUUM (ANALYZE)");
            else if (analyze) await loader.ExecuteAsync("ANALYZE");
        }
    }

    /// <summary>What the generated year looks like (written to the results so the figures can be read against it).</summary>
    private static Dictionary<string, string> Shape(List<Dictionary<string, object?>> rows, string agentId, string requesterId)
    {
        var n = (double)rows.Count;
        string Share(int count) => $"{Report.N(count)} ({count / n:P1})";
        var shape = new Dictionary<string, string>();
        foreach (var g in rows.GroupBy(r => (string)r["State"]!).OrderByDescending(g => g.Count()))
            shape[$"state {g.Key}"] = Share(g.Count());
        foreach (var g in rows.GroupBy(r => (int)(Priority)r["Priority"]!).OrderBy(g => g.Key))
            shape[$"priority P{g.Key}"] = Share(g.Count());
        foreach (var g in rows.GroupBy(r => (string?)r["AssignmentGroupName"] ?? "(no group)").OrderByDescending(g => g.Count()))
            shape[$"group {g.Key}"] = Share(g.Count());
        shape["unassigned (no assignee)"] = Share(rows.Count(r => r["AssigneeId"] is null));
        shape["categories"] = string.Join(", ", rows.GroupBy(r => (string?)r["CategoryCode"] ?? "none").OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count() / n:P0}"));
        shape["assigned to the demo agent"] = Share(rows.Count(r => (string?)r["AssigneeId"] == agentId));
        shape["raised by the demo requester"] = Share(rows.Count(r => (string)r["RequesterId"]! == requesterId));
        var perCaller = rows.GroupBy(r => (string)r["RequesterId"]!).Select(g => g.Count()).OrderBy(c => c).ToList();
        shape["callers with incidents"] = $"{Report.N(perCaller.Count)}; median {perCaller[perCaller.Count / 2]} incidents each, most {perCaller[^1]}";
        var perAssignee = rows.Where(r => r["AssigneeId"] is not null).GroupBy(r => (string)r["AssigneeId"]!).Select(g => g.Count()).OrderByDescending(c => c).ToList();
        shape["assignees"] = $"{perAssignee.Count}; the busiest 20% carry {perAssignee.Take(Math.Max(1, perAssignee.Count / 5)).Sum() / (double)perAssignee.Sum():P0} of the assigned incidents";
        shape["text 'printer' in the short description"] = Share(rows.Count(r => ((string)r["ShortDescription"]!).Contains("printer", StringComparison.OrdinalIgnoreCase)));
        shape["reassigned at least once"] = Share(rows.Count(r => (int)r["ReassignmentCount"]! > 0));
        return shape;
    }
}
