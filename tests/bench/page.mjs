// The learner's page measured in Debian's Chromium (playwright-core, as the browser tests
// drive it): what the first visit to lesson 12 downloads (the engine without Lua: the one
// with Lua comes with the first script that needs it), how long the page takes to be
// usable, how long a Run takes to show its replies (the first one, which loads the engine
// with Lua, apart), and what a 100,000-line script does to the page. Every figure comes from the browser; times are taken inside the page
// (performance.now()), so Playwright's round trips are not counted.
//
//   node tests/bench/page.mjs [--quick]     prints the JSON for build-site/
//
// measurePage() returns plain numbers and prints nothing; it throws an Error naming what
// failed (a page error, a console error, a timeout, a reply that is not the expected one).
import { readFileSync, statSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { WAIT_LIMIT_MS, caching, editor, openPage, root, startHarness, typeScript } from "../browser/harness.mjs";

const VIEWPORT = { width: 1440, height: 900 };
const LESSON_ID = "caching-patterns";
// The solution's replies, as tests/browser/page.test.mjs expects them (the last one from the
// safe release's EVAL).
const SOLUTION_REPLIES = ["OK", "(nil)", '"worker-1"', "(integer) 0"];
// weight is sorted by kind in this order (the page, then what it needs, then the course).
const KINDS = ["html", "js", "css", "wasm", "font", "lesson", "other"];

// Every wait is for an event (the page ready, a Run's output, a request finished); these
// limits only turn a hang into an error, far beyond what a slow machine takes (the browser
// tests' own limit; the full-size big script, 100,000 lines, gets more).
const READY_TIMEOUT = WAIT_LIMIT_MS;
const RUN_TIMEOUT = WAIT_LIMIT_MS;
const BIG_RUN_TIMEOUT = 4 * WAIT_LIMIT_MS;
// The page stops a Run still going after 5 s: a benchmark on a slow machine must measure a
// slow Run, not fail on it. `?runTimeoutMs=0` lifts the limit (web/src/session.js).
const PAGE_QUERY = "?runTimeoutMs=0";
// Where the page keeps the editor's text (web/src/progress.js).
const STORAGE_KEY = "redpad.progress.v1";

// ---------------------------------------------------------------------------------------
// In the page. These functions are serialised into the page: they use nothing from here.

// Installed before the page's own scripts. `ready`: the first frame in which the engine is
// ready (the Run button is enabled: runs.js enables it only once the engine answered
// "init") and lesson 12 is rendered (its article is no longer aria-busy and shows the
// lesson's title). The page has no single marker for both; these two are what the browser
// tests wait on. `armRun`: times the next click on Run up to the frame that shows its
// output, optionally recording the longest gap between animation frames meanwhile.
function installProbes(lessonTitle) {
  const bench = { readyAt: null, run: null };
  window.__bench = bench;
  const ready = () => {
    const run = document.getElementById("run");
    const lesson = document.getElementById("lesson");
    return (
      run !== null &&
      !run.disabled &&
      lesson?.getAttribute("aria-busy") === "false" &&
      lesson.querySelector("h1")?.textContent === lessonTitle
    );
  };
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    // The DOM holds both now; the figure is the frame that paints them.
    requestAnimationFrame(() => (bench.readyAt = performance.now()));
  });
  observer.observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["disabled", "aria-busy"],
  });

  bench.armRun = ({ trackFrames = false } = {}) => {
    const output = document.getElementById("output");
    const before = new Set(output.querySelectorAll(".run-group, .output-note"));
    let clickAt = null;
    let tracking = trackFrames;
    let lastFrame = performance.now();
    let maxFrameGap = 0;
    const frame = () => {
      const now = performance.now();
      maxFrameGap = Math.max(maxFrameGap, now - lastFrame);
      lastFrame = now;
      if (tracking) requestAnimationFrame(frame);
    };
    if (trackFrames) requestAnimationFrame(frame);
    // On the window in the capture phase: runs before main.js's listener on the button.
    const onClick = (event) => {
      if (!event.target.closest?.("#run")) return;
      clickAt = performance.now();
      window.removeEventListener("click", onClick, true);
    };
    window.addEventListener("click", onClick, true);
    bench.run = null;
    // OutputLog.addRun builds a run's whole group in one go and appends its summary last:
    // a new group with a summary is a run shown in full.
    const shown = () =>
      [...output.querySelectorAll(".run-group")].find(
        (group) => !before.has(group) && group.querySelector(".run-summary"),
      );
    // A run that fails shows a note instead (the engine crashed or stopped).
    const failed = () =>
      [...output.querySelectorAll(".output-note.note-error")].find((note) => !before.has(note));
    const observer = new MutationObserver(() => {
      const error = failed();
      if (error) {
        observer.disconnect();
        tracking = false;
        bench.run = { error: error.textContent };
        return;
      }
      const group = shown();
      if (!group) return;
      observer.disconnect();
      // The DOM holds the output now; the figure is the frame that paints it.
      requestAnimationFrame(() => {
        const renderedAt = performance.now();
        if (trackFrames) frame();
        tracking = false;
        const omitted = [...group.children].filter((child) => child.classList.contains("omitted"));
        bench.run = {
          clickAt,
          renderedAt,
          maxFrameGap,
          entries: group.querySelectorAll(".entry").length,
          replies: [...group.querySelectorAll(".entry .reply")].map((reply) => reply.textContent),
          summary: group.querySelector(".run-summary").textContent,
          omittedText: omitted.at(-1)?.textContent ?? null,
        };
      });
    });
    observer.observe(output, { subtree: true, childList: true });
  };
}

