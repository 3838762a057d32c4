#!/usr/bin/env python3
"""Generate the demo CMDB (seed-data/demo/cmdb.json) in the import format of docs/cmdb-import-format.md.

Deterministic (fixed seed, no clock, standard library only): running it twice gives the same bytes.
Reads the five real service topologies in seed-data/demo/service-topologies/ (Apache-2.0 sources) for the
application layer and shapes an enterprise estate of about 2,000 CIs around them: two data centres, racks,
network, storage, hypervisor clusters, virtual machines, databases, business services.

    python3 tools/demo-cmdb/generate.py            # writes seed-data/demo/cmdb.json, prints the counts
    python3 tools/demo-cmdb/check.py               # validates it against seed-data/reference/*.yaml
"""
import csv
import json
import os
import random
import sys
from collections import Counter, OrderedDict

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TOPO = os.path.join(ROOT, "seed-data", "demo", "service-topologies")
OUT = os.path.join(ROOT, "seed-data", "demo", "cmdb.json")

SEED = 20261202
TARGET_CIS = 2000          # generic VMs fill the estate up to this total
DOMAIN = "corp.example"

rng = random.Random(SEED)

APP_SUPPORT = "Application Support"
DBA = "Database Administration"
SERVER_OPS = "Server Operations"
NET_OPS = "Network Operations"
IDENTITY = "Identity and Access"

# The access switch (and hypervisor cluster) shared on purpose by VMs that run components of different services,
# for the incident-correlation demo. Listed in seed-data/demo/README-cmdb.md.
CORRELATION_SWITCH = "sw-dc1-acc-r07"
CORRELATION_CLUSTER = "cl-dc1-esx-03"

cis = OrderedDict()        # key -> CI
rels = []                  # (source, type, target)
rel_seen = set()
names_seen = set()         # (class, name)
hostnames_seen = set()


def add_ci(key, cls, name, status="Operational", environment="Production", criticality=3,
           owner=SERVER_OPS, support=None, restricted=False, redundancy=None, **attributes):
    if key in cis:
        raise SystemExit(f"duplicate key {key}")
    if (cls, name) in names_seen:
        raise SystemExit(f"duplicate name {name} in class {cls}")
    names_seen.add((cls, name))
    attrs = OrderedDict()
    for k, v in attributes.items():
        if v is not None:
            attrs[k.replace("_", "-")] = v
    if "hostname" in attrs:
        if attrs["hostname"] in hostnames_seen:
            raise SystemExit(f"duplicate hostname {attrs['hostname']}")
        hostnames_seen.add(attrs["hostname"])
    ci = OrderedDict()
    ci["key"] = key
    ci["class"] = cls
    ci["name"] = name
    ci["status"] = status
    ci["environment"] = environment
    ci["criticality"] = criticality
    ci["ownerGroup"] = owner
    ci["supportGroup"] = support or owner
    ci["restricted"] = restricted
    if redundancy is not None:
        ci["redundancy"] = redundancy
    ci["attributes"] = attrs
    cis[key] = ci
    return key


def rel(source, type_, target):
    if source == target:
        return
    t = (source, type_, target)
    if t in rel_seen:
        return
    if source not in cis or target not in cis:
        raise SystemExit(f"relationship end missing: {t}")
    rel_seen.add(t)
    rels.append(t)


def serial(prefix):
    return f"{prefix}{rng.randrange(10**7, 10**8)}"


# ---------------------------------------------------------------- physical estate: locations, racks, network, storage
DCS = {
    1: dict(name="DC1 Frankfurt", address="Hanauer Landstrasse 300, 60314 Frankfurt am Main, DE", net="10.1"),
    2: dict(name="DC2 Amsterdam", address="Science Park 610, 1098 XH Amsterdam, NL", net="10.2"),
}
RACKS_PER_DC = 24
ip_counters = Counter()


def ip(dc, subnet):
    ip_counters[(dc, subnet)] += 1
    n = ip_counters[(dc, subnet)]
    return f"{DCS[dc]['net']}.{subnet + n // 250}.{n % 250 + 1}"


