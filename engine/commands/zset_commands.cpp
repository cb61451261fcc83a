// Sorted set commands: ZADD and its options, score and rank lookups, the ZRANGE family
// (by rank, score or lex, forwards or reversed, with LIMIT, into a reply or a key),
// removals, pops, random members, the set algebra (ZUNION/ZINTER/ZDIFF and their STORE
// forms, ZINTERCARD) and ZSCAN, and the blocking pops (BZPOPMIN, BZPOPMAX, BZMPOP) that
// wait for another client's ZADD.
#include <algorithm>
#include <climits>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../glob.h"
#include "../scan_cursor.h"
#include "../types/zset.h"
#include "command_helpers.h"

// Plain sets count as sorted sets whose scores are all 1 in ZUNION, ZINTER, ZDIFF and
// ZINTERCARD. The set type lives in its own group; its reader is compiled in once it is.
#if __has_include("../types/set.h")
#include "../types/set.h"
#define REDPAD_ZSET_READS_SETS 1
#else
#define REDPAD_ZSET_READS_SETS 0
#endif

namespace redpad {

namespace {

// ---- error texts shared by several commands ----

constexpr const char* kZaddXxAndNx = "ERR XX and NX options at the same time are not compatible";
constexpr const char* kZaddGtLtNx =
    "ERR GT, LT, and/or NX options at the same time are not compatible";
constexpr const char* kZaddIncrOnePair = "ERR INCR option supports a single increment-element pair";
constexpr const char* kScoreIsNan = "ERR resulting score is not a number (NaN)";
constexpr const char* kMinMaxNotFloat = "ERR min or max is not a float";
constexpr const char* kMinMaxNotLex = "ERR min or max not valid string range item";
constexpr const char* kLimitNeedsByScoreOrLex =
    "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX";
constexpr const char* kWithScoresWithByLex =
    "ERR syntax error, WITHSCORES not supported in combination with BYLEX";
constexpr const char* kWeightNotFloat = "ERR weight value is not a float";

Reply at_least_one_key_error(const CommandContext& ctx) {
  return Reply::error("ERR at least 1 input key is needed for '" + ctx.spec.name + "' command");
}

// ---- shared pieces ----

using Element = SortedSet::Element;

SortedSet& zset_of(Entry* entry) {
  return entry->value.as<SortedSet>();
}

Reply score_reply(double score) {
  return Reply::bulk(format_double(score));
}

// The member (and score) of each element: the flat shape of ZRANGE ... WITHSCORES.
Reply elements_reply(const std::vector<const Element*>& elements, bool with_scores) {
  std::vector<Reply> items;
  items.reserve(elements.size() * (with_scores ? 2 : 1));
  for (const Element* element : elements) {
    items.push_back(Reply::bulk(element->member));
    if (with_scores) items.push_back(score_reply(element->score));
  }
  return Reply::array(std::move(items));
}

// Deletes the key once its last member is gone, as Redis does.
void delete_if_empty(CommandContext& ctx, const std::string& key, const SortedSet& zset) {
  if (zset.empty()) ctx.db().erase(key);
}

// Writes a freshly built sorted set under `key` (a *STORE destination), or deletes the
// key when the set is empty. Returns the number of members stored.
long long store_zset(CommandContext& ctx, const std::string& key, Value value) {
  SortedSet& zset = value.as<SortedSet>();
  if (zset.empty()) {
    if (ctx.lookup(key)) {
      ctx.db().erase(key);
      ctx.modified(key);
    }
    return 0;
  }
  zset.fit_encoding();
  const auto size = static_cast<long long>(zset.size());
  ctx.db().put(key, std::move(value));
  ctx.modified(key);
  return size;
}

Value new_zset_value() {
  return Value::make<SortedSet>(ValueType::ZSet);
}

// ---- ZADD, ZINCRBY ----

enum ZaddFlag : unsigned {
  kZaddNx = 1u << 0,
  kZaddXx = 1u << 1,
  kZaddGt = 1u << 2,
  kZaddLt = 1u << 3,
  kZaddCh = 1u << 4,
  kZaddIncr = 1u << 5,
};

// Options first, then score/member pairs; Redis checks the pair count, then the option
// conflicts, then every score, and only then the key's type.
Reply zadd_generic(CommandContext& ctx, unsigned flags, size_t first_pair) {
  const std::string& key = ctx.args[1];
  const size_t pair_args = ctx.args.size() - first_pair;
  if (pair_args == 0 || pair_args % 2 != 0) return syntax_error();
  if ((flags & kZaddNx) && (flags & kZaddXx)) return Reply::error(kZaddXxAndNx);
  if (((flags & kZaddGt) && (flags & (kZaddLt | kZaddNx))) ||
      ((flags & kZaddLt) && (flags & kZaddNx))) {
    return Reply::error(kZaddGtLtNx);
  }
  if ((flags & kZaddIncr) && pair_args > 2) return Reply::error(kZaddIncrOnePair);
  std::vector<double> scores;
  scores.reserve(pair_args / 2);
  for (size_t i = first_pair; i < ctx.args.size(); i += 2) {
    double score = 0;
    if (!parse_double(ctx.args[i], score)) return not_float_error();
    scores.push_back(score);
  }

  TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
  if (found.wrong_type) return wrong_type_error();
  const bool incr = (flags & kZaddIncr) != 0;
  if (!found.entry) {
    if (flags & kZaddXx) return incr ? Reply::nil() : Reply::integer_value(0);
    found.entry = &ctx.db().put(key, new_zset_value());
  }
  SortedSet& zset = zset_of(found.entry);

  long long added = 0;
  long long updated = 0;
  std::optional<double> incr_result;
  for (size_t p = 0; p < scores.size(); ++p) {
    const std::string& member = ctx.args[first_pair + 2 * p + 1];
    double score = scores[p];
    const std::optional<double> current = zset.score(member);
    if (current) {
      if (flags & kZaddNx) continue;
      if (incr) {
        score += *current;
        if (std::isnan(score)) {
          if (added + updated > 0) ctx.modified(key);
          return Reply::error(kScoreIsNan);
        }
      }
      if (((flags & kZaddGt) && score <= *current) || ((flags & kZaddLt) && score >= *current)) {
        continue;
      }
      if (score != *current) {
        zset.add(member, score);
        ++updated;
      }
    } else {
      if (flags & kZaddXx) continue;
      zset.add(member, score);
      ++added;
    }
    incr_result = score;
  }
  if (added + updated > 0) ctx.modified(key);
  if (incr) return incr_result ? score_reply(*incr_result) : Reply::nil();
  return Reply::integer_value((flags & kZaddCh) ? added + updated : added);
}

Reply zadd_command(CommandContext& ctx) {
  unsigned flags = 0;
  size_t i = 2;
  for (; i < ctx.args.size(); ++i) {
    const std::string& opt = ctx.args[i];
    if (iequals(opt, "nx")) {
      flags |= kZaddNx;
    } else if (iequals(opt, "xx")) {
      flags |= kZaddXx;
    } else if (iequals(opt, "gt")) {
      flags |= kZaddGt;
    } else if (iequals(opt, "lt")) {
      flags |= kZaddLt;
    } else if (iequals(opt, "ch")) {
      flags |= kZaddCh;
    } else if (iequals(opt, "incr")) {
      flags |= kZaddIncr;
    } else {
      break;
    }
  }
  return zadd_generic(ctx, flags, i);
}

// ZINCRBY key increment member is ZADD key INCR increment member.
Reply zincrby_command(CommandContext& ctx) {
  return zadd_generic(ctx, kZaddIncr, 2);
}

// ---- lookups ----

Reply zscore_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::nil();
  const std::optional<double> score = zset_of(found.entry).score(ctx.args[2]);
  return score ? score_reply(*score) : Reply::nil();
}

Reply zmscore_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  std::vector<Reply> scores;
  scores.reserve(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::optional<double> score =
        found.entry ? zset_of(found.entry).score(ctx.args[i]) : std::nullopt;
    scores.push_back(score ? score_reply(*score) : Reply::nil());
  }
  return Reply::array(std::move(scores));
}

