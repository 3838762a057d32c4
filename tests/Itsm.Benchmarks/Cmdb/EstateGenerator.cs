using System.Globalization;

namespace Itsm.Benchmarks.Cmdb;

/// <summary>
/// A generated CMDB estate of realistic layered shape, deterministic for a seed. CIs are numbered 0..N-1 here (the
/// loader adds the id offset); relationships and changesets likewise. Only the class and relationship type codes of
/// seed-data/reference/cmdb-classes.yaml and cmdb-relationship-types.yaml are used, each between classes its type
/// allows:
///
///   business-service  depends-on  application            (1-3 services per application)
///   application       depends-on  application-component  (every component of the application)
///   component         depends-on  component              (tier 0 → tier 1 → tier 2 in the same application, 1-4
///                                                          each; a few tier 2 → tier 0 back edges make cycles;
///                                                          some tier 1 components use a shared platform component)
///   component         depends-on  database               (tier 2: 2 of the application's own databases; tier 1:
///                                                          half of them one; half of tier 2 also a shared database
///                                                          drawn heavy-tailed, so a few are used by thousands)
///   database          depends-on  database-instance      (1-2: primary, replica)
///   component, database-instance  runs-on  virtual-machine
///   virtual-machine   runs-on     cluster                (hypervisor clusters, "needs N-1 of N" or "50%")
///   hypervisor-host   member-of   cluster
///   rack              contains    hypervisor-host, network-device, storage
///   location          contains    rack
///   hypervisor-host   connects-to network-device (2 core switches) and storage (1 array)
///   virtual-machine   connects-to network-device (2 DNS servers); half of them also storage
///
/// History: about 1% of the relationships were deleted in the last 60 days; half of those were moved (re-created at
/// once to another target of the same kind), half re-created with the same ends 1-10 days later. Every write is in a
/// changeset: the initial discovery loads 90 to 61 days ago, then small changesets for the moves and re-creations.
/// </summary>
public sealed class EstateGenerator
{
    public static readonly string[] ClassCodes =
    [
        "business-service", "application", "application-component", "database", "database-instance", "virtual-machine",
        "hypervisor-host", "cluster", "network-device", "storage", "rack", "location",
    ];

    public const byte BusinessService = 0, Application = 1, Component = 2, Database = 3, DatabaseInstance = 4, VirtualMachine = 5,
        HypervisorHost = 6, Cluster = 7, NetworkDevice = 8, Storage = 9, Rack = 10, Location = 11;

    public static readonly string[] TypeCodes = ["depends-on", "runs-on", "member-of", "connects-to", "contains"];
    public const byte DependsOn = 0, RunsOn = 1, MemberOf = 2, ConnectsTo = 3, Contains = 4;

    /// <summary>CiStatus in the domain: Planned 0, Operational 1, Under maintenance 2, Retired 3.</summary>
    public const byte Planned = 0, Operational = 1, UnderMaintenance = 2, Retired = 3;

    public static readonly string[] Environments = ["Production", "Staging", "Test", "Development", "Disaster Recovery"];

    public sealed class Estate
    {
        public required int CiCount { get; init; }
        public required DateTimeOffset Now { get; init; }

        // CIs, struct of arrays, index = CI number.
        public required byte[] Class { get; init; }
        public required int[] Ordinal { get; init; }          // number within its class, for names
        public required byte[] Status { get; init; }
        public required byte[] Criticality { get; init; }
        public required byte[] Environment { get; init; }
        public required bool[] Restricted { get; init; }
        public required short[] RedundancyNeeded { get; init; } // -1: none
        public required bool[] RedundancyIsPercent { get; init; }
        public required byte[] Role { get; init; }             // network-device: 0 core switch, 1 dns
        public required int[] CiChangeset { get; init; }

        // Relationships.
        public required RelationshipList Relationships { get; init; }

        // Changesets (index = changeset number).
        public required List<Changeset> Changesets { get; init; }

        // What the history changesets did (relationship-created / relationship-deleted entries).
        public required List<(int Changeset, int Relationship, bool Created)> Entries { get; init; }

        public required Dictionary<string, int> Counts { get; init; }
        public required Dictionary<string, string> Notes { get; init; }

