#!/usr/bin/env node
// Randomised differential test: a seeded generator writes sequences of commands over a small
// key space (every type, wrong types on purpose, expiries long enough not to race), and
// every reply of redpad-cli must equal the real redis-server's, byte for byte.
//
//   node tests/differential/random.mjs --cli build/cli/redpad-cli [--seed N] [--commands 20000]
//
// Commands run in chunks (each on a flushed server and a fresh redpad process) so that
// TTLs read back within a chunk do not drift with wall-clock time between the two runs.
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const cliPath = option("--cli", null);
const seed = Number(option("--seed", Date.now() % 1000000));
const total = Number(option("--commands", 20000));
const chunkSize = Number(option("--chunk", 250));
if (!cliPath) {
  console.error("usage: random.mjs --cli path/to/redpad-cli [--seed N] [--commands N]");
  process.exit(2);
}

// ---- seeded generator (mulberry32) ----
let state = seed >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
const maybe = (p, text) => (random() < p ? text : "");
const several = (n, make) => Array.from({ length: n }, make).join(" ");

const keys = ["k0", "k1", "k2", "k3", "k4", "k5", "n0", "n1"];
const key = () => pick(keys);
const strings = ['""', "a", "b", "hello", '"hello world"', "x", "abc", "zzz", '"\\xff\\x00"', "é"];
const numbers = ["0", "1", "-1", "7", "42", "-100", "9223372036854775807", "-9223372036854775808",
  "3.5", "1e3", "0x10", "12abc", "01"];
const value = () => (random() < 0.5 ? pick(strings) : pick(numbers));
const smallInt = () => String(int(-5, 20));
const ttl = () => String(int(100, 100000));

// Each template returns a command line. `tolerance` lets time-dependent integers differ;
// `unordered` compares lines as a multiset where Redis itself is unordered.
const templates = [
  // strings
  () => `SET ${key()} ${value()}${maybe(0.2, pick([" NX", " XX"]))}${maybe(0.2, " GET")}${
    maybe(0.3, pick([` EX ${ttl()}`, ` PX ${ttl()}000`, " KEEPTTL", ` EX ${pick(["0", "-1", "x"])}`]))}`,
  () => `GET ${key()}`,
  () => `GETDEL ${key()}`,
  () => `GETEX ${key()}${maybe(0.5, pick([` EX ${ttl()}`, " PERSIST", ` PX ${ttl()}`, " FOO"]))}`,
  () => `GETSET ${key()} ${value()}`,
  () => `SETNX ${key()} ${value()}`,
  () => `SETEX ${key()} ${pick([ttl(), "0", "abc"])} ${value()}`,
  () => `MSET ${several(int(1, 3), () => `${key()} ${value()}`)}`,
  () => `MSETNX ${several(int(1, 3), () => `${key()} ${value()}`)}`,
  () => `MGET ${several(int(1, 4), key)}`,
  () => `APPEND ${key()} ${value()}`,
  () => `STRLEN ${key()}`,
  () => `GETRANGE ${key()} ${smallInt()} ${smallInt()}`,
  () => `SETRANGE ${key()} ${int(0, 12)} ${value()}`,
  () => `INCR ${key()}`,
  () => `DECR ${key()}`,
  () => `INCRBY ${key()} ${pick(numbers)}`,
  () => `DECRBY ${key()} ${pick(numbers)}`,
  () => `INCRBYFLOAT ${key()} ${pick(["0.1", "1.5", "-2", "1e2", "abc", "3"])}`,
  () => `LCS ${key()} ${key()}${maybe(0.5, pick([" LEN", " IDX", " IDX WITHMATCHLEN", " IDX MINMATCHLEN 2"]))}`,
  () => `OBJECT ENCODING ${key()}`,
  // keys
  () => `DEL ${several(int(1, 2), key)}`,
  () => `EXISTS ${several(int(1, 3), key)}`,
  () => `TYPE ${key()}`,
  () => `RENAME ${key()} ${key()}`,
  () => `RENAMENX ${key()} ${key()}`,
  () => `COPY ${key()} ${key()}${maybe(0.3, " REPLACE")}`,
  () => `TOUCH ${key()}`,
  () => `EXPIRE ${key()} ${pick([ttl(), ttl(), "-1", "0"])}${maybe(0.3, pick([" NX", " XX", " GT", " LT"]))}`,
  () => `PEXPIRE ${key()} ${ttl()}000`,
  () => `PERSIST ${key()}`,
  { make: () => `TTL ${key()}`, tolerance: 1 },
  { make: () => `PTTL ${key()}`, tolerance: 1500 },
  { make: () => `EXPIRETIME ${key()}`, tolerance: 2 },
  { make: () => `DBSIZE` },
  { make: () => `KEYS ${pick(["*", "k*", "n?", "[kn]0"])}`, unordered: true },
  () => `SELECT ${pick(["0", "0", "0", "1"])}`,
  () => `MOVE ${key()} ${pick(["0", "1"])}`,
  () => `SWAPDB 0 1`,
].map((t) => (typeof t === "function" ? { make: t } : t));

