#!/usr/bin/env node
// Multi-client differential test: every case of tests/differential/multi/*.redis is run
// through Debian's real redis-server (one TCP connection per client of the case, driven
// by this file) and through redpad-cli (the whole case on stdin, `@name` lines and all),
// and each client's output must be identical byte for byte. Corpus format and how the
// real side is synchronised: tests/differential/README.md ("Several clients").
//
//   node tests/differential/multi.mjs --cli build/cli/redpad-cli [--filter TEXT] [files...]
//   node tests/differential/multi.mjs --real-only [--filter TEXT] [files...]
//
// --real-only runs only the real side and prints every case's per-client output (to check
// a new case against Redis before redpad is asked).
//
// Starts its own redis-server on a free loopback port and stops it afterwards.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { createConnection } from "node:net";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startRealRedisOrExit } from "../real-redis.mjs";
import { blockingTimeout, debugSleepMs, normalise as normaliseLines, same as sameLines, splitArgs }
  from "./compare.mjs";

export { splitArgs };

const here = dirname(fileURLToPath(import.meta.url));

// ---- arguments ----
const argv = process.argv.slice(2);
let cliPath = null;
let filter = null;
let realOnly = false;
const files = [];
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--cli") cliPath = argv[++i];
  else if (argv[i] === "--filter") filter = argv[++i];
  else if (argv[i] === "--real-only") realOnly = true;
  else files.push(argv[i]);
}
if (!cliPath && !realOnly) {
  console.error("usage: multi.mjs --cli path/to/redpad-cli [--filter TEXT] [corpus files...]\n" +
    "       multi.mjs --real-only [--filter TEXT] [corpus files...]");
  process.exit(2);
}
const corpusDir = join(here, "multi");
if (files.length === 0) {
  for (const f of readdirSync(corpusDir).sort()) if (f.endsWith(".redis")) files.push(join(corpusDir, f));
}

// ---- corpus parsing ----
// As the single-client corpus ("### title", "#! directive", "# comment", command lines),
// plus "@name" lines: the lines after one belong to that client; lines before the first
// belong to "main".
const CLIENT_LINE = /^@([A-Za-z0-9_.:-]{1,32})(\s+--\s.*)?\s*$/;
const DIRECTIVES = ["unordered", "tolerance", "match", "mask"];

function parseCorpus(text, file) {
  const cases = [];
  let current = null;
  let client = "main";
  text.split("\n").forEach((raw, index) => {
    const line = raw.replace(/\r$/, "");
    const where = `${file}:${index + 1}`;
    if (line.startsWith("###")) {
      current = { file, line: index + 1, title: line.slice(3).trim(), directives: [], steps: [],
        input: [], clients: ["main"] };
      client = "main";
      cases.push(current);
    } else if (line.startsWith("#!")) {
      if (!current) throw new Error(`${where}: directive outside a case`);
      const [name] = line.slice(2).trim().split(/\s+/);
      if (!DIRECTIVES.includes(name)) throw new Error(`${where}: unknown directive '#! ${name}'`);
      current.directives.push({ name, value: line.slice(2).trim().slice(name.length).trim() });
    } else if (line.trim() === "" || /^\s*#(\s|$)/.test(line)) {
      // blank or comment
    } else if (line.startsWith("@")) {
      if (!current) throw new Error(`${where}: client line outside a case`);
      const m = CLIENT_LINE.exec(line);
      if (!m) throw new Error(`${where}: bad client line '${line}'`);
      client = m[1];
      if (!current.clients.includes(client)) current.clients.push(client);
      current.input.push(line);
    } else {
      if (!current) throw new Error(`${where}: command outside a case`);
      if (/ -- /.test(line)) throw new Error(`${where}: ' -- ' starts a comment in redpad, not in redis-cli`);
      current.steps.push({ client, text: line, line: index + 1 });
      current.input.push(line);
    }
  });
  return cases;
}

// ---- RESP2 ----
function encodeCommand(args) {
  const parts = [`*${args.length}\r\n`];
  for (const a of args) parts.push(`$${a.length}\r\n`, a, "\r\n");
  return Buffer.from(parts.join(""), "latin1");
}