// ---------------------------------------------------------------------------------------
// In Node

const round = (ms) => Math.round(ms * 10) / 10;

// Awaits `promise`; a failure (a timeout, a closed page) becomes an Error naming `what`,
// with the page's own errors if it had any (they usually say why).
async function step(what, promise, problems = []) {
  try {
    return await promise;
  } catch (error) {
    const seen = problems.length ? ` (the page reported: ${problems.join("; ")})` : "";
    throw new Error(`page bench: ${what} failed: ${error.message.split("\n")[0]}${seen}`, { cause: error });
  }
}

function checkProblems(problems, what) {
  if (problems.length) throw new Error(`page bench: ${what}: ${problems.join("; ")}`);
}

function kindOf(file) {
  if (/\.html?$/.test(file)) return "html";
  if (/\.m?js$/.test(file)) return "js";
  if (/\.css$/.test(file)) return "css";
  if (/\.wasm$/.test(file)) return "wasm";
  if (/\.(woff2?|ttf|otf)$/.test(file)) return "font";
  if (/^lessons\/.*\.json$/.test(file)) return "lesson";
  return "other";
}

// Each file requested from the site once, with its size on disk and gzipped (level 9).
function weigh(siteDir, urls, origin) {
  const files = new Set();
  for (const url of urls) {
    const parsed = new URL(url);
    if (parsed.origin !== origin) throw new Error(`page bench: the page requested ${url}, outside the site`);
    let file = decodeURIComponent(parsed.pathname).replace(/^\/+/, "");
    if (file === "" || file.endsWith("/")) file += "index.html";
    files.add(file);
  }
  const weight = [...files].map((file) => {
    const path = resolve(siteDir, file);
    if (!path.startsWith(siteDir + sep)) throw new Error(`page bench: ${file} is outside ${siteDir}`);
    const gzipBytes = gzipSync(readFileSync(path), { level: 9 }).length;
    return { file, kind: kindOf(file), bytes: statSync(path).size, gzipBytes };
  });
  return weight.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || a.file.localeCompare(b.file));
}

// Resolves once no request is in flight (after a request finishes or fails). Called when
// everything the page asks for has been asked: the page loaded, the engine (the worker's
// wasm) and the lesson ready, the fonts ready.
function networkIdle(network) {
  return new Promise((done) => {
    network.onSettle = () => {
      if (network.inFlight !== 0) return;
      network.onSettle = null;
      done();
    };
    network.onSettle();
  });
}

