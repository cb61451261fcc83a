// The learner's page in Debian's Chromium: the caching lesson solved, a wrong solution,
// hostile values, the clock, storage, keyboard use, phones, and what happens when the
// engine cannot load. No test may leave an uncaught page error or a console error behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  caching,
  manifest,
  readLesson,
  editor,
  editorText,
  openLesson,
  replies,
  root,
  run,
  screenshotsDir,
  siteDir,
  typeScript,
  pagePerTest,
  waitForCompletionReady,
  waitForStill,
} from "./harness.mjs";

const suite = pagePerTest();
const open = (options) => suite.open(options);

const checkItems = (page) => page.locator("#checks > li");

test("the caching lesson: the solution passes every check, and survives a reload", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await assert.doesNotReject(page.getByText("Lesson 12 of 17").waitFor());
  await page.getByRole("heading", { level: 1, name: "Caching Patterns" }).waitFor();

  await typeScript(page, caching.task.solution);
  await run(page);

  // The last line's EVAL (the safe release) ran on the engine with Lua, loaded for it.
  assert.deepEqual(await replies(page), ["OK", "(nil)", '"worker-1"', "(integer) 0"]);
  const echoed = await page.locator(".run-group .cmd").allTextContents();
  assert.deepEqual(echoed, caching.task.solution.trim().split("\n"));

  const checks = caching.task.checks;
  await assert.doesNotReject(page.locator("#checks > li.check-pass").nth(checks.length - 1).waitFor());
  assert.equal(await page.locator("#checks > li.check-pass").count(), checks.length);
  for (const [index, check] of checks.entries()) {
    const item = checkItems(page).nth(index);
    assert.match(await item.innerText(), new RegExp(escape(check.message)));
    // Passing is said in text, not only in green.
    assert.match(await item.locator(".check-text").textContent(), /^Passed: /);
  }
  await page.getByText("Task complete", { exact: true }).waitFor();
  await page.locator(".key-row", { hasText: "lock:task" }).waitFor();

  // The README's picture of the page.
  await waitForStill(page); // the scroll to the checks and the animation
  const shot = join(screenshotsDir, "lesson.png");
  await page.screenshot({ path: shot });
  if (process.env.REDPAD_UPDATE_SCREENSHOT === "1") {
    mkdirSync(join(root, "docs"), { recursive: true });
    copyFileSync(shot, join(root, "docs/screenshot.png"));
  }

  await page.reload();
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
  assert.equal(await editorText(page), caching.task.solution.replace(/\n$/, ""));
  await page.locator(".lesson-head .done-badge").waitFor();
  assert.equal(await page.locator("#progress-pill").textContent(), "1 of 17 done");
  await page.getByRole("button", { name: /Lessons/ }).click();
  const item = page.locator("#lesson-list .lesson-item", { hasText: "Caching Patterns" });
  assert.match(await item.innerText(), /Done/);
  assert.equal(await page.locator("#lesson-list .lesson-item").count(), 17);
  assert.equal(await page.locator("#lesson-list .is-soon").count(), 17 - manifest.lessons.length);
  await page.keyboard.press("Escape");
});

test("a wrong solution leaves the failing checks failing, with their messages", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await typeScript(page, 'SET lock:task "worker-2" NX EX 60\nSET lock:task "worker-1" NX\nGET lock:task');
  await run(page);
  assert.deepEqual(await replies(page), ["OK", "(nil)", '"worker-2"']);

  const checks = caching.task.checks;
  await checkItems(page).nth(checks.length - 1).and(page.locator(":not(.check-pending)")).waitFor();
  const wrong = [0, 1, 2, 3, 4]; // worker-1 never took the lock (nor worker-2 tried EVAL): these cannot pass
  for (const index of wrong) {
    const item = checkItems(page).nth(index);
    assert.match(await item.getAttribute("class"), /check-fail/);
    assert.match(await item.locator(".check-text").textContent(), /^Not passing yet: /);
    assert.match(await item.innerText(), new RegExp(escape(checks[index].message)));
  }
  assert.match(await page.locator("#checks-status").textContent(), new RegExp(`^\\d of ${checks.length} checks pass\\.$`));
  assert.equal(await page.locator("#task-complete").isVisible(), false);
  assert.equal(await page.locator(".lesson-head .done-badge").count(), 0);
  assert.equal(await page.locator("#progress-pill").textContent(), "0 of 17 done");
});

