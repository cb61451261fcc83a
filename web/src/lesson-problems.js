// What is wrong with a lesson file or the course's manifest, said the same way by the page
// and by ./scripts/validate-lessons: "12-caching-patterns.json: /task/checks/3/kind: must
// be equal to one of the allowed values: exists, missing, ...". Plain functions over plain
// data, so the validator (Node) and the page share them.

// A lesson's id and a manifest entry's: lower-case words joined by "-" (lessons/schema.json).
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// A lesson file named by the manifest: a plain file name beside it. Nothing with a scheme,
// a slash or "..", so a manifest can never send the page to another folder or site.
export const LESSON_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

// "file: /pointer: message", one line.
export function formatProblem(file, { pointer, message }) {
  return `${file}: ${pointer || "/"}: ${message}`;
}

// "invalid JSON at line 3, column 7: ..." from the position JSON.parse reports.
export function jsonSyntaxProblem(text, error) {
  const message = String(error?.message ?? error);
  const match = /position (\d+)/.exec(message);
  if (!match) return `invalid JSON: ${message}`;
  const before = text.slice(0, Number(match[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `invalid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at .*/, "")}`;
}

// Ajv's errors (allErrors) as [{ pointer, message }]: one per place, alternatives (oneOf,
// anyOf) joined with "or"; an `if` failing only says its `then` failed, which has its own.
export function schemaProblems(errors) {
  const byPointer = new Map();
  for (const error of errors ?? []) {
    if (error.keyword === "if") continue;
    const extra = error.params?.additionalProperty ? ` ("${error.params.additionalProperty}")` : "";
    const allowed = error.params?.allowedValues ? `: ${error.params.allowedValues.join(", ")}` : "";
    const entry = byPointer.get(error.instancePath) ?? { alternatives: false, messages: [] };
    if (error.keyword === "oneOf" || error.keyword === "anyOf") entry.alternatives = true;
    else entry.messages.push(`${error.message}${extra}${allowed}`);
    byPointer.set(error.instancePath, entry);
  }
  const problems = [];
  for (const [pointer, { alternatives, messages }] of byPointer) {
    if (alternatives) problems.push({ pointer, message: messages.join(", or ") });
    else for (const message of messages) problems.push({ pointer, message });
  }
  return problems;
}

// A lesson's setup that did not run cleanly: the first line that failed ({ line, text,
// display }), { stopped } when the command cap ended it, or { failed } when the page left
// it out (it crashed the engine, or ran too long).
export function setupProblem(failure) {
  if (failure?.failed) return { pointer: "/setup", message: `the setup was left out: ${failure.failed}` };
  if (failure?.stopped) {
    const { limit, line } = failure.stopped;
    return {
      pointer: "/setup",
      message:
        `the setup was stopped at line ${line}: it may run at most ` +
        `${Number(limit).toLocaleString("en-US")} commands`,
    };
  }
  return {
    pointer: "/setup",
    message: `line ${failure.line} of the setup (${failure.text}) failed: ${String(failure.display).trim()}`,
  };
}

// The course's manifest, lessons/index.json: { title, total, lessons: [{ number, id,
// title, file, summary }] }. Returns the usable entries and what is wrong; `fatal` when
// there is no list of lessons at all.
export function manifestProblems(manifest) {
  const problems = [];
  const problem = (pointer, message) => problems.push({ pointer, message });
  if (!isObject(manifest)) {
    problem("", "must be an object with a \"lessons\" list");
    return { entries: [], problems, fatal: true };
  }
  if (!Array.isArray(manifest.lessons)) {
    problem(
      "/lessons",
      manifest.lessons === undefined ? "is missing: it lists the course's lessons" : "must be an array",
    );
    return { entries: [], problems, fatal: true };
  }
  if (manifest.title !== undefined && typeof manifest.title !== "string") problem("/title", "must be a string");
  if (manifest.total !== undefined && !(Number.isInteger(manifest.total) && manifest.total >= 0)) {
    problem("/total", "must be an integer, 0 or more");
  }
  const entries = [];
  const ids = new Map();
  const numbers = new Map();
  manifest.lessons.forEach((entry, index) => {
    const at = `/lessons/${index}`;
    if (!isObject(entry)) {
      problem(at, "must be an object");
      return;
    }
    const before = problems.length;
    if (typeof entry.id !== "string" || !ID.test(entry.id)) {
      problem(`${at}/id`, 'must be a string of lower-case words joined by "-"');
    } else if (ids.has(entry.id)) {
      problem(`${at}/id`, `"${entry.id}" is already the id of /lessons/${ids.get(entry.id)}`);
    }
    if (!Number.isInteger(entry.number) || entry.number < 1) {
      problem(`${at}/number`, "must be an integer, 1 or more");
    } else if (numbers.has(entry.number)) {
      problem(`${at}/number`, `${entry.number} is already the number of /lessons/${numbers.get(entry.number)}`);
    }
    if (typeof entry.title !== "string" || entry.title === "") problem(`${at}/title`, "must be a non-empty string");
    if (entry.file !== undefined && (typeof entry.file !== "string" || !LESSON_FILE.test(entry.file))) {
      problem(`${at}/file`, "must be the name of a .json file in lessons/ (letters, digits, '.', '_' and '-')");
    }
    if (problems.length > before) return; // a lesson named wrongly is left out, not guessed at
    ids.set(entry.id, index);
    numbers.set(entry.number, index);
    const usable = { ...entry };
    if (entry.summary !== undefined && typeof entry.summary !== "string") {
      problem(`${at}/summary`, "must be a string");
      delete usable.summary; // only the summary is left out
    }
    entries.push(usable);
  });
  return { entries, problems, fatal: false };
}
