/* Canned CMDB for the graph widget: ~230 CIs in three levels around web-01 (id 123), a hub host with 260 VMs
 * (id 500, truncated at the limit), restricted CIs, open incidents, every status. Replaces window.fetch for
 * /api/v1/cis/{id}/graph and /api/v1/cis/{id}/impact; anything else answers 404. Deterministic (seeded). */
(function () {
  "use strict";

  const log = (msg) => {
    const pre = document.getElementById("harness-log");
    if (pre) pre.textContent += msg + "\n";
  };
  window.harnessLog = log;
  window.addEventListener("error", (e) => log("ERROR " + e.message + " at " + e.filename + ":" + e.lineno));
  window.addEventListener("unhandledrejection", (e) => log("UNHANDLED " + (e.reason && e.reason.stack || e.reason)));
  document.addEventListener("securitypolicyviolation", (e) => log("CSP " + e.violatedDirective + " " + e.blockedURI));

  let seed = 20261202;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];

  const CLASSES = {
    "business-service": "Business service",
    application: "Application",
    "virtual-machine": "Virtual machine",
    "physical-server": "Physical server",
    database: "Database",
    "network-device": "Network device",
    storage: "Storage volume",
    "load-balancer": "Load balancer",
    cluster: "Cluster",
  };
  const TYPES = {
    "depends-on": ["depends on", "used by"],
    "runs-on": ["runs on", "hosts"],
    "connects-to": ["connects to", "connected from"],
    "member-of": ["member of", "has member"],
    contains: ["contains", "contained in"],
  };
  const IMPACT = { "depends-on": "t2s", "runs-on": "t2s", "connects-to": "t2s", "member-of": "s2t", contains: "s2t" };
  const STATUSES = ["Operational", "Operational", "Operational", "Operational", "Planned", "Under Maintenance", "Retired"];
  const PREFIX = {
    "business-service": "svc", application: "app", "virtual-machine": "vm", "physical-server": "esx",
    database: "db", "network-device": "sw", storage: "vol", "load-balancer": "lb", cluster: "cl",
  };

  const nodes = new Map();
  const edges = [];
  let nextId = 1000;
  let nextEdge = 1;

  function ci(cls, opts) {
    const o = opts || {};
    const id = o.id || nextId++;
    const n = {
      id, name: o.name || PREFIX[cls] + "-" + String(id).padStart(4, "0") + (rnd() < 0.15 ? "-long-descriptive-name-prod-eu-west" : ""),
      class: cls, className: CLASSES[cls], status: o.status || pick(STATUSES),
      criticality: o.criticality || 1 + Math.floor(rnd() * 4),
      openIncidents: o.openIncidents != null ? o.openIncidents : (rnd() < 0.1 ? 1 + Math.floor(rnd() * 3) : 0),
      restricted: !!o.restricted,
    };
    nodes.set(id, n);
    return n;
  }
  function rel(type, s, t) {
    edges.push({ id: nextEdge++, source: s.id, target: t.id, type, name: TYPES[type][0], inverse: TYPES[type][1] });
  }

  // Level 0
  const web = ci("virtual-machine", { id: 123, name: "web-01", status: "Operational", criticality: 2, openIncidents: 1 });
  // Level 1
  const host = ci("physical-server", { name: "esx-07.dc1", status: "Operational", criticality: 1 });
  const cluster = ci("cluster", { name: "web-cluster-prod", status: "Operational" });
  const db1 = ci("database", { name: "orders-db-primary", status: "Operational", openIncidents: 2, criticality: 1 });
  const db2 = ci("database", { name: "orders-db-replica", status: "Under Maintenance" });
  const lb = ci("load-balancer", { name: "lb-edge-01", status: "Operational" });
  const vol = ci("storage", { name: "vol-web-01-data", status: "Operational" });
  const app = ci("application", { name: "Order portal", status: "Operational", criticality: 1 });
  const app2 = ci("application", { name: "Customer API", status: "Planned" });
  const svc = ci("business-service", { name: "Online ordering", status: "Operational", criticality: 1 });
  const sw = ci("network-device", { name: "tor-sw-dc1-a12", status: "Operational" });
  const secret = ci("application", { id: 9, name: "Payroll batch", restricted: true });
  const old = ci("virtual-machine", { name: "web-00-legacy", status: "Retired", openIncidents: 0 });
  const hub = ci("physical-server", { id: 500, name: "esx-hub-big", status: "Operational", criticality: 1 });
  rel("runs-on", web, host);
  rel("member-of", web, cluster);
  rel("depends-on", web, db1);
  rel("depends-on", web, db2);
  rel("connects-to", lb, web);
  rel("contains", web, vol);
  rel("runs-on", app, web);
  rel("runs-on", app2, web);
  rel("depends-on", svc, app);
  rel("connects-to", web, sw);
  rel("depends-on", secret, web);
  rel("member-of", old, cluster);
  rel("connects-to", web, hub);
  // Level 2 and 3
  const grow = (parent, count, classes, type, inward) => {
    const out = [];
    for (let i = 0; i < count; i++) {
      const c = ci(pick(classes), { restricted: rnd() < 0.03 });
      if (inward) rel(type, c, parent); else rel(type, parent, c);
      out.push(c);
    }
    return out;
  };
  const hostVms = grow(host, 22, ["virtual-machine"], "runs-on", true);
  const members = grow(cluster, 8, ["virtual-machine"], "member-of", true);
  const dbUsers = grow(db1, 14, ["application"], "depends-on", true);
  grow(db2, 3, ["storage"], "contains", false);
  grow(lb, 6, ["virtual-machine"], "connects-to", false);
  grow(sw, 10, ["physical-server", "network-device"], "connects-to", true);
  grow(svc, 5, ["application"], "depends-on", false);
  const app2Deps = grow(app2, 6, ["database", "application"], "depends-on", false);
  for (const l2 of [].concat(hostVms, members, dbUsers, app2Deps)) {
    grow(l2, Math.floor(rnd() * 5), ["application", "database", "storage"], pick(["depends-on", "contains"]), false);
  }
  rel("depends-on", members[0], db1); // a few cross links
  rel("depends-on", dbUsers[0], app2);
  // The hub: 260 VMs, so its neighbourhood is cut at the limit.
  for (let i = 0; i < 260; i++) rel("runs-on", ci("virtual-machine", { name: "vm-hub-" + String(i).padStart(3, "0") }), hub);
  ci("virtual-machine", { id: 777, name: "lonely-vm", status: "Planned", openIncidents: 0 }); // no relationships

  function publicNode(n) {
    return n.restricted ? { id: n.id, restricted: true, name: "Restricted CI" } : Object.assign({}, n);
  }

  function neighbourhood(id, q) {
    const center = nodes.get(id);
    if (!center) return null;
    const limit = parseInt(q.get("limit") || "200", 10);
    const types = q.get("types") ? q.get("types").split(",") : null;
    const classes = q.get("classes") ? q.get("classes").split(",") : null;
    const included = new Map([[id, center]]);
    let truncated = false;
    for (const e of edges) {
      if (e.source !== id && e.target !== id) continue;
      if (types && !types.includes(e.type)) continue;
      const other = nodes.get(e.source === id ? e.target : e.source);
      if (classes && !other.restricted && !classes.includes(other.class)) continue;
      if (included.has(other.id)) continue;
      if (included.size >= limit) { truncated = true; continue; }
      included.set(other.id, other);
    }
    const outEdges = edges.filter((e) => included.has(e.source) && included.has(e.target) &&
      (e.source === id || e.target === id) && (!types || types.includes(e.type)));
    return { center: id, nodes: [...included.values()].map(publicNode), edges: outEdges, truncated };
  }

  function impact(id) {
    const start = nodes.get(id);
    if (!start) return null;
    const prev = new Map([[id, null]]);
    const queue = [id];
    while (queue.length) {
      const cur = queue.shift();
      if (nodes.get(cur).status === "Retired" && cur !== id) continue;
      for (const e of edges) {
        const dir = IMPACT[e.type];
        let next = null;
        if (dir === "t2s" && e.target === cur) next = e.source;
        if (dir === "s2t" && e.source === cur) next = e.target;
        if (next !== null && !prev.has(next)) { prev.set(next, cur); queue.push(next); }
      }
    }
    const impacted = [];
    for (const [cid] of prev) {
      if (cid === id) continue;
      const path = [];
      for (let c = cid; c !== null; c = prev.get(c)) path.unshift(c);
      const step = (c) => (nodes.get(c).restricted ? { ci: null, restricted: true, name: "restricted CI" } : { ci: { id: c, name: nodes.get(c).name } });
      const n = nodes.get(cid);
      if (n.restricted) impacted.push({ ci: null, hidden: true }); else impacted.push({ ci: { id: cid, name: n.name }, path: path.map(step) });
    }
    return { start: { id }, impacted };
  }

  const q = new URLSearchParams(location.search);
  const delay = parseInt(q.get("delay") || "80", 10);
  const failIds = (q.get("fail") || "").split(",").filter(Boolean).map(Number);
  window.harnessRequests = [];

  window.fetch = function (url, init) {
    const u = new URL(String(url), "http://harness.invalid/");
    window.harnessRequests.push(u.pathname + u.search);
    log("GET " + u.pathname + u.search + " credentials=" + (init && init.credentials));
    let body = null;
    let status = 200;
    let m = u.pathname.match(/^\/api\/v1\/cis\/(\d+)\/graph$/);
    if (m) {
      const id = Number(m[1]);
      if (failIds.includes(id)) status = 500;
      else body = neighbourhood(id, u.searchParams);
    } else if ((m = u.pathname.match(/^\/api\/v1\/cis\/(\d+)\/impact$/))) {
      body = impact(Number(m[1]));
    }
    if (status === 200 && body === null) status = 404;
    const res = new Response(status === 200 ? JSON.stringify(body) : JSON.stringify({ title: "error", status }), {
      status, headers: { "Content-Type": "application/json" },
    });
    return new Promise((resolve) => setTimeout(() => resolve(res), delay));
  };

  // Query-string options that change the attributes before the widget starts (see README.md).
  const center = q.get("center") || "123";
  const g = document.getElementById("graph");
  g.dataset.graphUrl = "/api/v1/cis/" + center + "/graph";
  if (q.get("highlight")) g.dataset.highlightUrl = "/api/v1/cis/" + q.get("highlight") + "/impact";
  const title = document.getElementById("harness-title");
  if (nodes.has(Number(center))) title.textContent = nodes.get(Number(center)).name;

  // The plain list the page would render (first 30).
  const list = document.getElementById("plain-list");
  const cid = Number(center);
  edges.filter((e) => e.source === cid || e.target === cid).slice(0, 30).forEach((e) => {
    const out = e.source === cid;
    const other = nodes.get(out ? e.target : e.source);
    const li = document.createElement("li");
    li.className = "linked-item";
    li.textContent = (out ? e.name : e.inverse) + " " + (other.restricted ? "Restricted CI" : other.name);
    list.append(li);
  });

  window.harnessData = { nodes, edges, impact };
})();
