// KeyTable against std::map: random inserts, lookups and erases (with the probe runs and
// wrap-arounds backward-shift deletion must handle), copies and moves.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "key_table.h"
#include "random.h"

using redpad::KeyTable;

namespace {

template <class Table>
std::map<std::string, int> contents(const Table& table) {
  std::map<std::string, int> out;
  for (const auto& [key, value] : table)
    out[key] = value;
  return out;
}

}  // namespace

TEST_CASE("KeyTable finds, inserts and erases like a map, through growth and erasures") {
  KeyTable<int> table;
  std::map<std::string, int> model;
  redpad::Random random(7);
  for (int step = 0; step < 200000; ++step) {
    const std::string key = "k" + std::to_string(random.below(3000));
    switch (random.below(3)) {
      case 0: {
        auto [node, inserted] = table.try_emplace(key);
        CHECK(inserted == (model.count(key) == 0));
        node->second = step;
        model[key] = step;
        break;
      }
      case 1:
        CHECK(table.erase(key) == (model.erase(key) == 1));
        break;
      default: {
        const auto* node = table.find(key);
        const auto it = model.find(key);
        REQUIRE((node != nullptr) == (it != model.end()));
        if (node) CHECK(node->second == it->second);
      }
    }
    REQUIRE(table.size() == model.size());
  }
  CHECK(contents(table) == model);
  for (const auto& [key, value] : model)
    REQUIRE(table.find(key) != nullptr);
}

TEST_CASE("KeyTable nodes stay put while other keys come and go") {
  KeyTable<int> table;
  auto* kept = table.try_emplace("kept").first;
  kept->second = 42;
  for (int i = 0; i < 10000; ++i)
    table.try_emplace("key:" + std::to_string(i));
  for (int i = 0; i < 10000; i += 2)
    table.erase("key:" + std::to_string(i));
  CHECK(table.find("kept") == kept);
  CHECK(kept->second == 42);
  CHECK(table.size() == 5001);
}

TEST_CASE("KeyTable copies are deep; moves leave an empty table") {
  KeyTable<int> table;
  for (int i = 0; i < 100; ++i)
    table.try_emplace(std::to_string(i)).first->second = i;
  KeyTable<int> copy = table;
  copy.find("5")->second = -5;
  copy.erase("6");
  CHECK(table.find("5")->second == 5);
  CHECK(table.find("6") != nullptr);
  CHECK(copy.size() == 99);
  KeyTable<int> moved = std::move(table);
  CHECK(moved.size() == 100);
  CHECK(table.empty());  // NOLINT(bugprone-use-after-move): a moved-from table is empty
  CHECK(table.find("5") == nullptr);
  table.try_emplace("again");
  CHECK(table.size() == 1);
}
