// The step timeline in Debian's Chromium (docs: issue #20): stepping with the buttons and
// ←/→, keys marked added / changed / deleted / expired in words, an expiry from the clock's
// buttons, a click on an output entry or an editor line number, leaving it (Live, Escape, a
// new Run), keyboard-only use, the links between clients' columns (PUBLISH to two
// subscribers, BLPOP served by LPUSH, EXEC aborted by WATCH), and a lesson example with
// `timeline: true`. Waits on attributes (data-timeline, data-step) and elements, never on
// durations. Screenshots in build/screenshots/timeline-*.png; docs/timeline.png with
// REDPAD_DOCS_SCREENSHOTS=1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { caching, openLesson, pagePerTest, root, run, screenshotsDir, typeScript, waitForStill } from "./harness.mjs";

const suite = pagePerTest();

async function runScript(page, script) {
  await typeScript(page, script, { paste: true });
  await run(page);
}

const stepShown = (page, n) => page.waitForSelector(`html[data-step="${n}"]`);

async function openTimeline(page) {
  await page.locator("#timeline-open").click();
  await page.waitForSelector("html[data-timeline=open]");
}

// The timeline as the learner reads it: "Step 2 of 5", the words, and the keys with their
// marks ("cart:1 [changed]", "old [deleted] (struck out)").
async function shown(page) {
  return page.evaluate(() => {
    const words = document.querySelector(".timeline-words");
    const keys = [...document.querySelectorAll(".timeline-keys .key-row")].map((row) => {
      const mark = row.querySelector(".step-mark")?.textContent;
      const struck = row.querySelector("del.key-name") ? " (struck out)" : "";
      return `${row.querySelector(".key-name").textContent}${mark ? ` [${mark}]` : ""}${struck}`;
    });
    return {
      position: document.querySelector(".timeline-position").textContent,
      words: words.textContent.replace(/^Step \d+ of \d+: /, ""),
      keys,
      ttls: [...document.querySelectorAll(".timeline-keys .key-ttl")].map((ttl) => ttl.textContent.replace("expires in ", "")),
    };
  });
}

const LOCKS = [
  'SET lock:task "worker-1" NX EX 60',
  "RPUSH cart:1 a b c",
  "RPUSH cart:1 d",
  'SET lock:task "worker-2" NX EX 60',
  "DEL cart:1",
].join("\n");

test("stepping with the buttons and ←/→: the keys after each step, marked, and what happened in words", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(page, LOCKS);
  await page.locator("#timeline-open", { hasText: "5 steps" }).waitFor();
  await openTimeline(page);
  await stepShown(page, 1);
  assert.deepEqual(await shown(page), {
    position: "Step 1 of 5",
    words: "lock:task created with a TTL of 60 s",
    keys: ["lock:task [added]"],
    ttls: ["60 s"],
  });
  // The step's output entry is marked as the current one.
  assert.equal(await page.locator("#output .entry.is-step-current .cmd").textContent(), LOCKS.split("\n")[0]);

  await page.getByRole("button", { name: "Next step" }).click();
  await stepShown(page, 2);
  assert.equal((await shown(page)).words, "cart:1 created as a list of 3 items");
  await page.keyboard.press("ArrowRight"); // focus stayed on the bar's button
  await stepShown(page, 3);
  assert.deepEqual((await shown(page)).keys, ["cart:1 [changed]", "lock:task"]);
  assert.equal((await shown(page)).words, "cart:1 changed: 3 → 4 items");
  await page.keyboard.press("ArrowRight");
  await stepShown(page, 4);
  assert.equal((await shown(page)).words, "SET NX changed nothing: the key exists");
  await page.keyboard.press("ArrowRight");
  await stepShown(page, 5);
  assert.deepEqual((await shown(page)).keys, ["cart:1 [deleted] (struck out)", "lock:task"]);
  assert.equal((await shown(page)).words, "cart:1 deleted");
  await page.keyboard.press("ArrowLeft");
  await stepShown(page, 4);
  await page.getByRole("button", { name: "First step" }).click();
  await stepShown(page, 1);
  await page.screenshot({ path: join(screenshotsDir, "timeline-step.png") });

  // Live: the inspector shows the server as it is now.
  await page.getByRole("button", { name: /Leave the timeline/ }).click();
  await page.waitForFunction(() => !document.documentElement.dataset.timeline);
  assert.equal(await page.locator(".timeline-keys").isVisible(), false);
  await page.locator("#keys .key-name", { hasText: "lock:task" }).waitFor();
  assert.equal(await page.locator("#output .entry.is-step-current").count(), 0);
});

test("a click on an output entry or an editor line number opens its step; Escape and a new Run leave", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(page, LOCKS);
  await page.locator("#output .entry", { hasText: "RPUSH cart:1 d" }).click();
  await stepShown(page, 3);
  assert.equal((await shown(page)).words, "cart:1 changed: 3 → 4 items");
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.documentElement.dataset.timeline);

  // Line 4 of the editor ran step 4.
  await page.locator("#editor .cm-lineNumbers .cm-gutterElement", { hasText: /^4$/ }).click();
  await stepShown(page, 4);
  assert.equal((await shown(page)).words, "SET NX changed nothing: the key exists");
  // A new Run leaves the timeline (its steps follow the earlier Run's).
  await runScript(page, "SET n 1");
  await page.waitForFunction(() => !document.documentElement.dataset.timeline);
  await page.locator("#timeline-open", { hasText: "6 steps" }).waitFor();
  // Reset server: no steps any more.
  await page.getByRole("button", { name: "Reset server" }).click();
  await page.locator("#timeline-open[hidden]").waitFor({ state: "attached" });
});

