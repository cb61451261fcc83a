// The step timeline's reasoning, without the DOM (tests/web runs it in Node): the keyspace
// as it was right after a step, the keys that step touched, and one line saying in words
// what happened. Steps are the engine's (docs: the `steps` of a run or tick answer); a Run
// (or tick) is recorded with the snapshot the page had before it (its `base`). Loaded with
// the timeline's view, when the learner first opens the timeline.
import { formatDuration } from "./keyspace.js";
import { clockText, plural } from "./output-text.js";

const UNITS = { list: "item", hash: "field", set: "member", zset: "member", stream: "entry" };
const PLURALS = { entry: "entries" };
const count = (n, word) => plural(n, word, PLURALS[word]);
const sizeText = (summary) =>
  summary.type === "string" ? count(summary.size, "byte") : count(summary.size, UNITS[summary.type] ?? "element");

const MAIN = "main";

// A key's preview as the inspector shows it: a string's value, or "4 items: "a", "b", …".
export function previewText(summary) {
  const items = summary.preview ?? [];
  if (summary.type === "string") return items[0] ?? count(summary.size, "byte");
  const size = count(summary.size, UNITS[summary.type] ?? "element");
  return items.length ? `${size}: ${items.join(", ")}${summary.size > items.length ? ", …" : ""}` : size;
}

// The keys of the default database after step `upto` (an index into `steps`) of a run
// recorded on `base`: [{ key, summary, mark }] in name order, where `mark` says how step
// `upto` touched the key ("added", "changed", "deleted", "expired" or null). Keys that
// step deleted or let expire stay in the list (their summary from before) so the learner
// sees what went. `db` is the database shown (the base snapshot's).
export function keysAt(base, steps, upto) {
  const db = base?.db ?? 0;
  const keys = new Map();
  for (const key of base?.keys ?? []) keys.set(key.key, key);
  for (let index = 0; index <= upto && index < steps.length; index++) {
    const step = steps[index];
    if (step.keyspace) {
      keys.clear();
      for (const key of step.keyspace.keys ?? []) keys.set(key.key, key);
      continue;
    }
    for (const change of step.changes ?? []) {
      if ((change.db ?? 0) !== db) continue;
      if (change.after) keys.set(change.key, { key: change.key, ...change.after });
      else keys.delete(change.key);
    }
  }
  const marks = new Map();
  const step = steps[upto];
  for (const change of step?.changes ?? []) {
    if ((change.db ?? 0) !== db) continue;
    marks.set(change.key, change.change);
    if (!change.after && change.before) keys.set(change.key, { key: change.key, ...change.before, gone: true });
  }
  return [...keys.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ gone, ...summary }) => ({ key: summary.key, summary, mark: marks.get(summary.key) ?? null, gone: Boolean(gone) }));
}

// The TTL a key had at a step, in ms (null: no TTL).
export function ttlAt(summary, nowMs) {
  if (!summary || summary.expire_at_ms === undefined || summary.expire_at_ms < 0) return null;
  return Math.max(0, summary.expire_at_ms - nowMs);
}

