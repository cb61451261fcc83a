// Server administration commands: SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, WAIT, ROLE,
// SLOWLOG, LATENCY, ACL and MODULE, answered as a standalone Redis 7.0.15 without
// replicas, modules, ACL file or latency monitoring answers them. Nothing is persisted.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "../ascii.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kNotAllowedInMulti = "ERR Command not allowed inside a transaction";
// Not a Redis text: WAIT for replicas with no timeout blocks a real server's client for
// ever when there are none, which a sandbox cannot show.
constexpr const char* kWaitForever =
    "ERR WAIT with timeout 0 would block for ever: this server has no replicas";
constexpr const char* kSlowlogCount = "ERR count should be greater than or equal to -1";
constexpr const char* kNoAclFile =
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify "
    "users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
    "Redis configuration file set) in order to store users in the Redis configuration.";
constexpr const char* kGenpassBits =
    "ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
    "number up to 4096";
constexpr const char* kDefaultUserUndeletable = "ERR The 'default' user cannot be removed";
constexpr const char* kModuleCommandDisabled =
    "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", "
    "you can run it from a local connection, otherwise you need to set this option in the "
    "configuration file, and then restart the server.";
constexpr const char* kLatencyDoctorReport =
    "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
    "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable "
    "it. If we weren't in a deep space mission I'd suggest to take a look at "
    "https://redis.io/topics/latency-monitor.\n";

Reply no_latency_samples_error(const std::string& event) {
  return echoing_error("ERR No samples available for event '" + errors::echoed(event) + "'");
}
Reply unknown_acl_category_error(const std::string& category) {
  return echoing_error("ERR Unknown category '" + errors::echoed(category) + "'");
}
Reply unknown_user_error(const std::string& user) {
  return echoing_error("ERR User '" + errors::echoed(user) + "' not found");
}
Reply unknown_acl_command_error(const std::string& command) {
  return echoing_error("ERR Command '" + errors::echoed(command) + "' not found");
}

// ---- persistence ----

// SAVE may not be queued in a transaction. Its row carries kTransactionControl so it
// reaches this handler inside MULTI, where it refuses and marks the transaction failed,
// as Redis does when it refuses a no-multi command while queuing.
Reply save_command(CommandContext& ctx) {
  if (ctx.session.in_multi) {
    ctx.session.multi_error = true;
    return Reply::error(kNotAllowedInMulti);
  }
  return Reply::ok();
}

Reply bgsave_command(CommandContext& ctx) {
  if (ctx.args.size() > 2 || (ctx.args.size() == 2 && !iequals(ctx.args[1], "schedule"))) {
    return syntax_error();
  }
  return Reply::status("Background saving started");
}

Reply bgrewriteaof_command(CommandContext&) {
  return Reply::status("Background append only file rewriting started");
}

// The server has not saved since it started (see SAVE: nothing records a save yet).
Reply lastsave_command(CommandContext& ctx) {
  return Reply::integer_value(ctx.server.start_time_ms() / 1000);
}

// ---- replication ----

// No replica ever acknowledges. Waiting for one lasts the whole timeout, which moves the
// virtual clock as DEBUG SLEEP does.
Reply wait_command(CommandContext& ctx) {
  long long replicas = 0;
  long long timeout_ms = 0;
  if (!parse_integer(ctx.args[1], replicas)) return not_integer_error();
  if (!parse_integer(ctx.args[2], timeout_ms)) return Reply::error(errors::kTimeoutNotInteger);
  if (timeout_ms < 0) return Reply::error(errors::kTimeoutNegative);
  if (replicas <= 0 || ctx.session.in_exec) return Reply::integer_value(0);  // EXEC never blocks
  if (timeout_ms == 0) return Reply::error(kWaitForever);
  constexpr long long kLongestWaitMs = 100LL * 365 * 24 * 3600 * 1000;
  ctx.server.clock().advance(std::min(timeout_ms, kLongestWaitMs));
  return Reply::integer_value(0);
}

Reply role_command(CommandContext&) {
  return Reply::array({Reply::bulk("master"), Reply::integer_value(0), Reply::array()});
}

// ---- SLOWLOG ----
// Commands take no time on the virtual clock, so none reaches the 10 ms threshold and the
// log stays empty.

Reply slowlog_get_command(CommandContext& ctx) {
  if (ctx.args.size() > 3) return subcommand_syntax_error(ctx);
  if (ctx.args.size() == 3) {
    long long count = 0;
    if (!parse_integer(ctx.args[2], count) || count < -1) return Reply::error(kSlowlogCount);
  }
  return Reply::array();
}

Reply slowlog_len_command(CommandContext&) {
  return Reply::integer_value(0);
}
Reply slowlog_reset_command(CommandContext&) {
  return Reply::ok();
}

