// redpad's JavaScript API: a Redis 7.0 engine with a virtual clock, in WebAssembly.
//
//   import { createRedpad } from "./redpad.mjs";
//   const redis = await createRedpad();
//   const { results } = redis.run('SET lock "worker-1" NX EX 30\nGET lock');
//   results[1].display   // '"worker-1"\n', exactly as redis-cli prints it
//
// In Node, pass the module's bytes: createRedpad({ wasmBinary: fs.readFileSync(path) }); or
// a compiled module: createRedpad({ wasmModule: await WebAssembly.compile(bytes) }).
import createRedpadModule from "./redpad-engine.mjs";

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
  const wasm = await Promise.race([createRedpadModule(moduleOptions), instantiateFailed]);

  const startTime = options.startTimeMs ?? Date.now();
  // maxmemory in bytes (CONFIG SET maxmemory changes it; a reset goes back to this); 0: none.
  const maxmemory = options.maxmemory ?? 0;
  const handle = wasm._redpad_create(startTime, options.seed ?? 0, options.ansi ? 1 : 0, maxmemory);
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
    // Runs a script (redis-cli lines, `#` and ` -- ` comments). Returns
    // { results: [{ line, text, kind, replies, display, elapsed_ms, error }], omitted_results,
    // omitted_errors, db, in_multi, now_ms }. Its commands join the transcript task checks
    // read, unless { transcript: false } (a lesson's setup commands). With { maxResults: N }
    // only the first N lines run are described and the rest only counted (omitted_*).
    // Limits for a Run: { maxCommands } stops the script at the line that finds it spent
    // (stopped: { reason: "max_commands", limit, line }, else null); past { maxOutputBytes }
    // of reply text, commands still run but their replies are dropped (output_cut:
    // { limit_bytes, replies_not_kept, from_line }, else null). commands_run counts them all.
    //
    // Several clients (docs/clients.md): a line "@name" switches the client for the lines
    // after it. Each result has its `client`; kinds "blocked", "reply", "message" and
    // "not_run" tell of blocking commands and Pub/Sub; `clients` lists every connected client
    // ({ name, id, db, in_multi, subscriptions, watching, blocked }) and `multi_client` says
    // whether there are several. Clients left blocked stay so; { waitForTimeouts: true }
    // lets virtual time pass until each with a timeout has its answer (as redpad-cli does).
    run(script, { transcript = true, maxResults = -1, maxCommands = -1, maxOutputBytes = -1,
      waitForTimeouts = false } = {}) {
      return JSON.parse(withString(String(script), (p) => text(wasm._redpad_run(handle, p,
        transcript ? 1 : 0, maxResults, maxCommands, maxOutputBytes, waitForTimeouts ? 1 : 0))));
    },
    // Lets blocked clients whose timeout the clock has reached have their (nil), and runs
    // the lines waiting behind them. The same shape as run()'s answer.
    tick() {
      return JSON.parse(text(wasm._redpad_tick(handle)));
    },
    // Evaluates a lesson's task checks (an array, or its JSON text) against the current
    // state and the transcript: [{ passed, message, detail }].
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
    // The selected database's keys for display: { db, now_ms, total, keys: [{ key, type,
    // encoding, size, ttl_ms, expire_at_ms, preview }] }, sorted by name.
    snapshot(maxKeys = 200) {
      return JSON.parse(text(wasm._redpad_snapshot(handle, maxKeys)));
    },
    // Every command with its syntax line, for autocompletion and help.
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