        public string Name(int ci) => Class[ci] switch
        {
            BusinessService => $"Business service {Ordinal[ci] + 1:D4}",
            Application => $"app-{Ordinal[ci] + 1:D5}",
            Component => $"cmp-{Ordinal[ci] + 1:D6}",
            Database => $"db-{Ordinal[ci] + 1:D5}",
            DatabaseInstance => $"dbi-{Ordinal[ci] + 1:D5}",
            VirtualMachine => $"vm-{Ordinal[ci] + 1:D6}",
            HypervisorHost => $"hv-{Ordinal[ci] + 1:D5}",
            Cluster => $"hvc-{Ordinal[ci] + 1:D4}",
            NetworkDevice => Role[ci] == 0 ? $"core-sw-{Ordinal[ci] + 1:D2}" : $"dns-{Ordinal[ci] + 1:D2}",
            Storage => $"san-{Ordinal[ci] + 1:D2}",
            Rack => $"rack-{Ordinal[ci] + 1:D4}",
            Location => $"dc-{Ordinal[ci] + 1:D2}",
            _ => throw new InvalidOperationException(),
        };

        /// <summary>The attributes JSON (the class's required attributes and a few more), strings only.</summary>
        public string Attributes(int ci)
        {
            var n = Ordinal[ci];
            var name = Name(ci);
            return Class[ci] switch
            {
                BusinessService => $$"""{"service-hours":"{{(n % 3 == 0 ? "business hours" : "24x7")}}"}""",
                Application => $$"""{"version":"{{1 + n % 7}}.{{n % 10}}"}""",
                Component => $$"""{"component-kind":"{{ComponentKinds[n % ComponentKinds.Length]}}","port":"{{8000 + n % 1000}}"}""",
                Database => $$"""{"engine":"{{Engines[n % Engines.Length]}}"}""",
                DatabaseInstance => $$"""{"instance-name":"{{name}}","port":"{{5432 + n % 3}}"}""",
                VirtualMachine or HypervisorHost => $$"""{"hostname":"{{name}}","operating-system":"{{(Class[ci] == HypervisorHost ? "ESXi" : n % 5 == 0 ? "Windows" : "Linux")}}"}""",
                Cluster => """{"cluster-kind":"hypervisor"}""",
                NetworkDevice => $$"""{"hostname":"{{name}}","device-role":"{{(Role[ci] == 0 ? "core switch" : "dns")}}"}""",
                Storage => """{"storage-kind":"SAN array"}""",
                Rack => """{"units":"42"}""",
                Location => """{"location-kind":"data centre"}""",
                _ => "{}",
            };
        }

        /// <summary>As the domain computes it (CiValidation.IdentityKey): the identifier-owning class, then the lower-cased identifier values.</summary>
        public string IdentityKey(int ci) => Class[ci] switch
        {
            VirtualMachine or HypervisorHost => "server\u001f" + Name(ci),
            DatabaseInstance => "database-instance\u001f" + Name(ci),
            NetworkDevice => "network-device\u001f" + Name(ci),
            _ => ClassCodes[Class[ci]] + "\u001f" + Name(ci).ToLowerInvariant(),
        };

        public IEnumerable<int> OfClass(byte cls)
        {
            for (var i = 0; i < CiCount; i++)
                if (Class[i] == cls) yield return i;
        }
    }

    public sealed record Changeset(DateTimeOffset At, string Reason);

    private static readonly string[] ComponentKinds = ["service", "gateway", "web", "worker", "cache", "message-queue"];
    private static readonly string[] Engines = ["PostgreSQL", "MySQL", "SQL Server", "Oracle", "MongoDB", "Redis"];

    /// <summary>Growable struct-of-arrays list of relationships; a set of (source, target, type) keeps the live ones unique.</summary>
    public sealed class RelationshipList(int ciCount, int capacity)
    {
        public int[] Source = new int[capacity];
        public int[] Target = new int[capacity];
        public byte[] Type = new byte[capacity];
        public int[] CreatedChangeset = new int[capacity];
        public int[] DeletedChangeset = new int[capacity]; // -1: alive
        public int Count;
        private readonly HashSet<long> _live = new(capacity);

        private long Key(int s, int t, byte type) => ((long)s * ciCount + t) * 8 + type;

        public bool IsLive(int s, int t, byte type) => _live.Contains(Key(s, t, type));

        /// <summary>Adds a live relationship unless one with the same ends and type is alive; returns its number or -1.</summary>
        public int TryAdd(int s, int t, byte type, int changeset)
        {
            if (s == t || !_live.Add(Key(s, t, type))) return -1;
            if (Count == Source.Length)
            {
                var n = Count * 2;
                Array.Resize(ref Source, n); Array.Resize(ref Target, n); Array.Resize(ref Type, n);
                Array.Resize(ref CreatedChangeset, n); Array.Resize(ref DeletedChangeset, n);
            }
            Source[Count] = s; Target[Count] = t; Type[Count] = type; CreatedChangeset[Count] = changeset; DeletedChangeset[Count] = -1;
            return Count++;
        }

