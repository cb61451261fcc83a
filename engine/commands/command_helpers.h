// Small pieces every command group shares: typed lookups, number arguments and the
// replies Redis gives when they fail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../command_context.h"
#include "../errors.h"
#include "../numbers.h"
#include "../reply.h"

namespace redpad {

inline Reply wrong_type_error() {
  return Reply::error(errors::kWrongType);
}
inline Reply syntax_error() {
  return Reply::error(errors::kSyntax);
}
inline Reply not_integer_error() {
  return Reply::error(errors::kNotInteger);
}

// Redis's getIntFromObjectOrReply (the database of SELECT, MOVE and COPY ... DB): an integer
// that must also fit in 32 bits, with an error of its own for each.
inline std::optional<Reply> parse_int32_argument(const std::string& text, long long& out) {
  if (!parse_integer(text, out)) return not_integer_error();
  if (out < INT32_MIN || out > INT32_MAX) {
    return Reply::error(
        "ERR value is out of range, value must between -2147483648 and 2147483647");
  }
  return std::nullopt;
}

// The outcome of reading a key that must hold a given type: the entry (or nullptr when the
// key is missing), or the WRONGTYPE error to reply with.
struct TypedLookup {
  Entry* entry = nullptr;
  bool wrong_type = false;
};

inline TypedLookup lookup_typed(CommandContext& ctx, const std::string& key, ValueType type,
                                bool count_read = true) {
  Entry* entry = count_read ? ctx.lookup_read(key) : ctx.lookup(key);
  if (entry && entry->value.type != type) return {nullptr, true};
  return {entry, false};
}

// Help text replies (OBJECT HELP, COMMAND HELP): one status line each, as Redis sends them.
inline Reply help_lines(const std::vector<const char*>& lines) {
  std::vector<Reply> items;
  items.reserve(lines.size());
  for (const char* line : lines)
    items.push_back(Reply::status(line));
  return Reply::array(std::move(items));
}

// Real Redis answers SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a count of -N with N
// draws whatever N is, and runs out of memory trying for a huge N; redpad refuses beyond
// this many rather than exhaust the browser's.
inline constexpr long long kMaxRepeatedDraws = 1'000'000;
inline Reply too_many_draws_error(const std::string& command) {
  return Reply::error("ERR redpad returns at most 1000000 members for " + command +
                      " with a negative count");
}

}  // namespace redpad
