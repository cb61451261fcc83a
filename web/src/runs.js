// What the learner runs on the server: Run (the editor's script) and the examples, Stop,
// the clock's buttons, and the time blocked clients wait (ticks). Owns whether a Run is
// going on, the prompt the next Run starts with, whether anything ran since the reset,
// the server's clients as the last output described them, the tick timer, and where
// keyboard focus waits while a Run or a restore disables the control that had it.
import { anyBlocked, tickDelay } from "./clients.js";
import { formatDuration } from "./keyspace.js";
import { $, scrollToView } from "./dom.js";
import { announce } from "./notices.js";
import { currentLesson } from "./course.js";
import { renderClock, syncClock, virtualNow } from "./clock.js";
import {
  RUNNING_STATUS,
  RUN_TIMEOUT_MS,
  crashDetail,
  engine,
  engineError,
  engineState,
  luaLoading,
  restoreEngine,
  setEngineStatus,
} from "./session.js";
import { editorView, markErrorLines, outputLog, saveEditorNow } from "./workspace.js";
import { lastSnapshotTotal, refreshSnapshot } from "./keyspace-panel.js";
import { refreshChecks } from "./task.js";
import { baseSnapshot, leaveTimeline, recordOutput, recorded, showStep } from "./timeline-record.js";

export let running = false;
export let ranSinceReset = false;
let completedRuns = 0;
let runCount = 0;
let stopTimer = null;
// Several clients (docs/clients.md): the server's clients as the last output described
// them; the timer that lets time pass (tick) when a blocked command's timeout comes.
let clients = [];
let tickTimer = null;
let tickMisses = 0; // ticks in a row that found nothing due (they back off)
let tickFailures = 0; // ticks in a row that lost the worker (given up after two)
let completedTicks = 0;

// A fresh server: nothing has run on it.
export function restartRuns() {
  ranSinceReset = false;
}

// Another lesson: its Runs are numbered from 1.
export function resetRunCount() {
  runCount = 0;
}

export async function advanceClock(ms) {
  if (engineState !== "ready" || running) return;
  const before = lastSnapshotTotal;
  try {
    const { now_ms: now } = await engine.call("advance", { ms });
    syncClock(now);
    renderClock();
    // Blocked clients whose timeout the clock passed get their answer now (and, when
    // steps are recorded, keys whose time passed expire as steps of their own).
    if (anyBlocked(clients) || recorded.on) await tickNow(`clock moved forward ${formatDuration(ms)}`);
    const snapshot = await refreshSnapshot();
    if (ranSinceReset) await refreshChecks({ live: true });
    const gone = snapshot ? before - snapshot.total : 0;
    announce(
      `Clock moved forward ${formatDuration(ms)}.` +
        (gone > 0 ? ` ${gone} key${gone === 1 ? "" : "s"} expired.` : ""),
    );
  } catch (error) {
    engineError(error, "moving the clock");
  }
}

// The client list an output ended with: who waits, and until when (the next tick).
export function setClients(newClients) {
  clients = Array.isArray(newClients) ? newClients : [];
  outputLog?.setClients(clients);
  tickFailures = 0;
  scheduleTick();
}

// Lets time pass when the earliest blocked command's timeout comes (virtual time, which
// runs at real speed from the last reading).
export function scheduleTick() {
  clearTimeout(tickTimer);
  tickTimer = null;
  if (engineState !== "ready" || tickFailures >= 2) return;
  const delay = tickDelay(clients, virtualNow(), tickMisses);
  if (delay === null) return;
  tickTimer = setTimeout(() => tickNow("a blocked command's timeout came"), delay);
}

// Asks the engine to let time pass to the clock's reading (through the worker, logged for
// a rebuild like a Run), and shows what happened under the last Run. `label` says why.
async function tickNow(label) {
  clearTimeout(tickTimer);
  tickTimer = null;
  // A Run going on (or a rebuild) comes back with its own client list: scheduled again then.
  if (engineState !== "ready" || running) return;
  try {
    const base = baseSnapshot(engine);
    const output = await engine.call("tick", {}, { timeoutMs: RUN_TIMEOUT_MS });
    syncClock(output.now_ms);
    const shown = outputLog.addTick({ output, label });
    recordOutput(output, await base, { entryOf: (result) => outputLog.entryOf.get(result), engine });
    tickMisses = shown ? 0 : tickMisses + 1;
    clients = Array.isArray(output.clients) ? output.clients : clients;
    tickFailures = 0;
    if (shown) {
      announce("Time passed: a blocked command got its answer.");
      if (ranSinceReset) await refreshChecks({ live: true });
      await refreshSnapshot();
    }
  } catch (error) {
    tickFailures++;
    if (error?.lostWorker) {
      if (error.kind !== "restarting") {
        await restoreEngine(error.kind, { what: "letting time pass", detail: crashDetail(error.message) });
      }
    } else {
      engineError(error, "letting time pass");
    }
  }
  // How many ticks have been shown: tests wait on it, as on data-runs.
  document.documentElement.dataset.ticks = String(++completedTicks);
  scheduleTick();
}

