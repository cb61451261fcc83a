// Scripting: EVAL, EVALSHA and their read-only forms run a Lua 5.1 script atomically (the
// virtual clock stands still while it runs, so no key expires in the middle); SCRIPT LOAD,
// EXISTS and FLUSH manage the script cache. The Lua side is scripting/lua_vm.cpp.
#include <optional>
#include <string>
#include <vector>

#include "../ascii.h"
#include "../scripting/lua_vm.h"
#include "../sha1.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kUnknownCommandFromScript = "ERR Unknown Redis command called from script";
constexpr const char* kArityFromScript =
    "ERR Wrong number of args calling Redis command from script";
constexpr const char* kNotAllowedFromScript = "ERR This Redis command is not allowed from script";
constexpr const char* kWriteFromReadOnlyScript =
    "ERR Write commands are not allowed from read-only scripts.";
constexpr const char* kNoLua =
    "ERR redpad: this build of the engine has no Lua; scripts need redpad-engine-lua";
constexpr const char* kNumkeysNegative = "ERR Number of keys can't be negative";
constexpr const char* kNoMatchingScript = "NOSCRIPT No matching script. Please use EVAL.";
constexpr const char* kFlushModes = "ERR SCRIPT FLUSH only support SYNC|ASYNC option";
constexpr const char* kNoScriptRunning = "NOTBUSY No scripts in execution right now.";
constexpr const char* kNoLuaDebugger =
    "ERR redpad has no Lua debugger: SCRIPT DEBUG YES and SYNC are not available";
constexpr const char* kDebugModes = "ERR Use SCRIPT DEBUG YES/SYNC/NO";

// The commands of one script's redis.call: run for a client of its own in the caller's
// database (a SELECT inside the script stays inside), which never blocks, after the checks
// Redis makes on a command from a script.
class ScriptCommands final : public ScriptHost {
 public:
  ScriptCommands(CommandContext& ctx, bool read_only)
      : server_(ctx.server),
        read_only_(read_only),
        now_ms_(ctx.now_ms),
        key_time_ms_(ctx.key_time_ms) {
    client_.id = ctx.session.id;
    client_.name = ctx.session.name;
    client_.label = ctx.session.label;
    client_.db = ctx.session.db;
    client_.in_exec = true;
    client_.in_script = true;
  }

  Reply call(const std::vector<std::string>& args) override {
    const CommandSpec* spec = find(args);
    if (!spec) return Reply::error(kUnknownCommandFromScript);
    if (!spec->accepts_argument_count(args.size())) return Reply::error(kArityFromScript);
    if (spec->has(kNoScript)) return Reply::error(kNotAllowedFromScript);
    // PUBLISH is not a write, but Redis counts it as one here (it may replicate).
    if (read_only_ && (spec->has(kWrite) || spec->name == "publish" || spec->name == "spublish"))
      return Reply::error(kWriteFromReadOnlyScript);
    if (spec->has(kDenyOom) && server_.over_maxmemory()) return Reply::error(errors::kOutOfMemory);
    return server_.call(*spec, client_, args, now_ms_, key_time_ms_);
  }

  bool command_exists(const std::vector<std::string>& args) override {
    return find(args) != nullptr;
  }

 private:
  const CommandSpec* find(const std::vector<std::string>& args) const {
    const CommandSpec* spec = server_.commands().find(args[0]);
    if (spec && !spec->subcommands.empty() && args.size() >= 2)
      spec = spec->find_subcommand(args[1]);
    return spec;
  }

  Server& server_;
  ClientSession client_;
  bool read_only_;
  std::int64_t now_ms_;
  std::int64_t key_time_ms_;
};

// The WebAssembly page loads the engine with Lua before it runs a script; a host that does
// not gets this.
Reply no_scripting_error() {
  return Reply::error(kNoLua);
}

// numkeys, checked before the script is looked at, as in Redis.
std::optional<Reply> parse_numkeys(const CommandContext& ctx, long long& numkeys) {
  if (!parse_integer(ctx.args[2], numkeys)) return not_integer_error();
  if (numkeys < 0) return Reply::error(kNumkeysNegative);
  if (static_cast<unsigned long long>(numkeys) > ctx.args.size() - 3)
    return Reply::error(errors::kNumkeysTooMany);
  return std::nullopt;
}

// Runs the cached script `sha` with the keys and arguments after numkeys.
Reply run_script(CommandContext& ctx, const std::string& sha, long long numkeys, bool read_only) {
  auto found = ctx.server.scripts().find(sha);
  if (found == ctx.server.scripts().end()) return Reply::error(kNoMatchingScript);
  ScriptVM* lua = ctx.server.scripting();
  if (!lua) return no_scripting_error();
  // Compiled already, unless SCRIPT FLUSH made a new Lua state since.
  std::string error = lua->compile(sha, found->second);
  if (!error.empty()) return Reply::error(std::move(error));
  const auto first_key = ctx.args.begin() + 3;
  const auto first_arg = first_key + static_cast<std::ptrdiff_t>(numkeys);
  const std::vector<std::string> keys(first_key, first_arg);
  const std::vector<std::string> argv(first_arg, ctx.args.end());
  ScriptCommands commands(ctx, read_only);
  return lua->run(sha, keys, argv, commands);
}