// ---- the servers ----
function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
const port = await freePort();
const redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "",
  "--appendonly", "no", "--enable-debug-command", "yes", "--logfile", ""], { stdio: "ignore" });
const redisCli = (args, input) =>
  execFileSync("redis-cli", ["-p", String(port), ...args], { input, maxBuffer: 1 << 28, stdio: ["pipe", "pipe", "ignore"] });
for (let i = 0; ; i++) {
  try { if (redisCli(["PING"]).toString().trim() === "PONG") break; } catch { /* starting */ }
  if (i > 200) { console.error("redis-server did not start"); process.exit(2); }
  await new Promise((r) => setTimeout(r, 25));
}

const SEPARATOR = "redpad-random-separator";
const splitReplies = (output) => output.split(`"${SEPARATOR}"\n`).slice(0, -1);
function normalise(text, template) {
  let lines = text.split("\n");
  if (template.unordered) lines = lines.map((l) => l.replace(/^(\s*\d+\) )+/, "")).sort();
  return lines;
}
function same(a, b, template) {
  const x = normalise(a, template);
  const y = normalise(b, template);
  if (x.length !== y.length) return false;
  return x.every((line, i) => {
    if (line === y[i]) return true;
    const m1 = /^\(integer\) (-?\d+)$/.exec(line);
    const m2 = /^\(integer\) (-?\d+)$/.exec(y[i]);
    return template.tolerance && m1 && m2 && Math.abs(Number(m1[1]) - Number(m2[1])) <= template.tolerance;
  });
}

let compared = 0;
let mismatches = 0;
for (let done = 0; done < total && mismatches < 20; done += chunkSize) {
  const chosen = Array.from({ length: Math.min(chunkSize, total - done) }, () => pick(templates));
  const lines = chosen.map((t) => t.make());
  const script = lines.map((l) => `${l}\nECHO ${SEPARATOR}\n`).join("");
  redisCli(["FLUSHALL"]);
  const real = splitReplies(redisCli(["--no-raw"], script).toString("latin1"));
  const ours = splitReplies(execFileSync(cliPath, [], { input: script, maxBuffer: 1 << 28 })
    .toString("latin1"));
  for (let i = 0; i < lines.length; i++) {
    compared++;
    if (real[i] !== undefined && ours[i] !== undefined && same(real[i], ours[i], chosen[i])) continue;
    mismatches++;
    console.log(`MISMATCH (seed ${seed}, command ${done + i + 1}): ${lines[i]}`);
    console.log("  context (commands before it in this chunk, flushed server at the chunk start):");
    for (const l of lines.slice(Math.max(0, i - 8), i)) console.log(`    ${l}`);
    console.log(`  redis-server: ${JSON.stringify(real[i])}`);
    console.log(`  redpad:       ${JSON.stringify(ours[i])}`);
    if (mismatches >= 20) break;
  }
}
redis.kill();
console.log(`random differential: seed ${seed}, ${compared} commands compared, ${mismatches} mismatches`);
process.exit(mismatches ? 1 : 0);
