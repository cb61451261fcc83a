// Lua on demand, in Debian's Chromium: the page starts on the engine without Lua and fetches
// the engine with Lua (redpad-engine-lua) only when a script first needs it, rebuilding the
// server there by replay; lesson 12's Lua example and task; and an engine with Lua that
// cannot be downloaded. No test may leave an uncaught page error or a console error behind,
// unless it expects one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  caching,
  editorText,
  openLesson,
  replies,
  run,
  screenshotsDir,
  typeScript,
  pagePerTest,
  waitForStill,
} from "./harness.mjs";

const suite = pagePerTest();

const RELEASE =
  "EVAL \"if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end\" 1 lock:resource process-2";
const VIEWPORT = { width: 1280, height: 800 };

// A fresh context whose requests (the worker's too) are recorded, with every request for the
// engine with Lua counted.
async function recordingContext() {
  const context = await suite.harness.browser.newContext({ viewport: VIEWPORT });
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const luaFetches = () => requests.filter((url) => new URL(url).pathname.endsWith("/redpad-engine-lua.wasm"));
  return { context, requests, luaFetches };
}

const engineShown = (page) => page.locator("html").getAttribute("data-engine");
const keyRow = (page, key) => page.locator("#keys .key-row:not(.is-gone)", { has: page.locator(".key-name", { hasText: key }) });

async function runScript(page, script) {
  await typeScript(page, script, { paste: true });
  await run(page);
  return replies(page);
}

test("the page loads without the engine with Lua", async () => {
  const { context, requests, luaFetches } = await recordingContext();
  const page = await suite.open({ context });
  await openLesson(page, suite.harness.url);
  // Scripts without a Lua command (the words elsewhere, in a comment) need no more.
  assert.deepEqual(await runScript(page, "# no EVAL here\nSET script 1\nGET eval"), ["OK", "(nil)"]);
  await page.waitForLoadState("networkidle");
  assert.ok(requests.some((url) => url.endsWith("/engine/redpad-engine.wasm")), "the engine without Lua was fetched");
  assert.deepEqual(luaFetches(), []);
  assert.equal(requests.filter((url) => /redpad-engine-lua/.test(url)).length, 0, "not its glue either");
  assert.equal(await engineShown(page), "redpad-engine");
});

test("a script that needs Lua loads the engine with Lua once, and keeps the server's state", async () => {
  const { context, requests, luaFetches } = await recordingContext();
  // Slowed down, so that the page's loading state can be seen.
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await context.route("**/redpad-engine-lua.wasm", async (route) => {
    await released;
    await route.continue();
  });
  const page = await suite.open({ context });
  await openLesson(page, `${suite.harness.url}?holdRuns`);
  const setAt = Date.now();
  assert.deepEqual(await runScript(page, "SET lock:resource process-1\nSET other 42 EX 86400"), ["OK", "OK"]);
  await keyRow(page, "lock:resource").waitFor();

  await typeScript(page, RELEASE, { paste: true });
  const runsBefore = Number(await page.locator("html").getAttribute("data-runs"));
  await page.getByRole("button", { name: "Run", exact: true }).click();
  // While it downloads: the status says so, Run is busy, and Stop comes up.
  await page.locator("#engine-status", { hasText: "Loading Lua scripting…" }).waitFor();
  assert.equal(await page.locator("#run").getAttribute("aria-busy"), "true");
  assert.equal(await page.getByRole("button", { name: "Run", exact: true }).isDisabled(), true);
  await page.getByRole("button", { name: "Stop" }).waitFor();
  await page.screenshot({ path: join(screenshotsDir, "lua-loading.png") });
  release();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.runs) > n, runsBefore);

  assert.deepEqual(await replies(page), ["(integer) 0"]);
  assert.equal(await page.locator("#output .output-note.note-error").count(), 0);
  assert.equal(await page.locator("#output").getByText("has no Lua").count(), 0);
  assert.equal(await engineShown(page), "redpad-engine-lua");
  assert.equal(await page.locator("#engine-status").isHidden(), true);
  // Not process-2's lock: still there, and so is everything from before the switch.
  await keyRow(page, "lock:resource").waitFor();
  assert.equal(await keyRow(page, "lock:resource").locator(".key-preview").textContent(), '"process-1"');
  await keyRow(page, "other").waitFor();
  await page.locator("#output").evaluate((output) => (output.scrollTop = output.scrollHeight));
  await page.screenshot({ path: join(screenshotsDir, "lua-release.png") });
  const [lock, other, ttl] = await runScript(page, "GET lock:resource\nGET other\nTTL other");
  assert.deepEqual([lock, other], ['"process-1"', '"42"']);
  // The clock went on (it follows real time) without a jump: the TTL is down by the real time
  // that passed, no more (TTL rounds to whole seconds).
  const left = Number(/^\(integer\) (\d+)$/.exec(ttl)?.[1]);
  const passed = Math.ceil((Date.now() - setAt) / 1000);
  assert.ok(left >= 86400 - passed - 1 && left <= 86400, `${ttl}, ${passed} s after the SET`);

  // The session stays on the engine with Lua: another script and a Reset fetch nothing more.
  assert.deepEqual(await runScript(page, RELEASE.replace("process-2", "process-1")), ["(integer) 1"]);
  await page.getByRole("button", { name: "Reset server" }).click();
  await page.locator("#output .output-note", { hasText: "The server was reset" }).waitFor();
  assert.deepEqual(await runScript(page, 'SCRIPT LOAD "return 1"'), ['"e0e1f9fabfc9d4800c877a703b823ac0578ff8db"']);
  assert.equal(await engineShown(page), "redpad-engine-lua");
  assert.equal(luaFetches().length, 1, "redpad-engine-lua.wasm fetched exactly once");

  // A Run stopped half-way: the server is rebuilt by replay on a new worker, with Lua again
  // (its script cache too).
  const plainFetches = requests.filter((url) => url.endsWith("/engine/redpad-engine.wasm")).length;
  await typeScript(page, "SET lost 1\nDEBUG POPULATE 5000\nKEYS *", { paste: true });
  const hold = suite.harness.holds.holdNext("run"); // still going until Stop (harness.mjs)
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await hold.arrived;
  await page.getByRole("button", { name: "Stop" }).click();
  await page.locator("#output .output-note", { hasText: "Stopped." }).waitFor();
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
  assert.deepEqual(await runScript(page, "EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0\nEXISTS lost"), [
    "(integer) 1",
    "(integer) 0",
  ]);
  assert.equal(await engineShown(page), "redpad-engine-lua");
  assert.equal(requests.filter((url) => url.endsWith("/engine/redpad-engine.wasm")).length, plainFetches,
    "no worker without Lua was started again");
});