Reply zrank_generic(CommandContext& ctx, bool reverse) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::nil();
  const SortedSet& zset = zset_of(found.entry);
  const std::optional<size_t> rank = zset.rank(ctx.args[2]);
  if (!rank) return Reply::nil();
  return Reply::integer_value(static_cast<long long>(reverse ? zset.size() - 1 - *rank : *rank));
}

Reply zrank_command(CommandContext& ctx) {
  return zrank_generic(ctx, false);
}
Reply zrevrank_command(CommandContext& ctx) {
  return zrank_generic(ctx, true);
}

Reply zcard_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(found.entry ? static_cast<long long>(zset_of(found.entry).size())
                                          : 0);
}

Reply zcount_command(CommandContext& ctx) {
  ScoreRange range;
  if (!parse_score_range(ctx.args[2], ctx.args[3], range)) return Reply::error(kMinMaxNotFloat);
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  return Reply::integer_value(static_cast<long long>(zset_of(found.entry).count_in(range)));
}

Reply zlexcount_command(CommandContext& ctx) {
  LexRange range;
  if (!parse_lex_range(ctx.args[2], ctx.args[3], range)) return Reply::error(kMinMaxNotLex);
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  return Reply::integer_value(static_cast<long long>(zset_of(found.entry).count_in(range)));
}

// ---- the ZRANGE family ----

enum class RangeBy { Rank, Score, Lex };

