// What the server tells an observer about its keyspace while commands run: the page's step
// timeline (change_log.h) listens; without an observer the server pays one null check.
#pragma once

#include <cstdint>
#include <string>

namespace redpad {

struct Entry;
struct ClientSession;

class KeyspaceObserver {
 public:
  virtual ~KeyspaceObserver() = default;
  // A key was written or deleted (where Redis signals a modified key: what WATCH sees).
  virtual void key_modified(int db_index, const std::string& key) = 0;
  // A key's time has passed and it is about to be deleted; `entry` is still there.
  virtual void key_expiring(int db_index, const std::string& key, const Entry& entry) = 0;
  // A whole database is about to be emptied or swapped (FLUSHDB, FLUSHALL, SWAPDB).
  virtual void database_replaced(int db_index) = 0;
  // A write made `watcher`'s transaction fail: the first change to one of its WATCHed keys.
  virtual void watch_broken(const ClientSession& watcher, int db_index, const std::string& key) = 0;
  // A blocked client's command runs again (served by a write): what it changes is its own,
  // until serving_ends.
  virtual void serving_begins(const ClientSession& client) = 0;
  virtual void serving_ends() = 0;
};

}  // namespace redpad
