// String commands: SET and its family, GET and its family, counters, ranges and LCS.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "../ascii.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
constexpr const char* kOffsetOutOfRange = "ERR offset is out of range";
constexpr const char* kLcsNotStrings = "ERR The specified keys must contain string values";
constexpr const char* kLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";
constexpr const char* kDecrementOverflow = "ERR decrement would overflow";
constexpr const char* kLcsTableTooLarge =
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len";

// ---- SET, SETNX, SETEX, PSETEX, GETEX share one option parser and one setter ----

enum SetFlag : unsigned {
  kSetNx = 1u << 0,
  kSetXx = 1u << 1,
  kSetGet = 1u << 2,
  kSetKeepTtl = 1u << 3,
  kSetPersist = 1u << 4,
  kSetEx = 1u << 5,
  kSetPx = 1u << 6,
  kSetExat = 1u << 7,
  kSetPxat = 1u << 8,
};
constexpr unsigned kSetAnyExpire = kSetEx | kSetPx | kSetExat | kSetPxat;

enum class OptionsFor { Set, GetEx };

struct ExpireOptions {
  unsigned flags = 0;
  const std::string* expire = nullptr;  // the number after EX/PX/EXAT/PXAT
};

// Redis accepts an option unless a conflicting one was already given; a repeated
// EX 10 EX 20 is fine and the last one wins.
std::optional<Reply> parse_set_options(const std::vector<std::string>& args, size_t first,
                                       OptionsFor command, ExpireOptions& out) {
  for (size_t j = first; j < args.size(); ++j) {
    const std::string& opt = args[j];
    const bool has_next = j + 1 < args.size();
    unsigned& f = out.flags;
    auto take_expire = [&](unsigned flag, unsigned conflicts) {
      if ((f & conflicts) || !has_next) return false;
      f |= flag;
      out.expire = &args[++j];
      return true;
    };
    if (iequals(opt, "nx") && !(f & kSetXx) && command == OptionsFor::Set) {
      f |= kSetNx;
    } else if (iequals(opt, "xx") && !(f & kSetNx) && command == OptionsFor::Set) {
      f |= kSetXx;
    } else if (iequals(opt, "get") && command == OptionsFor::Set) {
      f |= kSetGet;
    } else if (iequals(opt, "keepttl") && !(f & (kSetPersist | kSetAnyExpire)) &&
               command == OptionsFor::Set) {
      f |= kSetKeepTtl;
    } else if (iequals(opt, "persist") && command == OptionsFor::GetEx &&
               !(f & (kSetAnyExpire | kSetKeepTtl))) {
      f |= kSetPersist;
    } else if (iequals(opt, "ex")) {
      if (!take_expire(kSetEx, kSetKeepTtl | kSetPersist | kSetExat | kSetPx | kSetPxat))
        return syntax_error();
    } else if (iequals(opt, "px")) {
      if (!take_expire(kSetPx, kSetKeepTtl | kSetPersist | kSetEx | kSetExat | kSetPxat))
        return syntax_error();
    } else if (iequals(opt, "exat")) {
      if (!take_expire(kSetExat, kSetKeepTtl | kSetPersist | kSetEx | kSetPx | kSetPxat))
        return syntax_error();
    } else if (iequals(opt, "pxat")) {
      if (!take_expire(kSetPxat, kSetKeepTtl | kSetPersist | kSetEx | kSetExat | kSetPx))
        return syntax_error();
    } else {
      return syntax_error();
    }
  }
  return std::nullopt;
}

// The absolute expiry in milliseconds for an EX/PX/EXAT/PXAT number, or an error reply.
std::optional<Reply> expire_at_ms(const CommandContext& ctx, const std::string& text,
                                  unsigned flags, std::int64_t& when) {
  long long value = 0;
  if (!parse_integer(text, value)) return not_integer_error();
  const bool seconds = flags & (kSetEx | kSetExat);
  if (value <= 0 || (seconds && value > LLONG_MAX / 1000)) {
    return invalid_expire_time_error(ctx.spec.name);
  }
  if (seconds) value *= 1000;
  if (flags & (kSetEx | kSetPx)) {
    // Redis adds the time with wrapping arithmetic; an overflow shows up as a negative time.
    value = static_cast<long long>(static_cast<unsigned long long>(value) +
                                   static_cast<unsigned long long>(ctx.now_ms));
  }
  if (value <= 0) return invalid_expire_time_error(ctx.spec.name);
  when = value;
  return std::nullopt;
}