// One cold visit: a fresh context (empty cache and storage), navigation to lesson 12, the
// time from navigation start to the ready frame, and every URL it fetched.
async function coldVisit(browser, url, sample) {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const network = { inFlight: 0, urls: [], failures: [], onSettle: null };
  // On the context: it sees the worker's fetch of the wasm too.
  context.on("request", (request) => {
    network.inFlight++;
    network.urls.push(request.url());
  });
  context.on("requestfinished", async (request) => {
    const response = await request.response();
    if (response && response.status() >= 400) {
      network.failures.push(`${request.url()} answered HTTP ${response.status()}`);
    }
    network.inFlight--;
    network.onSettle?.();
  });
  context.on("requestfailed", (request) => {
    network.failures.push(`${request.url()} failed (${request.failure()?.errorText})`);
    network.inFlight--;
    network.onSettle?.();
  });
  await context.addInitScript(installProbes, caching.title);
  const { page, problems } = await openPage({ browser }, { context });
  const what = `cold visit ${sample + 1}`;
  const address = `${url}${PAGE_QUERY}#/${LESSON_ID}`;
  await step(`${what}: loading ${address}`, page.goto(address), problems);
  // Ready, or the page's fatal message (the engine could not load): no need to wait longer.
  const fatal = await step(
    `${what}: waiting for the engine and lesson 12 (Run enabled, "${caching.title}" shown)`,
    page
      .waitForFunction(
        () => window.__bench.readyAt !== null || document.getElementById("fatal")?.hidden === false,
        null,
        { timeout: READY_TIMEOUT },
      )
      .then(() => page.locator("#fatal").evaluate((box) => (box.hidden ? "" : box.innerText))),
    problems,
  );
  if (fatal) throw new Error(`page bench: ${what}: the page failed: ${fatal.replace(/\s+/g, " ")}`);
  const readyMs = await page.evaluate(() => window.__bench.readyAt);
  const fonts = page.evaluate(() => document.fonts.ready.then(() => true));
  await step(`${what}: waiting for the fonts`, fonts, problems);
  await step(`${what}: waiting for the load event`, page.waitForLoadState("load"), problems);
  await step(`${what}: waiting for the requests in flight`, networkIdle(network), problems);
  if (network.failures.length) throw new Error(`page bench: ${what}: ${network.failures.join("; ")}`);
  checkProblems(problems, what);
  // The tab's icon is the browser's own request, made whenever it gets to it: counted from
  // the page's <link rel="icon">, so the figure does not depend on when that happens.
  const icons = await page.evaluate(() =>
    [...document.querySelectorAll('link[rel~="icon"]')].map((link) => link.href));
  return { context, page, problems, readyMs, urls: [...network.urls, ...icons] };
}

// Clicks Run and returns what armRun measured, checking the click was seen.
async function timedRun(page, problems, { trackFrames = false, timeout = RUN_TIMEOUT, what }) {
  const before = Number((await page.locator("html").getAttribute("data-runs")) ?? 0);
  await page.evaluate((track) => window.__bench.armRun({ trackFrames: track }), trackFrames);
  const runButton = page.getByRole("button", { name: "Run", exact: true });
  await step(`${what}: clicking Run`, runButton.click(), problems);
  const result = await step(
    `${what}: waiting for the output`,
    page
      .waitForFunction(() => window.__bench.run, null, { timeout, polling: 100 })
      .then((handle) => handle.jsonValue()),
    problems,
  );
  if (result.error) throw new Error(`page bench: ${what}: the run failed: ${result.error}`);
  if (result.clickAt === null) {
    throw new Error(`page bench: ${what}: the click on Run was not seen in the page`);
  }
  // The page then evaluates the checks and reads the keys; the next step starts after.
  await step(
    `${what}: waiting for the checks and keys after the run`,
    page.waitForFunction((n) => Number(document.documentElement.dataset.runs ?? 0) > n, before, { timeout }),
    problems,
  );
  return { ...result, ms: result.renderedAt - result.clickAt };
}

// A real paste (the text on the clipboard, then Ctrl+V), as a learner pastes a big script.
// harness.mjs's typeScript(..., { paste: true }) sends the editor a paste event without the
// clipboard; this goes through the browser's own clipboard and keyboard shortcut. (Text
// inserted through the keyboard's input path instead takes CodeMirror about 35 ms a line.)
async function pasteScript(page, text) {
  const origin = new URL(page.url()).origin;
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await page.evaluate((script) => navigator.clipboard.writeText(script), text);
  await editor(page).click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("ControlOrMeta+v");
}

async function resetServer(page, problems, what) {
  const notes = page.locator("#output .output-note", { hasText: "The server was reset" });
  const count = await notes.count();
  await step(`${what}: Reset server`, page.getByRole("button", { name: "Reset server" }).click(), problems);
  await step(`${what}: waiting for the reset`, notes.nth(count).waitFor({ timeout: RUN_TIMEOUT }), problems);
}

