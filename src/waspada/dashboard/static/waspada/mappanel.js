/* Waspada map workspace: the side panel of the selected region (/peta/panel/<code>.json) — score with its
   trend as a small SVG chart, largest indicators, recent incidents, open alerts, response actions — and
   the list of markers of a cluster. Plain ES5. */
(function () {
  "use strict";
  var M = window.WaspadaMap;
  var panel = document.getElementById("panel");
  if (!M || !panel) return;
  var titleEl = document.getElementById("panel-title"), body = document.getElementById("panel-body");
  var t = M.text, fmt = M.fmt, node = M.node;
  var seq = 0, shown = null, regionCode = null;

  function h(tag, attrs, textContent) {
    var n = node(tag, attrs || {});
    if (textContent !== undefined && textContent !== null) n.textContent = textContent;
    return n;
  }
  function link(href, label) { return h("a", { href: href }, label); }

  function section(id, heading) {
    var s = h("section", { "class": "panel-part", id: id });
    s.appendChild(h("h3", {}, heading));
    body.appendChild(s);
    return s;
  }

  function trendChart(points) {
    var vals = points.filter(function (p) { return p[1] !== null; });
    if (vals.length < 2) return null;
    var W = 240, H = 56, P = 4;
    var min = Math.min.apply(null, vals.map(function (p) { return p[1]; }));
    var max = Math.max.apply(null, vals.map(function (p) { return p[1]; }));
    var lo = Math.max(0, min - 5), hi = Math.min(100, max + 5);
    if (hi - lo < 10) { hi = Math.min(100, lo + 10); lo = Math.max(0, hi - 10); }
    var n = points.length;
    var d = "", pen = false;
    points.forEach(function (p, i) {
      if (p[1] === null) { pen = false; return; }
      var x = P + (n > 1 ? (W - 2 * P) * i / (n - 1) : 0), y = P + (H - 2 * P) * (1 - (p[1] - lo) / (hi - lo));
      d += (pen ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
      pen = true;
    });
    var desc = fmt(t.pTrendDesc, { first: points[0][0], last: points[n - 1][0], min: min, max: max });
    var svg = node("svg", { viewBox: "0 0 " + W + " " + H, "class": "spark", role: "img", "aria-labelledby": "spark-title spark-desc" }, true);
    svg.appendChild(node("title", { id: "spark-title" }, true)).textContent = t.pTrend || "";
    svg.appendChild(node("desc", { id: "spark-desc" }, true)).textContent = desc;
    svg.appendChild(node("path", { d: d, "class": "spark-line" }, true));
    var lastPt = vals[vals.length - 1];
    var lx = P + (W - 2 * P) * (points.indexOf(lastPt)) / Math.max(1, n - 1);
    var ly = P + (H - 2 * P) * (1 - (lastPt[1] - lo) / (hi - lo));
    svg.appendChild(node("circle", { cx: lx.toFixed(1), cy: ly.toFixed(1), r: 3, "class": "spark-dot" }, true));
    return svg;
  }

  function renderIndex(ix) {
    var s = section("panel-index", t.pIndex);
    if (!ix) { s.appendChild(h("p", { "class": "muted small" }, t.pNoIndex)); return; }
    var p = h("p", { "class": "index-score" });
    var badge = h("span", { "class": "badge cat-" + ix.category, "data-category": ix.category }, ix.category_label || ix.category);
    p.appendChild(badge);
    p.appendChild(document.createTextNode(" " + (t.pScore || "") + " "));
    p.appendChild(h("strong", {}, ix.score === null ? "–" : String(ix.score)));
    p.appendChild(document.createTextNode(" / 100 "));
    p.appendChild(h("span", { "class": "muted small" }, "(" + ix.date + ")"));
    s.appendChild(p);
    if (ix.delta !== null) {
      s.appendChild(h("p", { "class": "small trend " + (ix.delta > 0 ? "trend-up" : ix.delta < 0 ? "trend-down" : "trend-flat") },
        (ix.delta > 0 ? "▲ +" : ix.delta < 0 ? "▼ " : "■ ") + fmt(t.pDelta, { delta: ix.delta })));
    }
    var chart = trendChart(ix.trend);
    if (chart) s.appendChild(chart);
    if (ix.top.length) {
      s.appendChild(h("p", { "class": "small" }, t.pTop + ":"));
      var ol = h("ol", { "class": "top-list small" });
      ix.top.forEach(function (c) {
        var li = h("li", {}, c.label + " ");
        li.appendChild(h("span", { "class": "num muted" }, String(c.points)));
        ol.appendChild(li);
      });
      s.appendChild(ol);
    }
  }

  function itemList(items, render) {
    var ul = h("ul", { "class": "panel-list small" });
    items.forEach(function (it) { ul.appendChild(render(it)); });
    return ul;
  }

  function renderIncidents(inc) {
    var s = section("panel-incidents", t.pIncidents);
    s.appendChild(h("p", { "class": "muted small" }, fmt(t.pIncidentsCount, { n: inc.count, days: inc.window_days })));
    if (!inc.recent.length) s.appendChild(h("p", { "class": "muted small" }, t.pNoIncidents));
    else s.appendChild(itemList(inc.recent, function (i) {
      var li = h("li", {});
      li.appendChild(link(i.url, i.number + " " + i.title));
      li.appendChild(h("span", { "class": "muted" }, " · " + i.type_label + " · " + i.status_label + " · " + i.when.slice(0, 10) + " · " + i.region_name));
      return li;
    }));
    s.appendChild(h("p", { "class": "small" })).appendChild(link(inc.list_url, t.pAll));
  }

  function renderAlerts(al) {
    var s = section("panel-alerts", t.pAlerts + " (" + al.count + ")");
    if (!al.recent.length) s.appendChild(h("p", { "class": "muted small" }, t.pNoAlerts));
    else s.appendChild(itemList(al.recent, function (a) {
      var li = h("li", {});
      li.appendChild(link(a.url, a.number + " " + a.title));
      li.appendChild(h("span", { "class": "muted" }, " · " + a.status_label + " · " + a.when.slice(0, 10)));
      return li;
    }));
    s.appendChild(h("p", { "class": "small" })).appendChild(link(al.list_url, t.pAll));
  }

  function renderActions(ac) {
    var s = section("panel-actions", t.pActions + " (" + ac.open + ")");
    if (!ac.recent.length) s.appendChild(h("p", { "class": "muted small" }, t.pNoActions));
    else s.appendChild(itemList(ac.recent, function (a) {
      var li = h("li", {});
      li.appendChild(link(a.url, a.kind_label + " — " + a.agency));
      var due = a.due ? " · " + t.pDue + " " + a.due : "";
      li.appendChild(h("span", { "class": "muted" }, " · " + a.about + " · " + a.status_label + due));
      if (a.overdue) li.appendChild(h("span", { "class": "badge overdue" }, t.pOverdue));
      return li;
    }));
    s.appendChild(h("p", { "class": "small" })).appendChild(link(ac.list_url, t.pAll));
  }

  function backLink() {
    if (!regionCode || shown === regionCode) return;
    var b = h("button", { type: "button", "class": "btn small", id: "panel-back" }, "← " + t.pClose);
    b.addEventListener("click", function () { M.selectUnit(null); });
    body.appendChild(b);
  }

  function render(data) {
    titleEl.textContent = data.region.name;
    body.textContent = "";
    backLink();
    if (data.page_url) body.appendChild(h("p", { "class": "small" })).appendChild(link(data.page_url, t.pPage));
    if ("index" in data) renderIndex(data.index);
    if (data.incidents) renderIncidents(data.incidents);
    if (data.alerts) renderAlerts(data.alerts);
    if (data.actions) renderActions(data.actions);
  }

  function load(code, name) {
    var mine = ++seq;
    shown = code;
    panel.setAttribute("data-region", code);
    panel.setAttribute("aria-busy", "true");
    panel.setAttribute("data-state", "loading");
    titleEl.textContent = name || code;
    var url = M.cfg.panelUrl.replace("{code}", code) + "?tanggal=" + M.day();
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (mine !== seq) return;
        render(data);
        panel.setAttribute("aria-busy", "false");
        panel.setAttribute("data-state", "ready");
      }, function () {
        if (mine !== seq) return;
        body.textContent = "";
        body.appendChild(h("p", { "class": "error small" }, t.panelError));
        panel.setAttribute("aria-busy", "false");
        panel.setAttribute("data-state", "error");
      });
  }

  function showCluster(layer, cluster) {
    ++seq;
    shown = null;
    titleEl.textContent = fmt(t.cluster, { n: cluster.n }) + " · " + (t["l-" + layer] || layer);
    body.textContent = "";
    panel.setAttribute("data-state", "cluster");
    panel.setAttribute("data-region", "");
    var b = h("button", { type: "button", "class": "btn small", id: "panel-back" }, "← " + t.pClose);
    b.addEventListener("click", function () { M.selectUnit(null); });
    body.appendChild(b);
    body.appendChild(itemList(cluster.items, function (m) {
      var li = h("li", { "data-layer": layer });
      li.appendChild(link(m.url, m.number + " " + m.title));
      li.appendChild(h("span", { "class": "muted" }, " · " + m.type_label + " · " + m.status_label + " · " + m.when.slice(0, 10)));
      return li;
    }));
    if (cluster.n > cluster.items.length) body.appendChild(h("p", { "class": "muted small" }, fmt(t.clusterMore, { n: cluster.n - cluster.items.length })));
    titleEl.setAttribute("tabindex", "-1");
    titleEl.focus();
  }

  M.on("select", function (code, name, isUnit) {
    if (!isUnit) regionCode = code;
    load(code, name);
    if (isUnit) { titleEl.setAttribute("tabindex", "-1"); }
  });
  M.on("cluster", showCluster);
})();
