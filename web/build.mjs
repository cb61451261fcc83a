#!/usr/bin/env node
// Builds the static site: one folder any static web host can serve.
//
//   node web/build.mjs [--out build-site] [--engine build-wasm/web/engine] [--dev]
//
// index.html, app-<hash>.js/.css (the page, bundled by esbuild), worker-<hash>.js (the
// engine's Web Worker), engine/ (redpad.mjs + the two WebAssembly engines, unbundled so
// other pages can embed them: redpad-engine without Lua, which every visit loads, and
// redpad-engine-lua, which the page fetches only when a script first needs Lua), lessons/
// (the course files as they are), favicon and boot script.
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { lessonValidatorSource } from "./lesson-schema.mjs";
import { CONTENT_SECURITY_POLICY } from "./csp.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const out = resolve(root, option("--out", "build-site"));
const engineDir = resolve(root, option("--engine", "build-wasm/web/engine"));
const dev = args.includes("--dev");
const quiet = args.includes("--quiet");

const engineFiles = ["redpad.mjs", "redpad-engine.mjs", "redpad-engine.wasm"];
// Fetched only when a script first needs Lua (EVAL...): not part of a first visit.
const onDemandFiles = ["redpad-engine-lua.mjs", "redpad-engine-lua.wasm"];
engineFiles.push(...onDemandFiles);
for (const file of engineFiles) {
  if (!existsSync(join(engineDir, file))) {
    console.error(
      `build-site: ${relative(root, join(engineDir, file))} is missing: build the WebAssembly ` +
        "engines first (source scripts/lib.sh && build_wasm redpad-engine redpad-engine-lua).",
    );
    process.exit(1);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  format: "esm",
  target: ["chrome109", "firefox115", "safari16"],
  minify: !dev,
  sourcemap: dev ? "linked" : false,
  legalComments: "none",
  outdir: out,
  entryNames: "[name]-[hash]",
  metafile: true,
  logLevel: "warning",
};

// `import validateLesson from "redpad:lesson-validator"` in the page: lessons/schema.json
// compiled by Ajv into plain code at build time (web/lesson-schema.mjs says why).
const lessonValidator = {
  name: "lesson-validator",
  setup(build) {
    build.onResolve({ filter: /^redpad:lesson-validator$/ }, (args) => ({ path: args.path, namespace: "redpad" }));
    build.onLoad({ filter: /.*/, namespace: "redpad" }, () => ({
      contents: lessonValidatorSource(),
      loader: "js",
      resolveDir: root, // its imports of Ajv's runtime resolve from node_modules
    }));
  },
};

const outputName = (metafile, suffix) =>
  relative(out, Object.keys(metafile.outputs).find((file) => file.endsWith(suffix)));

// The worker first: the page needs its hashed name.
const worker = await build({
  ...common,
  entryPoints: { worker: join(root, "web/src/worker.js") },
  external: ["./engine/redpad.mjs", "./engine/redpad-engine.mjs", "./engine/redpad-engine-lua.mjs"],
});
const workerFile = outputName(worker.metafile, ".js");

const page = await build({
  ...common,
  entryPoints: { app: join(root, "web/src/main.js"), style: join(root, "web/src/style.css") },
  define: { REDPAD_WORKER: JSON.stringify(`./${workerFile}`) },
  plugins: [lessonValidator],
  // Code the page loads with import() when first needed (the step timeline's view) goes in
  // chunks of its own, not in the first visit's download.
  splitting: true,
});
const appFile = relative(
  out,
  Object.keys(page.metafile.outputs).find((file) => page.metafile.outputs[file].entryPoint?.endsWith("web/src/main.js")),
);
const cssFile = outputName(page.metafile, ".css");

const html = readFileSync(join(root, "web/index.html"), "utf8")
  .replace("%JS%", appFile)
  .replace("%CSS%", cssFile)
  .replace("%WORKER%", `./${workerFile}`)
  .replace("%CSP%", CONTENT_SECURITY_POLICY);
writeFileSync(join(out, "index.html"), html);

cpSync(join(root, "web/public"), out, { recursive: true });
mkdirSync(join(out, "engine"));
for (const file of engineFiles) cpSync(join(engineDir, file), join(out, "engine", file));
mkdirSync(join(out, "lessons"));
for (const file of readdirSync(join(root, "lessons"))) {
  if (file.endsWith(".json")) cpSync(join(root, "lessons", file), join(out, "lessons", file));
}

// Sizes, raw and gzipped, of what a browser downloads for the lesson page; `onDemand`: a
// file fetched only when a script first needs Lua.
const sizes = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!name.endsWith(".map")) {
      const bytes = readFileSync(path);
      const file = relative(out, path);
      const size = { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      if (onDemandFiles.some((name) => file === `engine/${name}`)) size.onDemand = true;
      sizes.push(size);
    }
  }
};
walk(out);
sizes.sort((a, b) => b.raw - a.raw);
writeFileSync(join(out, "sizes.json"), JSON.stringify(sizes, null, 2) + "\n");
if (!quiet) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
  console.log(`build-site: ${relative(process.cwd(), out) || "."}/`);
  for (const { file, raw, gzip, onDemand } of sizes) {
    console.log(`  ${file.padEnd(40)} ${kb(raw)} ${kb(gzip)} gzip${onDemand ? " (only when a script needs Lua)" : ""}`);
  }
  const sum = (list) => list.reduce((total, size) => ({ raw: total.raw + size.raw, gzip: total.gzip + size.gzip }), { raw: 0, gzip: 0 });
  const total = sum(sizes);
  console.log(`  ${"total".padEnd(40)} ${kb(total.raw)} ${kb(total.gzip)} gzip`);
  const lua = sum(sizes.filter((size) => size.onDemand));
  console.log(`  ${"of which Lua, fetched on demand".padEnd(40)} ${kb(lua.raw)} ${kb(lua.gzip)} gzip`);
}