infra = {}   # dc -> dict of lists
for dc, d in DCS.items():
    p = f"dc{dc}"
    loc = add_ci(f"loc-{p}", "location", d["name"], criticality=1, owner=SERVER_OPS,
                 address=d["address"], location_kind="data centre",
                 description=f"Primary data centre {dc}" if dc == 1 else "Secondary data centre, also disaster recovery site")
    racks = []
    for r in range(1, RACKS_PER_DC + 1):
        rk = add_ci(f"rack-{p}-r{r:02d}", "rack", f"{p.upper()}-R{r:02d}", criticality=2, units=42)
        rel(loc, "contains", rk)
        racks.append(rk)

    def netdev(key, role, short, rack, cls="network-device", vendor=None, **kw):
        k = add_ci(key, cls, short, criticality=kw.pop("criticality", 2), owner=NET_OPS,
                   hostname=f"{short}.net.{DOMAIN}", device_role=role, ip_address=ip(dc, 0),
                   serial_number=serial("SN"), vendor=vendor, **kw)
        rel(rack, "contains", k)
        return k

    cores = [netdev(f"sw-{p}-core-{i:02d}", "core switch", f"{p}-core-{i:02d}", racks[i - 1], vendor="Arista",
                    criticality=1) for i in (1, 2)]
    routers = [netdev(f"rt-{p}-{i:02d}", "router", f"{p}-rt-{i:02d}", racks[i - 1], vendor="Juniper", criticality=1)
               for i in (1, 2)]
    firewalls = [netdev(f"fw-{p}-{i:02d}", "firewall", f"{p}-fw-{i:02d}", racks[i - 1], vendor="Palo Alto Networks",
                        criticality=1) for i in (1, 2)]
    dns = [netdev(f"dns-{p}-{i:02d}", "dns", f"{p}-dns-{i:02d}", racks[i - 1], vendor="Infoblox", criticality=1)
           for i in (1, 2)]
    for i in range(2):
        rel(firewalls[i], "connects-to", cores[i])
        rel(routers[i], "connects-to", firewalls[i])
        rel(dns[i], "connects-to", cores[i])
    dns_cluster = add_ci(f"cl-{p}-dns", "cluster", f"{p.upper()} DNS", criticality=1, owner=NET_OPS,
                         redundancy="needs 1", cluster_kind="network",
                         description="The two DNS servers of the data centre; one is enough")
    for k in dns:
        rel(k, "member-of", dns_cluster)
    access = []
    for r, rk in enumerate(racks, start=1):
        a = netdev(f"sw-{p}-acc-r{r:02d}", "access switch", f"{p}-acc-r{r:02d}", rk, vendor="Arista")
        rel(a, "connects-to", cores[r % 2])
        access.append(a)
    # storage
    sans = []
    for i in (1, 2):
        s = add_ci(f"san-{p}-{i:02d}", "storage", f"{p.upper()}-SAN-{i:02d}", criticality=1, owner=SERVER_OPS,
                   storage_kind="SAN array", capacity_tb=round(rng.uniform(300, 600), 1), serial_number=serial("NT"),
                   vendor="NetApp")
        rel(racks[2 + i - 1], "contains", s)
        rel(s, "connects-to", cores[i - 1])
        sans.append(s)
    nas = add_ci(f"nas-{p}-01", "storage", f"{p.upper()}-NAS-01", criticality=2, storage_kind="NAS",
                 capacity_tb=round(rng.uniform(80, 160), 1), serial_number=serial("NS"), vendor="Dell EMC")
    rel(racks[3], "contains", nas)
    rel(nas, "connects-to", cores[1])
    obj = add_ci(f"obj-{p}-01", "storage", f"{p.upper()}-OBJ-01", criticality=3, storage_kind="object store",
                 capacity_tb=round(rng.uniform(500, 900), 1), serial_number=serial("OS"), vendor="MinIO")
    rel(racks[4], "contains", obj)
    rel(obj, "connects-to", cores[0])
    infra[dc] = dict(loc=loc, racks=racks, cores=cores, firewalls=firewalls, dns=dns, dns_cluster=dns_cluster,
                     access=access, sans=sans, nas=nas, obj=obj, lb_count=0)

# an old array kept in the CMDB as Retired
old = add_ci("san-dc1-old", "storage", "DC1-SAN-OLD", status="Retired", criticality=3, storage_kind="SAN array",
             capacity_tb=120.0, serial_number=serial("NT"), vendor="NetApp",
             description="Replaced by DC1-SAN-01/02; awaiting disposal")
rel(infra[1]["racks"][5], "contains", old)