test("lesson 12: the Lua example runs in the page, and the task's solution passes every check", async () => {
  const { context, luaFetches } = await recordingContext();
  const page = await suite.open({ context });
  await openLesson(page, suite.harness.url, "caching-patterns");
  const example = caching.sections.flatMap((section) => section.examples ?? [])
    .find((candidate) => candidate.title === "Release safely with a Lua script");
  assert.ok(example, 'lesson 12 has the example "Release safely with a Lua script"');
  const figure = page.locator("figure.example", { hasText: example.title });
  await figure.scrollIntoViewIfNeeded();
  // Coloured with the engine's command table, even if the lesson was shown before the
  // engine was ready: EVAL is a command, not an unknown word.
  await page.waitForFunction(() => document.documentElement.dataset.engine !== undefined);
  const evalToken = figure.locator("pre.code-block span", { hasText: /^EVAL$/ }).first();
  await evalToken.waitFor();
  assert.equal(await figure.locator("pre.code-block span.tok-unknown").count(), 0);
  assert.equal(await evalToken.getAttribute("class"), "tok-command");
  await page.getByRole("button", { name: `Run example: ${example.title}` }).click();
  await page.locator(".run-example .reply").last().waitFor();
  await page.waitForFunction(() => Number(document.documentElement.dataset.runs) >= 1);
  const shown = await page.locator(".run-example").last().locator(".reply").allTextContents();
  assert.deepEqual(shown.map((reply) => `${reply}\n`).join(""), example.expected);
  assert.equal(await page.locator("#output .output-note.note-error").count(), 0);
  await page.screenshot({ path: join(screenshotsDir, "lua-lesson-example.png") });

  await typeScript(page, caching.task.solution, { paste: true });
  await run(page);
  assert.deepEqual(await replies(page), ["OK", "(nil)", '"worker-1"', "(integer) 0"]);
  const checks = caching.task.checks;
  await page.locator("#checks > li.check-pass").nth(checks.length - 1).waitFor();
  assert.equal(await page.locator("#checks > li.check-pass").count(), checks.length);
  await page.getByText("Task complete", { exact: true }).waitFor();
  await waitForStill(page); // the scroll to the checks
  await page.screenshot({ path: join(screenshotsDir, "lua-lesson-task.png") });
  assert.equal(luaFetches().length, 1);
});