// One reply from buf at offset: { reply, next } or null when incomplete. Replies:
// { t: "+" | "-" | ":" | "$", s } (strings latin1), { t: "nil" }, { t: "*", a: [...] }.
function parseReply(buf, offset) {
  const eol = buf.indexOf("\r\n", offset, "latin1");
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[offset]);
  const head = buf.toString("latin1", offset + 1, eol);
  const after = eol + 2;
  switch (type) {
    case "+":
    case "-":
    case ":":
      return { reply: { t: type, s: head }, next: after };
    case "$": {
      const len = Number(head);
      if (len < 0) return { reply: { t: "nil" }, next: after };
      if (buf.length < after + len + 2) return null;
      return { reply: { t: "$", s: buf.toString("latin1", after, after + len) }, next: after + len + 2 };
    }
    case "*": {
      const count = Number(head);
      if (count < 0) return { reply: { t: "nil" }, next: after };
      const a = [];
      let at = after;
      for (let k = 0; k < count; k++) {
        const element = parseReply(buf, at);
        if (!element) return null;
        a.push(element.reply);
        at = element.next;
      }
      return { reply: { t: "*", a }, next: at };
    }
    default:
      throw new Error(`bad RESP type byte ${JSON.stringify(type)}`);
  }
}

// ---- redis-cli --no-raw's formatting (cliFormatReplyTTY, cliFormatReplyRaw) ----
function quoteBulk(s) {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    const c = s[i];
    if (c === "\\") out += "\\\\";
    else if (c === '"') out += '\\"';
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code === 7) out += "\\a";
    else if (code === 8) out += "\\b";
    else if (code >= 0x20 && code <= 0x7e) out += c;
    else out += "\\x" + code.toString(16).padStart(2, "0");
  }
  return out + '"';
}

export function formatTTY(r, prefix = "") {
  switch (r.t) {
    case "+":
      return r.s + "\n";
    case "-":
      return "(error) " + r.s + "\n";
    case ":":
      return "(integer) " + r.s + "\n";
    case "$":
      return quoteBulk(r.s) + "\n";
    case "nil":
      return "(nil)\n";
    case "*": {
      if (r.a.length === 0) return "(empty array)\n";
      const width = String(r.a.length).length;
      const childPrefix = prefix + " ".repeat(width + 2);
      let out = "";
      r.a.forEach((element, i) => {
        if (i > 0) out += prefix;
        out += String(i + 1).padStart(width) + ") " + formatTTY(element, childPrefix);
      });
      return out;
    }
  }
  throw new Error(`cannot format ${JSON.stringify(r)}`);
}

function formatRaw(r) {
  switch (r.t) {
    case "+":
    case "$":
    case ":":
      return r.s;
    case "-":
      return r.s + "\n";
    case "nil":
      return "";
    case "*":
      return r.a.map(formatRaw).join("\n");
  }
  throw new Error(`cannot format ${JSON.stringify(r)}`);
}

// The commands redis-cli prints raw even with --no-raw (as engine/reply_cli.cpp).
function printsRaw(args) {
  const command = args[0].toLowerCase();
  if (command === "info" || command === "lolwut") return true;
  if (args.length < 2) return false;
  const sub = args[1].toLowerCase();
  if (command === "debug") return ["htstats", "htstats-key", "client-eviction"].includes(sub);
  if (command === "memory") return sub === "malloc-stats" || sub === "doctor";
  if (command === "cluster") return args.length === 2 && (sub === "nodes" || sub === "info");
  if (command === "client") return sub === "list" || sub === "info";
  if (command === "latency") return (args.length === 3 && sub === "graph") || (args.length === 2 && sub === "doctor");
  return false;
}

// ---- command knowledge ----
const SUBSCRIBE = new Set(["subscribe", "psubscribe", "ssubscribe"]);
const UNSUBSCRIBE = new Set(["unsubscribe", "punsubscribe", "sunsubscribe"]);
const SUB_KIND = { subscribe: "channels", unsubscribe: "channels", psubscribe: "patterns",
  punsubscribe: "patterns", ssubscribe: "shards", sunsubscribe: "shards" };
