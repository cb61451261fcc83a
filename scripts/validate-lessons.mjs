#!/usr/bin/env node
// Validates lesson files headlessly, on the same WebAssembly engine the browser loads.
//
//   node scripts/validate-lessons.mjs [--engine DIR] [FILE...]     (all of lessons/ by default)
//
// For each lesson: the JSON Schema holds (every error, with its JSON pointer); ids are
// unique and numbers run 1..N without gaps; every example runs without an error (unless it
// expects one), leaves no line unrun behind a blocked command, and prints its expected
// output (with `@name` lines where the client changes, as redpad-cli prints it); the
// reference solution and every accept pass every check; every reject fails the checks it
// names (by id); the starter text and an empty script each fail at least one check. One line per lesson, then "N passed, N failed"; the exit status is
// non-zero on any failure. The engine is build-wasm's, or $REDPAD_BUILD_WASM's when set
// (as ./scripts/validate-lessons builds it), or --engine's: its build with Lua
// (redpad-engine-lua), which the page switches to when a lesson's script needs it.
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compileLessonSchema } from "../web/lesson-schema.mjs";
// The page reports a broken lesson with these same messages.
import { jsonSyntaxProblem, schemaProblems, setupProblem } from "../web/src/lesson-problems.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lessonsDir = join(root, "lessons");

const argv = process.argv.slice(2);
let engineDir = join(process.env.REDPAD_BUILD_WASM ? resolve(process.env.REDPAD_BUILD_WASM) : join(root, "build-wasm"),
  "web", "engine");
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--engine") engineDir = resolve(argv[++i]);
  else files.push(resolve(argv[i]));
}
const wholeCourse = files.length === 0;
if (wholeCourse) {
  for (const name of readdirSync(lessonsDir).sort()) {
    if (/^\d+-.*\.json$/.test(name)) files.push(join(lessonsDir, name));
  }
}

const { createRedpad } = await import(pathToFileURL(join(engineDir, "redpad.mjs")).href);
const { default: createModule } = await import(pathToFileURL(join(engineDir, "redpad-engine-lua.mjs")).href);
const redis = await createRedpad({ createModule, wasmBinary: readFileSync(join(engineDir, "redpad-engine-lua.wasm")) });

const validateSchema = compileLessonSchema();

function startOptions(lesson) {
  const start = lesson.clock?.start ? Date.parse(lesson.clock.start) : Date.UTC(2025, 0, 1);
  return { startTimeMs: start, seed: lesson.seed ?? 0 };
}

// A fresh server as the page makes one for the lesson: its clock, seed and setup.
function freshServer(lesson) {
  redis.reset(startOptions(lesson));
  if (lesson.setup) {
    const setup = redis.run(lesson.setup, { transcript: false });
    const failed = setup.results.find((r) => r.error);
    if (failed) return setupProblem(failed).message;
  }
  return null;
}

const showText = (text) => JSON.stringify(text);

// A script's output as redpad-cli prints it (docs/clients.md): output before any `@name`
// line is main's, and a line `@name` comes whenever the client whose output follows
// changes. A script of main alone prints exactly what redis-cli prints.
function cliOutput(results) {
  let shown = "main";
  let output = "";
  for (const result of results) {
    if (!result.display) continue;
    const client = result.client ?? "main";
    if (client !== shown) {
      output += `@${client}\n`;
      shown = client;
    }
    output += result.display;
  }
  return output;
}

function validateLesson(file, lesson) {
  const problems = [];
  const problem = (pointer, reason) => problems.push(`${basename(file)}: ${pointer || "/"}: ${reason}`);

  if (!validateSchema(lesson)) {
    // One line per place: alternatives (oneOf/anyOf) are joined with "or".
    for (const { pointer, message } of schemaProblems(validateSchema.errors)) problem(pointer, message);
    return problems;  // the rest assumes the shape is right
  }

  const setupProblem = freshServer(lesson);
  if (setupProblem) {
    problem("/setup", setupProblem);
    return problems;
  }

  // Examples: each on a fresh server.
  lesson.sections.forEach((section, s) => {
    (section.examples ?? []).forEach((example, e) => {
      const pointer = `/sections/${s}/examples/${e}`;
      freshServer(lesson);
      // A client left blocked with a timeout gets its (nil) once virtual time has passed,
      // as redpad-cli (and, in real time, the page) shows it.
      const { results } = redis.run(example.commands, { transcript: false, waitForTimeouts: true });
      const output = cliOutput(results);
      const failed = results.find((r) => r.error);
      if (failed && !example.error) {
        problem(`${pointer}/commands`, `line ${failed.line} (${failed.text}) failed: ${failed.display.trim()}`);
      } else if (!failed && example.error) {
        problem(`${pointer}/error`, "the example is marked as showing an error, but none of its commands failed");
      }
      // Lines left waiting behind a command blocked for ever (docs/clients.md).
      for (const unrun of results.filter((r) => r.kind === "not_run")) {
        problem(`${pointer}/commands`, `line ${unrun.line} (${unrun.text}) was not run${unrun.reason ? `: ${unrun.reason}` : ""}`);
      }
      if (example.expected !== undefined && output !== example.expected) {
        problem(`${pointer}/expected`, `the output is ${showText(output)}, not ${showText(example.expected)}`);
      }
    });
  });

  // The task: the solution passes every check; doing nothing passes none of the task.
  const checks = lesson.task.checks;
  const runAndCheck = (script) => {
    freshServer(lesson);
    const { results } = redis.run(script);
    return { results, outcome: redis.check(checks) };
  };
  const solved = runAndCheck(lesson.task.solution);
  solved.outcome.forEach((result, c) => {
    if (result.detail.startsWith("malformed check: ")) {
      problem(`/task/checks/${c}`, result.detail.slice("malformed check: ".length).replace(/^\/checks\/\d+:? ?/, ""));
    } else if (!result.passed) {
      problem(`/task/solution`, `fails check ${c} ("${result.message}"): ${result.detail}`);
    }
  });
  for (const [name, script] of [["starter", lesson.task.starter], ["an empty script", ""]]) {
    const { outcome } = runAndCheck(script);
    if (outcome.every((r) => r.passed)) {
      problem(name === "starter" ? "/task/starter" : "/task/checks",
        `${name} already passes every check: a learner would finish without doing anything`);
    }
  }
  validateAnswers(lesson.task, runAndCheck, problem);
  return problems;
}

