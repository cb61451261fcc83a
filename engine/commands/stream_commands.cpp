// Stream commands: XADD, XRANGE/XREVRANGE, XLEN, XDEL, XTRIM, XREAD, XSETID, consumer groups
// (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO. No other client can
// add to a stream while one waits (yet), so a BLOCK read with nothing to serve lets its
// timeout pass on the virtual clock and replies as a timed-out block does (nil), as WAIT
// and DEBUG SLEEP do; inside EXEC it replies at once, as Redis does.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../types/stream.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kInvalidStreamId =
    "ERR Invalid stream ID specified as stream command argument";
constexpr const char* kInvalidStartId = "ERR invalid start ID for the interval";
constexpr const char* kInvalidEndId = "ERR invalid end ID for the interval";
constexpr const char* kXaddIdTooSmall =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";
constexpr const char* kXaddIdZero = "ERR The ID specified in XADD must be greater than 0-0";
constexpr const char* kStreamExhausted =
    "ERR The stream has exhausted the last possible ID, unable to add more items";
constexpr const char* kElementsTooLarge = "ERR Elements are too large to be stored";
constexpr const char* kMaxlenAndMinid =
    "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
constexpr const char* kMaxlenNegative = "ERR The MAXLEN argument must be >= 0.";
constexpr const char* kLimitNegative = "ERR The LIMIT argument must be >= 0.";
constexpr const char* kLimitWithoutStrategy =
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy";
constexpr const char* kLimitWithoutApprox =
    "ERR syntax error, LIMIT cannot be used without the special ~ option";
constexpr const char* kXtrimWithoutStrategy =
    "ERR syntax error, XTRIM must be called with a trimming strategy";
constexpr const char* kXgroupNeedsKey =
    "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to "
    "use the MKSTREAM option to create an empty stream automatically.";
constexpr const char* kEntriesReadRange = "ERR value for ENTRIESREAD must be positive or -1";
constexpr const char* kBusyGroup = "BUSYGROUP Consumer Group name already exists";
constexpr const char* kUnbalancedStreams =
    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
    "specified.";
constexpr const char* kGroupOnlyInXreadgroup =
    "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.";
constexpr const char* kNoackOnlyInXreadgroup =
    "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.";
constexpr const char* kXreadgroupWithoutGroup = "ERR Missing GROUP option for XREADGROUP";
constexpr const char* kBlockedGroupDeleted =
    "NOGROUP the consumer group this client was blocked on no longer exists";
constexpr const char* kDollarIdInXreadgroup =
    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history "
    "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ "
    "ID would just return an empty result set.";
constexpr const char* kGreaterIdOutsideXreadgroup =
    "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
    "<consumer> option.";
constexpr const char* kEntriesAddedNegative = "ERR entries_added must be positive";
constexpr const char* kXsetidBelowMaxDeleted =
    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id";
constexpr const char* kXsetidBelowTop =
    "ERR The ID specified in XSETID is smaller than the target stream top item";
constexpr const char* kXsetidEntriesAddedBelowLength =
    "ERR The entries_added specified in XSETID is smaller than the target stream length";
constexpr const char* kXclaimMinIdleInvalid = "ERR Invalid min-idle-time argument for XCLAIM";
constexpr const char* kXclaimIdleInvalid = "ERR Invalid IDLE option argument for XCLAIM";
constexpr const char* kXclaimTimeInvalid = "ERR Invalid TIME option argument for XCLAIM";
constexpr const char* kXclaimRetrycountInvalid =
    "ERR Invalid RETRYCOUNT option argument for XCLAIM";
constexpr const char* kXautoclaimMinIdleInvalid =
    "ERR Invalid min-idle-time argument for XAUTOCLAIM";

// Largest total size of one entry's fields and values (Redis's STREAM_LISTPACK_MAX_SIZE).
constexpr size_t kMaxEntryBytes = size_t{1} << 30;
// Approximate trimming without LIMIT removes at most 100 * stream-node-max-entries.
constexpr long long kDefaultApproxLimit = 100LL * StreamValue::kNodeMaxEntries;

// ---- error texts built from arguments ----

Reply invalid_id_error() {
  return Reply::error(kInvalidStreamId);
}

Reply no_group_for_key_error(const std::string& key, const std::string& group) {
  return echoing_error("NOGROUP No such consumer group '" + errors::echoed(group) +
                       "' for key name '" + errors::echoed(key) + "'");
}

// `context` follows the group's name (XREADGROUP says where the group was named).
Reply no_key_or_group_error(const std::string& key, const std::string& group,
                            const char* context = "") {
  return echoing_error("NOGROUP No such key '" + errors::echoed(key) + "' or consumer group '" +
                       errors::echoed(group) + "'" + context);
}

Reply unknown_xclaim_option_error(const std::string& option) {
  return echoing_error("ERR Unrecognized XCLAIM option '" + errors::echoed(option) + "'");
}

Reply block_in_script_error(const std::string& command) {
  return Reply::error("ERR " + command + " command is not allowed with BLOCK option from scripts");
}

// ---- lookups ----

struct StreamLookup {
  StreamValue* stream = nullptr;  // nullptr when the key is missing
  bool wrong_type = false;
};

StreamLookup lookup_stream(CommandContext& ctx, const std::string& key, bool count_read) {
  TypedLookup found = lookup_typed(ctx, key, ValueType::Stream, count_read);
  if (found.wrong_type) return {nullptr, true};
  return {found.entry ? &found.entry->value.as<StreamValue>() : nullptr, false};
}

ConsumerGroup* find_group(StreamValue* stream, const std::string& name) {
  if (!stream) return nullptr;
  auto it = stream->groups.find(name);
  return it == stream->groups.end() ? nullptr : &it->second;
}

// The consumer, created if missing; either way it has just been seen.
StreamConsumer& touch_consumer(ConsumerGroup& group, const std::string& name, std::int64_t now) {
  StreamConsumer& consumer = group.consumers[name];
  consumer.seen_time_ms = now;
  return consumer;
}

// ---- argument parsing ----

bool parse_strict_id(const std::string& text, StreamId& id) {
  return parse_stream_id(text, StreamIdParse{0, true, false}, id);
}

