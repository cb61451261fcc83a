// The page under stress and attack, in Debian's Chromium: a Run that never ends, a Stop, an
// engine that crashes, the per-Run caps, broken lesson files and manifests, saved progress
// that is unreadable or cannot be written, HTML smuggled in through lessons and keys, the
// Content Security Policy, and requests that must never leave the site. No test may leave
// an uncaught page error or a console error behind, unless it expects one.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  caching,
  editorText,
  manifest,
  openLesson,
  readLesson,
  replies,
  run,
  screenshotsDir,
  typeScript,
  pagePerTest,
} from "./harness.mjs";

const suite = pagePerTest();
const open = (options) => suite.open(options);

async function newContext(options = {}) {
  return suite.harness.browser.newContext({ viewport: { width: 1440, height: 900 }, ...options });
}

const runButton = (page) => page.getByRole("button", { name: "Run", exact: true });
const lastNote = (page) => page.locator("#output .output-note").last();
const keyNames = (page) => page.locator("#keys .key-row:not(.is-gone) .key-name").allTextContents();

async function waitForReady(page) {
  await runButton(page).and(page.locator(":enabled")).waitFor();
}

// Runs `script` as a learner would (pasted, then Run) and returns the last Run's replies.
async function runScript(page, script) {
  await typeScript(page, script, { paste: true });
  await run(page);
  return replies(page);
}

// ---------------------------------------------------------------------------------------
// Runs that do not end

// TIME's reply ('1) "1736154000"\n2) "123456"') in milliseconds.
const serverTime = (reply) => {
  const [seconds, micros] = [...reply.matchAll(/"(\d+)"/g)].map((match) => Number(match[1]));
  return seconds * 1000 + micros / 1000;
};

// How far two readings of the clocks may disagree beyond what the test measured: whole
// milliseconds on both sides, and the page's and the worker's wall clocks.
const CLOCK_SLACK_MS = 50;

// A Run still going when the time limit (or Stop) comes: its commands have all run in the
// engine, and the worker is held there until the test ends it (harness.mjs, RunHolds), so
// it outlasts any time limit on any machine.
const STUCK = "SET during 1\nINCR counter\nDEBUG POPULATE 1000";

test("a Run still going after the time limit is stopped; keys, clock and script are kept", async () => {
  const page = await open();
  await openLesson(page, `${suite.harness.url}?runTimeoutMs=800&holdRuns`);
  const wallBefore = Date.now();
  const first = await runScript(page, "SET before 1\nHSET user:1 name Ada\nSET counter 41\nSET temp soon EX 86400\nTIME");
  const wallFirst = Date.now();
  const virtualBefore = serverTime(first.at(-1));
  await page.getByRole("button", { name: "+1 min" }).click();
  await page.locator("#clock-note", { hasText: "ahead" }).waitFor();
  const clockBefore = await page.locator("#clock-time").textContent();

  await typeScript(page, STUCK, { paste: true });
  const hold = suite.harness.holds.holdNext("run");
  await run(page); // done once the server is restored
  await hold.arrived; // the Run had done its work, and was stopped before it could answer

  const note = await lastNote(page).textContent();
  assert.match(
    note,
    /^This Run was still going after 0\.8 seconds, so it was stopped\. The keys are back to how they were before this Run: nothing it did is kept\. Your script is still in the editor\. A Run may take at most 0\.8 seconds/,
  );
  assert.deepEqual(await keyNames(page), ["before", "counter", "temp", "user:1"]);
  assert.equal(await page.locator("#keys-summary").textContent(), "db 0 · 4 keys");
  assert.equal(await editorText(page), STUCK);
  // The virtual clock went on from where it was (the minute moved ahead included).
  assert.ok((await page.locator("#clock-time").textContent()) >= clockBefore, "the clock did not go back");
  assert.match(await page.locator("#clock-note").textContent(), /ahead/);
  await page.screenshot({ path: join(screenshotsDir, "run-timeout.png") });

  const wallAfter = Date.now();
  const [before, counter, during, dbsize, ttl, time] = await runScript(
    page,
    "GET before\nGET counter\nEXISTS during\nDBSIZE\nTTL temp\nTIME",
  );
  const wallLast = Date.now();
  // The server's clock moved on with real time (and the minute moved ahead), no more, no
  // less: between the two TIMEs at least the real time from the first one's answer to the
  // second one's Run passed, and at most the real time from the first Run to the last answer.
  const moved = serverTime(time) - virtualBefore - 60_000;
  const [least, most] = [wallAfter - wallFirst - CLOCK_SLACK_MS, wallLast - wallBefore + CLOCK_SLACK_MS];
  assert.ok(moved >= least && moved <= most, `the server's clock moved ${moved} ms; real time: ${least} to ${most} ms`);
  assert.deepEqual([before, counter, during, dbsize], ['"1"', '"41"', "(integer) 0", "(integer) 4"]);
  // A day, less the minute moved ahead and the real time that passed (TTL rounds to seconds).
  const left = Number(/\(integer\) (\d+)/.exec(ttl)?.[1]);
  const expected = [86400 - 60 - Math.ceil(most / 1000) - 1, 86400 - 60 - Math.floor(least / 1000) + 1];
  assert.ok(left >= expected[0] && left <= expected[1], `TTL temp is ${ttl}, not in ${expected.join(" to ")}`);

  // Again, then a reload: the script the stuck Run was given is saved.
  await typeScript(page, STUCK, { paste: true });
  suite.harness.holds.holdNext("run");
  await run(page);
  assert.match(await lastNote(page).textContent(), /^This Run was still going/);
  await page.reload();
  await waitForReady(page);
  assert.equal(await editorText(page), STUCK);
});