        public void Delete(int r, int changeset)
        {
            DeletedChangeset[r] = changeset;
            _live.Remove(Key(Source[r], Target[r], Type[r]));
        }

        public int LiveCount()
        {
            var n = 0;
            for (var i = 0; i < Count; i++) if (DeletedChangeset[i] < 0) n++;
            return n;
        }
    }

    private readonly Random _r;
    private readonly int _n;

    public EstateGenerator(int ciCount, int seed)
    {
        if (ciCount < 2_000) throw new UsageException("--cis must be at least 2000 for a layered estate.");
        _n = ciCount;
        _r = new Random(seed);
    }

    public Estate Generate(DateTimeOffset now)
    {
        var n = _n;
        // Class sizes, proportionate like a real estate; the VMs take what is left.
        var services = Math.Max(5, n / 1000);
        var apps = Math.Max(20, n / 100);
        var components = (int)(n * 0.42);
        var databases = Math.Max(40, n / 50);
        var dbInstances = databases * 3 / 2;
        var hosts = Math.Max(40, n / 50);
        var coreSwitches = Math.Max(2, n / 125_000);
        var storageArrays = Math.Max(2, n / 83_000);
        var dnsServers = Math.Max(2, n / 166_000);
        var locations = Math.Max(2, n / 50_000);
        var racks = Math.Max(locations, hosts / 14);
        var clusterSizes = new List<int>();
        for (var left = hosts; left > 0;)
        {
            var size = Math.Min(left, _r.NextDouble() < 0.6 ? 4 : 2 + _r.Next(7)); // 2..8, mostly 4
            clusterSizes.Add(size);
            left -= size;
        }
        var clusters = clusterSizes.Count;
        var vms = n - services - apps - components - databases - dbInstances - hosts - clusters - coreSwitches - storageArrays - dnsServers - racks - locations;
        if (vms < n / 5) throw new InvalidOperationException("Class sizes leave too few VMs.");

        var cls = new byte[n];
        var ordinal = new int[n];
        var role = new byte[n];
        var next = 0;
        (int First, int Count) Block(byte c, int count, byte r = 0)
        {
            var first = next;
            for (var k = 0; k < count; k++) { cls[next] = c; ordinal[next] = k; role[next] = r; next++; }
            return (first, count);
        }
        // Infrastructure first (discovered first), services last.
        var locB = Block(Location, locations);
        var rackB = Block(Rack, racks);
        var swB = Block(NetworkDevice, coreSwitches, 0);
        var dnsB = Block(NetworkDevice, dnsServers, 1);
        var stB = Block(Storage, storageArrays);
        var hostB = Block(HypervisorHost, hosts);
        var cluB = Block(Cluster, clusters);
        var vmB = Block(VirtualMachine, vms);
        var dbiB = Block(DatabaseInstance, dbInstances);
        var dbB = Block(Database, databases);
        var cmpB = Block(Component, components);
        var appB = Block(Application, apps);
        var svcB = Block(BusinessService, services);

        // Changesets: the initial discovery in loads of 2,000 CIs, 90 to 61 days ago, in CI order.
        var changesets = new List<Changeset>();
        const int perLoad = 2_000;
        var loads = (n + perLoad - 1) / perLoad;
        var initialStart = now.AddDays(-90);
        for (var k = 0; k < loads; k++)
            changesets.Add(new Changeset(initialStart.AddMinutes(k * (29.0 * 24 * 60 / loads)), $"Discovery import, load {k + 1} of {loads}"));
        var ciChangeset = new int[n];
        for (var i = 0; i < n; i++) ciChangeset[i] = i / perLoad;

        var rels = new RelationshipList(n, (int)(n * 4.3));
        // A relationship is created with the later of its two ends.
        int Rel(int s, int t, byte type) => rels.TryAdd(s, t, type, Math.Max(ciChangeset[s], ciChangeset[t]));
        int Pick((int First, int Count) b) => b.First + _r.Next(b.Count);

        // Location contains rack; rack contains hosts (14 a rack), switches, storage, DNS.
        for (var k = 0; k < racks; k++) Rel(locB.First + k % locations, rackB.First + k, Contains);
        for (var k = 0; k < hosts; k++) Rel(rackB.First + k * racks / hosts, hostB.First + k, Contains);
        foreach (var b in new[] { swB, dnsB, stB })
            for (var k = 0; k < b.Count; k++) Rel(Pick(rackB), b.First + k, Contains);

        // Hosts: member of their cluster; connect to 2 core switches and 1 storage array.
        var redundancy = new short[n];
        Array.Fill(redundancy, (short)-1);
        var redundancyPercent = new bool[n];
        var host = hostB.First;
        for (var c = 0; c < clusters; c++)
        {
            var cluster = cluB.First + c;
            var size = clusterSizes[c];
            if (size >= 2 && _r.NextDouble() < 0.3) { redundancy[cluster] = 50; redundancyPercent[cluster] = true; }
            else if (size >= 2) redundancy[cluster] = (short)(size - 1);
            for (var k = 0; k < size; k++) Rel(host++, cluster, MemberOf);
        }
        for (var k = 0; k < hosts; k++)
        {
            var h = hostB.First + k;
            var sw = k % coreSwitches;
            Rel(h, swB.First + sw, ConnectsTo);
            Rel(h, swB.First + (sw + 1 + _r.Next(coreSwitches - 1)) % coreSwitches, ConnectsTo);
            Rel(h, Pick(stB), ConnectsTo);
        }

        // VMs: run on a cluster; connect to 2 DNS servers; half also to a storage array.
        for (var k = 0; k < vms; k++)
        {
            var vm = vmB.First + k;
            Rel(vm, Pick(cluB), RunsOn);
            var d = _r.Next(dnsServers);
            Rel(vm, dnsB.First + d, ConnectsTo);
            Rel(vm, dnsB.First + (d + 1 + _r.Next(dnsServers - 1)) % dnsServers, ConnectsTo);
            if (_r.NextDouble() < 0.5) Rel(vm, Pick(stB), ConnectsTo);
        }

        // Databases: 1-2 instances each (primary, replica); instances run on a VM.
        for (var k = 0; k < dbInstances; k++) Rel(dbiB.First + k, Pick(vmB), RunsOn);
        for (var k = 0; k < databases; k++)
        {
            var db = dbB.First + k;
            Rel(db, dbiB.First + k * dbInstances / databases, DependsOn);
            if (_r.NextDouble() < 0.5) Rel(db, Pick(dbiB), DependsOn);
        }
        // A few shared databases (the first ones), heavy-tailed: the busiest is used by thousands of components.
        var sharedDbs = Math.Max(5, databases / 200);
        var shared = Weighted<int>.Zipf(Enumerable.Range(dbB.First, sharedDbs).ToList(), offset: 0, exponent: 0.8);
        var localDbs = databases - sharedDbs;

        // Shared platform components (auth, gateway, …): the first components, used across applications.
        var platform = Math.Max(5, components / 4_000);

        // Components: split into applications (sizes vary), tiers inside each application.
        var tierOf = new byte[components];
        var appStarts = new int[apps + 1];
        {
            var weights = new double[apps];
            var sum = 0.0;
            for (var a = 0; a < apps; a++) sum += weights[a] = Math.Exp(_r.NextDouble() * 2.0); // sizes within ~7x of each other
            var acc = 0.0;
            for (var a = 0; a < apps; a++) { appStarts[a] = platform + (int)((components - platform) * (acc / sum)); acc += weights[a]; }
            appStarts[apps] = components;
        }
        var tierStarts = new int[apps, 4];
        for (var a = 0; a < apps; a++)
        {
            var first = appStarts[a];
            var size = appStarts[a + 1] - first;
            tierStarts[a, 0] = first;
            tierStarts[a, 1] = first + Math.Max(1, size / 5);
            tierStarts[a, 2] = first + Math.Max(2, size * 7 / 10);
            tierStarts[a, 3] = first + size;
            for (var t = 0; t < 3; t++)
                for (var c = tierStarts[a, t]; c < Math.Min(tierStarts[a, t + 1], appStarts[a + 1]); c++) tierOf[c] = (byte)t;
        }
        var cycles = 0;
        for (var a = 0; a < apps; a++)
        {
            var app = appB.First + a;
            var first = appStarts[a];
            var end = appStarts[a + 1];
            if (end - first < 3) continue;
            // Each application has 2-4 databases of its own.
            var own = 2 + _r.Next(3);
            var ownDbs = new int[own];
            for (var k = 0; k < own; k++) ownDbs[k] = dbB.First + sharedDbs + _r.Next(localDbs);
            for (var c = first; c < end; c++)
            {
                var cmp = cmpB.First + c;
                Rel(app, cmp, DependsOn);
                var tier = tierOf[c];
                if (tier < 2)
                {
                    var lo = tierStarts[a, tier + 1];
                    var hi = tierStarts[a, tier + 2];
                    if (hi > lo)
                        for (var k = 1 + _r.Next(4); k > 0; k--) Rel(cmp, cmpB.First + lo + _r.Next(hi - lo), DependsOn);
                }
                if (tier == 1 && _r.NextDouble() < 0.1) Rel(cmp, cmpB.First + _r.Next(platform), DependsOn);
                if (tier == 1 && _r.NextDouble() < 0.5) Rel(cmp, ownDbs[_r.Next(own)], DependsOn);
                if (tier == 2)
                {
                    Rel(cmp, ownDbs[_r.Next(own)], DependsOn);
                    Rel(cmp, ownDbs[_r.Next(own)], DependsOn);
                    if (_r.NextDouble() < 0.5) Rel(cmp, shared.Next(_r), DependsOn);
                    // A few back edges to the front tier: cycles across components.
                    if (_r.NextDouble() < 0.002 && Rel(cmp, cmpB.First + tierStarts[a, 0] + _r.Next(tierStarts[a, 1] - tierStarts[a, 0]), DependsOn) >= 0) cycles++;
                }
                // Every component runs on a VM; 1 in 5 on two (replicas).
                Rel(cmp, Pick(vmB), RunsOn);
                if (_r.NextDouble() < 0.2) Rel(cmp, Pick(vmB), RunsOn);
            }
        }
        // Platform components: use a shared database and run on two VMs.
        for (var c = 0; c < platform; c++)
        {
            var cmp = cmpB.First + c;
            Rel(cmp, shared.Next(_r), DependsOn);
            Rel(cmp, Pick(vmB), RunsOn);
            Rel(cmp, Pick(vmB), RunsOn);
        }

        // Business services: each application supports 1-3 services; every service has at least one.
        for (var a = 0; a < apps; a++)
        {
            var app = appB.First + a;
            if (a < services) Rel(svcB.First + a, app, DependsOn);
            else Rel(Pick(svcB), app, DependsOn);
            if (_r.NextDouble() < 0.3) Rel(Pick(svcB), app, DependsOn);
            if (_r.NextDouble() < 0.1) Rel(Pick(svcB), app, DependsOn);
        }

        // Status, criticality, environment, restriction.
        var status = new byte[n];
        var criticality = new byte[n];
        var environment = new byte[n];
        var restricted = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var x = _r.NextDouble();
            var infra = cls[i] is NetworkDevice or Storage or Location or BusinessService;
            status[i] = infra ? Operational : x < 0.02 ? Retired : x < 0.03 ? UnderMaintenance : x < 0.04 ? Planned : Operational;
            var y = _r.NextDouble();
            criticality[i] = cls[i] == BusinessService ? (byte)(y < 0.3 ? 1 : 2)
                : infra ? (byte)1 : (byte)(y < 0.1 ? 1 : y < 0.35 ? 2 : y < 0.75 ? 3 : 4);
            var z = _r.NextDouble();
            environment[i] = infra || cls[i] is Rack or HypervisorHost or Cluster ? (byte)0
                : (byte)(z < 0.8 ? 0 : z < 0.88 ? 1 : z < 0.95 ? 2 : z < 0.98 ? 3 : 4);
            restricted[i] = _r.NextDouble() < 0.005;
        }