// A range bound: "-", "+", an ID, or "(ID" to exclude it.
bool parse_interval_id(const std::string& text, std::uint64_t missing_seq, StreamId& id,
                       bool& exclusive) {
  exclusive = text.size() > 1 && text[0] == '(';
  if (exclusive) {
    return parse_stream_id(std::string_view(text).substr(1),
                           StreamIdParse{missing_seq, true, false}, id);
  }
  return parse_stream_id(text, StreamIdParse{missing_seq, false, false}, id);
}

std::optional<Reply> parse_range_start(const std::string& text, StreamId& start) {
  bool exclusive = false;
  if (!parse_interval_id(text, 0, start, exclusive)) return invalid_id_error();
  if (exclusive && !start.increment()) return Reply::error(kInvalidStartId);
  return std::nullopt;
}

std::optional<Reply> parse_range_end(const std::string& text, StreamId& end) {
  bool exclusive = false;
  if (!parse_interval_id(text, UINT64_MAX, end, exclusive)) return invalid_id_error();
  if (exclusive && !end.decrement()) return Reply::error(kInvalidEndId);
  return std::nullopt;
}

// ---- replies ----

Reply id_reply(const StreamId& id) {
  return Reply::bulk(id.to_string());
}

Reply entry_reply(const StreamId& id, const StreamFields& fields) {
  std::vector<Reply> items;
  items.reserve(fields.size());
  for (const std::string& item : fields)
    items.push_back(Reply::bulk(item));
  return Reply::array({id_reply(id), Reply::array(std::move(items))});
}

// A non-negative COUNT as a size (0 stays "no limit"); 32-bit hosts cap it rather than wrap.
size_t count_limit(long long count) {
  const auto wide = static_cast<unsigned long long>(count);
  return wide > SIZE_MAX ? SIZE_MAX : static_cast<size_t>(wide);
}

// Entries from `start` to `end` (inclusive), oldest first or newest first; count 0 = all.
Reply range_reply(const StreamValue& stream, const StreamId& start, const StreamId& end,
                  size_t count, bool reverse) {
  std::vector<Reply> items;
  const auto& entries = stream.entries();
  if (start > end) return Reply::array();
  if (!reverse) {
    for (auto it = entries.lower_bound(start);
         it != entries.end() && it->first <= end && (count == 0 || items.size() < count); ++it) {
      items.push_back(entry_reply(it->first, it->second));
    }
  } else {
    for (auto it = std::make_reverse_iterator(entries.upper_bound(end));
         it != entries.rend() && it->first >= start && (count == 0 || items.size() < count); ++it) {
      items.push_back(entry_reply(it->first, it->second));
    }
  }
  return Reply::array(std::move(items));
}

Reply lag_reply(const StreamValue& stream, const ConsumerGroup& group) {
  const std::optional<long long> lag = stream.group_lag(group);
  return lag ? Reply::integer_value(*lag) : Reply::nil();
}

Reply entries_read_reply(const ConsumerGroup& group) {
  return group.entries_read == kEntriesReadUnknown ? Reply::nil()
                                                   : Reply::integer_value(group.entries_read);
}

long long idle_since(std::int64_t now, std::int64_t then) {
  return std::max<long long>(0, now - then);
}

// ---- XADD and XTRIM ----

struct AddOrTrimArgs {
  TrimSpec trim;
  bool limit_given = false;
  bool no_mkstream = false;
  bool id_given = false;
  bool seq_given = true;
  StreamId id;
  size_t id_position = 0;  // XADD: where the ID (or "*") is
};

// The options XADD and XTRIM share, in Redis's order of checks.
std::optional<Reply> parse_add_or_trim(const std::vector<std::string>& args, bool xadd,
                                       AddOrTrimArgs& out) {
  TrimSpec& trim = out.trim;
  size_t i = 2;
  for (; i < args.size(); ++i) {
    const size_t more = args.size() - 1 - i;
    const std::string& opt = args[i];
    if (xadd && opt == "*") break;
    if ((iequals(opt, "maxlen") || iequals(opt, "minid")) && more) {
      if (trim.strategy != TrimStrategy::None) return Reply::error(kMaxlenAndMinid);
      const bool by_length = iequals(opt, "maxlen");
      trim.approx = false;
      const std::string& next = args[i + 1];
      if (more >= 2 && next == "~") {
        trim.approx = true;
        ++i;
      } else if (more >= 2 && next == "=") {
        ++i;
      }
      if (by_length) {
        if (!parse_integer(args[i + 1], trim.maxlen)) return not_integer_error();
        if (trim.maxlen < 0) return Reply::error(kMaxlenNegative);
        trim.strategy = TrimStrategy::MaxLen;
      } else {
        if (!parse_strict_id(args[i + 1], trim.min_id)) return invalid_id_error();
        trim.strategy = TrimStrategy::MinId;
      }
      ++i;
    } else if (iequals(opt, "limit") && more) {
      if (!parse_integer(args[i + 1], trim.limit)) return not_integer_error();
      if (trim.limit < 0) return Reply::error(kLimitNegative);
      out.limit_given = true;
      ++i;
    } else if (xadd && iequals(opt, "nomkstream")) {
      out.no_mkstream = true;
    } else if (xadd) {
      if (!parse_stream_id(opt, StreamIdParse{0, true, true}, out.id, &out.seq_given)) {
        return invalid_id_error();
      }
      out.id_given = true;
      break;
    } else {
      return syntax_error();
    }
  }
  if (trim.limit && trim.strategy == TrimStrategy::None) {
    return Reply::error(kLimitWithoutStrategy);
  }
  if (!xadd && trim.strategy == TrimStrategy::None) return Reply::error(kXtrimWithoutStrategy);
  if (out.limit_given) {
    if (!trim.approx) return Reply::error(kLimitWithoutApprox);
  } else {
    trim.limit = trim.approx ? kDefaultApproxLimit : 0;
  }
  out.id_position = i;
  return std::nullopt;
}

