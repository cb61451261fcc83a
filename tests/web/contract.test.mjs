// The engine's JSON API against its one definition, web/engine/contract.schema.json: a
// varied set of scripts (several clients, MULTI/EXEC, SELECT, errors, blocked clients and
// tick(), every limit hit) through the WebAssembly engine under Node, every answer
// validated, and the prompt state each entry carries checked line by line. Needs the
// WebAssembly build (build_wasm; $REDPAD_BUILD_WASM, ./build-wasm by default).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import { createRedpad } from "../../web/engine/redpad.mjs";
import { promptText } from "../../web/src/output-text.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const engineDir = join(process.env.REDPAD_BUILD_WASM ?? join(root, "build-wasm"), "web/engine");
const schema = JSON.parse(readFileSync(join(root, "web/engine/contract.schema.json"), "utf8"));
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
ajv.addSchema(schema);
const validator = (name) => ajv.getSchema(`${schema.$id}#/$defs/${name}`);
const validators = Object.fromEntries(
  ["run_answer", "check_answer", "snapshot_answer", "commands_answer"].map((name) => [name, validator(name)]),
);

// The answer, once it is known to match its definition.
function valid(name, answer) {
  const validate = validators[name];
  assert.ok(validate(answer), `${name}: ${ajv.errorsText(validate.errors, { separator: "\n" })}`);
  return answer;
}

async function engine(file = "redpad-engine") {
  const { default: createModule } = await import(join(engineDir, `${file}.mjs`));
  return createRedpad({
    createModule,
    wasmBinary: readFileSync(join(engineDir, `${file}.wasm`)),
    startTimeMs: Date.UTC(2025, 0, 6, 9),
    seed: 1,
  });
}

const START = Date.UTC(2025, 0, 6, 9);
const run = (redis, script, options) => valid("run_answer", redis.run(script, options));
const prompts = (answer) => answer.results.map((entry) => promptText(entry.prompt));

test("contract: the schema compiles, and a run of one client answers by it", async () => {
  const redis = await engine();
  const answer = run(redis, "SET a 1\nGET a\n# a comment\n\nINCR a -- trailing\nOBJECT ENCODING a");
  assert.deepEqual(answer.results.map((entry) => [entry.line, entry.kind, entry.command]), [
    [1, "command_reply", "set"],
    [2, "command_reply", "get"],
    [5, "command_reply", "incr"],
    [6, "command_reply", "object|encoding"],
  ]);
  for (const entry of answer.results) {
    assert.equal(entry.client, "main");
    assert.deepEqual(entry.prompt, { db: 0, in_multi: false, protocol: "resp2" });
  }
  assert.deepEqual(answer.results[0].replies, [{ type: "status", value: "OK" }]);
  assert.equal(answer.results[2].display, "(integer) 2\n");
  assert.equal(answer.commands_run, 4);
  assert.equal(answer.multi_client, false);
  redis.destroy();
});

// Moved from page-modules.test.mjs (nextPromptState, gone: the prompt is the engine's). The
// same lines and prompts; an arity error queued makes the EXEC fail with EXECABORT, as the
// page's old test had it fail.
test("contract: prompts follow SELECT, MULTI, EXEC and DISCARD as redis-cli's do", async () => {
  const redis = await engine();
  const answer = run(redis, "SELECT 2\nmulti\nSELECT 0\nSET onlykey\nEXEC\nSELECT 99\n3 SELECT 0\nPING");
  assert.deepEqual(answer.results.map((entry) => entry.text), [
    "SELECT 2", "multi", "SELECT 0", "SET onlykey", "EXEC", "SELECT 99", "3 SELECT 0", "PING",
  ]);
  assert.deepEqual(prompts(answer), [
    "redpad>", // before SELECT 2
    "redpad[2]>", // after SELECT 2
    "redpad[2](TX)>", // after multi
    "redpad[2](TX)>", // SELECT 0 only queued
    "redpad[2](TX)>",
    "redpad[2]>", // EXEC failed (EXECABORT): the transaction is over, the database unchanged
    "redpad[2]>", // SELECT 99 failed
    "redpad>", // after 3 SELECT 0
  ]);
  assert.match(answer.results[4].display, /EXECABORT/);
  assert.equal(answer.results[4].error, true);
  assert.deepEqual(answer.results[3].prompt, { db: 2, in_multi: true, protocol: "resp2" });
  assert.deepEqual([answer.db, answer.in_multi], [0, false]);
  // DISCARD ends a transaction too; a later Run starts from where the last one left main.
  const next = run(redis, "SELECT 4\nMULTI\nDISCARD\nPING");
  assert.deepEqual(prompts(next), ["redpad>", "redpad[4]>", "redpad[4](TX)>", "redpad[4]>"]);
  assert.deepEqual(prompts(run(redis, "MULTI")), ["redpad[4]>"]);
  assert.deepEqual(prompts(run(redis, "PING")), ["redpad[4](TX)>"]);
  redis.destroy();
});