export function updateRunButton() {
  const run = $("run");
  const ready = engineState === "ready";
  const busy = !ready || running;
  setEnabled(run, !busy && Boolean(currentLesson));
  run.setAttribute("aria-busy", String(running));
  run.classList.toggle("is-running", running);
  setEnabled($("reset"), !busy);
  for (const advance of document.querySelectorAll("[data-advance]")) setEnabled(advance, !busy);
  for (const exampleRun of document.querySelectorAll(".example-run")) setEnabled(exampleRun, !busy);
  returnFocus();
}

// A control with keyboard focus that a Run or a restore disables (Run, Reset, the clock's
// and the examples' buttons) or hides (Stop) would drop focus to the page's body: a
// keyboard or screen reader user would start again from the top of the page. Focus waits
// on the toolbar under the editor meanwhile (Tab from there reaches Stop), and goes back to
// the control once it can be used again, unless the learner moved it elsewhere.
let focusToReturn = null;

function setEnabled(control, enabled) {
  if (!enabled) parkFocus(control);
  control.disabled = !enabled;
}

function parkFocus(control, returnTo = control) {
  if (document.activeElement !== control) return;
  focusToReturn = returnTo;
  $("run-toolbar").focus({ preventScroll: true });
}

function returnFocus() {
  const control = focusToReturn;
  if (!control) return;
  if (!control.isConnected) {
    focusToReturn = null; // another lesson's examples: nothing to go back to
    return;
  }
  if (control.disabled || control.hidden) return;
  focusToReturn = null;
  const active = document.activeElement;
  if (active === $("run-toolbar") || active === document.body || active === null) control.focus();
}

function setRunning(isRunning) {
  running = isRunning;
  clearTimeout(stopTimer);
  parkFocus($("stop"), $("run")); // Stop is hidden: the next Run is the way on
  $("stop").hidden = true;
  updateRunButton();
  if (running) {
    // A long run (a huge script or reply) can be stopped; quick ones never show the button.
    stopTimer = setTimeout(() => {
      $("stop").hidden = false;
      // While the engine with Lua loads, the status says so (Stop gives the download up).
      if (!luaLoading) setEngineStatus(RUNNING_STATUS, "loading");
    }, 700);
  } else if (engineState === "ready") {
    setEngineStatus(luaLoading ? "Loading Lua scripting…" : "", luaLoading ? "loading" : "info");
  }
}

export async function runScript(script, { title, kind, fromEditor, timeline = false }) {
  if (engineState === "loading" || engineState === "restoring") {
    announce(
      engineState === "loading"
        ? "The Redis engine is still starting. Try again in a moment."
        : "The keyspace is being restored. Try again in a moment.",
    );
    return;
  }
  if (engineState !== "ready" || running) return;
  setRunning(true);
  leaveTimeline(); // a new Run: the inspector follows the live server again
  try {
    const base = baseSnapshot(engine);
    const output = await engine.call("run", { script }, { timeoutMs: RUN_TIMEOUT_MS });
    syncClock(output.now_ms);
    const shown = outputLog.addRun({ title, kind, output, lineLinks: fromEditor });
    const recordedRun = recordOutput(output, await base, {
      entryOf: (result) => outputLog.entryOf.get(result),
      fromEditor,
      engine,
    });
    // A lesson example that asks for it opens on the timeline, at its first step.
    if (timeline && recordedRun) await showStep(recordedRun.first);
    tickMisses = 0;
    if (Array.isArray(output.clients)) setClients(output.clients);
    else scheduleTick();
    // On one-column screens the output is below the editor: bring it into view.
    if (window.matchMedia("(max-width: 899px)").matches) {
      scrollToView($("output"), { block: "nearest" });
    }
    if (fromEditor) markErrorLines(shown.errorLines);
    if (shown.commands > 0) ranSinceReset = true;
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
  document.documentElement.dataset.runs = String(++completedRuns);
}

export function runEditor() {
  if (!currentLesson) return;
  saveEditorNow(); // the text is safe before the engine is given it
  runCount++;
  runScript(editorView.state.doc.toString(), { title: `Run ${runCount}`, kind: "run", fromEditor: true });
}

// The Run in progress ends where it is; runScript then restores the server.
export function stopRun() {
  if (!running) return;
  engine.stop();
}
