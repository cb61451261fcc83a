// The page's plain JavaScript, in Node: saved progress and what it survives, redis-cli
// prompts, the Redis highlighting mode, countdown text, and the static server's paths.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringStream } from "@codemirror/language";
import { Progress, STORAGE_KEY, NOTICES } from "../../web/src/progress.js";
import { learnCommands } from "../../web/src/commands.js";
import { tokenizeLines } from "../../web/src/redis-mode.js";
import { formatDuration } from "../../web/src/keyspace.js";
import { serve } from "../../scripts/serve.mjs";

class MemoryStorage {
  constructor(initial = {}) {
    this.items = new Map(Object.entries(initial));
    this.failWrites = null;
  }
  getItem(key) {
    return this.items.has(key) ? this.items.get(key) : null;
  }
  setItem(key, value) {
    if (this.failWrites) throw this.failWrites;
    this.items.set(key, String(value));
  }
  removeItem(key) {
    this.items.delete(key);
  }
}

test("progress: scripts and done marks round-trip through storage", () => {
  const storage = new MemoryStorage();
  const progress = new Progress(() => storage);
  assert.deepEqual(progress.notices, []);
  progress.setScript("caching-patterns", "GET x");
  assert.equal(progress.markDone("caching-patterns", new Date("2025-01-06T09:00:00Z")), true);
  assert.equal(progress.markDone("caching-patterns"), false, "marked once");
  progress.setLast("caching-patterns");

  const again = new Progress(() => storage);
  assert.equal(again.script("caching-patterns"), "GET x");
  assert.equal(again.isDone("caching-patterns"), true);
  assert.equal(again.lesson("caching-patterns").doneAt, "2025-01-06T09:00:00.000Z");
  assert.equal(again.last, "caching-patterns");
  assert.equal(again.doneCount(["caching-patterns", "counters"]), 1);
});

test("progress: unreadable data starts afresh, keeps a copy and says so", () => {
  for (const raw of ["{not json", "[1,2]", '"text"', '{"lessons": 5}', "null"]) {
    const storage = new MemoryStorage({ [STORAGE_KEY]: raw });
    const progress = new Progress(() => storage);
    assert.deepEqual(progress.notices.map((n) => n.kind), ["corrupt"], raw);
    assert.equal(progress.script("caching-patterns"), undefined);
    assert.equal(storage.getItem(`${STORAGE_KEY}.unreadable`), raw);
    assert.equal(storage.getItem(STORAGE_KEY), null);
  }
});

test("progress: malformed entries are dropped, good ones kept", () => {
  const storage = new MemoryStorage({
    [STORAGE_KEY]: JSON.stringify({
      version: 1,
      last: 7,
      lessons: { a: { script: "PING", done: "yes" }, b: null, c: { script: 3, done: true } },
    }),
  });
  const progress = new Progress(() => storage);
  assert.deepEqual(progress.notices, []);
  assert.equal(progress.script("a"), "PING");
  assert.equal(progress.isDone("a"), false);
  assert.equal(progress.script("c"), undefined);
  assert.equal(progress.isDone("c"), true);
  assert.equal(progress.last, null);
});

test("progress: storage that throws or fills up is survived with a notice", () => {
  const blocked = new Progress(() => {
    throw new Error("SecurityError");
  });
  assert.deepEqual(blocked.notices, [{ kind: "unavailable", text: NOTICES.unavailable }]);
  blocked.setScript("a", "PING"); // kept in memory
  assert.equal(blocked.script("a"), "PING");

  const storage = new MemoryStorage();
  const full = new Progress(() => storage);
  const heard = [];
  full.onNotice((notice) => heard.push(notice.kind));
  storage.failWrites = Object.assign(new Error("full"), { name: "QuotaExceededError" });
  full.setScript("a", "PING");
  full.setScript("a", "PONG");
  assert.deepEqual(heard, ["full"], "said once");
  assert.equal(full.script("a"), "PONG");
});

// The prompts' test (SELECT, MULTI, EXEC and DISCARD) is in contract.test.mjs: the prompt
// comes from the engine's entries.

