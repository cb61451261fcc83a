// Several clients on the page (docs/clients.md), in Debian's Chromium: a column per client,
// entries in the order they happened; a blocked command visibly waiting until it is served
// or times out (through tick, on the virtual clock: real time or the clock buttons),
// across Runs and across a rebuilt engine; Pub/Sub messages in the subscriber's column;
// `@name` lines in the editor and in a lesson example; and a Run of one client exactly as
// before. Screenshots in build/screenshots/clients-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  caching,
  editor,
  editorText,
  openLesson,
  replies,
  run,
  screenshotsDir,
  typeScript,
  pagePerTest,
  waitForCompletionReady,
} from "./harness.mjs";

const suite = pagePerTest();
const open = (options) => suite.open(options);

const lastGroup = (page) => page.locator("#output .run-group").last();

// Runs `script` (pasted, then Run) and waits until its output is shown.
async function runScript(page, script) {
  await typeScript(page, script, { paste: true });
  await run(page);
}

// The last group as the learner sees it: its columns (client names, badges) and its rows,
// each cell as "" (empty) or a short description of its entry:
//   "> SET a 1 => OK"             a command and its reply
//   "> BLPOP q 0 [waiting…]"      a blocked command (with its waiting line)
//   "↳ BLPOP q 0 (served) => ..." the answer arriving (a timing line shown as "(N.NNs)")
//   "message => 1) ..."           a Pub/Sub message
// and dividers (time passing) as "-- text --".
async function columns(page, group = lastGroup(page)) {
  return group.evaluate((node) => {
    const grid = node.querySelector(".clients-grid");
    if (!grid) return null;
    const heads = [...grid.querySelectorAll(".client-head[data-client]")].map((head) => ({
      name: head.dataset.client,
      badges: [...head.querySelectorAll(".badge")].map((badge) => badge.textContent),
    }));
    const describe = (entry) => {
      // redis-cli's timing line after a reply that took half a second or more: "(N.NNs)".
      const reply = entry
        .querySelector(".reply")
        ?.textContent.replace(/^✕ /, "")
        .replace(/\n\(\d+\.\d\ds\)$/, "\n(N.NNs)");
      const waiting = entry.querySelector(".waiting-text")?.textContent;
      if (entry.classList.contains("entry-message")) return `message => ${reply}`;
      if (entry.classList.contains("entry-reply")) {
        const command = entry.querySelector(".cmd").cloneNode(true);
        const cause = command.querySelector(".cause")?.textContent;
        command.querySelector(".cause")?.remove();
        command.querySelector(".sr-only")?.remove();
        return `↳ ${command.textContent.trim()} (${cause}) => ${reply}`;
      }
      const echo = `${entry.querySelector(".prompt").textContent} ${entry.querySelector(".cmd").textContent}`;
      if (waiting !== undefined) return `${echo} [${waiting}]`;
      if (entry.classList.contains("is-not-run")) return `${echo} (${entry.querySelector(".reply-hint").textContent})`;
      return `${echo} => ${reply}`;
    };
    const rows = [];
    for (const child of grid.children) {
      if (child.classList.contains("tick-divider")) rows.push(`-- ${child.textContent.replace(/^\d\d:\d\d:\d\d · /, "")} --`);
      else if (child.classList.contains("client-row") && !child.classList.contains("client-heads")) {
        rows.push(
          [...child.querySelectorAll(".client-cell")].map((cell) => {
            const entry = cell.querySelector(".entry");
            return entry ? describe(entry) : "";
          }),
        );
      }
    }
    return { heads, rows };
  });
}

const names = (shown) => shown.heads.map((head) => head.name);
const ticksShown = async (page) => Number((await page.locator("html").getAttribute("data-ticks")) ?? 0);

// Waits until the page has shown one more tick than `before`.
async function waitForTick(page, before) {
  await page.waitForFunction((n) => Number(document.documentElement.dataset.ticks ?? 0) > n, before);
}

// A countdown ("times out in 1 min 39 s", "times out in 0.4 s") in seconds.
function countdownSeconds(text) {
  const match = /^times out in (?:(\d+) min ?)?(?:([\d.]+) s)?$/.exec(text);
  assert.ok(match, `not a countdown: ${text}`);
  return Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0);
}