test("an expiry from the clock's buttons is a step of its own", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(page, "SET session:abc x EX 5");
  await page.getByRole("button", { name: "+10 s" }).click();
  await page.locator("#timeline-open", { hasText: "2 steps" }).waitFor();
  await openTimeline(page);
  await stepShown(page, 2); // the latest Run (here the clock's tick) opens at its first step
  const { words, keys } = await shown(page);
  assert.deepEqual(keys, ["session:abc [expired] (struck out)"]);
  assert.match(words, /^session:abc expired at \d\d:\d\d:\d\d$/);
  await page.screenshot({ path: join(screenshotsDir, "timeline-expired.png") });
});

test("keyboard only: open, step, go to the ends, leave; the position is announced", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(page, LOCKS);
  await page.locator("#timeline-open").focus();
  await page.keyboard.press("Enter");
  await stepShown(page, 1);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Next step");
  assert.equal(await page.locator(".timeline-words").getAttribute("aria-live"), "polite");
  await page.keyboard.press("End");
  await stepShown(page, 5);
  // Next is disabled at the last step: focus moved to Previous, still in the bar.
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Previous step");
  await page.keyboard.press("Home");
  await stepShown(page, 1);
  await page.keyboard.press("ArrowRight");
  await stepShown(page, 2);
  assert.match(await page.locator(".timeline-words").textContent(), /^Step 2 of 5: cart:1 created/);
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.documentElement.dataset.timeline);
  assert.equal(await page.evaluate(() => document.activeElement.id), "timeline-open");
});

// The text of each link under the entry it points at, and how many arrows are drawn.
async function links(page) {
  await page.locator(".client-links path.link").first().waitFor();
  return {
    notes: await page.locator("#output .link-note").allTextContents(),
    arrows: await page.locator(".client-links path.link").count(),
  };
}

test("between clients: PUBLISH to two subscribers, BLPOP served by LPUSH, EXEC aborted by WATCH", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(
    page,
    [
      "@reader-1",
      "SUBSCRIBE news",
      "@reader-2",
      "SUBSCRIBE news",
      "@main",
      "PUBLISH news hello",
      "@worker",
      "BLPOP jobs 0",
      "@main",
      "LPUSH jobs j1",
      "SET balance 100",
      "@worker",
      "WATCH balance",
      "MULTI",
      "DECRBY balance 10",
      "@main",
      "SET balance 50",
      "@worker",
      "EXEC",
    ].join("\n"),
  );
  assert.deepEqual(await links(page), {
    notes: [
      "← from main's PUBLISH, line 6",
      "← from main's PUBLISH, line 6",
      "← served by main's LPUSH, line 10",
      "← aborted by main's SET, line 17 (balance changed)",
    ],
    arrows: 4,
  });
  // The arrows follow the page's layout: a narrower window redraws them.
  const before = await page.locator(".client-links path.link").first().getAttribute("d");
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForFunction((d) => document.querySelector(".client-links path.link")?.getAttribute("d") !== d, before);
  await page.setViewportSize({ width: 1440, height: 900 });
  await waitForStill(page);
  await page.screenshot({ path: join(screenshotsDir, "timeline-links.png") });

  // The served BLPOP and the aborted EXEC in words.
  await page.locator("#output .entry-reply", { hasText: "BLPOP jobs 0" }).click();
  await page.waitForSelector("html[data-timeline=open]");
  assert.match((await shown(page)).words, /^worker's BLPOP served by main's LPUSH \(step \d+\)/);
  await page.locator("#output .entry").filter({ has: page.locator(".cmd", { hasText: /^EXEC$/ }) }).last().click();
  await page.waitForFunction(() => /EXEC aborted/.test(document.querySelector(".timeline-words").textContent));
  assert.match((await shown(page)).words, /^worker's EXEC aborted: balance changed in step \d+ \(WATCH\)$/);
});

test("a lesson example with `timeline: true` opens the timeline at its first step", async () => {
  const lesson = structuredClone(caching);
  const example = lesson.sections.flatMap((section) => section.examples ?? []).find((one) => one.title === "A lock expires on its own");
  example.timeline = true;
  const url = await suite.harness.serveModified({ "lessons/12-caching-patterns.json": lesson });
  const page = await suite.open();
  await openLesson(page, url);
  const runs = Number((await page.locator("html").getAttribute("data-runs")) ?? 0);
  await page.getByRole("button", { name: "Run example: A lock expires on its own" }).click();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.runs ?? 0) > n, runs);
  await stepShown(page, 1);
  assert.equal((await shown(page)).words, "lock:job created with a TTL of 5 s");
  // The lock expires during DEBUG SLEEP: its own step, before the GET that follows.
  const total = Number(/of (\d+)/.exec((await shown(page)).position)[1]);
  let expired = null;
  for (let step = 2; step <= total && !expired; step++) {
    await page.getByRole("button", { name: "Next step" }).click();
    await stepShown(page, step);
    const now = await shown(page);
    if (/expired/.test(now.words)) expired = now;
  }
  assert.ok(expired, "an expiry step");
  assert.match(expired.words, /^lock:job expired at 09:00:0\d$/);
  assert.deepEqual(expired.keys, ["lock:job [expired] (struck out)"]);
  await waitForStill(page);
  await page.screenshot({ path: join(screenshotsDir, "timeline-lesson.png") });
  if (process.env.REDPAD_DOCS_SCREENSHOTS) await page.screenshot({ path: join(root, "docs/timeline.png") });
});
