// Several clients on the page, in Node (docs/clients.md): which outputs are shown in a
// column per client, how entries are laid out in rows in the order they happened, when
// the page lets time pass for blocked commands (tick), the column heads' badges, `@name`
// lines in the editor and in expected outputs, and tick in the replay log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { StringStream } from "@codemirror/language";
import {
  anyBlocked,
  causeText,
  clientBadges,
  clientNamesIn,
  clientOfLine,
  colourSlot,
  columnsFor,
  earliestTimeout,
  hasClientSegments,
  involvesClients,
  isClientLine,
  isCommandEntry,
  layoutRows,
  parseClientSegments,
  sameMoment,
  stuckHints,
  tickDelay,
  waitingText,
} from "../../web/src/clients.js";
import { compactPromptText } from "../../web/src/output-text.js";
import { learnCommands } from "../../web/src/commands.js";
import { tokenizeLines } from "../../web/src/redis-mode.js";
import { ReplayLog } from "../../web/src/engine-client.js";

const entry = (client, line, text, kind = "command_reply", extra = {}) => ({
  client,
  line,
  text,
  kind,
  display: "",
  error: false,
  ...extra,
});

// A row as [client: text, ...] for readable assertions.
const shape = (rows, columns) =>
  rows.map((row) =>
    row.clear
      ? "clear"
      : [...row.cells.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([column, result]) => `${columns[column]}: ${result.kind === "message" ? "message" : result.text}${result.kind === "blocked_reply" ? ` (${result.cause})` : ""}`)
          .join(" | "),
  );

test("clients: a Run is shown in columns only when another client than main has an entry", () => {
  assert.equal(involvesClients({ results: [entry("main", 1, "PING"), entry("main", 2, "GET a")] }), false);
  assert.equal(involvesClients({ results: [{ line: 1, text: "PING", kind: "command_reply" }] }), false, "no client: main");
  assert.equal(involvesClients({ results: [entry("w1", 2, "PING")] }), true, "one client, not main");
  assert.equal(involvesClients({ results: [entry("main", 1, "PING"), entry("w1", 3, "PING")] }), true);
  // A server where others are connected (multi_client) but a Run of main alone: as always.
  assert.equal(involvesClients({ multi_client: true, results: [entry("main", 1, "PING")] }), false);
  assert.equal(involvesClients({ results: [] }), false);
  assert.equal(involvesClients(undefined), false);
});

test("clients: columns follow the order of connection; clients without entries have none", () => {
  const clients = [{ name: "main" }, { name: "consumer" }, { name: "producer" }, { name: "idle" }];
  const results = [entry("producer", 4, "LPUSH jobs a"), entry("consumer", 2, "BLPOP jobs 0", "blocked_reply", { cause: "served" })];
  assert.deepEqual(columnsFor(results, clients), ["consumer", "producer"]);
  // Without a client list: order of appearance. A tick continuing a grid keeps its columns.
  assert.deepEqual(columnsFor(results, []), ["producer", "consumer"]);
  assert.deepEqual(columnsFor([entry("late", 1, "PING")], clients, ["consumer", "producer"]), ["consumer", "producer", "late"]);
  assert.deepEqual(columnsFor([{ kind: "clear", line: 1, text: "clear" }], clients), []);
});

test("clients: a lock race is a row per entry, each in its client's column", () => {
  const results = [
    entry("worker-1", 2, "SET lock:report worker-1 NX EX 30"),
    entry("worker-2", 4, "SET lock:report worker-2 NX EX 30"),
    entry("worker-2", 5, "GET lock:report"),
  ];
  const columns = columnsFor(results, []);
  assert.deepEqual(columns, ["worker-1", "worker-2"]);
  const rows = layoutRows(results, columns);
  assert.deepEqual(shape(rows, columns), [
    "worker-1: SET lock:report worker-1 NX EX 30",
    "worker-2: SET lock:report worker-2 NX EX 30",
    "worker-2: GET lock:report",
  ]);
  assert.equal(rows[1].first, results[1]);
});

