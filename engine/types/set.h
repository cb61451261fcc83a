// A Redis set. Like Redis 7.0 with its default configuration it is an "intset" (64-bit
// integers kept sorted, so they come back in numeric order) while every member is a
// canonical integer and there are at most 512 of them, and a "hashtable" from then on; a
// hashtable never turns back into an intset, even when it shrinks.
//
// The hashtable keeps its members in a vector beside the index, so membership, adding,
// removing and drawing a random member are all O(1). Its order (insertion order, with a
// removed member's place taken by the last one) is redpad's own: Redis's is arbitrary.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "../value.h"

namespace redpad {

class SetValue final : public Aggregate {
 public:
  // Redis's set-max-intset-entries.
  static constexpr size_t kMaxIntsetEntries = 512;

  SetValue() = default;
  SetValue(const SetValue& other);
  SetValue& operator=(const SetValue&) = delete;

  std::unique_ptr<Aggregate> clone() const override;
  const char* encoding_name() const override { return intset_ ? "intset" : "hashtable"; }
  size_t element_count() const override { return size(); }
  std::vector<std::string> preview_items(size_t max_items) const override {
    std::vector<std::string> items;
    for (size_t i = 0; i < size() && i < max_items; ++i) items.push_back(member_at(i));
    return items;
  }

  bool is_intset() const { return intset_; }
  size_t size() const { return intset_ ? ints_.size() : order_.size(); }
  bool empty() const { return size() == 0; }

  bool contains(const std::string& member) const;
  // True when the member was not there yet.
  bool add(const std::string& member);
  // True when the member was there.
  bool remove(const std::string& member);

  // The member at a position of the encoding's order (numeric for an intset), for random
  // draws: O(1).
  std::string member_at(size_t index) const;

  // Visits every member in the encoding's order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    if (intset_) {
      for (long long number : ints_)
        visit(std::to_string(number));
    } else {
      for (const std::string* member : order_)
        visit(*member);
    }
  }

  // The hashtable's members in order (empty for an intset), for SSCAN's cursor walk.
  const std::vector<const std::string*>& hashtable_members() const { return order_; }

 private:
  void convert_to_hashtable();
  void hashtable_insert(const std::string& member);

  bool intset_ = true;
  std::vector<long long> ints_;  // sorted, while intset_
  // While !intset_: member -> its position in order_; order_ points at the map's keys,
  // whose addresses never change.
  std::unordered_map<std::string, size_t> positions_;
  std::vector<const std::string*> order_;
};

}  // namespace redpad
