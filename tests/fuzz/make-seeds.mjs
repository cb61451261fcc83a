#!/usr/bin/env node
// Writes the fuzzers' seed corpus: one file per case of the differential corpus
// (tests/differential/corpus/*.redis), holding the case's command lines as a script.
//
//   node tests/fuzz/make-seeds.mjs OUT_DIR
//
// The seeds live in the build folder (they are derived, and there are about a thousand).
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const outDir = process.argv[2];
if (!outDir) {
  console.error("usage: make-seeds.mjs OUT_DIR");
  process.exit(2);
}
const corpusDir = join(dirname(fileURLToPath(import.meta.url)), "..", "differential", "corpus");

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let written = 0;
for (const file of readdirSync(corpusDir).sort()) {
  if (!file.endsWith(".redis")) continue;
  const name = basename(file, ".redis");
  let lines = null;
  let index = 0;
  const flush = () => {
    if (lines && lines.length) {
      writeFileSync(join(outDir, `${name}-${String(index).padStart(3, "0")}.redis`), lines.join("\n") + "\n");
      written++;
    }
  };
  for (const line of readFileSync(join(corpusDir, file), "utf8").split("\n")) {
    if (line.startsWith("###")) {
      flush();
      lines = [];
      index++;
    } else if (lines && !line.startsWith("#!") && line.trim() !== "") {
      lines.push(line); // comments stay: the script parser is under test too
    }
  }
  flush();
}
console.log(`${written} seeds in ${outDir}`);
