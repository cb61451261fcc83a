// List commands: pushes and pops at both ends, ranges and indexes, LREM, LINSERT, LTRIM,
// LPOS, the moves between lists (LMOVE, RPOPLPUSH), LMPOP, and the blocking forms (BLPOP,
// BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) that wait for another client's push.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../types/list.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kIndexOutOfRange = "ERR index out of range";
constexpr const char* kRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
constexpr const char* kCountNegative = "ERR COUNT can't be negative";
constexpr const char* kMaxlenNegative = "ERR MAXLEN can't be negative";

enum class End { Head, Tail };

// LEFT / RIGHT, as LMOVE and LMPOP spell the ends.
bool parse_end(const std::string& text, End& end) {
  if (iequals(text, "left")) {
    end = End::Head;
  } else if (iequals(text, "right")) {
    end = End::Tail;
  } else {
    return false;
  }
  return true;
}

// LMOVE's and BLMOVE's wherefrom and whereto (their arguments 3 and 4).
std::optional<Reply> parse_move_ends(const CommandContext& ctx, End& from, End& to) {
  if (!parse_end(ctx.args[3], from) || !parse_end(ctx.args[4], to)) return syntax_error();
  return std::nullopt;
}

ListValue& list_of(Entry& entry) {
  return entry.value.as<ListValue>();
}

// The list under `key`, creating an empty one when the key is missing.
ListValue& list_for_write(CommandContext& ctx, const std::string& key, Entry* entry) {
  if (entry) return list_of(*entry);
  return list_of(ctx.db().put(key, Value::make<ListValue>(ValueType::List)));
}

void push(ListValue& list, End end, std::string item) {
  if (end == End::Head) {
    list.items.push_front(std::move(item));
  } else {
    list.items.push_back(std::move(item));
  }
}

std::string pop(ListValue& list, End end) {
  std::string item;
  if (end == End::Head) {
    item = std::move(list.items.front());
    list.items.pop_front();
  } else {
    item = std::move(list.items.back());
    list.items.pop_back();
  }
  return item;
}

// Up to `count` items from one end, as an array reply.
Reply pop_many(ListValue& list, End end, long long count) {
  const auto taken = static_cast<size_t>(std::min(
      static_cast<unsigned long long>(count), static_cast<unsigned long long>(list.items.size())));
  std::vector<Reply> items;
  items.reserve(taken);
  for (size_t i = 0; i < taken; ++i)
    items.push_back(Reply::bulk(pop(list, end)));
  return Reply::array(std::move(items));
}

// A write is finished: WATCH hears of it, and a list left empty takes its key with it.
void finish_write(CommandContext& ctx, const std::string& key, const ListValue& list) {
  if (list.items.empty()) ctx.db().erase(key);
  ctx.modified(key);
}

// An inclusive [start, end] range with negative indexes counted from the end, clamped to
// the list. Returns false when nothing is left of it.
bool clamp_range(long long start, long long end, size_t size, size_t& first, size_t& last) {
  const auto length = static_cast<long long>(size);
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (start > end || start >= length) return false;
  if (end >= length) end = length - 1;
  first = static_cast<size_t>(start);
  last = static_cast<size_t>(end);
  return true;
}

// ---- pushes ----

Reply push_generic(CommandContext& ctx, End end, bool only_if_exists) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry && only_if_exists) return Reply::integer_value(0);
  ListValue& list = list_for_write(ctx, key, found.entry);
  for (size_t i = 2; i < ctx.args.size(); ++i)
    push(list, end, ctx.args[i]);
  ctx.modified(key);
  return Reply::integer_value(static_cast<long long>(list.items.size()));
}

Reply lpush_command(CommandContext& ctx) {
  return push_generic(ctx, End::Head, false);
}
Reply rpush_command(CommandContext& ctx) {
  return push_generic(ctx, End::Tail, false);
}
Reply lpushx_command(CommandContext& ctx) {
  return push_generic(ctx, End::Head, true);
}
Reply rpushx_command(CommandContext& ctx) {
  return push_generic(ctx, End::Tail, true);
}

