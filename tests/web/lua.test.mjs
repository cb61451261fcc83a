// Lua on demand, in Node: which scripts need the engine with Lua (scriptNeedsLua, as the
// page, the worker and redpad.mjs's users decide), which worker calls do, and the page's
// switch to a worker running redpad-engine-lua (engine-client.js), with workers faked.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checksNeedLua, scriptNeedsLua } from "../../web/engine/redpad.mjs";
import { EngineClient, EngineError, callNeedsLua, luaWorkerUrl } from "../../web/src/engine-client.js";

const RELEASE = `EVAL "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end" 1 lock:resource process-2`;

// ---------------------------------------------------------------------------------------
// scriptNeedsLua

test("scriptNeedsLua: a line whose command is EVAL, EVALSHA, EVAL_RO, EVALSHA_RO or SCRIPT", () => {
  for (const script of [
    RELEASE,
    'EVAL "return 1" 0',
    "EVALSHA b534286061d4b9e4026607613b95c06c06015ae8 0",
    'EVAL_RO "return 1" 0',
    "EVALSHA_RO ffffffffffffffffffffffffffffffffffffffff 0",
    'SCRIPT LOAD "return 1"',
    "SCRIPT EXISTS b534286061d4b9e4026607613b95c06c06015ae8",
    "SCRIPT FLUSH",
    "SCRIPT HELP",
    "EVAL", // wrong arity, but the engine with Lua is the one that says so as Redis does
  ]) {
    assert.equal(scriptNeedsLua(script), true, script);
  }
});

test("scriptNeedsLua: any case, after blanks, among other lines", () => {
  for (const script of [
    "eval 'return 1' 0",
    "Eval 'return 1' 0",
    "evalsha_ro x 0",
    "Script Load x",
    "   EVAL 'return 1' 0",
    "\tEVAL 'return 1' 0",
    "EVAL 'return 1' 0   ",
    "EVAL\t'return 1'\t0",
    "EVAL 'return 1' 0 -- a trailing comment",
    "EVAL 'return 1' 0\r", // a script with Windows line ends
    "SET a 1\nGET a\nEVAL 'return 1' 0\nGET a",
    "# the safe release\n\nSET lock:resource process-1\n" + RELEASE,
    "MULTI\nEVAL 'return 1' 0\nEXEC", // queued, then run by EXEC
    "@worker-2\nEVAL 'return 1' 0", // another client's line
    "SET a 1\n\n  \n" + RELEASE,
  ]) {
    assert.equal(scriptNeedsLua(script), true, JSON.stringify(script));
  }
});

test("scriptNeedsLua: the first word as redis-cli reads it: quotes, escapes, repeat counts", () => {
  for (const script of [
    '"EVAL" "return 1" 0',
    "'eval' 'return 1' 0",
    'EV"AL" "return 1" 0', // a quote may start inside a word
    "E'VAL' 'return 1' 0",
    '"\\x45VAL" "return 1" 0', // \x45 is E
    '"\\x65\\x76\\x61\\x6c" "return 1" 0',
    '"SCRIPT" LOAD x',
    "3 EVAL 'return 1' 0", // redis-cli's repeat count
    "  2   evalsha x 0",
    "+2 EVAL 'return 1' 0",
    '"3" EVAL x 0',
    "0 EVAL x 0", // an invalid count: nothing runs, but it errs on the side of yes
    '"EVAL', // an unclosed quote: nothing runs, but it errs on the side of yes
    '"EVAL"x 0',
  ]) {
    assert.equal(scriptNeedsLua(script), true, script);
  }
});

test("scriptNeedsLua: no line runs such a command", () => {
  for (const script of [
    "",
    "SET a 1\nGET a",
    "# EVAL 'return 1' 0", // a comment
    "   # EVAL 'return 1' 0",
    "-- EVAL 'return 1' 0", // a line that starts with "--" is all comment
    "--",
    "SET a 1 -- then EVAL it",
    "@eval", // a client switch, even named so
    "@script\nGET a",
    "SET script 1", // the word elsewhere on the line
    "GET eval",
    'ECHO "EVAL"',
    "SET a \"EVAL 'return 1' 0\"",
    "HSET scripts:1 body \"return redis.call('get', KEYS[1])\"",
    "EVALX 'return 1' 0", // other commands
    "EVAL_RW x 0",
    "SCRIPTS LOAD x",
    "FCALL f 0",
    "3 GET eval",
    "3x EVAL x 0", // not a count: the command is 3x
    "--EVAL", // not a comment, but not EVAL either
  ]) {
    assert.equal(scriptNeedsLua(script), false, JSON.stringify(script));
  }
  assert.equal(scriptNeedsLua(undefined), false);
  assert.equal(scriptNeedsLua(null), false);
});

