// The page's defences, in Node: saved progress in older shapes and in storage that fails;
// the replay log that rebuilds a server after a stuck or crashed Run; what is wrong with a
// lesson file or the manifest, said as the validator says it (the page's build-time
// compiled schema included); the caps' messages; and the Content Security Policy header.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { Progress, STORAGE_KEY, NOTICES, VERSION, migrate } from "../../web/src/progress.js";
import { ReplayLog } from "../../web/src/engine-client.js";
import {
  LESSON_FILE,
  formatProblem,
  jsonSyntaxProblem,
  manifestProblems,
  schemaProblems,
  setupProblem,
} from "../../web/src/lesson-problems.js";
import { compileLessonSchema, lessonValidatorSource } from "../../web/lesson-schema.mjs";
import { omittedResultsText, outputCutText, replyCutText, stoppedText } from "../../web/src/output-text.js";
import { CONTENT_SECURITY_POLICY } from "../../web/csp.mjs";
import { serve } from "../../scripts/serve.mjs";

const root = new URL("../../", import.meta.url).pathname;
const lesson12 = JSON.parse(readFileSync(join(root, "lessons/12-caching-patterns.json"), "utf8"));
const manifest = JSON.parse(readFileSync(join(root, "lessons/index.json"), "utf8"));

class MemoryStorage {
  constructor(initial = {}) {
    this.items = new Map(Object.entries(initial));
    this.failWrites = null;
    this.writes = 0;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    this.writes++;
    if (this.failWrites) throw this.failWrites;
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

const domError = (name) => Object.assign(new Error(name), { name });

// ---------------------------------------------------------------------------------------
// Saved progress

test("progress: the first pages' shape (no version) is read and saved in the current one", () => {
  const storage = new MemoryStorage({
    [STORAGE_KEY]: JSON.stringify({
      lessons: { "caching-patterns": "GET old", counters: { script: "INCR n" } },
      scripts: { lists: "LPUSH l a", counters: "ignored: the entry has its own" },
      done: ["keys-and-values", 7],
      lastLesson: "lists",
    }),
  });
  const progress = new Progress(() => storage);
  assert.deepEqual(progress.notices, []);
  assert.equal(progress.script("caching-patterns"), "GET old");
  assert.equal(progress.script("counters"), "INCR n");
  assert.equal(progress.script("lists"), "LPUSH l a");
  assert.equal(progress.isDone("keys-and-values"), true);
  assert.equal(progress.last, "lists");
  progress.setScript("lists", "LPUSH l b");
  const saved = JSON.parse(storage.getItem(STORAGE_KEY));
  assert.equal(saved.version, VERSION);
  assert.equal(saved.last, "lists");
  assert.deepEqual(Object.keys(saved).sort(), ["last", "lessons", "version"]);
  assert.deepEqual(saved.lessons["keys-and-values"], { done: true });
});

test("progress: a newer version's data is read, and what this page does not know is kept", () => {
  const value = {
    version: VERSION + 1,
    last: "counters",
    theme: "dark",
    lessons: { counters: { script: "INCR n", done: true, doneAt: "2025-01-06T09:00:00.000Z", notes: ["x"] } },
  };
  const data = migrate(value);
  assert.equal(data.version, VERSION + 1);
  assert.equal(data.theme, "dark");
  assert.deepEqual(data.lessons.counters.notes, ["x"]);
  assert.equal(data.lessons.counters.script, "INCR n");
});

test("progress: shapes that hold nothing usable are unreadable", () => {
  for (const value of [null, 3, "text", [1], { version: "1" }, { version: -1 }, { lessons: [] }, { lessons: "x" }]) {
    assert.equal(migrate(value), null, JSON.stringify(value));
  }
  // ... but an empty object is merely empty.
  assert.deepEqual(Object.keys(migrate({}).lessons), []);
});

test("progress: a lesson id such as __proto__ is only a key", () => {
  const storage = new MemoryStorage({
    [STORAGE_KEY]: '{"version":1,"lessons":{"__proto__":{"script":"PING","done":true}}}',
  });
  const progress = new Progress(() => storage);
  assert.equal(progress.script("__proto__"), "PING");
  assert.equal(progress.isDone("__proto__"), true);
  assert.equal(progress.isDone("toString"), false);
  assert.equal({}.script, undefined, "no prototype was changed");
});

test("progress: storage that fills up is said once, and later saves are still tried", () => {
  const storage = new MemoryStorage();
  const progress = new Progress(() => storage);
  const heard = [];
  progress.onNotice((notice) => heard.push(notice.kind));
  storage.failWrites = domError("QuotaExceededError");
  progress.setScript("a", "one");
  progress.setScript("a", "two");
  progress.markDone("a");
  assert.deepEqual(heard, ["full"]);
  assert.equal(progress.notices.length, 1);
  storage.failWrites = null;
  progress.setScript("a", "three");
  assert.equal(JSON.parse(storage.getItem(STORAGE_KEY)).lessons.a.script, "three");
  assert.equal(progress.isDone("a"), true);
});

test("progress: storage that refuses writes, or reads, is given up with one notice", () => {
  const storage = new MemoryStorage();
  const progress = new Progress(() => storage);
  const heard = [];
  progress.onNotice((notice) => heard.push(notice.text));
  storage.failWrites = domError("SecurityError");
  progress.setScript("a", "one");
  const writes = storage.writes;
  progress.setScript("a", "two");
  assert.equal(storage.writes, writes, "not tried again");
  assert.deepEqual(heard, [NOTICES.unavailable]);
  assert.equal(progress.script("a"), "two", "kept in memory");

  const unreadable = new Progress(() => ({
    getItem() {
      throw domError("SecurityError");
    },
  }));
  assert.deepEqual(unreadable.notices.map((notice) => notice.kind), ["unavailable"]);
  assert.match(NOTICES.unavailable, /^Your progress can't be saved in this browser \(storage is unavailable\); your work stays while this page is open\.$/);
});

// ---------------------------------------------------------------------------------------
// The replay log

test("replay log: a reset starts it; runs and clock moves follow, with their host times", () => {
  const log = new ReplayLog();
  log.record("run", { script: "SET a 1" }, 5); // before any reset: nothing to add to
  assert.deepEqual(log.steps, []);
  log.record("init", { startTimeMs: 1000, seed: 3, setup: "SET s 1" }, 1000);
  log.record("run", { script: "SET a 1" }, 1500);
  log.record("snapshot", { maxKeys: 200 }, 1600); // reads change nothing
  log.record("advance", { ms: 60000 }, 1700);
  log.record("run", { script: "GET a", transcript: false }, 1800);
  assert.deepEqual(log.steps, [
    { op: "reset", args: { startTimeMs: 1000, seed: 3, setup: "SET s 1" }, hostTimeMs: 1000 },
    { op: "run", args: { script: "SET a 1", transcript: true }, hostTimeMs: 1500 },
    { op: "advance", args: { ms: 60000 }, hostTimeMs: 1700 },
    { op: "run", args: { script: "GET a", transcript: false }, hostTimeMs: 1800 },
  ]);
  log.record("reset", { startTimeMs: 2000, seed: 0, setup: "" }, 2000);
  assert.deepEqual(log.steps.map((step) => step.op), ["reset"]);
  assert.equal(log.complete, true);
});

test("replay log: a script run again is kept once; past the limit only the reset is kept", () => {
  const log = new ReplayLog({ chars: 1000, steps: 50 });
  log.record("reset", { startTimeMs: 0, seed: 0, setup: "" }, 0);
  const paste = "INCR n\n".repeat(100); // 700 characters
  for (let i = 0; i < 10; i++) log.record("run", { script: paste.slice(0) + "" }, i);
  assert.equal(log.steps.length, 11);
  assert.equal(log.chars, 700, "ten runs of one text count it once");
  assert.equal(log.complete, true);
  log.record("run", { script: "x".repeat(400) }, 20);
  assert.equal(log.complete, false);
  assert.deepEqual(log.replaySteps.map((step) => step.op), ["reset"]);
  log.record("run", { script: "PING" }, 21);
  assert.equal(log.replaySteps.length, 1, "given up until the next reset");
  log.record("reset", { startTimeMs: 0, seed: 0, setup: "" }, 30);
  log.record("run", { script: "PING" }, 31);
  assert.equal(log.complete, true);
  assert.equal(log.replaySteps.length, 2);

  const many = new ReplayLog({ chars: 1e9, steps: 50 });
  many.record("reset", { startTimeMs: 0, seed: 0, setup: "" }, 0);
  for (let i = 0; i < 60; i++) many.record("advance", { ms: 1000 }, i);
  assert.equal(many.complete, false);
});

test("replay log: a 100,000-line paste is well within what is kept", () => {
  const log = new ReplayLog();
  log.record("reset", { startTimeMs: 0, seed: 0, setup: "" }, 0);
  const paste = Array.from({ length: 100_000 }, (_, i) => `SET key:${i} value-${i}`).join("\n");
  for (let i = 0; i < 5; i++) log.record("run", { script: paste + "\n".repeat(i) }, i);
  assert.equal(log.complete, true);
  assert.equal(log.steps.length, 6);
});

// ---------------------------------------------------------------------------------------
// What is wrong with a lesson, as the validator says it

const problemsOf = (lesson) => {
  const validate = compileLessonSchema();
  return validate(lesson) ? [] : schemaProblems(validate.errors).map((problem) => formatProblem("12.json", problem));
};

test("lesson problems: pointers and messages as ./scripts/validate-lessons prints them", () => {
  assert.deepEqual(problemsOf(lesson12), []);
  const broken = structuredClone(lesson12);
  broken.task.checks[3].kind = "valeu";
  broken.number = "12";
  delete broken.title;
  broken.task.checks[0].pattern = 5;
  broken.surprise = true;
  assert.deepEqual(problemsOf(broken), [
    "12.json: /: must have required property 'title'",
    '12.json: /: must NOT have additional properties ("surprise")',
    "12.json: /number: must be integer",
    "12.json: /task/checks/0/pattern: must be string, or must be array",
    "12.json: /task/checks/3/kind: must be equal to one of the allowed values: exists, missing, type, value, ttl, reply, command, no-errors, after, any, sequence",
  ]);
});

test("lesson problems: the page's build-time validator says exactly what Ajv says", async () => {
  // Bundled as web/build.mjs bundles it (its imports of Ajv's runtime resolved).
  const dir = mkdtempSync(join(tmpdir(), "redpad-validator-"));
  const entry = join(dir, "entry.mjs");
  writeFileSync(entry, 'export { default } from "redpad:lesson-validator";\n');
  const out = join(dir, "validator.mjs");
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: out,
    logLevel: "silent",
    plugins: [
      {
        name: "lesson-validator",
        setup(b) {
          b.onResolve({ filter: /^redpad:lesson-validator$/ }, (args) => ({ path: args.path, namespace: "redpad" }));
          b.onLoad({ filter: /.*/, namespace: "redpad" }, () => ({ contents: lessonValidatorSource(), loader: "js", resolveDir: root }));
        },
      },
    ],
  });
  const { default: pageValidate } = await import(out);
  const ajvValidate = compileLessonSchema();
  const variants = [
    lesson12,
    { ...lesson12, clock: { start: "yesterday" } },
    { ...lesson12, sections: [] },
    { ...lesson12, task: { ...lesson12.task, checks: [{ kind: "ttl", key: "k", message: "m" }] } },
    { ...lesson12, task: { ...lesson12.task, checks: [{ kind: "after", seconds: -1, check: { kind: "nope" }, message: "m" }] } },
    null,
    [],
  ];
  for (const variant of variants) {
    const expected = ajvValidate(variant) ? [] : schemaProblems(ajvValidate.errors);
    const actual = pageValidate(variant) ? [] : schemaProblems(pageValidate.errors);
    assert.deepEqual(actual, expected, JSON.stringify(variant)?.slice(0, 80));
  }
  assert.match(
    schemaProblems((pageValidate({ ...lesson12, clock: { start: "yesterday" } }), pageValidate.errors))[0].message,
    /must match format "date-time"/,
  );
});

test("lesson problems: invalid JSON with its line and column; a failed setup line", () => {
  const text = '{\n  "id": "x",\n  oops\n}';
  let error;
  try {
    JSON.parse(text);
  } catch (caught) {
    error = caught;
  }
  assert.match(jsonSyntaxProblem(text, error), /^invalid JSON at line 3, column 3: /);
  assert.deepEqual(setupProblem({ line: 2, text: "HSET broken", display: "(error) ERR wrong number of arguments for 'hset' command\n" }), {
    pointer: "/setup",
    message: "line 2 of the setup (HSET broken) failed: (error) ERR wrong number of arguments for 'hset' command",
  });
  assert.match(setupProblem({ stopped: { reason: "max_commands", limit: 500000, line: 4 } }).message, /stopped at line 4: it may run at most 500,000 commands/);
});

test("manifest problems: the course's index as it is, and broken ones", () => {
  const good = manifestProblems(manifest);
  assert.deepEqual(good.problems, []);
  assert.equal(good.entries.length, manifest.lessons.length);

  for (const [value, pointer] of [[null, ""], [[], ""], [{}, "/lessons"], [{ lessons: {} }, "/lessons"]]) {
    const result = manifestProblems(value);
    assert.equal(result.fatal, true);
    assert.equal(result.problems[0].pointer, pointer);
  }

  const broken = structuredClone(manifest);
  broken.lessons[0].file = "../secret.json";
  broken.lessons[1].file = "https://evil.example/x.json";
  broken.lessons[2].id = "Has Spaces";
  broken.lessons[3].number = broken.lessons[4].number;
  broken.lessons[5].summary = 5;
  broken.lessons[6] = "lesson";
  const result = manifestProblems(broken);
  assert.equal(result.fatal, false);
  assert.deepEqual(result.problems.map((problem) => problem.pointer), [
    "/lessons/0/file",
    "/lessons/1/file",
    "/lessons/2/id",
    "/lessons/4/number",
    "/lessons/5/summary",
    "/lessons/6",
  ]);
  // Left out: the three wrongly named and the string; lesson 4 (first with its number)
  // stays, 5 goes; lesson 6 stays without its summary.
  assert.equal(result.entries.length, manifest.lessons.length - 5);
  assert.equal(result.entries.find((entry) => entry.id === broken.lessons[5].id).summary, undefined);
  for (const name of ["12-caching-patterns.json", "a.json", "x_y.v2.json"]) assert.match(name, LESSON_FILE);
  for (const name of ["../a.json", "/a.json", "a/b.json", "https://x/a.json", ".json", "a.js", "%2e%2e.json"]) {
    assert.doesNotMatch(name, LESSON_FILE);
  }
});

// ---------------------------------------------------------------------------------------
// The caps' messages, and the policy header

test("caps: each cut says what it cut and why", () => {
  assert.equal(
    replyCutText({ omitted_lines: 19600, omitted_chars: 361_000, cut_by: "lines" }),
    "… 19,600 more lines (352.5 KB) not shown: a reply shows at most 400 lines here.",
  );
  assert.equal(
    replyCutText({ omitted_lines: 1, omitted_chars: 8000, cut_by: "chars" }),
    "… 7.8 KB more of this reply not shown: a reply shows at most 32.0 KB here.",
  );
  assert.match(replyCutText({ omitted_lines: 3, omitted_chars: 30, cut_by: "run_lines" }), /the output of one Run shows at most 4,000 lines\.$/);
  assert.equal(
    omittedResultsText({ omitted_results: 1, omitted_errors: 1, omitted_because: "results" }),
    "… 1 more command ran but is not shown (1 with errors): the output shows the first 1,000 results of a Run.",
  );
  assert.equal(
    stoppedText({ reason: "max_commands", limit: 500000, line: 12, cut_short: false }),
    "Stopped after 500,000 commands: a Run may execute at most 500,000. Lines from 12 on did not run.",
  );
  assert.equal(
    stoppedText({ reason: "max_commands", limit: 500000, line: 2, cut_short: true }),
    "Stopped after 500,000 commands: a Run may execute at most 500,000. Line 2 was cut short, and the lines after it did not run.",
  );
  assert.equal(
    outputCutText({ limit_bytes: 8 * 1024 * 1024, from_line: 3, replies_not_kept: 1 }),
    "1 reply from line 3 on was not kept: a Run keeps at most 8.0 MB of replies. The commands still ran.",
  );
});

test("the static server sends the page's Content Security Policy", async () => {
  const dir = mkdtempSync(join(tmpdir(), "redpad-csp-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html>");
  const { server, url } = await serve({ root: dir, port: 0 });
  try {
    const response = await fetch(url);
    assert.equal(response.headers.get("content-security-policy"), CONTENT_SECURITY_POLICY);
    assert.match(CONTENT_SECURITY_POLICY, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /'unsafe-eval'|script-src[^;]*'unsafe-inline'|https:/);
  } finally {
    server.close();
  }
});
