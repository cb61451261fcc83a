// Runs scripts whose lines may belong to several clients of one server (`@worker-2` lines
// switch the client; docs/clients.md). Each client has its own redis-cli console; a line
// for a client whose command is blocked waits behind it, and runs once the client is
// answered. Everything that happens is reported, in order, as events: a line's result, a
// command that blocked, the answer a blocked client gets later, a Pub/Sub message, a line
// left unrun. The page's Sandbox and the CLI both run scripts through this.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "console.h"
#include "script.h"
#include "server.h"

namespace redpad {

struct RunEvent {
  enum class Kind {
    Line,     // a line ran (result.kind says how: replies, help, invalid...)
    Blocked,  // a line's command is waiting; its answer comes as a later Answer
    Answer,   // a blocked command's answer (cause: served, timeout, unblocked)
    Message,  // a Pub/Sub message pushed to a subscriber
    NotRun,   // a line still waiting behind a command blocked for ever when the script ended
  };
  Kind kind = Kind::Line;
  const std::string* client = nullptr;  // the client's script name
  ConsoleResult* result = nullptr;      // what its redis-cli shows (empty for Blocked, NotRun)
  Delivery::Cause cause = Delivery::Cause::Served;
  int source_line = 0;  // Message: the line that published it
};

using RunEventSink = std::function<void(const RunEvent&)>;

// A connected client: its console and the lines typed while it was blocked.
struct ScriptClient {
  std::string name;
  ClientSession* session = nullptr;
  std::unique_ptr<Console> console;
  std::deque<ScriptLine> waiting;
};

class ScriptRunner {
 public:
  static constexpr size_t kMaxClients = 32;

  ScriptRunner(Server& server, bool ansi);

  // Runs a script, starting with client `main`. Returns false if it stopped early (a quit
  // by `main`, or the command budget ran out). Blocked clients with lines waiting are then
  // waited for (the clock moves to their timeouts); clients blocked with nothing waiting
  // stay blocked.
  bool run_script(std::string_view script, const RunEventSink& sink);
  // One line, for a line-by-line host (the interactive CLI); `current_client` follows.
  bool run_line(ScriptLine& line, const RunEventSink& sink);
  // Timeouts that have come (the clock moved) end their waits; lines behind them run.
  void tick(const RunEventSink& sink);
  // Lets time pass until every client blocked with a timeout has its answer (redpad-cli at
  // the end of its input, as redis-cli would wait). Clients blocked for ever stay so.
  void wait_for_timeouts(const RunEventSink& sink);
  // Lines waiting behind blocked clients run as soon as time allows: the clock moves to
  // the earliest such timeout, again and again; lines behind a wait with no timeout are
  // reported NotRun and dropped.
  void settle(const RunEventSink& sink);

  void set_limits(std::uint64_t commands, std::uint64_t output_bytes) {
    budget_.commands_left = commands;
    budget_.output_left = output_bytes;
  }
  std::uint64_t commands_left() const { return budget_.commands_left; }
  bool budget_exhausted() const { return exhausted_; }

  const std::vector<std::unique_ptr<ScriptClient>>& clients() const { return clients_; }
  const ScriptClient& current_client() const { return *current_; }
  ScriptClient& main_client() { return *clients_.front(); }

 private:
  ScriptClient* find_client(std::uint64_t session_id);
  ScriptClient* client_named(const std::string& name);  // connects it if new; null if full
  bool execute(ScriptClient& client, ScriptLine& line, const RunEventSink& sink);
  void deliver(const RunEventSink& sink);
  void run_waiting(ScriptClient& client, const RunEventSink& sink);
  bool advance_to(std::int64_t time_ms);
  void emit(RunEvent::Kind kind, ScriptClient& client, ConsoleResult* result,
            const RunEventSink& sink);

  Server& server_;
  bool ansi_;
  ConsoleBudget budget_;
  bool exhausted_ = false;
  bool stopped_ = false;  // `main` quit or the budget ran out: nothing more runs
  std::vector<std::unique_ptr<ScriptClient>> clients_;
  ScriptClient* current_ = nullptr;
  int current_line_ = 0;
  ConsoleResult line_result_;      // reused for every line: no allocation per line
  ConsoleResult delivery_result_;  // and for every answer and message
};

}  // namespace redpad
