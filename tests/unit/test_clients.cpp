// Several clients in one script (`@name` lines): who runs what, blocked clients served by
// others' writes or their timeouts, lines waiting behind a blocked command, Pub/Sub
// messages, WATCH across clients, and the JSON the page reads. The multi-client
// differential corpus (tests/differential/multi/) holds the same behaviours against
// redis-server; these pin the engine's side, including what only redpad does.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "sandbox.h"
#include "test_helpers.h"

namespace redpad::test {

namespace {

using nlohmann::json;

// What redpad-cli prints for a script: `@name` heads another client's output.
std::string script(const std::string& text) {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  return sandbox.run_display(text);
}

}  // namespace

// ---- the script language ----

TEST_CASE("A script without @ lines is one client, as before") {
  CHECK(script("SET k v\nGET k\n") == "OK\n\"v\"\n");
}

TEST_CASE("@name switches the client; its output is headed by its name") {
  CHECK(script("@worker-1\nSET lock w1 NX EX 30\n@worker-2\nSET lock w2 NX EX 30\n"
               "@worker-1\nGET lock\n") == "@worker-1\nOK\n@worker-2\n(nil)\n@worker-1\n\"w1\"\n");
}

TEST_CASE("Each client has its own database, transaction and name") {
  CHECK(script("SELECT 2\n@b\nSET k b\nMULTI\n@main\nGET k\nCLIENT SETNAME boss\n@b\n"
               "CLIENT GETNAME\nEXEC\nCLIENT ID\n@main\nCLIENT GETNAME\nCLIENT ID\n") ==
        "OK\n@b\nOK\nOK\n@main\n(nil)\nOK\n@b\nQUEUED\n1) (nil)\n(integer) 2\n@main\n"
        "\"boss\"\n(integer) 1\n");
}

TEST_CASE("A line that starts with @ but names no client is refused with a message") {
  CHECK(script("@\n@two words\n@a/b\nPING\n") == std::string(kInvalidClientSwitchText) + "\n" +
                                                     kInvalidClientSwitchText + "\n" +
                                                     kInvalidClientSwitchText + "\nPONG\n");
}

TEST_CASE("At most 32 clients") {
  std::string text;
  for (int i = 1; i <= 32; ++i)
    text += "@c" + std::to_string(i) + "\nPING\n";
  const std::string out = script(text);
  CHECK(out.find("(redpad) A script can use at most 32 clients") != std::string::npos);
  CHECK(last_lines(out, 1) == "PONG\n");
}

TEST_CASE("QUIT from another client disconnects it; its next line connects it anew") {
  CHECK(script("@w\nCLIENT SETNAME x\nCLIENT ID\nQUIT\nCLIENT GETNAME\nCLIENT ID\n@main\nPING\n") ==
        "@w\nOK\n(integer) 2\n(nil)\n(integer) 3\n@main\nPONG\n");
}

// ---- blocking commands ----

TEST_CASE("BLPOP waits for another client's push; lines typed behind it run once served") {
  CHECK(script("@w1\nBLPOP q 0\nGET x\n@w2\nSET x 1\nLPUSH q a b\n") ==
        "@w2\nOK\n(integer) 2\n@w1\n1) \"q\"\n2) \"b\"\n\"1\"\n");
}

TEST_CASE("Clients blocked on one key are served first blocked, first served") {
  CHECK(script("@w1\nBRPOP q 0\n@w2\nBRPOP q 0\n@w3\nBRPOP q 0\n@p\nRPUSH q a b\n") ==
        "@p\n(integer) 2\n@w1\n1) \"q\"\n2) \"b\"\n@w2\n1) \"q\"\n2) \"a\"\n");
}

TEST_CASE("A client blocked on several keys is served by the key written") {
  CHECK(script("@w\nBLPOP a b 0\n@p\nRPUSH b x\nRPUSH a y\nLRANGE a 0 -1\n") ==
        "@p\n(integer) 1\n@w\n1) \"b\"\n2) \"x\"\n@p\n(integer) 1\n1) \"y\"\n");
}

TEST_CASE("Writes inside MULTI serve blocked clients once EXEC has run") {
  CHECK(script("@w\nBLPOP q 0\n@p\nMULTI\nRPUSH q a\nRPUSH q b\nLLEN q\nEXEC\n") ==
        "@p\nOK\nQUEUED\nQUEUED\nQUEUED\n1) (integer) 1\n2) (integer) 2\n3) (integer) 2\n"
        "@w\n1) \"q\"\n2) \"a\"\n");
}

TEST_CASE("BLMOVE's push serves a client blocked on its destination") {
  CHECK(script("@a\nBLMOVE src dst LEFT RIGHT 0\n@b\nBLPOP dst 0\n@p\nRPUSH src job\n") ==
        "@p\n(integer) 1\n@a\n\"job\"\n@b\n1) \"dst\"\n2) \"job\"\n");
}

TEST_CASE("A key that now holds another type leaves its client blocked") {
  CHECK(script("@w\nBLPOP k 0\n@p\nSET k text\nDEL k\nRPUSH k item\n") ==
        "@p\nOK\n(integer) 1\n(integer) 1\n@w\n1) \"k\"\n2) \"item\"\n");
}

TEST_CASE("BZPOPMIN, BZMPOP, BLMPOP and XREAD BLOCK are served like BLPOP") {
  CHECK(script("@a\nBZPOPMIN z 0\n@b\nBZMPOP 0 1 z MAX COUNT 2\n@c\nBLMPOP 0 2 l1 l2 RIGHT\n"
               "@d\nXREAD BLOCK 0 STREAMS s $\n@p\nZADD z 1 one 2 two 3 three\nRPUSH l2 x\n"
               "XADD s 1-1 f v\n") ==
        "@p\n(integer) 3\n@a\n1) \"z\"\n2) \"one\"\n3) \"1\"\n@b\n1) \"z\"\n2) 1) 1) \"three\"\n"
        "      2) \"3\"\n   2) 1) \"two\"\n      2) \"2\"\n@p\n(integer) 1\n@c\n1) \"l2\"\n2) 1) "
        "\"x\"\n"
        "@p\n\"1-1\"\n@d\n1) 1) \"s\"\n   2) 1) 1) \"1-1\"\n         2) 1) \"f\"\n            2) "
        "\"v\"\n");
}

TEST_CASE("XREADGROUP BLOCK gets the entries added after it blocked") {
  CHECK(script("XGROUP CREATE s g $ MKSTREAM\n@c\nXREADGROUP GROUP g alice BLOCK 0 STREAMS s >\n"
               "@p\nXADD s 5-0 k v\nXPENDING s g\n") ==
        "OK\n@p\n\"5-0\"\n@c\n1) 1) \"s\"\n   2) 1) 1) \"5-0\"\n         2) 1) \"k\"\n"
        "            2) \"v\"\n@p\n1) (integer) 1\n2) \"5-0\"\n3) \"5-0\"\n4) 1) 1) \"alice\"\n"
        "      2) \"1\"\n");
}

TEST_CASE("A group reader whose stream goes away or whose group is destroyed is unblocked") {
  const std::string setup =
      "XGROUP CREATE s g $ MKSTREAM\n@c\nXREADGROUP GROUP g c BLOCK 0 STREAMS s >\n";
  CHECK(script(setup + "@p\nDEL s\n") ==
        "OK\n@p\n(integer) 1\n@c\n(error) UNBLOCKED the stream key no longer exists\n");
  CHECK(script(setup + "@p\nFLUSHALL\n") ==
        "OK\n@p\nOK\n@c\n(error) UNBLOCKED the stream key no longer exists\n");
  CHECK(script(setup + "@p\nXGROUP DESTROY s g\n") ==
        "OK\n@p\n(integer) 1\n@c\n(error) NOGROUP the consumer group this client was blocked "
        "on no longer exists\n");
  // A plain XREAD waits on (checked with redis-server 7.0.15): the stream may come back.
  CHECK(script("XADD s 1-1 a 1\n@c\nXREAD BLOCK 0 STREAMS s $\n@p\nDEL s\nXADD s 2-1 b 2\n") ==
        "\"1-1\"\n@p\n(integer) 1\n\"2-1\"\n@c\n1) 1) \"s\"\n   2) 1) 1) \"2-1\"\n"
        "         2) 1) \"b\"\n            2) \"2\"\n");
}

TEST_CASE("DEBUG SLEEP from another client ends a wait with (nil) and the time it took") {
  CHECK(script("@w\nBLPOP q 1\nPING\n@p\nDEBUG SLEEP 0.5\nDEBUG SLEEP 0.6\n") ==
        "@p\nOK\n(0.50s)\nOK\n(0.60s)\n@w\n(nil)\n(1.10s)\nPONG\n");
}

TEST_CASE("A script's end waits for the timeouts of clients with lines still to run") {
  CHECK(script("BLPOP q 2.5\nGET x\n") == "(nil)\n(2.50s)\n(nil)\n");
  // Clients with nothing more to run are waited for too (redpad-cli at its input's end).
  CHECK(script("@w\nBLMOVE a b LEFT LEFT 0.25\n@p\nPING\n") == "@p\nPONG\n@w\n(nil)\n");
}

TEST_CASE("Lines behind a wait with no timeout are not run when the script ends") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json out = json::parse(sandbox.run("@w\nBLPOP q 0\nGET x\n"));
  const json& results = out["results"];
  REQUIRE(results.size() == 2);
  CHECK(results[0]["kind"] == "blocked");
  CHECK(results[0]["client"] == "w");
  CHECK(results[0]["display"] == "");
  CHECK(results[1]["kind"] == "not_run");
  CHECK(results[1]["line"] == 3);
  CHECK(results[1]["text"] == "GET x");
  // The client is still blocked, and a later Run serves it.
  CHECK(out["clients"][1]["blocked"]["text"] == "BLPOP q 0");
  CHECK(out["clients"][1]["blocked"]["timeout_at_ms"] == 0);
  const json later = json::parse(sandbox.run("RPUSH q job"));
  REQUIRE(later["results"].size() == 2);
  CHECK(later["results"][1]["kind"] == "blocked_reply");
  CHECK(later["results"][1]["cause"] == "served");
  CHECK(later["results"][1]["client"] == "w");
  CHECK(later["results"][1]["line"] == 2);
  CHECK(later["results"][1]["display"] == "1) \"q\"\n2) \"job\"\n");
  CHECK(later["clients"][1]["blocked"].is_null());
}

