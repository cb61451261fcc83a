// The stream type: entries ordered by ID, consumer groups with their pending entries, and a
// model of how Redis 7.0 packs entries into listpack nodes of a radix tree, because that
// packing is visible to learners (XINFO STREAM's radix-tree-keys and radix-tree-nodes) and
// decides what approximate trimming (MAXLEN ~, MINID ~, LIMIT) removes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../value.h"

namespace redpad {

struct StreamId {
  std::uint64_t ms = 0;
  std::uint64_t seq = 0;

  static constexpr StreamId max() { return {UINT64_MAX, UINT64_MAX}; }
  bool is_zero() const { return ms == 0 && seq == 0; }
  bool is_max() const { return ms == UINT64_MAX && seq == UINT64_MAX; }

  // The next ID in order. At the last possible ID it wraps to 0-0 and returns false.
  bool increment();
  // The previous ID in order. At 0-0 it wraps to the last possible ID and returns false.
  bool decrement();

  std::string to_string() const;

  friend bool operator==(const StreamId& a, const StreamId& b) {
    return a.ms == b.ms && a.seq == b.seq;
  }
  friend bool operator!=(const StreamId& a, const StreamId& b) { return !(a == b); }
  friend bool operator<(const StreamId& a, const StreamId& b) {
    return a.ms != b.ms ? a.ms < b.ms : a.seq < b.seq;
  }
  friend bool operator>(const StreamId& a, const StreamId& b) { return b < a; }
  friend bool operator<=(const StreamId& a, const StreamId& b) { return !(b < a); }
  friend bool operator>=(const StreamId& a, const StreamId& b) { return !(a < b); }
};

// Redis's parse of an ID argument ("ms-seq", "ms", "-", "+", and "ms-*" where allowed).
struct StreamIdParse {
  std::uint64_t missing_seq = 0;  // the sequence of an ID given as "ms" alone
  bool strict = false;            // strict IDs refuse "-" and "+"
  bool allow_auto_seq = false;    // XADD's "ms-*"
};
// Returns false for an invalid ID. `seq_given` (optional) is false for "ms-*".
bool parse_stream_id(std::string_view text, const StreamIdParse& how, StreamId& out,
                     bool* seq_given = nullptr);

// The fields and values of one entry, flattened: field, value, field, value...
using StreamFields = std::vector<std::string>;

// One entry of a consumer group's pending entries list.
struct PendingEntry {
  std::string consumer;
  std::int64_t delivery_time_ms = 0;
  std::uint64_t delivery_count = 1;
};

struct StreamConsumer {
  std::int64_t seen_time_ms = 0;
  std::set<StreamId> pending;  // the IDs of the group's PEL owned by this consumer
};

// A group's read counter when it is unknown (Redis's SCG_INVALID_ENTRIES_READ).
inline constexpr long long kEntriesReadUnknown = -1;

// Redis does the read counter's and the lag's arithmetic in plain long long, which wraps
// around (XGROUP CREATE ... ENTRIESREAD 9223372036854775807, then a read, shows
// -9223372036854775808): the same results, without the undefined behaviour.
inline long long wrapping_add(long long a, long long b) {
  return static_cast<long long>(static_cast<unsigned long long>(a) +
                                static_cast<unsigned long long>(b));
}
inline long long wrapping_sub(long long a, long long b) {
  return static_cast<long long>(static_cast<unsigned long long>(a) -
                                static_cast<unsigned long long>(b));
}

struct ConsumerGroup {
  StreamId last_delivered;
  long long entries_read = kEntriesReadUnknown;
  std::map<StreamId, PendingEntry> pending;
  std::map<std::string, StreamConsumer> consumers;  // Redis keeps them in name order

  // Removes an entry from the PEL and from its owner's list.
  void drop_pending(std::map<StreamId, PendingEntry>::iterator it);
  // Deletes a consumer and its pending entries; returns how many it had.
  size_t delete_consumer(const std::string& name);
};

enum class TrimStrategy { None, MaxLen, MinId };

struct TrimSpec {
  TrimStrategy strategy = TrimStrategy::None;
  bool approx = false;   // "~": only whole listpack nodes are removed
  long long maxlen = 0;  // MAXLEN
  StreamId min_id;       // MINID
  long long limit = 0;   // most entries removed (0: no limit)
};

class StreamValue : public Aggregate {
 public:
  // Redis's default stream-node-max-bytes and stream-node-max-entries.
  static constexpr std::size_t kNodeMaxBytes = 4096;
  static constexpr std::uint32_t kNodeMaxEntries = 100;

  std::unique_ptr<Aggregate> clone() const override { return std::make_unique<StreamValue>(*this); }
  const char* encoding_name() const override { return "stream"; }
  size_t element_count() const override { return entries_.size(); }
  std::vector<std::string> preview_items(size_t max_items) const override;

  const std::map<StreamId, StreamFields>& entries() const { return entries_; }
  const StreamFields* find(const StreamId& id) const;

  // Appends an entry whose ID is greater than last_id (the caller checks).
  void append(const StreamId& id, StreamFields fields);
  // Deletes one entry (XDEL); false if there is no such entry.
  bool remove(const StreamId& id);
  // Trims as XTRIM and XADD's MAXLEN/MINID do; returns the number of entries removed.
  long long trim(const TrimSpec& spec);

  // The first live entry's ID (0-0 when empty): what Redis records as first_id.
  StreamId first_id() const { return entries_.empty() ? StreamId{} : entries_.begin()->first; }
  // The last live entry's ID, if any.
  std::optional<StreamId> last_live_id() const;

  // XINFO STREAM: listpack nodes, and the nodes of the radix tree indexing them.
  size_t radix_tree_keys() const { return nodes_.size(); }
  size_t radix_tree_nodes() const;

  // Consumer-group accounting, as Redis 7.0 computes lag and entries-read.
  bool range_has_tombstones(const StreamId& start) const;
  long long distance_from_first_ever_entry(const StreamId& id) const;
  // The group's lag, or nullopt when it cannot be known.
  std::optional<long long> group_lag(const ConsumerGroup& group) const;

  StreamId last_id;         // last-generated-id
  StreamId max_deleted_id;  // max-deleted-entry-id
  std::uint64_t entries_added = 0;
  std::map<std::string, ConsumerGroup> groups;

 private:
  // What Redis keeps about one listpack node, enough to know its size in bytes and when
  // the next entry starts a new node.
  struct Node {
    StreamId last;  // ID of the last entry appended (deleted or not)
    std::vector<std::string> master_fields;
    std::uint32_t live = 0;
    std::uint32_t deleted = 0;
    std::size_t bytes = 0;
  };
  using NodeMap = std::map<StreamId, Node>;  // keyed by master ID (the first entry's)

  NodeMap::iterator node_of(const StreamId& id);
  // Marks an entry of `node` deleted; the node goes when empty and `free_empty` is set.
  void delete_in_node(NodeMap::iterator node, std::map<StreamId, StreamFields>::iterator entry,
                      bool free_empty);
  void remove_node(NodeMap::iterator node);

  std::map<StreamId, StreamFields> entries_;
  NodeMap nodes_;
};

}  // namespace redpad
