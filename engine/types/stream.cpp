#include "stream.h"

#include <array>
#include <climits>
#include <iterator>
#include <utility>

#include "../numbers.h"

namespace redpad {

std::vector<std::string> StreamValue::preview_items(size_t max_items) const {
  std::vector<std::string> items;
  for (const auto& [id, fields] : entries_) {
    if (items.size() >= 2 * max_items) break;
    items.push_back(id.to_string());
    std::string text;
    for (const std::string& field : fields) text += (text.empty() ? "" : " ") + field;
    items.push_back(std::move(text));
  }
  return items;
}

namespace {

// ---- ID syntax ----

bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Redis reads each half of an ID with its strict integer syntax first and, when that fails,
// with C's strtoull, which also takes leading blanks, a sign and leading zeros ("+1", " 1",
// "01"); a minus sign from strtoull wraps ("-01" is 2^64 - 1). Negative strict integers and
// overflow are refused.
bool parse_id_half(std::string_view text, std::uint64_t& out) {
  long long strict = 0;
  if (parse_integer(text, strict)) {
    if (strict < 0) return false;
    out = static_cast<std::uint64_t>(strict);
    return true;
  }
  size_t i = 0;
  while (i < text.size() && is_c_space(text[i]))
    ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size()) return false;
  std::uint64_t value = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;  // ERANGE
    value = value * 10 + digit;
  }
  out = negative ? (~value + 1) : value;
  return true;
}

// ---- listpack sizes (Redis's encoding of stream nodes) ----

constexpr size_t kListpackEmptyBytes = 7;  // 6-byte header and the end marker

size_t listpack_backlen_size(size_t length) {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

size_t listpack_int_size(std::int64_t v) {
  size_t encoded = 9;
  if (v >= 0 && v <= 127) {
    encoded = 1;
  } else if (v >= -4096 && v <= 4095) {
    encoded = 2;
  } else if (v >= -32768 && v <= 32767) {
    encoded = 3;
  } else if (v >= -8388608 && v <= 8388607) {
    encoded = 4;
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    encoded = 5;
  }
  return encoded + listpack_backlen_size(encoded);
}

// A string element; listpacks store strings that read as integers as integers.
size_t listpack_string_size(const std::string& s) {
  long long number = 0;
  if (parse_integer(s, number)) return listpack_int_size(number);
  const size_t n = s.size();
  const size_t encoded = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return encoded + listpack_backlen_size(encoded);
}

std::int64_t wrapping_difference(std::uint64_t a, std::uint64_t b) {
  return static_cast<std::int64_t>(a - b);
}

// ---- radix tree shape ----

using RaxKey = std::array<unsigned char, 16>;

RaxKey rax_key(const StreamId& id) {
  RaxKey key{};
  for (int i = 0; i < 8; ++i) {
    key[static_cast<size_t>(i)] = static_cast<unsigned char>(id.ms >> (56 - 8 * i));
    key[static_cast<size_t>(8 + i)] = static_cast<unsigned char>(id.seq >> (56 - 8 * i));
  }
  return key;
}

// Nodes of a Redis radix tree (compressed chains, branching nodes, key nodes) holding the
// sorted keys [lo, hi), counted from the node reached after `depth` bytes of their common
// path. The tree's shape depends only on the set of keys: a chain of bytes with one child is
// one compressed node, a branching point is one node, and so is each child of a branch.
size_t rax_nodes_below(const std::vector<RaxKey>& keys, size_t lo, size_t hi, size_t depth) {
  constexpr size_t kKeyLength = 16;
  if (hi - lo == 1) return depth == kKeyLength ? 1 : 2;
  size_t common = depth;
  while (keys[lo][common] == keys[hi - 1][common])
    ++common;
  size_t count = common > depth ? 2 : 1;  // the chain down to the branch, and the branch
  for (size_t i = lo; i < hi;) {
    size_t j = i + 1;
    while (j < hi && keys[j][common] == keys[i][common])
      ++j;
    count += rax_nodes_below(keys, i, j, common + 1);
    i = j;
  }
  return count;
}

}  // namespace

// ---- StreamId ----

bool StreamId::increment() {
  if (seq != UINT64_MAX) {
    ++seq;
    return true;
  }
  if (ms == UINT64_MAX) {
    ms = seq = 0;
    return false;
  }
  ++ms;
  seq = 0;
  return true;
}

bool StreamId::decrement() {
  if (seq != 0) {
    --seq;
    return true;
  }
  if (ms == 0) {
    ms = seq = UINT64_MAX;
    return false;
  }
  --ms;
  seq = UINT64_MAX;
  return true;
}