TEST_CASE("A blocked client stays blocked after a Run; tick() ends the wait once time has come") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json out = json::parse(sandbox.run("@w\nBLPOP q 5"));
  CHECK(out["multi_client"] == true);
  CHECK(out["clients"][1]["blocked"]["timeout_at_ms"] == kStartMs + 5000);
  CHECK(json::parse(sandbox.tick())["results"].empty());
  sandbox.advance(5000);
  const json ticked = json::parse(sandbox.tick());
  REQUIRE(ticked["results"].size() == 1);
  CHECK(ticked["results"][0]["cause"] == "timeout");
  CHECK(ticked["results"][0]["display"] == "(nil)\n(5.00s)\n");
  CHECK(ticked["clients"][1]["blocked"].is_null());
}

TEST_CASE("run with wait_for_timeouts lets the time pass, as redpad-cli does") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  RunLimits limits;
  limits.wait_for_timeouts = true;
  const json out = json::parse(sandbox.run("XREAD BLOCK 100 STREAMS s $", limits));
  REQUIRE(out["results"].size() == 2);
  CHECK(out["results"][1]["display"] == "(nil)\n");
  CHECK(out["now_ms"] == kStartMs + 100);
}

TEST_CASE("CLIENT UNBLOCK ends another client's wait, as a timeout or with an error") {
  CHECK(script("@a\nBLPOP q 0\n@b\nBLPOP q 0\n@main\nCLIENT UNBLOCK 2\nCLIENT UNBLOCK 3 ERROR\n"
               "CLIENT UNBLOCK 3\n") ==
        "(integer) 1\n@a\n(nil)\n@main\n(integer) 1\n@b\n(error) UNBLOCKED client unblocked via "
        "CLIENT UNBLOCK\n@main\n(integer) 0\n");
}