Reply xadd_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  AddOrTrimArgs parsed;
  if (auto error = parse_add_or_trim(args, true, parsed)) return *error;
  const size_t field_pos = parsed.id_position + 1;
  if (field_pos > args.size() || args.size() - field_pos < 2 ||
      (args.size() - field_pos) % 2 == 1) {
    return arity_error(ctx);
  }
  if (parsed.id_given && parsed.seq_given && parsed.id.is_zero()) {
    return Reply::error(kXaddIdZero);
  }

  const std::string& key = args[1];
  Entry* entry = ctx.lookup(key);
  if (entry && entry->value.type != ValueType::Stream) return wrong_type_error();
  if (!entry) {
    if (parsed.no_mkstream) return Reply::nil();
    entry = &ctx.db().put(key, Value::make<StreamValue>(ValueType::Stream));
  }
  StreamValue& stream = entry->value.as<StreamValue>();
  if (stream.last_id.is_max()) return Reply::error(kStreamExhausted);

  StreamId id;
  if (parsed.id_given) {
    id = parsed.id;
    if (!parsed.seq_given && stream.last_id.ms == id.ms) {
      // "ms-*" continues the sequence of the last ID when the milliseconds match. Redis
      // 7.0 reports a sequence that cannot grow with its "too large" error.
      if (stream.last_id.seq == UINT64_MAX) return Reply::error(kElementsTooLarge);
      id = stream.last_id;
      ++id.seq;
    }
  } else {
    const auto now = static_cast<std::uint64_t>(std::max<std::int64_t>(0, ctx.now_ms));
    if (now > stream.last_id.ms) {
      id = StreamId{now, 0};
    } else {
      id = stream.last_id;  // the clock is behind the last ID: keep its time, next sequence
      id.increment();
    }
  }
  if (id <= stream.last_id) return Reply::error(kXaddIdTooSmall);

  size_t total = 0;
  for (size_t i = field_pos; i < args.size(); ++i)
    total += args[i].size();
  if (total > kMaxEntryBytes) return Reply::error(kElementsTooLarge);

  stream.append(id,
                StreamFields(args.begin() + static_cast<std::ptrdiff_t>(field_pos), args.end()));
  ctx.modified(key);
  stream.trim(parsed.trim);
  return id_reply(id);
}

Reply xtrim_command(CommandContext& ctx) {
  AddOrTrimArgs parsed;
  if (auto error = parse_add_or_trim(ctx.args, false, parsed)) return *error;
  StreamLookup found = lookup_stream(ctx, ctx.args[1], false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.stream) return Reply::integer_value(0);
  const long long removed = found.stream->trim(parsed.trim);
  if (removed) ctx.modified(ctx.args[1]);
  return Reply::integer_value(removed);
}

// ---- reading ----

Reply xlen_command(CommandContext& ctx) {
  StreamLookup found = lookup_stream(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(found.stream ? static_cast<long long>(found.stream->element_count())
                                           : 0);
}

Reply xrange_generic(CommandContext& ctx, bool reverse) {
  const auto& args = ctx.args;
  StreamId start;
  StreamId end;
  if (auto error = parse_range_start(reverse ? args[3] : args[2], start)) return *error;
  if (auto error = parse_range_end(reverse ? args[2] : args[3], end)) return *error;
  long long count = -1;
  for (size_t j = 4; j < args.size(); ++j) {
    if (iequals(args[j], "count") && j + 1 < args.size()) {
      if (!parse_integer(args[++j], count)) return not_integer_error();
      if (count < 0) count = 0;
    } else {
      return syntax_error();
    }
  }
  StreamLookup found = lookup_stream(ctx, args[1], true);
  if (found.wrong_type) return wrong_type_error();
  if (!found.stream) return Reply::array();
  if (count == 0) return Reply::null_array();
  return range_reply(*found.stream, start, end, count < 0 ? 0 : count_limit(count), reverse);
}

Reply xrange_command(CommandContext& ctx) {
  return xrange_generic(ctx, false);
}
Reply xrevrange_command(CommandContext& ctx) {
  return xrange_generic(ctx, true);
}

Reply xdel_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  StreamLookup found = lookup_stream(ctx, key, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.stream) return Reply::integer_value(0);
  std::vector<StreamId> ids(ctx.args.size() - 2);
  for (size_t j = 2; j < ctx.args.size(); ++j) {
    if (!parse_strict_id(ctx.args[j], ids[j - 2])) return invalid_id_error();
  }
  StreamValue& stream = *found.stream;
  long long deleted = 0;
  for (const StreamId& id : ids) {
    if (!stream.remove(id)) continue;
    if (id > stream.max_deleted_id) stream.max_deleted_id = id;
    ++deleted;
  }
  if (deleted) ctx.modified(key);
  return Reply::integer_value(deleted);
}

// New entries for a consumer group: they advance the group and, unless NOACK, enter the
// PEL owned by `consumer` (taking over an entry another consumer still had).
Reply deliver_new_entries(StreamValue& stream, ConsumerGroup& group, const std::string& consumer,
                          StreamId start, size_t count, bool noack, std::int64_t now) {
  std::vector<Reply> items;
  const auto& entries = stream.entries();
  for (auto it = entries.lower_bound(start);
       it != entries.end() && (count == 0 || items.size() < count); ++it) {
    const StreamId& id = it->first;
    if (id > group.last_delivered) {
      if (group.entries_read != kEntriesReadUnknown && !stream.range_has_tombstones(id)) {
        group.entries_read = wrapping_add(group.entries_read, 1);
      } else if (stream.entries_added) {
        group.entries_read = stream.distance_from_first_ever_entry(id);
      }
      group.last_delivered = id;
    }
    items.push_back(entry_reply(id, it->second));
    if (noack) continue;
    auto [pending, inserted] = group.pending.try_emplace(id);
    if (!inserted) {
      auto owner = group.consumers.find(pending->second.consumer);
      if (owner != group.consumers.end()) owner->second.pending.erase(id);
    }
    pending->second = PendingEntry{consumer, now, 1};
    group.consumers[consumer].pending.insert(id);
  }
  return Reply::array(std::move(items));
}

// A consumer's own history: its pending entries after `start`; an entry deleted since it
// was delivered shows as its ID with a nil body.
Reply deliver_history(StreamValue& stream, ConsumerGroup& group, StreamConsumer& consumer,
                      StreamId start, size_t count, std::int64_t now) {
  std::vector<Reply> items;
  for (auto it = consumer.pending.lower_bound(start);
       it != consumer.pending.end() && (count == 0 || items.size() < count); ++it) {
    if (const StreamFields* fields = stream.find(*it)) {
      items.push_back(entry_reply(*it, *fields));
      PendingEntry& pending = group.pending[*it];
      pending.delivery_time_ms = now;
      ++pending.delivery_count;
    } else {
      items.push_back(Reply::array({id_reply(*it), Reply::null_array()}));
    }
  }
  return Reply::array(std::move(items));
}

