// Server and connection commands: PING, ECHO, SELECT, SWAPDB, DBSIZE, FLUSHDB, FLUSHALL,
// TIME, DEBUG (SLEEP moves the virtual clock), COMMAND and INFO.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../ascii.h"
#include "../glob.h"
#include "../heap_usage.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kInvalidFirstDbIndex = "ERR invalid first DB index";
constexpr const char* kInvalidSecondDbIndex = "ERR invalid second DB index";
constexpr const char* kNoConfigFile = "ERR The server is running without a config file";
constexpr const char* kImmutableConfig = "can't set immutable config";
constexpr const char* kDuplicateParameter = "duplicate parameter";

// CONFIG SET's refusal of one parameter (`parameter` as the table or the client spells it).
Reply config_set_failed_error(const std::string& parameter, const std::string& reason) {
  return echoing_error("ERR CONFIG SET failed (possibly related to argument '" +
                       errors::echoed(parameter) + "') - " + reason);
}

Reply ping_command(CommandContext& ctx) {
  if (ctx.args.size() > 2) return arity_error(ctx);
  // A subscribed client gets its PONG in the shape of a Pub/Sub message.
  if (ctx.session.subscribed()) {
    return Reply::array(
        {Reply::bulk("pong"), Reply::bulk(ctx.args.size() == 2 ? ctx.args[1] : "")});
  }
  return ctx.args.size() == 2 ? Reply::bulk(ctx.args[1]) : Reply::status("PONG");
}

Reply echo_command(CommandContext& ctx) {
  return Reply::bulk(ctx.args[1]);
}

// A database index as SWAPDB reads it: a 32-bit integer (either failure is SWAPDB's own error).
bool parse_db_index(const std::string& text, long long& index) {
  return parse_integer(text, index) && index >= INT32_MIN && index <= INT32_MAX;
}

bool in_range(const CommandContext& ctx, long long index) {
  return index >= 0 && index < ctx.server.database_count();
}

Reply select_command(CommandContext& ctx) {
  long long index = 0;
  if (auto error = parse_int32_argument(ctx.args[1], index)) return *error;
  if (!in_range(ctx, index)) return Reply::error(errors::kDbIndexOutOfRange);
  ctx.session.db = static_cast<int>(index);
  return Reply::ok();
}

