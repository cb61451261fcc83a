#!/usr/bin/env node
// Writes a valid lesson skeleton to start from: lessons/NN-title-words.json, numbered after
// the last lesson. It passes ./scripts/validate-lessons as it is; replace its text, examples
// and task with yours.   ./scripts/new-lesson "Title" [--number N]
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const lessonsDir = join(root, "lessons");
const args = process.argv.slice(2);
const numberAt = args.indexOf("--number");
const title = args.filter((_, i) => numberAt < 0 || (i !== numberAt && i !== numberAt + 1)).join(" ").trim();
if (!title) {
  console.error('usage: ./scripts/new-lesson "Title" [--number N]');
  process.exit(2);
}
const existing = readdirSync(lessonsDir).filter((f) => /^\d+-.*\.json$/.test(f));
const number = numberAt >= 0 ? Number(args[numberAt + 1])
  : Math.max(0, ...existing.map((f) => Number(f.split("-")[0]))) + 1;
if (!Number.isInteger(number) || number < 1) {
  console.error("--number must be a whole number from 1");
  process.exit(2);
}
const id = title.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "lesson";
const file = join(lessonsDir, `${String(number).padStart(2, "0")}-${id}.json`);
if (existsSync(file)) {
  console.error(`${file} exists already`);
  process.exit(1);
}
const lesson = {
  $schema: "./schema.json",
  id,
  number,
  title,
  summary: `What ${title} teaches, in one sentence.`,
  clock: { start: "2025-01-06T09:00:00Z" },
  seed: number,
  sections: [
    {
      heading: "The idea",
      markdown: "Explain the idea in a few short paragraphs. **Markdown** works: `code`, lists, links.",
      examples: [
        {
          title: "A first example",
          commands: "SET greeting \"hello\"\nGET greeting -- a trailing comment",
          expected: "OK\n\"hello\"\n",
        },
      ],
    },
  ],
  task: {
    instructions: "Say what the learner must achieve, not which command to type.\n\nStore the greeting `\"hello\"` under `greeting`, then read it back to be sure.",
    starter: "# Store the greeting, then read it back\n",
    solution: "SET greeting \"hello\"\nGET greeting\n",
    hints: [
      "The idea: a string key holds the greeting.",
      "The commands: SET stores a string, GET reads it.",
      "The answer: SET greeting \"hello\", then GET greeting.",
    ],
    checks: [
      { id: "greeting-set", kind: "value", key: "greeting", equals: "hello", message: "greeting holds \"hello\"" },
      { id: "greeting-read", kind: "command", pattern: "GET greeting", reply: "\"hello\"", message: "GET greeting answered \"hello\"" },
      { id: "no-errors", kind: "no-errors", message: "no command failed" },
    ],
    accepts: [
      { title: "SET with the value unquoted", script: "SET greeting hello\nGET greeting\n" },
      { title: "set twice, read once", script: "SET greeting hi\nSET greeting \"hello\"\nGET greeting\n" },
    ],
    rejects: [
      { title: "never reads it back", script: "SET greeting \"hello\"\n", fails: ["greeting-read"] },
      { title: "another greeting", script: "SET greeting \"hi\"\nGET greeting\n", fails: ["greeting-set", "greeting-read"] },
    ],
  },
};
writeFileSync(file, JSON.stringify(lesson, null, 2) + "\n");
console.log(`wrote ${file}\nnext: edit it, then ./scripts/validate-lessons ${file.slice(root.length + 1)}`);