        // History: about 1% of the relationships, in the last 60 days, in changesets of about 20 events.
        var initialRels = rels.Count;
        var entries = new List<(int, int, bool)>();
        var historyEvents = initialRels / 100;
        var moved = 0;
        var recreated = 0;
        var historyChangesetStart = changesets.Count;
        var eventChangesets = (historyEvents + 19) / 20;
        var historyAt = new List<DateTimeOffset>();
        for (var k = 0; k < eventChangesets; k++) historyAt.Add(now.AddDays(-60 + 60.0 * k / eventChangesets).AddMinutes(_r.Next(60)));
        foreach (var at in historyAt) changesets.Add(new Changeset(at, "Reconciliation: relationships changed by discovery"));
        var later = new List<(DateTimeOffset At, int Rel)>();
        for (var e = 0; e < historyEvents; e++)
        {
            var r = _r.Next(initialRels);
            if (rels.DeletedChangeset[r] >= 0) continue;
            var cs = historyChangesetStart + e / 20;
            var s = rels.Source[r];
            var t = rels.Target[r];
            var type = rels.Type[r];
            rels.Delete(r, cs);
            entries.Add((cs, r, false));
            if (e % 2 == 0)
            {
                // Moved: the same source to another CI of the target's class (a VM migration, a new database, …).
                int nt;
                var tries = 0;
                do nt = SameClass(cls[t], t); while ((rels.IsLive(s, nt, type) || nt == s || nt == t) && ++tries < 20);
                var nr = rels.TryAdd(s, nt, type, cs);
                if (nr >= 0) { entries.Add((cs, nr, true)); moved++; }
            }
            else
            {
                var at = changesets[cs].At.AddDays(1 + _r.NextDouble() * 9);
                if (at < now) later.Add((at, r));
            }
        }
        // Re-created with the same ends 1-10 days later, one changeset each.
        foreach (var (at, r) in later.OrderBy(l => l.At))
        {
            changesets.Add(new Changeset(at, "Reconciliation: relationship found again"));
            var nr = rels.TryAdd(rels.Source[r], rels.Target[r], rels.Type[r], changesets.Count - 1);
            if (nr >= 0) { entries.Add((changesets.Count - 1, nr, true)); recreated++; }
        }

