// The output pane: each command echoed after a redis-cli style prompt, then its reply
// exactly as redis-cli prints it. Errors are marked in text ("(error)", "Invalid
// argument(s)") and with a marker, not by colour alone. A Run with several clients
// (docs/clients.md) is shown in columns, one per client, its entries in rows in the order
// they happened; a blocked command shows that it waits until its answer arrives.
import { StringStream } from "@codemirror/language";
import { tokenizeLines } from "./redis-mode.js";
import { LIMITS } from "./limits.js";
import { el } from "./dom.js";
import {
  MAIN,
  causeText,
  clientBadges,
  colourSlot,
  columnsFor,
  involvesClients,
  isClientLine,
  isCommandEntry,
  layoutRows,
  parseClientSegments,
  stuckHints,
  waitingText,
} from "./clients.js";

const MAX_GROUPS = 40;
// A grid of more rows than this keeps its column heads in view as it scrolls.
const STICKY_ROWS = 8;
const MAX_ENTRIES = 6000;

export const formatCount = (n) => n.toLocaleString("en-US");

export function formatBytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const plural = (n, word, words = `${word}s`) => `${formatCount(n)} ${n === 1 ? word : words}`;

// What was cut from one reply, and which cap cut it (an entry's page_cut, worker.js).
export function replyCutText({ omitted_lines: omittedLines, omitted_chars: omittedChars, cut_by: cutBy }) {
  const why = {
    lines: `a reply shows at most ${formatCount(LIMITS.replyLines)} lines here`,
    chars: `a reply shows at most ${formatBytes(LIMITS.replyChars)} here`,
    run_lines: `the output of one Run shows at most ${formatCount(LIMITS.runLines)} lines`,
  }[cutBy];
  // Cut by size, the reply may stop in the middle of a line: its size says what is left.
  const cut =
    cutBy === "chars"
      ? `… ${formatBytes(omittedChars)} more of this reply not shown`
      : `… ${plural(omittedLines, "more line")} (${formatBytes(omittedChars)}) not shown`;
  return why ? `${cut}: ${why}.` : `${cut}.`;
}

// Results of a Run not shown, and which cap left them out (worker.js's omitted_because).
export function omittedResultsText({
  omitted_results: omittedResults,
  omitted_errors: omittedErrors,
  omitted_because: omittedBecause,
}) {
  const why = {
    results: `the output shows the first ${formatCount(LIMITS.results)} results of a Run`,
    lines: `the output of one Run shows at most ${formatCount(LIMITS.runLines)} lines`,
  }[omittedBecause];
  return (
    `… ${plural(omittedResults, "more command")} ran but ${omittedResults === 1 ? "is" : "are"} not shown` +
    (omittedErrors ? ` (${formatCount(omittedErrors)} with errors)` : "") +
    (why ? `: ${why}.` : ".")
  );
}

// The engine stopped the script: { reason: "max_commands", limit, line, cut_short }.
export function stoppedText(stopped) {
  const where = stopped?.cut_short
    ? `Line ${stopped.line} was cut short, and the lines after it did not run.`
    : `Lines from ${stopped?.line} on did not run.`;
  if (stopped?.reason === "max_commands") {
    const limit = formatCount(stopped.limit);
    return `Stopped after ${limit} commands: a Run may execute at most ${limit}. ${where}`;
  }
  return `Stopped at line ${stopped?.line}${stopped?.reason ? ` (${stopped.reason})` : ""}. ${where}`;
}

// The engine dropped replies past the Run's budget: { limit_bytes, from_line, replies_not_kept }.
export function outputCutText(cut) {
  const count = plural(cut.replies_not_kept, "reply", "replies");
  const were = cut.replies_not_kept === 1 ? "was" : "were";
  return (
    `${count} from line ${cut.from_line} on ${were} not kept: a Run keeps at most ` +
    `${formatBytes(cut.limit_bytes)} of replies. The commands still ran.`
  );
}