// (How fast is for the benchmark, not for a test: this machine may be slow or busy.)
test("scriptNeedsLua: a 100,000-line script, with or without a script command at its end", () => {
  const lines = Array.from({ length: 100_000 }, (_, i) => `SET "key:${i}" 'value ${i}'`);
  assert.equal(scriptNeedsLua(lines.join("\n")), false);
  lines.push(RELEASE);
  assert.equal(scriptNeedsLua(lines.join("\n")), true);
});

test("checksNeedLua: a reply check (or one inside an after check) that runs a script", () => {
  const reply = { kind: "reply", command: 'EVAL "return 1" 0', equals: "(integer) 1" };
  assert.equal(checksNeedLua([reply]), true);
  assert.equal(checksNeedLua(JSON.stringify([{ kind: "exists", key: "a" }, reply])), true);
  assert.equal(checksNeedLua([{ kind: "after", seconds: 5, check: { ...reply, command: "evalsha x 0" } }]), true);
  assert.equal(checksNeedLua([{ kind: "reply", command: "GET eval", equals: "(nil)" }]), false);
  // A command check reads the transcript: its pattern runs nothing.
  assert.equal(checksNeedLua([{ kind: "command", pattern: "EVAL *", reply: "(integer) 0" }]), false);
  assert.equal(checksNeedLua([{ kind: "value", key: "script", equals: "EVAL" }]), false);
  assert.equal(checksNeedLua("[not json"), false);
  assert.equal(checksNeedLua([]), false);
});

test("callNeedsLua: runs, lesson setups and checks; nothing else", () => {
  assert.equal(callNeedsLua("run", { script: RELEASE }), true);
  assert.equal(callNeedsLua("run", { script: "GET a" }), false);
  assert.equal(callNeedsLua("reset", { startTimeMs: 0, seed: 0, setup: "SCRIPT LOAD x" }), true);
  assert.equal(callNeedsLua("init", { setup: "SET a 1" }), false);
  assert.equal(callNeedsLua("check", { checks: [{ kind: "reply", command: "EVAL x 0", equals: "" }] }), true);
  for (const op of ["snapshot", "advance", "tick", "now"]) assert.equal(callNeedsLua(op, {}), false);
  assert.equal(String(luaWorkerUrl("http://127.0.0.1:8080/worker-ABC.js")), "http://127.0.0.1:8080/worker-ABC.js?engine=lua");
});

// ---------------------------------------------------------------------------------------
// The switch, with fake workers: each answers every call after a macrotask; the engine with
// Lua can be told to fail its replay (a download that failed) or to hold it until released.

class FakeWorker {
  static all = [];
  static luaFails = null; // an error message for the next Lua worker's replay
  static holdLua = false; // the next Lua worker's replay waits for release()
  static waiters = []; // [{ op, resolve }]: nextMessage()

  // Resolves with the worker once any worker receives a message for `op`.
  static nextMessage(op) {
    return new Promise((resolve) => FakeWorker.waiters.push({ op, resolve }));
  }

  constructor(url) {
    this.url = String(url);
    this.lua = new URL(this.url).searchParams.get("engine") === "lua";
    this.received = [];
    this.terminated = false;
    this.failure = this.lua ? FakeWorker.luaFails : null;
    this.hold = this.lua && FakeWorker.holdLua;
    this.held = [];
    FakeWorker.all.push(this);
  }

  postMessage(sent) {
    const message = structuredClone(sent); // as a real worker gets it
    assert.equal(this.terminated, false, `a message to a terminated worker: ${message.op}`);
    this.received.push(message);
    for (const waiter of FakeWorker.waiters.filter((one) => one.op === message.op)) {
      FakeWorker.waiters.splice(FakeWorker.waiters.indexOf(waiter), 1);
      waiter.resolve(this);
    }
    if (this.hold) {
      this.held.push(message);
      return;
    }
    setTimeout(() => this.answer(message));
  }