std::string StreamId::to_string() const {
  return std::to_string(ms) + "-" + std::to_string(seq);
}

bool parse_stream_id(std::string_view text, const StreamIdParse& how, StreamId& out,
                     bool* seq_given) {
  // Redis copies the argument into a 128-byte C buffer: longer is invalid, a NUL ends it.
  if (text.size() > 127) return false;
  text = text.substr(0, text.find('\0'));
  if (how.strict && (text == "-" || text == "+")) return false;
  if (seq_given) *seq_given = true;
  if (text == "-") {
    out = StreamId{};
    return true;
  }
  if (text == "+") {
    out = StreamId::max();
    return true;
  }
  const size_t dash = text.find('-');
  StreamId id;
  if (!parse_id_half(text.substr(0, dash), id.ms)) return false;
  if (dash == std::string_view::npos) {
    id.seq = how.missing_seq;
  } else {
    const std::string_view seq_text = text.substr(dash + 1);
    if (how.allow_auto_seq && seq_text == "*") {
      id.seq = 0;
      if (seq_given) *seq_given = false;
    } else if (!parse_id_half(seq_text, id.seq)) {
      return false;
    }
  }
  out = id;
  return true;
}

// ---- ConsumerGroup ----

void ConsumerGroup::drop_pending(std::map<StreamId, PendingEntry>::iterator it) {
  auto owner = consumers.find(it->second.consumer);
  if (owner != consumers.end()) owner->second.pending.erase(it->first);
  pending.erase(it);
}

size_t ConsumerGroup::delete_consumer(const std::string& name) {
  auto it = consumers.find(name);
  if (it == consumers.end()) return 0;
  const size_t owned = it->second.pending.size();
  for (const StreamId& id : it->second.pending)
    pending.erase(id);
  consumers.erase(it);
  return owned;
}

// ---- StreamValue ----

const StreamFields* StreamValue::find(const StreamId& id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : &it->second;
}

std::optional<StreamId> StreamValue::last_live_id() const {
  if (entries_.empty()) return std::nullopt;
  return entries_.rbegin()->first;
}

void StreamValue::append(const StreamId& id, StreamFields fields) {
  size_t raw_length = 0;
  for (const std::string& item : fields)
    raw_length += item.size();
  const size_t field_count = fields.size() / 2;

  // Redis starts a new node when the last one would pass its byte budget (counting the new
  // entry's raw lengths) or already holds the maximum number of entries, deleted included.
  Node* node = nodes_.empty() ? nullptr : &nodes_.rbegin()->second;
  if (node && (node->bytes + raw_length >= kNodeMaxBytes ||
               node->live + node->deleted >= kNodeMaxEntries)) {
    node = nullptr;
  }
  StreamId master = id;
  bool same_fields = true;
  if (!node) {
    node = &nodes_[id];
    node->bytes = kListpackEmptyBytes + listpack_int_size(1) + listpack_int_size(0) +
                  listpack_int_size(static_cast<std::int64_t>(field_count)) + listpack_int_size(0);
    for (size_t i = 0; i < fields.size(); i += 2) {
      node->master_fields.push_back(fields[i]);
      node->bytes += listpack_string_size(fields[i]);
    }
  } else {
    master = nodes_.rbegin()->first;
    same_fields = node->master_fields.size() == field_count;
    for (size_t i = 0; same_fields && i < field_count; ++i) {
      same_fields = node->master_fields[i] == fields[2 * i];
    }
    node->bytes += listpack_int_size(node->live + 1) - listpack_int_size(node->live);
  }
  ++node->live;
  node->last = id;

  // flags, ms and seq relative to the master entry, [field count], fields/values, lp-count
  constexpr std::int64_t kSameFieldsFlag = 2;
  size_t entry_bytes = listpack_int_size(same_fields ? kSameFieldsFlag : 0) +
                       listpack_int_size(wrapping_difference(id.ms, master.ms)) +
                       listpack_int_size(wrapping_difference(id.seq, master.seq));
  const auto n = static_cast<std::int64_t>(field_count);
  if (same_fields) {
    for (size_t i = 1; i < fields.size(); i += 2)
      entry_bytes += listpack_string_size(fields[i]);
    entry_bytes += listpack_int_size(n + 3);
  } else {
    entry_bytes += listpack_int_size(n);
    for (const std::string& item : fields)
      entry_bytes += listpack_string_size(item);
    entry_bytes += listpack_int_size(2 * n + 4);
  }
  node->bytes += entry_bytes;

  entries_.emplace_hint(entries_.end(), id, std::move(fields));
  last_id = id;
  ++entries_added;
}

