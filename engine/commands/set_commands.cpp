// Set commands: membership (SADD, SREM, SISMEMBER, SMISMEMBER, SCARD, SMEMBERS, SMOVE),
// random draws (SPOP, SRANDMEMBER), algebra (SINTER, SINTERCARD, SUNION, SDIFF and their
// STORE variants) and SSCAN.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../glob.h"
#include "../scan_cursor.h"
#include "../types/set.h"
#include "command_helpers.h"

namespace redpad {

namespace {

// ---- shared pieces ----

struct SetLookup {
  SetValue* set = nullptr;  // nullptr when the key is missing
  bool wrong_type = false;
};

SetLookup find_set(CommandContext& ctx, const std::string& key, bool count_read) {
  const TypedLookup found = lookup_typed(ctx, key, ValueType::Set, count_read);
  return {found.entry ? &found.entry->value.as<SetValue>() : nullptr, found.wrong_type};
}

// An emptied set takes its key with it.
void delete_if_empty(CommandContext& ctx, const std::string& key, const SetValue& set) {
  if (set.empty()) ctx.db().erase(key);
}

size_t random_position(Random& random, size_t size) {
  return static_cast<size_t>(random.below(size));
}

Reply members_reply(const SetValue& set) {
  std::vector<Reply> items;
  items.reserve(set.size());
  set.for_each([&items](const std::string& member) { items.push_back(Reply::bulk(member)); });
  return Reply::array(std::move(items));
}

Reply members_reply(const std::vector<std::string>& members) {
  std::vector<Reply> items;
  items.reserve(members.size());
  for (const std::string& member : members)
    items.push_back(Reply::bulk(member));
  return Reply::array(std::move(items));
}

// The members in the order a freshly built copy of the set would list them: Redis answers
// some whole-set replies (SPOP with a count covering the set) through a new set, so a
// hashtable holding only a few integers comes back sorted, like an intset.
Reply rebuilt_members_reply(const SetValue& set) {
  if (set.is_intset()) return members_reply(set);
  SetValue copy;
  set.for_each([&copy](const std::string& member) { copy.add(member); });
  return members_reply(copy);
}

// Replaces whatever `key` holds with `result` (dropping any TTL), or deletes it when the
// result is empty. Returns the result's cardinality, the reply of every STORE variant.
Reply store_result(CommandContext& ctx, const std::string& key, Value result) {
  const auto count = static_cast<long long>(result.as<SetValue>().size());
  if (count == 0) {
    if (ctx.lookup(key)) {
      ctx.db().erase(key);
      ctx.modified(key);
    }
    return Reply::integer_value(0);
  }
  ctx.db().put(key, std::move(result));
  ctx.modified(key);
  return Reply::integer_value(count);
}

// Every key from args[first] to args[last) as a set: missing keys are nullptr. Redis checks
// the type of every key, even after a missing one, before it computes anything.
bool gather_sets(CommandContext& ctx, size_t first, size_t last,
                 std::vector<const SetValue*>& sets) {
  sets.reserve(last - first);
  for (size_t i = first; i < last; ++i) {
    const SetLookup found = find_set(ctx, ctx.args[i], true);
    if (found.wrong_type) return false;
    sets.push_back(found.set);
  }
  return true;
}

// ---- membership ----

Reply sadd_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  const SetLookup found = find_set(ctx, key, false);
  if (found.wrong_type) return wrong_type_error();
  SetValue* set = found.set;
  if (!set) set = &ctx.db().put(key, Value::make<SetValue>(ValueType::Set)).value.as<SetValue>();
  long long added = 0;
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    if (set->add(ctx.args[i])) ++added;
  }
  if (added > 0) ctx.modified(key);
  return Reply::integer_value(added);
}

Reply srem_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  const SetLookup found = find_set(ctx, key, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.set) return Reply::integer_value(0);
  long long removed = 0;
  for (size_t i = 2; i < ctx.args.size() && !found.set->empty(); ++i) {
    if (found.set->remove(ctx.args[i])) ++removed;
  }
  if (removed > 0) {
    delete_if_empty(ctx, key, *found.set);
    ctx.modified(key);
  }
  return Reply::integer_value(removed);
}

