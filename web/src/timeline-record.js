// The step timeline's recorder, always loaded and small: it asks the engine to record
// steps, keeps the steps of the Runs (and ticks) since the last reset with the snapshot the
// page had before each, and which output entry each step ran. The view (timeline-view.js:
// the bar, the inspector at a step, the words, the links between clients) is loaded with
// import() when the learner first opens the timeline or clicks a line that ran.
// Owns: whether the engine records, the recorded Runs, the entry -> step map.

// The keys a Run's base snapshot holds at most (as the inspector shows them).
const BASE_KEYS = 200;
// The steps kept at most: past it the oldest Runs' steps go (as the output pane forgets its
// oldest Runs), so a long session's memory stays bounded.
const MAX_STEPS = 20_000;

export const recorded = {
  on: false, // the engine answered setRecordSteps: runs carry steps
  runs: [], // { base, steps, results, entries: [element per step], fromEditor, first (global index) }
  steps: [], // every step in order: { step, run, index (in its run) }
  byId: new Map(), // step id -> its place in `steps`
};
const stepOfEntry = new WeakMap(); // output entry element -> { run, index (in the run) }
const listeners = new Set();
let viewModule = null;

// Asks the engine to record steps (after every start and reset: a worker that does not
// know the operation, an older one, leaves the timeline off and the page as it was).
export async function startRecording(engine) {
  try {
    await engine.call("setRecordSteps", { on: true });
    recorded.on = true;
  } catch {
    recorded.on = false;
  }
}

// The snapshot the page has before a Run or tick, asked just before it (the worker answers
// in order, so it is the state the Run starts from). null when nothing is recorded.
export function baseSnapshot(engine) {
  if (!recorded.on) return null;
  return engine.call("snapshot", { maxKeys: BASE_KEYS }).catch(() => null);
}

// A Run's or tick's answer: its steps (if any) are kept with `base` (the snapshot before
// it). `entryOf(result)` gives the output entry element the output pane drew for a result.
// Returns the run record, or null when the answer had no steps.
export function recordOutput(output, base, { entryOf = () => null, fromEditor = false, engine = null } = {}) {
  const steps = Array.isArray(output?.steps) ? output.steps : null;
  if (!steps) {
    // Recording was on but this worker does not record (a rebuilt one): on again for the next Run.
    if (recorded.on && engine && output) startRecording(engine);
    return null;
  }
  if (!steps.length) return null;
  const run = { base, steps, results: output.results ?? [], entries: [], fromEditor, first: recorded.steps.length };
  steps.forEach((step, index) => {
    const result = typeof step.result === "number" ? run.results[step.result] : null;
    const entry = result ? entryOf(result) : null;
    run.entries.push(entry ?? null);
    if (entry) {
      stepOfEntry.set(entry, { run, index });
      entry.classList.add("has-step"); // a click shows its step
    }
    recorded.byId.set(step.id, recorded.steps.length);
    recorded.steps.push({ step, run, index });
  });
  recorded.runs.push(run);
  if (recorded.steps.length > MAX_STEPS && recorded.runs.length > 1) forgetOldest();
  notify();
  return run;
}

// Drops the oldest Runs until the steps are within MAX_STEPS (the latest Run stays whole).
function forgetOldest() {
  let excess = recorded.steps.length - MAX_STEPS;
  while (excess > 0 && recorded.runs.length > 1) excess -= recorded.runs.shift().steps.length;
  recorded.steps = [];
  recorded.byId = new Map();
  for (const run of recorded.runs) {
    run.first = recorded.steps.length;
    run.steps.forEach((step, index) => {
      recorded.byId.set(step.id, recorded.steps.length);
      recorded.steps.push({ step, run, index });
    });
  }
}

// A reset (or another lesson): the steps start again.
export function clearSteps() {
  recorded.runs = [];
  recorded.steps = [];
  recorded.byId = new Map();
  notify();
}

// The step (index in recorded.steps) an output entry ran, or null.
export function stepForEntry(entry) {
  const place = stepOfEntry.get(entry);
  return place && recorded.runs.includes(place.run) ? place.run.first + place.index : null;
}

// The last command step of the latest editor Run that ran `line` (the editor holds that
// Run's lines), or null.
export function stepForLine(line) {
  const run = recorded.runs.findLast((one) => one.fromEditor);
  if (!run) return null;
  for (let index = run.steps.length - 1; index >= 0; index--) {
    if (run.steps[index].line === line && run.steps[index].kind === "command") return run.first + index;
  }
  return null;
}

// Told when the recorded steps change (a Run, a tick, a reset).
export function onStepsChanged(listener) {
  listeners.add(listener);
}

function notify() {
  for (const listener of listeners) listener(recorded);
}

// The view, loaded on first use.
export async function timelineView() {
  viewModule ??= await import("./timeline-view.js");
  return viewModule;
}

// The view only if it is already loaded (leaving a timeline that never opened loads nothing).
export const loadedView = () => viewModule;

// A recorded step by id, with its result and output entry: { step, result, entry, index }.
export function stepById(id) {
  const index = recorded.byId.get(id);
  if (index === undefined) return null;
  const { step, run, index: inRun } = recorded.steps[index];
  const result = typeof step.result === "number" ? run.results[step.result] : null;
  return { step, result, entry: run.entries[inRun], index };
}

// Opens the timeline at step `index` (loading its view first).
export async function showStep(index, options) {
  const view = await timelineView();
  view.openTimeline(index, options);
}

export function leaveTimeline() {
  loadedView()?.leaveTimeline();
}

// The page's ways into the timeline: the button in the server panel (#timeline-open), a
// click on an output entry that ran a step, a click on a line number of the editor whose
// line ran in the latest Run. `lineAt(event)` gives the editor line a click was on.
export function bindTimeline({ output, gutter, lineAt }) {
  const open = document.getElementById("timeline-open");
  open?.addEventListener("click", () => {
    const run = recorded.runs.at(-1);
    if (run) showStep(run.first, { focus: true });
  });
  onStepsChanged(() => {
    if (open) {
      const total = recorded.steps.length;
      open.hidden = total === 0;
      open.lastElementChild.textContent = `${total} step${total === 1 ? "" : "s"}`;
    }
    loadedView()?.stepsChanged();
    const run = recorded.runs.at(-1);
    if (run?.steps.some((step) => step.caused_by)) {
      import("./timeline-links.js").then((links) => links.linkRun(run, stepById));
    }
  });
  // A click on an entry (not on its buttons, and not the end of selecting text) opens it.
  output.addEventListener("click", (event) => {
    if (event.target.closest("button, a") || String(getSelection?.() ?? "").length) return;
    const entry = event.target.closest(".entry");
    const index = entry ? stepForEntry(entry) : null;
    if (index !== null) showStep(index);
  });
  gutter.addEventListener("click", (event) => {
    if (!event.target.closest(".cm-lineNumbers .cm-gutterElement")) return;
    const index = stepForLine(lineAt(event));
    if (index !== null) showStep(index);
  });
}
