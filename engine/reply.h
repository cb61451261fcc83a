// One reply type for every command, shaped like RESP so that every writer (redis-cli
// text, JSON for the page, RESP if ever needed) can render it without knowing commands.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace redpad {

enum class ReplyType : std::uint8_t {
  Status,     // +OK
  Error,      // -ERR ...
  Integer,    // :42
  Bulk,       // $3 foo
  Nil,        // $-1
  Array,      // *N
  NullArray,  // *-1
  // RESP3 types, kept so the writers and the page can grow into them.
  Double,
  Boolean,
  Map,
  Set,
  Verbatim,
  Push,
  // Not a Redis reply: redis-cli's own `help` text, formatted by the writers.
  Help,
  // Not one reply but several sent in a row (SUBSCRIBE a b answers once per channel):
  // elements, each shown as a reply of its own.
  Several,
  // No reply yet: the command blocked its client (BLPOP on an empty list); the answer
  // comes later, when another client serves it or its timeout passes.
  Blocked,
};

struct Reply {
  ReplyType type = ReplyType::Nil;
  std::string str;              // Status, Error, Bulk, Verbatim text
  long long integer = 0;        // Integer, Boolean; for Help: the HelpKind
  double number = 0;            // Double
  std::vector<Reply> elements;  // Array, Map (key, value, key, value...), Set, Push, Help

  static Reply status(std::string text);
  static Reply error(std::string text);
  static Reply integer_value(long long value);
  static Reply bulk(std::string bytes);
  static Reply nil();
  static Reply array(std::vector<Reply> items = {});
  static Reply null_array();
  static Reply ok();
  static Reply several(std::vector<Reply> replies);
  static Reply blocked();

  bool is_error() const { return type == ReplyType::Error; }
  bool is_blocked() const { return type == ReplyType::Blocked; }
  bool operator==(const Reply& other) const;
  bool operator!=(const Reply& other) const { return !(*this == other); }
};

// What a Help reply holds: elements are arrays of
// [name, syntax, summary, since, group] bulk strings.
enum class HelpKind : int { Intro = 0, Commands = 1, Group = 2 };

}  // namespace redpad
