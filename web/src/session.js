// The engine session: the Web Worker that runs the server (engine-client.js), its state
// ("loading", "ready", "restoring", "failed"), the status line under the editor, resetting
// the server for a lesson, and rebuilding it when a worker was stopped, timed out or
// crashed. Owns the engine and its state; what the rest of the page does when the server
// changes under it is given by main.js (connectSession).
import { EngineClient } from "./engine-client.js";
import { learnCommands } from "./commands.js";
import { $, el } from "./dom.js";
import { fatal } from "./notices.js";
import { currentLesson } from "./course.js";
import { syncClock } from "./clock.js";
import { outputLog, saveEditorNow } from "./workspace.js";
import { recolourCode } from "./code-block.js";

/* global REDPAD_WORKER */
const WORKER_URL = new URL(typeof REDPAD_WORKER === "string" ? REDPAD_WORKER : "./worker.js", import.meta.url);
// Tests only: `?holdRuns` goes on to every worker (worker.js, holdIfAsked).
if (new URLSearchParams(location.search).has("holdRuns")) WORKER_URL.searchParams.set("holdRuns", "1");
// A Run still going after this long is stopped, and the server restored to how it was
// before it. `?runTimeoutMs=300` in the page's address sets another limit, and
// `?runTimeoutMs=0` none (tests whose Runs are long on purpose, or a course on very slow
// machines).
export const RUN_TIMEOUT_MS = timeoutFromAddress("runTimeoutMs") ?? 5000;

