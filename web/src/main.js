// The learner's page: lesson text, editor, Run, output, the task's checks, the keyspace
// inspector and the virtual clock. The engine runs in a Web Worker (worker.js). Each part
// is a module that owns its state (its header says what); this one starts them, connects
// what the engine session does to the rest of the page, and binds the page's buttons.
window.redpadStarted = true;

import { $ } from "./dom.js";
import { fatal, showNotice } from "./notices.js";
import { currentLesson, loadManifest, progress } from "./course.js";
import { renderClock, restartClock, virtualNow } from "./clock.js";
import { connectSession, engine, engineError, engineState, resetEngine, startEngine } from "./session.js";
import { createWorkspace, loadIntoEditor, markErrorLines, outputLog, saveEditorNow } from "./workspace.js";
import { createKeyspacePanel, keyspaceTick, refreshSnapshot } from "./keyspace-panel.js";
import { clearChecks, lastCheckAt, refreshChecks } from "./task.js";
import {
  advanceClock,
  ranSinceReset,
  restartRuns,
  runEditor,
  running,
  scheduleTick,
  setClients,
  stopRun,
  updateRunButton,
} from "./runs.js";
import { openLessons, renderNav } from "./lesson-list.js";
import { renderCourseError, showSetupProblem } from "./lesson-view.js";
import { leaveLesson, route } from "./routing.js";
import { bindTimeline, clearSteps, startRecording } from "./timeline-record.js";
import { editorView } from "./workspace.js";

const CHECK_POLL_MAX_KEYS = 5000;

// Called after every reset of the server: the checks and clock start again, and
// no client waits any more (but those the lesson's setup left blocked).
function afterReset(nowMs, clients = []) {
  restartRuns();
  clearChecks();
  restartClock(nowMs);
  markErrorLines([]);
  outputLog?.endAllWaits();
  setClients(clients ?? []);
  // The step timeline starts again; the engine records steps (a fresh worker included).
  clearSteps();
  startRecording(engine);
}

connectSession({
  updateRunButton,
  afterReset,
  showSetupProblem,
  setClients,
  scheduleTick,
  refreshSnapshot,
  refreshChecks,
  isRunning: () => running,
  ranSinceReset: () => ranSinceReset,
});

function onTick() {
  renderClock();
  const now = virtualNow();
  if (now !== null) outputLog.tick(now);
  if (now !== null && keyspaceTick(now)) {
    refreshSnapshot().then(() => ranSinceReset && refreshChecks({ live: true }));
  }
}

// Keeps the inspector and the checks in step with the clock (TTLs run out on their own).
async function onPoll() {
  if (document.hidden || engineState !== "ready" || running) return;
  const snapshot = await refreshSnapshot();
  if (
    snapshot &&
    ranSinceReset &&
    snapshot.total <= CHECK_POLL_MAX_KEYS &&
    performance.now() - lastCheckAt > 1500
  ) {
    await refreshChecks({ live: true });
  }
}

function bindControls() {
  $("run").addEventListener("click", runEditor);
  $("stop").addEventListener("click", stopRun);
  $("reset").addEventListener("click", async () => {
    if (running) return;
    try {
      await resetEngine();
      // The output is a live region: this note is announced too.
      outputLog.note("The server was reset: no keys, the lesson's clock, and the checks start again.", "info");
    } catch (error) {
      engineError(error, "resetting the server");
    }
  });
  $("clear-output").addEventListener("click", () => outputLog.clear());
  $("restore-starter").addEventListener("click", () => {
    const starter = currentLesson?.lesson?.task?.starter;
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

  createWorkspace({ onRun: runEditor });
  createKeyspacePanel();
  bindControls();
  bindTimeline({
    output: $("output"),
    gutter: $("editor"),
    lineAt: (event) => editorView.state.doc.lineAt(editorView.lineBlockAtHeight(event.clientY - editorView.documentTop).from).number,
  });
  updateRunButton();
  setInterval(onTick, 250);
  setInterval(onPoll, 2000);

  const engineStarted = startEngine();
  try {
    await loadManifest();
  } catch (error) {
    leaveLesson();
    renderCourseError(error);
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

