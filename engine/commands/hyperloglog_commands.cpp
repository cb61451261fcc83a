// HyperLogLog (PFADD, PFCOUNT, PFMERGE): string values in Redis's own HLL format
// (engine/types/hyperloglog.h), so GET shows the same bytes as a real server.
#include <optional>
#include <string>
#include <vector>

#include "../types/hyperloglog.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kNotHllError = "WRONGTYPE Key is not a valid HyperLogLog string value.";
constexpr const char* kCorruptedHllError = "INVALIDOBJ Corrupted HLL object detected";

// An entry that must hold an HLL: the standard WRONGTYPE for other types, Redis's own
// WRONGTYPE text for strings that are not HLLs.
std::optional<Reply> check_hll(const Entry& entry) {
  if (entry.value.type != ValueType::String) return wrong_type_error();
  if (!hll::looks_like_hll(entry.value.str)) return Reply::error(kNotHllError);
  return std::nullopt;
}

Reply pfadd_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  Entry* entry = ctx.lookup(key);
  bool updated = false;
  if (entry) {
    if (auto error = check_hll(*entry)) return *error;
    entry->value.encoding = StringEncoding::Raw;  // Redis unshares the string first
  } else {
    entry = &ctx.db().put(key, Value::string_raw(hll::make_empty()));
    updated = true;
  }
  std::string& bytes = entry->value.str;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    switch (hll::add(bytes, ctx.args[i])) {
      case hll::Update::Changed:
        updated = true;
        break;
      case hll::Update::Unchanged:
        break;
      case hll::Update::Corrupted:
        return Reply::error(kCorruptedHllError);
    }
  }
  if (updated) {
    hll::invalidate_cache(bytes);
    ctx.modified(key);
  }
  return Reply::integer_value(updated ? 1 : 0);
}

Reply pfcount_command(CommandContext& ctx) {
  if (ctx.args.size() > 2) {
    // Several keys: the estimate of their union, leaving every key as it is.
    hll::Registers max{};
    for (size_t i = 1; i < ctx.args.size(); ++i) {
      Entry* entry = ctx.lookup_read(ctx.args[i]);
      if (!entry) continue;
      if (auto error = check_hll(*entry)) return *error;
      if (!hll::merge_into(entry->value.str, max)) return Reply::error(kCorruptedHllError);
    }
    return Reply::integer_value(static_cast<long long>(hll::estimate(max)));
  }
  const std::string& key = ctx.args[1];
  Entry* entry = ctx.lookup_read(key);
  if (!entry) return Reply::integer_value(0);
  if (auto error = check_hll(*entry)) return *error;
  entry->value.encoding = StringEncoding::Raw;
  std::string& bytes = entry->value.str;
  if (hll::cache_valid(bytes)) {
    return Reply::integer_value(static_cast<long long>(hll::cached_cardinality(bytes)));
  }
  std::uint64_t cardinality = 0;
  if (!hll::estimate(bytes, cardinality)) return Reply::error(kCorruptedHllError);
  hll::store_cardinality(bytes, cardinality);
  ctx.modified(key);
  return Reply::integer_value(static_cast<long long>(cardinality));
}

Reply pfmerge_command(CommandContext& ctx) {
  const std::string& dest = ctx.args[1];
  // The destination's own registers take part; any dense input makes the result dense.
  hll::Registers max{};
  bool use_dense = false;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    Entry* entry = ctx.lookup_read(ctx.args[i]);
    if (!entry) continue;
    if (auto error = check_hll(*entry)) return *error;
    if (hll::is_dense(entry->value.str)) use_dense = true;
    if (!hll::merge_into(entry->value.str, max)) return Reply::error(kCorruptedHllError);
  }
  Entry* entry = ctx.lookup(dest);
  if (entry) {
    entry->value.encoding = StringEncoding::Raw;
  } else {
    entry = &ctx.db().put(dest, Value::string_raw(hll::make_empty()));
  }
  std::string& bytes = entry->value.str;
  if (use_dense && !hll::convert_to_dense(bytes)) return Reply::error(kCorruptedHllError);
  for (unsigned i = 0; i < hll::kRegisters; ++i) {
    if (max[i] == 0) continue;
    if (hll::raise_register(bytes, i, max[i]) == hll::Update::Corrupted) {
      return Reply::error(kCorruptedHllError);
    }
  }
  hll::invalidate_cache(bytes);
  ctx.modified(dest);
  return Reply::ok();
}

}  // namespace

std::vector<CommandRow> hyperloglog_command_rows() {
  return {
      {"pfadd", pfadd_command},
      {"pfcount", pfcount_command},
      {"pfmerge", pfmerge_command},
  };
}

}  // namespace redpad
