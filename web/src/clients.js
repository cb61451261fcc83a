// Several clients (docs/clients.md): what the page works out from the engine's JSON before
// drawing it. Which Runs are shown in columns, one per client; how a Run's entries (in
// the order things happened, across clients) are laid out in rows; when the next blocking
// timeout is due; the badges of a column's head; `@name` lines in scripts and in a lesson
// example's expected output. Plain functions, no DOM: tests/web runs them in Node.

// `@worker-1`, `@app:1`: a line switching the client for the lines after it. A trailing
// ` -- comment` is allowed (with some text: a bare ` --` is refused, as the engine does).
export const CLIENT_NAME = /^[A-Za-z0-9_.:-]{1,32}$/;
const CLIENT_LINE = /^\s*@([A-Za-z0-9_.:-]{1,32})(?:\s+--\s+\S.*)?\s*$/;
// What may follow the name on a client line.
export const CLIENT_LINE_REST = /^(\s+--\s+\S.*)?\s*$/;

// The client a script line switches to, or null (not an `@` line, or a malformed one).
export function clientOfLine(text) {
  return CLIENT_LINE.exec(text)?.[1] ?? null;
}

// True for any line starting with `@` (well formed or not).
export const isClientLine = (text) => /^\s*@/.test(text);

export const MAIN = "main";
const clientOf = (result) => result?.client ?? MAIN;

// The kinds of entry that are not a line the learner's script sent (so not counted as
// commands): an answer arriving for a blocked command, a Pub/Sub message pushed to a
// subscriber, and lines left unrun behind a command blocked for ever.
export const ARRIVALS = new Set(["blocked_reply", "message"]);
export const isCommandEntry = (result) => !ARRIVALS.has(result.kind) && result.kind !== "not_run" && result.kind !== "clear";

// Whether a Run's (or tick's) output is shown in columns: when any of its entries belongs
// to a client other than `main`. A Run of `main` alone looks exactly as it always did,
// even on a server where other clients are connected.
export function involvesClients(output) {
  return (output?.results ?? []).some((result) => clientOf(result) !== MAIN);
}

// The columns for these entries: each client that has one, in the order the server's
// client list gives (order of connection), then any others in order of appearance.
// `existing` (columns already drawn, for a tick continuing a Run's grid) keep their places.
export function columnsFor(results, clients = [], existing = []) {
  const present = new Set(results.filter((result) => result.kind !== "clear").map(clientOf));
  const columns = [...existing];
  const order = [...clients.map((client) => client.name), ...results.map(clientOf)];
  for (const name of order) {
    if (present.has(name) && !columns.includes(name)) columns.push(name);
  }
  return columns;
}

// Whether `result` happened at the same moment as `previous`, the entry just before it,
// and so may share its row (in another column): a Pub/Sub message beside the PUBLISH that
// sent it (or another message from it), a PUBLISH beside the messages it sent when the
// engine lists those first, and a blocked command's answer beside the write (or CLIENT
// UNBLOCK) that served it.
export function sameMoment(previous, result) {
  if (!previous || clientOf(previous) === clientOf(result)) return false;
  if (result.kind === "message") return previous.line === result.line && previous.kind !== "not_run";
  if (result.kind === "command_reply" && previous.kind === "message") return previous.line === result.line;
  if (result.kind === "blocked_reply") return result.cause === "served" || result.cause === "unblocked";
  return false;
}

// Lays entries out in rows: each entry in its client's column, rows in the order things
// happened. An entry starts a new row unless it happened at the same moment as the one
// before it (sameMoment) and its column is still free in that row. `clear` entries (redis-
// cli's `clear`) are rows of their own ({ clear: true }): what is above them goes.
// Returns [{ cells: Map(columnIndex -> result), first: the row's first entry, clear? }].
export function layoutRows(results, columns) {
  const rows = [];
  let previous = null;
  for (const result of results) {
    if (result.kind === "clear") {
      rows.push({ clear: true, cells: new Map() });
      previous = null;
      continue;
    }
    const column = columns.indexOf(clientOf(result));
    const row = rows.at(-1);
    if (row && !row.clear && sameMoment(previous, result) && !row.cells.has(column)) {
      row.cells.set(column, result);
    } else {
      rows.push({ cells: new Map([[column, result]]), first: result });
    }
    previous = result;
  }
  return rows;
}

// The earliest moment (virtual ms) a blocked client's timeout comes, or null when no
// client waits with a timeout.
export function earliestTimeout(clients = []) {
  let earliest = null;
  for (const client of clients ?? []) {
    const at = client?.blocked?.timeout_at_ms;
    if (typeof at === "number" && at > 0 && (earliest === null || at < earliest)) earliest = at;
  }
  return earliest;
}

export const anyBlocked = (clients = []) => (clients ?? []).some((client) => client?.blocked);

