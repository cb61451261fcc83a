// EVAL and friends: what only redpad does (the instruction budget that stops a script that
// never ends, the memory cap, answers where redis-server 7.0.15 crashes) and how scripts meet
// the rest of the engine (blocked clients, WATCH, MULTI, the virtual clock). Redis's own
// behaviour is pinned byte for byte by tests/differential/corpus/scripting.redis.
#include <doctest/doctest.h>

#include <string>

#include "sandbox.h"
#include "sha1.h"
#include "test_helpers.h"

namespace redpad::test {

namespace {

std::string script(const std::string& text) {
  Sandbox sandbox(SandboxOptions{kStartMs, 1, false});
  return sandbox.run_display(text);
}

constexpr const char* kSafeRelease =
    "\"if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else "
    "return 0 end\"";

}  // namespace

TEST_CASE("SHA-1 of known inputs (script ids)") {
  CHECK(sha1_hex("") == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(sha1_hex("abc") == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(sha1_hex("hello") == "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
  CHECK(sha1_hex(std::string(1000000, 'a')) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // 55, 56 and 64 bytes: the padding needs one block, two blocks, one more block.
  CHECK(sha1_hex(std::string(55, 'x')) == "cef734ba81a024479e09eb5a75b6ddae62e6abf1");
  CHECK(sha1_hex(std::string(56, 'x')) == "901305367c259952f4e7af8323f480d59f81335b");
  CHECK(sha1_hex(std::string(64, 'x')) == "bb2fa3ee7afb9f54c6dfb5d021f14b1ffe40c163");
  CHECK(sha1_hex("return 'loaded'") == "b534286061d4b9e4026607613b95c06c06015ae8");
}

TEST_CASE("The caching lesson's safe release: only the owner deletes the lock") {
  Server server(config());
  CHECK(cli(server, "SET lock:resource process-1 NX PX 30000") == "OK\n");
  CHECK(cli(server, std::string("EVAL ") + kSafeRelease + " 1 lock:resource process-2") ==
        "(integer) 0\n");
  CHECK(cli(server, "GET lock:resource") == "\"process-1\"\n");
  CHECK(cli(server, std::string("EVAL ") + kSafeRelease + " 1 lock:resource process-1") ==
        "(integer) 1\n");
  CHECK(cli(server, "EXISTS lock:resource") == "(integer) 0\n");
}

TEST_CASE("A script that never ends is stopped by the instruction budget") {
  ServerConfig c = config();
  c.script_instructions = 1'000'000;
  Server server(c);
  const std::string killed = "(error) ERR Script killed by user with SCRIPT KILL... script: ";
  CHECK(cli(server, "EVAL \"while true do end\" 0").rfind(killed, 0) == 0);
  // A pcall in the script cannot swallow the stop.
  CHECK(cli(server,
            "EVAL \"local ok = pcall(function() while true do end end) "
            "while true do end\" 0")
            .rfind(killed, 0) == 0);
  CHECK(cli(server, "EVAL \"while true do pcall(function() while true do end end) end\" 0")
            .rfind(killed, 0) == 0);
  // A loop of commands runs few instructions per call: calls count too. Writes made before
  // the stop stay, each complete.
  CHECK(cli(server, "EVAL \"while true do redis.call('incr', 'n') end\" 0").rfind(killed, 0) == 0);
  const std::string n = cli(server, "GET n");
  CHECK(n.size() > 4);
  CHECK(cli(server, "TYPE n") == "string\n");
  // The server goes on, and so does scripting.
  CHECK(cli(server, "EVAL \"return 1 + 1\" 0") == "(integer) 2\n");
}

TEST_CASE("The stop is deterministic: the same script stops at the same point") {
  ServerConfig c = config();
  c.script_instructions = 500'000;
  Server first(c), second(c);
  const char* line = "EVAL \"while true do redis.call('incr', 'n') end\" 0";
  CHECK(cli(first, line) == cli(second, line));
  CHECK(cli(first, "GET n") == cli(second, "GET n"));
}

TEST_CASE("A script's memory is capped: a runaway table is an error, not a crash") {
  Server server(config());
  const std::string out =
      cli(server, "EVAL \"local t = {} for i = 1, 100000000 do t[i] = i end\" 0");
  CHECK(out.rfind("(error) ERR redpad: the script needs more than the 64 MB", 0) == 0);
  CHECK(cli(server, "EVAL \"return 'still here'\" 0") == "\"still here\"\n");
}

TEST_CASE("A reply nests arrays 1000 deep at most (a browser's stack holds no more)") {
  Server server(config());
  Reply reply = run(server, {"EVAL", "local t = {} t[1] = t return t", "0"});
  int depth = 0;
  const Reply* inner = &reply;
  while (inner->type == ReplyType::Array && inner->elements.size() == 1) {
    ++depth;
    inner = &inner->elements[0];
  }
  CHECK(depth == 1000);
  CHECK(*inner == Reply::error("ERR redpad: a script's reply may nest arrays 1000 deep at most"));
  // Shallower nesting is Redis's.
  CHECK(cli(server, "EVAL \"return {{{1}}}\" 0") == "1) 1) 1) (integer) 1\n");
}

TEST_CASE("Error tables without err, which crash redis-server 7.0.15, get an error") {
  Server server(config());
  CHECK(cli(server, "EVAL \"error({})\" 0") ==
        "(error) ERR unknown error script: " + sha1_hex("error({})") + ", on @user_script:1.\n");
  CHECK(cli(server, "EVAL \"error({ok='x'})\" 0") ==
        "(error) ERR unknown error script: " + sha1_hex("error({ok='x'})") +
            ", on @user_script:1.\n");
}

TEST_CASE("math.random starts where a freshly started Redis does") {
  Server server(config());
  CHECK(cli(server,
            "EVAL \"return {math.random(1000), math.random(1000), math.random(1000), "
            "math.random(1000), math.random(1000)}\" 0") ==
        "1) (integer) 397\n2) (integer) 841\n3) (integer) 354\n4) (integer) 447\n"
        "5) (integer) 319\n");
  // Shared by every script and not reset by SCRIPT FLUSH.
  CHECK(cli(server, "SCRIPT FLUSH") == "OK\n");
  CHECK(cli(server, "EVAL \"math.randomseed(0); return math.random(1000)\" 0") ==
        "(integer) 171\n");
}

TEST_CASE("Writes in a script serve blocked clients after the script, not during it") {
  CHECK(script("@worker\nBLPOP q 0\n@main\nEVAL \"redis.call('rpush', 'q', 'a'); return "
               "redis.call('llen', 'q')\" 0\n") == "(integer) 1\n@worker\n1) \"q\"\n2) \"a\"\n");
}

TEST_CASE("A script's PUBLISH reaches subscribers, in order, after the script") {
  CHECK(script("@listener\nSUBSCRIBE news\n@main\nEVAL \"redis.call('publish', 'news', "
               "'one'); return redis.call('publish', 'news', 'two')\" 0\n") ==
        "@listener\nReading messages... (press Ctrl-C to quit)\n1) \"subscribe\"\n2) \"news\"\n"
        "3) (integer) 1\n@main\n(integer) 1\n@listener\n1) \"message\"\n2) \"news\"\n3) "
        "\"one\"\n1) \"message\"\n2) \"news\"\n3) \"two\"\n");
}

TEST_CASE("A script's write makes a watcher's EXEC fail") {
  CHECK(script("@shop\nWATCH stock\nMULTI\nDECR stock\n@main\nEVAL \"return "
               "redis.call('set', KEYS[1], 5)\" 1 stock\n@shop\nEXEC\n") ==
        "@shop\nOK\nOK\nQUEUED\n@main\nOK\n@shop\n(nil)\n");
}

TEST_CASE("Blocking reads in a script: Redis's refusals") {
  Server server(config());
  CHECK(cli(server, "EVAL \"return redis.call('xread', 'block', 0, 'streams', 's', '$')\" 0")
            .rfind("(error) ERR xread command is not allowed with BLOCK option from scripts "
                   "script: ",
                   0) == 0);
  CHECK(cli(server, "EVAL \"return redis.call('blmpop', 0, 1, 'q', 'left')\" 0") == "(nil)\n");
}

TEST_CASE("The clock stands still while a script runs") {
  Server server(config());
  CHECK(cli(server,
            "EVAL \"local a = redis.call('time') for i = 1, 100000 do end local b = "
            "redis.call('time') return a[1] == b[1] and a[2] == b[2]\" 0") == "(integer) 1\n");
}

TEST_CASE("SCRIPT FLUSH forgets scripts; EVAL compiles them again") {
  Server server(config());
  CHECK(cli(server, "SCRIPT LOAD \"return 7\"") == "\"" + sha1_hex("return 7") + "\"\n");
  CHECK(cli(server, "EVALSHA " + sha1_hex("return 7") + " 0") == "(integer) 7\n");
  CHECK(cli(server, "SCRIPT FLUSH") == "OK\n");
  CHECK(cli(server, "EVALSHA " + sha1_hex("return 7") + " 0") ==
        "(error) NOSCRIPT No matching script. Please use EVAL.\n");
  CHECK(cli(server, "EVAL \"return 7\" 0") == "(integer) 7\n");
}

TEST_CASE("A binary chunk is never loaded") {
  Server server(config());
  CHECK(run(server, {"EVAL", std::string("\x1bLua\x51", 5), "0"}) ==
        Reply::error("ERR Error compiling script (new function): user_script:1: unexpected "
                     "symbol near 'char(27)'"));
  CHECK(cli(server, "EVAL \"return select('#', loadstring(string.dump(function() end)))\" 0") ==
        "(integer) 2\n");
}

TEST_CASE("A script cannot reach around the read-only globals") {
  Server server(config());
  CHECK(cli(server, "EVAL \"getmetatable('').__index = {}\" 0")
            .rfind("(error) ERR user_script:1: Attempt to modify a readonly table", 0) == 0);
  CHECK(cli(server, "EVAL \"return loadstring('x = 1')()\" 0")
            .rfind("(error) ERR [string \"x = 1\"]:1: Attempt to modify a readonly table", 0) == 0);
  CHECK(cli(server, "EVAL \"return ('abc'):upper()\" 0") == "\"ABC\"\n");
}

}  // namespace redpad::test