test("clients: a served BLPOP shares the row of the LPUSH that served it; its next lines follow", () => {
  const results = [
    entry("consumer", 2, "BLPOP jobs 0", "blocked"),
    entry("producer", 4, "LPUSH jobs a"),
    entry("consumer", 2, "BLPOP jobs 0", "blocked_reply", { cause: "served" }),
    entry("consumer", 3, "LLEN jobs"),
    entry("producer", 5, "DEBUG SLEEP 2"),
    entry("slow", 7, "BLPOP other 1", "blocked_reply", { cause: "timeout" }),
  ];
  const columns = columnsFor(results, [{ name: "consumer" }, { name: "producer" }, { name: "slow" }]);
  const rows = layoutRows(results, columns);
  assert.deepEqual(shape(rows, columns), [
    "consumer: BLPOP jobs 0",
    "consumer: BLPOP jobs 0 (served) | producer: LPUSH jobs a",
    "consumer: LLEN jobs",
    "producer: DEBUG SLEEP 2",
    // A timeout is not caused by the line before it: a row of its own.
    "slow: BLPOP other 1 (timeout)",
  ]);
  // The row's first entry (its line in the gutter) is the cause, the LPUSH.
  assert.equal(rows[1].first.text, "LPUSH jobs a");
});

test("clients: a PUBLISH and the messages it delivers share a row, whichever the engine lists first", () => {
  const published = [
    entry("sub-1", 1, "SUBSCRIBE news"),
    entry("sub-2", 3, "PSUBSCRIBE n*"),
    entry("pub", 5, "PUBLISH news hi"),
    entry("sub-1", 5, "", "message"),
    entry("sub-2", 5, "", "message"),
    entry("pub", 6, "PING"),
  ];
  const columns = ["sub-1", "sub-2", "pub"];
  assert.deepEqual(shape(layoutRows(published, columns), columns), [
    "sub-1: SUBSCRIBE news",
    "sub-2: PSUBSCRIBE n*",
    "sub-1: message | sub-2: message | pub: PUBLISH news hi",
    "pub: PING",
  ]);
  const messagesFirst = [entry("sub-1", 5, "", "message"), entry("pub", 5, "PUBLISH news hi")];
  assert.deepEqual(shape(layoutRows(messagesFirst, columns), columns), ["sub-1: message | pub: PUBLISH news hi"]);
  // Two messages to one subscriber (its channel and a pattern): the second in a row below.
  const twice = [entry("pub", 5, "PUBLISH news hi"), entry("sub-1", 5, "", "message"), entry("sub-1", 5, "", "message")];
  assert.deepEqual(shape(layoutRows(twice, columns), columns), ["sub-1: message | pub: PUBLISH news hi", "sub-1: message"]);
  // A message from another line does not join.
  assert.equal(sameMoment(entry("pub", 4, "PING"), entry("sub-1", 5, "", "message")), false);
  assert.equal(sameMoment(null, entry("sub-1", 5, "", "message")), false);
});

test("clients: redis-cli's clear is a row of its own; not_run lines have their rows", () => {
  const results = [
    entry("a", 1, "PING"),
    { client: "a", line: 2, text: "clear", kind: "clear" },
    entry("b", 4, "BLPOP q 0", "blocked"),
    entry("b", 5, "GET x", "not_run", { reason: "BLPOP on line 4 never returned" }),
  ];
  const columns = columnsFor(results, []);
  assert.deepEqual(shape(layoutRows(results, columns), columns), ["a: PING", "clear", "b: BLPOP q 0", "b: GET x"]);
  assert.equal(isCommandEntry(results[0]), true);
  assert.equal(isCommandEntry(results[2]), true, "a blocked command was sent");
  assert.equal(isCommandEntry(results[3]), false, "not run");
  assert.equal(isCommandEntry(entry("b", 4, "BLPOP q 0", "blocked_reply")), false, "an answer arriving");
  assert.equal(isCommandEntry(entry("b", 4, "", "message")), false);
});

test("clients: the next tick is due at the earliest timeout on the virtual clock, a little late", () => {
  const clients = [
    { name: "main", blocked: null },
    { name: "forever", blocked: { line: 2, text: "BLPOP q 0", since_ms: 1000, timeout_at_ms: 0 } },
    { name: "late", blocked: { line: 4, text: "BLPOP q 9", since_ms: 1000, timeout_at_ms: 10_000 } },
    { name: "soon", blocked: { line: 6, text: "BLPOP q 1", since_ms: 1000, timeout_at_ms: 2_000 } },
  ];
  assert.equal(earliestTimeout(clients), 2_000);
  assert.equal(earliestTimeout(clients.slice(0, 2)), null, "no timeout: no tick");
  assert.equal(earliestTimeout([]), null);
  assert.equal(earliestTimeout(null), null);
  assert.equal(anyBlocked(clients), true);
  assert.equal(anyBlocked([{ name: "main", blocked: null }]), false);
  assert.equal(tickDelay(clients, 1_500), 515);
  assert.equal(tickDelay(clients, 2_500), 15, "already due: at once");
  assert.equal(tickDelay(clients.slice(0, 2), 1_500), null);
  assert.equal(tickDelay(clients, null), null, "no clock yet");
  // Ticks that found nothing due back off: 250 ms, 500 ms, ... at most 10 s.
  assert.equal(tickDelay(clients, 2_500, 1), 250);
  assert.equal(tickDelay(clients, 2_500, 3), 1000);
  assert.equal(tickDelay(clients, 2_500, 20), 10_000);
  assert.equal(tickDelay(clients, 1_000, 1), 1015, "the timeout still further than the back-off");
});