// Compiles a script body and caches it under its SHA-1 (set in `sha`); the compile error if
// it has one.
std::optional<Reply> load_script(CommandContext& ctx, const std::string& body, std::string& sha) {
  sha = sha1_hex(body);
  ScriptVM* lua = ctx.server.scripting();
  if (!lua) return no_scripting_error();
  std::string error = lua->compile(sha, body);
  if (!error.empty()) return Reply::error(std::move(error));
  ctx.server.scripts().try_emplace(sha, body);
  return std::nullopt;
}

Reply eval_generic(CommandContext& ctx, bool read_only) {
  long long numkeys = 0;
  if (auto error = parse_numkeys(ctx, numkeys)) return *error;
  std::string sha;
  if (auto error = load_script(ctx, ctx.args[1], sha)) return *error;
  return run_script(ctx, sha, numkeys, read_only);
}

Reply evalsha_generic(CommandContext& ctx, bool read_only) {
  long long numkeys = 0;
  if (auto error = parse_numkeys(ctx, numkeys)) return *error;
  return run_script(ctx, ascii_lower(ctx.args[1]), numkeys, read_only);
}

Reply eval_command(CommandContext& ctx) {
  return eval_generic(ctx, false);
}
Reply eval_ro_command(CommandContext& ctx) {
  return eval_generic(ctx, true);
}
Reply evalsha_command(CommandContext& ctx) {
  return evalsha_generic(ctx, false);
}
Reply evalsha_ro_command(CommandContext& ctx) {
  return evalsha_generic(ctx, true);
}

Reply script_load_command(CommandContext& ctx) {
  std::string sha;
  if (auto error = load_script(ctx, ctx.args[2], sha)) return *error;
  return Reply::bulk(sha);
}

Reply script_exists_command(CommandContext& ctx) {
  std::vector<Reply> found;
  for (size_t i = 2; i < ctx.args.size(); ++i)
    found.push_back(Reply::integer_value(ctx.server.scripts().count(ascii_lower(ctx.args[i]))));
  return Reply::array(std::move(found));
}

Reply script_flush_command(CommandContext& ctx) {
  const auto& args = ctx.args;
  if (args.size() > 3 ||
      (args.size() == 3 && !iequals(args[2], "sync") && !iequals(args[2], "async")))
    return Reply::error(kFlushModes);
  ctx.server.scripts().clear();
  if (ScriptVM* lua = ctx.server.scripting()) lua->flush();
  return Reply::ok();
}

// A script never outlives its EVAL here, so there is never one to kill.
Reply script_kill_command(CommandContext&) {
  return Reply::error(kNoScriptRunning);
}

Reply script_debug_command(CommandContext& ctx) {
  const std::string& mode = ctx.args[2];
  if (iequals(mode, "no")) return Reply::ok();
  if (iequals(mode, "yes") || iequals(mode, "sync")) return Reply::error(kNoLuaDebugger);
  return Reply::error(kDebugModes);
}

Reply script_help_command(CommandContext&) {
  return help_lines({
      "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "DEBUG (YES|SYNC|NO)",
      "    Set the debug mode for subsequent scripts executed.",
      "EXISTS <sha1> [<sha1> ...]",
      "    Return information about the existence of the scripts in the script cache.",
      "FLUSH [ASYNC|SYNC]",
      "    Flush the Lua scripts cache. Very dangerous on replicas.",
      "    When called without the optional mode argument, the behavior is determined by the",
      "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
      "    * ASYNC: Asynchronously flush the scripts cache.",
      "    * SYNC: Synchronously flush the scripts cache.",
      "KILL",
      "    Kill the currently executing Lua script.",
      "LOAD <script>",
      "    Load a script into the scripts cache without executing it.",
      "HELP",
      "    Prints this help.",
  });
}

}  // namespace

std::vector<CommandRow> scripting_command_rows() {
  return {
      {"eval", eval_command},
      {"eval_ro", eval_ro_command},
      {"evalsha", evalsha_command},
      {"evalsha_ro", evalsha_ro_command},
      {"script|debug", script_debug_command},
      {"script|exists", script_exists_command},
      {"script|flush", script_flush_command},
      {"script|help", script_help_command},
      {"script|kill", script_kill_command},
      {"script|load", script_load_command},
  };
}

}  // namespace redpad
