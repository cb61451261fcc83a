// WebAssembly bindings: C functions that pass strings to and from redpad::Sandbox. No logic
// here; the JavaScript API over them is redpad.mjs.
#include <emscripten/emscripten.h>

#include <malloc.h>

#include <cstdint>
#include <limits>
#include <string>

#include "sandbox.h"

namespace {

// A sandbox plus the last string handed to JavaScript (valid until the next call).
struct Handle {
  explicit Handle(redpad::SandboxOptions options) : sandbox(options) {}
  redpad::Sandbox sandbox;
  std::string result;
};

// A count from JavaScript: negative means "no limit".
template <class Count>
Count limit_from(double value) {
  return value < 0 ? std::numeric_limits<Count>::max() : static_cast<Count>(value);
}

redpad::SandboxOptions sandbox_options(double start_time_ms, double seed, int ansi,
                                       double maxmemory) {
  redpad::SandboxOptions options;
  options.start_time_ms = static_cast<std::int64_t>(start_time_ms);
  options.seed = static_cast<std::uint64_t>(seed);
  options.ansi = ansi != 0;
  options.maxmemory = maxmemory < 0 ? 0 : static_cast<std::uint64_t>(maxmemory);
  return options;
}

const char* hand_over(Handle* handle, std::string text) {
  handle->result = std::move(text);
  return handle->result.c_str();
}

}  // namespace

extern "C" {

// Bytes of the module's heap in use (malloc's count): what the benchmark's memory figure
// reads, before and after DEBUG POPULATE.
EMSCRIPTEN_KEEPALIVE double redpad_heap_bytes() {
  return static_cast<double>(mallinfo().uordblks);
}

EMSCRIPTEN_KEEPALIVE Handle* redpad_create(double start_time_ms, double seed, int ansi,
                                           double maxmemory) {
  return new Handle(sandbox_options(start_time_ms, seed, ansi, maxmemory));
}

EMSCRIPTEN_KEEPALIVE void redpad_destroy(Handle* handle) {
  delete handle;
}

// Each limit < 0: none.
EMSCRIPTEN_KEEPALIVE const char* redpad_run(Handle* handle, const char* script, int record,
                                            double max_results, double max_commands,
                                            double max_output_bytes, int wait_for_timeouts) {
  redpad::RunLimits limits;
  limits.record = record != 0;
  limits.wait_for_timeouts = wait_for_timeouts != 0;
  limits.max_results = limit_from<size_t>(max_results);
  limits.max_commands = limit_from<std::uint64_t>(max_commands);
  limits.max_output_bytes = limit_from<std::uint64_t>(max_output_bytes);
  return hand_over(handle, handle->sandbox.run(script, limits));
}

// While on, run() and tick() answers carry the steps of the page's timeline.
EMSCRIPTEN_KEEPALIVE void redpad_set_record_steps(Handle* handle, int on) {
  handle->sandbox.set_record_steps(on != 0);
}

EMSCRIPTEN_KEEPALIVE const char* redpad_tick(Handle* handle) {
  return hand_over(handle, handle->sandbox.tick());
}

EMSCRIPTEN_KEEPALIVE const char* redpad_check(Handle* handle, const char* checks_json) {
  return hand_over(handle, handle->sandbox.check(checks_json));
}

// The bytes redis-cli would print; their length comes from redpad_result_length.
EMSCRIPTEN_KEEPALIVE const char* redpad_run_display(Handle* handle, const char* script) {
  return hand_over(handle, handle->sandbox.run_display(script));
}

EMSCRIPTEN_KEEPALIVE double redpad_result_length(Handle* handle) {
  return static_cast<double>(handle->result.size());
}

EMSCRIPTEN_KEEPALIVE const char* redpad_snapshot(Handle* handle, int max_keys) {
  return hand_over(handle, handle->sandbox.snapshot(static_cast<size_t>(max_keys)));
}

EMSCRIPTEN_KEEPALIVE const char* redpad_commands(Handle* handle) {
  return hand_over(handle, handle->sandbox.commands());
}

EMSCRIPTEN_KEEPALIVE double redpad_now(Handle* handle) {
  return static_cast<double>(handle->sandbox.now_ms());
}

EMSCRIPTEN_KEEPALIVE void redpad_set_host_time(Handle* handle, double ms) {
  handle->sandbox.set_host_time(static_cast<std::int64_t>(ms));
}

EMSCRIPTEN_KEEPALIVE void redpad_advance(Handle* handle, double ms) {
  handle->sandbox.advance(static_cast<std::int64_t>(ms));
}

EMSCRIPTEN_KEEPALIVE void redpad_reset(Handle* handle) {
  handle->sandbox.reset();
}

EMSCRIPTEN_KEEPALIVE void redpad_reset_with(Handle* handle, double start_time_ms, double seed,
                                            int ansi, double maxmemory) {
  handle->sandbox.reset(sandbox_options(start_time_ms, seed, ansi, maxmemory));
}

}  // extern "C"
