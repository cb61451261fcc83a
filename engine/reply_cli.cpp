#include "reply_cli.h"

#include <charconv>
#include <cstdio>

#include "ascii.h"

namespace redpad {

namespace {

const char kHexDigits[] = "0123456789abcdef";

void append_help_entry(std::string& out, const Reply& entry, bool with_group, bool ansi) {
  // entry: [name, syntax, summary, since, group]
  const char* eol = ansi ? "\r\n" : "\n";
  const std::string& name = entry.elements[0].str;
  const std::string& syntax = entry.elements[1].str;
  out += eol;
  if (ansi) {
    out += "  \x1b[1m" + name + "\x1b[0m \x1b[90m" + syntax + "\x1b[0m\r\n";
    out += "  \x1b[33msummary:\x1b[0m " + entry.elements[2].str + "\r\n";
    out += "  \x1b[33msince:\x1b[0m " + entry.elements[3].str + "\r\n";
    if (with_group) out += "  \x1b[33mgroup:\x1b[0m " + entry.elements[4].str + "\r\n";
  } else {
    out += "  " + name + " " + syntax + "\n";
    out += "  summary: " + entry.elements[2].str + "\n";
    out += "  since: " + entry.elements[3].str + "\n";
    if (with_group) out += "  group: " + entry.elements[4].str + "\n";
  }
}

std::string format_help(const Reply& reply, bool ansi) {
  if (static_cast<HelpKind>(reply.integer) == HelpKind::Intro) {
    return "redis-cli 7.0.15\n"
           "To get help about Redis commands type:\n"
           "      \"help @<group>\" to get a list of commands in <group>\n"
           "      \"help <command>\" for help on <command>\n"
           "      \"help <tab>\" to get a list of possible help topics\n"
           "      \"quit\" to exit\n"
           "\n"
           "To set redis-cli preferences:\n"
           "      \":set hints\" enable online hints\n"
           "      \":set nohints\" disable online hints\n"
           "Set your preferences in ~/.redisclirc\n";
  }
  const bool with_group = static_cast<HelpKind>(reply.integer) == HelpKind::Commands;
  std::string out;
  for (const Reply& entry : reply.elements)
    append_help_entry(out, entry, with_group, ansi);
  out += ansi ? "\r\n" : "\n";
  return out;
}

const char* empty_aggregate_text(ReplyType type) {
  switch (type) {
    case ReplyType::Map:
      return "(empty hash)\n";
    case ReplyType::Set:
      return "(empty set)\n";
    case ReplyType::Push:
      return "(empty push)\n";
    default:
      return "(empty array)\n";
  }
}

void append_tty(std::string& out, const Reply& reply, const std::string& prefix, bool ansi);

bool is_aggregate(const Reply& reply) {
  return reply.type == ReplyType::Array || reply.type == ReplyType::Map ||
         reply.type == ReplyType::Set || reply.type == ReplyType::Push;
}

void append_aggregate(std::string& out, const Reply& reply, const std::string& prefix, bool ansi) {
  const size_t count = reply.elements.size();
  if (count == 0) {
    out += empty_aggregate_text(reply.type);
    return;
  }
  const bool is_map = reply.type == ReplyType::Map;
  const size_t shown = is_map ? count / 2 : count;
  // redis-cli marks map pairs with '#', set members with '~', everything else with ')'.
  const char marker = is_map ? '#' : reply.type == ReplyType::Set ? '~' : ')';
  int width = 0;
  for (size_t n = shown; n > 0 || width == 0; n /= 10)
    ++width;
  // Lines after an element's first one line up under that element's text.
  const std::string child_prefix = prefix + std::string(static_cast<size_t>(width) + 2, ' ');
  for (size_t i = 0; i < shown; ++i) {
    const std::string number = std::to_string(i + 1);
    if (i > 0) out += prefix;
    out.append(static_cast<size_t>(width) - number.size(), ' ');
    out += number;
    out += marker;
    out += ' ';
    if (!is_map) {
      append_tty(out, reply.elements[i], child_prefix, ansi);
      continue;
    }
    append_tty(out, reply.elements[2 * i], child_prefix, ansi);
    out.pop_back();  // the value follows on the key's line
    out += " => ";
    const Reply& value = reply.elements[2 * i + 1];
    if (is_aggregate(value) && !value.elements.empty()) {
      out += '\n';
      out += child_prefix;
    }
    append_tty(out, value, child_prefix, ansi);
  }
}

// Appends rather than returns: a script's replies all go into one buffer, without a
// string per reply and per element.
void append_tty(std::string& out, const Reply& reply, const std::string& prefix, bool ansi) {
  switch (reply.type) {
    case ReplyType::Status:
    case ReplyType::Verbatim:
      out += reply.str;
      out += '\n';
      return;
    case ReplyType::Error:
      out += "(error) ";
      out += reply.str;
      out += '\n';
      return;
    case ReplyType::Integer: {
      char digits[24];
      const auto written = std::to_chars(digits, digits + sizeof digits, reply.integer);
      out += "(integer) ";
      out.append(digits, written.ptr);
      out += '\n';
      return;
    }
    case ReplyType::Bulk:
      append_quoted_bulk_cli(out, reply.str);
      out += '\n';
      return;
    case ReplyType::Nil:
    case ReplyType::NullArray:
      out += "(nil)\n";
      return;
    case ReplyType::Double: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "(double) %.17g\n", reply.number);
      out += buf;
      return;
    }
    case ReplyType::Boolean:
      out += reply.integer ? "(true)\n" : "(false)\n";
      return;
    case ReplyType::Array:
    case ReplyType::Map:
    case ReplyType::Set:
    case ReplyType::Push:
      append_aggregate(out, reply, prefix, ansi);
      return;
    case ReplyType::Help:
      out += format_help(reply, ansi);
      return;
    case ReplyType::Several:  // each on its own, as redis-cli reads them one by one
      for (const Reply& each : reply.elements)
        append_tty(out, each, prefix, ansi);
      return;
    case ReplyType::Blocked:  // nothing to show yet
      return;
  }
}