// The one setter behind SET, SETNX, SETEX and PSETEX.
Reply set_generic(CommandContext& ctx, const std::string& key, const std::string& value,
                  const ExpireOptions& options, const Reply& ok_reply, const Reply& abort_reply) {
  std::int64_t when = kNoExpiry;
  if (options.expire) {
    if (auto error = expire_at_ms(ctx, *options.expire, options.flags, when)) return *error;
  }
  Reply old_value = Reply::nil();
  Entry* existing = ctx.lookup(key);
  if (options.flags & kSetGet) {
    if (existing && existing->value.type != ValueType::String) return wrong_type_error();
    if (existing) old_value = Reply::bulk(existing->value.str);
  }
  if (((options.flags & kSetNx) && existing) || ((options.flags & kSetXx) && !existing)) {
    return (options.flags & kSetGet) ? old_value : abort_reply;
  }
  ctx.db().put(key, Value::string_for_set(value), (options.flags & kSetKeepTtl) != 0);
  if (when != kNoExpiry) ctx.db().set_expire(key, when);
  ctx.modified(key);
  return (options.flags & kSetGet) ? old_value : ok_reply;
}

Reply set_command(CommandContext& ctx) {
  ExpireOptions options;
  if (auto error = parse_set_options(ctx.args, 3, OptionsFor::Set, options)) return *error;
  return set_generic(ctx, ctx.args[1], ctx.args[2], options, Reply::ok(), Reply::nil());
}

Reply setnx_command(CommandContext& ctx) {
  ExpireOptions options;
  options.flags = kSetNx;
  return set_generic(ctx, ctx.args[1], ctx.args[2], options, Reply::integer_value(1),
                     Reply::integer_value(0));
}

Reply setex_generic(CommandContext& ctx, unsigned unit_flag) {
  ExpireOptions options;
  options.flags = unit_flag;
  options.expire = &ctx.args[2];
  return set_generic(ctx, ctx.args[1], ctx.args[3], options, Reply::ok(), Reply::nil());
}

Reply setex_command(CommandContext& ctx) {
  return setex_generic(ctx, kSetEx);
}
Reply psetex_command(CommandContext& ctx) {
  return setex_generic(ctx, kSetPx);
}

// ---- reads ----

Reply get_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  return found.entry ? Reply::bulk(found.entry->value.str) : Reply::nil();
}

Reply getdel_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::nil();
  Reply value = Reply::bulk(found.entry->value.str);
  ctx.db().erase(ctx.args[1]);
  ctx.modified(ctx.args[1]);
  return value;
}

Reply getex_command(CommandContext& ctx) {
  ExpireOptions options;
  if (auto error = parse_set_options(ctx.args, 2, OptionsFor::GetEx, options)) return *error;
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::nil();
  // Redis validates the time only once it knows the key holds a string.
  std::int64_t when = kNoExpiry;
  if (options.expire) {
    if (auto error = expire_at_ms(ctx, *options.expire, options.flags, when)) return *error;
  }
  Reply value = Reply::bulk(found.entry->value.str);
  if (options.expire && when <= ctx.now_ms) {
    ctx.db().erase(key);  // a time already past deletes the key, as EXPIRE does
    ctx.modified(key);
  } else if (options.expire) {
    ctx.db().set_expire(key, when);
    ctx.modified(key);
  } else if ((options.flags & kSetPersist) && ctx.db().clear_expire(key)) {
    ctx.modified(key);
  }
  return value;
}

Reply getset_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  Reply old_value = found.entry ? Reply::bulk(found.entry->value.str) : Reply::nil();
  ctx.db().put(key, Value::string_for_set(ctx.args[2]));
  ctx.modified(key);
  return old_value;
}