test("Stop ends a long Run and gives the server back its keys from before it", async () => {
  const page = await open();
  await openLesson(page, `${suite.harness.url}?holdRuns`);
  await runScript(page, "SET kept 1\nRPUSH queue a b c");
  await typeScript(page, "SET lost 1\nDEBUG POPULATE 5000\nKEYS *", { paste: true });
  const hold = suite.harness.holds.holdNext("run");
  await runButton(page).click();
  await hold.arrived; // every line has run in the engine; the Run has not answered
  const stop = page.getByRole("button", { name: "Stop" });
  await stop.waitFor();
  await stop.click();
  await page.locator("#output .output-note", { hasText: "Stopped." }).waitFor();
  await waitForReady(page);
  assert.equal(
    await lastNote(page).textContent(),
    "Stopped. The keys are back to how they were before this Run: nothing it did is kept. Your script is still in the editor.",
  );
  assert.deepEqual(await runScript(page, "DBSIZE\nLRANGE queue 0 -1\nEXISTS lost"), [
    "(integer) 2",
    '1) "a"\n2) "b"\n3) "c"',
    "(integer) 0",
  ]);
});

test("an engine that crashes in a Run (out of memory) is restarted with the keys from before", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await runScript(page, "SET kept 1\nSET counter 1");
  // The worker's memory can no longer grow, as when the browser refuses it more.
  const worker = page.workers().at(-1);
  await worker.evaluate(() => {
    WebAssembly.Memory.prototype.grow = () => {
      throw new RangeError("no more memory (test)");
    };
  });
  await typeScript(page, "INCR counter\nDEBUG POPULATE 3000000", { paste: true });
  await run(page);
  assert.match(
    await lastNote(page).textContent(),
    /^The Redis engine stopped with an internal error while running the script \((Aborted\(\)|an uncaught C\+\+ exception): most likely it ran out of memory\), so it was restarted\. The keys are back to how they were before this Run: nothing it did is kept\. Your script is still in the editor\.$/,
  );
  await page.screenshot({ path: join(screenshotsDir, "run-crash.png") });
  assert.deepEqual(await runScript(page, "GET counter\nDBSIZE"), ['"1"', "(integer) 2"]);
});

// ---------------------------------------------------------------------------------------
// Per-Run caps

