// What each command did to the keyspace, for the page's step timeline: the keys a command
// (or a served blocked command, or an expiry) added, changed or deleted, each with a small
// summary before and after. It listens to the server only while the page asks for steps
// (Sandbox::set_record_steps); the CLI and run_display never attach one.
//
// The summary a key had before a step is the one this log saw last: it learns every key
// when it attaches and follows each change after. Past kMaxFollowed keys it stops following
// (a DEBUG POPULATE of a million keys): changes are still listed, their `before` unknown.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "key_table.h"
#include "keyspace_observer.h"
#include "value.h"

namespace redpad {

class Server;
struct Entry;

// The part of a key the timeline shows before and after a step.
struct KeySummary {
  ValueType type = ValueType::String;
  const char* encoding = "";  // a static name (encoding_name)
  size_t size = 0;            // elements; bytes for a string
  std::int64_t expire_at_ms = -1;
};
KeySummary summarize(const Entry& entry);

// The inspector's short lines for a value: "\"a\"" for elements, "\"field\": \"value\"" for
// hashes, "\"member\" (score)" for sorted sets, "1-0 field value" for streams.
std::vector<std::string> preview_lines(const Value& value);

struct KeyChange {
  enum class Kind { Added, Changed, Deleted, Expired };
  Kind kind = Kind::Changed;
  int db = 0;
  std::string key;
  std::optional<KeySummary> before;  // none: did not exist (or not known)
  std::optional<KeySummary> after;   // none: does not exist
  std::vector<std::string> preview;  // preview_lines of the value after
  std::int64_t at_ms = 0;            // Expired: the time the key had
};

// A client whose transaction a change doomed (its WATCHed key changed).
struct BrokenWatch {
  std::uint64_t watcher_id = 0;
  int db = 0;
  std::string key;
};

// What one step did.
struct StepChanges {
  std::vector<KeyChange> changes;  // sorted by database, then key; at most kMaxListed
  size_t omitted = 0;              // changed keys beyond kMaxListed
  bool database_replaced = false;  // FLUSHDB, FLUSHALL, SWAPDB
  std::vector<BrokenWatch> broken_watches;
};

class ChangeLog final : public KeyspaceObserver {
 public:
  static constexpr size_t kMaxListed = 100;
  static constexpr size_t kMaxFollowed = 100000;

  // Attaches to the server and learns its keys; detaches when destroyed.
  explicit ChangeLog(Server& server);
  ~ChangeLog() override;
  ChangeLog(const ChangeLog&) = delete;
  ChangeLog& operator=(const ChangeLog&) = delete;

  // What the commands run since the last call changed (not counting served blocked
  // commands, which take_served gives), and, for the expiries seen since, one step each in
  // the order they happened.
  StepChanges take_command();
  StepChanges take_served(std::uint64_t client_id);
  std::vector<StepChanges> take_expiries();
  bool following() const { return following_; }
  // Off: the steps that follow are not shown (a Run's lines past max_results): changes are
  // not followed one by one; back on, the log learns the keys again, once.
  void set_detailed(bool on);
  // Nothing to take: no change, expiry or broken WATCH noted since the last take.
  bool quiet() const {
    return command_pending_.touched.empty() && command_pending_.replaced.empty() &&
           command_pending_.broken.empty() && command_done_.step.changes.empty() &&
           command_done_.step.broken_watches.empty() && served_done_.empty() && expiries_.empty();
  }

  void key_modified(int db_index, const std::string& key) override;
  void key_expiring(int db_index, const std::string& key, const Entry& entry) override;
  void database_replaced(int db_index) override;
  void watch_broken(const ClientSession& watcher, int db_index, const std::string& key) override;
  void serving_begins(const ClientSession& client) override;
  void serving_ends() override;

 private:
  // Changes noted but not yet compared with what the log knew.
  struct Pending {
    std::vector<std::pair<int, std::string>> touched;
    std::vector<int> replaced;
    std::vector<BrokenWatch> broken;
    size_t uncounted = 0;  // touched keys not kept once the log stopped following
  };
  // A step being put together, and where each of its keys is in it (once it has many).
  struct Collecting {
    StepChanges step;
    KeyTable<size_t> index;  // "db\nkey" -> position in step.changes
  };
  Pending& pending() { return serving_ ? served_pending_ : command_pending_; }
  void settle(Pending& from, Collecting& into);
  void settle_key(int db_index, const std::string& key, Collecting& into);
  void settle_database(int db_index, Collecting& into);
  void settle_database_known(int db_index);
  void record(Collecting& into, int db_index, const std::string& key,
              const std::optional<KeySummary>& before, const std::optional<KeySummary>& after,
              const Entry* entry);
  KeyChange* find(Collecting& into, int db_index, const std::string& key);
  static void index(Collecting& into, size_t position);
  void forget(int db_index, const std::string& key);  // an expired key
  void stop_following();
  StepChanges finish(Collecting& collected);
  Collecting& served_by(std::uint64_t client_id);

  Server& server_;
  std::vector<KeyTable<KeySummary>> known_;  // per database (the keyspace's own table type)
  size_t known_count_ = 0;
  bool following_ = true;
  bool paused_ = false;  // set_detailed(false)

  Pending command_pending_;
  Collecting command_done_;
  bool serving_ = false;
  std::uint64_t serving_client_ = 0;
  Pending served_pending_;
  std::vector<std::pair<std::uint64_t, Collecting>> served_done_;  // by client id
  std::vector<StepChanges> expiries_;
  // The key being deleted for its expiry: its own key_modified and watch_broken belong to
  // the expiry's step.
  std::optional<std::pair<int, std::string>> expiring_;
  bool last_was_expiry_ = false;
};

}  // namespace redpad
