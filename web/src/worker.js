// The engine's home: a module Web Worker, so a huge script or reply never freezes the page.
//
// The page sends { id, op, ...args } and gets back { id, ok, value, host_time_ms, clock } or
// { id, ok: false, error, crashed }. A Run's value is the engine's own answer
// (web/engine/contract.schema.json, run_answer), with only what the page shows of a reply cut
// further (page_cut): the page never receives a 50 MB KEYS * reply.
//
// The engine cannot save its state, so the page keeps a log of every operation that
// changed it (reset, run, advance, tick) with the host time each one ran at (`hostTimeMs`
// in every reply), and a new worker rebuilds the same state with `replay`
// (engine-client.js): the engine is deterministic given its seed, the host times and the
// scripts.
//
// Which engine: redpad-engine (no Lua, what the page starts with), or, when the worker's
// address says `?engine=lua`, redpad-engine-lua, which the page switches to (rebuilding
// the server by replay) when a script first needs Lua.
import { LIMITS } from "./limits.js";

const ADDRESS = new URL(self.location.href).searchParams;
const WITH_LUA = ADDRESS.get("engine") === "lua";
// Tests only (the page's address says `?holdRuns`, which the page passes on to its worker):
// see holdIfAsked.
const HOLD_RUNS = ADDRESS.has("holdRuns");
const ENGINE = WITH_LUA ? "redpad-engine-lua" : "redpad-engine";
// The engine with Lua is fetched while the learner waits for a Run: a download that stalls
// fails after this long, and the Run says so, rather than waiting for ever.
const LUA_FETCH_TIMEOUT_MS = 60_000;

// Imported dynamically, so the .wasm download (below) starts at once alongside them: a
// static import would hold the worker's code back until its own files had loaded. The
// module factory is the one that matches the .wasm (each build has its own).
const engineApi = Promise.all([
  import("./engine/redpad.mjs"),
  WITH_LUA ? import("./engine/redpad-engine-lua.mjs") : import("./engine/redpad-engine.mjs"),
]);
engineApi.catch(() => {}); // reported by start()

// Compiled once, as the worker starts (while the page itself is still starting), and
// reused by every restart.
let compiled = compileEngine();
compiled.catch(() => {}); // reported by start()
let redis = null;
// Whether run and tick answers carry the timeline's steps (init's, replay's or
// setRecordSteps's `recordSteps`).
let recordSteps = false;
// The virtual clock follows real time from the lesson's start: host time = the lesson's
// clock.start + real time elapsed since the last reset (performance.now() never jumps).
let clock = { startTimeMs: Date.now(), since: performance.now() };
// The host time the engine was last given, sent back with every reply.
let hostTimeMs = null;

async function compileEngine() {
  const url = new URL(`./engine/${ENGINE}.wasm`, import.meta.url);
  let response;
  try {
    response = await fetch(url, WITH_LUA ? { signal: AbortSignal.timeout(LUA_FETCH_TIMEOUT_MS) } : {});
  } catch (error) {
    throw new Error(`could not fetch ${url.pathname} (${fetchFailure(error)})`);
  }
  if (!response.ok) throw new Error(`${url.pathname} answered HTTP ${response.status}`);
  // Compiles while downloading; a server that does not say application/wasm gets the
  // slower path instead of an error.
  try {
    if (response.headers.get("content-type")?.startsWith("application/wasm")) {
      return await WebAssembly.compileStreaming(response);
    }
    return await WebAssembly.compile(await response.arrayBuffer());
  } catch (error) {
    if (error?.name !== "TimeoutError" && error?.name !== "AbortError") throw error;
    throw new Error(`could not fetch ${url.pathname} (${fetchFailure(error)})`);
  }
}

function fetchFailure(error) {
  return error?.name === "TimeoutError"
    ? `it took more than ${LUA_FETCH_TIMEOUT_MS / 1000} seconds to download`
    : error.message;
}

// The host time now: the lesson's clock start plus real time elapsed since the reset.
function liveHostTime() {
  return Math.round(clock.startTimeMs + (performance.now() - clock.since));
}

// Gives the engine its host time: real time, or during a replay the time a step first ran
// at. An operation sets it once, so replaying it with the same time does the same thing.
function setHostTime(ms = liveHostTime()) {
  hostTimeMs = ms;
  redis.setHostTime(ms);
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
  const [{ createRedpad }, { default: createModule }] = await engineApi;
  try {
    redis?.destroy();
  } catch {
    // An engine that aborted cannot be destroyed; it is dropped with its module.
  }
  redis = null;
  redis = await createRedpad({ createModule, wasmModule, startTimeMs: clock.startTimeMs, maxmemory: LIMITS.maxmemory,
    recordSteps });
}

