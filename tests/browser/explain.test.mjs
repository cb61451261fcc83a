// What a reply means (issue 20, item 5), in Debian's Chromium: the command docs bar (syntax,
// summary, complexity, version) for the editor's cursor line and for a command focused or
// clicked in the output; the plain-words line under a (nil), an (integer) 0 from SETNX and
// a WRONGTYPE error, kept out of the reply's text; the table loaded only when a reply needs
// it; and all of it reached with the keyboard, labelled.
import { test } from "node:test";
import assert from "node:assert/strict";
import { editor, openLesson, pagePerTest, replies, run, typeScript } from "./harness.mjs";

const suite = pagePerTest();

const bar = (page) => page.locator("#syntax-bar");
const lastGroup = (page) => page.locator(".run-group").last();
const meaningOf = (page, command) =>
  lastGroup(page).locator(`.entry[data-command="${command}"]`).last().locator(".reply-meaning");

test("the docs bar shows the syntax, summary, complexity and version of the cursor's command", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  const height = await bar(page).evaluate((node) => node.getBoundingClientRect().height);
  await typeScript(page, "SADD tags redis\nGET greeting");
  await bar(page).locator(".syntax-line", { hasText: /^GET key$/ }).waitFor();
  assert.equal(await bar(page).locator(".syntax-summary").textContent(), "Get the value of a key");
  assert.equal(await bar(page).locator(".syntax-complexity").textContent(), "Complexity: O(1)");
  assert.equal(await bar(page).locator(".syntax-since").textContent(), "since 1.0.0");
  // Up one line: SADD's docs, its long complexity cut to the bar's two lines.
  await page.keyboard.press("ArrowUp");
  await bar(page).locator(".syntax-summary", { hasText: "Add one or more members to a set" }).waitFor();
  assert.match(await bar(page).locator(".syntax-complexity").textContent(), /^Complexity: O\(1\) for each element added/);
  assert.match(await bar(page).getAttribute("title"), /Since Redis 1\.0\.0/);
  // The bar keeps its height, whatever it shows: nothing under it moves.
  assert.equal(await bar(page).evaluate((node) => node.getBoundingClientRect().height), height);
});

test("a command clicked in the output shows its docs", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await typeScript(page, "SET lock a\nSETNX lock b\nOBJECT ENCODING lock");
  await run(page);
  await lastGroup(page).locator('.entry[data-command="setnx"] .cmd').click();
  await bar(page).locator(".syntax-line", { hasText: /^SETNX key value$/ }).waitFor();
  assert.equal(await bar(page).locator(".syntax-since").textContent(), "since 1.0.0");
  // A subcommand, by its full name.
  await lastGroup(page).locator('.entry[data-command="object|encoding"] .reply').click();
  await bar(page).locator(".syntax-line", { hasText: /^OBJECT ENCODING key$/ }).waitFor();
});

test("(nil), an (integer) 0 from SETNX and WRONGTYPE get a plain-words line, apart from the reply's text", async () => {
  const page = await suite.open();
  const fetched = [];
  page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await openLesson(page, suite.harness.url);
  // A Run whose replies need no explanation does not load the table.
  await typeScript(page, "SET greeting hello\nGET greeting");
  await run(page);
  assert.deepEqual(await replies(page), ["OK", '"hello"']);
  assert.equal(await lastGroup(page).locator(".reply-meaning").count(), 0);
  assert.ok(!fetched.some((path) => /reply-meanings/.test(path)), "the meanings are loaded only when a reply needs them");

  await typeScript(page, "GET nosuchkey\nSET lock a\nSETNX lock b\nSET k v\nLPUSH k a");
  await run(page);
  assert.deepEqual(await replies(page), [
    "(nil)",
    "OK",
    "(integer) 0",
    "OK",
    "✕ (error) WRONGTYPE Operation against a key holding the wrong kind of value",
  ]);
  assert.ok(fetched.some((path) => /\/reply-meanings-[A-Z0-9]+\.js$/.test(path)), "the meanings' chunk was fetched");

  const nil = meaningOf(page, "get");
  await nil.waitFor();
  assert.equal(await nil.textContent(), "?The key does not exist: it was never set, was deleted, or has expired.");
  assert.equal(await nil.getAttribute("aria-label"), "What this reply means");

  const setnx = meaningOf(page, "setnx");
  await setnx.waitFor();
  assert.match(await setnx.textContent(), /Not set: the key already exists, and SETNX sets only a key that does not\./);

  const wrongType = meaningOf(page, "lpush");
  await wrongType.waitFor();
  assert.equal(await wrongType.getAttribute("aria-label"), "Why this error, and what to do");
  assert.match(await wrongType.locator(".meaning-text").innerText(), /^Why: The key holds another type .+ What to do: Check it with TYPE key/);

  // OK gets none; each meaning sits right under its reply, outside the reply's text, and a
  // selection of the output does not take it along.
  assert.equal(await lastGroup(page).locator('.entry[data-command="set"] .reply-meaning').count(), 0);
  assert.equal(await lastGroup(page).locator(".reply-meaning").count(), 3);
  for (const meaning of await lastGroup(page).locator(".reply-meaning").all()) {
    assert.equal(await meaning.evaluate((node) => node.previousElementSibling.matches("pre.reply")), true);
    assert.equal(await meaning.evaluate((node) => getComputedStyle(node).userSelect), "none");
  }
  const selected = await lastGroup(page).evaluate((group) => {
    const range = document.createRange();
    range.selectNodeContents(group);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    return getSelection().toString();
  });
  assert.ok(selected.includes("(nil)") && selected.includes("(integer) 0"), selected);
  assert.ok(!/does not exist|What to do/.test(selected), `copied text holds an explanation:\n${selected}`);
});

test("with the keyboard only: the docs follow focus in the output, and Tab reaches each explanation", async () => {
  const page = await suite.open();
  await openLesson(page, suite.harness.url);
  await typeScript(page, "SET k v\nTTL k\nTTL gone");
  await run(page, { key: "ControlOrMeta+Enter" });
  await meaningOf(page, "ttl").waitFor();
  // From the editor, Tab on until focus is in the output: the first line link there.
  await editor(page).focus();
  const active = () =>
    page.evaluate(() => {
      const node = document.activeElement;
      return { inOutput: !!node.closest("#output"), meaning: node.matches(".reply-meaning"), text: node.textContent };
    });
  let now = await active();
  for (let presses = 0; presses < 40 && !now.meaning; presses++) {
    await page.keyboard.press("Tab");
    now = await active();
  }
  assert.ok(now.meaning, "Tab reaches the explanation");
  assert.equal(now.text, "?-1: the key exists but has no timeout, so it never expires.");
  // Focus on it shows its command's docs.
  await bar(page).locator(".syntax-line", { hasText: /^TTL key$/ }).waitFor();
  await page.keyboard.press("Tab");
  now = await active();
  assert.ok(now.inOutput);
  await page.keyboard.press("Tab");
  now = await active();
  assert.equal(now.text, "?-2: the key does not exist (it may have expired).");
});
