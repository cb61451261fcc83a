#!/usr/bin/env node
// The WebAssembly engine behind a redis-cli front end, for Node: reads lines on stdin and
// prints what `redis-cli --no-raw` would, like the native redpad-cli. The differential tests
// run it to hold the browser's engine to the same byte-for-byte standard. It runs the
// engine with Lua (redpad-engine-lua), so EVAL and SCRIPT work as in the page once a script
// has needed them.
//
// With --batch, stdin holds several scripts separated by lines "\0redpad-batch\0"; each
// runs on a fresh server and the outputs come back separated the same way (one process
// for a whole corpus instead of one per case).
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRedpad } from "./redpad.mjs";
import createModule from "./redpad-engine-lua.mjs";

export const BATCH_SEPARATOR = "\0redpad-batch\0\n";

const here = dirname(fileURLToPath(import.meta.url));
const redis = await createRedpad({
  createModule,
  wasmBinary: readFileSync(join(here, "redpad-engine-lua.wasm")),
  startTimeMs: Date.now(),
  seed: Date.now(),
  ansi: true,
});
// The JavaScript API speaks text (UTF-8), as the page does: bytes outside UTF-8 are written
// with redis-cli's "\xHH" escapes in scripts, never raw.
const input = readFileSync(0, "utf8");
const scripts = process.argv.includes("--batch") ? input.split(BATCH_SEPARATOR) : [input];
const chunks = [];
scripts.forEach((script, index) => {
  if (index > 0) {
    redis.reset();
    chunks.push(Buffer.from(BATCH_SEPARATOR));
  }
  redis.setHostTime(Date.now());
  chunks.push(Buffer.from(redis.runDisplay(script)));
});
process.stdout.write(Buffer.concat(chunks));