test("the engine with Lua cannot be downloaded: the Run says so, and nothing is lost", async () => {
  const { context, luaFetches } = await recordingContext();
  await context.route("**/redpad-engine-lua.wasm", (route) => route.fulfill({ status: 404, body: "" }));
  const page = await suite.open({ context });
  suite.current.allow = [/404/];
  await openLesson(page, suite.harness.url);
  assert.deepEqual(await runScript(page, "SET lock:resource process-1"), ["OK"]);

  const script = `GET lock:resource\n${RELEASE}`;
  await typeScript(page, script, { paste: true });
  await run(page);
  const note = page.locator("#output .output-note.note-error").last();
  await note.waitFor();
  const text = await note.textContent();
  assert.match(text, /need the Redis engine with Lua, which could not be loaded/);
  assert.match(text, /redpad-engine-lua\.wasm answered HTTP 404/);
  assert.match(text, /Nothing ran: the keys are as they were\. Your script is still in the editor/);
  assert.ok(luaFetches().length >= 1);
  assert.equal(await editorText(page), script);
  assert.equal(await engineShown(page), "redpad-engine");
  assert.equal(await page.locator("#fatal").isHidden(), true);
  // The page goes on with the engine it had, the keys as they were.
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
  assert.equal(await page.locator("#engine-status").isHidden(), true);
  await page.screenshot({ path: join(screenshotsDir, "lua-404.png") });
  assert.deepEqual(await runScript(page, "GET lock:resource"), ['"process-1"']);
});

test("a lesson whose setup and checks run scripts: the engine with Lua is loaded for them", async () => {
  const lesson = structuredClone(caching);
  lesson.setup = "EVAL \"return redis.call('set', KEYS[1], ARGV[1])\" 1 from:setup yes";
  lesson.task.checks.push({
    kind: "reply",
    command: "EVAL \"return redis.call('get', KEYS[1])\" 1 lock:task",
    equals: '"worker-1"',
    message: "a script reads worker-1's lock",
  });
  const url = await suite.harness.serveModified({ "lessons/12-caching-patterns.json": lesson });

  const { context, luaFetches } = await recordingContext();
  const page = await suite.open({ context });
  await openLesson(page, url);
  await keyRow(page, "from:setup").waitFor();
  assert.equal(await engineShown(page), "redpad-engine-lua");
  assert.equal(await page.locator(".setup-problem").count(), 0);
  await typeScript(page, caching.task.solution, { paste: true });
  await run(page);
  await page.getByText("Task complete", { exact: true }).waitFor();
  assert.equal(await page.locator("#checks > li.check-pass").count(), lesson.task.checks.length);
  assert.equal(luaFetches().length, 1);

  // Without the engine with Lua, the lesson opens without its setup and says why.
  const broken = await recordingContext();
  await broken.context.route("**/redpad-engine-lua.wasm", (route) => route.fulfill({ status: 404, body: "" }));
  assert.deepEqual(suite.current.problems, [], "no page error or console error");
  await suite.current.context.close();
  const other = await suite.open({ context: broken.context });
  suite.current.allow = [/404/];
  await openLesson(other, url);
  const problem = other.locator(".setup-problem");
  await problem.waitFor();
  assert.match(await problem.innerText(), /the setup was left out: it needs the Redis engine with Lua, which could not be loaded \(.*HTTP 404\)/);
  assert.equal(await engineShown(other), "redpad-engine");
  assert.deepEqual(await runScript(other, "EXISTS from:setup\nSET a 1"), ["(integer) 0", "OK"]);
});

test("Stop while the engine with Lua downloads gives the download up; nothing ran", async () => {
  const { context } = await recordingContext();
  let release;
  const released = new Promise((resolve) => (release = resolve));
  await context.route("**/redpad-engine-lua.wasm", async (route) => {
    await released;
    await route.abort().catch(() => {}); // its worker is gone by then
  });
  const page = await suite.open({ context });
  suite.current.allow = [/redpad-engine-lua\.wasm/];
  await openLesson(page, suite.harness.url);
  assert.deepEqual(await runScript(page, "SET lock:resource process-1"), ["OK"]);
  await typeScript(page, `DEL lock:resource\n${RELEASE}`, { paste: true });
  const runsBefore = Number(await page.locator("html").getAttribute("data-runs"));
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.locator("#engine-status", { hasText: "Loading Lua scripting…" }).waitFor();
  await page.getByRole("button", { name: "Stop" }).click();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.runs) > n, runsBefore);
  release();
  assert.match(
    await page.locator("#output .output-note.note-error").last().textContent(),
    /^Stopped while the engine for Lua scripts was loading: nothing ran, the keys are as they were\./,
  );
  assert.equal(await engineShown(page), "redpad-engine");
  assert.deepEqual(await runScript(page, "GET lock:resource"), ['"process-1"']);
});