// Moved from clients.test.mjs (promptStates, gone): each client's prompt is its own, and a
// later Run's entries start from the state the client was left in.
test("contract: several clients, each entry with its client's own prompt", async () => {
  const redis = await engine();
  const first = run(redis, "SELECT 1\n@w1\nSELECT 3\nMULTI\n@w2\nPING\n@main\nPING");
  assert.deepEqual(first.results.map((entry) => [entry.client, promptText(entry.prompt)]), [
    ["main", "redpad>"],
    ["w1", "redpad>"],
    ["w1", "redpad[3]>"],
    ["w2", "redpad>"],
    ["main", "redpad[1]>"],
  ]);
  assert.equal(first.multi_client, true);
  assert.deepEqual(
    first.clients.map(({ name, db, in_multi }) => [name, db, in_multi]),
    [["main", 1, false], ["w1", 3, true], ["w2", 0, false]],
  );
  const second = run(redis, "@w1\nSET k v\nEXEC\n@main\nGET k\n@w1\nquit\nPING");
  assert.deepEqual(second.results.map((entry) => [entry.client, entry.kind, promptText(entry.prompt)]), [
    ["w1", "command_reply", "redpad[3](TX)>"],
    ["w1", "command_reply", "redpad[3](TX)>"],
    ["main", "command_reply", "redpad[1]>"],
    ["w1", "quit", "redpad[3]>"],
    ["w1", "command_reply", "redpad>"], // a new connection after quit: database 0
  ]);
  redis.destroy();
});

test("contract: errors, refused lines and redis-cli's own commands: one kind each", async () => {
  const redis = await engine();
  const answer = run(redis, 'FROB x\nSET k\nSET k "open\n@bad name\nhelp SET\nclear\nGET k\nOBJECT NOSUCH k\nquit\nPING');
  assert.deepEqual(answer.results.map((entry) => [entry.kind, entry.command, entry.error]), [
    ["command_reply", null, true], // unknown command
    ["command_reply", "set", true], // wrong arity
    ["invalid", null, true], // unclosed quote
    ["invalid", null, true], // not a client name
    ["help", null, false],
    ["clear", null, false],
    ["command_reply", "get", false],
    ["command_reply", "object", true], // the container, its subcommand unknown
    ["quit", null, false],
  ]);
  assert.equal(answer.results[4].replies[0].type, "help");
  redis.destroy();
});

test("contract: blocked clients, their answers (served, timeout), messages, lines not run, tick()", async () => {
  const redis = await engine();
  redis.setHostTime(START);
  const served = run(redis, "@consumer\nBLPOP jobs 0\n@producer\nRPUSH jobs a\n@consumer\nGET after");
  assert.deepEqual(served.results.map((entry) => [entry.client, entry.kind, entry.command, entry.cause ?? null]), [
    ["consumer", "blocked", "blpop", null],
    ["producer", "command_reply", "rpush", null],
    ["consumer", "blocked_reply", "blpop", "served"],
    ["consumer", "command_reply", "get", null],
  ]);
  assert.equal(served.results[2].display, '1) "jobs"\n2) "a"\n');

  const waiting = run(redis, "@slow\nBLPOP q 2\n@main\nPING");
  assert.equal(waiting.results[0].kind, "blocked");
  assert.equal(waiting.clients.find((client) => client.name === "slow").blocked.timeout_at_ms, START + 2000);
  assert.equal(valid("run_answer", redis.tick()).results.length, 0, "nothing due yet");
  redis.advance(2500);
  const ticked = valid("run_answer", redis.tick());
  assert.deepEqual(ticked.results.map((entry) => [entry.client, entry.kind, entry.cause, entry.display]), [
    ["slow", "blocked_reply", "timeout", "(nil)\n(2.50s)\n"],
  ]);
  assert.equal(ticked.commands_run, 0);

  const stuck = run(redis, "@stuck\nBLPOP never 0\nSET behind 1\nGET behind");
  assert.deepEqual(stuck.results.map((entry) => [entry.kind, entry.line, entry.command]), [
    ["blocked", 2, "blpop"],
    ["not_run", 3, null],
    ["not_run", 4, null],
  ]);
  assert.match(stuck.results[1].reason, /still blocked/);

  const pubsub = run(redis, "@listener\nSUBSCRIBE news\n@main\nPUBLISH news hello");
  assert.deepEqual(pubsub.results.map((entry) => [entry.client, entry.kind, entry.line, entry.command]), [
    ["listener", "command_reply", 2, "subscribe"],
    ["main", "command_reply", 4, "publish"],
    ["listener", "message", 4, null],
  ]);
  assert.deepEqual(pubsub.results[2].replies[0].items.map((item) => item.value), ["message", "news", "hello"]);
  redis.destroy();
});

