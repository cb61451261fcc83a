#!/usr/bin/env node
// Randomised differential test: a seeded generator writes sequences of commands over a small
// key space (every type, wrong types on purpose, expiries long enough not to race), and
// every reply of redpad-cli must equal the real redis-server's, byte for byte.
//
//   node tests/differential/random.mjs --cli build/cli/redpad-cli [--seed N] [--commands 20000]
//
// Commands run in chunks (each on a flushed server and a fresh redpad process) so that
// TTLs read back within a chunk do not drift with wall-clock time between the two runs.
// How far they may drift is measured, not assumed: each run of a chunk is timed, and a
// time-dependent integer may differ by what that time allows (a busy machine only widens
// it; on an idle one the fixed tolerances below hold).
import { execFileSync } from "node:child_process";
import { startRealRedisOrExit } from "../real-redis.mjs";
import { TIMING } from "./compare.mjs";

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

// Keys have a home type (their first letter) but any command may hit any key, so
// WRONGTYPE paths are exercised all the time.
const keyFamilies = {
  s: ["s0", "s1", "s2"], l: ["l0", "l1"], h: ["h0", "h1"], t: ["t0", "t1", "t2"],
  z: ["z0", "z1", "z2"], x: ["x0"], b: ["b0", "b1"], p: ["p0", "p1"], g: ["g0", "g1"],
};
const allKeys = Object.values(keyFamilies).flat();
const keyOf = (family) => (random() < 0.8 ? pick(keyFamilies[family]) : pick(allKeys));
// Lex ranges are specified only when every member has the same score: with mixed scores a
// skiplist's answer depends on its random node levels, Redis's and redpad's alike. They run
// on their own keys, whose members all score 0 (other commands still read them).
const lexKey = () => pick(["zl0", "zl1"]);
const key = () => keyOf("s");
const strings = ['""', "a", "b", "hello", '"hello world"', "x", "abc", "zzz", '"\\xff\\x00"', "é"];
const numbers = ["0", "1", "-1", "7", "42", "-100", "9223372036854775807", "-9223372036854775808",
  "3.5", "1e3", "0x10", "12abc", "01"];
const value = () => (random() < 0.5 ? pick(strings) : pick(numbers));
const smallInt = () => String(int(-5, 20));
const ttl = () => String(int(100, 100000));
const element = () => pick(["a", "b", "c", "d", "e", "1", "2", "3", "10", "-5", '""', "hello"]);
const member = () => pick(["1", "2", "3", "4", "42", "-7", "a", "b", "c", "x y", "7"]);
const field = () => pick(["f1", "f2", "f3", "f4", "name", "age"]);
const score = () => pick(["0", "1", "2", "2.5", "-1", "10", "1e3", "inf", "-inf", "0.1", "3"]);
const range = () => pick(["-inf", "+inf", "0", "1", "(1", "2.5", "(3", "10"]);
const lex = () => pick(["-", "+", "[a", "(a", "[c", "(e", "[1"]);
let streamSeq = 1;
const lon = () => (random() * 360 - 180).toFixed(int(0, 6));
const lat = () => (random() * 170 - 85).toFixed(int(0, 6));
const place = () => pick(["rome", "paris", "oslo", "lima", "x", "1"]);
const unit = () => pick(["m", "km", "mi", "ft"]);