test("HTML in a value is shown as text: nothing runs", async () => {
  const page = await open();
  const requests = [];
  page.on("request", (request) => requests.push(request.url()));
  await openLesson(page, suite.harness.url);
  await page.evaluate(() => {
    window.alert = (text) => {
      window.__alerted = String(text);
    };
  });
  await typeScript(page, 'SET x "<img src=x onerror=alert(1)>"\nGET x');
  await run(page);
  assert.deepEqual(await replies(page), ["OK", '"<img src=x onerror=alert(1)>"']);
  assert.equal(await page.locator("#output img, #keys img, #lesson img").count(), 0);
  const preview = page.locator(".key-row", { hasText: "x" }).locator(".key-preview");
  assert.equal(await preview.textContent(), '"<img src=x onerror=alert(1)>"');
  assert.equal(await page.evaluate(() => window.__alerted), undefined);
  // No element for the image was ever made, even for a moment: it would have asked for x.
  assert.deepEqual(requests.filter((address) => new URL(address).pathname === "/x"), []);
});

test("the clock buttons make a key with a TTL disappear from the inspector", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await typeScript(page, 'SET session:temp "short-lived" EX 70\nSET keeper "stays"');
  const setAt = Date.now();
  await run(page);
  const row = page.locator(".key-row", { hasText: "session:temp" });
  await row.waitFor();
  // 70 s, less the real time since the Run (the clock follows it), in whole seconds.
  const [, minutes, seconds] = /(?:(\d+) min)? ?(?:(\d+) s)?$/.exec(await row.locator(".key-ttl").innerText());
  const shown = Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
  const passed = Math.ceil((Date.now() - setAt) / 1000);
  assert.ok(shown <= 70 && shown >= 70 - passed - 1, `the TTL shown is ${shown} s, ${passed} s after the Run`);
  const clockBefore = await page.locator("#clock-time").textContent();

  await page.getByRole("button", { name: "+1 min" }).click();
  await page.getByRole("button", { name: "+10 s" }).click();
  await page.getByRole("button", { name: "+1 s" }).click();
  await row.waitFor({ state: "detached" });
  await page.locator(".key-row", { hasText: "keeper" }).waitFor();
  assert.notEqual(await page.locator("#clock-time").textContent(), clockBefore);
  assert.match(await page.locator("#clock-note").textContent(), /ahead/);

  await page.getByRole("button", { name: "+1 min" }).click();
  await typeScript(page, "TTL session:temp\nDBSIZE");
  await run(page);
  assert.deepEqual(await replies(page), ["(integer) -2", "(integer) 1"]);
});

test("state persists across runs until Reset; errors and unreadable lines are marked", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await typeScript(page, "SET counter 41\nINCR counter");
  await run(page);
  await typeScript(page, 'INCR counter\nSET broken "no end\nGET\nSELECT 1\nMULTI\nSET a 1\nEXEC', {
    paste: true,
  });
  // Keyboard only: Ctrl+Enter in the editor runs the script.
  await editor(page).focus();
  await run(page, { key: "Control+Enter" });
  const entries = page.locator(".run-group").last().locator(".entry");
  assert.equal(await entries.count(), 7);
  assert.equal(await entries.nth(0).locator(".reply").textContent(), "(integer) 43");
  assert.match(await entries.nth(1).getAttribute("class"), /is-error/);
  assert.equal(await entries.nth(1).locator(".reply").textContent(), "Invalid argument(s)");
  assert.match(await entries.nth(1).innerText(), /Line 2 could not be read/);
  assert.match(await entries.nth(2).locator(".reply").textContent(), /\(error\) ERR wrong number of arguments for 'get' command/);
  // Prompts follow SELECT and MULTI, as redis-cli's do.
  assert.equal(await entries.nth(4).locator(".prompt").textContent(), "redpad[1]>");
  assert.equal(await entries.nth(5).locator(".prompt").textContent(), "redpad[1](TX)>");
  assert.equal(await entries.nth(5).locator(".reply").textContent(), "QUEUED");
  assert.deepEqual(
    await page.locator(".cm-errorLine").allTextContents(),
    ['SET broken "no end', "GET"],
  );
  assert.match(await page.locator(".run-group").last().locator(".run-summary").textContent(), /7 commands, 2 errors/);

  // A line number in the output takes the cursor to that line.
  await entries.nth(1).getByRole("button", { name: "Go to line 2 in the editor" }).click();
  assert.equal(await page.locator(".cm-activeLine").textContent(), 'SET broken "no end');

  await page.getByRole("button", { name: "Reset server" }).click();
  await page.locator("#output").getByText("The server was reset").waitFor();
  await typeScript(page, "GET counter");
  await run(page);
  assert.deepEqual(await replies(page), ["(nil)"]);
  assert.equal(await page.locator(".run-group").last().locator(".prompt").textContent(), "redpad>");
});