        int SameClass(byte c, int fallback) => c switch
        {
            VirtualMachine => Pick(vmB),
            Cluster => Pick(cluB),
            Database => dbB.First + sharedDbs + _r.Next(localDbs),
            DatabaseInstance => Pick(dbiB),
            Storage => Pick(stB),
            NetworkDevice => role[fallback] == 0 ? Pick(swB) : Pick(dnsB),
            Component => Pick(cmpB),
            Application => Pick(appB),
            Rack => Pick(rackB),
            HypervisorHost => Pick(hostB),
            _ => fallback,
        };

        // Changeset ids grow with time (the index follower relies on it): number them in time order.
        var order = Enumerable.Range(0, changesets.Count).OrderBy(k => changesets[k].At).ThenBy(k => k).ToArray();
        var renumber = new int[order.Length];
        for (var k = 0; k < order.Length; k++) renumber[order[k]] = k;
        changesets = order.Select(k => changesets[k]).ToList();
        for (var i = 0; i < n; i++) ciChangeset[i] = renumber[ciChangeset[i]];
        for (var k = 0; k < rels.Count; k++)
        {
            rels.CreatedChangeset[k] = renumber[rels.CreatedChangeset[k]];
            if (rels.DeletedChangeset[k] >= 0) rels.DeletedChangeset[k] = renumber[rels.DeletedChangeset[k]];
        }
        for (var k = 0; k < entries.Count; k++) entries[k] = (renumber[entries[k].Item1], entries[k].Item2, entries[k].Item3);

