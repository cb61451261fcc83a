// Keyspace commands: existence, deletion, renaming, copying, listing, random keys,
// OBJECT introspection and the whole expiry family.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../glob.h"
#include "../scan_cursor.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kSameObject = "ERR source and destination objects are the same";
constexpr const char* kExpireOptionsNxXxGtLt =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
constexpr const char* kExpireOptionsGtLt =
    "ERR GT and LT options at the same time are not compatible";
constexpr const char* kNoLfuPolicy =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
    "that when switching between policies at runtime LRU and LFU data will take some time to "
    "adjust.";

Reply unsupported_expire_option_error(const std::string& option) {
  return echoing_error("ERR Unsupported option " + errors::echoed(option));
}

Reply del_command(CommandContext& ctx) {
  long long deleted = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if (ctx.lookup(ctx.args[i]) && ctx.db().erase(ctx.args[i])) {
      ctx.modified(ctx.args[i]);
      ++deleted;
    }
  }
  return Reply::integer_value(deleted);
}

// EXISTS and TOUCH count every argument that names a live key (repeats count again).
Reply exists_command(CommandContext& ctx) {
  long long count = 0;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    if (ctx.lookup(ctx.args[i])) ++count;
  }
  return Reply::integer_value(count);
}

Reply type_command(CommandContext& ctx) {
  Entry* entry = ctx.lookup(ctx.args[1]);
  return Reply::status(entry ? type_name(entry->value.type) : "none");
}

Reply rename_generic(CommandContext& ctx, bool only_if_target_missing) {
  const std::string& from = ctx.args[1];
  const std::string& to = ctx.args[2];
  Entry* source = ctx.lookup(from);
  if (!source) return Reply::error(errors::kNoSuchKey);
  if (from == to) return only_if_target_missing ? Reply::integer_value(0) : Reply::ok();
  if (ctx.lookup(to)) {
    if (only_if_target_missing) return Reply::integer_value(0);
    ctx.db().erase(to);
  }
  source = ctx.db().find(from);  // the erase above may have moved entries
  Value value = std::move(source->value);
  const std::int64_t expire_at = source->expire_at_ms;
  ctx.db().erase(from);
  ctx.db().put(to, std::move(value));
  if (expire_at != kNoExpiry) ctx.db().set_expire(to, expire_at);
  ctx.modified(from);
  ctx.modified(to);
  return only_if_target_missing ? Reply::integer_value(1) : Reply::ok();
}

Reply rename_command(CommandContext& ctx) {
  return rename_generic(ctx, false);
}
Reply renamenx_command(CommandContext& ctx) {
  return rename_generic(ctx, true);
}

bool valid_db(const CommandContext& ctx, long long index) {
  return index >= 0 && index < ctx.server.database_count();
}

Reply copy_command(CommandContext& ctx) {
  const std::string& from = ctx.args[1];
  const std::string& to = ctx.args[2];
  long long target_db = ctx.db_index();
  bool replace = false;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    const bool has_next = j + 1 < ctx.args.size();
    if (iequals(ctx.args[j], "replace")) {
      replace = true;
    } else if (iequals(ctx.args[j], "db") && has_next) {
      if (auto error = parse_int32_argument(ctx.args[++j], target_db)) return *error;
    } else {
      return syntax_error();
    }
  }
  if (!valid_db(ctx, target_db)) return Reply::error(errors::kDbIndexOutOfRange);
  const int target = static_cast<int>(target_db);
  if (target == ctx.db_index() && from == to) return Reply::error(kSameObject);
  Entry* source = ctx.lookup(from);
  if (!source) return Reply::integer_value(0);
  if (ctx.lookup_in(target, to)) {
    if (!replace) return Reply::integer_value(0);
    ctx.server.db(target).erase(to);
  }
  source = ctx.db().find(from);
  Value copy = source->value;
  const std::int64_t expire_at = source->expire_at_ms;
  ctx.server.db(target).put(to, std::move(copy));
  if (expire_at != kNoExpiry) ctx.server.db(target).set_expire(to, expire_at);
  ctx.modified(target, to);
  return Reply::integer_value(1);
}

Reply move_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  long long target_db = 0;
  if (auto error = parse_int32_argument(ctx.args[2], target_db)) return *error;
  if (!valid_db(ctx, target_db)) return Reply::error(errors::kDbIndexOutOfRange);
  const int target = static_cast<int>(target_db);
  if (target == ctx.db_index()) return Reply::error(kSameObject);
  Entry* source = ctx.lookup(key);
  if (!source) return Reply::integer_value(0);
  if (ctx.lookup_in(target, key)) return Reply::integer_value(0);
  Value value = std::move(source->value);
  const std::int64_t expire_at = source->expire_at_ms;
  ctx.db().erase(key);
  ctx.server.db(target).put(key, std::move(value));
  if (expire_at != kNoExpiry) ctx.server.db(target).set_expire(key, expire_at);
  ctx.modified(key);
  ctx.modified(target, key);
  return Reply::integer_value(1);
}