test("clients: the waiting countdown and the causes read as a learner would say them", () => {
  assert.equal(waitingText(0, 5000), "no timeout");
  assert.equal(waitingText(10_000, 9_200), "times out in 0.8 s");
  assert.equal(waitingText(10_000, 5_000), "times out in 5.0 s");
  assert.equal(waitingText(100_000, 5_000), "times out in 1 min 35 s");
  assert.equal(waitingText(30_000, 5_000), "times out in 25 s");
  assert.equal(waitingText(10_000, 10_000), "timing out…");
  assert.equal(waitingText(10_000, null), "");
  assert.equal(causeText("served"), "served");
  assert.equal(causeText("timeout"), "timed out");
  assert.equal(causeText("unblocked"), "unblocked by CLIENT UNBLOCK");
  assert.equal(causeText(undefined), "answered");
});

test("clients: badges say what a client is in the middle of", () => {
  assert.deepEqual(clientBadges(undefined), []);
  assert.deepEqual(clientBadges({ name: "main", db: 0, in_multi: false, subscriptions: 0, watching: 0, blocked: null }), []);
  assert.deepEqual(
    clientBadges({
      name: "w",
      db: 2,
      in_multi: true,
      subscriptions: 2,
      watching: 1,
      blocked: { line: 3, text: "BLPOP q 0", since_ms: 0, timeout_at_ms: 0 },
    }).map((badge) => badge.text),
    ["waiting", "in MULTI", "subscribed to 2", "watching 1 key", "db 2"],
  );
  assert.deepEqual(clientBadges({ watching: true }).map((badge) => badge.text), ["watching keys"]);
  assert.deepEqual(clientBadges({ watching: false, subscriptions: 0 }), []);
  // Counts or lists, whichever the engine gives.
  assert.deepEqual(clientBadges({ subscriptions: ["news", "n*"], watching: ["a", "b"] }).map((badge) => badge.text), [
    "subscribed to 2",
    "watching 2 keys",
  ]);
});

// Each column's prompt comes from the engine's entries: contract.test.mjs holds the engine
// to each client's database and transaction.
test("clients: a column's prompt keeps only what changes", () => {
  assert.equal(compactPromptText({ db: 0, in_multi: false }), ">");
  assert.equal(compactPromptText({ db: 3, in_multi: true }), "[3](TX)>");
});

test("clients: @name lines in scripts: recognised, highlighted, and other @ lines marked", () => {
  assert.equal(clientOfLine("@worker-1"), "worker-1");
  assert.equal(clientOfLine("@app:1 -- the app"), "app:1");
  assert.equal(clientOfLine("  @w.2  "), "w.2");
  assert.equal(clientOfLine("@"), null);
  assert.equal(clientOfLine("@bad name"), null);
  assert.equal(clientOfLine(`@${"x".repeat(33)}`), null, "at most 32 characters");
  assert.equal(clientOfLine("SET a @b"), null);
  // As the engine reads them: a trailing comment needs some text.
  assert.equal(clientOfLine("@w1 --"), null);
  assert.equal(clientOfLine("@w1 -- "), null);
  assert.equal(clientOfLine("@w1 --x"), null);
  assert.equal(clientOfLine("@w4--x"), "w4--x");
  assert.equal(clientOfLine("@w5\t-- tab"), "w5");
  assert.equal(isClientLine("@bad name"), true);
  assert.equal(isClientLine("SET a @b"), false);
  assert.deepEqual(clientNamesIn("@w1\nSET a 1\n@w2\nGET a\n@w1\n@bad one"), ["w1", "w2"]);

  // The commands the page learns from the engine's commands() once it has started.
  learnCommands([{ name: "SET", syntax: "key value" }, { name: "GET", syntax: "key" }]);
  const styles = (text) => tokenizeLines(text, StringStream).map((spans) => spans.filter(([, style]) => style).map(([piece, style]) => `${piece}:${style}`));
  assert.deepEqual(styles("@worker-1\nSET a 1\n@app:1 -- the app\n@bad name\n@x!"), [
    ["@worker-1:labelName"],
    ["SET:keyword", "1:number"],
    ["@app:1:labelName", "-- the app:comment"],
    ["@bad name:invalid"],
    ["@x!:invalid"],
  ]);
  // The line after a client line is an ordinary command line again.
  assert.deepEqual(styles("@w1 -- c\nGET k"), [["@w1:labelName", "-- c:comment"], ["GET:keyword"]]);
  assert.deepEqual(styles("@w1 --"), [["@w1 --:invalid"]]);
});