test("the output caps say what they cut and why", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  const lines = Array.from({ length: 1200 }, () => "INCR n").join("\n");
  await runScript(page, `SET long ${"x".repeat(3000)}\n${lines}`);
  const group = page.locator(".run-group").last();
  assert.equal(
    await group.locator(".omitted").last().textContent(),
    "… 201 more commands ran but are not shown: the output shows the first 1,000 results of a Run.",
  );
  assert.match(
    await group.locator(".omitted-inline").first().textContent(),
    /^ … \(1,00\d more characters of this line not shown: a command is echoed up to 2,000 characters\)$/,
  );

  await runScript(page, "DEBUG POPULATE 20000\nKEYS *\nDBSIZE");
  assert.match(
    await page.locator(".run-group").last().locator(".omitted").first().textContent(),
    /^… 19,[56]\d\d more lines \(.+ KB\) not shown: a reply shows at most 400 lines here\.$/,
  );
  await runScript(page, "HSET big field " + "y".repeat(40000) + "\nHGET big field");
  assert.match(
    await page.locator(".run-group").last().locator(".omitted").first().textContent(),
    /^… 7\.1 KB more of this reply not shown: a reply shows at most 32\.0 KB here\.$/,
  );
});

test("a Run stops after 500,000 commands and says from which line nothing ran", async () => {
  const page = await open();
  // 500,000 INCRs take seconds on a busy machine: no time limit in the way here.
  await openLesson(page, `${suite.harness.url}?runTimeoutMs=0`);
  await runScript(page, "SET before 1\n600000 INCR n\nSET after 1");
  const stopped = page.locator(".run-group").last().locator(".run-stopped");
  assert.equal(
    await stopped.textContent(),
    "Stopped after 500,000 commands: a Run may execute at most 500,000. Line 2 was cut short, and the lines after it did not run. line 2",
  );
  await stopped.getByRole("button", { name: "Go to line 2 in the editor" }).click();
  assert.equal(await page.locator(".cm-activeLine").textContent(), "600000 INCR n");
  await page.screenshot({ path: join(screenshotsDir, "run-max-commands.png") });
  assert.deepEqual(await runScript(page, "GET n\nEXISTS after"), ['"499999"', "(integer) 0"]);
  // A line that never started is named as the first that did not run.
  await runScript(page, "DEL n\n499999 INCR n\nINCR n\nSET after 1");
  assert.match(
    await page.locator(".run-group").last().locator(".run-stopped").textContent(),
    /^Stopped after 500,000 commands: a Run may execute at most 500,000\. Lines from 3 on did not run\./,
  );
});

test("the server has maxmemory 64 MB: writes past it get Redis's OOM error", async () => {
  const page = await open();
  // Filling 64 MB takes a while on a slow machine: no time limit in the way here.
  await openLesson(page, `${suite.harness.url}?runTimeoutMs=0`);
  const oom = "✕ (error) OOM command not allowed when used memory > 'maxmemory'."; // errors carry a mark
  const shown = await runScript(page, "CONFIG GET maxmemory\nDEBUG POPULATE 10000000\nSET one more");
  assert.deepEqual(shown, ['1) "maxmemory"\n2) "67108864"', oom, oom]);
  const [keys] = await runScript(page, "DBSIZE");
  const count = Number(keys.replace("(integer) ", ""));
  assert.ok(count > 100000 && count < 10000000, `DBSIZE ${count}`);
  assert.deepEqual(await runScript(page, "FLUSHALL\nSET one more"), ["OK", "OK"]);
  assert.match((await runScript(page, "INFO memory"))[0], /maxmemory_human:64\.00M/);
  await page.screenshot({ path: join(screenshotsDir, "maxmemory.png") });
});

test("replies past the Run's budget are not kept, and the output says so", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  const shown = await runScript(page, "SETRANGE big 3000000 x\nGET big\nSTRLEN big");
  assert.equal(shown[0], "(integer) 3000001");
  const group = page.locator(".run-group").last();
  assert.equal(
    await group.locator(".entry").nth(1).locator(".omitted").textContent(),
    "(reply not kept: this Run's replies had passed the limit, see below)",
  );
  assert.equal(
    await group.locator(".run-cut").textContent(),
    "2 replies from line 2 on were not kept: a Run keeps at most 8.0 MB of replies. The commands still ran.",
  );
  assert.deepEqual(await runScript(page, "STRLEN big"), ["(integer) 3000001"]);
});

// ---------------------------------------------------------------------------------------
// Broken course files

