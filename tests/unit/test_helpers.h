// Shared fixture for the unit tests: servers with a fixed clock, and two ways to run a
// command (the Reply itself, or the text redis-cli would print for it).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "heap_usage.h"
#include "reply.h"
#include "reply_cli.h"
#include "script.h"
#include "server.h"

namespace redpad {

// doctest prints a Reply that failed a comparison as its type and redis-cli text.
inline std::ostream& operator<<(std::ostream& out, const Reply& reply) {
  static const char* const kNames[] = {
      "Status",  "Error", "Integer", "Bulk",     "Nil",  "Array", "NullArray", "Double",
      "Boolean", "Map",   "Set",     "Verbatim", "Push", "Help",  "Several",   "Blocked"};
  const auto index = static_cast<size_t>(reply.type);
  return out << (index < std::size(kNames) ? kNames[index] : "ReplyType?") << ' '
             << format_reply_cli(reply, false, false);
}

}  // namespace redpad

namespace redpad::test {

using redpad::ClientSession;
using redpad::Reply;
using redpad::ReplyType;
using redpad::Server;

// Tue Nov 14 2023 22:13:20 UTC: a whole second, so TIME and TTL arithmetic stay readable.
inline constexpr std::int64_t kStartMs = 1'700'000'000'000;

inline ServerConfig config(std::uint64_t seed = 0) {
  ServerConfig c;
  c.start_time_ms = kStartMs;
  c.seed = seed;
  return c;
}

// A server whose maxmemory leaves `headroom` bytes above what the process's heap holds
// now: a command growing a value by more than that is refused.
inline ServerConfig config_with_headroom(std::uint64_t headroom) {
  ServerConfig c = config();
  c.maxmemory = heap_bytes_in_use() + headroom;
  return c;
}

// One server on the fixed clock, for a test case that drives it with argument lists. Every
// `run` in these tests gives the Reply itself; every `cli` the text redis-cli prints.
class TestServer {
 public:
  explicit TestServer(ServerConfig server_config = config()) : server(std::move(server_config)) {}
  explicit TestServer(std::uint64_t seed) : server(config(seed)) {}

  Server server;

  Reply run(const std::vector<std::string>& args) {
    return server.execute(server.default_session(), args);
  }
  // What redis-cli --no-raw prints for the command, final newline included.
  std::string cli(const std::vector<std::string>& args) { return format_reply_cli(run(args)); }
  // The same without the final newline: a one-line reply reads as the line itself.
  std::string cli_line(const std::vector<std::string>& args) {
    std::string text = cli(args);
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
};

inline Reply run(Server& server, ClientSession& session, std::initializer_list<std::string> args) {
  return server.execute(session, std::vector<std::string>(args));
}

inline Reply run(Server& server, std::initializer_list<std::string> args) {
  return run(server, server.default_session(), args);
}

// What redis-cli prints for one typed line (split with redis-cli's quoting rules).
inline std::string cli(Server& server, ClientSession& session, std::string_view line) {
  const auto args = split_command_line(line);
  REQUIRE_MESSAGE(args.has_value(), "bad test line: ", std::string(line));
  return format_reply_cli(server.execute(session, *args), cli_prints_raw(*args));
}

inline std::string cli(Server& server, std::string_view line) {
  return cli(server, server.default_session(), line);
}

// Several lines in a row; the outputs concatenated, as a redis-cli session prints them.
inline std::string cli_lines(Server& server, std::initializer_list<std::string_view> lines) {
  std::string out;
  for (std::string_view line : lines)
    out += cli(server, line);
  return out;
}

// redis-cli's output lines, each ending in a newline.
inline std::string lines(std::initializer_list<const char*> items) {
  std::string out;
  for (const char* item : items)
    out += std::string(item) + "\n";
  return out;
}

// The WRONGTYPE error as redis-cli prints it.
inline constexpr const char* kWrongTypeShown =
    "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n";

// The bulk strings of an array reply (every element must be a bulk string).
inline std::vector<std::string> strings_of(const Reply& reply) {
  REQUIRE(reply.type == ReplyType::Array);
  std::vector<std::string> out;
  for (const Reply& item : reply.elements) {
    REQUIRE(item.type == ReplyType::Bulk);
    out.push_back(item.str);
  }
  return out;
}

// The first or last `count` lines of a text, each with its newline.
inline std::string first_lines(const std::string& text, size_t count) {
  size_t end = 0;
  for (size_t i = 0; i < count && end != std::string::npos; ++i) {
    end = text.find('\n', end);
    if (end != std::string::npos) ++end;
  }
  return end == std::string::npos ? text : text.substr(0, end);
}

inline std::string last_lines(const std::string& text, size_t count) {
  if (text.empty()) return text;
  size_t start = text.size() - 1;  // skip the final newline
  for (size_t i = 0; i < count; ++i) {
    const size_t newline = start == 0 ? std::string::npos : text.rfind('\n', start - 1);
    if (newline == std::string::npos) return text;
    start = newline;
  }
  return text.substr(start + 1);
}

inline Reply bulk(std::string text) {
  return Reply::bulk(std::move(text));
}
inline Reply integer(long long value) {
  return Reply::integer_value(value);
}
inline Reply error(std::string text) {
  return Reply::error(std::move(text));
}
inline Reply status(std::string text) {
  return Reply::status(std::move(text));
}
inline Reply array(std::vector<Reply> items = {}) {
  return Reply::array(std::move(items));
}

inline Reply bulks(std::initializer_list<std::string> items) {
  std::vector<Reply> out;
  for (const std::string& item : items)
    out.push_back(Reply::bulk(item));
  return Reply::array(std::move(out));
}

}  // namespace redpad::test

// The argument-list forms of run and cli, for test files that build their commands as
// vectors: run(server, {"SADD", "s", "a"}), cli(server, with_range(...)).
namespace redpad::test::by_args {

using redpad::test::config;

inline Reply run(Server& server, const std::vector<std::string>& args) {
  return server.execute(server.default_session(), args);
}
// The same for another client.
inline Reply run(Server& server, ClientSession& session, const std::vector<std::string>& args) {
  return server.execute(session, args);
}

// What redis-cli would print.
inline std::string cli(Server& server, const std::vector<std::string>& args) {
  return format_reply_cli(run(server, args));
}

}  // namespace redpad::test::by_args
