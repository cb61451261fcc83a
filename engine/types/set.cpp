#include "set.h"

#include <algorithm>
#include <utility>

#include "../numbers.h"

namespace redpad {

SetValue::SetValue(const SetValue& other)
    : Aggregate(other), intset_(other.intset_), ints_(other.ints_) {
  if (intset_) return;
  positions_.reserve(other.order_.size());
  order_.reserve(other.order_.size());
  for (const std::string* member : other.order_)
    hashtable_insert(*member);
}

std::unique_ptr<Aggregate> SetValue::clone() const {
  return std::make_unique<SetValue>(*this);
}

bool SetValue::contains(const std::string& member) const {
  if (!intset_) return positions_.count(member) != 0;
  long long number = 0;
  return parse_integer(member, number) && std::binary_search(ints_.begin(), ints_.end(), number);
}

bool SetValue::add(const std::string& member) {
  if (intset_) {
    long long number = 0;
    if (parse_integer(member, number)) {
      const auto place = std::lower_bound(ints_.begin(), ints_.end(), number);
      if (place != ints_.end() && *place == number) return false;
      ints_.insert(place, number);
      if (ints_.size() > kMaxIntsetEntries) convert_to_hashtable();
      return true;
    }
    convert_to_hashtable();
  }
  if (positions_.count(member)) return false;
  hashtable_insert(member);
  return true;
}

bool SetValue::remove(const std::string& member) {
  if (intset_) {
    long long number = 0;
    if (!parse_integer(member, number)) return false;
    const auto place = std::lower_bound(ints_.begin(), ints_.end(), number);
    if (place == ints_.end() || *place != number) return false;
    ints_.erase(place);
    return true;
  }
  const auto found = positions_.find(member);
  if (found == positions_.end()) return false;
  // The last member takes the removed one's place.
  const size_t index = found->second;
  const std::string* last = order_.back();
  order_[index] = last;
  positions_[*last] = index;
  order_.pop_back();
  positions_.erase(found);
  return true;
}

std::string SetValue::member_at(size_t index) const {
  return intset_ ? std::to_string(ints_[index]) : *order_[index];
}

void SetValue::convert_to_hashtable() {
  std::vector<long long> numbers = std::move(ints_);
  ints_.clear();
  intset_ = false;
  positions_.reserve(numbers.size() + 1);
  order_.reserve(numbers.size() + 1);
  for (long long number : numbers)
    hashtable_insert(std::to_string(number));
}

void SetValue::hashtable_insert(const std::string& member) {
  const auto inserted = positions_.emplace(member, order_.size()).first;
  order_.push_back(&inserted->first);
}

}  // namespace redpad