  release() {
    this.hold = false;
    for (const message of this.held.splice(0)) setTimeout(() => this.answer(message));
  }

  answer({ id, op, script }) {
    if (this.terminated) return;
    if (op === "replay" && this.failure) {
      this.onmessage({ data: { id, ok: false, error: this.failure, crashed: false } });
      return;
    }
    // The engine without Lua answers EVAL as the real one does: the page must never see it.
    const noLua = !this.lua && op === "run" && scriptNeedsLua(script);
    const value = { now_ms: 1000, engine: this.lua ? "redpad-engine-lua" : "redpad-engine", noLua };
    this.onmessage({ data: { id, ok: true, value, host_time_ms: 1000 + this.received.length } });
  }

  terminate() {
    this.terminated = true;
  }

  ops() {
    return this.received.map((message) => message.op);
  }
}

function withFakeWorkers(fn) {
  return async () => {
    const saved = globalThis.Worker;
    globalThis.Worker = FakeWorker;
    FakeWorker.all = [];
    FakeWorker.luaFails = null;
    FakeWorker.holdLua = false;
    FakeWorker.waiters = [];
    try {
      await fn();
    } finally {
      globalThis.Worker = saved;
    }
  };
}

async function startedClient() {
  const client = new EngineClient(new URL("http://127.0.0.1:8080/worker-ABC.js"));
  const loading = [];
  client.onLuaLoading = (on) => loading.push(on);
  client.start();
  const plain = FakeWorker.all.at(-1);
  await client.call("init", { startTimeMs: 1000, seed: 0, setup: "" });
  await client.call("run", { script: "SET lock:resource process-1" });
  return { client, loading, plain };
}

test(
  "switch: a Run that needs Lua moves the server to the engine with Lua by replay, then runs there",
  withFakeWorkers(async () => {
    const { client, loading, plain } = await startedClient();
    assert.equal(plain.lua, false);
    const output = await client.call("run", { script: RELEASE }, { timeoutMs: 5000 });
    assert.equal(output.engine, "redpad-engine-lua");
    assert.equal(output.noLua, false);
    assert.equal(FakeWorker.all.length, 2);
    const lua = FakeWorker.all[1];
    assert.equal(lua.lua, true);
    assert.match(lua.url, /worker-ABC\.js\?engine=lua$/);
    // The new worker got the log (the reset and the first Run), then the script.
    assert.deepEqual(lua.ops(), ["replay", "run"]);
    assert.deepEqual(lua.received[0].steps.map((step) => step.op), ["reset", "run"]);
    assert.equal(lua.received[0].steps[1].args.script, "SET lock:resource process-1");
    assert.equal(lua.received[1].script, RELEASE);
    // The old worker never saw the script, and is gone.
    assert.deepEqual(plain.ops(), ["init", "run"]);
    assert.equal(plain.terminated, true);
    assert.equal(client.lua, true);
    assert.deepEqual(loading, [true, false]);
    // The log goes on: the script is in it for the next replay.
    assert.deepEqual(client.log.steps.map((step) => step.op), ["reset", "run", "run"]);

    // From now on every worker runs the engine with Lua: no second switch, and a restore
    // (after a crash, Stop or a time limit) or a restart makes a worker with Lua.
    await client.call("run", { script: 'EVAL "return 2" 0' });
    assert.equal(FakeWorker.all.length, 2);
    await client.restore();
    assert.equal(FakeWorker.all.length, 3);
    assert.equal(FakeWorker.all[2].lua, true);
    assert.deepEqual(FakeWorker.all[2].ops(), ["replay"]);
    client.start();
    assert.equal(FakeWorker.all[3].lua, true);
    assert.deepEqual(loading, [true, false], "loaded once");
  }),
);

