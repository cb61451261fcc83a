// redpad's JavaScript API: a Redis 7.0 engine with a virtual clock, in WebAssembly.
//
//   import { createRedpad } from "./redpad.mjs";
//   const redis = await createRedpad();
//   const { results } = redis.run('SET lock "worker-1" NX EX 30\nGET lock');
//   results[1].display   // '"worker-1"\n', exactly as redis-cli prints it
//
// In Node, pass the module's bytes: createRedpad({ wasmBinary: fs.readFileSync(path) }); or
// a compiled module: createRedpad({ wasmModule: await WebAssembly.compile(bytes) }).
//
// Two builds of the engine sit beside this file: redpad-engine.{mjs,wasm}, without Lua (EVAL
// and SCRIPT LOAD answer that they need the other one), and redpad-engine-lua.{mjs,wasm},
// with it. The default is the one without; for scripts, pass the other's module factory and
// bytes (each .mjs matches its own .wasm only):
//
//   import createLuaModule from "./redpad-engine-lua.mjs";
//   createRedpad({ createModule: createLuaModule, wasmBinary: fs.readFileSync(".../redpad-engine-lua.wasm") });
//
// scriptNeedsLua(text) tells whether a script has a line that needs the engine with Lua.
//
// What run(), tick(), check(), snapshot() and commands() answer is defined once, as a JSON
// Schema: contract.schema.json beside this file ($defs run_answer, check_answer,
// snapshot_answer, commands_answer). tests/web/contract.test.mjs holds the engine to it.

// The commands that need Lua (SCRIPT EXISTS and FLUSH do not, but a false "yes" only costs
// a download, a false "no" an error for the learner).
const LUA_COMMANDS = new Set(["eval", "evalsha", "eval_ro", "evalsha_ro", "script"]);

// Whether a script (redis-cli lines, `#` comment lines, `@name` client lines) has a line
// whose command is EVAL, EVALSHA, EVAL_RO, EVALSHA_RO or SCRIPT, in any case, written as
// redis-cli reads it: quoted ("EVAL", 'eval', EV"AL"), after a repeat count (3 EVAL ...), after
// blanks. It errs on the side of yes.
export function scriptNeedsLua(text) {
  const script = String(text ?? "");
  for (let start = 0; start <= script.length; ) {
    let end = script.indexOf("\n", start);
    if (end === -1) end = script.length;
    // Only a line whose first word starts with "eval" or "script", holds a quote (EV"AL",
    // "\x45VAL") or is a repeat count is read in full: a 100,000-line paste costs milliseconds.
    if (mayNeedLua(script, start, end) && lineNeedsLua(script.slice(start, end))) return true;
    start = end + 1;
  }
  return false;
}

// Whether a line (script[start, end)) can need Lua: its first word, or the word after a
// repeat count, starts with "eval" or "script", or holds a quote.
function mayNeedLua(script, start, end) {
  let i = skipBlanks(script, start, end);
  for (let word = 0; word < 2; word++) {
    let j = i;
    for (; j < end && !endsWord(script[j]); j++) {
      if (script[j] === '"' || script[j] === "'") return true;
    }
    const head = script.slice(i, Math.min(j, i + 6)).toLowerCase();
    if (head.startsWith("eval") || head === "script") return true;
    if (word === 1 || !/^[+-]?\d+$/.test(script.slice(i, j))) return false;
    i = skipBlanks(script, j, end);
  }
  return false;
}

function skipBlanks(text, start, end) {
  while (start < end && isBlank(text[start])) start++;
  return start;
}

// Whether a lesson's task checks (an array, or its JSON text) run a command that needs Lua:
// a "reply" check runs its `command` (an "after" check holds another check).
export function checksNeedLua(checks) {
  let value = checks;
  if (typeof checks === "string") {
    try {
      value = JSON.parse(checks);
    } catch {
      return false; // the engine refuses checks it cannot read, and runs none
    }
  }
  const visit = (node) => {
    if (Array.isArray(node)) return node.some(visit);
    if (node === null || typeof node !== "object") return false;
    return Object.entries(node).some(([name, field]) =>
      name === "command" && typeof field === "string" ? scriptNeedsLua(field) : visit(field));
  };
  return visit(value);
}

// Blanks as the engine's script reader has them (engine/script.cpp): around a line and
// between words (C's isspace), and the ones that end an unquoted word.
const isBlank = (c) => c === " " || c === "\t" || c === "\n" || c === "\v" || c === "\f" || c === "\r";
const endsWord = (c) => c === " " || c === "\t" || c === "\n" || c === "\r";
const isHex = (c) => c !== undefined && /[0-9a-fA-F]/.test(c);

