// The page with a keyboard only, in Debian's Chromium (issue 18, what an axe audit cannot
// see): a whole lesson done with Tab, Enter, Space, the arrows, Escape and Ctrl+Enter, with
// focus always on a visible element that shows it; focus kept after a Run, a Reset and a
// restore; the page at 200% zoom; and no motion when the learner asks for less of it.
// Nothing here clicks, or moves focus from a script: page.keyboard only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  caching,
  manifest,
  openLesson,
  pagePerTest,
  runsShown,
  screenshotsDir,
  waitForStill,
} from "./harness.mjs";

const suite = pagePerTest();

// What has focus: a short name (tag#id, or its accessible label), whether it is on screen,
// and whether it shows that it has focus (an outline or a box shadow, on it or on the
// editor's frame for the editor's text, which CodeMirror draws through .editor:focus-within).
async function focused(page) {
  return page.evaluate(() => {
    const node = document.activeElement;
    if (!node || node === document.body || node === document.documentElement) {
      return { name: "body", body: true, visible: false, uncovered: false, indicator: false };
    }
    const label =
      node.getAttribute("aria-label") ??
      (node.classList.contains("cm-content") ? "editor" : node.textContent.replace(/\s+/g, " ").trim());
    const name = `${node.tagName.toLowerCase()}${node.id ? `#${node.id}` : ""} ${label}`.trim();
    const rect = node.getBoundingClientRect();
    const visible =
      node.checkVisibility({ visibilityProperty: true, opacityProperty: true }) &&
      rect.width > 0 &&
      rect.height > 0 &&
      rect.bottom > 0 &&
      rect.right > 0 &&
      rect.top < innerHeight &&
      rect.left < innerWidth;
    // Not hidden under the top bar (which stays at the top when the page scrolls): what is
    // drawn at the middle of its part on screen is the element itself.
    const middle = {
      x: (Math.max(rect.left, 0) + Math.min(rect.right, innerWidth)) / 2,
      y: (Math.max(rect.top, 0) + Math.min(rect.bottom, innerHeight)) / 2,
    };
    const drawn = document.elementFromPoint(middle.x, middle.y);
    const uncovered = drawn !== null && (node.contains(drawn) || drawn.contains(node));
    const shows = (element) => {
      const style = getComputedStyle(element);
      const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
      return outline || style.boxShadow !== "none";
    };
    const frame = node.closest(".editor");
    const indicator = shows(node) || (frame !== null && shows(frame));
    return { name, body: false, visible, uncovered, indicator, inEditor: frame !== null, id: node.id };
  });
}

// Presses a key, then says where focus went; insists it is on a visible element that shows
// it has focus (`quiet` for the headings the page focuses for screen readers on a new lesson,
// which are not in the Tab order and draw no ring).
async function press(page, key) {
  await page.keyboard.press(key);
  return focused(page);
}

function assertShown(where, what) {
  assert.ok(!where.body, `${what}: focus is on an element, not the page's body`);
  assert.ok(where.visible, `${what}: the focused element (${where.name}) is on screen`);
  assert.ok(where.uncovered, `${what}: the focused element (${where.name}) is not covered`);
  assert.ok(where.indicator, `${what}: the focused element (${where.name}) shows its focus`);
}

// Tabs forward (or back) until the focused element's name matches `pattern`, checking each
// stop on the way; the names passed, in order.
async function tabTo(page, pattern, { back = false, limit = 80 } = {}) {
  const passed = [];
  for (let step = 0; step < limit; step++) {
    const where = await press(page, back ? "Shift+Tab" : "Tab");
    assertShown(where, `Tab stop ${where.name}`);
    passed.push(where.name);
    if (pattern.test(where.name)) return passed;
  }
  assert.fail(`no Tab stop matching ${pattern} in ${limit} steps: ${passed.join(" | ")}`);
}

const clockTime = (page) => page.locator("#clock-time").textContent();
const seconds = (time) => time.split(":").reduce((total, part) => total * 60 + Number(part), 0);
const waitForRuns = (page, before) =>
  page.waitForFunction((n) => Number(document.documentElement.dataset.runs ?? 0) > n, before);
const waitForReady = (page) =>
  page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();

