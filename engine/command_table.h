// The command table: one row per command (name, arity, flags, handler), joined with its
// documentation (group, since, summary, complexity, syntax) captured from Redis 7.0.
// Unknown commands and arity errors are raised centrally from it, before any handler runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "key_table.h"
#include "reply.h"

namespace redpad {

struct CommandContext;
using CommandHandler = Reply (*)(CommandContext&);

// Redis's command flags (the ones this engine acts on or reports).
enum CommandFlag : std::uint32_t {
  kWrite = 1u << 0,
  kReadonly = 1u << 1,
  kDenyOom = 1u << 2,
  kAdmin = 1u << 3,
  kNoScript = 1u << 4,
  kLoading = 1u << 5,
  kStale = 1u << 6,
  kFast = 1u << 7,
  kAllowBusy = 1u << 8,
  kNoAuth = 1u << 9,
  kSkipSlowlog = 1u << 10,
  // Runs at once inside MULTI instead of being queued (EXEC, DISCARD, MULTI, WATCH...).
  kTransactionControl = 1u << 11,
};

// What a group file writes for each command. Subcommands are named "parent|sub".
struct CommandRow {
  const char* name;
  int arity;  // Redis convention: N = exactly N arguments with the name, -N = at least N
  std::uint32_t flags;
  CommandHandler handler;  // nullptr for a container such as OBJECT
};

// Documentation captured from the real server (engine/command_docs.inc).
struct CommandDoc {
  const char* name;        // "set", "object|encoding"
  const char* group;       // "string", "generic", ...
  const char* since;       // "1.0.0"
  const char* summary;     // one line
  const char* complexity;  // "O(1)"
  const char* syntax;      // redis-cli's help line: "key value [NX|XX] ..."
  const char* docs_json;   // the full COMMAND DOCS entry, as JSON
};

struct CommandSpec {
  std::string name;  // lower case; "object|encoding" for a subcommand
  int arity = 0;
  std::uint32_t flags = 0;
  CommandHandler handler = nullptr;
  const CommandDoc* doc = nullptr;
  std::vector<CommandSpec> subcommands;

  bool has(CommandFlag flag) const { return (flags & flag) != 0; }
  bool accepts_argument_count(size_t count) const {
    return arity >= 0 ? count == static_cast<size_t>(arity) : count >= static_cast<size_t>(-arity);
  }
  // "SET", "OBJECT ENCODING": the name as redis-cli's help shows it.
  std::string display_name() const;
  const CommandSpec* find_subcommand(std::string_view name) const;
};

class CommandTable {
 public:
  void add(const CommandRow& row);
  void add_all(const std::vector<CommandRow>& rows);

  const CommandSpec* find(std::string_view name) const;  // case-insensitive
  const std::vector<CommandSpec>& all() const { return commands_; }
  size_t size() const { return commands_.size(); }

 private:
  std::vector<CommandSpec> commands_;
  KeyTable<size_t> index_;  // lower-case name -> position
};

const CommandDoc* find_command_doc(std::string_view name);
const std::vector<CommandDoc>& all_command_docs();

// The table of every command this engine implements, built once (it is constant).
const CommandTable& builtin_command_table();

// Each group file registers its rows here.
std::vector<CommandRow> string_command_rows();
std::vector<CommandRow> generic_command_rows();
std::vector<CommandRow> server_command_rows();
std::vector<CommandRow> transaction_command_rows();
std::vector<CommandRow> list_command_rows();
std::vector<CommandRow> hash_command_rows();
std::vector<CommandRow> set_command_rows();
std::vector<CommandRow> zset_command_rows();
std::vector<CommandRow> bitmap_command_rows();
std::vector<CommandRow> hyperloglog_command_rows();
std::vector<CommandRow> stream_command_rows();
std::vector<CommandRow> connection_command_rows();
std::vector<CommandRow> admin_command_rows();
std::vector<CommandRow> pubsub_command_rows();
std::vector<CommandRow> sort_command_rows();
std::vector<CommandRow> geo_command_rows();
std::vector<CommandRow> scripting_command_rows();

}  // namespace redpad