Reply swapdb_command(CommandContext& ctx) {
  long long first = 0;
  long long second = 0;
  if (!parse_db_index(ctx.args[1], first)) return Reply::error(kInvalidFirstDbIndex);
  if (!parse_db_index(ctx.args[2], second)) return Reply::error(kInvalidSecondDbIndex);
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
std::optional<Reply> check_flush_arguments(const CommandContext& ctx) {
  const bool valid =
      ctx.args.size() == 1 ||
      (ctx.args.size() == 2 && (iequals(ctx.args[1], "async") || iequals(ctx.args[1], "sync")));
  if (!valid) return syntax_error();
  return std::nullopt;
}

Reply flushdb_command(CommandContext& ctx) {
  if (auto error = check_flush_arguments(ctx)) return *error;
  ctx.server.signal_db_replaced(ctx.db_index());
  ctx.db().clear();
  return Reply::ok();
}

Reply flushall_command(CommandContext& ctx) {
  if (auto error = check_flush_arguments(ctx)) return *error;
  for (int i = 0; i < ctx.server.database_count(); ++i) {
    ctx.server.signal_db_replaced(i);
    ctx.server.db(i).clear();
  }
  return Reply::ok();
}

Reply time_command(CommandContext& ctx) {
  const std::int64_t now = ctx.now_ms;
  return Reply::array(
      {Reply::bulk(std::to_string(now / 1000)), Reply::bulk(std::to_string((now % 1000) * 1000))});
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

std::optional<Reply> parse_non_negative(const std::string& text, long long& value) {
  if (!parse_integer(text, value) || value < 0) return Reply::error(errors::kMustBePositive);
  return std::nullopt;
}

Reply debug_populate(CommandContext& ctx) {
  long long count = 0;
  long long value_size = 0;
  if (auto error = parse_non_negative(ctx.args[2], count)) return *error;
  if (ctx.args.size() == 5) {
    if (auto error = parse_non_negative(ctx.args[4], value_size)) return *error;
  }
  // Redis builds the names in a 128-byte C buffer: a NUL ends the prefix, 127 bytes at most.
  std::string prefix = ctx.args.size() >= 4 ? ctx.args[3] : "key";
  prefix = prefix.substr(0, prefix.find('\0'));
  Database& db = ctx.db();
  for (long long i = 0; i < count; ++i) {
    // Real Redis ignores maxmemory here; a browser tab cannot: stop once it is reached
    // (the keys made so far stay).
    if (ctx.server.would_exceed_maxmemory(static_cast<std::uint64_t>(value_size) + 128)) {
      return Reply::error(errors::kOutOfMemory);
    }
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
  return subcommand_syntax_error(ctx);
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
    for (const CommandSpec& sub : spec.subcommands)
      add(sub);
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
    for (const auto& item : value)
      items.push_back(json_to_reply(item, as_status));
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
    for (const CommandSpec& spec : table.all())
      add(spec);
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

// ---- CONFIG ----
// The parameters that mean something here. Every other name Redis knows reads as unknown:
// CONFIG GET lists nothing for it and CONFIG SET refuses it.

// Redis's memory values: digits, then an optional unit (b, k, kb, m, mb, g, gb, any case).
// Like Redis, too many digits saturate and a unit that overflows wraps around.
bool parse_memory_value(const std::string& text, std::uint64_t& out) {
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9')
    ++digits;
  const std::string unit = ascii_lower(text.substr(digits));
  std::uint64_t multiplier = 1;
  if (unit.empty() || unit == "b") {
    multiplier = 1;
  } else if (unit == "k") {
    multiplier = 1000;
  } else if (unit == "kb") {
    multiplier = 1024;
  } else if (unit == "m") {
    multiplier = 1000 * 1000;
  } else if (unit == "mb") {
    multiplier = 1024 * 1024;
  } else if (unit == "g") {
    multiplier = 1000ull * 1000 * 1000;
  } else if (unit == "gb") {
    multiplier = 1024ull * 1024 * 1024;
  } else {
    return false;
  }
  std::uint64_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    const auto digit = static_cast<std::uint64_t>(text[i] - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      value = UINT64_MAX;
      break;
    }
    value = value * 10 + digit;
  }
  out = value * multiplier;
  return true;
}

struct ConfigParameter {
  const char* name;
  std::string (*get)(const Server&);
  // Checks and applies a value; returns the reason it was refused, or "" when set.
  std::string (*set)(Server&, const std::string&);  // nullptr: immutable
};

const ConfigParameter kConfigParameters[] = {
    {"databases", [](const Server& server) { return std::to_string(server.database_count()); },
     nullptr},
    {"maxmemory", [](const Server& server) { return std::to_string(server.config().maxmemory); },
     [](Server& server, const std::string& value) -> std::string {
       std::uint64_t bytes = 0;
       if (!parse_memory_value(value, bytes)) return "argument must be a memory value";
       server.config().maxmemory = bytes;
       return "";
     }},
    {"maxmemory-policy", [](const Server&) { return std::string("noeviction"); },
     [](Server&, const std::string& value) -> std::string {
       if (iequals(value, "noeviction")) return "";
       static const char* const kPolicies[] = {"volatile-lru",  "volatile-lfu", "volatile-random",
                                               "volatile-ttl",  "allkeys-lru",  "allkeys-lfu",
                                               "allkeys-random"};
       for (const char* policy : kPolicies) {
         // Real Redis would start evicting keys; redpad has no eviction, so it says so.
         if (iequals(value, policy))
           return "redpad does not evict keys: only noeviction is supported";
       }
       return "argument(s) must be one of the following: volatile-lru, volatile-lfu, "
              "volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, "
              "noeviction";
     }},
    {"proto-max-bulk-len",
     [](const Server& server) { return std::to_string(server.config().proto_max_bulk_len); },
     [](Server& server, const std::string& value) -> std::string {
       std::uint64_t bytes = 0;
       if (!parse_memory_value(value, bytes)) return "argument must be a memory value";
       if (bytes < 1024 * 1024 || bytes > static_cast<std::uint64_t>(INT64_MAX)) {
         return "argument must be between 1048576 and 9223372036854775807 inclusive";
       }
       server.config().proto_max_bulk_len = bytes;
       return "";
     }},
};

const ConfigParameter* find_config_parameter(const std::string& name) {
  for (const ConfigParameter& parameter : kConfigParameters) {
    if (iequals(name, parameter.name)) return &parameter;
  }
  return nullptr;
}

Reply config_get_command(CommandContext& ctx) {
  // A plain name is listed as typed, a pattern's matches under their own names; each
  // parameter once (the first way it was asked for wins).
  std::vector<std::pair<std::string, const ConfigParameter*>> matches;
  auto add = [&matches](std::string shown, const ConfigParameter& parameter) {
    for (const auto& match : matches) {
      if (match.second == &parameter) return;
    }
    matches.emplace_back(std::move(shown), &parameter);
  };
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::string& pattern = ctx.args[i];
    if (pattern.find_first_of("*?[") == std::string::npos) {
      if (const ConfigParameter* parameter = find_config_parameter(pattern))
        add(pattern, *parameter);
      continue;
    }
    for (const ConfigParameter& parameter : kConfigParameters) {
      if (glob_match(pattern, parameter.name, true)) add(parameter.name, parameter);
    }
  }
  std::vector<Reply> items;
  for (const auto& [shown, parameter] : matches) {
    items.push_back(Reply::bulk(shown));
    items.push_back(Reply::bulk(parameter->get(ctx.server)));
  }
  return Reply::array(std::move(items));
}

Reply config_set_command(CommandContext& ctx) {
  if ((ctx.args.size() - 2) % 2 != 0) return syntax_error();
  std::vector<const ConfigParameter*> parameters;
  for (size_t i = 2; i < ctx.args.size(); i += 2) {
    const ConfigParameter* parameter = find_config_parameter(ctx.args[i]);
    if (!parameter) {
      return echoing_error("ERR Unknown option or number of arguments for CONFIG SET - '" +
                           errors::echoed(ctx.args[i]) + "'");
    }
    if (!parameter->set) return config_set_failed_error(parameter->name, kImmutableConfig);
    for (const ConfigParameter* earlier : parameters) {
      // This one error names the parameter as typed.
      if (earlier == parameter) return config_set_failed_error(ctx.args[i], kDuplicateParameter);
    }
    parameters.push_back(parameter);
  }
  // All or nothing: the values are tried on a copy of the configuration first.
  const ServerConfig before = ctx.server.config();
  for (size_t i = 0; i < parameters.size(); ++i) {
    const std::string reason = parameters[i]->set(ctx.server, ctx.args[3 + 2 * i]);
    if (!reason.empty()) {
      ctx.server.config() = before;
      return config_set_failed_error(parameters[i]->name, reason);
    }
  }
  return Reply::ok();
}

Reply config_resetstat_command(CommandContext& ctx) {
  ctx.server.stats() = ServerStats{};
  return Reply::ok();
}

Reply config_rewrite_command(CommandContext&) {
  return Reply::error(kNoConfigFile);
}

Reply config_help_command(CommandContext&) {
  return help_lines({
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
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

// Sizes as Redis prints them for people: "1.06M", "64.00M", "0B".
std::string human_bytes(std::uint64_t bytes) {
  const char* const units[] = {"B", "K", "M", "G", "T", "P"};
  if (bytes < 1024) return std::to_string(bytes) + "B";
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%s", value, units[unit]);
  return text;
}

// used_memory is the heap the engine holds (its whole process, like Redis's count).
std::string info_memory(const CommandContext& ctx) {
  const std::uint64_t used = heap_bytes_in_use();
  const std::uint64_t maxmemory = ctx.server.config().maxmemory;
  std::string out = "# Memory\r\n";
  out += "used_memory:" + std::to_string(used) + "\r\n";
  out += "used_memory_human:" + human_bytes(used) + "\r\n";
  out += "maxmemory:" + std::to_string(maxmemory) + "\r\n";
  out += "maxmemory_human:" + human_bytes(maxmemory) + "\r\n";
  out += "maxmemory_policy:noeviction\r\n";
  return out;
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
    {"server", info_server}, {"clients", info_clients},   {"memory", info_memory},
    {"stats", info_stats},   {"keyspace", info_keyspace},
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
    for (const std::string& name : wanted)
      include = include || name == section.name;
    if (!include) continue;
    if (!out.empty()) out += "\r\n";
    out += section.render(ctx);
  }
  return Reply::bulk(std::move(out));
}

}  // namespace

std::vector<CommandRow> server_command_rows() {
  return {
      {"command|count", command_count_command},
      {"command|docs", command_docs_command},
      {"command|help", command_help_command},
      {"command|list", command_list_command},
      {"config|get", config_get_command},
      {"config|help", config_help_command},
      {"config|resetstat", config_resetstat_command},
      {"config|rewrite", config_rewrite_command},
      {"config|set", config_set_command},
      {"dbsize", dbsize_command},
      {"debug", debug_command},
      {"echo", echo_command},
      {"flushall", flushall_command},
      {"flushdb", flushdb_command},
      {"info", info_command},
      {"ping", ping_command},
      {"select", select_command},
      {"swapdb", swapdb_command},
      {"time", time_command},
  };
}

}  // namespace redpad