// An empty server for a lesson: its clock start and seed, then its setup commands (which
// are not part of the transcript the task's checks read). A setup line that fails, or a
// setup the command cap stops, is reported (setup_error) so the page can say so.
function reset({ startTimeMs = Date.now(), seed = 0, setup = "" } = {}, replayedHostTime) {
  clock = { startTimeMs, since: performance.now() };
  redis.reset({ startTimeMs, seed });
  setHostTime(replayedHostTime);
  let setupError = null;
  let clients = [];
  if (setup) {
    const output = redis.run(setup, {
      transcript: false,
      maxResults: LIMITS.results,
      maxCommands: LIMITS.commands,
      maxOutputBytes: LIMITS.outputBytes,
    });
    const failed = output.results.find((result) => result.error);
    if (failed) {
      setupError = {
        line: failed.line,
        text: failed.text.slice(0, LIMITS.commandChars),
        display: failed.display.slice(0, LIMITS.commandChars),
      };
    } else if (output.stopped) {
      setupError = { stopped: output.stopped };
    }
    // A setup with `@name` lines leaves its clients connected (a consumer waiting, say).
    clients = output.clients ?? [];
  }
  return { now_ms: redis.now(), setup_error: setupError, clients };
}

// The start of `text`: at most `maxLines` lines and `maxChars` characters, and what that
// leaves out.
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
  if (end >= text.length) return { text, omitted_lines: 0, omitted_chars: 0 };
  const rest = text.slice(end);
  let omittedLines = 0;
  for (let i = rest.indexOf("\n"); i !== -1; i = rest.indexOf("\n", i + 1)) omittedLines++;
  if (!rest.endsWith("\n")) omittedLines++;
  return { text: text.slice(0, end), omitted_lines: omittedLines, omitted_chars: rest.length };
}

// Tests only: once a Run (or a lesson's setup) has done its work in the engine, and before
// it answers, the worker asks the site for `__redpad_hold?what=run` (or `setup`) with a
// synchronous request, blocked exactly as it is in a very long Run. The browser tests'
// server keeps that request waiting until the test lets the Run go (or answers at once when
// the test holds nothing), so a Run that is still going when Stop or the time limit comes
// is one by construction, however fast the machine (tests/browser/harness.mjs). A replay
// never waits: it calls run() and reset() directly.
function holdIfAsked(what) {
  if (!HOLD_RUNS) return;
  const request = new XMLHttpRequest();
  request.open("GET", new URL(`./__redpad_hold?what=${what}`, self.location.href), false);
  try {
    request.send();
  } catch {
    // No such address (a site without the tests' server): nothing to wait for.
  }
}

function run({ script, transcript: recorded = true }, replayedHostTime) {
  setHostTime(replayedHostTime);
  // The engine describes only the first LIMITS.results entries and counts the rest, stops
  // the script once it has executed LIMITS.commands commands, and keeps no more than
  // LIMITS.outputBytes of replies.
  const output = redis.run(script, {
    transcript: recorded,
    maxResults: LIMITS.results,
    maxCommands: LIMITS.commands,
    maxOutputBytes: LIMITS.outputBytes,
  });
  return forPage(output);
}

// Lets time pass to the clock's reading (docs/clients.md): blocked clients whose timeout
// has come get their answer, and what happened comes back as a Run's output does.
function tick(args, replayedHostTime) {
  setHostTime(replayedHostTime);
  return forPage(redis.tick());
}

// The engine's answer as the page receives it: as it is, but for the page's own caps on
// what it shows (LIMITS.replyLines, replyChars, commandChars, runLines), which the engine
// does not apply (redpad-cli prints every reply whole). A cut entry says what was cut in
// `page_cut`; entries past the Run's lines are counted in omitted_results, and
// omitted_because says which cap left entries out.
function forPage(output) {
  const results = [];
  let lines = 0;
  let omittedResults = output.omitted_results;
  let omittedErrors = output.omitted_errors;
  let omittedBecause = omittedResults ? "results" : null;
  for (const entry of output.results) {
    if (lines >= LIMITS.runLines) {
      omittedBecause ??= "lines";
      omittedResults++;
      if (entry.error) omittedErrors++;
      continue;
    }
    const budget = Math.max(20, Math.min(LIMITS.replyLines, LIMITS.runLines - lines));
    const display = cutText(entry.display, budget, LIMITS.replyChars);
    lines += Math.min(budget, display.text.split("\n").length);
    const textOmittedChars = Math.max(0, entry.text.length - LIMITS.commandChars);
    if (!textOmittedChars && !display.omitted_chars) {
      results.push(entry);
      continue;
    }
    // What cut the reply: its own line or character cap, or what was left of the Run's.
    const cutBy = !display.omitted_chars
      ? null
      : display.text.length >= LIMITS.replyChars
        ? "chars"
        : budget < LIMITS.replyLines
          ? "run_lines"
          : "lines";
    results.push({
      ...entry,
      text: entry.text.slice(0, LIMITS.commandChars),
      display: display.text,
      page_cut: {
        text_omitted_chars: textOmittedChars,
        omitted_lines: display.omitted_lines,
        omitted_chars: display.omitted_chars,
        cut_by: cutBy,
      },
    });
  }
  return {
    ...output,
    results,
    omitted_results: omittedResults,
    omitted_errors: omittedErrors,
    omitted_because: omittedBecause,
  };
}