Reply sismember_command(CommandContext& ctx) {
  const SetLookup found = find_set(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(found.set && found.set->contains(ctx.args[2]) ? 1 : 0);
}

Reply smismember_command(CommandContext& ctx) {
  const SetLookup found = find_set(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  std::vector<Reply> answers;
  answers.reserve(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    answers.push_back(Reply::integer_value(found.set && found.set->contains(ctx.args[i]) ? 1 : 0));
  }
  return Reply::array(std::move(answers));
}

Reply scard_command(CommandContext& ctx) {
  const SetLookup found = find_set(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  return Reply::integer_value(found.set ? static_cast<long long>(found.set->size()) : 0);
}

Reply smembers_command(CommandContext& ctx) {
  const SetLookup found = find_set(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  return found.set ? members_reply(*found.set) : Reply::array();
}

Reply smove_command(CommandContext& ctx) {
  const std::string& source_key = ctx.args[1];
  const std::string& destination_key = ctx.args[2];
  const std::string& member = ctx.args[3];
  const SetLookup source = find_set(ctx, source_key, false);
  const SetLookup destination = find_set(ctx, destination_key, false);
  if (!source.set && !source.wrong_type) return Reply::integer_value(0);
  if (source.wrong_type || destination.wrong_type) return wrong_type_error();
  if (source_key == destination_key) return Reply::integer_value(source.set->contains(member));
  if (!source.set->remove(member)) return Reply::integer_value(0);
  delete_if_empty(ctx, source_key, *source.set);
  ctx.modified(source_key);
  SetValue* target = destination.set;
  if (!target) {
    target =
        &ctx.db().put(destination_key, Value::make<SetValue>(ValueType::Set)).value.as<SetValue>();
  }
  target->add(member);
  ctx.modified(destination_key);
  return Reply::integer_value(1);
}

// ---- random draws ----

Reply spop_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  if (ctx.args.size() > 3) return syntax_error();
  Random& random = ctx.server.random();
  if (ctx.args.size() == 2) {
    const SetLookup found = find_set(ctx, key, false);
    if (found.wrong_type) return wrong_type_error();
    if (!found.set) return Reply::nil();
    std::string member = found.set->member_at(random_position(random, found.set->size()));
    found.set->remove(member);
    delete_if_empty(ctx, key, *found.set);
    ctx.modified(key);
    return Reply::bulk(std::move(member));
  }
  long long count = 0;
  if (!parse_integer(ctx.args[2], count) || count < 0) return Reply::error(errors::kMustBePositive);
  const SetLookup found = find_set(ctx, key, false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.set || count == 0) return Reply::array();
  SetValue& set = *found.set;
  if (static_cast<unsigned long long>(count) >= set.size()) {
    Reply everything = rebuilt_members_reply(set);
    ctx.db().erase(key);
    ctx.modified(key);
    return everything;
  }
  std::vector<Reply> popped;
  popped.reserve(static_cast<size_t>(count));
  for (long long i = 0; i < count; ++i) {
    std::string member = set.member_at(random_position(random, set.size()));
    set.remove(member);
    popped.push_back(Reply::bulk(std::move(member)));
  }
  ctx.modified(key);
  return Reply::array(std::move(popped));
}

// `count` distinct positions below `size` (count < size), uniformly: a Fisher-Yates shuffle
// stopped after `count` steps, its swaps kept in a map so the work is O(count).
std::vector<size_t> distinct_positions(Random& random, size_t size, size_t count) {
  std::unordered_map<size_t, size_t> swapped;
  auto at = [&swapped](size_t i) {
    const auto found = swapped.find(i);
    return found == swapped.end() ? i : found->second;
  };
  std::vector<size_t> chosen;
  chosen.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const size_t j = i + random_position(random, size - i);
    const size_t picked = at(j);
    swapped[j] = at(i);
    chosen.push_back(picked);
  }
  return chosen;
}

Reply srandmember_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  if (ctx.args.size() > 3) return syntax_error();
  Random& random = ctx.server.random();
  if (ctx.args.size() == 2) {
    const SetLookup found = find_set(ctx, key, true);
    if (found.wrong_type) return wrong_type_error();
    if (!found.set) return Reply::nil();
    return Reply::bulk(found.set->member_at(random_position(random, found.set->size())));
  }
  long long count = 0;
  if (!parse_integer(ctx.args[2], count)) return not_integer_error();
  if (count == LLONG_MIN) return Reply::error(errors::kDrawCountOutOfRange);
  const SetLookup found = find_set(ctx, key, true);
  if (found.wrong_type) return wrong_type_error();
  if (!found.set || count == 0) return Reply::array();
  const SetValue& set = *found.set;
  std::vector<Reply> drawn;
  if (count < 0) {
    // Repeats allowed: each draw is independent.
    if (-count > kMaxRepeatedDraws) return too_many_draws_error("SRANDMEMBER");
    drawn.reserve(static_cast<size_t>(-count));
    for (long long i = 0; i < -count; ++i) {
      drawn.push_back(Reply::bulk(set.member_at(random_position(random, set.size()))));
    }
    return Reply::array(std::move(drawn));
  }
  if (static_cast<unsigned long long>(count) >= set.size()) return members_reply(set);
  for (size_t position : distinct_positions(random, set.size(), static_cast<size_t>(count))) {
    drawn.push_back(Reply::bulk(set.member_at(position)));
  }
  return Reply::array(std::move(drawn));
}

// ---- algebra ----

// Visits the members common to every set, in the order of the smallest set, until `visit`
// returns false. Any missing set makes the intersection empty.
template <class Visit>
void for_each_common_member(std::vector<const SetValue*> sets, Visit&& visit) {
  if (sets.empty() || std::find(sets.begin(), sets.end(), nullptr) != sets.end()) return;
  std::stable_sort(sets.begin(), sets.end(),
                   [](const SetValue* a, const SetValue* b) { return a->size() < b->size(); });
  bool going = true;
  sets.front()->for_each([&](const std::string& member) {
    if (!going) return;
    for (size_t i = 1; i < sets.size(); ++i) {
      if (sets[i] != sets.front() && !sets[i]->contains(member)) return;
    }
    going = visit(member);
  });
}

Value new_set() {
  return Value::make<SetValue>(ValueType::Set);
}

Value union_of(const std::vector<const SetValue*>& sets) {
  Value result = new_set();
  SetValue& out = result.as<SetValue>();
  for (const SetValue* set : sets) {
    if (set) set->for_each([&out](const std::string& member) { out.add(member); });
  }
  return result;
}

// Redis picks one of two ways to compute a difference by their expected work, and the way
// shows in the result's encoding: walking the first set and keeping what no other set holds
// adds only the survivors, while copying the first set and removing the others' members
// passes through the whole first set (which may have forced a hashtable). The first way is
// taken when |first| * (number of existing sets) / 2 <= the sum of their sizes.
Value difference_of(const std::vector<const SetValue*>& sets) {
  Value result = new_set();
  SetValue& out = result.as<SetValue>();
  const SetValue* first = sets.front();
  if (!first) return result;
  unsigned long long existing = 0;
  unsigned long long total_size = 0;
  for (const SetValue* set : sets) {
    if (!set) continue;
    ++existing;
    total_size += set->size();
  }
  const unsigned long long walk_work = first->size() * existing / 2;
  if (walk_work <= total_size) {
    first->for_each([&](const std::string& member) {
      for (size_t i = 1; i < sets.size(); ++i) {
        if (sets[i] && sets[i]->contains(member)) return;
      }
      out.add(member);
    });
    return result;
  }
  first->for_each([&out](const std::string& member) { out.add(member); });
  for (size_t i = 1; i < sets.size() && !out.empty(); ++i) {
    if (sets[i]) sets[i]->for_each([&out](const std::string& member) { out.remove(member); });
  }
  return result;
}

Reply sinter_command(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 1, ctx.args.size(), sets)) return wrong_type_error();
  std::vector<std::string> common;
  for_each_common_member(sets, [&common](const std::string& member) {
    common.push_back(member);
    return true;
  });
  return members_reply(common);
}

