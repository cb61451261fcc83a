// Hash commands: setting and reading fields, whole-hash reads, counters, HRANDFIELD and
// HSCAN.
#include <climits>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../glob.h"
#include "../scan_cursor.h"
#include "../types/hash.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kHashValueNotInteger = "ERR hash value is not an integer";
constexpr const char* kHashValueNotFloat = "ERR hash value is not a float";
constexpr const char* kIncrementNanOrInf = "ERR value is NaN or Infinity";

HashValue& hash_of(Entry& entry) {
  return entry.value.as<HashValue>();
}

// The hash under `key`, creating an empty one when the key is missing.
HashValue& hash_for_write(CommandContext& ctx, const std::string& key, Entry* entry) {
  if (entry) return hash_of(*entry);
  return hash_of(ctx.db().put(key, Value::make<HashValue>(ValueType::Hash)));
}

// ---- writes ----

// HSET and HMSET: field value pairs; HSET counts the new fields, HMSET says OK.
Reply hset_generic(CommandContext& ctx, bool reply_ok) {
  if (ctx.args.size() % 2 != 0) return arity_error(ctx);
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::Hash, false);
  if (found.wrong_type) return wrong_type_error();
  HashValue& hash = hash_for_write(ctx, key, found.entry);
  long long created = 0;
  for (size_t i = 2; i < ctx.args.size(); i += 2) {
    if (hash.set(ctx.args[i], ctx.args[i + 1])) ++created;
  }
  ctx.modified(key);
  return reply_ok ? Reply::ok() : Reply::integer_value(created);
}

Reply hset_command(CommandContext& ctx) {
  return hset_generic(ctx, false);
}
Reply hmset_command(CommandContext& ctx) {
  return hset_generic(ctx, true);
}

Reply hsetnx_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::Hash, false);
  if (found.wrong_type) return wrong_type_error();
  if (found.entry && hash_of(*found.entry).find(ctx.args[2])) return Reply::integer_value(0);
  hash_for_write(ctx, key, found.entry).set(ctx.args[2], ctx.args[3]);
  ctx.modified(key);
  return Reply::integer_value(1);
}

Reply hdel_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::Hash, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  HashValue& hash = hash_of(*found.entry);
  long long deleted = 0;
  for (size_t i = 2; i < ctx.args.size() && hash.size() > 0; ++i) {
    if (hash.erase(ctx.args[i])) ++deleted;
  }
  if (deleted == 0) return Reply::integer_value(0);
  if (hash.size() == 0) ctx.db().erase(key);
  ctx.modified(key);
  return Reply::integer_value(deleted);
}

Reply hincrby_command(CommandContext& ctx) {
  long long increment = 0;
  if (!parse_integer(ctx.args[3], increment)) return not_integer_error();
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::Hash, false);
  if (found.wrong_type) return wrong_type_error();
  HashValue& hash = hash_for_write(ctx, key, found.entry);
  long long value = 0;
  if (const std::string* current = hash.find(ctx.args[2])) {
    if (!parse_integer(*current, value)) return Reply::error(kHashValueNotInteger);
  }
  if ((increment < 0 && value < 0 && increment < LLONG_MIN - value) ||
      (increment > 0 && value > 0 && increment > LLONG_MAX - value)) {
    return Reply::error(errors::kOverflow);
  }
  value += increment;
  hash.set(ctx.args[2], std::to_string(value));
  ctx.modified(key);
  return Reply::integer_value(value);
}

Reply hincrbyfloat_command(CommandContext& ctx) {
  long double increment = 0;
  if (!parse_long_double(ctx.args[3], increment)) return not_float_error();
  if (std::isnan(increment) || std::isinf(increment)) return Reply::error(kIncrementNanOrInf);
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::Hash, false);
  if (found.wrong_type) return wrong_type_error();
  HashValue& hash = hash_for_write(ctx, key, found.entry);
  long double value = 0;
  if (const std::string* current = hash.find(ctx.args[2])) {
    if (!parse_long_double(*current, value)) return Reply::error(kHashValueNotFloat);
  }
  value = add_long_doubles(value, increment);
  if (std::isnan(value) || std::isinf(value)) return Reply::error(errors::kIncrFloatNanOrInf);
  std::string text = format_long_double(value);
  hash.set(ctx.args[2], text);
  ctx.modified(key);
  return Reply::bulk(std::move(text));
}

// ---- reads ----

// The hash to read under args[1]: the entry, nullptr for a missing key, or a type error.
TypedLookup read_hash(CommandContext& ctx) {
  return lookup_typed(ctx, ctx.args[1], ValueType::Hash);
}

Reply hget_command(CommandContext& ctx) {
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  const std::string* value = found.entry ? hash_of(*found.entry).find(ctx.args[2]) : nullptr;
  return value ? Reply::bulk(*value) : Reply::nil();
}

Reply hmget_command(CommandContext& ctx) {
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  std::vector<Reply> values;
  values.reserve(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::string* value = found.entry ? hash_of(*found.entry).find(ctx.args[i]) : nullptr;
    values.push_back(value ? Reply::bulk(*value) : Reply::nil());
  }
  return Reply::array(std::move(values));
}

Reply hexists_command(CommandContext& ctx) {
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  const bool exists = found.entry && hash_of(*found.entry).find(ctx.args[2]);
  return Reply::integer_value(exists ? 1 : 0);
}

Reply hlen_command(CommandContext& ctx) {
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(found.entry ? static_cast<long long>(hash_of(*found.entry).size())
                                          : 0);
}

