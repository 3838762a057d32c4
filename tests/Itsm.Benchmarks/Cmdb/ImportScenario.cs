using System.Buffers;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Itsm.Benchmarks.Cmdb;

/// <summary>
/// Import through the API (issue 9: "at least 10,000 CIs per second with identification, and a re-import of the same
/// file changing nothing"). A generated estate (EstateGenerator) becomes JSON import documents of --batch CIs each
/// (docs/cmdb-import-format.md: a source, a native key per CI, the class's identifier attributes; relationships by
/// key, each in the document of its later end, so both ends are in this document or an earlier one). The engineer
/// POSTs them one after the other to /api/v1/cmdb/import on the app as shipped (Kestrel, bearer token), three times:
/// 1. the first import (every CI and relationship created); 2. the very same documents again (every row unchanged,
/// no changeset, no row written: counted in the database); 3. the same documents with one CI in a hundred given a
/// changed attribute (exactly those updated). Baseline in the same run: the same CI and relationship rows inserted
/// into the same tables of a second, freshly migrated database by plain parameterised INSERTs, one transaction per
/// document, the cheapest durable write of the rows without identification.
/// </summary>
public static class ImportScenario
{
    public const double TargetCisPerSecond = 10_000;
    public const string Source = "bench-discovery";
    private const string ImportPath = "/api/v1/cmdb/import";
    private const int ChangeEvery = 100;
    private const string ChangedDescription = "Changed by the benchmark's third pass";
    private static readonly string[] StatusNames = ["Planned", "Operational", "Under Maintenance", "Retired"];

    /// <summary>One import document: CIs [First, First + Count) of the estate and the relationships filed with it.</summary>
    private sealed record Batch(int First, int Count, List<int> Relationships, byte[] Document, byte[] ChangedDocument, int Changed);

    /// <summary>What the import answered for one document, and how long it took.</summary>
    private sealed record Answer(long? ChangesetId, int Created, int Updated, int Unchanged, int Rejected,
        int LinksCreated, int LinksUnchanged, int LinksRejected, string? FirstRejection, long Ticks);

    private sealed record Pass(string Name, List<Answer> Answers, TimeSpan Elapsed, Counts Before, Counts After, List<string> Failures)
    {
        public int Cis => Answers.Sum(a => a.Created + a.Updated + a.Unchanged + a.Rejected);
        public int Links => Answers.Sum(a => a.LinksCreated + a.LinksUnchanged + a.LinksRejected);
        public bool Ok => Failures.Count == 0;
    }

    /// <summary>Rows in the CMDB tables and fingerprints of the CIs' updates: a write of any kind moves one of them.</summary>
    private sealed record Counts(long Cis, long Relationships, long Changesets, long Entries, long VersionSum, long MaxUpdatedChangeset)
    {
        public override string ToString() =>
            $"{Cis:N0} CIs, {Relationships:N0} relationships, {Changesets:N0} changesets, {Entries:N0} entries, versions {VersionSum:N0}, last changeset {MaxUpdatedChangeset:N0}";
    }

    private sealed record BaselineResult(TimeSpan Elapsed, TimeSpan CiTime, TimeSpan RelationshipTime, string How);