// "SET key:N value-N" and "INCR counter:N", alternately.
export function bigScript(lines) {
  const out = [];
  for (let n = 0; n < lines; n++) out.push(n % 2 === 0 ? `SET key:${n} value-${n}` : `INCR counter:${n}`);
  return `${out.join("\n")}\n`;
}

export async function measurePage({ siteDir, runs = 5, quick = false }) {
  siteDir = resolve(siteDir);
  try {
    statSync(join(siteDir, "index.html"));
  } catch {
    throw new Error(`page bench: ${siteDir}/index.html is missing: run ./scripts/build-site first`);
  }
  if (quick) runs = 1;
  const bigLines = quick ? 2000 : 100000;

  const harness = await startHarness({ site: siteDir });
  const { url, browser } = harness;
  const origin = new URL(url).origin;
  try {

    const readyMs = [];
    let weight = null;
    let visit = null;
    for (let sample = 0; sample < runs; sample++) {
      await visit?.context.close();
      visit = await coldVisit(browser, url, sample);
      readyMs.push(round(visit.readyMs));
      weight ??= weigh(siteDir, visit.urls, origin);
    }

    // The last cold visit's page goes on: the solution, run `runs` times from a reset server.
    const { page, problems } = visit;
    await step(
      "putting the solution in the editor",
      typeScript(page, caching.task.solution, { paste: true }),
      problems,
    );
    // The first Run loads the engine with Lua (the solution's EVAL): timed on its own, so the
    // samples after it measure a Run alone.
    const first = await timedRun(page, problems, { what: "the first Run (loading the engine with Lua)" });
    if (JSON.stringify(first.replies) !== JSON.stringify(SOLUTION_REPLIES)) {
      throw new Error(`page bench: the first Run: replies ${JSON.stringify(first.replies)}, expected ${JSON.stringify(SOLUTION_REPLIES)}`);
    }
    checkProblems(problems, "the first Run");
    const firstLuaRunMs = round(first.ms);
    const clickToRenderMs = [];
    for (let sample = 0; sample < runs; sample++) {
      const what = `click to render ${sample + 1}`;
      await resetServer(page, problems, what);
      const result = await timedRun(page, problems, { what });
      const [got, expected] = [JSON.stringify(result.replies), JSON.stringify(SOLUTION_REPLIES)];
      if (got !== expected) throw new Error(`page bench: ${what}: replies ${got}, expected ${expected}`);
      checkProblems(problems, what);
      clickToRenderMs.push(round(result.ms));
    }

    const what = `big script (${bigLines.toLocaleString("en-US")} lines)`;
    await resetServer(page, problems, what);
    const big = bigScript(bigLines);
    await step(`${what}: pasting it into the editor`, pasteScript(page, big), problems);
    // The editor saves its text 400 ms after the last change (a 2 MB localStorage write);
    // that belongs to the paste, not to the run being measured: waited for until it is
    // stored, however long the machine takes.
    await step(
      `${what}: waiting for the editor to save it`,
      page.waitForFunction(
        ({ key, id, length }) => {
          try {
            return JSON.parse(localStorage.getItem(key))?.lessons?.[id]?.script?.length === length;
          } catch {
            return false;
          }
        },
        { key: STORAGE_KEY, id: LESSON_ID, length: big.length },
        { timeout: RUN_TIMEOUT, polling: 100 },
      ),
      problems,
    );
    const bigRun = await timedRun(page, problems, { what, trackFrames: true, timeout: BIG_RUN_TIMEOUT });
    const total = bigLines.toLocaleString("en-US");
    if (!bigRun.summary.startsWith(`${total} commands`)) {
      throw new Error(`page bench: ${what}: the output says "${bigRun.summary}", expected ${total} commands`);
    }
    if (!bigRun.omittedText) throw new Error(`page bench: ${what}: the output does not say how much was cut`);
    checkProblems(problems, what);
    await visit.context.close();

    return {
      weight,
      readyMs,
      clickToRenderMs,
      firstLuaRunMs,
      bigScript: {
        lines: bigLines,
        ms: round(bigRun.ms),
        shownResults: bigRun.entries,
        omittedText: bigRun.omittedText,
        maxFrameGapMs: round(bigRun.maxFrameGap),
      },
    };
  } finally {
    await harness.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes("--quick");
  try {
    const result = await measurePage({ siteDir: join(root, "build-site"), quick });
    console.log(JSON.stringify(result, null, 2));
  } catch (error) {
    console.error(error.message);
    process.exitCode = 1;
  }
}
