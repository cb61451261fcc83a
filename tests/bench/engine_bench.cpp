// The native engine measured in-process, for ./scripts/bench (which compares it with the
// WebAssembly engine and with redis-server). Prints one JSON object per call on stdout.
//
//   redpad-bench throughput SCRIPT_FILE   run the file through Sandbox::run_display
//   redpad-bench memory KEYS              DEBUG POPULATE KEYS: heap bytes per key
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "sandbox.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

size_t heap_in_use() {
  return mallinfo2().uordblks;
}

int throughput(const char* path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << "redpad-bench: cannot read " << path << "\n";
    return 1;
  }
  std::stringstream text;
  text << file.rdbuf();
  const std::string script = text.str();
  redpad::Sandbox sandbox({1'000'000'000'000, 1, false});
  const auto start = std::chrono::steady_clock::now();
  const std::string output = sandbox.run_display(script);
  const double elapsed = seconds_since(start);
  std::printf("{\"seconds\": %.6f, \"output_bytes\": %zu}\n", elapsed, output.size());
  return 0;
}

int memory(const char* keys) {
  const size_t before = heap_in_use();
  redpad::Sandbox sandbox({1'000'000'000'000, 1, false});
  const size_t empty = heap_in_use();
  const auto start = std::chrono::steady_clock::now();
  sandbox.run_display(std::string("DEBUG POPULATE ") + keys);
  const double elapsed = seconds_since(start);
  const size_t populated = heap_in_use();
  std::printf("{\"seconds\": %.6f, \"empty_bytes\": %zu, \"populated_bytes\": %zu}\n", elapsed,
              empty - before, populated - before);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc == 3 && mode == "throughput") return throughput(argv[2]);
  if (argc == 3 && mode == "memory") return memory(argv[2]);
  std::cerr << "usage: redpad-bench throughput SCRIPT_FILE | memory KEYS\n";
  return 2;
}