Reply hstrlen_command(CommandContext& ctx) {
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  const std::string* value = found.entry ? hash_of(*found.entry).find(ctx.args[2]) : nullptr;
  return Reply::integer_value(value ? static_cast<long long>(value->size()) : 0);
}

enum HashParts : unsigned { kFields = 1, kValues = 2 };

// HGETALL, HKEYS and HVALS: the whole hash in its order.
Reply whole_hash(CommandContext& ctx, unsigned parts) {
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  std::vector<Reply> items;
  if (!found.entry) return Reply::array();
  const HashValue& hash = hash_of(*found.entry);
  items.reserve(hash.size() * (parts == (kFields | kValues) ? 2 : 1));
  hash.for_each([&](HashValue::Field field) {
    if (parts & kFields) items.push_back(Reply::bulk(*field.name));
    if (parts & kValues) items.push_back(Reply::bulk(*field.value));
  });
  return Reply::array(std::move(items));
}

Reply hgetall_command(CommandContext& ctx) {
  return whole_hash(ctx, kFields | kValues);
}
Reply hkeys_command(CommandContext& ctx) {
  return whole_hash(ctx, kFields);
}
Reply hvals_command(CommandContext& ctx) {
  return whole_hash(ctx, kValues);
}

// ---- HRANDFIELD ----

void add_field(std::vector<Reply>& items, HashValue::Field field, bool with_values) {
  items.push_back(Reply::bulk(*field.name));
  if (with_values) items.push_back(Reply::bulk(*field.value));
}

// HRANDFIELD key [count [WITHVALUES]]: a positive count asks for distinct fields (the whole
// hash when it has no more), a negative one for that many independent draws.
Reply hrandfield_command(CommandContext& ctx) {
  if (ctx.args.size() == 2) {
    TypedLookup found = read_hash(ctx);
    if (found.wrong_type) return wrong_type_error();
    if (!found.entry) return Reply::nil();
    return Reply::bulk(*hash_of(*found.entry).random_field(ctx.server.random()).name);
  }
  long long count = 0;
  if (!parse_integer(ctx.args[2], count)) return not_integer_error();
  if (count == LLONG_MIN) return Reply::error(errors::kDrawCountOutOfRange);
  bool with_values = false;
  if (ctx.args.size() == 4 && iequals(ctx.args[3], "withvalues")) {
    with_values = true;
  } else if (ctx.args.size() > 3) {
    return syntax_error();
  }
  // Field and value pairs double the reply length, which must stay countable.
  if (with_values && (count > LLONG_MAX / 2 || count < -(LLONG_MAX / 2))) {
    return Reply::error(errors::kOutOfRange);
  }
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry || count == 0) return Reply::array();

  const HashValue& hash = hash_of(*found.entry);
  std::vector<Reply> items;
  if (count < 0) {
    if (-count > kMaxRepeatedDraws) return too_many_draws_error("HRANDFIELD");
    const auto draws = static_cast<unsigned long long>(-count);
    for (unsigned long long i = 0; i < draws; ++i) {
      add_field(items, hash.random_field(ctx.server.random()), with_values);
    }
  } else if (static_cast<unsigned long long>(count) >= hash.size()) {
    hash.for_each([&](HashValue::Field field) { add_field(items, field, with_values); });
  } else {
    for (HashValue::Field field :
         hash.random_distinct_fields(ctx.server.random(), static_cast<size_t>(count))) {
      add_field(items, field, with_values);
    }
  }
  return Reply::array(std::move(items));
}

// ---- HSCAN ----

// A listpack hash comes back whole in one page with cursor 0, as Redis sends it; a
// hashtable is walked with the shared cursor.
Reply hscan_command(CommandContext& ctx) {
  const auto cursor = parse_scan_cursor(ctx.args[2]);
  if (!cursor) return Reply::error(errors::kInvalidCursor);
  TypedLookup found = read_hash(ctx);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return scan_reply(0, {});
  ScanOptions options;
  if (auto error = parse_scan_options(ctx.args, 3, /*allow_type=*/false, options)) return *error;

  const HashValue& hash = hash_of(*found.entry);
  std::vector<Reply> items;
  auto add = [&](const std::string& name, const std::string& value) {
    if (options.pattern && !glob_match(*options.pattern, name)) return;
    items.push_back(Reply::bulk(name));
    items.push_back(Reply::bulk(value));
  };
  if (hash.is_listpack()) {
    hash.for_each([&](HashValue::Field field) { add(*field.name, *field.value); });
    return scan_reply(0, std::move(items));
  }
  std::vector<const std::string*> names;
  names.reserve(hash.size());
  hash.for_each([&](HashValue::Field field) { names.push_back(field.name); });
  const ScanPage page = scan_page(names, *cursor, options.count, table_size_for(names.size()));
  for (const std::string* name : page.items)
    add(*name, *hash.find(*name));
  return scan_reply(page.next_cursor, std::move(items));
}

}  // namespace

std::vector<CommandRow> hash_command_rows() {
  return {
      {"hdel", hdel_command},
      {"hexists", hexists_command},
      {"hget", hget_command},
      {"hgetall", hgetall_command},
      {"hincrby", hincrby_command},
      {"hincrbyfloat", hincrbyfloat_command},
      {"hkeys", hkeys_command},
      {"hlen", hlen_command},
      {"hmget", hmget_command},
      {"hmset", hmset_command},
      {"hrandfield", hrandfield_command},
      {"hscan", hscan_command},
      {"hset", hset_command},
      {"hsetnx", hsetnx_command},
      {"hstrlen", hstrlen_command},
      {"hvals", hvals_command},
  };
}

}  // namespace redpad
