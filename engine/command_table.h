// The command table: what this engine implements, each command joined with what Redis 7.0
// says about it (engine/redis_commands.inc, generated from the real server: arity, flags,
// ACL categories, documentation). Group files only map names to handlers. Unknown commands
// and arity errors are raised centrally from it, before any handler runs.
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

// Redis's command flags, as COMMAND INFO names them (scripts/dev/capture-redis-commands.mjs
// maps each name to its constant), plus kTransactionControl, which is redpad's own. The
// engine acts on kWrite, kDenyOom, kNoScript and kTransactionControl; the rest are kept
// because Redis reports them.
enum CommandFlag : std::uint32_t {
  kWrite = 1u << 0,
  kReadonly = 1u << 1,
  kDenyOom = 1u << 2,
  kAdmin = 1u << 3,
  kPubsub = 1u << 4,
  kNoScript = 1u << 5,
  kBlocking = 1u << 6,
  kLoading = 1u << 7,
  kStale = 1u << 8,
  kSkipMonitor = 1u << 9,
  kSkipSlowlog = 1u << 10,
  kAsking = 1u << 11,
  kFast = 1u << 12,
  kNoAuth = 1u << 13,
  kNoMandatoryKeys = 1u << 14,
  kNoAsyncLoading = 1u << 15,
  kNoMulti = 1u << 16,
  kMovableKeys = 1u << 17,
  kAllowBusy = 1u << 18,
  // Not a Redis flag: the command runs at once inside MULTI instead of being queued (EXEC,
  // DISCARD, MULTI, WATCH, QUIT and RESET, which Redis's processCommand names one by one,
  // and SAVE, whose handler refuses no-multi there). Group files add it to their rows.
  kTransactionControl = 1u << 31,
};

// Redis's ACL categories, in the order ACL CAT lists them.
enum AclCategory : std::uint32_t {
  kCatKeyspace = 1u << 0,
  kCatRead = 1u << 1,
  kCatWrite = 1u << 2,
  kCatSet = 1u << 3,
  kCatSortedSet = 1u << 4,
  kCatList = 1u << 5,
  kCatHash = 1u << 6,
  kCatString = 1u << 7,
  kCatBitmap = 1u << 8,
  kCatHyperLogLog = 1u << 9,
  kCatGeo = 1u << 10,
  kCatStream = 1u << 11,
  kCatPubsub = 1u << 12,
  kCatAdmin = 1u << 13,
  kCatFast = 1u << 14,
  kCatSlow = 1u << 15,
  kCatBlocking = 1u << 16,
  kCatDangerous = 1u << 17,
  kCatConnection = 1u << 18,
  kCatTransaction = 1u << 19,
  kCatScripting = 1u << 20,
};
// The name of category bit i, at position i.
inline constexpr const char* kAclCategoryNames[] = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting",
};

// What Redis 7.0.15 says about one of its commands or subcommands, implemented here or not.
struct RedisCommand {
  const char* name;     // "set", "object|encoding"
  int arity;            // Redis convention: N = exactly N arguments with the name, -N = at least N
  std::uint32_t flags;  // CommandFlag bits
  std::uint32_t acl_categories;  // AclCategory bits
  const char* group;             // "string", "generic", ...
  const char* since;             // "1.0.0"
  const char* summary;           // one line
  const char* complexity;        // "O(1)"
  const char* syntax;            // redis-cli's help line: "key value [NX|XX] ..."
  const char* docs_json;         // its COMMAND DOCS entry without subcommands, as JSON
};

inline bool arity_accepts(int arity, size_t argument_count) {
  return arity >= 0 ? argument_count == static_cast<size_t>(arity)
                    : argument_count >= static_cast<size_t>(-arity);
}

// Every command of Redis 7.0.15 (240) and its subcommands, sorted by name, each container
// followed by its subcommands. A constant array: it costs no heap (INFO's used_memory).
struct RedisCommandList {
  const RedisCommand* first;
  const RedisCommand* last;
  const RedisCommand* begin() const { return first; }
  const RedisCommand* end() const { return last; }
  size_t size() const { return static_cast<size_t>(last - first); }
};
RedisCommandList redis_commands();
// By exact lower-case name ("object|encoding"); nullptr when Redis has no such command.
const RedisCommand* find_redis_command(std::string_view name);
// Whether Redis's command has subcommands (a container such as OBJECT).
bool has_redis_subcommands(const RedisCommand& command);

// What a group file writes for each command it implements: the name and its handler.
// Subcommands are named "parent|sub"; their container is implied. Arity and flags come from
// redis_commands(); extra_flags adds redpad's own (kTransactionControl).
struct CommandRow {
  const char* name;
  CommandHandler handler;
  std::uint32_t extra_flags = 0;
};

struct CommandSpec {
  std::string name;  // lower case; "object|encoding" for a subcommand
  int arity = 0;
  std::uint32_t flags = 0;
  CommandHandler handler = nullptr;   // nullptr for a container such as OBJECT
  const RedisCommand* doc = nullptr;  // what Redis says about it; never null in the table
  std::vector<CommandSpec> subcommands;

  bool has(CommandFlag flag) const { return (flags & flag) != 0; }
  bool accepts_argument_count(size_t count) const { return arity_accepts(arity, count); }
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

// The table of every command this engine implements, built once (it is constant). A row
// naming no Redis command is left out (tests/unit/test_command_table.cpp checks there is none).
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
