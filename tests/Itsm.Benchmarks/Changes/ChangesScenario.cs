using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Bogus;
using Itsm.Application.Common;
using Itsm.Benchmarks.Cmdb;
using Itsm.Domain.Changes;
using Itsm.Domain.Changes.Approvals;
using Itsm.Domain.Tickets;
using Itsm.Infrastructure.Identity;
using Itsm.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Itsm.Benchmarks.Changes;

/// <summary>
/// Change management on a CMDB at scale: the cmdb scenario's generated estate (EstateGenerator, EstateLoader) with
/// owner groups by class, then generated changes (ChangeGenerator) with their CIs and approvals bulk-loaded into the
/// ticket tables; the app restarted over it; then, one client, sequential requests as the demo change manager:
/// - GET /api/v1/changes/{number}/assessment (risk with the blast radius, approvers, conflicts) of the changes on 100
///   CIs planned ahead, each sample next to its baseline: the bare breadth-first walk over CSR arrays from the same CIs
///   plus the plain SQL reads of the overlapping changes and their CIs (ChangeBaselines);
/// - GET /api/v1/changes/calendar for each full month of the generated half-year, against the plain SELECT;
/// - GET /api/v1/approvals as two approvers (an engineer in the owner groups, a CAB member), against the plain SELECTs.
/// Each product request alternates with a baseline sample and a GET of the no-op floor, so that both see the same
/// load on a shared machine; the ratios are per run.
/// </summary>
public static class ChangesScenario
{
    public const double TargetAssessmentP99Ms = 50, TargetCalendarP95Ms = 100;
    public const int BigChange = 100;

    private sealed record Sample(long ProductTicks, long BaselineTicks, long FloorTicks, int Status, string? Error);

    private sealed record Measure(string Name, string Example, List<Sample> Samples, string Notes)
    {
        public LatencyStats Product => new(Samples.Select(s => s.ProductTicks));
        public LatencyStats Baseline => new(Samples.Select(s => s.BaselineTicks));
        public LatencyStats Floor => new(Samples.Select(s => s.FloorTicks));
        public int Errors => Samples.Count(s => s.Status != 200);
        public string? FirstError => Samples.FirstOrDefault(s => s.Error is not null)?.Error;
    }

