// Connection commands: AUTH, QUIT, RESET, CLIENT, and the cluster-only READONLY,
// READWRITE, ASKING and CLUSTER, which a standalone server refuses.
#include <cstdint>
#include <string>
#include <vector>

#include "../ascii.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kAuthWithoutPassword =
    "ERR AUTH <password> called without any password configured for the default user. Are "
    "you sure your configuration is correct?";
constexpr const char* kWrongPass = "WRONGPASS invalid username-password pair or user is disabled.";
constexpr const char* kClusterDisabled = "ERR This instance has cluster support disabled";
constexpr const char* kBadClientName =
    "ERR Client names cannot contain spaces, newlines or special characters.";
constexpr const char* kInvalidClientId = "ERR Invalid client ID";
constexpr const char* kCachingWithoutTracking =
    "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or "
    "OPTOUT mode enabled";
constexpr const char* kUnblockReason = "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR";
constexpr const char* kUnblockedByClient = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
// Not a Redis text: with OFF or SKIP the server stops answering, and redis-cli then waits
// for ever for the reply it expects (checked with redis-cli 7.0.15). A sandbox cannot show
// that, so it says why instead of pretending.
constexpr const char* kReplyModeUnavailable =
    "ERR CLIENT REPLY OFF and SKIP are not available in redpad: the server would stop "
    "answering and redis-cli would wait for ever";

// The one user a server without ACL configuration has: any password opens it.
constexpr const char* kDefaultUser = "default";

Reply unknown_client_type_error(const std::string& type) {
  return echoing_error("ERR Unknown client type '" + errors::echoed(type) + "'");
}

// ---- AUTH, QUIT, RESET ----

Reply auth_command(CommandContext& ctx) {
  if (ctx.args.size() > 3) return syntax_error();
  if (ctx.args.size() == 2) return Reply::error(kAuthWithoutPassword);
  // "default" is a nopass user; no other user exists (names are case-sensitive).
  return ctx.args[1] == kDefaultUser ? Reply::ok() : Reply::error(kWrongPass);
}

// redis-cli (and redpad's console) closes the connection itself on QUIT; a server asked
// directly just says OK.
Reply quit_command(CommandContext&) {
  return Reply::ok();
}

// RESET returns the connection to its state right after connecting: no transaction, no
// watched keys, database 0, no name. (CLIENT NO-EVICT survives it in Redis 7.0.15.)
Reply reset_command(CommandContext& ctx) {
  ClientSession& session = ctx.session;
  session.in_multi = false;
  session.multi_error = false;
  session.queued.clear();
  ctx.server.unwatch_all(session);
  session.db = 0;
  session.name.clear();
  using Kind = Server::ChannelKind;
  while (!session.channels.empty())
    ctx.server.unsubscribe(session, Kind::Channel, session.channels.front());
  while (!session.patterns.empty())
    ctx.server.unsubscribe(session, Kind::Pattern, session.patterns.front());
  while (!session.shard_channels.empty())
    ctx.server.unsubscribe(session, Kind::Shard, session.shard_channels.front());
  return Reply::status("RESET");
}

// ---- CLIENT ----

// The size of a command as Redis's query buffer holds it (RESP multibulk).
long long resp_size(const std::vector<std::string>& args) {
  auto line = [](char kind, size_t n) { return std::string(1, kind) + std::to_string(n) + "\r\n"; };
  size_t size = line('*', args.size()).size();
  for (const std::string& arg : args)
    size += line('$', arg.size()).size() + arg.size() + 2;
  return static_cast<long long>(size);
}

