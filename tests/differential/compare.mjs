// How the differential runners compare redis-server's output with redpad's, line by line,
// after a case's directives (tests/differential/README.md): `match` keeps only the lines
// matching a regular expression, `mask` replaces its matches with `*`, `unordered` sorts
// the lines without their array indexes, `tolerance N` lets integers differ by N.
// With { timing: true }, redis-cli's "(1.10s)" lines compare equal whatever their time.
export const TIMING = /^\(\d+\.\d\ds\)$/;

export function normalise(output, directives, { timing = false } = {}) {
  let lines = output.split("\n");
  if (timing) lines = lines.map((l) => (TIMING.test(l) ? "(N.NNs)" : l));
  for (const d of directives) {
    if (d.name === "match") {
      const re = new RegExp(d.value);
      lines = lines.filter((l) => re.test(l));
    } else if (d.name === "mask") {
      const re = new RegExp(d.value, "g");
      lines = lines.map((l) => l.replace(re, "*"));
    } else if (d.name === "unordered") {
      lines = lines.map((l) => l.replace(/^(\s*\d+\) )+/, "")).sort();
    }
  }
  return lines;
}

export function same(real, ours, directives, options = {}) {
  const a = normalise(real, directives, options);
  const b = normalise(ours, directives, options);
  if (a.length !== b.length) return false;
  const tolerance = directives.find((d) => d.name === "tolerance");
  const slack = tolerance ? Number(tolerance.value) : 0;
  const intLine = /^(.*\(integer\) )(-?\d+)$/;
  return a.every((line, i) => {
    if (line === b[i]) return true;
    const ma = intLine.exec(line);
    const mb = intLine.exec(b[i]);
    return slack > 0 && ma && mb && ma[1] === mb[1] && Math.abs(Number(ma[2]) - Number(mb[2])) <= slack;
  });
}

// ---- redis-cli's line splitting (sdssplitargs) ----
const isSpace = (c) => c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
const isHex = (c) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

// The arguments of a line (latin1 strings, one char per byte), or null when redis-cli would
// print "Invalid argument(s)".
export function splitArgs(line) {
  const args = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    let inDouble = false;
    let inSingle = false;
    let done = false;
    let current = "";
    while (!done) {
      const c = line[i];
      if (inDouble) {
        if (i >= n) return null; // unterminated quotes
        if (c === "\\" && line[i + 1] === "x" && isHex(line[i + 2]) && isHex(line[i + 3])) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === "\\" && i + 1 < n) {
          i++;
          const e = line[i];
          current += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "b" ? "\b"
            : e === "a" ? "\x07" : e;
        } else if (c === '"') {
          // the closing quote must be followed by a space or nothing
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          current += c;
        }
      } else if (inSingle) {
        if (i >= n) return null;
        if (c === "\\" && line[i + 1] === "'") {
          i++;
          current += "'";
        } else if (c === "'") {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          done = true;
        } else {
          current += c;
        }
      } else if (i >= n || c === " " || c === "\n" || c === "\r" || c === "\t" || c === "\0") {
        done = true;
      } else if (c === '"') {
        inDouble = true;
      } else if (c === "'") {
        inSingle = true;
      } else {
        current += c;
      }
      if (i < n) i++;
    }
    args.push(current);
  }
}

// ---- what a line makes the server wait, by construction ----
// How long a blocking command may wait, in seconds (Infinity: for ever), or null.
export function blockingTimeout(args) {
  const command = args[0].toLowerCase();
  let seconds = null;
  if (["blpop", "brpop", "bzpopmin", "bzpopmax", "blmove", "brpoplpush"].includes(command)) {
    seconds = Number(args[args.length - 1]);
  } else if (command === "blmpop" || command === "bzmpop") {
    seconds = Number(args[1]);
  } else if (command === "xread" || command === "xreadgroup") {
    const at = args.findIndex((a, i) => i > 0 && a.toLowerCase() === "block");
    if (at > 0) seconds = Number(args[at + 1]) / 1000;
  }
  if (seconds === null || Number.isNaN(seconds)) return null;
  return seconds === 0 ? Infinity : seconds;
}

// How long `DEBUG SLEEP <seconds>` sleeps, in milliseconds (0 for anything else). Redis
// reads the seconds with strtod: a leading number counts, anything else sleeps 0.
export function debugSleepMs(args) {
  if (args.length !== 3 || args[0].toLowerCase() !== "debug" || args[1].toLowerCase() !== "sleep") return 0;
  const seconds = parseFloat(args[2].trim());
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

// `WAIT numreplicas timeout` with no replica to wait for lasts its whole timeout (ms) when
// it asks for at least one; otherwise it answers at once.
function waitCommandMs(args) {
  if (args.length !== 3 || args[0].toLowerCase() !== "wait") return 0;
  if (!/^\d+$/.test(args[1]) || !/^\d+$/.test(args[2])) return 0;
  return Number(args[1]) > 0 ? Number(args[2]) : 0;
}

// For each line fed to redis-cli by one client alone (the single-client corpus): how long
// the case makes it last, in milliseconds, whatever the machine. That is what it sleeps
// (DEBUG SLEEP; WAIT for replicas there are not; a blocking command's timeout, a bound),
// times redis-cli's repeat count ("3 DEBUG SLEEP 0.2"); inside MULTI nothing, and EXEC the
// sleeps it queued. The machine adds its own time on top, never less.
export function lineWaits(commands) {
  let inMulti = false;
  let queued = 0;
  return commands.map((line) => {
    let args = splitArgs(line);
    if (!args || args.length === 0) return 0;
    let times = 1;
    // redis-cli's repeat prefix (strtol): a bad count is refused before anything is sent.
    if (args.length > 1 && /^[+-]?\d*$/.test(args[0])) {
      times = Number(args[0]);
      if (!(times > 0) || times > 2 ** 63) return 0;
      args = args.slice(1);
    }
    const command = args[0].toLowerCase();
    if (inMulti) {
      if (command === "exec" || command === "discard" || command === "reset") {
        inMulti = false;
        return command === "exec" ? queued : 0;
      }
      queued += times * debugSleepMs(args);
      return 0;
    }
    if (command === "multi") {
      inMulti = true;
      queued = 0;
      return 0;
    }
    const timeout = blockingTimeout(args);
    const blocking = timeout > 0 && Number.isFinite(timeout) ? timeout * 1000 : 0; // < 0: an error
    return times * (debugSleepMs(args) + waitCommandMs(args) + blocking);
  });
}

// redis-cli prints "(1.23s)" after a reply that took half a second or more, the machine's
// own delays included: a busy machine can add that line, or raise its value, where an idle
// one would not. Given what one line printed and what the case made it last (lineWaits),
// this is what redis-cli prints on a machine that adds nothing: no timing line under half
// a second, else the case's own time. A timing line below that time (which no machine can
// print) is kept as it is, to be seen.
export function caseTiming(output, waitedMs) {
  const lines = output.split("\n");
  const at = lines.length - 2; // the last line before the final newline
  if (at < 0 || lines[lines.length - 1] !== "" || !TIMING.test(lines[at])) return output;
  const shownMs = Number(lines[at].slice(1, -2)) * 1000;
  if (waitedMs < 500) lines.splice(at, 1);
  else if (shownMs >= waitedMs - 10) lines[at] = `(${(waitedMs / 1000).toFixed(2)}s)`;
  return lines.join("\n");
}
