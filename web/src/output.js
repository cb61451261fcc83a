// The output pane: each command echoed after a redis-cli style prompt, then its reply
// exactly as redis-cli prints it. Errors are marked in text ("(error)", "Invalid
// argument(s)") and with a marker, not by colour alone.
import { StringStream } from "@codemirror/language";
import { tokenizeLines } from "./redis-mode.js";

const MAX_GROUPS = 40;
const MAX_ENTRIES = 6000;

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

export const formatCount = (n) => n.toLocaleString("en-US");

export function formatBytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
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
    }[style] ?? "plain"
  );
}

export function promptText({ db = 0, inMulti = false }) {
  return `redpad${db ? `[${db}]` : ""}${inMulti ? "(TX)" : ""}>`;
}

// Follows SELECT, MULTI, EXEC and DISCARD line by line, so every echo has the prompt
// redis-cli would have shown before it.
export function nextPromptState(state, result) {
  const words = result.text.trim().replace(/^\d+\s+/, "").split(/\s+/);
  const command = (words[0] ?? "").toUpperCase();
  const next = { ...state };
  if (result.kind !== "replies") return next;
  if (command === "EXEC" || command === "DISCARD") next.inMulti = false;
  if (result.error) return next;
  if (command === "MULTI") next.inMulti = true;
  if (command === "SELECT" && !state.inMulti && /^OK\n?$/.test(result.display)) {
    next.db = Number.parseInt(words[1]?.replace(/["']/g, ""), 10) || 0;
  }
  return next;
}

export class OutputLog {
  constructor(container, { onGoToLine }) {
    this.container = container;
    this.onGoToLine = onGoToLine;
    this.runs = 0;
    this.entries = 0;
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

  // Shows one run's results. Returns the prompt state after it and the failing lines.
  addRun({ title, kind = "run", output, prompt, lineLinks = true }) {
    const { group, heading } = this.startGroup(title, kind);
    let state = { ...prompt };
    const errorLines = [];
    let errors = output.omittedErrors ?? 0;
    let commands = 0;
    for (const result of output.results) {
      if (result.kind === "clear") {
        // redis-cli's `clear`: empties the screen, as it would.
        for (const old of [...this.container.children]) if (old !== group) old.remove();
        for (const old of [...group.querySelectorAll(".entry")]) old.remove();
        continue;
      }
      const entry = el("div", "entry");
      if (result.error) {
        entry.classList.add("is-error");
        errors++;
        errorLines.push(result.line);
      }
      commands++;
      const echo = el("div", "echo");
      echo.append(el("span", "prompt", promptText(state)));
      const command = el("span", "cmd");
      highlightInto(command, result.text);
      if (result.textOmittedChars) {
        command.append(el("span", "omitted-inline", ` … (${formatCount(result.textOmittedChars)} more characters)`));
      }
      echo.append(command);
      if (lineLinks) {
        const link = el("button", "line-link", `line ${result.line}`);
        link.type = "button";
        link.setAttribute("aria-label", `Go to line ${result.line} in the editor`);
        link.addEventListener("click", () => this.onGoToLine(result.line));
        echo.append(link);
      }
      entry.append(echo);
      state = nextPromptState(state, result);

      if (result.kind === "invalid") {
        entry.append(el("pre", "reply", result.display.replace(/\n$/, "")));
        entry.append(
          el(
            "p",
            "reply-hint",
            `Line ${result.line} could not be read, so it was not sent: a quote is left ` +
              "open, or text follows a closing quote.",
          ),
        );
      } else if (result.kind === "quit") {
        entry.append(el("p", "reply-hint", "The session ended here: lines after quit were not run."));
      } else {
        const display = result.display.replace(/\n$/, "");
        const reply = el("pre", result.kind === "help" ? "reply reply-help" : "reply", display);
        if (result.kind === "replies" && /^\(nil\)$|^\(empty array\)$/.test(display)) {
          reply.classList.add("reply-nil");
        }
        if (result.error) reply.prepend(el("span", "error-mark", "✕ "));
        entry.append(reply);
      }
      if (result.omittedLines || result.omittedChars) {
        entry.append(
          el(
            "p",
            "omitted",
            `… ${formatCount(result.omittedLines)} more line${result.omittedLines === 1 ? "" : "s"} ` +
              `(${formatBytes(result.omittedChars)}) not shown`,
          ),
        );
      }
      group.append(entry);
      this.entries++;
    }
    if (output.omittedResults) {
      const more = output.omittedResults;
      group.append(
        el(
          "p",
          "omitted",
          `… ${formatCount(more)} more command${more === 1 ? "" : "s"} ran but are not shown` +
            (output.omittedErrors ? ` (${formatCount(output.omittedErrors)} with errors)` : "") +
            ".",
        ),
      );
    }
    if (commands === 0 && !output.omittedResults) {
      group.append(el("p", "reply-hint", "Nothing to run: the script has only comments or blank lines."));
    }
    const total = commands + (output.omittedResults ?? 0);
    const summary = el(
      "span",
      "run-summary",
      `${formatCount(total)} command${total === 1 ? "" : "s"}` +
        (errors ? `, ${formatCount(errors)} error${errors === 1 ? "" : "s"}` : ""),
    );
    if (errors) summary.classList.add("has-errors");
    heading.append(summary);
    this.trim();
    // Show the start of this run (its first reply matters most).
    // (The container is position: relative, so offsetTop is measured from it.)
    this.container.scrollTop = Math.max(0, group.offsetTop - 4);
    return { state, errorLines, errors, commands: total };
  }
}
