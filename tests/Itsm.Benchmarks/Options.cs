using System.Globalization;

namespace Itsm.Benchmarks;

public sealed class Options
{
    public const string Usage = """
        Itsm load benchmarks: the real app on Kestrel (loopback), driven over HTTP; figures go to benchmarks/results/.

        usage: dotnet run -c Release --project tests/Itsm.Benchmarks -- [create|queue|scale|cmdb|cmdb-import|changes|all] [options]
               make bench ARGS='create --provider postgres'

        scenarios
          create    POST /api/v1/incidents with bearer tokens, closed loop, against GET /health as the baseline and
                    two floors: a no-op before the app's pipeline and one durable INSERT through its unit of work
          queue     the agent queue (GET /api/v1/incidents?…, and the /Incidents page if it exists) on a
                    generated year of incidents, after an app restart
          scale     PostgreSQL only: two app instances on one database (8 clients each) against one instance,
                    measured in the same run; reports their total creation rate over one instance's
          cmdb      a generated CMDB estate (default 1,000,000 CIs, ~4 relationships each, 60 days of history) bulk-
                    loaded into the CMDB tables; impact analysis from small / medium / large blast-radius start CIs with
                    the baselines: a bare breadth-first walk over CSR arrays and a depth-limited recursive CTE
          cmdb-import  a generated estate (default 100,000 CIs) as JSON documents POSTed to /api/v1/cmdb/import as the
                    engineer: the first import, a re-import of the same documents (must change nothing) and one with 1%
                    of the CIs changed; against plain INSERTs of the same rows; target 10,000 CIs/s
          changes   the generated CMDB estate (default 1,000,000 CIs) and 10,000 changes on it (types, states, windows over
                    ±3 months, 1-100 CIs each, approvals); GET /api/v1/changes/{number}/assessment for the changes on 100
                    CIs (target p99 < 50 ms), the calendar for a month (p95 < 100 ms) and the approvals inbox, against a
                    bare breadth-first walk plus the plain SQL reads of the overlapping changes, and plain SELECTs
          all       create, then queue (the default)

        options
          --provider sqlite|postgres   database (default sqlite); postgres needs ITSM_TEST_POSTGRES, e.g. from
                                       `source <(scripts/pg-test-cluster.sh start)`; a fresh database per run
          --requests N                 create: measured requests (default 20000), also used for the baseline;
                                       scale: creates per instance and run (default 5000)
          --clients N                  concurrent client loops (default 8 for create, 1 for queue)
          --warmup N                   create: requests before measuring, not counted (default 500); scale: creates
                                       per instance before measuring (default 2000)
          --idempotency-keys           create: send a unique Idempotency-Key with every request
          --incidents N                queue: generated incidents (default 100000)
          --samples N                  queue: measured requests per filter (default 200); cmdb: see below
          --analyze                    queue: also run ANALYZE on SQLite after loading (the app never does; on
                                       PostgreSQL VACUUM (ANALYZE) always runs, as autovacuum would within a minute)
          --keep-database              keep the database afterwards and print where it is (for query plans)
          --cis N                      cmdb: generated CIs (default 1000000; at least 2000); cmdb-import: default 100000
          --batch N                    cmdb-import: CIs per import document, i.e. per request (default 10000; the API takes 200000)
          --starts N                   cmdb: start CIs per blast-radius category (default 20)
          --samples N                  cmdb: bare-walk samples per category (default 1000; large: a fifth)
          --cte-depth N                cmdb: the recursive CTE's depth limit (default 20)
          --cte-samples S,M,L          cmdb: CTE samples for small, medium, large (default 20,10,1)
          --cte-timeout S              cmdb: one CTE statement's timeout in seconds (default 300)
          --cte-budget S               cmdb: CTE seconds per category after its first sample (default 120)
          --api-cis N                  cmdb: CIs whose neighbourhood the API is asked for (default 200: the start CIs and random ones)
          --api-requests N             cmdb: measured API requests per kind (default 1000)
          --changes N                  changes: generated changes (default 10000)
          --samples N                  changes: measured requests per endpoint (default 500), also for the baselines
          --sqlite-synchronous M       FULL (default, the app's default) or NORMAL
          --seed N                     data generator seed (default 20261122)
          --out DIR                    results folder (default benchmarks/results)
          --app-setting KEY=VALUE      extra app configuration, repeatable (e.g. for experiments:
                                       Serilog:MinimumLevel:Override:Microsoft.EntityFrameworkCore.Database.Command=Information)
        """;

