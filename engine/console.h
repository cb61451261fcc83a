// redis-cli's side of a session: what happens to a typed line before and after the server
// sees it. Splitting and "Invalid argument(s)", the repeat count ("3 INCR x"), `help` and
// `?`, quit/exit, and the "(1.10s)" line after a slow command. The native CLI and the page
// both drive the engine through this, so they print the same text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "reply.h"
#include "script.h"
#include "server.h"

namespace redpad {

// What redis-cli's prompt shows for a client ("redpad[2](TX)> "): its database and whether
// it is inside MULTI.
struct PromptState {
  int db = 0;
  bool in_multi = false;
};

struct ConsoleResult {
  enum class Kind {
    Replies,      // the server answered (once per repeat)
    Help,         // redis-cli's own help text
    InvalidLine,  // redis-cli refused the line (quoting or repeat count)
    ClearScreen,  // `clear`
    Quit,         // `quit` / `exit`: the session ends here
    Blocked,      // the command is waiting (BLPOP on an empty list): no display yet
  };
  Kind kind = Kind::Replies;
  int line_number = 0;
  PromptState prompt;  // the client's prompt as the line was typed (before it ran)
  std::string text;    // the command as written
  std::vector<std::string> args;
  std::vector<Reply> replies;   // Replies: one per repetition; Help: the help reply
  std::int64_t elapsed_ms = 0;  // virtual time the line took
  std::string display;          // exactly what redis-cli prints for the line
  // The console's budget (ConsoleBudget) cut this line short: the command budget ran out
  // before every repetition ran, or the output budget before every reply was kept (the
  // command still ran; its reply is neither in `replies` nor in `display`).
  bool commands_exhausted = false;
  size_t replies_not_kept = 0;
  long repeats_left = 0;  // Blocked: repetitions of the line still to run once it is answered
};

// What several consoles (one per client) may still spend in one Run, together.
struct ConsoleBudget {
  std::uint64_t commands_left = UINT64_MAX;
  std::uint64_t output_left = UINT64_MAX;
};

class Console {
 public:
  // `budget` is shared with other consoles (clients of one script), or this console's own.
  Console(Server& server, ClientSession& session, ConsoleBudget* budget = nullptr)
      : server_(server), session_(session), budget_(budget ? budget : &own_budget_) {}
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  // Runs one parsed line.
  ConsoleResult run(ScriptLine line);
  // The same into an existing result, whose buffers are reused (a script's lines, one
  // after another, then cost no allocation for their display text and replies list). The
  // line's text and arguments are swapped into the result, not copied.
  void run(ScriptLine& line, ConsoleResult& result);
  // What redis-cli prints when the answer of this client's blocked command arrives (the
  // reply, then the time it took if that was 0.5 s or more), described like a line's result.
  void show_answer(const Delivery& delivery, ConsoleResult& result);
  // A Pub/Sub message as redis-cli prints it.
  void show_message(const Delivery& delivery, ConsoleResult& result);
  // The line whose command is blocked (its number and text), for showing its answer.
  const ConsoleResult& blocked_line() const { return blocked_line_; }
  ClientSession& session() { return session_; }

  // redis-cli's prompt with this product's name: "redpad> ", "redpad[2](TX)> ".
  std::string prompt() const;
  PromptState prompt_state() const { return {session_.db, session_.in_multi}; }

  // `ansi` keeps redis-cli's colours in help text (terminal and pipe); the page drops them.
  void set_ansi(bool ansi) { ansi_ = ansi; }

 private:
  Server& server_;
  ClientSession& session_;
  ConsoleBudget own_budget_;
  ConsoleBudget* budget_;
  bool ansi_ = true;
  ConsoleResult blocked_line_;  // line_number, text and args of the blocked command
};

// redis-cli's `help` for the given arguments (after the word help), from the command table.
Reply help_reply(const CommandTable& table, const std::vector<std::string>& topic);

}  // namespace redpad
