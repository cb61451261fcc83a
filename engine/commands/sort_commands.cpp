// SORT and SORT_RO (generic group): sorting lists, sets and sorted sets, with BY and GET
// patterns, LIMIT, ASC/DESC, ALPHA and STORE.
//
// How Redis 7.0 orders things, as observed on redis-server 7.0.15:
//   - numeric sorting reads each element (or its BY value) with strtod: leading spaces,
//     hex ("0x10") and "inf" are fine, "" is 0, while trailing text, NaN and values out of
//     a double's range fail the whole command;
//   - equal numbers are ordered by their bytes, so numeric results are fully determined;
//   - ALPHA compares like strcoll in the C.UTF-8 locale (byte order, stopping at a NUL
//     byte) for a reply, and byte for byte when the result is stored;
//   - with BY ... ALPHA, elements whose BY values are equal (or both missing; a missing
//     value sorts first) keep their original order, except that with a LIMIT Redis sorts
//     only the requested window (engine/types/partial_sort.h), which reorders ties;
//   - BY without '*' (BY nosort) skips sorting: lists and sorted sets keep their order (in
//     reverse with DESC, and LIMIT picks a range of it), sets their internal order; a set
//     sorted with BY nosort and STORE is sorted ALPHA instead, so the stored list does not
//     depend on the set's internal order.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../types/hash.h"
#include "../types/list.h"
#include "../types/partial_sort.h"
#include "../types/set.h"
#include "../types/zset.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kScoresNotDoubles = "ERR One or more scores can't be converted into double";

struct SortOptions {
  bool desc = false;
  bool alpha = false;
  bool dontsort = false;
  const std::string* sortby = nullptr;  // the BY pattern
  const std::string* store = nullptr;   // the STORE destination
  std::vector<const std::string*> gets;
  long long limit_start = 0;
  long long limit_count = -1;
};

// Reads the options after the key, in Redis's order: a syntax error or a bad LIMIT number
// is reported where it is met.
std::optional<Reply> parse_sort_options(const std::vector<std::string>& args, bool read_only,
                                        SortOptions& out) {
  for (size_t j = 2; j < args.size(); ++j) {
    const std::string& opt = args[j];
    const size_t left = args.size() - j - 1;
    if (iequals(opt, "asc")) {
      out.desc = false;
    } else if (iequals(opt, "desc")) {
      out.desc = true;
    } else if (iequals(opt, "alpha")) {
      out.alpha = true;
    } else if (iequals(opt, "limit") && left >= 2) {
      if (!parse_integer(args[j + 1], out.limit_start) ||
          !parse_integer(args[j + 2], out.limit_count)) {
        return not_integer_error();
      }
      j += 2;
    } else if (iequals(opt, "store") && left >= 1 && !read_only) {
      out.store = &args[++j];
    } else if (iequals(opt, "by") && left >= 1) {
      out.sortby = &args[++j];
      // A pattern without '*' names one key for every element: nothing to sort by. Once
      // seen, a later BY with '*' does not bring sorting back.
      if (out.sortby->find('*') == std::string::npos) out.dontsort = true;
    } else if (iequals(opt, "get") && left >= 1) {
      out.gets.push_back(&args[++j]);
    } else {
      return syntax_error();
    }
  }
  return std::nullopt;
}

// The value a BY or GET pattern names for one element: "#" is the element itself; the
// first '*' is replaced by the element; "->field" after it reads a hash field instead of
// a string. A pattern without '*', a missing key or a key of another type gives nothing.
std::optional<std::string> lookup_by_pattern(CommandContext& ctx, const std::string& pattern,
                                             const std::string& element) {
  if (pattern == "#") return element;
  const size_t star = pattern.find('*');
  if (star == std::string::npos) return std::nullopt;
  size_t arrow = pattern.find("->", star + 1);
  // "->" at the very end names no field: it is part of the key name.
  if (arrow != std::string::npos && arrow + 2 == pattern.size()) arrow = std::string::npos;
  const size_t key_end = arrow == std::string::npos ? pattern.size() : arrow;
  std::string key = pattern.substr(0, star);
  key += element;
  key.append(pattern, star + 1, key_end - star - 1);

  Entry* entry = ctx.lookup_read(key);
  if (!entry) return std::nullopt;
  if (arrow == std::string::npos) {
    if (entry->value.type != ValueType::String) return std::nullopt;
    return entry->value.str;
  }
  if (entry->value.type != ValueType::Hash) return std::nullopt;
  const std::string* value = entry->value.as<HashValue>().find(pattern.substr(arrow + 2));
  if (!value) return std::nullopt;
  return *value;
}

