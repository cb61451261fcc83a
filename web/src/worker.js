// The engine's home: a module Web Worker, so a huge script or reply never freezes the page.
//
// The page sends { id, op, ...args } and gets back { id, ok, value } or { id, ok: false,
// error }. Replies are cut to a size the page can show (the page never receives a
// 50 MB KEYS * reply), with counts of what was left out.
// Imported dynamically, so the .wasm download (below) starts at once alongside it: a
// static import would hold the worker's code back until its own two files had loaded.
const engineApi = import("./engine/redpad.mjs");
engineApi.catch(() => {}); // reported by start()

// What one Run may send back: lines per reply, characters per reply, and results.
export const LIMITS = {
  replyLines: 400,
  replyChars: 32 * 1024,
  commandChars: 2000,
  results: 1000,
  runLines: 4000,
};

// Compiled once, as the worker starts (while the page itself is still starting), and
// reused by every restart.
let compiled = compileEngine();
compiled.catch(() => {}); // reported by start()
let redis = null;
// The virtual clock follows real time from the lesson's start: host time = the lesson's
// clock.start + real time elapsed since the last reset (performance.now() never jumps).
let clock = { startTimeMs: Date.now(), since: performance.now() };
let seed = 0;
let setup = "";

async function compileEngine() {
  const url = new URL("./engine/redpad-engine.wasm", import.meta.url);
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`could not fetch ${url.pathname} (${error.message})`);
  }
  if (!response.ok) throw new Error(`${url.pathname} answered HTTP ${response.status}`);
  // Compiles while downloading; a server that does not say application/wasm gets the
  // slower path instead of an error.
  if (response.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(response);
  }
  return WebAssembly.compile(await response.arrayBuffer());
}

function syncClock() {
  redis.setHostTime(Math.round(clock.startTimeMs + (performance.now() - clock.since)));
}

async function start() {
  let wasmModule;
  try {
    wasmModule = await compiled;
  } catch (error) {
    compiled = compileEngine(); // a failed download is tried again on the next start
    compiled.catch(() => {});
    throw error;
  }
  const { createRedpad } = await engineApi;
  try {
    redis?.destroy();
  } catch {
    // An engine that aborted cannot be destroyed; it is dropped with its module.
  }
  redis = null;
  redis = await createRedpad({ wasmModule, startTimeMs: clock.startTimeMs, seed });
}

// An empty server for a lesson: its clock start and seed, then its setup commands (which
// are not part of the transcript the task's checks read).
function reset({ startTimeMs = Date.now(), seed: newSeed = 0, setup: newSetup = "" } = {}) {
  clock = { startTimeMs, since: performance.now() };
  seed = newSeed;
  setup = newSetup;
  redis.reset({ startTimeMs, seed });
  syncClock();
  if (setup) run({ script: setup, transcript: false });
  return { now_ms: redis.now() };
}

function cutText(text, maxLines, maxChars) {
  let lines = 0;
  let index = -1;
  while (lines < maxLines) {
    index = text.indexOf("\n", index + 1);
    if (index === -1) break;
    lines++;
  }
  let end = index === -1 ? text.length : index + 1;
  end = Math.min(end, maxChars);
  if (end >= text.length) return { text, omittedLines: 0, omittedChars: 0 };
  const rest = text.slice(end);
  let omittedLines = 0;
  for (let i = rest.indexOf("\n"); i !== -1; i = rest.indexOf("\n", i + 1)) omittedLines++;
  if (!rest.endsWith("\n")) omittedLines++;
  return { text: text.slice(0, end), omittedLines, omittedChars: rest.length };
}

function run({ script, transcript: recorded = true }) {
  syncClock();
  // The engine describes only the first LIMITS.results lines and counts the rest.
  const output = redis.run(script, { transcript: recorded, maxResults: LIMITS.results });
  const all = output.results;
  // Cut what the page will show.
  const results = [];
  let lines = 0;
  let omittedResults = output.omitted_results;
  let omittedErrors = output.omitted_errors;
  for (const result of all) {
    if (results.length >= LIMITS.results || lines >= LIMITS.runLines) {
      omittedResults++;
      if (result.error) omittedErrors++;
      continue;
    }
    const budget = Math.max(20, Math.min(LIMITS.replyLines, LIMITS.runLines - lines));
    const display = cutText(result.display, budget, LIMITS.replyChars);
    lines += Math.min(budget, display.text.split("\n").length);
    results.push({
      line: result.line,
      text: result.text.length > LIMITS.commandChars
        ? result.text.slice(0, LIMITS.commandChars)
        : result.text,
      textOmittedChars: Math.max(0, result.text.length - LIMITS.commandChars),
      kind: result.kind,
      display: display.text,
      omittedLines: display.omittedLines,
      omittedChars: display.omittedChars,
      elapsed_ms: result.elapsed_ms,
      error: result.error,
      // The first word and reply type are enough for the page to follow SELECT and MULTI.
      replyType: result.replies?.[0]?.type ?? null,
    });
  }
  return {
    results,
    total: all.length + output.omitted_results,
    omittedResults,
    omittedErrors,
    db: output.db,
    in_multi: output.in_multi,
    now_ms: output.now_ms,
  };
}

const ops = {
  async init(args) {
    await start();
    const state = reset(args);
    return { ...state, commands: redis.commands() };
  },
  reset,
  run,
  snapshot({ maxKeys = 200 } = {}) {
    syncClock();
    return redis.snapshot(maxKeys);
  },
  check({ checks }) {
    syncClock();
    return { results: redis.check(checks), now_ms: redis.now() };
  },
  advance({ ms }) {
    redis.advance(ms);
    syncClock();
    return { now_ms: redis.now() };
  },
  now() {
    syncClock();
    return { now_ms: redis.now() };
  },
};

self.onmessage = async (event) => {
  const { id, op, ...args } = event.data;
  try {
    if (!ops[op]) throw new Error(`unknown operation ${op}`);
    if (op !== "init" && !redis) throw new Error("the engine is not started");
    const value = await ops[op](args);
    self.postMessage({ id, ok: true, value });
  } catch (error) {
    // A WebAssembly trap or an abort leaves the module unusable: start a fresh engine on
    // the same lesson so the page can go on, and say so.
    const crashed = error instanceof WebAssembly.RuntimeError || /abort/i.test(String(error));
    let restarted = false;
    if (crashed && op !== "init") {
      try {
        await start();
        reset({ startTimeMs: clock.startTimeMs, seed, setup });
        restarted = true;
      } catch {
        redis = null;
      }
    }
    self.postMessage({ id, ok: false, error: String(error?.message ?? error), restarted });
  }
};