function timeoutFromAddress(name) {
  const text = new URLSearchParams(location.search).get(name);
  if (text === null || text.trim() === "") return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

// The status line while a long Run goes on (runs.js shows it; a Lua download says its own).
export const RUNNING_STATUS = "Running… (Stop ends it and puts the keys back as they were before it)";

export let engine = null;
export let engineState = "loading"; // "loading" | "ready" | "restoring" | "failed"
export let luaLoading = false; // the engine with Lua is being loaded (the first script that needs it)

// What the rest of the page does when the server changes under it. Those modules use this
// one (runs.js, task.js, keyspace-panel.js, lesson-view.js), so main.js connects them here
// rather than this module importing them back.
const hooks = {
  updateRunButton: () => {}, // engineState changed: the buttons follow
  afterReset: (/* nowMs, clients */) => {}, // a fresh server: checks, clock, clients
  showSetupProblem: (/* failure or null */) => {}, // how the lesson's setup went
  setClients: (/* clients */) => {}, // the clients a rebuilt server has
  scheduleTick: () => {}, // a rebuilt server that did not say its clients
  refreshSnapshot: async () => null, // the keyspace panel reads the keys again
  refreshChecks: async () => {}, // the task's checks are evaluated again
  isRunning: () => false, // a Run is going on (runs.js)
  ranSinceReset: () => false, // anything ran since the server was reset (runs.js)
};

export function connectSession(handlers) {
  Object.assign(hooks, handlers);
}

function lessonEngineOptions() {
  const lesson = currentLesson?.lesson;
  const start = Date.parse(lesson?.clock?.start ?? "");
  const setup = lesson?.task?.setup ?? lesson?.setup ?? "";
  return {
    startTimeMs: Number.isFinite(start) ? start : Date.now(),
    seed: Number.isFinite(lesson?.seed) ? lesson.seed : 0,
    setup: Array.isArray(setup) ? setup.join("\n") : String(setup),
  };
}

export function setEngineStatus(text, tone = "info") {
  const status = $("engine-status");
  status.className = `engine-status status-${tone}`;
  status.replaceChildren();
  if (tone === "loading") status.append(el("span", "spinner"), " ");
  status.append(text);
  status.hidden = !text;
}

export async function startEngine() {
  engineState = "loading";
  hooks.updateRunButton();
  setEngineStatus("Starting the Redis engine…", "loading");
  try {
    if (!engine) {
      engine = new EngineClient(WORKER_URL);
      engine.onLuaLoading = onLuaLoading;
    }
    engine.start();
    // The engine first; the lesson's setup then as on every reset (resetEngine), where a
    // setup that breaks or blocks the engine is dropped and named.
    const started = await engine.call("init", { ...lessonEngineOptions(), setup: "" });
    showEngine();
    learnCommands(started.commands);
    recolourCode();
    engineState = "ready";
    hooks.afterReset(started.now_ms, started.clients);
    setEngineStatus("");
    hooks.updateRunButton();
    // The lesson (which may have been opened while the engine was starting), or none yet:
    // route() resets the engine for it once it is there.
    if (currentLesson) await resetEngine();
    else await hooks.refreshSnapshot();
  } catch (error) {
    engineFailed(error);
  }
}

// The first script that needs Lua makes the page switch to the engine with Lua (a second,
// bigger download, engine-client.js): said in the status line meanwhile. Run stays busy,
// and Stop gives the download up.
function onLuaLoading(loading) {
  luaLoading = loading;
  if (loading) {
    setEngineStatus("Loading Lua scripting…", "loading"); // a live region: announced
  } else {
    showEngine();
    if (hooks.isRunning() && !$("stop").hidden) setEngineStatus(RUNNING_STATUS, "loading");
    else if (engineState === "ready") setEngineStatus("");
  }
}

// Which engine the page runs (tests read it): redpad-engine, or redpad-engine-lua.
function showEngine() {
  document.documentElement.dataset.engine = engine?.lua ? "redpad-engine-lua" : "redpad-engine";
}

function engineFailed(error) {
  engineState = "failed";
  hooks.updateRunButton();
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

export async function resetEngine() {
  if (engineState !== "ready") return;
  const state = await resetForLesson(lessonEngineOptions());
  hooks.afterReset(state.now_ms, state.clients);
  hooks.showSetupProblem(state.setup_error);
  await hooks.refreshSnapshot();
}

// The lesson's server: an empty one with its clock and seed, then its setup, which must
// behave like a Run (done within the time limit, without crashing the engine). A setup
// that does not is dropped, on a new worker, and reported as the lesson's problem.
async function resetForLesson(options) {
  try {
    return await engine.call("reset", options, { timeoutMs: RUN_TIMEOUT_MS });
  } catch (error) {
    if (options.setup && error?.kind === "lua") {
      // A setup with scripts, and the engine with Lua did not load: the lesson's server
      // without its setup (the keys of the lesson before are not left behind).
      const state = await engine.call("reset", { ...options, setup: "" }, { timeoutMs: RUN_TIMEOUT_MS });
      const failed = `it needs the Redis engine with Lua, which could not be loaded (${error.reason})`;
      return { ...state, setup_error: { failed } };
    }
    if (!options.setup || (error?.kind !== "crashed" && error?.kind !== "timeout")) throw error;
    engine.start();
    const state = await engine.call("init", { ...options, setup: "" });
    const failed =
      error.kind === "timeout"
        ? `it was still running after ${seconds(RUN_TIMEOUT_MS)}`
        : `it stopped the engine (${crashDetail(error.message)})`;
    return { ...state, setup_error: { failed } };
  }
}

// An error from the engine. A worker that crashed is replaced and the server rebuilt; one
// that was stopped or timed out is the business of the Run that it was running.
export function engineError(error, what) {
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
    outputLog.note(`${error.message}${again}`, "error");
    return;
  }
  outputLog.note(`Something went wrong while ${what}: ${error?.message ?? error}`, "error");
}

// An engine abort, for a learner: release builds say only "Aborted()" (or that a C++
// exception went uncaught), and what does that is nearly always memory running out.
export function crashDetail(message) {
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
export function restoreEngine(reason, details = {}) {
  restoring ??= rebuildEngine(reason, details).finally(() => (restoring = null));
  return restoring;
}

async function rebuildEngine(reason, { what = "running the script", detail = "" } = {}) {
  saveEditorNow();
  const lessonAtStart = currentLesson;
  engineState = "restoring";
  hooks.updateRunButton();
  setEngineStatus("Restoring the keyspace…", "loading");
  const tone = reason === "crashed" ? "error" : "warning";
  const note = outputLog.note(`${whatHappened(reason, { what, detail })} Restoring the keyspace…`, tone);
  note.setAttribute("aria-busy", "true");
  let complete = true;
  try {
    const state = await engine.restore();
    complete = state.complete;
    engineState = "ready";
    if (complete) {
      syncClock(state.now_ms);
      // The clients as the replayed steps left them (a consumer still waiting, say).
      if (Array.isArray(state.clients)) hooks.setClients(state.clients);
      else hooks.scheduleTick();
    } else {
      hooks.afterReset(state.now_ms, state.clients);
    }
    hooks.showSetupProblem(state.setup_error);
  } catch (error) {
    if (error?.fatal) {
      note.remove();
      engineFailed(error);
      return;
    }
    // The log itself could not be replayed: the lesson's fresh server is what is left.
    complete = false;
    await startEngine();
    if (engineState !== "ready") return;
  }
  note.removeAttribute("aria-busy");
  note.textContent = restoreMessage(reason, { what, detail, complete });
  note.scrollIntoView({ block: "nearest" });
  setEngineStatus("");
  hooks.updateRunButton();
  // The learner opened another lesson meanwhile: its server, not the one restored.
  if (currentLesson && currentLesson !== lessonAtStart) {
    await resetEngine();
    return;
  }
  if (hooks.ranSinceReset()) await hooks.refreshChecks();
  await hooks.refreshSnapshot();
}
