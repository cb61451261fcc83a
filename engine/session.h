// One client connection: its selected database, its MULTI queue, its WATCHed keys, its
// Pub/Sub subscriptions and, while a blocking command waits, what it waits for.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "value.h"

namespace redpad {

struct CommandSpec;

struct QueuedCommand {
  const CommandSpec* spec;
  std::vector<std::string> args;
};

// A blocking command waiting for a key (BLPOP, BZPOPMIN, XREAD BLOCK...). When one of its
// keys is written, the command is run again for that key alone; until then the client
// sends nothing.
struct BlockedCommand {
  const CommandSpec* spec = nullptr;
  std::vector<std::string> args;  // as sent, with XREAD's '$' replaced by the ID it meant
  std::vector<std::string> keys;  // in the command's order
  int db = 0;
  ValueType type = ValueType::List;  // a key holding another type does not serve it
  std::int64_t since_ms = 0;
  std::int64_t timeout_at_ms = 0;  // 0: no timeout
  std::uint64_t order = 0;         // when it blocked, among all clients: ties break on it
};

struct ClientSession {
  std::uint64_t id = 0;
  std::string name;   // CLIENT SETNAME
  std::string label;  // the script's name for it (`@worker-2`); "main" for the first
  int db = 0;
  std::int64_t created_ms = 0;                // CLIENT LIST's age
  std::int64_t last_command_ms = 0;           // and idle
  const CommandSpec* last_command = nullptr;  // and cmd= (its full name; "NULL" before any)

  // MULTI state
  bool in_multi = false;
  bool multi_error = false;  // a command was refused while queuing: EXEC answers EXECABORT
  std::vector<QueuedCommand> queued;
  bool in_exec = false;    // EXEC is running the queue (commands must not block now)
  bool in_script = false;  // the client of a script's redis.call (never blocks either)

  // WATCH state: (db, key) pairs; dirty once any of them is written.
  std::vector<std::pair<int, std::string>> watched;
  bool watch_dirty = false;

  // Pub/Sub, in the order subscribed.
  std::vector<std::string> channels;
  std::vector<std::string> patterns;
  std::vector<std::string> shard_channels;
  // In RESP2 a client with any subscription may only (un)subscribe, PING, QUIT or RESET.
  bool subscribed() const {
    return !channels.empty() || !patterns.empty() || !shard_channels.empty();
  }

  std::optional<BlockedCommand> blocked;
};

}  // namespace redpad
