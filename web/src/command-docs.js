// The command docs bar under the editor: the syntax, summary, complexity and version
// (COMMAND DOCS, from the engine's commands()) of the command the editor's cursor is on, or
// of the command focused or clicked in the output. Always two lines high, whatever it
// shows, so that the page does not move as the cursor does.
import { el } from "./dom.js";

// Shows `command` (an entry of commands.js's table, or { name, syntax, summary } for a line
// that is no command) in `bar`; null empties it.
export function showCommandDocs(bar, command) {
  if (!command) {
    bar.replaceChildren();
    bar.removeAttribute("title");
    bar.classList.remove("has-syntax");
    return;
  }
  const syntax = `${command.name} ${command.syntax}`.trim();
  const head = el("span", "syntax-head");
  head.append(el("code", "syntax-line", syntax));
  if (command.since) head.append(el("span", "syntax-since", `since ${command.since}`));
  const body = el("span", "syntax-body");
  body.append(el("span", "syntax-summary", command.summary));
  if (command.complexity) {
    const complexity = el("span", "syntax-complexity");
    complexity.append(el("span", "sr-only", "Complexity: "), command.complexity);
    body.append(complexity);
  }
  bar.replaceChildren(head, body);
  // The whole text, for a pointer resting on a line cut short.
  bar.title = [syntax, command.summary, command.complexity && `Complexity: ${command.complexity}`, command.since && `Since Redis ${command.since}`]
    .filter(Boolean)
    .join("\n");
  bar.classList.add("has-syntax");
}
