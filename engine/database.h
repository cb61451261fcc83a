// One of the server's 16 databases: keys with typed values, and expiry kept as absolute
// milliseconds beside each key, plus an index by time so expired keys can be swept in a
// deterministic order without scanning.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "key_table.h"
#include "value.h"

namespace redpad {

inline constexpr std::int64_t kNoExpiry = -1;

struct Entry {
  Value value;
  std::int64_t expire_at_ms = kNoExpiry;
};

class Database {
 public:
  // Raw lookup, expired or not. Expiry is the server's business (it also notifies WATCH).
  Entry* find(const std::string& key);
  const Entry* find(const std::string& key) const;

  // Stores a value. keep_ttl = false drops any expiry, as a plain SET does.
  Entry& put(const std::string& key, Value value, bool keep_ttl = false);
  bool erase(const std::string& key);
  void clear();

  void set_expire(const std::string& key, std::int64_t when_ms);
  // Returns true if the key had an expiry.
  bool clear_expire(const std::string& key);

  size_t size() const { return entries_.size(); }
  // The size Redis's hash table for this database would have now (SCAN's cursor space):
  // 4 at the first key, doubled when full, shrunk when under 10% full, 0 when empty.
  std::uint64_t table_size() const { return table_size_; }
  size_t volatile_count() const { return expiry_index_.size(); }

  // The key with the earliest expiry if it is past `now_ms` (a key expires when now > time).
  // Inline: the server asks every database before every command.
  const std::string* first_expired(std::int64_t now_ms) const {
    if (expiry_index_.empty()) return nullptr;
    const auto& first = *expiry_index_.begin();
    return now_ms > first.first ? &first.second : nullptr;
  }

  // Every key, in the database's stable iteration order (sorted by key_hash, then key).
  std::vector<const std::string*> keys_in_order() const;

  const KeyTable<Entry>& entries() const { return entries_; }

 private:
  KeyTable<Entry> entries_;
  std::set<std::pair<std::int64_t, std::string>> expiry_index_;
  std::uint64_t table_size_ = 0;
};

// A hash of a key that is the same on every platform (native and WebAssembly), so SCAN
// cursors and KEYS order are reproducible.
std::uint64_t key_hash(const std::string& key);

}  // namespace redpad