// A reply's timing line ("(nil)\n(1.23s)") in seconds.
function timingSeconds(reply) {
  const match = /\n\((\d+\.\d\d)s\)$/.exec(reply);
  assert.ok(match, `no timing line: ${reply}`);
  return Number(match[1]);
}

test("a lock race between two workers: a column each, the replies where they belong", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(
    page,
    "@worker-1\nSET lock:report worker-1 NX EX 30\n@worker-2\nSET lock:report worker-2 NX EX 30\nGET lock:report",
  );
  const shown = await columns(page);
  assert.ok(shown, "the Run is shown in columns");
  assert.deepEqual(names(shown), ["worker-1", "worker-2"]);
  assert.deepEqual(shown.rows, [
    ["> SET lock:report worker-1 NX EX 30 => OK", ""],
    ["", "> SET lock:report worker-2 NX EX 30 => (nil)"],
    ["", '> GET lock:report => "worker-1"'],
  ]);
  // Each row's script line, linked to the editor.
  const group = lastGroup(page);
  assert.deepEqual(await group.locator(".client-gutter .line-link").allTextContents(), ["2", "4", "5"]);
  await group.locator(".client-gutter").getByRole("button", { name: "Go to line 4 in the editor" }).click();
  assert.equal(await page.locator(".cm-activeLine").textContent(), "SET lock:report worker-2 NX EX 30");
  assert.match(await group.locator(".run-summary").textContent(), /^3 commands$/);
  assert.equal(await group.locator(".run-clients").textContent(), "2 clients");
  // The keyspace is the one server's.
  await page.locator(".key-row", { hasText: "lock:report" }).waitFor();
  // Readable at 1280x800: both columns fit the pane, nothing scrolls sideways.
  const overflow = await page.locator("#output").evaluate((node) => node.scrollWidth - node.clientWidth);
  assert.ok(overflow <= 0, `the output is ${overflow}px wider than its pane`);
  await page.screenshot({ path: join(screenshotsDir, "clients-lock-race.png") });
});

test("BLPOP served by another client's LPUSH in one Run: it waited, then got its answer", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "@consumer\nBLPOP jobs 0\n@producer\nLPUSH jobs invoice:42\n@consumer\nLLEN jobs");
  const shown = await columns(page);
  assert.deepEqual(names(shown), ["consumer", "producer"]);
  assert.deepEqual(shown.rows, [
    ["> BLPOP jobs 0 [served ↓]", ""],
    ['↳ BLPOP jobs 0 (served) => 1) "jobs"\n2) "invoice:42"', "> LPUSH jobs invoice:42 => (integer) 1"],
    ["> LLEN jobs => (integer) 0", ""],
  ]);
  assert.deepEqual(shown.heads.map((head) => head.badges), [[], []], "nobody waits any more");
  assert.match(await lastGroup(page).locator(".run-summary").textContent(), /^3 commands$/);
});

test("BLPOP across two Runs: waiting after the first, served by the second", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "@consumer\nBLPOP jobs 0");
  const first = page.locator("#output .run-group").first();
  let shown = await columns(page, first);
  assert.deepEqual(names(shown), ["consumer"]);
  assert.deepEqual(shown.heads[0].badges, ["waiting"]);
  assert.deepEqual(shown.rows, [["> BLPOP jobs 0 [waiting…]"]]);
  await first.locator(".waiting", { hasText: "no timeout" }).waitFor();
  await page.screenshot({ path: join(screenshotsDir, "clients-waiting.png") });
  // Still waiting ten seconds later on the clock: it has no timeout.
  const ticks = await ticksShown(page);
  await page.getByRole("button", { name: "+10 s" }).click();
  await waitForTick(page, ticks);
  assert.equal(await first.locator(".waiting-text").textContent(), "waiting…");

  await runScript(page, "LPUSH jobs invoice:42\nLLEN jobs");
  shown = await columns(page);
  assert.deepEqual(names(shown), ["main", "consumer"]);
  assert.deepEqual(shown.rows, [
    // Served after more than half a second (the ten on the clock): redis-cli's timing line
    // follows the reply.
    ["> LPUSH jobs invoice:42 => (integer) 1", '↳ BLPOP jobs 0 (served) => 1) "jobs"\n2) "invoice:42"\n(N.NNs)'],
    ["> LLEN jobs => (integer) 0", ""],
  ]);
  // The first Run's command says it was served, and no head says "waiting" any more.
  assert.equal(await first.locator(".waiting-text").textContent(), "served: see Run 2 below");
  assert.equal(await page.locator("#output .badge-waiting").count(), 0);
  await page.screenshot({ path: join(screenshotsDir, "clients-served.png") });
});