Reply slowlog_help_command(CommandContext&) {
  return help_lines({
      "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET [<count>]",
      "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
      "    Entries are made of:",
      "    id, timestamp, time in microseconds, arguments array, client IP and port,",
      "    client name",
      "LEN",
      "    Return the length of the slowlog.",
      "RESET",
      "    Reset the slowlog.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- LATENCY ----
// The latency monitor is off (latency-monitor-threshold 0), so no event is ever sampled.

Reply latency_latest_command(CommandContext&) {
  return Reply::array();
}
Reply latency_history_command(CommandContext&) {
  return Reply::array();
}
Reply latency_reset_command(CommandContext&) {
  return Reply::integer_value(0);
}
Reply latency_doctor_command(CommandContext&) {
  return Reply::bulk(kLatencyDoctorReport);
}

Reply latency_graph_command(CommandContext& ctx) {
  return no_latency_samples_error(ctx.args[2]);
}

Reply latency_help_command(CommandContext&) {
  return help_lines({
      "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DOCTOR",
      "    Return a human readable latency analysis report.",
      "GRAPH <event>",
      "    Return an ASCII latency graph for the <event> class.",
      "HISTORY <event>",
      "    Return time-latency samples for the <event> class.",
      "LATEST",
      "    Return the latest latency samples for all events.",
      "RESET [<event> ...]",
      "    Reset latency data of one or more <event> classes.",
      "    (default: reset all data for all event classes)",
      "HISTOGRAM [COMMAND ...]",
      "    Return a cumulative distribution of latencies in the format of a histogram for the "
      "specified command names.",
      "    If no commands are specified then all histograms are replied.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- ACL ----
// One user, "default": on, no password, every key, channel and command. Users cannot be
// changed yet (no ACL SETUSER), so every answer below is the fixed one.

// ACL categories, in the order ACL CAT lists them.
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

constexpr const char* kAclCategoryNames[] = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting",
};

// Every command and subcommand of Redis 7.0.15 with its ACL categories and arity, as
// `COMMAND INFO` reports them (ACL CAT and ACL DRYRUN describe the real server's commands,
// whether or not redpad implements them). Sorted by name; a container's subcommands follow
// it. Rows list the name first and the arity last so that the docs capture script, which
// looks for {"name", arity, ...} command rows, does not take them for commands.
struct RealCommand {
  const char* name;
  std::uint32_t categories;
  int arity;
};

constexpr RealCommand kRealCommands[] = {
    {"acl", kCatSlow, -2},
    {"acl|cat", kCatSlow, -2},
    {"acl|deluser", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"acl|dryrun", kCatAdmin | kCatSlow | kCatDangerous, -4},
    {"acl|genpass", kCatSlow, -2},
    {"acl|getuser", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"acl|help", kCatSlow, 2},
    {"acl|list", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"acl|load", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"acl|log", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"acl|save", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"acl|setuser", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"acl|users", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"acl|whoami", kCatSlow, 2},
    {"append", kCatWrite | kCatString | kCatFast, 3},
    {"asking", kCatFast | kCatConnection, 1},
    {"auth", kCatFast | kCatConnection, -2},
    {"bgrewriteaof", kCatAdmin | kCatSlow | kCatDangerous, 1},
    {"bgsave", kCatAdmin | kCatSlow | kCatDangerous, -1},
    {"bitcount", kCatRead | kCatBitmap | kCatSlow, -2},
    {"bitfield", kCatWrite | kCatBitmap | kCatSlow, -2},
    {"bitfield_ro", kCatRead | kCatBitmap | kCatFast, -2},
    {"bitop", kCatWrite | kCatBitmap | kCatSlow, -4},
    {"bitpos", kCatRead | kCatBitmap | kCatSlow, -3},
    {"blmove", kCatWrite | kCatList | kCatSlow | kCatBlocking, 6},
    {"blmpop", kCatWrite | kCatList | kCatSlow | kCatBlocking, -5},
    {"blpop", kCatWrite | kCatList | kCatSlow | kCatBlocking, -3},
    {"brpop", kCatWrite | kCatList | kCatSlow | kCatBlocking, -3},
    {"brpoplpush", kCatWrite | kCatList | kCatSlow | kCatBlocking, 4},
    {"bzmpop", kCatWrite | kCatSortedSet | kCatSlow | kCatBlocking, -5},
    {"bzpopmax", kCatWrite | kCatSortedSet | kCatFast | kCatBlocking, -3},
    {"bzpopmin", kCatWrite | kCatSortedSet | kCatFast | kCatBlocking, -3},
    {"client", kCatSlow, -2},
    {"client|caching", kCatSlow | kCatConnection, 3},
    {"client|getname", kCatSlow | kCatConnection, 2},
    {"client|getredir", kCatSlow | kCatConnection, 2},
    {"client|help", kCatSlow | kCatConnection, 2},
    {"client|id", kCatSlow | kCatConnection, 2},
    {"client|info", kCatSlow | kCatConnection, 2},
    {"client|kill", kCatAdmin | kCatSlow | kCatDangerous | kCatConnection, -3},
    {"client|list", kCatAdmin | kCatSlow | kCatDangerous | kCatConnection, -2},
    {"client|no-evict", kCatAdmin | kCatSlow | kCatDangerous | kCatConnection, 3},
    {"client|pause", kCatAdmin | kCatSlow | kCatDangerous | kCatConnection, -3},
    {"client|reply", kCatSlow | kCatConnection, 3},
    {"client|setname", kCatSlow | kCatConnection, 3},
    {"client|tracking", kCatSlow | kCatConnection, -3},
    {"client|trackinginfo", kCatSlow | kCatConnection, 2},
    {"client|unblock", kCatAdmin | kCatSlow | kCatDangerous | kCatConnection, -3},
    {"client|unpause", kCatAdmin | kCatSlow | kCatDangerous | kCatConnection, 2},
    {"cluster", kCatSlow, -2},
    {"cluster|addslots", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"cluster|addslotsrange", kCatAdmin | kCatSlow | kCatDangerous, -4},
    {"cluster|bumpepoch", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"cluster|count-failure-reports", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"cluster|countkeysinslot", kCatSlow, 3},
    {"cluster|delslots", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"cluster|delslotsrange", kCatAdmin | kCatSlow | kCatDangerous, -4},
    {"cluster|failover", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"cluster|flushslots", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"cluster|forget", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"cluster|getkeysinslot", kCatSlow, 4},
    {"cluster|help", kCatSlow, 2},
    {"cluster|info", kCatSlow, 2},
    {"cluster|keyslot", kCatSlow, 3},
    {"cluster|links", kCatSlow, 2},
    {"cluster|meet", kCatAdmin | kCatSlow | kCatDangerous, -4},
    {"cluster|myid", kCatSlow, 2},
    {"cluster|nodes", kCatSlow, 2},
    {"cluster|replicas", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"cluster|replicate", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"cluster|reset", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"cluster|saveconfig", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"cluster|set-config-epoch", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"cluster|setslot", kCatAdmin | kCatSlow | kCatDangerous, -4},
    {"cluster|shards", kCatSlow, 2},
    {"cluster|slaves", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"cluster|slots", kCatSlow, 2},
    {"command", kCatSlow | kCatConnection, -1},
    {"command|count", kCatSlow | kCatConnection, 2},
    {"command|docs", kCatSlow | kCatConnection, -2},
    {"command|getkeys", kCatSlow | kCatConnection, -4},
    {"command|getkeysandflags", kCatSlow | kCatConnection, -4},
    {"command|help", kCatSlow | kCatConnection, 2},
    {"command|info", kCatSlow | kCatConnection, -2},
    {"command|list", kCatSlow | kCatConnection, -2},
    {"config", kCatSlow, -2},
    {"config|get", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"config|help", kCatSlow, 2},
    {"config|resetstat", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"config|rewrite", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"config|set", kCatAdmin | kCatSlow | kCatDangerous, -4},
    {"copy", kCatKeyspace | kCatWrite | kCatSlow, -3},
    {"dbsize", kCatKeyspace | kCatRead | kCatFast, 1},
    {"debug", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"decr", kCatWrite | kCatString | kCatFast, 2},
    {"decrby", kCatWrite | kCatString | kCatFast, 3},
    {"del", kCatKeyspace | kCatWrite | kCatSlow, -2},
    {"discard", kCatFast | kCatTransaction, 1},
    {"dump", kCatKeyspace | kCatRead | kCatSlow, 2},
    {"echo", kCatFast | kCatConnection, 2},
    {"eval", kCatSlow | kCatScripting, -3},
    {"eval_ro", kCatSlow | kCatScripting, -3},
    {"evalsha", kCatSlow | kCatScripting, -3},
    {"evalsha_ro", kCatSlow | kCatScripting, -3},
    {"exec", kCatSlow | kCatTransaction, 1},
    {"exists", kCatKeyspace | kCatRead | kCatFast, -2},
    {"expire", kCatKeyspace | kCatWrite | kCatFast, -3},
    {"expireat", kCatKeyspace | kCatWrite | kCatFast, -3},
    {"expiretime", kCatKeyspace | kCatRead | kCatFast, 2},
    {"failover", kCatAdmin | kCatSlow | kCatDangerous, -1},
    {"fcall", kCatSlow | kCatScripting, -3},
    {"fcall_ro", kCatSlow | kCatScripting, -3},
    {"flushall", kCatKeyspace | kCatWrite | kCatSlow | kCatDangerous, -1},
    {"flushdb", kCatKeyspace | kCatWrite | kCatSlow | kCatDangerous, -1},
    {"function", kCatSlow, -2},
    {"function|delete", kCatWrite | kCatSlow | kCatScripting, 3},
    {"function|dump", kCatSlow | kCatScripting, 2},
    {"function|flush", kCatWrite | kCatSlow | kCatScripting, -2},
    {"function|help", kCatSlow | kCatScripting, 2},
    {"function|kill", kCatSlow | kCatScripting, 2},
    {"function|list", kCatSlow | kCatScripting, -2},
    {"function|load", kCatWrite | kCatSlow | kCatScripting, -3},
    {"function|restore", kCatWrite | kCatSlow | kCatScripting, -3},
    {"function|stats", kCatSlow | kCatScripting, 2},
    {"geoadd", kCatWrite | kCatGeo | kCatSlow, -5},
    {"geodist", kCatRead | kCatGeo | kCatSlow, -4},
    {"geohash", kCatRead | kCatGeo | kCatSlow, -2},
    {"geopos", kCatRead | kCatGeo | kCatSlow, -2},
    {"georadius", kCatWrite | kCatGeo | kCatSlow, -6},
    {"georadius_ro", kCatRead | kCatGeo | kCatSlow, -6},
    {"georadiusbymember", kCatWrite | kCatGeo | kCatSlow, -5},
    {"georadiusbymember_ro", kCatRead | kCatGeo | kCatSlow, -5},
    {"geosearch", kCatRead | kCatGeo | kCatSlow, -7},
    {"geosearchstore", kCatWrite | kCatGeo | kCatSlow, -8},
    {"get", kCatRead | kCatString | kCatFast, 2},
    {"getbit", kCatRead | kCatBitmap | kCatFast, 3},
    {"getdel", kCatWrite | kCatString | kCatFast, 2},
    {"getex", kCatWrite | kCatString | kCatFast, -2},
    {"getrange", kCatRead | kCatString | kCatSlow, 4},
    {"getset", kCatWrite | kCatString | kCatFast, 3},
    {"hdel", kCatWrite | kCatHash | kCatFast, -3},
    {"hello", kCatFast | kCatConnection, -1},
    {"hexists", kCatRead | kCatHash | kCatFast, 3},
    {"hget", kCatRead | kCatHash | kCatFast, 3},
    {"hgetall", kCatRead | kCatHash | kCatSlow, 2},
    {"hincrby", kCatWrite | kCatHash | kCatFast, 4},
    {"hincrbyfloat", kCatWrite | kCatHash | kCatFast, 4},
    {"hkeys", kCatRead | kCatHash | kCatSlow, 2},
    {"hlen", kCatRead | kCatHash | kCatFast, 2},
    {"hmget", kCatRead | kCatHash | kCatFast, -3},
    {"hmset", kCatWrite | kCatHash | kCatFast, -4},
    {"hrandfield", kCatRead | kCatHash | kCatSlow, -2},
    {"hscan", kCatRead | kCatHash | kCatSlow, -3},
    {"hset", kCatWrite | kCatHash | kCatFast, -4},
    {"hsetnx", kCatWrite | kCatHash | kCatFast, 4},
    {"hstrlen", kCatRead | kCatHash | kCatFast, 3},
    {"hvals", kCatRead | kCatHash | kCatSlow, 2},
    {"incr", kCatWrite | kCatString | kCatFast, 2},
    {"incrby", kCatWrite | kCatString | kCatFast, 3},
    {"incrbyfloat", kCatWrite | kCatString | kCatFast, 3},
    {"info", kCatSlow | kCatDangerous, -1},
    {"keys", kCatKeyspace | kCatRead | kCatSlow | kCatDangerous, 2},
    {"lastsave", kCatAdmin | kCatFast | kCatDangerous, 1},
    {"latency", kCatSlow, -2},
    {"latency|doctor", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"latency|graph", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"latency|help", kCatSlow, 2},
    {"latency|histogram", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"latency|history", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"latency|latest", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"latency|reset", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"lcs", kCatRead | kCatString | kCatSlow, -3},
    {"lindex", kCatRead | kCatList | kCatSlow, 3},
    {"linsert", kCatWrite | kCatList | kCatSlow, 5},
    {"llen", kCatRead | kCatList | kCatFast, 2},
    {"lmove", kCatWrite | kCatList | kCatSlow, 5},
    {"lmpop", kCatWrite | kCatList | kCatSlow, -4},
    {"lolwut", kCatRead | kCatFast, -1},
    {"lpop", kCatWrite | kCatList | kCatFast, -2},
    {"lpos", kCatRead | kCatList | kCatSlow, -3},
    {"lpush", kCatWrite | kCatList | kCatFast, -3},
    {"lpushx", kCatWrite | kCatList | kCatFast, -3},
    {"lrange", kCatRead | kCatList | kCatSlow, 4},
    {"lrem", kCatWrite | kCatList | kCatSlow, 4},
    {"lset", kCatWrite | kCatList | kCatSlow, 4},
    {"ltrim", kCatWrite | kCatList | kCatSlow, 4},
    {"memory", kCatSlow, -2},
    {"memory|doctor", kCatSlow, 2},
    {"memory|help", kCatSlow, 2},
    {"memory|malloc-stats", kCatSlow, 2},
    {"memory|purge", kCatSlow, 2},
    {"memory|stats", kCatSlow, 2},
    {"memory|usage", kCatRead | kCatSlow, -3},
    {"mget", kCatRead | kCatString | kCatFast, -2},
    {"migrate", kCatKeyspace | kCatWrite | kCatSlow | kCatDangerous, -6},
    {"module", kCatSlow, -2},
    {"module|help", kCatSlow, 2},
    {"module|list", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"module|load", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"module|loadex", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"module|unload", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"monitor", kCatAdmin | kCatSlow | kCatDangerous, 1},
    {"move", kCatKeyspace | kCatWrite | kCatFast, 3},
    {"mset", kCatWrite | kCatString | kCatSlow, -3},
    {"msetnx", kCatWrite | kCatString | kCatSlow, -3},
    {"multi", kCatFast | kCatTransaction, 1},
    {"object", kCatSlow, -2},
    {"object|encoding", kCatKeyspace | kCatRead | kCatSlow, 3},
    {"object|freq", kCatKeyspace | kCatRead | kCatSlow, 3},
    {"object|help", kCatKeyspace | kCatSlow, 2},
    {"object|idletime", kCatKeyspace | kCatRead | kCatSlow, 3},
    {"object|refcount", kCatKeyspace | kCatRead | kCatSlow, 3},
    {"persist", kCatKeyspace | kCatWrite | kCatFast, 2},
    {"pexpire", kCatKeyspace | kCatWrite | kCatFast, -3},
    {"pexpireat", kCatKeyspace | kCatWrite | kCatFast, -3},
    {"pexpiretime", kCatKeyspace | kCatRead | kCatFast, 2},
    {"pfadd", kCatWrite | kCatHyperLogLog | kCatFast, -2},
    {"pfcount", kCatRead | kCatHyperLogLog | kCatSlow, -2},
    {"pfdebug", kCatWrite | kCatHyperLogLog | kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"pfmerge", kCatWrite | kCatHyperLogLog | kCatSlow, -2},
    {"pfselftest", kCatHyperLogLog | kCatAdmin | kCatSlow | kCatDangerous, 1},
    {"ping", kCatFast | kCatConnection, -1},
    {"psetex", kCatWrite | kCatString | kCatSlow, 4},
    {"psubscribe", kCatPubsub | kCatSlow, -2},
    {"psync", kCatAdmin | kCatSlow | kCatDangerous, -3},
    {"pttl", kCatKeyspace | kCatRead | kCatFast, 2},
    {"publish", kCatPubsub | kCatFast, 3},
    {"pubsub", kCatSlow, -2},
    {"pubsub|channels", kCatPubsub | kCatSlow, -2},
    {"pubsub|help", kCatSlow, 2},
    {"pubsub|numpat", kCatPubsub | kCatSlow, 2},
    {"pubsub|numsub", kCatPubsub | kCatSlow, -2},
    {"pubsub|shardchannels", kCatPubsub | kCatSlow, -2},
    {"pubsub|shardnumsub", kCatPubsub | kCatSlow, -2},
    {"punsubscribe", kCatPubsub | kCatSlow, -1},
    {"quit", kCatFast | kCatConnection, -1},
    {"randomkey", kCatKeyspace | kCatRead | kCatSlow, 1},
    {"readonly", kCatFast | kCatConnection, 1},
    {"readwrite", kCatFast | kCatConnection, 1},
    {"rename", kCatKeyspace | kCatWrite | kCatSlow, 3},
    {"renamenx", kCatKeyspace | kCatWrite | kCatFast, 3},
    {"replconf", kCatAdmin | kCatSlow | kCatDangerous, -1},
    {"replicaof", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"reset", kCatFast | kCatConnection, 1},
    {"restore", kCatKeyspace | kCatWrite | kCatSlow | kCatDangerous, -4},
    {"restore-asking", kCatKeyspace | kCatWrite | kCatSlow | kCatDangerous, -4},
    {"role", kCatAdmin | kCatFast | kCatDangerous, 1},
    {"rpop", kCatWrite | kCatList | kCatFast, -2},
    {"rpoplpush", kCatWrite | kCatList | kCatSlow, 3},
    {"rpush", kCatWrite | kCatList | kCatFast, -3},
    {"rpushx", kCatWrite | kCatList | kCatFast, -3},
    {"sadd", kCatWrite | kCatSet | kCatFast, -3},
    {"save", kCatAdmin | kCatSlow | kCatDangerous, 1},
    {"scan", kCatKeyspace | kCatRead | kCatSlow, -2},
    {"scard", kCatRead | kCatSet | kCatFast, 2},
    {"script", kCatSlow, -2},
    {"script|debug", kCatSlow | kCatScripting, 3},
    {"script|exists", kCatSlow | kCatScripting, -3},
    {"script|flush", kCatSlow | kCatScripting, -2},
    {"script|help", kCatSlow | kCatScripting, 2},
    {"script|kill", kCatSlow | kCatScripting, 2},
    {"script|load", kCatSlow | kCatScripting, 3},
    {"sdiff", kCatRead | kCatSet | kCatSlow, -2},
    {"sdiffstore", kCatWrite | kCatSet | kCatSlow, -3},
    {"select", kCatFast | kCatConnection, 2},
    {"set", kCatWrite | kCatString | kCatSlow, -3},
    {"setbit", kCatWrite | kCatBitmap | kCatSlow, 4},
    {"setex", kCatWrite | kCatString | kCatSlow, 4},
    {"setnx", kCatWrite | kCatString | kCatFast, 3},
    {"setrange", kCatWrite | kCatString | kCatSlow, 4},
    {"shutdown", kCatAdmin | kCatSlow | kCatDangerous, -1},
    {"sinter", kCatRead | kCatSet | kCatSlow, -2},
    {"sintercard", kCatRead | kCatSet | kCatSlow, -3},
    {"sinterstore", kCatWrite | kCatSet | kCatSlow, -3},
    {"sismember", kCatRead | kCatSet | kCatFast, 3},
    {"slaveof", kCatAdmin | kCatSlow | kCatDangerous, 3},
    {"slowlog", kCatSlow, -2},
    {"slowlog|get", kCatAdmin | kCatSlow | kCatDangerous, -2},
    {"slowlog|help", kCatSlow, 2},
    {"slowlog|len", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"slowlog|reset", kCatAdmin | kCatSlow | kCatDangerous, 2},
    {"smembers", kCatRead | kCatSet | kCatSlow, 2},
    {"smismember", kCatRead | kCatSet | kCatFast, -3},
    {"smove", kCatWrite | kCatSet | kCatFast, 4},
    {"sort", kCatWrite | kCatSet | kCatSortedSet | kCatList | kCatSlow | kCatDangerous, -2},
    {"sort_ro", kCatRead | kCatSet | kCatSortedSet | kCatList | kCatSlow | kCatDangerous, -2},
    {"spop", kCatWrite | kCatSet | kCatFast, -2},
    {"spublish", kCatPubsub | kCatFast, 3},
    {"srandmember", kCatRead | kCatSet | kCatSlow, -2},
    {"srem", kCatWrite | kCatSet | kCatFast, -3},
    {"sscan", kCatRead | kCatSet | kCatSlow, -3},
    {"ssubscribe", kCatPubsub | kCatSlow, -2},
    {"strlen", kCatRead | kCatString | kCatFast, 2},
    {"subscribe", kCatPubsub | kCatSlow, -2},
    {"substr", kCatRead | kCatString | kCatSlow, 4},
    {"sunion", kCatRead | kCatSet | kCatSlow, -2},
    {"sunionstore", kCatWrite | kCatSet | kCatSlow, -3},
    {"sunsubscribe", kCatPubsub | kCatSlow, -1},
    {"swapdb", kCatKeyspace | kCatWrite | kCatFast | kCatDangerous, 3},
    {"sync", kCatAdmin | kCatSlow | kCatDangerous, 1},
    {"time", kCatFast, 1},
    {"touch", kCatKeyspace | kCatRead | kCatFast, -2},
    {"ttl", kCatKeyspace | kCatRead | kCatFast, 2},
    {"type", kCatKeyspace | kCatRead | kCatFast, 2},
    {"unlink", kCatKeyspace | kCatWrite | kCatFast, -2},
    {"unsubscribe", kCatPubsub | kCatSlow, -1},
    {"unwatch", kCatFast | kCatTransaction, 1},
    {"wait", kCatSlow | kCatConnection, 3},
    {"watch", kCatFast | kCatTransaction, -2},
    {"xack", kCatWrite | kCatStream | kCatFast, -4},
    {"xadd", kCatWrite | kCatStream | kCatFast, -5},
    {"xautoclaim", kCatWrite | kCatStream | kCatFast, -6},
    {"xclaim", kCatWrite | kCatStream | kCatFast, -6},
    {"xdel", kCatWrite | kCatStream | kCatFast, -3},
    {"xgroup", kCatSlow, -2},
    {"xgroup|create", kCatWrite | kCatStream | kCatSlow, -5},
    {"xgroup|createconsumer", kCatWrite | kCatStream | kCatSlow, 5},
    {"xgroup|delconsumer", kCatWrite | kCatStream | kCatSlow, 5},
    {"xgroup|destroy", kCatWrite | kCatStream | kCatSlow, 4},
    {"xgroup|help", kCatStream | kCatSlow, 2},
    {"xgroup|setid", kCatWrite | kCatStream | kCatSlow, -5},
    {"xinfo", kCatSlow, -2},
    {"xinfo|consumers", kCatRead | kCatStream | kCatSlow, 4},
    {"xinfo|groups", kCatRead | kCatStream | kCatSlow, 3},
    {"xinfo|help", kCatStream | kCatSlow, 2},
    {"xinfo|stream", kCatRead | kCatStream | kCatSlow, -3},
    {"xlen", kCatRead | kCatStream | kCatFast, 2},
    {"xpending", kCatRead | kCatStream | kCatSlow, -3},
    {"xrange", kCatRead | kCatStream | kCatSlow, -4},
    {"xread", kCatRead | kCatStream | kCatSlow | kCatBlocking, -4},
    {"xreadgroup", kCatWrite | kCatStream | kCatSlow | kCatBlocking, -7},
    {"xrevrange", kCatRead | kCatStream | kCatSlow, -4},
    {"xsetid", kCatWrite | kCatStream | kCatFast, -3},
    {"xtrim", kCatWrite | kCatStream | kCatSlow, -4},
    {"zadd", kCatWrite | kCatSortedSet | kCatFast, -4},
    {"zcard", kCatRead | kCatSortedSet | kCatFast, 2},
    {"zcount", kCatRead | kCatSortedSet | kCatFast, 4},
    {"zdiff", kCatRead | kCatSortedSet | kCatSlow, -3},
    {"zdiffstore", kCatWrite | kCatSortedSet | kCatSlow, -4},
    {"zincrby", kCatWrite | kCatSortedSet | kCatFast, 4},
    {"zinter", kCatRead | kCatSortedSet | kCatSlow, -3},
    {"zintercard", kCatRead | kCatSortedSet | kCatSlow, -3},
    {"zinterstore", kCatWrite | kCatSortedSet | kCatSlow, -4},
    {"zlexcount", kCatRead | kCatSortedSet | kCatFast, 4},
    {"zmpop", kCatWrite | kCatSortedSet | kCatSlow, -4},
    {"zmscore", kCatRead | kCatSortedSet | kCatFast, -3},
    {"zpopmax", kCatWrite | kCatSortedSet | kCatFast, -2},
    {"zpopmin", kCatWrite | kCatSortedSet | kCatFast, -2},
    {"zrandmember", kCatRead | kCatSortedSet | kCatSlow, -2},
    {"zrange", kCatRead | kCatSortedSet | kCatSlow, -4},
    {"zrangebylex", kCatRead | kCatSortedSet | kCatSlow, -4},
    {"zrangebyscore", kCatRead | kCatSortedSet | kCatSlow, -4},
    {"zrangestore", kCatWrite | kCatSortedSet | kCatSlow, -5},
    {"zrank", kCatRead | kCatSortedSet | kCatFast, 3},
    {"zrem", kCatWrite | kCatSortedSet | kCatFast, -3},
    {"zremrangebylex", kCatWrite | kCatSortedSet | kCatSlow, 4},
    {"zremrangebyrank", kCatWrite | kCatSortedSet | kCatSlow, 4},
    {"zremrangebyscore", kCatWrite | kCatSortedSet | kCatSlow, 4},
    {"zrevrange", kCatRead | kCatSortedSet | kCatSlow, -4},
    {"zrevrangebylex", kCatRead | kCatSortedSet | kCatSlow, -4},
    {"zrevrangebyscore", kCatRead | kCatSortedSet | kCatSlow, -4},
    {"zrevrank", kCatRead | kCatSortedSet | kCatFast, 3},
    {"zscan", kCatRead | kCatSortedSet | kCatSlow, -3},
    {"zscore", kCatRead | kCatSortedSet | kCatFast, 3},
    {"zunion", kCatRead | kCatSortedSet | kCatSlow, -3},
    {"zunionstore", kCatWrite | kCatSortedSet | kCatSlow, -4},
};

bool accepts(int arity, size_t argc) {
  return arity >= 0 ? argc == static_cast<size_t>(arity) : argc >= static_cast<size_t>(-arity);
}

// A top-level command by name (case-insensitive); subcommands are not found this way.
const RealCommand* find_real_command(std::string_view name) {
  if (name.find('|') != std::string_view::npos) return nullptr;
  const std::string wanted = ascii_lower(name);
  for (const RealCommand& command : kRealCommands) {
    if (wanted == command.name) return &command;
  }
  return nullptr;
}

// The subcommands of a container follow it in the table.
const RealCommand* find_real_subcommand(const RealCommand& container, std::string_view name) {
  const std::string wanted = std::string(container.name) + "|" + ascii_lower(name);
  for (const RealCommand* row = &container + 1; row != std::end(kRealCommands); ++row) {
    if (wanted == row->name) return row;
  }
  return nullptr;
}

bool is_container(const RealCommand& command) {
  const RealCommand* next = &command + 1;
  if (next == std::end(kRealCommands)) return false;
  const std::string prefix = std::string(command.name) + "|";
  return std::string_view(next->name).substr(0, prefix.size()) == prefix;
}

Reply acl_whoami_command(CommandContext&) {
  return Reply::bulk("default");
}
Reply acl_users_command(CommandContext&) {
  return Reply::array({Reply::bulk("default")});
}

Reply acl_list_command(CommandContext&) {
  return Reply::array({Reply::bulk("user default on nopass ~* &* +@all")});
}

Reply acl_getuser_command(CommandContext& ctx) {
  if (ctx.args[2] != "default") return Reply::nil();
  return Reply::array({
      Reply::bulk("flags"),
      Reply::array({Reply::bulk("on"), Reply::bulk("nopass")}),
      Reply::bulk("passwords"),
      Reply::array(),
      Reply::bulk("commands"),
      Reply::bulk("+@all"),
      Reply::bulk("keys"),
      Reply::bulk("~*"),
      Reply::bulk("channels"),
      Reply::bulk("&*"),
      Reply::bulk("selectors"),
      Reply::array(),
  });
}

Reply acl_cat_command(CommandContext& ctx) {
  if (ctx.args.size() > 3) return subcommand_syntax_error(ctx);
  std::vector<Reply> items;
  if (ctx.args.size() == 2) {
    for (const char* name : kAclCategoryNames)
      items.push_back(Reply::bulk(name));
    return Reply::array(std::move(items));
  }
  std::uint32_t category = 0;
  for (size_t i = 0; i < std::size(kAclCategoryNames); ++i) {
    if (iequals(ctx.args[2], kAclCategoryNames[i])) category = 1u << i;
  }
  if (category == 0) return unknown_acl_category_error(ctx.args[2]);
  for (const RealCommand& command : kRealCommands) {
    if (command.categories & category) items.push_back(Reply::bulk(command.name));
  }
  return Reply::array(std::move(items));
}

// The default user may run anything, so a dry run only checks that the command exists and
// that its argument count fits, as the real server does before checking permissions.
Reply acl_dryrun_command(CommandContext& ctx) {
  const std::vector<std::string>& args = ctx.args;
  if (args[2] != "default") return unknown_user_error(args[2]);
  const size_t argc = args.size() - 3;
  const RealCommand* command = find_real_command(args[3]);
  if (command && is_container(*command) && argc >= 2) {
    command = find_real_subcommand(*command, args[4]);
  }
  if (!command) return unknown_acl_command_error(args[3]);
  if (!accepts(command->arity, argc)) {
    return arity_error(command->name);
  }
  return Reply::ok();
}

Reply acl_genpass_command(CommandContext& ctx) {
  if (ctx.args.size() > 3) return subcommand_syntax_error(ctx);
  long long bits = 256;
  if (ctx.args.size() == 3) {
    if (!parse_integer(ctx.args[2], bits)) return not_integer_error();
    if (bits <= 0 || bits > 4096) return Reply::error(kGenpassBits);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string password(static_cast<size_t>((bits + 3) / 4), '0');
  for (char& c : password)
    c = kHex[ctx.server.random().below(16)];
  return Reply::bulk(std::move(password));
}

Reply acl_deluser_command(CommandContext& ctx) {
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    if (ctx.args[i] == "default") return Reply::error(kDefaultUserUndeletable);
  }
  return Reply::integer_value(0);  // no other user exists
}

Reply acl_no_file_command(CommandContext&) {
  return Reply::error(kNoAclFile);
}

Reply acl_help_command(CommandContext&) {
  return help_lines({
      "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CAT [<category>]",
      "    List all commands that belong to <category>, or all command categories",
      "    when no category is specified.",
      "DELUSER <username> [<username> ...]",
      "    Delete a list of users.",
      "DRYRUN <username> <command> [<arg> ...]",
      "    Returns whether the user can execute the given command without executing the "
      "command.",
      "GETUSER <username>",
      "    Get the user's details.",
      "GENPASS [<bits>]",
      "    Generate a secure 256-bit user password. The optional `bits` argument can",
      "    be used to specify a different size.",
      "LIST",
      "    Show users details in config file format.",
      "LOAD",
      "    Reload users from the ACL file.",
      "LOG [<count> | RESET]",
      "    Show the ACL log entries.",
      "SAVE",
      "    Save the current config to the ACL file.",
      "SETUSER <username> <attribute> [<attribute> ...]",
      "    Create or modify a user with the specified attributes.",
      "USERS",
      "    List all the registered usernames.",
      "WHOAMI",
      "    Return the current connection username.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- MODULE ----
// No module is loaded, and enable-module-command is "no" (its default), so loading and
// unloading are refused before the path or name is even looked at.

Reply module_list_command(CommandContext&) {
  return Reply::array();
}
Reply module_disabled_command(CommandContext&) {
  return Reply::error(kModuleCommandDisabled);
}

Reply module_help_command(CommandContext&) {
  return help_lines({
      "MODULE <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "LIST",
      "    Return a list of loaded modules.",
      "LOAD <path> [<arg> ...]",
      "    Load a module library from <path>, passing to it any optional arguments.",
      "LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]",
      "    Load a module library from <path>, while passing it module configurations and "
      "optional arguments.",
      "UNLOAD <name>",
      "    Unload a module.",
      "HELP",
      "    Prints this help.",
  });
}

constexpr std::uint32_t kAdminCommand = kAdmin | kNoScript | kLoading | kStale;
constexpr std::uint32_t kHelp = kLoading | kStale;

}  // namespace

std::vector<CommandRow> admin_command_rows() {
  return {
      {"acl", -2, 0, nullptr},
      {"acl|cat", -2, kNoScript | kLoading | kStale, acl_cat_command},
      {"acl|deluser", -3, kAdminCommand, acl_deluser_command},
      {"acl|dryrun", -4, kAdminCommand, acl_dryrun_command},
      {"acl|genpass", -2, kNoScript | kLoading | kStale, acl_genpass_command},
      {"acl|getuser", 3, kAdminCommand, acl_getuser_command},
      {"acl|help", 2, kHelp, acl_help_command},
      {"acl|list", 2, kAdminCommand, acl_list_command},
      {"acl|load", 2, kAdminCommand, acl_no_file_command},
      {"acl|save", 2, kAdminCommand, acl_no_file_command},
      {"acl|users", 2, kAdminCommand, acl_users_command},
      {"acl|whoami", 2, kNoScript | kLoading | kStale, acl_whoami_command},
      {"bgrewriteaof", 1, kAdmin | kNoScript, bgrewriteaof_command},
      {"bgsave", -1, kAdmin | kNoScript, bgsave_command},
      {"lastsave", 1, kLoading | kStale | kFast, lastsave_command},
      {"latency", -2, 0, nullptr},
      {"latency|doctor", 2, kAdminCommand, latency_doctor_command},
      {"latency|graph", 3, kAdminCommand, latency_graph_command},
      {"latency|help", 2, kHelp, latency_help_command},
      {"latency|history", 3, kAdminCommand, latency_history_command},
      {"latency|latest", 2, kAdminCommand, latency_latest_command},
      {"latency|reset", -2, kAdminCommand, latency_reset_command},
      {"module", -2, 0, nullptr},
      {"module|help", 2, kHelp, module_help_command},
      {"module|list", 2, kAdmin | kNoScript, module_list_command},
      {"module|load", -3, kAdmin | kNoScript, module_disabled_command},
      {"module|loadex", -3, kAdmin | kNoScript, module_disabled_command},
      {"module|unload", 3, kAdmin | kNoScript, module_disabled_command},
      {"role", 1, kNoScript | kLoading | kStale | kFast, role_command},
      // SAVE is refused inside MULTI (Redis's no-multi flag): see save_command.
      {"save", 1, kAdmin | kNoScript | kTransactionControl, save_command},
      {"slowlog", -2, 0, nullptr},
      {"slowlog|get", -2, kAdmin | kLoading | kStale, slowlog_get_command},
      {"slowlog|help", 2, kHelp, slowlog_help_command},
      {"slowlog|len", 2, kAdmin | kLoading | kStale, slowlog_len_command},
      {"slowlog|reset", 2, kAdmin | kLoading | kStale, slowlog_reset_command},
      {"wait", 3, kNoScript, wait_command},
  };
}

}  // namespace redpad
