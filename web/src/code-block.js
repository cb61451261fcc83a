// Code shown in the lesson and the task panel (examples, the solution), coloured as the
// editor colours it (also the commands the output pane echoes: highlightInto). Keeps no
// state: the source stays on each block (data-source).
import { StringStream } from "@codemirror/language";
import { tokenizeLines } from "./redis-mode.js";
import { el } from "./dom.js";

export function renderCode(text) {
  const pre = el("pre", "code-block");
  const code = el("code");
  code.dataset.source = text;
  highlightInto(code, text);
  pre.append(code);
  return pre;
}

// A lesson shown before the engine was ready was coloured with a few command names only
// (EVAL, BLMOVE... looked unknown): once the engine's table is learnt, colour it again.
export function recolourCode() {
  for (const code of document.querySelectorAll("pre.code-block > code[data-source]")) {
    code.replaceChildren();
    highlightInto(code, code.dataset.source);
  }
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
