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
//   command            {pattern, reply?,          the learner ran a command matching the glob
//                       reply_like?, client?,     (case-insensitive, on "NAME arg arg...";
//                       transaction?}             with "transaction": true, inside MULTI;
//                                                 a list of globs must all match it),
//                                                 optionally answered with `reply` (exact
//                                                 text) or a reply matching `reply_like`
//                                                 (a glob, case-sensitive)
//   no-errors          {client?}                  no command the learner ran failed
//   after              {seconds, check}           `check` holds once the clock has moved on,
//                                                 on a copy: the learner's state is untouched
//   any                {checks}                   one of the checks holds (several correct
//                                                 answers: EXISTS answered 0, or GET (nil))
//   sequence           {steps}                    command checks (or an "any" of them) met by
//                                                 commands run in this order, others between
// A command check is fair to every way of writing the same command: a command queued in
// MULTI counts with what EXEC answered for it (a transaction discarded or aborted ran
// nothing), and a command also matches in its equivalent forms (equivalent_forms below:
// SETNX as SET NX, SETEX as SET EX, EVALSHA as EVAL of the script's body...).
// Every check may name a database with "db" (default 0), and an "id" that a lesson's
// rejects name. The checks that read the transcript
// (command, no-errors) may name a client with "client" (its script name, as in `@worker-2`;
// "main" for lines before any `@` line): then only that client's commands count.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reply.h"
#include "server.h"

namespace redpad {

// One command the learner ran (each repetition of "3 INCR x" is one), as redis-cli showed it.
struct TranscriptEntry {
  int line_number = 0;
  std::vector<std::string> args;
  std::string display;  // the reply as redis-cli prints it, without the final newline
  bool error = false;
  std::string client = "main";  // the script name of the client that ran it (`@worker-2`)
  std::string script_body;      // EVALSHA: the body of the script it ran, when known
  bool in_transaction = false;  // it ran inside MULTI, when its client's EXEC ran it
};

// The commands a Run's clients ran, as the checks read them. A command queued inside MULTI
// (its reply `QUEUED`) is kept aside until its client's EXEC, then recorded with EXEC's
// reply for it, because that is what it did; a transaction that was discarded, reset or
// aborted (EXEC answered (nil) or an error) records none of its commands: they never ran.
class Transcript {
 public:
  // One reply of a command (each repetition of "3 INCR x" is one). `display` is the reply
  // as redis-cli printed it; `in_multi`: the client was inside MULTI when it ran.
  void record(TranscriptEntry entry, const Reply& reply, bool in_multi);
  // A line redis-cli refused (it ran nothing, but it failed).
  void record_refused(TranscriptEntry entry);
  const std::vector<TranscriptEntry>& entries() const { return entries_; }
  // Keeps the most recent `keep` entries once there are more than `limit`.
  void trim(size_t limit, size_t keep);
  void clear();

 private:
  std::vector<TranscriptEntry> entries_;
  std::map<std::string, std::vector<TranscriptEntry>> queued_;  // per client, inside MULTI
};

// The other ways of writing the same command that a check's pattern also matches (the
// command itself not included): SETNX k v as SET k v NX, SETEX k s v as SET k v EX s,
// PSETEX k ms v as SET k v PX ms, a SET's PX of whole seconds as EX and EX as PX, GETSET
// as SET ... GET, HMSET as HSET, EVALSHA (and _RO) as EVAL (and _RO) of `script_body`, and
// a one-item LPUSH as RPUSH (and back) when its `reply` was (integer) 1: pushed into an
// empty list, either end gives the same list.
// A check's expected reply is read in the form that matched: SETNX's 1 and 0 stand for
// SET NX's OK and (nil); HMSET's OK is not HSET's count, so a reply check names HMSET's own.
std::vector<std::vector<std::string>> equivalent_forms(const std::vector<std::string>& args,
                                                       const std::string& script_body = "",
                                                       const std::string& reply = "");

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
