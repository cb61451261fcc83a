#include "script.h"

#include <cerrno>
#include <cstdlib>

namespace redpad {

namespace {

// Whitespace that separates arguments and may follow a closing quote (C isspace).
bool is_separator_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// An unquoted argument ends only at these (redis-cli keeps \v and \f inside a word).
bool ends_unquoted_word(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char unescape_double_quoted(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_separator_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_separator_space(text.back()))
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::vector<std::string>> split_command_line(std::string_view line) {
  std::vector<std::string> args;
  if (!split_command_line(line, args)) return std::nullopt;
  return args;
}

bool split_command_line(std::string_view line, std::vector<std::string>& args) {
  // redis-cli works on C strings: a NUL byte ends the line.
  if (const size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
  // The strings already in `args` are overwritten in place (their buffers reused).
  size_t count = 0;
  auto next_arg = [&args, &count]() -> std::string& {
    if (count == args.size()) args.emplace_back();
    return args[count++];
  };
  size_t pos = 0;
  const size_t size = line.size();
  auto at = [&](size_t i) { return i < size ? line[i] : '\0'; };
  for (;;) {
    while (pos < size && is_separator_space(line[pos]))
      ++pos;
    if (pos >= size) {
      args.resize(count);
      return true;
    }
    // The common case, a plain word without quotes: taken whole, not a byte at a time.
    size_t end = pos;
    while (end < size && !ends_unquoted_word(line[end]) && line[end] != '"' && line[end] != '\'') {
      ++end;
    }
    if (end > pos && (end == size || ends_unquoted_word(line[end]))) {
      next_arg().assign(line.data() + pos, end - pos);
      pos = end;
      continue;
    }
    std::string& current = next_arg();
    current.clear();
    bool in_double = false;
    bool in_single = false;
    for (bool done = false; !done;) {
      const char c = at(pos);
      if (in_double) {
        if (c == '\\' && at(pos + 1) == 'x' && hex_value(at(pos + 2)) >= 0 &&
            hex_value(at(pos + 3)) >= 0) {
          current += static_cast<char>(hex_value(at(pos + 2)) * 16 + hex_value(at(pos + 3)));
          pos += 3;
        } else if (c == '\\' && at(pos + 1) != '\0') {
          ++pos;
          current += unescape_double_quoted(at(pos));
        } else if (c == '"') {
          if (at(pos + 1) != '\0' && !is_separator_space(at(pos + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;  // unterminated double quote
        } else {
          current += c;
        }
      } else if (in_single) {
        if (c == '\\' && at(pos + 1) == '\'') {
          ++pos;
          current += '\'';
        } else if (c == '\'') {
          if (at(pos + 1) != '\0' && !is_separator_space(at(pos + 1))) return false;
          done = true;
        } else if (c == '\0') {
          return false;  // unterminated single quote
        } else {
          current += c;
        }
      } else if (c == '\0' || ends_unquoted_word(c)) {
        done = true;
      } else if (c == '"') {
        in_double = true;
      } else if (c == '\'') {
        in_single = true;
      } else {
        current += c;
      }
      if (pos < size) ++pos;
    }
  }
}

std::string_view strip_trailing_comment(std::string_view line) {
  // Most lines hold no "--" at all: nothing to strip, no quotes to follow.
  if (line.find("--") == std::string_view::npos) return line;
  bool in_double = false;
  bool in_single = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_double) {
      if (c == '\\' && i + 1 < line.size()) {
        ++i;
      } else if (c == '"') {
        in_double = false;
      }
    } else if (in_single) {
      if (c == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
        ++i;
      } else if (c == '\'') {
        in_single = false;
      }
    } else if (c == '"') {
      in_double = true;
    } else if (c == '\'') {
      in_single = true;
    } else if (is_separator_space(c) && line.compare(i + 1, 2, "--") == 0 && i + 3 < line.size() &&
               is_separator_space(line[i + 3])) {
      return line.substr(0, i);
    }
  }
  return line;
}

std::optional<ScriptLine> parse_script_line(std::string_view raw, int line_number) {
  ScriptLine out;
  if (!parse_script_line(raw, line_number, out)) return std::nullopt;
  return out;
}

bool is_client_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxClientNameLength) return false;
  for (char c : name) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
    if (!allowed) return false;
  }
  return true;
}

bool parse_script_line(std::string_view raw, int line_number, ScriptLine& out) {
  std::string_view line = trim(raw);
  if (line.empty() || line.front() == '#') return false;
  // A line that starts with "--" is all comment, like everything after " -- ".
  if (line.size() == 2 ? line == "--"
                       : line.compare(0, 2, "--") == 0 && is_separator_space(line[2])) {
    return false;
  }
  line = trim(strip_trailing_comment(line));
  if (line.empty()) return false;

  out.kind = ScriptLine::Kind::Command;
  out.line_number = line_number;
  out.text.assign(line.data(), line.size());
  out.repeat = 1;
  std::vector<std::string>& args = out.args;
  if (line.front() == '@') {
    args.clear();
    out.kind = is_client_name(line.substr(1)) ? ScriptLine::Kind::ClientSwitch
                                              : ScriptLine::Kind::InvalidClientSwitch;
    return true;
  }
  if (!split_command_line(line, args)) {
    out.kind = ScriptLine::Kind::InvalidArguments;
    args.clear();
    return true;
  }
  if (args.empty()) return false;
  // redis-cli: a leading number repeats the command ("3 INCR x"), zero or negative is refused.
  const char lead = args.front().empty() ? '\0' : args.front()[0];
  // Only a word strtol could read whole (or an empty one) can be a count: skip the rest.
  const bool may_be_number = (lead >= '0' && lead <= '9') || lead == '-' || lead == '+' ||
                             lead == ' ' || (lead >= '\t' && lead <= '\r') || lead == '\0';
  if (args.size() > 1 && may_be_number) {
    const std::string& first = args[0];
    char* end = nullptr;
    errno = 0;
    const long repeat = std::strtol(first.c_str(), &end, 10);
    if (*end == '\0') {
      if (errno == ERANGE || errno == EINVAL || repeat <= 0) {
        out.kind = ScriptLine::Kind::InvalidRepeat;
        args.clear();
        return true;
      }
      out.repeat = repeat;
      args.erase(args.begin());
    }
  }
  return true;
}

}  // namespace redpad