// XREAD and XREADGROUP share their parser and their serving loop, as in Redis.
Reply xread_generic(CommandContext& ctx, bool group_read) {
  const auto& args = ctx.args;
  long long count = 0;
  size_t streams_arg = 0;
  size_t streams_count = 0;
  bool noack = false;
  const std::string* group_name = nullptr;
  const std::string* consumer_name = nullptr;
  bool blocking = false;
  std::int64_t timeout_at = 0;
  for (size_t i = 1; i < args.size(); ++i) {
    const size_t more = args.size() - i - 1;
    const std::string& opt = args[i];
    if (iequals(opt, "block") && more) {
      if (ctx.session.in_script) {
        return block_in_script_error(ctx.spec.name);
      }
      if (auto error = parse_block_timeout(ctx, args[++i], false, timeout_at)) return *error;
      blocking = true;
    } else if (iequals(opt, "count") && more) {
      if (!parse_integer(args[++i], count)) return not_integer_error();
      if (count < 0) count = 0;
    } else if (iequals(opt, "streams") && more) {
      streams_arg = i + 1;
      streams_count = args.size() - streams_arg;
      if (streams_count % 2 != 0) {
        // Redis 7.0 names XREAD and '$' here for XREADGROUP too.
        return Reply::error(kUnbalancedStreams);
      }
      streams_count /= 2;
      break;
    } else if (iequals(opt, "group") && more >= 2) {
      if (!group_read) {
        return Reply::error(kGroupOnlyInXreadgroup);
      }
      group_name = &args[i + 1];
      consumer_name = &args[i + 2];
      i += 2;
    } else if (iequals(opt, "noack")) {
      if (!group_read) {
        return Reply::error(kNoackOnlyInXreadgroup);
      }
      noack = true;
    } else {
      return syntax_error();
    }
  }
  if (streams_arg == 0) return syntax_error();
  if (group_read && !group_name) return Reply::error(kXreadgroupWithoutGroup);

  // The IDs, resolved against each stream ('$' is its last ID, '>' the group's).
  std::vector<StreamId> ids(streams_count);
  for (size_t k = 0; k < streams_count; ++k) {
    const std::string& key = args[streams_arg + k];
    const std::string& id_text = args[streams_arg + streams_count + k];
    if (not_serving(ctx, key)) continue;
    StreamLookup found = lookup_stream(ctx, key, true);
    if (found.wrong_type) return wrong_type_error();
    if (group_name && !find_group(found.stream, *group_name)) {
      if (ctx.server.serving_key()) {
        return Reply::error(kBlockedGroupDeleted);
      }
      return no_key_or_group_error(key, *group_name, " in XREADGROUP with GROUP option");
    }
    if (id_text == "$") {
      if (group_read) {
        return Reply::error(kDollarIdInXreadgroup);
      }
      ids[k] = found.stream ? found.stream->last_id : StreamId{};
    } else if (id_text == ">") {
      if (!group_read) {
        return Reply::error(kGreaterIdOutsideXreadgroup);
      }
      ids[k] = StreamId::max();
    } else if (!parse_strict_id(id_text, ids[k])) {
      return invalid_id_error();
    }
  }

  std::vector<Reply> served;
  const size_t limit = count_limit(count);
  for (size_t k = 0; k < streams_count; ++k) {
    const std::string& key = args[streams_arg + k];
    if (not_serving(ctx, key)) continue;
    StreamLookup found = lookup_stream(ctx, key, true);
    if (!found.stream) continue;
    StreamValue& stream = *found.stream;
    ConsumerGroup* group = group_name ? find_group(&stream, *group_name) : nullptr;
    StreamId after = ids[k];
    // An explicit ID equal to the last possible one reads like '>' (Redis's own marker).
    const bool history = group && !after.is_max();
    bool serve = history;
    if (group && !history) {
      const std::optional<StreamId> top = stream.last_live_id();
      if (top && *top > group->last_delivered) {
        serve = true;
        after = group->last_delivered;
      }
    } else if (!group) {
      const std::optional<StreamId> top = stream.last_live_id();
      serve = top && *top > after;
    }
    if (!serve) continue;
    StreamId start = after;
    start.increment();
    Reply entries;
    if (!group) {
      entries = range_reply(stream, start, StreamId::max(), limit, false);
    } else {
      StreamConsumer& consumer = touch_consumer(*group, *consumer_name, ctx.now_ms);
      entries = history ? deliver_history(stream, *group, consumer, start, limit, ctx.now_ms)
                        : deliver_new_entries(stream, *group, *consumer_name, start, limit, noack,
                                              ctx.now_ms);
    }
    served.push_back(Reply::array({Reply::bulk(key), std::move(entries)}));
  }
  if (served.empty()) {
    if (!blocking || !can_block(ctx)) return Reply::null_array();
    // It waits for entries past the IDs it was given: '$' is the last ID now, whatever is
    // added later.
    std::vector<std::string> waiting_args = args;
    std::vector<std::string> keys;
    for (size_t k = 0; k < streams_count; ++k) {
      keys.push_back(args[streams_arg + k]);
      if (!group_read) waiting_args[streams_arg + streams_count + k] = ids[k].to_string();
    }
    return ctx.server.block(ctx, std::move(keys), ValueType::Stream, timeout_at,
                            std::move(waiting_args));
  }
  return Reply::array(std::move(served));
}

Reply xread_command(CommandContext& ctx) {
  return xread_generic(ctx, false);
}
Reply xreadgroup_command(CommandContext& ctx) {
  return xread_generic(ctx, true);
}

// ---- XSETID ----