test("examples in the lesson run, and load into the editor", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  const example = caching.sections[2].examples[0];
  await page.getByRole("button", { name: `Run example: ${example.title}` }).click();
  await page.locator(".run-example").waitFor();
  const shown = await page.locator(".run-example .reply").allTextContents();
  assert.deepEqual(shown.map((text) => `${text}\n`).join(""), example.expected);

  await page.getByRole("button", { name: `Edit example in the editor: ${example.title}` }).click();
  assert.equal(await editorText(page), example.commands);
  await page.keyboard.press("ControlOrMeta+z");
  assert.equal(await editorText(page), caching.task.starter);
});

test("autocompletion offers commands with their syntax line", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await editor(page).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("GETD");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "GETDEL" });
  await option.waitFor();
  assert.match(await option.innerText(), /^GETDEL\s*key$/);
  await waitForCompletionReady(page);
  await page.keyboard.press("Enter");
  assert.equal(await editorText(page), "GETDEL ");
  await page.locator("#syntax-bar", { hasText: "Get the value of a key and delete the key" }).waitFor();
});

test("a huge reply is cut in the view with a count, and the page stays responsive", async () => {
  const page = await open();
  await openLesson(page, suite.harness.url);
  await typeScript(page, "DEBUG POPULATE 20000\nKEYS *\nDBSIZE");
  await run(page);
  const group = page.locator(".run-group").last();
  assert.match(
    await group.locator(".omitted").first().textContent(),
    /^… [\d,]+ more lines \(.+\) not shown: a reply shows at most 400 lines here\.$/,
  );
  assert.equal(await group.locator(".reply").last().textContent(), "(integer) 20000");
  assert.equal(await page.locator("#keys-summary").textContent(), "db 0 · 20,000 keys (first 200 shown)");
  assert.equal(await page.locator(".key-row").count(), 200);
});

test("a long run can be stopped, and the page answers meanwhile", async () => {
  const page = await open();
  // A Run held in the engine's worker until Stop (harness.mjs, RunHolds), with no time limit
  // in the way.
  await openLesson(page, `${suite.harness.url}?runTimeoutMs=0&holdRuns`);
  await typeScript(page, "SET kept 1");
  await run(page);
  await typeScript(page, "DEBUG POPULATE 5000\nKEYS *");
  const hold = suite.harness.holds.holdNext("run");
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await hold.arrived;
  const stop = page.getByRole("button", { name: "Stop" });
  await stop.waitFor();
  // The engine works in its worker, blocked there: the page still paints and handles input.
  await page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
  );
  await page.getByRole("button", { name: /Lessons/ }).click();
  await page.getByRole("dialog").waitFor();
  await page.keyboard.press("Escape");
  await page.getByRole("dialog").waitFor({ state: "hidden" });
  await stop.click();
  await page.locator("#output").getByText("Stopped. The keys are back to how they were before this Run").waitFor();
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
  await typeScript(page, "DBSIZE\nGET kept");
  await run(page);
  assert.deepEqual(await replies(page), ["(integer) 1", '"1"']);
});

test("corrupted saved progress is survived with a notice", async () => {
  const context = await suite.harness.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    if (!sessionStorage.getItem("seeded")) {
      localStorage.setItem("redpad.progress.v1", "{not json");
      sessionStorage.setItem("seeded", "1");
    }
  });
  const page = await open({ context });
  await openLesson(page, suite.harness.url);
  await page.getByText("Your saved progress could not be read").waitFor();
  await typeScript(page, "PING");
  await run(page);
  assert.deepEqual(await replies(page), ["PONG"]);
});

test("storage that is blocked is survived with a notice", async () => {
  const context = await suite.harness.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("blocked", "SecurityError");
      },
    });
  });
  const page = await open({ context });
  await openLesson(page, suite.harness.url);
  await page.getByText("Your progress can't be saved in this browser").waitFor();
  await page.getByRole("heading", { level: 1, name: "Caching Patterns" }).waitFor();
});

