// The lesson validator rejects what the authoring guide says it rejects, naming the file
// and the field; run with: node --test tests/lessons/ (after the WebAssembly build).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const model = JSON.parse(readFileSync(join(root, "lessons", "12-caching-patterns.json"), "utf8"));
const folder = mkdtempSync(join(tmpdir(), "redpad-lessons-"));
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Where lesson 12's checks of a kind are (the lesson may gain checks).
const checkIndex = (kind) => model.task.checks.findIndex((check) => check.kind === kind);

// Writes a variant of lesson 12 and runs the validator on it: { status, output }.
function validate(name, change) {
  const lesson = structuredClone(model);
  const text = change(lesson) ?? JSON.stringify(lesson, null, 2);
  const file = join(folder, name);
  writeFileSync(file, text);
  try {
    const output = execFileSync(process.execPath, [join(root, "scripts", "validate-lessons.mjs"), file],
      { encoding: "utf8" });
    return { status: 0, output };
  } catch (error) {
    return { status: error.status, output: error.stdout };
  }
}

test("lesson 12 as written is valid", () => {
  const { status, output } = validate("12-caching-patterns.json", () => undefined);
  assert.equal(status, 0, output);
  assert.match(output, /^ok {3}12-caching-patterns\.json: lesson 12/m);
  assert.match(output, /^1 passed, 0 failed$/m);
});

test("a misspelt check kind is rejected with file, pointer and the allowed kinds", () => {
  const { status, output } = validate("misspelt.json", (l) => { l.task.checks[3].kind = "valeu"; });
  assert.equal(status, 1);
  assert.match(output, /misspelt\.json: \/task\/checks\/3\/kind: must be equal to one of the allowed values: exists, missing, type, value/);
});

test("a wrong reference solution is rejected with the check it fails", () => {
  const { status, output } = validate("wrong-solution.json", (l) => {
    l.task.solution = "SET lock:task worker-1 EX 60\nGET lock:task\n";
  });
  assert.equal(status, 1);
  assert.match(output, /wrong-solution\.json: \/task\/solution: fails check 0 \("worker-1 acquired lock:task with SET \.\.\. NX EX 60"\)/);
  assert.match(output, /fails check 1 \("worker-2's SET NX was refused with \(nil\)"\): no command matching/);
});

test("a starter that already passes is rejected", () => {
  const { status, output } = validate("starter.json", (l) => { l.task.starter = l.task.solution; });
  assert.equal(status, 1);
  assert.match(output, /starter\.json: \/task\/starter: starter already passes every check/);
});

test("checks that an empty editor passes are rejected", () => {
  const { status, output } = validate("vacuous.json", (l) => {
    l.task.checks = [{ kind: "missing", key: "nothing", message: "nothing is there" }];
  });
  assert.equal(status, 1);
  assert.match(output, /vacuous\.json: \/task\/checks: an empty script already passes every check/);
});

test("an example whose expected output is wrong is rejected with both outputs", () => {
  const { status, output } = validate("example.json", (l) => { l.sections[2].examples[0].expected = "OK\nOK\n"; });
  assert.equal(status, 1);
  assert.match(output, /example\.json: \/sections\/2\/examples\/0\/expected: the output is "OK\\n\(nil\)\\n\\"worker-1\\"\\n", not "OK\\nOK\\n"/);
});

test("an example that fails without saying so is rejected with its line", () => {
  const { status, output } = validate("failing.json", (l) => { l.sections[1].examples[1].commands = "GET\n"; });
  assert.equal(status, 1);
  assert.match(output, /failing\.json: \/sections\/1\/examples\/1\/commands: line 1 \(GET\) failed: \(error\) ERR wrong number of arguments for 'get' command/);
});

test("malformed checks and missing fields name their place", () => {
  const { status, output } = validate("malformed.json", (l) => {
    delete l.task.checks[0].message;
    l.task.checks[checkIndex("after")].check = { kind: "ttl", key: "k" };
    delete l.title;
  });
  assert.equal(status, 1);
  assert.match(output, /malformed\.json: \/task\/checks\/0: must have required property 'message'/);
  assert.match(output, new RegExp(`malformed\\.json: /task/checks/${checkIndex("after")}/check: must have required property 'min', or`));
  assert.match(output, /malformed\.json: \/: must have required property 'title'/);
});