Reply mget_command(CommandContext& ctx) {
  std::vector<Reply> values;
  values.reserve(ctx.args.size() - 1);
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    Entry* entry = ctx.lookup_read(ctx.args[i]);
    values.push_back(entry && entry->value.type == ValueType::String ? Reply::bulk(entry->value.str)
                                                                     : Reply::nil());
  }
  return Reply::array(std::move(values));
}

Reply mset_generic(CommandContext& ctx, bool only_if_none_exist) {
  if (ctx.args.size() % 2 == 0) return arity_error(ctx);
  if (only_if_none_exist) {
    for (size_t i = 1; i < ctx.args.size(); i += 2) {
      if (ctx.lookup(ctx.args[i])) return Reply::integer_value(0);
    }
  }
  for (size_t i = 1; i < ctx.args.size(); i += 2) {
    ctx.db().put(ctx.args[i], Value::string_for_set(ctx.args[i + 1]));
    ctx.modified(ctx.args[i]);
  }
  return only_if_none_exist ? Reply::integer_value(1) : Reply::ok();
}

Reply mset_command(CommandContext& ctx) {
  return mset_generic(ctx, false);
}
Reply msetnx_command(CommandContext& ctx) {
  return mset_generic(ctx, true);
}

Reply strlen_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(found.entry ? static_cast<long long>(found.entry->value.str.size())
                                          : 0);
}

// GETRANGE and SUBSTR: inclusive range, negative offsets count from the end.
Reply getrange_command(CommandContext& ctx) {
  long long start = 0;
  long long end = 0;
  if (!parse_integer(ctx.args[2], start) || !parse_integer(ctx.args[3], end)) {
    return not_integer_error();
  }
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::bulk("");
  const std::string& str = found.entry->value.str;
  if (start < 0 && end < 0 && start > end) return Reply::bulk("");
  const auto length = static_cast<long long>(str.size());
  if (start < 0) start += length;
  if (end < 0) end += length;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= length) end = length - 1;
  if (start > end || length == 0) return Reply::bulk("");
  return Reply::bulk(str.substr(static_cast<size_t>(start), static_cast<size_t>(end - start + 1)));
}

bool exceeds_max_bulk(const CommandContext& ctx, unsigned long long size) {
  return size > ctx.server.config().proto_max_bulk_len;
}

Reply setrange_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  const std::string& value = ctx.args[3];
  long long offset = 0;
  if (!parse_integer(ctx.args[2], offset)) return not_integer_error();
  if (offset < 0) return Reply::error(kOffsetOutOfRange);
  TypedLookup found = lookup_typed(ctx, key, ValueType::String, false);
  if (found.wrong_type) return wrong_type_error();
  // Unsigned, as in Redis: a huge offset must not overflow into a negative size.
  const unsigned long long needed = static_cast<unsigned long long>(offset) + value.size();
  if (!found.entry) {
    if (value.empty()) return Reply::integer_value(0);
    if (exceeds_max_bulk(ctx, needed)) return Reply::error(kStringTooLong);
    if (ctx.server.would_exceed_maxmemory(needed)) return Reply::error(errors::kOutOfMemory);
    std::string fresh(static_cast<size_t>(offset), '\0');
    fresh += value;
    ctx.db().put(key, Value::string_raw(std::move(fresh)));
    ctx.modified(key);
    return Reply::integer_value(static_cast<long long>(needed));
  }
  std::string& str = found.entry->value.str;
  if (value.empty()) return Reply::integer_value(static_cast<long long>(str.size()));
  if (exceeds_max_bulk(ctx, needed)) return Reply::error(kStringTooLong);
  if (needed > str.size() && ctx.server.would_exceed_maxmemory(needed - str.size())) {
    return Reply::error(errors::kOutOfMemory);
  }
  if (str.size() < static_cast<size_t>(needed)) str.resize(static_cast<size_t>(needed), '\0');
  str.replace(static_cast<size_t>(offset), value.size(), value);
  found.entry->value.encoding = StringEncoding::Raw;
  ctx.modified(key);
  return Reply::integer_value(static_cast<long long>(str.size()));
}