// ---- pops ----

// LPOP and RPOP: one item (bulk or nil), or with a count an array (nil array for no key).
Reply pop_generic(CommandContext& ctx, End end) {
  if (ctx.args.size() > 3) {
    return arity_error(ctx);
  }
  const bool with_count = ctx.args.size() == 3;
  long long count = 1;
  if (with_count && (!parse_integer(ctx.args[2], count) || count < 0)) {
    return Reply::error(errors::kMustBePositive);
  }
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return with_count ? Reply::null_array() : Reply::nil();
  if (with_count && count == 0) return Reply::array();
  ListValue& list = list_of(*found.entry);
  Reply reply = with_count ? pop_many(list, end, count) : Reply::bulk(pop(list, end));
  finish_write(ctx, key, list);
  return reply;
}

Reply lpop_command(CommandContext& ctx) {
  return pop_generic(ctx, End::Head);
}
Reply rpop_command(CommandContext& ctx) {
  return pop_generic(ctx, End::Tail);
}

// ---- reads ----

Reply llen_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::List);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(
      found.entry ? static_cast<long long>(list_of(*found.entry).items.size()) : 0);
}

Reply lrange_command(CommandContext& ctx) {
  long long start = 0;
  long long end = 0;
  if (!parse_integer(ctx.args[2], start) || !parse_integer(ctx.args[3], end)) {
    return not_integer_error();
  }
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::List);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::array();
  const ListValue& list = list_of(*found.entry);
  size_t first = 0;
  size_t last = 0;
  if (!clamp_range(start, end, list.items.size(), first, last)) return Reply::array();
  std::vector<Reply> items;
  items.reserve(last - first + 1);
  for (size_t i = first; i <= last; ++i)
    items.push_back(Reply::bulk(list.items[i]));
  return Reply::array(std::move(items));
}

// A list position from a possibly negative index, or false when it is outside the list.
bool resolve_index(long long index, size_t size, size_t& position) {
  const auto length = static_cast<long long>(size);
  if (index < 0) index += length;
  if (index < 0 || index >= length) return false;
  position = static_cast<size_t>(index);
  return true;
}

// LINDEX looks at the key before the index: a missing key is nil whatever the index says.
Reply lindex_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::List);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::nil();
  long long index = 0;
  if (!parse_integer(ctx.args[2], index)) return not_integer_error();
  const ListValue& list = list_of(*found.entry);
  size_t position = 0;
  if (!resolve_index(index, list.items.size(), position)) return Reply::nil();
  return Reply::bulk(list.items[position]);
}

struct LposOptions {
  long long rank = 1;
  long long count = 0;
  long long maxlen = 0;
  bool with_count = false;
};

// Options are checked one by one as they come, so the first bad one decides the error.
std::optional<Reply> parse_lpos_options(const std::vector<std::string>& args, LposOptions& out) {
  for (size_t j = 3; j < args.size(); ++j) {
    const std::string& opt = args[j];
    const bool has_next = j + 1 < args.size();
    if (iequals(opt, "rank") && has_next) {
      if (!parse_integer(args[++j], out.rank)) return not_integer_error();
      if (out.rank == 0) return Reply::error(kRankZero);
    } else if (iequals(opt, "count") && has_next) {
      if (!parse_integer(args[++j], out.count) || out.count < 0) {
        return Reply::error(kCountNegative);
      }
      out.with_count = true;
    } else if (iequals(opt, "maxlen") && has_next) {
      if (!parse_integer(args[++j], out.maxlen) || out.maxlen < 0) {
        return Reply::error(kMaxlenNegative);
      }
    } else {
      return syntax_error();
    }
  }
  return std::nullopt;
}

