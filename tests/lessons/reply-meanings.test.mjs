// The reply meanings the output pane shows (web/src/reply-meanings.js), reviewed against the
// real server: every entry's trigger runs on Debian's redis-server 7.0.15 (redis-cli
// --no-raw) and on the engine; each line must print the same on both, byte for byte, and
// the table must pick that entry for the trigger's last line. So a meaning is shown for a
// reply the real server gives in that situation.
// Run with: node --test tests/lessons/ (after the WebAssembly build).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createConnection } from "node:net";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startRealRedis } from "../real-redis.mjs";
import { splitArgs } from "../differential/compare.mjs";
import { REPLY_MEANINGS, meaningOf } from "../../web/src/reply-meanings.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const engineDir = join(process.env.REDPAD_BUILD_WASM ?? join(root, "build-wasm"), "web", "engine");
const { createRedpad } = await import(pathToFileURL(join(engineDir, "redpad.mjs")).href);
const { default: createModule } = await import(pathToFileURL(join(engineDir, "redpad-engine-lua.mjs")).href);
const engine = await createRedpad({ createModule, wasmBinary: readFileSync(join(engineDir, "redpad-engine-lua.wasm")) });

let redis;
before(async () => {
  redis = await startRealRedis();
});
after(() => redis?.stop());

// Two lines redis-cli answers itself mark where each line's output ends (as
// tests/lessons/real-redis.test.mjs does).
const MARK_INPUT = '0 x\n"\n';
const MARK_OUTPUT = "Invalid redis-cli repeat command option value.\nInvalid argument(s)\n";

function runReal(lines) {
  redis.cli(["CONFIG", "SET", "maxmemory", "0"]);
  redis.cli(["FLUSHALL"]);
  redis.cli(["SCRIPT", "FLUSH"]);
  const output = redis.cli(["--no-raw"], lines.map((line) => `${line}\n${MARK_INPUT}`).join("")).toString("utf8");
  return output.split(MARK_OUTPUT).slice(0, lines.length);
}

// redis-cli reads no more of its input once subscribed: such a trigger's lines go over a
// connection of this test's own, whose last reply must be an error, printed as redis-cli
// prints one. Only that line is compared (null: not compared).
const subscribes = (lines) => lines.some((line) => /^\s*[ps]?subscribe\b/i.test(line));
function runRealSubscribed(lines) {
  redis.cli(["FLUSHALL"]);
  const resp = (args) => `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port: redis.port });
    let received = "";
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
      const error = /(?:^|\r\n)-([^\r\n]*)\r\n/.exec(received);
      if (!error) return;
      socket.destroy();
      resolve(lines.map((_, i) => (i === lines.length - 1 ? `(error) ${error[1]}\n` : null)));
    });
    socket.write(lines.map((line) => resp(splitArgs(line))).join(""));
  });
}

function runEngine(lines) {
  engine.reset({});
  const { results } = engine.run(lines.join("\n"), { transcript: false, waitForTimeouts: true });
  const outputs = lines.map((_, i) => results.filter((result) => result.line === i + 1).map((r) => r.display).join(""));
  const last = results.filter((result) => result.line === lines.length).at(-1);
  return { outputs, last };
}

const describe = (entry) => `${entry.commands?.join("/") ?? "any command"} ${entry.reply}`;

test("every meaning's trigger prints the same on redis-server and in redpad, and the table picks that meaning", async () => {
  const problems = [];
  for (const entry of REPLY_MEANINGS) {
    const lines = entry.trigger.split("\n");
    const real = subscribes(lines) ? await runRealSubscribed(lines) : runReal(lines);
    const ours = runEngine(lines);
    lines.forEach((line, i) => {
      if (real[i] !== null && real[i] !== ours.outputs[i]) {
        problems.push(`${describe(entry)}: line ${JSON.stringify(line)}\n  redis-server: ${JSON.stringify(real[i])}\n  redpad:       ${JSON.stringify(ours.outputs[i])}`);
      }
    });
    // The meaning is picked from what the real server printed, with the engine's reading of
    // the line (its command name).
    const picked = meaningOf({ ...ours.last, display: real.at(-1) });
    if (picked !== entry) {
      problems.push(`${describe(entry)}: for ${JSON.stringify(real.at(-1))} the table picks ${picked ? describe(picked) : "nothing"}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("the table explains at least 20 errors, each with why and what to do, and every entry has its words", () => {
  const errors = REPLY_MEANINGS.filter((entry) => entry.why);
  assert.ok(errors.length >= 20, `only ${errors.length} errors explained`);
  for (const entry of REPLY_MEANINGS) {
    assert.ok(entry.trigger, `${describe(entry)} has no trigger`);
    if (entry.why) assert.ok(entry.todo && !entry.text, `${describe(entry)}: an error has why and todo`);
    else assert.ok(entry.text && !entry.todo, `${describe(entry)}: a reply has text`);
  }
});

test("plain replies get no meaning", () => {
  const result = (command, text, display) => ({ kind: "command_reply", command, text, display });
  assert.equal(meaningOf(result("set", "SET k v", "OK\n")), null);
  assert.equal(meaningOf(result("get", "GET k", '"v"\n')), null);
  assert.equal(meaningOf(result("incr", "INCR k", "(integer) 1\n")), null);
  assert.equal(meaningOf({ kind: "help", command: null, text: "HELP GET", display: "(nil)\n" }), null);
});
