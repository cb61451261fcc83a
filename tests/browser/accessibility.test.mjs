// The accessibility audit: axe-core (npm, pinned in package-lock.json) run in Debian's
// Chromium on every state a learner meets, on a desktop and on a phone, with the rules of
// WCAG 2.0 and 2.1 at levels A and AA and axe's best practices. Every state must have no
// violation at all, except those EXCEPTIONS names with their reason (docs/accessibility.md
// lists the same). No test may leave an uncaught page error or a console error behind.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import {
  caching,
  openLesson,
  pagePerTest,
  run,
  typeScript,
  waitForStill,
} from "./harness.mjs";

const suite = pagePerTest();
const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

// Rules (or elements of a rule) left out of the audit, each with why (docs/accessibility.md
// says the same). An entry is { rule, selector?, reason }: without a selector the whole rule
// is off; with one, only the elements whose axe selector contains it. None today: every
// rule of TAGS holds on every state below.
const EXCEPTIONS = [];

const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
};

// A script with a token of every kind the editor colours (command, option, string, number,
// comment), so that their contrast is measured in the editor as in the lesson's examples.
const COLOURED = '# every kind of token\nSET page:home "<html>" EX 60\nGET page:home';
const WRONG = 'SET lock:task "worker-2" NX EX 60\nSET lock:task "worker-1" NX\nGET lock:task';

// A context for the audit: the shipped Content-Security-Policy (web/csp.mjs) allows only the
// site's own scripts, so axe's script, added by the test, would be refused. The policy is
// bypassed in this test's contexts only: the page itself and what it ships are unchanged.
async function openAudited(viewportName, { context: contextOptions = {} } = {}) {
  const context = await suite.harness.browser.newContext({
    viewport: VIEWPORTS[viewportName],
    bypassCSP: true,
    ...contextOptions,
  });
  return suite.open({ context });
}

// Runs axe on the whole page as it is now and fails with every violation (rule, impact,
// the elements and axe's summary of what is wrong) that EXCEPTIONS does not excuse.
async function audit(page, state) {
  await waitForStill(page);
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeScript });
  const rulesOff = EXCEPTIONS.filter((entry) => !entry.selector).map((entry) => entry.rule);
  const exclude = EXCEPTIONS.filter((entry) => entry.selector);
  const result = await page.evaluate(
    async ({ tags, rulesOff }) => {
      // Colours are measured as they are once still: an animation with an end (a key row
      // fading in, a badge popping up) is run to its end first, in the same task as the
      // audit starts, so that axe never sees a colour half-way through a fade.
      for (const animation of document.getAnimations()) {
        if (animation.effect?.getComputedTiming().endTime !== Infinity) animation.finish();
      }
      const options = { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] };
      options.rules = Object.fromEntries(rulesOff.map((rule) => [rule, { enabled: false }]));
      const { violations } = await window.axe.run(document, options);
      return violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact,
        nodes: violation.nodes.map((node) => ({
          target: node.target.join(" "),
          summary: node.failureSummary.split("\n").slice(1).join(" ").trim(),
        })),
      }));
    },
    { tags: TAGS, rulesOff },
  );
  const left = result
    .map((violation) => ({
      ...violation,
      nodes: violation.nodes.filter(
        (node) => !exclude.some((entry) => entry.rule === violation.rule && node.target.includes(entry.selector)),
      ),
    }))
    .filter((violation) => violation.nodes.length > 0);
  const described = left.map(
    (violation) =>
      `${violation.rule} (${violation.impact}) on ${violation.nodes.length}: ` +
      violation.nodes
        .slice(0, 5)
        .map((node) => `${node.target} — ${node.summary}`)
        .join("; "),
  );
  assert.deepEqual(described, [], `axe finds no violation: ${state}`);
}

const keyRow = (page, key) =>
  page.locator("#keys .key-row:not(.is-gone)", { has: page.locator(".key-name", { hasText: key }) });
const runButton = (page) => page.getByRole("button", { name: "Run", exact: true });

