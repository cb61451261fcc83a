// The learner's workspace: the script editor (editor.js) and the output log (output.js).
// Owns both, the command docs bar under the editor (drawn by command-docs.js) and the timer
// that saves the editor's text for the open lesson (progress.js).
import { createEditor, goToLine, replaceText, commandOfLine, setErrorLines } from "./editor.js";
import { OutputLog } from "./output.js";
import { clientOfLine, isClientLine } from "./clients.js";
import { $ } from "./dom.js";
import { showCommandDocs } from "./command-docs.js";
import { commandNamed } from "./commands.js";
import { currentLesson, progress } from "./course.js";

export let editorView = null;
export let outputLog = null;
let saveTimer = null;

// The editor and the output log in their places on the page; `onRun` runs the editor's
// script (Ctrl+Enter).
export function createWorkspace({ onRun }) {
  editorView = createEditor({
    parent: $("editor"),
    label: "Your script: Redis commands, one per line",
    describedBy: "editor-hint",
    onRun,
    onChange: onEditorChange,
    onCursorLine,
  });
  outputLog = new OutputLog($("output"), {
    onGoToLine: (line) => goToLine(editorView, line),
    onFocusCommand: onOutputCommand,
  });
}

// The editor's lines whose commands failed in the last Run (none: a fresh server).
export function markErrorLines(lines) {
  editorView?.dispatch({ effects: setErrorLines.of(lines) });
}

export function saveEditorNow() {
  clearTimeout(saveTimer);
  saveTimer = null;
  if (!currentLesson || !editorView) return;
  progress.setScript(currentLesson.entry.id, editorView.state.doc.toString());
}

function onEditorChange() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(saveEditorNow, 400);
}

export function onCursorLine(text) {
  const bar = $("syntax-bar");
  if (isClientLine(text)) {
    const name = clientOfLine(text);
    const summary = name
      ? `The lines after this one run as the client “${name}”: a connection of its own, until the next @ line.`
      : "Switches the client: @ and a name of 1 to 32 letters, digits, -, _, . or :, alone on its line.";
    showCommandDocs(bar, { name: name ? `@${name}` : "@name", syntax: "", summary });
    return;
  }
  showCommandDocs(bar, commandOfLine(text));
}

// A command focused or clicked in the output (its engine name: "object|encoding").
function onOutputCommand(name) {
  showCommandDocs($("syntax-bar"), commandNamed(name));
}

export function loadIntoEditor(text, what) {
  const current = editorView.state.doc.toString();
  if (current === text) {
    editorView.focus();
    return;
  }
  replaceText(editorView, text);
  editorView.focus();
  if (current.trim()) {
    outputLog.note(`Loaded ${what} into the editor. Ctrl+Z brings your previous script back.`, "info");
  }
}