Reply lpos_command(CommandContext& ctx) {
  LposOptions options;
  if (auto error = parse_lpos_options(ctx.args, options)) return *error;
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::List);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return options.with_count ? Reply::array() : Reply::nil();

  const ListValue& list = list_of(*found.entry);
  const std::string& element = ctx.args[2];
  const bool from_tail = options.rank < 0;
  // Redis negates the rank to get its magnitude; RANK -9223372036854775808 stays negative
  // there, so every match qualifies and COUNT never stops the search.
  const bool every_match = options.rank == LLONG_MIN;
  const long long wanted_rank = every_match ? 1 : (from_tail ? -options.rank : options.rank);
  const size_t size = list.items.size();
  const auto limit =
      options.maxlen == 0
          ? size
          : static_cast<size_t>(std::min(static_cast<unsigned long long>(options.maxlen),
                                         static_cast<unsigned long long>(size)));
  std::vector<Reply> positions;
  long long matches = 0;
  for (size_t step = 0; step < limit; ++step) {
    const size_t position = from_tail ? size - 1 - step : step;
    if (list.items[position] != element) continue;
    ++matches;
    if (matches < wanted_rank) continue;
    if (!options.with_count) return Reply::integer_value(static_cast<long long>(position));
    positions.push_back(Reply::integer_value(static_cast<long long>(position)));
    if (!every_match && options.count != 0 && matches - wanted_rank + 1 >= options.count) break;
  }
  return options.with_count ? Reply::array(std::move(positions)) : Reply::nil();
}

// ---- in-place writes ----

// LSET looks at the key before the index: a missing key is "no such key" whatever follows.
Reply lset_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::error(errors::kNoSuchKey);
  long long index = 0;
  if (!parse_integer(ctx.args[2], index)) return not_integer_error();
  ListValue& list = list_of(*found.entry);
  size_t position = 0;
  if (!resolve_index(index, list.items.size(), position)) return Reply::error(kIndexOutOfRange);
  list.items[position] = ctx.args[3];
  ctx.modified(key);
  return Reply::ok();
}

// Removes up to `limit` copies of `element`, walking from `first` to `last`, and keeps the
// others in order. Returns the number removed and where the kept items now end.
template <class Iterator>
std::pair<long long, Iterator> remove_matches(Iterator first, Iterator last,
                                              const std::string& element,
                                              unsigned long long limit) {
  long long removed = 0;
  Iterator out = first;
  for (Iterator it = first; it != last; ++it) {
    if (static_cast<unsigned long long>(removed) < limit && *it == element) {
      ++removed;
      continue;
    }
    if (out != it) *out = std::move(*it);
    ++out;
  }
  return {removed, out};
}

Reply lrem_command(CommandContext& ctx) {
  long long count = 0;
  if (!parse_integer(ctx.args[2], count)) return not_integer_error();
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  auto& items = list_of(*found.entry).items;
  const std::string& element = ctx.args[3];
  long long removed = 0;
  if (count >= 0) {
    const unsigned long long limit =
        count == 0 ? ULLONG_MAX : static_cast<unsigned long long>(count);
    auto [n, kept_end] = remove_matches(items.begin(), items.end(), element, limit);
    items.erase(kept_end, items.end());
    removed = n;
  } else {
    // -count, computed without overflowing for LLONG_MIN.
    const unsigned long long limit = 0ULL - static_cast<unsigned long long>(count);
    auto [n, kept_begin] = remove_matches(items.rbegin(), items.rend(), element, limit);
    items.erase(items.begin(), kept_begin.base());
    removed = n;
  }
  if (removed > 0) finish_write(ctx, key, list_of(*found.entry));
  return Reply::integer_value(removed);
}

Reply linsert_command(CommandContext& ctx) {
  const std::string& where = ctx.args[2];
  bool after = false;
  if (iequals(where, "after")) {
    after = true;
  } else if (!iequals(where, "before")) {
    return syntax_error();
  }
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  auto& items = list_of(*found.entry).items;
  auto pivot = std::find(items.begin(), items.end(), ctx.args[3]);
  if (pivot == items.end()) return Reply::integer_value(-1);
  if (after) ++pivot;
  items.insert(pivot, ctx.args[4]);
  ctx.modified(key);
  return Reply::integer_value(static_cast<long long>(items.size()));
}