// strtod as SORT uses it: the text up to its first NUL byte must be a number in range.
bool parse_sort_score(const std::string& text, double& score) {
  const char* start = text.c_str();
  char* end = nullptr;
  errno = 0;
  score = std::strtod(start, &end);
  return *end == '\0' && errno != ERANGE && !std::isnan(score);
}

struct SortItem {
  std::string element;
  double score = 0;                // numeric sorting
  std::optional<std::string> key;  // ALPHA sorting by a BY pattern
};

// strcoll in the C.UTF-8 locale: byte order, and the strings end at a NUL byte.
int collate(const std::string& a, const std::string& b) {
  return std::strcmp(a.c_str(), b.c_str());
}

int compare_bytes(const std::string& a, const std::string& b) {
  const int cmp = a.compare(b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

class SortCompare {
 public:
  SortCompare(const SortOptions& options, bool by_pattern)
      : alpha_(options.alpha),
        desc_(options.desc),
        by_pattern_(by_pattern),
        store_(options.store != nullptr) {}

  int operator()(const SortItem& a, const SortItem& b) const {
    const int cmp = compare(a, b);
    return desc_ ? -cmp : cmp;
  }

 private:
  int compare(const SortItem& a, const SortItem& b) const {
    if (!alpha_) {
      if (a.score > b.score) return 1;
      if (a.score < b.score) return -1;
      return compare_bytes(a.element, b.element);
    }
    if (by_pattern_) {
      if (!a.key || !b.key) return a.key ? 1 : (b.key ? -1 : 0);
      return store_ ? compare_bytes(*a.key, *b.key) : collate(*a.key, *b.key);
    }
    return store_ ? compare_bytes(a.element, b.element) : collate(a.element, b.element);
  }

  bool alpha_;
  bool desc_;
  bool by_pattern_;
  bool store_;
};

// The elements to sort, in the value's own order. For BY nosort on a list or a sorted
// set only the window [start, end] is read (backwards with DESC), as Redis does.
std::vector<SortItem> load_elements(const Entry* entry, bool dontsort, bool desc, long long start,
                                    long long end) {
  std::vector<SortItem> items;
  if (!entry) return items;
  const Value& value = entry->value;
  const bool window = dontsort && (value.type == ValueType::List || value.type == ValueType::ZSet);
  if (window && end < start) return items;
  const auto add = [&](const std::string& element) { items.push_back(SortItem{element, 0, {}}); };
  if (value.type == ValueType::List) {
    const auto& list = value.as<ListValue>().items;
    if (!window) {
      items.reserve(list.size());
      for (const std::string& element : list)
        add(element);
      return items;
    }
    const auto count = static_cast<size_t>(end - start + 1);
    const auto from = static_cast<size_t>(start);
    for (size_t i = 0; i < count && from + i < list.size(); ++i) {
      add(desc ? list[list.size() - 1 - from - i] : list[from + i]);
    }
  } else if (value.type == ValueType::Set) {
    const SetValue& set = value.as<SetValue>();
    items.reserve(set.size());
    set.for_each([&](const std::string& member) { add(member); });
  } else {
    const SortedSet& zset = value.as<SortedSet>();
    if (!window) {
      items.reserve(zset.size());
      for (const SortedSet::Element& element : zset)
        add(element.member);
      return items;
    }
    const auto count = static_cast<size_t>(end - start + 1);
    const auto from = static_cast<size_t>(start);
    if (from >= zset.size()) return items;
    auto it = zset.at_rank(desc ? zset.size() - 1 - from : from);
    for (size_t i = 0; i < count && it != zset.end(); ++i) {
      add(it->member);
      if (desc) {
        --it;
      } else {
        ++it;
      }
    }
  }
  return items;
}

// SortedSet has no direct switch to its skiplist encoding; a member longer than the
// listpack limit makes the switch (which is never undone), so one is added and removed.
void convert_to_skiplist(SortedSet& zset) {
  if (!zset.is_listpack()) return;
  std::string probe(SortedSet::kListpackMaxValue + 1, '#');
  while (zset.contains(probe))
    probe += '#';
  zset.add(probe, 0);
  zset.remove(probe);
}

size_t element_count_of(const Entry* entry) {
  return entry ? entry->value.aggregate->element_count() : 0;
}

Reply sort_generic(CommandContext& ctx, bool read_only) {
  SortOptions options;
  if (auto error = parse_sort_options(ctx.args, read_only, options)) return *error;

  Entry* entry = ctx.lookup_read(ctx.args[1]);
  if (entry && entry->value.type != ValueType::List && entry->value.type != ValueType::Set &&
      entry->value.type != ValueType::ZSet) {
    return wrong_type_error();
  }

  // SORT turns a small (listpack) sorted set into a skiplist for good, whatever the
  // options, as Redis 7.0 does before reading it.
  if (entry && entry->value.type == ValueType::ZSet)
    convert_to_skiplist(entry->value.as<SortedSet>());

  // Sorting a set with BY nosort into a key would store the set's internal order; Redis
  // sorts it ALPHA instead so the stored list is reproducible.
  const bool is_set = entry && entry->value.type == ValueType::Set;
  if (options.dontsort && is_set && options.store) {
    options.dontsort = false;
    options.alpha = true;
    options.sortby = nullptr;
  }

  // LIMIT, clamped as Redis does. A count beyond the length only means "to the end" (even
  // when offset + count would overflow).
  const auto length = static_cast<long long>(element_count_of(entry));
  long long start = options.limit_start < 0 ? 0 : options.limit_start;
  long long end = length - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  } else if (options.limit_count >= 0 && options.limit_count < length - start) {
    end = start + options.limit_count - 1;
  }

  std::vector<SortItem> items = load_elements(entry, options.dontsort, options.desc, start, end);
  const bool windowed = options.dontsort && entry && entry->value.type != ValueType::Set;
  if (windowed) {
    end -= start;
    start = 0;
  }

  if (!options.dontsort && !items.empty()) {
    const bool by_pattern = options.sortby != nullptr;
    bool bad_score = false;
    for (SortItem& item : items) {
      std::optional<std::string> by_value;
      if (by_pattern) {
        by_value = lookup_by_pattern(ctx, *options.sortby, item.element);
        if (!by_value) continue;
      }
      if (options.alpha) {
        if (by_pattern) item.key = std::move(by_value);
      } else if (!parse_sort_score(by_pattern ? *by_value : item.element, item.score)) {
        bad_score = true;
      }
    }
    if (bad_score) return Reply::error(kScoresNotDoubles);

    const SortCompare compare(options, by_pattern);
    if (by_pattern && (start != 0 || end != length - 1)) {
      if (end >= start) {
        redis_partial_sort(items, compare, static_cast<size_t>(start), static_cast<size_t>(end));
      }
    } else {
      std::stable_sort(items.begin(), items.end(),
                       [&](const SortItem& a, const SortItem& b) { return compare(a, b) < 0; });
    }
  }

  std::vector<std::optional<std::string>> output;
  for (long long j = start; j <= end && j >= 0 && static_cast<size_t>(j) < items.size(); ++j) {
    const std::string& element = items[static_cast<size_t>(j)].element;
    if (options.gets.empty()) {
      output.emplace_back(element);
      continue;
    }
    for (const std::string* pattern : options.gets) {
      output.push_back(lookup_by_pattern(ctx, *pattern, element));
    }
  }

  if (!options.store) {
    std::vector<Reply> replies;
    replies.reserve(output.size());
    for (auto& value : output) {
      replies.push_back(value ? Reply::bulk(std::move(*value)) : Reply::nil());
    }
    return Reply::array(std::move(replies));
  }

  const std::string& destination = *options.store;
  if (output.empty()) {
    if (ctx.lookup(destination)) {
      ctx.db().erase(destination);
      ctx.modified(destination);
    }
    return Reply::integer_value(0);
  }
  Value list_value = Value::make<ListValue>(ValueType::List);
  auto& list = list_value.as<ListValue>().items;
  for (auto& value : output)
    list.push_back(value ? std::move(*value) : std::string());
  const auto stored = static_cast<long long>(list.size());
  ctx.db().put(destination, std::move(list_value));
  ctx.modified(destination);
  return Reply::integer_value(stored);
}

Reply sort_command(CommandContext& ctx) {
  return sort_generic(ctx, false);
}
Reply sort_ro_command(CommandContext& ctx) {
  return sort_generic(ctx, true);
}

}  // namespace

std::vector<CommandRow> sort_command_rows() {
  return {
      {"sort", sort_command},
      {"sort_ro", sort_ro_command},
  };
}

}  // namespace redpad