// What each command of the family fixes: where its arguments are, what it ranges over
// by default, and which options it takes.
struct RangeCommand {
  RangeBy by;
  bool reverse;
  bool store;        // ZRANGESTORE: destination first, no WITHSCORES
  bool full_syntax;  // ZRANGE and ZRANGESTORE: BYSCORE, BYLEX and REV
};

struct RangeRequest {
  RangeBy by = RangeBy::Rank;
  bool reverse = false;
  bool with_scores = false;
  long long offset = 0;
  long long limit = -1;  // negative: no limit
  long long start = 0;   // RangeBy::Rank
  long long stop = 0;
  ScoreRange scores;  // RangeBy::Score
  LexRange lex;       // RangeBy::Lex
};

// Options in any order (BYSCORE/BYLEX and REV at most once each), then the checks that
// need all of them, then the range itself: the order in which Redis reports errors.
std::optional<Reply> parse_range_request(const CommandContext& ctx, const RangeCommand& command,
                                         size_t min_index, RangeRequest& out) {
  const std::vector<std::string>& args = ctx.args;
  out.by = command.by;
  out.reverse = command.reverse;
  bool by_given = false;
  bool reverse_given = false;
  for (size_t j = min_index + 2; j < args.size(); ++j) {
    const std::string& opt = args[j];
    if (!command.store && iequals(opt, "withscores")) {
      out.with_scores = true;
    } else if (iequals(opt, "limit") && j + 2 < args.size()) {
      if (!parse_integer(args[j + 1], out.offset) || !parse_integer(args[j + 2], out.limit)) {
        return not_integer_error();
      }
      j += 2;
    } else if (command.full_syntax && !by_given && iequals(opt, "byscore")) {
      out.by = RangeBy::Score;
      by_given = true;
    } else if (command.full_syntax && !by_given && iequals(opt, "bylex")) {
      out.by = RangeBy::Lex;
      by_given = true;
    } else if (command.full_syntax && !reverse_given && iequals(opt, "rev")) {
      out.reverse = true;
      reverse_given = true;
    } else {
      return syntax_error();
    }
  }
  // Redis refuses only a count other than -1 (its "no limit"): ZRANGE k 0 -1 LIMIT 5 -1 is
  // a rank range that ignores the offset.
  if (out.limit != -1 && out.by == RangeBy::Rank) return Reply::error(kLimitNeedsByScoreOrLex);
  if (out.with_scores && out.by == RangeBy::Lex) return Reply::error(kWithScoresWithByLex);

  // Reversed score and lex ranges are written max first.
  const bool swap = out.reverse && out.by != RangeBy::Rank;
  const std::string& min = args[swap ? min_index + 1 : min_index];
  const std::string& max = args[swap ? min_index : min_index + 1];
  switch (out.by) {
    case RangeBy::Rank:
      if (!parse_integer(min, out.start) || !parse_integer(max, out.stop)) {
        return not_integer_error();
      }
      break;
    case RangeBy::Score:
      if (!parse_score_range(min, max, out.scores)) return Reply::error(kMinMaxNotFloat);
      break;
    case RangeBy::Lex:
      if (!parse_lex_range(min, max, out.lex)) return Reply::error(kMinMaxNotLex);
      break;
  }
  return std::nullopt;
}

std::vector<const Element*> select_by_rank(const SortedSet& zset, const RangeRequest& request) {
  std::vector<const Element*> selected;
  const auto size = static_cast<long long>(zset.size());
  long long start = request.start < 0 ? request.start + size : request.start;
  long long stop = request.stop < 0 ? request.stop + size : request.stop;
  if (start < 0) start = 0;
  if (start > stop || start >= size) return selected;
  if (stop >= size) stop = size - 1;
  const auto count = static_cast<size_t>(stop - start + 1);
  selected.reserve(count);
  if (request.reverse) {
    auto it = zset.at_rank(static_cast<size_t>(size - 1 - start));
    for (size_t i = 0; i < count; ++i, --it)
      selected.push_back(&*it);
  } else {
    auto it = zset.at_rank(static_cast<size_t>(start));
    for (size_t i = 0; i < count; ++i, ++it)
      selected.push_back(&*it);
  }
  return selected;
}

// Score and lex ranges: from the first element inside the range (the last one when
// reversed), skip `offset` elements, then take up to `limit` while they stay inside.
template <class Range, class Key>
std::vector<const Element*> select_in_range(const SortedSet& zset, const Range& range,
                                            const RangeRequest& request, Key key) {
  std::vector<const Element*> selected;
  if (request.offset < 0) return selected;
  const auto offset = static_cast<unsigned long long>(request.offset);
  // Any negative limit means no limit: counting LIMIT 0 -9223372036854775808 down from
  // itself would overflow, so it counts down from -1 (never reaching 0).
  long long left = request.limit < 0 ? -1 : request.limit;
  if (!request.reverse) {
    auto it = zset.first_in(range);
    if (it == zset.end()) return selected;
    if (offset > 0) {
      const size_t rank = zset.rank_of(it);
      if (offset >= zset.size() - rank) return selected;
      it = zset.at_rank(rank + static_cast<size_t>(offset));
    }
    for (; it != zset.end() && left != 0 && range.below_max(key(*it)); ++it, --left) {
      selected.push_back(&*it);
    }
  } else {
    auto it = zset.last_in(range);
    if (it == zset.end()) return selected;
    if (offset > 0) {
      const size_t rank = zset.rank_of(it);
      if (offset > rank) return selected;
      it = zset.at_rank(rank - static_cast<size_t>(offset));
    }
    for (; it != zset.end() && left != 0 && range.above_min(key(*it)); --it, --left) {
      selected.push_back(&*it);
    }
  }
  return selected;
}

