// Shared by the browser tests: the built site on a free loopback port, Debian's Chromium
// driven by playwright-core, and a page that records every uncaught error, console error
// and alert so a test can insist there were none.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const siteDir = resolve(root, process.env.REDPAD_SITE ?? "build-site");
export const screenshotsDir = resolve(root, "build/screenshots");
export const readLesson = (file) => JSON.parse(readFileSync(join(root, "lessons", file), "utf8"));
export const caching = readLesson("12-caching-patterns.json");
export const manifest = readLesson("index.json");

const CHROMIUM = process.env.REDPAD_CHROMIUM ?? "/usr/bin/chromium";

// The built site (`site`, build-site/ by default) served on a free loopback port, and a
// headless Chromium.
export async function startHarness({ site = siteDir } = {}) {
  if (!existsSync(join(site, "index.html"))) {
    throw new Error(`${site}/index.html is missing: run ./scripts/build-site first`);
  }
  mkdirSync(screenshotsDir, { recursive: true });
  const { server, url } = await serve({ root: site, port: 0 });
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
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

// A page in a fresh browser context (its own localStorage) that records problems.
export async function openPage(harness, { viewport = { width: 1440, height: 900 }, context } = {}) {
  const ownContext = context ?? (await harness.browser.newContext({ viewport }));
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
  await page.getByRole("button", { name: "Run", exact: true }).and(page.locator(":enabled")).waitFor({ timeout: 30000 });
}

export const editor = (page) => page.getByRole("textbox", { name: /Your script/ });

// Replaces the editor's text by typing, as a learner would, or with { paste: true } as
// text inserted at once.
export async function typeScript(page, text, { paste = false } = {}) {
  const box = editor(page);
  await box.click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Delete");
  if (paste) {
    await page.keyboard.insertText(text);
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
