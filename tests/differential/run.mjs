#!/usr/bin/env node
// Differential test: every case of the corpus is run through Debian's real redis-server
// (via `redis-cli --no-raw`) and through redpad-cli, and the outputs must be identical byte
// for byte. Corpus format: tests/differential/README.md.
//
//   node tests/differential/run.mjs --cli build/cli/redpad-cli [--filter TEXT] [files...]
//
// Starts its own redis-server on a free loopback port and stops it afterwards.
import { execFileSync } from "node:child_process";
import { startRealRedisOrExit } from "../real-redis.mjs";
import { caseTiming, lineWaits, same } from "./compare.mjs";
import { readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

// ---- arguments ----
const argv = process.argv.slice(2);
let cliPath = null;
let filter = null;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--cli") cliPath = argv[++i];
  else if (argv[i] === "--filter") filter = argv[++i];
  else files.push(argv[i]);
}
if (!cliPath) {
  console.error("usage: run.mjs --cli path/to/redpad-cli [--filter TEXT] [corpus files...]");
  process.exit(2);
}
const corpusDir = join(here, "corpus");
if (files.length === 0) {
  for (const f of readdirSync(corpusDir).sort()) if (f.endsWith(".redis")) files.push(join(corpusDir, f));
}

// ---- corpus parsing ----
// A case: "### title", then optional "#! directive" lines, then command lines. Lines
// starting with "# " are comments; blank lines are skipped.
export function parseCorpus(text, file) {
  const cases = [];
  let current = null;
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    if (line.startsWith("###")) {
      current = { file, line: index + 1, title: line.slice(3).trim(), directives: [], commands: [] };
      cases.push(current);
    } else if (line.startsWith("#!")) {
      if (!current) throw new Error(`${file}:${index + 1}: directive outside a case`);
      const [name, ...rest] = line.slice(2).trim().split(/\s+/);
      current.directives.push({ name, value: line.slice(2).trim().slice(name.length).trim() });
    } else if (line.trim() === "" || /^\s*#(\s|$)/.test(line)) {
      // blank or comment
    } else {
      if (!current) throw new Error(`${file}:${index + 1}: command outside a case`);
      current.commands.push(line);
    }
  });
  for (const c of cases) {
    for (const d of c.directives) {
      if (!["unordered", "tolerance", "match", "mask"].includes(d.name)) {
        throw new Error(`${c.file}:${c.line}: unknown directive '#! ${d.name}'`);
      }
    }
  }
  return cases;
}

// ---- running ----
const redis = await startRealRedisOrExit();
const redisCli = redis.cli;

function resetReal() {
  // A case may change the limits (maxmemory, proto-max-bulk-len): every case starts with
  // Redis's defaults, as a fresh redpad-cli does.
  redisCli(["CONFIG", "SET", "maxmemory", "0", "proto-max-bulk-len", "512mb"]);
  redisCli(["FLUSHALL"]);
  redisCli(["SCRIPT", "FLUSH"]);  // the script cache outlives FLUSHALL
}

// After each command line the real side gets two lines redis-cli answers itself, without
// the server (a bad repeat count, an unclosed quote): their two messages, always together,
// mark where one line's output ends, so each line's timing line can be judged on its own.
const MARK_INPUT = '0 x\n"\n';
const MARK_OUTPUT = "Invalid redis-cli repeat command option value.\nInvalid argument(s)\n";

// redis-server's output for a case, with redis-cli's timing lines as a machine that adds
// no time of its own prints them (compare.mjs, caseTiming): a busy machine must not make
// redis-cli print "(0.52s)" after a 0.2 s sleep, nor "(0.71s)" after a 0.6 s one.
// Also notes how much real time the run took beyond the case's own sleeps (realSlackMs).
let realSlackMs = 0;
function runReal(commands) {
  resetReal();
  const waits = lineWaits(commands);
  const begun = performance.now();
  const marked = redisCli(["--no-raw"], commands.map((c) => c + "\n" + MARK_INPUT).join(""))
    .toString("latin1").split(MARK_OUTPUT);
  realSlackMs = Math.max(0, performance.now() - begun - waits.reduce((a, b) => a + b, 0));
  if (marked.length === commands.length + 1 && marked[commands.length] === "") {
    return marked.slice(0, -1).map((output, i) => caseTiming(output, waits[i])).join("");
  }
  // redis-cli stopped early (or a reply held the marks): the case as it is, unjudged.
  resetReal();
  return redisCli(["--no-raw"], commands.join("\n") + "\n").toString("latin1");
}
// A .mjs front end (the WebAssembly engine's) runs under Node, anything else directly.
const [ourProgram, ourArgs] = cliPath.endsWith(".mjs") ? [process.execPath, [cliPath]] : [cliPath, []];
// The native front end follows the wall clock from line to line: the run's duration is
// how far its clock may have moved (ourSlackMs). The WebAssembly one (--batch) holds its
// clock still during a case.
let ourSlackMs = 0;
function runOurs(commands) {
  const begun = performance.now();
  const output = execFileSync(ourProgram, ourArgs, { input: commands.join("\n") + "\n", maxBuffer: 1 << 28 })
    .toString("latin1");
  ourSlackMs = performance.now() - begun;
  return output;
}

