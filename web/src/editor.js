// The script editor: CodeMirror 6 with the Redis mode, line numbers, Ctrl/Cmd-Enter to run,
// command completion with each command's syntax line, and marks on lines that failed.
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  placeholder,
  Decoration,
} from "@codemirror/view";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { StreamLanguage, HighlightStyle, syntaxHighlighting } from "@codemirror/language";
// No automatic closing quotes: in redis-cli lines an unbalanced quote is a real error the
// learner should see, and JSON values ('{"a":1}') type more predictably without it.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { tags } from "@lezer/highlight";
import { redisMode } from "./redis-mode.js";
import { commandTable, known } from "./commands.js";
import { clientNamesIn, isClientLine } from "./clients.js";

const redisLanguage = StreamLanguage.define(redisMode);

const redisHighlight = HighlightStyle.define([
  { tag: tags.keyword, class: "tok-command" },
  { tag: tags.atom, class: "tok-option" },
  { tag: tags.string, class: "tok-string" },
  { tag: tags.number, class: "tok-number" },
  { tag: tags.comment, class: "tok-comment" },
  { tag: tags.invalid, class: "tok-invalid" },
  { tag: tags.special(tags.variableName), class: "tok-unknown" },
  { tag: tags.labelName, class: "tok-client" },
]);

// The command a line starts with (after an optional repeat count), with its table entry.
// The editor reads the line being typed itself: completion and the syntax hint work on text
// that has not run, as each key is pressed, and the engine (in its worker) answers only
// asynchronously, so it cannot provide this. A run's entries carry the engine's own reading
// (`command`), which the output uses.
export function commandOfLine(text) {
  const words = text.replace(/^\s*\d+\s+/, "").trim().split(/\s+/);
  if (!words[0] || words[0].startsWith("#") || words[0].startsWith("@")) return null;
  const name = words[0].toUpperCase();
  const sub = words[1] && commandTable.get(`${name} ${words[1].toUpperCase()}`);
  return sub ?? commandTable.get(name) ?? null;
}

function completionInfo(command) {
  return () => {
    const box = document.createElement("div");
    box.className = "completion-info";
    const syntax = document.createElement("code");
    syntax.textContent = `${command.name} ${command.syntax}`.trim();
    const summary = document.createElement("p");
    summary.textContent = command.summary;
    const meta = document.createElement("p");
    meta.className = "completion-meta";
    meta.textContent = `${command.group} · since ${command.since}`;
    box.append(syntax, summary, meta);
    return box;
  };
}