test("the Redis mode: commands, options, strings, numbers and both comment forms", () => {
  learnCommands([
    { name: "OBJECT ENCODING", syntax: "key" },
    { name: "SET", syntax: "key value [NX|XX] [EX seconds]" },
    { name: "INCR", syntax: "key" },
    { name: "GET", syntax: "key" },
  ]);
  const styled = (line) =>
    tokenizeLines(line, StringStream)[0]
      .filter(([, style]) => style)
      .map(([text, style]) => `${style}:${text}`);
  assert.deepEqual(styled('SET lock "worker-1" NX EX 60 -- the lock'), [
    "keyword:SET",
    'string:"worker-1"',
    "atom:NX",
    "atom:EX",
    "number:60",
    "comment:-- the lock",
  ]);
  assert.deepEqual(styled("  # a comment"), ["comment:# a comment"]);
  assert.deepEqual(styled("3 incr hits"), ["number:3", "keyword:incr"]);
  assert.deepEqual(styled("object encoding k"), ["keyword:object", "keyword:encoding"]);
  assert.deepEqual(styled("SET k 'it\\'s'"), ["keyword:SET", "string:'it\\'s'"]);
  assert.deepEqual(styled('SET k "open'), ["keyword:SET", 'invalid:"open']);
  assert.deepEqual(styled('SET k "a"b'), ["keyword:SET", 'invalid:"a"b']);
  assert.deepEqual(styled("FROB x"), ["variableName.special:FROB"]);
  assert.deepEqual(styled("GET a--b"), ["keyword:GET"], "-- inside a word is not a comment");
});

test("countdowns read like a timer", () => {
  assert.equal(formatDuration(0), "0 s");
  assert.equal(formatDuration(1), "1 s");
  assert.equal(formatDuration(59_001), "1 min");
  assert.equal(formatDuration(61_000), "1 min 1 s");
  assert.equal(formatDuration(3_600_000), "1 h 0 min");
  assert.equal(formatDuration(90_061_000), "1 d 1 h");
});

test("the static server: types for modules and wasm, no escape from its folders", async () => {
  const dir = mkdtempSync(join(tmpdir(), "redpad-serve-"));
  mkdirSync(join(dir, "site/engine"), { recursive: true });
  mkdirSync(join(dir, "lessons"));
  writeFileSync(join(dir, "site/index.html"), "<!doctype html>");
  writeFileSync(join(dir, "site/engine/redpad.mjs"), "export {}");
  writeFileSync(join(dir, "site/engine/redpad-engine.wasm"), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dir, "lessons/index.json"), "{}");
  writeFileSync(join(dir, "secret.txt"), "no");
  const { server, url } = await serve({ root: join(dir, "site"), port: 0, lessons: join(dir, "lessons") });
  try {
    const get = (path) => fetch(new URL(path, url));
    assert.equal((await get("/")).headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal((await get("/engine/redpad.mjs")).headers.get("content-type"), "text/javascript; charset=utf-8");
    const wasm = await get("/engine/redpad-engine.wasm");
    assert.equal(wasm.headers.get("content-type"), "application/wasm");
    assert.equal(wasm.headers.get("cache-control"), "no-cache");
    assert.equal(await (await get("/lessons/index.json")).text(), "{}");
    for (const path of ["/../secret.txt", "/%2e%2e/secret.txt", "/lessons/..%2f..%2fsecret.txt", "/nope"]) {
      assert.equal((await get(path)).status, 404, path);
    }
  } finally {
    server.close();
  }
});

test("lessons/index.json lists every lesson file, as the files say", async () => {
  const { readFileSync } = await import("node:fs");
  const { lessonIndex } = await import("../../scripts/dev/write-lesson-index.mjs");
  const lessonsDir = new URL("../../lessons/", import.meta.url).pathname;
  const manifest = JSON.parse(readFileSync(join(lessonsDir, "index.json"), "utf8"));
  const expected = lessonIndex(lessonsDir, { title: manifest.title, total: manifest.total });
  assert.deepEqual(
    manifest,
    expected,
    "lessons/index.json is out of date: run node scripts/dev/write-lesson-index.mjs",
  );
  assert.equal(manifest.total, 17, "the course has 17 lessons");
});