test("a whole lesson with the keyboard only, in a sensible order, focus always shown", async () => {
  const page = await suite.open({ viewport: { width: 1440, height: 900 } });
  const first = manifest.lessons[0];
  await openLesson(page, suite.harness.url, first.id);

  // The page's own order: the skip link first, the top bar, the lesson, the editor and its
  // buttons, the output, the task, the clock.
  const order = await tabTo(page, /^button +\+1 min$/);
  const at = (pattern) => {
    const index = order.findIndex((name) => pattern.test(name));
    assert.ok(index >= 0, `${pattern} is in the Tab order: ${order.join(" | ")}`);
    return index;
  };
  const main = [
    /^a Skip to the editor$/,
    /^a redpad, back to your lesson$/,
    /^button#open-lessons/,
    /^button#next-lesson/,
    /^button .*Run example/,
    /^button#restore-starter/,
    /^div Your script/,
    /^button#run /,
    /^button#reset /,
    /^button#clear-output/,
    /^div#output/,
    /^ul#checks /,
    /^button +\+1 s$/,
    /^button +\+10 s$/,
    /^button +\+1 min$/,
  ].map(at);
  assert.deepEqual(main, [...main].sort((a, b) => a - b), `the main controls in order: ${order.join(" | ")}`);

  // Back up to the lesson list button; Enter opens the list, Escape closes it and gives focus
  // back to the button, Space opens it again.
  await tabTo(page, /^button#open-lessons/, { back: true });
  let where = await press(page, "Enter");
  assertShown(where, "the lesson list opened");
  assert.match(where.name, /^a 1Lesson 1: /, "the current lesson's link has focus in the list");
  where = await press(page, "Escape");
  assert.match(where.name, /^button#open-lessons/, "Escape closes the list, focus back on its button");
  assertShown(where, "the lesson list closed");
  where = await press(page, "Space");
  assert.match(where.name, /^a 1Lesson 1: /);
  await tabTo(page, /^a 12Lesson 12: /);
  await page.keyboard.press("Enter");
  await page.waitForURL(/#\/caching-patterns$/);
  await page.locator("#lesson-title", { hasText: caching.title }).waitFor();
  await waitForReady(page);
  assert.equal(await page.locator("#lesson-dialog").getAttribute("open"), null, "the list closed");
  where = await focused(page);
  assert.equal(where.id, "lesson-title", "focus on the new lesson's title (read out first)");

  // An example into the editor: its Edit button, Enter; focus in the editor.
  await tabTo(page, /Edit example in the editor: NX: only the first worker/);
  where = await press(page, "Enter");
  assert.ok(where.inEditor, `focus is in the editor after Edit (${where.name})`);
  assertShown(where, "the example loaded");
  const example = caching.sections.flatMap((section) => section.examples ?? [])
    .find((one) => one.title.startsWith("NX:")).commands;
  assert.equal(await page.locator("#editor .cm-content").innerText(), example);

  // Edited (a line added at the end, the arrows to get there), run with Ctrl+Enter.
  await page.keyboard.press("Control+End");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("End");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("End");
  await page.keyboard.press("Enter");
  await page.keyboard.type("TTL lock");
  await page.keyboard.press("Escape"); // the completion list, if one opened
  const before = await runsShown(page);
  await page.keyboard.press("Control+Enter");
  await waitForRuns(page, before);
  where = await focused(page);
  assert.ok(where.inEditor, `focus stays in the editor after Ctrl+Enter (${where.name})`);
  const replies = await page.locator(".run-group").last().locator(".reply").allTextContents();
  assert.deepEqual(replies, ["OK", "(nil)", '"worker-1"', "(integer) 30"]);

  // The checks: announced (a status line that is a live region) and brought on screen when
  // Tab reaches the task's first control.
  const status = page.locator("#checks-status");
  assert.equal(await status.getAttribute("role"), "status");
  assert.match(await status.textContent(), /\S/, "the checks' status says how the Run did");
  await tabTo(page, /^ul#checks /);
  const checksOnScreen = await page.locator("#checks").evaluate((list) => {
    const rect = list.getBoundingClientRect();
    const panel = list.closest(".panel").getBoundingClientRect();
    return rect.height > 0 && rect.top >= Math.max(0, panel.top) && rect.top < Math.min(innerHeight, panel.bottom);
  });
  assert.ok(checksOnScreen, "the checks' list, focused, is on screen from its first check");
  assert.equal(await page.locator("#checks li").count(), caching.task.checks.length);
  await tabTo(page, /^button Show a hint$/);
  where = await press(page, "Enter");
  assert.match(where.name, /^li Hint 1: /, "the hint shown has focus");

  // The clock: its buttons with Enter and Space; focus stays on the button used.
  const lockKey = page.locator("#keys li", { hasText: "lock" });
  await lockKey.waitFor();
  const start = seconds(await clockTime(page));
  await tabTo(page, /^button +\+10 s$/);
  let note = page.locator("#notices, #sr-status").filter({ hasText: "Clock moved forward 10 s" });
  where = await press(page, "Enter");
  await note.first().waitFor({ state: "attached" });
  assert.match(where.name, /^button +\+10 s$/);
  assertShown(where, "the clock moved 10 s");
  where = await press(page, "Tab");
  assert.match(where.name, /^button +\+1 min$/);
  note = page.locator("#notices, #sr-status").filter({ hasText: "Clock moved forward 1 min" });
  where = await press(page, "Space");
  await note.first().waitFor({ state: "attached" });
  assert.match(where.name, /^button +\+1 min$/);
  assertShown(where, "the clock moved 1 min");
  assert.ok(seconds(await clockTime(page)) - start >= 70, "the clock moved at least 70 s");
  // The lock's 30 s are over: the keys' inspector says so.
  await lockKey.waitFor({ state: "detached" });
});

test("focus is never lost after a Run, a Reset or a restore", async () => {
  const page = await suite.open({ viewport: { width: 1440, height: 900 } });
  await openLesson(page, `${suite.harness.url}?holdRuns`);

  // Run with Enter on the Run button (the button is disabled while the Run goes on).
  await tabTo(page, /^button#run /);
  let before = await runsShown(page);
  await page.keyboard.press("Enter");
  await waitForRuns(page, before);
  await waitForReady(page);
  let where = await focused(page);
  assert.match(where.name, /^button#run /, "focus back on Run after its Run");
  assertShown(where, "after a Run");

  // Reset with Space: focus stays on Reset.
  await tabTo(page, /^button#reset /);
  const resetNote = page.locator("#output .output-note", { hasText: "The server was reset" });
  where = await press(page, "Space");
  await resetNote.waitFor();
  where = await focused(page);
  assert.match(where.name, /^button#reset /, "focus stays on Reset after a reset");
  assertShown(where, "after a Reset");

  // A Run held in the engine, stopped with the keyboard: Stop goes away and the server is
  // restored (a new worker); focus goes to Run, where the learner can run again.
  await tabTo(page, /^button#run /, { back: true });
  const hold = suite.harness.holds.holdNext("run");
  before = await runsShown(page);
  await page.keyboard.press("Enter");
  await hold.arrived;
  where = await focused(page);
  assert.match(where.name, /^div#run-toolbar Run the script$/, "focus waits on the toolbar while Run is busy");
  assertShown(where, "during a Run");
  await page.locator("#stop").waitFor(); // shown once the Run has gone on a while
  where = await press(page, "Tab");
  assert.match(where.name, /^button#stop /, "Tab from the busy Run reaches Stop");
  assertShown(where, "Stop");
  await page.keyboard.press("Enter");
  await page.locator("#output .output-note", { hasText: "Stopped." }).waitFor();
  await waitForRuns(page, before);
  await waitForReady(page);
  where = await focused(page);
  assert.match(where.name, /^button#run /, "focus on Run after Stop and the restore");
  assertShown(where, "after a restore");

  // The same from the editor with Ctrl+Enter: focus stays in the editor throughout.
  await tabTo(page, /^div Your script/, { back: true });
  const held = suite.harness.holds.holdNext("run");
  before = await runsShown(page);
  await page.keyboard.press("Control+Enter");
  await held.arrived;
  held.release();
  await waitForRuns(page, before);
  where = await focused(page);
  assert.ok(where.inEditor, `focus stays in the editor after Ctrl+Enter (${where.name})`);
  assertShown(where, "after Ctrl+Enter");
});

// Every element's own scroll position, to see whether anything still moves.
const scrollPositions = (page) =>
  page.evaluate(() =>
    [document.scrollingElement, ...document.querySelectorAll("*")]
      .map((node) => `${node.scrollTop},${node.scrollLeft}`)
      .join("|"),
  );

test("at 200% zoom (1280x900 shown as 640x450) the page needs no sideways scrolling and works by keyboard", async () => {
  const context = await suite.harness.browser.newContext({
    viewport: { width: 640, height: 450 },
    deviceScaleFactor: 2,
  });
  const page = await suite.open({ context });
  await openLesson(page, suite.harness.url);
  const sideways = () =>
    page.evaluate(() => {
      const scroller = document.scrollingElement;
      return { scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth };
    });
  let width = await sideways();
  assert.ok(width.scrollWidth <= width.clientWidth, `no sideways scrolling: ${JSON.stringify(width)}`);

  // Editor, Run, output, checks and clock, each reached with Tab and on screen when it is.
  await tabTo(page, /^div Your script/);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("SET greeting hello EX 30");
  await page.keyboard.press("Escape");
  const before = await runsShown(page);
  await page.keyboard.press("Control+Enter");
  await waitForRuns(page, before);
  assert.deepEqual(await page.locator(".run-group").last().locator(".reply").allTextContents(), ["OK"]);
  await tabTo(page, /^button#run /);
  await tabTo(page, /^div#output /);
  await tabTo(page, /^ul#checks /);
  await tabTo(page, /^button +\+10 s$/);
  width = await sideways();
  assert.ok(width.scrollWidth <= width.clientWidth, `no sideways scrolling after a Run: ${JSON.stringify(width)}`);
  await waitForStill(page);
  await page.screenshot({ path: join(screenshotsDir, "zoom-200-clock.png") });
  await tabTo(page, /^div#output /, { back: true });
  await waitForStill(page);
  await page.screenshot({ path: join(screenshotsDir, "zoom-200-output.png") });
});

test("with prefers-reduced-motion nothing animates, fades or scrolls smoothly", async () => {
  // One column (the output is scrolled to after a Run), keys appearing in the inspector.
  const context = await suite.harness.browser.newContext({
    viewport: { width: 390, height: 844 },
    reducedMotion: "reduce",
  });
  const page = await suite.open({ context });
  await openLesson(page, suite.harness.url);
  await tabTo(page, /^div Your script/);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("MSET a 1 b 2 c 3");
  await page.keyboard.press("Escape");
  const before = await runsShown(page);
  const atRun = await scrollPositions(page);
  await page.keyboard.press("Control+Enter");
  await waitForRuns(page, before);
  await page.locator("#keys li", { hasText: "c" }).first().waitFor();
  // The output was brought into view at once: nothing scrolled after the Run's end.
  const atEnd = await scrollPositions(page);
  assert.ok(atEnd !== atRun, "the page scrolled to the output");
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
  assert.ok((await scrollPositions(page)) === atEnd, "no smooth scrolling goes on after the Run");

  const moving = await page.evaluate(() => {
    const long = (list) => list.split(",").some((one) => parseFloat(one) > 0.01);
    const found = [];
    for (const node of [document.documentElement, ...document.querySelectorAll("*")]) {
      for (const pseudo of [null, "::before", "::after"]) {
        const style = getComputedStyle(node, pseudo);
        if (style.animationName !== "none" && long(style.animationDuration)) {
          found.push(`${node.className || node.tagName}${pseudo ?? ""} animation ${style.animationName}`);
        }
        if (long(style.transitionDuration)) {
          found.push(`${node.className || node.tagName}${pseudo ?? ""} transition ${style.transitionDuration}`);
        }
      }
    }
    if (getComputedStyle(document.documentElement).scrollBehavior === "smooth") found.push("smooth scrolling");
    found.push(...document.getAnimations().map((animation) => `running: ${animation.animationName ?? animation}`));
    return found;
  });
  assert.deepEqual(moving, [], "no animation, transition or smooth scrolling");
});
