/* Waspada map workspace: draws a view's units as SVG from GeoJSON (a region's children, or every unit of a
   deeper level), coloured by the vulnerability index (category or score) as of the chosen day, with
   drill-down, breadcrumb, keyboard access, a side list, loading and error states, and a schematic grid
   when no boundaries are imported. The marker layers (maplayers.js) and the side panel (mappanel.js)
   hook in through window.WaspadaMap. The controls form is the one place the view's state lives.
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
  var form = $("map-controls"), levelSel = $("ctl-level"), regionInput = $("ctl-region");
  var dateInput = $("ctl-date");
  var text = {}, handlers = {};
  var current = null, seq = 0, svg = null, labels = [], ring = null, hoverRing = null, retry = null;
  var proj = null, selected = null;

  var each = Function.prototype.call.bind([].forEach);
  if ($("i18n")) each($("i18n").content.querySelectorAll("[data-k]"), function (s) { text[s.getAttribute("data-k")] = s.textContent; });

  function on(name, fn) { (handlers[name] = handlers[name] || []).push(fn); }
  function emit(name) {
    var args = [].slice.call(arguments, 1);
    (handlers[name] || []).forEach(function (fn) { fn.apply(null, args); });
  }
  function fmt(s, values) {
    return String(s || "").replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }

  function node(tag, attrs, ns) {
    var n = ns ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, attrs[k]);
    return n;
  }

  // --- state: the controls form --------------------------------------------------------------------------
  function level() { return levelSel && !levelSel.disabled ? Number(levelSel.value) : cfg.defaultLevel; }
  function day() { return (dateInput && dateInput.value) || cfg.today; }
  function colour() {
    var r = form && form.querySelector("input[name=warna]:checked");
    return r ? r.value : "kategori";
  }
  // Every control's value as [name, value] pairs (unchecked boxes and empty selects left out).
  function params() {
    var q = [];
    if (form) each(form.elements, function (f) {
      if (!f.name || f.disabled || f.value === "") return;
      if ((f.type === "checkbox" || f.type === "radio") && !f.checked) return;
      q.push([f.name, f.value]);
    });
    return q;
  }
  function encode(pairs) {
    return pairs.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); }).join("&");
  }
  // The page's own address: what differs from the defaults, so a plain drill-down reads ?wilayah=CODE.
  function query() {
    var code = regionInput ? regionInput.value : cfg.start;
    var pairs = params(), layers = pairs.filter(function (p) { return p[0] === "lapisan"; });
    var defaults = { tingkat: String(Math.min(regionLevel(code) + 1, 4)), tanggal: cfg.today, hari: "30", warna: "kategori" };
    var keep = pairs.filter(function (p) {
      if (p[0] === "lapisan") return !(layers.length === 1 && p[1] === "kejadian");
      return defaults[p[0]] !== p[1];
    });
    if (!layers.length && cfg.layers.length) keep.push(["lapisan", ""]);
    return encode(keep);
  }
  function setLevelOptions(regionLevel, keep) {
    if (!levelSel) return;
    var want = keep && keep > regionLevel ? keep : Math.min(regionLevel + 1, 4);
    each(levelSel.options, function (o) {
      var v = Number(o.value);
      o.disabled = o.hidden = v <= regionLevel;
      o.selected = v === want;
    });
    levelSel.disabled = regionLevel >= 4;
  }

  function plainMapHref(code) { return cfg.mapUrl + "?wilayah=" + code; }
  function pageHref(code) { return cfg.regionUrl.replace("{code}", code); }
  function unitHref(p) { return p.has_children ? plainMapHref(p.code) : pageHref(p.code); }
  // A plain click runs fn in place; ctrl/shift/middle clicks keep the link's own behaviour (new tab).
  function inPlace(fn) {
    return function (e) {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.altKey || e.button) return;
      e.preventDefault();
      fn();
    };
  }
  function shortName(name) { return name.replace(/^(Kabupaten|Kab\.) /, ""); }

  // --- geometry ------------------------------------------------------------------------------------------
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
          if (p[0] < b[0]) b[0] = p[0];
          if (p[1] < b[1]) b[1] = p[1];
          if (p[0] > b[2]) b[2] = p[0];
          if (p[1] > b[3]) b[3] = p[1];
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

  function shape(geom, pr) {
    var d = "", area = 0;
    rings(geom).forEach(function (ring) {
      var pts = ring.map(pr.xy);
      d += "M" + pts.join("L") + "Z";
      for (var i = 0, j = pts.length - 1; i < pts.length; j = i++) {
        area += (pts[j][0] + pts[i][0]) * (pts[j][1] - pts[i][1]);
      }
    });
    return { d: d, area: Math.abs(area / 2) };
  }

  // --- colours -------------------------------------------------------------------------------------------
  function scoreClass(score) { return score === null || score === undefined ? "none" : "score-" + Math.min(4, Math.floor(score / 20)); }
  function fillClass(p) {
    if (colour() === "skor") return scoreClass(p.score);
    return p.category ? "cat-" + p.category : "none";
  }
  function recolour() {
    if (!current) return;
    var byCode = {};
    current.children.features.forEach(function (f) { byCode[f.properties.code] = f.properties; });
    each(el.querySelectorAll("[data-code].unit, .cell[data-code]"), function (n) {
      var p = byCode[n.getAttribute("data-code")];
      if (!p) return;
      var base = n.classList.contains("cell") ? "cell unit-link" : "unit";
      n.setAttribute("class", base + " " + fillClass(p) + (selected === p.code ? " selected" : ""));
    });
    var mode = colour();
    each(document.querySelectorAll("#map-legend [data-mode]"), function (part) { part.hidden = part.getAttribute("data-mode") !== mode; });
  }

  // --- units ---------------------------------------------------------------------------------------------
  function activate(p) {
    if (p.has_children) drill(p.code);
    else select(p);
  }

  function select(p) {
    selected = p ? p.code : null;
    each(el.querySelectorAll(".selected"), function (n) { n.classList.remove("selected"); });
    if (p) each(el.querySelectorAll('[data-code="' + p.code + '"]'), function (n) { n.classList.add("selected"); });
    emit("select", p ? p.code : current.region.code, p ? p.name : current.region.name, !!p);
  }

  function describe(p) {
    var s = p.name + " · " + (p.kind_label || p.kind) + " · " + p.code;
    s += " · " + (p.score !== null && p.score !== undefined ? (text.score || "") + " " + p.score : text.noIndex || "");
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

  function hover(code, d, yes) {
    showRing(hoverRing, yes ? d : null);
    var li = list.querySelector('li[data-code="' + code + '"]');
    if (li) li.classList.toggle("hover", yes);
    var cell = el.querySelector('.cell[data-code="' + code + '"]');
    if (cell) cell.classList.toggle("hover", yes);
  }

  function drawShapes(features) {
    proj = projector(extent(features), W - 2 * PAD);
    var h = Math.ceil(proj.height) + 2 * PAD;
    svg = node("svg", { viewBox: -PAD + " " + -PAD + " " + W + " " + h, "class": "map-svg" }, true);
    var units = node("g", { "class": "units" }, true);
    var overlay = node("g", { "class": "overlay", "aria-hidden": "true" }, true);
    var lg = node("g", { "class": "labels", "aria-hidden": "true" }, true);
    var mk = node("g", { "class": "markers", id: "map-markers" }, true);
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
      var path = node("path", { d: s.d, "class": "unit " + fillClass(p), "data-code": p.code, "data-kind": p.kind }, true);
      if (p.category) path.setAttribute("data-category", p.category);
      if (p.score !== null && p.score !== undefined) path.setAttribute("data-score", p.score);
      path.appendChild(node("title", {}, true)).textContent = p.name + (p.score !== null && p.score !== undefined ? " · " + p.score : "");
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
    svg.appendChild(mk);
    return svg;
  }

  function overlaps(a, b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  }

  // SVG units per screen pixel: markers and labels keep a constant size on screen.
  function unitsPerPixel() {
    if (!svg || !svg.parentNode) return 0;
    var r = svg.getBoundingClientRect();
    if (!r.width || !r.height) return 0;
    var vb = svg.viewBox.baseVal;
    return Math.max(vb.width / r.width, vb.height / r.height);
  }

  // The largest units are labelled first and a label that would cover another is nudged around its anchor,
  // or left out (the name stays in the tooltip and the list).
  function placeLabels() {
    var upp = unitsPerPixel();
    if (!upp) return;
    var r = svg.getBoundingClientRect();
    var vb = svg.viewBox.baseVal;
    var gap = 2 * upp, placed = [];
    labels.forEach(function (l, i) {
      var t = l.el;
      t.removeAttribute("display");
      if (i >= MAX_LABELS) { t.setAttribute("display", "none"); return; }
      t.setAttribute("font-size", ((r.width < 520 ? LABEL_PX - 1.5 : LABEL_PX) * upp).toFixed(2));
      t.setAttribute("x", l.x);
      t.setAttribute("y", l.y);
      var bb = t.getBBox(), w = bb.width + gap, h = bb.height;
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
    proj = null;
    labels = [];
    ring = hoverRing = null;
    var grid = node("div", { "class": "schematic" });
    features.forEach(function (f) {
      var p = f.properties;
      var cell = node("a", { href: unitHref(p), "class": "cell unit-link " + fillClass(p), "data-code": p.code });
      if (p.category) cell.setAttribute("data-category", p.category);
      cell.appendChild(node("span", { "class": "name" })).textContent = p.name;
      bindUnit(cell, p, null);
      grid.appendChild(cell);
    });
    return grid;
  }

  // --- breadcrumb, list ----------------------------------------------------------------------------------
  function crumbLink(r) {
    var a = node("a", { href: plainMapHref(r.code) });
    a.textContent = r.name;
    a.addEventListener("click", inPlace(function () { goUp(r.code, r.level); }));
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
      up.setAttribute("href", plainMapHref(parent.code));
      up.onclick = inPlace(function () { goUp(parent.code, parent.level); });
    }
    pageLink.hidden = data.region.level === 0;
    if (data.region.level) pageLink.setAttribute("href", pageHref(data.region.code));
  }

  function renderList(feats) {
    list.textContent = "";
    count.textContent = "(" + feats.length + ")";
    var frag = document.createDocumentFragment();
    feats.forEach(function (f) {
      var p = f.properties;
      var li = node("li", { "data-code": p.code, "data-name": p.name.toLowerCase() });
      var a = node("a", { "class": "drill", href: unitHref(p) });
      a.textContent = p.name;
      a.addEventListener("click", inPlace(function () { activate(p); }));
      li.appendChild(a);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(node("span", { "class": "code" })).textContent = p.code;
      li.appendChild(document.createTextNode(" "));
      var page = node("a", { "class": "page", href: pageHref(p.code), "aria-label": (text.pageOf || "") + " " + p.name });
      page.textContent = text.page || "›";
      li.appendChild(page);
      li.addEventListener("mouseenter", function () {
        var shapeEl = el.querySelector('path[data-code="' + p.code + '"]');
        hover(p.code, shapeEl && shapeEl.getAttribute("d"), true);
      });
      li.addEventListener("mouseleave", function () { hover(p.code, null, false); });
      frag.appendChild(li);
    });
    list.appendChild(frag);
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
    selected = null;
    title.textContent = data.region.name;
    document.title = document.title.replace(/^[^·]*·/, data.region.name + " ·");
    renderCrumbs(data);
    var legendDate = $("legend-date");
    if (legendDate) legendDate.textContent = data.index_date ? (text.indexAsOf || "") + " " + data.index_date : text.noIndexYet || "";
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
    el.setAttribute("data-level", data.level);
    el.setAttribute("data-mode", data.has_boundaries ? "shapes" : "schematic");
    notice.hidden = data.has_boundaries || !feats.length;
    renderList(feats);
    placeLabels();
    recolour();
    var leaf = feats.length && !feats.some(function (f) { return f.properties.has_children; });
    info.textContent = (leaf ? text.leaf : text.hint) || "";
    if (hadFocus) title.focus();
    emit("render", data);
    emit("select", data.region.code, data.region.name, false);
  }

  function setState(state) {
    el.setAttribute("data-state", state);
    if (state === "loading") el.setAttribute("aria-busy", "true");
    else el.removeAttribute("aria-busy");
    if (retry) retry.hidden = state !== "error";
    statusText.textContent = state === "error" ? text.error || "Error" : text.loading || "";
  }

  // --- loading -------------------------------------------------------------------------------------------
  function dataUrl(code) { return cfg.dataUrl.replace("{code}", code) + "?tingkat=" + level() + "&tanggal=" + day(); }

  function load(code, push) {
    var mine = ++seq;
    setState("loading");
    if (regionInput) regionInput.value = code;
    return fetch(dataUrl(code), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.redirected) { window.location.reload(); throw new Error("session"); } // logged out: show login
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (mine !== seq) return;
        var url = cfg.mapUrl + "?" + query();
        if (push === true) history.pushState({ q: query() }, "", url);
        else if (push === "replace") history.replaceState({ q: query() }, "", url);
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

  function regionLevel(code) { return code === cfg.national ? 0 : code.split(".").length; }

  function drill(code) {
    setLevelOptions(regionLevel(code), level());
    load(code, true);
  }

  function goUp(code, lvl) {
    setLevelOptions(lvl === undefined ? regionLevel(code) : lvl, 0);
    load(code, true);
  }

  function reload() { if (current) load(current.region.code, "replace"); }

  function restore(q) {
    // Put the form back as a query string says (history navigation), then load its region.
    var params = {};
    q.split("&").forEach(function (kv) {
      if (!kv) return;
      var p = kv.split("=");
      var k = decodeURIComponent(p[0]), v = decodeURIComponent((p[1] || "").replace(/\+/g, " "));
      (params[k] = params[k] || []).push(v);
    });
    var code = (params.wilayah && params.wilayah[0]) || cfg.start;
    setLevelOptions(regionLevel(code), params.tingkat ? Number(params.tingkat[0]) : 0);
    if (form) each(form.elements, function (f) {
      if (!f.name || f.name === "wilayah" || f.name === "tingkat") return;
      var vals = params[f.name] || [];
      if (f.type === "checkbox") f.checked = vals.indexOf(f.value) >= 0;
      else if (f.type === "radio") f.checked = vals.length ? vals.indexOf(f.value) >= 0 : f.value === "kategori";
      else if (f.tagName === "SELECT" || f.type === "date") f.value = vals.length ? vals[0] : (f.type === "date" ? cfg.today : "");
    });
    emit("restored");
    load(code, false);
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { placeLabels(); emit("resize"); }, 120);
  });
  window.addEventListener("popstate", function (e) {
    var q = (e.state && e.state.q) || window.location.search.replace(/^\?/, "");
    restore(q);
  });
  if (filter) filter.addEventListener("input", applyFilter);
  if (levelSel) levelSel.addEventListener("change", reload);
  if (form) {
    each(form.querySelectorAll("input[name=warna]"), function (r) {
      r.addEventListener("change", function () { recolour(); history.replaceState({ q: query() }, "", cfg.mapUrl + "?" + query()); });
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); reload(); });
  }
  var box = $("controls-box");
  if (box && window.matchMedia && window.matchMedia("(min-width: 801px)").matches) box.open = true;
  title.setAttribute("tabindex", "-1");

  window.WaspadaMap = {
    on: on,
    emit: emit,
    text: text,
    fmt: fmt,
    node: node,
    cfg: cfg,
    query: query,
    params: params,
    encode: encode,
    day: day,
    level: level,
    current: function () { return current; },
    projector: function () { return proj; },
    unitsPerPixel: unitsPerPixel,
    reload: reload,
    selectUnit: function (code) {
      var f = current && current.children.features.filter(function (x) { return x.properties.code === code; })[0];
      select(f ? f.properties : null);
    },
    setUrl: function () { history.replaceState({ q: query() }, "", cfg.mapUrl + "?" + query()); }
  };

  if (cfg.start) {
    setLevelOptions(regionLevel(cfg.start), cfg.level);
    history.replaceState({ q: query() }, "", window.location.href);
    // Let the other map scripts (deferred, after this one) register before the first render.
    setTimeout(function () { load(cfg.start, false); }, 0);
  }
})();
