// What a command handler sees: the server, the calling client, its arguments and the time
// (read once per command). Inside EXEC, keys keep expiring against the time EXEC started
// (key_time_ms) while the clock itself (now_ms) moves on, as in Redis 7.0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server.h"

namespace redpad {

struct CommandContext {
  Server& server;
  ClientSession& session;
  const std::vector<std::string>& args;
  const CommandSpec& spec;
  std::int64_t now_ms;       // the clock when the command started (TIME, EX, TTL...)
  std::int64_t key_time_ms;  // what "expired" is judged against

  Database& db() { return server.db(session.db); }
  int db_index() const { return session.db; }

  // The live entry for a key (expired keys are deleted on the way).
  Entry* lookup(const std::string& key) { return server.lookup(session.db, key, key_time_ms); }
  // The same in another database (COPY, MOVE).
  Entry* lookup_in(int db_index, const std::string& key) {
    return server.lookup(db_index, key, key_time_ms);
  }
  // Like lookup, but counts a keyspace hit or miss (reads of values).
  Entry* lookup_read(const std::string& key) {
    Entry* entry = lookup(key);
    ++(entry ? server.stats().keyspace_hits : server.stats().keyspace_misses);
    return entry;
  }
  // Every write to a key goes through here, so WATCH sees it.
  void modified(const std::string& key) { server.signal_modified(session.db, key); }
  void modified(int db_index, const std::string& key) { server.signal_modified(db_index, key); }
};

}  // namespace redpad