const lessonFile = (number) => manifest.lessons.find((entry) => entry.number === number);

test("broken lesson files each show what is wrong; the other lessons still work", async () => {
  const rateLimiting = readLesson(lessonFile(13).file);
  rateLimiting.number = "thirteen";
  rateLimiting.task.checks[0].kind = "valeu";
  delete rateLimiting.sections;
  const bitmaps = readLesson(lessonFile(11).file);
  bitmaps.setup = "SET fine 1\nHSET broken";
  const transactions = readLesson(lessonFile(10).file);
  // A setup still going when the time limit comes (held in the worker: harness.mjs).
  transactions.setup = "SET early 1\nDEBUG POPULATE 1000";
  const url = await suite.harness.serveModified({
    [`lessons/${lessonFile(12).file}`]: '{ "id": "caching-patterns", oops }',
    [`lessons/${lessonFile(13).file}`]: rateLimiting,
    [`lessons/${lessonFile(11).file}`]: bitmaps,
    [`lessons/${lessonFile(10).file}`]: transactions,
  });
  const page = await open();

  // A setup, like a Run, may take 1.5 s here.
  await page.goto(`${url}?runTimeoutMs=1500&holdRuns#/caching-patterns`);
  const invalid = page.getByRole("alert").filter({ hasText: "This lesson can't be shown" });
  await invalid.waitFor();
  assert.match(
    await invalid.innerText(),
    /its file, lessons\/12-caching-patterns\.json, has a problem\.\n+lessons\/12-caching-patterns\.json: \/: invalid JSON at line 1, column \d+: /,
  );
  assert.match(await invalid.innerText(), /\.\/scripts\/validate-lessons lessons\/12-caching-patterns\.json/);
  await page.screenshot({ path: join(screenshotsDir, "lesson-invalid-json.png") });
  assert.equal(await runButton(page).isDisabled(), true);

  // Next: lesson 13, whose fields are wrong.
  await page.getByRole("button", { name: "Next", exact: true }).click();
  const wrong = page.getByRole("alert").filter({ hasText: "13-rate-limiting.json" });
  await wrong.waitFor();
  const text = await wrong.innerText();
  assert.match(text, /has 3 problems/);
  assert.match(text, /lessons\/13-rate-limiting\.json: \/: must have required property 'sections'/);
  assert.match(text, /lessons\/13-rate-limiting\.json: \/number: must be integer/);
  assert.match(
    text,
    /lessons\/13-rate-limiting\.json: \/task\/checks\/0\/kind: must be equal to one of the allowed values: exists, missing, type, value, ttl, reply, command, no-errors, after, any, sequence/,
  );
  await page.screenshot({ path: join(screenshotsDir, "lesson-wrong-fields.png") });

  // Back twice: lesson 11, whose setup fails, is shown with a warning and works.
  await page.getByRole("button", { name: "Previous", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "12-caching-patterns.json" }).waitFor();
  await page.getByRole("button", { name: "Previous", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Bitmaps and HyperLogLog" }).waitFor();
  const setup = page.getByRole("alert").filter({ hasText: "setup commands failed" });
  await setup.waitFor();
  assert.match(
    await setup.innerText(),
    /lessons\/11-bitmaps-and-hyperloglog\.json: \/setup: line 2 of the setup \(HSET broken\) failed: \(error\) ERR wrong number of arguments for 'hset' command/,
  );
  await page.screenshot({ path: join(screenshotsDir, "lesson-setup-fails.png") });
  await waitForReady(page);
  assert.deepEqual(await runScript(page, "GET fine\nPING"), ['"1"', "PONG"]);

  // Lesson 10, whose setup never ends: it is left out, and the lesson works without it.
  const setupHeld = suite.harness.holds.holdNext("setup");
  await page.getByRole("button", { name: "Previous", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: lessonFile(10).title }).waitFor();
  const stuck = page.getByRole("alert").filter({ hasText: "setup commands failed" });
  await stuck.waitFor();
  assert.match(
    await stuck.innerText(),
    /lessons\/10-transactions\.json: \/setup: the setup was left out: it was still running after 1\.5 seconds/,
  );
  await setupHeld.arrived;
  await waitForReady(page);
  assert.deepEqual(await runScript(page, "DBSIZE\nPING"), ["(integer) 0", "PONG"]);

  // Any other lesson, from the list: it runs as usual.
  await page.getByRole("button", { name: /Lessons/ }).click();
  await page.getByRole("link", { name: /Keys and Values/ }).click();
  await page.getByRole("heading", { level: 1, name: "Keys and Values" }).waitFor();
  await waitForReady(page);
  assert.equal(await page.getByRole("alert").count(), 0);
  assert.deepEqual(await runScript(page, "SET a 1\nGET a"), ["OK", '"1"']);
});

test("a broken lessons/index.json gives a clear message, not a blank page", async () => {
  const cases = [
    ["{ not json", /lessons\/index\.json: \/: invalid JSON at line 1, column 3/],
    [{ title: "x", lessons: "all of them" }, /lessons\/index\.json: \/lessons: must be an array/],
    ["null", /lessons\/index\.json: \/: must be an object with a "lessons" list/],
  ];
  for (const [content, expected] of cases) {
    const url = await suite.harness.serveModified({ "lessons/index.json": content });
    const page = await open();
    await page.goto(`${url}#/caching-patterns`);
    const message = page.locator("#lesson");
    await message.getByRole("heading", { name: "The course could not be loaded" }).waitFor();
    assert.match(await message.innerText(), expected);
    if (content === "null") await page.screenshot({ path: join(screenshotsDir, "index-broken.png") });
    await context().close();
    suite.current = null;
  }
});

test("bad entries in lessons/index.json are left out and named; the rest work, on this site only", async () => {
  const broken = structuredClone(manifest);
  broken.lessons[0].file = "https://evil.example/lesson.json";
  broken.lessons[1].id = "Not An Id";
  const url = await suite.harness.serveModified({ "lessons/index.json": broken });
  const context = await newContext();
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await open({ context });
  await page.goto(`${url}#/caching-patterns`);
  const notice = page.locator("#notices .notice", { hasText: "some lessons are left out" });
  await notice.waitFor();
  assert.match(await notice.textContent(), /\/lessons\/0\/file: must be the name of a \.json file in lessons\//);
  assert.match(await notice.textContent(), /\/lessons\/1\/id: must be a string of lower-case words/);
  await waitForReady(page);
  assert.deepEqual(await runScript(page, "PING"), ["PONG"]);
  await page.getByRole("button", { name: /Lessons/ }).click();
  assert.equal(await page.locator("#lesson-list .lesson-link").count(), manifest.lessons.length - 2);
  await page.keyboard.press("Escape");
  const origin = new URL(url).origin;
  assert.deepEqual(requests.filter((address) => new URL(address).origin !== origin), []);
});

function context() {
  return suite.current.context;
}

// ---------------------------------------------------------------------------------------
// Saved progress

const PROGRESS = "redpad.progress.v1";

test("progress in an older shape is read: scripts, done marks and the last lesson", async () => {
  const context = await newContext();
  await context.addInitScript((key) => {
    if (!sessionStorage.getItem("seeded")) {
      // No version, bare strings as scripts, done lessons as a list, "lastLesson".
      localStorage.setItem(
        key,
        JSON.stringify({ lessons: { "caching-patterns": "GET old:script" }, done: ["keys-and-values"], lastLesson: "caching-patterns" }),
      );
      sessionStorage.setItem("seeded", "1");
    }
  }, PROGRESS);
  const page = await open({ context });
  await page.goto(suite.harness.url);
  await page.waitForURL(/#\/caching-patterns$/);
  await waitForReady(page);
  assert.equal(await editorText(page), "GET old:script");
  assert.equal(await page.locator("#progress-pill").textContent(), "1 of 17 done");
  assert.equal(await page.locator("#notices .notice").count(), 0);
  await typeScript(page, "GET new:script");
  await page.waitForFunction(
    (key) => JSON.parse(localStorage.getItem(key)).lessons["caching-patterns"].script === "GET new:script",
    PROGRESS,
  );
  const saved = await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), PROGRESS);
  assert.equal(saved.version, 1);
  assert.equal(saved.last, "caching-patterns");
  assert.equal(saved.lessons["keys-and-values"].done, true);
});

test("storage that is full: said once, and the page goes on", async () => {
  const context = await newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  const page = await open({ context });
  await openLesson(page, suite.harness.url);
  await typeScript(page, "SET a 1");
  const notice = page.locator("#notices .notice", { hasText: "can't be saved" });
  await notice.waitFor();
  assert.match(await notice.textContent(), /storage for this site is full .*Your work stays while this page is open/);
  await page.screenshot({ path: join(screenshotsDir, "storage-full.png") });
  await typeScript(page, "SET a 2\nGET a");
  await run(page);
  assert.deepEqual(await replies(page), ["OK", '"2"']);
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: lessonFile(13).title }).waitFor();
  assert.equal(await page.locator("#notices .notice").count(), 1, "said once");
});

