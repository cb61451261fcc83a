// The course's navigation: the top bar's Previous / Next buttons and progress, and the
// dialog listing every lesson. Keeps no state of its own: it draws the course (course.js).
import { $, el } from "./dom.js";
import {
  available,
  courseTotal,
  currentLesson,
  lessonEntries,
  lessonHash,
  neighbours,
  progress,
  shownEntry,
} from "./course.js";

export function renderNav() {
  const entry = currentLesson?.entry ?? shownEntry;
  const { prev, next } = entry ? neighbours(entry) : { prev: null, next: available()[0] ?? null };
  const prevButton = $("prev-lesson");
  const nextButton = $("next-lesson");
  prevButton.disabled = !prev;
  nextButton.disabled = !next;
  prevButton.title = prev ? `Lesson ${prev.number}: ${prev.title}` : "No earlier lesson yet";
  nextButton.title = next ? `Lesson ${next.number}: ${next.title}` : "No later lesson yet";
  prevButton.onclick = () => prev && (location.hash = lessonHash(prev));
  nextButton.onclick = () => next && (location.hash = lessonHash(next));
  const done = progress.doneCount(lessonEntries.map((e) => e.id));
  $("progress-pill").textContent = `${done} of ${courseTotal} done`;
  $("course-progress").textContent =
    `${done} of ${courseTotal} lessons done` +
    (available().length < courseTotal ? ` · ${courseTotal - available().length} coming soon` : "");
  renderLessonList();
}

function renderLessonList() {
  const list = $("lesson-list");
  const byNumber = new Map(lessonEntries.map((entry) => [entry.number, entry]));
  const numbers = new Set([...Array.from({ length: courseTotal }, (_, i) => i + 1), ...byNumber.keys()]);
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
          const current = (currentLesson?.entry ?? shownEntry) === entry;
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

export function openLessons() {
  const dialog = $("lesson-dialog");
  renderLessonList();
  dialog.showModal();
  (dialog.querySelector("[aria-current]") ?? dialog.querySelector("a, button"))?.focus();
}