// Highlighted spans for one line of script (as in the editor).
export function highlightInto(parent, text) {
  const lines = tokenizeLines(text, StringStream);
  lines.forEach((spans, index) => {
    if (index > 0) parent.append("\n");
    for (const [piece, style] of spans) {
      if (!style) {
        parent.append(piece);
        continue;
      }
      const span = el("span", `tok-${styleClass(style)}`, piece);
      parent.append(span);
    }
  });
}

function styleClass(style) {
  return (
    {
      keyword: "command",
      atom: "option",
      string: "string",
      number: "number",
      comment: "comment",
      invalid: "invalid",
      "variableName.special": "unknown",
      labelName: "client",
    }[style] ?? "plain"
  );
}

// An entry's prompt ({ db, in_multi }: the engine's state before its line) as redis-cli
// shows it.
export function promptText({ db = 0, in_multi: inMulti = false }) {
  return `redpad${db ? `[${db}]` : ""}${inMulti ? "(TX)" : ""}>`;
}

// The prompt in a client's column: ">", "[1]>", "(TX)>".
export function compactPromptText({ db = 0, in_multi: inMulti = false }) {
  return `${db ? `[${db}]` : ""}${inMulti ? "(TX)" : ""}>`;
}

// A reply the engine did not keep: past the Run's reply budget it keeps no reply text.
const notKept = (result) => result.replies_not_kept > 0 && result.display === "";

const clockText = (ms) => {
  const date = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
};

function lineLink(line, onGoToLine, text = `line ${line}`) {
  const link = el("button", "line-link", text);
  link.type = "button";
  link.setAttribute("aria-label", `Go to line ${line} in the editor`);
  link.addEventListener("click", () => onGoToLine(line));
  return link;
}

// The tallies of what a group shows: commands (lines the script sent), errors, and the
// lines that failed (marked in the editor).
const newTally = () => ({ commands: 0, errors: 0, errorLines: [] });

export class OutputLog {
  constructor(container, { onGoToLine }) {
    this.container = container;
    this.onGoToLine = onGoToLine;
    this.runs = 0;
    this.entries = 0;
    // Blocked commands still waiting: client name -> { node (the line under the command),
    // text, countdown, timeoutAt, line, group }. Their answer (a blocked_reply entry, in this Run,
    // a later one or a tick's) ends the wait.
    this.waiting = new Map();
    // The server's clients as the last output described them.
    this.clients = [];
    this.views = new WeakMap(); // run group -> its view (PlainView or ClientsView)
    this.showEmpty();
  }

  showEmpty() {
    this.container.replaceChildren();
    const empty = el("div", "output-empty");
    const title = el("p", "output-empty-title", "Nothing run yet");
    const text = el("p", null);
    text.append(
      "Press ",
      el("strong", null, "Run"),
      " (or ",
      el("kbd", null, "Ctrl"),
      "+",
      el("kbd", null, "Enter"),
      ") to send your script to the server. Each command and its reply appear here, " +
        "exactly as redis-cli shows them.",
    );
    empty.append(title, text);
    this.container.append(empty);
    this.entries = 0;
    // The waits go on (the clients are still blocked), but nothing shows them any more.
    for (const wait of this.waiting.values()) wait.node = null;
  }

  clear() {
    this.showEmpty();
  }

  startGroup(title, kind) {
    this.container.querySelector(".output-empty")?.remove();
    const group = el("section", `run-group run-${kind}`);
    const heading = el("h3", "run-head");
    heading.append(el("span", "run-title", title));
    group.append(heading);
    this.container.append(group);
    this.trim();
    return { group, heading };
  }

  // Keeps the pane's size bounded: the oldest runs go first.
  trim() {
    const groups = this.container.querySelectorAll(".run-group");
    let excess = groups.length - MAX_GROUPS;
    for (const group of groups) {
      if (excess <= 0 && this.entries <= MAX_ENTRIES) break;
      if (group === this.container.lastElementChild) break;
      this.entries -= group.querySelectorAll(".entry").length;
      group.remove();
      excess--;
      if (!this.container.querySelector(".output-trimmed")) {
        this.container.prepend(el("p", "output-trimmed", "Earlier output was cleared to keep the page fast."));
      }
    }
  }

