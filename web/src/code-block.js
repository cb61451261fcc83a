// Code shown in the lesson and the task panel (examples, the solution), coloured as the
// editor colours it. Keeps no state: the source stays on each block (data-source).
import { el } from "./dom.js";
import { highlightInto } from "./output.js";

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