        var counts = new Dictionary<string, int>();
        for (var i = 0; i < n; i++) counts[ClassCodes[cls[i]]] = counts.GetValueOrDefault(ClassCodes[cls[i]]) + 1;
        var notes = new Dictionary<string, string>
        {
            ["applications (components each)"] = $"{apps:N0} (median {Median(Enumerable.Range(0, apps).Select(a => appStarts[a + 1] - appStarts[a]))})",
            ["shared databases"] = $"{sharedDbs} (heavy-tailed), {localDbs:N0} application databases",
            ["platform components"] = platform.ToString("N0", CultureInfo.InvariantCulture),
            ["hypervisor clusters"] = $"{clusters:N0}: {clusterSizes.Count(s => s == 4):N0} of 4 hosts; rules \"needs size-1\" and \"50%\"",
            ["component cycles (tier 2 → tier 0 back edges)"] = cycles.ToString("N0", CultureInfo.InvariantCulture),
            ["history"] = $"{entries.Count(e => !e.Item3):N0} relationships deleted in the last 60 days: {moved:N0} moved to another target at once, {recreated:N0} re-created with the same ends 1-10 days later",
        };
        return new Estate
        {
            CiCount = n, Now = now, Class = cls, Ordinal = ordinal, Status = status, Criticality = criticality, Environment = environment,
            Restricted = restricted, RedundancyNeeded = redundancy, RedundancyIsPercent = redundancyPercent, Role = role,
            CiChangeset = ciChangeset, Relationships = rels, Changesets = changesets, Entries = entries, Counts = counts, Notes = notes,
        };
    }

    private static int Median(IEnumerable<int> values)
    {
        var v = values.OrderBy(x => x).ToList();
        return v.Count == 0 ? 0 : v[v.Count / 2];
    }
}
