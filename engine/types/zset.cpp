#include "zset.h"

#include "../numbers.h"

#include <cmath>
#include <cstdlib>
#include <utility>

namespace redpad {

std::vector<std::string> SortedSet::preview_items(size_t max_items) const {
  std::vector<std::string> items;
  for (auto it = begin(); it != end() && items.size() < 2 * max_items; ++it) {
    items.push_back(it->member);
    items.push_back(format_double(it->score));
  }
  return items;
}

// ---- ranges ----

bool ScoreRange::is_empty() const {
  return min > max || (min == max && (min_exclusive || max_exclusive));
}

bool parse_score_bound(std::string_view text, double& value, bool& exclusive) {
  exclusive = !text.empty() && text[0] == '(';
  if (exclusive) text.remove_prefix(1);
  // Redis hands the argument to strtod as a C string: it ends at the first NUL byte.
  const std::string number(text.substr(0, text.find('\0')));
  char* end = nullptr;
  const double parsed = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || std::isnan(parsed)) return false;
  value = parsed;
  return true;
}

bool parse_score_range(std::string_view min, std::string_view max, ScoreRange& out) {
  return parse_score_bound(min, out.min, out.min_exclusive) &&
         parse_score_bound(max, out.max, out.max_exclusive);
}

namespace {

using LexKind = LexBound::Kind;

// Orders two bounds as points on the line of strings (-, then every string, then +).
int compare_bounds(const LexBound& a, const LexBound& b) {
  auto rank = [](LexKind kind) {
    return kind == LexKind::NegativeInfinity ? 0 : kind == LexKind::PositiveInfinity ? 2 : 1;
  };
  if (rank(a.kind) != rank(b.kind) || rank(a.kind) != 1) return rank(a.kind) - rank(b.kind);
  const int c = a.value.compare(b.value);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

}  // namespace

bool LexRange::above_min(std::string_view member) const {
  switch (min.kind) {
    case LexKind::NegativeInfinity:
      return true;
    case LexKind::PositiveInfinity:
      return false;
    case LexKind::Inclusive:
      return member >= min.value;
    case LexKind::Exclusive:
      return member > min.value;
  }
  return false;
}

bool LexRange::below_max(std::string_view member) const {
  switch (max.kind) {
    case LexKind::NegativeInfinity:
      return false;
    case LexKind::PositiveInfinity:
      return true;
    case LexKind::Inclusive:
      return member <= max.value;
    case LexKind::Exclusive:
      return member < max.value;
  }
  return false;
}

bool LexRange::is_empty() const {
  const int c = compare_bounds(min, max);
  if (c > 0) return true;
  if (c < 0) return false;
  // Equal points: only [x [x holds anything ("-" and "+" count as exclusive).
  return min.kind != LexKind::Inclusive || max.kind != LexKind::Inclusive;
}

bool parse_lex_bound(std::string_view text, LexBound& out) {
  if (text.empty()) return false;
  if (text.size() == 1 && (text[0] == '-' || text[0] == '+')) {
    out.kind = text[0] == '-' ? LexKind::NegativeInfinity : LexKind::PositiveInfinity;
    out.value.clear();
    return true;
  }
  if (text[0] != '[' && text[0] != '(') return false;
  out.kind = text[0] == '[' ? LexKind::Inclusive : LexKind::Exclusive;
  out.value.assign(text.substr(1));
  return true;
}

bool parse_lex_range(std::string_view min, std::string_view max, LexRange& out) {
  return parse_lex_bound(min, out.min) && parse_lex_bound(max, out.max);
}

// ---- iteration ----

SortedSet::const_iterator& SortedSet::const_iterator::operator++() {
  node_ = node_->links()[0].forward;
  return *this;
}

SortedSet::const_iterator& SortedSet::const_iterator::operator--() {
  node_ = node_ ? node_->backward : owner_->tail_;
  return *this;
}

// ---- construction ----

SortedSet::Node* SortedSet::new_node(int height) {
  void* block = ::operator new(sizeof(Node) + static_cast<size_t>(height) * sizeof(Link));
  Node* node = new (block) Node;
  node->height = height;
  for (int i = 0; i < height; ++i)
    new (reinterpret_cast<Link*>(node + 1) + i) Link;
  return node;
}

void SortedSet::free_node(Node* node) {
  node->~Node();  // Links are trivially destructible
  ::operator delete(node);
}

SortedSet::SortedSet() : head_(new_node(kMaxLevel)) {}

SortedSet::SortedSet(const SortedSet& other) : SortedSet() {
  index_.reserve(other.length_);
  for (const Element& element : other)
    add(element.member, element.score);
  skiplist_ = other.skiplist_;
  level_seed_ = other.level_seed_;
}

SortedSet::~SortedSet() {
  Node* node = first_node();
  while (node) {
    Node* next = node->links()[0].forward;
    free_node(node);
    node = next;
  }
  free_node(head_);
}

std::unique_ptr<Aggregate> SortedSet::clone() const {
  return std::make_unique<SortedSet>(*this);
}

// ---- skiplist internals ----

// True when `node` sorts before the position of (score, member).
bool SortedSet::before(const Node* node, double score, std::string_view member) {
  return node->score < score || (node->score == score && std::string_view(node->member) < member);
}

SortedSet::Node* SortedSet::find_node(std::string_view member) const {
  const auto found = index_.find(member);
  return found == index_.end() ? nullptr : found->second;
}

// Levels follow a geometric distribution (each further level with probability 1/4), drawn
// from the set's own generator: the shape of the list never shows in a reply.
int SortedSet::random_level() {
  level_seed_ ^= level_seed_ << 13;
  level_seed_ ^= level_seed_ >> 7;
  level_seed_ ^= level_seed_ << 17;
  std::uint64_t bits = level_seed_;
  int level = 1;
  while (level < kMaxLevel && (bits & 3) == 0) {
    ++level;
    bits >>= 2;
  }
  return level;
}

void SortedSet::find_predecessors(double score, std::string_view member, Node** update,
                                  size_t* ranks) const {
  Node* x = head_;
  for (int i = level_ - 1; i >= 0; --i) {
    ranks[i] = i == level_ - 1 ? 0 : ranks[i + 1];
    while (x->links()[i].forward && before(x->links()[i].forward, score, member)) {
      ranks[i] += x->links()[i].span;
      x = x->links()[i].forward;
    }
    update[i] = x;
  }
}

void SortedSet::link_node(Node* node) {
  Node* update[kMaxLevel];
  size_t ranks[kMaxLevel];
  find_predecessors(node->score, node->member, update, ranks);
  const int height = node->height;
  if (height > level_) {
    for (int i = level_; i < height; ++i) {
      ranks[i] = 0;
      update[i] = head_;
      head_->links()[i].span = length_;
    }
    level_ = height;
  }
  for (int i = 0; i < height; ++i) {
    Link& before_link = update[i]->links()[i];
    node->links()[i].forward = before_link.forward;
    before_link.forward = node;
    node->links()[i].span = before_link.span - (ranks[0] - ranks[i]);
    before_link.span = ranks[0] - ranks[i] + 1;
  }
  for (int i = height; i < level_; ++i)
    ++update[i]->links()[i].span;
  node->backward = update[0] == head_ ? nullptr : update[0];
  if (node->links()[0].forward) {
    node->links()[0].forward->backward = node;
  } else {
    tail_ = node;
  }
  ++length_;
}

void SortedSet::unlink_node(Node* node, Node** update) {
  for (int i = 0; i < level_; ++i) {
    Link& before_link = update[i]->links()[i];
    if (before_link.forward == node) {
      before_link.span += node->links()[static_cast<size_t>(i)].span - 1;
      before_link.forward = node->links()[static_cast<size_t>(i)].forward;
    } else {
      --before_link.span;
    }
  }
  if (node->links()[0].forward) {
    node->links()[0].forward->backward = node->backward;
  } else {
    tail_ = node->backward;
  }
  while (level_ > 1 && !head_->links()[static_cast<size_t>(level_ - 1)].forward)
    --level_;
  --length_;
}

void SortedSet::detach(Node* node) {
  Node* update[kMaxLevel];
  size_t ranks[kMaxLevel];
  find_predecessors(node->score, node->member, update, ranks);
  unlink_node(node, update);
}

void SortedSet::destroy(Node* node) {
  index_.erase(std::string_view(node->member));
  free_node(node);
}

void SortedSet::note_member_length(size_t length) {
  if (length_ > kListpackMaxEntries || length > kListpackMaxValue) skiplist_ = true;
}

size_t SortedSet::rank_of_node(const Node* node) const {
  const Node* x = head_;
  size_t rank = 0;
  for (int i = level_ - 1; i >= 0; --i) {
    while (x->links()[static_cast<size_t>(i)].forward &&
           !before(node, x->links()[static_cast<size_t>(i)].forward->score,
                   x->links()[static_cast<size_t>(i)].forward->member)) {
      rank += x->links()[static_cast<size_t>(i)].span;
      x = x->links()[static_cast<size_t>(i)].forward;
    }
    if (x == node) return rank - 1;
  }
  return rank - 1;  // not reached for a node of this set
}

// ---- members ----

std::optional<double> SortedSet::score(std::string_view member) const {
  const Node* node = find_node(member);
  if (!node) return std::nullopt;
  return node->score;
}

bool SortedSet::add(std::string_view member, double score) {
  if (Node* node = find_node(member)) {
    if (node->score == score) return false;
    const Node* prev = node->backward;
    const Node* next = node->links()[0].forward;
    // Still between its neighbours: only the score changes.
    if ((!prev || before(prev, score, member)) && (!next || !before(next, score, member))) {
      node->score = score;
      return false;
    }
    detach(node);
    node->score = score;
    link_node(node);
    return false;
  }
  Node* node = new_node(random_level());
  node->member.assign(member);
  node->score = score;
  link_node(node);
  index_.emplace(std::string_view(node->member), node);
  note_member_length(member.size());
  return true;
}

bool SortedSet::remove(std::string_view member) {
  Node* node = find_node(member);
  if (!node) return false;
  detach(node);
  destroy(node);
  return true;
}

// ---- order ----

std::optional<size_t> SortedSet::rank(std::string_view member) const {
  const Node* node = find_node(member);
  if (!node) return std::nullopt;
  return rank_of_node(node);
}

size_t SortedSet::rank_of(const_iterator position) const {
  return rank_of_node(position.node_);
}

SortedSet::const_iterator SortedSet::at_rank(size_t rank) const {
  if (rank >= length_) return end();
  const size_t target = rank + 1;  // spans count 1-based positions
  const Node* x = head_;
  size_t traversed = 0;
  for (int i = level_ - 1; i >= 0; --i) {
    const Link* link = &x->links()[static_cast<size_t>(i)];
    while (link->forward && traversed + link->span <= target) {
      traversed += link->span;
      x = link->forward;
      link = &x->links()[static_cast<size_t>(i)];
    }
    if (traversed == target) return {this, x};
  }
  return end();
}

namespace {

// Shared by score and lex ranges: `above` and `below` test an element against the
// range's ends, `scan` says whether to look linearly (a listpack) or search (a skiplist).
template <class Node, class Above>
const Node* search_first(const Node* head, int level, bool scan, Above above) {
  if (scan) {
    const Node* x = head->links()[0].forward;
    while (x && !above(x))
      x = x->links()[0].forward;
    return x;
  }
  const Node* x = head;
  for (int i = level - 1; i >= 0; --i) {
    while (x->links()[static_cast<size_t>(i)].forward &&
           !above(x->links()[static_cast<size_t>(i)].forward)) {
      x = x->links()[static_cast<size_t>(i)].forward;
    }
  }
  return x->links()[0].forward;
}

template <class Node, class Below>
const Node* search_last(const Node* head, const Node* tail, int level, bool scan, Below below) {
  if (scan) {
    const Node* x = tail;
    while (x && !below(x))
      x = x->backward;
    return x;
  }
  const Node* x = head;
  for (int i = level - 1; i >= 0; --i) {
    while (x->links()[static_cast<size_t>(i)].forward &&
           below(x->links()[static_cast<size_t>(i)].forward)) {
      x = x->links()[static_cast<size_t>(i)].forward;
    }
  }
  return x == head ? nullptr : x;
}

}  // namespace

SortedSet::const_iterator SortedSet::first_in(const ScoreRange& range) const {
  if (range.is_empty() || !tail_ || !range.above_min(tail_->score) ||
      !range.below_max(first_node()->score)) {
    return end();
  }
  const Node* x =
      search_first(head_, level_, false, [&](const Node* n) { return range.above_min(n->score); });
  if (!x || !range.below_max(x->score)) return end();
  return {this, x};
}

SortedSet::const_iterator SortedSet::last_in(const ScoreRange& range) const {
  if (range.is_empty() || !tail_ || !range.above_min(tail_->score) ||
      !range.below_max(first_node()->score)) {
    return end();
  }
  const Node* x = search_last(head_, tail_, level_, false,
                              [&](const Node* n) { return range.below_max(n->score); });
  if (!x || !range.above_min(x->score)) return end();
  return {this, x};
}

SortedSet::const_iterator SortedSet::first_in(const LexRange& range) const {
  if (range.is_empty() || !tail_ || !range.above_min(tail_->member) ||
      !range.below_max(first_node()->member)) {
    return end();
  }
  const Node* x = search_first(head_, level_, is_listpack(),
                               [&](const Node* n) { return range.above_min(n->member); });
  if (!x || !range.below_max(x->member)) return end();
  return {this, x};
}

SortedSet::const_iterator SortedSet::last_in(const LexRange& range) const {
  if (range.is_empty() || !tail_ || !range.above_min(tail_->member) ||
      !range.below_max(first_node()->member)) {
    return end();
  }
  const Node* x = search_last(head_, tail_, level_, is_listpack(),
                              [&](const Node* n) { return range.below_max(n->member); });
  if (!x || !range.above_min(x->member)) return end();
  return {this, x};
}

size_t SortedSet::count_in(const ScoreRange& range) const {
  const const_iterator first = first_in(range);
  if (first == end()) return 0;
  const const_iterator last = last_in(range);
  return last == end() ? 0 : rank_of(last) - rank_of(first) + 1;
}

size_t SortedSet::count_in(const LexRange& range) const {
  const const_iterator first = first_in(range);
  if (first == end()) return 0;
  if (is_listpack()) {
    // A listpack counts forward from the first match while members stay below max.
    size_t count = 0;
    for (const_iterator it = first; it != end() && range.below_max(it->member); ++it)
      ++count;
    return count;
  }
  const const_iterator last = last_in(range);
  if (last == end()) return length_ - rank_of(first);
  const size_t first_rank = rank_of(first);
  const size_t last_rank = rank_of(last);
  return last_rank >= first_rank ? last_rank - first_rank + 1 : 0;
}

// ---- removal of runs ----

template <class Keep>
size_t SortedSet::remove_run(Node* first, Keep keep) {
  if (!first) return 0;
  Node* update[kMaxLevel];
  size_t ranks[kMaxLevel];
  find_predecessors(first->score, first->member, update, ranks);
  // After a node goes, update[] still holds the last node before the next one.
  size_t removed = 0;
  Node* x = first;
  while (x && keep(x)) {
    Node* next = x->links()[0].forward;
    unlink_node(x, update);
    destroy(x);
    ++removed;
    x = next;
  }
  return removed;
}

size_t SortedSet::remove_rank_range(size_t first, size_t last) {
  if (first >= length_ || first > last) return 0;
  const size_t count = (last >= length_ ? length_ - 1 : last) - first + 1;
  size_t left = count;
  const const_iterator start = at_rank(first);
  return remove_run(const_cast<Node*>(start.node_), [&left](const Node*) { return left-- > 0; });
}

size_t SortedSet::remove_range(const ScoreRange& range) {
  const const_iterator start = first_in(range);
  return remove_run(const_cast<Node*>(start.node_),
                    [&range](const Node* n) { return range.below_max(n->score); });
}

size_t SortedSet::remove_range(const LexRange& range) {
  const const_iterator start = first_in(range);
  return remove_run(const_cast<Node*>(start.node_),
                    [&range](const Node* n) { return range.below_max(n->member); });
}

// ---- encoding ----

void SortedSet::fit_encoding() {
  skiplist_ = length_ > kListpackMaxEntries;
  for (const Node* x = first_node(); x && !skiplist_; x = x->links()[0].forward) {
    if (x->member.size() > kListpackMaxValue) skiplist_ = true;
  }
}

}  // namespace redpad
