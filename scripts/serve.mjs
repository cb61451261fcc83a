#!/usr/bin/env node
// A small static file server for the built site (./scripts/start, and the browser tests).
//
//   node scripts/serve.mjs [--root build-site] [--port 8080] [--host 127.0.0.1] [--lessons DIR]
//
// Serves .mjs and .wasm with the types browsers require, sends the page's Content Security
// Policy (web/csp.mjs), never caches (a rebuilt site or an edited lesson shows on reload),
// and with --lessons serves /lessons/ straight from the repository, so a course author
// sees an edited lesson file on reload.
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTENT_SECURITY_POLICY } from "../web/csp.mjs";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

// Maps a URL path to a file under one of the roots, or null (never outside them).
function resolvePath(mounts, urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return null;
  }
  if (path.includes("\0")) return null;
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const relative = normalize(path.slice(prefix.length)).replace(/^([/\\])+/, "");
    const file = resolve(dir, relative);
    if (file !== dir && !file.startsWith(dir + sep)) return null;
    return file;
  }
  return null;
}

// `handle(request, response)`, when given, sees each request first and returns true when it
// has answered it (the browser tests add their own addresses this way).
export function serve({ root, port = 8080, host = "127.0.0.1", lessons = null, log = false, handle = null }) {
  const mounts = [];
  if (lessons) mounts.push(["/lessons/", resolve(lessons)]);
  mounts.push(["/", resolve(root)]);
  const server = createServer((request, response) => {
    if (handle?.(request, response)) return;
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    let file = resolvePath(mounts, new URL(request.url, "http://x").pathname);
    let stat = null;
    try {
      stat = file && statSync(file);
      if (stat?.isDirectory()) {
        file = join(file, "index.html");
        stat = statSync(file);
      }
    } catch {
      stat = null;
    }
    if (log) console.log(`${request.method} ${request.url} ${stat ? 200 : 404}`);
    if (!stat) {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    response.writeHead(200, {
      "Content-Type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": stat.size,
      "Cache-Control": "no-cache",
      "X-Content-Type-Options": "nosniff",
      // The page's policy (also in its <meta>); on every file, as the engine's worker
      // takes its policy from its own script's response.
      "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolvePromise({ server, url: `http://${host}:${address.port}/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : fallback;
  };
  const root = option("--root", "build-site");
  const host = option("--host", "127.0.0.1");
  const wanted = Number(option("--port", process.env.PORT ?? 8080));
  const lessons = option("--lessons", null);
  let started = null;
  // If the port is taken (another redpad?), the next free one will do; say so.
  for (let port = wanted; port < wanted + 20 && !started; port++) {
    try {
      started = await serve({ root, port, host, lessons, log: args.includes("--log") });
    } catch (error) {
      if (error.code !== "EADDRINUSE") throw error;
      console.error(`redpad: port ${port} is in use, trying ${port + 1}`);
    }
  }
  if (!started) {
    console.error(`redpad: no free port from ${wanted} to ${wanted + 19}; set PORT=...`);
    process.exit(1);
  }
  console.log(`redpad is running: open ${started.url} in your browser (Ctrl+C stops it)`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      started.server.close();
      process.exit(0);
    });
  }
}