// One line of CLIENT LIST / CLIENT INFO. The fields tied to a real socket or allocator
// (addr, laddr, fd, buffers, memory) get plausible values for a virtual client; the rest
// follow the session. The calling client's query buffer holds the command it is running.
std::string client_info_line(const CommandContext& ctx, const ClientSession& session) {
  const bool caller = &session == &ctx.session;
  long long argv_mem = 0;
  if (caller) {
    for (const std::string& arg : ctx.args)
      argv_mem += static_cast<long long>(arg.size());
  }
  const long long qbuf = caller ? resp_size(ctx.args) : 0;
  constexpr long long kQueryBufferAllocation = 20474;
  const long long qbuf_free = qbuf < kQueryBufferAllocation ? kQueryBufferAllocation - qbuf : 0;
  // Redis's order of flags: P(ub/sub) x (MULTI) b(locked) d(irty WATCH).
  std::string flags;
  if (session.subscribed()) flags += 'P';
  if (session.in_multi) flags += 'x';
  if (session.blocked) flags += 'b';
  if (session.watch_dirty) flags += 'd';
  if (flags.empty()) flags = "N";
  const auto seconds_since = [&ctx](std::int64_t ms) {
    return std::to_string(ctx.now_ms > ms ? (ctx.now_ms - ms) / 1000 : 0);
  };
  const auto n = [](long long value) { return std::to_string(value); };

  std::string out;
  out += "id=" + std::to_string(session.id);
  out += " addr=127.0.0.1:" + std::to_string(40000 + session.id % 20000);
  out += " laddr=127.0.0.1:6379 fd=" + std::to_string(7 + session.id);
  out += " name=" + session.name;
  out += " age=" + seconds_since(session.created_ms);
  out += " idle=" + (caller ? std::string("0") : seconds_since(session.last_command_ms));
  out += " flags=" + flags;
  out += " db=" + n(session.db);
  out += " sub=" + n(static_cast<long long>(session.channels.size()));
  out += " psub=" + n(static_cast<long long>(session.patterns.size()));
  out += " ssub=" + n(static_cast<long long>(session.shard_channels.size()));
  out += " multi=" + n(session.in_multi ? static_cast<long long>(session.queued.size()) : -1);
  out += " qbuf=" + n(qbuf) + " qbuf-free=" + n(qbuf_free);
  out += " argv-mem=" + n(argv_mem) + " multi-mem=0";
  out += " rbs=16384 rbp=16384 obl=0 oll=0 omem=0";
  out += " tot-mem=" + n(37648 + argv_mem);
  const CommandSpec* last = caller ? &ctx.spec : session.last_command;
  out += " events=r cmd=" + (last ? last->name : std::string("NULL"));
  out += " user=default redir=-1 resp=2\n";
  return out;
}

Reply client_id_command(CommandContext& ctx) {
  return Reply::integer_value(static_cast<long long>(ctx.session.id));
}

Reply client_getname_command(CommandContext& ctx) {
  return ctx.session.name.empty() ? Reply::nil() : Reply::bulk(ctx.session.name);
}

Reply client_setname_command(CommandContext& ctx) {
  const std::string& name = ctx.args[2];
  for (unsigned char c : name) {
    if (c < '!' || c > '~') return Reply::error(kBadClientName);
  }
  ctx.session.name = name;  // an empty name removes it
  return Reply::ok();
}

Reply client_info_command(CommandContext& ctx) {
  return Reply::bulk(client_info_line(ctx, ctx.session));
}

// CLIENT LIST [TYPE type] | [ID id ...]: every connected client, oldest first.
Reply client_list_command(CommandContext& ctx) {
  const std::vector<std::string>& args = ctx.args;
  const std::vector<const ClientSession*> sessions = ctx.server.sessions();
  std::string out;
  if (args.size() == 2) {
    for (const ClientSession* session : sessions)
      out += client_info_line(ctx, *session);
    return Reply::bulk(std::move(out));
  }
  if (args.size() == 4 && iequals(args[2], "type")) {
    const std::string type = ascii_lower(args[3]);
    if (type == "normal" || type == "pubsub") {
      for (const ClientSession* session : sessions) {
        if (session->subscribed() == (type == "pubsub")) out += client_info_line(ctx, *session);
      }
      return Reply::bulk(std::move(out));
    }
    if (type == "master" || type == "replica" || type == "slave") return Reply::bulk("");
    return unknown_client_type_error(args[3]);
  }
  if (args.size() >= 4 && iequals(args[2], "id")) {
    std::vector<long long> ids;
    for (size_t i = 3; i < args.size(); ++i) {
      long long id = 0;
      if (!parse_integer(args[i], id)) return Reply::error(kInvalidClientId);
      ids.push_back(id);
    }
    for (long long id : ids) {
      const ClientSession* session =
          id > 0 ? ctx.server.find_session(static_cast<std::uint64_t>(id)) : nullptr;
      if (session) out += client_info_line(ctx, *session);
    }
    return Reply::bulk(std::move(out));
  }
  return syntax_error();
}

bool on_or_off(const std::string& word, bool& on) {
  if (iequals(word, "on")) {
    on = true;
    return true;
  }
  on = false;
  return iequals(word, "off");
}

// Accepted and answered as Redis does; the protection from eviction has nothing to act on
// (redpad evicts nothing), and the session keeps no flag for it, so CLIENT INFO shows no 'e'.
Reply client_no_evict_command(CommandContext& ctx) {
  bool on = false;
  if (!on_or_off(ctx.args[2], on)) return syntax_error();
  return Reply::ok();
}

Reply client_reply_command(CommandContext& ctx) {
  const std::string& mode = ctx.args[2];
  if (iequals(mode, "on")) return Reply::ok();
  if (iequals(mode, "off") || iequals(mode, "skip")) return Reply::error(kReplyModeUnavailable);
  return syntax_error();
}

// Client-side caching is never switched on here (CLIENT TRACKING is not implemented), so
// these answer as for a connection without tracking.
Reply client_getredir_command(CommandContext&) {
  return Reply::integer_value(-1);
}