Reply sinterstore_command(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 2, ctx.args.size(), sets)) return wrong_type_error();
  Value result = new_set();
  SetValue& out = result.as<SetValue>();
  for_each_common_member(sets, [&out](const std::string& member) {
    out.add(member);
    return true;
  });
  return store_result(ctx, ctx.args[1], std::move(result));
}

Reply sintercard_command(CommandContext& ctx) {
  long long numkeys = 0;
  if (!parse_integer(ctx.args[1], numkeys) || numkeys <= 0) {
    return Reply::error(errors::kNumkeysNotPositive);
  }
  if (static_cast<unsigned long long>(numkeys) > ctx.args.size() - 2) {
    return Reply::error(errors::kNumkeysTooMany);
  }
  const size_t keys_end = 2 + static_cast<size_t>(numkeys);
  long long limit = 0;
  for (size_t j = keys_end; j < ctx.args.size(); j += 2) {
    if (!iequals(ctx.args[j], "limit") || j + 1 >= ctx.args.size()) return syntax_error();
    if (!parse_integer(ctx.args[j + 1], limit) || limit < 0)
      return Reply::error(errors::kLimitNegative);
  }
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 2, keys_end, sets)) return wrong_type_error();
  long long count = 0;
  for_each_common_member(sets, [&count, limit](const std::string&) {
    ++count;
    return limit == 0 || count < limit;
  });
  return Reply::integer_value(count);
}

