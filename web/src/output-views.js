// The two ways a run group lays out its entries, and the expected output of a lesson's
// example laid out the same way: PlainView (one client: entries one under the other, as
// redis-cli shows them) and ClientsView (several clients: a column per client, a row per
// moment). A view owns its group's layout (columns, rows, heads and their badges); the
// entries themselves, the tallies and the waits are OutputLog's (output.js), which it is
// given. Also the elements an entry shows its reply with (a reply, or that it was not kept,
// and what a cap cut from it).
import { el } from "./dom.js";
import { replyCutText } from "./output-text.js";
import {
  MAIN,
  clientBadges,
  colourSlot,
  columnsFor,
  isCommandEntry,
  layoutRows,
  parseClientSegments,
} from "./clients.js";

// A grid of more rows than this keeps its column heads in view as it scrolls.
const STICKY_ROWS = 8;

// A reply the engine did not keep: past the Run's reply budget it keeps no reply text.
const notKept = (result) => result.replies_not_kept > 0 && result.display === "";

// What a cap cut from an entry's reply, under it.
export function appendReplyCut(entry, result) {
  if (result.page_cut?.omitted_chars) entry.append(el("p", "omitted", replyCutText(result.page_cut)));
}

// The reply, or, past the Run's reply budget, a note that the engine did not keep it.
export function keptReply(result) {
  if (notKept(result)) {
    return el("p", "omitted", "(reply not kept: this Run's replies had passed the limit, see below)");
  }
  return replyBlock(result);
}

export function replyBlock(result) {
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

// A button that shows `line` in the editor.
export function lineLink(line, onGoToLine, text = `line ${line}`) {
  const link = el("button", "line-link", text);
  link.type = "button";
  link.setAttribute("aria-label", `Go to line ${line} in the editor`);
  link.addEventListener("click", () => onGoToLine(line));
  return link;
}

// A group of one client (`main`): entries one under the other, as redis-cli shows them.
export class PlainView {
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
        this.log.clearAbove(group);
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

// A column head's name: the client's colour dot, then its name.
function clientName(name) {
  const title = el("span", "client-name");
  const dot = el("span", "client-dot");
  dot.setAttribute("aria-hidden", "true");
  title.append(dot, el("span", "sr-only", "Client "), name);
  return title;
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
export class ClientsView {
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
      head.append(clientName(name), el("span", "client-badges"));
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
        this.log.clearAbove(this.group);
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
    head.append(clientName(name));
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