test("a phone-sized screen: no sideways scrolling, everything reachable", async () => {
  const page = await open({ viewport: { width: 390, height: 844 } });
  await openLesson(page, suite.harness.url);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await typeScript(page, caching.task.solution);
  await run(page);
  await page.screenshot({ path: join(screenshotsDir, "phone.png"), fullPage: false });
  await page.getByText("Task complete", { exact: true }).waitFor();
});

test("lesson URLs, previous and next: each lesson keeps its own script", async () => {
  const page = await open();
  await page.goto(`${suite.harness.url}#/no-such-lesson`);
  await page.getByRole("heading", { level: 1, name: "Lesson not found" }).waitFor();
  await page.getByRole("button", { name: "Show the lessons" }).click();
  await page.getByRole("dialog").waitFor();
  await page.getByRole("link", { name: /Caching Patterns/ }).click();
  await page.getByRole("heading", { level: 1, name: "Caching Patterns" }).waitFor();
  assert.match(page.url(), /#\/caching-patterns$/);
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
  await typeScript(page, "GET mine");

  const next = manifest.lessons.find((entry) => entry.number === 13);
  const previous = manifest.lessons.find((entry) => entry.number === 11);
  for (const [button, entry] of [["Next", next], ["Previous", previous]]) {
    if (!entry) continue;
    await page.getByRole("button", { name: button, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: entry.title }).waitFor();
    assert.match(page.url(), new RegExp(`#/${entry.id}$`));
    assert.equal(await page.getByText(`Lesson ${entry.number} of 17`).count(), 1);
    assert.equal(await editorText(page), readLesson(entry.file).task.starter);
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "Caching Patterns" }).waitFor();
    assert.equal(await editorText(page), "GET mine");
  }
  // A bare URL lands on the last lesson opened.
  await page.goto(suite.harness.url);
  await page.waitForURL(/#\/caching-patterns$/);
});

test("every lesson in the course: its text renders and its solution passes in the page", async () => {
  const page = await open();
  for (const entry of manifest.lessons) {
    const lesson = readLesson(entry.file);
    await page.goto(`${suite.harness.url}#/${entry.id}`);
    await page.getByRole("heading", { level: 1, name: lesson.title }).waitFor();
    await page.getByText(`Lesson ${lesson.number} of 17`).waitFor();
    await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
    await typeScript(page, lesson.task.solution, { paste: true });
    await run(page);
    const results = await page.locator("#checks > li").evaluateAll((items) =>
      items.map((item) => `${item.className}: ${item.innerText.replace(/\s+/g, " ")}`),
    );
    assert.equal(results.length, lesson.task.checks.length, entry.id);
    for (const result of results) assert.match(result, /check-pass/, `${entry.id}: ${result}`);
    await page.locator("#task-complete").waitFor();
  }
  assert.equal(await page.locator("#progress-pill").textContent(), `${manifest.lessons.length} of 17 done`);
});

test("the engine cannot load: a clear message, not a blank page", async () => {
  const context = await suite.harness.browser.newContext();
  await context.route("**/redpad-engine.wasm", (route) => route.fulfill({ status: 404, body: "" }));
  const page = await open({ context });
  suite.current.allow = [/404/];
  await page.goto(`${suite.harness.url}#/caching-patterns`);
  const fatal = page.getByRole("alert").filter({ hasText: "The Redis engine could not load" });
  await fatal.waitFor();
  assert.match(await fatal.innerText(), /404/);
  // The lesson is still there to read.
  await page.getByRole("heading", { level: 1, name: "Caching Patterns" }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Run", exact: true }).isDisabled(), true);
});

test("the page's script cannot load: says so once the page has loaded, however slowly", async () => {
  const context = await suite.harness.browser.newContext();
  await context.route(/\/app-[A-Z0-9]+\.js$/, (route) => route.fulfill({ status: 404, body: "" }));
  const page = await open({ context });
  suite.current.allow = [/404/];
  await page.goto(`${suite.harness.url}#/caching-patterns`);
  await page.getByRole("alert").filter({ hasText: "redpad could not start" }).waitFor();
  assert.match(await page.locator("#fatal").innerText(), /The page's script did not load/);
});

test("opened from file://: says a web server is needed", async () => {
  const page = await open();
  suite.current.allow = [/./]; // the browser itself refuses the module from file://
  await page.goto(`file://${join(siteDir, "index.html")}`);
  await page.getByRole("alert").filter({ hasText: "redpad needs a web server" }).waitFor();
  assert.match(await page.locator("#fatal").innerText(), /\.\/scripts\/start/);
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
