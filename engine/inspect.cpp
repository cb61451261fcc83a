#include "inspect.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include "database.h"
#include "numbers.h"
#include "types/geohash.h"
#include "types/hash.h"
#include "types/hyperloglog.h"
#include "types/list.h"
#include "types/set.h"
#include "types/stream.h"
#include "types/zset.h"

namespace redpad {

using nlohmann::json;

namespace {

// Most consumer groups described, and most pending IDs listed per consumer.
constexpr size_t kMaxGroups = 100;
constexpr size_t kMaxPendingIds = 100;
// Stored geo scores are 52-bit interleaved cell indexes.
constexpr double kGeoScoreLimit = 4503599627370496.0;  // 2^52

// Members are set and items appended through these few functions, out of line, rather than
// by nlohmann's templates (operator[], the initializer-list constructor, each temporary's
// destructor) inlined at every call site: that keeps the WebAssembly engine, which every
// first visit downloads, kilobytes smaller.
[[gnu::noinline]] void put(json& object, const char* name, json value) {
  object[name] = std::move(value);
}
[[gnu::noinline]] void put_text(json& object, const char* name, std::string text) {
  object[name] = std::move(text);
}
[[gnu::noinline]] void put_number(json& object, const char* name, long long number) {
  object[name] = number;
}
[[gnu::noinline]] void put_flag(json& object, const char* name, bool flag) {
  object[name] = flag;
}
[[gnu::noinline]] void append(json& array, json value) {
  array.push_back(std::move(value));
}

// One element's strings, each cut to kInspectMaxElementBytes, so a page of a hundred
// elements of a megabyte each is still a small answer; mark() flags an item with a cut one.
class Clip {
 public:
  std::string operator()(const std::string& bytes) {
    if (bytes.size() <= kInspectMaxElementBytes) return bytes;
    cut_ = true;
    return bytes.substr(0, kInspectMaxElementBytes);
  }
  // Appends the item to `items`, flagged when one of its strings was cut.
  void append_to(json& items, json item) const {
    if (cut_) put_flag(item, "cut", true);
    append(items, std::move(item));
  }

