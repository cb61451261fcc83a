// The step timeline's reasoning in Node (web/src/timeline-model.js), with hand-made steps
// in the engine's form (the `steps` of a run or tick answer): the keyspace at a step (the
// snapshot before the Run plus every change up to it; `keyspace` replacing it), the marks
// of the keys a step touched, the TTL on the step's clock, and the words for each kind of
// step. Also the links' text between clients (timeline-links.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { keysAt, stepWords, ttlAt, commandOf, changeWords, previewText } from "../../web/src/timeline-model.js";
import { linkLabel } from "../../web/src/timeline-links.js";

const T0 = Date.UTC(2025, 0, 1, 9, 0, 0); // 09:00:00 on the lesson clock
const str = (preview, expireAt = -1, size = 1) => ({
  type: "string",
  encoding: "embstr",
  size,
  expire_at_ms: expireAt,
  preview: [preview],
});
const list = (size, preview = []) => ({ type: "list", encoding: "listpack", size, expire_at_ms: -1, preview });
const step = (id, fields) => ({
  id,
  kind: "command",
  result: id - 1,
  client: "main",
  line: id,
  now_ms: T0 + id,
  changes: [],
  changes_omitted: 0,
  keyspace: null,
  caused_by: null,
  watch_key: null,
  ...fields,
});
const change = (key, kind, before, after, extra = {}) => ({ db: 0, key, change: kind, before, after, ...extra });

const base = {
  db: 0,
  now_ms: T0,
  total: 2,
  keys: [
    { key: "cart:1", ...list(3, ['"a"', '"b"', '"c"']) },
    { key: "old", ...str('"x"') },
  ],
};

const steps = [
  step(1, { changes: [change("lock:task", "added", null, str('"w1"', T0 + 60_000))] }),
  step(2, { changes: [change("cart:1", "changed", list(3), list(4, ['"a"', '"b"', '"c"', '"d"']))] }),
  step(3, { changes: [change("old", "deleted", str('"x"'), null)] }),
  step(4, { changes: [change("other", "added", null, str('"y"'), { db: 1 })] }),
  step(5, {
    kind: "expired",
    result: null,
    client: null,
    line: null,
    now_ms: T0 + 61_000,
    changes: [change("lock:task", "expired", str('"w1"', T0 + 60_000), null, { at_ms: T0 + 60_000 })],
  }),
];

const names = (rows) => rows.map((row) => `${row.key}${row.mark ? `:${row.mark}` : ""}${row.gone ? "(gone)" : ""}`);

test("the keys at each step: the snapshot before the Run plus the changes up to it", () => {
  assert.deepEqual(names(keysAt(base, steps, 0)), ["cart:1", "lock:task:added", "old"]);
  assert.deepEqual(names(keysAt(base, steps, 1)), ["cart:1:changed", "lock:task", "old"]);
  assert.equal(keysAt(base, steps, 1)[0].summary.size, 4);
  // Deleted: still listed (struck out on the page) at its step, gone after it.
  assert.deepEqual(names(keysAt(base, steps, 2)), ["cart:1", "lock:task", "old:deleted(gone)"]);
  // Another database's change does not touch the shown one (db 0).
  assert.deepEqual(names(keysAt(base, steps, 3)), ["cart:1", "lock:task"]);
  assert.deepEqual(names(keysAt(base, steps, 4)), ["cart:1", "lock:task:expired(gone)"]);
});

test("a step with `keyspace` (FLUSHDB, SWAPDB) replaces the state", () => {
  const flushed = [
    ...steps.slice(0, 2),
    step(3, {
      changes: [change("cart:1", "deleted", list(4), null)],
      keyspace: { db: 0, now_ms: T0 + 3, total: 1, keys: [{ key: "swapped", ...str('"z"') }] },
    }),
    step(4, { changes: [change("n", "added", null, str('"1"'))] }),
  ];
  assert.deepEqual(names(keysAt(base, flushed, 2)), ["cart:1:deleted(gone)", "swapped"]);
  assert.deepEqual(names(keysAt(base, flushed, 3)), ["n:added", "swapped"]);
});

test("no snapshot before the Run: the steps' keys alone", () => {
  assert.deepEqual(names(keysAt(null, steps, 0)), ["lock:task:added"]);
});

test("the TTL at a step is read on the step's clock", () => {
  assert.equal(ttlAt(str('"w1"', T0 + 60_000), T0 + 1), 59_999);
  assert.equal(ttlAt(str('"w1"'), T0), null);
  assert.equal(ttlAt(str('"w1"', T0 + 10), T0 + 20), 0);
});

test("command names and options", () => {
  assert.deepEqual(commandOf('set lock "w 1" NX'), { name: "SET", args: ["lock", "w 1", "NX"] });
  assert.equal(commandOf("").name, "");
});

