#!/usr/bin/env node
// redpad's benchmark: speed, size, memory and scaling, side by side with Debian's real
// redis-server, measured in one run. A benchmark, not a test: it prints figures (one
// table) and writes docs/benchmarks.md; it fails only when something cannot be measured.
//
//   node tests/bench/run.mjs [--quick] [--runs N] [--out FILE]
//
// --quick uses tiny sizes and one run per figure (./scripts/test runs it so the benchmark
// never rots) and writes nothing unless --out is given. Every figure is the median of
// --runs samples (5 by default); ratios compare figures measured in this same run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { startRealRedis } from "../real-redis.mjs";
import { measurePage } from "./page.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const option = (name, fallback) => {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : argv[at + 1];
};
const RUNS = Number(option("--runs", quick ? 1 : 5));
const outFile = option("--out", quick ? null : join(root, "docs/benchmarks.md"));
const engineDir = resolve(root, option("--engine", "build-wasm/web/engine"));
const nativeBench = resolve(root, option("--native", "build/redpad-bench"));
const siteDir = resolve(root, option("--site", "build-site"));

const SIZES = {
  mixCommands: quick ? 20_000 : 1_000_000,
  mixKeys: quick ? 1_000 : 10_000,
  populate: quick ? 10_000 : 1_000_000,
  scaling: quick ? [1_000, 10_000] : [1_000, 10_000, 100_000, 1_000_000],
  scalingOps: quick ? 1_000 : 20_000,
  lessonRuns: quick ? 20 : 200,
};

const median = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const repeat = (times, measure) => Array.from({ length: times }, measure);
const seconds = (start) => (performance.now() - start) / 1000;
const log = (text) => process.stderr.write(`bench: ${text}\n`);

