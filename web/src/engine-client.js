// The page's side of the engine worker: promise-based calls; a time limit on a call (a
// Run that is still going after a few seconds); and, when a worker has to go (stuck,
// stopped, crashed), a new one rebuilt to the state the server had before that call.
//
// The engine cannot save its state, so the state is rebuilt by replay: ReplayLog keeps
// every operation that changed the server since the last reset (the reset itself, each
// completed run, each clock move, each tick: time let pass for clients blocked with a
// timeout) with the host time the worker ran it at, and the new
// worker runs them again at those same host times (worker.js, `replay`).
//
// Lua: the page starts on the engine without Lua (redpad-engine, the smaller download). The
// first call that needs Lua (a Run, a lesson's setup or a task check with EVAL, EVALSHA,
// EVAL_RO, EVALSHA_RO or SCRIPT) switches to a worker running redpad-engine-lua: the same
// replay rebuilds the server there, the old worker serving on until the new one is ready
// (if it cannot load, the call fails and nothing is lost), and every later worker (restarts,
// restores) runs the engine with Lua too.
import { checksNeedLua, scriptNeedsLua } from "../engine/redpad.mjs";

export class EngineError extends Error {
  // kind: "stopped" (Stop), "timeout" (the call's time limit), "crashed" (a WebAssembly
  // trap or out of memory), "restarting" (a call dropped because its worker is being
  // replaced for one of those), "fatal" (the worker cannot start), "lua" (the call needed
  // the engine with Lua, which could not be loaded or was stopped while loading: nothing
  // ran, the server is as it was) or "failed".
  // reason: for kind "lua", why the engine with Lua did not load, in a few words.
  constructor(message, { kind = "failed", reason = null } = {}) {
    super(message);
    this.kind = kind;
    this.reason = reason;
  }

  // The worker went away with this call: the page restores the server (or already is).
  get lostWorker() {
    return ["stopped", "timeout", "crashed", "restarting"].includes(this.kind);
  }

  get fatal() {
    return this.kind === "fatal";
  }
}

// How much script text the log keeps for a replay: 32 M characters (64 MB at most as
// JavaScript strings). A 100,000-line paste is about 3 M characters, so a learner never
// meets it; a script run many times is kept once (runs of the same text share it). Past
// it, the log is given up (`complete` false) until the next reset, and a restore can only
// give back the lesson's fresh server, which the page then says.
export const REPLAY_LIMITS = { chars: 32 * 1024 * 1024, steps: 100_000 };

export class ReplayLog {
  constructor(limits = REPLAY_LIMITS) {
    this.limits = limits;
    this.clear();
  }

  clear() {
    this.steps = []; // [{ op: "reset" | "run" | "advance" | "tick", args, hostTimeMs }]
    this.scripts = new Map(); // script text -> the one copy the steps share
    this.chars = 0;
    this.complete = true;
  }

  // A reply to `op` that succeeded, from a worker that ran it at host time `hostTimeMs`.
  record(op, args, hostTimeMs) {
    if (op === "init" || op === "reset") {
      this.clear();
      const { startTimeMs, seed, setup } = args;
      this.steps.push({ op: "reset", args: { startTimeMs, seed, setup }, hostTimeMs });
      this.chars = String(args.setup ?? "").length;
      return;
    }
    if (op !== "run" && op !== "advance" && op !== "tick") return;
    if (!this.complete || this.steps.length === 0) return;
    let step;
    if (op === "run") {
      const text = String(args.script);
      let script = this.scripts.get(text);
      if (script === undefined) {
        script = text;
        this.scripts.set(text, script);
        this.chars += text.length;
      }
      step = { op, args: { script, transcript: args.transcript ?? true }, hostTimeMs };
    } else if (op === "advance") {
      step = { op, args: { ms: args.ms }, hostTimeMs };
    } else {
      // tick: what it does depends only on the clock, so its host time is all it needs.
      step = { op, args: {}, hostTimeMs };
    }
    this.steps.push(step);
    if (this.chars > this.limits.chars || this.steps.length > this.limits.steps) {
      // Too much to replay in reasonable time and memory: keep only the reset.
      this.steps.length = 1;
      this.scripts.clear();
      this.complete = false;
    }
  }

  // What a new worker replays: everything, or (when given up) the reset alone.
  get replaySteps() {
    return this.steps;
  }
}

// Whether a call to the worker needs the engine with Lua: a script to run, a lesson's setup
// (run by init and reset) or task checks whose commands call EVAL, EVALSHA, EVAL_RO,
// EVALSHA_RO or SCRIPT.
export function callNeedsLua(op, args = {}) {
  if (op === "run") return scriptNeedsLua(args.script);
  if (op === "init" || op === "reset") return scriptNeedsLua(args.setup);
  if (op === "check") return checksNeedLua(args.checks);
  return false;
}

// A worker's address for the engine with Lua (worker.js reads `?engine=lua`).
export function luaWorkerUrl(workerUrl) {
  const url = new URL(String(workerUrl), globalThis.location?.href);
  url.searchParams.set("engine", "lua");
  return url;
}