  note(text, tone = "info") {
    this.container.querySelector(".output-empty")?.remove();
    const note = el("p", `output-note note-${tone}`, text);
    this.container.append(note);
    note.scrollIntoView({ block: "nearest" });
    return note;
  }

  // Shows one run's results. Returns the failing lines and the counts of commands and
  // errors. Each entry's prompt is the engine's (its client's state before the line).
  addRun({ title, kind = "run", output, lineLinks = true }) {
    const { group, heading } = this.startGroup(title, kind);
    const tally = newTally();
    tally.errors = output.omitted_errors ?? 0;
    const context = { lineLinks, title, group };
    const view = involvesClients(output) ? new ClientsView(this, group) : new PlainView(this, group);
    this.views.set(group, view);
    view.add(output.results, output, tally, context);
    for (const hint of stuckHints(output)) group.append(el("p", "reply-hint stuck-hint", hint));
    if (output.omitted_results) {
      group.append(el("p", "omitted", omittedResultsText(output)));
    }
    if (output.output_cut) {
      const cut = el("p", "run-limit run-cut", outputCutText(output.output_cut));
      cut.setAttribute("role", "note");
      group.append(cut);
    }
    if (output.stopped) {
      const stopped = el("p", "run-limit run-stopped", stoppedText(output.stopped));
      stopped.setAttribute("role", "note");
      if (lineLinks && output.stopped.line) {
        stopped.append(" ", lineLink(output.stopped.line, this.onGoToLine));
      }
      group.append(stopped);
    }
    const arrivals = output.results.some((result) => !isCommandEntry(result) && result.kind !== "clear");
    if (tally.commands === 0 && !output.omitted_results && !arrivals) {
      group.append(el("p", "reply-hint", "Nothing to run: the script has only comments or blank lines."));
    }
    const total = tally.commands + (output.omitted_results ?? 0);
    const errors = tally.errors;
    const summary = el(
      "span",
      "run-summary",
      `${formatCount(total)} command${total === 1 ? "" : "s"}` +
        (errors ? `, ${formatCount(errors)} error${errors === 1 ? "" : "s"}` : ""),
    );
    if (errors) summary.classList.add("has-errors");
    heading.append(summary);
    if (view instanceof ClientsView) {
      const clients = view.columns.length;
      heading.append(el("span", "run-clients", `${clients} client${clients === 1 ? "" : "s"}`));
    }
    this.afterOutput(output);
    this.trim();
    // Show the start of this run (its first reply matters most).
    // (The container is position: relative, so offsetTop is measured from it.)
    this.container.scrollTop = Math.max(0, group.offsetTop - 4);
    return { errorLines: tally.errorLines, errors, commands: total };
  }

  // Shows what a tick returned (time let pass: blocked commands timing out), continuing
  // the last group when it is the last thing shown (in its columns), or as a group of its
  // own. `label` says why time passed. Returns null when nothing happened.
  addTick({ output, label }) {
    if (!output.results.length) {
      this.afterOutput(output);
      return null;
    }
    const last = this.container.lastElementChild;
    let view = last?.classList.contains("run-group") ? this.views.get(last) : null;
    const multi = involvesClients(output);
    if (view instanceof PlainView && multi) view = null;
    let group;
    if (view) {
      group = view.group;
    } else {
      group = this.startGroup("Time passes", "tick").group;
      view = multi ? new ClientsView(this, group) : new PlainView(this, group);
      // Its answers are to commands of earlier Runs, whose lines the editor may no longer hold.
      view.lineLinks = false;
      this.views.set(group, view);
    }
    const tally = newTally();
    const title = group.querySelector(".run-title")?.textContent ?? "";
    view.divider(`${clockText(output.now_ms)} · ${label}`);
    view.add(output.results, output, tally, { lineLinks: view.lineLinks, title, group });
    this.afterOutput(output);
    this.trim();
    // What time brought, into view (the pane scrolls, never sideways, never the page).
    const end = group;
    const bottom = end.offsetTop + end.offsetHeight;
    const box = this.container;
    if (bottom > box.scrollTop + box.clientHeight) box.scrollTop = bottom - box.clientHeight + 8;
    return tally;
  }

