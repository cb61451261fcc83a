// The learner's page: lesson text, editor, Run, output, the task's checks, the keyspace
// inspector and the virtual clock. The engine runs in a Web Worker (worker.js).
window.redpadStarted = true;

import { EngineClient } from "./engine-client.js";
import { formatProblem, jsonSyntaxProblem, manifestProblems, schemaProblems, setupProblem } from "./lesson-problems.js";
// lessons/schema.json, compiled into code at build time (web/build.mjs).
import validateLesson from "redpad:lesson-validator";
import { createEditor, loadDocument, replaceText, goToLine, setErrorLines, setCommands, commandOfLine } from "./editor.js";
import { learnCommands } from "./redis-mode.js";
import { renderMarkdown, renderInlineMarkdown } from "./markdown.js";
import { Progress } from "./progress.js";
import { OutputLog, highlightInto, expectedOutput } from "./output.js";
import { KeyspaceView, formatDuration } from "./keyspace.js";
import { anyBlocked, clientOfLine, isClientLine, tickDelay } from "./clients.js";

/* global REDPAD_WORKER */
const WORKER_URL = new URL(typeof REDPAD_WORKER === "string" ? REDPAD_WORKER : "./worker.js", import.meta.url);
// Tests only: `?holdRuns` goes on to every worker (worker.js, holdIfAsked).
if (new URLSearchParams(location.search).has("holdRuns")) WORKER_URL.searchParams.set("holdRuns", "1");
const LESSONS_URL = new URL("./lessons/", document.baseURI);
const SNAPSHOT_KEYS = 200;
const CHECK_POLL_MAX_KEYS = 5000;
// A Run still going after this long is stopped, and the server restored to how it was
// before it. `?runTimeoutMs=300` in the page's address sets another limit, and
// `?runTimeoutMs=0` none (tests whose Runs are long on purpose, or a course on very slow
// machines).
const RUN_TIMEOUT_MS = timeoutFromAddress("runTimeoutMs") ?? 5000;