std::string format_tty(const Reply& reply, const std::string& prefix, bool ansi) {
  std::string out;
  append_tty(out, reply, prefix, ansi);
  return out;
}

std::string format_raw(const Reply& reply) {
  switch (reply.type) {
    case ReplyType::Bulk:
    case ReplyType::Status:
    case ReplyType::Verbatim:
      return reply.str;
    case ReplyType::Error:
      return reply.str + "\n";
    case ReplyType::Integer:
      return std::to_string(reply.integer);
    case ReplyType::Nil:
    case ReplyType::NullArray:
    case ReplyType::Blocked:
      return "";
    case ReplyType::Array: {
      std::string out;
      for (size_t i = 0; i < reply.elements.size(); ++i) {
        if (i > 0) out += "\n";
        out += format_raw(reply.elements[i]);
      }
      return out;
    }
    default:
      return format_tty(reply, "", false);
  }
}

}  // namespace

void append_quoted_bulk_cli(std::string& out, std::string_view bytes) {
  out += '"';
  for (unsigned char c : bytes) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (c >= 0x20 && c <= 0x7e) {
          out += static_cast<char>(c);
        } else {
          out += "\\x";
          out += kHexDigits[c >> 4];
          out += kHexDigits[c & 0xf];
        }
    }
  }
  out += '"';
}

std::string quote_bulk_cli(const std::string& bytes) {
  std::string out;
  append_quoted_bulk_cli(out, bytes);
  return out;
}

std::string format_reply_cli(const Reply& reply, bool raw, bool ansi) {
  std::string out;
  append_reply_cli(out, reply, raw, ansi);
  return out;
}

void append_reply_cli(std::string& out, const Reply& reply, bool raw, bool ansi) {
  if (raw && reply.type != ReplyType::Help) {
    out += format_raw(reply);
    return;
  }
  static const std::string no_prefix;
  append_tty(out, reply, no_prefix, ansi);
}

bool cli_prints_raw(const std::vector<std::string>& args) {
  if (args.empty()) return false;
  // Most commands print formatted: only these first letters can start one that does not.
  switch (args[0].empty() ? '\0' : args[0][0] | 0x20) {
    case 'c':
    case 'd':
    case 'i':
    case 'l':
    case 'm':
    case 'p':
      break;
    default:
      return false;
  }
  const std::string command = ascii_lower(args[0]);
  if (command == "info" || command == "lolwut") return true;
  if (args.size() < 2) return false;
  const std::string sub = ascii_lower(args[1]);
  const size_t argc = args.size();
  if (command == "debug")
    return sub == "htstats" || sub == "htstats-key" || sub == "client-eviction";
  if (command == "memory") return sub == "malloc-stats" || sub == "doctor";
  if (command == "cluster") return argc == 2 && (sub == "nodes" || sub == "info");
  if (command == "client") return sub == "list" || sub == "info";
  if (command == "latency") return (argc == 3 && sub == "graph") || (argc == 2 && sub == "doctor");
  if (command == "proxy") return sub == "info";
  return false;
}

}  // namespace redpad