Reply keys_command(CommandContext& ctx) {
  const std::string& pattern = ctx.args[1];
  const bool all = pattern == "*";
  std::vector<Reply> keys;
  for (const std::string* key : ctx.db().keys_in_order()) {
    if (all || glob_match(pattern, *key)) keys.push_back(Reply::bulk(*key));
  }
  return Reply::array(std::move(keys));
}

Reply scan_command(CommandContext& ctx) {
  const auto cursor = parse_scan_cursor(ctx.args[1]);
  if (!cursor) return Reply::error(errors::kInvalidCursor);
  ScanOptions options;
  if (auto error = parse_scan_options(ctx.args, 2, /*allow_type=*/true, options)) return *error;
  std::vector<const std::string*> keys;
  keys.reserve(ctx.db().size());
  for (const auto& [key, entry] : ctx.db().entries())
    keys.push_back(&key);
  const ScanPage page = scan_page(keys, *cursor, options.count, ctx.db().table_size());
  std::vector<Reply> listed;
  for (const std::string* key : page.items) {
    if (options.pattern && !glob_match(*options.pattern, *key)) continue;
    if (options.type && !iequals(*options.type, type_name(ctx.db().find(*key)->value.type)))
      continue;
    listed.push_back(Reply::bulk(*key));
  }
  return scan_reply(page.next_cursor, std::move(listed));
}