test("contract: the limits of a Run (results described, commands, reply bytes)", async () => {
  const redis = await engine();
  const counted = run(redis, "SET a 1\nGET a\nFROB\nINCR a\nSET b", { maxResults: 2 });
  assert.equal(counted.results.length, 2);
  assert.deepEqual([counted.omitted_results, counted.omitted_errors], [3, 2]);

  const stopped = run(redis, "SET n 0\n3 INCR n\n3 INCR n\nSET never 1", { maxCommands: 5 });
  assert.deepEqual(stopped.stopped, { reason: "max_commands", limit: 5, line: 3, cut_short: true });
  assert.equal(stopped.commands_run, 5);
  const atLine = run(redis, "SET n 0\n2 INCR n\nINCR n", { maxCommands: 3 });
  assert.deepEqual(atLine.stopped, { reason: "max_commands", limit: 3, line: 3, cut_short: false });

  const cut = run(redis, "SET k 0123456789\nGET k\n3 GET k\nGET k", { maxOutputBytes: 20 });
  assert.deepEqual(cut.output_cut, { limit_bytes: 20, from_line: 3, replies_not_kept: 4 });
  assert.deepEqual(cut.results.map((entry) => [entry.replies_not_kept, entry.display]), [
    [0, "OK\n"],
    [0, '"0123456789"\n'], // 16 bytes kept so far: the next reply does not fit
    [3, ""],
    [1, ""],
  ]);
  redis.destroy();
});

test("contract: replies of every shape, check(), snapshot() and commands()", async () => {
  const redis = await engine();
  redis.setHostTime(START);
  const answer = run(
    redis,
    "SET big 9223372036854775806\nINCR big\nHSET h f v\nHGETALL h\nGET missing\nZADD z 1.5 m\nZSCORE z m\n" +
      "RPUSH l a b\nSADD s x\nXADD st 1-0 f v\nEXPIRE l 60\nXRANGE st - +\nSUBSCRIBE a b\nUNSUBSCRIBE",
  );
  assert.deepEqual(answer.results[1].replies, [{ type: "integer", value: "9223372036854775807" }]);
  assert.equal(answer.results[4].replies[0].type, "nil");
  assert.equal(answer.results.at(-2).replies.length, 2, "SUBSCRIBE a b: one reply per channel");

  const checks = valid(
    "check_answer",
    redis.check([
      { kind: "exists", key: "h", message: "h exists" },
      { kind: "type", key: "z", type: "zset", message: "z is a sorted set" },
    ]),
  );
  assert.deepEqual(checks.map((result) => result.passed), [true, true]);
  assert.equal(valid("check_answer", redis.check("not json"))[0].passed, false);

  const snapshot = valid("snapshot_answer", redis.snapshot(3));
  assert.equal(snapshot.total, 6);
  assert.deepEqual(snapshot.keys.map((key) => key.key), ["big", "h", "l"]);
  assert.equal(snapshot.keys[2].ttl_ms, 60_000);

  const commands = valid("commands_answer", redis.commands());
  const names = new Set(commands.map((command) => command.name));
  for (const name of ["SET", "OBJECT ENCODING", "CONFIG GET", "BLPOP"]) assert.ok(names.has(name), name);
  redis.destroy();
});

test("contract: the engine with Lua answers by the same schema", async () => {
  const redis = await engine("redpad-engine-lua");
  const answer = run(redis, "EVAL \"return redis.call('SET', KEYS[1], 'v')\" 1 k\nEVAL 'return {1, 2}' 0\nSCRIPT FLUSH");
  assert.deepEqual(answer.results.map((entry) => [entry.command, entry.error]), [
    ["eval", false],
    ["eval", false],
    ["script|flush", false],
  ]);
  redis.destroy();
});

test("contract: with steps recorded, run and tick answers carry steps by the schema", async () => {
  const redis = await engine();
  const plain = run(redis, "SET a 1");
  assert.equal(plain.steps, undefined); // nothing recorded unless asked
  redis.setRecordSteps(true);
  const answer = run(redis, [
    "SET lock:task w1 NX PX 500", "SET lock:task w2 NX", "@worker", "BLPOP jobs 0", "@sub",
    "SUBSCRIBE news", "@main", "RPUSH jobs j1", "PUBLISH news hi", "WATCH a", "@other", "INCR a",
    "@main", "MULTI", "SET a 5", "EXEC", "FLUSHDB", "DEBUG SLEEP 0",
  ].join("\n"));
  const kinds = answer.steps.map((step) => step.kind);
  assert.deepEqual(kinds.filter((kind) => kind !== "command"), ["message"]);
  assert.deepEqual(answer.steps.map((step) => step.id), answer.steps.map((_, i) => i + 1));
  const flush = answer.steps.find((step) => step.keyspace);
  assert.equal(answer.results[flush.result].text, "FLUSHDB");
  redis.advance(1000);
  run(redis, "SET t x PX 10");
  redis.advance(1000);
  const ticked = valid("run_answer", redis.tick());
  assert.deepEqual(ticked.steps.map((step) => [step.kind, step.changes[0].key, step.changes[0].change]),
    [["expired", "t", "expired"]]);
  redis.destroy();
});
