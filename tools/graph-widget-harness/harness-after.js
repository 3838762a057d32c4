/* Runs after the widget: scripted steps for screenshots, from the query string (see README.md). */
(function () {
  "use strict";
  const q = new URLSearchParams(location.search);
  const el = document.getElementById("graph");
  const log = window.harnessLog;
  const api = window.itsmGraph;
  if (!api) { log("ERROR window.itsmGraph missing"); return; }
  el.addEventListener("itsm-graph:loaded", async (e) => {
    log("loaded " + JSON.stringify(e.detail));
    const g = api.get(el);
    if (q.get("layout")) {
      g.layoutSelect.value = q.get("layout");
      g.layoutSelect.dispatchEvent(new Event("change"));
    }
    const expand = q.get("expand");
    if (expand) {
      let ids = expand === "all"
        ? g.cy.nodes().filter((n) => !n.data("restricted") && n.data("ciId") !== "500").map((n) => n.data("ciId"))
        : expand.split(",");
      for (const id of ids) await api.expand(el, id);
      if (q.get("expand2") === "all") {
        ids = g.cy.nodes(".expandable").filter((n) => n.data("ciId") !== "500").map((n) => n.data("ciId")).slice(0, 80);
        for (const id of ids) await api.expand(el, id);
      }
    }
    if (q.get("uncheck")) {
      for (const code of q.get("uncheck").split(",")) {
        const box = el.querySelector('input[type=checkbox][value="' + code + '"]');
        if (box) { box.checked = false; box.dispatchEvent(new Event("change", { bubbles: true })); }
      }
      if (q.get("then-expand")) await api.expand(el, q.get("then-expand"));
    }
    if (q.get("api-highlight")) {
      const data = window.harnessData.impact(Number(q.get("api-highlight")));
      api.highlightImpactResponse(el, data);
    }
    if (q.get("open")) el.querySelectorAll("details").forEach((d) => { d.open = true; });
    if (q.get("select")) {
      const n = g.cy.getElementById("n" + q.get("select"));
      n.select();
      g.showInfo(n);
    }
    setTimeout(() => {
      log("nodes=" + g.cy.nodes().length + " visible=" + g.cy.nodes().not(".filtered").length +
        " edges=" + g.cy.edges().length + " zoom=" + g.cy.zoom().toFixed(2));
      const bb = g.cy.elements().not(".filtered").boundingBox();
      const ex = g.cy.extent();
      log("canvas " + g.cy.width() + "x" + g.cy.height() + " bb x1=" + bb.x1.toFixed(0) + " x2=" + bb.x2.toFixed(0) + " y1=" + bb.y1.toFixed(0) + " y2=" + bb.y2.toFixed(0) +
        " extent x1=" + ex.x1.toFixed(0) + " x2=" + ex.x2.toFixed(0) + " y1=" + ex.y1.toFixed(0) + " y2=" + ex.y2.toFixed(0));
      log("scrollWidth " + document.documentElement.scrollWidth + " main " + document.getElementById("main").offsetWidth);
      const wide = [...document.querySelectorAll("body *")].filter((x) => x.offsetWidth > window.innerWidth).slice(0, 8)
        .map((x) => x.tagName + "." + x.className + "=" + x.offsetWidth);
      if (wide.length) log("wider than the window: " + wide.join(" "));
      log("status: " + g.status.dataset.message);
      log("aria-label: " + g.canvas.getAttribute("aria-label"));
      log("note: " + (g.note.hidden ? "(hidden)" : g.note.textContent));
      document.body.dataset.harnessDone = "1";
    }, 1500);
  });
})();
