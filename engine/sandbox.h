// The engine as the learner's page (or any embedder) drives it: one server and one
// redis-cli-like console behind a JSON API. Plain C++; the WebAssembly bindings only pass
// strings to and from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "change_log.h"
#include "console.h"
#include "lesson_checks.h"
#include "script_runner.h"
#include "server.h"

namespace redpad {

struct SandboxOptions {
  std::int64_t start_time_ms = 0;  // the virtual clock's first reading
  std::uint64_t seed = 0;          // random draws (RANDOMKEY, SPOP...)
  bool ansi = false;               // keep redis-cli's colour codes in help text
  std::uint64_t maxmemory = 0;     // bytes; 0: no limit (CONFIG SET maxmemory changes it)
  // Lua instructions an EVAL may run before it is stopped (0: the server's default).
  std::uint64_t script_instructions = 0;
  // Real time after which a script is stopped anyway (0: the server's default).
  std::uint64_t script_time_ms = 0;
};

// What one run() may do: a page's Run must end, and must not keep more than a tab can hold.
struct RunLimits {
  bool record = true;                           // the commands join the transcript checks read
  size_t max_results = SIZE_MAX;                // lines described in full; the rest only counted
  std::uint64_t max_commands = UINT64_MAX;      // commands executed, repeats included
  std::uint64_t max_output_bytes = UINT64_MAX;  // reply text kept, over all lines
  // At the end, let time pass until every blocked client with a timeout has its answer
  // (what redpad-cli does at the end of its input); otherwise they stay blocked.
  bool wait_for_timeouts = false;
};

// The step timeline's state across Runs since the last reset (change_log.h).
struct StepLog {
  std::unique_ptr<ChangeLog> log;  // null: steps are not recorded
  std::uint64_t next_id = 1;
  // A client whose WATCHed key changed: the step that changed it, and the key.
  struct Broken {
    std::uint64_t watcher_id = 0;
    std::uint64_t step = 0;
    std::string key;
  };
  std::vector<Broken> broken_by;
};

class Sandbox {
 public:
  explicit Sandbox(SandboxOptions options = {});

  // Runs a script (redis-cli lines, comments, `@client` lines) and returns, as JSON, one
  // entry per thing that happened and the clients' state afterwards. The JSON of run(),
  // tick(), check(), snapshot() and commands() is defined once, in
  // web/engine/contract.schema.json (tests/web/contract.test.mjs holds the engine to it).
  // The commands join the transcript that task checks read, unless `limits.record` is false
  // (a lesson's setup). Only the first `max_results` entries are described, the rest
  // counted, so a pasted script of a million lines does not build a huge answer. The script
  // stops at the line that found max_commands spent; past max_output_bytes the commands
  // still run but their replies are not kept.
  std::string run(std::string_view script, const RunLimits& limits);
  std::string run(std::string_view script, bool record = true,
                  size_t max_results = static_cast<size_t>(-1)) {
    RunLimits limits;
    limits.record = record;
    limits.max_results = max_results;
    return run(script, limits);
  }

  // Evaluates a lesson's checks (a JSON array, see lesson_checks.h) against the current
  // state and the transcript. Malformed JSON gives one failed result saying so.
  std::string check(std::string_view checks_json) const;

  // Lets the clock's time pass for blocked clients: those whose timeout has come get their
  // answer, and the lines behind them run. Answers as run() does.
  std::string tick();

  // Runs a script and returns only what redis-cli would print, byte for byte (the JSON of
  // run() must replace bytes that are not UTF-8; this does not), then waits out blocked
  // clients' timeouts as redpad-cli does. Output of clients other than `main` is headed by
  // a line "@name" whenever the client changes.
  std::string run_display(std::string_view script);

  // The selected database's keys for the inspector, sorted by name, at most `max_keys`.
  std::string snapshot(size_t max_keys) const;

  // Every command and subcommand with its documentation, for the editor (highlighting and
  // completion).
  std::string commands() const;

  std::int64_t now_ms() const { return server_->clock().now_ms(); }
  // The host's own clock (the page's real time); virtual time = host time + advances.
  void set_host_time(std::int64_t ms) { server_->clock().set_host_time(ms); }
  void advance(std::int64_t ms) { server_->clock().advance(ms); }

  // While on, every run() and tick() answer carries `steps`: what each command did to the
  // keyspace, each expiry, who caused what (contract.schema.json). Kept across resets
  // (which start the steps again from 1). The CLI and run_display never pay for it.
  void set_record_steps(bool on);

  // An empty server again (and an empty transcript), with the same options and the current
  // host time; or with new options (a lesson's own clock start and seed).
  void reset();
  void reset(SandboxOptions options);

  Server& server() { return *server_; }
  ClientSession& session() { return server_->default_session(); }

  // One page of a key's value for the inspector's per-type views (engine/inspect.h): read
  // only, the server is left exactly as it was. A negative `db`: the database the default
  // client has selected (the one snapshot() shows).
  std::string inspect(int db, const std::string& key, size_t offset, size_t count) const;

 private:
  SandboxOptions options_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<ScriptRunner> runner_;
  Transcript transcript_;
  bool record_steps_ = false;
  StepLog steps_;

  StepLog* steps() { return steps_.log ? &steps_ : nullptr; }
  void start_steps();
};

}  // namespace redpad