const PUSH_KINDS = new Set(["message", "pmessage", "smessage"]);
const UNSUPPORTED = new Set(["quit", "exit", "help", "?", "clear", "connect", "restart", "monitor"]);

// ---- the real side ----
const immediate = () => new Promise((wake) => setImmediate(wake));

// Every wait below is for an event (a reply, a flag in CLIENT LIST, a closed connection),
// however long it takes: a slow or busy machine only makes it later. This limit only turns
// a hang (a runner bug, a server that stopped answering) into a message; no case comes
// near it (its sleeps and timeouts are about a second).
const HANG_LIMIT_MS = 5 * 60 * 1000;
const hangCheck = (what, longestWaitMs = 0) => {
  const deadline = performance.now() + longestWaitMs + HANG_LIMIT_MS;
  return () => {
    if (performance.now() > deadline) throw new Error(`${what} (waited ${HANG_LIMIT_MS / 1000} s)`);
  };
};

class Connection {
  constructor(port, onReply) {
    this.socket = createConnection({ port, host: "127.0.0.1" });
    this.socket.setNoDelay(true);
    this.buffer = Buffer.alloc(0);
    this.onReply = onReply;
    this.closed = false;
    this.waiters = [];
    this.ready = new Promise((resolve, reject) => {
      this.socket.once("connect", resolve);
      this.socket.once("error", reject);
    });
    this.socket.on("error", () => {});
    this.socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    this.socket.on("data", (chunk) => {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
      let offset = 0;
      for (;;) {
        const parsed = parseReply(this.buffer, offset);
        if (!parsed) break;
        offset = parsed.next;
        this.onReply(parsed.reply);
      }
      this.buffer = this.buffer.subarray(offset);
      this.wake();
    });
  }
  send(args) {
    this.socket.write(encodeCommand(args));
  }
  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
  // Resolves on the next data (or close), or after ms.
  nextData(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  close() {
    this.socket.destroy();
  }
}

// The control connection: plain request/reply.
class Control {
  constructor(port) {
    this.queue = [];
    this.conn = new Connection(port, (reply) => this.queue.shift()(reply));
  }
  command(...args) {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.conn.send(args);
    });
  }
  // id -> flags of every connected client (the control connection's own included).
  async clientFlags() {
    const list = await this.command("CLIENT", "LIST");
    const flags = new Map();
    for (const line of list.s.split("\n")) {
      const id = /(?:^| )id=(\d+)/.exec(line);
      const f = / flags=(\S*)/.exec(line);
      if (id) flags.set(id[1], f ? f[1] : "");
    }
    return flags;
  }
}

class RealRunner {
  constructor(port) {
    this.port = port;
    this.control = null;
    this.controlId = null;
  }

  async start() {
    this.control = new Control(this.port);
    await this.control.conn.ready;
    this.controlId = (await this.control.command("CLIENT", "ID")).s;
  }

  stop() {
    this.control?.conn.close();
  }

  // Every case starts on a server with Redis's defaults for what a case may change, no
  // data and no other client than the control connection.
  async reset() {
    await this.control.command("CLIENT", "KILL", "SKIPME", "yes");
    // The server drops the closed connections as it reads their end: asked again until then.
    const hung = hangCheck("clients of an earlier case are still connected");
    for (;;) {
      const flags = await this.control.clientFlags();
      if (flags.size === 1) break;
      hung();
      await new Promise((wake) => setTimeout(wake, 5));
    }
    await this.control.command("CONFIG", "SET", "maxmemory", "0", "proto-max-bulk-len", "512mb");
    await this.control.command("FLUSHALL");
    await this.control.command("SCRIPT", "FLUSH"); // the script cache outlives FLUSHALL
  }

  // Runs one case; resolves to { outputs: Map(name -> text), problems: [] }.
  async run(c) {
    await this.reset();
    this.case = c;
    this.clients = new Map();
    this.problems = [];
    this.messagesExpected = 0;
    this.messagesReceived = 0;
    try {
      await this.connect("main");
      for (const step of c.steps) {
        await this.step(step);
        await this.settle();
      }
      await this.finish();
    } catch (error) {
      this.problems.push(error.message);
    }
    for (const client of this.clients.values()) client.conn.close();
    const outputs = new Map();
    for (const name of c.clients) outputs.set(name, this.clients.get(name)?.out ?? "");
    return { outputs, problems: this.problems };
  }