function lineNeedsLua(raw) {
  let end = raw.length;
  while (end > 0 && isBlank(raw[end - 1])) end--;
  const line = raw.slice(skipBlanks(raw, 0, end), end);
  // Blank, a comment ("# ..." or "-- ..."), or a client switch ("@worker-2").
  if (line === "" || line[0] === "#" || line[0] === "@") return false;
  if (line.startsWith("--") && (line.length === 2 || isBlank(line[2]))) return false;
  const [first, second] = firstWords(line, 2);
  if (first === undefined) return false;
  if (isLuaCommand(first)) return true;
  // redis-cli's repeat count: "3 EVAL ..." (strtol: blanks, a sign, digits).
  return second !== undefined && /^[ \t\n\v\f\r]*[+-]?\d+$/.test(first) && isLuaCommand(second);
}

// ASCII case only, as the engine compares command names.
const isLuaCommand = (word) => LUA_COMMANDS.has(word.replace(/[A-Z]/g, (c) => c.toLowerCase()));

// The first `count` words of a line, split as redis-cli splits it (sdssplitargs): "..." with
// \xHH and \n-style escapes, '...' with \', quotes that may start inside a word. A line
// redis-cli refuses (an unclosed quote) gives the words read so far and the one it was in.
function firstWords(line, count) {
  const nul = line.indexOf("\0");
  if (nul !== -1) line = line.slice(0, nul); // redis-cli reads C strings
  const words = [];
  let pos = 0;
  while (words.length < count) {
    while (pos < line.length && isBlank(line[pos])) pos++;
    if (pos >= line.length) break;
    let word = "";
    let quote = null;
    for (; pos < line.length; pos++) {
      const c = line[pos];
      if (quote === '"') {
        if (c === "\\" && line[pos + 1] === "x" && isHex(line[pos + 2]) && isHex(line[pos + 3])) {
          word += String.fromCharCode(parseInt(line.slice(pos + 2, pos + 4), 16));
          pos += 3;
        } else if (c === "\\" && pos + 1 < line.length) {
          pos++;
          word += { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" }[line[pos]] ?? line[pos];
        } else if (c === '"') {
          break;
        } else {
          word += c;
        }
      } else if (quote === "'") {
        if (c === "\\" && line[pos + 1] === "'") {
          pos++;
          word += "'";
        } else if (c === "'") {
          break;
        } else {
          word += c;
        }
      } else if (endsWord(c)) {
        break;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else {
        word += c;
      }
    }
    if (quote && pos < line.length) {
      // The closing quote: text glued to it makes redis-cli refuse the line.
      quote = null;
      pos++;
      if (pos < line.length && !isBlank(line[pos])) return [...words, word];
    }
    words.push(word);
    if (quote) break; // unclosed: the line is refused, nothing after it counts
  }
  return words;
}

export async function createRedpad(options = {}) {
  const moduleOptions = {};
  // Emscripten's own loader never settles when instantiating a given module fails: this does.
  let instantiateFailed = new Promise(() => {});
  if (options.wasmModule) {
    // Already compiled (a worker compiles while the page starts, and reuses it on restart).
    let fail;
    instantiateFailed = new Promise((_, reject) => (fail = reject));
    moduleOptions.instantiateWasm = (imports, receive) => {
      WebAssembly.instantiate(options.wasmModule, imports).then(
        (instance) => receive(instance, options.wasmModule),
        fail,
      );
      return {};
    };
  }
  if (options.wasmBinary) moduleOptions.wasmBinary = options.wasmBinary;
  if (options.locateFile) moduleOptions.locateFile = options.locateFile;
  // The engine without Lua unless told otherwise; imported only when needed (by its URL, so a
  // bundler that takes scriptNeedsLua from this file leaves the module alone).
  const createModule = options.createModule ??
    (await import(new URL("./redpad-engine.mjs", import.meta.url).href)).default;
  const wasm = await Promise.race([createModule(moduleOptions), instantiateFailed]);

  const startTime = options.startTimeMs ?? Date.now();
  // maxmemory in bytes (CONFIG SET maxmemory changes it; a reset goes back to this); 0: none.
  const maxmemory = options.maxmemory ?? 0;
  const handle = wasm._redpad_create(startTime, options.seed ?? 0, options.ansi ? 1 : 0, maxmemory);
  if (options.recordSteps) wasm._redpad_set_record_steps(handle, 1);
  const text = (pointer) => wasm.UTF8ToString(pointer);
  // Passes a JavaScript string into the module's memory, NUL-terminated, for the duration
  // of one call. The browser's own encoder: several times faster than a loop in JavaScript
  // on a pasted script of megabytes.
  const encoder = new TextEncoder();
  const withString = (value, call) => {
    const bytes = encoder.encode(value);
    const pointer = wasm._malloc(bytes.length + 1);
    try {
      wasm.HEAPU8.set(bytes, pointer); // HEAPU8 read after malloc: memory may have grown
      wasm.HEAPU8[pointer + bytes.length] = 0;
      return call(pointer);
    } finally {
      wasm._free(pointer);
    }
  };

  return {
    // Runs a script (redis-cli lines, `#` and ` -- ` comments, `@name` lines switching the
    // client: docs/clients.md). Answers a run_answer (contract.schema.json). Its commands join
    // the transcript task checks read, unless { transcript: false } (a lesson's setup). Limits
    // (each < 0: none): { maxResults } entries described, the rest only counted;
    // { maxCommands } executed, the script stopping at the line that finds them spent;
    // { maxOutputBytes } of reply text kept, later replies dropped while their commands
    // still run. Clients left blocked stay so, unless { waitForTimeouts: true } lets virtual
    // time pass until each with a timeout has its answer (as redpad-cli does).
    run(script, { transcript = true, maxResults = -1, maxCommands = -1, maxOutputBytes = -1,
      waitForTimeouts = false } = {}) {
      return JSON.parse(withString(String(script), (p) => text(wasm._redpad_run(handle, p,
        transcript ? 1 : 0, maxResults, maxCommands, maxOutputBytes, waitForTimeouts ? 1 : 0))));
    },
    // While on ({ recordSteps: true } at creation does the same), every run() and tick()
    // answer carries `steps`: what each command did to the keys, each expiry, and which
    // step caused a message, a served pop or an aborted EXEC (contract.schema.json,
    // run_answer.steps). Kept across reset(), which starts the steps again from 1.
    setRecordSteps(on) {
      wasm._redpad_set_record_steps(handle, on ? 1 : 0);
    },
    // Lets blocked clients whose timeout the clock has reached have their (nil), and runs
    // the lines waiting behind them (and, while steps are recorded, deletes the keys whose
    // time has passed, each a step). Answers a run_answer.
    tick() {
      return JSON.parse(text(wasm._redpad_tick(handle)));
    },
    // Evaluates a lesson's task checks (an array, or its JSON text) against the current
    // state and the transcript. Answers a check_answer.
    check(checks) {
      const json = typeof checks === "string" ? checks : JSON.stringify(checks);
      return JSON.parse(withString(json, (p) => text(wasm._redpad_check(handle, p))));
    },
    // Runs a script and returns the bytes redis-cli would print for it (a Uint8Array):
    // exact even where a reply holds bytes that are not UTF-8. Output of another client is
    // headed by a line "@name"; blocked clients' timeouts are waited out at the end.
    runDisplay(script) {
      return withString(String(script), (p) => {
        const pointer = wasm._redpad_run_display(handle, p);
        return wasm.HEAPU8.slice(pointer, pointer + wasm._redpad_result_length(handle));
      });
    },
    // The selected database's keys for display, sorted by name. Answers a snapshot_answer.
    snapshot(maxKeys = 200) {
      return JSON.parse(text(wasm._redpad_snapshot(handle, maxKeys)));
    },
    // Every command with its syntax line, for highlighting and completion. Answers a
    // commands_answer.
    commands() {
      return JSON.parse(text(wasm._redpad_commands(handle)));
    },
    // The virtual clock in milliseconds since the epoch.
    now() {
      return wasm._redpad_now(handle);
    },
    // Moves the virtual clock forward (keys expire, TTLs drop), without waiting.
    advance(ms) {
      wasm._redpad_advance(handle, ms);
    },
    // The host's real time; the virtual clock is this plus every advance so far.
    setHostTime(ms) {
      wasm._redpad_set_host_time(handle, ms);
    },
    // An empty server and transcript again: same options, or a lesson's own
    // { startTimeMs, seed } (the clock starts there; advances are forgotten).
    reset(resetOptions) {
      if (!resetOptions) {
        wasm._redpad_reset(handle);
        return;
      }
      wasm._redpad_reset_with(handle, resetOptions.startTimeMs ?? Date.now(),
        resetOptions.seed ?? 0, options.ansi ? 1 : 0, maxmemory);
    },
    // Bytes of the engine's heap in use (what `DEBUG POPULATE` costs, for the benchmark).
    heapBytes() {
      return wasm._redpad_heap_bytes();
    },
    destroy() {
      wasm._redpad_destroy(handle);
    },
  };
}