Reply xsetid_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  StreamId id;
  if (!parse_strict_id(args[2], id)) return invalid_id_error();
  long long entries_added = -1;
  StreamId max_deleted;
  for (size_t i = 3; i < args.size(); i += 2) {
    const bool more = i + 1 < args.size();
    if (iequals(args[i], "entriesadded") && more) {
      if (!parse_integer(args[i + 1], entries_added)) return not_integer_error();
      if (entries_added < 0) return Reply::error(kEntriesAddedNegative);
    } else if (iequals(args[i], "maxdeletedid") && more) {
      if (!parse_strict_id(args[i + 1], max_deleted)) return invalid_id_error();
      if (id < max_deleted) {
        return Reply::error(kXsetidBelowMaxDeleted);
      }
    } else {
      return syntax_error();
    }
  }
  StreamLookup found = lookup_stream(ctx, args[1], false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.stream) return Reply::error(errors::kNoSuchKey);
  StreamValue& stream = *found.stream;
  if (const std::optional<StreamId> top = stream.last_live_id()) {
    if (id < *top) {
      return Reply::error(kXsetidBelowTop);
    }
    if (entries_added != -1 && static_cast<std::uint64_t>(stream.element_count()) >
                                   static_cast<std::uint64_t>(entries_added)) {
      return Reply::error(kXsetidEntriesAddedBelowLength);
    }
  }
  stream.last_id = id;
  if (entries_added != -1) stream.entries_added = static_cast<std::uint64_t>(entries_added);
  if (!max_deleted.is_zero()) stream.max_deleted_id = max_deleted;
  return Reply::ok();
}

// ---- XGROUP ----

// What every XGROUP subcommand but HELP checks first, in Redis's order: CREATE's options,
// the key's type, that the key exists (unless MKSTREAM), and for some that the group exists.
struct XgroupTarget {
  StreamValue* stream = nullptr;
  ConsumerGroup* group = nullptr;
  bool mkstream = false;
  long long entries_read = kEntriesReadUnknown;
};

std::optional<Reply> parse_entries_read(const std::string& text, long long& out) {
  if (!parse_integer(text, out)) return not_integer_error();
  if (out < 0 && out != kEntriesReadUnknown) return Reply::error(kEntriesReadRange);
  return std::nullopt;
}

enum class XgroupSub { Create, SetId, Other };

std::optional<Reply> xgroup_prelude(CommandContext& ctx, XgroupSub sub, bool needs_group,
                                    XgroupTarget& out) {
  const auto& args = ctx.args;
  if (sub == XgroupSub::SetId && args.size() >= 6) {
    if (args.size() != 7 || !iequals(args[5], "entriesread")) {
      return subcommand_syntax_error(ctx);
    }
    if (auto error = parse_entries_read(args[6], out.entries_read)) return error;
  }
  if (sub == XgroupSub::Create && args.size() >= 6) {
    for (size_t i = 5; i < args.size();) {
      if (iequals(args[i], "mkstream")) {
        out.mkstream = true;
        ++i;
      } else if (iequals(args[i], "entriesread") && i + 1 < args.size()) {
        if (auto error = parse_entries_read(args[i + 1], out.entries_read)) return error;
        i += 2;
      } else {
        return subcommand_syntax_error(ctx);
      }
    }
  }
  StreamLookup found = lookup_stream(ctx, args[2], false);
  if (found.wrong_type) return wrong_type_error();
  out.stream = found.stream;
  if (!out.mkstream && !out.stream) return Reply::error(kXgroupNeedsKey);
  out.group = find_group(out.stream, args[3]);
  if (needs_group && !out.group) return no_group_for_key_error(args[2], args[3]);
  return std::nullopt;
}

Reply xgroup_create_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  XgroupTarget target;
  if (auto error = xgroup_prelude(ctx, XgroupSub::Create, false, target)) return *error;
  if (args.size() > 8) return subcommand_syntax_error(ctx);
  StreamId id;
  if (args[4] == "$") {
    id = target.stream ? target.stream->last_id : StreamId{};
  } else if (!parse_strict_id(args[4], id)) {
    return invalid_id_error();
  }
  if (!target.stream) {
    Entry& entry = ctx.db().put(args[2], Value::make<StreamValue>(ValueType::Stream));
    target.stream = &entry.value.as<StreamValue>();
    ctx.modified(args[2]);
  }
  auto [group, created] = target.stream->groups.try_emplace(args[3]);
  if (!created) return Reply::error(kBusyGroup);
  group->second.last_delivered = id;
  group->second.entries_read = target.entries_read;
  return Reply::ok();
}

Reply xgroup_setid_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  XgroupTarget target;
  if (auto error = xgroup_prelude(ctx, XgroupSub::SetId, true, target)) return *error;
  StreamId id;
  if (args[4] == "$") {
    id = target.stream->last_id;
  } else if (!parse_stream_id(args[4], StreamIdParse{}, id)) {
    return invalid_id_error();
  }
  target.group->last_delivered = id;
  target.group->entries_read = target.entries_read;
  return Reply::ok();
}

Reply xgroup_destroy_command(CommandContext& ctx) {
  XgroupTarget target;
  if (auto error = xgroup_prelude(ctx, XgroupSub::Other, false, target)) return *error;
  if (!target.group) return Reply::integer_value(0);
  target.stream->groups.erase(ctx.args[3]);
  ctx.server.signal_key_ready(ctx.db_index(), ctx.args[2]);  // its blocked readers learn of it
  return Reply::integer_value(1);
}

Reply xgroup_createconsumer_command(CommandContext& ctx) {
  XgroupTarget target;
  if (auto error = xgroup_prelude(ctx, XgroupSub::Other, true, target)) return *error;
  auto [consumer, created] = target.group->consumers.try_emplace(ctx.args[4]);
  if (created) consumer->second.seen_time_ms = ctx.now_ms;
  return Reply::integer_value(created ? 1 : 0);
}

Reply xgroup_delconsumer_command(CommandContext& ctx) {
  XgroupTarget target;
  if (auto error = xgroup_prelude(ctx, XgroupSub::Other, true, target)) return *error;
  return Reply::integer_value(static_cast<long long>(target.group->delete_consumer(ctx.args[4])));
}

