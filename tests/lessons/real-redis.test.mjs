// Every lesson example, run on Debian's real redis-server: what the lesson shows must be what
// Redis 7.0 answers (the validator already compares each example with the engine's output).
// One-client examples: the engine's output (the lesson's clock and seed) against
// `redis-cli --no-raw`'s, byte for byte, setup first. Examples with `@name` lines: a corpus
// of them is run through the multi-client differential runner (one connection per client
// on the real side) against redpad-cli. An example whose output cannot be the same on a
// real server (random draws, the wall clock, stream IDs) is left out, with its reason
// printed; the count of compared examples is asserted so that the rule cannot swallow them.
// Run with: node --test tests/lessons/ (after the native and WebAssembly builds).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startRealRedis } from "../real-redis.mjs";
import { caseTiming, lineWaits, splitArgs } from "../differential/compare.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const engineDir = join(process.env.REDPAD_BUILD_WASM ?? join(root, "build-wasm"), "web", "engine");
const nativeCli = join(process.env.REDPAD_BUILD ?? join(root, "build"), "cli", "redpad-cli");

const { createRedpad } = await import(pathToFileURL(join(engineDir, "redpad.mjs")).href);
const { default: createModule } = await import(pathToFileURL(join(engineDir, "redpad-engine-lua.mjs")).href);
const engine = await createRedpad({ createModule, wasmBinary: readFileSync(join(engineDir, "redpad-engine-lua.wasm")) });

const lessons = readdirSync(join(root, "lessons")).filter((name) => /^\d+-.*\.json$/.test(name)).sort()
  .map((file) => ({ file, lesson: JSON.parse(readFileSync(join(root, "lessons", file), "utf8")) }));

// Why an example's output cannot be the same on a real server (or not in reasonable time),
// or null.
const REAL_SLEEP_LIMIT_MS = 15_000;
function differsBecause(lines) {
  const sleptMs = lineWaits(lines.filter((line) => !line.startsWith("@"))).reduce((a, b) => a + b, 0);
  if (sleptMs > REAL_SLEEP_LIMIT_MS) return `it sleeps ${sleptMs / 1000} s, which the real server would really wait`;
  for (const line of lines) {
    const args = (splitArgs(line) ?? []).map((arg, i) => (i < 2 ? arg.toUpperCase() : arg));
    const [name, sub] = args;
    if (["SPOP", "SRANDMEMBER", "HRANDFIELD", "ZRANDMEMBER", "RANDOMKEY"].includes(name)) return `${name} draws at random`;
    if (["TIME", "LASTSAVE", "INFO"].includes(name)) return `${name} reads the wall clock or the machine`;
    if (["EXPIREAT", "PEXPIREAT", "EXPIRETIME", "PEXPIRETIME"].includes(name) || /\b(EXAT|PXAT)\b/i.test(line)) {
      return `${name} uses absolute times, and the lesson's clock starts at its own date`;
    }
    if (name === "XADD" && args.slice(2).includes("*")) return "XADD * makes stream IDs from the clock";
    if (name === "XINFO" || (name === "OBJECT" && ["FREQ", "IDLETIME"].includes(sub))) return `${name} ${sub} shows times`;
    if (name === "CLIENT" && ["ID", "LIST", "INFO"].includes(sub)) return "client ids and addresses differ";
    const cursor = name === "SCAN" ? sub : ["SSCAN", "HSCAN", "ZSCAN"].includes(name) ? args[2] : undefined;
    if (cursor !== undefined && cursor !== "0") return `${name} ${cursor}: a cursor other than 0 is the server's own number`;
  }
  return null;
}

// Commands whose order Redis does not define (a hash table's): such an example's lines are
// compared in any order, as a multiset (the lessons say that a real server may list them
// in another order).
const UNORDERED = ["KEYS", "SCAN", "SSCAN", "HSCAN", "SMEMBERS", "SUNION", "SINTER", "SDIFF", "HKEYS", "HVALS", "HGETALL"];
const unordered = (lines) => lines.some((line) => UNORDERED.includes((splitArgs(line) ?? [""])[0]?.toUpperCase()));
const asMultiset = (output) => output.split("\n").map((line) => line.replace(/^(\s*\d+\) )+/, "")).sort().join("\n");

// An example's lines as the server gets them (comments gone), with `@name` where the client
// changes, read from the engine's own run so that the lesson's syntax is parsed once.
function linesOf(lesson, commands) {
  engine.reset({ startTimeMs: Date.parse(lesson.clock?.start ?? "2025-01-01T00:00:00Z"), seed: lesson.seed ?? 0 });
  if (lesson.setup) engine.run(lesson.setup, { transcript: false });
  const { results } = engine.run(commands, { transcript: false, waitForTimeouts: true });
  const byLine = new Map();
  for (const result of results) {
    if (["command_reply", "blocked", "invalid", "help"].includes(result.kind) && !byLine.has(result.line)) {
      byLine.set(result.line, result);
    }
  }
  const lines = [];
  const outputs = [];  // one-client scripts: what each line printed
  let client = "main";
  for (const [number, result] of [...byLine].sort((a, b) => a[0] - b[0])) {
    if (result.client !== client) lines.push(`@${result.client}`);
    client = result.client;
    lines.push(result.text);
    outputs.push(results.filter((r) => r.line === number).map((r) => r.display).join(""));
  }
  return { lines, outputs, output: results.map((r) => r.display).join(""), multi: lines.some((line) => line.startsWith("@")) };
}

