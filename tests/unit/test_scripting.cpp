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

// ---- the budget covers work done in C (issue 16) ----

namespace {

// Redis's answer for a script stopped on `line`.
Reply killed(const std::string& body, int line) {
  return Reply::error("ERR Script killed by user with SCRIPT KILL... script: " + sha1_hex(body) +
                      ", on @user_script:" + std::to_string(line) + ".");
}

// A server whose scripts may spend 2 million units: a few milliseconds of work.
ServerConfig small_budget() {
  ServerConfig c = config();
  c.script_instructions = 2'000'000;
  return c;
}

Reply eval(Server& server, const std::string& body) {
  return run(server, {"EVAL", body, "0"});
}

}  // namespace

TEST_CASE("Backtracking patterns are stopped by the budget, at the line that called them") {
  Server server(small_budget());
  // Exponential in Lua's own matcher: 40 nested a* before a b that is never there.
  const std::string bomb =
      "local s = string.rep('a', 40)\n"
      "return string.find(s, string.rep('a*', 40) .. 'b')";
  CHECK(eval(server, bomb) == killed(bomb, 2));
  for (const char* call : {"string.match(s, p)", "string.gsub(s, p, '')", "string.gmatch(s, p)()",
                           "s:find(p, 1, false)"}) {
    const std::string body = std::string(
                                 "local s, p = string.rep('a', 40), string.rep('a*', 40) "
                                 "..'b'\nlocal n = 1\nreturn ") +
                             call;
    CHECK(eval(server, body) == killed(body, 3));
  }
  // Quadratic ones in a loop, and plain searches over a long string.
  const std::string lazy = "local s = string.rep('a', 20000)\nwhile true do s:find('.-b') end";
  CHECK(eval(server, lazy) == killed(lazy, 2));
  const std::string plain =
      "local s = string.rep('a', 100000)\nwhile true do s:find('b', 1, true) end";
  CHECK(eval(server, plain) == killed(plain, 2));
  // Patterns that finish are Lua's (tests/differential/corpus/scripting-patterns.redis).
  CHECK(cli(server,
            "EVAL \"return {string.find(string.rep('a', 20), string.rep('a*', 5) .. "
            "'a')}\" 0") == "1) (integer) 1\n2) (integer) 20\n");
}

TEST_CASE("A pcall around C work cannot swallow the stop") {
  Server server(small_budget());
  const std::string body =
      "local s = string.rep('a', 40)\n"
      "local ok, e = pcall(string.find, s, string.rep('a*', 40) .. 'b')\n"
      "return {ok, e}";
  CHECK(eval(server, body) == killed(body, 2));
  const std::string looped = "while true do\n  pcall(string.rep, 'x', 100000)\nend";
  CHECK(eval(server, looped).str.rfind("ERR Script killed by user", 0) == 0);
  const std::string x =
      "local ok = xpcall(function() while true do string.rep('x', 100000) end end, "
      "function(e) return e end)\nreturn ok";
  CHECK(eval(server, x) == killed(x, 1));
  // Nor a coroutine, resumed or wrapped.
  const std::string resumed =
      "local co = coroutine.create(function() while true do string.rep('x', 100000) end end)\n"
      "local ok = coroutine.resume(co)\nreturn ok";
  CHECK(eval(server, resumed) == killed(resumed, 2));
  const std::string wrapped =
      "local f = coroutine.wrap(function() while true do local s = string.rep('x', 1000) .. "
      "'y' end end)\nlocal ok = pcall(f)\nreturn ok";
  CHECK(eval(server, wrapped) == killed(wrapped, 2));
  // The server and scripting go on.
  CHECK(cli(server, "EVAL \"return 1 + 1\" 0") == "(integer) 2\n");
}

TEST_CASE("cmsgpack, struct and bit charge what they do") {
  Server server(small_budget());
  // The fuzzer's input: unpacking thousands of nested arrays, over and over.
  const std::string deep =
      "local s = string.rep('\\145', 3999) .. '\\1'\nwhile true do cmsgpack.unpack(s) end";
  CHECK(eval(server, deep) == killed(deep, 2));
  // A table shared ten times on each of 15 levels packs 10^15 values.
  const std::string shared =
      "local t = {1} for i = 1, 15 do t = {t, t, t, t, t, t, t, t, t, t} end\n"
      "return #cmsgpack.pack(t)";
  CHECK(eval(server, shared) == killed(shared, 2));
  const std::string format = "local f = string.rep('b', 100000)\nwhile true do struct.size(f) end";
  CHECK(eval(server, format) == killed(format, 2));
  const std::string bytes =
      "local s = string.rep('x', 100000)\nwhile true do struct.unpack('c100000', s) end";
  CHECK(eval(server, bytes) == killed(bytes, 2));
  const std::string band =
      "local t = {} for i = 1, 7000 do t[i] = i end\nwhile true do bit.band(unpack(t)) end";
  CHECK(eval(server, band) == killed(band, 2));
}