Reply xgroup_help_command(CommandContext&) {
  return help_lines({
      "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CREATE <key> <groupname> <id|$> [option]",
      "    Create a new consumer group. Options are:",
      "    * MKSTREAM",
      "      Create the empty stream if it does not exist.",
      "    * ENTRIESREAD entries_read",
      "      Set the group's entries_read counter (internal use).",
      "CREATECONSUMER <key> <groupname> <consumer>",
      "    Create a new consumer in the specified group.",
      "DELCONSUMER <key> <groupname> <consumer>",
      "    Remove the specified consumer.",
      "DESTROY <key> <groupname>",
      "    Remove the specified group.",
      "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
      "    Set the current group ID and entries_read counter.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- acknowledging and claiming ----

Reply xack_command(CommandContext& ctx) {
  StreamLookup found = lookup_stream(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  ConsumerGroup* group = find_group(found.stream, ctx.args[2]);
  if (!group) return Reply::integer_value(0);
  std::vector<StreamId> ids(ctx.args.size() - 3);
  for (size_t j = 3; j < ctx.args.size(); ++j) {
    if (!parse_strict_id(ctx.args[j], ids[j - 3])) return invalid_id_error();
  }
  long long acknowledged = 0;
  for (const StreamId& id : ids) {
    auto it = group->pending.find(id);
    if (it == group->pending.end()) continue;
    group->drop_pending(it);
    ++acknowledged;
  }
  return Reply::integer_value(acknowledged);
}

Reply xpending_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  const bool summary = args.size() == 3;
  if (!summary && (args.size() < 6 || args.size() > 9)) return syntax_error();
  StreamId start;
  StreamId end;
  long long count = 0;
  long long min_idle = 0;
  const std::string* consumer_name = nullptr;
  if (!summary) {
    size_t first = 3;
    if (iequals(args[3], "idle")) {
      if (!parse_integer(args[4], min_idle)) return not_integer_error();
      if (args.size() < 8) return syntax_error();
      first += 2;
    }
    if (!parse_integer(args[first + 2], count)) return not_integer_error();
    if (count < 0) count = 0;
    if (auto error = parse_range_start(args[first], start)) return *error;
    if (auto error = parse_range_end(args[first + 1], end)) return *error;
    if (first + 3 < args.size()) consumer_name = &args[first + 3];
  }

  StreamLookup found = lookup_stream(ctx, args[1], true);
  if (found.wrong_type) return wrong_type_error();
  ConsumerGroup* group = find_group(found.stream, args[2]);
  if (!group) return no_key_or_group_error(args[1], args[2]);

  if (summary) {
    if (group->pending.empty()) {
      return Reply::array(
          {Reply::integer_value(0), Reply::nil(), Reply::nil(), Reply::null_array()});
    }
    std::vector<Reply> owners;
    for (const auto& [name, consumer] : group->consumers) {
      if (consumer.pending.empty()) continue;
      owners.push_back(
          Reply::array({Reply::bulk(name), Reply::bulk(std::to_string(consumer.pending.size()))}));
    }
    return Reply::array({Reply::integer_value(static_cast<long long>(group->pending.size())),
                         id_reply(group->pending.begin()->first),
                         id_reply(group->pending.rbegin()->first),
                         Reply::array(std::move(owners))});
  }

  std::vector<Reply> items;
  auto report = [&](const StreamId& id) {
    const PendingEntry& pending = group->pending.at(id);
    const long long idle = ctx.now_ms - pending.delivery_time_ms;
    if (min_idle && idle < min_idle) return;
    --count;
    items.push_back(Reply::array(
        {id_reply(id), Reply::bulk(pending.consumer), Reply::integer_value(std::max(0LL, idle)),
         Reply::integer_value(static_cast<long long>(pending.delivery_count))}));
  };
  if (consumer_name) {
    auto consumer = group->consumers.find(*consumer_name);
    if (consumer == group->consumers.end()) return Reply::array();
    const std::set<StreamId>& owned = consumer->second.pending;
    for (auto it = owned.lower_bound(start); count && it != owned.end() && *it <= end; ++it) {
      report(*it);
    }
  } else {
    for (auto it = group->pending.lower_bound(start);
         count && it != group->pending.end() && it->first <= end; ++it) {
      report(it->first);
    }
  }
  return Reply::array(std::move(items));
}

// Moves a pending entry to `consumer` (creating it on first use) and records the delivery.
void assign_pending(ConsumerGroup& group, std::map<StreamId, PendingEntry>::iterator pending,
                    const std::string& consumer) {
  if (pending->second.consumer != consumer) {
    auto old_owner = group.consumers.find(pending->second.consumer);
    if (old_owner != group.consumers.end()) old_owner->second.pending.erase(pending->first);
    pending->second.consumer = consumer;
  }
  group.consumers[consumer].pending.insert(pending->first);
}

Reply xclaim_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  StreamLookup found = lookup_stream(ctx, args[1], true);
  if (found.wrong_type) return wrong_type_error();
  ConsumerGroup* group = find_group(found.stream, args[2]);
  if (!group) return no_key_or_group_error(args[1], args[2]);
  StreamValue& stream = *found.stream;

  long long min_idle = 0;
  if (!parse_integer(args[4], min_idle)) {
    return Reply::error(kXclaimMinIdleInvalid);
  }
  if (min_idle < 0) min_idle = 0;

  // IDs run until the first argument that is not one; the rest are options.
  std::vector<StreamId> ids;
  size_t j = 5;
  for (; j < args.size(); ++j) {
    StreamId id;
    if (!parse_strict_id(args[j], id)) break;
    ids.push_back(id);
  }
  const std::int64_t now = ctx.now_ms;
  long long delivery_time = -1;
  long long retry_count = -1;
  bool force = false;
  bool justid = false;
  StreamId last_id;
  for (; j < args.size(); ++j) {
    const bool more = j + 1 < args.size();
    const std::string& opt = args[j];
    if (iequals(opt, "force")) {
      force = true;
    } else if (iequals(opt, "justid")) {
      justid = true;
    } else if (iequals(opt, "idle") && more) {
      if (!parse_integer(args[++j], delivery_time)) {
        return Reply::error(kXclaimIdleInvalid);
      }
      // Wrapping, as Redis computes it: an absurd IDLE ends up out of range, meaning now.
      delivery_time = static_cast<long long>(static_cast<std::uint64_t>(now) -
                                             static_cast<std::uint64_t>(delivery_time));
    } else if (iequals(opt, "time") && more) {
      if (!parse_integer(args[++j], delivery_time)) {
        return Reply::error(kXclaimTimeInvalid);
      }
    } else if (iequals(opt, "retrycount") && more) {
      if (!parse_integer(args[++j], retry_count)) {
        return Reply::error(kXclaimRetrycountInvalid);
      }
    } else if (iequals(opt, "lastid") && more) {
      if (!parse_strict_id(args[++j], last_id)) return invalid_id_error();
    } else {
      return unknown_xclaim_option_error(opt);
    }
  }
  if (last_id > group->last_delivered) group->last_delivered = last_id;
  // A time in the future or before the epoch means "now": clients compute it from their clocks.
  if (delivery_time < 0 || delivery_time > now) delivery_time = now;

  const std::string& consumer = args[3];
  bool consumer_seen = false;
  std::vector<Reply> claimed;
  for (const StreamId& id : ids) {
    auto pending = group->pending.find(id);
    const StreamFields* fields = stream.find(id);
    if (!fields) {
      // The entry is gone: its pending record goes too.
      if (pending != group->pending.end()) group->drop_pending(pending);
      continue;
    }
    bool forced = false;
    if (pending == group->pending.end()) {
      if (!force) continue;
      pending = group->pending.emplace(id, PendingEntry{std::string(), now, 1}).first;
      forced = true;
    }
    if (!forced && min_idle && now - pending->second.delivery_time_ms < min_idle) continue;
    if (!consumer_seen) {
      touch_consumer(*group, consumer, now);
      consumer_seen = true;
    }
    if (forced) {
      pending->second.consumer = consumer;
      group->consumers[consumer].pending.insert(id);
    } else {
      assign_pending(*group, pending, consumer);
    }
    pending->second.delivery_time_ms = delivery_time;
    if (retry_count >= 0) {
      pending->second.delivery_count = static_cast<std::uint64_t>(retry_count);
    } else if (!justid) {
      ++pending->second.delivery_count;
    }
    claimed.push_back(justid ? id_reply(id) : entry_reply(id, *fields));
  }
  return Reply::array(std::move(claimed));
}

Reply xautoclaim_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  StreamLookup found = lookup_stream(ctx, args[1], true);
  long long min_idle = 0;
  if (!parse_integer(args[4], min_idle)) {
    return Reply::error(kXautoclaimMinIdleInvalid);
  }
  if (min_idle < 0) min_idle = 0;
  StreamId start;
  if (auto error = parse_range_start(args[5], start)) return *error;
  constexpr long long kAttemptsFactor = 10;
  constexpr long long kMaxCount = INT64_MAX / 16;  // Redis: LONG_MAX / sizeof(ID), 64-bit
  long long count = 100;
  bool justid = false;
  for (size_t j = 6; j < args.size();) {
    if (iequals(args[j], "count") && j + 1 < args.size()) {
      if (!parse_integer(args[j + 1], count) || count < 1 || count > kMaxCount) {
        return Reply::error(errors::kCountMustBeAboveZero);
      }
      j += 2;
    } else if (iequals(args[j], "justid")) {
      justid = true;
      ++j;
    } else {
      return syntax_error();
    }
  }
  if (found.wrong_type) return wrong_type_error();
  ConsumerGroup* group = find_group(found.stream, args[2]);
  if (!group) return no_key_or_group_error(args[1], args[2]);
  StreamValue& stream = *found.stream;

  const std::int64_t now = ctx.now_ms;
  const std::string& consumer = args[3];
  bool consumer_seen = false;
  long long attempts = count * kAttemptsFactor;
  std::vector<Reply> claimed;
  std::vector<Reply> deleted;
  auto it = group->pending.lower_bound(start);
  while (attempts-- && count && it != group->pending.end()) {
    const StreamId id = it->first;
    const StreamFields* fields = stream.find(id);
    if (!fields) {
      auto next = std::next(it);
      group->drop_pending(it);
      it = next;
      deleted.push_back(id_reply(id));
      --count;
      continue;
    }
    if (min_idle && now - it->second.delivery_time_ms < min_idle) {
      ++it;
      continue;
    }
    if (!consumer_seen) {
      touch_consumer(*group, consumer, now);
      consumer_seen = true;
    }
    assign_pending(*group, it, consumer);
    it->second.delivery_time_ms = now;
    if (!justid) ++it->second.delivery_count;
    claimed.push_back(justid ? id_reply(id) : entry_reply(id, *fields));
    --count;
    ++it;
  }
  const StreamId cursor = it == group->pending.end() ? StreamId{} : it->first;
  return Reply::array(
      {id_reply(cursor), Reply::array(std::move(claimed)), Reply::array(std::move(deleted))});
}

// ---- XINFO ----

Reply group_pending_full(const ConsumerGroup& group, long long count) {
  std::vector<Reply> items;
  for (const auto& [id, pending] : group.pending) {
    if (count && static_cast<long long>(items.size()) >= count) break;
    items.push_back(
        Reply::array({id_reply(id), Reply::bulk(pending.consumer),
                      Reply::integer_value(pending.delivery_time_ms),
                      Reply::integer_value(static_cast<long long>(pending.delivery_count))}));
  }
  return Reply::array(std::move(items));
}

Reply consumers_full(const ConsumerGroup& group, long long count) {
  std::vector<Reply> consumers;
  for (const auto& [name, consumer] : group.consumers) {
    std::vector<Reply> owned;
    for (const StreamId& id : consumer.pending) {
      if (count && static_cast<long long>(owned.size()) >= count) break;
      const PendingEntry& pending = group.pending.at(id);
      owned.push_back(
          Reply::array({id_reply(id), Reply::integer_value(pending.delivery_time_ms),
                        Reply::integer_value(static_cast<long long>(pending.delivery_count))}));
    }
    consumers.push_back(
        Reply::array({Reply::bulk("name"), Reply::bulk(name), Reply::bulk("seen-time"),
                      Reply::integer_value(consumer.seen_time_ms), Reply::bulk("pel-count"),
                      Reply::integer_value(static_cast<long long>(consumer.pending.size())),
                      Reply::bulk("pending"), Reply::array(std::move(owned))}));
  }
  return Reply::array(std::move(consumers));
}

Reply xinfo_stream_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  Entry* entry = ctx.lookup_read(args[2]);
  if (!entry) return Reply::error(errors::kNoSuchKey);
  if (entry->value.type != ValueType::Stream) return wrong_type_error();
  const StreamValue& stream = entry->value.as<StreamValue>();

  bool full = false;
  long long count = 10;
  const size_t options = args.size() - 3;
  if (options == 1 || options == 3) {
    if (!iequals(args[3], "full")) return subcommand_syntax_error(ctx);
    full = true;
    if (options == 3) {
      if (!iequals(args[4], "count")) return subcommand_syntax_error(ctx);
      if (!parse_integer(args[5], count)) return not_integer_error();
      if (count < 0) count = 10;
    }
  } else if (options != 0) {
    return subcommand_syntax_error(ctx);
  }

  std::vector<Reply> info = {
      Reply::bulk("length"),
      Reply::integer_value(static_cast<long long>(stream.element_count())),
      Reply::bulk("radix-tree-keys"),
      Reply::integer_value(static_cast<long long>(stream.radix_tree_keys())),
      Reply::bulk("radix-tree-nodes"),
      Reply::integer_value(static_cast<long long>(stream.radix_tree_nodes())),
      Reply::bulk("last-generated-id"),
      id_reply(stream.last_id),
      Reply::bulk("max-deleted-entry-id"),
      id_reply(stream.max_deleted_id),
      Reply::bulk("entries-added"),
      Reply::integer_value(static_cast<long long>(stream.entries_added)),
      Reply::bulk("recorded-first-entry-id"),
      id_reply(stream.first_id()),
  };
  if (!full) {
    info.push_back(Reply::bulk("groups"));
    info.push_back(Reply::integer_value(static_cast<long long>(stream.groups.size())));
    const auto& entries = stream.entries();
    info.push_back(Reply::bulk("first-entry"));
    info.push_back(entries.empty() ? Reply::nil()
                                   : entry_reply(entries.begin()->first, entries.begin()->second));
    info.push_back(Reply::bulk("last-entry"));
    info.push_back(entries.empty()
                       ? Reply::nil()
                       : entry_reply(entries.rbegin()->first, entries.rbegin()->second));
    return Reply::array(std::move(info));
  }
  info.push_back(Reply::bulk("entries"));
  info.push_back(range_reply(stream, StreamId{}, StreamId::max(), count_limit(count), false));
  std::vector<Reply> groups;
  for (const auto& [name, group] : stream.groups) {
    groups.push_back(Reply::array(
        {Reply::bulk("name"), Reply::bulk(name), Reply::bulk("last-delivered-id"),
         id_reply(group.last_delivered), Reply::bulk("entries-read"), entries_read_reply(group),
         Reply::bulk("lag"), lag_reply(stream, group), Reply::bulk("pel-count"),
         Reply::integer_value(static_cast<long long>(group.pending.size())), Reply::bulk("pending"),
         group_pending_full(group, count), Reply::bulk("consumers"),
         consumers_full(group, count)}));
  }
  info.push_back(Reply::bulk("groups"));
  info.push_back(Reply::array(std::move(groups)));
  return Reply::array(std::move(info));
}