  async connect(name) {
    const client = { name, id: null, out: "", pending: [], blocked: false, inMulti: false,
      multiQueue: [], channels: new Set(), patterns: new Set(), shards: new Set() };
    let idWaiter = null;
    client.conn = new Connection(this.port, (reply) => {
      if (client.id === null) {
        // The runner's CLIENT ID, before the case's first line for this client.
        client.id = reply.s;
        idWaiter();
        return;
      }
      this.handleReply(client, reply);
    });
    await client.conn.ready;
    const gotId = new Promise((resolve) => { idWaiter = resolve; });
    client.conn.send(["CLIENT", "ID"]);
    await gotId;
    this.clients.set(name, client);
    return client;
  }

  subscribed(client) {
    return client.channels.size + client.patterns.size + client.shards.size > 0;
  }

  expectedReplies(client, entry) {
    if (client.inMulti) return 1;
    const n = entry.args.length - 1;
    if (SUBSCRIBE.has(entry.command)) return Math.max(n, 1);
    if (UNSUBSCRIBE.has(entry.command)) return n > 0 ? n : Math.max(client[SUB_KIND[entry.command]].size, 1);
    return 1;
  }

  trackSubscription(client, r) {
    if (r.t !== "*" || r.a.length !== 3 || r.a[0].t !== "$") return;
    const kind = r.a[0].s;
    if (!SUB_KIND[kind]) return;
    const set = client[SUB_KIND[kind]];
    if (SUBSCRIBE.has(kind)) set.add(r.a[1].s);
    else if (r.a[1].t === "$") set.delete(r.a[1].s);
  }

  handleReply(client, r) {
    const now = performance.now();
    if (this.subscribed(client) && r.t === "*" && r.a[0]?.t === "$" && PUSH_KINDS.has(r.a[0].s) &&
      r.a.length === (r.a[0].s === "pmessage" ? 4 : 3)) {
      client.out += formatTTY(r);
      this.messagesReceived++;
      return;
    }
    const entry = client.pending[0];
    if (!entry) {
      this.problems.push(`${client.name}: unexpected reply ${JSON.stringify(r)}`);
      client.out += formatTTY(r);
      return;
    }
    if (entry.got === 0) {
      if (SUBSCRIBE.has(entry.command) && !this.subscribed(client)) {
        client.out += "Reading messages... (press Ctrl-C to quit)\n";
      }
      entry.expected = this.expectedReplies(client, entry);
    }
    if (entry.raw) {
      let shown = r;
      if (entry.clientList && r.t === "$") {
        // The runner's control connection is no client of the case.
        const lines = r.s.split(/(?<=\n)/);
        shown = { t: "$", s: lines.filter((l) => !l.startsWith(`id=${this.controlId} `)).join("") };
      }
      client.out += formatRaw(shown);
    } else {
      client.out += formatTTY(r);
    }
    entry.got++;
    // What the reply changes in the client's state.
    const command = entry.command;
    if (client.inMulti) {
      if (command === "exec" || command === "discard") {
        client.inMulti = false;
        if (command === "exec" && r.t === "*") {
          r.a.forEach((element, i) => {
            const queued = client.multiQueue[i]?.command;
            if ((queued === "publish" || queued === "spublish") && element.t === ":") {
              this.messagesExpected += Number(element.s);
            }
            if (SUB_KIND[queued]) this.trackSubscription(client, element);
            if (client.multiQueue[i]?.sleepMs && element.t === "+") entry.slept += client.multiQueue[i].sleepMs;
          });
        }
        client.multiQueue = [];
      } else if (command === "reset") {
        client.inMulti = false;
      } else if (r.t === "+" && r.s === "QUEUED") {
        client.multiQueue.push(entry);
      }
    } else if (command === "multi" && r.t === "+" && r.s === "OK") {
      client.inMulti = true;
      client.multiQueue = [];
    } else if ((command === "publish" || command === "spublish") && r.t === ":") {
      this.messagesExpected += Number(r.s);
    } else if (SUB_KIND[command]) {
      this.trackSubscription(client, r);
    } else if (entry.sleepMs && r.t === "+") {
      entry.slept += entry.sleepMs;
    }
    if (command === "reset" && r.t === "+") {
      client.inMulti = false;
      client.channels.clear();
      client.patterns.clear();
      client.shards.clear();
    }
    if (entry.got >= entry.expected || (r.t === "-" && entry.got === 1)) {
      const elapsed = now - entry.start;
      // redis-cli prints the time a reply took when it is half a second or more. What the
      // machine adds (this runner's round trips, a busy CPU) must not decide it: the
      // line is printed when the case itself made the command wait that long, as redpad's
      // virtual clock counts it. That is the DEBUG SLEEPs that ran while it waited (this
      // line's own included) or, for a (nil) that came after the timeout, the timeout:
      // the real wait is at least that, on any machine. The time shown is the real one.
      if (entry.slept) this.addWait(entry, entry.slept);
      if (r.t === "nil" && Number.isFinite(entry.timeout) && elapsed >= entry.timeout * 1000 - 5) {
        entry.waitedMs = Math.max(entry.waitedMs, entry.timeout * 1000);
      }
      if (entry.waitedMs >= 500) client.out += `(${(elapsed / 1000).toFixed(2)}s)\n`;
      client.pending.shift();
      client.blocked = false;
      if (client.pending.length) client.pending[0].start = now;
    }
  }

