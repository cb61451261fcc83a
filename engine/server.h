// A Redis server in a box: 16 databases, a virtual clock, client sessions and the command
// table. No I/O, no globals: a host (CLI, page, test) makes as many as it likes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "clock.h"
#include "command_table.h"
#include "database.h"
#include "random.h"
#include "reply.h"
#include "session.h"

namespace redpad {

struct ServerConfig {
  int databases = 16;
  std::int64_t start_time_ms = 0;  // the virtual clock's first reading
  std::uint64_t seed = 0;          // for RANDOMKEY and friends
  std::uint64_t proto_max_bulk_len = 512ull * 1024 * 1024;
  // Writes are refused with Redis's OOM error once the heap holds more than this many
  // bytes (0: no limit, Redis's default; the page sets 64 MB). Only noeviction exists here.
  std::uint64_t maxmemory = 0;
};

struct ServerStats {
  std::uint64_t commands_processed = 0;
  std::uint64_t expired_keys = 0;
  std::uint64_t keyspace_hits = 0;
  std::uint64_t keyspace_misses = 0;
};

class Server {
 public:
  explicit Server(ServerConfig config = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // A new server holding a copy of this one's data, clock, random state and statistics, with
  // fresh client sessions: lesson checks look at it ("after 61 s, ...") without touching
  // the learner's server.
  std::unique_ptr<Server> clone_state() const;

  // Sessions. The first one is created with the server.
  ClientSession& default_session() { return *sessions_.begin()->second; }
  ClientSession& create_session(std::string name = {});
  void close_session(std::uint64_t id);

  // Runs one command (name and arguments) for a client and returns Redis's reply.
  Reply execute(ClientSession& session, const std::vector<std::string>& args);

  VirtualClock& clock() { return clock_; }
  const VirtualClock& clock() const { return clock_; }
  const ServerConfig& config() const { return config_; }
  ServerConfig& config() { return config_; }  // CONFIG SET

  // maxmemory: the heap already holds more than it allows (Redis then refuses commands
  // flagged denyoom), or would after `growth` more bytes (what commands that can grow a
  // value by a huge amount at once, such as SETRANGE, check first so no single command
  // can exhaust the browser tab).
  bool over_maxmemory() const;
  bool would_exceed_maxmemory(std::uint64_t growth) const;
  const ServerStats& stats() const { return stats_; }
  ServerStats& stats() { return stats_; }
  const CommandTable& commands() const { return *commands_; }
  Random& random() { return random_; }

  int database_count() const { return static_cast<int>(databases_.size()); }
  Database& db(int index) { return databases_[static_cast<size_t>(index)]; }
  const Database& db(int index) const { return databases_[static_cast<size_t>(index)]; }

  // The key's entry unless it is missing or expired at `now_ms` (an expired key is deleted).
  Entry* lookup(int db_index, const std::string& key, std::int64_t now_ms);

  // WATCH bookkeeping: a write to a watched key makes its watchers' EXEC fail.
  void watch(ClientSession& session, int db_index, const std::string& key);
  void unwatch_all(ClientSession& session);
  void signal_modified(int db_index, const std::string& key);
  // Before a database is emptied or swapped: touches watched keys that exist in it
  // (or in `replacement`, the database taking its place).
  void signal_db_replaced(int db_index, const Database* replacement = nullptr);
  void swap_databases(int first, int second);

  // Deletes every key whose time has passed, oldest first (what Redis's cron would do).
  void sweep_expired(std::int64_t now_ms);

  // Runs a command that is known to exist with the right arity (EXEC uses it too, passing
  // the time its transaction started as key_time_ms).
  Reply call(const CommandSpec& spec, ClientSession& session, const std::vector<std::string>& args,
             std::int64_t now_ms, std::int64_t key_time_ms);

  std::int64_t start_time_ms() const { return config_.start_time_ms; }

 private:
  void delete_expired(int db_index, const std::string& key);

  ServerConfig config_;
  VirtualClock clock_;
  const CommandTable* commands_;
  std::vector<Database> databases_;
  // Per database: key -> sessions watching it.
  std::vector<std::unordered_map<std::string, std::vector<ClientSession*>>> watchers_;
  std::map<std::uint64_t, std::unique_ptr<ClientSession>> sessions_;
  std::uint64_t next_session_id_ = 1;
  Random random_;
  ServerStats stats_;
};

}  // namespace redpad