Reply zrange_generic(CommandContext& ctx, const RangeCommand& command) {
  const size_t key_index = command.store ? 2 : 1;
  RangeRequest request;
  if (auto error = parse_range_request(ctx, command, key_index + 1, request)) return *error;

  const std::string& key = ctx.args[key_index];
  TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  std::vector<const Element*> selected;
  if (found.entry) {
    const SortedSet& zset = zset_of(found.entry);
    switch (request.by) {
      case RangeBy::Rank:
        selected = select_by_rank(zset, request);
        break;
      case RangeBy::Score:
        selected = select_in_range(zset, request.scores, request,
                                   [](const Element& e) { return e.score; });
        break;
      case RangeBy::Lex:
        selected = select_in_range(zset, request.lex, request,
                                   [](const Element& e) -> const std::string& { return e.member; });
        break;
    }
  }
  if (!command.store) return elements_reply(selected, request.with_scores);

  Value result = new_zset_value();
  SortedSet& stored = result.as<SortedSet>();
  for (const Element* element : selected)
    stored.add(element->member, element->score);
  return Reply::integer_value(store_zset(ctx, ctx.args[1], std::move(result)));
}

Reply zrange_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Rank, false, false, true});
}
Reply zrangestore_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Rank, false, true, true});
}
Reply zrevrange_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Rank, true, false, false});
}
Reply zrangebyscore_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Score, false, false, false});
}
Reply zrevrangebyscore_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Score, true, false, false});
}
Reply zrangebylex_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Lex, false, false, false});
}
Reply zrevrangebylex_command(CommandContext& ctx) {
  return zrange_generic(ctx, {RangeBy::Lex, true, false, false});
}

// ---- removals ----

Reply zrem_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  SortedSet& zset = zset_of(found.entry);
  long long removed = 0;
  for (size_t i = 2; i < ctx.args.size() && !zset.empty(); ++i) {
    if (zset.remove(ctx.args[i])) ++removed;
  }
  if (removed > 0) {
    delete_if_empty(ctx, key, zset);
    ctx.modified(key);
  }
  return Reply::integer_value(removed);
}

// ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX: the range is parsed (and rejected)
// before the key is looked at.
template <class Remove>
Reply zremrange_generic(CommandContext& ctx, Remove remove) {
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  SortedSet& zset = zset_of(found.entry);
  const size_t removed = remove(zset);
  if (removed > 0) {
    delete_if_empty(ctx, key, zset);
    ctx.modified(key);
  }
  return Reply::integer_value(static_cast<long long>(removed));
}

Reply zremrangebyrank_command(CommandContext& ctx) {
  long long start = 0;
  long long stop = 0;
  if (!parse_integer(ctx.args[2], start) || !parse_integer(ctx.args[3], stop)) {
    return not_integer_error();
  }
  return zremrange_generic(ctx, [start, stop](SortedSet& zset) mutable -> size_t {
    const auto size = static_cast<long long>(zset.size());
    if (start < 0) start += size;
    if (stop < 0) stop += size;
    if (start < 0) start = 0;
    if (start > stop || start >= size) return 0;
    return zset.remove_rank_range(static_cast<size_t>(start), static_cast<size_t>(stop));
  });
}

Reply zremrangebyscore_command(CommandContext& ctx) {
  ScoreRange range;
  if (!parse_score_range(ctx.args[2], ctx.args[3], range)) return Reply::error(kMinMaxNotFloat);
  return zremrange_generic(ctx, [&range](SortedSet& zset) { return zset.remove_range(range); });
}

Reply zremrangebylex_command(CommandContext& ctx) {
  LexRange range;
  if (!parse_lex_range(ctx.args[2], ctx.args[3], range)) return Reply::error(kMinMaxNotLex);
  return zremrange_generic(ctx, [&range](SortedSet& zset) { return zset.remove_range(range); });
}

// ---- pops ----