    public static async Task<int> RunAsync(Options o)
    {
        var start = Report.Start.Now();
        var providerTitle = o.Provider == DbProvider.Sqlite ? "SQLite" : "PostgreSQL";
        Terminal.WriteLine($"changes on {o.ProviderName}: {o.Cis:N0} CIs, {o.Changes:N0} changes, {o.ChangeSamples} samples per endpoint");
        using var db = new BenchDatabase(o.Provider) { Keep = o.KeepDatabase };
        var now = DateTimeOffset.UtcNow;
        var notes = new List<string>();
        var timings = new List<(string Step, long Rows, TimeSpan Elapsed)>();

        // 1. The app migrates and seeds; while it runs (idle: no jobs), the estate and the changes are loaded.
        EstateGenerator.Estate estate;
        EstateLoader loader;
        ChangeGenerator.Output changes;
        List<(Person Person, string Group)> engineers;
        Dictionary<string, IReadOnlyList<Person>> members;
        Dictionary<string, Guid> groups;
        DeskReference reference;
        TimeSpan generateTime;
        using (var app = new BenchApp(db, o))
        {
            app.Start();
            reference = await Sessions.ReadReferenceAsync(app);
            groups = reference.Groups.ToDictionary(g => g.Name, g => g.Id);

            var sw = Stopwatch.StartNew();
            estate = new EstateGenerator(o.Cis, o.Seed).Generate(now);
            Terminal.WriteLine($"  generated {estate.CiCount:N0} CIs, {estate.Relationships.Count:N0} relationships in {sw.Elapsed.TotalSeconds:0.0} s");
            loader = new EstateLoader(o.Provider, db.ConnectionString);
            sw.Restart();
            foreach (var t in await loader.LoadAsync(estate)) timings.Add(("estate: " + t.Table, t.Rows, t.Elapsed));
            Terminal.WriteLine($"  estate loaded in {sw.Elapsed.TotalSeconds:0.0} s");
            var ciIdBase = loader.CiIdBase;

            var (scope, ctx) = app.OpenDb();
            using (scope)
            {
                ctx.Database.SetCommandTimeout(TimeSpan.FromMinutes(20));
                // Owner groups by class: the approvals the policy asks for follow them.
                sw.Restart();
                foreach (var group in EstateGenerator.ClassCodes.Select((_, i) => ChangeGenerator.OwnerGroupOf((byte)i)).Distinct())
                {
                    var codes = EstateGenerator.ClassCodes.Where((_, i) => ChangeGenerator.OwnerGroupOf((byte)i) == group).ToList();
                    Guid? id = groups[group];
                    await ctx.ConfigurationItems.Where(c => c.Id > ciIdBase && codes.Contains(c.ClassCode))
                        .ExecuteUpdateAsync(s => s.SetProperty(c => c.OwnerGroupId, id));
                }
                timings.Add(("owner groups set (UPDATE by class)", estate.CiCount, sw.Elapsed));
                Terminal.WriteLine($"  owner groups set in {sw.Elapsed.TotalSeconds:0.0} s");

                // The people: engineers who implement (synthetic accounts without a password), in the owner groups.
                (engineers, members) = People(reference, o.Seed);
                var bulk = new BulkLoader(ctx);
                await LoadPeopleAsync(ctx, bulk, engineers, notes);
                var implementers = engineers.Take(2).Select(e => e.Person)
                    .Concat(reference.Users.Where(u => u.Person.UserName is "engineer" or "tom.baker").Select(u => u.Person))
                    .Concat(engineers.Skip(2).Select(e => e.Person)).ToList();
                var requesters = implementers.Concat(reference.Users.Where(u => u.Roles.Contains("ChangeManager")).Select(u => u.Person)).ToList();

                sw.Restart();
                var processes = app.Services.GetRequiredService<IProcessCatalog>();
                var firstNumber = await TicketNumberGenerator.PeekAsync(ctx, TicketKind.Change);
                changes = new ChangeGenerator(estate, ci => ciIdBase + ci + 1, o.Seed + 7).Generate(o.Changes, now, firstNumber, groups, members, implementers,
                    requesters, app.Services.GetRequiredService<StandardChangeCatalog>(), processes.For(TicketKind.Change).PriorityMatrix);
                generateTime = sw.Elapsed;
                sw.Restart();
                await bulk.InsertAsync(typeof(Change), changes.Changes.Cast<IReadOnlyDictionary<string, object?>>().ToList(), notes.Add);
                timings.Add(("changes (tickets)", changes.Changes.Count, sw.Elapsed));
                sw.Restart();
                await bulk.InsertAsync(typeof(TicketConfigurationItem), changes.TicketCis.Cast<IReadOnlyDictionary<string, object?>>().ToList(), notes.Add);
                timings.Add(("affected CIs (ticket_configuration_items)", changes.TicketCis.Count, sw.Elapsed));
                sw.Restart();
                await bulk.InsertAsync(typeof(ChangeApproval), changes.Approvals.Cast<IReadOnlyDictionary<string, object?>>().ToList(), notes.Add);
                timings.Add(("approvals (change_approvals)", changes.Approvals.Count, sw.Elapsed));
                await TicketNumberGenerator.MovePastAsync(ctx, TicketKind.Change, firstNumber + changes.Changes.Count - 1);
                sw.Restart();
                // PostgreSQL: autovacuum would vacuum and analyze the updated and loaded tables within a minute.
                if (ctx.Database.IsNpgsql()) await bulk.ExecuteAsync("VACUUM (ANALYZE)");
                else await bulk.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
                timings.Add((ctx.Database.IsNpgsql() ? "VACUUM (ANALYZE)" : "WAL checkpoint", 0, sw.Elapsed));
                Terminal.WriteLine($"  {changes.Changes.Count:N0} changes, {changes.TicketCis.Count:N0} affected CIs, {changes.Approvals.Count:N0} approvals generated in {generateTime.TotalSeconds:0.0} s and loaded");
            }
        }
        db.ClearPools();
        long Id(int ci) => loader.CiIdBase + ci + 1;

        // 2. The bare walk's arrays, from the database.
        BareGraph graph;
        using (var conn = loader.Open()) graph = BareGraph.Load(conn, ImpactDirections.Read());
        Terminal.WriteLine($"  bare CSR: {graph.LiveRelationships:N0} live relationships");

        // 3. What is measured: the changes on 100 CIs planned ahead (not canceled); every full month of the half-year.
        var big = changes.Generated.Where(g => g.Cis.Length == BigChange && g.Start > now && g.State is "new" or "assess" or "authorize" or "scheduled").ToList();
        if (big.Count == 0) throw new UsageException($"No change on {BigChange} CIs planned ahead: generate more (--changes).");
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var months = Enumerable.Range(-2, 5).Select(m => (From: monthStart.AddMonths(m), To: monthStart.AddMonths(m + 1))).ToList();
        var approvers = new[] { "engineer", "cabmember" }.Select(n => reference.Users.Single(u => u.Person.UserName == n).Person).ToList();

        // 4. The app restarted over it: cold connections, its graph index built from the tables before Kestrel takes requests.
        var appWatch = Stopwatch.StartNew();
        using var measured = new BenchApp(db, o);
        measured.Start();
        var appStart = appWatch.Elapsed;
        Terminal.WriteLine($"  app started on the loaded database in {appStart.TotalSeconds:0.0} s");
        using var baselines = new ChangeBaselines(o.Provider, db.ConnectionString);
        using var manager = Sessions.ApiClient(measured.BaseAddress, await Sessions.TokenAsync(measured.BaseAddress, "changemanager"));

        // 4a. The assessment. Warm-up: every change once (what it answers is kept for the results), then a pause for the JIT.
        var perChange = new List<Dictionary<string, object?>>();
        var assessable = new List<ChangeGenerator.Generated>();
        string? firstWarmError = null;
        foreach (var c in big)
        {
            var (ticks, status, body) = await GetAsync(manager, $"/api/v1/changes/{c.Number}/assessment");
            var (overlapping, overlappingCis) = baselines.Overlapping(c.Number, c.Start, c.End);
            var radius = graph.Impact(c.Cis.Select(Id).ToList());
            var row = new Dictionary<string, object?>
            {
                ["number"] = c.Number, ["type"] = Change.TypeId(c.Type), ["state"] = c.State, ["class"] = EstateGenerator.ClassCodes[estate.Class[c.Cis[0]]],
                ["restrictedCis"] = c.Cis.Count(ci => estate.Restricted[ci]), ["start"] = c.Start, ["end"] = c.End, ["bareRadius"] = radius,
                ["overlappingChanges"] = overlapping, ["overlappingCiRows"] = overlappingCis, ["status"] = (int)status, ["firstMs"] = Ms(ticks),
                ["bytes"] = body.Length,
            };
            if (status == HttpStatusCode.OK)
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                row["risk"] = root.GetProperty("risk").GetProperty("level").GetString();
                row["conflicts"] = root.GetProperty("conflicts").GetArrayLength();
                row["approverStages"] = root.GetProperty("approvers").GetProperty("stages").GetArrayLength();
                if (root.GetProperty("blastRadius") is { ValueKind: JsonValueKind.Object } blast)
                {
                    row["impacted"] = blast.GetProperty("totalImpacted").GetInt32();
                    row["impactedServices"] = blast.GetProperty("services").GetArrayLength();
                }
                assessable.Add(c);
            }
            else firstWarmError ??= $"{(int)status} GET /api/v1/changes/{c.Number}/assessment: {LoadRunner.Truncate(System.Text.Encoding.UTF8.GetString(body), 400)}";
            perChange.Add(row);
        }
        if (firstWarmError is not null)
            notes.Add($"{big.Count - assessable.Count} of {big.Count} changes on {BigChange} CIs did not answer 200 in the warm-up and are left out of the timed samples; the first: {firstWarmError}");
        if (assessable.Count == 0) throw new InvalidOperationException("No assessment answered 200: " + firstWarmError);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Terminal.WriteLine($"  assessment: {assessable.Count} of {big.Count} changes on {BigChange} CIs answered; measuring {o.ChangeSamples} samples");
        var assessment = await MeasureAsync("assessment", "/api/v1/changes/{number}/assessment", manager, o.ChangeSamples, assessable.Count,
            i => $"/api/v1/changes/{assessable[i].Number}/assessment",
            i => { var c = assessable[i]; graph.Impact(c.Cis.Select(Id).ToList()); baselines.Overlapping(c.Number, c.Start, c.End); });
        // The baseline's two parts on their own, for the record.
        var bfsOnly = Time(o.ChangeSamples, i => graph.Impact(assessable[i % assessable.Count].Cis.Select(Id).ToList()));
        var sqlOnly = Time(o.ChangeSamples, i => { var c = assessable[i % assessable.Count]; baselines.Overlapping(c.Number, c.Start, c.End); });

