using System.Globalization;

namespace Itsm.Benchmarks;

public sealed class Options
{
    public const string Usage = """
        Itsm load benchmarks: the real app on Kestrel (loopback), driven over HTTP; figures go to benchmarks/results/.

        usage: dotnet run -c Release --project tests/Itsm.Benchmarks -- [create|queue|all] [options]
               make bench ARGS='create --provider postgres'

        scenarios
          create    POST /api/v1/incidents with bearer tokens, closed loop, against GET /health as the baseline and
                    two floors: a no-op before the app's pipeline and one durable INSERT through its unit of work
          queue     the agent queue (GET /api/v1/incidents?…, and the /Incidents page if it exists) on a
                    generated year of incidents, after an app restart
          scale     PostgreSQL only: two app instances on one database (8 clients each) against one instance,
                    measured in the same run; reports their total creation rate over one instance's
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
          --samples N                  queue: measured requests per filter (default 200)
          --analyze                    queue: also run ANALYZE on SQLite after loading (the app never does; on
                                       PostgreSQL VACUUM (ANALYZE) always runs, as autovacuum would within a minute)
          --keep-database              keep the database afterwards and print where it is (for query plans)
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
    public int Samples { get; private set; } = 200;
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
                case "create" or "queue" or "scale" or "all": o.Scenario = a; break;
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
                case "--samples": o.Samples = Positive(); break;
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