// Removes up to `count` elements from the low (or high) end, in pop order.
std::vector<std::pair<std::string, double>> pop_elements(SortedSet& zset, bool max,
                                                         unsigned long long count) {
  std::vector<std::pair<std::string, double>> popped;
  while (count-- > 0 && !zset.empty()) {
    auto it = max ? --zset.end() : zset.begin();
    popped.emplace_back(it->member, it->score);
    zset.remove(popped.back().first);
  }
  return popped;
}

Reply zpop_generic(CommandContext& ctx, bool max) {
  if (ctx.args.size() > 3) return syntax_error();
  long long count = 1;
  if (ctx.args.size() == 3 && (!parse_integer(ctx.args[2], count) || count < 0)) {
    return Reply::error(errors::kMustBePositive);
  }
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry || count == 0) return Reply::array();
  SortedSet& zset = zset_of(found.entry);
  std::vector<Reply> items;
  for (auto& [member, score] : pop_elements(zset, max, static_cast<unsigned long long>(count))) {
    items.push_back(Reply::bulk(std::move(member)));
    items.push_back(score_reply(score));
  }
  delete_if_empty(ctx, key, zset);
  ctx.modified(key);
  return Reply::array(std::move(items));
}

Reply zpopmin_command(CommandContext& ctx) {
  return zpop_generic(ctx, false);
}
Reply zpopmax_command(CommandContext& ctx) {
  return zpop_generic(ctx, true);
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]: pops from the first non-empty key.
// BZMPOP has its timeout first and waits when every key is empty.
Reply zmpop_generic(CommandContext& ctx, bool blocking) {
  const std::vector<std::string>& args = ctx.args;
  std::int64_t timeout_at = 0;
  if (blocking) {
    if (auto error = parse_block_timeout(ctx, args[1], true, timeout_at)) return *error;
  }
  const size_t numkeys_at = blocking ? 2 : 1;
  long long numkeys = 0;
  if (!parse_integer(args[numkeys_at], numkeys) || numkeys <= 0) {
    return Reply::error(errors::kNumkeysNotPositive);
  }
  if (static_cast<unsigned long long>(numkeys) > args.size() - numkeys_at - 2) {
    return syntax_error();
  }
  const size_t where_index = numkeys_at + 1 + static_cast<size_t>(numkeys);
  bool max = false;
  if (iequals(args[where_index], "max")) {
    max = true;
  } else if (!iequals(args[where_index], "min")) {
    return syntax_error();
  }
  long long count = 1;
  bool count_given = false;
  for (size_t j = where_index + 1; j < args.size(); ++j) {
    if (!count_given && iequals(args[j], "count") && j + 1 < args.size()) {
      if (!parse_integer(args[j + 1], count) || count <= 0)
        return Reply::error(errors::kCountNotPositive);
      count_given = true;
      ++j;
    } else {
      return syntax_error();
    }
  }
  for (size_t k = numkeys_at + 1; k < where_index; ++k) {
    const std::string& key = args[k];
    if (not_serving(ctx, key)) continue;
    TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
    if (found.wrong_type) return wrong_type_error();
    if (!found.entry) continue;
    SortedSet& zset = zset_of(found.entry);
    std::vector<Reply> pairs;
    for (auto& [member, score] : pop_elements(zset, max, static_cast<unsigned long long>(count))) {
      pairs.push_back(Reply::array({Reply::bulk(std::move(member)), score_reply(score)}));
    }
    delete_if_empty(ctx, key, zset);
    ctx.modified(key);
    return Reply::array({Reply::bulk(key), Reply::array(std::move(pairs))});
  }
  if (!blocking || !can_block(ctx)) return Reply::null_array();
  return ctx.server.block(ctx,
                          {args.begin() + static_cast<std::ptrdiff_t>(numkeys_at + 1),
                           args.begin() + static_cast<std::ptrdiff_t>(where_index)},
                          ValueType::ZSet, timeout_at, args);
}

