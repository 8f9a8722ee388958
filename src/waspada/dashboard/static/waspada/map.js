/* Waspada map: draws a region's children as SVG from GeoJSON, with drill-down, keyboard access and a
   schematic grid when no boundaries are imported. No tiles, no external library, nothing from the internet. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el) return;
  var cfg = JSON.parse(el.getAttribute("data-config"));
  var SVGNS = "http://www.w3.org/2000/svg";
  var crumbs = document.getElementById("crumbs");
  var title = document.getElementById("map-title");
  var list = document.getElementById("units");
  var count = document.getElementById("units-count");
  var text = {};
  var tpl = document.getElementById("i18n");
  if (tpl) {
    Array.prototype.forEach.call(tpl.content.querySelectorAll("[data-k]"), function (s) {
      text[s.getAttribute("data-k")] = s.textContent;
    });
  }
  var current = null;

  function node(tag, attrs, ns) {
    var n = ns ? document.createElementNS(SVGNS, tag) : document.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) n.setAttribute(k, attrs[k]);
    return n;
  }

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
    // Equirectangular, scaled by cos(latitude) at the centre: fine for a province on one screen.
    var k = Math.cos(((b[1] + b[3]) / 2) * Math.PI / 180);
    var w = (b[2] - b[0]) * k || 1, h = (b[3] - b[1]) || 1;
    var s = width / w;
    return { height: h * s, point: function (p) {
      return [((p[0] - b[0]) * k * s).toFixed(1), ((b[3] - p[1]) * s).toFixed(1)];
    } };
  }

  function pathData(geom, proj) {
    return rings(geom).map(function (ring) {
      return "M" + ring.map(function (p) { return proj.point(p).join(","); }).join("L") + "Z";
    }).join("");
  }

  function activate(props) {
    if (props.has_children) { load(props.code, true); }
    else { window.location.href = cfg.regionUrl + props.code + "/"; }
  }

  function bindUnit(target, props) {
    target.setAttribute("tabindex", "0");
    target.setAttribute("role", "button");
    target.setAttribute("data-code", props.code);
    target.setAttribute("aria-label", props.name);
    target.addEventListener("click", function () { activate(props); });
    target.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); activate(props); }
    });
  }

  function drawShapes(features) {
    var width = 1000;
    var proj = projector(extent(features), width);
    var svg = node("svg", { viewBox: "0 0 " + width + " " + Math.ceil(proj.height), "class": "map-svg" }, true);
    var labels = node("g", { "class": "labels", "aria-hidden": "true" }, true);
    features.forEach(function (f) {
      if (!f.geometry) return;
      var p = node("path", { d: pathData(f.geometry, proj), "class": "unit" }, true);
      var t = node("title", {}, true);
      t.textContent = f.properties.name;
      p.appendChild(t);
      bindUnit(p, f.properties);
      svg.appendChild(p);
      if (f.properties.label_point && features.length <= 60) {
        var xy = proj.point(f.properties.label_point);
        var label = node("text", { x: xy[0], y: xy[1], "class": "label" }, true);
        label.textContent = f.properties.name.replace(/^(Kabupaten|Kota) /, "");
        labels.appendChild(label);
      }
    });
    svg.appendChild(labels);
    return svg;
  }

  function drawGrid(features) {
    var grid = node("div", { "class": "schematic", "aria-label": text.schematic || "" });
    features.forEach(function (f) {
      var cell = node("div", { "class": "cell unit" });
      cell.textContent = f.properties.name;
      bindUnit(cell, f.properties);
      grid.appendChild(cell);
    });
    return grid;
  }

  function renderCrumbs(data) {
    crumbs.textContent = "";
    var chain = data.parents.concat([data.region]);
    chain.forEach(function (r, i) {
      var inScope = r.code === cfg.home || r.code.indexOf(cfg.home + ".") === 0;
      if (i < chain.length - 1 && inScope) {
        var a = node("a", { href: "?wilayah=" + r.code });
        a.textContent = r.name;
        a.addEventListener("click", function (e) { e.preventDefault(); load(r.code, true); });
        crumbs.appendChild(a);
      } else {
        var s = node("span", i === chain.length - 1 ? { "aria-current": "page" } : {});
        s.textContent = r.name;
        crumbs.appendChild(s);
      }
      if (i < chain.length - 1) crumbs.appendChild(document.createTextNode(" › "));
    });
  }

  function renderList(data) {
    list.textContent = "";
    var feats = data.children.features;
    count.textContent = "(" + feats.length + ")";
    feats.forEach(function (f) {
      var li = node("li", {});
      var a = node("a", { href: f.properties.has_children ? "?wilayah=" + f.properties.code : cfg.regionUrl + f.properties.code + "/" });
      a.textContent = f.properties.name;
      if (f.properties.has_children) {
        a.addEventListener("click", function (e) { e.preventDefault(); load(f.properties.code, true); });
      }
      li.appendChild(a);
      var page = node("a", { href: cfg.regionUrl + f.properties.code + "/", "class": "muted small", title: text.open || "" });
      page.textContent = " ↗";
      li.appendChild(page);
      li.addEventListener("mouseenter", function () { highlight(f.properties.code, true); });
      li.addEventListener("mouseleave", function () { highlight(f.properties.code, false); });
      list.appendChild(li);
    });
  }

  function highlight(code, on) {
    var target = el.querySelector('[data-code="' + code + '"]');
    if (target) target.classList.toggle("hover", on);
  }

  function render(data) {
    current = data;
    title.textContent = data.region.name;
    renderCrumbs(data);
    el.textContent = "";
    el.setAttribute("data-region", data.region.code);
    el.setAttribute("data-mode", data.has_boundaries ? "shapes" : "schematic");
    el.appendChild(data.has_boundaries ? drawShapes(data.children.features) : drawGrid(data.children.features));
    renderList(data);
  }

  function load(code, push) {
    el.setAttribute("aria-busy", "true");
    return fetch(cfg.dataUrl + code + ".json", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        render(data);
        if (push) history.pushState({ code: code }, "", "?wilayah=" + code);
      })
      .catch(function () {
        el.textContent = "";
        var p = node("p", { "class": "error", role: "alert" });
        p.textContent = text.error || "Error";
        el.appendChild(p);
      })
      .then(function () { el.removeAttribute("aria-busy"); });
  }

  window.addEventListener("popstate", function (e) {
    var code = (e.state && e.state.code) || cfg.start;
    if (code && (!current || current.region.code !== code)) load(code, false);
  });
  if (cfg.start) load(cfg.start, false);
})();