// `#! tolerance N` lets integers that depend on the wall clock (PTTL) differ by N, what an
// idle machine needs. A run that took longer (a busy machine) may have moved either clock
// further between two lines: the tolerance grows to that time, never below N.
function widened(directives, slackMs) {
  return directives.map((d) => (d.name === "tolerance"
    ? { ...d, value: String(Math.max(Number(d.value), Math.ceil(slackMs))) } : d));
}

// ---- comparison ----
const show = (text) => text.split("\n").map((l) => "      | " + JSON.stringify(l).slice(1, -1)).join("\n");

// The WebAssembly front end runs a whole corpus in one Node process (--batch), each case on
// a fresh server; a native binary starts once per case.
const BATCH_SEPARATOR = "\0redpad-batch\0\n";
const batched = new Map();
if (cliPath.endsWith(".mjs")) {
  const all = files.flatMap((file) => parseCorpus(readFileSync(file, "latin1"), basename(file)))
    .filter((c) => !filter || c.title.includes(filter));
  const input = all.map((c) => c.commands.join("\n") + "\n").join(BATCH_SEPARATOR);
  const outputs = execFileSync(ourProgram, [...ourArgs, "--batch"], { input, maxBuffer: 1 << 30 })
    .toString("latin1").split(BATCH_SEPARATOR);
  all.forEach((c, i) => batched.set(`${c.file}:${c.line}`, outputs[i]));
}

let passed = 0;
let failed = 0;
let sentLines = 0;
const usedCommands = new Set();
for (const file of files) {
  const cases = parseCorpus(readFileSync(file, "latin1"), basename(file));
  let fileLines = 0;
  for (const c of cases) {
    if (filter && !c.title.includes(filter)) continue;
    fileLines += c.commands.length;
    for (const cmd of c.commands) {
      const words = cmd.trim().split(/\s+/).map((w) => w.toLowerCase());
      usedCommands.add(words[0]);
      if (words.length > 1) usedCommands.add(words[0] + "|" + words[1]);
    }
    const real = runReal(c.commands);
    ourSlackMs = 0;
    const ours = batched.get(`${c.file}:${c.line}`) ?? runOurs(c.commands);
    const directives = widened(c.directives, Math.max(realSlackMs, ourSlackMs));
    if (same(real, ours, directives)) {
      passed++;
      continue;
    }
    failed++;
    // Find the first command whose output differs by replaying ever longer prefixes.
    let culprit = c.commands.length - 1;
    for (let k = 1; k <= c.commands.length; k++) {
      const prefix = c.commands.slice(0, k);
      if (!same(runReal(prefix), runOurs(prefix), directives)) { culprit = k - 1; break; }
    }
    console.log(`MISMATCH ${c.file}:${c.line} ${c.title}`);
    console.log(`  first differing command (line ${culprit + 1} of the case): ${c.commands[culprit]}`);
    console.log("  redis-server:\n" + show(real));
    console.log("  redpad:\n" + show(ours));
  }
  sentLines += fileLines;
  console.log(`${basename(file)}: ${fileLines} command lines`);
}
redis.stop();

// Commands of the multi-client corpus (multi/*.redis, run by multi.mjs) count too: SUBSCRIBE,
// BLPOP and the like need a second client.
const multiDir = join(here, "multi");
for (const f of readdirSync(multiDir).filter((name) => name.endsWith(".redis"))) {
  for (const c of parseCorpus(readFileSync(join(multiDir, f), "latin1"), f)) {
    for (const cmd of c.commands) {
      if (cmd.startsWith("@")) continue; // a client switch, not a command
      const words = cmd.trim().split(/\s+/).map((w) => w.toLowerCase());
      usedCommands.add(words[0]);
      if (words.length > 1) usedCommands.add(words[0] + "|" + words[1]);
    }
  }
}

// Every implemented command must be exercised by the corpus.
const ourCommands = execFileSync(ourProgram, ourArgs, { input: "COMMAND LIST\n" }).toString()
  .split("\n").map((l) => /"(.*)"/.exec(l)?.[1]).filter(Boolean);
const exempt = new Map([["command|count", "its count differs by design; unit-tested"]]);
const missing = ourCommands.filter((c) => !usedCommands.has(c) && !exempt.has(c));
if (!filter && files.length > 1 && missing.length) {
  failed++;
  console.log(`MISSING from the corpus: ${missing.join(", ")}`);
}
console.log(`differential: ${passed + failed} cases, ${sentLines} command lines, ${failed} mismatches`);
process.exit(failed ? 1 : 0);
