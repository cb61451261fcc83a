// A database's keys: an open-addressing hash table of (hash, pointer) slots, each pointing
// at a separately allocated (key, Entry) node. Compared with std::unordered_map, a lookup
// touches one slot (its hash filters out other keys) and one node, instead of a bucket, the
// node before it and the node itself: on a keyspace larger than the CPU's caches that is
// the engine's main cost per command (docs/benchmarks.md). Nodes never move, so a pointer to
// an Entry stays valid until that key is erased, as with std::unordered_map.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace redpad {

template <class Mapped>
class KeyTable {
 public:
  using value_type = std::pair<const std::string, Mapped>;

  KeyTable() = default;
  KeyTable(const KeyTable& other) { *this = other; }
  KeyTable& operator=(const KeyTable& other) {
    if (this == &other) return *this;
    clear();
    slots_.assign(other.slots_.size(), Slot{});
    for (size_t i = 0; i < other.slots_.size(); ++i) {
      if (other.slots_[i].node)
        slots_[i] = {other.slots_[i].hash, new value_type(*other.slots_[i].node)};
    }
    size_ = other.size_;
    return *this;
  }
  KeyTable(KeyTable&& other) noexcept
      : slots_(std::move(other.slots_)), size_(std::exchange(other.size_, 0)) {
    other.slots_.clear();
  }
  KeyTable& operator=(KeyTable&& other) noexcept {
    if (this != &other) {
      clear();
      slots_ = std::move(other.slots_);
      size_ = std::exchange(other.size_, 0);
      other.slots_.clear();
    }
    return *this;
  }
  ~KeyTable() { clear(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  value_type* find(std::string_view key) const {
    if (size_ == 0) return nullptr;
    const std::uint32_t hash = hash_of(key);
    for (size_t i = hash & mask();; i = (i + 1) & mask()) {
      const Slot& slot = slots_[i];
      if (!slot.node) return nullptr;
      if (slot.hash == hash && slot.node->first == key) return slot.node;
    }
  }

  // The key's node, created with a default Mapped if missing; second: whether it was.
  std::pair<value_type*, bool> try_emplace(const std::string& key) {
    if (value_type* found = find(key)) return {found, false};
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();  // at most three quarters full
    const std::uint32_t hash = hash_of(key);
    size_t i = hash & mask();
    while (slots_[i].node)
      i = (i + 1) & mask();
    slots_[i] = {hash, new value_type(key, Mapped{})};
    ++size_;
    return {slots_[i].node, true};
  }

  bool erase(std::string_view key) {
    if (size_ == 0) return false;
    const std::uint32_t hash = hash_of(key);
    size_t i = hash & mask();
    for (;; i = (i + 1) & mask()) {
      if (!slots_[i].node) return false;
      if (slots_[i].hash == hash && slots_[i].node->first == key) break;
    }
    delete slots_[i].node;
    slots_[i] = Slot{};
    --size_;
    // Backward-shift deletion: pull later members of the probe run into the hole, so no
    // tombstones are needed and lookups stop at the first empty slot.
    for (size_t hole = i, j = (i + 1) & mask(); slots_[j].node; j = (j + 1) & mask()) {
      const size_t home = slots_[j].hash & mask();
      // j may move to the hole unless its home lies cyclically in (hole, j].
      const bool home_after_hole =
          hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
      if (home_after_hole) continue;
      slots_[hole] = slots_[j];
      slots_[j] = Slot{};
      hole = j;
    }
    return true;
  }

  void clear() {
    for (Slot& slot : slots_)
      delete slot.node;
    slots_.clear();
    size_ = 0;
  }

  // Iteration in slot order (no meaning: every caller that shows keys sorts them).
  class const_iterator {
   public:
    const_iterator(const KeyTable* table, size_t index) : table_(table), index_(index) { skip(); }
    const value_type& operator*() const { return *table_->slots_[index_].node; }
    const value_type* operator->() const { return table_->slots_[index_].node; }
    const_iterator& operator++() {
      ++index_;
      skip();
      return *this;
    }
    bool operator==(const const_iterator& other) const { return index_ == other.index_; }
    bool operator!=(const const_iterator& other) const { return index_ != other.index_; }

   private:
    void skip() {
      while (index_ < table_->slots_.size() && !table_->slots_[index_].node)
        ++index_;
    }
    const KeyTable* table_;
    size_t index_;
  };
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, slots_.size()}; }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    value_type* node = nullptr;  // null: an empty slot
  };

  static std::uint32_t hash_of(std::string_view key) {
    const size_t h = std::hash<std::string_view>{}(key);
    return static_cast<std::uint32_t>(h ^ (h >> 16 >> 16));
  }
  size_t mask() const { return slots_.size() - 1; }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
    for (const Slot& slot : old) {
      if (!slot.node) continue;
      size_t i = slot.hash & mask();
      while (slots_[i].node)
        i = (i + 1) & mask();
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two in size, or empty
  size_t size_ = 0;
};

}  // namespace redpad
