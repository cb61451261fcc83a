#include "hash.h"

#include <algorithm>
#include <unordered_set>

namespace redpad {

std::vector<std::string> HashValue::preview_items(size_t max_items) const {
  std::vector<std::string> items;
  for (const Node* node : order_) {
    if (items.size() >= 2 * max_items) break;
    if (node) {
      items.push_back(node->first);
      items.push_back(node->second.value);
    }
  }
  return items;
}

namespace {

// Holes in the order are compacted away once they outnumber the fields (and there are
// more than a few), so walks and random draws stay proportional to the size.
constexpr size_t kMinOrderToCompact = 16;

}  // namespace

HashValue::HashValue(const HashValue& other) : Aggregate(other), listpack_(other.listpack_) {
  index_.reserve(other.index_.size());
  order_.reserve(other.index_.size());
  other.for_each([this](Field field) {
    auto it = index_.try_emplace(*field.name, Slot{*field.value, order_.size()}).first;
    order_.push_back(&*it);
  });
}

const std::string* HashValue::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &it->second.value;
}

bool HashValue::set(const std::string& name, std::string value) {
  if (name.size() > kListpackMaxValue || value.size() > kListpackMaxValue) listpack_ = false;
  auto [it, inserted] = index_.try_emplace(name);
  if (inserted) {
    it->second.position = order_.size();
    order_.push_back(&*it);
  }
  it->second.value = std::move(value);
  if (index_.size() > kListpackMaxEntries) listpack_ = false;
  return inserted;
}

bool HashValue::erase(const std::string& name) {
  auto it = index_.find(name);
  if (it == index_.end()) return false;
  order_[it->second.position] = nullptr;
  index_.erase(it);
  while (!order_.empty() && !order_.back())
    order_.pop_back();
  if (order_.size() > kMinOrderToCompact && order_.size() > 2 * index_.size()) compact();
  return true;
}

void HashValue::compact() {
  size_t out = 0;
  for (Node* node : order_) {
    if (!node) continue;
    node->second.position = out;
    order_[out++] = node;
  }
  order_.resize(out);
}

HashValue::Field HashValue::random_field(Random& random) const {
  for (;;) {
    const Node* node = order_[static_cast<size_t>(random.below(order_.size()))];
    if (node) return Field{&node->first, &node->second.value};
  }
}

std::vector<HashValue::Field> HashValue::random_distinct_fields(Random& random,
                                                                size_t count) const {
  std::vector<const Node*> picked;
  picked.reserve(count);
  if (listpack_ || count * 4 >= index_.size()) {
    // A large share of the hash (or a small hash): shuffle the front of the whole list.
    std::vector<const Node*> live;
    live.reserve(index_.size());
    for (const Node* node : order_) {
      if (node) live.push_back(node);
    }
    for (size_t i = 0; i < count; ++i) {
      const size_t j = i + static_cast<size_t>(random.below(live.size() - i));
      std::swap(live[i], live[j]);
    }
    picked.assign(live.begin(), live.begin() + static_cast<std::ptrdiff_t>(count));
    if (listpack_) {
      std::sort(picked.begin(), picked.end(), [](const Node* a, const Node* b) {
        return a->second.position < b->second.position;
      });
    }
  } else {
    // A few fields of a big hash: draw until enough distinct ones came up.
    std::unordered_set<const Node*> seen;
    while (picked.size() < count) {
      const Node* node = order_[static_cast<size_t>(random.below(order_.size()))];
      if (node && seen.insert(node).second) picked.push_back(node);
    }
  }
  std::vector<Field> fields;
  fields.reserve(picked.size());
  for (const Node* node : picked)
    fields.push_back(Field{&node->first, &node->second.value});
  return fields;
}

}  // namespace redpad
