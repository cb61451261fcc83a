// The output pane's wording, as pure functions of what the engine answered: counts and
// sizes, what a cap cut from a reply or a Run (the caps are limits.js's), why a Run
// stopped, the redis-cli style prompts and the virtual clock's time of day. Owns no state
// and touches no page, so the page unit tests import it directly.
import { LIMITS } from "./limits.js";

export const formatCount = (n) => n.toLocaleString("en-US");

export function formatBytes(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const plural = (n, word, words = `${word}s`) => `${formatCount(n)} ${n === 1 ? word : words}`;

// What was cut from one reply, and which cap cut it (an entry's page_cut, worker.js).
export function replyCutText({ omitted_lines: omittedLines, omitted_chars: omittedChars, cut_by: cutBy }) {
  const why = {
    lines: `a reply shows at most ${formatCount(LIMITS.replyLines)} lines here`,
    chars: `a reply shows at most ${formatBytes(LIMITS.replyChars)} here`,
    run_lines: `the output of one Run shows at most ${formatCount(LIMITS.runLines)} lines`,
  }[cutBy];
  // Cut by size, the reply may stop in the middle of a line: its size says what is left.
  const cut =
    cutBy === "chars"
      ? `… ${formatBytes(omittedChars)} more of this reply not shown`
      : `… ${plural(omittedLines, "more line")} (${formatBytes(omittedChars)}) not shown`;
  return why ? `${cut}: ${why}.` : `${cut}.`;
}

// Results of a Run not shown, and which cap left them out (worker.js's omitted_because).
export function omittedResultsText({
  omitted_results: omittedResults,
  omitted_errors: omittedErrors,
  omitted_because: omittedBecause,
}) {
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

// The engine stopped the script: { reason: "max_commands", limit, line, cut_short }.
export function stoppedText(stopped) {
  const where = stopped?.cut_short
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

// An entry's prompt ({ db, in_multi }: the engine's state before its line) as redis-cli
// shows it.
export function promptText({ db = 0, in_multi: inMulti = false }) {
  return `redpad${db ? `[${db}]` : ""}${inMulti ? "(TX)" : ""}>`;
}

// The prompt in a client's column: ">", "[1]>", "(TX)>".
export function compactPromptText({ db = 0, in_multi: inMulti = false }) {
  return `${db ? `[${db}]` : ""}${inMulti ? "(TX)" : ""}>`;
}

// The virtual clock's time of day (UTC), as a tick's divider shows it.
export const clockText = (ms) => {
  const date = new Date(ms);
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
};