for (const viewportName of Object.keys(VIEWPORTS)) {
  test(`${viewportName}: a lesson before and after a Run, failing and passing checks, an error, hints and the solution`, async () => {
    const page = await openAudited(viewportName);
    await openLesson(page, suite.harness.url);
    await audit(page, "lesson 12 opened, before any Run");

    await typeScript(page, `${COLOURED}\n${WRONG}\nGET`, { paste: true });
    await run(page);
    await page.locator("#output .is-error").first().waitFor();
    await page.locator("#checks > li.check-fail").first().waitFor();
    await keyRow(page, "page:home").waitFor();
    await audit(page, "after a Run: an error in the output, failing checks");

    // The step timeline open: its bar, the keys marked and the step's words.
    await page.locator("#timeline-open").click();
    await page.locator(".timeline-keys .step-mark").first().waitFor();
    await audit(page, "the step timeline open at the Run's first step");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => !document.documentElement.dataset.timeline);

    await page.getByRole("button", { name: "Show a hint" }).click();
    await page.locator("#hints li").first().waitFor();
    await page.getByText("Show the solution", { exact: true }).click();
    await page.locator(".solution[open] .code-block").waitFor();
    await audit(page, "a hint and the solution shown");

    // On a fresh server: the wrong script's lock would make the solution's SET NX fail.
    await page.getByRole("button", { name: "Reset server" }).click();
    await page.locator("#output .output-note", { hasText: "The server was reset" }).waitFor();
    await typeScript(page, caching.task.solution, { paste: true });
    await run(page);
    await page.getByText("Task complete", { exact: true }).waitFor();
    await audit(page, "the task passed: every check green, Task complete");

    // More lines than the editor shows: its scroller scrolls (scrollable-region-focusable).
    const long = Array.from({ length: 60 }, (_, index) => `SET key:${index} ${index}`).join("\n");
    await typeScript(page, long, { paste: true });
    await page.waitForFunction(() => {
      const scroller = document.querySelector("#editor .cm-scroller");
      return scroller.scrollHeight > scroller.clientHeight;
    });
    await audit(page, "the editor's script longer than the editor");
  });

  test(`${viewportName}: the lesson list open`, async () => {
    const page = await openAudited(viewportName);
    await openLesson(page, suite.harness.url);
    await page.getByRole("button", { name: /Lessons/ }).first().click();
    await page.getByRole("dialog").waitFor();
    await audit(page, "the lesson list dialog open");
    await page.keyboard.press("Escape");
  });

  test(`${viewportName}: several clients in columns, one of them blocked and waiting`, async () => {
    const page = await openAudited(viewportName);
    await openLesson(page, suite.harness.url);
    await typeScript(
      page,
      "@worker-1\nSET lock:report worker-1 NX EX 30\n@worker-2\nSET lock:report worker-2 NX EX 30\nGET lock:report",
      { paste: true },
    );
    await run(page);
    await keyRow(page, "lock:report").waitFor();
    await audit(page, "several clients' columns");

    await typeScript(page, "@consumer\nBLPOP jobs 0\n@producer\nLLEN jobs", { paste: true });
    await run(page);
    await page.locator("#output .run-group").last().locator(".waiting", { hasText: "no timeout" }).waitFor();
    await audit(page, "a blocked client waiting");
  });

  test(`${viewportName}: the engine with Lua loading`, async () => {
    const context = await suite.harness.browser.newContext({ viewport: VIEWPORTS[viewportName], bypassCSP: true });
    // The engine with Lua is held until the audit is done (a route that waits, not a timer).
    let release;
    const released = new Promise((resolve) => (release = resolve));
    await context.route("**/redpad-engine-lua.wasm", async (route) => {
      await released;
      await route.continue();
    });
    const page = await suite.open({ context });
    await openLesson(page, suite.harness.url);
    await typeScript(page, 'EVAL "return 1" 0', { paste: true });
    const runsBefore = Number(await page.locator("html").getAttribute("data-runs"));
    await runButton(page).click();
    await page.locator("#engine-status", { hasText: "Loading Lua scripting…" }).waitFor();
    await page.getByRole("button", { name: "Stop" }).waitFor();
    await audit(page, "the engine with Lua loading");
    release();
    await page.waitForFunction((n) => Number(document.documentElement.dataset.runs) > n, runsBefore);
    await audit(page, "after the Lua script ran");
  });

  test(`${viewportName}: a broken lesson file`, async () => {
    const url = await suite.harness.serveModified({
      "lessons/12-caching-patterns.json": '{ "id": "caching-patterns", oops }',
    });
    const page = await openAudited(viewportName);
    await page.goto(`${url}#/caching-patterns`);
    await page.getByRole("alert").filter({ hasText: "This lesson can't be shown" }).waitFor();
    await audit(page, "a lesson file that is not JSON");
  });
}
