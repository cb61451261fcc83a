#include "change_log.h"

#include <algorithm>

#include "database.h"
#include "reply_cli.h"
#include "server.h"
#include "session.h"

namespace redpad {

namespace {

constexpr size_t kPreviewItems = 5;
constexpr size_t kPreviewStringBytes = 64;
// Keys one step may touch before the log stops following (DEBUG POPULATE): each costs a
// copy of its name until the step is settled.
constexpr size_t kMaxTouched = 10000;
// Below this many changes a step is searched in order; above, through an index.
constexpr size_t kLinearSearch = 8;

// A short quoted text, as redis-cli would show it, cut after kPreviewStringBytes.
std::string shown(const std::string& bytes) {
  if (bytes.size() <= kPreviewStringBytes) return quote_bulk_cli(bytes);
  return quote_bulk_cli(bytes.substr(0, kPreviewStringBytes)) + "...";
}

KeyChange::Kind kind_of(const std::optional<KeySummary>& before,
                        const std::optional<KeySummary>& after, bool following) {
  if (after) return before || !following ? KeyChange::Kind::Changed : KeyChange::Kind::Added;
  return KeyChange::Kind::Deleted;
}

bool same_summary(const KeySummary& a, const KeySummary& b) {
  return a.type == b.type && a.encoding == b.encoding && a.size == b.size &&
         a.expire_at_ms == b.expire_at_ms;
}

}  // namespace

KeySummary summarize(const Entry& entry) {
  const Value& value = entry.value;
  KeySummary summary;
  summary.type = value.type;
  summary.encoding = encoding_name(value);
  summary.size = value.aggregate ? value.aggregate->element_count() : value.str.size();
  summary.expire_at_ms = entry.expire_at_ms;
  return summary;
}

std::vector<std::string> preview_lines(const Value& value) {
  std::vector<std::string> items;
  if (value.type == ValueType::String) {
    items.push_back(shown(value.str));
    return items;
  }
  if (!value.aggregate) return items;
  const std::vector<std::string> raw = value.aggregate->preview_items(kPreviewItems);
  const bool paired = value.type == ValueType::Hash || value.type == ValueType::ZSet ||
                      value.type == ValueType::Stream;
  if (!paired) {
    for (const std::string& item : raw)
      items.push_back(shown(item));
    return items;
  }
  for (size_t i = 0; i + 1 < raw.size(); i += 2) {
    if (value.type == ValueType::Hash) items.push_back(shown(raw[i]) + ": " + shown(raw[i + 1]));
    if (value.type == ValueType::ZSet) items.push_back(shown(raw[i]) + " (" + raw[i + 1] + ")");
    if (value.type == ValueType::Stream)
      items.push_back(raw[i] + " " + raw[i + 1].substr(0, kPreviewStringBytes));
  }
  return items;
}

ChangeLog::ChangeLog(Server& server) : server_(server) {
  known_.resize(static_cast<size_t>(server.database_count()));
  for (int i = 0; i < server.database_count() && following_; ++i)
    settle_database_known(i);
  server_.set_observer(this);
}

ChangeLog::~ChangeLog() {
  server_.set_observer(nullptr);
}

// ---- what the server reports ----

void ChangeLog::key_modified(int db_index, const std::string& key) {
  if (paused_) return;
  if (expiring_ && expiring_->first == db_index && expiring_->second == key) {
    expiring_.reset();  // the expiry's own step has it
    last_was_expiry_ = true;
    return;
  }
  expiring_.reset();
  last_was_expiry_ = false;
  Pending& into = pending();
  if (!into.touched.empty() && into.touched.back().first == db_index &&
      into.touched.back().second == key) {
    return;  // the same key signalled again by one command
  }
  if (following_ && into.touched.size() >= kMaxTouched) stop_following();
  if (!following_ && into.touched.size() >= kMaxListed) {
    ++into.uncounted;
    return;
  }
  into.touched.emplace_back(db_index, key);
}

void ChangeLog::key_expiring(int db_index, const std::string& key, const Entry& entry) {
  if (paused_) return;
  StepChanges step;
  KeyChange change;
  change.kind = KeyChange::Kind::Expired;
  change.db = db_index;
  change.key = key;
  change.before = summarize(entry);
  change.at_ms = entry.expire_at_ms;
  step.changes.push_back(std::move(change));
  expiries_.push_back(std::move(step));
  forget(db_index, key);
  expiring_.emplace(db_index, key);
}

void ChangeLog::database_replaced(int db_index) {
  if (paused_) return;
  expiring_.reset();
  last_was_expiry_ = false;
  std::vector<int>& replaced = pending().replaced;
  if (std::find(replaced.begin(), replaced.end(), db_index) == replaced.end()) {
    replaced.push_back(db_index);
  }
}

void ChangeLog::watch_broken(const ClientSession& watcher, int db_index, const std::string& key) {
  BrokenWatch broken{watcher.id, db_index, key};
  if (last_was_expiry_ && !expiries_.empty()) {
    expiries_.back().broken_watches.push_back(std::move(broken));
  } else {
    pending().broken.push_back(std::move(broken));
  }
}

void ChangeLog::serving_begins(const ClientSession& client) {
  settle(command_pending_, command_done_);  // the write that serves it is done
  serving_ = true;
  serving_client_ = client.id;
  expiring_.reset();
  last_was_expiry_ = false;
}

void ChangeLog::serving_ends() {
  settle(served_pending_, served_by(serving_client_));
  serving_ = false;
}

// ---- what the sandbox takes ----

void ChangeLog::set_detailed(bool on) {
  if (on == !paused_) return;
  paused_ = !on;
  if (paused_) return;
  following_ = true;
  known_count_ = 0;
  for (int i = 0; i < server_.database_count() && following_; ++i)
    settle_database_known(i);
}

StepChanges ChangeLog::take_command() {
  settle(command_pending_, command_done_);
  return finish(command_done_);
}

StepChanges ChangeLog::take_served(std::uint64_t client_id) {
  for (auto it = served_done_.begin(); it != served_done_.end(); ++it) {
    if (it->first != client_id) continue;
    StepChanges step = finish(it->second);
    served_done_.erase(it);
    return step;
  }
  return {};
}

std::vector<StepChanges> ChangeLog::take_expiries() {
  std::vector<StepChanges> taken = std::move(expiries_);
  expiries_.clear();
  return taken;
}

// ---- comparing with what the log knew ----

void ChangeLog::settle(Pending& from, Collecting& into) {
  for (const auto& [db_index, key] : from.touched)
    settle_key(db_index, key, into);
  for (int db_index : from.replaced)
    settle_database(db_index, into);
  if (!from.replaced.empty()) into.step.database_replaced = true;
  for (BrokenWatch& broken : from.broken)
    into.step.broken_watches.push_back(std::move(broken));
  into.step.omitted += from.uncounted;
  // Cleared, not replaced: the next command reuses the room.
  from.touched.clear();
  from.replaced.clear();
  from.broken.clear();
  from.uncounted = 0;
}

void ChangeLog::settle_key(int db_index, const std::string& key, Collecting& into) {
  const Entry* entry = server_.db(db_index).find(key);
  std::optional<KeySummary> after;
  if (entry) after = summarize(*entry);
  if (!following_) {
    record(into, db_index, key, std::nullopt, after, entry);
    return;
  }
  // One lookup serves both: what the key was, and what it is now.
  auto& known = known_[static_cast<size_t>(db_index)];
  auto* found = known.find(key);
  std::optional<KeySummary> before;
  if (found) before = found->second;
  record(into, db_index, key, before, after, entry);
  if (!after) {
    if (found) {
      known.erase(key);
      --known_count_;
    }
  } else if (found) {
    found->second = *after;
  } else {
    known.try_emplace(key).first->second = *after;
    if (++known_count_ > kMaxFollowed) stop_following();
  }
}

void ChangeLog::record(Collecting& into, int db_index, const std::string& key,
                       const std::optional<KeySummary>& before,
                       const std::optional<KeySummary>& after, const Entry* entry) {
  KeyChange* change = find(into, db_index, key);
  if (!change) {
    if (!before && !after && following_) return;  // made and gone within the step
    into.step.changes.emplace_back();
    change = &into.step.changes.back();
    change->db = db_index;
    change->key = key;
    change->before = before;
  }
  change->after = after;
  change->kind = kind_of(change->before, change->after, following_);
  change->preview.clear();
  if (entry) change->preview = preview_lines(entry->value);
}

KeyChange* ChangeLog::find(Collecting& into, int db_index, const std::string& key) {
  std::vector<KeyChange>& changes = into.step.changes;
  if (changes.size() <= kLinearSearch) {
    for (KeyChange& change : changes) {
      if (change.db == db_index && change.key == key) return &change;
    }
    return nullptr;
  }
  // Changes are only appended: the index covers a prefix of them, and catches up here.
  for (size_t i = into.index.size(); i < changes.size(); ++i)
    index(into, i);
  const auto* found = into.index.find(std::to_string(db_index) + '\n' + key);
  return found ? &changes[found->second] : nullptr;
}

void ChangeLog::index(Collecting& into, size_t position) {
  const KeyChange& change = into.step.changes[position];
  into.index.try_emplace(std::to_string(change.db) + '\n' + change.key).first->second = position;
}

// A database emptied or swapped: every key it held or holds now, against what was known.
void ChangeLog::settle_database(int db_index, Collecting& into) {
  if (!following_) return;
  const Database& db = server_.db(db_index);
  auto& known = known_[static_cast<size_t>(db_index)];
  for (const auto& [key, summary] : known) {
    if (!db.find(key)) record(into, db_index, key, summary, std::nullopt, nullptr);
  }
  for (const auto& [key, entry] : db.entries()) {
    const KeySummary after = summarize(entry);
    const auto* found = known.find(key);
    if (!found) {
      record(into, db_index, key, std::nullopt, after, &entry);
    } else if (!same_summary(found->second, after)) {
      record(into, db_index, key, found->second, after, &entry);
    }
  }
  settle_database_known(db_index);
}

void ChangeLog::settle_database_known(int db_index) {
  auto& known = known_[static_cast<size_t>(db_index)];
  known_count_ -= known.size();
  known.clear();
  const Database& db = server_.db(db_index);
  if (known_count_ + db.size() > kMaxFollowed) {
    stop_following();
    return;
  }
  for (const auto& [key, entry] : db.entries())
    known.try_emplace(key).first->second = summarize(entry);
  known_count_ += known.size();
}

void ChangeLog::forget(int db_index, const std::string& key) {
  if (following_ && known_[static_cast<size_t>(db_index)].erase(key)) --known_count_;
}

void ChangeLog::stop_following() {
  following_ = false;
  for (auto& known : known_)
    known.clear();
  known_count_ = 0;
}

ChangeLog::Collecting& ChangeLog::served_by(std::uint64_t client_id) {
  for (auto& [id, collecting] : served_done_) {
    if (id == client_id) return collecting;
  }
  served_done_.emplace_back(client_id, Collecting{});
  return served_done_.back().second;
}

// The step's changes sorted by database and key, at most kMaxListed. Sorted as strings
// (the database's number as a first byte, then the key): the engine's one sort of strings
// serves, rather than a sort of its own (the WebAssembly engine's size).
StepChanges ChangeLog::finish(Collecting& collected) {
  std::vector<std::string> order;
  order.reserve(collected.step.changes.size());
  for (const KeyChange& change : collected.step.changes) {
    // A key made and deleted within the step is not a change.
    if (!following_ || change.before || change.after) {
      order.push_back(static_cast<char>(change.db) + change.key);
    }
  }
  std::sort(order.begin(), order.end());
  StepChanges step;
  step.omitted = collected.step.omitted;
  step.database_replaced = collected.step.database_replaced;
  step.broken_watches = std::move(collected.step.broken_watches);
  const size_t listed = std::min(order.size(), kMaxListed);
  step.omitted += order.size() - listed;
  step.changes.reserve(listed);
  for (size_t i = 0; i < listed; ++i) {
    const int db_index = static_cast<unsigned char>(order[i][0]);
    step.changes.push_back(*find(collected, db_index, order[i].substr(1)));
  }
  collected.step = StepChanges{};
  collected.index.clear();
  return step;
}

}  // namespace redpad