// redis-cli reading commands from its input cannot leave a subscription (it waits for
// messages for ever): such an example is run through the multi-client runner, which drives
// each connection itself.
const subscribes = (lines) => lines.some((line) => /^\s*[ps]?subscribe\b/i.test(line));
const needsConnections = ({ lines, multi }) => multi || subscribes(lines);

const setupLines = (lesson) => (lesson.setup ? linesOf({ ...lesson, setup: undefined }, lesson.setup).lines : []);

let redis;
before(async () => { redis = await startRealRedis(); });
after(() => redis?.stop());

// As tests/differential/run.mjs does: two lines redis-cli answers itself mark where each
// line's output ends, so that its timing line is judged on its own.
const MARK_INPUT = '0 x\n"\n';
const MARK_OUTPUT = "Invalid redis-cli repeat command option value.\nInvalid argument(s)\n";
// Each line's output, and how long the run took beyond its own sleeps (the real clock moves
// on between two lines by that much at most).
function runReal(setup, lines) {
  redis.cli(["CONFIG", "SET", "maxmemory", "0"]);
  redis.cli(["FLUSHALL"]);
  redis.cli(["SCRIPT", "FLUSH"]);
  if (setup.length) redis.cli(["--no-raw"], setup.join("\n") + "\n");
  const waits = lineWaits(lines);
  const begun = performance.now();
  const marked = redis.cli(["--no-raw"], lines.map((line) => line + "\n" + MARK_INPUT).join(""))
    .toString("latin1").split(MARK_OUTPUT);
  const slackMs = Math.ceil(performance.now() - begun - waits.reduce((a, b) => a + b, 0));
  const outputs = marked.slice(0, lines.length)
    .map((output, i) => Buffer.from(caseTiming(output, waits[i]), "latin1").toString("utf8"));
  return { outputs, slackMs: Math.max(slackMs, 1) };
}

// PTTL counts milliseconds of the real server's clock, which moves on between the line that
// set the expiry and the PTTL (the lesson's clock holds still): its reply may be lower by as
// much as the run took. Every other line must be the same, byte for byte.
function sameLine(line, real, ours, slackMs) {
  if (real === ours) return true;
  if ((splitArgs(line) ?? [""])[0]?.toUpperCase() !== "PTTL") return false;
  const [a, b] = [real, ours].map((text) => /^\(integer\) (\d+)\n$/.exec(text)?.[1]);
  return a !== undefined && b !== undefined && Number(b) - Number(a) >= 0 && Number(b) - Number(a) <= slackMs;
}

test("every one-client example prints on redis-server what the lesson shows", () => {
  let compared = 0;
  const mismatches = [];
  for (const { file, lesson } of lessons) {
    lesson.sections.forEach((section, s) => {
      (section.examples ?? []).forEach((example, e) => {
        const where = `${file} /sections/${s}/examples/${e} (${example.title})`;
        const { lines, outputs, output, multi } = linesOf(lesson, example.commands);
        if (needsConnections({ lines, multi })) return;
        const reason = differsBecause([...setupLines(lesson), ...lines]);
        if (reason) {
          console.log(`# left out: ${where}: ${reason}`);
          return;
        }
        compared++;
        const { outputs: realOutputs, slackMs } = runReal(setupLines(lesson), lines);
        const real = realOutputs.join("");
        const same = unordered(lines) ? asMultiset(real) === asMultiset(output)
          : lines.every((line, i) => sameLine(line, realOutputs[i], outputs[i], slackMs));
        if (!same) mismatches.push(`${where}\n  redis-server: ${JSON.stringify(real)}\n  lesson:       ${JSON.stringify(output)}`);
      });
    });
  }
  console.log(`# ${compared} one-client examples compared with redis-server`);
  assert.deepEqual(mismatches, []);
  assert.ok(compared >= 100, `only ${compared} examples compared: the left-out rule is too wide`);
});

test("every example with several clients (or a subscription) prints on redis-server what it prints in redpad", () => {
  const cases = [];
  for (const { file, lesson } of lessons) {
    lesson.sections.forEach((section, s) => {
      (section.examples ?? []).forEach((example, e) => {
        const { lines, multi } = linesOf(lesson, example.commands);
        if (!needsConnections({ lines, multi })) return;
        const reason = differsBecause(lines);
        if (reason) {
          console.log(`# left out: ${file} /sections/${s}/examples/${e}: ${reason}`);
          return;
        }
        const setup = setupLines(lesson);
        cases.push(`### ${file} /sections/${s}/examples/${e} ${example.title}\n${[...setup, ...lines].join("\n")}\n`);
      });
    });
  }
  const corpus = join(mkdtempSync(join(tmpdir(), "redpad-lesson-clients-")), "lessons.redis");
  writeFileSync(corpus, cases.join("\n"));
  let output;
  try {
    output = execFileSync(process.execPath, [join(root, "tests", "differential", "multi.mjs"), "--cli", nativeCli, corpus],
      { encoding: "utf8" });
  } catch (error) {
    assert.fail(`the multi-client runner found differences:\n${error.stdout}${error.stderr}`);
  }
  console.log(`# ${output.trim().split("\n").pop()}`);
  assert.match(output, new RegExp(`^multi-client differential: ${cases.length} cases, \\d+ command lines, 0 mismatches$`, "m"));
  assert.ok(cases.length >= 10, `only ${cases.length} examples with several clients`);
});