        // 4b. The calendar, a month at a time.
        string CalendarUrl(int m) => $"/api/v1/changes/calendar?from={Iso(months[m].From)}&to={Iso(months[m].To)}";
        var monthRows = new List<Dictionary<string, object?>>();
        for (var m = 0; m < months.Count; m++)
        {
            var (ticks, status, body) = await GetAsync(manager, CalendarUrl(m));
            var entries = status == HttpStatusCode.OK ? JsonDocument.Parse(body).RootElement.GetProperty("changes").GetArrayLength() : -1;
            monthRows.Add(new Dictionary<string, object?>
            {
                ["month"] = months[m].From.ToString("yyyy-MM", CultureInfo.InvariantCulture), ["entries"] = entries, ["baselineRows"] = baselines.Calendar(months[m].From, months[m].To),
                ["bytes"] = body.Length, ["status"] = (int)status, ["firstMs"] = Ms(ticks),
            });
        }
        for (var k = 0; k < 20; k++) await GetAsync(manager, CalendarUrl(k % months.Count));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var calendar = await MeasureAsync("calendar", "/api/v1/changes/calendar?from=…&to=… (a month)", manager, o.ChangeSamples, months.Count, CalendarUrl,
            m => baselines.Calendar(months[m].From, months[m].To));

        // 4c. The approvals inbox, as each approver.
        var inboxes = new List<(Measure Measure, int Count)>();
        foreach (var p in approvers)
        {
            using var client = Sessions.ApiClient(measured.BaseAddress, await Sessions.TokenAsync(measured.BaseAddress, p.UserName));
            var groupIds = reference.Groups.Where(g => g.MemberIds.Contains(p.Id)).Select(g => g.Id).ToList();
            var (_, status, body) = await GetAsync(client, "/api/v1/approvals");
            var count = status == HttpStatusCode.OK ? JsonDocument.Parse(body).RootElement.GetProperty("count").GetInt32() : -1;
            var baselineCount = baselines.Inbox(p.Id, groupIds);
            if (count != baselineCount) notes.Add($"the inbox of {p.UserName} counts {count}, the plain SELECT {baselineCount}");
            for (var k = 0; k < 20; k++) await GetAsync(client, "/api/v1/approvals");
            var m = await MeasureAsync($"approvals inbox as {p.UserName}", "/api/v1/approvals", client, Math.Max(100, o.ChangeSamples / 2), 1, _ => "/api/v1/approvals",
                _ => baselines.Inbox(p.Id, groupIds));
            inboxes.Add((m, count));
        }
        var overlapPlan = baselines.PlanOfOverlap(assessable[0].Start, assessable[0].End);

