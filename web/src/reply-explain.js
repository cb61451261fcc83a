// The plain-words line under a reply that a newcomer may not read at once ((nil), an
// (integer) 0, an error...). What each means is reply-meanings.js's table, loaded the first
// time a reply may need it, so that a first visit does not download it. The line is an
// element of its own after the reply's text: the reply stays exactly what redis-cli prints,
// and copying the output does not take the explanation along (style.css: user-select).
import { el } from "./dom.js";

// Replies the table may explain; anything else (OK, a value...) never loads it.
const MAY_HAVE_MEANING = /^\((nil|integer|empty array|error)\)|^\d+\) \(nil\)$/m;
const EXPLAINED_KINDS = new Set(["command_reply", "blocked_reply"]);

let table = null; // the import of reply-meanings.js, once asked for

// Adds the meaning of `result`'s reply under it in `entry`, when the table has one.
export function explainReply(entry, result) {
  if (!EXPLAINED_KINDS.has(result.kind) || !MAY_HAVE_MEANING.test(result.display)) return;
  table ??= import("./reply-meanings.js");
  table.then(
    ({ meaningOf }) => {
      const meaning = meaningOf(result);
      const reply = entry.querySelector(":scope > .reply");
      if (meaning && reply) reply.after(meaningLine(meaning));
    },
    (error) => {
      // Not fetched (offline?): the reply stands alone; the next reply asks again.
      table = null;
      console.warn("redpad: the reply meanings could not be loaded", error);
    },
  );
}

// A note the keyboard reaches (Tab), labelled for screen readers.
function meaningLine(meaning) {
  const line = el("p", meaning.why ? "reply-meaning meaning-error" : "reply-meaning");
  line.setAttribute("role", "note");
  line.setAttribute("aria-label", meaning.why ? "Why this error, and what to do" : "What this reply means");
  line.tabIndex = 0;
  const mark = el("span", "meaning-mark", "?");
  mark.setAttribute("aria-hidden", "true");
  const text = el("span", "meaning-text");
  if (meaning.why) {
    text.append(el("strong", null, "Why: "), meaning.why, " ", el("strong", null, "What to do: "), meaning.todo);
  } else {
    text.append(meaning.text);
  }
  line.append(mark, text);
  return line;
}