  // A sleep of `ms` that ran for `entry` (a DEBUG SLEEP, or an EXEC holding some): it
  // counts for that line and for each client's waiting command sent before it (a blocked
  // command waited through it; the server runs one command at a time).
  addWait(entry, ms) {
    entry.waitedMs += ms;
    for (const other of this.clients.values()) {
      const waiting = other.pending[0];
      if (waiting && waiting !== entry && waiting.start <= entry.start) waiting.waitedMs += ms;
    }
  }

  // Real client ids for ids written in the script: the n-th client of the case (main is
  // 1, then in order of first appearance), as redpad numbers a fresh server's clients.
  realIds(args) {
    // Any other number names no client: real ids of earlier cases must not answer it.
    const map = (a) => {
      if (!/^[1-9]\d{0,8}$/.test(a)) return a;
      const name = this.case.clients[Number(a) - 1];
      return name && this.clients.has(name) ? this.clients.get(name).id : String(Number(a) + 1e9);
    };
    if (args.length < 3 || args[0].toLowerCase() !== "client") return args;
    const sub = args[1].toLowerCase();
    if (sub === "unblock") return [args[0], args[1], map(args[2]), ...args.slice(3)];
    if (sub === "list" && args[2].toLowerCase() === "id") return [...args.slice(0, 3), ...args.slice(3).map(map)];
    return args;
  }

  async step(step) {
    const client = this.clients.get(step.client) ?? await this.connect(step.client);
    const args = splitArgs(step.text);
    if (args === null) {
      client.out += "Invalid argument(s)\n";
      return;
    }
    if (args.length === 0) return;
    const command = args[0].toLowerCase();
    if (UNSUPPORTED.has(command)) throw new Error(`line ${step.line}: '${args[0]}' is not supported by multi.mjs`);
    const entry = { args, command, got: 0, expected: 1, start: performance.now(), raw: printsRaw(args),
      clientList: command === "client" && args[1]?.toLowerCase() === "list", timeout: blockingTimeout(args),
      sleepMs: debugSleepMs(args), slept: 0, waitedMs: 0 };
    const wasBlocked = client.pending.length > 0;
    client.pending.push(entry);
    client.conn.send(this.realIds(args));
    // A line for a blocked client waits in Redis's buffer for the client to be unblocked,
    // as it would in a waiting redis-cli.
    if (wasBlocked) return;
    // Otherwise: its reply (all of them), or the client shown blocked.
    const hung = hangCheck(`line ${step.line}: no reply, and the client is not blocked`);
    for (let round = 0; ; round++) {
      if (!client.pending.includes(entry)) return;
      if (client.conn.closed) throw new Error(`${client.name}: connection closed`);
      await client.conn.nextData(round < 3 ? 1 : 5);
      if (!client.pending.includes(entry)) return;
      if (entry.got > 0) continue;
      const flags = await this.control.clientFlags();
      await immediate();
      await immediate();
      if (!client.pending.includes(entry)) return;
      if (flags.get(client.id)?.includes("b")) {
        client.blocked = true;
        return;
      }
      hung();
    }
  }

