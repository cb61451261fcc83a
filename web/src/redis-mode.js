// Highlighting for redis-cli scripts: commands, options, strings, numbers, `#` comments,
// ` -- ` trailing comments, and `@name` lines switching the client (docs/clients.md). A
// CodeMirror stream parser, also used to colour the lesson's examples. The words it knows
// are the engine's (commands.js): until the engine has started every word is plain, and the
// page colours its code again once they are known.

import { CLIENT_LINE_REST } from "./clients.js";
import { known } from "./commands.js";

export const redisMode = {
  name: "redis",
  startState: () => ({ arg: 0, command: "", client: false }),
  copyState: (state) => ({ ...state }),
  token(stream, state) {
    if (stream.sol()) {
      state.arg = 0;
      state.command = "";
      state.client = false;
    }
    if (stream.eatSpace()) return null;
    // `@worker-1` alone on its line (a ` -- comment` may follow): the lines after it run as
    // that client. Anything else after an `@` is refused by the engine: marked invalid.
    if (state.arg === 0 && stream.peek() === "@") {
      state.arg++;
      if (stream.match(/^@[A-Za-z0-9_.:-]{1,32}(?=\s|$)/) && CLIENT_LINE_REST.test(stream.string.slice(stream.pos))) {
        state.client = true;
        return "labelName";
      }
      stream.skipToEnd();
      return "invalid";
    }
    if (state.client) {
      // The comment after a client line.
      stream.skipToEnd();
      return "comment";
    }
    // `#` as the first thing on a line, or ` -- ` after whitespace: the rest is a comment.
    if (state.arg === 0 && stream.peek() === "#") {
      stream.skipToEnd();
      return "comment";
    }
    if (state.arg > 0 && stream.match(/^--(?=\s|$)/)) {
      stream.skipToEnd();
      return "comment";
    }
    const quote = stream.peek();
    if (quote === '"' || quote === "'") {
      stream.next();
      let escaped = false;
      let closed = false;
      while (!stream.eol()) {
        const c = stream.next();
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === quote) {
          closed = true;
          break;
        }
      }
      state.arg++;
      // An unclosed quote, or text glued to the closing quote: redis-cli refuses the line.
      if (!closed || (!stream.eol() && !/\s/.test(stream.peek()))) {
        stream.eatWhile(/\S/);
        return "invalid";
      }
      return "string";
    }
    const word = stream.match(/^\S+/)?.[0] ?? (stream.next(), "");
    const upper = word.toUpperCase();
    if (state.arg === 0 && /^\d+$/.test(word)) return "number"; // a repeat count: `3 INCR n`
    state.arg++;
    if (state.arg === 1) {
      state.command = upper;
      return known.commands.has(upper) ? "keyword" : "variableName.special";
    }
    if (state.arg === 2 && known.subcommands.get(state.command)?.has(upper)) return "keyword";
    if (/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(word)) return "number";
    if (known.options.has(upper)) return "atom";
    return null;
  },
  languageData: {
    commentTokens: { line: "#" },
  },
};

// Splits a script into highlighted spans for static display: [[text, style|null], ...] per
// line. Uses the same tokenizer as the editor. The page colours code the engine has not run
// (a lesson's examples, an echoed command) synchronously, as it draws it: the engine, in
// its worker, answers only asynchronously, so this tokenizer stays the page's own.
export function tokenizeLines(text, StringStream) {
  const state = redisMode.startState();
  return text.split("\n").map((line) => {
    const spans = [];
    const stream = new StringStream(line, 2, 2);
    if (line === "") return spans;
    while (!stream.eol()) {
      const style = redisMode.token(stream, state);
      spans.push([line.slice(stream.start, stream.pos), style]);
      stream.start = stream.pos;
    }
    return spans;
  });
}