  // ------------------------------------------------------------------------------------
  // One entry

  // The element for one result.
  renderEntry(result, { lineLinks, title, group, compact = false }) {
    const entry = el("div", "entry");
    if (result.error) entry.classList.add("is-error");
    if (result.kind === "blocked_reply") return this.renderArrival(entry, result, { lineLinks, title, group });
    if (result.kind === "message") return this.renderMessage(entry, result, { lineLinks });
    const echo = el("div", "echo");
    // In a client's column the head names the client: its prompt keeps only what changes
    // (the database, a transaction) so the command has the room.
    echo.append(el("span", "prompt", compact ? compactPromptText(result.prompt) : promptText(result.prompt)));
    const command = el("span", "cmd");
    highlightInto(command, result.text);
    const textOmittedChars = result.page_cut?.text_omitted_chars;
    if (textOmittedChars) {
      command.append(
        el(
          "span",
          "omitted-inline",
          ` … (${plural(textOmittedChars, "more character")} of this line not shown: ` +
            `a command is echoed up to ${formatCount(LIMITS.commandChars)} characters)`,
        ),
      );
    }
    echo.append(command);
    if (lineLinks) echo.append(lineLink(result.line, this.onGoToLine));
    entry.append(echo);

    if (result.kind === "invalid") {
      entry.append(el("pre", "reply", result.display.replace(/\n$/, "")));
      entry.append(
        el(
          "p",
          "reply-hint",
          isClientLine(result.text)
            ? `Line ${result.line} starts with @ but does not switch the client, so it was not sent.`
            : `Line ${result.line} could not be read, so it was not sent: a quote is left ` +
                "open, or text follows a closing quote.",
        ),
      );
    } else if (result.kind === "quit") {
      // main's quit ends the script; another client's only closes its own connection.
      const own = (result.client ?? MAIN) === MAIN;
      entry.append(
        el(
          "p",
          "reply-hint",
          own
            ? "The session ended here: lines after quit were not run."
            : "The connection closed here. A later line for this client connects it again (a new " +
                "connection: database 0), as redis-cli does.",
        ),
      );
    } else if (result.kind === "blocked") {
      entry.classList.add("is-blocked");
      entry.append(this.waitFor(result, group));
    } else if (result.kind === "not_run") {
      entry.classList.add("is-not-run");
      entry.append(el("p", "reply-hint", `Not run: ${result.reason || "its client was still waiting when the script ended"}.`));
    } else if (notKept(result)) {
      entry.append(el("p", "omitted", "(reply not kept: this Run's replies had passed the limit, see below)"));
    } else {
      entry.append(this.replyBlock(result));
    }
    if (result.page_cut?.omitted_chars) entry.append(el("p", "omitted", replyCutText(result.page_cut)));
    return entry;
  }

  replyBlock(result) {
    const display = result.display.replace(/\n$/, "");
    const reply = el("pre", result.kind === "help" ? "reply reply-help" : "reply", display);
    if (result.kind === "command_reply" && /^\(nil\)$|^\(empty array\)$/.test(display)) {
      reply.classList.add("reply-nil");
    }
    // A timeout's (nil), with redis-cli's timing line under it.
    if (result.kind === "blocked_reply" && /^\(nil\)(\n\(\d+\.\d+s\))?$/.test(display)) reply.classList.add("reply-nil");
    if (result.error) reply.prepend(el("span", "error-mark", "✕ "));
    return reply;
  }