// A seeded generator, so every run (and every engine) gets the same script.
function lcg(seed) {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

// ---- 1. throughput: the mixed command script ---------------------------------------
// The eleven commands of the mix, each with random keys (and random fields and members)
// over `keys`, in the same proportions redis-benchmark is given below.
const MIX = [
  { line: (k, r) => `SET str:${k} value-${r}`, bench: ["SET", "str:__rand_int__", "value"] },
  { line: (k) => `GET str:${k}`, bench: ["GET", "str:__rand_int__"] },
  { line: (k) => `INCR counter:${k}`, bench: ["INCR", "counter:__rand_int__"] },
  { line: (k, r) => `LPUSH list:${k} item-${r}`, bench: ["LPUSH", "list:__rand_int__", "item"] },
  { line: (k) => `LPOP list:${k}`, bench: ["LPOP", "list:__rand_int__"] },
  { line: (k, r) => `HSET hash:${k} field-${r} ${r}`,
    bench: ["HSET", "hash:__rand_int__", "field-__rand_int__", "1"] },
  { line: (k, r) => `HGET hash:${k} field-${r}`, bench: ["HGET", "hash:__rand_int__", "field-__rand_int__"] },
  { line: (k, r) => `SADD set:${k} member-${r}`, bench: ["SADD", "set:__rand_int__", "member-__rand_int__"] },
  { line: (k, r) => `ZADD zset:${k} ${r} member-${r}`,
    bench: ["ZADD", "zset:__rand_int__", "__rand_int__", "member-__rand_int__"] },
  { line: (k) => `ZRANGE zset:${k} 0 9`, bench: ["ZRANGE", "zset:__rand_int__", "0", "9"] },
  { line: (k) => `EXPIRE str:${k} 3600`, bench: ["EXPIRE", "str:__rand_int__", "3600"] },
];

export function mixedScript(count, keys, seed = 1) {
  const random = lcg(seed);
  const lines = new Array(count);
  for (let i = 0; i < count; i++) lines[i] = MIX[i % MIX.length].line(random(keys), random(keys));
  return lines.join("\n") + "\n";
}

// The engine every page loads (redpad-engine, without Lua), or with { lua: true } the one
// the page switches to when a script first needs Lua (redpad-engine-lua).
async function loadEngine({ lua = false } = {}) {
  const name = lua ? "redpad-engine-lua" : "redpad-engine";
  const { createRedpad } = await import(pathToFileURL(join(engineDir, "redpad.mjs")).href);
  const { default: createModule } = await import(pathToFileURL(join(engineDir, `${name}.mjs`)).href);
  const wasmBinary = readFileSync(join(engineDir, `${name}.wasm`));
  return (options = {}) =>
    createRedpad({ createModule, wasmBinary, startTimeMs: 1_700_000_000_000, seed: 1, ...options });
}

// The two engines' files, raw and gzipped (level 9): what each part weighs.
export const ENGINE_PARTS = ["redpad-engine.wasm", "redpad-engine.mjs", "redpad-engine-lua.wasm", "redpad-engine-lua.mjs"];
function engineWeights() {
  return ENGINE_PARTS.map((file) => {
    const bytes = readFileSync(join(engineDir, file));
    return { file, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
  });
}

async function throughput(newEngine, redis, scratch) {
  const { mixCommands: count, mixKeys: keys } = SIZES;
  const script = mixedScript(count, keys);
  const scriptFile = join(scratch, "mix.txt");
  writeFileSync(scriptFile, script);

  log(`throughput: ${count} commands through the WebAssembly engine`);
  const engine = await newEngine();
  const wasmDisplay = repeat(RUNS, () => {
    engine.reset({ startTimeMs: 1_700_000_000_000, seed: 1 });
    const start = performance.now();
    engine.runDisplay(script);
    return count / seconds(start);
  });
  // The page's own call: JSON for the first 1,000 lines, the rest counted (and recorded in
  // the transcript task checks read); and the same call while the page records the step
  // timeline (what each command changed). The two alternate, so that neither gains from
  // running later (a grown heap, a warmer JIT) and their ratio is the recording's cost.
  const pageCall = (recordSteps) => {
    engine.reset({ startTimeMs: 1_700_000_000_000, seed: 1 });
    engine.setRecordSteps(recordSteps);
    const start = performance.now();
    engine.run(script, { maxResults: 1000 });
    const rate = count / seconds(start);
    engine.setRecordSteps(false);
    return rate;
  };
  const wasmRun = [];
  const wasmRunSteps = [];
  for (let i = 0; i < RUNS; i++) {
    wasmRun.push(pageCall(false));
    wasmRunSteps.push(pageCall(true));
  }
  engine.destroy();

  log(`throughput: ${count} commands through the native engine`);
  const native = repeat(RUNS, () => {
    const out = JSON.parse(execFileSync(nativeBench, ["throughput", scriptFile]).toString());
    return count / out.seconds;
  });

  log(`throughput: the same mix through redis-benchmark -P 16`);
  // redis-benchmark runs one command at a time: each gets its share of the script, and the
  // mix's rate is the total over the summed times.
  const perCommand = Math.round(count / MIX.length);
  const real = repeat(RUNS, () => {
    redis.cli(["FLUSHALL"]);
    let totalSeconds = 0;
    for (const { bench } of MIX) {
      const csv = execFileSync("redis-benchmark", ["-p", String(redis.port), "-P", "16",
        "-n", String(perCommand), "-r", String(keys), "-q", "--csv", ...bench]).toString();
      const rate = Number(csv.trim().split("\n").pop().split(",")[1].replace(/"/g, ""));
      totalSeconds += perCommand / rate;
    }
    return (perCommand * MIX.length) / totalSeconds;
  });
  return {
    count,
    keys,
    wasmDisplay: median(wasmDisplay),
    wasmRun: median(wasmRun),
    wasmRunSteps: median(wasmRunSteps),
    native: median(native),
    real: median(real),
  };
}

// ---- 2. lesson latency (engine only; the page's click-to-render comes from page.mjs) --
// On the engine with Lua: the solution's last line is an EVAL.
async function lessonLatency(newEngine) {
  const lesson = JSON.parse(readFileSync(join(root, "lessons/12-caching-patterns.json"), "utf8"));
  const engine = await newEngine();
  const startTimeMs = Date.parse(lesson.clock?.start ?? "2025-01-01T00:00:00Z");
  const checks = JSON.stringify(lesson.task.checks);
  let passed = true;
  const samples = repeat(SIZES.lessonRuns, () => {
    const start = performance.now();
    engine.reset({ startTimeMs, seed: lesson.seed ?? 0 });
    if (lesson.setup) engine.run(lesson.setup, { transcript: false });
    engine.run(lesson.task.solution);
    passed = engine.check(checks).every((result) => result.passed) && passed;
    return performance.now() - start;
  });
  engine.destroy();
  if (!passed) throw new Error("lesson 12's reference solution failed its checks");
  return { ms: median(samples) };
}

// ---- 5. memory: DEBUG POPULATE ---------------------------------------------------------
async function memory(newEngine, redis) {
  const keys = SIZES.populate;
  log(`memory: DEBUG POPULATE ${keys}`);
  const wasm = repeat(RUNS, () => null);
  for (let i = 0; i < RUNS; i++) {
    const engine = await newEngine();
    const before = engine.heapBytes();
    const start = performance.now();
    const reply = new TextDecoder().decode(engine.runDisplay(`DEBUG POPULATE ${keys}`));
    const elapsed = seconds(start);
    if (reply !== "OK\n") throw new Error(`DEBUG POPULATE answered ${JSON.stringify(reply)}`);
    wasm[i] = { perKey: (engine.heapBytes() - before) / keys, seconds: elapsed };
    engine.destroy();
  }
  const native = repeat(RUNS, () => {
    const out = JSON.parse(execFileSync(nativeBench, ["memory", String(keys)]).toString());
    return { perKey: (out.populated_bytes - out.empty_bytes) / keys, seconds: out.seconds };
  });
  const usedMemory = () => {
    const info = redis.cli(["INFO", "memory"]).toString();
    return Number(/^used_memory:(\d+)/m.exec(info)[1]);
  };
  const real = repeat(RUNS, () => {
    redis.cli(["FLUSHALL"]);
    const before = usedMemory();
    const start = performance.now();
    redis.cli(["DEBUG", "POPULATE", String(keys)]);
    const elapsed = seconds(start);
    const perKey = (usedMemory() - before) / keys;
    redis.cli(["FLUSHALL"]);
    return { perKey, seconds: elapsed };
  });
  const of = (samples, field) => median(samples.map((sample) => sample[field]));
  return {
    keys,
    wasmPerKey: of(wasm, "perKey"),
    nativePerKey: of(native, "perKey"),
    realPerKey: of(real, "perKey"),
    wasmSeconds: of(wasm, "seconds"),
    nativeSeconds: of(native, "seconds"),
    realSeconds: of(real, "seconds"),
  };
}

// ---- 6. scaling: time per operation as the structure grows ----------------------------
// Each operation runs against a key (or keyspace) already holding n elements, built once
// per size; the samples then run one after another (ZADD updates scores of existing
// members, so the size stays n; LPUSH, SADD and HSET add at most a few times n).
const SCALING = [
  { name: "ZADD", complexity: "O(log n)", build: (n) => batches(n, "ZADD z", (i) => `${i} m${i}`),
    op: (r, n) => `ZADD z ${r(n)} m${r(n)}` },
  { name: "ZRANK", complexity: "O(log n)", build: (n) => batches(n, "ZADD z", (i) => `${i} m${i}`),
    op: (r, n) => `ZRANK z m${r(n)}` },
  { name: "ZRANGE by rank", complexity: "O(log n)", build: (n) => batches(n, "ZADD z", (i) => `${i} m${i}`),
    op: (r, n) => { const rank = r(n); return `ZRANGE z ${rank} ${rank}`; } },
  { name: "LPUSH", complexity: "O(1)", build: (n) => batches(n, "RPUSH l", (i) => `e${i}`),
    op: (r) => `LPUSH l x${r(1000)}` },
  { name: "SADD", complexity: "O(1)", build: (n) => batches(n, "SADD s", (i) => `m${i}`),
    op: (r, n) => `SADD s n${r(n)}` },
  { name: "HSET", complexity: "O(1)", build: (n) => batches(n, "HSET h", (i) => `f${i} ${i}`),
    op: (r, n) => `HSET h f${r(n)} v` },
  { name: "GET", complexity: "O(1)", build: (n) => `DEBUG POPULATE ${n}`,
    op: (r, n) => `GET key:${r(n)}` },
];

function batches(n, command, item) {
  const lines = [];
  for (let start = 0; start < n; start += 1000) {
    const parts = [command];
    for (let i = start; i < Math.min(n, start + 1000); i++) parts.push(item(i));
    lines.push(parts.join(" "));
  }
  return lines.join("\n");
}

// The same lines sent to redis-server over one connection as RESP, pipelined, with a PING
// last: resolves when its PONG arrives (no reply in these scripts is a status "PONG").
function sendToRedis(port, lines) {
  const resp = (line) => {
    const words = line.split(" ");
    return `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join("")}`;
  };
  const payload = lines.map(resp).join("") + resp("PING");
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let tail = "";
    socket.on("data", (chunk) => {
      tail = (tail + chunk.toString("latin1")).slice(-16);
      if (tail.endsWith("+PONG\r\n")) {
        socket.destroy();
        resolve();
      }
    });
    socket.on("error", reject);
    socket.write(payload);
  });
}

async function scaling(newEngine, redis) {
  const engine = await newEngine();
  const rows = [];
  for (const spec of SCALING) {
    log(`scaling: ${spec.name}`);
    const nsPerOp = [];
    const realNsPerOp = [];
    for (const n of SIZES.scaling) {
      const random = lcg(n);
      const opLines = Array.from({ length: SIZES.scalingOps }, () => spec.op(random, n));
      const ops = opLines.join("\n");
      engine.reset({ startTimeMs: 1_700_000_000_000, seed: 1 });
      engine.runDisplay(spec.build(n));
      nsPerOp.push(median(repeat(RUNS, () => {
        const start = performance.now();
        engine.runDisplay(ops);
        return (performance.now() - start) * 1e6 / SIZES.scalingOps;
      })));
      redis.cli(["FLUSHALL"]);
      await sendToRedis(redis.port, spec.build(n).split("\n"));
      const samples = [];
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        await sendToRedis(redis.port, opLines);
        samples.push((performance.now() - start) * 1e6 / SIZES.scalingOps);
      }
      realNsPerOp.push(median(samples));
    }
    redis.cli(["FLUSHALL"]);
    rows.push({ name: spec.name, complexity: spec.complexity, nsPerOp, realNsPerOp });
  }
  engine.destroy();
  return rows;
}

// ---- 7. validation of the whole course --------------------------------------------------
function validation() {
  log("validation: ./scripts/validate-lessons over the course");
  const samples = repeat(RUNS, () => {
    const start = performance.now();
    execFileSync(process.execPath, [join(root, "scripts/validate-lessons.mjs"), "--engine", engineDir],
      { stdio: "ignore" });
    return seconds(start);
  });
  return { seconds: median(samples) };
}

// ---- the report -------------------------------------------------------------------------
const KB = 1024;
const fmt = {
  rate: (value) => `${Math.round(value).toLocaleString("en-US")} cmd/s`,
  ratio: (value) => `${value.toFixed(2)}x`,
  ms: (value) => `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`,
  s: (value) => `${value.toFixed(2)} s`,
  kb: (bytes) => `${(bytes / KB).toFixed(1)} KB`,
  bytes: (value) => `${value.toFixed(1)} B`,
  ns: (value) => `${Math.round(value)} ns`,
};

// [figure, value, target, verdict] rows of the summary table.
function summaryRows(r) {
  const meets = (ok) => (ok ? "met" : "MISSED");
  const t = r.throughput;
  const weightTotal = (kinds) => r.page.weight.filter((f) => kinds.includes(f.kind))
    .reduce((sum, f) => sum + f.gzipBytes, 0);
  const pageGzip = weightTotal(["html", "js", "css", "wasm", "font", "other"]);
  const wasmGzip = weightTotal(["wasm"]);
  const luaWasm = r.engines.find((part) => part.file === "redpad-engine-lua.wasm");
  const readyMs = median(r.page.readyMs);
  const clickMs = median(r.page.clickToRenderMs);
  return [
    ["1. wasm engine, mixed script (runDisplay)", fmt.rate(t.wasmDisplay), ">= 1,000,000 cmd/s", meets(t.wasmDisplay >= 1e6)],
    ["   wasm engine, mixed script (run, page's call)", fmt.rate(t.wasmRun), "", ""],
    ["   the same, recording the step timeline", fmt.rate(t.wasmRunSteps), "", ""],
    ["   recording's cost (run / run with steps)", fmt.ratio(t.wasmRun / t.wasmRunSteps), "<= 1.15x",
      meets(t.wasmRun / t.wasmRunSteps <= 1.15)],
    ["   native engine in-process", fmt.rate(t.native), "", ""],
    ["   redis-server, redis-benchmark -P 16", fmt.rate(t.real), "", ""],
    ["   wasm / native", fmt.ratio(t.wasmDisplay / t.native), ">= 0.60x", meets(t.wasmDisplay / t.native >= 0.6)],
    ["   wasm / redis-server -P 16", fmt.ratio(t.wasmDisplay / t.real), ">= 1.00x", meets(t.wasmDisplay >= t.real)],
    ["2. lesson 12 solution + checks, engine only", fmt.ms(r.lesson.ms), "<= 1 ms", meets(r.lesson.ms <= 1)],
    ["   lesson 12 Run, click to rendered output", fmt.ms(clickMs), "<= 30 ms", meets(clickMs <= 30)],
    ["   its first Run (loads the engine with Lua)", fmt.ms(r.page.firstLuaRunMs), "", ""],
    ["3. page weight, gzip, without lesson text", fmt.kb(pageGzip), "<= 250 KB", meets(pageGzip <= 250 * KB)],
    ["   engine wasm, gzip", fmt.kb(wasmGzip), "<= 120 KB", meets(wasmGzip <= 120 * KB)],
    ["   engine with Lua wasm, gzip (only once a script runs)", fmt.kb(luaWasm.gzipBytes), "", ""],
    ["4. time to ready (cold cache)", fmt.ms(readyMs), "<= 400 ms", meets(readyMs <= 400)],
    [`5. memory per key, DEBUG POPULATE ${r.memory.keys} (wasm)`, fmt.bytes(r.memory.wasmPerKey), "", ""],
    ["   redis-server used_memory per key", fmt.bytes(r.memory.realPerKey), "", ""],
    ["   wasm / redis-server", fmt.ratio(r.memory.wasmPerKey / r.memory.realPerKey), "<= 1.50x",
      meets(r.memory.wasmPerKey / r.memory.realPerKey <= 1.5)],
    ["7. whole-course validation", fmt.s(r.validation.seconds), "<= 3 s", meets(r.validation.seconds <= 3)],
    [`   ${r.page.bigScript.lines.toLocaleString("en-US")}-line script pasted in the page`, fmt.ms(r.page.bigScript.ms),
      "< 2 s, no freeze", meets(r.page.bigScript.ms < 2000)],
    ["   longest frame gap during it", fmt.ms(r.page.bigScript.maxFrameGapMs), "", ""],
  ];
}

function table(header, rows) {
  const widths = header.map((_, c) => Math.max(header[c].length, ...rows.map((row) => String(row[c]).length)));
  const line = (row) => `| ${row.map((cell, c) => String(cell).padEnd(widths[c])).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function scalingTable(rows) {
  const last = SIZES.scaling.at(-1).toLocaleString("en-US");
  const span = `1k -> ${last}`;
  const header = ["operation", "complexity", ...SIZES.scaling.map((n) => `n = ${n.toLocaleString("en-US")}`),
    `growth ${span}`, "added per op", `redis-server ${span}`, "growth", "added per op"];
  return table(header, rows.map((row) => [row.name, row.complexity, ...row.nsPerOp.map(fmt.ns),
    fmt.ratio(row.nsPerOp.at(-1) / row.nsPerOp[0]),
    fmt.ns(row.nsPerOp.at(-1) - row.nsPerOp[0]),
    `${fmt.ns(row.realNsPerOp[0])} -> ${fmt.ns(row.realNsPerOp.at(-1))}`,
    fmt.ratio(row.realNsPerOp.at(-1) / row.realNsPerOp[0]),
    fmt.ns(row.realNsPerOp.at(-1) - row.realNsPerOp[0])]));
}

function weightTable(weight) {
  const rows = weight.map((f) => [f.file, f.kind, fmt.kb(f.bytes), fmt.kb(f.gzipBytes)]);
  const sum = (files, field) => files.reduce((total, f) => total + f[field], 0);
  const page = weight.filter((f) => f.kind !== "lesson");
  const lessons = weight.filter((f) => f.kind === "lesson");
  rows.push(["total without lesson text", "", fmt.kb(sum(page, "bytes")), fmt.kb(sum(page, "gzipBytes"))]);
  rows.push(["lesson text", "", fmt.kb(sum(lessons, "bytes")), fmt.kb(sum(lessons, "gzipBytes"))]);
  return table(["file", "kind", "bytes", "gzip"], rows);
}

function enginesTable(engines) {
  return table(["file", "what", "bytes", "gzip"], engines.map((part) => [part.file,
    `${part.file.endsWith(".wasm") ? "WebAssembly" : "its JavaScript glue"}, ` +
      (part.file.includes("-lua") ? "fetched when a script first needs Lua" : "every visit"),
    part.bytes.toLocaleString("en-US"), part.gzipBytes.toLocaleString("en-US")]));
}

function machine() {
  const model = cpus()[0]?.model ?? "unknown CPU";
  let redisVersion = "";
  try {
    redisVersion = execFileSync("redis-server", ["--version"]).toString().trim();
  } catch { /* reported as unknown */ }
  return { cpu: model, cores: cpus().length, node: process.version, redis: redisVersion || "unknown" };
}

function markdown(r) {
  const notes = (() => {
    try {
      return readFileSync(join(root, "docs/benchmark-notes.md"), "utf8").trim();
    } catch {
      return "";
    }
  })();
  return `# Benchmarks

Written by \`./scripts/bench\` on ${r.date}: ${r.machine.cpu}, ${r.machine.cores} cores,
Node ${r.machine.node}, ${r.machine.redis}. Each figure is the median of ${RUNS} runs;
ratios compare figures measured in this same run (the machine is shared and noisy).

## Summary

${table(["figure", "value", "target", ""], summaryRows(r))}

## 1. Throughput

A script of ${r.throughput.count.toLocaleString("en-US")} commands (SET GET INCR LPUSH LPOP HSET HGET SADD ZADD ZRANGE
EXPIRE in turn, random keys, fields and members over ${r.throughput.keys.toLocaleString("en-US")}) run through the
WebAssembly engine's JS API in Node (\`runDisplay\`: the redis-cli text of every reply;
\`run\`: the page's call, JSON for the first 1,000 lines), through the native engine
in-process (\`redpad-bench throughput\`), and as the same mix against redis-server on
loopback with \`redis-benchmark -P 16 -r ${r.throughput.keys}\`, one command at a time with its share of the
count (the mix's rate is the total count over the summed times).

The step timeline: the page records what each command did to the keyspace (the engine's
change log, \`setRecordSteps\`). The same page's call with recording on, alternating with it
off, ${fmt.rate(r.throughput.wasmRunSteps)} against ${fmt.rate(r.throughput.wasmRun)}: a cost of
${fmt.ratio(r.throughput.wasmRun / r.throughput.wasmRunSteps)} (target <= 1.15x). Past the 1,000 lines the page is shown,
the log stops following keys one by one and learns them again once the Run ends; the CLI and
\`runDisplay\` never record.

## 2. Lesson latency

Lesson 12's reference solution after a reset, then its ${"checks"} evaluated: ${fmt.ms(r.lesson.ms)} in the
engine with Lua alone (median of ${SIZES.lessonRuns}; the solution ends with an EVAL). In headless Chromium,
click on Run to the last reply rendered: ${fmt.ms(median(r.page.clickToRenderMs))} (samples: ${r.page.clickToRenderMs.map(fmt.ms).join(", ")}),
after a first Run that loaded the engine with Lua (the page starts without it) in ${fmt.ms(r.page.firstLuaRunMs)}.

## 3. Page weight

Every file the page loads on a first visit to lesson 12, on disk and gzipped (level 9).

${weightTable(r.page.weight)}

What each part of the engine weighs (bytes on disk and \`gzip -9\`). The page starts with
redpad-engine, without Lua; the engine with Lua (EVAL, EVALSHA, SCRIPT) is fetched only when
a script first needs it, and the server is then rebuilt on it by replay.

${enginesTable(r.engines)}

## 4. Time to ready

Navigation to "engine ready and lesson rendered", cold cache, headless Chromium on loopback:
${r.page.readyMs.map(fmt.ms).join(", ")} (median ${fmt.ms(median(r.page.readyMs))}).

## 5. Memory

\`DEBUG POPULATE ${r.memory.keys.toLocaleString("en-US")}\`: the WebAssembly engine's heap in use (malloc's count)
grows by ${fmt.bytes(r.memory.wasmPerKey)} per key (native build: ${fmt.bytes(r.memory.nativePerKey)}); redis-server's \`INFO memory\`
used_memory grows by ${fmt.bytes(r.memory.realPerKey)} per key. The command took ${fmt.s(r.memory.wasmSeconds)} in the WebAssembly engine,
${fmt.s(r.memory.nativeSeconds)} native, ${fmt.s(r.memory.realSeconds)} in redis-server.

## 6. Scaling

Time per operation (WebAssembly engine, ${SIZES.scalingOps.toLocaleString("en-US")} operations per sample) against a
structure that already holds n elements (GET: a keyspace of n keys). O(1) rows should stay
flat and O(log n) rows grow at most about ${fmt.ratio(Math.log2(SIZES.scaling.at(-1)) / Math.log2(SIZES.scaling[0]))} from the first size to the last, plus what
the memory hierarchy adds once the structure outgrows the CPU's caches. The same operation
lines sent to redis-server (pipelined over one connection, so its times include a constant
for the protocol) show how much real Redis slows down too: compare the time added per
operation, which the protocol's constant does not hide.

${scalingTable(r.scaling)}

## 7. Validation

\`./scripts/validate-lessons\` over the whole course: ${fmt.s(r.validation.seconds)}.

## The page under a huge script

${r.page.bigScript.lines.toLocaleString("en-US")} lines pasted into the editor and run: output after ${fmt.ms(r.page.bigScript.ms)};
${r.page.bigScript.shownResults.toLocaleString("en-US")} results shown, then "${r.page.bigScript.omittedText}"; the page's longest
gap between animation frames meanwhile was ${fmt.ms(r.page.bigScript.maxFrameGapMs)} (the engine runs in a Web Worker).
${notes ? `\n${notes}\n` : ""}`;
}

// ---- main -------------------------------------------------------------------------------
const scratch = mkdtempSync(join(tmpdir(), "redpad-bench-"));
const redis = await startRealRedis();
try {
  const newEngine = await loadEngine();
  const results = { date: new Date().toISOString().slice(0, 10), machine: machine() };
  results.engines = engineWeights();
  results.throughput = await throughput(newEngine, redis, scratch);
  results.lesson = await lessonLatency(await loadEngine({ lua: true }));
  results.memory = await memory(newEngine, redis);
  results.scaling = await scaling(newEngine, redis);
  results.validation = validation();
  log("page: headless Chromium");
  results.page = await measurePage({ siteDir, runs: RUNS, quick });

  console.log(table(["figure", "value", "target", ""], summaryRows(results)));
  console.log("");
  console.log(enginesTable(results.engines));
  console.log("");
  console.log(scalingTable(results.scaling));
  if (outFile) {
    writeFileSync(outFile, markdown(results));
    console.log(`\nwritten to ${outFile}`);
  }
} finally {
  redis.stop();
  rmSync(scratch, { recursive: true, force: true });
}
