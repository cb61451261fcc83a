// Lesson task checks: each kind passes and fails on the right state, says what it found,
// and a malformed check fails with its place instead of passing.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "lesson_checks.h"
#include "sandbox.h"
#include "sha1.h"
#include "test_helpers.h"

namespace redpad::test {

namespace {

using nlohmann::json;

// A sandbox on a fixed clock: run the learner's script, then evaluate checks.
struct Learner {
  Sandbox sandbox{SandboxOptions{kStartMs, 7, false}};

  void type(const std::string& script) { sandbox.run(script); }
  json check(const json& checks) { return json::parse(sandbox.check(checks.dump())); }
  json one(const json& single) { return check(json::array({single}))[0]; }
};

json with_message(json check) {
  check["message"] = "the message";
  return check;
}

}  // namespace

TEST_CASE("exists and missing look at the key in the chosen database") {
  Learner learner;
  learner.type("SET a 1\nSELECT 2\nSET b 2");
  CHECK(learner.one(with_message({{"kind", "exists"}, {"key", "a"}}))["passed"] == true);
  CHECK(learner.one(with_message({{"kind", "missing"}, {"key", "b"}}))["passed"] == true);
  const json in_db_2 = learner.one(with_message({{"kind", "exists"}, {"key", "b"}, {"db", 2}}));
  CHECK(in_db_2["passed"] == true);
  const json missing = learner.one(with_message({{"kind", "missing"}, {"key", "a"}}));
  CHECK(missing["passed"] == false);
  CHECK(missing["detail"] == "a still exists");
  CHECK(missing["message"] == "the message");
}

TEST_CASE("type compares TYPE's answer") {
  Learner learner;
  learner.type("RPUSH l a");
  CHECK(learner.one(with_message({{"kind", "type"}, {"key", "l"}, {"type", "list"}}))["passed"] ==
        true);
  const json wrong = learner.one(with_message({{"kind", "type"}, {"key", "l"}, {"type", "set"}}));
  CHECK(wrong["passed"] == false);
  CHECK(wrong["detail"] == "l is a list");
  CHECK(learner.one(with_message({{"kind", "type"}, {"key", "x"}, {"type", "set"}}))["detail"] ==
        "x does not exist");
}

TEST_CASE("value compares strings exactly and shows what it found") {
  Learner learner;
  learner.type("SET greeting \"hello world\"");
  CHECK(learner.one(with_message(
            {{"kind", "value"}, {"key", "greeting"}, {"equals", "hello world"}}))["passed"] ==
        true);
  const json wrong =
      learner.one(with_message({{"kind", "value"}, {"key", "greeting"}, {"equals", "hello"}}));
  CHECK(wrong["passed"] == false);
  CHECK(wrong["detail"] == "greeting is \"hello world\"");
}

TEST_CASE("value compares a list in order and a set in any order") {
  Learner learner;
  learner.type("RPUSH l a b c\nSADD s x y z");
  CHECK(learner.one(with_message(
            {{"kind", "value"}, {"key", "l"}, {"equals", {"a", "b", "c"}}}))["passed"] == true);
  const json reordered =
      learner.one(with_message({{"kind", "value"}, {"key", "l"}, {"equals", {"c", "b", "a"}}}));
  CHECK(reordered["passed"] == false);
  CHECK(reordered["detail"] == "l holds [\"a\", \"b\", \"c\"]");
  CHECK(learner.one(with_message(
            {{"kind", "value"}, {"key", "s"}, {"equals", {"z", "x", "y"}}}))["passed"] == true);
  CHECK(learner.one(with_message(
            {{"kind", "value"}, {"key", "s"}, {"equals", {"x", "y"}}}))["passed"] == false);
}

TEST_CASE("value compares a hash's fields in any order") {
  Learner learner;
  learner.type("HSET user:1 name Alice age 30");
  const json same = {{"age", "30"}, {"name", "Alice"}};
  CHECK(learner.one(with_message(
            {{"kind", "value"}, {"key", "user:1"}, {"equals", same}}))["passed"] == true);
  const json other = {{"name", "Alice"}};
  const json result =
      learner.one(with_message({{"kind", "value"}, {"key", "user:1"}, {"equals", other}}));
  CHECK(result["passed"] == false);
  CHECK(result["detail"] == "user:1 holds {\"age\": \"30\", \"name\": \"Alice\"}");
}

TEST_CASE("value compares a sorted set's members and scores in order") {
  Learner learner;
  learner.type("ZADD board 10 alice 20 bob 5 carol");
  const json order = json::array(
      {json::array({"carol", 5}), json::array({"alice", 10}), json::array({"bob", "20"})});
  CHECK(learner.one(with_message(
            {{"kind", "value"}, {"key", "board"}, {"equals", order}}))["passed"] == true);
  const json wrong_score = json::array(
      {json::array({"carol", 5}), json::array({"alice", 11}), json::array({"bob", 20})});
  const json result =
      learner.one(with_message({{"kind", "value"}, {"key", "board"}, {"equals", wrong_score}}));
  CHECK(result["passed"] == false);
  CHECK(result["detail"] == "board holds [\"carol\" 5, \"alice\" 10, \"bob\" 20]");
}

TEST_CASE("value with a type says when the key holds another type") {
  Learner learner;
  learner.type("SET k v");
  const json result = learner.one(
      with_message({{"kind", "value"}, {"key", "k"}, {"type", "list"}, {"equals", {"v"}}}));
  CHECK(result["passed"] == false);
  CHECK(result["detail"] == "k is a string, not a list");
}

TEST_CASE("ttl checks a range in seconds, or that there is none") {
  Learner learner;
  learner.type("SET a 1 EX 60\nSET b 2");
  CHECK(learner.one(with_message(
            {{"kind", "ttl"}, {"key", "a"}, {"min", 1}, {"max", 60}}))["passed"] == true);
  const json too_long = learner.one(with_message({{"kind", "ttl"}, {"key", "a"}, {"max", 30}}));
  CHECK(too_long["passed"] == false);
  CHECK(too_long["detail"] == "a expires in 60 s");
  CHECK(learner.one(with_message({{"kind", "ttl"}, {"key", "b"}, {"none", true}}))["passed"] ==
        true);
  CHECK(learner.one(with_message({{"kind", "ttl"}, {"key", "b"}, {"min", 1}}))["detail"] ==
        "b has no expiry");
}

TEST_CASE("reply runs a command against a copy and compares redis-cli's text") {
  Learner learner;
  learner.type("ZADD board 10 alice 20 bob");
  CHECK(learner.one(with_message({{"kind", "reply"},
                                  {"command", "ZRANK board alice"},
                                  {"equals", "(integer) 0"}}))["passed"] == true);
  const json wrong = learner.one(with_message(
      {{"kind", "reply"}, {"command", "ZREVRANK board alice"}, {"equals", "(integer) 0"}}));
  CHECK(wrong["passed"] == false);
  CHECK(wrong["detail"] == "ZREVRANK board alice answered (integer) 1");
}

TEST_CASE("reply checks do not change the learner's server") {
  Learner learner;
  learner.type("RPUSH q a b");
  learner.one(with_message({{"kind", "reply"}, {"command", "LPOP q"}, {"equals", "\"a\""}}));
  CHECK(format_reply_cli(learner.sandbox.server().execute(learner.sandbox.session(),
                                                          {"LLEN", "q"})) == "(integer) 2\n");
}

TEST_CASE("command matches the transcript, with options in any order and an optional reply") {
  Learner learner;
  learner.type("SET lock v EX 60 NX\nSET lock w NX");
  const json acquire = {
      {"kind", "command"}, {"pattern", {"SET lock v *", "* NX*", "* EX 60*"}}, {"reply", "OK"}};
  CHECK(learner.one(with_message(acquire))["passed"] == true);
  // Matching ignores case, so "nx" typed by a learner matches "* NX*" (keys are best
  // pinned down by a value check).
  CHECK(learner.one(with_message(
            {{"kind", "command"}, {"pattern", "set LOCK w *"}, {"reply", "(nil)"}}))["passed"] ==
        true);
  CHECK(learner.one(with_message({{"kind", "command"}, {"pattern", "set lock x *"}}))["passed"] ==
        false);
  const json refused = learner.one(
      with_message({{"kind", "command"}, {"pattern", "SET lock w *"}, {"reply", "OK"}}));
  CHECK(refused["passed"] == false);
  CHECK(refused["detail"] == "line 2 (SET lock w NX) answered (nil)");
  const json absent = learner.one(with_message({{"kind", "command"}, {"pattern", "GET lock"}}));
  CHECK(absent["detail"] == "no command matching \"GET lock\" was run");
}

// A command check on one pattern, with an optional exact reply: passed or not.
bool ran(Learner& learner, const json& pattern, const std::string& reply = "",
         const std::string& client = "") {
  json check = with_message({{"kind", "command"}, {"pattern", pattern}});
  if (!reply.empty()) check["reply"] = reply;
  if (!client.empty()) check["client"] = client;
  return learner.one(check)["passed"].get<bool>();
}

TEST_CASE("a command queued in MULTI counts with what EXEC answered for it") {
  Learner learner;
  learner.type("MULTI\nINCR rate:ip\nEXPIRE rate:ip 60 NX\nEXEC");
  CHECK(ran(learner, "INCR rate:ip", "(integer) 1"));
  CHECK(ran(learner, "EXPIRE rate:ip 60*", "(integer) 1"));
  CHECK_FALSE(ran(learner, "INCR rate:ip", "QUEUED"));
  // The second transaction's EXPIRE NX changed nothing: EXEC says 0, and so does the check.
  learner.type("MULTI\n2 INCR rate:ip\nEXPIRE rate:ip 60 NX\nEXEC");
  CHECK(ran(learner, "INCR rate:ip", "(integer) 3"));
  const json refused = learner.one(with_message(
      {{"kind", "command"}, {"pattern", "EXPIRE rate:ip 60 NX"}, {"reply", "(integer) 2"}}));
  CHECK(refused["detail"] == "line 3 (EXPIRE rate:ip 60 NX) answered (integer) 0");
}

TEST_CASE("a transaction that never ran records none of its commands") {
  Learner discarded;
  discarded.type("MULTI\nSET a 1\nDISCARD");
  CHECK_FALSE(ran(discarded, "SET a 1"));
  CHECK(ran(discarded, "DISCARD", "OK"));

  Learner aborted;  // a command refused while queueing: EXEC answers EXECABORT
  aborted.type("MULTI\nSET b 1\nSET c\nEXEC");
  CHECK_FALSE(ran(aborted, "SET b 1"));
  CHECK(aborted.one(with_message({{"kind", "no-errors"}}))["detail"] ==
        "line 3 failed: (error) ERR wrong number of arguments for 'set' command");

  Learner watched;  // another client wrote the WATCHed key: EXEC answers (nil)
  watched.type("@a\nWATCH k\nMULTI\nSET k mine\n@b\nSET k theirs\n@a\nEXEC");
  CHECK_FALSE(ran(watched, "SET k mine"));
  CHECK(ran(watched, "SET k theirs", "OK", "b"));
  CHECK(ran(watched, "EXEC", "(nil)", "a"));
  watched.type("@a\nMULTI\nSET k mine\nEXEC");  // the retry
  CHECK(ran(watched, "SET k mine", "OK", "a"));
}

TEST_CASE("a command check with transaction counts only commands that ran inside MULTI") {
  Learner learner;
  learner.type("SET token 42\nGET token\nSET other 1\nMULTI\nGET other\nDEL other\nEXEC");
  const json read_in_transaction = with_message(
      {{"kind", "command"}, {"pattern", "GET *"}, {"reply", "\"42\""}, {"transaction", true}});
  CHECK(learner.one(read_in_transaction)["passed"] == false);  // GET token ran on its own
  learner.type("SET token 42\nMULTI\nGET token\nDEL token\nEXEC");
  CHECK(learner.one(read_in_transaction)["passed"] == true);
  const json malformed =
      learner.one(with_message({{"kind", "exists"}, {"key", "k"}, {"transaction", true}}));
  CHECK(malformed["detail"] ==
        "malformed check: /checks/0/transaction: only a \"command\" check takes it, as true or "
        "false (the command ran inside MULTI)");
}

TEST_CASE("a transaction spans runs, and an error inside EXEC is the command's own") {
  Learner learner;
  learner.type("SET s text\nMULTI\nSET t 1");
  CHECK_FALSE(ran(learner, "SET t 1"));  // queued, not run yet
  learner.type("INCR s\nEXEC");
  CHECK(ran(learner, "SET t 1", "OK"));
  CHECK(learner.one(with_message({{"kind", "no-errors"}}))["detail"] ==
        "line 1 failed: (error) ERR value is not an integer or out of range");
}

TEST_CASE("a command matches in its equivalent forms") {
  Learner learner;
  learner.type(
      "SETNX lock:task worker-2\nSETEX reset:9f8e7d 900 42\nPSETEX p 60000 v\n"
      "SET lock:b worker-1 PX 60000 NX\nHMSET h f v\nGETSET g new");
  // SETNX's 1 (or 0) is SET NX's OK (or (nil)); as written, it keeps its own reply.
  CHECK(ran(learner, "SET lock:task worker-2 *NX*", "OK"));
  CHECK(ran(learner, "SETNX lock:task worker-2", "(integer) 1"));
  learner.type("SETNX lock:task worker-3");
  CHECK(ran(learner, "SET lock:task worker-3 NX", "(nil)"));
  CHECK(ran(learner, json{"SET reset:9f8e7d 42 *", "* EX 900*"}, "OK"));
  CHECK(ran(learner, json{"SET p v *", "* EX 60*"}));
  CHECK(ran(learner, json{"SET p v *", "* PX 60000*"}));
  CHECK(ran(learner, json{"SET lock:b worker-1 *", "* NX*", "* EX 60*"}, "OK"));
  CHECK(ran(learner, "HSET h f v"));
  CHECK(ran(learner, "SET g new GET"));
  CHECK_FALSE(ran(learner, json{"SET lock:b worker-1 *", "* EX 6*0*"}, "", "nobody"));
}

TEST_CASE("a one-item push into an empty list matches at either end, and only then") {
  Learner learner;
  learner.type("LPUSH queue:emails email:1001\nLPUSH queue:emails email:1002");
  CHECK(ran(learner, "RPUSH queue:emails email:1001", "(integer) 1"));
  CHECK_FALSE(ran(learner, "RPUSH queue:emails email:1002"));  // the list held one already
}

TEST_CASE("EVALSHA matches as EVAL of the script it ran") {
  const std::string body =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else "
      "return 0 end";
  Learner learner;
  learner.type("SET lock:task worker-1\nSCRIPT LOAD \"" + body + "\"");
  learner.type("EVALSHA " + sha1_hex(body) + " 1 lock:task worker-2\nEVALSHA " +
               std::string(40, 'a') + " 1 lock:task x");
  CHECK(ran(learner, "EVAL *redis.call*del* 1 lock:task worker-2", "(integer) 0"));
  CHECK_FALSE(ran(learner, "EVAL * 1 lock:task x"));  // no such script: nothing ran
  CHECK(ran(learner, "EVALSHA * 1 lock:task x",
            "(error) NOSCRIPT No matching script. Please use EVAL."));
}

TEST_CASE("any passes when one of its checks holds, and says why each failed") {
  Learner learner;
  learner.type("SET user:1:name Alice\nGET user:1:nickname");
  const json asked = with_message(
      {{"kind", "any"},
       {"checks",
        {{{"kind", "command"}, {"pattern", "EXISTS user:1:nickname"}, {"reply", "(integer) 0"}},
         {{"kind", "command"}, {"pattern", "GET user:1:nickname"}, {"reply", "(nil)"}}}}});
  CHECK(learner.one(asked)["passed"] == true);
  const json neither =
      learner.one(with_message({{"kind", "any"},
                                {"checks",
                                 {{{"kind", "exists"}, {"key", "nope"}},
                                  {{"kind", "ttl"}, {"key", "user:1:name"}, {"min", 1}}}}}));
  CHECK(neither["passed"] == false);
  CHECK(neither["detail"] == "nope does not exist; user:1:name has no expiry");
  const json empty = learner.one(with_message({{"kind", "any"}, {"checks", json::array()}}));
  CHECK(empty["detail"] ==
        "malformed check: /checks/0: an \"any\" check needs \"checks\": a list of the checks of "
        "which one must hold");
  const json bad_inner =
      learner.one(with_message({{"kind", "any"}, {"checks", {{{"kind", "exists"}}}}}));
  CHECK(bad_inner["detail"] ==
        "malformed check: /checks/0/checks/0: a \"exists\" check needs a \"key\" string");
}

TEST_CASE("sequence needs its steps met in order, other commands between") {
  const json watched_again = with_message(
      {{"kind", "sequence"},
       {"steps",
        {{{"kind", "command"}, {"pattern", "EXEC"}, {"reply", "(nil)"}},
         {{"kind", "command"}, {"pattern", "WATCH *"}},
         {{"kind", "any"},
          {"checks",
           {{{"kind", "command"}, {"pattern", "EXEC"}, {"reply_like", "*(integer) 40*"}},
            {{"kind", "command"}, {"pattern", "SET a 40"}, {"transaction", true}}}}}}}});
  const std::string aborted = "SET a 90\nWATCH a\n@bank\nINCR a\n@main\nMULTI\nDECRBY a 50\nEXEC";
  Learner retried;
  retried.type(aborted + "\nWATCH a\nGET a\nMULTI\nDECRBY a 51\nEXEC");
  CHECK(retried.one(watched_again)["passed"] == true);

  Learner no_second_watch;  // the retry without WATCH: the steps are not all there in order
  no_second_watch.type(aborted + "\nMULTI\nDECRBY a 51\nEXEC");
  const json refused = no_second_watch.one(watched_again);
  CHECK(refused["passed"] == false);
  CHECK(refused["detail"] == "no command matching \"WATCH *\" came after line 8 (EXEC)");

  Learner never;  // the first step's own detail
  never.type("SET a 1");
  CHECK(never.one(watched_again)["detail"] == "no command matching \"EXEC\" was run");

  const json not_commands = never.one(
      with_message({{"kind", "sequence"}, {"steps", {{{"kind", "exists"}, {"key", "a"}}}}}));
  CHECK(not_commands["detail"] ==
        "malformed check: /checks/0/steps/0: a step is a \"command\" check, or an \"any\" of "
        "them");
  const json no_steps = never.one(with_message({{"kind", "sequence"}}));
  CHECK(no_steps["detail"] ==
        "malformed check: /checks/0: a \"sequence\" check needs \"steps\": the command checks "
        "that must match in this order");
}

TEST_CASE("equivalent_forms lists the other ways of writing a command") {
  using Forms = std::vector<std::vector<std::string>>;
  CHECK(equivalent_forms({"setnx", "k", "v"}) == Forms{{"SET", "k", "v", "NX"}});
  CHECK(equivalent_forms({"SETEX", "k", "2", "v"}) ==
        Forms{{"SET", "k", "v", "EX", "2"}, {"SET", "k", "v", "PX", "2000"}});
  CHECK(equivalent_forms({"PSETEX", "k", "1500", "v"}) == Forms{{"SET", "k", "v", "PX", "1500"}});
  CHECK(equivalent_forms({"SET", "k", "v", "NX", "px", "3000"}) ==
        Forms{{"SET", "k", "v", "NX", "EX", "3"}});
  CHECK(equivalent_forms({"SET", "k", "v", "EX", "x"}).empty());
  CHECK(equivalent_forms({"SETNX", "k"}).empty());           // not a command Redis runs
  CHECK(equivalent_forms({"EVALSHA", "abc", "0"}).empty());  // the body is not known
  CHECK(equivalent_forms({"EVALSHA_RO", "abc", "1", "k"}, "return 1") ==
        Forms{{"EVAL_RO", "return 1", "1", "k"}});
  CHECK(equivalent_forms({}).empty());
  // One item pushed into an empty list (the push answered 1): either end gives the same list.
  CHECK(equivalent_forms({"LPUSH", "q", "job"}, "", "(integer) 1") == Forms{{"RPUSH", "q", "job"}});
  CHECK(equivalent_forms({"rpush", "q", "job"}, "", "(integer) 1") == Forms{{"LPUSH", "q", "job"}});
  CHECK(equivalent_forms({"LPUSH", "q", "job"}, "", "(integer) 2").empty());
  CHECK(equivalent_forms({"LPUSH", "q", "a", "b"}, "", "(integer) 2").empty());
}

TEST_CASE("reply_like matches the reply against a glob") {
  Learner learner;
  learner.type("MSET user:1000:name a user:1000:email b\nSCAN 0 MATCH user:1000:* COUNT 1");
  const json finished = with_message(
      {{"kind", "command"}, {"pattern", "SCAN * MATCH user:1000:*"}, {"reply_like", "1) \"0\"*"}});
  const json first = learner.one(finished);
  CHECK(first["passed"] == false);
  CHECK(first["detail"].get<std::string>().rfind(
            "line 2 (SCAN 0 MATCH user:1000:* COUNT 1) answered 1) \"", 0) == 0);
  learner.type("SCAN 0 MATCH user:1000:* COUNT 1000");
  CHECK(learner.one(finished)["passed"] == true);
  // Case-sensitive: the reply's text is what redis-cli printed.
  CHECK(learner.one(with_message({{"kind", "command"},
                                  {"pattern", "SCAN *"},
                                  {"reply_like", "1) \"0\"*USER*"}}))["passed"] == false);
}

TEST_CASE("the transcript spans runs, skips setup commands, and is cleared by reset") {
  Learner learner;
  learner.sandbox.run("SET a 1", /*record=*/false);
  learner.type("GET a");
  learner.type("INCR a");
  CHECK(learner.one(with_message({{"kind", "command"}, {"pattern", "SET a *"}}))["passed"] ==
        false);
  CHECK(learner.one(with_message(
            {{"kind", "command"}, {"pattern", "GET a"}, {"reply", "\"1\""}}))["passed"] == true);
  CHECK(learner.one(with_message(
            {{"kind", "command"}, {"pattern", "INCR a"}, {"reply", "(integer) 2"}}))["passed"] ==
        true);
  learner.sandbox.reset();
  CHECK(learner.one(with_message({{"kind", "command"}, {"pattern", "GET a"}}))["passed"] == false);
}

TEST_CASE("no-errors fails on the first failed command or refused line") {
  Learner learner;
  learner.type("SET a 1\nGET a");
  CHECK(learner.one(with_message({{"kind", "no-errors"}}))["passed"] == true);
  learner.type("\nINCR a b");
  const json failed = learner.one(with_message({{"kind", "no-errors"}}));
  CHECK(failed["passed"] == false);
  CHECK(failed["detail"] ==
        "line 2 failed: (error) ERR wrong number of arguments for 'incr' command");
  Learner quoting;
  quoting.type("SET a \"unclosed");
  CHECK(quoting.one(with_message({{"kind", "no-errors"}}))["detail"] ==
        "line 1 failed: Invalid argument(s)");
}

TEST_CASE("a check with a client counts only that client's commands") {
  // The transcript as the sandbox records a script with `@` lines: each command carries the
  // script name of the client that ran it ("main" before the first `@` line).
  Server server{config()};
  TranscriptEntry by_main{1, {"SET", "lock", "main", "NX"}, "OK", false, "main", ""};
  TranscriptEntry by_worker_2{3, {"SET", "lock", "worker-2", "NX"}, "(nil)", false, "worker-2", ""};
  TranscriptEntry failed_for_worker_1{
      5,    {"INCR", "lock"}, "(error) ERR value is not an integer or out of range",
      true, "worker-1",       ""};
  const json refused = with_message({{"kind", "command"},
                                     {"pattern", "SET lock * NX"},
                                     {"reply", "(nil)"},
                                     {"client", "worker-2"}});
  const json anyone =
      with_message({{"kind", "command"}, {"pattern", "SET lock * NX"}, {"reply", "(nil)"}});

  const std::vector<CheckResult> both =
      evaluate_checks(server, {by_main, by_worker_2}, json::array({refused}));
  CHECK(both[0].passed);
  CHECK(both[0].detail.empty());

  // Only main ran it: the check fails and says whose command it wanted, and whose it saw.
  const std::vector<CheckResult> only_main =
      evaluate_checks(server, {by_main}, json::array({refused, anyone}));
  CHECK_FALSE(only_main[0].passed);
  CHECK(only_main[0].detail ==
        "no command matching \"SET lock * NX\" was run by worker-2 (line 1 ran one as main)");
  // Without a client, main's command counts, and its reply is the usual near miss.
  CHECK_FALSE(only_main[1].passed);
  CHECK(only_main[1].detail == "line 1 (SET lock main NX) answered OK");

  const json by_main_only = with_message(
      {{"kind", "command"}, {"pattern", "SET lock *"}, {"reply", "(nil)"}, {"client", "main"}});
  const std::vector<CheckResult> mains =
      evaluate_checks(server, {by_main, by_worker_2}, json::array({by_main_only}));
  CHECK_FALSE(mains[0].passed);
  CHECK(mains[0].detail == "line 1 (SET lock main NX) answered OK");

  const json nobody =
      with_message({{"kind", "command"}, {"pattern", "GET lock"}, {"client", "worker-9"}});
  CHECK(evaluate_checks(server, {by_main, by_worker_2}, json::array({nobody}))[0].detail ==
        "no command matching \"GET lock\" was run by worker-9");

  // no-errors with a client looks only at that client's commands.
  const std::vector<TranscriptEntry> transcript{by_main, by_worker_2, failed_for_worker_1};
  const std::vector<CheckResult> errors =
      evaluate_checks(server, transcript,
                      json::array({with_message({{"kind", "no-errors"}, {"client", "worker-2"}}),
                                   with_message({{"kind", "no-errors"}, {"client", "worker-1"}}),
                                   with_message({{"kind", "no-errors"}})}));
  CHECK(errors[0].passed);
  CHECK_FALSE(errors[1].passed);
  CHECK(errors[1].detail == "line 5 failed: (error) ERR value is not an integer or out of range");
  CHECK_FALSE(errors[2].passed);

  // Inside an "after" check, the inner check's client counts.
  const json later = with_message(
      {{"kind", "after"},
       {"seconds", 10},
       {"check", {{"kind", "command"}, {"pattern", "SET lock *"}, {"client", "worker-2"}}}});
  CHECK(evaluate_checks(server, {by_worker_2}, json::array({later}))[0].passed);
  CHECK_FALSE(evaluate_checks(server, {by_main}, json::array({later}))[0].passed);
}

TEST_CASE("in a script with @ lines, a check with a client sees that client's commands") {
  Learner learner;
  learner.type(
      "SET lock:task worker-1 NX EX 60\n@worker-2\nSET lock:task worker-2 NX\n@main\nGET "
      "lock:task");
  const json refused = {{"kind", "command"},
                        {"pattern", "SET lock:task worker-2 *"},
                        {"reply", "(nil)"},
                        {"client", "worker-2"}};
  CHECK(learner.one(with_message(refused))["passed"] == true);
  const json as_worker_2 = {
      {"kind", "command"}, {"pattern", "SET lock:task worker-1 *"}, {"client", "worker-2"}};
  const json wrong_client = learner.one(with_message(as_worker_2));
  CHECK(wrong_client["passed"] == false);
  CHECK(wrong_client["detail"] ==
        "no command matching \"SET lock:task worker-1 *\" was run by worker-2 (line 1 ran one as "
        "main)");
  CHECK(learner.one(with_message(
            {{"kind", "command"}, {"pattern", "GET lock:task"}, {"client", "main"}}))["passed"] ==
        true);

  // A blocked command counts once it is answered, with that answer, for its own client.
  Learner queue;
  queue.type("@worker\nBLPOP queue:emails 0\n@producer\nRPUSH queue:emails email:1001");
  const json served = {{"kind", "command"},
                       {"pattern", "BLPOP queue:emails *"},
                       {"reply", "1) \"queue:emails\"\n2) \"email:1001\""},
                       {"client", "worker"}};
  CHECK(queue.one(with_message(served))["passed"] == true);
  const json pushed = {
      {"kind", "command"}, {"pattern", "RPUSH queue:emails *"}, {"client", "worker"}};
  CHECK(queue.one(with_message(pushed))["detail"] ==
        "no command matching \"RPUSH queue:emails *\" was run by worker (line 4 ran one as "
        "producer)");
}

TEST_CASE("after moves a copy's clock on and leaves the learner's server as it was") {
  Learner learner;
  learner.type("SET lock:task worker-1 NX EX 60");
  const json gone = {
      {"kind", "after"}, {"seconds", 61}, {"check", {{"kind", "missing"}, {"key", "lock:task"}}}};
  CHECK(learner.one(with_message(gone))["passed"] == true);
  const json early = {
      {"kind", "after"}, {"seconds", 59}, {"check", {{"kind", "missing"}, {"key", "lock:task"}}}};
  const json result = learner.one(with_message(early));
  CHECK(result["passed"] == false);
  CHECK(result["detail"] == "after 59 s: lock:task still exists");
  CHECK(learner.sandbox.now_ms() == kStartMs);
  CHECK(format_reply_cli(learner.sandbox.server().execute(
            learner.sandbox.session(), {"TTL", "lock:task"})) == "(integer) 60\n");
}

TEST_CASE("malformed checks fail and say where and why, never pass") {
  Learner learner;
  const json results = learner.check(json::array({
      {{"kind", "valeu"}, {"key", "k"}, {"message", "m"}},
      {{"kind", "exists"}, {"message", "m"}},
      {{"kind", "exists"}, {"key", "k"}},
      {{"kind", "ttl"}, {"key", "k"}, {"message", "m"}},
      {{"kind", "after"}, {"seconds", 5}, {"check", {{"kind", "nope"}}}, {"message", "m"}},
      {{"kind", "command"}, {"pattern", 5}, {"message", "m"}},
      {{"kind", "reply"}, {"command", "GET \"unclosed"}, {"equals", "x"}, {"message", "m"}},
      {{"kind", "command"}, {"pattern", "GET k"}, {"client", ""}, {"message", "m"}},
      {{"kind", "no-errors"}, {"client", "worker 2"}, {"message", "m"}},
      {{"kind", "command"},
       {"pattern", "GET k"},
       {"client", std::string(33, 'w')},
       {"message", "m"}},
      {{"kind", "command"}, {"pattern", "GET k"}, {"client", 2}, {"message", "m"}},
      {{"kind", "after"},
       {"seconds", 1},
       {"check", {{"kind", "no-errors"}, {"client", "@w"}}},
       {"message", "m"}},
      {{"kind", "exists"}, {"key", "k"}, {"client", "worker-2"}, {"message", "m"}},
      {{"kind", "exists"}, {"key", "k"}, {"id", "Lock Held"}, {"message", "m"}},
      {{"kind", "command"}, {"pattern", "GET k"}, {"reply_like", 1}, {"message", "m"}},
      {{"kind", "exists"}, {"key", "k"}, {"reply_like", "x"}, {"message", "m"}},
  }));
  REQUIRE(results.size() == 16);
  for (const json& result : results)
    CHECK(result["passed"] == false);
  CHECK(results[0]["detail"] ==
        "malformed check: /checks/0/kind: unknown check kind \"valeu\" (known: exists, missing, "
        "type, value, "
        "ttl, reply, command, no-errors, after, any, sequence)");
  CHECK(results[1]["detail"] ==
        "malformed check: /checks/1: a \"exists\" check needs a \"key\" string");
  CHECK(results[2]["detail"] ==
        "malformed check: /checks/2: a check needs a \"message\" string (what the learner sees)");
  CHECK(results[3]["detail"] ==
        "malformed check: /checks/3: a \"ttl\" check needs \"min\", \"max\" or \"none\": true");
  CHECK(results[4]["detail"].get<std::string>().find(
            "/checks/4/check/kind: unknown check kind \"nope\"") != std::string::npos);
  CHECK(results[5]["detail"] ==
        "malformed check: /checks/5: a \"command\" check needs a \"pattern\": a glob, or a list of "
        "globs");
  CHECK(results[6]["detail"] ==
        "malformed check: /checks/6/command: not a command line redis-cli accepts");
  const std::string bad_name =
      "/client: must be a client's script name (1 to 32 letters, digits, '-', '_', '.' or ':', as "
      "in "
      "@worker-2)";
  CHECK(results[7]["detail"] == "malformed check: /checks/7" + bad_name);
  CHECK(results[8]["detail"] == "malformed check: /checks/8" + bad_name);
  CHECK(results[9]["detail"] == "malformed check: /checks/9" + bad_name);
  CHECK(results[10]["detail"] == "malformed check: /checks/10" + bad_name);
  CHECK(results[11]["detail"] == "malformed check: /checks/11/check" + bad_name);
  CHECK(results[12]["detail"] ==
        "malformed check: /checks/12/client: only \"command\" and \"no-errors\" checks read a "
        "client's commands");
  CHECK(results[13]["detail"] ==
        "malformed check: /checks/13/id: must be lower-case letters and digits, in words joined "
        "by '-' (\"lock-held\")");
  CHECK(results[14]["detail"] ==
        "malformed check: /checks/14/reply_like: must be a string (a glob the reply as redis-cli "
        "prints it matches)");
  CHECK(results[15]["detail"] ==
        "malformed check: /checks/15/reply_like: only \"command\" checks read a command's reply");
}

TEST_CASE("checks that are not JSON, or not a list, fail with a reason") {
  Learner learner;
  const json not_json = json::parse(learner.sandbox.check("{oops"));
  CHECK(not_json[0]["passed"] == false);
  CHECK(not_json[0]["detail"] == "the checks are not valid JSON");
  CHECK(learner.check(json::object())[0]["detail"] == "/checks: must be an array of checks");
}

}  // namespace redpad::test