  // The answer of a blocked command arriving: the command it answers, why it came
  // (served, timed out, unblocked), then the reply.
  renderArrival(entry, result, { lineLinks, title, group }) {
    const client = result.client ?? MAIN;
    // The line number means the editor's line only when the command was sent in this Run.
    const sameRun = this.waiting.get(client)?.group === group;
    entry.classList.add("entry-reply", `arrival-${result.cause ?? "answered"}`);
    const head = el("div", "echo arrival");
    const mark = el("span", "prompt arrival-mark", "↳");
    mark.setAttribute("aria-hidden", "true");
    const command = el("span", "cmd");
    command.append(el("span", "sr-only", "Answer to "));
    highlightInto(command, result.text);
    command.append(" ", el("span", `cause cause-${result.cause ?? "answered"}`, causeText(result.cause)));
    head.append(mark, command);
    if (lineLinks && sameRun) head.append(lineLink(result.line, this.onGoToLine));
    entry.append(head);
    if (notKept(result)) {
      entry.append(el("p", "omitted", "(reply not kept: this Run's replies had passed the limit, see below)"));
    } else {
      entry.append(this.replyBlock(result));
    }
    if (result.page_cut?.omitted_chars) entry.append(el("p", "omitted", replyCutText(result.page_cut)));
    this.endWait(client, result.cause, { title, group });
    return entry;
  }

  // A Pub/Sub message pushed to a subscriber (from the PUBLISH on `line`).
  renderMessage(entry, result, { lineLinks }) {
    entry.classList.add("entry-message");
    const head = el("div", "echo arrival");
    const mark = el("span", "prompt arrival-mark", "⇢");
    mark.setAttribute("aria-hidden", "true");
    const label = el("span", "cmd message-label", "message received");
    head.append(mark, label);
    if (lineLinks && result.line) head.append(lineLink(result.line, this.onGoToLine));
    entry.append(head, this.replyBlock(result));
    if (result.page_cut?.omitted_chars) entry.append(el("p", "omitted", replyCutText(result.page_cut)));
    return entry;
  }

  // ------------------------------------------------------------------------------------
  // Waiting

  // The line under a blocked command: it waits (and for how long, on the virtual clock).
  waitFor(result, group) {
    const client = result.client ?? MAIN;
    const status = el("p", "waiting");
    const dot = el("span", "waiting-dot");
    dot.setAttribute("aria-hidden", "true");
    const text = el("span", "waiting-text", "waiting…");
    const countdown = el("span", "waiting-countdown");
    countdown.setAttribute("aria-hidden", "true"); // it changes four times a second
    status.append(dot, text, countdown);
    // A command blocked again replaces an older wait of the same client (answered, so ended).
    this.waiting.set(client, { node: status, text, countdown, timeoutAt: null, line: result.line, group });
    return status;
  }

  // The wait of `client` is over: the answer came (`cause`), shown in `group` (titled
  // `title`), or the wait ended without one ("reset", "gone").
  endWait(client, cause, { title = "", group = null } = {}) {
    const wait = this.waiting.get(client);
    if (!wait) return;
    this.waiting.delete(client);
    if (!wait.node) return;
    const here = !group || wait.group === group;
    wait.node.classList.add("is-done", `ended-${cause ?? "answered"}`);
    wait.countdown.textContent = "";
    wait.text.textContent =
      cause === "reset"
        ? "no longer waiting: the server was reset"
        : cause === "gone"
          ? "no longer waiting"
          : `${causeText(cause)}${here || !title ? " ↓" : `: see ${title} below`}`;
    wait.node.closest(".entry")?.classList.remove("is-blocked");
  }

  // Countdowns of the blocked commands, for the virtual time `now`.
  tick(now) {
    for (const wait of this.waiting.values()) {
      if (!wait.node) continue;
      const text = wait.timeoutAt === null ? "" : waitingText(wait.timeoutAt, now);
      if (wait.countdown.textContent !== text) wait.countdown.textContent = text;
    }
  }

  // After every output: the client list it ends with says who still waits (and until
  // when), and which column heads still say "waiting".
  afterOutput(output) {
    const clients = output?.clients;
    if (!Array.isArray(clients)) return;
    this.clients = clients;
    const byName = new Map(clients.map((client) => [client.name, client]));
    for (const [name, wait] of [...this.waiting]) {
      const blocked = byName.get(name)?.blocked;
      if (!blocked) this.endWait(name, "gone");
      else wait.timeoutAt = blocked.timeout_at_ms ?? 0;
    }
    for (const badge of this.container.querySelectorAll(".client-head .badge-waiting")) {
      const name = badge.closest(".client-head").dataset.client;
      if (!byName.get(name)?.blocked) badge.remove();
    }
    // The countdowns at once, from the server's clock (the page's timer goes on from here).
    if (typeof output.now_ms === "number") this.tick(output.now_ms);
  }