TEST_CASE("cjson and Lua's own C functions are charged by their arguments") {
  Server server(small_budget());
  // 2^40 copies of {1} in the text: stopped before cjson starts.
  const std::string dag = "local t = {1} for i = 1, 40 do t = {t, t} end\nreturn cjson.encode(t)";
  CHECK(eval(server, dag) == killed(dag, 2));
  const std::string decode =
      "local s = '[' .. string.rep('1,', 100000) .. '1]'\nwhile true do cjson.decode(s) end";
  CHECK(eval(server, decode) == killed(decode, 2));
  const std::string rep = "return string.rep('', 2000000000)";
  CHECK(eval(server, rep) == killed(rep, 1));
  const std::string concat =
      "local t = {} for i = 1, 10000 do t[i] = 'x' end\nwhile true do table.concat(t) end";
  CHECK(eval(server, concat) == killed(concat, 2));
  const std::string sort =
      "local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 20000 end\n"
      "while true do table.sort(t) end";
  CHECK(eval(server, sort) == killed(sort, 2));
  const std::string insert =
      "local t = {} for i = 1, 100000 do t[i] = i end\n"
      "while true do table.insert(t, 1, 0) table.remove(t, 1) end";
  CHECK(eval(server, insert) == killed(insert, 2));
  const std::string negative = "local t = {}\ntable.insert(t, -2000000000, 0)";
  CHECK(eval(server, negative) == killed(negative, 2));
  const std::string upper = "local s = string.rep('a', 100000)\nwhile true do s:upper() end";
  CHECK(eval(server, upper) == killed(upper, 2));
  const std::string collect =
      "local t = {} for i = 1, 10000 do t[i] = {} end\nwhile true do collectgarbage() end";
  CHECK(eval(server, collect) == killed(collect, 2));
  // table.sort's own comparison, charged, still raises Lua's error from where Lua would.
  const std::string mixed = "local t = {1, 'a'}\ntable.sort(t)";
  CHECK(eval(server, mixed) == Reply::error("ERR attempt to compare string with number script: " +
                                            sha1_hex(mixed) + ", on @user_script:2."));
  CHECK(cli(server, "EVAL \"local t = {3, 1, 2} table.sort(t) return t\" 0") ==
        "1) (integer) 1\n2) (integer) 2\n3) (integer) 3\n");
}

TEST_CASE("Allocating counts: a loop of long concatenations is stopped") {
  Server server(small_budget());
  const std::string body =
      "local s = string.rep('x', 100000)\nlocal i = 0\n"
      "while true do i = i + 1 local t = s .. i end";
  CHECK(eval(server, body) == killed(body, 3));
}

TEST_CASE("A stop in C work is deterministic: the same script stops at the same point") {
  ServerConfig c = small_budget();
  Server first(c), second(c);
  const std::string body =
      "local s = string.rep('ab', 1000)\n"
      "while true do redis.call('incr', 'n') s:gsub('a', 'c') cjson.encode({s, s}) "
      "local x = s .. redis.call('get', 'n') end";
  CHECK(eval(first, body) == killed(body, 2));
  CHECK(eval(second, body) == killed(body, 2));
  const std::string n = cli(first, "GET n");
  CHECK(n == cli(second, "GET n"));
  CHECK(n.size() > 4);  // some work was done before the stop
}

TEST_CASE("A pattern nests 4000 backtracking points at most (the WebAssembly stack)") {
  Server server(config());
  const std::string deep = "return string.find(string.rep('a', 5000), string.rep('a?', 5000))";
  CHECK(eval(server, deep) == Reply::error("ERR user_script:1: pattern too complex script: " +
                                           sha1_hex(deep) + ", on @user_script:1."));
  CHECK(cli(server,
            "EVAL \"return {string.find(string.rep('a', 3000), string.rep('a?', 3000))}\" 0") ==
        "1) (integer) 1\n2) (integer) 3000\n");
}

TEST_CASE("Work the budget cannot see (long strings in Lua's VM) is stopped by the time limit") {
  // Concatenating two 1 MB strings into one that exists already, and comparing them, copy
  // and compare megabytes in Lua's VM without allocating: no charge sees it, and the loops
  // below would take hours within the instruction budget on any machine. A time limit of a
  // millisecond stops each (the budget alone would not for hours).
  ServerConfig c = config();
  c.script_time_ms = 1;
  Server server(c);
  const std::string concat =
      "local s = string.rep('x', 1000000) local ss = s .. s "
      "for i = 1, 100000000 do local t = s .. s end return 1";
  CHECK(eval(server, concat) == killed(concat, 1));
  const std::string compare =
      "local a = string.rep('x', 1000000) local b = string.rep('x', 1000000) "
      "local n = 0 for i = 1, 100000000 do if a < b then n = n + 1 end end return n";
  CHECK(eval(server, compare) == killed(compare, 1));
  // A script that ends in time is untouched by it.
  CHECK(eval(server, "return 1") == Reply::integer_value(1));
}

}  // namespace redpad::test