test("invalid JSON is reported with its line and column", () => {
  const { status, output } = validate("broken.json", () => '{\n  "id": "x",,\n}');
  assert.equal(status, 1);
  assert.match(output, /FAIL broken\.json: invalid JSON at line 2, column 13/);
});

test("setup commands that fail are reported", () => {
  const { status, output } = validate("setup.json", (l) => { l.setup = "SET a 1\nINCR a b\n"; });
  assert.equal(status, 1);
  assert.match(output, /setup\.json: \/setup: line 2 of the setup \(INCR a b\) failed: \(error\) ERR wrong number of arguments for 'incr' command/);
});

test("fields of the wrong type name their place and the type wanted", () => {
  const { status, output } = validate("types.json", (l) => {
    l.title = 12;
    l.task.checks = "all of them";
    l.sections[0].examples = {};
  });
  assert.equal(status, 1);
  assert.match(output, /types\.json: \/title: must be string/);
  assert.match(output, /types\.json: \/task\/checks: must be array/);
  assert.match(output, /types\.json: \/sections\/0\/examples: must be array/);
});

test("a file that is not a lesson at all (an array, a string, empty) is rejected", () => {
  for (const [name, text] of [["array.json", "[]"], ["string.json", '"lesson"'], ["empty.json", ""]]) {
    const { status, output } = validate(name, () => text);
    assert.equal(status, 1, output);
    assert.match(output, new RegExp(`FAIL ${name.replace(".", "\\.")}`));
  }
});

// Several clients (docs/clients.md): `@name` lines in examples and solutions, and checks
// that look at one client's commands.

test("an example with @name lines is compared as redpad-cli prints it", () => {
  const race = model.sections.findIndex((s) => (s.examples ?? []).some((e) => e.commands.startsWith("@worker-1")));
  assert.notEqual(race, -1, "lesson 12 has an example where two workers race for a lock");
  const { status, output } = validate("clients-example.json", (l) => {
    const example = l.sections[race].examples.find((e) => e.commands.startsWith("@worker-1"));
    example.expected = "OK\n(nil)\n\"worker-1\"\n";
  });
  assert.equal(status, 1);
  assert.match(output, /the output is "@worker-1\\nOK\\n@worker-2\\n\(nil\)\\n\\"worker-1\\"\\n", not "OK\\n\(nil\)\\n\\"worker-1\\"\\n"/);
});

test("a check with a client counts only that client's commands", () => {
  const { status, output } = validate("client-check.json", (l) => { l.task.checks[1].client = "worker-2"; });
  assert.equal(status, 1);
  assert.match(output, /client-check\.json: \/task\/solution: fails check 1 \("worker-2's SET NX was refused with \(nil\)"\): no command matching "SET lock:task worker-2 \*NX\*" was run by worker-2 \(line 2 ran one as main\)/);
  const passing = validate("client-check-ok.json", (l) => {
    l.task.checks[1].client = "worker-2";
    l.task.solution = "SET lock:task \"worker-1\" NX EX 60\n@worker-2\nSET lock:task \"worker-2\" NX\n@main\nGET lock:task\n" +
      model.task.solution.split("\n").filter((line) => /^EVAL /.test(line)).join("\n");
  });
  assert.equal(passing.status, 0, passing.output);
});

test("a client that is not a script name, or on a check that reads no commands, is rejected", () => {
  const { status, output } = validate("client-name.json", (l) => {
    l.task.checks[0].client = "worker 2";
    l.task.checks[checkIndex("value")].client = "worker-1";
  });
  assert.equal(status, 1);
  assert.match(output, /client-name\.json: \/task\/checks\/0\/client: must match pattern "\^\[A-Za-z0-9_\.:-\]\{1,32\}\$"/);
  assert.match(output, new RegExp(`client-name\\.json: /task/checks/${checkIndex("value")}: must NOT have additional properties \\("client"\\)`));
});

test("lines left waiting behind a command blocked for ever are reported", () => {
  const { status, output } = validate("not-run.json", (l) => {
    l.sections[1].examples[1].commands = "@worker\nBLPOP queue:none 0\nLLEN queue:none\n";
    delete l.sections[1].examples[1].expected;
  });
  assert.equal(status, 1);
  assert.match(output, /not-run\.json: \/sections\/1\/examples\/1\/commands: line 3 \(LLEN queue:none\) was not run/);
});