// Each template returns a command line. `time` marks an integer that depends on when the
// command ran (a TTL in seconds "s" or milliseconds "ms", an expiry time in Unix seconds
// "at"); `unordered` compares lines as a multiset where Redis itself is unordered
// (hashtable sets).
const templates = [
  // strings
  () => `SET ${key()} ${value()}${maybe(0.2, pick([" NX", " XX"]))}${maybe(0.2, " GET")}${
    maybe(0.3, pick([` EX ${ttl()}`, ` PX ${ttl()}000`, " KEEPTTL", ` EX ${pick(["0", "-1", "x"])}`]))}`,
  () => `GET ${key()}`,
  () => `GETDEL ${key()}`,
  // PX in thousands, like every expiry here: at least 100 s, which no chunk comes near.
  () => `GETEX ${key()}${maybe(0.5, pick([` EX ${ttl()}`, " PERSIST", ` PX ${ttl()}000`, " FOO"]))}`,
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
  // keys
  () => `OBJECT ENCODING ${pick(allKeys)}`,
  () => `DEL ${several(int(1, 2), () => pick(allKeys))}`,
  () => `EXISTS ${several(int(1, 3), () => pick(allKeys))}`,
  () => `TYPE ${pick(allKeys)}`,
  () => `RENAME ${pick(allKeys)} ${pick(allKeys)}`,
  () => `RENAMENX ${pick(allKeys)} ${pick(allKeys)}`,
  () => `COPY ${pick(allKeys)} ${pick(allKeys)}${maybe(0.3, " REPLACE")}`,
  () => `EXPIRE ${pick(allKeys)} ${pick([ttl(), ttl(), "-1", "0"])}${maybe(0.3, pick([" NX", " XX", " GT", " LT"]))}`,
  () => `PEXPIRE ${pick(allKeys)} ${ttl()}000`,
  () => `PERSIST ${pick(allKeys)}`,
  { make: () => `TTL ${pick(allKeys)}`, time: "s" },
  { make: () => `PTTL ${pick(allKeys)}`, time: "ms" },
  { make: () => `EXPIRETIME ${pick(allKeys)}`, time: "at" },
  { make: () => `DBSIZE` },
  { make: () => `KEYS ${pick(["*", "s*", "?0", "[lh]1"])}`, unordered: true },
  () => `SELECT ${pick(["0", "0", "0", "1"])}`,
  () => `MOVE ${pick(allKeys)} ${pick(["0", "1"])}`,
  () => `SWAPDB 0 1`,
  // lists
  () => `${pick(["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"])} ${keyOf("l")} ${several(int(1, 3), element)}`,
  () => `${pick(["LPOP", "RPOP"])} ${keyOf("l")}${maybe(0.4, ` ${pick(["0", "1", "2", "5", "-1"])}`)}`,
  () => `LRANGE ${keyOf("l")} ${smallInt()} ${pick(["-1", "2", "10", "-3"])}`,
  () => `LINDEX ${keyOf("l")} ${smallInt()}`,
  () => `LSET ${keyOf("l")} ${smallInt()} ${element()}`,
  () => `LLEN ${keyOf("l")}`,
  () => `LREM ${keyOf("l")} ${pick(["0", "1", "-1", "2"])} ${element()}`,
  () => `LINSERT ${keyOf("l")} ${pick(["BEFORE", "AFTER"])} ${element()} ${element()}`,
  () => `LTRIM ${keyOf("l")} ${smallInt()} ${pick(["-1", "3", "-2"])}`,
  () => `LPOS ${keyOf("l")} ${element()}${maybe(0.3, ` RANK ${pick(["1", "-1", "2"])}`)}${maybe(0.3, ` COUNT ${pick(["0", "1", "2"])}`)}`,
  () => `LMOVE ${keyOf("l")} ${keyOf("l")} ${pick(["LEFT", "RIGHT"])} ${pick(["LEFT", "RIGHT"])}`,
  () => `RPOPLPUSH ${keyOf("l")} ${keyOf("l")}`,
  () => `LMPOP 2 ${keyOf("l")} ${keyOf("l")} ${pick(["LEFT", "RIGHT"])}${maybe(0.5, ` COUNT ${pick(["1", "3"])}`)}`,
  // hashes
  () => `HSET ${keyOf("h")} ${several(int(1, 3), () => `${field()} ${value()}`)}`,
  () => `HSETNX ${keyOf("h")} ${field()} ${value()}`,
  () => `HGET ${keyOf("h")} ${field()}`,
  () => `HMGET ${keyOf("h")} ${several(int(1, 3), field)}`,
  () => `HDEL ${keyOf("h")} ${several(int(1, 2), field)}`,
  () => `${pick(["HGETALL", "HKEYS", "HVALS", "HLEN"])} ${keyOf("h")}`,
  () => `HEXISTS ${keyOf("h")} ${field()}`,
  () => `HINCRBY ${keyOf("h")} ${field()} ${pick(["1", "-3", "100", "x", "9223372036854775807"])}`,
  () => `HINCRBYFLOAT ${keyOf("h")} ${field()} ${pick(["0.5", "-1.25", "1e3", "abc"])}`,
  () => `HSTRLEN ${keyOf("h")} ${field()}`,
  // sets
  () => `SADD ${keyOf("t")} ${several(int(1, 3), member)}`,
  () => `SREM ${keyOf("t")} ${several(int(1, 2), member)}`,
  () => `SISMEMBER ${keyOf("t")} ${member()}`,
  () => `SMISMEMBER ${keyOf("t")} ${several(int(1, 3), member)}`,
  () => `SCARD ${keyOf("t")}`,
  { make: () => `SMEMBERS ${keyOf("t")}`, unordered: true },
  { make: () => `${pick(["SINTER", "SUNION", "SDIFF"])} ${keyOf("t")} ${keyOf("t")}`, unordered: true },
  () => `SINTERCARD 2 ${keyOf("t")} ${keyOf("t")}${maybe(0.3, " LIMIT 1")}`,
  () => `${pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"])} ${keyOf("t")} ${keyOf("t")} ${keyOf("t")}`,
  () => `SMOVE ${keyOf("t")} ${keyOf("t")} ${member()}`,
  // sorted sets
  () => `ZADD ${keyOf("z")}${maybe(0.3, pick([" NX", " XX", " GT", " LT", " CH", " XX CH", " GT CH"]))} ${several(int(1, 3), () => `${score()} ${member()}`)}`,
  () => `ZADD ${keyOf("z")} INCR ${score()} ${member()}`,
  () => `ZINCRBY ${keyOf("z")} ${score()} ${member()}`,
  () => `ZSCORE ${keyOf("z")} ${member()}`,
  () => `ZMSCORE ${keyOf("z")} ${several(int(1, 3), member)}`,
  () => `${pick(["ZRANK", "ZREVRANK"])} ${keyOf("z")} ${member()}`,
  () => `ZCARD ${keyOf("z")}`,
  () => `ZCOUNT ${keyOf("z")} ${range()} ${range()}`,
  () => `ZADD ${lexKey()} 0 ${member()}${maybe(0.5, ` 0 ${member()}`)}`,
  () => `ZLEXCOUNT ${lexKey()} ${lex()} ${lex()}`,
  () => `ZRANGE ${keyOf("z")} ${smallInt()} ${pick(["-1", "2", "5"])}${maybe(0.3, " REV")}${maybe(0.4, " WITHSCORES")}`,
  () => `ZRANGE ${keyOf("z")} ${range()} ${range()} BYSCORE${maybe(0.3, " REV")}${maybe(0.3, " LIMIT 0 2")}${maybe(0.4, " WITHSCORES")}`,
  () => `ZRANGEBYSCORE ${keyOf("z")} ${range()} ${range()}${maybe(0.4, " WITHSCORES")}`,
  () => `ZRANGEBYLEX ${lexKey()} ${lex()} ${lex()}`,
  () => `ZREM ${keyOf("z")} ${several(int(1, 2), member)}`,
  () => `ZREMRANGEBYRANK ${keyOf("z")} ${smallInt()} ${pick(["0", "1", "-1"])}`,
  () => `ZREMRANGEBYSCORE ${keyOf("z")} ${range()} ${range()}`,
  () => `${pick(["ZPOPMIN", "ZPOPMAX"])} ${keyOf("z")}${maybe(0.4, ` ${pick(["1", "2", "0"])}`)}`,
  () => `${pick(["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"])} ${keyOf("z")} 2 ${keyOf("z")} ${pick([keyOf("z"), keyOf("t")])}${maybe(0.3, " WEIGHTS 2 0.5")}`,
  () => `${pick(["ZUNION", "ZINTER", "ZDIFF"])} 2 ${keyOf("z")} ${pick([keyOf("z"), keyOf("t")])}${maybe(0.4, " WITHSCORES")}`,
  // streams: explicit, increasing ids so both servers agree
  () => `XADD ${keyOf("x")} ${random() < 0.9 ? `${streamSeq++}-${int(0, 3)}` : pick(["0-0", "1-1", "abc"])} ${field()} ${element()}`,
  () => `XLEN ${keyOf("x")}`,
  () => `XRANGE ${keyOf("x")} ${pick(["-", "0", "3", "(2"])} ${pick(["+", "10", "5-2"])}${maybe(0.3, " COUNT 2")}`,
  () => `XREVRANGE ${keyOf("x")} + -${maybe(0.3, " COUNT 2")}`,
  () => `XDEL ${keyOf("x")} ${int(1, streamSeq)}-${int(0, 3)}`,
  () => `XTRIM ${keyOf("x")} MAXLEN ${int(0, 6)}`,
  () => `XREAD COUNT 2 STREAMS ${keyOf("x")} ${pick(["0", "2-0", "$"])}`,
  // bitmaps
  () => `SETBIT ${keyOf("b")} ${int(0, 40)} ${pick(["0", "1", "1", "2"])}`,
  () => `GETBIT ${keyOf("b")} ${int(0, 50)}`,
  () => `BITCOUNT ${keyOf("b")}${maybe(0.5, ` ${smallInt()} ${smallInt()}${maybe(0.5, pick([" BYTE", " BIT"]))}`)}`,
  () => `BITPOS ${keyOf("b")} ${pick(["0", "1"])}${maybe(0.5, ` ${smallInt()}`)}`,
  () => `BITOP ${pick(["AND", "OR", "XOR"])} ${keyOf("b")} ${keyOf("b")} ${keyOf("s")}`,
  () => `BITFIELD ${keyOf("b")} ${pick(["GET u8 0", "SET i8 #1 -5", "INCRBY u4 2 7", "OVERFLOW SAT INCRBY i8 0 100", "GET i16 3"])}`,
  // HyperLogLog
  () => `PFADD ${keyOf("p")} ${several(int(0, 4), element)}`,
  () => `PFCOUNT ${keyOf("p")}${maybe(0.3, ` ${keyOf("p")}`)}`,
  () => `PFMERGE ${keyOf("p")} ${keyOf("p")}`,
  // geo (sorted sets underneath)
  () => `GEOADD ${keyOf("g")}${maybe(0.2, pick([" NX", " XX", " CH"]))} ${several(int(1, 3), () => `${lon()} ${lat()} ${place()}`)}`,
  () => `GEODIST ${keyOf("g")} ${place()} ${place()}${maybe(0.7, ` ${unit()}`)}`,
  () => `GEOPOS ${keyOf("g")} ${several(int(1, 2), place)}`,
  () => `GEOHASH ${keyOf("g")} ${several(int(1, 2), place)}`,
  () => `GEOSEARCH ${keyOf("g")} ${random() < 0.5 ? `FROMMEMBER ${place()}` : `FROMLONLAT ${lon()} ${lat()}`} ${
    random() < 0.5 ? `BYRADIUS ${int(1, 20000)} ${unit()}` : `BYBOX ${int(1, 9000)} ${int(1, 9000)} km`} ${
    pick(["ASC", "DESC"])}${maybe(0.3, ` COUNT ${int(1, 3)}`)}${maybe(0.5, " WITHDIST")}${maybe(0.3, " WITHCOORD")}${maybe(0.2, " WITHHASH")}`,
  () => `GEOSEARCHSTORE ${keyOf("z")} ${keyOf("g")} FROMLONLAT ${lon()} ${lat()} BYRADIUS ${int(1, 20000)} km ASC${maybe(0.5, " STOREDIST")}`,
  // SORT over lists, sets and sorted sets
  () => `SORT ${pick([keyOf("l"), keyOf("t"), keyOf("z")])}${maybe(0.5, " ALPHA")}${maybe(0.3, " DESC")}${maybe(0.3, ` LIMIT ${int(0, 2)} ${int(1, 4)}`)}${maybe(0.2, ` STORE ${keyOf("l")}`)}`,
  () => `SORT_RO ${pick([keyOf("l"), keyOf("t")])} ALPHA${maybe(0.3, " DESC")}`,
].map((t) => (typeof t === "function" ? { make: t } : t));

