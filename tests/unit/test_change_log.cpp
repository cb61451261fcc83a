// The step timeline's change records (engine/change_log.h through Sandbox::run's `steps`):
// what each command did to the keyspace, expiries as steps of their own, and who caused what
// between clients.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "sandbox.h"
#include "test_helpers.h"

namespace redpad::test {

namespace {

using nlohmann::json;

struct Recording {
  Sandbox sandbox{SandboxOptions{kStartMs, 1, false}};
  Recording() { sandbox.set_record_steps(true); }
  json run(const std::string& script) { return json::parse(sandbox.run(script)); }
};

// "key:change" for each change of a step, in order.
std::vector<std::string> changes_of(const json& step) {
  std::vector<std::string> out;
  for (const json& change : step["changes"])
    out.push_back(change["key"].get<std::string>() + ":" + change["change"].get<std::string>());
  return out;
}

using Names = std::vector<std::string>;

}  // namespace

TEST_CASE("no steps unless the page asks; run_display never records") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  CHECK_FALSE(json::parse(sandbox.run("SET a 1")).contains("steps"));
  CHECK_FALSE(json::parse(sandbox.tick()).contains("steps"));
  sandbox.set_record_steps(true);
  CHECK(json::parse(sandbox.run("SET a 2")).contains("steps"));
  sandbox.set_record_steps(false);
  CHECK_FALSE(json::parse(sandbox.run("SET a 3")).contains("steps"));
}

TEST_CASE("strings: added with a summary, changed, a SET NX that changes nothing, deleted") {
  Recording r;
  const json out = r.run(
      "SET lock:task worker-1 NX EX 60\nSET lock:task worker-2 NX\n"
      "APPEND lock:task -x\nDEL lock:task\nGET lock:task");
  const json& steps = out["steps"];
  REQUIRE(steps.size() == 5);
  CHECK(steps[0]["id"] == 1);
  CHECK(steps[0]["kind"] == "command");
  CHECK(steps[0]["result"] == 0);
  CHECK(steps[0]["client"] == "main");
  CHECK(steps[0]["line"] == 1);
  CHECK(steps[0]["now_ms"] == kStartMs);
  CHECK(steps[0]["changes"] ==
        json::parse(R"([{"db":0,"key":"lock:task","change":"added","before":null,
          "after":{"type":"string","encoding":"embstr","size":8,"expire_at_ms":)" +
                    std::to_string(kStartMs + 60000) + R"(,"preview":["\"worker-1\""]}}])"));
  CHECK(steps[1]["changes"].empty());  // NX: the key exists
  CHECK(changes_of(steps[2]) == Names{"lock:task:changed"});
  CHECK(steps[2]["changes"][0]["before"]["size"] == 8);
  CHECK(steps[2]["changes"][0]["after"]["size"] == 10);
  CHECK(steps[2]["changes"][0]["after"]["encoding"] == "raw");
  CHECK(changes_of(steps[3]) == Names{"lock:task:deleted"});
  CHECK(steps[3]["changes"][0]["after"].is_null());
  CHECK(steps[4]["changes"].empty());
  // Step ids go on across runs, until a reset.
  CHECK(r.run("SET b 1")["steps"][0]["id"] == 6);
  r.sandbox.reset();
  CHECK(r.run("SET b 1")["steps"][0]["id"] == 1);
}

TEST_CASE("each command family reports the keys it touched, sorted by name") {
  Recording r;
  const json steps = r.run(
      "RPUSH q a b c\nHSET h f v\nSADD s x\nZADD z 1 m\nXADD st 1-0 f v\nPFADD hll a\n"
      "SETBIT bits 7 1\nGEOADD g 13.36 38.11 palermo\nRENAME q q2\nLMOVE q2 dst LEFT RIGHT\n"
      "MSET m1 1 m2 2\nEXPIRE h 100\nPERSIST h\nINCR n")["steps"];
  REQUIRE(steps.size() == 14);
  CHECK(changes_of(steps[0]) == Names{"q:added"});
  CHECK(steps[0]["changes"][0]["after"]["type"] == "list");
  CHECK(steps[0]["changes"][0]["after"]["size"] == 3);
  CHECK(steps[0]["changes"][0]["after"]["preview"] == json{"\"a\"", "\"b\"", "\"c\""});
  CHECK(steps[1]["changes"][0]["after"]["preview"] == json{"\"f\": \"v\""});
  CHECK(steps[3]["changes"][0]["after"]["preview"] == json{"\"m\" (1)"});
  CHECK(steps[4]["changes"][0]["after"]["type"] == "stream");
  CHECK(steps[5]["changes"][0]["after"]["type"] == "string");  // a HyperLogLog is a string
  CHECK(steps[7]["changes"][0]["after"]["type"] == "zset");    // so is a geo set a zset
  CHECK(changes_of(steps[8]) == Names{"q:deleted", "q2:added"});
  CHECK(changes_of(steps[9]) == Names{"dst:added", "q2:changed"});
  CHECK(changes_of(steps[10]) == Names{"m1:added", "m2:added"});
  CHECK(steps[11]["changes"][0]["after"]["expire_at_ms"] == kStartMs + 100000);
  CHECK(steps[11]["changes"][0]["before"]["expire_at_ms"] == -1);
  CHECK(steps[12]["changes"][0]["after"]["expire_at_ms"] == -1);
  CHECK(steps[13]["changes"][0]["after"]["encoding"] == "int");
}

