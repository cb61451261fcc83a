// A hash value: fields and their values, found in O(1) through an index and kept in
// insertion order (a deleted field leaves a hole that is compacted away later), because a
// small Redis hash is a listpack that HGETALL reads front to back. Redis turns it into a
// hashtable, for good, once it holds more than 512 fields or is given a field or value
// longer than 64 bytes; from then on its order is Redis's hash order, which nobody can
// rely on.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../random.h"
#include "../value.h"

namespace redpad {

class HashValue final : public Aggregate {
 public:
  // Redis 7.0's defaults: hash-max-listpack-entries and hash-max-listpack-value.
  static constexpr size_t kListpackMaxEntries = 512;
  static constexpr size_t kListpackMaxValue = 64;

  struct Field {
    const std::string* name;
    const std::string* value;
  };

  HashValue() = default;
  HashValue(const HashValue& other);
  HashValue& operator=(const HashValue&) = delete;

  std::unique_ptr<Aggregate> clone() const override { return std::make_unique<HashValue>(*this); }
  const char* encoding_name() const override { return listpack_ ? "listpack" : "hashtable"; }
  size_t element_count() const override { return index_.size(); }
  std::vector<std::string> preview_items(size_t max_items) const override;

  size_t size() const { return index_.size(); }
  bool is_listpack() const { return listpack_; }

  const std::string* find(const std::string& name) const;
  // Sets a field (a new one goes last); true if it was new.
  bool set(const std::string& name, std::string value);
  // True if the field was there.
  bool erase(const std::string& name);

  // Every field in order (insertion order while a listpack).
  template <class Visit>
  void for_each(Visit visit) const {
    for (const Node* node : order_) {
      if (node) visit(Field{&node->first, &node->second.value});
    }
  }

  // Every field in order until `visit` returns false (a page of the inspector's view).
  template <class Visit>
  void for_each_while(Visit visit) const {
    for (const Node* node : order_) {
      if (node && !visit(Field{&node->first, &node->second.value})) return;
    }
  }

  // A field drawn uniformly at random. The hash must not be empty.
  Field random_field(Random& random) const;
  // `count` distinct fields drawn at random (count < size()), in the hash's order when it
  // is a listpack, as Redis returns them.
  std::vector<Field> random_distinct_fields(Random& random, size_t count) const;

 private:
  struct Slot {
    std::string value;
    size_t position;  // in order_
  };
  using Node = std::pair<const std::string, Slot>;

  void compact();

  // Nodes of an unordered_map never move, so order_ can point at them.
  std::unordered_map<std::string, Slot> index_;
  std::vector<Node*> order_;  // nullptr where a field was deleted
  bool listpack_ = true;
};

}  // namespace redpad