// ---- the servers ----
// A .mjs front end (the WebAssembly engine's) runs under Node, anything else directly.
const [ourProgram, ourArgs] = cliPath.endsWith(".mjs") ? [process.execPath, [cliPath]] : [cliPath, []];
const redis = await startRealRedisOrExit();
const redisCli = redis.cli;

const SEPARATOR = "redpad-random-separator";
const splitReplies = (output) => output.split(`"${SEPARATOR}"\n`).slice(0, -1);
// No command here takes time of its own (no sleep, no blocking): a "(0.52s)" redis-cli
// prints after one is the machine's delay, and redis-cli on an idle machine prints none.
const withoutTiming = (text) => text.split("\n").filter((line) => !TIMING.test(line)).join("\n");
function normalise(text, template) {
  let lines = text.split("\n");
  if (template.unordered) lines = lines.map((l) => l.replace(/^(\s*\d+\) )+/, "")).sort();
  return lines;
}
// Whether a time-dependent reply (x from redis-server, y from redpad) agrees, given when
// each run of the chunk started (Date.now()) and how long it took (ms). A TTL read in a run
// lies between its full length and that minus the run's duration; an expiry time, between
// the run's start plus the TTL and that plus the run's duration. Both sides are bounded so,
// and the idle-machine tolerances (1 s, 1500 ms, 2 s) are the least allowed. -1 and -2
// (no expiry, no key) are exact.
function sameTime(kind, x, y, chunk) {
  if (x < 0 || y < 0) return false;
  const slackMs = Math.max(chunk.realMs, chunk.oursMs);
  if (kind === "s") return Math.abs(x - y) <= Math.floor(slackMs / 1000) + 1; // + rounding
  if (kind === "ms") return Math.abs(x - y) <= Math.max(1500, Math.ceil(slackMs) + 1);
  return Math.abs((x * 1000 - chunk.realStart) - (y * 1000 - chunk.oursStart)) <= Math.max(2000, slackMs + 1000);
}
function same(a, b, template, chunk) {
  const x = normalise(a, template);
  const y = normalise(b, template);
  if (x.length !== y.length) return false;
  return x.every((line, i) => {
    if (line === y[i]) return true;
    const m1 = /^\(integer\) (-?\d+)$/.exec(line);
    const m2 = /^\(integer\) (-?\d+)$/.exec(y[i]);
    return Boolean(template.time && m1 && m2 && sameTime(template.time, Number(m1[1]), Number(m2[1]), chunk));
  });
}
// Runs `run` and says when it started and how long it took.
function timed(run) {
  const start = Date.now();
  const begun = performance.now();
  const output = run();
  return { output, start, ms: performance.now() - begun };
}