test(
  "switch: the engine with Lua fails to load: the call fails clearly, the old worker keeps the server",
  withFakeWorkers(async () => {
    const { client, loading, plain } = await startedClient();
    FakeWorker.luaFails = "/engine/redpad-engine-lua.wasm answered HTTP 404";
    const error = await client.call("run", { script: RELEASE }).then(
      () => assert.fail("the Run should fail"),
      (failure) => failure,
    );
    assert.ok(error instanceof EngineError);
    assert.equal(error.kind, "lua");
    assert.equal(error.lostWorker, false);
    assert.match(error.message, /need the Redis engine with Lua, which could not be loaded/);
    assert.match(error.message, /redpad-engine-lua\.wasm answered HTTP 404/);
    assert.match(error.message, /Nothing ran: the keys are as they were\./);
    assert.equal(FakeWorker.all[1].terminated, true);
    assert.equal(plain.terminated, false);
    assert.equal(client.lua, false);
    assert.deepEqual(loading, [true, false]);
    assert.deepEqual(plain.ops(), ["init", "run"], "the script never reached the engine without Lua");
    assert.deepEqual(client.log.steps.map((step) => step.op), ["reset", "run"]);
    assert.equal(client.pending.size, 0);
    // The page goes on with the old worker, and a later script tries again.
    await client.call("run", { script: "GET lock:resource" });
    assert.deepEqual(plain.ops(), ["init", "run", "run"]);
    FakeWorker.luaFails = null;
    await client.call("run", { script: RELEASE });
    assert.equal(client.lua, true);
    assert.deepEqual(FakeWorker.all[2].received[0].steps.map((step) => step.op), ["reset", "run", "run"]);
  }),
);

test(
  "switch: calls made while the engine with Lua loads wait for it, in order; Stop gives the load up",
  withFakeWorkers(async () => {
    const { client, plain } = await startedClient();
    FakeWorker.holdLua = true;
    const order = [];
    const replaying = FakeWorker.nextMessage("replay");
    const script = client.call("run", { script: RELEASE }).then((value) => order.push("run") && value);
    await replaying; // the engine with Lua is loading (its replay held)
    const snapshot = client.call("snapshot", { maxKeys: 200 }).then(() => order.push("snapshot"));
    const advance = client.call("advance", { ms: 1000 }).then(() => order.push("advance"));
    // Every promise job queued so far has run (a macrotask later): a call that did not wait
    // for the switch would have been sent by now.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(plain.ops(), ["init", "run"], "nothing reaches the old worker meanwhile");
    const lua = FakeWorker.all[1];
    assert.deepEqual(lua.ops(), ["replay"]);
    lua.release();
    await Promise.all([script, snapshot, advance]);
    assert.deepEqual(order, ["run", "snapshot", "advance"]);
    assert.deepEqual(lua.ops(), ["replay", "run", "snapshot", "advance"]);

    // Stop while it loads: the script fails with kind "lua", the old worker is untouched.
    const other = await startedClient();
    FakeWorker.holdLua = true;
    const loading = FakeWorker.nextMessage("replay");
    const stopped = other.client.call("run", { script: RELEASE });
    const loadingWorker = await loading;
    assert.equal(loadingWorker, FakeWorker.all.at(-1));
    assert.equal(loadingWorker.lua, true);
    other.client.stop();
    const error = await stopped.then(() => assert.fail("stopped"), (failure) => failure);
    assert.equal(error.kind, "lua");
    assert.match(error.message, /^Stopped while the engine for Lua scripts was loading: nothing ran/);
    assert.equal(loadingWorker.terminated, true);
    assert.equal(other.plain.terminated, false);
    assert.equal(other.client.lua, false);
    await other.client.call("run", { script: "GET a" });
    assert.deepEqual(other.plain.ops(), ["init", "run", "run"]);
  }),
);

test(
  "switch: a lesson setup or a task check that needs Lua switches too",
  withFakeWorkers(async () => {
    const { client } = await startedClient();
    await client.call("check", { checks: [{ kind: "reply", command: "EVAL 'return 1' 0", equals: "(integer) 1" }] });
    assert.equal(client.lua, true);
    assert.deepEqual(FakeWorker.all[1].ops(), ["replay", "check"]);

    const other = await startedClient();
    await other.client.call("reset", { startTimeMs: 0, seed: 0, setup: "SCRIPT LOAD 'return 1'" });
    assert.equal(other.client.lua, true);
    assert.deepEqual(FakeWorker.all.at(-1).ops(), ["replay", "reset"]);
  }),
);
