// Runs before the page's module (as a classic script, which even file:// pages run): starts
// the engine's worker early, and explains what is wrong when the module or the engine
// cannot load at all.
(function () {
  "use strict";
  // The engine's worker starts here, before the page's own (larger) script has loaded, so
  // the .wasm downloads and compiles meanwhile; the page adopts it (engine-client.js).
  try {
    var meta = document.querySelector('meta[name="redpad-worker"]');
    if (meta && location.protocol !== "file:" && typeof Worker === "function") {
      var workerUrl = new URL(meta.content, document.baseURI);
      // Tests only: `?holdRuns` goes on to the worker (worker.js, holdIfAsked).
      if (new URLSearchParams(location.search).has("holdRuns")) workerUrl.searchParams.set("holdRuns", "1");
      var worker = new Worker(workerUrl, { type: "module" });
      // Noted for the page, which may attach its own handlers only after this fired.
      worker.addEventListener("error", function () {
        worker.redpadFailed = true;
      });
      window.redpadEarlyWorker = worker;
    }
  } catch (error) {
    window.redpadEarlyWorker = null; // the page starts its own
  }
  // The course's manifest, and the lesson the address names, start downloading now too;
  // the page takes these responses instead of fetching again (course.js, fetchJson).
  var early = {};
  window.redpadEarlyFetches = early;
  function fetchEarly(url) {
    var response = fetch(url, { cache: "no-cache" });
    response.catch(function () {}); // the page fetches again and reports the error
    early[url] = response;
    return response;
  }
  try {
    if (location.protocol !== "file:" && typeof fetch === "function") {
      var lessons = new URL("lessons/", document.baseURI);
      fetchEarly(new URL("index.json", lessons).href)
        .then(function (response) {
          return response.clone().json();
        })
        .then(function (manifest) {
          var wanted = decodeURIComponent(location.hash.replace(/^#\/?/, "")).toLowerCase();
          var entries = manifest && Array.isArray(manifest.lessons) ? manifest.lessons : [];
          for (var i = 0; wanted && i < entries.length; i++) {
            var entry = entries[i];
            // A plain file name beside index.json (as course.js insists, lesson-problems.js).
            if (!entry || typeof entry.file !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/.test(entry.file)) continue;
            var names = [String(entry.id), entry.number + "-" + entry.id, String(entry.number)];
            if (names.some(function (name) { return name.toLowerCase() === wanted; })) {
              fetchEarly(new URL(entry.file, lessons).href);
              return;
            }
          }
        })
        .catch(function () {});
    }
  } catch (error) {
    // The page fetches everything itself.
  }
  function show(html) {
    var fatal = document.getElementById("fatal");
    if (!fatal) return;
    fatal.innerHTML = html;
    fatal.hidden = false;
    var status = document.getElementById("engine-status");
    if (status) status.textContent = "The Redis engine could not start.";
    var lesson = document.getElementById("lesson");
    if (lesson) lesson.setAttribute("aria-busy", "false");
    var loading = document.querySelector(".lesson-loading");
    if (loading) loading.textContent = "The lesson could not be loaded.";
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (location.protocol === "file:") {
      show(
        "<h2>redpad needs a web server</h2>" +
          "<p>This page was opened from a file, and browsers do not let a page loaded from " +
          "<code>file://</code> start the WebAssembly engine or read the lessons.</p>" +
          "<p>Run <code>./scripts/start</code> in the redpad folder and open " +
          "<a href=\"http://127.0.0.1:8080/\">http://127.0.0.1:8080/</a>, or put the " +
          "built site on any static web host.</p>",
      );
    }
  });
  // The module sets window.redpadStarted as its first statement, and a page's load event
  // comes after its module has run (or failed to load): without it by then, the browser
  // could not load it (very old browser, blocked script). An event, not a timer, so a slow
  // machine is never told its browser is too old.
  window.addEventListener("load", function () {
    if (window.redpadStarted || location.protocol === "file:") return;
    show(
      "<h2>redpad could not start</h2>" +
        "<p>The page's script did not load. redpad needs a current browser " +
        "(Chrome, Edge, Firefox or Safari from 2023 on) with JavaScript turned on. " +
        "Reloading the page may help.</p>",
    );
  });
})();
