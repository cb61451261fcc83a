#include "database.h"

#include <algorithm>

namespace redpad {

Entry* Database::find(const std::string& key) {
  auto* node = entries_.find(key);
  return node ? &node->second : nullptr;
}

const Entry* Database::find(const std::string& key) const {
  const auto* node = entries_.find(key);
  return node ? &node->second : nullptr;
}

namespace {

std::uint64_t next_power_of_two(std::uint64_t n) {
  std::uint64_t size = 4;
  while (size < n)
    size *= 2;
  return size;
}

}  // namespace

Entry& Database::put(const std::string& key, Value value, bool keep_ttl) {
  const size_t before = entries_.size();
  auto [node, inserted] = entries_.try_emplace(key);
  Entry& entry = node->second;
  if (inserted) {
    // Redis grows a full table before adding to it.
    if (table_size_ == 0) table_size_ = 4;
    if (before >= table_size_) table_size_ = next_power_of_two(before + 1);
  }
  if (!inserted && !keep_ttl && entry.expire_at_ms != kNoExpiry) {
    expiry_index_.erase({entry.expire_at_ms, key});
    entry.expire_at_ms = kNoExpiry;
  }
  entry.value = std::move(value);
  return entry;
}

bool Database::erase(const std::string& key) {
  const Entry* entry = find(key);
  if (!entry) return false;
  if (entry->expire_at_ms != kNoExpiry) expiry_index_.erase({entry->expire_at_ms, key});
  entries_.erase(key);
  // Redis's cron shrinks a table that is less than 10% full, and frees an empty one.
  const std::uint64_t used = entries_.size();
  if (used == 0) {
    table_size_ = 0;
  } else if (table_size_ > 4 && used * 100 / table_size_ < 10) {
    table_size_ = next_power_of_two(used);
  }
  return true;
}

void Database::clear() {
  entries_.clear();
  expiry_index_.clear();
  table_size_ = 0;
}

void Database::set_expire(const std::string& key, std::int64_t when_ms) {
  Entry* entry = find(key);
  if (!entry) return;
  if (entry->expire_at_ms != kNoExpiry) expiry_index_.erase({entry->expire_at_ms, key});
  entry->expire_at_ms = when_ms;
  expiry_index_.emplace(when_ms, key);
}

bool Database::clear_expire(const std::string& key) {
  Entry* entry = find(key);
  if (!entry || entry->expire_at_ms == kNoExpiry) return false;
  expiry_index_.erase({entry->expire_at_ms, key});
  entry->expire_at_ms = kNoExpiry;
  return true;
}

std::vector<const std::string*> Database::keys_in_order() const {
  std::vector<std::pair<std::uint64_t, const std::string*>> hashed;
  hashed.reserve(entries_.size());
  for (const auto& [key, entry] : entries_)
    hashed.emplace_back(key_hash(key), &key);
  std::sort(hashed.begin(), hashed.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  std::vector<const std::string*> keys;
  keys.reserve(hashed.size());
  for (const auto& item : hashed)
    keys.push_back(item.second);
  return keys;
}

std::uint64_t key_hash(const std::string& key) {
  // FNV-1a, then a final avalanche so that similar keys spread over the whole range.
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace redpad
