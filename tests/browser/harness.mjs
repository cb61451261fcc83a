// Shared by the browser tests: the built site on a free loopback port, Debian's Chromium
// driven by playwright-core, and a page that records every uncaught error, console error
// and alert so a test can insist there were none.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// The built site the tests open: build-site/, or REDPAD_SITE (a folder built with
// node web/build.mjs --out DIR).
export const siteDir = resolve(root, process.env.REDPAD_SITE ?? "build-site");
// Where screenshots go: build/screenshots/, or REDPAD_SCREENSHOTS.
export const screenshotsDir = resolve(root, process.env.REDPAD_SCREENSHOTS ?? "build/screenshots");
export const readLesson = (file) => JSON.parse(readFileSync(join(root, "lessons", file), "utf8"));
export const caching = readLesson("12-caching-patterns.json");
export const manifest = readLesson("index.json");

const CHROMIUM = process.env.REDPAD_CHROMIUM ?? "/usr/bin/chromium";

// How long any one wait of a test (an element, a Run's end, a navigation) may take before
// the test fails: a guard against a page that never answers, not a speed requirement, so it
// is far beyond what the slowest machine needs (Playwright's own default is 30 s).
export const WAIT_LIMIT_MS = 180_000;

// Runs held in the engine's worker, for tests that need a Run (or a lesson's setup) still
// going when Stop or the time limit comes, however fast the machine. A page opened with
// `?holdRuns` has its worker ask for /__redpad_hold?what=run (or what=setup) once the Run
// has done its work in the engine and before it answers, with a synchronous request: the
// worker is then blocked as in a very long Run (web/src/worker.js, holdIfAsked). This
// server answers at once, unless the test called holdNext(what): the next such request then
// waits until the test calls release() (or the test ends).
class RunHolds {
  constructor() {
    this.armed = { run: [], setup: [] };
    this.waiting = new Set(); // answer functions of requests being held
  }

  // The next Run (what "run") or setup (what "setup") to finish is held: { arrived, release }.
  // `arrived` resolves once the worker is blocked, with its work done but not answered.
  holdNext(what = "run") {
    if (!this.armed[what]) throw new Error(`holdNext: "${what}" is neither "run" nor "setup"`);
    let arrive;
    const hold = {
      arrived: new Promise((resolve) => (arrive = resolve)),
      answer: null,
      arrive: () => arrive(),
      release: () => {
        hold.released = true;
        hold.answer?.();
      },
      released: false,
    };
    this.armed[what].push(hold);
    return hold;
  }

  // The server's side: true when the request was a hold request (answered now or later).
  handle(request, response) {
    const url = new URL(request.url, "http://localhost");
    if (url.pathname !== "/__redpad_hold") return false;
    const answer = () => {
      this.waiting.delete(answer);
      if (!response.writableEnded && !response.destroyed) {
        response.writeHead(204, { "Cache-Control": "no-store" }).end();
      }
    };
    const hold = this.armed[url.searchParams.get("what")]?.shift();
    if (!hold || hold.released) {
      answer();
      return true;
    }
    this.waiting.add(answer);
    hold.answer = answer;
    response.on("close", () => this.waiting.delete(answer)); // the worker was ended
    hold.arrive();
    return true;
  }

  // Lets every held request go and forgets holds not yet reached (between tests).
  releaseAll() {
    for (const what of Object.keys(this.armed)) this.armed[what] = [];
    for (const answer of [...this.waiting]) answer();
  }
}