test("BLPOP with a timeout of 1 s: a countdown, then (nil) when the page's clock moves on", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  const before = await ticksShown(page);
  const ranAt = Date.now();
  await runScript(page, "@worker\nBLPOP jobs 1");
  const group = page.locator("#output .run-group").nth(0);
  // Still waiting, unless the machine took a whole second of real time to get here: the
  // page's clock follows real time, so the timeout may then have come by itself (the
  // lines below accept either way of ending).
  const first = (await columns(page)).rows;
  if (Date.now() - ranAt < 1000) assert.deepEqual(first, [["> BLPOP jobs 1 [waiting…]"]]);
  else assert.match(first[0][0], /^> BLPOP jobs 1 \[(waiting…|timed out ↓)\]$/);
  // The countdown is on the virtual clock; the clock buttons move it past the timeout.
  await page.getByRole("button", { name: "+10 s" }).click();
  await waitForTick(page, before);
  await group.locator(".entry-reply").waitFor();
  const shown = await columns(page);
  // Time passing continues the Run's columns, below a line saying why.
  assert.equal(shown.rows.length, 3);
  assert.match(shown.rows[1], /^-- (clock moved forward 10 s|a blocked command's timeout came) --$/);
  assert.match(shown.rows[2][0], /^↳ BLPOP jobs 1 \(timed out\) => \(nil\)/);
  assert.equal(await group.locator(".waiting-text").textContent(), "timed out ↓");
  assert.equal(await page.locator("#output .badge-waiting").count(), 0);

  // A longer timeout: only the clock buttons can have ended it. The countdown follows the
  // clock, which follows real time: 119 s less the real time since the Run, in whole seconds.
  const blockedAt = Date.now();
  await runScript(page, "@worker\nBLPOP jobs 119");
  const longer = page.locator("#output .run-group").nth(1);
  const countdown = longer.locator(".waiting-countdown");
  await countdown.filter({ hasText: /^times out in / }).waitFor();
  let left = countdownSeconds(await countdown.textContent());
  let passed = Math.ceil((Date.now() - blockedAt) / 1000);
  assert.ok(left <= 119 && left >= 119 - passed - 1, `${left} s left, ${passed} s after the Run`);
  const ticks = await ticksShown(page);
  await page.getByRole("button", { name: "+1 min" }).click();
  await waitForTick(page, ticks);
  assert.equal(await longer.locator(".entry-reply").count(), 0, "1 min is not enough");
  await countdown.filter({ hasText: /^times out in [\d.]+ s$/ }).waitFor();
  left = countdownSeconds(await countdown.textContent());
  passed = Math.ceil((Date.now() - blockedAt) / 1000);
  assert.ok(left <= 59 && left >= 59 - passed - 1, `${left} s left after +1 min, ${passed} s after the Run`);
  await page.getByRole("button", { name: "+1 min" }).click();
  await longer.locator(".entry-reply").waitFor();
  const after = await columns(page, longer);
  assert.deepEqual(after.rows.at(-2), "-- clock moved forward 1 min --");
  assert.equal(after.rows.at(-1)[0], "↳ BLPOP jobs 119 (timed out) => (nil)\n(N.NNs)");
  // Two minutes on the clock, and the real time since the Run.
  const waited = timingSeconds(await longer.locator(".entry-reply .reply").textContent());
  passed = (Date.now() - blockedAt) / 1000;
  assert.ok(waited >= 120 && waited <= 120 + passed + 0.01, `waited ${waited} s, ${passed} s after the Run`);
  await page.screenshot({ path: join(screenshotsDir, "clients-timeout.png") });
});

test("a timeout comes with real time too: the page lets it pass by itself", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  const blockedAt = Date.now();
  await runScript(page, "@worker\nBLPOP jobs 1\n@main\nPING");
  const group = lastGroup(page);
  await group.locator(".entry-reply").waitFor();
  const repliedAt = Date.now();
  const shown = await columns(page);
  assert.equal(shown.rows.at(-2), "-- a blocked command's timeout came --");
  assert.equal(shown.rows.at(-1)[1], "↳ BLPOP jobs 1 (timed out) => (nil)\n(N.NNs)");
  // A second at least, and no more than the real time from the Run to the answer shown.
  const waited = timingSeconds(await group.locator(".entry-reply .reply").textContent());
  const most = (repliedAt - blockedAt) / 1000;
  assert.ok(waited >= 1 && waited <= most + 0.01, `waited ${waited} s; ${most} s passed`);
});

