// A Redis sorted set: unique members (byte strings), each with a double score, kept in
// order of (score, member bytes). Sorted-set commands and, later, GEO are built on it.
//
// Structure: a skiplist whose links carry spans (how many elements each link jumps over),
// so rank lookups and "the element at rank r" are O(log n), plus a member -> node hash
// index, so score lookups are O(1). Adding, updating and removing are O(log n); walking
// in order (either way) is O(1) per step.
//
// Encoding: Redis 7.0 with its default configuration keeps a sorted set as a "listpack"
// while it has at most 128 members, none longer than 64 bytes, and converts it to a
// "skiplist" for good the first time either limit is crossed (it never converts back,
// however small it gets). SortedSet tracks that state for OBJECT ENCODING; sets built
// from scratch by a *STORE command call fit_encoding() to get the encoding Redis picks
// for a new destination.
//
// Using it (GEO included): create the value with Value::make<SortedSet>(ValueType::ZSet)
// and reach it with value.as<SortedSet>(); add() inserts or re-scores, score() and rank()
// look members up, begin()/end() and at_rank() walk in order, first_in()/last_in() find
// the ends of a score or lex range (then walk with ++/-- while range.below_max() or
// range.above_min() holds), count_in() counts one, remove*() delete. Any change to the
// set invalidates iterators and Element references into it.
//
// Lex ranges assume every member has the same score (as Redis documents). With mixed
// scores Redis's answer depends on the encoding: a listpack is scanned from one end, so
// a listpack-encoded SortedSet scans too and gives Redis's exact answer; a skiplist is
// searched like a sorted list, and so is a skiplist-encoded SortedSet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "../value.h"

namespace redpad {

// ---- ranges ----

// A score interval, as in ZRANGEBYSCORE key (1 +inf: each end inclusive unless exclusive.
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool above_min(double score) const { return min_exclusive ? score > min : score >= min; }
  bool below_max(double score) const { return max_exclusive ? score < max : score <= max; }
  bool contains(double score) const { return above_min(score) && below_max(score); }
  // True when no score can lie in it (min > max, or min == max with an exclusive end).
  bool is_empty() const;
};

// One end of a score range as Redis reads it: an optional "(" (exclusive), then a number
// in strtod's syntax read up to the string's first NUL byte, so "", " 1", "0x10", "inf"
// and "1e400" (inf) are accepted; NaN is not. False means "ERR min or max is not a float".
bool parse_score_bound(std::string_view text, double& value, bool& exclusive);
bool parse_score_range(std::string_view min, std::string_view max, ScoreRange& out);

// One end of a lex range: "-" (before everything), "+" (after everything), "[abc"
// (inclusive) or "(abc" (exclusive).
struct LexBound {
  enum class Kind : std::uint8_t { NegativeInfinity, PositiveInfinity, Inclusive, Exclusive };
  Kind kind = Kind::NegativeInfinity;
  std::string value;  // Inclusive and Exclusive only
};

struct LexRange {
  LexBound min;
  LexBound max;

  bool above_min(std::string_view member) const;
  bool below_max(std::string_view member) const;
  bool contains(std::string_view member) const { return above_min(member) && below_max(member); }
  // True when no member can lie in it (min after max, or equal with an exclusive end).
  bool is_empty() const;
};

// False means "ERR min or max not valid string range item".
bool parse_lex_bound(std::string_view text, LexBound& out);
bool parse_lex_range(std::string_view min, std::string_view max, LexRange& out);

// ---- the sorted set ----

class SortedSet final : public Aggregate {
  struct Node;

 public:
  // Redis's zset-max-listpack-entries and zset-max-listpack-value defaults.
  static constexpr size_t kListpackMaxEntries = 128;
  static constexpr size_t kListpackMaxValue = 64;

  // What iteration yields. Read-only: change a score with add().
  struct Element {
    std::string member;
    double score = 0;
  };

  // A bidirectional iterator in ascending order. end() is one past the last element;
  // decrementing end() gives the last element and decrementing begin() gives end(), so
  // a walk downwards stops at end() too.
  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = Element;
    using difference_type = std::ptrdiff_t;
    using pointer = const Element*;
    using reference = const Element&;

    const_iterator() = default;
    reference operator*() const { return *node_; }
    pointer operator->() const { return node_; }
    const_iterator& operator++();
    const_iterator& operator--();
    bool operator==(const const_iterator& other) const { return node_ == other.node_; }
    bool operator!=(const const_iterator& other) const { return node_ != other.node_; }