  // Waits until every client the runner thinks blocked is still blocked or has all its
  // replies, and every message PUBLISH counted has arrived.
  async settle() {
    const hung = hangCheck("replies or messages never arrived");
    for (;;) {
      const waiting = [...this.clients.values()].filter((c) => c.pending.length > 0);
      if (waiting.length === 0 && this.messagesReceived >= this.messagesExpected) return;
      let settled = this.messagesReceived >= this.messagesExpected;
      if (waiting.length > 0) {
        // CLIENT LIST is answered after every reply Redis wrote before it: once it is
        // here (and Node has read what arrived with it), a client it shows unblocked has
        // had all its replies read, or is about to.
        const flags = await this.control.clientFlags();
        await immediate();
        await immediate();
        for (const c of waiting) {
          if (c.pending.length === 0) continue;
          if (flags.get(c.id)?.includes("b")) c.blocked = true;
          else settled = false;
        }
        settled &&= this.messagesReceived >= this.messagesExpected;
      }
      if (settled) return;
      hung();
      await Promise.race([...this.clients.values()].map((c) => c.conn.nextData(5)));
    }
  }

  // The end of a case: a client blocked with a timeout gets it (as redis-cli would wait);
  // one blocked for ever is left (its connection is closed). The server sends each (nil)
  // when the timeout comes: waited for, however late it arrives.
  async finish() {
    let hung = null;
    for (;;) {
      await this.settle();
      const waiting = [...this.clients.values()].filter((c) => c.pending.length > 0 &&
        c.pending[0].timeout !== null && c.pending[0].timeout !== Infinity);
      if (waiting.length === 0) return;
      hung ??= hangCheck("a blocked client's timeout never came",
        Math.max(...waiting.map((c) => c.pending[0].timeout * 1000)));
      hung();
      await Promise.race(waiting.map((c) => c.conn.nextData(50)));
    }
  }
}

// ---- our side ----
const [ourProgram, ourArgs] = cliPath?.endsWith(".mjs") ? [process.execPath, [cliPath]] : [cliPath, []];
const SANITIZER = /ERROR: (Address|Leak)Sanitizer|runtime error: |SUMMARY: (Address|Undefined|Leak)/;

function checkRun(result, what) {
  const stderr = result.stderr ? result.stderr.toString("latin1") : "";
  if (result.error) return `${what}: ${result.error.message}`;
  if (result.status !== 0 || SANITIZER.test(stderr)) {
    return `${what}: exit status ${result.status}\n${stderr.split("\n").slice(0, 60).join("\n")}`;
  }
  return null;
}

function runOurs(c) {
  const result = spawnSync(ourProgram, ourArgs, { input: Buffer.from(c.input.join("\n") + "\n", "latin1"),
    maxBuffer: 1 << 28 });
  return { stdout: result.stdout ? result.stdout.toString("latin1") : "", problem: checkRun(result, "redpad-cli") };
}

// redpad-cli's output, split into the case's clients: main's until the first "@name"
// line, then whichever client the last "@name" line named.
function splitOurs(output, c) {
  const streams = new Map(c.clients.map((name) => [name, ""]));
  let current = "main";
  const lines = output.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    const m = /^@([A-Za-z0-9_.:-]{1,32})$/.exec(line);
    if (m && streams.has(m[1])) {
      current = m[1];
      continue;
    }
    streams.set(current, streams.get(current) + line + "\n");
  }
  return streams;
}

// ---- comparison ----
// Timing lines compare equal whatever their time (real waits are never exact).
const normalise = (output, directives) => normaliseLines(output, directives, { timing: true });
const same = (real, ours, directives) => sameLines(real, ours, directives, { timing: true });

