// libFuzzer target: the input is a script, as a learner would paste it into the page (lines,
// comments, quotes, repeat counts), run by a fresh Sandbox with the page's kind of limits.
// The seeds are the differential corpus's cases (./scripts/fuzz makes them), so mutations
// start from commands that reach deep into every type.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_limits.h"
#include "sandbox.h"
#include "script.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view script(reinterpret_cast<const char*>(data), size);
  bool heavy = false;
  long scripts = 0;  // Lua scripts the input would run, repetitions counted
  redpad::for_each_script_line(script, [&heavy, &scripts](const redpad::ScriptLine& line) {
    if (line.kind != redpad::ScriptLine::Kind::Command) return true;
    if (redpad::fuzz::runs_script(line.args)) scripts += line.repeat > 0 ? line.repeat : 0;
    heavy = redpad::fuzz::too_heavy(line.args) ||
            scripts > static_cast<long>(redpad::fuzz::kMaxScripts);
    return !heavy;
  });
  if (heavy) return -1;  // not worth keeping in the corpus either
  redpad::Sandbox sandbox(redpad::fuzz::sandbox_options(size));

  redpad::RunLimits limits;
  limits.max_results = 16;  // past that, lines are only counted: that path runs too
  limits.max_commands = redpad::fuzz::kMaxCommands;
  limits.max_output_bytes = 1u << 20;
  sandbox.run(script, limits);

  // What the page shows after a run: the key inspector's previews of every type.
  sandbox.snapshot(16);
  return 0;
}