// Completes command names at the start of a line, subcommands after a container command
// (OBJECT ENCODING), and the option words of the command's syntax line (NX, EX...). On an
// `@` line (a client switch), only the names of the script's other clients.
function redisCompletions(context) {
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  if (isClientLine(before)) return clientCompletions(context, line, before);
  if (/^\s*#/.test(before) || /\s--\s/.test(before)) return null;
  if ((before.match(/"/g)?.length ?? 0) % 2 === 1) return null;
  const word = /[A-Za-z][\w-]*$/.exec(before)?.[0] ?? "";
  if (!word && !context.explicit) return null;
  const from = context.pos - word.length;
  const head = before.slice(0, before.length - word.length);
  const upper = word.toUpperCase();
  const keep = (label) => label.startsWith(upper) && label !== upper;
  let options = [];
  if (/^\s*(\d+\s+)?$/.test(head)) {
    const seen = new Set();
    for (const command of commandTable.values()) {
      const name = command.name.split(" ")[0];
      if (seen.has(name) || !keep(name)) continue;
      seen.add(name);
      const top = commandTable.get(name) ?? command;
      options.push({
        label: name,
        detail: top === command && top.syntax ? top.syntax : "",
        info: completionInfo(top),
        apply: `${name} `,
        type: "keyword",
      });
    }
  } else {
    const words = head.replace(/^\s*\d+\s+/, "").trim().split(/\s+/);
    const name = words[0]?.toUpperCase();
    if (words.length === 1 && known.subcommands.has(name)) {
      for (const sub of known.subcommands.get(name)) {
        const command = commandTable.get(`${name} ${sub}`);
        if (!command || !keep(sub)) continue;
        options.push({
          label: sub,
          detail: command.syntax,
          info: completionInfo(command),
          apply: `${sub} `,
          type: "keyword",
        });
      }
    } else {
      // Option words pop up while typing only when typed in capitals (NX, EX...): a key
      // or value typed in lower case ("x", "ex-wife") must not turn into an option on Enter.
      if (!context.explicit && word !== word.toUpperCase()) return null;
      const command = commandOfLine(head);
      const words = new Set(command?.syntax.match(/\b[A-Z][A-Z0-9_-]+\b/g) ?? []);
      for (const option of words) {
        if (keep(option)) options.push({ label: option, type: "constant", detail: "option" });
      }
    }
  }
  if (!options.length) return null;
  return { from, options, validFor: /^[A-Za-z][\w-]*$/ };
}

// After `@` at the start of a line: the client names the script already uses elsewhere
// (read from the editor's text as it is typed, which has not run: see commandOfLine).
function clientCompletions(context, line, before) {
  const typed = /^\s*@([A-Za-z0-9_.:-]*)$/.exec(before);
  if (!typed) return null;
  const doc = context.state.doc;
  const others = doc.toString().split("\n").filter((_, index) => index !== line.number - 1).join("\n");
  const options = clientNamesIn(others)
    .filter((name) => name.startsWith(typed[1]) && name !== typed[1])
    .map((name) => ({ label: `@${name}`, apply: name, detail: "client", type: "variable" }));
  if (!options.length) return null;
  return { from: context.pos - typed[1].length, options, filter: false };
}

// Lines whose command failed in the last run, marked until the text changes.
export const setErrorLines = StateEffect.define();
const errorLineMark = Decoration.line({ class: "cm-errorLine" });
const errorLines = StateField.define({
  create: () => Decoration.none,
  update(marks, transaction) {
    if (transaction.docChanged) return Decoration.none;
    for (const effect of transaction.effects) {
      if (!effect.is(setErrorLines)) continue;
      const doc = transaction.state.doc;
      const ranges = [...new Set(effect.value)]
        .filter((n) => n >= 1 && n <= doc.lines)
        .sort((a, b) => a - b)
        .map((n) => errorLineMark.range(doc.line(n).from));
      return Decoration.set(ranges);
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor({ parent, label, describedBy, onRun, onChange, onCursorLine }) {
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    drawSelection(),
    highlightActiveLine(),
    redisLanguage,
    syntaxHighlighting(redisHighlight),
    autocompletion({ override: [redisCompletions], icons: false, maxRenderedOptions: 60 }),
    errorLines,
    placeholder("# Type Redis commands here, one per line, then press Run."),
    EditorView.lineWrapping,
    keymap.of([
      // Before defaultKeymap, which binds Mod-Enter to insertBlankLine.
      { key: "Mod-Enter", run: () => (onRun(), true), preventDefault: true },
      ...completionKeymap,
      ...historyKeymap,
      ...defaultKeymap,
    ]),
    EditorView.contentAttributes.of({
      // The textbox is in the tab order already (contenteditable); said with a tabindex too,
      // so that checkers such as axe (scrollable-region-focusable) see that the scroller
      // around it has keyboard-focusable content. No tab stop is added.
      tabindex: "0",
      "aria-label": label,
      ...(describedBy ? { "aria-describedby": describedBy } : {}),
    }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) onChange(update.state.doc.toString());
      if (update.docChanged || update.selectionSet) {
        onCursorLine(update.state.doc.lineAt(update.state.selection.main.head).text);
      }
    }),
  ];
  const view = new EditorView({ parent, state: EditorState.create({ doc: "", extensions }) });
  view.redpadExtensions = extensions;
  return view;
}

// A new document (its own undo history) for another lesson; { readOnly: true } when there
// is no lesson to type for.
export function loadDocument(view, text, { readOnly = false } = {}) {
  const extensions = readOnly
    ? [view.redpadExtensions, EditorState.readOnly.of(true), EditorView.editable.of(false)]
    : view.redpadExtensions;
  view.setState(EditorState.create({ doc: text, extensions }));
}

// Replaces the text as one undoable change (Ctrl+Z brings the learner's text back).
export function replaceText(view, text) {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    selection: { anchor: text.length },
    scrollIntoView: true,
  });
}

export function goToLine(view, number) {
  const line = view.state.doc.line(Math.min(Math.max(1, number), view.state.doc.lines));
  view.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
  view.focus();
}