function timeoutFromAddress(name) {
  const text = new URLSearchParams(location.search).get(name);
  if (text === null || text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

const $ = (id) => document.getElementById(id);
const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};
const button = (className, text, onClick, attrs = {}) => {
  const node = el("button", className, text);
  node.type = "button";
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.addEventListener("click", onClick);
  return node;
};

// ---------------------------------------------------------------------------------------
// State

const app = {
  manifest: null,
  entries: [], // manifest lessons, sorted by number
  total: 0, // the course's length ("of M")
  current: null, // { entry, lesson }
  shownEntry: null, // the manifest entry the page is on, even when its lesson can't be shown
  routeToken: 0,
  engine: null,
  engineState: "loading", // "loading" | "ready" | "restoring" | "failed"
  running: false,
  luaLoading: false, // the engine with Lua is being loaded (the first script that needs it)
  ranSinceReset: false,
  checks: null, // last results, or null when not checked since the reset
  clock: { now: null, at: 0, start: 0, resetAt: 0 },
  snapshotPending: false,
  lastSnapshotTotal: 0,
  lastCheckAt: 0,
  hintsShown: 0,
  saveTimer: null,
  completedRuns: 0,
  // Several clients (docs/clients.md): the server's clients as the last output described
  // them; the timer that lets time pass (tick) when a blocked command's timeout comes.
  clients: [],
  tickTimer: null,
  tickMisses: 0, // ticks in a row that found nothing due (they back off)
  tickFailures: 0, // ticks in a row that lost the worker (given up after two)
  completedTicks: 0,
};

const progress = new Progress(() => window.localStorage);

// ---------------------------------------------------------------------------------------
// Notices and announcements

function showNotice(text, { tone = "warning", id } = {}) {
  const box = $("notices");
  if (id && box.querySelector(`[data-id="${id}"]`)) return;
  const notice = el("div", `notice notice-${tone}`);
  if (id) notice.dataset.id = id;
  notice.append(el("p", null, text));
  notice.append(button("icon-btn", "✕", () => notice.remove(), { "aria-label": "Dismiss this notice" }));
  box.append(notice);
}

let announceTimer = null;
function announce(text) {
  const status = $("sr-status");
  status.textContent = "";
  clearTimeout(announceTimer);
  announceTimer = setTimeout(() => (status.textContent = text), 50);
}

function fatal(title, html) {
  const box = $("fatal");
  box.replaceChildren(el("h2", null, title));
  const body = el("div");
  body.innerHTML = html; // our own fixed text, never lesson content
  box.append(body);
  box.hidden = false;
}

// ---------------------------------------------------------------------------------------
// The engine

function lessonEngineOptions() {
  const lesson = app.current?.lesson;
  const start = Date.parse(lesson?.clock?.start ?? "");
  const setup = lesson?.task?.setup ?? lesson?.setup ?? "";
  return {
    startTimeMs: Number.isFinite(start) ? start : Date.now(),
    seed: Number.isFinite(lesson?.seed) ? lesson.seed : 0,
    setup: Array.isArray(setup) ? setup.join("\n") : String(setup),
  };
}

function setEngineStatus(text, tone = "info") {
  const status = $("engine-status");
  status.className = `engine-status status-${tone}`;
  status.replaceChildren();
  if (tone === "loading") status.append(el("span", "spinner"), " ");
  status.append(text);
  status.hidden = !text;
}

async function startEngine() {
  app.engineState = "loading";
  updateRunButton();
  setEngineStatus("Starting the Redis engine…", "loading");
  try {
    if (!app.engine) {
      app.engine = new EngineClient(WORKER_URL);
      app.engine.onLuaLoading = onLuaLoading;
    }
    app.engine.start();
    // The engine first; the lesson's setup then as on every reset (resetEngine), where a
    // setup that breaks or blocks the engine is dropped and named.
    const started = await app.engine.call("init", { ...lessonEngineOptions(), setup: "" });
    showEngine();
    setCommands(started.commands);
    learnCommands(started.commands);
    recolourCode();
    app.engineState = "ready";
    afterReset(started.now_ms, started.clients);
    setEngineStatus("");
    updateRunButton();
    // The lesson (which may have been opened while the engine was starting), or none yet:
    // route() resets the engine for it once it is there.
    if (app.current) await resetEngine();
    else await refreshSnapshot();
  } catch (error) {
    engineFailed(error);
  }
}

// The first script that needs Lua makes the page switch to the engine with Lua (a second,
// bigger download, engine-client.js): said in the status line meanwhile. Run stays busy,
// and Stop gives the download up.
function onLuaLoading(loading) {
  app.luaLoading = loading;
  if (loading) {
    setEngineStatus("Loading Lua scripting…", "loading"); // a live region: announced
  } else {
    showEngine();
    if (app.running && !$("stop").hidden) setEngineStatus(RUNNING_STATUS, "loading");
    else if (app.engineState === "ready") setEngineStatus("");
  }
}

// Which engine the page runs (tests read it): redpad-engine, or redpad-engine-lua.
function showEngine() {
  document.documentElement.dataset.engine = app.engine?.lua ? "redpad-engine-lua" : "redpad-engine";
}

function engineFailed(error) {
  app.engineState = "failed";
  updateRunButton();
  const reason = String(error?.message ?? error);
  setEngineStatus("The Redis engine could not start.", "error");
  if (location.protocol === "file:") return; // boot.js explains that case
  fatal(
    "The Redis engine could not load",
    `<p>redpad runs Redis as WebAssembly inside this page, and it did not start:</p>
     <p><code class="fatal-reason"></code></p>
     <p>Check that the site was built completely (<code>./scripts/build-site</code>) and is
     served over http(s) (<code>./scripts/start</code> serves it on
     <a href="http://127.0.0.1:8080/">http://127.0.0.1:8080/</a>), then reload. A browser
     without WebAssembly or module workers (before 2023) cannot run it.</p>`,
  );
  $("fatal").querySelector(".fatal-reason").textContent = reason;
}

// Called after every reset of the server: the checks and clock start again, and
// no client waits any more (but those the lesson's setup left blocked).
function afterReset(nowMs, clients = []) {
  app.ranSinceReset = false;
  app.checks = null;
  app.clock.start = nowMs;
  app.clock.resetAt = performance.now();
  syncClock(nowMs);
  renderChecks();
  app.editor && app.editor.dispatch({ effects: setErrorLines.of([]) });
  app.output?.endAllWaits();
  setClients(clients ?? []);
}

async function resetEngine() {
  if (app.engineState !== "ready") return;
  const state = await resetForLesson(lessonEngineOptions());
  afterReset(state.now_ms, state.clients);
  showSetupProblem(state.setup_error);
  await refreshSnapshot();
}

// The lesson's server: an empty one with its clock and seed, then its setup, which must
// behave like a Run (done within the time limit, without crashing the engine). A setup
// that does not is dropped, on a new worker, and reported as the lesson's problem.
async function resetForLesson(options) {
  try {
    return await app.engine.call("reset", options, { timeoutMs: RUN_TIMEOUT_MS });
  } catch (error) {
    if (options.setup && error?.kind === "lua") {
      // A setup with scripts, and the engine with Lua did not load: the lesson's server
      // without its setup (the keys of the lesson before are not left behind).
      const state = await app.engine.call("reset", { ...options, setup: "" }, { timeoutMs: RUN_TIMEOUT_MS });
      const failed = `it needs the Redis engine with Lua, which could not be loaded (${error.reason})`;
      return { ...state, setup_error: { failed } };
    }
    if (!options.setup || (error?.kind !== "crashed" && error?.kind !== "timeout")) throw error;
    app.engine.start();
    const state = await app.engine.call("init", { ...options, setup: "" });
    const failed =
      error.kind === "timeout"
        ? `it was still running after ${seconds(RUN_TIMEOUT_MS)}`
        : `it stopped the engine (${crashDetail(error.message)})`;
    return { ...state, setup_error: { failed } };
  }
}

// An error from the engine. A worker that crashed is replaced and the server rebuilt; one
// that was stopped or timed out is the business of the Run that it was running.
function engineError(error, what) {
  if (error?.fatal) {
    engineFailed(error);
    return;
  }
  if (error?.lostWorker) {
    if (error.kind === "crashed") restoreEngine("crashed", { what, detail: crashDetail(error.message) });
    return;
  }
  if (error?.kind === "lua") {
    // The engine with Lua could not be loaded (or Stop gave it up): the server is untouched.
    const again = what === "running the script" ? " Your script is still in the editor: run it again to retry." : "";
    app.output.note(`${error.message}${again}`, "error");
    return;
  }
  app.output.note(`Something went wrong while ${what}: ${error?.message ?? error}`, "error");
}

// An engine abort, for a learner: release builds say only "Aborted()" (or that a C++
// exception went uncaught), and what does that is nearly always memory running out.
function crashDetail(message) {
  const text = String(message).replace(/\.?\s*Build with -s ASSERTIONS=1 for more info\.?/, "");
  return /^Aborted\(|^an uncaught C\+\+ exception$/.test(text) ? `${text}: most likely it ran out of memory` : text;
}

const seconds = (ms) => (ms % 1000 === 0 ? `${ms / 1000} seconds` : `${(ms / 1000).toFixed(1)} seconds`);

// What the learner reads when a Run is ended or the engine crashed: what happened, that
// the server is as it was before, and that their script is kept.
function whatHappened(reason, { what, detail }) {
  return {
    timeout: `This Run was still going after ${seconds(RUN_TIMEOUT_MS)}, so it was stopped.`,
    stopped: "Stopped.",
    crashed: `The Redis engine stopped with an internal error while ${what} (${detail}), so it was restarted.`,
  }[reason];
}

function restoreMessage(reason, { what, detail, complete }) {
  const inRun = reason !== "crashed" || what === "running the script";
  const happened = whatHappened(reason, { what, detail });
  const restored = !complete
    ? " Everything run since the last reset was too much to replay, so the server starts again " +
      "from the lesson's beginning."
    : inRun
      ? " The keys are back to how they were before this Run: nothing it did is kept."
      : " The keys are back to how they were before the error.";
  const advice =
    reason === "timeout"
      ? ` A Run may take at most ${seconds(RUN_TIMEOUT_MS)}: give it less work (fewer keys, fewer ` +
        "repeats, no KEYS * over a huge keyspace)."
      : "";
  return `${happened}${restored} Your script is still in the editor.${advice}`;
}

// A worker that was stopped, timed out or crashed is replaced by one rebuilt from the log
// of what ran before (engine-client.js). Meanwhile Run and the clock buttons wait.
let restoring = null;
function restoreEngine(reason, details = {}) {
  restoring ??= rebuildEngine(reason, details).finally(() => (restoring = null));
  return restoring;
}

async function rebuildEngine(reason, { what = "running the script", detail = "" } = {}) {
  saveEditorNow();
  const lessonAtStart = app.current;
  app.engineState = "restoring";
  updateRunButton();
  setEngineStatus("Restoring the keyspace…", "loading");
  const tone = reason === "crashed" ? "error" : "warning";
  const note = app.output.note(`${whatHappened(reason, { what, detail })} Restoring the keyspace…`, tone);
  note.setAttribute("aria-busy", "true");
  let complete = true;
  try {
    const state = await app.engine.restore();
    complete = state.complete;
    app.engineState = "ready";
    if (complete) {
      syncClock(state.now_ms);
      // The clients as the replayed steps left them (a consumer still waiting, say).
      if (Array.isArray(state.clients)) setClients(state.clients);
      else scheduleTick();
    } else {
      afterReset(state.now_ms, state.clients);
    }
    showSetupProblem(state.setup_error);
  } catch (error) {
    if (error?.fatal) {
      note.remove();
      engineFailed(error);
      return;
    }
    // The log itself could not be replayed: the lesson's fresh server is what is left.
    complete = false;
    await startEngine();
    if (app.engineState !== "ready") return;
  }
  note.removeAttribute("aria-busy");
  note.textContent = restoreMessage(reason, { what, detail, complete });
  note.scrollIntoView({ block: "nearest" });
  setEngineStatus("");
  updateRunButton();
  // The learner opened another lesson meanwhile: its server, not the one restored.
  if (app.current && app.current !== lessonAtStart) {
    await resetEngine();
    return;
  }
  if (app.ranSinceReset) await refreshChecks();
  await refreshSnapshot();
}

// ---------------------------------------------------------------------------------------
// The clock

function syncClock(nowMs) {
  if (typeof nowMs !== "number") return;
  app.clock.now = nowMs;
  app.clock.at = performance.now();
}

function virtualNow() {
  if (app.clock.now === null) return null;
  return app.clock.now + (performance.now() - app.clock.at);
}

const pad = (n) => String(n).padStart(2, "0");
let shownSecond = null;
function renderClock() {
  const now = virtualNow();
  if (now === null) return;
  const second = Math.floor(now / 1000);
  if (second === shownSecond) return;
  shownSecond = second;
  const date = new Date(now);
  $("clock-time").textContent = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  $("clock-date").textContent = `${date.toLocaleDateString("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  })} UTC`;
  const ahead = now - (app.clock.start + (performance.now() - app.clock.resetAt));
  $("clock-note").textContent =
    ahead >= 1000 ? `Follows real time, ${formatDuration(ahead)} ahead` : "Follows real time";
}

async function advanceClock(ms) {
  if (app.engineState !== "ready" || app.running) return;
  const before = app.lastSnapshotTotal;
  try {
    const { now_ms: now } = await app.engine.call("advance", { ms });
    syncClock(now);
    renderClock();
    // Blocked clients whose timeout the clock passed get their answer now.
    if (anyBlocked(app.clients)) await tickNow(`clock moved forward ${formatDuration(ms)}`);
    const snapshot = await refreshSnapshot();
    if (app.ranSinceReset) await refreshChecks({ live: true });
    const gone = snapshot ? before - snapshot.total : 0;
    announce(
      `Clock moved forward ${formatDuration(ms)}.` +
        (gone > 0 ? ` ${gone} key${gone === 1 ? "" : "s"} expired.` : ""),
    );
  } catch (error) {
    engineError(error, "moving the clock");
  }
}

// ---------------------------------------------------------------------------------------
// Several clients: blocked commands and the time they wait

// The client list an output ended with: who waits, and until when (the next tick).
function setClients(clients) {
  app.clients = Array.isArray(clients) ? clients : [];
  app.output?.setClients(app.clients);
  app.tickFailures = 0;
  scheduleTick();
}

// Lets time pass when the earliest blocked command's timeout comes (virtual time, which
// runs at real speed from the last reading).
function scheduleTick() {
  clearTimeout(app.tickTimer);
  app.tickTimer = null;
  if (app.engineState !== "ready" || app.tickFailures >= 2) return;
  const delay = tickDelay(app.clients, virtualNow(), app.tickMisses);
  if (delay === null) return;
  app.tickTimer = setTimeout(() => tickNow("a blocked command's timeout came"), delay);
}

// Asks the engine to let time pass to the clock's reading (through the worker, logged for
// a rebuild like a Run), and shows what happened under the last Run. `label` says why.
async function tickNow(label) {
  clearTimeout(app.tickTimer);
  app.tickTimer = null;
  // A Run going on (or a rebuild) comes back with its own client list: scheduled again then.
  if (app.engineState !== "ready" || app.running) return;
  try {
    const output = await app.engine.call("tick", {}, { timeoutMs: RUN_TIMEOUT_MS });
    syncClock(output.now_ms);
    const shown = app.output.addTick({ output, label });
    app.tickMisses = shown ? 0 : app.tickMisses + 1;
    app.clients = Array.isArray(output.clients) ? output.clients : app.clients;
    app.tickFailures = 0;
    if (shown) {
      announce("Time passed: a blocked command got its answer.");
      if (app.ranSinceReset) await refreshChecks({ live: true });
      await refreshSnapshot();
    }
  } catch (error) {
    app.tickFailures++;
    if (error?.lostWorker) {
      if (error.kind !== "restarting") {
        await restoreEngine(error.kind, { what: "letting time pass", detail: crashDetail(error.message) });
      }
    } else {
      engineError(error, "letting time pass");
    }
  }
  // How many ticks have been shown: tests wait on it, as on data-runs.
  document.documentElement.dataset.ticks = String(++app.completedTicks);
  scheduleTick();
}

// ---------------------------------------------------------------------------------------
// Keyspace and checks

async function refreshSnapshot() {
  if (app.engineState !== "ready" || app.snapshotPending) return null;
  app.snapshotPending = true;
  try {
    const snapshot = await app.engine.call("snapshot", { maxKeys: SNAPSHOT_KEYS });
    syncClock(snapshot.now_ms);
    app.keyspace.update(snapshot);
    app.lastSnapshotTotal = snapshot.total;
    return snapshot;
  } catch (error) {
    engineError(error, "reading the keys");
    return null;
  } finally {
    app.snapshotPending = false;
  }
}

const allPassed = (results) => Boolean(results?.length) && results.every((result) => result.passed);

// After a Run (or Reset) the checks are evaluated again. `live` re-evaluations follow the
// clock (a TTL check can start passing when time moves on); they stop once the task is
// complete, so "Task complete" stays until the learner runs something else.
async function refreshChecks({ live = false } = {}) {
  const checks = app.current?.lesson?.task?.checks;
  if (!checks?.length || app.engineState !== "ready") return;
  if (live && allPassed(app.checks)) return;
  app.lastCheckAt = performance.now();
  try {
    const { results, now_ms: now } = await app.engine.call("check", { checks });
    syncClock(now);
    app.checks = results;
    renderChecks();
  } catch (error) {
    engineError(error, "checking the task");
  }
}

function onTick() {
  renderClock();
  const now = virtualNow();
  if (now !== null) app.output.tick(now);
  if (now !== null && app.keyspace.tick(now)) {
    refreshSnapshot().then(() => app.ranSinceReset && refreshChecks({ live: true }));
  }
}

// Keeps the inspector and the checks in step with the clock (TTLs run out on their own).
async function onPoll() {
  if (document.hidden || app.engineState !== "ready" || app.running) return;
  const snapshot = await refreshSnapshot();
  if (
    snapshot &&
    app.ranSinceReset &&
    snapshot.total <= CHECK_POLL_MAX_KEYS &&
    performance.now() - app.lastCheckAt > 1500
  ) {
    await refreshChecks({ live: true });
  }
}

// ---------------------------------------------------------------------------------------
// Running scripts

function updateRunButton() {
  const run = $("run");
  const ready = app.engineState === "ready";
  run.disabled = !ready || app.running || !app.current;
  run.setAttribute("aria-busy", String(app.running));
  run.classList.toggle("is-running", app.running);
  $("reset").disabled = !ready || app.running;
  for (const advance of document.querySelectorAll("[data-advance]")) advance.disabled = !ready || app.running;
  for (const exampleRun of document.querySelectorAll(".example-run")) exampleRun.disabled = !ready || app.running;
}

const RUNNING_STATUS = "Running… (Stop ends it and puts the keys back as they were before it)";
let stopTimer = null;
function setRunning(running) {
  app.running = running;
  updateRunButton();
  clearTimeout(stopTimer);
  $("stop").hidden = true;
  if (running) {
    // A long run (a huge script or reply) can be stopped; quick ones never show the button.
    stopTimer = setTimeout(() => {
      $("stop").hidden = false;
      // While the engine with Lua loads, the status says so (Stop gives the download up).
      if (!app.luaLoading) setEngineStatus(RUNNING_STATUS, "loading");
    }, 700);
  } else if (app.engineState === "ready") {
    setEngineStatus(app.luaLoading ? "Loading Lua scripting…" : "", app.luaLoading ? "loading" : "info");
  }
}

async function runScript(script, { title, kind, fromEditor }) {
  if (app.engineState === "loading" || app.engineState === "restoring") {
    announce(
      app.engineState === "loading"
        ? "The Redis engine is still starting. Try again in a moment."
        : "The keyspace is being restored. Try again in a moment.",
    );
    return;
  }
  if (app.engineState !== "ready" || app.running) return;
  setRunning(true);
  try {
    const output = await app.engine.call("run", { script }, { timeoutMs: RUN_TIMEOUT_MS });
    syncClock(output.now_ms);
    const shown = app.output.addRun({ title, kind, output, lineLinks: fromEditor });
    app.tickMisses = 0;
    if (Array.isArray(output.clients)) setClients(output.clients);
    else scheduleTick();
    // On one-column screens the output is below the editor: bring it into view.
    if (window.matchMedia("(max-width: 899px)").matches) {
      $("output").scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    if (fromEditor) app.editor.dispatch({ effects: setErrorLines.of(shown.errorLines) });
    if (shown.commands > 0) app.ranSinceReset = true;
    setRunning(false);
    await refreshChecks();
    await refreshSnapshot();
  } catch (error) {
    setRunning(false);
    if (error?.lostWorker) {
      // Stopped, timed out or crashed: the server goes back to how it was before this Run.
      if (error.kind !== "restarting") {
        await restoreEngine(error.kind, { what: "running the script", detail: crashDetail(error.message) });
      }
    } else {
      engineError(error, "running the script");
    }
    // A timeout that came while the Run went on is let pass now.
    scheduleTick();
  }
  // How many runs have been shown with their checks and keys: tests (and tools) wait on it.
  document.documentElement.dataset.runs = String(++app.completedRuns);
}

let runCount = 0;
function runEditor() {
  if (!app.current) return;
  saveEditorNow(); // the text is safe before the engine is given it
  runCount++;
  runScript(app.editor.state.doc.toString(), { title: `Run ${runCount}`, kind: "run", fromEditor: true });
}

// The Run in progress ends where it is; runScript then restores the server.
function stopRun() {
  if (!app.running) return;
  app.engine.stop();
}

// ---------------------------------------------------------------------------------------
// Editor text and progress

function saveEditorNow() {
  clearTimeout(app.saveTimer);
  app.saveTimer = null;
  if (!app.current || !app.editor) return;
  progress.setScript(app.current.entry.id, app.editor.state.doc.toString());
}

function onEditorChange() {
  clearTimeout(app.saveTimer);
  app.saveTimer = setTimeout(saveEditorNow, 400);
}

function onCursorLine(text) {
  const bar = $("syntax-bar");
  if (isClientLine(text)) {
    const name = clientOfLine(text);
    const syntax = el("code", "syntax-line", name ? `@${name}` : "@name");
    const summary = name
      ? `The lines after this one run as the client “${name}”: a connection of its own, until the next @ line.`
      : "Switches the client: @ and a name of 1 to 32 letters, digits, -, _, . or :, alone on its line.";
    bar.replaceChildren(syntax, el("span", "syntax-summary", summary));
    bar.classList.add("has-syntax");
    return;
  }
  const command = commandOfLine(text);
  if (!command) {
    bar.replaceChildren();
    bar.classList.remove("has-syntax");
    return;
  }
  const syntax = el("code", "syntax-line", `${command.name} ${command.syntax}`.trim());
  bar.replaceChildren(syntax, el("span", "syntax-summary", command.summary));
  bar.classList.add("has-syntax");
}

function loadIntoEditor(text, what) {
  const current = app.editor.state.doc.toString();
  if (current === text) {
    app.editor.focus();
    return;
  }
  replaceText(app.editor, text);
  app.editor.focus();
  if (current.trim()) {
    app.output.note(`Loaded ${what} into the editor. Ctrl+Z brings your previous script back.`, "info");
  }
}

// ---------------------------------------------------------------------------------------
// Lessons: manifest, routing, rendering

// boot.js began the manifest's and the addressed lesson's downloads as the page loaded:
// those responses are taken once; anything else (or a failed early fetch) is fetched now.
async function fetchOnce(url) {
  const key = String(url);
  const early = window.redpadEarlyFetches?.[key];
  if (early) {
    delete window.redpadEarlyFetches[key];
    try {
      return await early;
    } catch {
      // fetched again below, so the error is reported as any other
    }
  }
  return fetch(url, { cache: "no-cache" });
}

// A course file that could not be used: its name as the author knows it
// ("lessons/12-caching-patterns.json") and what is wrong ([{ pointer, message }]), or a
// plain `reason` when it could not be read at all.
class CourseFileError extends Error {
  constructor(file, { problems = [], reason = null }) {
    super(reason ?? problems.map((problem) => formatProblem(file, problem)).join("\n"));
    this.file = file;
    this.problems = problems;
    this.reason = reason;
  }
}

const courseFileName = (url) => decodeURI(new URL(url).pathname).replace(/^.*\/(lessons\/)/, "$1");

async function fetchJson(url) {
  const file = courseFileName(url);
  let response;
  try {
    response = await fetchOnce(url);
  } catch (error) {
    throw new CourseFileError(file, { reason: `could not fetch ${file} (${error.message})` });
  }
  if (!response.ok) throw new CourseFileError(file, { reason: `${file} answered HTTP ${response.status}` });
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CourseFileError(file, { problems: [{ pointer: "", message: jsonSyntaxProblem(text, error) }] });
  }
}

async function loadManifest() {
  const url = new URL("index.json", LESSONS_URL);
  const manifest = await fetchJson(url);
  const { entries: usable, problems, fatal: unusable } = manifestProblems(manifest);
  if (unusable) throw new CourseFileError(courseFileName(url), { problems });
  if (problems.length) {
    // The lessons it lists properly still work; the others are named here.
    showNotice(
      `The course's list of lessons (${courseFileName(url)}) has problems, so some lessons are left out: ` +
        problems.map((problem) => `${problem.pointer}: ${problem.message}`).join("; ") + ".",
      { tone: "error", id: "manifest" },
    );
  }
  const entries = usable.sort((a, b) => a.number - b.number);
  app.manifest = manifest;
  app.entries = entries;
  const highest = entries.reduce((max, entry) => Math.max(max, entry.number), 0);
  app.total = Math.max(Number.isFinite(manifest.total) ? manifest.total : 0, entries.length, highest);
  // The brand is beside it in the top bar: "redpad Redis course" reads as "Redis course".
  $("course-name").textContent = (manifest.title ?? "Redis course").replace(/^redpad\s+/i, "");
  $("lesson-dialog-title").textContent = manifest.title ?? "Redis course";
}

const available = () => app.entries.filter((entry) => entry.file);

function findEntry(wanted) {
  if (!wanted) return null;
  const text = String(wanted).toLowerCase();
  return (
    app.entries.find((entry) => entry.id.toLowerCase() === text) ??
    app.entries.find((entry) => `${entry.number}-${entry.id}`.toLowerCase() === text) ??
    app.entries.find((entry) => String(entry.number) === text) ??
    null
  );
}

const lessonHash = (entry) => `#/${encodeURIComponent(entry.id)}`;

function neighbours(entry) {
  const list = available();
  const index = list.indexOf(entry);
  return { prev: index > 0 ? list[index - 1] : null, next: index >= 0 ? list[index + 1] ?? null : null };
}

// The lesson the address names ("#/caching-patterns"), as written (a malformed escape
// is taken as it is rather than failing).
function addressedLesson() {
  const raw = location.hash.replace(/^#\/?/, "");
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

async function route() {
  const token = ++app.routeToken;
  const wanted = addressedLesson();
  let entry = findEntry(wanted);
  if (!wanted) {
    entry =
      findEntry(progress.last) ??
      available().find((candidate) => !progress.isDone(candidate.id)) ??
      available()[0] ??
      null;
    if (entry) history.replaceState(null, "", lessonHash(entry));
  }
  app.shownEntry = entry;
  if (!entry || !entry.file) {
    saveEditorNow();
    renderMissing(wanted, entry);
    return;
  }
  if (app.current?.entry === entry) return;
  saveEditorNow();
  const firstLesson = !app.current;
  let lesson;
  try {
    $("lesson").setAttribute("aria-busy", "true");
    const url = new URL(entry.file, LESSONS_URL);
    lesson = await fetchJson(url);
    // Checked against lessons/schema.json, as ./scripts/validate-lessons does: a lesson
    // the page would misread is refused with what is wrong, and the others still work.
    if (!validateLesson(lesson)) {
      throw new CourseFileError(courseFileName(url), { problems: schemaProblems(validateLesson.errors) });
    }
  } catch (error) {
    if (token !== app.routeToken) return;
    renderLessonError(entry, error);
    return;
  }
  if (token !== app.routeToken) return;
  app.current = { entry, lesson };
  app.hintsShown = 0;
  progress.setLast(entry.id);
  document.title = `${lesson.title ?? entry.title} · Lesson ${entry.number} · redpad`;
  renderLesson();
  renderTask();
  renderNav();
  updateRunButton();
  const saved = progress.script(entry.id);
  loadDocument(app.editor, saved ?? lesson.task?.starter ?? "");
  onCursorLine("");
  app.output.clear();
  runCount = 0;
  if (!firstLesson) $("lesson-title")?.focus({ preventScroll: false });
  $("lesson").scrollTop = 0;
  if (app.engineState === "ready") {
    try {
      await resetEngine();
    } catch (error) {
      engineError(error, "opening the lesson");
    }
  }
}

function lessonLabel(entry) {
  return `Lesson ${entry.number} of ${app.total}`;
}

function renderMissing(wanted, entry) {
  leaveLesson();
  const article = $("lesson");
  article.setAttribute("aria-busy", "false");
  const head = el("header", "lesson-head");
  if (entry) {
    head.append(el("p", "eyebrow", lessonLabel(entry)));
    head.append(el("h1", null, entry.title ?? `Lesson ${entry.number}`));
    article.replaceChildren(head, el("p", null, "This lesson is coming soon."));
  } else if (app.entries.length === 0) {
    head.append(el("h1", null, "No lessons yet"));
    article.replaceChildren(head, el("p", null, "The course has no lessons yet: lessons/index.json lists none."));
  } else {
    head.append(el("h1", null, "Lesson not found"));
    article.replaceChildren(
      head,
      el("p", null, `There is no lesson called “${wanted}”.`),
      button("btn btn-primary", "Show the lessons", openLessons),
    );
  }
  head.querySelector("h1").id = "lesson-title";
  renderTask();
  renderNav();
}

// No lesson to work on (missing, coming soon, broken): the editor is emptied and locked,
// so nothing is typed where it cannot be kept.
function leaveLesson() {
  saveEditorNow();
  app.current = null;
  loadDocument(app.editor, "", { readOnly: true });
  onCursorLine("");
  updateRunButton();
}

function renderLessonError(entry, error) {
  leaveLesson();
  const article = $("lesson");
  article.setAttribute("aria-busy", "false");
  const head = el("header", "lesson-head");
  head.append(el("p", "eyebrow", lessonLabel(entry)));
  const title = el("h1", null, entry.title ?? `Lesson ${entry.number}`);
  title.id = "lesson-title";
  head.append(title);
  const message = el("div", "lesson-error");
  message.setAttribute("role", "alert");
  if (error instanceof CourseFileError && error.problems.length) {
    const count = error.problems.length;
    message.append(
      el(
        "p",
        null,
        `This lesson can't be shown: its file, ${error.file}, has ${count === 1 ? "a problem" : `${count} problems`}.`,
      ),
      problemList(error.file, error.problems),
      el("p", "muted", "The other lessons work as usual. The course's author can fix this file " +
        `(./scripts/validate-lessons ${error.file} gives the same report).`),
    );
  } else {
    message.append(el("p", null, "This lesson could not be loaded:"), el("p", "error-detail", error.message));
  }
  message.append(button("btn", "Try again", () => ((app.current = null), route())));
  article.replaceChildren(head, message);
  renderTask();
  renderNav();
}

// "file: /pointer: message" lines, as text (they quote the file's own content).
function problemList(file, problems) {
  const list = el("ul", "problem-list");
  const shown = problems.slice(0, 20);
  for (const problem of shown) list.append(el("li", "error-detail", formatProblem(file, problem)));
  if (problems.length > shown.length) list.append(el("li", "muted", `… and ${problems.length - shown.length} more`));
  return list;
}

// The lesson's setup did not run cleanly: the lesson stays usable, with a warning that
// its data may not be what its text says.
function showSetupProblem(failure) {
  const box = $("lesson").querySelector(".setup-problem");
  if (!failure || !app.current) {
    box?.remove();
    return;
  }
  const file = `lessons/${app.current.entry.file}`;
  const alert = el("div", "lesson-error setup-problem");
  alert.setAttribute("role", "alert");
  alert.append(
    el("p", null, "This lesson's setup commands failed, so the server may not hold the data the lesson expects:"),
    problemList(file, [setupProblem(failure)]),
  );
  if (box) box.replaceWith(alert);
  else $("lesson").querySelector(".lesson-head")?.after(alert);
}

function renderCode(text) {
  const pre = el("pre", "code-block");
  const code = el("code");
  code.dataset.source = text;
  highlightInto(code, text);
  pre.append(code);
  return pre;
}

// A lesson shown before the engine was ready was coloured with a few command names only
// (EVAL, BLMOVE... looked unknown): once the engine's table is learnt, colour it again.
function recolourCode() {
  for (const code of document.querySelectorAll("pre.code-block > code[data-source]")) {
    code.replaceChildren();
    highlightInto(code, code.dataset.source);
  }
}

function exampleActions(commands, title) {
  const actions = el("div", "example-actions");
  const run = button("btn btn-small example-run", "▶ Run", () =>
    runScript(commands, { title: `Example: ${title}`, kind: "example", fromEditor: false }),
  );
  run.setAttribute("aria-label", `Run example: ${title}`);
  run.disabled = app.engineState !== "ready";
  const load = button("btn btn-small btn-quiet", "Edit", () => loadIntoEditor(commands, `the example “${title}”`));
  load.setAttribute("aria-label", `Edit example in the editor: ${title}`);
  actions.append(run, load);
  return actions;
}

function renderExample(example, index) {
  const title = example.title ?? `Example ${index + 1}`;
  const figure = el("figure", "example");
  const caption = el("figcaption", "example-head");
  caption.append(el("span", "example-title", title), exampleActions(example.commands ?? "", title));
  figure.append(caption);
  if (example.markdown) {
    const text = el("div", "example-text markdown");
    text.innerHTML = renderMarkdown(example.markdown);
    figure.append(text);
  }
  if (example.error) {
    figure.append(el("p", "example-note", "This example shows an error on purpose."));
  }
  figure.append(renderCode(example.commands ?? ""));
  if (typeof example.expected === "string") {
    const expected = el("div", "example-expected");
    expected.append(el("span", "expected-label", "Output"));
    // With `@name` lines (several clients), a column per client.
    expected.append(expectedOutput(example.expected));
    figure.append(expected);
  }
  return figure;
}

// Fenced code blocks inside lesson Markdown become runnable too (redis, redis-cli or
// unlabelled blocks).
function enhanceCodeBlocks(container) {
  let index = 0;
  for (const code of container.querySelectorAll("pre > code")) {
    const language = /language-(\S+)/.exec(code.className)?.[1];
    if (language && !/^(redis|redis-cli|redpad)$/i.test(language)) continue;
    const text = code.textContent.replace(/\n$/, "");
    const figure = el("figure", "example example-inline");
    const caption = el("figcaption", "example-head");
    const title = `Code block ${++index}`;
    caption.append(el("span", "example-title", ""), exampleActions(text, title));
    figure.append(caption, renderCode(text));
    code.parentElement.replaceWith(figure);
  }
}

function renderLesson() {
  const { entry, lesson } = app.current;
  const article = $("lesson");
  const head = el("header", "lesson-head");
  const eyebrow = el("p", "eyebrow");
  eyebrow.append(el("span", null, lessonLabel(entry)));
  if (progress.isDone(entry.id)) eyebrow.append(el("span", "done-badge", "✓ Done"));
  head.append(eyebrow);
  const title = el("h1", null, lesson.title ?? entry.title);
  title.id = "lesson-title";
  title.tabIndex = -1;
  head.append(title);
  // On one-column screens the task and the editor are below the whole lesson.
  head.append(taskLink("to-task to-task-top"));
  const body = el("div", "lesson-body");
  if (lesson.intro) {
    const intro = el("div", "markdown lesson-intro");
    intro.innerHTML = renderMarkdown(lesson.intro);
    body.append(intro);
  }
  for (const section of lesson.sections ?? []) {
    const part = el("section", "lesson-section");
    const heading = section.heading ?? (section.commands ? null : section.title);
    if (heading) part.append(el("h2", null, heading));
    if (section.markdown) {
      const text = el("div", "markdown");
      text.innerHTML = renderMarkdown(section.markdown);
      enhanceCodeBlocks(text);
      part.append(text);
    }
    const examples = section.examples ?? (section.commands ? [section] : []);
    examples.forEach((example, index) => part.append(renderExample(example, index)));
    body.append(part);
  }
  const foot = el("footer", "lesson-foot");
  const { prev, next } = neighbours(entry);
  foot.append(taskLink("to-task"));
  if (prev || next) {
    const links = el("nav", "lesson-links");
    links.setAttribute("aria-label", "Previous and next lesson");
    if (prev) links.append(lessonCard(prev, "Previous"));
    if (next) links.append(lessonCard(next, "Next"));
    foot.append(links);
  }
  body.append(foot);
  article.replaceChildren(head, body);
  article.setAttribute("aria-busy", "false");
}

function taskLink(className) {
  const link = el("a", className, "Go to the task ↓");
  link.href = "#task";
  link.addEventListener("click", (event) => {
    event.preventDefault();
    $("task").scrollIntoView({ behavior: "smooth", block: "start" });
    $("task-title").focus({ preventScroll: true });
  });
  return link;
}

function lessonCard(entry, label) {
  const link = el("a", `lesson-card card-${label.toLowerCase()}`);
  link.href = lessonHash(entry);
  link.append(el("span", "card-label", `${label}: Lesson ${entry.number}`), el("span", "card-title", entry.title));
  return link;
}

// ---------------------------------------------------------------------------------------
// The task panel

function renderTask() {
  const panel = $("task");
  const head = panel.querySelector(".panel-head");
  const title = $("task-title");
  title.tabIndex = -1;
  panel.replaceChildren(head);
  head.querySelector(".done-badge")?.remove();
  const task = app.current?.lesson?.task;
  if (!task) {
    panel.append(el("p", "muted", app.current ? "This lesson has no task: explore freely." : ""));
    return;
  }
  if (progress.isDone(app.current.entry.id)) head.append(el("span", "done-badge", "✓ Done"));
  const instructions = el("div", "markdown task-text");
  instructions.innerHTML = renderMarkdown(task.instructions ?? "");
  panel.append(instructions);

  const checksTitle = el("h3", "checks-title", "Checks");
  checksTitle.id = "checks-title";
  const list = el("ul", "checks");
  list.id = "checks";
  list.setAttribute("aria-labelledby", "checks-title");
  const status = el("p", "checks-status");
  status.id = "checks-status";
  status.setAttribute("role", "status");
  const complete = el("div", "task-complete");
  complete.id = "task-complete";
  complete.hidden = true;
  panel.append(checksTitle, list, status, complete);

  const help = el("div", "task-help");
  const hints = task.hints ?? [];
  const hintList = el("ol", "hints");
  hintList.id = "hints";
  const hintButton = button("btn btn-small btn-quiet", "", () => {
    app.hintsShown = Math.min(hints.length, app.hintsShown + 1);
    showHints();
    hintList.lastElementChild?.focus();
  });
  function showHints() {
    hintList.replaceChildren(
      ...hints.slice(0, app.hintsShown).map((hint, index) => {
        const item = el("li");
        item.tabIndex = -1;
        item.innerHTML = renderInlineMarkdown(hint);
        item.prepend(el("span", "sr-only", `Hint ${index + 1}: `));
        return item;
      }),
    );
    const left = hints.length - app.hintsShown;
    hintButton.hidden = left === 0;
    hintButton.textContent = app.hintsShown === 0 ? `Show a hint` : `Show another hint (${left} left)`;
  }
  if (hints.length) {
    showHints();
    help.append(hintList, hintButton);
  }
  if (task.solution) {
    const details = el("details", "solution");
    details.append(el("summary", null, "Show the solution"));
    details.append(renderCode(task.solution.replace(/\n$/, "")));
    details.append(
      button("btn btn-small", "Load the solution into the editor", () =>
        loadIntoEditor(task.solution, "the solution"),
      ),
    );
    help.append(details);
  }
  panel.append(help);
  renderChecks();
}

function renderChecks() {
  const list = $("checks");
  if (!list) return;
  const task = app.current?.lesson?.task;
  const checks = task?.checks ?? [];
  const results = app.checks;
  list.replaceChildren(
    ...checks.map((check, index) => {
      const result = results?.[index];
      const state = !result ? "pending" : result.passed ? "pass" : "fail";
      const item = el("li", `check check-${state}`);
      const icon = el("span", "check-icon", { pending: "○", pass: "✓", fail: "✕" }[state]);
      icon.setAttribute("aria-hidden", "true");
      const text = el("div", "check-text");
      text.append(el("span", "sr-only", { pending: "Not checked yet: ", pass: "Passed: ", fail: "Not passing yet: " }[state]));
      // Messages and details are plain text (patterns such as "SET * NX*" are not Markdown).
      text.append(el("span", "check-message", result?.message ?? check.message ?? ""));
      if (state === "fail" && result.detail) text.append(el("span", "check-detail", result.detail));
      item.append(icon, text);
      return item;
    }),
  );
  const status = $("checks-status");
  const complete = $("task-complete");
  if (!results) {
    const summary = checks.length ? "Run your script to check your work." : "";
    if (status.textContent !== summary) status.textContent = summary;
    status.className = "checks-status";
    complete.hidden = true;
    return;
  }
  const passed = results.filter((result) => result.passed).length;
  const allPass = passed === checks.length && checks.length > 0;
  status.className = `checks-status ${allPass ? "is-complete" : ""}`;
  const summary = allPass
    ? `Task complete: all ${checks.length} checks pass.`
    : `${passed} of ${checks.length} checks pass.`;
  // A live region: only a change is news.
  if (status.textContent !== summary) status.textContent = summary;
  complete.hidden = !allPass;
  if (allPass) {
    renderComplete(complete);
    const entry = app.current.entry;
    if (progress.markDone(entry.id)) {
      renderNav();
      showDoneBadges();
      const smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      $("checks-title").scrollIntoView({ block: "start", behavior: smooth ? "smooth" : "auto" });
      announce("Task complete. The lesson is marked as done.");
    }
  }
}

function showDoneBadges() {
  for (const head of [$("task").querySelector(".panel-head"), $("lesson").querySelector(".eyebrow")]) {
    if (head && !head.querySelector(".done-badge")) head.append(el("span", "done-badge", "✓ Done"));
  }
}

function renderComplete(box) {
  const entry = app.current.entry;
  const { next } = neighbours(entry);
  box.replaceChildren();
  const title = el("p", "complete-title");
  const icon = el("span", "complete-icon", "✓");
  icon.setAttribute("aria-hidden", "true");
  title.append(icon, el("span", null, "Task complete"));
  box.append(title);
  box.append(el("p", null, "Lesson marked as done, and saved in this browser."));
  if (next) {
    const link = el("a", "btn btn-primary btn-small", `Next: ${next.title} →`);
    link.href = lessonHash(next);
    box.append(link);
  } else {
    const remaining = app.total - progress.doneCount(available().map((e) => e.id));
    box.append(
      el(
        "p",
        "muted",
        remaining > 0 ? "More lessons are coming soon." : "You have finished the course. Well done!",
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------
// Navigation: header buttons and the lesson list

function renderNav() {
  const entry = app.current?.entry ?? app.shownEntry;
  const { prev, next } = entry ? neighbours(entry) : { prev: null, next: available()[0] ?? null };
  const prevButton = $("prev-lesson");
  const nextButton = $("next-lesson");
  prevButton.disabled = !prev;
  nextButton.disabled = !next;
  prevButton.title = prev ? `Lesson ${prev.number}: ${prev.title}` : "No earlier lesson yet";
  nextButton.title = next ? `Lesson ${next.number}: ${next.title}` : "No later lesson yet";
  prevButton.onclick = () => prev && (location.hash = lessonHash(prev));
  nextButton.onclick = () => next && (location.hash = lessonHash(next));
  const done = progress.doneCount(app.entries.map((e) => e.id));
  $("progress-pill").textContent = `${done} of ${app.total} done`;
  $("course-progress").textContent =
    `${done} of ${app.total} lessons done` +
    (available().length < app.total ? ` · ${app.total - available().length} coming soon` : "");
  renderLessonList();
}

function renderLessonList() {
  const list = $("lesson-list");
  const byNumber = new Map(app.entries.map((entry) => [entry.number, entry]));
  const numbers = new Set([...Array.from({ length: app.total }, (_, i) => i + 1), ...byNumber.keys()]);
  list.replaceChildren(
    ...[...numbers]
      .sort((a, b) => a - b)
      .map((number) => {
        const entry = byNumber.get(number);
        const item = el("li", "lesson-item");
        const num = el("span", "lesson-number", String(number));
        num.setAttribute("aria-hidden", "true");
        if (entry?.file) {
          const link = el("a", "lesson-link");
          link.href = lessonHash(entry);
          const done = progress.isDone(entry.id);
          const current = (app.current?.entry ?? app.shownEntry) === entry;
          if (current) link.setAttribute("aria-current", "page");
          const title = el("span", "lesson-name", entry.title);
          if (entry.summary) title.append(el("span", "lesson-summary", entry.summary));
          const mark = el("span", `lesson-mark ${done ? "is-done" : ""}`, done ? "✓ Done" : "");
          link.append(num, el("span", "sr-only", `Lesson ${number}: `), title, mark);
          link.addEventListener("click", () => $("lesson-dialog").close());
          item.append(link);
          item.classList.toggle("is-current", current);
        } else {
          item.classList.add("is-soon");
          item.append(
            num,
            el("span", "sr-only", `Lesson ${number}: `),
            el("span", "lesson-name", entry?.title ?? `Lesson ${number}`),
            el("span", "lesson-mark soon", "Coming soon"),
          );
        }
        return item;
      }),
  );
}

function openLessons() {
  const dialog = $("lesson-dialog");
  renderLessonList();
  dialog.showModal();
  (dialog.querySelector("[aria-current]") ?? dialog.querySelector("a, button"))?.focus();
}

// ---------------------------------------------------------------------------------------
// Start

function bindControls() {
  $("run").addEventListener("click", runEditor);
  $("stop").addEventListener("click", stopRun);
  $("reset").addEventListener("click", async () => {
    if (app.running) return;
    try {
      await resetEngine();
      // The output is a live region: this note is announced too.
      app.output.note("The server was reset: no keys, the lesson's clock, and the checks start again.", "info");
    } catch (error) {
      engineError(error, "resetting the server");
    }
  });
  $("clear-output").addEventListener("click", () => app.output.clear());
  $("restore-starter").addEventListener("click", () => {
    const starter = app.current?.lesson?.task?.starter;
    if (starter === undefined) return;
    loadIntoEditor(starter, "the starter text");
  });
  for (const advance of document.querySelectorAll("[data-advance]")) {
    advance.addEventListener("click", () => advanceClock(Number(advance.dataset.advance)));
  }
  $("open-lessons").addEventListener("click", openLessons);
  $("close-lessons").addEventListener("click", () => $("lesson-dialog").close());
  $("lesson-dialog").addEventListener("click", (event) => {
    // A click on the backdrop (outside the dialog's box) closes it.
    if (event.target === event.currentTarget) event.currentTarget.close();
  });
  window.addEventListener("hashchange", () => route());
  window.addEventListener("pagehide", saveEditorNow);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) saveEditorNow();
    else onPoll();
  });
}

async function main() {
  for (const notice of progress.notices) showNotice(notice.text, { id: notice.kind });
  progress.onNotice((notice) => showNotice(notice.text, { id: notice.kind }));

  app.editor = createEditor({
    parent: $("editor"),
    label: "Your script: Redis commands, one per line",
    describedBy: "editor-hint",
    onRun: runEditor,
    onChange: onEditorChange,
    onCursorLine,
  });
  app.output = new OutputLog($("output"), { onGoToLine: (line) => goToLine(app.editor, line) });
  app.keyspace = new KeyspaceView({ list: $("keys"), summary: $("keys-summary"), empty: $("keys-empty") });
  bindControls();
  updateRunButton();
  setInterval(onTick, 250);
  setInterval(onPoll, 2000);

  const engineStarted = startEngine();
  try {
    await loadManifest();
  } catch (error) {
    leaveLesson();
    $("lesson").setAttribute("aria-busy", "false");
    const message = el("div", "lesson-error");
    message.setAttribute("role", "alert");
    if (error instanceof CourseFileError && error.problems.length) {
      message.append(
        el("p", null, `The course's list of lessons, ${error.file}, can't be used:`),
        problemList(error.file, error.problems),
      );
    } else {
      message.append(el("p", "error-detail", error.message));
    }
    message.append(el("p", "muted", "Reloading the page may help; if it does not, the site needs fixing."));
    $("lesson").replaceChildren(el("h1", null, "The course could not be loaded"), message);
    renderNav();
    return;
  }
  renderNav();
  await route();
  await engineStarted;
}

main().catch((error) => {
  console.error(error);
  fatal("redpad stopped with an error", `<p>Please reload the page.</p><p><code class="fatal-reason"></code></p>`);
  $("fatal").querySelector(".fatal-reason").textContent = String(error?.stack ?? error);
});