Reply xinfo_groups_command(CommandContext& ctx) {
  Entry* entry = ctx.lookup_read(ctx.args[2]);
  if (!entry) return Reply::error(errors::kNoSuchKey);
  if (entry->value.type != ValueType::Stream) return wrong_type_error();
  const StreamValue& stream = entry->value.as<StreamValue>();
  std::vector<Reply> groups;
  for (const auto& [name, group] : stream.groups) {
    groups.push_back(Reply::array(
        {Reply::bulk("name"), Reply::bulk(name), Reply::bulk("consumers"),
         Reply::integer_value(static_cast<long long>(group.consumers.size())),
         Reply::bulk("pending"), Reply::integer_value(static_cast<long long>(group.pending.size())),
         Reply::bulk("last-delivered-id"), id_reply(group.last_delivered),
         Reply::bulk("entries-read"), entries_read_reply(group), Reply::bulk("lag"),
         lag_reply(stream, group)}));
  }
  return Reply::array(std::move(groups));
}

Reply xinfo_consumers_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  Entry* entry = ctx.lookup_read(args[2]);
  if (!entry) return Reply::error(errors::kNoSuchKey);
  if (entry->value.type != ValueType::Stream) return wrong_type_error();
  const StreamValue& stream = entry->value.as<StreamValue>();
  auto group = stream.groups.find(args[3]);
  if (group == stream.groups.end()) return no_group_for_key_error(args[2], args[3]);
  std::vector<Reply> consumers;
  for (const auto& [name, consumer] : group->second.consumers) {
    consumers.push_back(Reply::array(
        {Reply::bulk("name"), Reply::bulk(name), Reply::bulk("pending"),
         Reply::integer_value(static_cast<long long>(consumer.pending.size())), Reply::bulk("idle"),
         Reply::integer_value(idle_since(ctx.now_ms, consumer.seen_time_ms))}));
  }
  return Reply::array(std::move(consumers));
}

