# Shared by the scripts: idempotent installs and the native build. Source it, don't run it.
# shellcheck shell=bash

REDPAD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REDPAD_BUILD="${REDPAD_BUILD:-$REDPAD_ROOT/build}"
REDPAD_BUILD_WASM="${REDPAD_BUILD_WASM:-$REDPAD_ROOT/build-wasm}"
# ASan + UBSan build (engine, CLI, unit tests and the libFuzzer targets), and the fuzzers'
# corpora, crash inputs and logs.
REDPAD_BUILD_SANITIZE="${REDPAD_BUILD_SANITIZE:-$REDPAD_ROOT/build-sanitize}"
REDPAD_FUZZ_DIR="${REDPAD_FUZZ_DIR:-$REDPAD_ROOT/build-fuzz}"
# Lua 5.1 and lua-cjson sources for the WebAssembly build (fetch_lua_sources).
REDPAD_DEPS="${REDPAD_DEPS:-$REDPAD_ROOT/build-deps}"

# Debian packages the native build needs, and those the tests need on top. Lua 5.1 (the C
# liblua5.1) and lua-cjson are linked from Debian's packages natively.
REDPAD_BUILD_PACKAGES=(cmake make g++ doctest-dev nlohmann-json3-dev libedit-dev
  liblua5.1-0-dev lua-cjson-dev)
REDPAD_TEST_PACKAGES=(redis-server redis-tools)
# Debian's Emscripten builds the WebAssembly engine; its optimiser needs Debian's acorn.
# dpkg-dev unpacks the Lua sources (fetch_lua_sources: apt-get source runs dpkg-source).
REDPAD_WASM_PACKAGES=(emscripten node-acorn dpkg-dev)
# The browser tests drive Debian's Chromium (through npm's playwright-core, no download).
REDPAD_BROWSER_PACKAGES=(chromium)
# The sanitizer and fuzzing build: clang 14, its runtimes (ASan, UBSan, libFuzzer and
# <fuzzer/FuzzedDataProvider.h> are in libclang-rt-14-dev) and llvm-symbolizer for the
# reports' stack traces.
REDPAD_SANITIZE_PACKAGES=(clang-14 libclang-rt-14-dev llvm-14)

# Installs whichever of the given Debian packages are missing; does nothing otherwise.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  echo "Installing Debian packages: ${missing[*]}" >&2
  "${sudo[@]}" apt-get update -qq >&2 &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null 2>&1 ||
    { echo "apt-get install ${missing[*]} failed" >&2; return 1; }
}

# Node.js runs the differential runner (and later the page's tooling).
ensure_node() {
  command -v node >/dev/null 2>&1 || ensure_packages nodejs
}