// The built site (`site`, build-site/ by default) served on a free loopback port, and a
// headless Chromium.
export async function startHarness({ site = siteDir } = {}) {
  if (!existsSync(join(site, "index.html"))) {
    throw new Error(`${site}/index.html is missing: run ./scripts/build-site first`);
  }
  mkdirSync(screenshotsDir, { recursive: true });
  const holds = new RunHolds();
  const handle = (request, response) => holds.handle(request, response);
  const { server, url } = await serve({ root: site, port: 0, handle });
  const servers = [server];
  const copies = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return {
    url,
    browser,
    holds,
    // A copy of the site with some files replaced ({ "lessons/12-x.json": text or a
    // value written as JSON }), served on a port of its own: its URL.
    async serveModified(changes) {
      const copy = mkdtempSync(join(tmpdir(), "redpad-site-"));
      copies.push(copy);
      cpSync(site, copy, { recursive: true });
      for (const [file, content] of Object.entries(changes)) {
        writeFileSync(join(copy, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
      }
      const extra = await serve({ root: copy, port: 0, handle });
      servers.push(extra.server);
      return extra.url;
    },
    async close() {
      holds.releaseAll();
      await browser.close();
      for (const one of servers) one.closeAllConnections();
      await Promise.all(servers.map((one) => new Promise((done) => one.close(done))));
      for (const copy of copies) rmSync(copy, { recursive: true, force: true });
    },
  };
}

// A page in a fresh browser context (its own localStorage) that records problems.
export async function openPage(harness, { viewport = { width: 1440, height: 900 }, context } = {}) {
  const ownContext = context ?? (await harness.browser.newContext({ viewport }));
  ownContext.setDefaultTimeout(WAIT_LIMIT_MS);
  ownContext.setDefaultNavigationTimeout(WAIT_LIMIT_MS);
  const page = await ownContext.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  page.on("dialog", async (dialog) => {
    problems.push(`dialog (${dialog.type()}): ${dialog.message()}`);
    await dialog.dismiss();
  });
  page.on("crash", () => problems.push("the page crashed"));
  return { page, context: ownContext, problems };
}

// Opens a lesson and waits until the engine is ready (the Run button is enabled).
export async function openLesson(page, url, id = "caching-patterns") {
  await page.goto(`${url}#/${id}`);
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor();
}

export const editor = (page) => page.getByRole("textbox", { name: /Your script/ });

// Replaces the editor's text by typing, as a learner would, or with { paste: true } as
// a paste from the clipboard (a paste event, as the browser sends one: insertText of
// a thousand lines takes Chromium many seconds, a paste does not).
export async function typeScript(page, text, { paste = false } = {}) {
  const box = editor(page);
  await box.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  if (paste) {
    await box.evaluate((node, pasted) => {
      const clipboardData = new DataTransfer();
      clipboardData.setData("text/plain", pasted);
      node.dispatchEvent(new ClipboardEvent("paste", { clipboardData, bubbles: true, cancelable: true }));
    }, text);
    return;
  }
  // Typed line by line; Escape closes any completion list before Enter.
  const lines = text.replace(/\n$/, "").split("\n");
  for (const [index, line] of lines.entries()) {
    await page.keyboard.type(line);
    await page.keyboard.press("Escape");
    if (index < lines.length - 1) await page.keyboard.press("Enter");
  }
}

export async function editorText(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("#editor .cm-line")].map((line) => line.textContent).join("\n"),
  );
}

export const runsShown = async (page) =>
  Number((await page.locator("html").getAttribute("data-runs")) ?? 0);

// Runs the editor's script (with the Run button, or a key such as "Control+Enter") and
// waits until its output, checks and keys are all shown (data-runs counts such runs).
export async function run(page, { key } = {}) {
  const before = await runsShown(page);
  if (key) await page.keyboard.press(key);
  else await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.waitForFunction((n) => Number(document.documentElement.dataset.runs ?? 0) > n, before);
}

export async function replies(page) {
  return page.locator(".run-group").last().locator(".reply").allTextContents();
}

// The hooks every browser test file shares: one harness (Chromium and the site's server) for
// the file, one page per test, and the rule that no test leaves an uncaught page error, a
// console error or a dialog behind, unless it says which it expects (suite.current.allow).
export function pagePerTest() {
  const suite = {
    harness: null,
    current: null, // { page, context, problems, allow }
    async open(options = {}) {
      suite.current = await openPage(suite.harness, options);
      return suite.current.page;
    },
  };
  before(async () => {
    suite.harness = await startHarness();
  });
  after(async () => {
    await suite.harness?.close();
  });
  afterEach(async () => {
    suite.harness?.holds.releaseAll();
    if (!suite.current) return;
    const { context, problems, allow } = suite.current;
    suite.current = null;
    await context.close();
    const unexpected = problems.filter((problem) => !allow?.some((pattern) => pattern.test(problem)));
    assert.deepEqual(unexpected, [], "no uncaught page error, console error or dialog");
  });
  return suite;
}

// Waits until the page is still, before a screenshot: no animation or transition with an end
// is running, and nothing scrolls (the same scroll positions two frames apart).
export async function waitForStill(page) {
  await page.waitForFunction(
    () =>
      new Promise((resolve) => {
        const positions = () =>
          [document.scrollingElement, ...document.querySelectorAll("*")]
            .map((node) => `${node?.scrollTop},${node?.scrollLeft}`)
            .join("|");
        const before = positions();
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const moving = document
              .getAnimations()
              .some((animation) => animation.playState === "running" &&
                animation.effect?.getComputedTiming().endTime !== Infinity);
            resolve(!moving && positions() === before);
          }),
        );
      }),
  );
}

// CodeMirror ignores Enter (and the arrow keys) in a completion list for its first 75 ms
// (autocompletion's interactionDelay), by the page's Date.now(): waits until the list now
// shown has been open that long, by that same clock.
export async function waitForCompletionReady(page) {
  await page.locator(".cm-tooltip-autocomplete li").first().waitFor();
  await page.waitForFunction(() => {
    const list = document.querySelector(".cm-tooltip-autocomplete");
    if (!list) return false;
    list.dataset.seenAt ??= String(Date.now());
    return Date.now() - Number(list.dataset.seenAt) > 75;
  });
}