test("storage that refuses writes (blocked after loading) is survived with one notice", async () => {
  const context = await newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The operation is insecure.", "SecurityError");
    };
  });
  const page = await open({ context });
  await openLesson(page, suite.harness.url);
  await typeScript(page, "PING");
  await page.locator("#notices .notice", { hasText: "storage is unavailable" }).waitFor();
  await run(page);
  assert.deepEqual(await replies(page), ["PONG"]);
  assert.equal(await page.locator("#notices .notice").count(), 1);
});

// ---------------------------------------------------------------------------------------
// HTML injection, the Content Security Policy, and the page's own origin

// Records what would show that injected code ran, and every CSP violation.
async function watchForInjection(context) {
  await context.addInitScript(() => {
    window.__pwned = [];
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
}

test("HTML in a lesson's Markdown, hints and title is shown as text: nothing runs", async () => {
  const lesson = structuredClone(caching);
  const img = "<img src=x onerror=\"__pwned.push('img')\">";
  const script = "<script>__pwned.push('script')</script>";
  lesson.title = `Caching ${img}`;
  lesson.sections[0].markdown =
    `Raw HTML: ${img} ${script}\n\n` +
    "[a link](javascript:__pwned.push('link')) and <a href=\"#\" onclick=\"__pwned.push('click')\">no link</a>\n\n" +
    `In code: \`${script}\`\n\n` +
    "![tracker](https://evil.example/pixel.png) <svg><script>__pwned.push('svg')</script></svg>";
  lesson.task.hints[0] = `A hint ${img}`;
  const url = await suite.harness.serveModified({ "lessons/12-caching-patterns.json": lesson });
  const context = await newContext();
  await watchForInjection(context);
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await open({ context });
  await openLesson(page, url);
  const text = page.locator(".lesson-section .markdown").first();
  await text.getByText("Raw HTML:").waitFor();
  const paragraphs = await text.locator("p").allTextContents();
  assert.equal(paragraphs[0], `Raw HTML: ${img} ${script}`);
  assert.equal(paragraphs[1], "a link and <a href=\"#\" onclick=\"__pwned.push('click')\">no link</a>");
  assert.equal(paragraphs[2], `In code: ${script}`);
  assert.match(paragraphs[3], /<svg><script>__pwned\.push\('svg'\)<\/script><\/svg>$/);
  await page.getByRole("button", { name: "Show a hint" }).click();
  assert.equal(await page.locator("#hints li").first().textContent(), `Hint 1: A hint ${img}`);
  // The sanitised link has no address left to follow: a click on it does nothing.
  assert.equal(await text.getByText("a link").getAttribute("href"), null);
  await text.getByText("a link").click();
  assert.deepEqual(await page.evaluate(() => window.__pwned), []);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.equal(await page.locator("#lesson script, #task script, #lesson svg:not(.brand-mark), #lesson [onerror], #lesson [onclick]").count(), 0);
  assert.equal(await page.locator('#lesson a[href^="javascript"]').count(), 0);
  assert.equal(await page.locator("#lesson .markdown img").count(), 1, "the Markdown image, without its source");
  assert.equal(await page.locator("#lesson .markdown img").getAttribute("src"), null);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), `Caching ${img}`);
  await page.screenshot({ path: join(screenshotsDir, "lesson-html-as-text.png") });
  assert.deepEqual(requests.filter((address) => new URL(address).origin !== new URL(url).origin), []);
  // No element for the injected image was ever made, even for a moment: it would have asked
  // for its source, x.
  assert.deepEqual(requests.filter((address) => new URL(address).pathname === "/x"), []);
});

