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
#include "keyspace_observer.h"
#include "random.h"
#include "reply.h"
#include "session.h"

namespace redpad {

struct CommandContext;
class ScriptVM;

struct ServerConfig {
  int databases = 16;
  std::int64_t start_time_ms = 0;  // the virtual clock's first reading
  std::uint64_t seed = 0;          // for RANDOMKEY and friends
  std::uint64_t proto_max_bulk_len = 512ull * 1024 * 1024;
  // Writes are refused with Redis's OOM error once the heap holds more than this many
  // bytes (0: no limit, Redis's default; the page sets 64 MB). Only noeviction exists here.
  std::uint64_t maxmemory = 0;
  // Lua VM instructions an EVAL may run before it is stopped (scripting/lua_vm.h).
  std::uint64_t script_instructions = 100'000'000;
  // Real time after which a script is stopped whatever its budget says: a net for the work
  // the budget cannot see (ScriptLimits::time_ms). 0: none.
  std::uint64_t script_time_ms = 60'000;
};

// Something a client receives without having just asked for it: the answer of its blocked
// command (served by another client's write, its timeout passed, CLIENT UNBLOCK) or a
// Pub/Sub message.
struct Delivery {
  enum class Cause { Served, Timeout, Unblocked, Message };
  std::uint64_t client_id = 0;
  Cause cause = Cause::Message;
  Reply reply;
  BlockedCommand command;  // what was waiting (not for messages)
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
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // A new server holding a copy of this one's data, clock, random state and statistics, with
  // fresh client sessions: lesson checks look at it ("after 61 s, ...") without touching
  // the learner's server.
  std::unique_ptr<Server> clone_state() const;

  // Sessions, in order of connection. The first one is created with the server.
  ClientSession& default_session() { return *sessions_.begin()->second; }
  const ClientSession& default_session() const { return *sessions_.begin()->second; }
  ClientSession& create_session(std::string label = {});
  // Disconnects a client: its subscriptions, WATCHes and blocked command go with it. The
  // first session stays.
  void close_session(std::uint64_t id);
  ClientSession* find_session(std::uint64_t id);
  std::vector<const ClientSession*> sessions() const;

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
  // Clients blocked on the key look at it again after this command (signal_modified does
  // this too; XGROUP DESTROY only this, as it touches no WATCH).
  void signal_key_ready(int db_index, const std::string& key);
  // Before a database is emptied or swapped: touches watched keys that exist in it
  // (or in `replacement`, the database taking its place).
  void signal_db_replaced(int db_index, const Database* replacement = nullptr);
  void swap_databases(int first, int second);

  // ---- blocking commands ----
  // Blocks the calling client (a handler returns the Reply::blocked() this gives): it waits
  // for one of `keys` (in its database) to hold `type` until `timeout_at_ms` (0: for ever).
  // `args` is the command to run again when served (XREAD with '$' already resolved).
  Reply block(CommandContext& ctx, std::vector<std::string> keys, ValueType type,
              std::int64_t timeout_at_ms, std::vector<std::string> args);
  // Serves blocked clients whose keys were written (after each command, as Redis does).
  void serve_ready_keys();
  // Clients whose timeout has come get their null reply, earliest first.
  void unblock_timed_out() {
    if (blocked_count_ != 0) unblock_due();
  }
  // Ends a client's wait with `reply` (CLIENT UNBLOCK, a disconnect passes no delivery).
  void unblock(ClientSession& session, Delivery::Cause cause, Reply reply);
  size_t blocked_count() const { return blocked_count_; }
  // The earliest timeout of a blocked client, or 0 if none waits with a timeout.
  std::int64_t next_timeout_ms() const;
  // While a blocked command is run again for one of its keys, that key: the handler looks
  // at it alone and must not block again.
  const std::string* serving_key() const { return serving_key_; }

  // ---- Pub/Sub ----
  enum class ChannelKind { Channel, Pattern, Shard };
  // False when the client already had (or did not have) that subscription.
  bool subscribe(ClientSession& session, ChannelKind kind, const std::string& name);
  bool unsubscribe(ClientSession& session, ChannelKind kind, const std::string& name);
  // Delivers a message; returns how many clients received it.
  long long publish(const std::string& channel, const std::string& message, bool shard);
  // Channels with subscribers (sorted), and a channel's subscriber count.
  std::vector<std::string> active_channels(bool shard) const;
  long long subscriber_count(const std::string& channel, bool shard) const;
  long long pattern_count() const { return static_cast<long long>(patterns_.size()); }

  // What clients received since the last call, in order.
  bool has_deliveries() const { return !deliveries_.empty(); }
  std::vector<Delivery> take_deliveries();

  // Deletes every key whose time has passed, oldest first (what Redis's cron would do).
  void sweep_expired(std::int64_t now_ms);

  // Runs a command that is known to exist with the right arity (EXEC uses it too, passing
  // the time its transaction started as key_time_ms).
  Reply call(const CommandSpec& spec, ClientSession& session, const std::vector<std::string>& args,
             std::int64_t now_ms, std::int64_t key_time_ms);

  std::int64_t start_time_ms() const { return config_.start_time_ms; }

  // Who hears of every change to the keyspace (the page's step timeline); null: nobody.
  void set_observer(KeyspaceObserver* observer) { observer_ = observer; }

  // ---- scripting ----
  // The script cache (SHA-1 -> body): EVAL and SCRIPT LOAD add, SCRIPT FLUSH empties it.
  std::map<std::string, std::string>& scripts() { return scripts_; }
  // The script engine, made on the first script; null when this build has none.
  ScriptVM* scripting();

 private:
  void delete_expired(int db_index, const std::string& key);
  void forget_blocked(ClientSession& session);
  void unblock_due();
  Reply subscribed_state_error(const CommandSpec& spec) const;

  ServerConfig config_;
  VirtualClock clock_;
  const CommandTable* commands_;
  std::vector<Database> databases_;
  // Per database: key -> sessions watching it.
  std::vector<std::unordered_map<std::string, std::vector<ClientSession*>>> watchers_;
  std::map<std::uint64_t, std::unique_ptr<ClientSession>> sessions_;
  std::uint64_t next_session_id_ = 1;
  // Per database: key -> clients blocked on it, first blocked first.
  std::vector<std::unordered_map<std::string, std::vector<ClientSession*>>> blocked_on_;
  std::vector<std::pair<int, std::string>> ready_keys_;  // written while clients wait on them
  size_t blocked_count_ = 0;
  std::uint64_t block_order_ = 0;
  const std::string* serving_key_ = nullptr;
  // Pub/Sub: channel -> subscribers in the order they subscribed; patterns in the order
  // first subscribed.
  std::map<std::string, std::vector<ClientSession*>> channels_;
  std::map<std::string, std::vector<ClientSession*>> shard_channels_;
  std::vector<std::pair<std::string, std::vector<ClientSession*>>> patterns_;
  std::vector<Delivery> deliveries_;
  Random random_;
  ServerStats stats_;
  std::map<std::string, std::string> scripts_;
  std::unique_ptr<ScriptVM> scripting_;
  KeyspaceObserver* observer_ = nullptr;
};

}  // namespace redpad
