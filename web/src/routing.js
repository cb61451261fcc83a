// Routing: the lesson the address names (#/caching-patterns) is fetched, checked against
// lessons/schema.json and opened (course.js), and the page follows: lesson, task, editor,
// output and server. A missing or broken lesson gets a page saying so. Owns which request
// for a lesson is the latest (an older one that answers late is dropped).
import { loadDocument } from "./editor.js";
import { schemaProblems } from "./lesson-problems.js";
// lessons/schema.json, compiled into code at build time (web/build.mjs).
import validateLesson from "redpad:lesson-validator";
import { $, el, button } from "./dom.js";
import {
  CourseFileError,
  LESSONS_URL,
  available,
  closeLesson,
  courseFileName,
  currentLesson,
  fetchJson,
  findEntry,
  lessonEntries,
  lessonHash,
  lessonLabel,
  openLesson,
  progress,
  showEntry,
} from "./course.js";
import { engineError, engineState, resetEngine } from "./session.js";
import { editorView, onCursorLine, outputLog, saveEditorNow } from "./workspace.js";
import { resetRunCount, updateRunButton } from "./runs.js";
import { renderTask, resetHints } from "./task.js";
import { openLessons, renderNav } from "./lesson-list.js";
import { problemList, renderLesson } from "./lesson-view.js";

let routeToken = 0;

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

export async function route() {
  const token = ++routeToken;
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
  showEntry(entry);
  if (!entry || !entry.file) {
    saveEditorNow();
    renderMissing(wanted, entry);
    return;
  }
  if (currentLesson?.entry === entry) return;
  saveEditorNow();
  const firstLesson = !currentLesson;
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
    if (token !== routeToken) return;
    renderLessonError(entry, error);
    return;
  }
  if (token !== routeToken) return;
  openLesson({ entry, lesson });
  resetHints();
  progress.setLast(entry.id);
  document.title = `${lesson.title ?? entry.title} · Lesson ${entry.number} · redpad`;
  renderLesson();
  renderTask();
  renderNav();
  updateRunButton();
  const saved = progress.script(entry.id);
  loadDocument(editorView, saved ?? lesson.task?.starter ?? "");
  onCursorLine("");
  outputLog.clear();
  resetRunCount();
  if (!firstLesson) $("lesson-title")?.focus({ preventScroll: false });
  $("lesson").scrollTop = 0;
  if (engineState === "ready") {
    try {
      await resetEngine();
    } catch (error) {
      engineError(error, "opening the lesson");
    }
  }
}

// No lesson to work on (missing, coming soon, broken): the editor is emptied and locked,
// so nothing is typed where it cannot be kept.
export function leaveLesson() {
  saveEditorNow();
  closeLesson();
  loadDocument(editorView, "", { readOnly: true });
  onCursorLine("");
  updateRunButton();
}

// Leaves the lesson for a page shown in its place: the lesson's article, to fill.
function leaveForNotice() {
  leaveLesson();
  const article = $("lesson");
  article.setAttribute("aria-busy", "false");
  return article;
}

// The head of a page shown in a lesson's place: the lesson's label (when the index lists
// it) and a title.
function noticeHead(title, entry = null) {
  const head = el("header", "lesson-head");
  if (entry) head.append(el("p", "eyebrow", lessonLabel(entry)));
  const heading = el("h1", null, title);
  heading.id = "lesson-title";
  head.append(heading);
  return head;
}

const entryTitle = (entry) => entry.title ?? `Lesson ${entry.number}`;

function renderMissing(wanted, entry) {
  const article = leaveForNotice();
  if (entry) {
    article.replaceChildren(noticeHead(entryTitle(entry), entry), el("p", null, "This lesson is coming soon."));
  } else if (lessonEntries.length === 0) {
    article.replaceChildren(
      noticeHead("No lessons yet"),
      el("p", null, "The course has no lessons yet: lessons/index.json lists none."),
    );
  } else {
    article.replaceChildren(
      noticeHead("Lesson not found"),
      el("p", null, `There is no lesson called “${wanted}”.`),
      button("btn btn-primary", "Show the lessons", openLessons),
    );
  }
  renderTask();
  renderNav();
}

function renderLessonError(entry, error) {
  const article = leaveForNotice();
  const head = noticeHead(entryTitle(entry), entry);
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
  message.append(button("btn", "Try again", () => (closeLesson(), route())));
  article.replaceChildren(head, message);
  renderTask();
  renderNav();
}