test("SUBSCRIBE in one client, PUBLISH in another: the message in the subscriber's column", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "@subscriber\nSUBSCRIBE news\n@publisher\nPUBLISH news hello\nPUBLISH sport nobody");
  const shown = await columns(page);
  assert.deepEqual(names(shown), ["subscriber", "publisher"]);
  assert.deepEqual(shown.heads[0].badges, ["subscribed to 1"]);
  assert.deepEqual(shown.rows, [
    ['> SUBSCRIBE news => Reading messages... (press Ctrl-C to quit)\n1) "subscribe"\n2) "news"\n3) (integer) 1', ""],
    ['message => 1) "message"\n2) "news"\n3) "hello"', "> PUBLISH news hello => (integer) 1"],
    ["", "> PUBLISH sport nobody => (integer) 0"],
  ]);
  // A subscribed client may not run GET: Redis's error, in its column.
  await runScript(page, "@subscriber\nGET news");
  const refused = await columns(page);
  assert.match(refused.rows[0][0], /ERR Can't execute 'get': only \(P\|S\)SUBSCRIBE/);
  assert.match(await lastGroup(page).locator(".run-summary").textContent(), /1 error/);
  await page.screenshot({ path: join(screenshotsDir, "clients-pubsub.png") });
});

test("a Run of one client looks exactly as it always did", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "SET a 1\nGET a\nBADCOMMAND");
  const group = lastGroup(page);
  assert.equal(await group.locator(".clients-grid").count(), 0);
  assert.equal(await group.locator(":scope > .entry").count(), 3);
  assert.deepEqual(await replies(page), ["OK", '"1"', "✕ (error) ERR unknown command 'BADCOMMAND', with args beginning with: "]);
  assert.deepEqual(await group.locator(".prompt").allTextContents(), ["redpad>", "redpad>", "redpad>"]);
  assert.deepEqual(await group.locator(".line-link").allTextContents(), ["line 1", "line 2", "line 3"]);
  assert.equal(await group.locator(".run-summary").textContent(), "3 commands, 1 error");
  assert.equal(await group.locator(".run-clients").count(), 0);
  // A line starting with @ that is no client switch is refused, with what a switch is.
  await runScript(page, "@bad name\nPING");
  const refused = lastGroup(page);
  assert.equal(await refused.locator(".clients-grid").count(), 0);
  assert.match(await refused.locator(".entry").first().locator(".reply").textContent(), /A client switch is '@' and a name/);
  assert.equal(
    await refused.locator(".entry").first().locator(".reply-hint").textContent(),
    "Line 1 starts with @ but does not switch the client, so it was not sent.",
  );
  assert.deepEqual(await page.locator(".cm-errorLine").allTextContents(), ["@bad name"]);
  // Even on a server where other clients are connected.
  await runScript(page, "@other\nPING");
  await runScript(page, "GET a");
  assert.equal(await lastGroup(page).locator(".clients-grid").count(), 0);
  assert.deepEqual(await replies(page), ['"1"']);
});