Reply zmpop_command(CommandContext& ctx) {
  return zmpop_generic(ctx, false);
}
Reply bzmpop_command(CommandContext& ctx) {
  return zmpop_generic(ctx, true);
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout: [key, member, score] from the first
// non-empty sorted set, or wait for one.
Reply blocking_zpop(CommandContext& ctx, bool max) {
  const std::vector<std::string>& args = ctx.args;
  std::int64_t timeout_at = 0;
  if (auto error = parse_block_timeout(ctx, args.back(), true, timeout_at)) return *error;
  for (size_t k = 1; k + 1 < args.size(); ++k) {
    const std::string& key = args[k];
    if (not_serving(ctx, key)) continue;
    TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
    if (found.wrong_type) return wrong_type_error();
    if (!found.entry) continue;
    SortedSet& zset = zset_of(found.entry);
    auto popped = pop_elements(zset, max, 1);
    delete_if_empty(ctx, key, zset);
    ctx.modified(key);
    return Reply::array(
        {Reply::bulk(key), Reply::bulk(std::move(popped[0].first)), score_reply(popped[0].second)});
  }
  if (!can_block(ctx)) return Reply::null_array();
  return ctx.server.block(ctx, {args.begin() + 1, args.end() - 1}, ValueType::ZSet, timeout_at,
                          args);
}

Reply bzpopmin_command(CommandContext& ctx) {
  return blocking_zpop(ctx, false);
}
Reply bzpopmax_command(CommandContext& ctx) {
  return blocking_zpop(ctx, true);
}

// ---- ZRANDMEMBER ----

Reply zrandmember_command(CommandContext& ctx) {
  const std::vector<std::string>& args = ctx.args;
  if (args.size() == 2) {
    TypedLookup found = lookup_typed(ctx, args[1], ValueType::ZSet);
    if (found.wrong_type) return wrong_type_error();
    if (!found.entry) return Reply::nil();
    const SortedSet& zset = zset_of(found.entry);
    return Reply::bulk(
        zset.at_rank(static_cast<size_t>(ctx.server.random().below(zset.size())))->member);
  }
  long long count = 0;
  if (!parse_integer(args[2], count)) return not_integer_error();
  bool with_scores = false;
  if (args.size() == 4 && iequals(args[3], "withscores")) {
    with_scores = true;
  } else if (args.size() >= 4) {
    return syntax_error();
  }
  // Redis refuses a count whose reply (member and score each) would not fit a long.
  if (with_scores && count < -(LLONG_MAX / 2)) return Reply::error(errors::kOutOfRange);
  TypedLookup found = lookup_typed(ctx, args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry || count == 0) return Reply::array();
  const SortedSet& zset = zset_of(found.entry);
  const size_t size = zset.size();
  Random& random = ctx.server.random();
  std::vector<const Element*> chosen;
  if (count < 0) {
    // Repetitions allowed: each draw is independent.
    if (count < -kMaxRepeatedDraws) return too_many_draws_error("ZRANDMEMBER");
    const unsigned long long draws = 0ULL - static_cast<unsigned long long>(count);
    chosen.reserve(static_cast<size_t>(std::min<unsigned long long>(draws, 1u << 20)));
    for (unsigned long long i = 0; i < draws; ++i)
      chosen.push_back(&*zset.at_rank(static_cast<size_t>(random.below(size))));
  } else if (static_cast<unsigned long long>(count) >= size) {
    // The whole set, which Redis sends from the highest element down.
    chosen.reserve(size);
    for (auto it = --zset.end(); it != zset.end(); --it)
      chosen.push_back(&*it);
  } else {
    // Distinct members: Floyd's sampling of `count` distinct ranks, in draw order.
    const auto wanted = static_cast<size_t>(count);
    std::unordered_set<size_t> taken;
    taken.reserve(wanted);
    chosen.reserve(wanted);
    for (size_t j = size - wanted; j < size; ++j) {
      size_t rank = static_cast<size_t>(random.below(j + 1));
      if (!taken.insert(rank).second) {
        rank = j;
        taken.insert(rank);
      }
      chosen.push_back(&*zset.at_rank(rank));
    }
  }
  return elements_reply(chosen, with_scores);
}

// ---- ZUNION, ZINTER, ZDIFF, their STORE forms and ZINTERCARD ----

// One input of the set algebra: a sorted set, or a plain set whose members all score 1.
struct Operand {
  const SortedSet* zset = nullptr;
#if REDPAD_ZSET_READS_SETS
  const SetValue* set = nullptr;
#endif
  double weight = 1;

  size_t size() const {
    if (zset) return zset->size();
#if REDPAD_ZSET_READS_SETS
    if (set) return set->size();
#endif
    return 0;
  }
  std::optional<double> score(const std::string& member) const {
    if (zset) return zset->score(member);
#if REDPAD_ZSET_READS_SETS
    if (set && set->contains(member)) return 1.0;
#endif
    return std::nullopt;
  }
  // visit(member, score) for every element.
  template <class Visit>
  void for_each(Visit&& visit) const {
    if (zset) {
      for (const Element& element : *zset)
        visit(element.member, element.score);
    }
#if REDPAD_ZSET_READS_SETS
    if (set) set->for_each([&visit](const std::string& member) { visit(member, 1.0); });
#endif
  }
};

// Looks up every input key (missing keys are empty inputs), counting keyspace hits and
// misses even for the STORE forms, as Redis does. False means WRONGTYPE.
bool collect_operands(CommandContext& ctx, size_t first_key, size_t count,
                      std::vector<Operand>& out) {
  out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    Entry* entry = ctx.lookup_read(ctx.args[first_key + i]);
    if (!entry) continue;
    if (entry->value.type == ValueType::ZSet) {
      out[i].zset = &entry->value.as<SortedSet>();
#if REDPAD_ZSET_READS_SETS
    } else if (entry->value.type == ValueType::Set) {
      out[i].set = &entry->value.as<SetValue>();
#endif
    } else {
      return false;
    }
  }
  return true;
}