        // 5. Results.
        var all = new List<Measure> { assessment, calendar }.Concat(inboxes.Select(x => x.Measure)).ToList();
        foreach (var m in all)
            Terminal.WriteLine($"  {m.Name}: p50 {Report.Ms(m.Product.P50)} p95 {Report.Ms(m.Product.P95)} p99 {Report.Ms(m.Product.P99)} ms; baseline p50 {Report.Ms(m.Baseline.P50)} p99 {Report.Ms(m.Baseline.P99)} ms{(m.Errors > 0 ? $"; {m.Errors} errors: {m.FirstError}" : "")}");
        var report = new Report(start, "changes", o.ProviderName,
            $"Change assessment, calendar and approvals on {o.Cis:N0} CIs and {o.Changes:N0} changes, {providerTitle}",
            new Dictionary<string, object?>
            {
                ["scenario"] = "changes: the cmdb scenario's generated estate with owner groups by class; generated changes with their affected CIs and approvals bulk-loaded into the ticket tables; the app restarted over it",
                ["provider"] = o.Provider == DbProvider.Sqlite
                    ? $"SQLite (WAL, synchronous={o.SqliteSynchronous}; no ANALYZE: the app does not run it)"
                    : "PostgreSQL (fresh database; VACUUM (ANALYZE) after loading, as autovacuum would)",
                ["database server"] = db.ServerVersion(),
                ["CIs"] = estate.CiCount,
                ["relationships"] = $"{estate.Relationships.Count:N0} rows, {estate.Relationships.LiveCount():N0} live",
                ["changes"] = changes.Changes.Count,
                ["samples per endpoint"] = $"{o.ChangeSamples} (each approvals inbox: {Math.Max(100, o.ChangeSamples / 2)}), one client, sequential, keep-alive, after a warm-up",
                ["caller"] = "the demo change manager (bearer token); the inboxes as the demo engineer and the demo CAB member",
                ["seed"] = o.Seed,
            });

