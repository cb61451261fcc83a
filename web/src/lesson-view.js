// The lesson view: the open lesson's text with its runnable examples, the warning when its
// setup failed, and the page shown when the course's list of lessons cannot be used.
// Keeps no state: it draws the open lesson (course.js).
import { $, el, button, scrollToView } from "./dom.js";
import { renderMarkdown } from "./markdown.js";
import { expectedOutput } from "./output-views.js";
import { formatProblem, setupProblem } from "./lesson-problems.js";
import { CourseFileError, currentLesson, lessonHash, lessonLabel, neighbours, progress } from "./course.js";
import { engineState } from "./session.js";
import { loadIntoEditor } from "./workspace.js";
import { runScript } from "./runs.js";
import { renderCode } from "./code-block.js";

// "file: /pointer: message" lines, as text (they quote the file's own content).
export function problemList(file, problems) {
  const list = el("ul", "problem-list");
  const shown = problems.slice(0, 20);
  for (const problem of shown) list.append(el("li", "error-detail", formatProblem(file, problem)));
  if (problems.length > shown.length) list.append(el("li", "muted", `… and ${problems.length - shown.length} more`));
  return list;
}

// The lesson's setup did not run cleanly: the lesson stays usable, with a warning that
// its data may not be what its text says.
export function showSetupProblem(failure) {
  const box = $("lesson").querySelector(".setup-problem");
  if (!failure || !currentLesson) {
    box?.remove();
    return;
  }
  const file = `lessons/${currentLesson.entry.file}`;
  const alert = el("div", "lesson-error setup-problem");
  alert.setAttribute("role", "alert");
  alert.append(
    el("p", null, "This lesson's setup commands failed, so the server may not hold the data the lesson expects:"),
    problemList(file, [setupProblem(failure)]),
  );
  if (box) box.replaceWith(alert);
  else $("lesson").querySelector(".lesson-head")?.after(alert);
}

function exampleActions(commands, title, { timeline = false } = {}) {
  const actions = el("div", "example-actions");
  // `timeline: true` in the lesson file: the Run opens the step timeline at its first step.
  const run = button("btn btn-small example-run", "▶ Run", () =>
    runScript(commands, { title: `Example: ${title}`, kind: "example", fromEditor: false, timeline }),
  );
  run.setAttribute("aria-label", `Run example: ${title}`);
  run.disabled = engineState !== "ready";
  const load = button("btn btn-small btn-quiet", "Edit", () => loadIntoEditor(commands, `the example “${title}”`));
  load.setAttribute("aria-label", `Edit example in the editor: ${title}`);
  actions.append(run, load);
  return actions;
}

function renderExample(example, index) {
  const title = example.title ?? `Example ${index + 1}`;
  const figure = el("figure", "example");
  const caption = el("figcaption", "example-head");
  caption.append(el("span", "example-title", title), exampleActions(example.commands ?? "", title, { timeline: example.timeline === true }));
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

export function renderLesson() {
  const { entry, lesson } = currentLesson;
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
    scrollToView($("task"), { block: "start" });
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


// The course's list of lessons could not be loaded or used: no lesson can be shown.
export function renderCourseError(error) {
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
}