test("main alone blocked: it waits in a plain Run, its next lines are not run, and another client serves it", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "SET before 1\nBLPOP jobs 0");
  const first = page.locator("#output .run-group").nth(0);
  assert.equal(await first.locator(".clients-grid").count(), 0, "one client: no columns");
  assert.equal(await first.locator(":scope > .entry.is-blocked .waiting-text").textContent(), "waiting…");
  assert.equal(await first.locator(".waiting-countdown").textContent(), "no timeout");

  await runScript(page, "GET before");
  const second = lastGroup(page);
  assert.equal(await second.locator(".clients-grid").count(), 0);
  assert.equal(
    await second.locator(".entry.is-not-run .reply-hint").textContent(),
    "Not run: the client was still blocked, with no timeout, when the script ended.",
  );
  assert.match(await second.locator(".stuck-hint").textContent(), /^This script's client \(main\) is still waiting for BLPOP jobs 0/);
  assert.equal(await second.locator(".run-summary").textContent(), "0 commands");

  await runScript(page, "@producer\nLPUSH jobs a");
  const shown = await columns(page);
  assert.deepEqual(names(shown), ["main", "producer"]);
  assert.match(shown.rows[0][0], /^↳ BLPOP jobs 0 \(served\) => 1\) "jobs"\n2\) "a"/);
  assert.equal(await first.locator(".waiting-text").textContent(), "served: see Run 3 below");
  await runScript(page, "GET before");
  assert.deepEqual(await replies(page), ['"1"'], "main answers again");
});

test("a consumer still waiting survives a Run that is stopped, and is served after", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, `${suite.harness.url}?runTimeoutMs=800&holdRuns`);
  await runScript(page, "@consumer\nBLPOP jobs 0");
  // A tick last in the history: the engine is rebuilt from runs, clock moves and ticks.
  const before = await ticksShown(page);
  // +10 s ends @early's wait (5 s: a margin so that real time, which the clock follows too,
  // does not end it first on a slow machine).
  await runScript(page, "@early\nBLPOP q 5");
  await page.getByRole("button", { name: "+10 s" }).click();
  await waitForTick(page, before);
  // Still going when the time limit comes: held in the worker until then (harness.mjs).
  suite.harness.holds.holdNext("run");
  await runScript(page, "SET during 1\nDEBUG POPULATE 1000");
  assert.match(await page.locator("#output .output-note").last().textContent(), /^This Run was still going/);
  const waiting = page.locator("#output .run-group", { hasText: "BLPOP jobs 0" }).first();
  assert.equal(await waiting.locator(".waiting-text").textContent(), "waiting…");
  // The rebuilt server replayed the tick too: @early's timeout is not let pass a second time,
  // even when the clock moves on (which lets time pass for every client still waiting).
  const restored = await ticksShown(page);
  await page.getByRole("button", { name: "+10 s" }).click();
  await waitForTick(page, restored);
  assert.equal(await page.locator("#output .run-tick").count(), 0);
  assert.equal(await page.locator("#output .entry-reply").count(), 1);
  await runScript(page, "RPUSH jobs after-restore\nEXISTS during");
  const shown = await columns(page);
  assert.deepEqual(shown.rows, [
    ["> RPUSH jobs after-restore => (integer) 1", '↳ BLPOP jobs 0 (served) => 1) "jobs"\n2) "after-restore"\n(N.NNs)'],
    ["> EXISTS during => (integer) 0", ""],
  ]);
  assert.equal(await waiting.locator(".waiting-text").textContent(), "served: see Run 4 below");
});

test("Reset server: nobody waits any more", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "@consumer\nBLPOP jobs 0");
  await page.getByRole("button", { name: "Reset server" }).click();
  await page.locator("#output .output-note", { hasText: "The server was reset" }).waitFor();
  assert.equal(await page.locator("#output .waiting-text").textContent(), "no longer waiting: the server was reset");
  assert.equal(await page.locator("#output .badge-waiting").count(), 0);
  await runScript(page, "LPUSH jobs x");
  assert.deepEqual(await replies(page), ["(integer) 1"], "nobody was served: a Run of main alone");
});