// Checks' ids: unique, so that a reject names one check. Returns id -> index.
function checkIds(checks, problem) {
  const ids = new Map();
  checks.forEach((check, c) => {
    if (check.id === undefined) return;
    if (ids.has(check.id)) problem(`/task/checks/${c}/id`, `"${check.id}" is already the id of check ${ids.get(check.id)}`);
    else ids.set(check.id, c);
  });
  return ids;
}

// The task's accepts (other correct solutions) each pass every check; its rejects (plausible
// wrong ones) each fail every check they name. At least two of each, so that the checks are
// tried against more than the one solution their author had in mind.
function validateAnswers(task, runAndCheck, problem) {
  const ids = checkIds(task.checks, problem);
  for (const [field, noun] of [["accepts", "other correct solutions"], ["rejects", "plausible wrong solutions, each naming the checks it fails"]]) {
    const count = task[field]?.length ?? 0;
    if (count < 2) problem(`/task/${field}`, `a task needs at least two ${field} (${noun}); it has ${count}`);
  }
  (task.accepts ?? []).forEach((accept, a) => {
    const { outcome } = runAndCheck(accept.script);
    outcome.forEach((result, c) => {
      if (!result.passed && !result.detail.startsWith("malformed check: ")) {
        problem(`/task/accepts/${a}/script`, `"${accept.title}" fails check ${c} ("${result.message}"): ${result.detail}`);
      }
    });
  });
  (task.rejects ?? []).forEach((reject, r) => {
    const { outcome } = runAndCheck(reject.script);
    reject.fails.forEach((id, f) => {
      const c = ids.get(id);
      if (c === undefined) {
        problem(`/task/rejects/${r}/fails/${f}`, `no check has the id "${id}"${ids.size ? ` (ids: ${[...ids.keys()].join(", ")})` : ""}`);
      } else if (outcome[c].passed) {
        problem(`/task/rejects/${r}/fails/${f}`, `"${reject.title}" passes check ${c} ("${outcome[c].message}"), which it must fail`);
      }
    });
  });
}

let passed = 0;
let failed = 0;
const seen = new Map();  // id -> file
const numbers = [];
for (const file of files) {
  let text;
  let lesson;
  try {
    text = readFileSync(file, "utf8");
    lesson = JSON.parse(text);
  } catch (error) {
    failed++;
    console.log(`FAIL ${basename(file)}: ${text === undefined ? error.message : jsonSyntaxProblem(text, error)}`);
    continue;
  }
  const problems = validateLesson(file, lesson);
  if (typeof lesson?.id === "string") {
    if (seen.has(lesson.id)) problems.push(`${basename(file)}: /id: "${lesson.id}" is already the id of ${seen.get(lesson.id)}`);
    seen.set(lesson.id, basename(file));
  }
  if (Number.isInteger(lesson?.number)) numbers.push({ number: lesson.number, file: basename(file) });
  if (problems.length) {
    failed++;
    console.log(`FAIL ${basename(file)}`);
    for (const p of problems) console.log(`  ${p}`);
  } else {
    passed++;
    const examples = lesson.sections.reduce((n, s) => n + (s.examples?.length ?? 0), 0);
    const { checks, accepts, rejects } = lesson.task;
    console.log(`ok   ${basename(file)}: lesson ${lesson.number}, "${lesson.title}", ${examples} examples, ${checks.length} checks, ${accepts.length} accepts, ${rejects.length} rejects`);
  }
}

// Numbering: 1..N without gaps or repeats, over the whole course.
if (wholeCourse) {
  numbers.sort((a, b) => a.number - b.number);
  const problems = [];
  numbers.forEach((entry, i) => {
    if (entry.number !== i + 1) {
      problems.push(`${entry.file}: /number: is ${entry.number}, expected ${i + 1} (lessons are numbered 1..N without gaps or repeats)`);
    }
  });
  if (problems.length) {
    failed++;
    console.log("FAIL course numbering");
    for (const p of problems) console.log(`  ${p}`);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