test("a client still blocked when an example ends gets its timeout, as redpad-cli prints it", () => {
  const { status, output } = validate("timeout.json", (l) => {
    l.sections[1].examples[1].commands = "@worker\nBLPOP queue:none 5\n";
    l.sections[1].examples[1].expected = "@worker\n(nil)\n";
  });
  assert.equal(status, 1);
  assert.match(output, /timeout\.json: \/sections\/1\/examples\/1\/expected: the output is "@worker\\n\(nil\)\\n\(5\.00s\)\\n", not "@worker\\n\(nil\)\\n"/);
});

// Accepts and rejects (lessons/README.md, "The task"): other correct solutions must pass
// every check, plausible wrong ones must fail the checks they name.

test("every task of the course has at least two accepts and two rejects, each run", () => {
  const files = readdirSync(join(root, "lessons")).filter((name) => /^\d+-.*\.json$/.test(name));
  assert.equal(files.length, 17);
  for (const file of files) {
    const { task } = JSON.parse(readFileSync(join(root, "lessons", file), "utf8"));
    assert.ok(task.accepts.length >= 2, `${file}: ${task.accepts.length} accepts`);
    assert.ok(task.rejects.length >= 2, `${file}: ${task.rejects.length} rejects`);
    const ids = new Set(task.checks.map((check) => check.id));
    for (const reject of task.rejects) for (const id of reject.fails) assert.ok(ids.has(id), `${file}: ${id}`);
  }
});

test("an accept that fails a check is reported with the check and what was found", () => {
  const { status, output } = validate("accept.json", (l) => {
    l.task.accepts[0] = { title: "forgot the expiry", script: "SET lock:task worker-1 NX\n" };
  });
  assert.equal(status, 1);
  assert.match(output, /accept\.json: \/task\/accepts\/0\/script: "forgot the expiry" fails check 0 \("worker-1 acquired lock:task with SET \.\.\. NX EX 60"\): no command matching/);
});

test("a reject that passes a check it names is reported, and so is an unknown id", () => {
  const { status, output } = validate("reject.json", (l) => {
    l.task.rejects[0] = { title: "the solution itself", script: l.task.solution, fails: [l.task.checks[4].id, "no-such-check"] };
  });
  assert.equal(status, 1);
  assert.match(output, new RegExp(`reject\\.json: /task/rejects/0/fails/0: "the solution itself" passes check 4 \\("${escape(model.task.checks[4].message)}"\\), which it must fail`));
  assert.match(output, /reject\.json: \/task\/rejects\/0\/fails\/1: no check has the id "no-such-check" \(ids: /);
});

test("a task with fewer than two accepts or rejects, or two checks with one id, is rejected", () => {
  const { status, output } = validate("few.json", (l) => {
    l.task.accepts = [];
    l.task.rejects = l.task.rejects.slice(0, 1);
    l.task.checks[1].id = l.task.checks[0].id;
  });
  assert.equal(status, 1);
  assert.match(output, /few\.json: \/task\/accepts: a task needs at least two accepts \(other correct solutions\); it has 0/);
  assert.match(output, /few\.json: \/task\/rejects: a task needs at least two rejects \(plausible wrong solutions, each naming the checks it fails\); it has 1/);
  assert.match(output, new RegExp(`few\\.json: /task/checks/1/id: "${model.task.checks[0].id}" is already the id of check 0`));
});

test("an id that is not lower-case words, or a reject without fails, breaks the schema", () => {
  const { status, output } = validate("ids.json", (l) => {
    l.task.checks[0].id = "Lock Held";
    delete l.task.rejects[0].fails;
  });
  assert.equal(status, 1);
  assert.match(output, /ids\.json: \/task\/checks\/0\/id: must match pattern/);
  assert.match(output, /ids\.json: \/task\/rejects\/0: must have required property 'fails'/);
});

test("an any check passes when one of its checks holds; a transaction check counts only MULTI", () => {
  const passing = validate("any.json", (l) => {
    l.task.checks.push({
      id: "read-somehow", kind: "any", message: "the lock was read",
      checks: [{ kind: "command", pattern: "GET lock:task" }, { kind: "command", pattern: "MGET lock:task*" }],
    });
  });
  assert.equal(passing.status, 0, passing.output);
  const failing = validate("transaction.json", (l) => {
    l.task.checks.push({ kind: "command", pattern: "GET lock:task", transaction: true, message: "read inside MULTI" });
  });
  assert.equal(failing.status, 1);
  assert.match(failing.output, new RegExp(`transaction\\.json: /task/solution: fails check ${model.task.checks.length} \\("read inside MULTI"\\): no command matching "GET lock:task" was run`));
});