export class EngineClient {
  constructor(workerUrl) {
    this.workerUrl = workerUrl;
    this.worker = null;
    this.pending = new Map();
    this.nextId = 1;
    this.busy = 0;
    this.onBusyChange = () => {};
    this.log = new ReplayLog();
    this.started = false; // an init has succeeded on some worker
    // The last host time a worker reported, and when (this page's performance.now()): a
    // replacement worker's clock continues from here. Workers report their clock's reading
    // as they answer, so neither the operation's length nor the time its answer waited for
    // the page is lost.
    this.hostClock = { hostTimeMs: null, at: 0 };
    // Whether workers run the engine with Lua (from the first call that needed it on).
    this.lua = false;
    // Whether the page asked workers to record the timeline's steps (setRecordSteps).
    this.recordSteps = false;
    // While switching to it: the promise of the switch (calls made meanwhile wait for it),
    // and the worker being loaded and rebuilt.
    this.switching = null;
    this.incoming = null;
    // Told when the engine with Lua starts and stops loading (true, then false).
    this.onLuaLoading = () => {};
    this.idleWaiters = [];
  }

  // The address of a new worker: with Lua once the page needed it.
  newWorker() {
    return new Worker(this.lua ? luaWorkerUrl(this.workerUrl) : this.workerUrl, { type: "module" });
  }

  start() {
    if (this.worker) this.replaceWorker(new EngineError("restarting", { kind: "restarting" }));
    // The first start adopts the worker boot.js began as the page loaded (same script, the
    // engine without Lua), unless it already failed: a new one then reports why through
    // onerror below.
    const early = globalThis.redpadEarlyWorker;
    globalThis.redpadEarlyWorker = null;
    if (early && (early.redpadFailed || this.lua)) early.terminate();
    this.attach(early && !early.redpadFailed && !this.lua ? early : this.newWorker());
  }

  attach(worker) {
    this.worker = worker;
    this.listen(worker);
  }

  // Answers from `worker`: the current one, or the one a switch to Lua is rebuilding.
  listen(worker) {
    const current = () => worker === this.worker || worker === this.incoming?.worker;
    worker.onmessage = (event) => {
      if (!current()) return;
      const { id, ok, value, error, crashed, host_time_ms: hostTimeMs, clock } = event.data;
      const call = this.pending.get(id);
      if (!call) return;
      this.pending.delete(id);
      clearTimeout(call.timer);
      this.setBusy(-1);
      if (typeof clock?.host_time_ms === "number" && typeof clock.wall_ms === "number") {
        // The worker's reading as it answered, moved onto this page's performance.now().
        this.hostClock = { hostTimeMs: clock.host_time_ms, at: clock.wall_ms - performance.timeOrigin };
      } else if (typeof hostTimeMs === "number") {
        this.hostClock = { hostTimeMs, at: performance.now() };
      }
      if (ok) {
        if (call.op === "init" || call.op === "replay") this.started = true;
        // Steps recorded (the page's timeline): a worker that replaces this one records too.
        if (call.op === "setRecordSteps") this.recordSteps = Boolean(call.args.on);
        this.log.record(call.op, call.args, hostTimeMs);
        call.resolve(value);
      } else if (crashed && worker === this.worker) {
        // The worker's engine is unusable: end it now, so nothing else queues behind it.
        this.replaceWorker(new EngineError(error, { kind: "restarting" }));
        call.reject(new EngineError(error, { kind: "crashed" }));
      } else {
        call.reject(new EngineError(error));
      }
      this.checkIdle();
    };
    // The worker's script failed to load or threw at the top level: before any start,
    // the engine cannot run here; after one, the worker broke (the page rebuilds it).
    worker.onerror = (event) => {
      event.preventDefault?.();
      if (!current()) return;
      const message = event.message || "the engine's worker could not start";
      if (worker === this.incoming?.worker) {
        this.incoming.fail(new EngineError(message));
        return;
      }
      this.failAll(new EngineError(message, { kind: this.started ? "crashed" : "fatal" }));
    };
  }