let compared = 0;
let mismatches = 0;
for (let done = 0; done < total && mismatches < 20; done += chunkSize) {
  const chosen = Array.from({ length: Math.min(chunkSize, total - done) }, () => pick(templates));
  const lines = chosen.map((t) => t.make());
  const script = lines.map((l) => `${l}\nECHO ${SEPARATOR}\n`).join("");
  redisCli(["FLUSHALL"]);
  const realRun = timed(() => redisCli(["--no-raw"], script).toString("latin1"));
  const oursRun = timed(() => execFileSync(ourProgram, ourArgs, { input: script, maxBuffer: 1 << 28 })
    .toString("latin1"));
  const real = splitReplies(withoutTiming(realRun.output));
  const ours = splitReplies(oursRun.output);
  const chunk = { realStart: realRun.start, realMs: realRun.ms, oursStart: oursRun.start, oursMs: oursRun.ms };
  for (let i = 0; i < lines.length; i++) {
    compared++;
    if (real[i] !== undefined && ours[i] !== undefined && same(real[i], ours[i], chosen[i], chunk)) continue;
    mismatches++;
    console.log(`MISMATCH (seed ${seed}, command ${done + i + 1}): ${lines[i]}`);
    console.log("  context (commands before it in this chunk, flushed server at the chunk start):");
    for (const l of lines.slice(Math.max(0, i - 8), i)) console.log(`    ${l}`);
    console.log(`  redis-server: ${JSON.stringify(real[i])}`);
    console.log(`  redpad:       ${JSON.stringify(ours[i])}`);
    if (mismatches >= 20) break;
  }
}
redis.stop();
console.log(`random differential: seed ${seed}, ${compared} commands compared, ${mismatches} mismatches`);
process.exit(mismatches ? 1 : 0);
