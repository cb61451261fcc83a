#!/usr/bin/env node
// Captures what Redis 7.0 says about every one of its commands and subcommands, whether
// redpad implements it or not, into engine/redis_commands.inc: arity, flags and ACL
// categories (COMMAND INFO), the documentation (COMMAND DOCS) and redis-cli's help line
// (the syntax). The group files in engine/commands/ only map names to handlers; everything
// else about a command comes from this table.
//   node scripts/dev/capture-redis-commands.mjs
// It starts its own redis-server on a free loopback port and stops it afterwards. Rerun it
// only when the Redis version redpad follows changes.
import { execFileSync, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const output = join(root, "engine", "redis_commands.inc");

// COMMAND INFO's flags and ACL categories, as engine/command_table.h names them. A name
// missing here stops the capture: add it to the enum there first.
const kFlagConstants = {
  write: "kWrite", readonly: "kReadonly", denyoom: "kDenyOom", admin: "kAdmin",
  pubsub: "kPubsub", noscript: "kNoScript", blocking: "kBlocking", loading: "kLoading",
  stale: "kStale", skip_monitor: "kSkipMonitor", skip_slowlog: "kSkipSlowlog",
  asking: "kAsking", fast: "kFast", no_auth: "kNoAuth", no_mandatory_keys: "kNoMandatoryKeys",
  no_async_loading: "kNoAsyncLoading", no_multi: "kNoMulti", movablekeys: "kMovableKeys",
  allow_busy: "kAllowBusy",
};
const kCategoryConstants = {
  "@keyspace": "kCatKeyspace", "@read": "kCatRead", "@write": "kCatWrite", "@set": "kCatSet",
  "@sortedset": "kCatSortedSet", "@list": "kCatList", "@hash": "kCatHash",
  "@string": "kCatString", "@bitmap": "kCatBitmap", "@hyperloglog": "kCatHyperLogLog",
  "@geo": "kCatGeo", "@stream": "kCatStream", "@pubsub": "kCatPubsub", "@admin": "kCatAdmin",
  "@fast": "kCatFast", "@slow": "kCatSlow", "@blocking": "kCatBlocking",
  "@dangerous": "kCatDangerous", "@connection": "kCatConnection",
  "@transaction": "kCatTransaction", "@scripting": "kCatScripting",
};

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function bits(names, constants, what, command) {
  const known = names.map((name) => {
    if (!constants[name]) throw new Error(`${command}: unknown ${what} '${name}'`);
    return constants[name];
  });
  return known.length ? known.join(" | ") : "0";
}

const port = await freePort();
const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "",
  "--appendonly", "no"], { stdio: "ignore" });
const cli = (args, input) => execFileSync("redis-cli", ["-p", String(port), ...args],
  { input, encoding: "utf8", stdio: ["pipe", "pipe", "ignore"], maxBuffer: 64 << 20 });

try {
  for (let attempt = 0; ; attempt++) {
    try { if (cli(["PING"]).trim() === "PONG") break; } catch { /* not up yet */ }
    if (attempt > 100) throw new Error("redis-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const version = cli(["INFO", "server"]).match(/redis_version:(\S+)/)[1];

  // COMMAND INFO: [name, arity, flags, first key, last key, step, ACL categories, tips,
  // key specs, subcommands]. The key positions and specs are not kept: nothing reads them.
  const info = new Map();
  const collect = (entry) => {
    info.set(entry[0], { arity: entry[1], flags: entry[2], categories: entry[6] });
    for (const sub of entry[9] ?? []) collect(sub);
  };
  JSON.parse(cli(["-3", "--json", "COMMAND", "INFO"])).forEach(collect);

  const docs = new Map();
  for (const [name, doc] of Object.entries(JSON.parse(cli(["-3", "--json", "COMMAND", "DOCS"])))) {
    const { subcommands, ...own } = doc; // COMMAND DOCS lists the implemented ones
    docs.set(name, own);
    for (const [subName, sub] of Object.entries(subcommands ?? {})) docs.set(subName, sub);
  }

  // redis-cli's help: "\r\n  \e[1mNAME\e[0m \e[90mSYNTAX\e[0m\r\n  ...summary:... since:..."
  const groups = [...new Set([...docs.values()].map((doc) => doc.group))];
  const helpText = cli(["--no-raw"], groups.map((group) => `help @${group}\n`).join(""));
  const syntax = new Map();
  for (const m of helpText.matchAll(/\x1b\[1m([^\x1b]*)\x1b\[0m \x1b\[90m([^\x1b]*)\x1b\[0m/g)) {
    syntax.set(m[1].toLowerCase().replace(" ", "|"), m[2]);
  }

  // Sorted by name, each container followed by its subcommands (the order ACL CAT lists
  // them in, and the one find_redis_command's binary search expects).
  const names = [...info.keys()].sort((a, b) => {
    const [aParent, aSub = ""] = a.split("|");
    const [bParent, bSub = ""] = b.split("|");
    if (aParent !== bParent) return aParent < bParent ? -1 : 1;
    return aSub < bSub ? -1 : aSub > bSub ? 1 : 0;
  });
  const cstr = (text) => JSON.stringify(text);
  const rows = names.map((name) => {
    const { arity, flags, categories } = info.get(name);
    const doc = docs.get(name);
    if (!doc) throw new Error(`COMMAND DOCS has nothing for '${name}'`);
    if (!syntax.has(name)) throw new Error(`redis-cli has no help line for '${name}'`);
    return `    {${cstr(name)}, ${arity}, ${bits(flags, kFlagConstants, "flag", name)},\n` +
      `     ${bits(categories, kCategoryConstants, "ACL category", name)},\n` +
      `     ${cstr(doc.group)}, ${cstr(doc.since)}, ${cstr(doc.summary)},\n` +
      `     ${cstr(doc.complexity ?? "")}, ${cstr(syntax.get(name))},\n` +
      `     R"redpad(${JSON.stringify(doc)})redpad"},`;
  });
  const topLevel = names.filter((name) => !name.includes("|")).length;
  writeFileSync(output, `// Generated by scripts/dev/capture-redis-commands.mjs from redis-server ${version}'s
// COMMAND INFO and COMMAND DOCS and redis-cli's help lines: ${topLevel} commands and
// ${names.length - topLevel} subcommands. Do not edit by hand.
// {name, arity, flags, ACL categories, group, since, summary, complexity, syntax, docs JSON}
// clang-format off
${rows.join("\n")}
// clang-format on
`);
  console.log(`engine/redis_commands.inc: ${topLevel} commands, ${names.length} with subcommands`);
} finally {
  server.kill();
}
