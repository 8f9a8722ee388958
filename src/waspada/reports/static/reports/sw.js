/* Service worker of the report form (served as /lapor/sw.js; CONFIG is written above by the server).
   Keeps the form page, its assets and the desa list of the user's area, so the form opens and the region
   picker works without a connection. The page and the data are fetched from the network first (the copy
   is the fallback); the assets, whose names carry a hash, from the copy first. Reports themselves are
   never handled here: the page queues them on the device and sends them itself. */
/* global CONFIG */
"use strict";

var CACHE = "waspada-lapor-" + CONFIG.version;
var DATA = "waspada-lapor-data";
var MAX_DATA = 60;

function keepPage(cache) {
  // Only a real form page is kept, never a login page we were redirected to.
  return fetch(CONFIG.page, { credentials: "same-origin" }).then(function (res) {
    if (res.ok && !res.redirected) return cache.put(CONFIG.page, res);
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(CONFIG.assets).then(function () { return keepPage(cache); });
  }).then(function () {
    return caches.open(DATA).then(function (data) {
      return fetch(CONFIG.units, { credentials: "same-origin" }).then(function (res) {
        if (res.ok && !res.redirected) return data.put(CONFIG.units, res);
      }).catch(function () { /* kept on the next visit */ });
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("waspada-lapor-") === 0 && n !== CACHE && n !== DATA;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function pageFirstFromNetwork(request) {
  return fetch(request).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (cache) { cache.put(CONFIG.page, copy); });
      return res;
    }
    if (res.status >= 500) {
      return caches.match(CONFIG.page, { ignoreVary: true }).then(function (hit) { return hit || res; });
    }
    return res;
  }, function () {
    return caches.match(CONFIG.page, { ignoreVary: true }).then(function (hit) {
      return hit || new Response(
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
        "<title>" + escape(CONFIG.offlineTitle) + "</title><p style='font:16px sans-serif;padding:16px'>" +
        escape(CONFIG.offlineText) + "</p>",
        { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
    });
  });
}

function trim(cache) {
  // The newest answers stay; the desa list of the user's area is never dropped.
  return cache.keys().then(function (keys) {
    keys = keys.filter(function (k) { return new URL(k.url).pathname !== CONFIG.units; });
    return Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_DATA)).map(function (k) { return cache.delete(k); }));
  });
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; });
}

function dataFirstFromNetwork(request) {
  return fetch(request).then(function (res) {
    if (res.ok) {
      var copy = res.clone();
      caches.open(DATA).then(function (cache) { return cache.put(request, copy).then(function () { return trim(cache); }); });
    }
    return res;
  }, function () {
    return caches.match(request, { cacheName: DATA, ignoreVary: true }).then(function (hit) {
      return hit || new Response(JSON.stringify({ error: { status: 503, code: "offline", message: CONFIG.offlineTitle } }),
        { status: 503, headers: { "Content-Type": "application/json" } });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (CONFIG.assets.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (hit) { return hit || fetch(request); }));
  } else if (url.pathname === CONFIG.units || CONFIG.data.indexOf(url.pathname) >= 0) {
    event.respondWith(dataFirstFromNetwork(request));
  }
});
