// Server and connection commands: PING, ECHO, SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL,
// TIME, DEBUG (SLEEP moves the virtual clock), COMMAND and INFO.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../ascii.h"
#include "../glob.h"
#include "command_helpers.h"

namespace redpad {

namespace {

Reply ping_command(CommandContext& ctx) {
  if (ctx.args.size() > 2) {
    return Reply::error("ERR wrong number of arguments for 'ping' command");
  }
  return ctx.args.size() == 2 ? Reply::bulk(ctx.args[1]) : Reply::status("PONG");
}

Reply echo_command(CommandContext& ctx) { return Reply::bulk(ctx.args[1]); }

// A database index as Redis reads it for SELECT and MOVE: a 32-bit integer.
bool parse_db_index(const std::string& text, long long& index) {
  return parse_integer(text, index) && index >= INT32_MIN && index <= INT32_MAX;
}

bool in_range(const CommandContext& ctx, long long index) {
  return index >= 0 && index < ctx.server.database_count();
}

Reply select_command(CommandContext& ctx) {
  long long index = 0;
  if (!parse_db_index(ctx.args[1], index)) return not_integer_error();
  if (!in_range(ctx, index)) return Reply::error(errors::kDbIndexOutOfRange);
  ctx.session.db = static_cast<int>(index);
  return Reply::ok();
}

Reply swapdb_command(CommandContext& ctx) {
  long long first = 0;
  long long second = 0;
  if (!parse_db_index(ctx.args[1], first)) return Reply::error(errors::kInvalidFirstDbIndex);
  if (!parse_db_index(ctx.args[2], second)) return Reply::error(errors::kInvalidSecondDbIndex);
  if (!in_range(ctx, first) || !in_range(ctx, second)) {
    return Reply::error(errors::kDbIndexOutOfRange);
  }
  if (first != second) ctx.server.swap_databases(static_cast<int>(first), static_cast<int>(second));
  return Reply::ok();
}

Reply dbsize_command(CommandContext& ctx) {
  return Reply::integer_value(static_cast<long long>(ctx.db().size()));
}

// FLUSHDB and FLUSHALL take an optional ASYNC or SYNC; both empty at once here.
bool valid_flush_arguments(const CommandContext& ctx) {
  if (ctx.args.size() > 2) return false;
  return ctx.args.size() == 1 || iequals(ctx.args[1], "async") || iequals(ctx.args[1], "sync");
}

Reply flushdb_command(CommandContext& ctx) {
  if (!valid_flush_arguments(ctx)) return syntax_error();
  ctx.server.signal_db_replaced(ctx.db_index());
  ctx.db().clear();
  return Reply::ok();
}

Reply flushall_command(CommandContext& ctx) {
  if (!valid_flush_arguments(ctx)) return syntax_error();
  for (int i = 0; i < ctx.server.database_count(); ++i) {
    ctx.server.signal_db_replaced(i);
    ctx.server.db(i).clear();
  }
  return Reply::ok();
}

Reply time_command(CommandContext& ctx) {
  const std::int64_t now = ctx.now_ms;
  return Reply::array({Reply::bulk(std::to_string(now / 1000)),
                       Reply::bulk(std::to_string((now % 1000) * 1000))});
}

// ---- DEBUG ----

// DEBUG SLEEP moves the virtual clock instead of blocking, so a learner can watch a key
// expire at once. Like Redis, anything that is not a positive number sleeps for 0.
Reply debug_sleep(CommandContext& ctx) {
  const double seconds = std::strtod(ctx.args[2].c_str(), nullptr);
  constexpr double kLongestSleepSeconds = 100.0 * 365 * 24 * 3600;  // keeps the clock in range
  if (seconds > 0) {
    const double capped = std::fmin(seconds, kLongestSleepSeconds);
    ctx.server.clock().advance(static_cast<std::int64_t>(capped * 1000000) / 1000);
  }
  return Reply::ok();
}

bool positive_long(const std::string& text, long long& value, Reply& error) {
  if (!parse_integer(text, value) || value < 0) {
    error = Reply::error("ERR value is out of range, must be positive");
    return false;
  }
  return true;
}

Reply debug_populate(CommandContext& ctx) {
  long long count = 0;
  long long value_size = 0;
  Reply error;
  if (!positive_long(ctx.args[2], count, error)) return error;
  if (ctx.args.size() == 5 && !positive_long(ctx.args[4], value_size, error)) return error;
  // Redis builds the names in a 128-byte C buffer: a NUL ends the prefix, 127 bytes at most.
  std::string prefix = ctx.args.size() >= 4 ? ctx.args[3] : "key";
  prefix = prefix.substr(0, prefix.find('\0'));
  Database& db = ctx.db();
  for (long long i = 0; i < count; ++i) {
    std::string key = prefix + ":" + std::to_string(i);
    if (key.size() > 127) key.resize(127);
    if (ctx.lookup(key)) continue;
    std::string value = "value:" + std::to_string(i);
    if (value_size > 0) value.resize(static_cast<size_t>(value_size), '\0');
    db.put(key, Value::string_plain(std::move(value)));
    ctx.modified(key);
  }
  return Reply::ok();
}

// Lists only what this engine implements (real Redis lists forty internal subcommands).
Reply debug_help() {
  return help_lines({
      "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "POPULATE <count> [<prefix>] [<size>]",
      "    Create <count> string keys named key:<num>. If <prefix> is specified then",
      "    it is used instead of the 'key' prefix. These are not propagated to",
      "    replicas. Cluster slots are not respected so keys not belonging to the",
      "    current node can be created in cluster mode.",
      "SLEEP <seconds>",
      "    Move the virtual clock forward by <seconds> (real Redis stops the server for",
      "    that long). Decimals allowed.",
      "HELP",
      "    Prints this help.",
  });
}

Reply debug_command(CommandContext& ctx) {
  const std::string& sub = ctx.args[1];
  const size_t argc = ctx.args.size();
  if (iequals(sub, "help") && argc == 2) return debug_help();
  if (iequals(sub, "sleep") && argc == 3) return debug_sleep(ctx);
  if (iequals(sub, "populate") && argc >= 3 && argc <= 5) return debug_populate(ctx);
  return Reply::error("ERR unknown subcommand or wrong number of arguments for '" + sub +
                      "'. Try DEBUG HELP.");
}

// ---- COMMAND ----

Reply command_count_command(CommandContext& ctx) {
  return Reply::integer_value(static_cast<long long>(ctx.server.commands().size()));
}

Reply command_list_command(CommandContext& ctx) {
  const std::string* pattern = nullptr;
  if (ctx.args.size() > 2) {
    if (ctx.args.size() != 5 || !iequals(ctx.args[2], "filterby")) return syntax_error();
    const std::string& kind = ctx.args[3];
    if (iequals(kind, "module") || iequals(kind, "aclcat")) {
      return Reply::array();  // no modules here, and commands carry no ACL categories yet
    }
    if (!iequals(kind, "pattern")) return syntax_error();
    pattern = &ctx.args[4];
  }
  std::vector<Reply> names;
  auto add = [&](const CommandSpec& spec) {
    if (!pattern || glob_match(*pattern, spec.name, true)) names.push_back(Reply::bulk(spec.name));
  };
  for (const CommandSpec& spec : ctx.server.commands().all()) {
    add(spec);
    for (const CommandSpec& sub : spec.subcommands) add(sub);
  }
  return Reply::array(std::move(names));
}

// COMMAND DOCS flags are simple strings in Redis's reply; everything else is bulk.
Reply json_to_reply(const nlohmann::ordered_json& value, bool as_status = false) {
  if (value.is_object()) {
    std::vector<Reply> items;
    for (const auto& [key, item] : value.items()) {
      items.push_back(Reply::bulk(key));
      items.push_back(json_to_reply(item, key == "flags" || key == "doc_flags"));
    }
    return Reply::array(std::move(items));
  }
  if (value.is_array()) {
    std::vector<Reply> items;
    for (const auto& item : value) items.push_back(json_to_reply(item, as_status));
    return Reply::array(std::move(items));
  }
  if (value.is_number_integer()) return Reply::integer_value(value.get<long long>());
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  return as_status ? Reply::status(text) : Reply::bulk(text);
}

Reply command_docs_entry(const CommandSpec& spec) {
  nlohmann::ordered_json docs = nlohmann::ordered_json::object();
  if (spec.doc) docs = nlohmann::ordered_json::parse(spec.doc->docs_json);
  Reply reply = json_to_reply(docs);
  if (!spec.subcommands.empty()) {
    std::vector<Reply> subs;
    for (const CommandSpec& sub : spec.subcommands) {
      subs.push_back(Reply::bulk(sub.name));
      subs.push_back(command_docs_entry(sub));
    }
    reply.elements.push_back(Reply::bulk("subcommands"));
    reply.elements.push_back(Reply::array(std::move(subs)));
  }
  return reply;
}

Reply command_docs_command(CommandContext& ctx) {
  const CommandTable& table = ctx.server.commands();
  std::vector<Reply> items;
  auto add = [&items](const CommandSpec& spec) {
    items.push_back(Reply::bulk(spec.name));
    items.push_back(command_docs_entry(spec));
  };
  if (ctx.args.size() == 2) {
    for (const CommandSpec& spec : table.all()) add(spec);
    return Reply::array(std::move(items));
  }
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::string& name = ctx.args[i];
    const size_t bar = name.find('|');
    const CommandSpec* spec = table.find(name.substr(0, bar));
    if (spec && bar != std::string::npos) spec = spec->find_subcommand(name.substr(bar + 1));
    if (spec) add(*spec);
  }
  return Reply::array(std::move(items));
}

Reply command_help_command(CommandContext&) {
  return help_lines({
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full Redis command.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- INFO ----

std::string info_server(const CommandContext& ctx) {
  const std::int64_t now = ctx.now_ms;
  const std::int64_t uptime = (now - ctx.server.start_time_ms()) / 1000;
  std::string out = "# Server\r\n";
  out += "redis_version:7.0.15\r\n";
  out += "redis_git_sha1:00000000\r\n";
  out += "redis_git_dirty:0\r\n";
  out += "redis_build_id:0000000000000000\r\n";
  out += "redis_mode:standalone\r\n";
  out += "os:redpad (virtual server)\r\n";
  out += "arch_bits:64\r\n";
  out += "process_id:1\r\n";
  out += "tcp_port:6379\r\n";
  out += "server_time_usec:" + std::to_string(now * 1000) + "\r\n";
  out += "uptime_in_seconds:" + std::to_string(uptime) + "\r\n";
  out += "uptime_in_days:" + std::to_string(uptime / 86400) + "\r\n";
  out += "hz:10\r\n";
  out += "configured_hz:10\r\n";
  return out;
}

std::string info_clients(const CommandContext&) {
  return "# Clients\r\nconnected_clients:1\r\nblocked_clients:0\r\n";
}

std::string info_stats(const CommandContext& ctx) {
  const ServerStats& stats = ctx.server.stats();
  std::string out = "# Stats\r\n";
  out += "total_commands_processed:" + std::to_string(stats.commands_processed) + "\r\n";
  out += "expired_keys:" + std::to_string(stats.expired_keys) + "\r\n";
  out += "keyspace_hits:" + std::to_string(stats.keyspace_hits) + "\r\n";
  out += "keyspace_misses:" + std::to_string(stats.keyspace_misses) + "\r\n";
  return out;
}

std::string info_keyspace(const CommandContext& ctx) {
  std::string out = "# Keyspace\r\n";
  for (int i = 0; i < ctx.server.database_count(); ++i) {
    const Database& db = ctx.server.db(i);
    if (db.size() == 0) continue;
    // Redis reports a sampled estimate of the mean time to live; this is the exact mean.
    long long total_ttl = 0;
    for (const auto& [key, entry] : db.entries()) {
      if (entry.expire_at_ms != kNoExpiry) total_ttl += entry.expire_at_ms - ctx.now_ms;
    }
    const long long average =
        db.volatile_count() ? total_ttl / static_cast<long long>(db.volatile_count()) : 0;
    out += "db" + std::to_string(i) + ":keys=" + std::to_string(db.size()) +
           ",expires=" + std::to_string(db.volatile_count()) +
           ",avg_ttl=" + std::to_string(average) + "\r\n";
  }
  return out;
}

struct InfoSection {
  const char* name;
  std::string (*render)(const CommandContext&);
};

const InfoSection kInfoSections[] = {
    {"server", info_server},
    {"clients", info_clients},
    {"stats", info_stats},
    {"keyspace", info_keyspace},
};

Reply info_command(CommandContext& ctx) {
  bool everything = ctx.args.size() == 1;
  std::vector<std::string> wanted;
  for (size_t i = 1; i < ctx.args.size(); ++i) {
    const std::string name = ascii_lower(ctx.args[i]);
    if (name == "all" || name == "everything" || name == "default") {
      everything = true;
    } else {
      wanted.push_back(name);
    }
  }
  std::string out;
  for (const InfoSection& section : kInfoSections) {
    bool include = everything;
    for (const std::string& name : wanted) include = include || name == section.name;
    if (!include) continue;
    if (!out.empty()) out += "\r\n";
    out += section.render(ctx);
  }
  return Reply::bulk(std::move(out));
}

}  // namespace

std::vector<CommandRow> server_command_rows() {
  return {
      {"command", -1, kLoading | kStale, nullptr},
      {"command|count", 2, kLoading | kStale, command_count_command},
      {"command|docs", -2, kLoading | kStale, command_docs_command},
      {"command|help", 2, kLoading | kStale, command_help_command},
      {"command|list", -2, kLoading | kStale, command_list_command},
      {"dbsize", 1, kReadonly | kFast, dbsize_command},
      {"debug", -2, kAdmin | kNoScript | kLoading | kStale, debug_command},
      {"echo", 2, kLoading | kStale | kFast, echo_command},
      {"flushall", -1, kWrite, flushall_command},
      {"flushdb", -1, kWrite, flushdb_command},
      {"info", -1, kLoading | kStale, info_command},
      {"ping", -1, kFast, ping_command},
      {"select", 2, kLoading | kStale | kFast, select_command},
      {"swapdb", 3, kWrite | kFast, swapdb_command},
      {"time", 1, kLoading | kStale | kFast, time_command},
  };
}

}  // namespace redpad