 private:
  bool cut_ = false;
};

// The [first, last) positions of a page over `size` elements.
struct Page {
  size_t first;
  size_t last;
};
Page page_of(size_t size, size_t offset, size_t count) {
  const size_t first = std::min(offset, size);
  return {first, first + std::min(count, size - first)};
}

json list_items(const ListValue& list, Page page) {
  json items = json::array();
  const auto size = static_cast<long long>(list.items.size());
  for (size_t i = page.first; i < page.last; ++i) {
    const auto index = static_cast<long long>(i);
    Clip clip;
    json item = json::object();
    put_number(item, "index", index);
    put_number(item, "negative_index", index - size);
    put_text(item, "value", clip(list.items[i]));
    clip.append_to(items, std::move(item));
  }
  return items;
}

json hash_items(const HashValue& hash, Page page) {
  json items = json::array();
  size_t position = 0;
  hash.for_each_while([&](const HashValue::Field& field) {
    if (position >= page.last) return false;
    if (position++ >= page.first) {
      Clip clip;
      json item = json::object();
      put_text(item, "field", clip(*field.name));
      put_text(item, "value", clip(*field.value));
      clip.append_to(items, std::move(item));
    }
    return true;
  });
  return items;
}

// An intset in its numeric order; a hashtable's members sorted by bytes, so pages do not
// depend on redpad's own (insertion) order and are stable while the set does not change.
json set_items(const SetValue& set, Page page) {
  json items = json::array();
  if (set.is_intset()) {
    for (size_t i = page.first; i < page.last; ++i) {
      json item = json::object();
      put_text(item, "member", set.member_at(i));  // integers: never long
      append(items, std::move(item));
    }
    return items;
  }
  std::vector<const std::string*> members = set.hashtable_members();
  const auto end = members.begin() + static_cast<std::ptrdiff_t>(page.last);
  std::partial_sort(members.begin(), end, members.end(),
                    [](const std::string* a, const std::string* b) { return *a < *b; });
  for (size_t i = page.first; i < page.last; ++i) {
    Clip clip;
    json item = json::object();
    put_text(item, "member", clip(*members[i]));
    clip.append_to(items, std::move(item));
  }
  return items;
}

// Stored positions are integers below 2^52. Small integers (ranks, counts) and millisecond
// timestamps are too, but they decode to Antarctica's interior, south of 80 degrees, where
// nobody's geo set has its members: such a score is not taken for a position.
constexpr double kGeoSouthernmostLatitude = -80;

bool is_geo_score(double score) {
  return score >= 0 && score < kGeoScoreLimit && std::floor(score) == score &&
         geo::decode_score(score).lat >= kGeoSouthernmostLatitude;
}

// A sorted set is shown as a geo set when its lowest and highest scores, and every score on
// the page, can be stored positions.
bool looks_like_geo(const SortedSet& zset, Page page) {
  if (zset.empty()) return false;
  if (!is_geo_score(zset.begin()->score) || !is_geo_score(zset.at_rank(zset.size() - 1)->score))
    return false;
  auto it = zset.at_rank(page.first);
  for (size_t i = page.first; i < page.last; ++i, ++it) {
    if (!is_geo_score(it->score)) return false;
  }
  return true;
}

// Ranks, members and scores as ZRANGE ... WITHSCORES prints them; with the position as
// GEOPOS prints it when the set is a geo set.
json zset_items(const SortedSet& zset, Page page, bool geo) {
  json items = json::array();
  auto it = zset.at_rank(page.first);
  for (size_t rank = page.first; rank < page.last; ++rank, ++it) {
    Clip clip;
    json item = json::object();
    put_number(item, "rank", static_cast<long long>(rank));
    put_text(item, "member", clip(it->member));
    put_text(item, "score", format_double(it->score));
    if (geo) {
      const geo::Point point = geo::decode_score(it->score);
      put_text(item, "longitude", format_long_double(static_cast<long double>(point.lon)));
      put_text(item, "latitude", format_long_double(static_cast<long double>(point.lat)));
    }
    clip.append_to(items, std::move(item));
  }
  return items;
}

json stream_items(const StreamValue& stream, Page page) {
  json items = json::array();
  auto it = std::next(stream.entries().begin(), static_cast<std::ptrdiff_t>(page.first));
  for (size_t i = page.first; i < page.last; ++i, ++it) {
    Clip clip;
    json fields = json::array();
    for (const std::string& text : it->second)
      append(fields, clip(text));
    json item = json::object();
    put_text(item, "id", it->first.to_string());
    put(item, "fields", std::move(fields));
    clip.append_to(items, std::move(item));
  }
  return items;
}

// Each group as XINFO GROUPS describes it (last-delivered-id, entries-read, lag: null when
// Redis answers (nil)), with its consumers and the first of their pending IDs.
json stream_groups(const StreamValue& stream) {
  json groups = json::array();
  for (const auto& [name, group] : stream.groups) {
    if (groups.size() >= kMaxGroups) break;
    json consumers = json::array();
    for (const auto& [consumer_name, consumer] : group.consumers) {
      json pending_ids = json::array();
      for (const StreamId& id : consumer.pending) {
        if (pending_ids.size() >= kMaxPendingIds) break;
        append(pending_ids, id.to_string());
      }
      json item = json::object();
      put_text(item, "name", consumer_name);
      put_number(item, "pending", static_cast<long long>(consumer.pending.size()));
      put(item, "pending_ids", std::move(pending_ids));
      append(consumers, std::move(item));
    }
    const std::optional<long long> lag = stream.group_lag(group);
    json item = json::object();
    put_text(item, "name", name);
    put_text(item, "last_delivered_id", group.last_delivered.to_string());
    put(item, "entries_read", nullptr);
    if (group.entries_read != kEntriesReadUnknown)
      put_number(item, "entries_read", group.entries_read);
    put(item, "lag", nullptr);
    if (lag) put_number(item, "lag", *lag);
    put_number(item, "pending", static_cast<long long>(group.pending.size()));
    put(item, "consumers", std::move(consumers));
    append(groups, std::move(item));
  }
  return groups;
}

// The page's bytes as bits, most significant first (BITFIELD's and GETBIT's order): bit
// offset 8 * i + j is character j of byte i.
std::string bits_of(const std::string& bytes) {
  std::string bits;
  bits.reserve(bytes.size() * 8);
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    for (int bit = 7; bit >= 0; --bit)
      bits.push_back(((value >> bit) & 1u) ? '1' : '0');
  }
  return bits;
}

bool holds_json_document(const std::string& bytes) {
  if (bytes.size() > kInspectMaxJsonBytes) return false;
  const size_t start = bytes.find_first_not_of(" \t\r\n");
  if (start == std::string::npos || (bytes[start] != '{' && bytes[start] != '[')) return false;
  // Parsed from a string_view, as Sandbox::check parses: one instantiation of the parser.
  return !json::parse(std::string_view(bytes), nullptr, /*allow_exceptions=*/false).is_discarded();
}

// Strings: the page's bytes and their bits; a JSON flag; an HLL's estimate. The estimate
// is PFCOUNT's, read from the cache when valid, computed otherwise without storing it.
void describe_string(const std::string& bytes, size_t offset, size_t count, json& out) {
  const Page page = page_of(bytes.size(), offset, std::min(count, kInspectMaxBytes));
  const std::string shown = bytes.substr(page.first, page.last - page.first);
  put_number(out, "offset", static_cast<long long>(page.first));
  put_number(out, "count", static_cast<long long>(page.last - page.first));
  put_text(out, "value", shown);
  put_text(out, "bits", bits_of(shown));
  const bool is_json = holds_json_document(bytes);
  put_flag(out, "json", is_json);
  put_text(out, "view", is_json ? "json" : "string");
  if (!hll::looks_like_hll(bytes)) return;
  std::uint64_t estimate = 0;
  json hll = json::object();
  put_text(hll, "encoding", hll::is_dense(bytes) ? "dense" : "sparse");
  put(hll, "estimate", nullptr);
  if (hll::cache_valid(bytes)) {
    put_number(hll, "estimate", static_cast<long long>(hll::cached_cardinality(bytes)));
  } else if (hll::estimate(bytes, estimate)) {
    put_number(hll, "estimate", static_cast<long long>(estimate));
  }
  put_text(out, "view", "hll");
  put(out, "hll", std::move(hll));
}

}  // namespace