TEST_CASE("CLIENT LIST shows every client, blocked and subscribed ones flagged") {
  const std::string out = script("@w\nBLPOP q 0\n@s\nSUBSCRIBE ch\n@main\nCLIENT LIST\n");
  CHECK(out.find("id=2 ") != std::string::npos);
  CHECK(out.find("flags=b db=0 sub=0 psub=0 ssub=0 multi=-1") != std::string::npos);
  CHECK(out.find("flags=P db=0 sub=1 psub=0 ssub=0 multi=-1") != std::string::npos);
  CHECK(out.find("cmd=blpop") != std::string::npos);
  CHECK(out.find("cmd=client|list") != std::string::npos);
}

// ---- Pub/Sub ----

TEST_CASE("PUBLISH reaches channel subscribers, then pattern subscribers") {
  CHECK(script("@s1\nSUBSCRIBE news\n@s2\nPSUBSCRIBE n*\n@p\nPUBLISH news hi\nPUBLISH nope x\n") ==
        "@s1\nReading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"news\"\n"
        "3) (integer) 1\n@s2\nReading messages... (press Ctrl-C to quit)\n1) \"psubscribe\"\n"
        "2) \"n*\"\n3) (integer) 1\n@p\n(integer) 2\n@s1\n1) \"message\"\n2) \"news\"\n3) \"hi\"\n"
        "@s2\n1) \"pmessage\"\n2) \"n*\"\n3) \"news\"\n4) \"hi\"\n@p\n(integer) 1\n@s2\n"
        "1) \"pmessage\"\n2) \"n*\"\n3) \"nope\"\n4) \"x\"\n");
}