        var assessmentOk = assessment.Product.P99 < TargetAssessmentP99Ms && assessment.Errors == 0;
        var calendarOk = calendar.Product.P95 < TargetCalendarP95Ms && calendar.Errors == 0;
        report.Heading("Results");
        report.Paragraph("Latency in ms, through Kestrel on loopback (the client's time from sending to having read the whole answer). " +
                         "Baseline: the cheapest version of the same work, in this process on a connection of its own, timed right after each product request: " +
                         "for the assessment the bare breadth-first walk over CSR arrays from the change's CIs (`BareGraph`, no redundancy rules, no paths, " +
                         "no depth limit) plus the plain SQL reads of the overlapping changes and their affected CIs; for the calendar the plain SELECT of the " +
                         "month's changes; for the inbox the plain SELECTs (count and first 200) of the requested approvals. Floor: GET /bench/noop through " +
                         "the same client (Kestrel and the client alone), also right after. × baseline: the product's percentile over the baseline's.");
        report.Table(["request", "samples", "p50", "p95", "p99", "max", "baseline p50", "baseline p95", "baseline p99", "floor p50", "× baseline (p50)", "× baseline (p99)", "errors", "target"],
            all.Select(m =>
            {
                var target = m == assessment ? $"p99 < {TargetAssessmentP99Ms} ms: {(assessmentOk ? "**met**" : "**MISSED**")}"
                    : m == calendar ? $"p95 < {TargetCalendarP95Ms} ms: {(calendarOk ? "**met**" : "**MISSED**")}" : "-";
                return (IReadOnlyList<string>)[$"{m.Name}: `{m.Example}`", Report.N(m.Samples.Count), Report.Ms(m.Product.P50), Report.Ms(m.Product.P95), Report.Ms(m.Product.P99),
                    Report.Ms(m.Product.Max), Report.Ms(m.Baseline.P50), Report.Ms(m.Baseline.P95), Report.Ms(m.Baseline.P99), Report.Ms(m.Floor.P50),
                    $"{m.Product.P50 / Math.Max(m.Baseline.P50, 1e-6):0.0}x", $"{m.Product.P99 / Math.Max(m.Baseline.P99, 1e-6):0.0}x", Report.N(m.Errors), target];
            }));
        report.Paragraph($"The assessment's baseline in parts ({o.ChangeSamples} samples each, apart from the product): the bare walk p50 {Report.Ms(bfsOnly.P50)} / p99 {Report.Ms(bfsOnly.P99)} ms; " +
                         $"the overlap reads p50 {Report.Ms(sqlOnly.P50)} / p99 {Report.Ms(sqlOnly.P99)} ms.");
        report.Paragraph($"**Targets**: assessment of a change on {BigChange} CIs p99 < {TargetAssessmentP99Ms} ms: {(assessmentOk ? "met" : "**MISSED**")}; " +
                         $"calendar for a month p95 < {TargetCalendarP95Ms} ms: {(calendarOk ? "met" : "**MISSED**")}.");
        var errorNotes = all.Where(m => m.FirstError is not null).Select(m => $"{m.Name}: {m.FirstError}").ToList();
        if (errorNotes.Count > 0) report.Paragraph("Errors: " + string.Join("; ", errorNotes));

