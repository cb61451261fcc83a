// The JSON API the page drives: per-line results, the keyspace snapshot, the command list,
// the clock and reset.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "sandbox.h"
#include "test_helpers.h"

namespace redpad::test {

namespace {
using nlohmann::json;
}  // namespace

TEST_CASE("run returns each line's text, number, replies and redis-cli display") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json out = json::parse(sandbox.run(
      "# a comment\nSET lock:task \"worker-1\" NX EX 60\n\nGET lock:task -- who?\nINCR lock:task"));
  const json& results = out["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[0]["line"] == 2);
  CHECK(results[0]["text"] == "SET lock:task \"worker-1\" NX EX 60");
  CHECK(results[0]["display"] == "OK\n");
  CHECK(results[0]["replies"][0] == json{{"type", "status"}, {"value", "OK"}});
  CHECK(results[1]["line"] == 4);
  CHECK(results[1]["text"] == "GET lock:task");
  CHECK(results[1]["replies"][0] == json{{"type", "bulk"}, {"value", "worker-1"}});
  CHECK(results[1]["error"] == false);
  CHECK(results[2]["error"] == true);
  CHECK(results[2]["display"] == "(error) ERR value is not an integer or out of range\n");
  CHECK(out["db"] == 0);
  CHECK(out["in_multi"] == false);
  CHECK(out["now_ms"] == kStartMs);
}

TEST_CASE("run describes only the first max_results lines, counts the rest, records them all") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json out =
      json::parse(sandbox.run("SET a 1\nINCR a\nINCR nope nope\nbad \"quote\nINCR a", true, 2));
  const json& results = out["results"];
  REQUIRE(results.size() == 2);
  CHECK(results[1]["display"] == "(integer) 2\n");
  CHECK(out["omitted_results"] == 3);
  CHECK(out["omitted_errors"] == 2);  // the wrong arity and the unclosed quote
  // The omitted lines ran: the state and the transcript the checks read have them.
  CHECK(json::parse(sandbox.run("GET a"))["results"][0]["display"] == "\"3\"\n");
  const json checks =
      json::parse(sandbox.check(R"([{"kind": "command", "pattern": "INCR a", "reply": "(integer) 3",
                                                    "message": "the last INCR ran"}])"));
  CHECK(checks[0]["passed"] == true);
}

TEST_CASE("a run's display is the same whether it is described or only counted") {
  Sandbox full(SandboxOptions{kStartMs, 1, false});
  Sandbox counted(SandboxOptions{kStartMs, 1, false});
  const std::string script =
      "RPUSH l a b c\nLRANGE l 0 -1\n2 INCR n\nHSET h f v\nHGETALL h\nGET missing";
  const std::string display = full.run_display(script);
  std::string described;
  const json out = json::parse(counted.run(script));
  for (const json& result : out["results"])
    described += result["display"].get<std::string>();
  CHECK(display == described);
  CHECK(display ==
        "(integer) 3\n1) \"a\"\n2) \"b\"\n3) \"c\"\n(integer) 1\n(integer) 2\n(integer) 1\n1) "
        "\"f\"\n2) \"v\"\n(nil)\n");
}

TEST_CASE("run reports a line redis-cli refuses with its number, and carries on") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json results = json::parse(sandbox.run("SET a 1\nSET b \"oops\nGET a"))["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[1]["line"] == 2);
  CHECK(results[1]["kind"] == "invalid");
  CHECK(results[1]["error"] == true);
  CHECK(results[1]["display"] == "Invalid argument(s)\n");
  CHECK(results[2]["display"] == "\"1\"\n");
}

TEST_CASE("state persists across runs until reset") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run("SET a 1");
  CHECK(json::parse(sandbox.run("GET a"))["results"][0]["display"] == "\"1\"\n");
  sandbox.reset();
  CHECK(json::parse(sandbox.run("GET a"))["results"][0]["display"] == "(nil)\n");
}

TEST_CASE("help text has no colour codes for the page") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json result = json::parse(sandbox.run("help GET"))["results"][0];
  CHECK(result["kind"] == "help");
  CHECK(result["display"] ==
        "\n  GET key\n  summary: Get the value of a key\n  since: 1.0.0\n  group: string\n\n");
}