// How long until the page asks the engine to let time pass (tick), in real ms: the
// earliest timeout less the virtual time now (the virtual clock runs at real speed), a
// little late rather than early; `misses` (ticks in a row that found nothing due) backs
// off, so an engine that disagrees about the time is not asked in a loop. null: nothing due.
export function tickDelay(clients, virtualNow, misses = 0) {
  const due = earliestTimeout(clients);
  if (due === null || virtualNow === null) return null;
  const wait = Math.max(0, Math.ceil(due - virtualNow)) + 15;
  const backoff = misses > 0 ? Math.min(10_000, 250 * 2 ** (misses - 1)) : 0;
  return Math.min(2 ** 31 - 1, Math.max(wait, backoff));
}

const count = (value) => (Array.isArray(value) ? value.length : Number(value) || 0);

// The small badges of a column's head, from the client's entry in `clients`.
export function clientBadges(client) {
  if (!client) return [];
  const badges = [];
  if (client.blocked) badges.push({ kind: "waiting", text: "waiting" });
  if (client.in_multi) badges.push({ kind: "multi", text: "in MULTI" });
  const subscriptions = count(client.subscriptions);
  if (subscriptions) badges.push({ kind: "subscribed", text: `subscribed to ${subscriptions}` });
  // The engine says whether the client WATCHes keys (true), or how many (a count or a list).
  if (client.watching === true) badges.push({ kind: "watching", text: "watching keys" });
  else {
    const watching = count(client.watching);
    if (watching) badges.push({ kind: "watching", text: `watching ${watching} key${watching === 1 ? "" : "s"}` });
  }
  if (client.db) badges.push({ kind: "db", text: `db ${client.db}` });
  return badges;
}

// What a blocked command's wait looks like now: "no timeout", "times out in 3 s",
// "timing out…" once its moment has come (the engine's answer is on its way).
export function waitingText(timeoutAtMs, now) {
  if (!timeoutAtMs) return "no timeout";
  if (now === null || now === undefined) return "";
  const left = timeoutAtMs - now;
  if (left <= 0) return "timing out…";
  if (left < 10_000) return `times out in ${(Math.ceil(left / 100) / 10).toFixed(1)} s`;
  return `times out in ${formatSeconds(left)}`;
}

function formatSeconds(ms) {
  let s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (h) return `${h} h ${m} min`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

// Why a blocked command's answer came.
export function causeText(cause) {
  return { served: "served", timeout: "timed out", unblocked: "unblocked by CLIENT UNBLOCK" }[cause] ?? "answered";
}

// Lines not run because their client waits for ever (a blocking command with timeout 0):
// what would end the wait, once per client.
export function stuckHints(output) {
  const names = [...new Set(output.results.filter((result) => result.kind === "not_run").map((result) => result.client ?? MAIN))];
  const hints = [];
  for (const name of names) {
    const blocked = (output.clients ?? []).find((client) => client.name === name)?.blocked;
    if (!blocked || blocked.timeout_at_ms) continue;
    const who = name === MAIN ? "This script's client (main)" : `The client ${name}`;
    hints.push(
      `${who} is still waiting for ${blocked.text}, with no timeout, so its lines after it did not run. ` +
        "Another client can end the wait (an @name line, then a write to the key it waits for), or Reset server.",
    );
  }
  return hints;
}

// A lesson example's expected output in redpad-cli's form: output before any `@name` line
// is main's, and each `@name` line says whose output follows. Returns { clients, segments:
// [{ client, text }] } in order; clients in order of appearance. Output without `@name`
// lines is one segment of `main`.
export function parseClientSegments(text) {
  const segments = [];
  const clients = [];
  let current = { client: MAIN, lines: [] };
  const close = () => {
    if (current.lines.length || current.named) {
      segments.push({ client: current.client, text: current.lines.join("\n") });
      if (!clients.includes(current.client)) clients.push(current.client);
    }
  };
  const lines = String(text ?? "").replace(/\n$/, "").split("\n");
  for (const line of lines) {
    const match = /^@([A-Za-z0-9_.:-]{1,32})$/.exec(line);
    if (match) {
      close();
      current = { client: match[1], lines: [], named: true };
    } else {
      current.lines.push(line);
    }
  }
  close();
  return { clients, segments };
}

// Whether an expected output has `@name` lines (and so is shown per client).
export const hasClientSegments = (text) => /^@[A-Za-z0-9_.:-]{1,32}$/m.test(String(text ?? ""));

// Names already used in a script's `@` lines, in order, for completing another: the editor's
// text as it is typed, before any run (the engine's entries carry `client` once it runs).
export function clientNamesIn(text) {
  const names = [];
  for (const line of String(text ?? "").split("\n")) {
    const name = clientOfLine(line);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

// A stable colour slot (0..n-1) for a client: by its Redis client id when known (main is
// 1), otherwise by its name.
export function colourSlot(name, clients = [], slots = 6) {
  const id = (clients ?? []).find((client) => client.name === name)?.id;
  if (Number.isInteger(id) && id > 0) return (id - 1) % slots;
  if (name === MAIN) return 0;
  let hash = 0;
  for (const char of String(name)) hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  return hash % slots;
}