TEST_CASE("MULTI: queued commands change nothing, EXEC holds the whole transaction") {
  Recording r;
  const json steps = r.run("MULTI\nSET a 1\nINCR a\nSET b 2\nEXEC")["steps"];
  REQUIRE(steps.size() == 5);
  for (int i = 0; i < 4; ++i)
    CHECK(steps[i]["changes"].empty());
  CHECK(changes_of(steps[4]) == Names{"a:added", "b:added"});
  CHECK(steps[4]["changes"][0]["after"]["encoding"] == "int");
  // A discarded transaction changes nothing.
  const json discarded = r.run("MULTI\nDEL a\nDISCARD\nGET a")["steps"];
  for (const json& step : discarded)
    CHECK(step["changes"].empty());
}

TEST_CASE("a key made and deleted within one step is not reported; a repeat line is one step") {
  Recording r;
  CHECK(r.run("MULTI\nSET t 1\nDEL t\nEXEC")["steps"][3]["changes"].empty());
  const json steps = r.run("3 RPUSH l x")["steps"];
  REQUIRE(steps.size() == 1);
  CHECK(changes_of(steps[0]) == Names{"l:added"});
  CHECK(steps[0]["changes"][0]["after"]["size"] == 3);
}

TEST_CASE("expiry: keys whose time passes are steps of their own, before the next command") {
  Recording r;
  r.run("SET session:abc x PX 1000\nSET other y EX 5");
  r.sandbox.advance(1500);
  const json steps = r.run("GET session:abc")["steps"];
  REQUIRE(steps.size() == 2);
  CHECK(steps[0]["kind"] == "expired");
  CHECK(steps[0]["result"].is_null());
  CHECK(steps[0]["client"].is_null());
  CHECK(changes_of(steps[0]) == Names{"session:abc:expired"});
  CHECK(steps[0]["changes"][0]["at_ms"] == kStartMs + 1000);
  CHECK(steps[0]["changes"][0]["before"]["type"] == "string");
  CHECK(steps[1]["kind"] == "command");
  CHECK(steps[1]["changes"].empty());
}

TEST_CASE("expiry: the clock's buttons (tick) and DEBUG SLEEP give expired steps, in order") {
  Recording r;
  r.run("SET b x PX 2000\nSET a x PX 1000");
  r.sandbox.advance(3000);
  const json ticked = json::parse(r.sandbox.tick());
  REQUIRE(ticked["steps"].size() == 2);
  CHECK(changes_of(ticked["steps"][0]) == Names{"a:expired"});
  CHECK(changes_of(ticked["steps"][1]) == Names{"b:expired"});
  CHECK(json::parse(r.sandbox.tick())["steps"].empty());
  // DEBUG SLEEP as the last line: the key's expiry is still this run's step.
  const json slept = r.run("SET c x PX 100\nDEBUG SLEEP 0.2")["steps"];
  REQUIRE(slept.size() == 3);
  CHECK(slept[2]["kind"] == "expired");
  CHECK(changes_of(slept[2]) == Names{"c:expired"});
}

TEST_CASE("a flush replaces the database: every key deleted, and the keyspace after it") {
  Recording r;
  r.run("SET a 1\nSET b 2\nSELECT 1\nSET c 3\nSELECT 0");
  const json step = r.run("FLUSHALL")["steps"][0];
  CHECK(changes_of(step) == Names{"a:deleted", "b:deleted", "c:deleted"});
  CHECK(step["changes"][2]["db"] == 1);
  REQUIRE(step["keyspace"].is_object());
  CHECK(step["keyspace"]["total"] == 0);
  r.run("SET x 1\nSELECT 1\nSET y 2\nSELECT 0");
  const json swapped = r.run("SWAPDB 0 1")["steps"][0];
  CHECK(changes_of(swapped) == Names{"x:deleted", "y:added", "x:added", "y:deleted"});
  CHECK(swapped["keyspace"]["keys"][0]["key"] == "y");
}

TEST_CASE("EVAL: the script's writes are its step's") {
  Recording r;
  const json steps = r.run(
      "EVAL \"redis.call('SET', KEYS[1], 'v') return redis.call('INCR', KEYS[2])\" 2 k n")["steps"];
  REQUIRE(steps.size() == 1);
  CHECK(changes_of(steps[0]) == Names{"k:added", "n:added"});
}