  // The server was reset (or rebuilt from nothing): no client waits any more.
  endAllWaits() {
    for (const name of [...this.waiting.keys()]) this.endWait(name, "reset");
    for (const badge of this.container.querySelectorAll(".client-head .badge-waiting")) badge.remove();
    this.clients = [];
  }

  // The client list a restored server ended with.
  setClients(clients) {
    if (Array.isArray(clients)) this.afterOutput({ clients });
  }
}

// A group of one client (`main`): entries one under the other, as redis-cli shows them.
class PlainView {
  constructor(log, group) {
    this.log = log;
    this.group = group;
    this.lineLinks = true;
  }

  add(results, output, tally, context) {
    const { group } = this;
    this.lineLinks = context.lineLinks;
    for (const result of results) {
      if (result.kind === "clear") {
        // redis-cli's `clear`: empties the screen, as it would.
        for (const old of [...this.log.container.children]) if (old !== group) old.remove();
        for (const old of [...group.querySelectorAll(".entry, .tick-divider")]) old.remove();
        continue;
      }
      countResult(result, tally);
      group.append(this.log.renderEntry(result, context));
      this.log.entries++;
    }
  }

  divider(text) {
    this.group.append(el("p", "tick-divider", text));
  }
}

function countResult(result, tally) {
  if (result.error) {
    tally.errors++;
    tally.errorLines.push(result.line);
  }
  if (isCommandEntry(result)) tally.commands++;
}

// A group of several clients: a column per client, headed by its name and badges, and a
// row per moment, in the order things happened.
class ClientsView {
  constructor(log, group) {
    this.log = log;
    this.group = group;
    this.columns = [];
    this.heads = [];
    this.row = 1; // the grid's rows used so far (the heads are row 1)
    this.dividerRows = new Set(); // rows that are a line across all columns
    this.lineLinks = true;
    this.grid = el("div", "clients-grid");
    this.headRow = el("div", "client-row client-heads");
    // Column 1 is a gutter: each row's script line, a link to it in the editor.
    const gutter = el("div", "client-head client-gutter");
    gutter.append(el("span", "sr-only", "Line"));
    this.headRow.append(gutter);
    this.grid.append(this.headRow);
    group.append(this.grid);
  }

  addColumns(names, clients) {
    for (const name of names) {
      if (this.columns.includes(name)) continue;
      this.columns.push(name);
      const index = this.columns.length;
      const head = el("div", `client-head slot-${colourSlot(name, clients)}`);
      head.dataset.client = name;
      head.style.gridColumn = String(index + 1);
      const title = el("span", "client-name");
      const dot = el("span", "client-dot");
      dot.setAttribute("aria-hidden", "true");
      title.append(dot, el("span", "sr-only", "Client "), name);
      const badges = el("span", "client-badges");
      head.append(title, badges);
      this.headRow.append(head);
      this.heads.push(head);
      // A column added by a later tick: its lane runs down the rows already there.
      for (let row = 2; row <= this.row; row++) {
        if (this.dividerRows.has(row)) continue;
        const cell = el("div", "client-cell is-empty");
        cell.style.gridColumn = String(index + 1);
        cell.style.gridRow = String(row);
        this.grid.append(cell);
      }
    }
    this.grid.style.setProperty("--columns", String(this.columns.length));
  }

  updateBadges(clients) {
    if (!Array.isArray(clients)) return;
    const byName = new Map(clients.map((client) => [client.name, client]));
    for (const head of this.heads) {
      const client = byName.get(head.dataset.client);
      const box = head.querySelector(".client-badges");
      box.replaceChildren(
        ...clientBadges(client).map((badge) => el("span", `badge badge-${badge.kind}`, badge.text)),
      );
      if (client?.id) head.title = `${head.dataset.client}: Redis client id ${client.id}`;
    }
  }