// numkeys as Redis checks it: an integer, at least 1, and no more than the arguments left.
std::optional<Reply> parse_numkeys(const CommandContext& ctx, size_t index, size_t& numkeys) {
  long long value = 0;
  if (!parse_integer(ctx.args[index], value)) return not_integer_error();
  if (value < 1) return at_least_one_key_error(ctx);
  if (static_cast<unsigned long long>(value) > ctx.args.size() - index - 1) return syntax_error();
  numkeys = static_cast<size_t>(value);
  return std::nullopt;
}

enum class SetOp { Union, Inter, Diff };
enum class Aggregation { Sum, Min, Max };

// A weighted score with NaN (inf * 0) read as 0: what Redis does to every score of a
// union and to the first score of each member of an intersection.
double weighted(double score, double weight) {
  const double value = score * weight;
  return std::isnan(value) ? 0 : value;
}

void aggregate_into(double& target, double value, Aggregation aggregation) {
  switch (aggregation) {
    case Aggregation::Sum:
      target += value;
      if (std::isnan(target)) target = 0;  // inf + -inf
      break;
    case Aggregation::Min:  // a NaN value compares false and is ignored
      if (value < target) target = value;
      break;
    case Aggregation::Max:
      if (value > target) target = value;
      break;
  }
}

Reply zsetop_generic(CommandContext& ctx, SetOp op, bool store) {
  const size_t numkeys_index = store ? 2 : 1;
  size_t numkeys = 0;
  if (auto error = parse_numkeys(ctx, numkeys_index, numkeys)) return *error;
  std::vector<Operand> operands;
  if (!collect_operands(ctx, numkeys_index + 1, numkeys, operands)) {
    return wrong_type_error();
  }

  Aggregation aggregation = Aggregation::Sum;
  bool with_scores = false;
  const std::vector<std::string>& args = ctx.args;
  for (size_t j = numkeys_index + 1 + numkeys; j < args.size(); ++j) {
    const size_t remaining = args.size() - j - 1;
    if (op != SetOp::Diff && iequals(args[j], "weights") && remaining >= numkeys) {
      for (size_t i = 0; i < numkeys; ++i) {
        if (!parse_double(args[j + 1 + i], operands[i].weight)) {
          return Reply::error(kWeightNotFloat);
        }
      }
      j += numkeys;
    } else if (op != SetOp::Diff && iequals(args[j], "aggregate") && remaining >= 1) {
      const std::string& how = args[++j];
      if (iequals(how, "sum")) {
        aggregation = Aggregation::Sum;
      } else if (iequals(how, "min")) {
        aggregation = Aggregation::Min;
      } else if (iequals(how, "max")) {
        aggregation = Aggregation::Max;
      } else {
        return syntax_error();
      }
    } else if (!store && iequals(args[j], "withscores")) {
      with_scores = true;
    } else {
      return syntax_error();
    }
  }

  Value result_value = new_zset_value();
  SortedSet& result = result_value.as<SortedSet>();
  if (op == SetOp::Diff) {
    const Operand& first = operands[0];
    first.for_each([&](const std::string& member, double score) {
      for (size_t i = 1; i < operands.size(); ++i) {
        if (operands[i].score(member)) return;
      }
      result.add(member, score);
    });
  } else {
    // Redis combines the inputs from the smallest to the largest (equal sizes keep their
    // order), which decides how floating-point sums round.
    std::stable_sort(operands.begin(), operands.end(),
                     [](const Operand& a, const Operand& b) { return a.size() < b.size(); });
    if (op == SetOp::Inter) {
      if (operands[0].size() > 0) {
        operands[0].for_each([&](const std::string& member, double score) {
          double total = weighted(score, operands[0].weight);
          for (size_t i = 1; i < operands.size(); ++i) {
            const std::optional<double> other = operands[i].score(member);
            if (!other) return;
            // Unlike the first score, these products are not cleaned of NaN: MIN and MAX
            // then keep the running value, SUM turns into 0.
            aggregate_into(total, *other * operands[i].weight, aggregation);
          }
          result.add(member, total);
        });
      }
    } else {
      std::unordered_map<std::string, double> totals;
      for (const Operand& operand : operands) {
        operand.for_each([&](const std::string& member, double score) {
          const double value = weighted(score, operand.weight);
          auto [it, inserted] = totals.emplace(member, value);
          if (!inserted) aggregate_into(it->second, value, aggregation);
        });
      }
      for (const auto& [member, total] : totals)
        result.add(member, total);
    }
  }

  if (store) return Reply::integer_value(store_zset(ctx, args[1], std::move(result_value)));
  std::vector<const Element*> listed;
  listed.reserve(result.size());
  for (const Element& element : result)
    listed.push_back(&element);
  return elements_reply(listed, with_scores);
}

