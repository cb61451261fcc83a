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
  for (const RedisCommand& command : redis_commands()) {
    if (command.acl_categories & category) items.push_back(Reply::bulk(command.name));
  }
  return Reply::array(std::move(items));
}

// The default user may run anything, so a dry run only checks that the command exists and
// that its argument count fits, as the real server does before checking permissions.
Reply acl_dryrun_command(CommandContext& ctx) {
  const std::vector<std::string>& args = ctx.args;
  if (args[2] != "default") return unknown_user_error(args[2]);
  const size_t argc = args.size() - 3;
  // Real Redis's commands, implemented here or not; a subcommand only under its container.
  const std::string name = ascii_lower(args[3]);
  const RedisCommand* command =
      name.find('|') == std::string::npos ? find_redis_command(name) : nullptr;
  if (command && has_redis_subcommands(*command) && argc >= 2) {
    command = find_redis_command(name + "|" + ascii_lower(args[4]));
  }
  if (!command) return unknown_acl_command_error(args[3]);
  if (!arity_accepts(command->arity, argc)) {
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

}  // namespace

std::vector<CommandRow> admin_command_rows() {
  return {
      {"acl|cat", acl_cat_command},
      {"acl|deluser", acl_deluser_command},
      {"acl|dryrun", acl_dryrun_command},
      {"acl|genpass", acl_genpass_command},
      {"acl|getuser", acl_getuser_command},
      {"acl|help", acl_help_command},
      {"acl|list", acl_list_command},
      {"acl|load", acl_no_file_command},
      {"acl|save", acl_no_file_command},
      {"acl|users", acl_users_command},
      {"acl|whoami", acl_whoami_command},
      {"bgrewriteaof", bgrewriteaof_command},
      {"bgsave", bgsave_command},
      {"lastsave", lastsave_command},
      {"latency|doctor", latency_doctor_command},
      {"latency|graph", latency_graph_command},
      {"latency|help", latency_help_command},
      {"latency|history", latency_history_command},
      {"latency|latest", latency_latest_command},
      {"latency|reset", latency_reset_command},
      {"module|help", module_help_command},
      {"module|list", module_list_command},
      {"module|load", module_disabled_command},
      {"module|loadex", module_disabled_command},
      {"module|unload", module_disabled_command},
      {"role", role_command},
      // SAVE is refused inside MULTI (Redis's no-multi flag): see save_command.
      {"save", save_command, kTransactionControl},
      {"slowlog|get", slowlog_get_command},
      {"slowlog|help", slowlog_help_command},
      {"slowlog|len", slowlog_len_command},
      {"slowlog|reset", slowlog_reset_command},
      {"wait", wait_command},
  };
}

}  // namespace redpad
