// The course: its list of lessons (lessons/index.json), which lesson is open, and the
// learner's progress (localStorage). Owns that state; routing.js decides which lesson is
// open (openLesson, closeLesson) and the rest of the page reads it. Also how the course's
// files are fetched and why one could not be used (CourseFileError).
import { $ } from "./dom.js";
import { showNotice } from "./notices.js";
import { Progress } from "./progress.js";
import { formatProblem, jsonSyntaxProblem, manifestProblems } from "./lesson-problems.js";

export const LESSONS_URL = new URL("./lessons/", document.baseURI);

export const progress = new Progress(() => window.localStorage);

export let lessonEntries = []; // manifest lessons, sorted by number
export let courseTotal = 0; // the course's length ("of M")
export let currentLesson = null; // { entry, lesson }
export let shownEntry = null; // the manifest entry the page is on, even when its lesson can't be shown

export function openLesson(opened) {
  currentLesson = opened;
}

export function closeLesson() {
  currentLesson = null;
}

export function showEntry(entry) {
  shownEntry = entry;
}

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
export class CourseFileError extends Error {
  constructor(file, { problems = [], reason = null }) {
    super(reason ?? problems.map((problem) => formatProblem(file, problem)).join("\n"));
    this.file = file;
    this.problems = problems;
    this.reason = reason;
  }
}

export const courseFileName = (url) => decodeURI(new URL(url).pathname).replace(/^.*\/(lessons\/)/, "$1");

export async function fetchJson(url) {
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

export async function loadManifest() {
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
  lessonEntries = entries;
  const highest = entries.reduce((max, entry) => Math.max(max, entry.number), 0);
  courseTotal = Math.max(Number.isFinite(manifest.total) ? manifest.total : 0, entries.length, highest);
  // The brand is beside it in the top bar: "redpad Redis course" reads as "Redis course".
  $("course-name").textContent = (manifest.title ?? "Redis course").replace(/^redpad\s+/i, "");
  $("lesson-dialog-title").textContent = manifest.title ?? "Redis course";
}

export const available = () => lessonEntries.filter((entry) => entry.file);

export function findEntry(wanted) {
  if (!wanted) return null;
  const text = String(wanted).toLowerCase();
  return (
    lessonEntries.find((entry) => entry.id.toLowerCase() === text) ??
    lessonEntries.find((entry) => `${entry.number}-${entry.id}`.toLowerCase() === text) ??
    lessonEntries.find((entry) => String(entry.number) === text) ??
    null
  );
}

export const lessonHash = (entry) => `#/${encodeURIComponent(entry.id)}`;

export function neighbours(entry) {
  const list = available();
  const index = list.indexOf(entry);
  return { prev: index > 0 ? list[index - 1] : null, next: index >= 0 ? list[index + 1] ?? null : null };
}

export function lessonLabel(entry) {
  return `Lesson ${entry.number} of ${courseTotal}`;
}
