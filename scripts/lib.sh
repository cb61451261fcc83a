# Shared by the scripts: idempotent installs and the native build. Source it, don't run it.
# shellcheck shell=bash

REDPAD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REDPAD_BUILD="${REDPAD_BUILD:-$REDPAD_ROOT/build}"
REDPAD_BUILD_WASM="${REDPAD_BUILD_WASM:-$REDPAD_ROOT/build-wasm}"

# Debian packages the native build needs, and those the tests need on top.
REDPAD_BUILD_PACKAGES=(cmake make g++ doctest-dev nlohmann-json3-dev libedit-dev)
REDPAD_TEST_PACKAGES=(redis-server redis-tools)
# Debian's Emscripten builds the WebAssembly engine; its optimiser needs Debian's acorn.
REDPAD_WASM_PACKAGES=(emscripten node-acorn)
# The browser tests drive Debian's Chromium (through npm's playwright-core, no download).
REDPAD_BROWSER_PACKAGES=(chromium)

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

# Configures (once) and builds the WebAssembly engine and the WebAssembly unit tests, or
# only the given targets (build_wasm redpad-engine: the engine the page loads).
build_wasm() {
  local log targets=()
  log="$(mktemp)"
  (($#)) && targets=(--target "$@")
  export NODE_PATH=/usr/share/nodejs
  if [ ! -f "$REDPAD_BUILD_WASM/CMakeCache.txt" ]; then
    emcmake cmake -S "$REDPAD_ROOT" -B "$REDPAD_BUILD_WASM" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node)" >"$log" 2>&1 ||
      { cat "$log" >&2; rm -f "$log"; return 1; }
  fi
  # Emscripten's .js outputs (the unit test runner) are CommonJS, but the repository's
  # package.json says "type": "module" for everything beneath it: this folder says otherwise.
  printf '{ "type": "commonjs" }\n' >"$REDPAD_BUILD_WASM/package.json"
  cmake --build "$REDPAD_BUILD_WASM" -j"$(nproc)" "${targets[@]}" >"$log" 2>&1 ||
    { cat "$log" >&2; rm -f "$log"; return 1; }
  rm -f "$log"
}

# True when the WebAssembly engine exists and no engine source is newer than it.
wasm_is_fresh() {
  local wasm="$REDPAD_BUILD_WASM/web/engine/redpad-engine.wasm"
  [ -f "$wasm" ] || return 1
  [ -z "$(find "$REDPAD_ROOT/engine" "$REDPAD_ROOT/web/engine" "$REDPAD_ROOT/CMakeLists.txt" \
    -newer "$wasm" -print -quit 2>/dev/null)" ]
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
