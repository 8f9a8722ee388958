/* The report form (/lapor/). Drafts are kept on the device as the user types; a submitted report goes
   into a queue on the device first (IndexedDB, photos as Blobs) and is sent from there, now or when the
   connection returns. Its client id is the Idempotency-Key, and each attachment has its own client id,
   so a retry never creates a second report or a second attachment. A 4xx answer is not retried: the
   report comes back to the form with the server's message. Plain JS, no library, no build step. */
(function () {
  "use strict";

  var cfg = JSON.parse(document.getElementById("lapor-config").textContent);
  var T = cfg.t;
  var form = document.getElementById("report-form");
  if (!form) return;
  var KEY = "waspada.lapor." + cfg.user + ".";
  var DRAFT = KEY + "draft", SENT = KEY + "sent", RECENT = KEY + "regions";
  var RETRY_MS = 30000, SHRINK_OVER = 1536 * 1024, MAX_SIDE = 2048, MAX_ACTORS = 20;
  var STOP = "stop";

  function $(id) { return document.getElementById(id); }
  function el(name) { return form.elements.namedItem(name); }
  function fmt(text, vars) {
    return String(text).replace(/%\((\w+)\)s/g, function (_, k) { return vars && vars[k] != null ? vars[k] : ""; });
  }
  function uuid() {
    var c = window.crypto;
    if (c && c.randomUUID) return c.randomUUID();
    var b = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) return decodeURIComponent(m[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function clock(ms) {
    var d = new Date(ms);
    return d.toLocaleDateString("id-ID", { day: "numeric", month: "short" }) + " " +
      d.toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
  }
  var store = {
    get: function (k) { try { return JSON.parse(localStorage.getItem(k) || "null"); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* full or disabled */ } },
    del: function (k) { try { localStorage.removeItem(k); } catch (e) { /* disabled */ } }
  };

  // --- the queue and draft files on the device (IndexedDB; memory if the browser has none) ------------
  var dbPromise = null, memory = null;
  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var req = indexedDB.open("waspada-lapor", 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore("queue", { keyPath: "cid" });
          req.result.createObjectStore("drafts", { keyPath: "user" });
        };
        req.onsuccess = function () { resolve(req.result); };
        req.onerror = function () { reject(req.error); };
      });
    }
    return dbPromise;
  }
  function idb(name, mode, op) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var req = op(tx.objectStore(name));
        tx.oncomplete = function () { resolve(req ? req.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function noStorage() {
    if (!memory) { memory = {}; note(T.storage); }
  }
  var Q = {
    all: function () {
      return idb("queue", "readonly", function (s) { return s.getAll(); }).catch(function () {
        noStorage(); return Object.keys(memory).map(function (k) { return memory[k]; });
      }).then(function (items) {
        return items.filter(function (i) { return i.user === cfg.user; })
          .sort(function (a, b) { return a.created - b.created; });
      });
    },
    put: function (item) {
      return idb("queue", "readwrite", function (s) { return s.put(item); }).catch(function () {
        noStorage(); memory[item.cid] = item;
      });
    },
    del: function (cid) {
      return idb("queue", "readwrite", function (s) { return s.delete(cid); }).catch(function () {
        if (memory) delete memory[cid];
      });
    }
  };

  // --- reading and writing the form ----------------------------------------------------------------------
  var files = [];  // draft attachments: {id, name, type, size, blob}
  var actorsBox = $("f-actors"), actorTpl = $("actor-row");
  var IMPACT = ["killed", "injured", "buildings_damaged", "displaced"];

  function actorRows() { return Array.prototype.slice.call(actorsBox.querySelectorAll(".actor")); }
  function readForm() {
    var urgency = form.querySelector("input[name=urgency]:checked");
    var d = {
      event_type: el("event_type").value, date: el("date").value, time: el("time").value,
      time_precision: el("time_precision").value, region: el("region").value,
      region_label: el("region_label").value, lon: el("lon").value, lat: el("lat").value,
      description: el("description").value, urgency: urgency ? urgency.value : "",
      anonymous: el("anonymous").checked,
      actors: actorRows().map(function (row) {
        return {
          type: row.querySelector("[name=actor_type]").value,
          paslon: row.querySelector("[name=actor_paslon]").value,
          text: row.querySelector("[name=actor_text]").value
        };
      })
    };
    IMPACT.forEach(function (k) { d[k] = el(k).value; });
    return d;
  }
  function isBlank(d) {
    return !d.event_type && !d.region && !d.lon && !d.description.trim() && !d.urgency &&
      IMPACT.every(function (k) { return !d[k]; }) &&
      d.actors.every(function (a) { return !a.type && !a.text.trim(); }) && !files.length;
  }
  function nowParts() {
    var d = new Date();
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return [d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()), p(d.getHours()) + ":" + p(d.getMinutes())];
  }
  function writeForm(d) {
    var now = nowParts();
    ["event_type", "time_precision", "description", "region", "region_label", "lon", "lat"].concat(IMPACT)
      .forEach(function (k) { if (d[k] != null) el(k).value = d[k]; });
    el("date").max = now[0];
    el("date").value = d.date || now[0];
    el("time").value = d.date ? (d.time || "") : now[1];
    el("anonymous").checked = !!d.anonymous;
    Array.prototype.forEach.call(form.querySelectorAll("input[name=urgency]"), function (r) { r.checked = r.value === d.urgency; });
    actorRows().forEach(function (row) { row.remove(); });
    (d.actors || []).forEach(addActor);
    $("f-impact").open = IMPACT.some(function (k) { return d[k] && d[k] !== "0"; });
    $("f-actors-box").open = (d.actors || []).length > 0;
    showChosen();
    showDefinition();
  }
  function clearForm() {
    form.reset();
    ["region", "region_label", "lon", "lat"].forEach(function (k) { el(k).value = ""; });
    writeForm({});
    files = [];
    renderFiles();
    saveDraftFiles();
    store.del(DRAFT);
    $("f-place-note").textContent = "";
    $("draft-state").textContent = "";
    showFormError("");
  }

  function withOffset(date, time) {
    // The time as the phone shows it, with the phone's UTC offset (WIB, WITA or WIT).
    var minutes = -new Date(date + "T" + time).getTimezoneOffset(), abs = Math.abs(minutes);
    function p(n) { return (n < 10 ? "0" : "") + n; }
    return date + "T" + time + ":00" + (minutes < 0 ? "-" : "+") + p(Math.floor(abs / 60)) + ":" + p(abs % 60);
  }
  function toBody(d, cid) {
    function count(v) { var n = parseInt(v, 10); return isFinite(n) && n > 0 ? Math.min(n, 1000000) : 0; }
    var body = {
      region: d.region || (d.lon && d.lat ? cfg.scope : ""),
      event_type: d.event_type,
      occurred_at: withOffset(d.date, d.time || "00:00"),
      time_precision: parseInt(d.time_precision, 10) || 1,
      description: d.description.trim(),
      anonymous: !!d.anonymous,
      client_id: cid,
      actors: d.actors.filter(function (a) { return a.type; }).slice(0, MAX_ACTORS).map(function (a) {
        var out = { type: a.type }, n = parseInt(a.paslon, 10);
        if (a.text.trim()) out.text = a.text.trim().slice(0, 200);
        if (cfg.paslonActors.indexOf(a.type) >= 0 && n >= 1 && n <= 20) out.paslon = n;
        return out;
      })
    };
    IMPACT.forEach(function (k) { body[k] = count(d[k]); });
    if (d.urgency) body.urgency = d.urgency;
    var lon = parseFloat(d.lon), lat = parseFloat(d.lat);
    if (isFinite(lon) && isFinite(lat) && lon >= 94 && lon <= 142 && lat >= -12 && lat <= 7) {
      body.lon = lon; body.lat = lat;
    }
    return body;
  }

  function validate(d) {
    var problems = [];
    if (!d.event_type) problems.push(["f-event", T.required]);
    if (!d.date) problems.push(["f-date", T.required]);
    else if (new Date(d.date + "T" + (d.time || "00:00")).getTime() > Date.now() + 3600e3) problems.push(["f-date", T.future]);
    if (!d.region && !(d.lon && d.lat && cfg.scope)) problems.push(["f-place", T.choose_region]);
    if (!d.description.trim()) problems.push(["f-description", T.required]);
    return problems;
  }
  function showProblems(problems) {
    Array.prototype.forEach.call(form.querySelectorAll(".field-error"), function (n) { n.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll(".invalid"), function (n) {
      n.classList.remove("invalid"); n.removeAttribute("aria-invalid");
    });
    problems.forEach(function (p) {
      var input = $(p[0]), msg = document.createElement("p");
      input.classList.add("invalid");
      input.setAttribute("aria-invalid", "true");
      msg.className = "error field-error";
      msg.textContent = p[1];
      input.closest(".field").appendChild(msg);
    });
    if (problems.length) { showFormError(T.check_form); $(problems[0][0]).focus(); }
  }
  function showFormError(text) {
    var box = $("form-error");
    box.textContent = text;
    box.hidden = !text;
    if (text) box.scrollIntoView({ block: "center" });
  }
  function note(text) {
    var net = $("net");
    net.textContent = text;
    net.hidden = !text;
  }

  // --- draft, saved as the user types ----------------------------------------------------------------------
  var draftTimer = null;
  function saveDraft() {
    clearTimeout(draftTimer);
    var d = readForm();
    if (isBlank(d)) { store.del(DRAFT); $("draft-state").textContent = ""; return; }
    store.set(DRAFT, d);
    $("draft-state").textContent = T.draft_saved + " · " + clock(Date.now());
  }
  function scheduleDraft() { clearTimeout(draftTimer); draftTimer = setTimeout(saveDraft, 300); }
  form.addEventListener("input", scheduleDraft);
  form.addEventListener("change", scheduleDraft);
  window.addEventListener("pagehide", saveDraft);
  document.addEventListener("visibilitychange", function () { if (document.hidden) saveDraft(); });

  function saveDraftFiles() {
    var record = { user: cfg.user, files: files };
    return idb("drafts", "readwrite", function (s) { return s.put(record); }).catch(function () { /* kept in memory */ });
  }
  function loadDraftFiles() {
    return idb("drafts", "readonly", function (s) { return s.get(cfg.user); }).then(function (r) {
      files = (r && r.files) || [];
    }).catch(function () { files = []; }).then(renderFiles);
  }

  // --- event type help, actors ---------------------------------------------------------------------------
  function showDefinition() { $("f-event-help").textContent = cfg.definitions[el("event_type").value] || ""; }
  el("event_type").addEventListener("change", showDefinition);

  function addActor(a) {
    if (actorRows().length >= MAX_ACTORS) return null;
    var row = actorTpl.content.firstElementChild.cloneNode(true);
    var type = row.querySelector("[name=actor_type]"), paslon = row.querySelector("[name=actor_paslon]");
    if (a) {
      type.value = a.type || "";
      paslon.value = a.paslon || "";
      row.querySelector("[name=actor_text]").value = a.text || "";
    }
    function sync() { paslon.hidden = cfg.paslonActors.indexOf(type.value) < 0; }
    type.addEventListener("change", sync);
    sync();
    row.querySelector(".actor-remove").addEventListener("click", function () { row.remove(); saveDraft(); });
    actorsBox.appendChild(row);
    return row;
  }
  $("f-add-actor").addEventListener("click", function () {
    var row = addActor(null);
    if (row) row.querySelector("select").focus();
  });

  // --- where: desa search, recent places, GPS -------------------------------------------------------------
  var place = $("f-place"), choices = $("f-place-list"), placeNote = $("f-place-note");
  var searchTimer = null, searchSeq = 0, units = null;

  function showChosen() {
    var label = el("region_label").value;
    $("f-place-chosen").textContent = el("region").value ? "\u2713 " + (label || el("region").value) : "";
  }
  function choose(code, label, fromGps) {
    el("region").value = code;
    el("region_label").value = label;
    if (!fromGps) { el("lon").value = ""; el("lat").value = ""; placeNote.textContent = ""; }
    place.value = "";
    choices.hidden = true;
    place.classList.remove("invalid");
    showChosen();
    var recent = (store.get(RECENT) || []).filter(function (r) { return r.code !== code; });
    recent.unshift({ code: code, label: label });
    store.set(RECENT, recent.slice(0, 6));
    saveDraft();
  }
  function showChoices(list, hint, empty) {
    choices.textContent = "";
    if (hint) { var h = document.createElement("li"); h.className = "note"; h.textContent = hint; choices.appendChild(h); }
    list.forEach(function (r) {
      var li = document.createElement("li"), b = document.createElement("button");
      b.type = "button";
      b.dataset.code = r.code;
      b.textContent = r.label;
      b.addEventListener("click", function () { choose(r.code, r.label, false); });
      li.appendChild(b);
      choices.appendChild(li);
    });
    if (!list.length && empty) { var e = document.createElement("li"); e.className = "note"; e.textContent = empty; choices.appendChild(e); }
    choices.hidden = !choices.children.length;
  }
  function showRecent() {
    var recent = store.get(RECENT) || [];
    if (recent.length) showChoices(recent, T.recent, ""); else choices.hidden = true;
  }
  function request(url, options, ms) {
    var ctl = window.AbortController ? new AbortController() : null;
    var timer = ctl ? setTimeout(function () { ctl.abort(); }, ms) : null;
    var opts = Object.assign({ credentials: "same-origin" }, options || {});
    if (ctl) opts.signal = ctl.signal;
    return fetch(url, opts).finally(function () { clearTimeout(timer); });
  }
  function plain(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\b(desa|kelurahan|kel|ds)\.?\s+/g, "").replace(/[^a-z0-9]+/g, " ").trim();
  }
  function loadUnits() {
    if (units) return Promise.resolve(units);
    return request(cfg.urls.units, {}, 15000).then(function (res) { return res.ok ? res.json() : null; })
      .then(function (data) { units = data ? data.units : null; return units || []; })
      .catch(function () { return []; });
  }
  function searchLocal(q) {
    var n = plain(q);
    return loadUnits().then(function (list) {
      var first = [], other = [];
      list.forEach(function (u) {
        var name = plain(u[1]);
        if (name.indexOf(n) === 0) first.push(u); else if (name.indexOf(n) > 0) other.push(u);
      });
      return first.concat(other).slice(0, 8).map(function (u) {
        return { code: u[0], label: [u[1], u[2], u[3]].filter(Boolean).join(", ") };
      });
    });
  }
  function search() {
    var q = place.value.trim(), seq = ++searchSeq;
    if (q.length < 2) { showRecent(); return; }
    showChoices([], T.searching, "");
    var params = new URLSearchParams({ q: q, level: "4", limit: "8" });
    if (cfg.scope) params.set("within", cfg.scope);
    request(cfg.urls.search + "?" + params.toString(), { headers: { Accept: "application/json" } }, 8000)
      .then(function (res) { if (!res.ok) throw new Error("HTTP " + res.status); return res.json(); })
      .then(function (data) {
        return {
          hint: "",
          list: data.results.map(function (r) { return { code: r.code, label: r.path.split(", ").slice(0, 3).join(", ") }; })
        };
      })
      .catch(function () {
        return searchLocal(q).then(function (list) { return { hint: T.offline_search, list: list }; });
      })
      .then(function (found) { if (seq === searchSeq) showChoices(found.list, found.hint, T.no_match); });
  }
  place.addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(search, 250); });
  place.addEventListener("focus", function () { if (!place.value.trim()) showRecent(); });
  place.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    ev.preventDefault();  // Enter picks the first desa; it never submits the form from here
    var first = choices.querySelector("button");
    if (first) first.click();
  });
  document.addEventListener("click", function (ev) {
    if (!choices.hidden && !choices.contains(ev.target) && ev.target !== place) choices.hidden = true;
  });

  $("f-gps").addEventListener("click", function () {
    if (!navigator.geolocation) { placeNote.textContent = T.gps_unavailable; return; }
    placeNote.textContent = T.gps_wait;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var lon = +pos.coords.longitude.toFixed(6), lat = +pos.coords.latitude.toFixed(6);
      el("lon").value = lon;
      el("lat").value = lat;
      request(cfg.urls.locate + "?lon=" + lon + "&lat=" + lat, {}, 10000).then(function (res) {
        if (res.status === 404) { el("lon").value = el("lat").value = ""; placeNote.textContent = T.gps_outside; return; }
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json().then(function (r) {
          if (cfg.scope && r.code !== cfg.scope && r.code.indexOf(cfg.scope + ".") !== 0) {
            el("lon").value = el("lat").value = "";
            placeNote.textContent = T.gps_outside;
            return;
          }
          var names = [r.name].concat(r.parents.filter(function (p) { return p.level >= 2; }).reverse()
            .map(function (p) { return p.name; }));
          var label = names.slice(0, 3).join(", ");
          choose(r.code, label, true);
          placeNote.textContent = fmt(T.gps_found, { place: label });
        });
      }).catch(function () {
        placeNote.textContent = fmt(T.gps_saved, { lat: lat, lon: lon });
      }).then(saveDraft);
    }, function () {
      placeNote.textContent = T.gps_denied;
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // --- attachments ---------------------------------------------------------------------------------------
  var fileInput = $("f-files"), fileList = $("f-file-list");

  function shrink(file, force) {
    // A smaller JPEG drawn from the photo (upright, no metadata); null when the browser cannot.
    if (!window.createImageBitmap) return Promise.resolve(null);
    return createImageBitmap(file).then(function (bmp) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bmp.width, bmp.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bmp.width * scale);
      canvas.height = Math.round(bmp.height * scale);
      canvas.getContext("2d").drawImage(bmp, 0, 0, canvas.width, canvas.height);
      if (bmp.close) bmp.close();
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.85); });
    }).then(function (blob) {
      return blob && (force || blob.size < file.size) ? blob : null;
    }).catch(function () { return null; });
  }
  function renderFiles() {
    fileList.textContent = "";
    files.forEach(function (f, i) {
      var li = document.createElement("li"), name = document.createElement("span"), rm = document.createElement("button");
      name.textContent = f.name + " (" + Math.max(1, Math.round(f.size / 1024)) + " KB)";
      rm.type = "button";
      rm.className = "link-button";
      rm.textContent = T.remove;
      rm.addEventListener("click", function () { files.splice(i, 1); renderFiles(); saveDraftFiles(); saveDraft(); });
      li.appendChild(name);
      li.appendChild(rm);
      fileList.appendChild(li);
    });
  }
  fileInput.addEventListener("change", function () {
    var picked = Array.prototype.slice.call(fileInput.files || []), problems = [];
    fileInput.value = "";
    picked.reduce(function (chain, file) {
      return chain.then(function () {
        if (files.length >= cfg.maxFiles) { problems.push(fmt(T.file_count, { n: cfg.maxFiles })); return; }
        var accepted = cfg.accept.indexOf(file.type) >= 0 || (!file.type && /\.(jpe?g|png|webp|pdf)$/i.test(file.name));
        var image = /^image\//.test(file.type);
        if (!accepted && !image) { problems.push(fmt(T.file_type, { name: file.name })); return; }
        var convert = image && (!accepted || file.size > SHRINK_OVER);
        return (convert ? shrink(file, !accepted) : Promise.resolve(null)).then(function (small) {
          var blob = small || file, name = small ? file.name.replace(/\.[^.]*$/, "") + ".jpg" : file.name;
          if (!small && !accepted) { problems.push(fmt(T.file_type, { name: file.name })); return; }
          if (blob.size > cfg.maxBytes) {
            problems.push(fmt(T.file_size, { name: file.name, mb: Math.round(cfg.maxBytes / 1048576) }));
            return;
          }
          files.push({ id: uuid(), name: name, type: blob.type || file.type, size: blob.size, blob: blob });
        });
      });
    }, Promise.resolve()).then(function () {
      renderFiles();
      saveDraftFiles();
      saveDraft();
      showFormError(problems.join(" "));
    });
  });

  // --- submitting: queue first, then send ------------------------------------------------------------------
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var d = readForm(), problems = validate(d), button = $("f-submit");
    showProblems(problems);
    if (problems.length) return;
    showFormError("");
    button.disabled = true;
    var cid = uuid();
    var item = {
      cid: cid, user: cfg.user, created: Date.now(), body: toBody(d, cid), draft: d,
      files: files.map(function (f) { return { cid: uuid(), name: f.name, type: f.type, size: f.size, blob: f.blob }; }),
      report: null, state: "waiting", error: ""
    };
    Q.put(item).then(function () {
      clearForm();
      note(navigator.onLine ? T.saved_sending : T.saved_offline);
      return render();
    }).then(function () {
      button.disabled = false;
      flush();
    });
  });

  function errorText(res) {
    return res.json().then(function (body) {
      var e = body && body.error, text = e && e.message ? e.message : "HTTP " + res.status;
      var extra = (e && Array.isArray(e.details) ? e.details : []).map(function (x) {
        return x && x.message && x.message !== text ? (x.field ? x.field + ": " : "") + x.message : "";
      }).filter(Boolean);
      return extra.length ? text + " (" + extra.join("; ") + ")" : text;
    }).catch(function () { return "HTTP " + res.status; });
  }
  function transient(status) { return status >= 500 || status === 408 || status === 429; }
  function sessionEnded(status, text) { return status === 401 || (status === 403 && /csrf/i.test(text)); }

  var flushing = false, current = null;
  function flush() {
    if (flushing) return Promise.resolve();
    flushing = true;
    var run = function () { return Q.all().then(sendEach); };
    var job = navigator.locks
      ? navigator.locks.request("waspada-lapor-send", { ifAvailable: true }, function (lock) { return lock ? run() : null; })
      : run();
    return Promise.resolve(job).catch(function () { /* the next retry tries again */ }).then(function () {
      flushing = false;
      current = null;
      return render();
    });
  }
  function sendEach(items) {
    return items.reduce(function (chain, item) {
      return chain.then(function (result) {
        if (result === STOP || item.state === "rejected") return result;
        current = item.cid;
        render();
        return sendOne(item);
      });
    }, Promise.resolve(null));
  }

  function sendOne(item) {
    if (item.state === "paused") item.state = "waiting";
    var step = item.report ? Promise.resolve("ok") : request(cfg.urls.reports, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": item.cid, "X-CSRFToken": csrf() },
      body: JSON.stringify(item.body)
    }, 30000).then(function (res) {
      if (res.ok) {
        return res.json().then(function (data) {
          item.report = { id: data.id, number: data.number };
          return Q.put(item).then(function () { return "ok"; });
        });
      }
      return errorText(res).then(function (text) { return answer(item, res.status, text); });
    }, function () { return STOP; });  // no connection: try again later
    return step.then(function (result) { return result === "ok" ? sendFiles(item) : result; });
  }

  function answer(item, status, text) {
    if (transient(status)) return STOP;
    if (sessionEnded(status, text)) {
      item.state = "paused";
      item.error = T.session;
      return Q.put(item).then(function () { return STOP; });
    }
    item.state = "rejected";
    item.error = text;
    // Not retried: the report goes back to the form (when the form is empty) with the server's message.
    if (isBlank(readForm())) return edit(item).then(function () { return "next"; });
    return Q.put(item).then(function () { return "next"; });
  }

  function sendFiles(item) {
    var url = cfg.urls.attachments.replace("{id}", item.report.id);
    return item.files.reduce(function (chain, f) {
      return chain.then(function (result) {
        if (result === STOP || f.done || f.error) return result;
        var data = new FormData();
        data.append("client_id", f.cid);
        data.append("file", f.blob, f.name);
        return request(url, {
          method: "POST", body: data,
          headers: { Accept: "application/json", "Idempotency-Key": f.cid, "X-CSRFToken": csrf() }
        }, 120000).then(function (res) {
          if (res.ok) { f.done = true; f.blob = null; return Q.put(item); }
          return errorText(res).then(function (text) {
            if (transient(res.status)) return STOP;
            if (sessionEnded(res.status, text)) {
              item.state = "paused"; item.error = T.session;
              return Q.put(item).then(function () { return STOP; });
            }
            f.error = text; f.blob = null;
            return Q.put(item);
          });
        }, function () { return STOP; });
      });
    }, Promise.resolve(null)).then(function (result) {
      if (result === STOP) return STOP;
      var sent = store.get(SENT) || [];
      sent.unshift({
        number: item.report.number, id: item.report.id, at: Date.now(),
        failed: item.files.filter(function (f) { return f.error; }).map(function (f) { return fmt(T.file_failed, { name: f.name, message: f.error }); })
      });
      store.set(SENT, sent.slice(0, 10));
      return Q.del(item.cid).then(function () { return "next"; });
    });
  }

  function edit(item) {
    // Put a refused report back into the form (with its photos) and take it off the queue.
    writeForm(item.draft);
    files = item.files.filter(function (f) { return f.blob; }).map(function (f) {
      return { id: f.cid, name: f.name, type: f.type, size: f.size, blob: f.blob };
    });
    renderFiles();
    saveDraft();
    return saveDraftFiles().then(function () { return Q.del(item.cid); }).then(function () {
      showFormError(fmt(T.rejected_loaded, { message: item.error }));
    });
  }

  // --- showing the queue -----------------------------------------------------------------------------------
  function render() {
    return Q.all().then(function (items) {
      var pending = items.filter(function (i) { return i.state !== "rejected"; });
      var sent = (store.get(SENT) || []).slice(0, 5);
      var box = $("queue"), list = $("queue-items"), summary = $("queue-summary");
      box.hidden = !items.length && !sent.length;
      box.dataset.pending = pending.length;
      if (!pending.length && [T.saved_offline, T.saved_sending].indexOf($("net").textContent) >= 0) note("");
      summary.textContent = pending.length ? fmt(pending.length === 1 ? T.queued_one : T.queued_other, { n: pending.length }) : "";
      summary.hidden = !pending.length;
      $("queue-retry").hidden = !pending.length;
      list.textContent = "";
      items.forEach(function (item) { list.appendChild(queueRow(item)); });
      var sentList = $("sent-items");
      sentList.textContent = "";
      sent.forEach(function (s) {
        var li = document.createElement("li");
        li.dataset.number = s.number;
        li.textContent = fmt(T.sent, { number: s.number }) + " · " + clock(s.at) + (s.failed.length ? " · " + s.failed.join("; ") : "");
        sentList.appendChild(li);
      });
    });
  }
  function queueRow(item) {
    var li = document.createElement("li"), text = item.body.description;
    li.dataset.cid = item.cid;
    li.dataset.state = item.state;
    var head = (text.length > 60 ? text.slice(0, 60) + "…" : text) + " · " + clock(item.created) + " · ";
    if (item.state === "rejected") {
      li.className = "rejected";
      li.appendChild(document.createTextNode(head + fmt(T.rejected, { message: item.error }) + " "));
      li.appendChild(button(T.fix, function () {
        if (!isBlank(readForm()) && !window.confirm(T.clear_confirm)) return;
        edit(item).then(render);
      }));
      li.appendChild(button(T.discard, function () {
        if (window.confirm(T.discard_confirm)) Q.del(item.cid).then(render);
      }));
    } else if (item.state === "paused") {
      li.appendChild(document.createTextNode(head + item.error + " "));
      var a = document.createElement("a");
      a.href = cfg.urls.login + "?next=" + encodeURIComponent(cfg.urls.page);
      a.textContent = T.login;
      li.appendChild(a);
    } else {
      var left = item.files.filter(function (f) { return !f.done && !f.error; }).length;
      var state = current === item.cid ? T.sending : T.waiting_retry;
      if (item.report) state = item.report.number + " · " + fmt(T.files_pending, { n: left }) + " · " + state;
      li.textContent = head + state;
    }
    return li;
  }
  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "link-button";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }
  $("queue-retry").addEventListener("click", flush);

  $("f-clear").addEventListener("click", function () {
    if (isBlank(readForm()) || window.confirm(T.clear_confirm)) clearForm();
  });

  function updateNet() {
    if (!navigator.onLine) note(T.offline);
    else if ($("net").textContent === T.offline) note("");
  }
  window.addEventListener("online", function () { updateNet(); flush(); });
  window.addEventListener("offline", updateNet);
  window.addEventListener("pageshow", function () { render(); });

  // --- start ----------------------------------------------------------------------------------------------
  writeForm(store.get(DRAFT) || {});
  updateNet();
  loadDraftFiles().then(render).then(function () { if (navigator.onLine) flush(); });
  setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.urls.sw, { scope: cfg.urls.page }).catch(function () { /* no offline copy */ });
  }
})();