    public static async Task<int> RunAsync(Options o)
    {
        var start = Report.Start.Now();
        var providerTitle = o.Provider == DbProvider.Sqlite ? "SQLite" : "PostgreSQL";
        Terminal.WriteLine($"cmdb-import on {o.ProviderName}: {o.ImportCis:N0} CIs in documents of {o.ImportBatch:N0}");

        // 1. Generate the estate and its documents (not timed: the client's work, done before the server is asked).
        var sw = Stopwatch.StartNew();
        var estate = new EstateGenerator(o.ImportCis, o.Seed).Generate(DateTimeOffset.UtcNow);
        var (batches, skippedRetired) = Documents(estate, o.ImportBatch);
        var totalLinks = batches.Sum(b => b.Relationships.Count);
        var totalChanged = batches.Sum(b => b.Changed);
        var bytes = batches.Sum(b => (long)b.Document.Length);
        Terminal.WriteLine($"  generated {estate.CiCount:N0} CIs and {totalLinks:N0} relationships in {batches.Count} documents ({bytes / 1048576.0:0.0} MiB of JSON) in {sw.Elapsed.TotalSeconds:0.0} s");

        using var db = new BenchDatabase(o.Provider) { Keep = o.KeepDatabase };
        var passes = new List<Pass>();
        TimeSpan warmupTime;
        using (var app = new BenchApp(db, o))
        {
            app.Start();
            var token = await Sessions.TokenAsync(app.BaseAddress, "engineer");
            using var client = Sessions.ApiClient(app.BaseAddress, token);
            client.Timeout = TimeSpan.FromMinutes(30);

            // 2. A warm-up import of a few CIs of their own (other names, other keys): the JIT and the caches, not counted.
            sw.Restart();
            var warmup = WarmupDocument(500);
            for (var k = 0; k < 2; k++) await PostAsync(client, warmup);
            warmupTime = sw.Elapsed;
            Terminal.WriteLine($"  warm-up: 500 CIs imported and re-imported in {warmupTime.TotalSeconds:0.0} s");

            // 3. The three passes.
            passes.Add(await RunPassAsync("first import", client, batches, b => b.Document, db, (b, a, f) =>
            {
                if (a.ChangesetId is null) f.Add($"CIs {b.First}-: no changeset");
                Expect(f, b, "created", a.Created, b.Count);
                Expect(f, b, "relationships created", a.LinksCreated, b.Relationships.Count);
            }, (before, after, f) =>
            {
                if (after.Cis - before.Cis != estate.CiCount) f.Add($"{after.Cis - before.Cis:N0} CIs written, not {estate.CiCount:N0}");
                if (after.Relationships - before.Relationships != totalLinks) f.Add($"{after.Relationships - before.Relationships:N0} relationships written, not {totalLinks:N0}");
                if (after.Changesets - before.Changesets != batches.Count) f.Add($"{after.Changesets - before.Changesets} changesets, not one per document ({batches.Count})");
            }));
            passes.Add(await RunPassAsync("re-import, the same documents", client, batches, b => b.Document, db, (b, a, f) =>
            {
                if (a.ChangesetId is not null) f.Add($"CIs {b.First}-: changeset {a.ChangesetId} written");
                Expect(f, b, "unchanged", a.Unchanged, b.Count);
                Expect(f, b, "relationships unchanged", a.LinksUnchanged, b.Relationships.Count);
            }, (before, after, f) =>
            {
                if (after != before) f.Add($"the database changed: before {before}; after {after}");
            }));
            passes.Add(await RunPassAsync($"re-import, 1 CI in {ChangeEvery} changed", client, batches, b => b.ChangedDocument, db, (b, a, f) =>
            {
                Expect(f, b, "updated", a.Updated, b.Changed);
                Expect(f, b, "unchanged", a.Unchanged, b.Count - b.Changed);
                Expect(f, b, "relationships unchanged", a.LinksUnchanged, b.Relationships.Count);
                if ((a.ChangesetId is null) != (b.Changed == 0)) f.Add($"CIs {b.First}-: changeset {a.ChangesetId?.ToString(CultureInfo.InvariantCulture) ?? "none"} for {b.Changed} changed CIs");
            }, (before, after, f) =>
            {
                if (after.Cis != before.Cis || after.Relationships != before.Relationships) f.Add($"rows added: before {before}; after {after}");
                if (after.VersionSum - before.VersionSum != totalChanged) f.Add($"CI versions went up by {after.VersionSum - before.VersionSum:N0}, not {totalChanged:N0}");
                if (after.Entries - before.Entries != totalChanged) f.Add($"{after.Entries - before.Entries:N0} change entries, not one per changed CI ({totalChanged:N0})");
            }));
        }
        db.ClearPools();

        // 4. The baseline on a second database the app has migrated (and seeded, as the first): the same rows, plain INSERTs.
        BaselineResult baseline;
        string baselineDescription;
        using (var baseDb = new BenchDatabase(o.Provider))
        {
            using (var app = new BenchApp(baseDb, o)) app.Start();
            baseDb.ClearPools();
            baselineDescription = baseDb.Description;
            baseline = await BaselineAsync(o, baseDb, estate, batches);
            Terminal.WriteLine($"  baseline: {estate.CiCount:N0} CIs and {totalLinks:N0} relationships inserted in {baseline.Elapsed.TotalSeconds:0.00} s ({estate.CiCount / baseline.Elapsed.TotalSeconds:N0} CIs/s; CIs {baseline.CiTime.TotalSeconds:0.00} s, relationships {baseline.RelationshipTime.TotalSeconds:0.00} s)");
        }

        // 5. Results.
        var first = passes[0];
        var firstRate = first.Cis / first.Elapsed.TotalSeconds;
        var reRate = passes[1].Cis / passes[1].Elapsed.TotalSeconds;
        var command = $"make bench ARGS='cmdb-import{(o.Provider == DbProvider.Postgres ? " --provider postgres" : "")}{(o.ImportCis != 100_000 ? $" --cis {o.ImportCis}" : "")}{(o.ImportBatch != 10_000 ? $" --batch {o.ImportBatch}" : "")}{(o.Seed != 20261122 ? $" --seed {o.Seed}" : "")}'";
        var report = new Report(start, "cmdb-import", o.ProviderName, $"CMDB import through the API, {o.ImportCis:N0} CIs, {providerTitle}",
            new Dictionary<string, object?>
            {
                ["scenario"] = "cmdb-import: a generated estate as JSON import documents POSTed one after the other to /api/v1/cmdb/import as the engineer (bearer token), three passes; plain INSERTs of the same rows as the baseline",
                ["provider"] = o.Provider == DbProvider.Sqlite ? $"SQLite (WAL, synchronous={o.SqliteSynchronous}, as the app)" : "PostgreSQL (fresh database)",
                ["database server"] = db.ServerVersion(),
                ["CIs"] = estate.CiCount,
                ["relationships"] = $"{totalLinks:N0} (the estate's live ones; {skippedRetired:N0} with a retired end left out: a retired CI takes no new relationships)",
                ["documents"] = $"{batches.Count} of {o.ImportBatch:N0} CIs (and the relationships whose later end is among them), {bytes / 1048576.0:0.0} MiB of JSON in all, {batches.Max(b => b.Document.Length) / 1048576.0:0.0} MiB the largest",
                ["identification"] = $"source '{Source}' and a native key per CI (class/name), and the class's identifiers (name, hostname or instance-name) in every row",
                ["third pass"] = $"every {ChangeEvery}th CI with a changed attribute (description): {totalChanged:N0} CIs",
                ["client"] = "one HttpClient, one document at a time (a relationship's ends must be imported before it); the documents serialised before the first request",
                ["warm-up"] = $"500 CIs of their own imported twice before the first pass ({warmupTime.TotalSeconds:0.0} s), not counted",
                ["seed"] = o.Seed,
            });

        report.Heading("Target");
        report.Paragraph($"Issue 9: at least {TargetCisPerSecond:N0} CIs per second with identification, and a re-import of the same file changing nothing.");
        report.Table(["target", "measured", ""],
        [
            [$"first import ≥ {TargetCisPerSecond:N0} CIs/s", $"{Report.N(firstRate)} CIs/s", firstRate >= TargetCisPerSecond ? "met" : "MISSED"],
            [$"re-import of the same documents ≥ {TargetCisPerSecond:N0} CIs/s", $"{Report.N(reRate)} CIs/s", reRate >= TargetCisPerSecond ? "met" : "MISSED"],
            ["re-import changes nothing (every row unchanged, no changeset, no row written)", passes[1].Ok ? "nothing changed" : string.Join("; ", passes[1].Failures.Take(3)), passes[1].Ok ? "met" : "MISSED"],
            ["third pass updates exactly the changed CIs", passes[2].Ok ? $"{Report.N(passes[2].Answers.Sum(a => a.Updated))} updated" : string.Join("; ", passes[2].Failures.Take(3)), passes[2].Ok ? "met" : "MISSED"],
        ]);
        report.Paragraph($"Reproduce: `{command}`{(o.Provider == DbProvider.Postgres ? " after `source <(scripts/pg-test-cluster.sh start)`" : "")}.");

        report.Heading("Passes");
        report.Paragraph("End to end: from the first request sent to the last answer read, all documents one after the other. CIs/s counts the CI rows of the documents over that time (their relationships are in the same requests); rows/s counts both.");
        var rows = passes.Select(p =>
        {
            var stats = new LatencyStats(p.Answers.Select(a => a.Ticks));
            return (IReadOnlyList<string>)
            [
                p.Name, Report.N(p.Cis), Report.N(p.Links), p.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
                Report.N(p.Cis / p.Elapsed.TotalSeconds), Report.N(p.Links / p.Elapsed.TotalSeconds), Report.N((p.Cis + p.Links) / p.Elapsed.TotalSeconds),
                Report.Ms(stats.P50), Report.Ms(stats.Max),
                $"{Report.N(p.Answers.Sum(a => a.Created))} / {Report.N(p.Answers.Sum(a => a.Updated))} / {Report.N(p.Answers.Sum(a => a.Unchanged))} / {Report.N(p.Answers.Sum(a => a.Rejected))}",
                $"{Report.N(p.Answers.Sum(a => a.LinksCreated))} / {Report.N(p.Answers.Sum(a => a.LinksUnchanged))} / {Report.N(p.Answers.Sum(a => a.LinksRejected))}",
                (p.Before == p.After ? "nothing written" : $"+{Report.N(p.After.Cis - p.Before.Cis)} CIs, +{Report.N(p.After.Relationships - p.Before.Relationships)} rels, +{Report.N(p.After.Changesets - p.Before.Changesets)} changesets, +{Report.N(p.After.Entries - p.Before.Entries)} entries")
                + (p.Ok ? "; as expected" : "; NOT as expected"),
            ];
        }).ToList();
        var baselineRate = estate.CiCount / baseline.Elapsed.TotalSeconds;
        rows.Add(
        [
            "baseline: plain INSERTs of the same rows", Report.N(estate.CiCount), Report.N(totalLinks), baseline.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
            Report.N(baselineRate), Report.N(totalLinks / baseline.Elapsed.TotalSeconds), Report.N((estate.CiCount + totalLinks) / baseline.Elapsed.TotalSeconds),
            "-", "-", "-", "-", "written",
        ]);
        report.Table(["pass", "CIs", "relationships", "seconds", "CIs/s", "relationships/s", "rows/s", "request p50 ms", "request max ms",
            "CIs created / updated / unchanged / rejected", "relationships created / unchanged / rejected", "database"], rows);
        report.Paragraph($"The first import took {first.Elapsed.TotalSeconds / baseline.Elapsed.TotalSeconds:0.0}x the baseline's time (the product at {firstRate / baselineRate:P0} of the baseline's rate); the re-import {passes[1].Elapsed.TotalSeconds / baseline.Elapsed.TotalSeconds:0.0}x. "
                         + "The product writes more than the baseline for the same rows: a change entry per CI and per relationship, a changeset per document, and it identifies every row first (by key, then by identity) and checks every relationship's ends and type.");
        report.Paragraph($"Baseline: {baseline.How}; CIs {baseline.CiTime.TotalSeconds:0.00} s, relationships {baseline.RelationshipTime.TotalSeconds:0.00} s, on {baselineDescription.Split(' ')[0]} (a second database, migrated and seeded by the app as the first).");
        foreach (var p in passes.Where(p => !p.Ok))
            report.Paragraph($"**{p.Name}: not as expected.** " + string.Join("; ", p.Failures.Take(10)) + (p.Failures.Count > 10 ? $" (and {p.Failures.Count - 10} more)" : ""));

        report.Heading("Requests");
        report.Table(["document", "CIs", "relationships", ..passes.Select(p => p.Name + " ms")],
            batches.Select((b, i) => (IReadOnlyList<string>)
            [
                (i + 1).ToString(CultureInfo.InvariantCulture), Report.N(b.Count), Report.N(b.Relationships.Count),
                ..passes.Select(p => Report.Ms(p.Answers[i].Ticks * 1000.0 / Stopwatch.Frequency)),
            ]));

        foreach (var p in passes)
            report.Result(p.Name, new Dictionary<string, object?>
            {
                ["cis"] = p.Cis, ["relationships"] = p.Links, ["seconds"] = p.Elapsed.TotalSeconds, ["cisPerSecond"] = p.Cis / p.Elapsed.TotalSeconds,
                ["relationshipsPerSecond"] = p.Links / p.Elapsed.TotalSeconds, ["requestMs"] = p.Answers.Select(a => a.Ticks * 1000.0 / Stopwatch.Frequency).ToList(),
                ["created"] = p.Answers.Sum(a => a.Created), ["updated"] = p.Answers.Sum(a => a.Updated), ["unchanged"] = p.Answers.Sum(a => a.Unchanged),
                ["rejected"] = p.Answers.Sum(a => a.Rejected), ["relationshipsCreated"] = p.Answers.Sum(a => a.LinksCreated),
                ["relationshipsUnchanged"] = p.Answers.Sum(a => a.LinksUnchanged), ["relationshipsRejected"] = p.Answers.Sum(a => a.LinksRejected),
                ["before"] = p.Before.ToString(), ["after"] = p.After.ToString(), ["failures"] = p.Failures,
            });
        report.Result("baseline", new Dictionary<string, object?>
        {
            ["seconds"] = baseline.Elapsed.TotalSeconds, ["ciSeconds"] = baseline.CiTime.TotalSeconds, ["relationshipSeconds"] = baseline.RelationshipTime.TotalSeconds,
            ["cisPerSecond"] = baselineRate, ["how"] = baseline.How,
        });
        report.Result("targetCisPerSecond", TargetCisPerSecond);
        report.Result("firstImportMet", firstRate >= TargetCisPerSecond);
        report.Result("reImportMet", reRate >= TargetCisPerSecond && passes[1].Ok);
        report.Result("command", command);
        var (md, json) = report.Write(o.OutDirectory, new Dictionary<string, object?> { ["database"] = db.ServerVersion() });
        Terminal.WriteLine($"  results: {md}\n           {json}");
        return passes.All(p => p.Ok) ? 0 : 1;
    }