Reply randomkey_command(CommandContext& ctx) {
  const auto& entries = ctx.db().entries();
  if (entries.empty()) return Reply::nil();
  std::vector<std::pair<std::uint64_t, const std::string*>> keys;
  keys.reserve(entries.size());
  for (const auto& [key, entry] : entries)
    keys.emplace_back(key_hash(key), &key);
  const auto pick =
      keys.begin() + static_cast<std::ptrdiff_t>(ctx.server.random().below(keys.size()));
  std::nth_element(keys.begin(), pick, keys.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  return Reply::bulk(*pick->second);
}

// ---- OBJECT ----

Reply object_encoding_command(CommandContext& ctx) {
  Entry* entry = ctx.lookup(ctx.args[2]);
  return entry ? Reply::bulk(encoding_name(entry->value)) : Reply::nil();
}

Reply object_refcount_command(CommandContext& ctx) {
  Entry* entry = ctx.lookup(ctx.args[2]);
  if (!entry) return Reply::nil();
  // Redis shares one object for each integer 0..9999, with a refcount that never drops.
  long long number = 0;
  const bool shared = entry->value.type == ValueType::String &&
                      entry->value.encoding == StringEncoding::Int &&
                      parse_integer(entry->value.str, number) && number >= 0 && number < 10000;
  return Reply::integer_value(shared ? INT_MAX : 1);
}

Reply object_freq_command(CommandContext& ctx) {
  if (!ctx.lookup(ctx.args[2])) return Reply::nil();
  return Reply::error(kNoLfuPolicy);
}

Reply object_help_command(CommandContext&) {
  return help_lines({
      "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "ENCODING <key>",
      "    Return the kind of internal representation used in order to store the value",
      "    associated with a <key>.",
      "FREQ <key>",
      "    Return the access frequency index of the <key>. The returned integer is",
      "    proportional to the logarithm of the recent access frequency of the key.",
      "IDLETIME <key>",
      "    Return the idle time of the <key>, that is the approximated number of",
      "    seconds elapsed since the last access to the key.",
      "REFCOUNT <key>",
      "    Return the number of references of the value associated with the specified",
      "    <key>.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- expiry ----

enum ExpireFlag : unsigned { kExpireNx = 1, kExpireXx = 2, kExpireGt = 4, kExpireLt = 8 };

// EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: `base_ms` is now for the relative forms, 0 for
// the absolute ones.
Reply expire_generic(CommandContext& ctx, std::int64_t base_ms, bool seconds) {
  unsigned flags = 0;
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    const std::string& opt = ctx.args[j];
    if (iequals(opt, "nx")) {
      flags |= kExpireNx;
    } else if (iequals(opt, "xx")) {
      flags |= kExpireXx;
    } else if (iequals(opt, "gt")) {
      flags |= kExpireGt;
    } else if (iequals(opt, "lt")) {
      flags |= kExpireLt;
    } else {
      return unsupported_expire_option_error(opt);
    }
  }
  if ((flags & kExpireNx) && (flags & (kExpireXx | kExpireGt | kExpireLt))) {
    return Reply::error(kExpireOptionsNxXxGtLt);
  }
  if ((flags & kExpireGt) && (flags & kExpireLt)) return Reply::error(kExpireOptionsGtLt);

  long long when = 0;
  if (!parse_integer(ctx.args[2], when)) return not_integer_error();
  const Reply invalid = invalid_expire_time_error(ctx.spec.name);
  if (seconds) {
    if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) return invalid;
    when *= 1000;
  }
  if (when > LLONG_MAX - base_ms) return invalid;
  when += base_ms;

  const std::string& key = ctx.args[1];
  Entry* entry = ctx.lookup(key);
  if (!entry) return Reply::integer_value(0);
  const std::int64_t current = entry->expire_at_ms;
  if (((flags & kExpireNx) && current != kNoExpiry) ||
      ((flags & kExpireXx) && current == kNoExpiry) ||
      ((flags & kExpireGt) && (current == kNoExpiry || when <= current)) ||
      ((flags & kExpireLt) && current != kNoExpiry && when >= current)) {
    return Reply::integer_value(0);
  }
  if (when <= ctx.now_ms) {
    ctx.db().erase(key);  // a time already past deletes the key at once
  } else {
    ctx.db().set_expire(key, when);
  }
  ctx.modified(key);
  return Reply::integer_value(1);
}

Reply expire_command(CommandContext& ctx) {
  return expire_generic(ctx, ctx.now_ms, true);
}
Reply pexpire_command(CommandContext& ctx) {
  return expire_generic(ctx, ctx.now_ms, false);
}
Reply expireat_command(CommandContext& ctx) {
  return expire_generic(ctx, 0, true);
}
Reply pexpireat_command(CommandContext& ctx) {
  return expire_generic(ctx, 0, false);
}

// TTL and PTTL: -2 for no key, -1 for no expiry, else the time left (TTL rounds).
Reply ttl_generic(CommandContext& ctx, bool milliseconds) {
  Entry* entry = ctx.lookup(ctx.args[1]);
  if (!entry) return Reply::integer_value(-2);
  if (entry->expire_at_ms == kNoExpiry) return Reply::integer_value(-1);
  long long left = entry->expire_at_ms - ctx.now_ms;
  if (left < 0) left = 0;
  return Reply::integer_value(milliseconds ? left : (left + 500) / 1000);
}

Reply ttl_command(CommandContext& ctx) {
  return ttl_generic(ctx, false);
}
Reply pttl_command(CommandContext& ctx) {
  return ttl_generic(ctx, true);
}

Reply expiretime_generic(CommandContext& ctx, bool milliseconds) {
  Entry* entry = ctx.lookup(ctx.args[1]);
  if (!entry) return Reply::integer_value(-2);
  if (entry->expire_at_ms == kNoExpiry) return Reply::integer_value(-1);
  const std::int64_t when = entry->expire_at_ms;
  // Seconds are rounded to the nearest one (written to avoid overflowing near the maximum).
  return Reply::integer_value(milliseconds ? when : when / 1000 + (when % 1000 >= 500 ? 1 : 0));
}

Reply expiretime_command(CommandContext& ctx) {
  return expiretime_generic(ctx, false);
}
Reply pexpiretime_command(CommandContext& ctx) {
  return expiretime_generic(ctx, true);
}

Reply persist_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  if (!ctx.lookup(key) || !ctx.db().clear_expire(key)) return Reply::integer_value(0);
  ctx.modified(key);
  return Reply::integer_value(1);
}

}  // namespace

std::vector<CommandRow> generic_command_rows() {
  return {
      {"copy", copy_command},
      {"del", del_command},
      {"exists", exists_command},
      {"expire", expire_command},
      {"expireat", expireat_command},
      {"expiretime", expiretime_command},
      {"keys", keys_command},
      {"move", move_command},
      {"object|encoding", object_encoding_command},
      {"object|freq", object_freq_command},
      {"object|help", object_help_command},
      {"object|refcount", object_refcount_command},
      {"persist", persist_command},
      {"pexpire", pexpire_command},
      {"pexpireat", pexpireat_command},
      {"pexpiretime", pexpiretime_command},
      {"pttl", pttl_command},
      {"randomkey", randomkey_command},
      {"rename", rename_command},
      {"renamenx", renamenx_command},
      {"scan", scan_command},
      {"touch", exists_command},
      {"ttl", ttl_command},
      {"type", type_command},
      {"unlink", del_command},
  };
}

}  // namespace redpad