TEST_CASE("integers beyond JavaScript's safe range travel as strings") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json replies =
      json::parse(sandbox.run("SET n 9223372036854775806\nINCR n\nINCRBY m 42"))["results"];
  CHECK(replies[1]["replies"][0]["value"] == "9223372036854775807");
  CHECK(replies[2]["replies"][0]["value"] == 42);
}

TEST_CASE("snapshot lists the selected database's keys by name with type, TTL and preview") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run("SET b hello EX 10\nRPUSH a x y\nSELECT 1\nSET other 1\nSELECT 0");
  const json snapshot = json::parse(sandbox.snapshot(100));
  CHECK(snapshot["db"] == 0);
  CHECK(snapshot["total"] == 2);
  REQUIRE(snapshot["keys"].size() == 2);
  CHECK(snapshot["keys"][0]["key"] == "a");
  CHECK(snapshot["keys"][0]["type"] == "list");
  CHECK(snapshot["keys"][0]["size"] == 2);
  CHECK(snapshot["keys"][0]["ttl_ms"] == -1);
  CHECK(snapshot["keys"][1]["key"] == "b");
  CHECK(snapshot["keys"][1]["preview"] == json::array({"\"hello\""}));
  CHECK(snapshot["keys"][1]["ttl_ms"] == 10000);
  CHECK(snapshot["keys"][1]["expire_at_ms"] == kStartMs + 10000);
}

TEST_CASE("snapshot drops keys whose time has passed, and caps the list") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run("SET a 1 PX 500\nDEBUG POPULATE 50");
  sandbox.advance(1000);
  const json snapshot = json::parse(sandbox.snapshot(10));
  CHECK(snapshot["total"] == 50);
  CHECK(snapshot["keys"].size() == 10);
  CHECK(snapshot["keys"][0]["key"] == "key:0");
}

TEST_CASE("the clock follows the host and keeps what was advanced") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.advance(5000);
  CHECK(sandbox.now_ms() == kStartMs + 5000);
  sandbox.set_host_time(kStartMs + 1000);
  CHECK(sandbox.now_ms() == kStartMs + 6000);
  sandbox.reset(SandboxOptions{kStartMs + 100, 2, false});
  CHECK(sandbox.now_ms() == kStartMs + 100);
}

TEST_CASE("commands lists every command and subcommand with its syntax line") {
  Sandbox sandbox;
  const json commands = json::parse(sandbox.commands());
  bool found_set = false;
  bool found_object_encoding = false;
  for (const json& command : commands) {
    if (command["name"] == "SET") {
      found_set = true;
      CHECK(command["syntax"].get<std::string>().rfind("key value [NX|XX] [GET]", 0) == 0);
      CHECK(command["group"] == "string");
      CHECK(command["arity"] == -3);
      CHECK(command["complexity"] == "O(1)");
    }
    if (command["name"] == "OBJECT ENCODING") found_object_encoding = true;
  }
  CHECK(found_set);
  CHECK(found_object_encoding);
  CHECK(commands.size() > 200);
}

TEST_CASE("run_display keeps bytes that are not UTF-8") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, true});
  CHECK(sandbox.run_display("FOO \"\\xff\"") ==
        "(error) ERR unknown command 'FOO', with args beginning with: '\xff' \n");
}

namespace redpad::test {

TEST_CASE("snapshot previews the first elements of every type") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run(
      "RPUSH l a b c d e f g\nHSET h name Alice age 30\nSADD s 3 1 2\nZADD z 2 bob 1 alice\n"
      "XADD x 1-0 temp 21\nSET big " +
      std::string(70, 'x'));
  const json keys = json::parse(sandbox.snapshot(10))["keys"];
  REQUIRE(keys.size() == 6);
  CHECK(keys[0]["key"] == "big");
  CHECK(keys[0]["preview"] == json::array({"\"" + std::string(64, 'x') + "\"..."}));
  CHECK(keys[1]["preview"] == json::array({"\"name\": \"Alice\"", "\"age\": \"30\""}));
  CHECK(keys[2]["preview"] == json::array({"\"a\"", "\"b\"", "\"c\"", "\"d\"", "\"e\""}));
  CHECK(keys[2]["size"] == 7);
  CHECK(keys[3]["preview"] == json::array({"\"1\"", "\"2\"", "\"3\""}));
  CHECK(keys[4]["preview"] == json::array({"1-0 temp 21"}));
  CHECK(keys[5]["preview"] == json::array({"\"alice\" (1)", "\"bob\" (2)"}));
}

}  // namespace redpad::test