TEST_CASE("a served blocking pop: its own changes, caused by the push that served it") {
  Recording r;
  const json out = r.run("@worker\nBLPOP jobs 0\n@main\nRPUSH jobs job-1");
  const json& steps = out["steps"];
  REQUIRE(steps.size() == 3);
  CHECK(steps[0]["client"] == "worker");
  CHECK(steps[0]["changes"].empty());
  CHECK(steps[1]["client"] == "main");
  // The push made the list; the pop served from it emptied it again: the push's step shows
  // the list as the push left it, the pop's step deletes it.
  CHECK(changes_of(steps[1]) == Names{"jobs:added"});
  CHECK(steps[1]["changes"][0]["after"]["size"] == 1);
  CHECK(steps[2]["client"] == "worker");
  CHECK(out["results"][steps[2]["result"].get<size_t>()]["kind"] == "blocked_reply");
  CHECK(steps[2]["caused_by"] == steps[1]["id"]);
  CHECK(changes_of(steps[2]) == Names{"jobs:deleted"});
  CHECK(steps[2]["changes"][0]["before"]["size"] == 1);
}

TEST_CASE("PUBLISH: each subscriber's message is a step caused by the PUBLISH") {
  Recording r;
  const json out =
      r.run("@a\nSUBSCRIBE news\n@b\nSUBSCRIBE news\n@main\nPUBLISH news hello\nPUBLISH none x");
  const json& steps = out["steps"];
  const json* publish = nullptr;
  int messages = 0;
  for (const json& step : steps) {
    if (step["kind"] == "command" && step["client"] == "main" && !publish) publish = &step;
    if (step["kind"] == "message") {
      ++messages;
      REQUIRE(publish);
      CHECK(step["caused_by"] == (*publish)["id"]);
      CHECK(step["line"] == 6);
      CHECK(out["results"][step["result"].get<size_t>()]["kind"] == "message");
    }
  }
  CHECK(messages == 2);
}

TEST_CASE("WATCH: an aborted EXEC names the step that changed the watched key") {
  Recording r;
  const json out = r.run(
      "WATCH balance\n@other\nINCRBY balance 10\n@main\nMULTI\n"
      "DECRBY balance 5\nEXEC");
  const json& steps = out["steps"];
  REQUIRE(steps.size() == 5);
  CHECK(steps[1]["client"] == "other");
  CHECK(steps[4]["caused_by"] == steps[1]["id"]);
  CHECK(steps[4]["watch_key"] == "balance");
  CHECK(steps[4]["changes"].empty());
  // Across runs, and by an expiry.
  r.run("SET t x PX 500\nWATCH t");
  r.sandbox.advance(1000);
  const json later = r.run("MULTI\nSET t y\nEXEC")["steps"];
  REQUIRE(later.size() == 4);
  CHECK(later[0]["kind"] == "expired");
  CHECK(later[3]["caused_by"] == later[0]["id"]);
  CHECK(later[3]["watch_key"] == "t");
  // A transaction that went through has no cause.
  CHECK(r.run("WATCH u\nMULTI\nSET u 1\nEXEC")["steps"][3]["caused_by"].is_null());
}

TEST_CASE("past max_results no steps are described, yet later runs start from the right state") {
  Recording r;
  const json out = json::parse(r.sandbox.run("SET a 1\nSET b 1\nSET c 1", true, 1));
  REQUIRE(out["steps"].size() == 1);
  const json next = r.run("SET c 2")["steps"][0];
  CHECK(next["id"] == 4);
  CHECK(changes_of(next) == Names{"c:changed"});
}

TEST_CASE("a step lists at most 100 keys and counts the rest") {
  Recording r;
  const json step = r.run("DEBUG POPULATE 250")["steps"][0];
  CHECK(step["changes"].size() == 100);
  CHECK(step["changes_omitted"] == 150);
  CHECK(step["changes"][0]["key"] == "key:0");
  CHECK(step["changes"][0]["change"] == "added");
}

TEST_CASE("a key touched again later in a big step is one change (the step's index)") {
  Recording r;
  // Twelve keys, then the first ones again: a transaction's writes are one step.
  std::string script = "MULTI\n";
  for (int i = 0; i < 12; ++i)
    script += "SET k" + std::to_string(i) + " a\n";
  script += "SET k0 bb\nSET k1 ccc\nEXEC";
  const json exec = r.run(script)["steps"].back();
  REQUIRE(exec["changes"].size() == 12);
  CHECK(exec["changes"][0]["key"] == "k0");
  CHECK(exec["changes"][0]["change"] == "added");
  CHECK(exec["changes"][0]["after"]["size"] == 2);
  CHECK(exec["changes"][1]["key"] == "k1");
  CHECK(exec["changes"][1]["after"]["size"] == 3);
  CHECK(exec["changes"][2]["key"] == "k10");  // in byte order, as KEYS sorted would be
}

TEST_CASE("keys that existed before recording started have their summary as before") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run("RPUSH l a b");
  sandbox.set_record_steps(true);
  const json step = json::parse(sandbox.run("RPUSH l c"))["steps"][0];
  CHECK(step["changes"][0]["change"] == "changed");
  CHECK(step["changes"][0]["before"]["size"] == 2);
}

}  // namespace redpad::test