Reply ltrim_command(CommandContext& ctx) {
  long long start = 0;
  long long end = 0;
  if (!parse_integer(ctx.args[2], start) || !parse_integer(ctx.args[3], end)) {
    return not_integer_error();
  }
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::ok();
  ListValue& list = list_of(*found.entry);
  size_t first = 0;
  size_t last = 0;
  if (clamp_range(start, end, list.items.size(), first, last)) {
    list.items.erase(list.items.begin() + static_cast<std::ptrdiff_t>(last + 1), list.items.end());
    list.items.erase(list.items.begin(), list.items.begin() + static_cast<std::ptrdiff_t>(first));
  } else {
    list.items.clear();
  }
  finish_write(ctx, key, list);
  return Reply::ok();
}

// ---- moves between lists ----

Reply move_generic(CommandContext& ctx, End from, End to) {
  const std::string& source_key = ctx.args[1];
  const std::string& target_key = ctx.args[2];
  TypedLookup source = lookup_typed(ctx, source_key, ValueType::List, false);
  if (source.wrong_type) return wrong_type_error();
  if (!source.entry) return Reply::nil();
  TypedLookup target = lookup_typed(ctx, target_key, ValueType::List, false);
  if (target.wrong_type) return wrong_type_error();

  ListValue& source_list = list_of(*source.entry);
  std::string item = pop(source_list, from);
  if (source_key == target_key) {
    // Popped and pushed back on the same list: the key never goes empty.
    push(source_list, to, item);
    ctx.modified(source_key);
    return Reply::bulk(std::move(item));
  }
  push(list_for_write(ctx, target_key, target.entry), to, item);
  finish_write(ctx, source_key, source_list);
  ctx.modified(target_key);
  return Reply::bulk(std::move(item));
}

Reply lmove_command(CommandContext& ctx) {
  End from = End::Head;
  End to = End::Head;
  if (auto error = parse_move_ends(ctx, from, to)) return *error;
  return move_generic(ctx, from, to);
}