Reply append_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  const std::string& value = ctx.args[2];
  TypedLookup found = lookup_typed(ctx, key, ValueType::String, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) {
    ctx.db().put(key, Value::string_for_set(value));
    ctx.modified(key);
    return Reply::integer_value(static_cast<long long>(value.size()));
  }
  std::string& str = found.entry->value.str;
  if (exceeds_max_bulk(ctx, str.size() + value.size())) {
    return Reply::error(kStringTooLong);
  }
  // Past its capacity a string moves to a buffer twice as large: what APPEND may allocate.
  const size_t needed = str.size() + value.size();
  const size_t growth = needed <= str.capacity() ? 0 : std::max(needed, 2 * str.capacity());
  if (ctx.server.would_exceed_maxmemory(growth)) {
    return Reply::error(errors::kOutOfMemory);
  }
  str += value;
  found.entry->value.encoding = StringEncoding::Raw;
  ctx.modified(key);
  return Reply::integer_value(static_cast<long long>(str.size()));
}

// ---- counters ----

Reply incr_generic(CommandContext& ctx, long long increment) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::String, false);
  if (found.wrong_type) return wrong_type_error();
  long long value = 0;
  if (found.entry && !parse_integer(found.entry->value.str, value)) return not_integer_error();
  if ((increment < 0 && value < 0 && increment < LLONG_MIN - value) ||
      (increment > 0 && value > 0 && increment > LLONG_MAX - value)) {
    return Reply::error(errors::kOverflow);
  }
  value += increment;
  ctx.db().put(key, Value::string_integer(value), /*keep_ttl=*/true);
  ctx.modified(key);
  return Reply::integer_value(value);
}

Reply incr_command(CommandContext& ctx) {
  return incr_generic(ctx, 1);
}
Reply decr_command(CommandContext& ctx) {
  return incr_generic(ctx, -1);
}

Reply incrby_command(CommandContext& ctx) {
  long long increment = 0;
  if (!parse_integer(ctx.args[2], increment)) return not_integer_error();
  return incr_generic(ctx, increment);
}

Reply decrby_command(CommandContext& ctx) {
  long long decrement = 0;
  if (!parse_integer(ctx.args[2], decrement)) return not_integer_error();
  if (decrement == LLONG_MIN) return Reply::error(kDecrementOverflow);
  return incr_generic(ctx, -decrement);
}

Reply incrbyfloat_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::String, false);
  if (found.wrong_type) return wrong_type_error();
  long double value = 0;
  long double increment = 0;
  if ((found.entry && !parse_long_double(found.entry->value.str, value)) ||
      !parse_long_double(ctx.args[2], increment)) {
    return not_float_error();
  }
  value = add_long_doubles(value, increment);
  if (std::isnan(value) || std::isinf(value)) return Reply::error(errors::kIncrFloatNanOrInf);
  std::string text = format_long_double(value);
  ctx.db().put(key, Value::string_plain(text), /*keep_ttl=*/true);
  ctx.modified(key);
  return Reply::bulk(std::move(text));
}

// ---- LCS ----

struct LcsMatch {
  size_t a_start, a_end, b_start, b_end;
};