const show = (text) => text.replace(/\n$/, "").split("\n")
  .map((l) => "      | " + JSON.stringify(l).slice(1, -1)).join("\n");

// ---- main ----
const allCases = [];
for (const file of files) {
  for (const c of parseCorpus(readFileSync(file, "latin1"), basename(file))) {
    if (!filter || c.title.includes(filter)) allCases.push(c);
  }
}

// The WebAssembly front end runs every case in one Node process (--batch), each on a fresh
// server; a native binary starts once per case.
const BATCH_SEPARATOR = "\0redpad-batch\0\n";
const batched = new Map();
let batchProblem = null;
if (!realOnly && cliPath.endsWith(".mjs") && allCases.length) {
  const input = allCases.map((c) => c.input.join("\n") + "\n").join(BATCH_SEPARATOR);
  const result = spawnSync(ourProgram, [...ourArgs, "--batch"], { input: Buffer.from(input, "latin1"),
    maxBuffer: 1 << 30 });
  batchProblem = checkRun(result, "redpad-cli --batch");
  const outputs = (result.stdout ? result.stdout.toString("latin1") : "").split(BATCH_SEPARATOR);
  allCases.forEach((c, i) => batched.set(c, outputs[i] ?? ""));
}

const redis = await startRealRedisOrExit();
// The server goes with the runner, however it ends (a closed pipe, as `| head`, included).
process.on("exit", () => redis.stop());
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => process.exit(130));
process.stdout.on("error", () => process.exit(1));
const real = new RealRunner(redis.port);
await real.start();

let passed = 0;
let failed = 0;
let commandLines = 0;
const linesPerFile = new Map();
for (const c of allCases) {
  commandLines += c.steps.length;
  linesPerFile.set(c.file, (linesPerFile.get(c.file) ?? 0) + c.steps.length);
  const { outputs, problems } = await real.run(c);
  if (realOnly) {
    console.log(`### ${c.title}    (${c.file}:${c.line})`);
    for (const [name, text] of outputs) console.log(`@${name}` + (text ? `\n${text.replace(/\n$/, "")}` : ""));
    for (const p of problems) console.log(`PROBLEM on the real side: ${p}`);
    console.log("");
    if (problems.length) failed++;
    else passed++;
    continue;
  }
  let ours;
  let ourProblem = null;
  if (batched.has(c)) {
    ours = batched.get(c);
    ourProblem = batchProblem;
  } else {
    ({ stdout: ours, problem: ourProblem } = runOurs(c));
  }
  const streams = splitOurs(ours, c);
  const differing = c.clients.filter((name) => !same(outputs.get(name), streams.get(name), c.directives));
  if (differing.length === 0 && problems.length === 0 && !ourProblem) {
    passed++;
    continue;
  }
  failed++;
  console.log(`MISMATCH ${c.file}:${c.line} ${c.title}`);
  console.log("  script:\n" + c.input.map((l) => "      | " + l).join("\n"));
  for (const p of problems) console.log(`  problem on the real side: ${p}`);
  if (ourProblem) console.log(`  problem on redpad's side: ${ourProblem}`);
  for (const name of differing) {
    const a = normalise(outputs.get(name), c.directives);
    const b = normalise(streams.get(name), c.directives);
    let first = 0;
    while (first < a.length && a[first] === b[first]) first++;
    console.log(`  client ${name}: first differing output line ${first + 1}`);
    console.log("  redis-server:\n" + show(outputs.get(name)));
    console.log("  redpad:\n" + show(streams.get(name)));
  }
}
real.stop();
redis.stop();
for (const [file, n] of linesPerFile) console.log(`${file}: ${n} command lines`);
if (realOnly) {
  console.log(`multi-client differential (real side only): ${passed + failed} cases, ` +
    `${commandLines} command lines, ${failed} problems`);
} else {
  console.log(`multi-client differential: ${passed + failed} cases, ${commandLines} command lines, ` +
    `${failed} mismatches`);
}
process.exit(failed ? 1 : 0);
