/* Itsm CMDB dependency-graph widget.
 * Turns <div class="cmdb-graph" data-graph-url="..." data-ci-url-template="/Cmdb/Ci/{id}"> into an interactive
 * graph drawn with cytoscape.js (wwwroot/lib/cytoscape). An enhancement only: the page lists the relationships
 * in plain HTML beside it. No framework, no inline script or handlers (the site's CSP is script-src 'self').
 * Contract and API: wwwroot/js/README-cmdb-graph.md. */
(function () {
  "use strict";

  const DEFAULT_LIMIT = 200;
  const DEFAULT_MAX_NODES = 1000;
  const LABEL_MAX = 26;

  const STATUS = {
    operational: { label: "Operational", color: "#2f8f57", ink: "#fff" },
    planned: { label: "Planned", color: "#0b63c5", ink: "#fff" },
    undermaintenance: { label: "Under Maintenance", color: "#e8a317", ink: "#2b1a00" },
    retired: { label: "Retired", color: "#8a94a1", ink: "#fff" },
  };
  const COLORS = {
    unknown: "#c5ccd6",
    restricted: "#1d2733",
    incident: "#b3261e",
    impacted: "#7a1f5c",
    edge: "#8a94a1",
    edgeLabel: "#36414e",
    selected: "#ffbf47",
    center: "#15324f",
  };
  const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

  const instances = new WeakMap();

  // ---------- small helpers ----------

  function statusKey(status) {
    const key = String(status || "").toLowerCase().replace(/[^a-z]/g, "");
    return Object.prototype.hasOwnProperty.call(STATUS, key) ? key : "unknown";
  }

  function shorten(text, max) {
    const s = String(text == null ? "" : text);
    return s.length > max ? s.slice(0, max - 1) + "…" : s;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "text") node.textContent = v;
        else if (k === "className") node.className = v;
        else node.setAttribute(k, v === true ? "" : String(v));
      }
    }
    if (children) for (const c of children) if (c) node.append(c);
    return node;
  }

  function plural(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  // A red badge with the open-incident count, drawn as an SVG data URI (the CSP allows img-src data:).
  const badgeCache = new Map();
  function incidentBadge(count) {
    const text = count > 99 ? "99+" : String(count);
    if (badgeCache.has(text)) return badgeCache.get(text);
    const w = text.length > 1 ? 14 + text.length * 6 : 20;
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="' + w + '" height="20" viewBox="0 0 ' + w + ' 20">' +
      '<rect x="1" y="1" width="' + (w - 2) + '" height="18" rx="9" fill="' + COLORS.incident + '" stroke="#fff" stroke-width="2"/>' +
      '<text x="' + w / 2 + '" y="14.5" font-family="Arial, sans-serif" font-size="12" font-weight="700" fill="#fff" text-anchor="middle">' +
      text + "</text></svg>";
    const uri = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    const badge = { uri, width: w };
    badgeCache.set(text, badge);
    return badge;
  }

  function graphStyle() {
    return [
      {
        selector: "node",
        style: {
          "background-color": COLORS.unknown,
          "border-width": 2,
          "border-color": "#fff",
          width: "data(size)",
          height: "data(size)",
          label: "data(label)",
          "font-family": FONT,
          "font-size": 11,
          color: "#1d2733",
          "text-valign": "bottom",
          "text-halign": "center",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 140,
          "text-background-color": "#fff",
          "text-background-opacity": 0.85,
          "text-background-padding": 1,
          "text-background-shape": "roundrectangle",
          "min-zoomed-font-size": 7,
          "overlay-padding": 4,
        },
      },
      { selector: "node.st-operational", style: { "background-color": STATUS.operational.color } },
      { selector: "node.st-planned", style: { "background-color": STATUS.planned.color } },
      { selector: "node.st-undermaintenance", style: { "background-color": STATUS.undermaintenance.color } },
      { selector: "node.st-retired", style: { "background-color": STATUS.retired.color } },
      {
        selector: "node.restricted",
        style: { "background-color": COLORS.restricted, shape: "octagon", color: "#5b6675", "font-style": "italic" },
      },
      {
        selector: "node.has-incidents",
        style: {
          "border-color": COLORS.incident,
          "border-width": 4,
          "background-image": "data(badge)",
          "background-width": "data(badgeWidth)",
          "background-height": 20,
          "background-position-x": "130%",
          "background-position-y": "-40%",
          "background-clip": "none",
          "background-image-containment": "over",
          "bounds-expansion": 14,
        },
      },
      // CIs with many relationships keep their label readable when zoomed out (font size set per zoom level).
      { selector: "node.hub", style: { "font-weight": 600, "min-zoomed-font-size": 0, "z-index": 10 } },
      {
        selector: "node.center",
        style: { "font-size": 13, "font-weight": 700, "min-zoomed-font-size": 0, "z-index": 20 },
      },
      { selector: "node.center:unselected", style: { "underlay-color": COLORS.center, "underlay-padding": 5, "underlay-opacity": 0.25, "underlay-shape": "ellipse" } },
      { selector: "node.expandable", style: { "border-style": "double", "border-width": 4, "border-color": "#5b6675" } },
      { selector: "node.expandable.has-incidents", style: { "border-width": 5, "border-color": COLORS.incident } },
      {
        selector: "node:selected",
        style: { "underlay-color": COLORS.selected, "underlay-padding": 7, "underlay-opacity": 0.9, "underlay-shape": "ellipse", "min-zoomed-font-size": 0, "z-index": 30 },
      },
      {
        selector: "edge",
        style: {
          width: 1.5,
          "line-color": COLORS.edge,
          "target-arrow-color": COLORS.edge,
          "target-arrow-shape": "triangle",
          "arrow-scale": 0.9,
          "curve-style": "bezier",
          label: "data(label)",
          "font-family": FONT,
          "font-size": 9,
          color: COLORS.edgeLabel,
          "text-rotation": "autorotate",
          "text-background-color": "#f4f6f9",
          "text-background-opacity": 0.9,
          "text-background-padding": 1,
          "min-zoomed-font-size": 8,
        },
      },
      { selector: "edge:selected", style: { width: 3, "line-color": "#36414e", "target-arrow-color": "#36414e" } },
      { selector: ".filtered", style: { display: "none" } },
      // Impact highlight: impacted CIs get a plum ring, path edges a thick plum line, the rest fades.
      { selector: ".dimmed", style: { opacity: 0.28 } },
      {
        selector: "node.impacted",
        style: { "underlay-color": COLORS.impacted, "underlay-padding": 6, "underlay-opacity": 0.55, "underlay-shape": "ellipse", "min-zoomed-font-size": 0 },
      },
      { selector: "node.impact-start", style: { "underlay-color": COLORS.impacted, "underlay-padding": 9, "underlay-opacity": 0.85 } },
      {
        selector: "edge.impact-path",
        style: { width: 4, "line-color": COLORS.impacted, "target-arrow-color": COLORS.impacted, "z-index": 25, "min-zoomed-font-size": 0, color: COLORS.impacted },
      },
    ];
  }

  // Hops from a node over the visible (unfiltered) elements, as a Map of element id -> distance.
  function hopsFrom(start) {
    const depth = new Map([[start.id(), 0]]);
    const queue = [start];
    while (queue.length) {
      const n = queue.shift();
      const d = depth.get(n.id());
      n.connectedEdges().not(".filtered").connectedNodes().not(".filtered").forEach((m) => {
        if (!depth.has(m.id())) {
          depth.set(m.id(), d + 1);
          queue.push(m);
        }
      });
    }
    return depth;
  }

  function layoutOptions(name, cy, opts) {
    const count = cy.nodes(":visible").length;
    const center = opts.centerId ? cy.getElementById(opts.centerId) : null;
    if (name === "concentric" || name === "breadthfirst") {
      const o = {
        name,
        fit: true,
        padding: 24,
        animate: count <= 150,
        animationDuration: 400,
        avoidOverlap: true,
        nodeDimensionsIncludeLabels: true,
        spacingFactor: name === "breadthfirst" ? 1.1 : 0.9,
      };
      if (name === "concentric" && center && center.nonempty()) {
        const depth = hopsFrom(center);
        o.concentric = (n) => 100 - (depth.has(n.id()) ? depth.get(n.id()) : 50);
        o.levelWidth = () => 1;
        o.minNodeSpacing = 12;
      }
      if (name === "breadthfirst" && center && center.nonempty()) {
        o.roots = [center];
        o.directed = false;
        o.circle = false;
      }
      return o;
    }
    // Compact enough that ~200 CIs fit a 1000x550 canvas at a zoom where the hub labels stay readable.
    return {
      name: "cose",
      fit: true,
      padding: 24,
      animate: count <= 150 && !opts.initial ? "end" : false,
      animationDuration: 400,
      randomize: !!opts.randomize,
      nodeDimensionsIncludeLabels: false,
      componentSpacing: 40,
      nodeOverlap: 8,
      nodeRepulsion: () => (count > 120 ? 3500 : 5000),
      idealEdgeLength: () => (count > 120 ? 40 : 60),
      edgeElasticity: () => 100,
      nestingFactor: 1.2,
      gravity: count > 120 ? 2.5 : 1.5,
      numIter: 1500,
      initialTemp: opts.randomize ? 1000 : 250,
      coolingFactor: 0.97,
      minTemp: 1.0,
    };
  }

  // ---------- the widget ----------

  class CmdbGraph {
    constructor(root) {
      this.root = root;
      this.graphUrl = root.dataset.graphUrl;
      this.ciUrlTemplate = root.dataset.ciUrlTemplate || "";
      this.highlightUrl = root.dataset.highlightUrl || "";
      this.limit = parseInt(root.dataset.limit || "", 10) || DEFAULT_LIMIT;
      this.maxNodes = parseInt(root.dataset.maxNodes || "", 10) || DEFAULT_MAX_NODES;
      this.expandUrlTemplate = root.dataset.expandUrlTemplate || "";
      this.centerId = null;
      this.expanded = new Set(); // CI ids whose neighbourhood is loaded
      this.loading = new Set();
      this.truncated = new Map(); // CI id -> name, neighbourhoods the API cut at the limit
      this.types = new Map(); // type code -> { label, checked }
      this.classes = new Map(); // class code -> { label, checked }
      this.highlightState = null;
      this.layoutName = "cose";
      this.buildDom();
      this.cy = window.cytoscape({
        container: this.canvas,
        style: graphStyle(),
        minZoom: 0.08,
        maxZoom: 3,
        boxSelectionEnabled: false,
        selectionType: "single",
        autoungrabify: false,
        pixelRatio: "auto",
      });
      this.bindGraphEvents();
      // The container can change size without a window resize (panels opening, fonts loading): keep the canvas in step.
      if (typeof ResizeObserver === "function") {
        this.resizeObserver = new ResizeObserver(() => this.cy.resize());
        this.resizeObserver.observe(this.canvas);
      }
      root.addEventListener("itsm-graph:highlight", (e) => this.highlight(e.detail || {}));
      root.addEventListener("itsm-graph:clear-highlight", () => this.clearHighlight());
      this.load();
    }

    // DOM: toolbar, live status, truncated note, canvas, info panel, filters, legend.
    buildDom() {
      const root = this.root;
      root.replaceChildren();
      root.classList.add("cmdb-graph--ready");
      const uid = "cg" + Math.random().toString(36).slice(2, 8);

      this.btnFit = el("button", { type: "button", className: "btn btn-outline-secondary btn-sm", text: "Fit" });
      this.btnLayout = el("button", { type: "button", className: "btn btn-outline-secondary btn-sm", text: "Re-layout" });
      this.btnZoomIn = el("button", { type: "button", className: "btn btn-outline-secondary btn-sm cmdb-graph-zoom", "aria-label": "Zoom in", text: "+" });
      this.btnZoomOut = el("button", { type: "button", className: "btn btn-outline-secondary btn-sm cmdb-graph-zoom", "aria-label": "Zoom out", text: "−" });
      this.btnClear = el("button", { type: "button", className: "btn btn-outline-secondary btn-sm", text: "Clear highlight", hidden: true });
      this.layoutSelect = el("select", { className: "form-select form-select-sm", id: uid + "-layout" }, [
        el("option", { value: "cose", text: "Force" }),
        el("option", { value: "concentric", text: "Rings" }),
        el("option", { value: "breadthfirst", text: "Tree" }),
      ]);
      const layoutField = el("span", { className: "cmdb-graph-layout" }, [
        el("label", { for: uid + "-layout", text: "Layout" }),
        this.layoutSelect,
      ]);
      this.toolbar = el("div", { className: "cmdb-graph-toolbar", role: "toolbar", "aria-label": "Graph controls" }, [
        this.btnFit, this.btnZoomIn, this.btnZoomOut, layoutField, this.btnLayout, this.btnClear,
      ]);

      this.status = el("p", { className: "cmdb-graph-status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
      this.note = el("p", { className: "cmdb-graph-note", hidden: true });
      this.canvas = el("div", { className: "cmdb-graph-canvas", role: "img", "aria-label": "Dependency graph (loading)" });
      this.hint = el("p", { className: "cmdb-graph-hint", text: "Tap a CI to load its neighbours; double-tap to open it. Drag to pan, pinch or scroll to zoom." });

      this.info = el("section", { className: "cmdb-graph-info", "aria-label": "Selected CI", hidden: true });

      this.typeBox = el("div", { className: "chips" });
      this.classBox = el("div", { className: "chips" });
      this.filters = el("details", { className: "cmdb-graph-filters filter-panel" }, [
        el("summary", { text: "Filter relationships and classes" }),
        el("div", { className: "cmdb-graph-filter-grid" }, [
          el("fieldset", null, [el("legend", { text: "Relationship types" }), this.typeBox]),
          el("fieldset", null, [el("legend", { text: "CI classes" }), this.classBox]),
        ]),
      ]);

      this.legend = this.buildLegend();

      const stage = el("div", { className: "cmdb-graph-stage" }, [this.canvas, this.info]);
      root.append(this.toolbar, this.status, this.note, stage, this.hint, this.filters, this.legend);

      this.btnFit.addEventListener("click", () => this.fit());
      this.btnZoomIn.addEventListener("click", () => this.zoomBy(1.3));
      this.btnZoomOut.addEventListener("click", () => this.zoomBy(1 / 1.3));
      this.btnLayout.addEventListener("click", () => this.relayout({ randomize: true }));
      this.layoutSelect.addEventListener("change", () => {
        this.layoutName = this.layoutSelect.value;
        this.relayout({ randomize: true });
      });
      this.btnClear.addEventListener("click", () => this.clearHighlight());
      this.typeBox.addEventListener("change", (e) => this.onFilterChange(e, this.types));
      this.classBox.addEventListener("change", (e) => this.onFilterChange(e, this.classes));
      this.info.addEventListener("click", (e) => {
        const btn = e.target.closest("button[data-action]");
        if (!btn) return;
        const id = btn.dataset.id;
        if (btn.dataset.action === "expand") this.expand(id);
        else if (btn.dataset.action === "close") this.cy.nodes(":selected").unselect();
        else if (btn.dataset.action === "focus") this.focusNode(id);
      });
    }

    buildLegend() {
      const item = (swatchClass, text) =>
        el("li", null, [el("span", { className: "cmdb-graph-swatch " + swatchClass, "aria-hidden": "true" }), el("span", { text })]);
      return el("details", { className: "cmdb-graph-legend filter-panel" }, [
        el("summary", { text: "Legend" }),
        el("ul", null, [
          item("sw-operational", "Operational"),
          item("sw-planned", "Planned"),
          item("sw-undermaintenance", "Under Maintenance"),
          item("sw-retired", "Retired"),
          item("sw-unknown", "Other status"),
          item("sw-restricted", "Restricted CI (details hidden)"),
          item("sw-incident", "Open incidents (red ring, count)"),
          item("sw-expandable", "More neighbours to load (double ring)"),
          item("sw-impacted", "Impacted (impact analysis)"),
          item("sw-arrow", "Arrow: from source to target, labelled with the relationship (A runs on B)"),
        ]),
      ]);
    }

    bindGraphEvents() {
      const cy = this.cy;
      cy.on("tap", "node", (e) => {
        const node = e.target;
        this.showInfo(node);
        const id = node.data("ciId");
        if (!node.data("restricted") && !this.expanded.has(id)) this.expand(id);
      });
      cy.on("dbltap", "node", (e) => {
        const url = this.ciUrl(e.target);
        if (url) window.location.assign(url);
      });
      cy.on("tap", (e) => {
        if (e.target === cy) {
          cy.elements(":selected").unselect();
          this.hideInfo();
        }
      });
      cy.on("unselect", "node", () => {
        if (cy.nodes(":selected").empty()) this.hideInfo();
      });
      let scaleQueued = false;
      cy.on("zoom", () => {
        if (scaleQueued) return;
        scaleQueued = true;
        window.requestAnimationFrame(() => { scaleQueued = false; this.scaleLabels(); });
      });
      cy.on("mouseover", "node", () => this.canvas.classList.add("is-pointer"));
      cy.on("mouseout", "node", () => this.canvas.classList.remove("is-pointer"));
    }

    ciUrl(node) {
      if (!this.ciUrlTemplate || !node || node.data("restricted")) return "";
      return this.ciUrlTemplate.replace("{id}", encodeURIComponent(node.data("ciId")));
    }

    neighbourhoodUrl(id) {
      let base;
      if (this.expandUrlTemplate) base = this.expandUrlTemplate.replace("{id}", encodeURIComponent(id));
      else if (this.centerId !== null && /\/cis\/[^/?#]+\/graph/.test(this.graphUrl)) {
        base = this.graphUrl.replace(/\/cis\/[^/?#]+\/graph/, "/cis/" + encodeURIComponent(id) + "/graph");
      } else base = "/api/v1/cis/" + encodeURIComponent(id) + "/graph";
      return base;
    }

    withQuery(url, filtered) {
      const [path, hash] = url.split("#");
      const params = [];
      params.push("depth=1", "limit=" + this.limit);
      if (filtered) {
        const types = this.activeFilter(this.types);
        const classes = this.activeFilter(this.classes);
        if (types) params.push("types=" + types.map(encodeURIComponent).join(","));
        if (classes) params.push("classes=" + classes.map(encodeURIComponent).join(","));
      }
      // Drop any depth/limit the page already put on the URL; ours win.
      const [p, q] = path.split("?");
      const kept = (q || "").split("&").filter((kv) => kv && !/^(depth|limit|types|classes)=/.test(kv));
      return p + "?" + kept.concat(params).join("&") + (hash ? "#" + hash : "");
    }

    // The checked codes when some are unchecked (a filter is active), else null (no filter).
    activeFilter(map) {
      const all = [...map.entries()];
      if (all.length === 0 || all.every(([, v]) => v.checked)) return null;
      const checked = all.filter(([, v]) => v.checked).map(([k]) => k);
      return checked.length ? checked : null;
    }

    async fetchJson(url) {
      const res = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!res.ok) {
        const err = new Error("HTTP " + res.status);
        err.status = res.status;
        throw err;
      }
      return res.json();
    }

    announce(text) {
      // Clear first so the same sentence twice is read twice.
      this.status.textContent = "";
      window.setTimeout(() => { this.status.textContent = text; }, 30);
      this.status.dataset.message = text;
    }

    errorText(err) {
      if (err && err.status === 403) return "you may not see it";
      if (err && err.status === 404) return "it was not found";
      if (err && err.status === 401) return "you are signed out; reload the page to sign in";
      return err && err.status ? "the server answered " + err.status : "the network failed";
    }

    async load() {
      if (!this.graphUrl) {
        this.announce("The graph has no data-graph-url.");
        return;
      }
      this.root.setAttribute("aria-busy", "true");
      this.announce("Loading the dependency graph…");
      try {
        const data = await this.fetchJson(this.withQuery(this.graphUrl, false));
        this.centerId = data.center != null ? String(data.center) : null;
        const added = this.merge(data, this.centerId, true);
        if (this.centerId !== null) this.expanded.add(this.centerId);
        this.markExpandable();
        this.markHubs();
        this.applyFilters();
        this.relayout({ randomize: true, initial: true });
        const center = this.centerId !== null ? this.cy.getElementById("n" + this.centerId) : null;
        const centerName = center && center.nonempty() ? center.data("name") : "the CI";
        this.announce(
          "Graph loaded: " + centerName + " and " + plural(Math.max(0, added.nodes - 1), "related CI", "related CIs") +
          ", " + plural(added.edges, "relationship", "relationships") + "." +
          (data.truncated ? " Only the first " + this.limit + " neighbours are shown." : "")
        );
        this.updateSummary();
        this.emit("itsm-graph:loaded", { center: this.centerId, nodes: this.cy.nodes().length, edges: this.cy.edges().length });
        if (this.highlightUrl) this.loadHighlight();
        else if (this.highlightState) this.applyHighlight();
      } catch (err) {
        this.announce("The graph could not be loaded: " + this.errorText(err) + ". The list of relationships still works.");
        this.canvas.setAttribute("aria-label", "Dependency graph (not loaded)");
        this.root.classList.add("cmdb-graph--failed");
      } finally {
        this.root.removeAttribute("aria-busy");
      }
    }

    async expand(id) {
      id = String(id);
      const node = this.cy.getElementById("n" + id);
      if (node.empty() || node.data("restricted") || this.expanded.has(id) || this.loading.has(id)) return;
      const name = node.data("name");
      if (this.cy.nodes().length >= this.maxNodes) {
        this.announce("The graph already shows " + this.cy.nodes().length + " CIs, the most it draws. Open " + name + "'s page to see its relationships.");
        return;
      }
      this.loading.add(id);
      node.addClass("loading");
      this.root.setAttribute("aria-busy", "true");
      this.announce("Loading the neighbours of " + name + "…");
      try {
        const data = await this.fetchJson(this.withQuery(this.neighbourhoodUrl(id), true));
        this.expanded.add(id);
        const pos = node.position();
        const added = this.merge(data, id, false, pos);
        this.markExpandable();
        this.markHubs();
        this.applyFilters();
        if (added.nodes > 0) this.relayout({ randomize: false });
        this.announce(
          added.nodes === 0 && added.edges === 0
            ? "No more neighbours of " + name + " to show."
            : "Loaded the neighbours of " + name + ": " + plural(added.nodes, "new CI", "new CIs") + ", " +
              plural(added.edges, "new relationship", "new relationships") + "." +
              (data.truncated ? " Only the first " + this.limit + " were sent." : "")
        );
        this.updateSummary();
        if (this.highlightState) this.applyHighlight();
        const sel = this.cy.nodes(":selected");
        if (sel.nonempty() && sel.data("ciId") === id) this.showInfo(sel);
        this.emit("itsm-graph:expanded", { id, addedNodes: added.nodes, addedEdges: added.edges });
      } catch (err) {
        this.announce("The neighbours of " + name + " could not be loaded: " + this.errorText(err) + ".");
      } finally {
        this.loading.delete(id);
        node.removeClass("loading");
        if (this.loading.size === 0) this.root.removeAttribute("aria-busy");
      }
    }

    // Adds the nodes and edges not yet shown; returns how many of each were new.
    merge(data, fromId, isInitial, near) {
      const cy = this.cy;
      const nodes = Array.isArray(data && data.nodes) ? data.nodes : [];
      const edges = Array.isArray(data && data.edges) ? data.edges : [];
      const add = [];
      let newNodes = 0;
      let newEdges = 0;
      const known = new Set();
      for (const n of nodes) {
        if (!n || n.id === undefined || n.id === null) continue;
        const id = String(n.id);
        known.add(id);
        const existing = cy.getElementById("n" + id);
        if (existing.nonempty()) {
          // A node first seen as restricted stays restricted; otherwise refresh its facts.
          if (!existing.data("restricted") && !n.restricted) existing.data(this.nodeData(n));
          continue;
        }
        const ele = { group: "nodes", data: this.nodeData(n), classes: this.nodeClasses(n) };
        if (near) {
          const angle = Math.random() * Math.PI * 2;
          const r = 40 + Math.random() * 40;
          ele.position = { x: near.x + Math.cos(angle) * r, y: near.y + Math.sin(angle) * r };
        }
        add.push(ele);
        newNodes++;
        if (!n.restricted && n.class) this.registerFilter(this.classes, n.class, n.className || n.class);
      }
      cy.batch(() => {
        if (add.length) cy.add(add);
        const edgeAdds = [];
        for (const e of edges) {
          if (!e || e.source == null || e.target == null) continue;
          const s = String(e.source);
          const t = String(e.target);
          if (cy.getElementById("n" + s).empty() || cy.getElementById("n" + t).empty()) continue;
          const type = e.type || "related";
          const eid = "e" + (e.id != null ? String(e.id) : s + "-" + type + "-" + t);
          if (cy.getElementById(eid).nonempty()) continue;
          edgeAdds.push({
            group: "edges",
            data: { id: eid, relId: e.id != null ? String(e.id) : null, source: "n" + s, target: "n" + t, type, label: e.name || type, inverse: e.inverse || "" },
          });
          this.registerFilter(this.types, type, e.name || type);
          newEdges++;
        }
        if (edgeAdds.length) cy.add(edgeAdds);
        if (isInitial && this.centerId !== null) cy.getElementById("n" + this.centerId).addClass("center");
      });
      if (data && data.truncated && fromId != null) {
        const fromNode = cy.getElementById("n" + fromId);
        this.truncated.set(String(fromId), fromNode.nonempty() ? fromNode.data("name") : String(fromId));
      }
      this.renderFilters();
      return { nodes: newNodes, edges: newEdges };
    }

    nodeData(n) {
      const id = String(n.id);
      if (n.restricted) {
        return { id: "n" + id, ciId: id, restricted: true, name: n.name || "Restricted CI", label: n.name || "Restricted CI", size: 24 };
      }
      const crit = Number(n.criticality);
      const size = crit >= 1 && crit <= 4 ? [0, 38, 32, 27, 23][crit] : 26;
      const incidents = Math.max(0, Number(n.openIncidents) || 0);
      const d = {
        id: "n" + id,
        ciId: id,
        restricted: false,
        name: n.name || "CI " + id,
        label: shorten(n.name || "CI " + id, LABEL_MAX),
        cls: n.class || "",
        className: n.className || n.class || "",
        status: n.status || "",
        criticality: Number.isFinite(crit) ? crit : null,
        openIncidents: incidents,
        size: String(id) === this.centerId ? Math.max(size, 40) : size,
      };
      if (incidents > 0) {
        const b = incidentBadge(incidents);
        d.badge = b.uri;
        d.badgeWidth = b.width;
      }
      return d;
    }

    nodeClasses(n) {
      if (n.restricted) return ["restricted"];
      const list = ["st-" + statusKey(n.status)];
      if (Number(n.openIncidents) > 0) list.push("has-incidents");
      if (String(n.id) === this.centerId) list.push("center");
      return list;
    }

    // Nodes whose own neighbourhood is not loaded yet get a double ring (tap to load).
    markExpandable() {
      this.cy.batch(() => {
        this.cy.nodes().forEach((n) => {
          const can = !n.data("restricted") && !this.expanded.has(n.data("ciId"));
          n.toggleClass("expandable", can);
        });
      });
    }

    // Hubs: the centre and the CIs with the most relationships (at least 4), about one in ten.
    markHubs() {
      const cy = this.cy;
      const degrees = cy.nodes().map((n) => n.degree(false)).sort((a, b) => b - a);
      const cut = Math.max(4, degrees[Math.min(degrees.length - 1, Math.floor(degrees.length / 10))] || 4);
      cy.batch(() => cy.nodes().forEach((n) => n.toggleClass("hub", n.hasClass("center") || n.degree(false) >= cut)));
      this.scaleLabels();
    }

    // Hub labels stay about 11-12 px on screen while zoomed out; others show from zoom ~0.65 (min-zoomed-font-size).
    scaleLabels() {
      const z = this.cy.zoom();
      const size = Math.round(Math.min(30, Math.max(11, 11.5 / z)));
      const centerSize = Math.round(Math.min(34, Math.max(13, 13.5 / z)));
      if (size === this.hubFont && centerSize === this.centerFont) return;
      this.hubFont = size;
      this.centerFont = centerSize;
      this.cy.style().selector("node.hub").style({ "font-size": size, "text-max-width": 12 * size })
        .selector("node.center").style({ "font-size": centerSize }).update();
    }

    registerFilter(map, code, label) {
      if (!map.has(code)) map.set(code, { label, checked: true, fresh: true });
    }

    renderFilters() {
      const render = (map, box, kind) => {
        for (const [code, v] of map) {
          if (!v.fresh) continue;
          v.fresh = false;
          const input = el("input", { type: "checkbox", className: "form-check-input", value: code, "data-kind": kind });
          input.checked = v.checked;
          box.append(el("label", { className: "chip" }, [input, el("span", { text: v.label })]));
        }
      };
      render(this.types, this.typeBox, "type");
      render(this.classes, this.classBox, "class");
    }

    onFilterChange(e, map) {
      const input = e.target;
      if (!input || input.type !== "checkbox") return;
      const entry = map.get(input.value);
      if (entry) entry.checked = input.checked;
      const shown = this.applyFilters();
      this.fit();
      this.announce(
        (input.checked ? "Showing " : "Hiding ") + (entry ? entry.label : input.value) + ". " +
        plural(shown.nodes, "CI", "CIs") + " and " + plural(shown.edges, "relationship", "relationships") + " visible."
      );
      this.updateSummary();
    }

    // Hides edges of unchecked types and nodes of unchecked classes, then whatever the centre no longer reaches.
    applyFilters() {
      const cy = this.cy;
      const typeOn = (t) => !this.types.has(t) || this.types.get(t).checked;
      const classOn = (c) => !c || !this.classes.has(c) || this.classes.get(c).checked;
      let shown = { nodes: 0, edges: 0 };
      cy.batch(() => {
        const okNode = new Set();
        cy.nodes().forEach((n) => {
          if (n.data("restricted") || classOn(n.data("cls")) || n.hasClass("center")) okNode.add(n.id());
        });
        const okEdge = (e) => typeOn(e.data("type")) && okNode.has(e.data("source")) && okNode.has(e.data("target"));
        // Reachable from the centre over allowed edges; without a centre, everything allowed.
        let reach = okNode;
        const start = this.centerId !== null ? cy.getElementById("n" + this.centerId) : cy.collection();
        if (start.nonempty()) {
          reach = new Set([start.id()]);
          const queue = [start];
          while (queue.length) {
            const n = queue.shift();
            n.connectedEdges().forEach((e) => {
              if (!okEdge(e)) return;
              const other = e.source().id() === n.id() ? e.target() : e.source();
              if (!reach.has(other.id())) {
                reach.add(other.id());
                queue.push(other);
              }
            });
          }
        }
        cy.nodes().forEach((n) => {
          const vis = okNode.has(n.id()) && reach.has(n.id());
          n.toggleClass("filtered", !vis);
          if (vis) shown.nodes++;
        });
        cy.edges().forEach((e) => {
          const vis = okEdge(e) && reach.has(e.data("source")) && reach.has(e.data("target"));
          e.toggleClass("filtered", !vis);
          if (vis) shown.edges++;
        });
      });
      const sel = cy.nodes(":selected");
      if (sel.nonempty() && sel.hasClass("filtered")) {
        sel.unselect();
        this.hideInfo();
      }
      return shown;
    }

    relayout(opts) {
      const cy = this.cy;
      if (cy.nodes().empty()) return;
      if (this.layout) this.layout.stop();
      const visible = cy.elements().not(".filtered");
      this.layout = visible.layout(layoutOptions(this.layoutName, cy, { centerId: this.centerId !== null ? "n" + this.centerId : null, randomize: opts && opts.randomize, initial: opts && opts.initial }));
      // settled: false while nodes still move, so a script (or a test) can wait before it points at one.
      this.settled = false;
      // Fit once more when it stops: an animated layout may end outside the view it fitted at its start.
      this.layout.one("layoutstop", () => {
        if (this.layoutName === "cose") this.matchOrientation(visible);
        this.fitView(visible);
        this.settled = true;
      });
      this.layout.run();
    }

    // A force layout has no up or down: turn a wide drawing upright on a tall canvas (phones), and back.
    matchOrientation(eles) {
      const bb = eles.nodes().boundingBox();
      const canvasTall = this.cy.height() > this.cy.width() * 1.15;
      const drawingTall = bb.h > bb.w * 1.15;
      const canvasWide = this.cy.width() > this.cy.height() * 1.15;
      const drawingWide = bb.w > bb.h * 1.15;
      if (!((canvasTall && drawingWide) || (canvasWide && drawingTall))) return;
      const cx = (bb.x1 + bb.x2) / 2;
      const cyy = (bb.y1 + bb.y2) / 2;
      eles.nodes().positions((n) => {
        const p = n.position();
        return { x: cx - (p.y - cyy), y: cyy + (p.x - cx) };
      });
    }

    // Fit, but never closer than 150 %: two CIs should not fill the screen.
    fitView(eles) {
      const cy = this.cy;
      cy.fit(eles, 24);
      if (cy.zoom() > 1.5) {
        cy.zoom(1.5);
        cy.center(eles);
      }
    }

    fit() {
      this.fitView(this.cy.elements().not(".filtered"));
    }

    zoomBy(factor) {
      const cy = this.cy;
      const level = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), cy.zoom() * factor));
      cy.animate({ zoom: { level, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } } }, { duration: 150 });
    }

    focusNode(id) {
      const node = this.cy.getElementById("n" + id);
      if (node.empty()) return;
      this.cy.animate({ center: { eles: node }, zoom: Math.max(this.cy.zoom(), 1) }, { duration: 250 });
    }

    updateSummary() {
      const cy = this.cy;
      const visN = cy.nodes().not(".filtered").length;
      const visE = cy.edges().not(".filtered").length;
      const hiddenN = cy.nodes().length - visN;
      const center = this.centerId !== null ? cy.getElementById("n" + this.centerId) : null;
      const centerName = center && center.nonempty() ? center.data("name") : "this CI";
      this.canvas.setAttribute(
        "aria-label",
        "Dependency graph around " + centerName + ": " + plural(visN, "CI", "CIs") + " and " +
        plural(visE, "relationship", "relationships") + " shown" + (hiddenN ? ", " + hiddenN + " hidden by filters" : "") +
        ". The same relationships are listed on the page."
      );
      if (this.truncated.size) {
        const names = [...this.truncated.values()];
        const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? " and " + (names.length - 5) + " more" : "");
        this.note.textContent =
          "Not every neighbour is shown: the server sent only the first " + this.limit + " for " + shown +
          ". Use the filters, or open the CI page for the full list.";
        this.note.hidden = false;
      } else {
        this.note.hidden = true;
      }
    }

    showInfo(node) {
      const d = node.data();
      const id = d.ciId;
      const rows = [];
      const row = (k, v) => { if (v !== null && v !== undefined && v !== "") rows.push(el("dt", { text: k }), el("dd", { text: String(v) })); };
      const actions = [];
      if (d.restricted) {
        row("Details", "Restricted: you may not see this CI.");
      } else {
        row("Class", d.className);
        row("Status", d.status);
        row("Criticality", d.criticality);
        row("Open incidents", d.openIncidents);
        const deg = node.connectedEdges().not(".filtered").length;
        row("Links shown", deg);
        const url = this.ciUrl(node);
        if (url) actions.push(el("a", { className: "btn btn-primary btn-sm", href: url, text: "Open CI page" }));
        if (!this.expanded.has(id)) {
          actions.push(el("button", { type: "button", className: "btn btn-outline-primary btn-sm", "data-action": "expand", "data-id": id, text: this.loading.has(id) ? "Loading…" : "Show neighbours" }));
        }
      }
      actions.push(el("button", { type: "button", className: "btn btn-outline-secondary btn-sm", "data-action": "focus", "data-id": id, text: "Centre" }));
      const close = el("button", { type: "button", className: "cmdb-graph-info-close", "data-action": "close", "aria-label": "Close details", text: "×" });
      const heading = el("h3", { className: "cmdb-graph-info-title", text: d.name });
      const status = d.restricted ? "restricted" : statusKey(d.status);
      heading.prepend(el("span", { className: "cmdb-graph-swatch sw-" + status, "aria-hidden": "true" }));
      this.info.replaceChildren(
        el("div", { className: "cmdb-graph-info-head" }, [heading, close]),
        rows.length ? el("dl", { className: "cmdb-graph-info-fields" }, rows) : null,
        el("div", { className: "cmdb-graph-info-actions" }, actions)
      );
      this.info.hidden = false;
    }

    hideInfo() {
      this.info.hidden = true;
    }

    // ---------- impact highlight ----------

    async loadHighlight() {
      try {
        const data = await this.fetchJson(this.highlightUrl);
        this.highlight(fromImpactResponse(data));
      } catch (err) {
        this.announce("The impact could not be loaded: " + this.errorText(err) + ".");
      }
    }

    highlight(spec) {
      const impacted = (spec.impacted || []).map((x) => String(x && typeof x === "object" ? x.id : x));
      const paths = (spec.paths || []).filter(Array.isArray).map((p) => p.map((x) => (x === null || x === undefined ? null : String(x && typeof x === "object" ? x.id : x))));
      this.highlightState = { impacted: new Set(impacted), paths };
      const shown = this.applyHighlight();
      this.announce(
        "Impact shown: " + plural(shown, "impacted CI", "impacted CIs") + " in the graph" +
        (impacted.length > shown ? " (" + (impacted.length - shown) + " more not loaded here)" : "") + "."
      );
      return shown;
    }

    applyHighlight() {
      const cy = this.cy;
      const st = this.highlightState;
      if (!st) return 0;
      let count = 0;
      cy.batch(() => {
        cy.elements().removeClass("impacted impact-path impact-start dimmed");
        const onPath = new Set();
        for (const path of st.paths) {
          if (path.length && path[0] !== null) cy.getElementById("n" + path[0]).addClass("impact-start");
          for (let i = 0; i + 1 < path.length; i++) {
            const a = path[i];
            const b = path[i + 1];
            if (a === null || b === null) continue; // a hidden (restricted) step breaks the drawn path
            const na = cy.getElementById("n" + a);
            const nb = cy.getElementById("n" + b);
            if (na.empty() || nb.empty()) continue;
            const between = na.edgesWith(nb);
            between.addClass("impact-path");
            if (between.nonempty()) { onPath.add(na.id()); onPath.add(nb.id()); }
          }
        }
        st.impacted.forEach((id) => {
          const n = cy.getElementById("n" + id);
          if (n.nonempty()) { n.addClass("impacted"); count++; }
        });
        cy.nodes().forEach((n) => {
          if (!n.hasClass("impacted") && !n.hasClass("impact-start") && !onPath.has(n.id())) n.addClass("dimmed");
        });
        cy.edges().forEach((e) => { if (!e.hasClass("impact-path")) e.addClass("dimmed"); });
      });
      this.btnClear.hidden = false;
      return count;
    }

    clearHighlight() {
      this.highlightState = null;
      this.cy.elements().removeClass("impacted impact-path impact-start dimmed");
      this.btnClear.hidden = true;
      this.announce("Impact highlight cleared.");
    }

    emit(name, detail) {
      this.root.dispatchEvent(new CustomEvent(name, { bubbles: true, detail }));
    }

    destroy() {
      if (this.layout) this.layout.stop();
      if (this.resizeObserver) this.resizeObserver.disconnect();
      this.cy.destroy();
      instances.delete(this.root);
    }
  }

  // GET /api/v1/cis/{id}/impact: {"impacted":[{"ci":{"id":..},"path":[{"ci":{"id":..}},...]}]}
  function fromImpactResponse(data) {
    const list = Array.isArray(data && data.impacted) ? data.impacted : [];
    const impacted = [];
    const paths = [];
    for (const item of list) {
      const id = item && item.ci && item.ci.id;
      if (id !== undefined && id !== null) impacted.push(id);
      if (item && Array.isArray(item.path)) {
        paths.push(item.path.map((step) => (step && step.ci && step.ci.id != null ? step.ci.id : null)));
      }
    }
    return { impacted, paths };
  }

  // ---------- public API ----------

  function resolve(element) {
    if (typeof element === "string") element = document.querySelector(element);
    return element || null;
  }

  function init(element) {
    const root = resolve(element);
    if (!root) return null;
    if (instances.has(root)) return instances.get(root);
    if (typeof window.cytoscape !== "function") {
      root.classList.add("cmdb-graph--failed");
      return null;
    }
    const inst = new CmdbGraph(root);
    instances.set(root, inst);
    return inst;
  }

  function withInstance(element, fn) {
    const inst = instances.get(resolve(element)) || init(element);
    return inst ? fn(inst) : undefined;
  }

  window.itsmGraph = Object.freeze({
    init,
    initAll: () => Array.from(document.querySelectorAll(".cmdb-graph[data-graph-url]"), init),
    get: (element) => instances.get(resolve(element)) || null,
    highlight: (element, spec) => withInstance(element, (g) => g.highlight(spec || {})),
    highlightImpactResponse: (element, data) => withInstance(element, (g) => g.highlight(fromImpactResponse(data))),
    clearHighlight: (element) => withInstance(element, (g) => g.clearHighlight()),
    expand: (element, id) => withInstance(element, (g) => g.expand(id)),
    fit: (element) => withInstance(element, (g) => g.fit()),
    relayout: (element) => withInstance(element, (g) => g.relayout({ randomize: true })),
    destroy: (element) => withInstance(element, (g) => g.destroy()),
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => window.itsmGraph.initAll());
  } else {
    window.itsmGraph.initAll();
  }
})();
