// One client connection: its selected database, its MULTI queue and its WATCHed keys.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace redpad {

struct CommandSpec;

struct QueuedCommand {
  const CommandSpec* spec;
  std::vector<std::string> args;
};

struct ClientSession {
  std::uint64_t id = 0;
  std::string name;
  int db = 0;

  // MULTI state
  bool in_multi = false;
  bool multi_error = false;  // a command was refused while queuing: EXEC answers EXECABORT
  std::vector<QueuedCommand> queued;
  bool in_exec = false;  // EXEC is running the queue (commands must not block now)

  // WATCH state: (db, key) pairs; dirty once any of them is written.
  std::vector<std::pair<int, std::string>> watched;
  bool watch_dirty = false;
};

}  // namespace redpad
