// Small pieces every command group shares: typed lookups, number arguments and the
// replies Redis gives when they fail.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "../command_context.h"
#include "../errors.h"
#include "../numbers.h"
#include "../reply.h"

namespace redpad {

// Parse helpers that can fail with an error reply return std::optional<Reply>: the reply to
// send, or nothing once the arguments are read (the values go to out-parameters). The caller
// then says `if (auto error = parse_x(...)) return *error;`: the error cannot be forgotten
// or left half-set, and a helper with several failures (syntax, not an integer, out of
// range) words each one itself. A bare bool is kept only for readers of one value (a
// number, a stream ID, a word such as LEFT) whose single failure the caller words, because
// the text depends on the argument's role ("invalid first DB index" / "second") or the
// failure is not an error at all (XCLAIM's IDs end at the first non-ID). No helper takes a
// `Reply& error` out-parameter.

// Redis's getIntFromObjectOrReply (the database of SELECT, MOVE and COPY ... DB): an integer
// that must also fit in 32 bits, with an error of its own for each.
inline std::optional<Reply> parse_int32_argument(const std::string& text, long long& out) {
  if (!parse_integer(text, out)) return not_integer_error();
  if (out < INT32_MIN || out > INT32_MAX) {
    return Reply::error(errors::kInt32OutOfRange);
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

// The arity error of the command being run, for the counts its table row cannot express
// (HSET's pairs, LPOS's options...).
inline Reply arity_error(const CommandContext& ctx) {
  return arity_error(ctx.spec.name);
}

// A handler's own refusal of its subcommand's arguments ("... for 'get'. Try SLOWLOG
// HELP."): the container as the client typed it, upper-cased, as Redis names it.
inline Reply subcommand_syntax_error(const CommandContext& ctx) {
  return subcommand_syntax_error(ctx.args[0], ctx.args[1]);
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

// ---- blocking commands (BLPOP, BZPOPMIN, XREAD BLOCK...) ----

// The longest wait redpad keeps: a longer one (up to 2^63 ms in real Redis) is a hundred
// years, which keeps the virtual clock in range when a script has to wait it out.
inline constexpr std::int64_t kLongestBlockMs = 100LL * 365 * 24 * 3600 * 1000;

// A blocking command's timeout, as Redis 7.0 reads it: seconds as a float, truncated to
// milliseconds (BLPOP's 0.0001 is 0: no timeout; a value whose milliseconds overflow is
// negative), or whole milliseconds (XREAD's BLOCK). Sets `timeout_at_ms` to the clock
// reading the wait ends at, or 0 for no timeout.
inline std::optional<Reply> parse_block_timeout(const CommandContext& ctx, const std::string& text,
                                                bool in_seconds, std::int64_t& timeout_at_ms) {
  long long ms = 0;
  if (in_seconds) {
    long double seconds = 0;
    if (!parse_long_double(text, seconds)) {
      return Reply::error(errors::kTimeoutNotFloat);
    }
    const long double scaled = seconds * 1000;
    // C's conversion of an out-of-range value gives the smallest long long on x86.
    ms = scaled > -9.2e18L && scaled < 9.2e18L ? static_cast<long long>(scaled) : LLONG_MIN;
  } else if (!parse_integer(text, ms)) {
    return Reply::error(errors::kTimeoutNotInteger);
  }
  if (ms < 0) return Reply::error(errors::kTimeoutNegative);
  timeout_at_ms = ms == 0 ? 0 : ctx.now_ms + std::min<std::int64_t>(ms, kLongestBlockMs);
  return std::nullopt;
}

// A blocking command may block unless it runs inside EXEC (where it answers as if its
// timeout had passed) or is being run again to serve its client.
inline bool can_block(const CommandContext& ctx) {
  return !ctx.session.in_exec && ctx.server.serving_key() == nullptr;
}

// While a blocked command is served for one key, its other keys are left alone.
inline bool not_serving(const CommandContext& ctx, const std::string& key) {
  const std::string* serving = ctx.server.serving_key();
  return serving && *serving != key;
}

}  // namespace redpad