test("HTML in a key name, a value and an error is shown as text: nothing runs", async () => {
  const context = await newContext();
  await watchForInjection(context);
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await open({ context });
  await openLesson(page, suite.harness.url);
  const key = "<img src=x onerror=__pwned.push('key')>";
  const value = "<script>__pwned.push('value')</script>";
  const command = "<svg/onload=__pwned.push(1)>";
  const shown = await runScript(page, `SET "${key}" "${value}"\nGET "${key}"\n${command} now`);
  assert.equal(shown[1], `"${value}"`);
  assert.equal(shown[2], `✕ (error) ERR unknown command '${command}', with args beginning with: 'now' `);
  const row = page.locator(".key-row").first();
  assert.equal(await row.locator(".key-name").textContent(), key);
  assert.equal(await row.locator(".key-preview").textContent(), `"${value}"`);
  assert.equal(await page.locator("#output img, #output svg, #output script, #keys img, #keys script").count(), 0);
  assert.deepEqual(await page.evaluate(() => window.__pwned), []);
  // No element for the injected image was ever made, even for a moment: it would have asked
  // for its source, x.
  assert.deepEqual(requests.filter((address) => new URL(address).pathname === "/x"), []);
});

test("the Content Security Policy is in force, and a lesson, Runs and navigation break none of it", async () => {
  const context = await newContext();
  await watchForInjection(context);
  const page = await open({ context });
  const response = await page.goto(`${suite.harness.url}#/caching-patterns`);
  await waitForReady(page);
  const header = response.headers()["content-security-policy"];
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.equal(header, meta);
  for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "connect-src 'self'", "img-src 'self' data:"]) {
    assert.ok(meta.includes(directive), directive);
  }
  assert.doesNotMatch(meta, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);

  await typeScript(page, caching.task.solution, { paste: true });
  await run(page);
  await page.getByText("Task complete", { exact: true }).waitFor();
  const example = caching.sections[2].examples[0];
  await page.getByRole("button", { name: `Run example: ${example.title}` }).click();
  await page.locator(".run-example").waitFor();
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: lessonFile(13).title }).waitFor();
  await waitForReady(page);
  await runScript(page, "PING");
  await page.getByRole("button", { name: "+10 s" }).click();
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);

  // And it is enforced: an inline script added to the page does not run.
  suite.current.allow = [/inline script violates the following Content Security Policy directive/];
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.__pwned.push('inline')";
    document.head.append(script);
  });
  await page.waitForFunction(() => window.__cspViolations.length > 0);
  assert.deepEqual(await page.evaluate(() => window.__pwned), []);
  assert.match((await page.evaluate(() => window.__cspViolations))[0], /^script-src-elem inline$/);
});

test("no request ever leaves the page's own origin", async () => {
  const context = await newContext();
  const requests = [];
  context.on("request", (request) => requests.push(request.url()));
  const page = await open({ context });
  await page.goto(`${suite.harness.url}#/caching-patterns`);
  await waitForReady(page);
  await typeScript(page, caching.task.solution, { paste: true });
  await run(page);
  await page.getByText("Task complete", { exact: true }).waitFor();
  await page.getByRole("button", { name: /Lessons/ }).click();
  await page.getByRole("link", { name: /Keys and Values/ }).click();
  await page.getByRole("heading", { level: 1, name: "Keys and Values" }).waitFor();
  await waitForReady(page);
  await runScript(page, "SET a 1\nGET a");
  await page.getByRole("button", { name: "Next", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: lessonFile(2).title }).waitFor();
  await page.reload();
  await waitForReady(page);
  const origin = new URL(suite.harness.url).origin;
  assert.ok(requests.length > 8, `${requests.length} requests recorded`);
  assert.ok(requests.some((address) => address.endsWith(".wasm")), "the worker's requests are recorded too");
  assert.deepEqual(requests.filter((address) => new URL(address).origin !== origin), []);
});