TEST_CASE("run stops at the line that finds max_commands spent, counting repeats") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  RunLimits limits;
  limits.max_commands = 5;
  const json out = json::parse(sandbox.run("SET a 1\n3 INCR a\n3 INCR a\nSET never 1", limits));
  CHECK(out["commands_run"] == 5);
  CHECK(out["stopped"] ==
        json{{"reason", "max_commands"}, {"limit", 5}, {"line", 3}, {"cut_short", true}});
  REQUIRE(out["results"].size() == 3);
  CHECK(out["results"][2]["display"] == "(integer) 5\n");  // one of the three INCRs ran
  CHECK(json::parse(sandbox.run("GET a\nEXISTS never"))["results"][1]["display"] ==
        "(integer) 0\n");
  // A script within the budget is not stopped, and the budget is per run.
  const json again = json::parse(sandbox.run("INCR a\nINCR a", limits));
  CHECK(again["stopped"].is_null());
  CHECK(again["commands_run"] == 2);
}

TEST_CASE("past max_output_bytes, commands still run but their replies are not kept") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  RunLimits limits;
  limits.max_output_bytes = 20;  // "(integer) 1\n" is 12 bytes
  const json out = json::parse(sandbox.run("INCR n\nINCR n\n5 INCR n\nGET n", limits));
  CHECK(out["commands_run"] == 8);
  CHECK(out["stopped"].is_null());
  CHECK(out["output_cut"] == json{{"limit_bytes", 20}, {"from_line", 2}, {"replies_not_kept", 7}});
  CHECK(out["results"][0]["display"] == "(integer) 1\n");
  CHECK(out["results"][1]["display"] == "");
  CHECK(json::parse(sandbox.run("GET n"))["results"][0]["display"] == "\"7\"\n");
}

TEST_CASE("the sandbox's maxmemory applies to its server and comes back after a reset") {
  SandboxOptions options{kStartMs, 1, false};
  options.maxmemory = 1;
  Sandbox sandbox(options);
  const char* oom = "(error) OOM command not allowed when used memory > 'maxmemory'.\n";
  CHECK(json::parse(sandbox.run("SET a b"))["results"][0]["display"] == oom);
  sandbox.run("CONFIG SET maxmemory 0");
  CHECK(json::parse(sandbox.run("SET a b"))["results"][0]["display"] == "OK\n");
  sandbox.reset();
  CHECK(json::parse(sandbox.run("SET a b"))["results"][0]["display"] == oom);
}

TEST_CASE("the transcript keeps the most recent commands, not every command ever run") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run("SET early 1");
  sandbox.run("25000 INCR n");
  sandbox.run("SET late 1");
  auto ran = [&sandbox](const char* pattern) {
    const json check = {{{"kind", "command"}, {"pattern", pattern}, {"message", "ran"}}};
    return json::parse(sandbox.check(check.dump()))[0]["passed"].get<bool>();
  };
  CHECK(ran("SET late 1"));
  CHECK(ran("INCR n"));
  CHECK_FALSE(ran("SET early 1"));  // 25,000 commands ago: forgotten
}

TEST_CASE("each entry has its client's prompt before the line and the command as resolved") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json results = json::parse(
      sandbox.run("SELECT 2\nMULTI\nobject encoding k\nFROB\nEXEC\n@w\nGET k"))["results"];
  REQUIRE(results.size() == 6);
  auto prompt = [](int db, bool in_multi) {
    return json{{"db", db}, {"in_multi", in_multi}, {"protocol", "resp2"}};
  };
  CHECK(results[0]["prompt"] == prompt(0, false));
  CHECK(results[1]["prompt"] == prompt(2, false));
  CHECK(results[2]["prompt"] == prompt(2, true));
  CHECK(results[2]["command"] == "object|encoding");
  CHECK(results[3]["command"].is_null());  // unknown
  CHECK(results[4]["prompt"] == prompt(2, true));
  CHECK(results[4]["kind"] == "command_reply");
  CHECK(results[5]["client"] == "w");
  CHECK(results[5]["prompt"] == prompt(0, false));
  CHECK(results[5]["command"] == "get");
}

}  // namespace redpad::test
