// A list value: a double-ended queue of byte strings, so pushes and pops at either end are
// O(1) however long the list grows. Redis 7.0 stores every list as a quicklist (a linked
// list of listpacks), whatever its size, and OBJECT ENCODING says so.
#pragma once

#include <algorithm>
#include <vector>

#include <deque>
#include <memory>
#include <string>

#include "../value.h"

namespace redpad {

class ListValue final : public Aggregate {
 public:
  std::unique_ptr<Aggregate> clone() const override { return std::make_unique<ListValue>(*this); }
  const char* encoding_name() const override { return "quicklist"; }
  size_t element_count() const override { return items.size(); }
  std::vector<std::string> preview_items(size_t max_items) const override {
    return {items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(max_items, items.size()))};
  }

  // Head first: LPUSH adds at the front, RPUSH at the back.
  std::deque<std::string> items;
};

}  // namespace redpad