test("the editor: @name lines are client switches, and completion knows the names", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await typeScript(page, "@worker-1\nSET a 1\n@bad name");
  assert.deepEqual(await page.locator("#editor .tok-client").allTextContents(), ["@worker-1"]);
  assert.deepEqual(await page.locator("#editor .tok-invalid").allTextContents(), ["@bad name"]);
  // The syntax bar explains a client line.
  await page.locator("#editor .cm-line").first().click();
  await page.locator("#syntax-bar", { hasText: "run as the client “worker-1”" }).waitFor();

  await editor(page).click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.press("Shift+Home");
  await page.keyboard.type("@wo");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "@worker-1" });
  await option.waitFor();
  assert.equal(await page.locator(".cm-tooltip-autocomplete li").count(), 1, "client names only, no commands");
  await waitForCompletionReady(page);
  await page.keyboard.press("Enter");
  await page.keyboard.press("Enter");
  // A command line after it completes commands as usual.
  await page.keyboard.type("GETD");
  await page.locator(".cm-tooltip-autocomplete li", { hasText: "GETDEL" }).waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await editorText(page), "@worker-1\nSET a 1\n@worker-1\nGETD");
});

// Issue 8's "done when": the caching lesson's own race runs in the page, both workers seen.
test("the caching lesson's lock race: its expected output per worker, and it runs in two columns", async () => {
  const example = caching.sections.flatMap((section) => section.examples ?? [])
    .find((candidate) => candidate.commands.includes("@worker-2"));
  assert.ok(example, "lesson 12 has an example where @worker-1 and @worker-2 race for the lock");
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  const figure = page.locator("figure.example", { hasText: example.title });
  const expected = figure.locator(".example-expected .clients-grid");
  await expected.waitFor();
  assert.deepEqual(await expected.locator(".client-head .client-name").allTextContents(), ["Client worker-1", "Client worker-2"]);
  assert.deepEqual(await expected.locator(".client-cell:not(.is-empty) pre").allTextContents(), ["OK", '(nil)\n"worker-1"']);
  assert.deepEqual(await figure.locator(".code-block .tok-client").allTextContents(), ["@worker-1", "@worker-2"]);
  await figure.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotsDir, "clients-example.png") });

  await page.getByRole("button", { name: `Run example: ${example.title}` }).click();
  await page.locator(".run-example .clients-grid").waitFor();
  const shown = await columns(page);
  assert.deepEqual(names(shown), ["worker-1", "worker-2"]);
  assert.deepEqual(
    shown.rows.flat().filter(Boolean).map((cell) => cell.split(" => ")[1]),
    ["OK", "(nil)", '"worker-1"'],
  );
  assert.equal(await lastGroup(page).locator(".line-link").count(), 0, "an example's lines are not the editor's");
  await page.getByRole("button", { name: `Edit example in the editor: ${example.title}` }).click();
  assert.equal(await editorText(page), example.commands);
});

test("narrow screens: columns stay readable, the page never scrolls sideways", async () => {
  const page = await open({ viewport: { width: 390, height: 844 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "@consumer\nBLPOP jobs 0\n@producer\nLPUSH jobs a\n@sub\nSUBSCRIBE news\n@producer\nPUBLISH news hi");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  // Each column keeps a readable width; the output pane scrolls sideways instead.
  const widths = await lastGroup(page).locator(".client-head[data-client]").evaluateAll((heads) =>
    heads.map((head) => head.getBoundingClientRect().width),
  );
  assert.equal(widths.length, 3);
  for (const width of widths) assert.ok(width >= 128, `a column is ${width}px wide`);
  await lastGroup(page).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotsDir, "clients-phone.png") });
});

test("three clients at 1280x800: the columns share the pane", async () => {
  const page = await open({ viewport: { width: 1280, height: 800 } });
  await openLesson(page, suite.harness.url);
  await runScript(page, "@consumer\nBLPOP jobs 0\n@producer\nLPUSH jobs a\n@sub\nSUBSCRIBE news\n@producer\nPUBLISH news hi");
  const shown = await columns(page);
  assert.deepEqual(names(shown), ["consumer", "producer", "sub"]);
  assert.deepEqual(shown.rows.at(-1), ["", "> PUBLISH news hi => (integer) 1", 'message => 1) "message"\n2) "news"\n3) "hi"']);
  // Three columns fit the pane at 1280x800: nothing scrolls sideways.
  const overflow = await page.locator("#output").evaluate((node) => node.scrollWidth - node.clientWidth);
  assert.ok(overflow <= 0, `the output is ${overflow}px wider than its pane`);
  await page.screenshot({ path: join(screenshotsDir, "clients-three.png") });
});
