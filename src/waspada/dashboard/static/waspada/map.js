/* Waspada map: draws a region's children as SVG from GeoJSON, with drill-down, keyboard access, a side
   list, loading and error states, and a schematic grid when no boundaries are imported.
   No tiles, no external library, nothing loaded from the internet. Plain ES5. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var cfgEl = document.getElementById("map-config");
  if (!el || !cfgEl || !window.fetch) return;
  var cfg = JSON.parse(cfgEl.textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  var W = 1000, PAD = 14, LABEL_PX = 12.5, MAX_LABELS = 80;
  function $(id) { return document.getElementById(id); }
  var crumbs = $("crumbs"), title = $("map-title"), list = $("units"), count = $("units-count");
  var statusText = $("map-status-text"), info = $("map-info"), notice = $("no-boundaries");
  var up = $("map-up"), pageLink = $("region-link"), filter = $("units-filter"), filterBox = $("units-filter-box");
  var text = {};
  var current = null, seq = 0, svg = null, labels = [], ring = null, hoverRing = null, retry = null;

  var each = Function.prototype.call.bind([].forEach);
  if ($("i18n")) each($("i18n").content.querySelectorAll("[data-k]"), function (s) { text[s.getAttribute("data-k")] = s.textContent; });

  function node(tag, attrs, ns) {
    var n = ns ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, attrs[k]);
    return n;
  }
  function mapHref(code) { return cfg.mapUrl + "?wilayah=" + code; }
  function pageHref(code) { return cfg.regionUrl.replace("{code}", code); }
  function unitHref(p) { return p.has_children ? mapHref(p.code) : pageHref(p.code); }
  // A plain click runs fn in place; ctrl/shift/middle clicks keep the link's own behaviour (new tab).
  function inPlace(fn) {
    return function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
      e.preventDefault();
      fn();
    };
  }
  function shortName(name) { return name.replace(/^(Kabupaten|Kab\.) /, ""); }

  function rings(geom) {
    if (!geom) return [];
    if (geom.type === "Polygon") return geom.coordinates;
    if (geom.type === "MultiPolygon") return [].concat.apply([], geom.coordinates);
    return [];
  }

  function extent(features) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    features.forEach(function (f) {
      rings(f.geometry).forEach(function (ring) {
        ring.forEach(function (p) {
          b = [Math.min(b[0], p[0]), Math.min(b[1], p[1]), Math.max(b[2], p[0]), Math.max(b[3], p[1])];
        });
      });
    });
    return b;
  }

  function projector(b, width) {
    // Equirectangular, scaled by cos(latitude) at the centre: true enough for one province on one screen.
    var k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    var w = (b[2] - b[0]) * k || 1, h = (b[3] - b[1]) || 1;
    var s = width / w;
    return { width: w * s, height: h * s, xy: function (p) {
      return [Math.round((p[0] - b[0]) * k * s * 10) / 10, Math.round((b[3] - p[1]) * s * 10) / 10];
    } };
  }

  function shape(geom, proj) {
    var d = "", area = 0;
    rings(geom).forEach(function (ring) {
      var pts = ring.map(proj.xy);
      d += "M" + pts.join("L") + "Z";
      for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        area += (pts[j][0] + pts[i][0]) * (pts[j][1] - pts[i][1]);
      }
    });
    return { d: d, area: Math.abs(area / 2) };
  }

  function activate(p) {
    if (p.has_children) load(p.code, true);
    else window.location.href = pageHref(p.code);
  }

  function describe(p) {
    var s = p.name + " · " + (p.kind_label || p.kind) + " · " + p.code;
    if (p.population) s += " · " + (text.population || "") + " " + Number(p.population).toLocaleString(document.documentElement.lang || undefined);
    return s;
  }

  function bindUnit(link, p, d) {
    link.addEventListener("click", inPlace(function () { activate(p); }));
    link.addEventListener("focus", function () { showRing(ring, d); info.textContent = describe(p); });
    link.addEventListener("blur", function () { showRing(ring, null); });
    link.addEventListener("mouseenter", function () { hover(p.code, d, true); });
    link.addEventListener("mouseleave", function () { hover(p.code, d, false); });
  }

  function showRing(r, d) {
    if (!r) return;
    if (d) { r.setAttribute("d", d); r.removeAttribute("display"); } else r.setAttribute("display", "none");
  }

  function hover(code, d, on) {
    showRing(hoverRing, on ? d : null);
    var li = list.querySelector('li[data-code="' + code + '"]');
    if (li) li.classList.toggle("hover", on);
    var cell = el.querySelector('.cell[data-code="' + code + '"]');
    if (cell) cell.classList.toggle("hover", on);
  }

  function drawShapes(features) {
    var proj = projector(extent(features), W - 2 * PAD);
    var h = Math.ceil(proj.height) + 2 * PAD;
    svg = node("svg", { viewBox: -PAD + " " + -PAD + " " + W + " " + h, "class": "map-svg" }, true);
    var units = node("g", { "class": "units" }, true);
    var overlay = node("g", { "class": "overlay", "aria-hidden": "true" }, true);
    var lg = node("g", { "class": "labels", "aria-hidden": "true" }, true);
    hoverRing = node("path", { "class": "hover-ring", display: "none" }, true);
    ring = node("path", { "class": "focus-ring", display: "none" }, true);
    overlay.appendChild(hoverRing);
    overlay.appendChild(ring);
    labels = [];
    features.forEach(function (f) {
      var p = f.properties;
      if (!f.geometry) return;
      var s = shape(f.geometry, proj);
      var a = node("a", { href: unitHref(p), "class": "unit-link", "aria-label": p.name }, true);
      var cls = "unit" + (p.category ? " cat-" + p.category : "");
      var path = node("path", { d: s.d, "class": cls, "data-code": p.code, "data-kind": p.kind }, true);
      if (p.category) path.setAttribute("data-category", p.category);
      path.appendChild(node("title", {}, true)).textContent = p.name;
      a.appendChild(path);
      units.appendChild(a);
      bindUnit(a, p, s.d);
      if (p.label_point) {
        var xy = proj.xy(p.label_point);
        var label = node("text", { "class": "label", "data-for": p.code }, true);
        label.textContent = shortName(p.name);
        lg.appendChild(label);
        labels.push({ el: label, x: xy[0], y: xy[1], area: s.area });
      }
    });
    labels.sort(function (a, b) { return b.area - a.area; });
    svg.appendChild(units);
    svg.appendChild(overlay);
    svg.appendChild(lg);
    return svg;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  // Labels keep a constant size on screen; the largest units are labelled first and a label that would
  // cover another is nudged around its anchor, or left out (the name stays in the tooltip and the list).
  // Areas and boxes are in SVG units, so the same rule holds on a phone and on a wide screen.
  function placeLabels() {
    if (!svg || !svg.parentNode) return;
    var r = svg.getBoundingClientRect();
    if (!r.width || !r.height) return;
    var vb = svg.viewBox.baseVal;
    var upp = Math.max(vb.width / r.width, vb.height / r.height);
    var gap = 2 * upp, placed = [];
    labels.forEach(function (l, i) {
      var t = l.el;
      t.removeAttribute("display");
      if (i >= MAX_LABELS) { t.setAttribute("display", "none"); return; }
      t.setAttribute("font-size", ((r.width < 520 ? LABEL_PX - 1.5 : LABEL_PX) * upp).toFixed(2));
      t.setAttribute("x", l.x);
      t.setAttribute("y", l.y);
      var bb = t.getBBox(), w = bb.width + gap, h = bb.height;
      // Among many units, a unit much smaller than its own label goes unlabelled rather than cluttered.
      if (labels.length > 8 && l.area < w * h) { t.setAttribute("display", "none"); return; }
      var tries = [[0, 0], [0, -h], [0, h], [w * 0.55, 0], [-w * 0.55, 0], [0, -2 * h], [0, 2 * h]];
      for (var k = 0; k < tries.length; k++) {
        var cx = Math.min(Math.max(l.x + tries[k][0], vb.x + w / 2), vb.x + vb.width - w / 2);
        var cy = Math.min(Math.max(l.y + tries[k][1], vb.y + h / 2), vb.y + vb.height - h / 2);
        var box = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
        if (!placed.some(function (o) { return overlaps(o, box); })) {
          t.setAttribute("x", cx.toFixed(1));
          t.setAttribute("y", cy.toFixed(1));
          placed.push(box);
          return;
        }
      }
      t.setAttribute("display", "none");
    });
  }

  function drawGrid(features) {
    svg = null;
    labels = [];
    ring = hoverRing = null;
    var grid = node("div", { "class": "schematic" });
    features.forEach(function (f) {
      var p = f.properties;
      var cell = node("a", { href: unitHref(p), "class": "cell unit-link", "data-code": p.code });
      cell.textContent = p.name;
      bindUnit(cell, p, null);
      grid.appendChild(cell);
    });
    return grid;
  }

  function crumbLink(r) {
    var a = node("a", { href: mapHref(r.code) });
    a.textContent = r.name;
    a.addEventListener("click", inPlace(function () { load(r.code, true); }));
    return a;
  }

  function renderCrumbs(data) {
    crumbs.textContent = "";
    data.parents.forEach(function (r) {
      if (r.link) crumbs.appendChild(crumbLink(r));
      else crumbs.appendChild(node("span", {})).textContent = r.name;
      crumbs.appendChild(document.createTextNode(" › "));
    });
    crumbs.appendChild(node("span", { "aria-current": "page" })).textContent = data.region.name;
    var parent = data.parents[data.parents.length - 1];
    up.hidden = !(parent && parent.link);
    if (parent) {
      up.setAttribute("href", mapHref(parent.code));
      up.onclick = inPlace(function () { load(parent.code, true); });
    }
    pageLink.setAttribute("href", pageHref(data.region.code));
  }

  function renderList(feats) {
    list.textContent = "";
    count.textContent = "(" + feats.length + ")";
    feats.forEach(function (f) {
      var p = f.properties;
      var li = node("li", { "data-code": p.code, "data-name": p.name.toLowerCase() });
      var a = node("a", { "class": "drill", href: unitHref(p) });
      a.textContent = p.name;
      if (p.has_children) a.addEventListener("click", inPlace(function () { load(p.code, true); }));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(node("span", { "class": "code" })).textContent = p.code;
      li.appendChild(document.createTextNode(" "));
      var page = node("a", { "class": "page", href: pageHref(p.code), "aria-label": (text.pageOf || "") + " " + p.name });
      page.textContent = text.page || "›";
      li.appendChild(page);
      var shapeEl = el.querySelector('path[data-code="' + p.code + '"]');
      var d = shapeEl && shapeEl.getAttribute("d");
      li.addEventListener("mouseenter", function () { hover(p.code, d, true); });
      li.addEventListener("mouseleave", function () { hover(p.code, d, false); });
      list.appendChild(li);
    });
    if (!feats.length) list.appendChild(node("li", { "class": "muted" })).textContent = text.empty || "";
    if (filter) {
      filter.value = "";
      filterBox.hidden = feats.length <= 12;
    }
  }

  function applyFilter() {
    var q = filter.value.trim().toLowerCase();
    each(list.querySelectorAll("li[data-code]"), function (li) {
      li.hidden = q !== "" && li.getAttribute("data-name").indexOf(q) < 0 && li.getAttribute("data-code").indexOf(q) !== 0;
    });
  }

  function render(data) {
    var feats = data.children.features;
    var hadFocus = el.contains(document.activeElement) || list.contains(document.activeElement);
    current = data;
    title.textContent = data.region.name;
    document.title = document.title.replace(/^[^·]*·/, data.region.name + " ·");
    renderCrumbs(data);
    var legend = $("index-legend");
    if (legend) legend.hidden = !data.has_index;
    var canvas = $("map-canvas");
    if (canvas) el.removeChild(canvas);
    canvas = node("div", { id: "map-canvas", "class": "map-canvas" });
    canvas.appendChild(data.has_boundaries ? drawShapes(feats) : drawGrid(feats));
    var missing = feats.filter(function (f) { return !f.geometry; });
    if (data.has_boundaries && missing.length) {
      canvas.appendChild(node("p", { "class": "missing small" })).textContent =
        (text.missing || "") + " " + missing.map(function (f) { return f.properties.name; }).join(", ");
    }
    el.insertBefore(canvas, el.firstChild);
    el.setAttribute("data-region", data.region.code);
    el.setAttribute("data-mode", data.has_boundaries ? "shapes" : "schematic");
    notice.hidden = data.has_boundaries || !feats.length;
    renderList(feats);
    placeLabels();
    var leaf = feats.length && !feats.some(function (f) { return f.properties.has_children; });
    info.textContent = (leaf ? text.leaf : text.hint) || "";
    if (hadFocus) title.focus();
  }

  function setState(state) {
    el.setAttribute("data-state", state);
    if (state === "loading") el.setAttribute("aria-busy", "true");
    else el.removeAttribute("aria-busy");
    if (retry) retry.hidden = state !== "error";
    statusText.textContent = state === "error" ? text.error || "Error" : text.loading || "";
  }

  function load(code, push) {
    var mine = ++seq;
    setState("loading");
    return fetch(cfg.dataUrl.replace("{code}", code), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.redirected) { window.location.reload(); throw new Error("session"); } // logged out: show login
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (mine !== seq) return;
        if (push) history.pushState({ code: code }, "", mapHref(code));
        render(data);
        setState("ready");
      }, function () {
        if (mine !== seq) return;
        if (!retry) {
          retry = node("button", { type: "button", "class": "btn" });
          retry.textContent = text.retry || "Retry";
          statusText.parentNode.appendChild(retry);
        }
        retry.onclick = function () { load(code, push); };
        setState("error");
        retry.focus();
      });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(placeLabels, 120);
  });
  window.addEventListener("popstate", function (e) {
    var code = (e.state && e.state.code) || cfg.start;
    if (code && (!current || current.region.code !== code)) load(code, false);
  });
  if (filter) filter.addEventListener("input", applyFilter);
  title.setAttribute("tabindex", "-1");
  if (cfg.start) {
    history.replaceState({ code: cfg.start }, "", window.location.href);
    load(cfg.start, false);
  }
})();