# Configures (once) and builds the native targets. Quiet unless something fails.
build_native() {
  local log
  log="$(mktemp)"
  if [ ! -f "$REDPAD_BUILD/CMakeCache.txt" ]; then
    cmake -S "$REDPAD_ROOT" -B "$REDPAD_BUILD" -DCMAKE_BUILD_TYPE=Release >"$log" 2>&1 ||
      { cat "$log" >&2; rm -f "$log"; return 1; }
  fi
  cmake --build "$REDPAD_BUILD" -j"$(nproc)" >"$log" 2>&1 ||
    { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

# Lua 5.1 and lua-cjson sources for the WebAssembly build, in $REDPAD_DEPS/src: Debian's
# source packages (upstream + Debian's patches), the same versions as the installed
# liblua5.1-0-dev and lua-cjson-dev, so the native and WebAssembly builds run the same Lua.
# apt-get source through a private deb-src list, lists and cache in $REDPAD_DEPS/apt:
# /etc/apt is not touched. Does nothing once the sources of those versions are there.
fetch_lua_sources() {
  local src="$REDPAD_DEPS/src" apt="$REDPAD_DEPS/apt" lua cjson stamp
  ensure_packages dpkg-dev liblua5.1-0-dev lua-cjson-dev || return 1
  lua=$(dpkg-query -W -f='${source:Version}' liblua5.1-0-dev) &&
    cjson=$(dpkg-query -W -f='${source:Version}' lua-cjson-dev) || return 1
  stamp="lua5.1=$lua lua-cjson=$cjson"
  [ "$(cat "$src/.versions" 2>/dev/null)" = "$stamp" ] && return 0
  echo "Fetching the sources of $stamp (apt-get source)" >&2
  rm -rf "$src" "$apt"
  mkdir -p "$apt/etc" "$apt/lists/partial" "$apt/cache/archives/partial" "$src"
  printf 'Types: deb-src\nURIs: http://deb.debian.org/debian\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$(. /etc/os-release && echo "$VERSION_CODENAME")" >"$apt/etc/debian-src.sources"
  local opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/etc"
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1)
  local log
  log="$(mktemp)"
  { apt-get "${opts[@]}" update -qq &&
    (cd "$src" && apt-get "${opts[@]}" source -qq "lua5.1=$lua" "lua-cjson=$cjson"); } \
    >"$log" 2>&1 ||
    { cat "$log" >&2; rm -f "$log"; echo "apt-get source lua5.1 lua-cjson failed" >&2; return 1; }
  rm -f "$log"
  rm -rf "$apt/lists" # 20 MB of index, not needed once the sources are there
  echo "$stamp" >"$src/.versions"
}

# Configures (once) and builds the WebAssembly engine and the WebAssembly unit tests, or
# only the given targets (build_wasm redpad-engine: the engine the page loads).
build_wasm() {
  local log targets=()
  (($#)) && targets=(--target "$@")
  fetch_lua_sources || return 1
  log="$(mktemp)"
  export NODE_PATH=/usr/share/nodejs
  # Configured once; again when the folder was configured before the Lua sources' option
  # existed or with another folder for them.
  if ! grep -qxF "REDPAD_LUA_SOURCES:PATH=$REDPAD_DEPS/src" \
    "$REDPAD_BUILD_WASM/CMakeCache.txt" 2>/dev/null; then
    emcmake cmake -S "$REDPAD_ROOT" -B "$REDPAD_BUILD_WASM" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" \
      -DREDPAD_LUA_SOURCES:PATH="$REDPAD_DEPS/src" >"$log" 2>&1 ||
      { cat "$log" >&2; rm -f "$log"; return 1; }
  fi
  # Emscripten's .js outputs (the unit test runner) are CommonJS, but the repository's
  # package.json says "type": "module" for everything beneath it: this folder says otherwise.
  printf '{ "type": "commonjs" }\n' >"$REDPAD_BUILD_WASM/package.json"
  cmake --build "$REDPAD_BUILD_WASM" -j"$(nproc)" "${targets[@]}" >"$log" 2>&1 ||
    { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

# True when both WebAssembly engines (redpad-engine, and redpad-engine-lua with Lua) exist
# and no engine source is newer than either.
wasm_is_fresh() {
  local wasm
  for wasm in "$REDPAD_BUILD_WASM"/web/engine/redpad-engine{,-lua}.wasm; do
    [ -f "$wasm" ] || return 1
    [ -z "$(find "$REDPAD_ROOT/engine" "$REDPAD_ROOT/web/engine" "$REDPAD_ROOT/CMakeLists.txt" \
      -newer "$wasm" -print -quit 2>/dev/null)" ] || return 1
  done
}

# npm packages from the committed package-lock.json (the validator's ajv; the page's
# CodeMirror, marked, DOMPurify, esbuild, playwright-core), when node_modules is missing or
# older than the lock.
ensure_npm_packages() {
  ensure_node || return 1
  command -v npm >/dev/null 2>&1 || ensure_packages npm || return 1
  if [ ! -d "$REDPAD_ROOT/node_modules" ] ||
    [ "$REDPAD_ROOT/package-lock.json" -nt "$REDPAD_ROOT/node_modules/.package-lock.json" ]; then
    echo "Installing npm packages (npm ci)" >&2
    local log
    log="$(mktemp)"
    (cd "$REDPAD_ROOT" && npm ci --no-audit --no-fund >"$log" 2>&1) ||
      { tail -n 30 "$log" >&2; rm -f "$log"; echo "npm ci failed" >&2; return 1; }
    rm -f "$log"
  fi
}

# The static site (build-site/, or --out DIR) from the WebAssembly engine already built.
build_site() {
  ensure_npm_packages || return 1
  node "$REDPAD_ROOT/web/build.mjs" --engine "$REDPAD_BUILD_WASM/web/engine" "$@"
}

# True when the CLI binary exists and no engine/CLI source is newer than it.
cli_is_fresh() {
  local bin="$REDPAD_BUILD/cli/redpad-cli"
  [ -x "$bin" ] || return 1
  [ -z "$(find "$REDPAD_ROOT/engine" "$REDPAD_ROOT/cli" "$REDPAD_ROOT/CMakeLists.txt" \
    -newer "$bin" -print -quit 2>/dev/null)" ]
}

# Configures (once) and builds the engine, CLI, unit tests and fuzz targets with
# AddressSanitizer and UndefinedBehaviorSanitizer (clang 14, -O1, line tables for the
# reports), in one folder: the engine is compiled once for all of them.
build_sanitize() {
  local log
  log="$(mktemp)"
  if [ ! -f "$REDPAD_BUILD_SANITIZE/CMakeCache.txt" ]; then
    cmake -S "$REDPAD_ROOT" -B "$REDPAD_BUILD_SANITIZE" -DCMAKE_C_COMPILER=clang-14 \
      -DCMAKE_CXX_COMPILER=clang++-14 \
      -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
      -DREDPAD_FUZZ=ON >"$log" 2>&1 ||
      { cat "$log" >&2; rm -f "$log"; return 1; }
  fi
  cmake --build "$REDPAD_BUILD_SANITIZE" -j"$(nproc)" "$@" >"$log" 2>&1 ||
    { grep -E -B2 -A6 'error|Error' "$log" | head -n 80 >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

# What the sanitizer-built programs do with a report: stop at the first one, with a stack
# trace and a non-zero exit status (leaks included), so no test can pass over one.
sanitizer_env() {
  export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:print_stacktrace=1:abort_on_error=0"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
  export LSAN_OPTIONS="print_suppressions=0"
  ASAN_SYMBOLIZER_PATH="$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)"
  export ASAN_SYMBOLIZER_PATH
}

# True when the text on stdin holds a sanitizer report.
has_sanitizer_report() {
  grep -q -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error: |SUMMARY: (Address|Undefined|Leak)'
}

# Runs one fuzz target of the sanitizer build for <seconds>, from its corpus in
# $REDPAD_FUZZ_DIR/corpus-<target> (which it grows) and the seeds made from the differential
# corpus, and prints one line: executions, exec/s, coverage (cov, ft), corpus, crashes. On a
# crash it prints the report's head and the crash input's path, and returns 1.
run_fuzzer() { # run_fuzzer <target> <seconds>
  local target="$1" seconds="$2" binary corpus artifacts log status stats dict=()
  binary="$REDPAD_BUILD_SANITIZE/tests/fuzz/$target"
  corpus="$REDPAD_FUZZ_DIR/corpus-$target"
  artifacts="$REDPAD_FUZZ_DIR/artifacts-$target"
  log="$REDPAD_FUZZ_DIR/$target.log"
  mkdir -p "$corpus" "$artifacts"
  if [ ! -d "$REDPAD_FUZZ_DIR/seeds" ] || [ -n "$(find "$REDPAD_ROOT/tests/differential/corpus" \
    -newer "$REDPAD_FUZZ_DIR/seeds" -print -quit)" ]; then
    node "$REDPAD_ROOT/tests/fuzz/make-seeds.mjs" "$REDPAD_FUZZ_DIR/seeds" >/dev/null || return 1
  fi
  [ "$target" = fuzz_raw ] && dict=(-dict="$REDPAD_ROOT/tests/fuzz/redis.dict")
  (
    sanitizer_env
    "$binary" "${dict[@]}" -max_total_time="$seconds" -max_len=4096 -timeout=30 \
      -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$corpus" "$REDPAD_FUZZ_DIR/seeds"
  ) >"$log" 2>&1
  status=$?
  # The last status line ("#123 DONE cov: 11638 ft: 40481 corp: 2066/425Kb ...").
  stats=$(grep -E '^#[0-9]+[[:space:]].* cov: ' "$log" | tail -n 1)
  local execs per_second cov ft corp
  execs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
  per_second=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$stats")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$stats")
  corp=$(find "$corpus" -type f | wc -l)
  [ -n "$execs" ] || execs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$stats")
  if [ "$status" = 0 ] && ! has_sanitizer_report <"$log"; then
    printf '%s: %s s, %s executions (%s/s), cov %s, ft %s, corpus %s inputs, 0 crashes\n' \
      "$target" "$seconds" "${execs:-?}" "${per_second:-?}" "${cov:-?}" "${ft:-?}" "$corp"
    return 0
  fi
  printf '%s: CRASH after %s executions (cov %s, ft %s); log %s\n' "$target" "${execs:-?}" \
    "${cov:-?}" "${ft:-?}" "$log"
  grep -E -m1 -A24 'ERROR: |runtime error: ' "$log" | cut -c1-240 | sed 's/^/   /'
  grep -E 'Test unit written to' "$log" | sed -E 's/.*Test unit written to /   crash input: /'
  return 1
}

# Processes a script starts, found again however they left its process group (Playwright's
# Chromium runs in a session of its own, a server may daemonise): each inherits
# REDPAD_RUN_ID in its environment (redis-server keeps it readable when started with
# --set-proc-title no: its process title would overwrite it). track_processes marks this script's run;
# tracked_processes lists what still runs with the mark; stop_tracked_processes ends them
# (TERM, then KILL for any still there once each has had its chance to exit).
track_processes() {
  REDPAD_RUN_ID="${REDPAD_RUN_ID:-$$-$(date +%s%N)}"
  export REDPAD_RUN_ID
}

tracked_processes() { # prints "pid command line" for each
  local mark="REDPAD_RUN_ID=${REDPAD_RUN_ID:-}"
  [ "$mark" != "REDPAD_RUN_ID=" ] || return 0
  (
    # Not marked themselves: the readers below would otherwise find their own mark.
    unset REDPAD_RUN_ID
    local environ pid
    for environ in /proc/[0-9]*/environ; do
      pid=${environ#/proc/}
      pid=${pid%/environ}
      [ "$pid" != "$$" ] && [ "$pid" != "$BASHPID" ] || continue
      { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF -- "$mark" || continue
      printf '%s %s\n' "$pid" "$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | cut -c1-200)"
    done
  )
}

stop_tracked_processes() {
  local pids pid
  pids=$(tracked_processes | cut -d' ' -f1)
  [ -n "$pids" ] || return 0
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null
  for pid in $pids; do
    # Waits for that process's exit (an event), 10 s at most: then it is killed.
    timeout 10 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  done
}