Reply sunion_command(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 1, ctx.args.size(), sets)) return wrong_type_error();
  return members_reply(union_of(sets).as<SetValue>());
}

Reply sunionstore_command(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 2, ctx.args.size(), sets)) return wrong_type_error();
  return store_result(ctx, ctx.args[1], union_of(sets));
}

Reply sdiff_command(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 1, ctx.args.size(), sets)) return wrong_type_error();
  return members_reply(difference_of(sets).as<SetValue>());
}

Reply sdiffstore_command(CommandContext& ctx) {
  std::vector<const SetValue*> sets;
  if (!gather_sets(ctx, 2, ctx.args.size(), sets)) return wrong_type_error();
  return store_result(ctx, ctx.args[1], difference_of(sets));
}

// ---- SSCAN ----

// Redis checks the cursor, then the key, and only then the options: a missing key answers
// an empty page whatever options follow. An intset is returned whole, cursor 0.
Reply sscan_command(CommandContext& ctx) {
  const auto cursor = parse_scan_cursor(ctx.args[2]);
  if (!cursor) return Reply::error(errors::kInvalidCursor);
  const SetLookup found = find_set(ctx, ctx.args[1], true);
  if (found.wrong_type) return wrong_type_error();
  if (!found.set) return scan_reply(0, {});
  ScanOptions options;
  if (auto error = parse_scan_options(ctx.args, 3, /*allow_type=*/false, options)) return *error;
  const SetValue& set = *found.set;
  std::vector<Reply> listed;
  auto keep = [&](const std::string& member) {
    if (!options.pattern || glob_match(*options.pattern, member))
      listed.push_back(Reply::bulk(member));
  };
  if (set.is_intset()) {
    set.for_each(keep);
    return scan_reply(0, std::move(listed));
  }
  const ScanPage page = scan_page(set.hashtable_members(), *cursor, options.count,
                                  table_size_for(set.hashtable_members().size()));
  for (const std::string* member : page.items)
    keep(*member);
  return scan_reply(page.next_cursor, std::move(listed));
}

}  // namespace

std::vector<CommandRow> set_command_rows() {
  return {
      {"sadd", sadd_command},
      {"scard", scard_command},
      {"sdiff", sdiff_command},
      {"sdiffstore", sdiffstore_command},
      {"sinter", sinter_command},
      {"sintercard", sintercard_command},
      {"sinterstore", sinterstore_command},
      {"sismember", sismember_command},
      {"smembers", smembers_command},
      {"smismember", smismember_command},
      {"smove", smove_command},
      {"spop", spop_command},
      {"srandmember", srandmember_command},
      {"srem", srem_command},
      {"sscan", sscan_command},
      {"sunion", sunion_command},
      {"sunionstore", sunionstore_command},
  };
}

}  // namespace redpad
