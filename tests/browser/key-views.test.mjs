// The inspector's per-type views (web/src/key-views.js): a key's row opens its view, with a
// text equivalent for each type (tables with headers, labelled cells), paging for big values,
// keyboard use, the view following Runs, the module loaded only when first used, and a list
// of a million elements opened and paged without a long frame.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openLesson, pagePerTest, run, typeScript, waitForStill } from "./harness.mjs";

const suite = pagePerTest();
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const axeScript = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// axe-core on the open view, with the rules tests/browser/accessibility.test.mjs applies to
// the whole page (WCAG 2.0 and 2.1 A and AA, best practices): no violation.
async function auditView(page, what) {
  await waitForStill(page);
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axeScript });
  const violations = await page.evaluate(async () => {
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
    const result = await window.axe.run(".key-view", { runOnly: { type: "tag", values: tags } });
    return result.violations.map((rule) => `${rule.id}: ${rule.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], `${what}: no accessibility violation`);
}

// Runs a script pasted into the editor.
async function runScript(page, script) {
  await typeScript(page, script, { paste: true });
  await run(page);
}

const view = (page) => page.locator(".key-view");
const keyButton = (page, key) => page.locator("#keys").getByRole("button", { name: key, exact: true });
const viewReady = (page, key, extra = "") =>
  page.locator(`.key-view[data-state="ready"][data-key="${key}"]${extra}`).waitFor();

async function openKey(page, key) {
  await keyButton(page, key).click();
  await viewReady(page, key);
  return view(page);
}

async function closeView(page) {
  await page.getByRole("button", { name: "Back to the keys (Escape)" }).click();
  await page.locator('.key-view[data-state="closed"]').waitFor({ state: "attached" });
}

// A table's header texts and its body rows' cell texts.
async function tableText(table) {
  const headers = await table.locator("thead th").allTextContents();
  const rows = await table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((cell) => cell.textContent)));
  return { headers, rows };
}

test("each type's view: list, hash, set, sorted set, geo, stream, HyperLogLog, bits, JSON", async () => {
  // The shipped Content-Security-Policy would refuse axe's script, added by the test: it is
  // bypassed in this test's context only.
  const context = await suite.harness.browser.newContext({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  const page = await suite.open({ context });
  const requested = [];
  page.on("request", (request) => requested.push(new URL(request.url()).pathname));
  await openLesson(page, suite.harness.url);
  // Nothing of the views is downloaded before a key is opened.
  assert.deepEqual(requested.filter((path) => /key-views/.test(path)), []);
  await runScript(page, [
    "RPUSH letters a b c",
    "HSET user name Ada age 36",
    "SADD tags red blue",
    "ZADD scores 1.5 ann 2 bob",
    "GEOADD places 13.361389 38.115556 Palermo",
    "XADD events 1-1 kind login",
    "XADD events 2-1 kind click",
    "XADD events 3-1 kind logout",
    "XGROUP CREATE events grp 0",
    "XREADGROUP GROUP grp alice COUNT 2 STREAMS events >",
    "PFADD visitors a b c",
    "SETBIT flags 3 1",
    `SET profile '{"name":"Ada","langs":["en","fr"]}'`,
  ].join("\n"));

  // A list: cells with the index from the start and from the end.
  let box = await openKey(page, "letters");
  assert.ok(requested.some((path) => /^\/key-views-[A-Z0-9]+\.js$/.test(path)), "the view's module loaded on demand");
  assert.ok(requested.some((path) => /^\/key-views-[A-Z0-9]+\.css$/.test(path)), "its stylesheet too");
  const cells = box.locator(".kv-cell");
  assert.deepEqual(await cells.evaluateAll((items) => items.map((item) => item.getAttribute("aria-label"))), [
    "index 0 (-3): a",
    "index 1 (-2): b",
    "index 2 (-1): c",
  ]);
  assert.equal(await box.getByRole("list", { name: /Elements of list letters/ }).count(), 1);
  assert.match(await box.locator(".key-view-meta").textContent(), /^3 items · encoding quicklist · no expiry$/);
  await page.locator("#sr-status", { hasText: "list letters: items 1–3 of 3" }).waitFor();
  await auditView(page, "the list view");
  await closeView(page);

  box = await openKey(page, "user");
  assert.deepEqual(await tableText(box.getByRole("table", { name: "Fields of hash user" })), {
    headers: ["Field", "Value"],
    rows: [["name", "Ada"], ["age", "36"]],
  });
  await auditView(page, "the hash view");
  await closeView(page);

  box = await openKey(page, "tags");
  assert.deepEqual(await box.getByRole("list", { name: "Members of set tags" }).locator("li").allTextContents(), ["blue", "red"]);
  await auditView(page, "the set view");
  await closeView(page);

  box = await openKey(page, "scores");
  assert.deepEqual(await tableText(box.getByRole("table", { name: /Members of sorted set scores by rank/ })), {
    headers: ["Rank", "Member", "Score"],
    rows: [["0", "ann", "1.5"], ["1", "bob", "2"]],
  });
  await auditView(page, "the sorted set view");
  await closeView(page);

  // Coordinates as GEOPOS prints them (redis-server 7.0.15).
  box = await openKey(page, "places");
  assert.deepEqual(await tableText(box.getByRole("table", { name: /geo set places/ })), {
    headers: ["Member", "Longitude", "Latitude", "Score (geohash)"],
    rows: [["Palermo", "13.36138933897018433", "38.11555639549629859", "3479099956230698"]],
  });
  await auditView(page, "the geo set view");
  await closeView(page);

  // A stream: its entries, and the group's last-delivered ID, lag (as XINFO GROUPS: 1) and
  // its consumer's pending entries.
  box = await openKey(page, "events");
  const entries = await tableText(box.getByRole("table", { name: "Entries of stream events" }));
  assert.deepEqual(entries.headers, ["ID", "Fields"]);
  assert.deepEqual(entries.rows.map((row) => row[0]), ["1-1", "2-1", "3-1"]);
  const group = box.getByRole("region", { name: "Consumer group grp" });
  const facts = await group.locator(".kv-facts").evaluate((list) =>
    [...list.querySelectorAll("dt")].map((dt) => `${dt.textContent}: ${dt.nextElementSibling.textContent}`));
  assert.deepEqual(facts, ["Last delivered ID: 2-1", "Entries read: 2", "Lag: 1", "Pending: 2"]);
  assert.deepEqual(await tableText(group.getByRole("table")), {
    headers: ["Consumer", "Pending", "Pending IDs"],
    rows: [["alice", "2", "1-1, 2-1"]],
  });
  await auditView(page, "the stream view");
  if (process.env.REDPAD_UPDATE_SCREENSHOT === "1") {
    // docs/stream-view.png (README): the inspector's panel with the stream's view open.
    await page.setViewportSize({ width: 1440, height: 1400 }); // the whole view, unscrolled
    await page.locator("section.panel.server").screenshot({ path: join(root, "docs/stream-view.png") });
    await page.setViewportSize({ width: 1440, height: 900 });
  }
  await closeView(page);

  box = await openKey(page, "visitors");
  await viewReady(page, "visitors", '[data-view="hll"]');
  assert.match(await box.locator(".kv-facts").innerText(), /Estimated distinct elements \(PFCOUNT\)\s+3\s+HyperLogLog encoding\s+sparse/);
  await auditView(page, "the HyperLogLog view");
  await closeView(page);

  // Any string as bits: SETBIT flags 3 1 sets the fourth bit from the left.
  box = await openKey(page, "flags");
  const toggle = box.getByRole("button", { name: "View as bits" });
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await toggle.click();
  await page.locator('.key-view[data-state="ready"] .kv-bits-table').waitFor();
  assert.equal(await box.getByRole("button", { name: "View as text" }).getAttribute("aria-pressed"), "true");
  assert.deepEqual(await tableText(box.getByRole("table", { name: /Bits of flags/ })), {
    headers: ["Bit offset", "Bits", "Byte"],
    rows: [["0", "00010000", "0x10"]],
  });
  await auditView(page, "the bits view");
  await closeView(page);

  box = await openKey(page, "profile");
  await viewReady(page, "profile", '[data-view="json"]');
  assert.equal(await box.locator(".kv-json").textContent(),
    JSON.stringify({ name: "Ada", langs: ["en", "fr"] }, null, 2));
  await auditView(page, "the JSON view");
  await closeView(page);
});

test("the open view follows each Run, and says when its key is gone", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(page, "RPUSH queue a b");
  const box = await openKey(page, "queue");
  assert.equal(await box.locator(".kv-cell").count(), 2);
  assert.equal(await box.locator(".key-view-note").count(), 0);
  await runScript(page, "RPUSH queue c");
  await box.locator(".kv-cell").nth(2).waitFor();
  assert.equal(await box.locator(".kv-cell").nth(2).getAttribute("aria-label"), "index 2 (-1): c");
  // An element longer than 1,024 bytes is shown cut, and the view says so.
  await runScript(page, `RPUSH queue ${"x".repeat(2000)}`);
  await box.locator(".kv-cell").nth(3).waitFor();
  assert.equal((await box.locator(".kv-cell .kv-value").nth(3).textContent()).length, 1024);
  assert.equal(await box.locator(".key-view-note").textContent(),
    "Elements longer than 1,024 bytes are shown cut to their first 1,024.");
  await runScript(page, "DEL queue");
  await page.locator('.key-view[data-state="gone"]').waitFor();
  assert.match(await box.innerText(), /queue no longer exists/);
  await page.locator("#sr-status", { hasText: "queue no longer exists." }).waitFor();
  await closeView(page);
  assert.equal(await page.locator("#keys").isVisible(), true);
});

test("keyboard only: Tab to a key, Enter opens its view, pages with the buttons, Escape closes it", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await runScript(page, "250 RPUSH numbers n");
  // From the clock's last button, Tab reaches the timeline's button, then the key's name (a
  // button).
  await page.getByRole("button", { name: "+1 min" }).focus();
  await page.keyboard.press("Tab");
  assert.match(await page.evaluate(() => document.activeElement.textContent), /Step through the Runs/);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "numbers");
  await page.keyboard.press("Enter");
  await viewReady(page, "numbers");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "← Keys", "focus on the view's Back button");
  const range = view(page).locator(".key-view-range");
  assert.equal(await range.textContent(), "items 1–100 of 250");
  // Tab to "Next page", Enter: the second page.
  for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement.textContent)) !== "Next page"; i++) {
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  await viewReady(page, "numbers", '[data-offset="100"]');
  assert.equal(await range.textContent(), "items 101–200 of 250");
  await page.keyboard.press("Enter");
  await viewReady(page, "numbers", '[data-offset="200"]');
  assert.equal(await range.textContent(), "items 201–250 of 250");
  assert.equal(await view(page).getByRole("button", { name: "Next page" }).isDisabled(), true);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Previous page",
    "the last page disables Next: focus moves to Previous, not to the page");
  assert.equal(await view(page).locator(".kv-cell").first().getAttribute("aria-label"), "index 200 (-50): n");
  await page.keyboard.press("Escape");
  await page.locator('.key-view[data-state="closed"]').waitFor({ state: "attached" });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "numbers", "focus back on the key");
  // Space opens it too.
  await page.keyboard.press("Space");
  await viewReady(page, "numbers");
});

test("a list of a million elements opens and pages with no frame longer than 200 ms", async (t) => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  // 10,000 RPUSH commands of 100 elements each (redis-cli's repeat count).
  const elements = Array.from({ length: 100 }, (_, i) => `e${i}`).join(" ");
  await runScript(page, `10000 RPUSH big ${elements}`);
  await page.locator(".key-row", { hasText: "1,000,000 items" }).waitFor();

  // Frame gaps, measured inside the page from just before the click until the last page is
  // drawn.
  await page.evaluate(() => {
    const gaps = (window.__frameGaps = { max: 0, running: true });
    let last = performance.now();
    const frame = (now) => {
      gaps.max = Math.max(gaps.max, now - last);
      last = now;
      if (gaps.running) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const box = await openKey(page, "big");
  const range = box.locator(".key-view-range");
  assert.equal(await range.textContent(), "items 1–100 of 1,000,000");
  assert.equal(await box.locator(".kv-cell").count(), 100);
  await box.getByRole("button", { name: "Next page" }).click();
  await viewReady(page, "big", '[data-offset="100"]');
  assert.equal(await range.textContent(), "items 101–200 of 1,000,000");
  assert.equal(await box.locator(".kv-cell").first().getAttribute("aria-label"), "index 100 (-999900): e0");
  await box.getByRole("button", { name: "Previous page" }).click();
  await viewReady(page, "big", '[data-offset="0"]');
  const maxGap = await page.evaluate(() => new Promise((resolve) =>
    requestAnimationFrame(() => {
      window.__frameGaps.running = false;
      resolve(window.__frameGaps.max);
    })));
  t.diagnostic(`longest frame gap while opening and paging: ${Math.round(maxGap)} ms`);
  assert.ok(maxGap < 200, `the longest frame gap while opening and paging was ${Math.round(maxGap)} ms`);
});
