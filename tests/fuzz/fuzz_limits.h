// Limits shared by the fuzz targets, so that one input can neither run for long nor allocate
// gigabytes: a sandbox-sized maxmemory, a cap on the commands one input may run, and a
// budget for its Lua scripts (docs/reliability.md, "Fuzzing and sanitizers").
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "ascii.h"
#include "heap_usage.h"
#include "sandbox.h"

namespace redpad::fuzz {

// Tue Nov 14 2023 22:13:20 UTC, as in the unit tests: a fixed clock keeps inputs reproducible.
inline constexpr std::int64_t kStartMs = 1'700'000'000'000;

// Commands per input, each repetition of "1000 INCR x" counted.
inline constexpr std::size_t kMaxCommands = 3000;

// Lua: each script may spend kScriptUnits budget units (Lua VM instructions, and the work
// done in C charged in the same units: scripting/lua_libraries.h), and an input may run
// kMaxScripts scripts (EVAL, EVALSHA and their _RO forms, repetitions counted). An input's
// scripts thus spend at most 20 x 2 M = 40 M units, about 0.2 s natively; under ASan + UBSan
// the slowest inputs found (20 scripts each decoding JSON, or unpacking 4,000 nested
// MessagePack arrays, until stopped) take under 4 s on this project's machine, an eighth of
// libFuzzer's -timeout=30 (docs/reliability.md). Without the cap, 3,000 scripts of 2 M units
// (6 G) could take minutes under the sanitizers, and the timeout would report a slow input
// rather than a hang.
inline constexpr std::uint64_t kScriptUnits = 2'000'000;
inline constexpr std::size_t kMaxScripts = 20;
// The work no charge sees (Lua's VM copying or comparing long strings: docs/scripting.md,
// "Known gaps") is bounded by real time instead: a script still running after half a second
// is stopped, its hook then looking at the clock every 10 instructions. 20 scripts x 0.5 s
// is 10 s at worst, a third of the timeout, whatever such a script does.
inline constexpr std::uint64_t kScriptTimeMs = 500;

// What one input's data may grow to.
inline constexpr std::uint64_t kMaxMemoryBytes = 8u << 20;

// The engine's heap count covers the whole process, libFuzzer's own corpus and tables
// included, and those grow while fuzzing: the budget starts from what is in use already.
inline SandboxOptions sandbox_options(std::uint64_t seed) {
  SandboxOptions options;
  options.start_time_ms = kStartMs;
  options.seed = seed;
  options.maxmemory = heap_bytes_in_use() + kMaxMemoryBytes;
  // A script that never ends stops after this many units (the page allows 100 M, a second or
  // so; under the sanitizers that is far longer).
  options.script_instructions = kScriptUnits;
  options.script_time_ms = kScriptTimeMs;
  return options;
}

// Commands that run a Lua script, which count towards kMaxScripts.
inline bool runs_script(const std::vector<std::string>& args) {
  return !args.empty() && (iequals(args[0], "eval") || iequals(args[0], "evalsha") ||
                           iequals(args[0], "eval_ro") || iequals(args[0], "evalsha_ro"));
}

// Commands the fuzzers skip: those that legitimately take long or build a huge reply (real
// Redis does the same) within the engine's own limits, or fuzzing would stop at the first
// one with a timeout or out-of-memory report; and those that would lift the input's limits.
inline bool too_heavy(const std::vector<std::string>& args) {
  // SRANDMEMBER s -1000000: a negative count repeats elements, one reply item each, however
  // small the set. The engine refuses more than a million draws, but a million takes about a
  // second under the sanitizers, and an input may run thousands of commands.
  constexpr long long kMaxRandomItems = 100000;
  if (args.size() >= 3 && (iequals(args[0], "srandmember") || iequals(args[0], "hrandfield") ||
                           iequals(args[0], "zrandmember"))) {
    return std::strtoll(args[2].c_str(), nullptr, 10) < -kMaxRandomItems;
  }
  // CONFIG SET maxmemory 0 (or 10gb) would lift the input's memory budget: only plain byte
  // counts below 100 MB are let through (small ones make the next writes fail with OOM).
  if (args.size() >= 2 && iequals(args[0], "config") && iequals(args[1], "set")) {
    for (size_t i = 2; i < args.size(); ++i) {
      if (!iequals(args[i], "maxmemory")) continue;
      const std::string value = i + 1 < args.size() ? args[i + 1] : "";
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos ||
          value.size() > 8 || std::strtoll(value.c_str(), nullptr, 10) == 0) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace redpad::fuzz
