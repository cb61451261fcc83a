// The output pane: each command echoed after a redis-cli style prompt, then its reply
// exactly as redis-cli prints it. Errors are marked in text ("(error)", "Invalid
// argument(s)") and with a marker, not by colour alone. A Run with several clients
// (docs/clients.md) is shown in columns, one per client, its entries in rows in the order
// they happened; a blocked command shows that it waits until its answer arrives.
// Owns the pane's contents and what outlives one Run there: the groups (trimmed to a
// bound), each group's view, the blocked commands still waiting and the client list the
// last output ended with. The wording is output-text.js's, the layouts output-views.js's.
import { LIMITS } from "./limits.js";
import { el } from "./dom.js";
import { highlightInto } from "./code-block.js";
import { MAIN, causeText, involvesClients, isClientLine, isCommandEntry, stuckHints, waitingText } from "./clients.js";
import {
  clockText,
  compactPromptText,
  formatCount,
  omittedResultsText,
  outputCutText,
  plural,
  promptText,
  stoppedText,
} from "./output-text.js";
import { ClientsView, PlainView, appendReplyCut, keptReply, lineLink, replyBlock } from "./output-views.js";
import { explainReply } from "./reply-explain.js";

const MAX_GROUPS = 40;
const MAX_ENTRIES = 6000;

// The tallies of what a group shows: commands (lines the script sent), errors, and the
// lines that failed (marked in the editor).
const newTally = () => ({ commands: 0, errors: 0, errorLines: [] });

export class OutputLog {
  constructor(container, { onGoToLine, onFocusCommand = () => {} }) {
    this.container = container;
    this.onGoToLine = onGoToLine;
    // A command entry focused (its line link, its reply's meaning) or clicked: its docs show.
    const focusCommand = (event) => {
      const target = event.target.closest?.(".entry[data-command], .client-row");
      const entry = target?.matches(".client-row") ? target.querySelector(".entry[data-command]") : target;
      if (entry) onFocusCommand(entry.dataset.command);
    };
    container.addEventListener("focusin", focusCommand);
    container.addEventListener("click", focusCommand);
    this.runs = 0;
    this.entries = 0;
    // Blocked commands still waiting: client name -> { node (the line under the command),
    // text, countdown, timeoutAt, line, group }. Their answer (a blocked_reply entry, in this Run,
    // a later one or a tick's) ends the wait.
    this.waiting = new Map();
    // The server's clients as the last output described them.
    this.clients = [];
    this.views = new WeakMap(); // run group -> its view (PlainView or ClientsView)
    this.entryOf = new WeakMap(); // result -> the entry element showing it (the step timeline's)
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
      plural(total, "command") + (errors ? `, ${plural(errors, "error")}` : ""),
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
    this.entryOf.set(result, entry);
    if (result.error) entry.classList.add("is-error");
    if (result.command) entry.dataset.command = result.command;
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
    } else {
      entry.append(keptReply(result));
      explainReply(entry, result);
    }
    appendReplyCut(entry, result);
    return entry;
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
    entry.append(head, keptReply(result));
    explainReply(entry, result);
    appendReplyCut(entry, result);
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
    entry.append(head, replyBlock(result));
    appendReplyCut(entry, result);
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

  // redis-cli's `clear` in `group`: everything above the group goes (the group's view
  // empties its own rows).
  clearAbove(group) {
    for (const old of [...this.container.children]) if (old !== group) old.remove();
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