  add(results, output, tally, context) {
    this.lineLinks = context.lineLinks;
    const clients = output.clients ?? this.log.clients;
    this.addColumns(columnsFor(results, clients ?? [], this.columns), clients);
    for (const row of layoutRows(results, this.columns)) {
      if (row.clear) {
        for (const old of [...this.log.container.children]) if (old !== this.group) old.remove();
        const below = ":scope > .client-row:not(.client-heads), :scope > .tick-divider, :scope > .client-cell";
        for (const old of [...this.grid.querySelectorAll(below)]) old.remove();
        this.row = 1;
        this.dividerRows.clear();
        continue;
      }
      this.row++;
      const line = el("div", "client-row");
      const gutter = el("div", "client-gutter");
      gutter.style.gridRow = String(this.row);
      // The row's script line: the first entry's own line (a message's, its PUBLISH's);
      // an answer arriving for a command of an earlier Run has none here.
      const { first } = row;
      const sentHere =
        first && (first.kind !== "blocked_reply" || this.log.waiting.get(first.client ?? MAIN)?.group === this.group);
      if (context.lineLinks && sentHere && first.line) {
        gutter.append(lineLink(first.line, this.log.onGoToLine, String(first.line)));
      }
      line.append(gutter);
      for (let column = 0; column < this.columns.length; column++) {
        const result = row.cells.get(column);
        const cell = el("div", result ? "client-cell" : "client-cell is-empty");
        cell.style.gridColumn = String(column + 2);
        cell.style.gridRow = String(this.row);
        if (result) {
          const name = this.columns[column];
          countResult(result, tally);
          cell.append(el("span", "sr-only", `${name}: `));
          // The gutter has the line: the entry itself links to none.
          cell.append(this.log.renderEntry(result, { ...context, lineLinks: false, compact: true }));
          this.log.entries++;
        }
        line.append(cell);
      }
      this.grid.append(line);
    }
    this.updateBadges(output.clients);
    this.grid.classList.toggle("is-long", this.row > STICKY_ROWS);
  }

  divider(text) {
    this.row++;
    this.dividerRows.add(this.row);
    const line = el("p", "tick-divider", text);
    line.style.gridRow = String(this.row);
    this.grid.append(line);
  }
}

// A lesson example's expected output: as it is, or, when it has `@name` lines (redpad-cli's
// form for several clients), in a column per client like the output pane.
export function expectedOutput(text) {
  const value = String(text).replace(/\n$/, "");
  const { clients, segments } = parseClientSegments(value);
  if (!segments.some((segment) => segment.client !== MAIN)) return el("pre", null, value);
  const grid = el("div", "clients-grid expected-grid");
  grid.style.setProperty("--columns", String(clients.length));
  const heads = el("div", "client-row client-heads");
  // Colours as the Run will give them: main is client 1, the others follow in order.
  const ids = [MAIN, ...clients.filter((name) => name !== MAIN)].map((name, index) => ({ name, id: index + 1 }));
  clients.forEach((name, index) => {
    const head = el("div", `client-head slot-${colourSlot(name, ids)}`);
    head.style.gridColumn = String(index + 1);
    if (index === 0) head.classList.add("is-first");
    const title = el("span", "client-name");
    const dot = el("span", "client-dot");
    dot.setAttribute("aria-hidden", "true");
    title.append(dot, el("span", "sr-only", "Client "), name);
    head.append(title);
    heads.append(head);
  });
  grid.append(heads);
  segments.forEach((segment, index) => {
    const row = el("div", "client-row");
    clients.forEach((name, column) => {
      const cell = el("div", name === segment.client ? "client-cell" : "client-cell is-empty");
      if (column === 0) cell.classList.add("is-first");
      cell.style.gridColumn = String(column + 1);
      cell.style.gridRow = String(index + 2);
      if (name === segment.client) {
        cell.append(el("span", "sr-only", `${name}: `), el("pre", null, segment.text));
      }
      row.append(cell);
    });
    grid.append(row);
  });
  return grid;
}
