// The script language learners type and lessons show: redis-cli lines (split with
// redis-cli's quoting rules) plus comments. A line whose first non-blank character is '#'
// is a comment, and " -- " outside quotes starts a trailing comment. Blank lines are skipped.
// A line "@name" switches the client that runs the lines after it (docs/clients.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redpad {

// redis-cli's argument splitting. nullopt means redis-cli would print
// "Invalid argument(s)" and send nothing (unbalanced quotes, text glued to a closing quote).
std::optional<std::vector<std::string>> split_command_line(std::string_view line);
// The same into `args`, whose strings are reused; false for "Invalid argument(s)".
bool split_command_line(std::string_view line, std::vector<std::string>& args);

// The line without its trailing " -- comment", if it has one outside quotes.
std::string_view strip_trailing_comment(std::string_view line);

struct ScriptLine {
  enum class Kind {
    Command,              // args holds the command, repeated `repeat` times
    InvalidArguments,     // redis-cli: "Invalid argument(s)"
    InvalidRepeat,        // redis-cli: "Invalid redis-cli repeat command option value."
    ClientSwitch,         // "@worker-2": text is the line, name is text without the '@'
    InvalidClientSwitch,  // '@' and something that is not a client name
  };
  Kind kind = Kind::Command;
  int line_number = 0;            // 1-based, in the script text
  std::string text;               // the line as written, comment removed, trimmed
  std::vector<std::string> args;  // without the repeat count
  long repeat = 1;                // redis-cli's "3 INCR x" runs INCR three times
};

// A client's name in a script: 1 to 32 of letters, digits, '-', '_', '.', ':'.
inline constexpr size_t kMaxClientNameLength = 32;
bool is_client_name(std::string_view name);

// Splits a script into the lines to run, skipping blanks and comments, one line at a time
// so a long script is never held parsed in full: calls
// `visit(ScriptLine&)` for each line to run and stops early when it returns false. One
// ScriptLine is reused for every line (its buffers too): `visit` copies or swaps out what
// it keeps.
template <class Visit>
void for_each_script_line(std::string_view script, Visit&& visit);

// Parses one line as redis-cli's prompt does (repeat count included). nullopt for a blank line.
std::optional<ScriptLine> parse_script_line(std::string_view line, int line_number);
// The same into `out`, whose buffers are reused; false for a blank or comment line.
bool parse_script_line(std::string_view line, int line_number, ScriptLine& out);

template <class Visit>
void for_each_script_line(std::string_view script, Visit&& visit) {
  int line_number = 0;
  ScriptLine line;
  for (size_t start = 0; start <= script.size();) {
    size_t end = script.find('\n', start);
    if (end == std::string_view::npos) end = script.size();
    ++line_number;
    if (parse_script_line(script.substr(start, end - start), line_number, line)) {
      if (!visit(line)) return;
    }
    start = end + 1;
  }
}

inline constexpr const char* kInvalidArgumentsText = "Invalid argument(s)";
inline constexpr const char* kInvalidRepeatText = "Invalid redis-cli repeat command option value.";
inline constexpr const char* kInvalidClientSwitchText =
    "(redpad) A client switch is '@' and a name of 1 to 32 letters, digits, '-', '_', '.' or "
    "':' (for example @worker-2)";

}  // namespace redpad