json inspect_key(const Server& server, int db, const std::string& key, size_t offset,
                 size_t count) {
  const std::int64_t now = server.clock().now_ms();
  json out = json::object();
  put_text(out, "key", key);
  put_number(out, "db", db);
  put_number(out, "now_ms", now);
  if (db < 0 || db >= server.database_count()) {
    put_flag(out, "exists", false);
    put_text(out, "error", "ERR DB index is out of range");
    return out;
  }
  const Entry* entry = server.db(db).find(key);
  // A key expires when the clock is past its time (as the server's own lookups decide).
  if (!entry || (entry->expire_at_ms != kNoExpiry && now > entry->expire_at_ms)) {
    put_flag(out, "exists", false);
    return out;
  }
  const Value& value = entry->value;
  put_flag(out, "exists", true);
  put_text(out, "type", type_name(value.type));
  put_text(out, "encoding", encoding_name(value));
  put_number(out, "expire_at_ms", entry->expire_at_ms);
  if (value.type == ValueType::String) {
    put_number(out, "size", static_cast<long long>(value.str.size()));
    put(out, "items", json::array());
    describe_string(value.str, offset, count, out);
    return out;
  }
  const size_t size = value.aggregate->element_count();
  const Page page = page_of(size, offset, std::min(count, kInspectMaxItems));
  put_number(out, "size", static_cast<long long>(size));
  put_number(out, "offset", static_cast<long long>(page.first));
  put_number(out, "count", static_cast<long long>(page.last - page.first));
  put_text(out, "view", type_name(value.type));
  switch (value.type) {
    case ValueType::List:
      put(out, "items", list_items(value.as<ListValue>(), page));
      break;
    case ValueType::Hash:
      put(out, "items", hash_items(value.as<HashValue>(), page));
      break;
    case ValueType::Set:
      put(out, "items", set_items(value.as<SetValue>(), page));
      break;
    case ValueType::ZSet: {
      const auto& zset = value.as<SortedSet>();
      const bool geo = looks_like_geo(zset, page);
      put_flag(out, "geo", geo);
      if (geo) put_text(out, "view", "geo");
      put(out, "items", zset_items(zset, page, geo));
      break;
    }
    case ValueType::Stream: {
      const auto& stream = value.as<StreamValue>();
      put(out, "items", stream_items(stream, page));
      put_text(out, "last_id", stream.last_id.to_string());
      put(out, "groups", stream_groups(stream));
      break;
    }
    case ValueType::String:
      break;
  }
  return out;
}

}  // namespace redpad