Reply lcs_command(CommandContext& ctx) {
  Entry* entry_a = ctx.lookup_read(ctx.args[1]);
  Entry* entry_b = ctx.lookup_read(ctx.args[2]);
  if ((entry_a && entry_a->value.type != ValueType::String) ||
      (entry_b && entry_b->value.type != ValueType::String)) {
    return Reply::error(kLcsNotStrings);
  }
  const std::string a = entry_a ? entry_a->value.str : std::string();
  const std::string b = entry_b ? entry_b->value.str : std::string();

  bool want_idx = false;
  bool want_len = false;
  bool with_match_len = false;
  long long min_match_len = 0;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    const std::string& opt = ctx.args[j];
    const bool has_next = j + 1 < ctx.args.size();
    if (iequals(opt, "idx")) {
      want_idx = true;
    } else if (iequals(opt, "len")) {
      want_len = true;
    } else if (iequals(opt, "withmatchlen")) {
      with_match_len = true;
    } else if (iequals(opt, "minmatchlen") && has_next) {
      if (!parse_integer(ctx.args[++j], min_match_len)) return not_integer_error();
      if (min_match_len < 0) min_match_len = 0;
    } else {
      return syntax_error();
    }
  }
  if (want_idx && want_len) return Reply::error(kLcsLenAndIdx);

  // The dynamic-programming table must stay within what Redis would allocate.
  const unsigned long long cells =
      static_cast<unsigned long long>(a.size() + 1) * static_cast<unsigned long long>(b.size() + 1);
  if (cells * sizeof(std::uint32_t) > ctx.server.config().proto_max_bulk_len) {
    return Reply::error(kLcsTableTooLarge);
  }
  // The table is transient, but a browser tab has to hold it: it must fit under maxmemory.
  if (ctx.server.would_exceed_maxmemory(cells * sizeof(std::uint32_t))) {
    return Reply::error(errors::kOutOfMemory);
  }
  const size_t width = b.size() + 1;
  std::vector<std::uint32_t> table(static_cast<size_t>(cells), 0);
  auto cell = [&](size_t i, size_t j) -> std::uint32_t& { return table[i * width + j]; };
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      cell(i, j) =
          a[i - 1] == b[j - 1] ? cell(i - 1, j - 1) + 1 : std::max(cell(i - 1, j), cell(i, j - 1));
    }
  }
  const std::uint32_t length = cell(a.size(), b.size());
  if (want_len) return Reply::integer_value(length);

  // Walk back from the end, collecting the common string and the runs it is made of.
  std::string common(length, '\0');
  size_t idx = length;
  std::vector<LcsMatch> matches;
  bool in_run = false;
  LcsMatch run{};
  auto close_run = [&] {
    if (!in_run) return;
    const size_t run_length = run.a_end - run.a_start + 1;
    if (min_match_len == 0 || run_length >= static_cast<unsigned long long>(min_match_len)) {
      matches.push_back(run);
    }
    in_run = false;
  };
  size_t i = a.size();
  size_t j = b.size();
  while (i > 0 && j > 0) {
    if (a[i - 1] == b[j - 1]) {
      common[--idx] = a[i - 1];
      if (in_run && run.a_start == i && run.b_start == j) {
        --run.a_start;
        --run.b_start;
      } else {
        close_run();
        run = {i - 1, i - 1, j - 1, j - 1};
        in_run = true;
      }
      --i;
      --j;
    } else {
      close_run();
      if (cell(i - 1, j) > cell(i, j - 1)) {
        --i;
      } else {
        --j;
      }
    }
  }
  close_run();
  if (!want_idx) return Reply::bulk(std::move(common));

  std::vector<Reply> listed;
  for (const LcsMatch& m : matches) {
    std::vector<Reply> item;
    item.push_back(Reply::array({Reply::integer_value(static_cast<long long>(m.a_start)),
                                 Reply::integer_value(static_cast<long long>(m.a_end))}));
    item.push_back(Reply::array({Reply::integer_value(static_cast<long long>(m.b_start)),
                                 Reply::integer_value(static_cast<long long>(m.b_end))}));
    if (with_match_len) {
      item.push_back(Reply::integer_value(static_cast<long long>(m.a_end - m.a_start + 1)));
    }
    listed.push_back(Reply::array(std::move(item)));
  }
  return Reply::array({Reply::bulk("matches"), Reply::array(std::move(listed)), Reply::bulk("len"),
                       Reply::integer_value(length)});
}

}  // namespace

std::vector<CommandRow> string_command_rows() {
  return {
      {"append", append_command},
      {"decr", decr_command},
      {"decrby", decrby_command},
      {"get", get_command},
      {"getdel", getdel_command},
      {"getex", getex_command},
      {"getrange", getrange_command},
      {"getset", getset_command},
      {"incr", incr_command},
      {"incrby", incrby_command},
      {"incrbyfloat", incrbyfloat_command},
      {"lcs", lcs_command},
      {"mget", mget_command},
      {"mset", mset_command},
      {"msetnx", msetnx_command},
      {"psetex", psetex_command},
      {"set", set_command},
      {"setex", setex_command},
      {"setnx", setnx_command},
      {"setrange", setrange_command},
      {"strlen", strlen_command},
      {"substr", getrange_command},
  };
}

}  // namespace redpad
