// The output pane: each command echoed after a redis-cli style prompt, then its reply
// exactly as redis-cli prints it. Errors are marked in text ("(error)", "Invalid
// argument(s)") and with a marker, not by colour alone.
import { StringStream } from "@codemirror/language";
import { tokenizeLines } from "./redis-mode.js";
import { LIMITS } from "./limits.js";

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

const plural = (n, word, words = `${word}s`) => `${formatCount(n)} ${n === 1 ? word : words}`;

// What was cut from one reply, and which cap cut it (worker.js's cutBy).
export function replyCutText({ omittedLines, omittedChars, cutBy }) {
  const why = {
    lines: `a reply shows at most ${formatCount(LIMITS.replyLines)} lines here`,
    chars: `a reply shows at most ${formatBytes(LIMITS.replyChars)} here`,
    runLines: `the output of one Run shows at most ${formatCount(LIMITS.runLines)} lines`,
  }[cutBy];
  // Cut by size, the reply may stop in the middle of a line: its size says what is left.
  const cut =
    cutBy === "chars"
      ? `… ${formatBytes(omittedChars)} more of this reply not shown`
      : `… ${plural(omittedLines, "more line")} (${formatBytes(omittedChars)}) not shown`;
  return why ? `${cut}: ${why}.` : `${cut}.`;
}

// Results of a Run not shown, and which cap left them out (worker.js's omittedBecause).
export function omittedResultsText({ omittedResults, omittedErrors, omittedBecause }) {
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

// The engine stopped the script: { reason: "max_commands", limit, line, cutShort }.
export function stoppedText(stopped) {
  const where = stopped?.cutShort
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
        command.append(
          el(
            "span",
            "omitted-inline",
            ` … (${plural(result.textOmittedChars, "more character")} of this line not shown: ` +
              `a command is echoed up to ${formatCount(LIMITS.commandChars)} characters)`,
          ),
        );
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
      } else if (result.notKept) {
        entry.append(el("p", "omitted", "(reply not kept: this Run's replies had passed the limit, see below)"));
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
        entry.append(el("p", "omitted", replyCutText(result)));
      }
      group.append(entry);
      this.entries++;
    }
    if (output.omittedResults) {
      group.append(el("p", "omitted", omittedResultsText(output)));
    }
    if (output.outputCut) {
      const cut = el("p", "run-limit run-cut", outputCutText(output.outputCut));
      cut.setAttribute("role", "note");
      group.append(cut);
    }
    if (output.stopped) {
      const stopped = el("p", "run-limit run-stopped", stoppedText(output.stopped));
      stopped.setAttribute("role", "note");
      if (lineLinks && output.stopped.line) {
        const link = el("button", "line-link", `line ${output.stopped.line}`);
        link.type = "button";
        link.setAttribute("aria-label", `Go to line ${output.stopped.line} in the editor`);
        link.addEventListener("click", () => this.onGoToLine(output.stopped.line));
        stopped.append(" ", link);
      }
      group.append(stopped);
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