Reply rpoplpush_command(CommandContext& ctx) {
  return move_generic(ctx, End::Tail, End::Head);
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list.
// BLMPOP has its timeout first and waits when every list is empty.
Reply lmpop_generic(CommandContext& ctx, bool blocking) {
  const auto& args = ctx.args;
  std::int64_t timeout_at = 0;
  if (blocking) {
    if (auto error = parse_block_timeout(ctx, args[1], true, timeout_at)) return *error;
  }
  const size_t numkeys_at = blocking ? 2 : 1;
  long long numkeys = 0;
  if (!parse_integer(args[numkeys_at], numkeys) || numkeys < 1) {
    return Reply::error(errors::kNumkeysNotPositive);
  }
  // The keys must leave room for the direction after them.
  if (static_cast<unsigned long long>(numkeys) > args.size() - numkeys_at - 2) {
    return syntax_error();
  }
  const size_t direction_at = numkeys_at + 1 + static_cast<size_t>(numkeys);
  End end = End::Head;
  if (!parse_end(args[direction_at], end)) return syntax_error();
  long long count = 1;
  bool count_given = false;
  for (size_t j = direction_at + 1; j < args.size(); ++j) {
    if (iequals(args[j], "count") && j + 1 < args.size() && !count_given) {
      if (!parse_integer(args[++j], count) || count < 1)
        return Reply::error(errors::kCountNotPositive);
      count_given = true;
    } else {
      return syntax_error();
    }
  }
  for (size_t i = numkeys_at + 1; i < direction_at; ++i) {
    const std::string& key = args[i];
    if (not_serving(ctx, key)) continue;
    TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
    if (found.wrong_type) return wrong_type_error();
    if (!found.entry) continue;
    ListValue& list = list_of(*found.entry);
    Reply items = pop_many(list, end, count);
    finish_write(ctx, key, list);
    return Reply::array({Reply::bulk(key), std::move(items)});
  }
  if (!blocking || !can_block(ctx)) return Reply::null_array();
  return ctx.server.block(ctx,
                          {args.begin() + static_cast<std::ptrdiff_t>(numkeys_at + 1),
                           args.begin() + static_cast<std::ptrdiff_t>(direction_at)},
                          ValueType::List, timeout_at, args);
}

Reply lmpop_command(CommandContext& ctx) {
  return lmpop_generic(ctx, false);
}

// ---- blocking forms ----

// BLPOP / BRPOP key [key ...] timeout: [key, item] from the first non-empty list.
Reply blocking_pop(CommandContext& ctx, End end) {
  const auto& args = ctx.args;
  std::int64_t timeout_at = 0;
  if (auto error = parse_block_timeout(ctx, args.back(), true, timeout_at)) return *error;
  for (size_t i = 1; i + 1 < args.size(); ++i) {
    const std::string& key = args[i];
    if (not_serving(ctx, key)) continue;
    TypedLookup found = lookup_typed(ctx, key, ValueType::List, false);
    if (found.wrong_type) return wrong_type_error();
    if (!found.entry) continue;
    ListValue& list = list_of(*found.entry);
    std::string item = pop(list, end);
    finish_write(ctx, key, list);
    return Reply::array({Reply::bulk(key), Reply::bulk(std::move(item))});
  }
  if (!can_block(ctx)) return Reply::null_array();
  return ctx.server.block(ctx, {args.begin() + 1, args.end() - 1}, ValueType::List, timeout_at,
                          args);
}

Reply blpop_command(CommandContext& ctx) {
  return blocking_pop(ctx, End::Head);
}
Reply brpop_command(CommandContext& ctx) {
  return blocking_pop(ctx, End::Tail);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout, and BRPOPLPUSH source
// destination timeout (RIGHT LEFT): LMOVE once the source has an item.
Reply blocking_move(CommandContext& ctx, End from, End to) {
  std::int64_t timeout_at = 0;
  if (auto error = parse_block_timeout(ctx, ctx.args.back(), true, timeout_at)) return *error;
  const std::string& source_key = ctx.args[1];
  TypedLookup source = lookup_typed(ctx, source_key, ValueType::List, false);
  if (source.wrong_type) return wrong_type_error();
  if (source.entry) return move_generic(ctx, from, to);
  if (!can_block(ctx)) return Reply::nil();
  return ctx.server.block(ctx, {source_key}, ValueType::List, timeout_at, ctx.args);
}

Reply blmove_command(CommandContext& ctx) {
  End from = End::Head;
  End to = End::Head;
  if (auto error = parse_move_ends(ctx, from, to)) return *error;
  return blocking_move(ctx, from, to);
}

Reply brpoplpush_command(CommandContext& ctx) {
  return blocking_move(ctx, End::Tail, End::Head);
}

Reply blmpop_command(CommandContext& ctx) {
  return lmpop_generic(ctx, true);
}

}  // namespace

std::vector<CommandRow> list_command_rows() {
  return {
      {"blmove", blmove_command},
      {"blmpop", blmpop_command},
      {"blpop", blpop_command},
      {"brpop", brpop_command},
      {"brpoplpush", brpoplpush_command},
      {"lindex", lindex_command},
      {"linsert", linsert_command},
      {"llen", llen_command},
      {"lmove", lmove_command},
      {"lmpop", lmpop_command},
      {"lpop", lpop_command},
      {"lpos", lpos_command},
      {"lpush", lpush_command},
      {"lpushx", lpushx_command},
      {"lrange", lrange_command},
      {"lrem", lrem_command},
      {"lset", lset_command},
      {"ltrim", ltrim_command},
      {"rpop", rpop_command},
      {"rpoplpush", rpoplpush_command},
      {"rpush", rpush_command},
      {"rpushx", rpushx_command},
  };
}

}  // namespace redpad