Reply xinfo_help_command(CommandContext&) {
  return help_lines({
      "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CONSUMERS <key> <groupname>",
      "    Show consumers of <groupname>.",
      "GROUPS <key>",
      "    Show the stream consumer groups.",
      "STREAM <key> [FULL [COUNT <count>]",
      "    Show information about the stream.",
      "HELP",
      "    Prints this help.",
  });
}

}  // namespace

std::vector<CommandRow> stream_command_rows() {
  return {
      {"xack", xack_command},
      {"xadd", xadd_command},
      {"xautoclaim", xautoclaim_command},
      {"xclaim", xclaim_command},
      {"xdel", xdel_command},
      {"xgroup|create", xgroup_create_command},
      {"xgroup|createconsumer", xgroup_createconsumer_command},
      {"xgroup|delconsumer", xgroup_delconsumer_command},
      {"xgroup|destroy", xgroup_destroy_command},
      {"xgroup|help", xgroup_help_command},
      {"xgroup|setid", xgroup_setid_command},
      {"xinfo|consumers", xinfo_consumers_command},
      {"xinfo|groups", xinfo_groups_command},
      {"xinfo|help", xinfo_help_command},
      {"xinfo|stream", xinfo_stream_command},
      {"xlen", xlen_command},
      {"xpending", xpending_command},
      {"xrange", xrange_command},
      {"xread", xread_command},
      {"xreadgroup", xreadgroup_command},
      {"xrevrange", xrevrange_command},
      {"xsetid", xsetid_command},
      {"xtrim", xtrim_command},
  };
}

}  // namespace redpad