StreamValue::NodeMap::iterator StreamValue::node_of(const StreamId& id) {
  auto it = nodes_.upper_bound(id);
  return it == nodes_.begin() ? nodes_.end() : std::prev(it);
}

void StreamValue::delete_in_node(NodeMap::iterator node,
                                 std::map<StreamId, StreamFields>::iterator entry,
                                 bool free_empty) {
  entries_.erase(entry);
  Node& n = node->second;
  if (free_empty && n.live == 1) {
    nodes_.erase(node);
    return;
  }
  n.bytes += listpack_int_size(n.live - 1) - listpack_int_size(n.live);
  n.bytes += listpack_int_size(n.deleted + 1) - listpack_int_size(n.deleted);
  --n.live;
  ++n.deleted;
}

void StreamValue::remove_node(NodeMap::iterator node) {
  auto next = std::next(node);
  auto first = entries_.lower_bound(node->first);
  auto last = next == nodes_.end() ? entries_.end() : entries_.lower_bound(next->first);
  entries_.erase(first, last);
  nodes_.erase(node);
}

bool StreamValue::remove(const StreamId& id) {
  auto entry = entries_.find(id);
  if (entry == entries_.end()) return false;
  delete_in_node(node_of(id), entry, /*free_empty=*/true);
  return true;
}

long long StreamValue::trim(const TrimSpec& spec) {
  if (spec.strategy == TrimStrategy::None) return 0;
  const bool by_length = spec.strategy == TrimStrategy::MaxLen;
  // 64-bit arithmetic: MAXLEN can exceed a 32-bit size_t (WebAssembly).
  const auto maxlen = static_cast<std::uint64_t>(spec.maxlen);
  auto length = [this] { return static_cast<std::uint64_t>(entries_.size()); };
  long long removed = 0;
  auto node = nodes_.begin();
  while (node != nodes_.end()) {
    if (by_length && length() <= maxlen) break;
    const long long live = node->second.live;
    if (spec.limit && removed + live > spec.limit) break;
    const bool whole = by_length ? length() - static_cast<std::uint64_t>(live) >= maxlen
                                 : node->second.last < spec.min_id;
    if (whole) {
      auto next = std::next(node);
      remove_node(node);
      removed += live;
      node = next;
      continue;
    }
    if (spec.approx) break;
    // Exact trimming stops inside this node: its first entries are marked deleted, and the
    // node stays even if none is left.
    auto next = std::next(node);
    auto entry = entries_.lower_bound(node->first);
    while (entry != entries_.end() && (next == nodes_.end() || entry->first < next->first)) {
      if (by_length ? length() <= maxlen : entry->first >= spec.min_id) break;
      auto following = std::next(entry);
      delete_in_node(node, entry, /*free_empty=*/false);
      entry = following;
      ++removed;
    }
    break;
  }
  return removed;
}

size_t StreamValue::radix_tree_nodes() const {
  if (nodes_.empty()) return 1;
  std::vector<RaxKey> keys;
  keys.reserve(nodes_.size());
  for (const auto& [master, node] : nodes_)
    keys.push_back(rax_key(master));
  return rax_nodes_below(keys, 0, keys.size(), 0);
}

bool StreamValue::range_has_tombstones(const StreamId& start) const {
  if (entries_.empty() || max_deleted_id.is_zero()) return false;
  if (first_id() > max_deleted_id) return false;
  return start <= max_deleted_id;
}

long long StreamValue::distance_from_first_ever_entry(const StreamId& id) const {
  if (entries_added == 0) return 0;
  const auto added = static_cast<long long>(entries_added);
  if (entries_.empty() && id <= last_id) return added;
  if (id == last_id) return added;
  if (id > last_id) return kEntriesReadUnknown;
  const StreamId first = first_id();
  if (max_deleted_id.is_zero() || max_deleted_id < first) {
    const auto length = static_cast<long long>(entries_.size());
    if (id < first) return added - length;
    if (id == first) return added - length + 1;
  }
  return kEntriesReadUnknown;
}

std::optional<long long> StreamValue::group_lag(const ConsumerGroup& group) const {
  if (entries_added == 0) return 0;
  const auto added = static_cast<long long>(entries_added);
  if (group.entries_read != kEntriesReadUnknown && !range_has_tombstones(group.last_delivered)) {
    return wrapping_sub(added, group.entries_read);
  }
  const long long read = distance_from_first_ever_entry(group.last_delivered);
  if (read == kEntriesReadUnknown) return std::nullopt;
  return wrapping_sub(added, read);
}

}  // namespace redpad