const results = [
  { kind: "command_reply", text: "SET lock:task w1 NX EX 60", display: "OK\n" },
  { kind: "command_reply", text: "RPUSH cart:1 d", display: "(integer) 4\n" },
];

test("words: a key created with a TTL, a list grown, a key deleted, a key expired", () => {
  assert.equal(stepWords(steps[0], { result: results[0] }), "lock:task created with a TTL of 60 s");
  assert.equal(stepWords(steps[1], { result: results[1] }), "cart:1 changed: 3 → 4 items");
  assert.equal(stepWords(steps[2], { result: { text: "DEL old", display: "(integer) 1\n" } }), "old deleted");
  assert.equal(stepWords(steps[4]), "lock:task expired at 09:01:00");
  assert.equal(
    stepWords(step(9, { changes: [change("q", "added", null, list(2))] }), { result: { text: "LPUSH q a b" } }),
    "q created as a list of 2 items",
  );
  assert.equal(
    stepWords(step(9, { changes: [change("other", "added", null, str('"y"'), { db: 1 })] }), { result: { text: "SET other y" } }),
    "other (db 1) created",
  );
});

test("words: a string's new value, a TTL set or removed, another client's command", () => {
  const set = step(2, { client: "worker-1", changes: [change("n", "changed", str('"1"'), str('"2"'))] });
  assert.equal(stepWords(set, { result: { text: "INCR n" } }), 'n changed: now "2" (worker-1\'s INCR)');
  const expire = step(3, { now_ms: T0, changes: [change("n", "changed", str('"2"'), str('"2"', T0 + 30_000))] });
  assert.equal(stepWords(expire, { result: { text: "EXPIRE n 30" } }), 'n changed: now "2", TTL 30 s');
  const persist = step(4, { changes: [change("n", "changed", str('"2"', T0 + 30_000), { ...str('"2"'), preview: [] })] });
  assert.equal(stepWords(persist, { result: { text: "PERSIST n" } }), "n changed: no TTL any more");
  const retype = step(5, { changes: [change("k", "changed", str('"v"'), list(1, ['"a"']))] });
  assert.equal(stepWords(retype, { result: { text: "EVAL ..." } }), "k changed: now a list (was a string)");
});

test("words: commands that changed nothing say why when it is known", () => {
  const nothing = (text, display, client = "worker-2", extra = {}) =>
    stepWords(step(6, { client }), { result: { kind: "command_reply", text, display, ...extra } });
  assert.equal(nothing("SET lock:task w2 NX EX 60", "(nil)\n"), "worker-2's SET NX changed nothing: the key exists");
  assert.equal(nothing("SET k v XX", "(nil)\n", "main"), "SET XX changed nothing: the key does not exist");
  assert.equal(nothing("SETNX k v", "(integer) 0\n", "main"), "SETNX changed nothing: the key exists");
  assert.equal(nothing("HSETNX h f v", "(integer) 0\n", "main"), "HSETNX changed nothing: the field exists");
  assert.equal(nothing("MSETNX a 1 b 2", "(integer) 0\n", "main"), "MSETNX changed nothing: one of the keys exists");
  assert.equal(nothing("INCR k", "QUEUED\n", "main"), "INCR queued: it runs at EXEC");
  assert.equal(nothing("GET k", '"v"\n', "main"), "GET changed nothing");
  assert.equal(
    nothing("INCR s", "(error) ERR value is not an integer or out of range\n", "main", { error: true }),
    "INCR failed: nothing changed",
  );
});

test("words: several keys, EXEC, EVAL, FLUSHDB", () => {
  const mset = step(7, {
    changes: [change("a", "added", null, str('"1"')), change("b", "added", null, str('"2"')), change("c", "added", null, str('"3"')), change("d", "added", null, str('"4"'))],
  });
  assert.equal(stepWords(mset, { result: { text: "MSET a 1 b 2 c 3 d 4" } }), "MSET changed 4 keys: a created; b created; c created; and 1 more");
  const exec = step(8, { changes: [change("a", "changed", str('"1"'), str('"2"')), change("b", "added", null, str('"1"'))] });
  assert.equal(
    stepWords(exec, { result: { kind: "command_reply", text: "EXEC", display: "1) (integer) 2\n2) (integer) 1\n3) OK\n",
      replies: [{ type: "array", items: [{ type: "integer", value: 2 }, { type: "integer", value: 1 }, { type: "status", value: "OK" }] }] } }),
    "EXEC ran 3 commands: 2 keys changed",
  );
  // Ten or more: redis-cli pads " 1) ", the count comes from the reply itself.
  const ten = Array.from({ length: 10 }, () => ({ type: "status", value: "OK" }));
  assert.equal(
    stepWords(exec, { result: { kind: "command_reply", text: "EXEC", display: " 1) OK\n", replies: [{ type: "array", items: ten }] } }),
    "EXEC ran 10 commands: 2 keys changed",
  );
  const evalStep = step(9, { changes: [change("a", "deleted", str('"2"'), null), change("b", "deleted", str('"1"'), null)], changes_omitted: 2 });
  assert.equal(stepWords(evalStep, { result: { text: "EVAL \"...\" 0" } }), "EVAL's script changed 4 keys: a deleted; b deleted; and 2 more");
  const flush = step(10, { changes: [], keyspace: { db: 0, total: 0, keys: [] } });
  assert.equal(stepWords(flush, { result: { text: "FLUSHDB" } }), "FLUSHDB emptied the database");
});