  // Resolves once no call is waiting for an answer.
  idle() {
    if (this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  checkIdle() {
    if (this.pending.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  setBusy(delta) {
    this.busy += delta;
    this.onBusyChange(this.busy > 0);
  }

  // Calls the worker. With { timeoutMs }, a call still going after that long ends the
  // worker and fails with kind "timeout". A call that needs Lua on a worker without it
  // switches to the engine with Lua first (a call made during the switch waits for it).
  call(op, args = {}, options = {}) {
    if (this.switching) {
      const again = () => this.call(op, args, options);
      return this.switching.then(again, again);
    }
    if (!this.worker) return Promise.reject(new EngineError("the engine is not running", { kind: "fatal" }));
    if (!this.lua && callNeedsLua(op, args)) return this.useLua().then(() => this.call(op, args, options));
    return this.send(this.worker, op, args, options);
  }

  send(worker, op, args = {}, { timeoutMs } = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const call = { resolve, reject, op, args, worker, timer: null };
      if (timeoutMs > 0) {
        call.timer = setTimeout(() => {
          if (this.pending.get(id) !== call) return;
          this.replaceWorker(new EngineError(`still running after ${timeoutMs} ms`, { kind: "timeout" }), id);
        }, timeoutMs);
      }
      this.pending.set(id, call);
      this.setBusy(1);
      worker.postMessage({ id, op, ...args });
    });
  }

  // Switches to the engine with Lua (once; calls made meanwhile wait). Rejects with kind
  // "lua" when it cannot: the current worker and its server are then untouched.
  useLua() {
    if (this.lua) return Promise.resolve();
    this.switching ??= this.switchToLua().finally(() => {
      this.switching = null;
    });
    return this.switching;
  }

  async switchToLua() {
    this.onLuaLoading(true);
    // Stop (or the new worker failing to load its script) gives the switch up at any point.
    let fail;
    const failed = new Promise((_, reject) => (fail = reject));
    failed.catch(() => {});
    const incoming = { worker: null, fail };
    this.incoming = incoming;
    try {
      // Calls already sent end on the current worker first, so that the log the new worker
      // replays holds what they changed.
      await Promise.race([this.idle(), failed]);
      const steps = this.log.replaySteps;
      incoming.worker = new Worker(luaWorkerUrl(this.workerUrl), { type: "module" });
      this.listen(incoming.worker);
      if (steps.length > 0) {
        // Rebuilt by replay, as restore() does, while the current worker stays as it is.
        const replayed = this.send(incoming.worker, "replay", {
          steps,
          hostTimeMs: this.estimatedHostTime() ?? steps.at(-1).hostTimeMs,
          sentAt: performance.timeOrigin + performance.now(),
          recordSteps: this.recordSteps,
        });
        await Promise.race([replayed, failed]);
      }
      const old = this.worker;
      this.incoming = null;
      this.lua = true;
      this.attach(incoming.worker);
      old?.terminate();
    } catch (error) {
      this.dropIncoming(incoming);
      if (error?.kind === "stopped") {
        throw new EngineError(
          "Stopped while the engine for Lua scripts was loading: nothing ran, the keys are as they were.",
          { kind: "lua", reason: "stopped" },
        );
      }
      const reason = String(error?.message ?? error);
      throw new EngineError(
        "Lua scripts (EVAL, EVALSHA, SCRIPT) need the Redis engine with Lua, which could not be " +
          `loaded: ${reason}. Nothing ran: the keys are as they were.`,
        { kind: "lua", reason },
      );
    } finally {
      this.onLuaLoading(false);
    }
  }

  // Ends the worker a failed switch to Lua was loading, and drops its call.
  dropIncoming(incoming) {
    if (this.incoming === incoming) this.incoming = null;
    const { worker } = incoming;
    if (!worker) return;
    worker.terminate();
    for (const [id, call] of this.pending) {
      if (call.worker !== worker) continue;
      this.pending.delete(id);
      clearTimeout(call.timer);
      this.setBusy(-1);
      call.reject(new EngineError("dropped", { kind: "restarting" }));
    }
    this.checkIdle();
  }

  failAll(error, primaryId = null) {
    const calls = [...this.pending.entries()];
    this.pending.clear();
    this.busy = 0;
    this.onBusyChange(false);
    for (const [id, call] of calls) {
      clearTimeout(call.timer);
      // Only the call the error is about gets it; the others were merely dropped with it.
      const own = primaryId === null || id === primaryId;
      call.reject(own ? error : new EngineError(error.message, { kind: "restarting" }));
    }
    this.checkIdle();
  }

  // Ends the worker, whatever it is doing; restore() (or start()) makes another.
  replaceWorker(error, primaryId = null) {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(error, primaryId);
  }

  // Stop: ends the worker in the middle of whatever it runs (a long Run). While the engine
  // with Lua loads, Stop gives that up instead: the current worker has nothing running.
  stop() {
    if (this.incoming) {
      this.incoming.fail(new EngineError("stopped", { kind: "stopped" }));
      return;
    }
    this.replaceWorker(new EngineError("stopped", { kind: "stopped" }));
  }

  // The host time now, by the last one a worker reported plus real time since.
  estimatedHostTime() {
    const { hostTimeMs, at } = this.hostClock;
    return hostTimeMs === null ? null : hostTimeMs + (performance.now() - at);
  }

  // A new worker with the server as it was after the last completed operation: the log
  // replayed there. No time limit (a long history takes as long as it first took).
  // Returns { now_ms, setup_error, clients, complete }: complete is false when the log had
  // been given up, so the server is the lesson's fresh one.
  async restore() {
    this.replaceWorker(new EngineError("restarting", { kind: "restarting" }));
    this.attach(this.newWorker());
    const steps = this.log.replaySteps;
    if (steps.length === 0) throw new EngineError("nothing to restore: the engine never started", { kind: "fatal" });
    const complete = this.log.complete;
    const hostTimeMs = this.estimatedHostTime() ?? steps.at(-1).hostTimeMs;
    const state = await this.call("replay", {
      steps,
      hostTimeMs,
      sentAt: performance.timeOrigin + performance.now(),
      recordSteps: this.recordSteps,
    });
    return { ...state, complete };
  }
}
