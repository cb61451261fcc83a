// A lesson's task checks, evaluated by the engine so that the page and CI share one
// implementation. A check is a JSON object with a "kind", its fields and (at the top level)
// the "message" the learner sees:
//   exists / missing   {key}                     the key is there or not
//   type               {key, type}                TYPE says `type`
//   value              {key, equals, type?}       a string; a list (in order); a set
//                                                 (any order); a hash (object, any order);
//                                                 a sorted set ([[member, score]...] in order)
//   ttl                {key, min?, max?} | {key, none: true}   seconds, inclusive
//   reply              {command, equals}          the command, run against a copy of the
//                                                 final state, prints `equals` (redis-cli text)
//   command            {pattern, reply?, client?} the learner ran a command matching the glob
//                                                 (case-insensitive, on "NAME arg arg...";
//                                                 a list of globs must all match it),
//                                                 optionally answered with `reply`
//   no-errors          {client?}                  no command the learner ran failed
//   after              {seconds, check}           `check` holds once the clock has moved on,
//                                                 on a copy: the learner's state is untouched
// Every check may name a database with "db" (default 0). The checks that read the transcript
// (command, no-errors) may name a client with "client" (its script name, as in `@worker-2`;
// "main" for lines before any `@` line): then only that client's commands count.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server.h"

namespace redpad {

// One command the learner ran (each repetition of "3 INCR x" is one), as redis-cli showed it.
struct TranscriptEntry {
  int line_number = 0;
  std::vector<std::string> args;
  std::string display;  // the reply as redis-cli prints it, without the final newline
  bool error = false;
  std::string client = "main";  // the script name of the client that ran it (`@worker-2`)
};

struct CheckResult {
  bool passed = false;
  std::string message;  // the check's own message
  std::string detail;   // what was found, when it failed
};

// Why a check is malformed (unknown kind, missing or mistyped field), or nullopt. `pointer`
// is the check's JSON pointer in its lesson file, used in the text.
std::optional<std::string> check_problem(const nlohmann::json& check, const std::string& pointer,
                                         bool top_level = true);

// Evaluates checks against a copy of `server` and the transcript. A malformed check fails
// with its problem as the detail.
std::vector<CheckResult> evaluate_checks(const Server& server,
                                         const std::vector<TranscriptEntry>& transcript,
                                         const nlohmann::json& checks);

}  // namespace redpad