TEST_CASE("A pattern never matches the empty channel name, as in Redis") {
  CHECK(script("@s\nPSUBSCRIBE *\n@p\nPUBLISH \"\" x\nPUBLISH a x\n") ==
        "@s\nReading messages... (press Ctrl-C to quit)\n1) \"psubscribe\"\n2) \"*\"\n"
        "3) (integer) 1\n@p\n(integer) 0\n(integer) 1\n@s\n1) \"pmessage\"\n2) \"*\"\n"
        "3) \"a\"\n4) \"x\"\n");
}

TEST_CASE("A subscribed client may only (un)subscribe, PING, QUIT or RESET") {
  CHECK(script("SUBSCRIBE a b\nGET k\nPING\nPING hi\nRESET\nGET k\n") ==
        "Reading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"a\"\n3) (integer) 1\n"
        "1) \"subscribe\"\n2) \"b\"\n3) (integer) 2\n(error) ERR Can't execute 'get': only "
        "(P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\n"
        "1) \"pong\"\n2) \"\"\n1) \"pong\"\n2) \"hi\"\nRESET\n(nil)\n");
}

TEST_CASE("The JSON marks messages with the publishing line") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  const json out = json::parse(sandbox.run("@sub\nSUBSCRIBE ch\n@pub\nPUBLISH ch hello"));
  const json& results = out["results"];
  REQUIRE(results.size() == 3);
  CHECK(results[2]["kind"] == "message");
  CHECK(results[2]["client"] == "sub");
  CHECK(results[2]["line"] == 4);
  CHECK(results[2]["display"] == "1) \"message\"\n2) \"ch\"\n3) \"hello\"\n");
  CHECK(out["clients"][1]["subscriptions"] == 1);
}

// ---- WATCH across clients ----

TEST_CASE("Another client's write to a watched key makes EXEC fail") {
  CHECK(script("@a\nWATCH k\nGET k\nMULTI\nINCR k\n@b\nSET k 10\n@a\nEXEC\nGET k\n") ==
        "@a\nOK\n(nil)\nOK\nQUEUED\n@b\nOK\n@a\n(nil)\n\"10\"\n");
  CHECK(script("@a\nWATCH k\nMULTI\nINCR k\n@b\nSET other 1\n@a\nEXEC\n") ==
        "@a\nOK\nOK\nQUEUED\n@b\nOK\n@a\n1) (integer) 1\n");
}

// ---- transcript for checks ----

TEST_CASE("The transcript names each command's client, answers of blocked commands included") {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  sandbox.run("@w\nBLPOP q 0\n@p\nRPUSH q a");
  const json results = json::parse(sandbox.check(
      R"([{"kind": "command", "pattern": "BLPOP q *", "reply": "1) \"q\"\n2) \"a\"", "message": "served"}])"));
  CHECK(results[0]["passed"] == true);
}

}  // namespace redpad::test