Reply client_trackinginfo_command(CommandContext&) {
  return Reply::array({Reply::bulk("flags"), Reply::array({Reply::bulk("off")}),
                       Reply::bulk("redirect"), Reply::integer_value(-1), Reply::bulk("prefixes"),
                       Reply::array()});
}

Reply client_caching_command(CommandContext&) {
  return Reply::error(kCachingWithoutTracking);
}

// No client is ever paused here.
Reply client_unpause_command(CommandContext&) {
  return Reply::ok();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends another client's blocking command, as if its
// timeout had passed or with an error. 1 if that client was blocked.
Reply client_unblock_command(CommandContext& ctx) {
  const std::vector<std::string>& args = ctx.args;
  if (args.size() > 4) return subcommand_syntax_error(ctx);
  bool with_error = false;
  if (args.size() == 4) {
    with_error = iequals(args[3], "error");
    if (!with_error && !iequals(args[3], "timeout")) return Reply::error(kUnblockReason);
  }
  long long id = 0;
  if (!parse_integer(args[2], id)) return not_integer_error();
  ClientSession* session =
      id > 0 ? ctx.server.find_session(static_cast<std::uint64_t>(id)) : nullptr;
  if (!session || !session->blocked) return Reply::integer_value(0);
  ctx.server.unblock(*session, Delivery::Cause::Unblocked,
                     with_error ? Reply::error(kUnblockedByClient) : Reply::null_array());
  return Reply::integer_value(1);
}

Reply client_help_command(CommandContext&) {
  return help_lines({
      "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are:",
      "    * ADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made from the specified address",
      "    * LADDR (<ip:port>|<unixsocket>:0)",
      "      Kill connections made to specified local address",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Kill connections by type.",
      "    * USER <username>",
      "      Kill connections authenticated by <username>.",
      "    * SKIPME (YES|NO)",
      "      Skip killing current connection (default: yes).",
      "LIST [options ...]",
      "    Return information about client connections. Options:",
      "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
      "      Return clients of specified type.",
      "UNPAUSE",
      "    Stop the current client pause, resuming traffic.",
      "PAUSE <timeout> [WRITE|ALL]",
      "    Suspend all, or just write, clients for <timeout> milliseconds.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "NO-EVICT (ON|OFF)",
      "    Protect current client connection from eviction.",
      "HELP",
      "    Prints this help.",
  });
}

// ---- cluster-only commands ----

Reply cluster_disabled(CommandContext&) {
  return Reply::error(kClusterDisabled);
}

}  // namespace

std::vector<CommandRow> connection_command_rows() {
  return {
      {"asking", cluster_disabled},
      {"auth", auth_command},
      {"client|caching", client_caching_command},
      {"client|getname", client_getname_command},
      {"client|getredir", client_getredir_command},
      {"client|help", client_help_command},
      {"client|id", client_id_command},
      {"client|info", client_info_command},
      {"client|list", client_list_command},
      {"client|no-evict", client_no_evict_command},
      {"client|reply", client_reply_command},
      {"client|setname", client_setname_command},
      {"client|trackinginfo", client_trackinginfo_command},
      {"client|unblock", client_unblock_command},
      {"client|unpause", client_unpause_command},
      {"cluster|addslots", cluster_disabled},
      {"cluster|addslotsrange", cluster_disabled},
      {"cluster|bumpepoch", cluster_disabled},
      {"cluster|count-failure-reports", cluster_disabled},
      {"cluster|countkeysinslot", cluster_disabled},
      {"cluster|delslots", cluster_disabled},
      {"cluster|delslotsrange", cluster_disabled},
      {"cluster|failover", cluster_disabled},
      {"cluster|flushslots", cluster_disabled},
      {"cluster|forget", cluster_disabled},
      {"cluster|getkeysinslot", cluster_disabled},
      {"cluster|help", cluster_disabled},
      {"cluster|info", cluster_disabled},
      {"cluster|keyslot", cluster_disabled},
      {"cluster|links", cluster_disabled},
      {"cluster|meet", cluster_disabled},
      {"cluster|myid", cluster_disabled},
      {"cluster|nodes", cluster_disabled},
      {"cluster|replicas", cluster_disabled},
      {"cluster|replicate", cluster_disabled},
      {"cluster|reset", cluster_disabled},
      {"cluster|saveconfig", cluster_disabled},
      {"cluster|set-config-epoch", cluster_disabled},
      {"cluster|setslot", cluster_disabled},
      {"cluster|shards", cluster_disabled},
      {"cluster|slaves", cluster_disabled},
      {"cluster|slots", cluster_disabled},
      // QUIT and RESET act at once even inside MULTI, as in Redis.
      {"quit", quit_command, kTransactionControl},
      {"readonly", cluster_disabled},
      {"readwrite", cluster_disabled},
      {"reset", reset_command, kTransactionControl},
  };
}

}  // namespace redpad