    private static void Expect(List<string> failures, Batch b, string what, int got, int expected)
    {
        if (got != expected) failures.Add($"CIs {b.First}-{b.First + b.Count - 1}: {what} {got}, not {expected}");
    }

    private static async Task<Pass> RunPassAsync(string name, HttpClient client, List<Batch> batches, Func<Batch, byte[]> document, BenchDatabase db,
        Action<Batch, Answer, List<string>> checkAnswer, Action<Counts, Counts, List<string>> checkDatabase)
    {
        var before = await CountAsync(db);
        var failures = new List<string>();
        var answers = new List<Answer>();
        var sw = Stopwatch.StartNew();
        foreach (var b in batches) answers.Add(await PostAsync(client, document(b)));
        var elapsed = sw.Elapsed;
        var after = await CountAsync(db);
        for (var i = 0; i < batches.Count; i++)
        {
            var a = answers[i];
            if (a.Rejected + a.LinksRejected > 0) failures.Add($"CIs {batches[i].First}-: {a.Rejected} CI and {a.LinksRejected} relationship rows rejected, e.g. {a.FirstRejection}");
            checkAnswer(batches[i], a, failures);
        }
        checkDatabase(before, after, failures);
        var cis = answers.Sum(a => a.Created + a.Updated + a.Unchanged + a.Rejected);
        Terminal.WriteLine($"  {name}: {cis:N0} CIs, {answers.Sum(a => a.LinksCreated + a.LinksUnchanged + a.LinksRejected):N0} relationships in {elapsed.TotalSeconds:0.00} s = {cis / elapsed.TotalSeconds:N0} CIs/s; "
                           + $"created {answers.Sum(a => a.Created):N0}, updated {answers.Sum(a => a.Updated):N0}, unchanged {answers.Sum(a => a.Unchanged):N0}, rejected {answers.Sum(a => a.Rejected):N0}"
                           + (failures.Count == 0 ? "; as expected" : $"; NOT AS EXPECTED: {string.Join("; ", failures.Take(3))}"));
        return new Pass(name, answers, elapsed, before, after, failures);
    }