// Earlier steps, as the recorder gives them to the words (stepById).
const earlier = new Map([
  [3, { step: step(3, { client: "main", line: 3 }), result: { text: "LPUSH jobs j1" } }],
  [5, { step: step(5, { client: "main", line: 5 }), result: { text: "SET balance 90" } }],
  [7, { step: step(7, { client: "main", line: 7 }), result: { text: "PUBLISH news hi" } }],
]);
const stepById = (id) => earlier.get(id) ?? null;

test("words: a served blocked pop, an EXEC aborted by WATCH, a message", () => {
  const served = step(4, {
    client: "worker-1",
    caused_by: 3,
    changes: [change("jobs", "deleted", list(1), null)],
  });
  assert.equal(
    stepWords(served, { result: { kind: "blocked_reply", cause: "served", text: "BLPOP jobs 0" }, stepById }),
    "worker-1's BLPOP served by main's LPUSH (step 3): jobs deleted",
  );
  const aborted = step(6, { client: "worker-1", caused_by: 5, watch_key: "balance" });
  assert.equal(
    stepWords(aborted, { result: { text: "EXEC", display: "(nil)\n" }, stepById }),
    "worker-1's EXEC aborted: balance changed in step 5 (WATCH)",
  );
  const message = step(8, { kind: "message", client: "reader-1", caused_by: 7 });
  assert.equal(stepWords(message, { result: { kind: "message" }, stepById }), "reader-1 received a message from main's PUBLISH (step 7)");
});

test("the text of a link between clients", () => {
  const { step: publish, result: published } = earlier.get(7);
  assert.equal(linkLabel(step(8, { kind: "message" }), publish, published, null), "← from main's PUBLISH, line 7");
  const { step: push, result: pushed } = earlier.get(3);
  assert.equal(linkLabel(step(4, {}), push, pushed, { text: "BLPOP jobs 0" }), "← served by main's LPUSH, line 3");
  const { step: write, result: written } = earlier.get(5);
  assert.equal(
    linkLabel(step(6, { watch_key: "balance" }), write, written, { text: "EXEC" }),
    "← aborted by main's SET, line 5 (balance changed)",
  );
});

test("a key's preview at a step", () => {
  assert.equal(previewText(list(4, ['"a"', '"b"'])), '4 items: "a", "b", …');
  assert.equal(previewText({ type: "stream", size: 1, preview: [] }), "1 entry");
  assert.equal(previewText({ ...str('"x"'), preview: [] }), "1 byte");
});

test("a change in words, one by one", () => {
  assert.equal(changeWords(change("s", "expired", str('"x"', T0 + 5000), null, { at_ms: T0 + 5000 }), T0 + 9000), "s expired at 09:00:05");
});

test("the recorder: steps across Runs, entry and editor line to step, a Run without steps, a reset", async () => {
  const { recorded, recordOutput, stepForEntry, stepForLine, stepById, clearSteps } = await import(
    "../../web/src/timeline-record.js"
  );
  const entry = () => ({ classList: { add() {} } });
  const entries = new Map();
  const entryOf = (result) => {
    if (!entries.has(result)) entries.set(result, entry());
    return entries.get(result);
  };
  const first = { results: [{ text: "SET a 1", line: 1 }, { text: "SET b 2", line: 2 }], steps: [step(1, { line: 1 }), step(2, { line: 2 })] };
  const second = { results: [{ text: "DEL a", line: 1 }], steps: [step(3, { result: 0, line: 1 })] };
  assert.equal(recordOutput(first, base, { entryOf, fromEditor: true }).first, 0);
  assert.equal(recordOutput({ results: [] }, base, { entryOf }), null); // an older engine: no steps
  const run = recordOutput(second, base, { entryOf, fromEditor: false });
  assert.equal(run.first, 2);
  assert.equal(recorded.steps.length, 3);
  assert.equal(stepForEntry(entries.get(first.results[1])), 1);
  assert.equal(stepForEntry(entries.get(second.results[0])), 2);
  assert.equal(stepForEntry(entry()), null);
  // The editor's lines are those of the latest Run from the editor (an example's are not).
  assert.equal(stepForLine(2), 1);
  assert.equal(stepForLine(3), null);
  assert.equal(stepById(3).result.text, "DEL a");
  clearSteps();
  assert.equal(recorded.steps.length, 0);
  assert.equal(stepForEntry(entries.get(first.results[1])), null);
});