test("clients: an expected output with @name lines is split per client, in order", () => {
  assert.deepEqual(parseClientSegments("OK\n(nil)\n"), { clients: ["main"], segments: [{ client: "main", text: "OK\n(nil)" }] });
  assert.equal(hasClientSegments("OK\n(nil)\n"), false);
  const text = "@worker-1\nOK\n@worker-2\n(nil)\n\"worker-1\"\n@worker-1\n(integer) 1\n";
  assert.equal(hasClientSegments(text), true);
  assert.deepEqual(parseClientSegments(text), {
    clients: ["worker-1", "worker-2"],
    segments: [
      { client: "worker-1", text: "OK" },
      { client: "worker-2", text: '(nil)\n"worker-1"' },
      { client: "worker-1", text: "(integer) 1" },
    ],
  });
  // Output before the first @ line is main's.
  assert.deepEqual(parseClientSegments("PONG\n@w\nOK").segments, [
    { client: "main", text: "PONG" },
    { client: "w", text: "OK" },
  ]);
  // A quoted reply starting with @ is not a client line.
  assert.equal(hasClientSegments('"@w"\n'), false);
});

test("clients: colours are stable per client", () => {
  const clients = [{ name: "main", id: 1 }, { name: "a", id: 2 }, { name: "b", id: 9 }];
  assert.equal(colourSlot("main", clients), 0);
  assert.equal(colourSlot("a", clients), 1);
  assert.equal(colourSlot("b", clients), 2);
  assert.equal(colourSlot("unknown", clients), colourSlot("unknown", []));
  assert.ok(colourSlot("unknown", []) < 6);
});

test("replay log: a tick is logged with its host time, and replayed as such", () => {
  const log = new ReplayLog();
  log.record("reset", { startTimeMs: 1000, seed: 0, setup: "" }, 1000);
  log.record("run", { script: "@c\nBLPOP q 1" }, 1100);
  log.record("tick", {}, 2200);
  log.record("advance", { ms: 5000 }, 2300);
  log.record("tick", { anything: "ignored" }, 2310);
  assert.deepEqual(log.steps.slice(1), [
    { op: "run", args: { script: "@c\nBLPOP q 1", transcript: true }, hostTimeMs: 1100 },
    { op: "tick", args: {}, hostTimeMs: 2200 },
    { op: "advance", args: { ms: 5000 }, hostTimeMs: 2300 },
    { op: "tick", args: {}, hostTimeMs: 2310 },
  ]);
});

test("clients: lines not run behind a wait with no timeout say what would end it", () => {
  const blocked = { line: 1, text: "BLPOP jobs 0", since_ms: 0, timeout_at_ms: 0 };
  const output = {
    results: [
      { client: "main", line: 1, text: "GET x", kind: "not_run", reason: "the client was still blocked" },
      { client: "main", line: 2, text: "SET y 1", kind: "not_run", reason: "the client was still blocked" },
    ],
    clients: [{ name: "main", blocked }],
  };
  assert.deepEqual(stuckHints(output), [
    "This script's client (main) is still waiting for BLPOP jobs 0, with no timeout, so its lines after it did " +
      "not run. Another client can end the wait (an @name line, then a write to the key it waits for), or Reset server.",
  ]);
  const other = { results: [{ ...output.results[0], client: "w" }], clients: [{ name: "w", blocked }] };
  assert.match(stuckHints(other)[0], /^The client w is still waiting for BLPOP jobs 0/);
  assert.deepEqual(stuckHints({ results: output.results, clients: [{ name: "main", blocked: null }] }), []);
  assert.deepEqual(stuckHints({ results: [], clients: [{ name: "main", blocked }] }), []);
});