        report.Heading($"The changes on {BigChange} CIs");
        report.Paragraph($"Every generated change on {BigChange} CIs whose window is ahead and that is not canceled ({big.Count}); the timed samples go round-robin over the " +
                         $"{assessable.Count} that answered 200. Their CIs are {BigChange} consecutive CIs of one class (VMs, components, databases, database " +
                         "instances or hypervisor hosts): the network devices and storage arrays, which the whole estate hangs off, are only in smaller changes " +
                         "(there are a handful of them). Restricted CIs are left in (0.5% of the estate). Bare radius: the CIs the baseline walk reaches; " +
                         "impacted: the product's count (redundancy rules and retired CIs stop it, its depth limit is 20); overlapping: the other changes the " +
                         "baseline's SQL finds in the window, in the states that hold one.");
        report.Table(["change", "type", "state", "CIs of class", "restricted CIs", "window (UTC)", "bare radius", "impacted", "services", "overlapping changes", "their CI rows", "conflicts", "risk", "first ms", "status"],
            perChange.Select(r => (IReadOnlyList<string>)[(string)r["number"]!, (string)r["type"]!, (string)r["state"]!, (string)r["class"]!, $"{r["restrictedCis"]}",
                $"{(DateTimeOffset)r["start"]!:yyyy-MM-dd HH:mm}–{(DateTimeOffset)r["end"]!:HH:mm}", Report.N((int)r["bareRadius"]!), Cell(r, "impacted"), Cell(r, "impactedServices"),
                Report.N((int)r["overlappingChanges"]!), Report.N((int)r["overlappingCiRows"]!), Cell(r, "conflicts"), Cell(r, "risk"), $"{r["firstMs"]:0.0}", $"{r["status"]}"]));

        report.Heading("The calendar's months");
        report.Table(["month", "entries", "plain SELECT rows", "bytes", "first ms", "status"],
            monthRows.Select(r => (IReadOnlyList<string>)[(string)r["month"]!, Report.N((int)r["entries"]!), Report.N((int)r["baselineRows"]!), Report.N((int)r["bytes"]!), $"{r["firstMs"]:0.0}", $"{r["status"]}"]));
        report.Heading("The approvals inboxes");
        report.Table(["approver", "requested approvals they may decide"], inboxes.Select(x => (IReadOnlyList<string>)[x.Measure.Name, Report.N(x.Count)]));