function advance({ ms }, replayedHostTime) {
  setHostTime(replayedHostTime);
  redis.advance(ms);
  return { now_ms: redis.now() };
}

// Rebuilds a server from the page's log: a reset, then the runs and clock moves since, each
// at the host time it first ran at. The clock then goes on from `hostTimeMs` (the host
// time when the page asked, by its estimate, `sentAt` on the shared wall clock), so
// virtual time does not jump although this worker's performance.now() started at another
// moment.
async function replay({ steps, hostTimeMs: asked, sentAt, recordSteps: record }) {
  const received = performance.now();
  if (record !== undefined) recordSteps = Boolean(record);
  // The time this message took to arrive (a new worker loads its script first); bounded,
  // in case the wall clock was changed meanwhile.
  const transit = Math.min(60_000, Math.max(0, performance.timeOrigin + received - sentAt || 0));
  const continueFrom = asked + transit;
  await start();
  const [first, ...rest] = steps;
  if (first?.op !== "reset") throw new Error("a replay starts with a reset");
  const state = reset(first.args, first.hostTimeMs);
  // The clients as the last step left them (a consumer still waiting, say).
  let clients = state.clients;
  for (const step of rest) {
    if (step.op === "run") clients = run(step.args, step.hostTimeMs).clients ?? clients;
    else if (step.op === "advance") advance(step.args, step.hostTimeMs);
    else if (step.op === "tick") clients = tick(step.args, step.hostTimeMs).clients ?? clients;
    else throw new Error(`cannot replay ${step.op}`);
  }
  const lastStep = steps.at(-1).hostTimeMs;
  const startTimeMs = first.args.startTimeMs;
  clock = { startTimeMs, since: received - (Math.max(continueFrom, lastStep) - startTimeMs) };
  setHostTime();
  return { now_ms: redis.now(), setup_error: state.setup_error, clients, engine: ENGINE };
}

const ops = {
  async init(args) {
    if (args.recordSteps !== undefined) recordSteps = Boolean(args.recordSteps);
    await start();
    const state = reset(args);
    if (args.setup) holdIfAsked("setup");
    return { ...state, commands: redis.commands(), engine: ENGINE };
  },
  reset(args) {
    const state = reset(args);
    if (args.setup) holdIfAsked("setup");
    return state;
  },
  run(args) {
    const output = run(args);
    holdIfAsked("run");
    return output;
  },
  advance: (args) => advance(args),
  tick: (args) => tick(args),
  // The page's step timeline: run and tick answers carry `steps` while on (kept by an
  // engine that replaces this one: the Lua engine, a rebuilt worker told at init).
  setRecordSteps({ on }) {
    recordSteps = Boolean(on);
    redis.setRecordSteps(recordSteps);
    return { on: recordSteps };
  },
  replay,
  snapshot({ maxKeys = 200 } = {}) {
    setHostTime();
    return redis.snapshot(maxKeys);
  },
  check({ checks }) {
    setHostTime();
    return { results: redis.check(checks), now_ms: redis.now() };
  },
  now() {
    setHostTime();
    return { now_ms: redis.now() };
  },
};

// Operations that change the server: one that throws part-way may have left it half
// changed, which the page's log cannot describe, so the page rebuilds it.
const CHANGES_STATE = new Set(["reset", "run", "advance", "tick"]);

self.onmessage = async (event) => {
  const { id, op, ...args } = event.data;
  try {
    if (!ops[op]) throw new Error(`unknown operation ${op}`);
    if (op !== "init" && op !== "replay" && !redis) throw new Error("the engine is not started");
    const value = await ops[op](args);
    // The clock's reading as this answer leaves, on the wall clock all threads share: a
    // worker that replaces this one goes on from there, however long the answer then waits
    // for the page to read it (engine-client.js, estimatedHostTime).
    const reading = { host_time_ms: liveHostTime(), wall_ms: performance.timeOrigin + performance.now() };
    self.postMessage({ id, ok: true, value, host_time_ms: hostTimeMs, clock: reading });
  } catch (error) {
    // A WebAssembly trap or an abort (out of memory included) leaves the module unusable;
    // the page then starts another worker and rebuilds the server there (crashed: true).
    const trapped = error instanceof WebAssembly.RuntimeError || error instanceof RangeError ||
      typeof error === "number" || /abort/i.test(String(error));
    const crashed = op !== "init" && op !== "replay" && (trapped || CHANGES_STATE.has(op));
    if (crashed) redis = null;
    // A C++ exception nothing caught reaches JavaScript as a bare number (its address).
    const message = typeof error === "number" ? "an uncaught C++ exception" : String(error?.message ?? error);
    self.postMessage({ id, ok: false, error: message, crashed });
  }
};
