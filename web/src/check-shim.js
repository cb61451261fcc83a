// Task checks for an engine that does not evaluate them itself yet.
//
// The engine's own `redis.check(checks)` (evaluated in C++ against the state and the
// transcript, so the page and the headless validator share one implementation) replaces
// this as soon as redpad.mjs has it: see worker.js. Until then this covers the kinds the
// caching lesson uses, with the same result shape: [{ passed, message, detail }].

// Splits a redis-cli line into arguments (quotes and the usual escapes), enough to match
// patterns like `SET lock:task worker-1 *`.
export function splitArgs(line) {
  const args = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let arg = "";
    while (i < line.length && !/\s/.test(line[i])) {
      const quote = line[i];
      if (quote === '"' || quote === "'") {
        i++;
        while (i < line.length && line[i] !== quote) {
          if (line[i] === "\\" && i + 1 < line.length) {
            i++;
            arg += quote === '"' ? ({ n: "\n", t: "\t", r: "\r" }[line[i]] ?? line[i]) : line[i];
          } else {
            arg += line[i];
          }
          i++;
        }
        i++;
      } else {
        arg += line[i++];
      }
    }
    args.push(arg);
  }
  return args;
}

// Redis-style glob (`*`, `?`), case-insensitive, over the whole text.
export function globMatch(pattern, text) {
  const source = pattern
    .split("")
    .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`, "is").test(text);
}

const quoteArg = (value) => `"${String(value).replace(/["\\]/g, "\\$&")}"`;
const plain = (display) => display.replace(/\n$/, "");

function probe(redis, command, key) {
  const { results } = redis.run(`${command} ${quoteArg(key)}`);
  return results[0]?.replies?.[0] ?? { type: "nil" };
}

function evaluate(redis, transcript, check, aheadMs = 0) {
  switch (check.kind) {
    case "command": {
      const matching = transcript.filter((entry) =>
        globMatch(check.pattern, splitArgs(entry.text).join(" ")),
      );
      if (matching.length === 0) {
        return { passed: false, detail: `No command matching \`${check.pattern}\` was run yet.` };
      }
      if (check.reply === undefined) return { passed: true, detail: "" };
      if (matching.some((entry) => plain(entry.display) === check.reply)) {
        return { passed: true, detail: "" };
      }
      const last = matching[matching.length - 1];
      return {
        passed: false,
        detail: `\`${last.text.trim()}\` replied ${plain(last.display)}; expected ${check.reply}.`,
      };
    }
    case "no_errors": {
      const failed = transcript.find((entry) => entry.error);
      return failed
        ? { passed: false, detail: `\`${failed.text.trim()}\` returned an error.` }
        : { passed: true, detail: "" };
    }
    case "exists":
    case "missing": {
      const pttl = probe(redis, "PTTL", check.key).value;
      const exists = pttl !== -2 && (pttl === -1 || pttl > aheadMs);
      const passed = check.kind === "exists" ? exists : !exists;
      return { passed, detail: passed ? "" : `${check.key} ${exists ? "exists" : "does not exist"}.` };
    }
    case "type": {
      const type = probe(redis, "TYPE", check.key).value;
      return {
        passed: type === check.type,
        detail: type === check.type ? "" : `${check.key} is of type ${type}.`,
      };
    }
    case "value": {
      const reply = probe(redis, "GET", check.key);
      if (reply.type === "error") return { passed: false, detail: `${check.key} is not a string.` };
      if (reply.type === "nil") return { passed: false, detail: `${check.key} does not exist.` };
      return {
        passed: reply.value === check.equals,
        detail: reply.value === check.equals ? "" : `${check.key} holds ${quoteArg(reply.value)}.`,
      };
    }
    case "ttl": {
      const pttl = probe(redis, "PTTL", check.key).value;
      if (pttl === -2) return { passed: false, detail: `${check.key} does not exist.` };
      if (pttl === -1) return { passed: false, detail: `${check.key} has no expiry.` };
      const seconds = Math.round(pttl / 1000);
      const passed = seconds >= (check.min ?? -Infinity) && seconds <= (check.max ?? Infinity);
      return { passed, detail: passed ? "" : `Its TTL is ${seconds} s.` };
    }
    case "after":
      if (check.check.kind === "exists" || check.check.kind === "missing") {
        return evaluate(redis, transcript, check.check, check.seconds * 1000);
      }
      return { passed: false, detail: "This check needs a newer engine." };
    default:
      return { passed: false, detail: `Unknown check kind "${check.kind}".` };
  }
}

export function shimCheck(redis, transcript, checks) {
  return checks.map((check) => ({ message: check.message, ...evaluate(redis, transcript, check) }));
}