   private:
    friend class SortedSet;
    const_iterator(const SortedSet* owner, const Node* node) : owner_(owner), node_(node) {}
    const SortedSet* owner_ = nullptr;
    const Node* node_ = nullptr;
  };

  SortedSet();
  SortedSet(const SortedSet& other);
  SortedSet& operator=(const SortedSet&) = delete;
  ~SortedSet() override;

  // Aggregate
  std::unique_ptr<Aggregate> clone() const override;
  const char* encoding_name() const override { return is_listpack() ? "listpack" : "skiplist"; }
  size_t element_count() const override { return size(); }
  std::vector<std::string> preview_items(size_t max_items) const override;

  size_t size() const { return length_; }
  bool empty() const { return length_ == 0; }
  bool is_listpack() const { return !skiplist_; }

  // ---- members: O(1) lookups, O(log n) changes ----

  // The member's score, or nullopt when it is not in the set.
  std::optional<double> score(std::string_view member) const;
  bool contains(std::string_view member) const { return index_.count(member) != 0; }
  // Adds the member, or moves it to a new score. True when it was not there before.
  // The score must not be NaN.
  bool add(std::string_view member, double score);
  // True when the member was there.
  bool remove(std::string_view member);

  // ---- order ----

  const_iterator begin() const { return {this, first_node()}; }
  const_iterator end() const { return {this, nullptr}; }
  // The member's 0-based position in ascending order, or nullopt when it is missing.
  std::optional<size_t> rank(std::string_view member) const;
  // The 0-based position of an element (it must not be end()).
  size_t rank_of(const_iterator position) const;
  // The element at a 0-based position, or end() when rank >= size(). O(log n).
  const_iterator at_rank(size_t rank) const;

  // The first (lowest) and last (highest) elements inside a range, or end() when none is.
  const_iterator first_in(const ScoreRange& range) const;
  const_iterator last_in(const ScoreRange& range) const;
  const_iterator first_in(const LexRange& range) const;
  const_iterator last_in(const LexRange& range) const;
  size_t count_in(const ScoreRange& range) const;
  size_t count_in(const LexRange& range) const;

  // ---- removal of runs; each returns how many elements went ----

  // Positions first..last, inclusive, 0-based (last is clamped to the end).
  size_t remove_rank_range(size_t first, size_t last);
  size_t remove_range(const ScoreRange& range);
  size_t remove_range(const LexRange& range);

  // ---- encoding ----

  // Gives a set built from scratch (a ZUNIONSTORE or ZRANGESTORE destination) the
  // encoding Redis gives a new one: listpack when it is within both limits.
  void fit_encoding();

 private:
  static constexpr int kMaxLevel = 32;

  struct Link {
    Node* forward = nullptr;
    size_t span = 0;  // elements moved over by following this link
  };
  // A node and its `height` links share one allocation (the links right after the node),
  // so a search step touches one block of memory, not two.
  struct Node : Element {
    Node* backward = nullptr;
    int height = 0;
    Link* links() { return std::launder(reinterpret_cast<Link*>(this + 1)); }
    const Link* links() const { return std::launder(reinterpret_cast<const Link*>(this + 1)); }
  };
  static_assert(alignof(Link) <= alignof(Node), "links follow the node");
  static Node* new_node(int height);
  static void free_node(Node* node);

  static bool before(const Node* node, double score, std::string_view member);
  Node* first_node() const { return head_->links()[0].forward; }
  Node* find_node(std::string_view member) const;
  int random_level();
  // The last node before (score, member) at each level, and their ranks.
  void find_predecessors(double score, std::string_view member, Node** update, size_t* ranks) const;
  void link_node(Node* node);
  void unlink_node(Node* node, Node** update);
  void detach(Node* node);  // unlinks a node found by member
  void destroy(Node* node);
  void note_member_length(size_t length);
  size_t rank_of_node(const Node* node) const;
  // Removes consecutive elements from `first` on while keep(element) holds.
  template <class Keep>
  size_t remove_run(Node* first, Keep keep);

  Node* head_;  // a sentinel before the first node, with kMaxLevel links
  Node* tail_ = nullptr;
  int level_ = 1;
  size_t length_ = 0;
  bool skiplist_ = false;
  std::uint64_t level_seed_ = 0x2545f4914f6cdd1dULL;   // fixed: level choice is internal
  std::unordered_map<std::string_view, Node*> index_;  // views into the nodes' members
};

}  // namespace redpad
