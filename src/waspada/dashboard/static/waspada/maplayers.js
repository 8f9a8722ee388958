/* Waspada map workspace: the marker layers (incidents, news findings, recapitulation findings, alerts),
   filtered and clustered on the server (/peta/titik/<code>.json), drawn over the map as links; a cluster
   lists its markers in the side panel. Also the time slider and the filter controls. Plain ES5. */
(function () {
  "use strict";
  var M = window.WaspadaMap;
  if (!M) return;
  var SVGNS = "http://www.w3.org/2000/svg";
  var RADIUS_PX = 7, OFFSET_PX = 9;
  var OFFSETS = { kejadian: [0, 0], berita: [1, -0.6], temuan: [-1, -0.6], peringatan: [0, 1.1] };
  var form = document.getElementById("map-controls");
  var status = document.getElementById("markers-status");
  var slider = document.getElementById("ctl-slider"), out = document.getElementById("ctl-slider-out");
  var dateInput = document.getElementById("ctl-date");
  var t = M.text, fmt = M.fmt;
  var seq = 0, last = null, timer = null;
  var each = Function.prototype.call.bind([].forEach);

  function svgNode(tag, attrs) { return M.node(tag, attrs, true); }

  function markersUrl(code) {
    var pairs = M.params().filter(function (p) { return p[0] !== "wilayah" && p[0] !== "warna"; });
    return M.cfg.markersUrl.replace("{code}", code) + "?" + M.encode(pairs);
  }

  function layersOn() {
    return M.params().filter(function (p) { return p[0] === "lapisan"; }).map(function (p) { return p[1]; });
  }

  function clear() {
    var g = document.getElementById("map-markers");
    if (g) g.textContent = "";
    each(document.querySelectorAll("#map .badges, #units .count"), function (n) { n.parentNode.removeChild(n); });
  }

  function itemLabel(m) {
    return m.number + " " + m.title + " (" + m.type_label + ", " + m.status_label + ", " + m.when.slice(0, 10) + ")";
  }

  function symbol(layer, x, y, r) {
    if (layer === "berita") return svgNode("path", { d: "M" + x + " " + (y - r * 1.2) + "L" + (x + r * 1.2) + " " + y + "L" + x + " " + (y + r * 1.2) + "L" + (x - r * 1.2) + " " + y + "Z" });
    if (layer === "temuan") return svgNode("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r });
    if (layer === "peringatan") return svgNode("path", { d: "M" + x + " " + (y - r * 1.25) + "L" + (x + r * 1.2) + " " + (y + r * 0.9) + "L" + (x - r * 1.2) + " " + (y + r * 0.9) + "Z" });
    return svgNode("circle", { cx: x, cy: y, r: r });
  }

  function drawShapes(data) {
    var g = document.getElementById("map-markers"), proj = M.projector(), upp = M.unitsPerPixel();
    if (!g || !proj || !upp) return;
    var r = RADIUS_PX * upp;
    Object.keys(data.layers).forEach(function (layer) {
      var off = OFFSETS[layer] || [0, 0];
      data.layers[layer].clusters.forEach(function (c) {
        var xy = proj.xy([c.lon, c.lat]);
        var x = Math.round((xy[0] + off[0] * OFFSET_PX * upp) * 10) / 10, y = Math.round((xy[1] + off[1] * OFFSET_PX * upp) * 10) / 10;
        var a, one = c.n === 1 ? c.items[0] : null;
        if (one) {
          a = svgNode("a", { href: one.url, "class": "marker mk-" + layer, "data-layer": layer, "data-id": one.id, "aria-label": itemLabel(one) });
          a.appendChild(symbol(layer, x, y, r));
          a.appendChild(svgNode("title", {})).textContent = itemLabel(one);
        } else {
          var rr = r * (c.n > 99 ? 1.7 : c.n > 9 ? 1.45 : 1.25);
          var label = fmt(t.cluster, { n: c.n }) + " · " + (t["l-" + layer] || layer);
          a = svgNode("a", { href: "#panel", role: "button", "class": "marker cluster mk-" + layer, "data-layer": layer, "data-count": c.n, "aria-label": label });
          a.appendChild(svgNode("circle", { cx: x, cy: y, r: rr }));
          var tx = svgNode("text", { x: x, y: y, "font-size": (11 * upp).toFixed(2) });
          tx.textContent = c.n;
          a.appendChild(tx);
          a.appendChild(svgNode("title", {})).textContent = label;
          (function (cluster) {
            a.addEventListener("click", function (e) { e.preventDefault(); M.emit("cluster", layer, cluster); });
            a.addEventListener("keydown", function (e) {
              if (e.key === " " || e.key === "Spacebar") { e.preventDefault(); M.emit("cluster", layer, cluster); }
            });
          })(c);
        }
        g.appendChild(a);
      });
    });
  }

  // Without boundaries (schematic grid) the counts go on the cells; in every mode they go in the unit list.
  function drawCounts(data) {
    Object.keys(data.layers).forEach(function (layer) {
      var by = data.layers[layer].by_unit;
      Object.keys(by).forEach(function (code) {
        var label = (t["l-" + layer] || layer) + ": " + by[code];
        var cell = document.querySelector('#map .cell[data-code="' + code + '"]');
        if (cell) {
          var badges = cell.querySelector(".badges") || cell.appendChild(M.node("span", { "class": "badges" }));
          badges.appendChild(M.node("span", { "class": "count mk-" + layer, title: label, "aria-label": label })).textContent = by[code];
        }
        var li = document.querySelector('#units li[data-code="' + code + '"]');
        if (li) {
          var n = M.node("span", { "class": "count mk-" + layer, title: label, "aria-label": label });
          n.textContent = by[code];
          li.insertBefore(n, li.querySelector(".code"));
        }
      });
    });
  }

  function describe(data) {
    var parts = [], win = data.first_day ? fmt(t.windowDays, { from: data.first_day, day: data.date }) : fmt(t.windowAll, { day: data.date });
    var inc = data.layers.kejadian;
    if (inc) parts.push(fmt(t.markersCount, { n: inc.total, placed: inc.placed, window: win }));
    Object.keys(data.layers).forEach(function (layer) {
      if (layer !== "kejadian") parts.push(fmt(t.layerCount, { label: t["l-" + layer] || layer, n: data.layers[layer].total }));
    });
    return parts.join(" ");
  }

  function draw() {
    clear();
    if (!last) return;
    drawShapes(last);
    drawCounts(last);
  }

  function load() {
    var cur = M.current();
    var mine = ++seq;
    if (!cur || !layersOn().length) { last = null; clear(); if (status) status.textContent = ""; setMapAttr("none"); return; }
    setMapAttr("loading");
    if (status) status.textContent = t.markersLoading || "";
    fetch(markersUrl(cur.region.code), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (data) {
        if (mine !== seq) return;
        last = data;
        draw();
        if (status) status.textContent = describe(data);
        setMapAttr("ready");
      }, function () {
        if (mine !== seq) return;
        last = null;
        clear();
        if (status) status.textContent = t.markersError || "";
        setMapAttr("error");
      });
  }

  function setMapAttr(state) { document.getElementById("map").setAttribute("data-markers", state); }

  // --- time slider: the range and the date field move together; the view reloads when the user settles ---
  function startDate() { return new Date(slider.getAttribute("data-start") + "T00:00:00Z"); }
  function sliderDate() {
    var d = new Date(startDate().getTime() + Number(slider.value) * 86400000);
    return d.toISOString().slice(0, 10);
  }
  function syncSlider() {
    if (!slider || !dateInput.value) return;
    var days = Math.round((new Date(dateInput.value + "T00:00:00Z") - startDate()) / 86400000);
    slider.value = Math.max(0, Math.min(Number(slider.max), days));
    out.textContent = dateInput.value;
  }
  function dayChanged() {
    M.reload(); // the index as of the day; markers follow the render
  }
  if (slider) {
    slider.addEventListener("input", function () {
      dateInput.value = sliderDate();
      out.textContent = dateInput.value;
      slider.setAttribute("aria-valuetext", dateInput.value);
      clearTimeout(timer);
      timer = setTimeout(dayChanged, 350);
    });
    slider.setAttribute("aria-valuetext", dateInput.value);
  }
  if (dateInput) dateInput.addEventListener("change", function () {
    if (!dateInput.value) return;
    syncSlider();
    dayChanged();
  });

  if (form) each(form.querySelectorAll("select[name=jenis], select[name=hari], select[name=status], select[name=kanal], input[name=lapisan]"), function (f) {
    f.addEventListener("change", function () { M.setUrl(); load(); });
  });
  M.on("render", load);
  M.on("restored", syncSlider);
  M.on("resize", draw);
})();
