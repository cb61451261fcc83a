// The task panel: the lesson's task, its checks as the engine last evaluated them, hints
// and solution, and "Task complete" (which marks the lesson done). Owns the last check
// results, when they were asked for, and how many hints are shown.
import { $, el, button, scrollToView } from "./dom.js";
import { announce } from "./notices.js";
import { renderMarkdown, renderInlineMarkdown } from "./markdown.js";
import { available, courseTotal, currentLesson, lessonHash, neighbours, progress } from "./course.js";
import { syncClock } from "./clock.js";
import { engine, engineError, engineState } from "./session.js";
import { loadIntoEditor } from "./workspace.js";
import { renderNav } from "./lesson-list.js";
import { renderCode } from "./code-block.js";

let checkResults = null; // last results, or null when not checked since the reset
export let lastCheckAt = 0;
let hintsShown = 0;

// A fresh server: no check has run on it yet.
export function clearChecks() {
  checkResults = null;
  renderChecks();
}

// Another lesson: its hints start hidden.
export function resetHints() {
  hintsShown = 0;
}

const allPassed = (results) => Boolean(results?.length) && results.every((result) => result.passed);

// After a Run (or Reset) the checks are evaluated again. `live` re-evaluations follow the
// clock (a TTL check can start passing when time moves on); they stop once the task is
// complete, so "Task complete" stays until the learner runs something else.
export async function refreshChecks({ live = false } = {}) {
  const checks = currentLesson?.lesson?.task?.checks;
  if (!checks?.length || engineState !== "ready") return;
  if (live && allPassed(checkResults)) return;
  lastCheckAt = performance.now();
  try {
    const { results, now_ms: now } = await engine.call("check", { checks });
    syncClock(now);
    checkResults = results;
    renderChecks();
  } catch (error) {
    engineError(error, "checking the task");
  }
}

export function renderTask() {
  const panel = $("task");
  const head = panel.querySelector(".panel-head");
  const title = $("task-title");
  title.tabIndex = -1;
  panel.replaceChildren(head);
  head.querySelector(".done-badge")?.remove();
  const task = currentLesson?.lesson?.task;
  if (!task) {
    panel.append(el("p", "muted", currentLesson ? "This lesson has no task: explore freely." : ""));
    return;
  }
  if (progress.isDone(currentLesson.entry.id)) head.append(el("span", "done-badge", "✓ Done"));
  const instructions = el("div", "markdown task-text");
  instructions.innerHTML = renderMarkdown(task.instructions ?? "");
  panel.append(instructions);

  const checksTitle = el("h3", "checks-title", "Checks");
  checksTitle.id = "checks-title";
  const list = el("ul", "checks");
  list.id = "checks";
  list.setAttribute("aria-labelledby", "checks-title");
  // In the Tab order: the side panel scrolls on its own, and a keyboard user reaches (and
  // brings on screen) the checks' results here, as a screen reader reads them from here.
  list.tabIndex = 0;
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
    hintsShown = Math.min(hints.length, hintsShown + 1);
    showHints();
    hintList.lastElementChild?.focus();
  });
  function showHints() {
    hintList.replaceChildren(
      ...hints.slice(0, hintsShown).map((hint, index) => {
        const item = el("li");
        item.tabIndex = -1;
        item.innerHTML = renderInlineMarkdown(hint);
        item.prepend(el("span", "sr-only", `Hint ${index + 1}: `));
        return item;
      }),
    );
    const left = hints.length - hintsShown;
    hintButton.hidden = left === 0;
    hintButton.textContent = hintsShown === 0 ? `Show a hint` : `Show another hint (${left} left)`;
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

export function renderChecks() {
  const list = $("checks");
  if (!list) return;
  const task = currentLesson?.lesson?.task;
  const checks = task?.checks ?? [];
  const results = checkResults;
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
    const entry = currentLesson.entry;
    if (progress.markDone(entry.id)) {
      renderNav();
      showDoneBadges();
      scrollToView($("checks-title"), { block: "start" });
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
  const entry = currentLesson.entry;
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
    const remaining = courseTotal - progress.doneCount(available().map((e) => e.id));
    box.append(
      el(
        "p",
        "muted",
        remaining > 0 ? "More lessons are coming soon." : "You have finished the course. Well done!",
      ),
    );
  }
}