# ---------------------------------------------------------------- hypervisor hosts and clusters
# (size, redundancy, hypervisor, environment role)
CLUSTER_PLAN = [
    (4, "needs 3", "VMware ESXi", "prod"), (6, "needs 4", "VMware ESXi", "prod"),
    (4, "needs 3", "VMware ESXi", "prod"), (8, "75%", "VMware ESXi", "prod"),
    (6, "50%", "VMware ESXi", "prod"), (4, "needs 3", "KVM", "prod"),
    (4, "50%", "VMware ESXi", "nonprod"), (6, "50%", "KVM", "nonprod"),
]
clusters = {1: {"prod": [], "nonprod": []}, 2: {"prod": [], "nonprod": []}}
host_no = Counter()
for dc in DCS:
    p = f"dc{dc}"
    I = infra[dc]
    for ci_no, (size, red, hv, role) in enumerate(CLUSTER_PLAN, start=1):
        kind = "esx" if hv == "VMware ESXi" else "kvm"
        ck = f"cl-{p}-{kind}-{ci_no:02d}"
        cl = add_ci(ck, "cluster", f"{p.upper()}-{kind.upper()}-{ci_no:02d}", criticality=1 if role == "prod" else 3,
                    environment="Production" if role == "prod" else "Test", owner=SERVER_OPS, redundancy=red,
                    cluster_kind="hypervisor", vendor="VMware" if kind == "esx" else "Red Hat",
                    description=f"Hypervisor cluster of {size} hosts, {red} up")
        clusters[dc][role].append(ck)
        san = I["sans"][ci_no % 2]
        for h in range(size):
            host_no[dc] += 1
            n = host_no[dc]
            short = f"{p}-{kind}-{n:03d}"
            status = "Operational"
            if (dc, ci_no, h) in {(1, 2, 5), (2, 4, 7)}:
                status = "Under Maintenance"
            if (dc, ci_no, h) == (2, 8, 5):
                status = "Planned"
            hk = add_ci(f"{kind}-{p}-{n:03d}", "hypervisor-host", short, status=status,
                        environment="Production" if role == "prod" else "Test",
                        criticality=2, owner=SERVER_OPS, hostname=f"{short}.{DOMAIN}", ip_address=ip(dc, 10),
                        operating_system="ESXi" if kind == "esx" else "Linux", cpu_count=rng.choice([48, 64, 96]),
                        memory_gb=rng.choice([512, 768, 1024]), serial_number=serial("CZ"),
                        hypervisor=hv, vendor=rng.choice(["Dell", "HPE", "Lenovo"]))
            rack = I["racks"][5 + (n - 1) // 4 % (RACKS_PER_DC - 5)]
            rel(rack, "contains", hk)
            rel(hk, "member-of", cl)
            rel(hk, "connects-to", I["cores"][h % 2])
            rel(hk, "connects-to", san)

# ---------------------------------------------------------------- virtual machines
vm_no = Counter()
access_use = Counter()


def add_vm(dc, role, environment="Production", os_="Linux", criticality=3, status="Operational", cluster=None,
           switch=None, cpu=None, mem=None, description=None):
    vm_no[dc] += 1
    n = vm_no[dc]
    p = f"dc{dc}"
    short = f"{p}-{role}-{n:04d}"
    key = f"vm-{p}-{n:04d}"
    add_ci(key, "virtual-machine", short, status=status, environment=environment, criticality=criticality,
           owner=SERVER_OPS, hostname=f"{short}.{DOMAIN}", ip_address=ip(dc, 100), operating_system=os_,
           cpu_count=cpu or rng.choice([2, 2, 4, 4, 4, 8, 16]), memory_gb=mem or rng.choice([4, 8, 8, 16, 16, 32, 64]),
           description=description)
    role_kind = "prod" if environment in ("Production", "Disaster Recovery") else "nonprod"
    cl = cluster or rng.choice(clusters[dc][role_kind])
    rel(key, "runs-on", cl)
    sw = switch or rng.choice(infra[dc]["access"])
    rel(key, "connects-to", sw)
    access_use[sw] += 1
    return key


app_cluster_no = Counter()


def placement(dc, label, count, environment, criticality, forced=None, os_="Linux"):
    """One VM, or an application cluster of `count` VMs; returns (runs-on target, [vms])."""
    forced = forced or {}
    if count == 1:
        v = add_vm(dc, label, environment, os_, criticality, **forced)
        return v, [v]
    vms = [add_vm(dc, label, environment, os_, criticality, **forced) for i in range(count)]
    app_cluster_no[dc] += 1
    ck = f"cl-dc{dc}-app-{label}"
    add_ci(ck, "cluster", f"DC{dc}-APP-{label.upper()}", environment=environment, criticality=criticality,
           owner=SERVER_OPS, support=APP_SUPPORT, redundancy="needs 1" if count == 2 else f"needs {count - 1}",
           cluster_kind="application", description=f"{count} nodes of {label}")
    for v in vms:
        rel(v, "member-of", ck)
    return ck, vms


def add_lb(dc, label, members, criticality, internet=True, environment="Production"):
    I = infra[dc]
    I["lb_count"] += 1
    short = f"dc{dc}-lb-{label}"
    k = add_ci(f"lb-dc{dc}-{label}", "load-balancer", short, environment=environment, criticality=criticality,
               owner=NET_OPS, redundancy="needs 1" if len(members) <= 2 else "50%",
               hostname=f"{short}.net.{DOMAIN}", ip_address=ip(dc, 0), serial_number=serial("F5"), vendor="F5",
               description=f"Virtual server for {label}")
    rel(I["racks"][I["lb_count"] % 2], "contains", k)
    rel(k, "connects-to", I["cores"][I["lb_count"] % 2])
    if internet:
        rel(k, "connects-to", I["firewalls"][I["lb_count"] % 2])
    for m in members:
        rel(m, "member-of", k)
    return k


# ---------------------------------------------------------------- business services and the topology applications
SERVICES = OrderedDict()   # key -> dict


def add_service(code, name, criticality, hours, owner_title, description, owner=APP_SUPPORT):
    k = add_ci(f"bs-{code}", "business-service", name, criticality=criticality, owner=owner, support=APP_SUPPORT,
               service_hours=hours, service_owner=owner_title, description=description)
    SERVICES[code] = k
    return k


def add_application(code, name, service_code, criticality, language=None, url=None, version=None,
                    environment="Production", owner=APP_SUPPORT, description=None):
    k = add_ci(f"app-{code}", "application", name, environment=environment, criticality=criticality, owner=owner,
               support=APP_SUPPORT, language=language, url=url, version=version, description=description)
    if service_code:
        rel(SERVICES[service_code], "depends-on", k)
    return k


def engine_of(node, incoming_relations):
    n = node.lower()
    for word, engine in (("mongo", "MongoDB"), ("redis", "Redis"), ("memcached", "Memcached"),
                         ("postgres", "PostgreSQL"), ("mysql", "MySQL"), ("mssql", "SQL Server"),
                         ("oracle", "Oracle"), ("cassandra", "Cassandra"), ("elastic", "Elasticsearch")):
        if word in n:
            return engine
    text = " ".join(incoming_relations).upper()
    if "POSTGRES" in text:
        return "PostgreSQL"
    if "MYSQL" in text:
        return "MySQL"
    return None


def read_csv(name):
    with open(os.path.join(TOPO, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


TOPOLOGIES = OrderedDict([
    ("online-boutique", dict(prefix="ob", app="Online Boutique", service="shop", dc=1, criticality=1,
                             language="Go, C#, Python, Java, Node.js", url="https://shop.corp.example")),
    ("otel-demo", dict(prefix="astro", app="Astronomy Shop", service="telescope", dc=2, criticality=2,
                       language="Go, .NET, Java, Rust, TypeScript, Python", url="https://telescopes.corp.example")),
    ("train-ticket", dict(prefix="tt", app="Train-Ticket", service="train", dc=1, criticality=1,
                          language="Java (Spring Boot)", url="https://trains.corp.example")),
    ("deathstarbench-socialNetwork", dict(prefix="sn", app="Social Network", service="social", dc=2, criticality=2,
                                          language="C++ (Thrift), Lua", url="https://social.corp.example")),
    ("deathstarbench-mediaMicroservices", dict(prefix="mr", app="Media Microservices", service="media", dc=2,
                                               criticality=3, language="C++ (Thrift), Lua",
                                               url="https://reviews.corp.example")),
])

add_service("shop", "Online Shop", 1, "24x7", "Head of E-commerce", "Web shop for consumer products")
add_service("telescope", "Telescope Store", 2, "24x7", "Head of Astronomy Retail",
            "Web shop for telescopes and astronomy gear")
add_service("train", "Train Booking", 1, "24x7", "Head of Passenger Sales", "Search, book and pay train journeys")
add_service("social", "Social Feed", 2, "24x7", "Head of Community", "Customer community: posts, timelines, follows")
add_service("media", "Media Reviews", 3, "extended hours", "Head of Content", "Film reviews and ratings")
add_service("payroll", "Payroll", 2, "business hours", "Head of Payroll", "Monthly payroll run and payslips")
add_service("email", "E-mail", 2, "24x7", "Head of Workplace IT", "Corporate e-mail and webmail")
add_service("vpn", "VPN Remote Access", 2, "24x7", "Head of Network", "Remote access for staff",
            owner=NET_OPS)
add_service("hr", "HR Portal", 3, "business hours", "Head of HR Systems", "Employee self-service, leave, records")
add_service("support", "Customer Support Portal", 2, "extended hours", "Head of Customer Care",
            "Customer tickets, knowledge base, chat")
add_service("dwh", "Data Warehouse", 3, "business hours", "Head of Analytics", "Reporting and analytics")
add_service("sso", "Identity and SSO", 1, "24x7", "Head of Identity", "Single sign-on, directory, MFA",
            owner=IDENTITY)
add_service("observability", "Observability", 3, "24x7", "Head of Platform Engineering",
            "Metrics, logs, dashboards and alerting")
add_service("finance", "Finance and Invoicing", 2, "business hours", "Head of Finance Systems",
            "General ledger, invoicing, accounts payable")
add_service("files", "File Sharing", 3, "business hours", "Head of Workplace IT", "Team shares and document sync")

KIND_MAP = {"application-service": "service", "cache": "cache", "message-queue": "message-queue",
            "platform": "platform", "load-generator (client)": "load-generator"}
OTEL_CRIT = {"critical": 1, "high": 2, "medium": 3, "low": 4}

# components pinned to the correlation switch and hypervisor cluster (all DC1, four different services)
CORRELATION_COMPONENTS = {"cmp-ob-cartservice", "cmp-tt-ts-order-service", "cmp-payroll-engine", "cmp-hr-service",
                          "cmp-ob-checkoutservice"}
FORCED = dict(switch=CORRELATION_SWITCH, cluster=CORRELATION_CLUSTER)

nodes = read_csv("nodes.csv")
edges = read_csv("edges.csv")
component_key = {}   # (system, node) -> key
entry_components = {}  # app key -> keys
mongo_sets = {}
stats = Counter()


def component_name(meta, node):
    return node if node.startswith(meta["prefix"] + "-") or node.startswith("ts-") else f"{meta['prefix']}-{node}"


def db_cluster(dc, label, engine, count, needs, criticality, environment="Production", restricted=False,
               version=None, port=None):
    """A database cluster of `count` database instances on their own VMs; returns the cluster key."""
    ck = f"cl-dc{dc}-db-{label}"
    add_ci(ck, "cluster", f"DC{dc}-DB-{label.upper()}", environment=environment, criticality=criticality,
           owner=DBA, redundancy=f"needs {needs}", cluster_kind="database", restricted=restricted,
           description=f"{engine} cluster of {count} instances, {needs} needed up")
    for i in range(count):
        v = add_vm(dc, f"db{label}", environment, "Linux", criticality)
        inst = add_ci(f"dbi-dc{dc}-{label}-{chr(97 + i)}", "database-instance", f"{label}-{chr(97 + i)}",
                      environment=environment, criticality=criticality, owner=DBA, restricted=restricted,
                      instance_name=f"{label}-{chr(97 + i)}", engine_version=version, port=port)
        rel(inst, "runs-on", v)
        rel(inst, "member-of", ck)
    return ck


for system, meta in TOPOLOGIES.items():
    dc = meta["dc"]
    app = add_application(meta["prefix"], meta["app"], meta["service"], meta["criticality"],
                          language=meta["language"], url=meta["url"], version="1.0",
                          description=f"Built from the {system} reference topology (Apache-2.0)")
    sys_nodes = [n for n in nodes if n["system"] == system]
    sys_edges = [e for e in edges if e["system"] == system]
    incoming = {}
    for e in sys_edges:
        incoming.setdefault(e["target"], []).append(e["relation"])
    if system == "train-ticket":
        for rs in (1, 2):
            mongo_sets[rs] = db_cluster(dc, f"ttmongo{rs}", "MongoDB", 3, 2, 1, version="4.4", port=27017)
    if system == "otel-demo":
        astro_pg = db_cluster(dc, "astropg", "PostgreSQL", 2, 1, 2, version="17", port=5432)
    mongo_i = 0
    for n in sys_nodes:
        node, kind = n["node"], n["kind"]
        crit = OTEL_CRIT.get(n["criticality"], None) or meta["criticality"] + (0 if kind == "gateway/web" else 1)
        crit = max(1, min(4, crit))
        name = component_name(meta, node)
        engine = engine_of(node, incoming.get(node, [])) if kind in ("database", "cache") else None
        if engine:
            key = add_ci(f"db-{meta['prefix']}-{node}", "database", name, criticality=crit, owner=DBA,
                         engine=engine, size_gb=round(rng.uniform(1, 40) if engine in ("Redis", "Memcached")
                                                      else rng.uniform(20, 400), 1),
                         description=f"{kind} of {meta['app']} ({system})")
            stats["databases"] += 1
            if engine == "MongoDB" and system == "train-ticket":
                mongo_i += 1
                rel(key, "runs-on", mongo_sets[1 + mongo_i % 2])
            elif system == "otel-demo" and engine == "PostgreSQL":
                rel(key, "runs-on", astro_pg)
            else:
                v = add_vm(dc, f"{meta['prefix']}db", "Production", "Linux", crit)
                rel(key, "runs-on", v)
            component_key[(system, node)] = key
            continue
        if kind == "gateway/web":
            ck = "gateway" if ("proxy" in node or "nginx" in node) else "web"
        else:
            ck = KIND_MAP[kind]
        env, status = "Production", "Operational"
        if ck == "load-generator":
            env, crit = "Test", 4
        if node == "shoppingassistantservice":
            status = "Planned"
        key = f"cmp-{meta['prefix']}-{node}"
        add_ci(key, "application-component", name, status=status, environment=env, criticality=crit,
               owner=APP_SUPPORT, component_kind=ck, version="1.0", port=rng.choice([8080, 8080, 9090, 50051, 3550]),
               description=f"{node} of {meta['app']} ({system})")
        component_key[(system, node)] = key
        replicas = 1
        if ck in ("gateway", "web") or node == "frontend" or int(n["in_degree"]) >= 3 or crit == 1:
            replicas = 3 if crit == 1 else 2
        if ck == "load-generator":
            replicas = 1
        label = name.replace("service", "svc").replace("-", "")[:18]
        target, vms = placement(dc, label, replicas, env, crit, FORCED if key in CORRELATION_COMPONENTS else None)
        rel(key, "runs-on", target)
        if (ck in ("gateway", "web") or node == "frontend") and len(vms) > 1:
            lb = add_lb(dc, f"{meta['prefix']}-{label}", vms, crit)
            rel(app, "depends-on", lb)
    # edges -> depends-on, deduped; load-generator edges kept (the generator is a Test CI)
    out = {}
    for e in sys_edges:
        s, t = component_key[(system, e["source"])], component_key[(system, e["target"])]
        if (s, "depends-on", t) not in rel_seen:
            stats["topology edges"] += 1
        rel(s, "depends-on", t)
        out.setdefault(s, set()).add(t)
    # the application depends on its entry points and on whatever they do not reach
    keys = [component_key[(system, n["node"])] for n in sys_nodes]
    lg = {component_key[(system, n["node"])] for n in sys_nodes if n["kind"].startswith("load-generator")}
    has_in = {t for s, ts in out.items() if s not in lg for t in ts}
    entries = [k for k in keys if k not in has_in and k not in lg]
    reach, stack = set(entries), list(entries)
    while stack:
        for t in out.get(stack.pop(), ()):
            if t not in reach:
                reach.add(t)
                stack.append(t)
    for k in entries + [k for k in keys if k not in reach and k not in lg]:
        rel(app, "depends-on", k)
    rel(app, "depends-on", infra[dc]["dns_cluster"])

# ---------------------------------------------------------------- hand-shaped applications of the other services
# code, name, service, dc, criticality, language, components [(name, kind, replicas)], databases, dependencies
HAND_APPS = [
    dict(code="payroll", name="PayStream Payroll", service="payroll", dc=1, crit=2, language="Java",
         components=[("payroll-web", "web", 2), ("payroll-engine", "service", 1), ("payroll-batch", "worker", 1)],
         databases=[("payroll-db", "Oracle", "cluster", True)],
         deps=[("payroll-web", "payroll-engine"), ("payroll-engine", "payroll-db"), ("payroll-batch", "payroll-db"),
               ("payroll-web", "idp-service"), ("payroll-batch", "fin-erp-app")]),
    dict(code="mail", name="Corporate Mail", service="email", dc=1, crit=2, language="vendor product",
         components=[("mail-gateway", "gateway", 2), ("mail-transport", "worker", 2), ("mailbox", "service", 2),
                     ("webmail", "web", 2)],
         databases=[("mail-archive-db", "SQL Server", "vm", False)],
         deps=[("webmail", "mailbox"), ("mail-gateway", "mail-transport"), ("mail-transport", "mailbox"),
               ("mailbox", "mail-archive-db"), ("webmail", "idp-service"), ("mail-transport", "@dns1")]),
    dict(code="vpn", name="Remote Access VPN", service="vpn", dc=1, crit=2, language="vendor product",
         components=[("vpn-gateway", "gateway", 2), ("vpn-radius", "service", 1)],
         databases=[],
         deps=[("vpn-gateway", "vpn-radius"), ("vpn-radius", "idp-directory"), ("vpn-gateway", "@fw1")]),
    dict(code="hr", name="HR Self-Service", service="hr", dc=1, crit=3, language="PHP",
         components=[("hr-web", "web", 2), ("hr-service", "service", 1)],
         databases=[("hr-db", "MySQL", "instance", True)],
         deps=[("hr-web", "hr-service"), ("hr-service", "hr-db"), ("hr-web", "idp-service"),
               ("hr-service", "payroll-engine")]),
    dict(code="csp", name="Support Desk Portal", service="support", dc=2, crit=2, language="Ruby",
         components=[("csp-web", "web", 2), ("csp-api", "service", 2), ("csp-mail-worker", "worker", 1)],
         databases=[("csp-db", "PostgreSQL", "vm", False), ("csp-search", "Elasticsearch", "vm", False)],
         deps=[("csp-web", "csp-api"), ("csp-api", "csp-db"), ("csp-api", "csp-search"),
               ("csp-mail-worker", "mail-transport"), ("csp-web", "idp-service")]),
    dict(code="dwh", name="Analytics Warehouse", service="dwh", dc=1, crit=3, language="Python, SQL",
         components=[("dwh-etl", "worker", 1), ("dwh-kafka", "message-queue", 3), ("dwh-reporting", "web", 1)],
         databases=[("dwh-db", "Oracle", "instance", False)],
         deps=[("dwh-etl", "dwh-kafka"), ("dwh-etl", "dwh-db"), ("dwh-reporting", "dwh-db"),
               ("dwh-reporting", "idp-service"), ("dwh-etl", "ts-order-mongo"), ("dwh-etl", "fin-db")]),
    dict(code="idp", name="Corporate Identity Provider", service="sso", dc=1, crit=1, language="Java",
         owner=IDENTITY,
         components=[("idp-web", "web", 3), ("idp-service", "service", 3), ("idp-directory", "service", 2)],
         databases=[("idp-db", "PostgreSQL", "cluster", False), ("idp-cache", "Redis", "vm", False)],
         deps=[("idp-web", "idp-service"), ("idp-service", "idp-directory"), ("idp-service", "idp-db"),
               ("idp-service", "idp-cache"), ("idp-directory", "@dns1")]),
    dict(code="obs", name="Monitoring Platform", service="observability", dc=2, crit=3, language="Go",
         components=[("obs-prometheus", "service", 2), ("obs-grafana", "web", 1), ("obs-alertmanager", "service", 2),
                     ("obs-log-ingest", "worker", 2)],
         databases=[("obs-logs", "Elasticsearch", "cluster", False)],
         deps=[("obs-grafana", "obs-prometheus"), ("obs-grafana", "obs-logs"), ("obs-log-ingest", "obs-logs"),
               ("obs-prometheus", "obs-alertmanager"), ("obs-alertmanager", "mail-transport"),
               ("obs-grafana", "idp-service")]),
    dict(code="fin", name="Finance ERP", service="finance", dc=1, crit=2, language="ABAP",
         components=[("fin-erp-web", "web", 2), ("fin-erp-app", "service", 2), ("fin-invoice-worker", "worker", 1)],
         databases=[("fin-db", "SQL Server", "cluster", False)],
         deps=[("fin-erp-web", "fin-erp-app"), ("fin-erp-app", "fin-db"), ("fin-invoice-worker", "fin-db"),
               ("fin-invoice-worker", "mail-transport"), ("fin-erp-web", "idp-service")]),
    dict(code="files", name="Team File Sync", service="files", dc=1, crit=3, language="PHP",
         components=[("fs-web", "web", 2), ("fs-sync", "service", 1)],
         databases=[("fs-db", "MySQL", "vm", False)],
         deps=[("fs-web", "fs-sync"), ("fs-sync", "fs-db"), ("fs-sync", "@nas1"), ("fs-web", "idp-service")]),
]

# first pass: create every CI (dependencies cross applications)
hand_key = {}
pending = []
for a in HAND_APPS:
    dc, crit = a["dc"], a["crit"]
    owner = a.get("owner", APP_SUPPORT)
    app = add_application(a["code"], a["name"], a["service"], crit, language=a["language"], version="2025.1",
                          owner=owner)
    for name, kind, replicas in a["components"]:
        key = f"cmp-{name}"
        add_ci(key, "application-component", name, criticality=crit, owner=owner, support=APP_SUPPORT,
               component_kind=kind, version="2025.1",
               port=rng.choice([443, 8080, 8443, 9092 if kind == "message-queue" else 8080]))
        hand_key[name] = key
        label = name.replace("-", "")
        os_ = "Windows" if a["code"] in ("mail", "fin") else "Linux"
        target, vms = placement(dc, label, replicas, "Production", crit,
                                FORCED if key in CORRELATION_COMPONENTS else None, os_=os_)
        rel(key, "runs-on", target)
        if kind in ("web", "gateway") and len(vms) > 1:
            lb = add_lb(dc, label, vms, crit, internet=a["code"] in ("mail", "vpn", "csp"))
            rel(app, "depends-on", lb)
    for name, engine, placement_kind, restricted in a["databases"]:
        key = f"db-{name}"
        add_ci(key, "database", name, criticality=crit, owner=DBA, restricted=restricted, engine=engine,
               size_gb=round(rng.uniform(50, 2000 if a["code"] == "dwh" else 500), 1))
        hand_key[name] = key
        label = name.replace("-", "")
        if placement_kind == "cluster":
            count, needs = (3, 2) if engine == "Elasticsearch" else (2, 1)
            rel(key, "runs-on", db_cluster(dc, label, engine, count, needs, crit, restricted=restricted))
        elif placement_kind == "instance":
            v = add_vm(dc, label, "Production", "Linux", crit)
            inst = add_ci(f"dbi-dc{dc}-{label}", "database-instance", f"{label}-prd", criticality=crit, owner=DBA,
                          restricted=restricted, instance_name=f"{label.upper()}PRD",
                          engine_version={"Oracle": "19c", "MySQL": "8.0"}.get(engine), port=
                          {"Oracle": 1521, "MySQL": 3306}.get(engine))
            rel(inst, "runs-on", v)
            rel(key, "depends-on", inst)
        else:
            v = add_vm(dc, label, "Production", "Windows" if engine == "SQL Server" else "Linux", crit)
            rel(key, "runs-on", v)
    app_entries = [hand_key[c[0]] for c in a["components"]]
    pending.append((a, app, app_entries))

special = {"@dns1": infra[1]["dns_cluster"], "@fw1": infra[1]["firewalls"][0], "@nas1": infra[1]["nas"]}
for a, app, comp_keys in pending:
    for s, t in a["deps"]:
        sk = hand_key[s]
        tk = special.get(t) or hand_key.get(t) or component_key.get(("train-ticket", t))
        if tk is None:
            raise SystemExit(f"unknown dependency target {t}")
        rel(sk, "depends-on", tk)
    has_in = {hand_key[t] for s, t in a["deps"] if t in hand_key}
    for k in comp_keys:
        if k not in has_in:
            rel(app, "depends-on", k)
    rel(app, "depends-on", infra[a["dc"]]["dns_cluster"])

# the shop, trains and feed log in through SSO; Observability watches the telescope store's collector
rel("cmp-ob-frontend", "depends-on", "cmp-idp-service")
rel("cmp-tt-ts-auth-service", "depends-on", "cmp-idp-service")
rel("cmp-obs-prometheus", "depends-on", "cmp-astro-otel-collector")

# ---------------------------------------------------------------- a staging copy of the Online Boutique
stg_app = add_application("ob-stg", "Online Boutique (Staging)", None, 4, language=TOPOLOGIES["online-boutique"]["language"],
                          url="https://shop.stg.corp.example", version="1.1-rc", environment="Staging")
stg_key = {}
for n in [n for n in nodes if n["system"] == "online-boutique" and not n["kind"].startswith("load")]:
    node = n["node"]
    if n["kind"] == "cache":
        k = add_ci(f"db-ob-stg-{node}", "database", f"ob-stg-{node}", environment="Staging", criticality=4,
                   owner=DBA, engine=engine_of(node, []), size_gb=2.0)
    else:
        k = add_ci(f"cmp-ob-stg-{node}", "application-component", f"ob-stg-{node}", environment="Staging",
                   criticality=4, owner=APP_SUPPORT, component_kind="service", version="1.1-rc", port=8080)
    rel(k, "runs-on", add_vm(1, "stg" + node.replace("service", "svc")[:14], "Staging", "Linux", 4))
    stg_key[node] = k
for e in edges:
    if e["system"] == "online-boutique" and e["source"] in stg_key and e["target"] in stg_key:
        rel(stg_key[e["source"]], "depends-on", stg_key[e["target"]])
rel(stg_app, "depends-on", stg_key["frontend"])

# ---------------------------------------------------------------- generic VMs: the rest of the estate
GENERIC = [  # role, os, weight, description
    ("dc", "Windows", 2, "Active Directory domain controller"), ("fs", "Windows", 6, "Windows file server"),
    ("app", "Linux", 20, "Line-of-business application server"), ("appw", "Windows", 14, "Windows application server"),
    ("web", "Linux", 10, "Internal web server"), ("build", "Linux", 6, "CI build agent"),
    ("jump", "Linux", 2, "Jump host"), ("mon", "Linux", 3, "Monitoring agent collector"),
    ("bkp", "Linux", 3, "Backup proxy"), ("k8s", "Linux", 12, "Kubernetes worker node"),
    ("sql", "Windows", 5, "SQL Server (departmental)"), ("pg", "Linux", 4, "PostgreSQL (departmental)"),
    ("rds", "Windows", 5, "Remote desktop session host"), ("print", "Windows", 1, "Print server"),
    ("sftp", "Linux", 2, "File transfer gateway"), ("batch", "Linux", 5, "Batch scheduler agent"),
]
ENVS = [("Production", 62), ("Staging", 12), ("Test", 14), ("Development", 8), ("Disaster Recovery", 4)]
roles = [g for g in GENERIC for _ in range(g[2])]
envs = [e for e, w in ENVS for _ in range(w)]
remaining = TARGET_CIS - len(cis)
for i in range(remaining):
    role, os_, _, desc = rng.choice(roles)
    env = rng.choice(envs)
    dc = 2 if env == "Disaster Recovery" else rng.choice([1, 1, 2])
    r = rng.random()
    status = "Retired" if r < 0.03 else "Under Maintenance" if r < 0.04 else "Planned" if r < 0.06 else "Operational"
    crit = 3 if env == "Production" else 4
    add_vm(dc, role, env, os_, crit, status=status, description=desc)

# ---------------------------------------------------------------- write and report
# A retired CI takes no new relationships (Relationship.Link): it is imported on its own, with none.
retired = {k for k, c in cis.items() if c.get("status") == "Retired"}
rels = [(s, t, g) for s, t, g in rels if s not in retired and g not in retired]
doc = OrderedDict()
doc["source"] = "demo"
doc["reason"] = "Demo CMDB: generated by tools/demo-cmdb/generate.py from the five service topologies"
doc["changeNumber"] = None
doc["cis"] = list(cis.values())
doc["relationships"] = [OrderedDict([("source", s), ("type", t), ("target", g)]) for s, t, g in rels]
with open(OUT, "w", encoding="utf-8", newline="\n") as f:
    json.dump(doc, f, indent=1, ensure_ascii=False)
    f.write("\n")


def service_of_component():
    """component key -> set of business-service names reached upwards through depends-on."""
    up = {}
    for s, t, g in rels:
        if t == "depends-on":
            up.setdefault(g, set()).add(s)
    memo = {}

    def services(k, seen=()):
        if k in memo:
            return memo[k]
        out = set()
        for u in up.get(k, ()):
            if u in seen:
                continue
            if cis[u]["class"] == "business-service":
                out.add(cis[u]["name"])
            else:
                out |= services(u, seen + (k,))
        memo[k] = out
        return out
    return services


services_of = service_of_component()
hosted = {}
for s, t, g in rels:
    if t == "runs-on":
        hosted.setdefault(g, []).append(s)


def components_on(target):
    """components and databases that run on target (a VM, or an application cluster it is a member of)."""
    out = list(hosted.get(target, []))
    for s, t, g in rels:
        if t == "member-of" and s == target:
            out += hosted.get(g, [])
    return [k for k in out if cis[k]["class"] in ("application-component", "database", "database-instance")]


corr = []
for s, t, g in rels:
    if t == "connects-to" and g == CORRELATION_SWITCH:
        for c in components_on(s):
            corr.append((s, c, sorted(services_of(c))))
corr_services = {x for _, _, ss in corr for x in ss}
if len({c for _, c, _ in corr}) < 3 or len(corr_services) < 3:
    raise SystemExit(f"correlation switch {CORRELATION_SWITCH} does not carry 3 services: {corr}")

lines = [f"CIs: {len(cis)}", f"relationships: {len(rels)}", "", "per class:"]
lines += [f"  {c:24} {n:5}" for c, n in sorted(Counter(c["class"] for c in cis.values()).items())]
lines += ["", "per relationship type:"]
lines += [f"  {t:24} {n:5}" for t, n in sorted(Counter(t for _, t, _ in rels).items())]
lines += ["", "per status:"]
lines += [f"  {t:24} {n:5}" for t, n in sorted(Counter(c["status"] for c in cis.values()).items())]
lines += ["", "per environment:"]
lines += [f"  {t:24} {n:5}" for t, n in sorted(Counter(c["environment"] for c in cis.values()).items())]
lines += ["", f"topology depends-on edges after dedupe: {stats['topology edges']}",
          f"restricted CIs: {', '.join(k for k, c in cis.items() if c['restricted'])}",
          "", f"correlation: VMs on access switch {CORRELATION_SWITCH} (and hypervisor cluster {CORRELATION_CLUSTER}):"]
lines += [f"  {v:14} runs {c:28} -> {', '.join(ss)}" for v, c, ss in corr]
fan = Counter(g for s, t, g in rels if t in ("connects-to", "member-of", "runs-on", "depends-on"))
lines += ["", "fan-in of shared infrastructure (CIs connecting to / running on / member of / depending on it):"]
for label, pick in (("hypervisor clusters", lambda c: c["class"] == "cluster" and
                     c["attributes"].get("cluster-kind") == "hypervisor"),
                    ("core switches", lambda c: c["attributes"].get("device-role") == "core switch"),
                    ("access switches", lambda c: c["attributes"].get("device-role") == "access switch"),
                    ("storage", lambda c: c["class"] == "storage"),
                    ("DNS", lambda c: c["attributes"].get("device-role") == "dns" or c["key"].endswith("-dns"))):
    top = sorted(((fan[k], k) for k, c in cis.items() if pick(c)), reverse=True)[:3]
    lines.append(f"  {label:20} " + ", ".join(f"{k} {n}" for n, k in top))
print("\n".join(lines))