// The command a result ran: its name in capitals, and its arguments (words, unquoted
// well enough to spot options like NX).
export function commandOf(text) {
  const words = String(text ?? "").match(/"(?:\\.|[^"\\])*"|'[^']*'|\S+/g) ?? [];
  const unquote = (word) => (/^(["']).*\1$/s.test(word) && word.length > 1 ? word.slice(1, -1) : word);
  return { name: (words[0] ?? "").toUpperCase(), args: words.slice(1).map(unquote) };
}

const hasOption = (args, option) => args.some((arg) => arg.toUpperCase() === option);

// How many commands an EXEC ran: its reply's items (redis-cli pads " 1) " once there are
// ten or more, so the display is not counted).
function execCount(result) {
  const reply = result?.replies?.[0];
  return reply?.type === "array" ? reply.items.length : 0;
}

// A TTL as a learner wrote it: seconds up to two minutes ("60 s", as EX 60 says), then
// minutes and hours.
export const ttlText = (ms) => (ms <= 120_000 ? `${Math.ceil(ms / 1000)} s` : formatDuration(ms));

const ttlPhrase = (summary, nowMs) => {
  const ttl = ttlAt(summary, nowMs);
  return ttl === null ? "" : ` with a TTL of ${ttlText(ttl)}`;
};

// One change in words, for a command step ("lock:task created with a TTL of 60 s").
export function changeWords(change, nowMs) {
  const { key, before, after } = change;
  const where = change.db ? ` (db ${change.db})` : "";
  switch (change.change) {
    case "added": {
      const shape = after && after.type !== "string" ? ` as a ${after.type} of ${sizeText(after)}` : "";
      return `${key}${where} created${shape}${ttlPhrase(after, nowMs)}`;
    }
    case "deleted":
      return `${key}${where} deleted`;
    case "expired":
      return `${key}${where} expired at ${clockText(change.at_ms ?? before?.expire_at_ms ?? nowMs)}`;
    default: {
      const parts = [];
      if (before && after && before.type !== after.type) {
        parts.push(`now a ${after.type} (was a ${before.type})`);
      } else if (after?.type === "string") {
        if (after.preview?.length) parts.push(`now ${after.preview[0]}`);
      } else if (before && after && before.size !== after.size) {
        parts.push(`${before.size} → ${sizeText(after)}`);
      }
      const hadTtl = before && before.expire_at_ms >= 0;
      const hasTtl = after && after.expire_at_ms >= 0;
      if (hasTtl && (!hadTtl || before.expire_at_ms !== after.expire_at_ms)) {
        parts.push(`TTL ${ttlText(ttlAt(after, nowMs))}`);
      } else if (hadTtl && !hasTtl) {
        parts.push("no TTL any more");
      }
      return `${key}${where} changed${parts.length ? `: ${parts.join(", ")}` : ""}`;
    }
  }
}

// Who ran a step's command, as a prefix: "" for main, "worker-2's ".
const whose = (client) => (client && client !== MAIN ? `${client}'s ` : "");

// Several changes, shortly: the first few, then how many more.
function changeList(changes, omitted, nowMs) {
  const shown = changes.slice(0, 3).map((change) => changeWords(change, nowMs));
  const more = changes.length - shown.length + (omitted ?? 0);
  return shown.join("; ") + (more > 0 ? `; and ${more} more` : "");
}

// A step in one line of words. `result` is the output entry the step ran (null for an
// expiry); `stepById(id)` gives an earlier step with its result ({ step, result }), for
// the step that caused this one.
export function stepWords(step, { result = null, stepById = () => null } = {}) {
  const changes = step.changes ?? [];
  const total = changes.length + (step.changes_omitted ?? 0);
  const now = step.now_ms;
  if (step.kind === "expired") {
    if (!changes.length) return "A key expired";
    return changeList(changes, step.changes_omitted, now);
  }
  const cause = step.caused_by ? stepById(step.caused_by) : null;
  const causeText = cause
    ? `${whose(cause.step.client) || (cause.step.client === MAIN ? "main's " : "")}${commandOf(cause.result?.text).name || "command"} (step ${step.caused_by})`
    : step.caused_by
      ? `step ${step.caused_by}`
      : null;
  if (step.kind === "message") {
    const who = step.client ?? "a subscriber";
    return causeText ? `${who} received a message from ${causeText}` : `${who} received a message`;
  }
  const { name, args } = commandOf(result?.text);
  const command = name || "the command";
  const who = whose(step.client);
  // An EXEC that answered (nil): a WATCHed key changed.
  if (name === "EXEC" && step.caused_by) {
    const key = step.watch_key ? `${step.watch_key} changed` : "a watched key changed";
    return `${who}EXEC aborted: ${key} in step ${step.caused_by} (WATCH)`;
  }
  let served = "";
  if (result?.kind === "blocked_reply" && causeText) served = `${who}${command} served by ${causeText}`;
  if (step.keyspace) {
    const keys = step.keyspace.total ?? step.keyspace.keys?.length ?? 0;
    const text = keys === 0 ? `${who}${command} emptied the database` : `${who}${command} replaced the keys: ${count(keys, "key")} now`;
    return served ? `${served}: ${text}` : text;
  }
  if (name === "EXEC" && !result?.error) {
    const ran = execCount(result);
    return `${who}EXEC ran ${count(ran, "command")}: ${total ? `${count(total, "key")} changed` : "no key changed"}`;
  }
  if (total === 0) {
    if (served) return `${served}: nothing changed`;
    const display = String(result?.display ?? "").trim();
    if (result?.error) return `${who}${command} failed: nothing changed`;
    if (display === "QUEUED") return `${who}${command} queued: it runs at EXEC`;
    if (name === "SET" && hasOption(args, "NX") && display === "(nil)") return `${who}SET NX changed nothing: the key exists`;
    if (name === "SET" && hasOption(args, "XX") && display === "(nil)") return `${who}SET XX changed nothing: the key does not exist`;
    if (display === "(integer) 0") {
      const why = { SETNX: "the key exists", HSETNX: "the field exists", MSETNX: "one of the keys exists" }[name];
      if (why) return `${who}${name} changed nothing: ${why}`;
    }
    return `${who}${command} changed nothing`;
  }
  const what = name === "EVAL" || name === "EVALSHA" || name === "FCALL" ? `${command}'s script` : command;
  if (total === 1 && changes.length === 1) {
    const text = changeWords(changes[0], now);
    if (served) return `${served}: ${text}`;
    return who ? `${text} (${who}${what})` : text;
  }
  const text = `${who}${what} changed ${count(total, "key")}: ${changeList(changes, step.changes_omitted, now)}`;
  return served ? `${served}; ${text}` : text;
}

// What a mark on a key says, as text (the page shows it beside the key, not only as colour).
export const MARK_TEXT = { added: "added", changed: "changed", deleted: "deleted", expired: "expired" };