    public string Scenario { get; private set; } = "all";
    public DbProvider Provider { get; private set; } = DbProvider.Sqlite;
    public int? RequestsGiven { get; private set; }
    public int Requests => RequestsGiven ?? 20_000;
    public int? ClientsGiven { get; private set; }
    public int? WarmupGiven { get; private set; }
    public int Warmup => WarmupGiven ?? 500;
    public bool IdempotencyKeys { get; private set; }
    public int Incidents { get; private set; } = 100_000;
    public int? SamplesGiven { get; private set; }
    public int Samples => SamplesGiven ?? 200;
    public int CmdbSamples => SamplesGiven ?? 1000;
    public int ChangeSamples => SamplesGiven ?? 500;
    public int Changes { get; private set; } = 10_000;
    public int? CisGiven { get; private set; }
    public int Cis => CisGiven ?? 1_000_000;
    public int ImportCis => CisGiven ?? 100_000;
    public int ImportBatch { get; private set; } = 10_000;
    public int Starts { get; private set; } = 20;
    public int CteDepth { get; private set; } = 20;
    public int CteSamplesSmall { get; private set; } = 20;
    public int CteSamplesMedium { get; private set; } = 10;
    public int CteSamplesLarge { get; private set; } = 1;
    public int CteTimeoutSeconds { get; private set; } = 300;
    public int CteBudgetSeconds { get; private set; } = 120;
    public int ApiCis { get; private set; } = 200;
    public int ApiRequests { get; private set; } = 1000;
    public string SqliteSynchronous { get; private set; } = "FULL";
    public int Seed { get; private set; } = 20261122;
    public string OutDirectory { get; private set; } = Path.Combine(RepoPaths.Root, "benchmarks", "results");
    public bool Help { get; private set; }
    public bool Analyze { get; private set; }
    public bool KeepDatabase { get; private set; }
    public Dictionary<string, string> AppSettings { get; } = [];

    public int ClientsFor(string scenario) => ClientsGiven ?? (scenario == "queue" ? 1 : 8);

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{a} needs a value.");
            int Positive()
            {
                var v = Value();
                return int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
                    : throw new UsageException($"{a} needs a positive whole number, not '{v}'.");
            }
            switch (a)
            {
                case "create" or "queue" or "scale" or "cmdb" or "cmdb-import" or "changes" or "all": o.Scenario = a; break;
                case "-h" or "--help": o.Help = true; break;
                case "--provider":
                    o.Provider = Value().ToLowerInvariant() switch
                    {
                        "sqlite" => DbProvider.Sqlite,
                        "postgres" or "postgresql" or "pg" => DbProvider.Postgres,
                        var p => throw new UsageException($"--provider is sqlite or postgres, not '{p}'."),
                    };
                    break;
                case "--requests": o.RequestsGiven = Positive(); break;
                case "--clients": o.ClientsGiven = Positive(); break;
                case "--warmup": o.WarmupGiven = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var w) ? w : throw new UsageException("--warmup needs a whole number."); break;
                case "--idempotency-keys": o.IdempotencyKeys = true; break;
                case "--analyze": o.Analyze = true; break;
                case "--keep-database": o.KeepDatabase = true; break;
                case "--incidents": o.Incidents = Positive(); break;
                case "--samples": o.SamplesGiven = Positive(); break;
                case "--cis": o.CisGiven = Positive(); break;
                case "--changes": o.Changes = Positive(); break;
                case "--batch": o.ImportBatch = Positive(); break;
                case "--starts": o.Starts = Positive(); break;
                case "--cte-depth": o.CteDepth = Positive(); break;
                case "--cte-timeout": o.CteTimeoutSeconds = Positive(); break;
                case "--cte-budget": o.CteBudgetSeconds = Positive(); break;
                case "--api-cis": o.ApiCis = Positive(); break;
                case "--api-requests": o.ApiRequests = Positive(); break;
                case "--cte-samples":
                    var parts = Value().Split(',');
                    if (parts.Length != 3 || !parts.All(x => int.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0))
                        throw new UsageException("--cte-samples needs three positive numbers: small,medium,large (e.g. 20,10,1).");
                    (o.CteSamplesSmall, o.CteSamplesMedium, o.CteSamplesLarge) = (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
                    break;
                case "--sqlite-synchronous":
                    var mode = Value().ToUpperInvariant();
                    o.SqliteSynchronous = mode is "FULL" or "NORMAL" ? mode : throw new UsageException("--sqlite-synchronous is FULL or NORMAL.");
                    break;
                case "--seed": o.Seed = Positive(); break;
                case "--out": o.OutDirectory = Path.GetFullPath(Value()); break;
                case "--app-setting":
                    var setting = Value();
                    var eq = setting.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0) throw new UsageException($"--app-setting needs KEY=VALUE, not '{setting}'.");
                    o.AppSettings[setting[..eq]] = setting[(eq + 1)..];
                    break;
                default: throw new UsageException($"Unknown argument '{a}'.");
            }
        }
        return o;
    }

    public string ProviderName => Provider == DbProvider.Sqlite ? "sqlite" : "postgres";
}