        report.Heading("The generated data");
        var shape = Shape(changes, estate, now);
        report.Paragraph($"Changes generated in {generateTime.TotalSeconds:0.0} s; the app's restart over the loaded database took {appStart.TotalSeconds:0.0} s (its CMDB index built before Kestrel took requests). " +
                         "Not generated: the changes' field history (ticket_changes) and their computed impacted services (ticket_configuration_items rows of role ImpactedService), which none of the measured requests reads; incidents. " +
                         (notes.Count > 0 ? "Notes: " + string.Join("; ", notes) + "." : ""));
        report.Table(["measure", "value"], shape.Select(s => (IReadOnlyList<string>)[s.Key, s.Value]));
        report.Table(["load step", "rows", "seconds"], timings.Select(t => (IReadOnlyList<string>)[t.Step, t.Rows > 0 ? Report.N(t.Rows) : "-", t.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)]));
        report.Heading("Plan of the overlap read");
        report.Paragraph("```\n" + overlapPlan + "\n```");

        report.Result("measures", all.Select(m => new Dictionary<string, object?>
        {
            ["request"] = m.Name, ["url"] = m.Example, ["samples"] = m.Samples.Count, ["errors"] = m.Errors, ["firstError"] = m.FirstError,
            ["product"] = Stats(m.Product), ["baseline"] = Stats(m.Baseline), ["floor"] = Stats(m.Floor),
            ["ratioP50"] = m.Product.P50 / Math.Max(m.Baseline.P50, 1e-6), ["ratioP99"] = m.Product.P99 / Math.Max(m.Baseline.P99, 1e-6), ["notes"] = m.Notes,
        }).ToList());
        report.Result("targets", new Dictionary<string, object?>
        {
            ["assessmentP99Ms"] = TargetAssessmentP99Ms, ["assessmentMet"] = assessmentOk, ["calendarP95Ms"] = TargetCalendarP95Ms, ["calendarMet"] = calendarOk,
        });
        report.Result("assessmentBaselineParts", new Dictionary<string, object?> { ["bareWalk"] = Stats(bfsOnly), ["overlapSql"] = Stats(sqlOnly) });
        report.Result("bigChanges", perChange);
        report.Result("months", monthRows);
        report.Result("inboxes", inboxes.Select(x => new Dictionary<string, object?> { ["approver"] = x.Measure.Name, ["count"] = x.Count }).ToList());
        report.Result("dataset", shape);
        report.Result("load", timings.Select(t => new Dictionary<string, object?> { ["step"] = t.Step, ["rows"] = t.Rows, ["seconds"] = t.Elapsed.TotalSeconds }).ToList());
        report.Result("notes", notes);
        report.Result("appStartSeconds", appStart.TotalSeconds);
        var (md, json) = report.Write(o.OutDirectory, new Dictionary<string, object?> { ["database"] = db.ServerVersion() });
        Terminal.WriteLine($"  targets: assessment {(assessmentOk ? "met" : "MISSED")}, calendar {(calendarOk ? "met" : "MISSED")}");
        Terminal.WriteLine($"  results: {md}\n           {json}");
        return all.All(m => m.Errors == 0) ? 0 : 1;
    }

    /// <summary>
    /// Sample i: GET url(i % items) through the client, then baseline(i % items) in this process, then GET /bench/noop;
    /// each timed on its own.
    /// </summary>
    private static async Task<Measure> MeasureAsync(string name, string example, HttpClient client, int samples, int items, Func<int, string> url, Action<int> baseline)
    {
        var list = new List<Sample>(samples);
        for (var i = 0; i < samples; i++)
        {
            var k = i % items;
            var (ticks, status, body) = await GetAsync(client, url(k));
            var t0 = Stopwatch.GetTimestamp();
            baseline(k);
            var baselineTicks = Stopwatch.GetTimestamp() - t0;
            var (floor, _, _) = await GetAsync(client, BenchApp.FloorPath);
            list.Add(new Sample(ticks, baselineTicks, floor, (int)status,
                status == HttpStatusCode.OK ? null : $"{(int)status} GET {url(k)}: {LoadRunner.Truncate(System.Text.Encoding.UTF8.GetString(body), 400)}"));
        }
        return new Measure(name, example, list, $"{items} distinct URLs, round-robin");
    }

    private static LatencyStats Time(int samples, Action<int> work)
    {
        var ticks = new long[samples];
        for (var i = 0; i < samples; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            work(i);
            ticks[i] = Stopwatch.GetTimestamp() - t0;
        }
        return new LatencyStats(ticks);
    }

    private static async Task<(long Ticks, HttpStatusCode Status, byte[] Body)> GetAsync(HttpClient client, string url)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return (Stopwatch.GetTimestamp() - t0, response.StatusCode, body);
    }

    /// <summary>The engineers (synthetic accounts) by owner group, and every group's members (demo accounts included).</summary>
    private static (List<(Person, string)> Engineers, Dictionary<string, IReadOnlyList<Person>> Members) People(DeskReference reference, int seed)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed + 11) };
        var taken = reference.Users.Select(u => u.Person.UserName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var engineers = new List<(Person, string)>();
        foreach (var (group, size) in new[] { ("Server Operations", 10), ("Database Administration", 6), ("Network Operations", 5), ("Application Support", 9) })
            for (var i = 0; i < size; i++)
            {
                var (first, last) = (faker.Name.FirstName(), faker.Name.LastName());
                var userName = $"{first}.{last}".ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
                var candidate = userName;
                for (var n = 2; !taken.Add(candidate); n++) candidate = userName + n.ToString(CultureInfo.InvariantCulture);
                engineers.Add((new Person(Guid.NewGuid().ToString(), candidate, $"{first} {last}"), group));
            }
        var people = reference.Users.ToDictionary(u => u.Person.Id, u => u.Person);
        var members = reference.Groups.ToDictionary(g => g.Name,
            g => (IReadOnlyList<Person>)g.MemberIds.Where(people.ContainsKey).Select(m => people[m]).Concat(engineers.Where(e => e.Item2 == g.Name).Select(e => e.Item1)).ToList());
        return (engineers, members);
    }

    private static async Task LoadPeopleAsync(ItsmDbContext db, BulkLoader loader, List<(Person Person, string Group)> engineers, List<string> notes)
    {
        var roleIds = await db.Roles.AsNoTracking().ToDictionaryAsync(r => r.Name!, r => r.Id);
        var groupIds = await db.AssignmentGroups.AsNoTracking().ToDictionaryAsync(g => g.Name, g => g.Id);
        var users = new List<IReadOnlyDictionary<string, object?>>();
        var userRoles = new List<IReadOnlyDictionary<string, object?>>();
        var memberships = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var (person, group) in engineers)
        {
            // Accounts without a password: they implement and approve in the data but cannot sign in.
            users.Add(loader.RowOf(new ItsmUser
            {
                Id = person.Id, UserName = person.UserName, NormalizedUserName = person.UserName.ToUpperInvariant(),
                Email = person.UserName + "@example.org", NormalizedEmail = (person.UserName + "@example.org").ToUpperInvariant(),
                EmailConfirmed = true, DisplayName = person.DisplayName, LockoutEnabled = true,
                SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString(),
            }));
            userRoles.Add(loader.RowOf(new IdentityUserRole<string> { UserId = person.Id, RoleId = roleIds["Engineer"] }));
            memberships.Add(loader.RowOf(new GroupMember(groupIds[group], person.Id)));
        }
        await loader.InsertAsync(typeof(ItsmUser), users, notes.Add);
        await loader.InsertAsync(typeof(IdentityUserRole<string>), userRoles, notes.Add);
        await loader.InsertAsync(typeof(GroupMember), memberships, notes.Add);
    }

    private static Dictionary<string, string> Shape(ChangeGenerator.Output o, EstateGenerator.Estate e, DateTimeOffset now)
    {
        var g = o.Generated;
        double n = g.Count;
        string Share(int count) => $"{Report.N(count)} ({count / n:P1})";
        var shape = new Dictionary<string, string>();
        foreach (var t in g.GroupBy(x => x.Type).OrderBy(x => x.Key)) shape[$"type {Change.TypeId(t.Key)}"] = Share(t.Count());
        foreach (var s in g.GroupBy(x => x.State).OrderByDescending(x => x.Count())) shape[$"state {s.Key}"] = Share(s.Count());
        foreach (var (label, lo, hi) in new[] { ("1 CI", 1, 1), ("2-3 CIs", 2, 3), ("4-10 CIs", 4, 10), ("11-99 CIs", 11, 99), ("100 CIs", 100, 100) })
            shape[$"changes on {label}"] = Share(g.Count(x => x.Cis.Length >= lo && x.Cis.Length <= hi));
        shape["affected CIs per change"] = $"mean {g.Average(x => x.Cis.Length):0.0}, median {g.Select(x => x.Cis.Length).Order().ElementAt(g.Count / 2)}";
        foreach (var c in g.GroupBy(x => EstateGenerator.ClassCodes[e.Class[x.Cis[0]]]).OrderByDescending(x => x.Count())) shape[$"changes on class {c.Key}"] = Share(c.Count());
        shape["windows"] = $"{g.Min(x => x.Start):yyyy-MM-dd} to {g.Max(x => x.End):yyyy-MM-dd}; {Share(g.Count(x => x.Start > now))} ahead";
        var hours = g.Select(x => (x.End - x.Start).TotalHours).Order().ToList();
        shape["window length"] = $"median {hours[hours.Count / 2]:0.0} h, 95th percentile {hours[(int)(hours.Count * 0.95)]:0.0} h, longest {hours[^1]:0.0} h";
        var weekendNights = g.Count(x => x.Start.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && x.Start.Hour is >= 19 and <= 23);
        shape["starting on a weekend night"] = Share(weekendNights);
        shape["implementers"] = $"{g.Where(x => x.ImplementerId is not null).Select(x => x.ImplementerId).Distinct().Count()}; the busiest 20% implement {Busiest(g):P0} of the changes";
        foreach (var s in o.Approvals.GroupBy(a => (ApprovalState)a["State"]!).OrderBy(x => x.Key)) shape[$"approvals {s.Key}"] = Report.N(s.Count());
        shape["restricted CIs in changes"] = Report.N(g.Sum(x => x.Cis.Count(ci => e.Restricted[ci])));
        return shape;
    }

    private static double Busiest(List<ChangeGenerator.Generated> g)
    {
        var counts = g.Where(x => x.ImplementerId is not null).GroupBy(x => x.ImplementerId).Select(x => x.Count()).OrderByDescending(c => c).ToList();
        return counts.Take(Math.Max(1, counts.Count / 5)).Sum() / (double)counts.Sum();
    }

    private static string Cell(Dictionary<string, object?> r, string key) => r.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture)! : "-";

    private static Dictionary<string, object?> Stats(LatencyStats s) => new()
    {
        ["samples"] = s.Count, ["p50Ms"] = s.P50, ["p95Ms"] = s.P95, ["p99Ms"] = s.P99, ["maxMs"] = s.Max, ["meanMs"] = s.Mean,
    };

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
}