Reply zunion_command(CommandContext& ctx) {
  return zsetop_generic(ctx, SetOp::Union, false);
}
Reply zunionstore_command(CommandContext& ctx) {
  return zsetop_generic(ctx, SetOp::Union, true);
}
Reply zinter_command(CommandContext& ctx) {
  return zsetop_generic(ctx, SetOp::Inter, false);
}
Reply zinterstore_command(CommandContext& ctx) {
  return zsetop_generic(ctx, SetOp::Inter, true);
}
Reply zdiff_command(CommandContext& ctx) {
  return zsetop_generic(ctx, SetOp::Diff, false);
}
Reply zdiffstore_command(CommandContext& ctx) {
  return zsetop_generic(ctx, SetOp::Diff, true);
}

Reply zintercard_command(CommandContext& ctx) {
  size_t numkeys = 0;
  if (auto error = parse_numkeys(ctx, 1, numkeys)) return *error;
  std::vector<Operand> operands;
  if (!collect_operands(ctx, 2, numkeys, operands)) return wrong_type_error();
  long long limit = 0;  // 0: no limit
  for (size_t j = 2 + numkeys; j < ctx.args.size(); ++j) {
    if (iequals(ctx.args[j], "limit") && j + 1 < ctx.args.size()) {
      if (!parse_integer(ctx.args[j + 1], limit) || limit < 0)
        return Reply::error(errors::kLimitNegative);
      ++j;
    } else {
      return syntax_error();
    }
  }
  std::stable_sort(operands.begin(), operands.end(),
                   [](const Operand& a, const Operand& b) { return a.size() < b.size(); });
  long long count = 0;
  operands[0].for_each([&](const std::string& member, double) {
    if (limit > 0 && count >= limit) return;
    for (size_t i = 1; i < operands.size(); ++i) {
      if (!operands[i].score(member)) return;
    }
    ++count;
  });
  return Reply::integer_value(count);
}

// ---- ZSCAN ----

Reply zscan_command(CommandContext& ctx) {
  const auto cursor = parse_scan_cursor(ctx.args[2]);
  if (!cursor) return Reply::error(errors::kInvalidCursor);
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return scan_reply(0, {});
  ScanOptions options;
  if (auto error = parse_scan_options(ctx.args, 3, /*allow_type=*/false, options)) return *error;
  const SortedSet& zset = zset_of(found.entry);
  std::vector<Reply> items;
  auto emit = [&](const std::string& member, double score) {
    if (options.pattern && !glob_match(*options.pattern, member)) return;
    items.push_back(Reply::bulk(member));
    items.push_back(score_reply(score));
  };
  // A listpack is returned whole, in order, whatever the cursor and COUNT.
  if (zset.is_listpack()) {
    for (const Element& element : zset)
      emit(element.member, element.score);
    return scan_reply(0, std::move(items));
  }
  std::vector<const std::string*> members;
  members.reserve(zset.size());
  for (const Element& element : zset)
    members.push_back(&element.member);
  const ScanPage page = scan_page(members, *cursor, options.count, table_size_for(members.size()));
  for (const std::string* member : page.items)
    emit(*member, *zset.score(*member));
  return scan_reply(page.next_cursor, std::move(items));
}

}  // namespace

std::vector<CommandRow> zset_command_rows() {
  return {
      {"zadd", zadd_command},
      {"zcard", zcard_command},
      {"zcount", zcount_command},
      {"zdiff", zdiff_command},
      {"zdiffstore", zdiffstore_command},
      {"zincrby", zincrby_command},
      {"zinter", zinter_command},
      {"zintercard", zintercard_command},
      {"zinterstore", zinterstore_command},
      {"zlexcount", zlexcount_command},
      {"zmpop", zmpop_command},
      {"bzmpop", bzmpop_command},
      {"bzpopmax", bzpopmax_command},
      {"bzpopmin", bzpopmin_command},
      {"zmscore", zmscore_command},
      {"zpopmax", zpopmax_command},
      {"zpopmin", zpopmin_command},
      {"zrandmember", zrandmember_command},
      {"zrange", zrange_command},
      {"zrangebylex", zrangebylex_command},
      {"zrangebyscore", zrangebyscore_command},
      {"zrangestore", zrangestore_command},
      {"zrank", zrank_command},
      {"zrem", zrem_command},
      {"zremrangebylex", zremrangebylex_command},
      {"zremrangebyrank", zremrangebyrank_command},
      {"zremrangebyscore", zremrangebyscore_command},
      {"zrevrange", zrevrange_command},
      {"zrevrangebylex", zrevrangebylex_command},
      {"zrevrangebyscore", zrevrangebyscore_command},
      {"zrevrank", zrevrank_command},
      {"zscan", zscan_command},
      {"zscore", zscore_command},
      {"zunion", zunion_command},
      {"zunionstore", zunionstore_command},
  };
}

}  // namespace redpad