    private static async Task<Answer> PostAsync(HttpClient client, byte[] document)
    {
        using var content = new ByteArrayContent(document);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var t0 = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync(ImportPath, content);
        var body = await response.Content.ReadAsStringAsync();
        var ticks = Stopwatch.GetTimestamp() - t0;
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"POST {ImportPath}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 2000)]}");
        using var json = JsonDocument.Parse(body);
        var r = json.RootElement;
        var links = r.GetProperty("relationships");
        var rejections = r.GetProperty("rejections");
        return new Answer(
            r.GetProperty("changesetId").ValueKind == JsonValueKind.Null ? null : r.GetProperty("changesetId").GetInt64(),
            r.GetProperty("created").GetInt32(), r.GetProperty("updated").GetInt32(), r.GetProperty("unchanged").GetInt32(), r.GetProperty("rejected").GetInt32(),
            links.GetProperty("created").GetInt32(), links.GetProperty("unchanged").GetInt32(), links.GetProperty("rejected").GetInt32(),
            rejections.GetArrayLength() > 0 ? rejections[0].GetRawText() : null, ticks);
    }

    private static async Task<Counts> CountAsync(BenchDatabase db)
    {
        await using var conn = Open(db.Provider, db.ConnectionString);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            SELECT (SELECT COUNT(*) FROM configuration_items), (SELECT COUNT(*) FROM relationships), (SELECT COUNT(*) FROM cmdb_changesets),
                   (SELECT COUNT(*) FROM cmdb_change_entries), (SELECT COALESCE(SUM("Version"), 0) FROM configuration_items),
                   (SELECT COALESCE(MAX("UpdatedChangesetId"), 0) FROM configuration_items)
            """;
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        long L(int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
        return new Counts(L(0), L(1), L(2), L(3), L(4), L(5));
    }

    private static DbConnection Open(DbProvider provider, string connectionString)
    {
        DbConnection conn = provider == DbProvider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        conn.Open();
        return conn;
    }

    private static string Key(EstateGenerator.Estate e, int ci) => EstateGenerator.ClassCodes[e.Class[ci]] + "/" + e.Name(ci);

    /// <summary>
    /// The documents: CIs in estate order (infrastructure first, services last), --batch a document; each live
    /// relationship in the document of its later end. Relationships with a retired end are left out.
    /// </summary>
    private static (List<Batch> Batches, int SkippedRetired) Documents(EstateGenerator.Estate e, int size)
    {
        var count = (e.CiCount + size - 1) / size;
        var links = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        var rels = e.Relationships;
        var skipped = 0;
        for (var r = 0; r < rels.Count; r++)
        {
            if (rels.DeletedChangeset[r] >= 0) continue;
            if (e.Status[rels.Source[r]] == EstateGenerator.Retired || e.Status[rels.Target[r]] == EstateGenerator.Retired) { skipped++; continue; }
            links[Math.Max(rels.Source[r], rels.Target[r]) / size].Add(r);
        }
        var batches = new List<Batch>();
        for (var k = 0; k < count; k++)
        {
            var first = k * size;
            var n = Math.Min(size, e.CiCount - first);
            var changed = Enumerable.Range(first, n).Count(ci => ci % ChangeEvery == 0);
            batches.Add(new Batch(first, n, links[k], Write(e, first, n, links[k], changes: false), Write(e, first, n, links[k], changes: true), changed));
        }
        return (batches, skipped);
    }

    private static byte[] Write(EstateGenerator.Estate e, int first, int count, List<int> links, bool changes)
    {
        var buffer = new ArrayBufferWriter<byte>(count * 400 + links.Count * 100);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("source", Source);
            w.WriteString("reason", $"Discovery run (benchmark), CIs {first + 1}-{first + count}");
            w.WriteStartArray("cis");
            for (var ci = first; ci < first + count; ci++)
            {
                w.WriteStartObject();
                w.WriteString("key", Key(e, ci));
                w.WriteString("class", EstateGenerator.ClassCodes[e.Class[ci]]);
                w.WriteString("name", e.Name(ci));
                w.WriteString("status", StatusNames[e.Status[ci]]);
                w.WriteString("environment", EstateGenerator.Environments[e.Environment[ci]]);
                w.WriteNumber("criticality", e.Criticality[ci]);
                if (e.RedundancyNeeded[ci] >= 0)
                    w.WriteString("redundancy", e.RedundancyIsPercent[ci] ? $"{e.RedundancyNeeded[ci]}%" : $"needs {e.RedundancyNeeded[ci]}");
                w.WriteStartObject("attributes");
                using (var attributes = JsonDocument.Parse(e.Attributes(ci)))
                    foreach (var a in attributes.RootElement.EnumerateObject())
                        if (a.Name is "port" or "units") w.WriteNumber(a.Name, int.Parse(a.Value.GetString()!, CultureInfo.InvariantCulture));
                        else w.WriteString(a.Name, a.Value.GetString());
                if (changes && ci % ChangeEvery == 0) w.WriteString("description", ChangedDescription);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("relationships");
            foreach (var r in links)
            {
                w.WriteStartObject();
                w.WriteString("source", Key(e, e.Relationships.Source[r]));
                w.WriteString("type", EstateGenerator.TypeCodes[e.Relationships.Type[r]]);
                w.WriteString("target", Key(e, e.Relationships.Target[r]));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Locations containing racks, named apart from the estate's, under a source of their own.</summary>
    private static byte[] WarmupDocument(int cis)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("source", "bench-warmup");
            w.WriteStartArray("cis");
            for (var k = 0; k < cis; k++)
            {
                w.WriteStartObject();
                w.WriteString("key", $"w-{k}");
                w.WriteString("class", k % 2 == 0 ? "location" : "rack");
                w.WriteString("name", $"warm-up {(k % 2 == 0 ? "site" : "rack")} {k:D4}");
                w.WriteStartObject("attributes");
                if (k % 2 == 1) w.WriteNumber("units", 42);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("relationships");
            for (var k = 1; k < cis; k += 2)
            {
                w.WriteStartObject();
                w.WriteString("source", $"w-{k - 1}");
                w.WriteString("type", "contains");
                w.WriteString("target", $"w-{k}");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The same CI and relationship rows as the first import, written to the same tables by plain parameterised
    /// single-row INSERTs with explicit ids (no identification, no change entries): a changeset, the document's CIs,
    /// then its relationships, in one transaction per document, committed as the app commits (SQLite: WAL and the app's
    /// synchronous mode; PostgreSQL: a durable commit). On SQLite one prepared command per table, on PostgreSQL the
    /// INSERTs sent in batches of 1,000 (one round trip each, as EF Core batches its own).
    /// </summary>
    private static async Task<BaselineResult> BaselineAsync(Options o, BenchDatabase db, EstateGenerator.Estate e, List<Batch> batches)
    {
        await using var conn = Open(db.Provider, db.ConnectionString);
        long Max(string table)
        {
            using var cmd = conn.CreateCommand();
            cmd.CommandText = $"""SELECT COALESCE(MAX("Id"), 0) FROM {table}""";
            return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
        var ciBase = Max("configuration_items");
        var relBase = Max("relationships");
        var csBase = Max("cmdb_changesets");
        if (db.Provider == DbProvider.Sqlite)
            await EstateLoader.ExecAsync(conn, $"PRAGMA synchronous={o.SqliteSynchronous}");

        // The rows' values, made before the clock starts.
        var now = DateTimeOffset.UtcNow;
        object at = db.Provider == DbProvider.Sqlite ? EstateLoaderTime(now) : now.UtcDateTime;
        object?[] CiRow(int ci, long changeset)
        {
            var name = e.Name(ci);
            using var attributes = JsonDocument.Parse(e.Attributes(ci));
            var sources = "{" + string.Join(",", attributes.RootElement.EnumerateObject().Select(a => $"\"{a.Name}\":\"{Source}\"")) + "}";
            return
            [
                ciBase + ci + 1, EstateGenerator.ClassCodes[e.Class[ci]], name, (int)e.Status[ci], EstateGenerator.Environments[e.Environment[ci]], (int)e.Criticality[ci],
                null, null, false, e.RedundancyNeeded[ci] >= 0 ? (int)e.RedundancyNeeded[ci] : null, e.RedundancyIsPercent[ci], e.Attributes(ci), sources,
                Source, Key(e, ci), e.IdentityKey(ci), at, changeset, at, changeset, 1,
            ];
        }
        var ciRows = batches.Select((b, k) => Enumerable.Range(b.First, b.Count).Select(ci => CiRow(ci, csBase + k + 1)).ToList()).ToList();
        var offsets = new long[batches.Count];
        for (var k = 1; k < batches.Count; k++) offsets[k] = offsets[k - 1] + batches[k - 1].Relationships.Count;
        var relRows = batches.Select((b, k) => b.Relationships.Select((r, j) => (object?[])
        [
            relBase + offsets[k] + j + 1, EstateGenerator.TypeCodes[e.Relationships.Type[r]],
            ciBase + e.Relationships.Source[r] + 1, ciBase + e.Relationships.Target[r] + 1, at, csBase + k + 1, null, null,
        ]).ToList()).ToList();

        string[] ciColumns =
        [
            "Id", "ClassCode", "Name", "Status", "Environment", "Criticality", "OwnerGroupId", "SupportGroupId", "Restricted", "RedundancyNeeded",
            "RedundancyIsPercent", "Attributes", "AttributeSources", "Source", "NativeKey", "IdentityKey", "CreatedAt", "CreatedChangesetId",
            "UpdatedAt", "UpdatedChangesetId", "Version",
        ];
        string[] relColumns = ["Id", "TypeCode", "SourceId", "TargetId", "CreatedAt", "CreatedChangesetId", "DeletedAt", "DeletedChangesetId"];
        string[] csColumns = ["Id", "At", "ActorId", "ActorName", "Reason", "ChangeNumber", "Source"];

        TimeSpan ciTime = TimeSpan.Zero, relTime = TimeSpan.Zero;
        var total = Stopwatch.StartNew();
        for (var k = 0; k < batches.Count; k++)
        {
            await using var tx = await conn.BeginTransactionAsync();
            var t0 = Stopwatch.GetTimestamp();
            using (var cs = Inserter.For(conn, tx, "cmdb_changesets", csColumns))
            {
                cs.Add([csBase + k + 1, at, "bench-baseline", "Baseline (benchmark)", "Baseline insert", null, Source]);
                await cs.FlushAsync();
            }
            using (var cis = Inserter.For(conn, tx, "configuration_items", ciColumns))
            {
                foreach (var row in ciRows[k]) await cis.AddAsync(row);
                await cis.FlushAsync();
            }
            var t1 = Stopwatch.GetTimestamp();
            using (var links = Inserter.For(conn, tx, "relationships", relColumns))
            {
                foreach (var row in relRows[k]) await links.AddAsync(row);
                await links.FlushAsync();
            }
            var t2 = Stopwatch.GetTimestamp();
            await tx.CommitAsync();
            var t3 = Stopwatch.GetTimestamp();
            // The commit (the fsync) goes half to each: both kinds of row are in it.
            ciTime += Stopwatch.GetElapsedTime(t0, t1) + Stopwatch.GetElapsedTime(t2, t3) / 2;
            relTime += Stopwatch.GetElapsedTime(t1, t2) + Stopwatch.GetElapsedTime(t2, t3) / 2;
        }
        var elapsed = total.Elapsed;
        var how = db.Provider == DbProvider.Sqlite
            ? $"one prepared single-row INSERT per table, its parameters reused, one transaction per document ({batches.Count}), synchronous={o.SqliteSynchronous}"
            : $"single-row parameterised INSERTs sent 1,000 to a round trip (NpgsqlBatch), one transaction per document ({batches.Count})";
        return new BaselineResult(elapsed, ciTime, relTime, how);
    }

    /// <summary>The app's SQLite mapping of DateTimeOffset, as the estate loader writes it.</summary>
    private static long EstateLoaderTime(DateTimeOffset v) =>
        (long)new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(v)!;

    /// <summary>Single-row INSERTs into one table: SQLite one prepared command; PostgreSQL 1,000 commands to a batch.</summary>
    private abstract class Inserter : IDisposable
    {
        public static Inserter For(DbConnection conn, DbTransaction tx, string table, string[] columns) =>
            conn is SqliteConnection s ? new SqliteInserter(s, (SqliteTransaction)tx, table, columns) : new PgInserter((NpgsqlConnection)conn, (NpgsqlTransaction)tx, table, columns);

        protected static string Sql(string table, string[] columns, Func<int, string> parameter) =>
            $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) VALUES ({string.Join(", ", columns.Select((_, i) => parameter(i)))})";

        public void Add(object?[] row) => AddAsync(row).GetAwaiter().GetResult();
        public abstract Task AddAsync(object?[] row);
        public abstract Task FlushAsync();
        public abstract void Dispose();
    }

    private sealed class SqliteInserter : Inserter
    {
        private readonly SqliteCommand _cmd;
        private readonly SqliteParameter[] _p;

        public SqliteInserter(SqliteConnection conn, SqliteTransaction tx, string table, string[] columns)
        {
            _cmd = conn.CreateCommand();
            _cmd.Transaction = tx;
            _cmd.CommandText = Sql(table, columns, i => "$p" + i);
            _p = columns.Select((_, i) => _cmd.Parameters.Add(new SqliteParameter("$p" + i, null))).ToArray();
            _cmd.Prepare();
        }

        public override Task AddAsync(object?[] row)
        {
            for (var i = 0; i < row.Length; i++) _p[i].Value = row[i] ?? DBNull.Value;
            _cmd.ExecuteNonQuery();
            return Task.CompletedTask;
        }

        public override Task FlushAsync() => Task.CompletedTask;
        public override void Dispose() => _cmd.Dispose();
    }

    private sealed class PgInserter(NpgsqlConnection conn, NpgsqlTransaction tx, string table, string[] columns) : Inserter
    {
        private const int PerRoundTrip = 1000;
        private readonly string _sql = Sql(table, columns, i => "$" + (i + 1));
        private NpgsqlBatch _batch = new(conn, tx);

        public override async Task AddAsync(object?[] row)
        {
            var cmd = new NpgsqlBatchCommand(_sql);
            foreach (var v in row) cmd.Parameters.Add(new NpgsqlParameter { Value = v ?? DBNull.Value });
            _batch.BatchCommands.Add(cmd);
            if (_batch.BatchCommands.Count >= PerRoundTrip) await FlushAsync();
        }

        public override async Task FlushAsync()
        {
            if (_batch.BatchCommands.Count == 0) return;
            await _batch.ExecuteNonQueryAsync();
            _batch.Dispose();
            _batch = new NpgsqlBatch(conn, tx);
        }

        public override void Dispose() => _batch.Dispose();
    }
}
