// The inspector's per-type views (engine/inspect.h): one page of a key's value, read without
// changing the server. Printed numbers (scores, coordinates, lags, HyperLogLog estimates)
// were captured from redis-server 7.0.15 with `redis-cli --no-raw`.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <string>

#include "inspect.h"
#include "sandbox.h"
#include "test_helpers.h"

namespace redpad::test {

namespace {

using nlohmann::json;

json inspect(const Sandbox& sandbox, const std::string& key, size_t offset = 0, size_t count = 100,
             int db = -1) {
  return json::parse(sandbox.inspect(db, key, offset, count));
}

Sandbox make_sandbox() {
  return Sandbox(SandboxOptions{kStartMs, 1, false});
}

}  // namespace

TEST_CASE("inspect: a list's page has each element's index and negative index") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("RPUSH l a b c d e");
  const json out = inspect(sandbox, "l", 1, 2);
  CHECK(out["exists"] == true);
  CHECK(out["type"] == "list");
  CHECK(out["view"] == "list");
  CHECK(out["encoding"] == "quicklist");
  CHECK(out["size"] == 5);
  CHECK(out["offset"] == 1);
  CHECK(out["count"] == 2);
  CHECK(out["expire_at_ms"] == -1);
  CHECK(out["now_ms"] == kStartMs);
  CHECK(out["items"] == json::parse(R"([{"index":1,"negative_index":-4,"value":"b"},
                                         {"index":2,"negative_index":-3,"value":"c"}])"));
}

TEST_CASE("inspect: pages of a big list: the last one is short, past the end is empty") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("DEBUG POPULATE 1");  // a key of another type beside it
  std::string script;
  for (int i = 0; i < 1000; ++i)
    script += "RPUSH big " + std::to_string(i) + "\n";
  sandbox.run(script);
  json out = inspect(sandbox, "big", 950, 100);
  CHECK(out["size"] == 1000);
  CHECK(out["count"] == 50);
  CHECK(out["items"][0] == json{{"index", 950}, {"negative_index", -50}, {"value", "950"}});
  CHECK(out["items"][49]["negative_index"] == -1);
  out = inspect(sandbox, "big", 5000, 100);
  CHECK(out["offset"] == 1000);
  CHECK(out["count"] == 0);
  CHECK(out["items"].empty());
  // The count is capped.
  out = inspect(sandbox, "big", 0, 100000);
  CHECK(out["count"] == kInspectMaxItems);
  CHECK(out["items"].size() == kInspectMaxItems);
}

TEST_CASE("inspect: an element longer than 1024 bytes is cut, and its item says so") {
  Sandbox sandbox = make_sandbox();
  sandbox.run(
      "SET long x\nSETRANGE long 3000 y\nRPUSH l short\nHSET h f v\n"
      "XADD s 1-1 f v\nZADD z 1 m\nSADD set m");
  const std::string big(3001, 'b');
  for (const char* command : {"RPUSH l", "HSET h big", "XADD s 2-1 big", "ZADD z 2", "SADD set"})
    sandbox.run(std::string(command) + " " + big);
  json out = inspect(sandbox, "l");
  CHECK(out["items"][0] == json{{"index", 0}, {"negative_index", -2}, {"value", "short"}});
  CHECK(out["items"][1]["value"].get<std::string>().size() == kInspectMaxElementBytes);
  CHECK(out["items"][1]["cut"] == true);
  CHECK(inspect(sandbox, "h")["items"][1]["cut"] == true);
  CHECK(inspect(sandbox, "h")["items"][0].count("cut") == 0);
  const json stream = inspect(sandbox, "s");
  CHECK(stream["items"][1]["fields"][1].get<std::string>().size() == kInspectMaxElementBytes);
  CHECK(stream["items"][1]["cut"] == true);
  CHECK(inspect(sandbox, "z")["items"][1]["cut"] == true);
  CHECK(inspect(sandbox, "set")["items"][0]["cut"] == true);  // "bbb..." sorts before "m"
  // A string is paged by bytes instead: its page is never cut.
  CHECK(inspect(sandbox, "long", 0, 5000)["value"].get<std::string>().size() == 3001);
}

TEST_CASE("inspect: a hash's fields and values, in the hash's order, stable across pages") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("HSET h z 1 a 2 m 3\nHSET h b 4\nHDEL h a");
  json all = inspect(sandbox, "h");
  CHECK(all["type"] == "hash");
  CHECK(all["encoding"] == "listpack");
  CHECK(all["size"] == 3);
  CHECK(all["items"] == json::parse(R"([{"field":"z","value":"1"},{"field":"m","value":"3"},
                                         {"field":"b","value":"4"}])"));
  const json second = inspect(sandbox, "h", 1, 1);
  CHECK(second["items"] == json::parse(R"([{"field":"m","value":"3"}])"));
}

TEST_CASE("inspect: a set's members, sorted for stable paging") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("SADD ints 30 -2 10\nSADD s pear apple fig");
  json out = inspect(sandbox, "ints");
  CHECK(out["encoding"] == "intset");
  CHECK(out["items"] == json::parse(R"([{"member":"-2"},{"member":"10"},{"member":"30"}])"));
  out = inspect(sandbox, "s", 1, 5);
  CHECK(out["type"] == "set");
  CHECK(out["encoding"] == "hashtable");
  CHECK(out["size"] == 3);
  CHECK(out["items"] == json::parse(R"([{"member":"fig"},{"member":"pear"}])"));
}

TEST_CASE("inspect: a sorted set's ranks and scores as ZRANGE WITHSCORES prints them") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("ZADD z 1.5 a 0.1 b -3 c 1e20 d 3.0000000000000004 e");
  const json out = inspect(sandbox, "z");
  CHECK(out["type"] == "zset");
  CHECK(out["view"] == "zset");
  CHECK(out["geo"] == false);
  CHECK(out["encoding"] == "listpack");
  // redis-cli: ZRANGE z 0 -1 WITHSCORES
  CHECK(out["items"] == json::parse(R"([
    {"rank":0,"member":"c","score":"-3"},
    {"rank":1,"member":"b","score":"0.10000000000000001"},
    {"rank":2,"member":"a","score":"1.5"},
    {"rank":3,"member":"e","score":"3.0000000000000004"},
    {"rank":4,"member":"d","score":"1e+20"}])"));
  CHECK(inspect(sandbox, "z", 3, 1)["items"][0]["member"] == "e");
}

TEST_CASE("inspect: a geo set's members with their positions as GEOPOS prints them") {
  Sandbox sandbox = make_sandbox();
  sandbox.run(
      "GEOADD g 13.361389 38.115556 Palermo 15.087269 37.502669 Catania -122.4194 37.7749 SF");
  const json out = inspect(sandbox, "g");
  CHECK(out["type"] == "zset");
  CHECK(out["view"] == "geo");
  CHECK(out["geo"] == true);
  // redis-cli: ZRANGE g 0 -1 WITHSCORES, GEOPOS g SF Palermo Catania
  CHECK(out["items"] == json::parse(R"([
    {"rank":0,"member":"SF","score":"1367859919124626",
     "longitude":"-122.41940170526504517","latitude":"37.77490001056577995"},
    {"rank":1,"member":"Palermo","score":"3479099956230698",
     "longitude":"13.36138933897018433","latitude":"38.11555639549629859"},
    {"rank":2,"member":"Catania","score":"3479447370796909",
     "longitude":"15.08726745843887329","latitude":"37.50266842333162032"}])"));
}

TEST_CASE("inspect: integer scores that decode to Antarctica's interior are not positions") {
  Sandbox sandbox = make_sandbox();
  // redis-cli: GEOPOS of these scores -> latitudes -85.05110216542783519 (100),
  // -82.10549763671770052 (1700000000000), -73.75730224847313821 (17650000000000).
  sandbox.run(
      "ZADD ranks 100 a 200 b\nZADD times 1700000000000 a 1765000000000 b\n"
      "ZADD far 17650000000000 a");
  CHECK(inspect(sandbox, "ranks")["view"] == "zset");
  CHECK(inspect(sandbox, "times")["view"] == "zset");
  const json far = inspect(sandbox, "far");
  CHECK(far["view"] == "geo");
  CHECK(far["items"][0]["longitude"] == "-179.18735235929489136");
  CHECK(far["items"][0]["latitude"] == "-73.75730224847313821");
}

TEST_CASE("inspect: a stream's entries, and its groups' lag, pending entries and consumers") {
  Sandbox sandbox = make_sandbox();
  sandbox.run(
      "XADD s 1-1 f v\nXADD s 2-1 f2 v2 g x\nXADD s 3-1 f3 v3\nXGROUP CREATE s grp 0\n"
      "XREADGROUP GROUP grp alice COUNT 1 STREAMS s >\n"
      "XREADGROUP GROUP grp bob COUNT 1 STREAMS s >\nXGROUP CREATE s g2 $");
  json out = inspect(sandbox, "s", 1, 5);
  CHECK(out["type"] == "stream");
  CHECK(out["encoding"] == "stream");
  CHECK(out["size"] == 3);
  CHECK(out["last_id"] == "3-1");
  CHECK(out["items"] == json::parse(R"([{"id":"2-1","fields":["f2","v2","g","x"]},
                                         {"id":"3-1","fields":["f3","v3"]}])"));
  // redis-cli: XINFO GROUPS s (g2: entries-read (nil), lag 0; grp: 2-1, 2, lag 1)
  CHECK(out["groups"] == json::parse(R"([
    {"name":"g2","last_delivered_id":"3-1","entries_read":null,"lag":0,"pending":0,
     "consumers":[]},
    {"name":"grp","last_delivered_id":"2-1","entries_read":2,"lag":1,"pending":2,
     "consumers":[{"name":"alice","pending":1,"pending_ids":["1-1"]},
                  {"name":"bob","pending":1,"pending_ids":["2-1"]}]}])"));
  // After XDEL of an entry the group has read, Redis cannot know the lag: (nil).
  sandbox.run("XDEL s 2-1");
  out = inspect(sandbox, "s");
  CHECK(out["groups"][1]["lag"] == nullptr);
  CHECK(out["groups"][0]["lag"] == 0);
}

TEST_CASE("inspect: a HyperLogLog's encoding and estimate, the cached cardinality untouched") {
  Sandbox sandbox = make_sandbox();
  std::string dense = "PFADD hd";
  for (int i = 0; i < 5000; ++i)
    dense += " e" + std::to_string(i);
  std::string sparse = "PFADD hs";
  for (int i = 0; i < 100; ++i)
    sparse += " m" + std::to_string(i);
  sandbox.run(dense + "\n" + sparse);
  const std::string bytes_before = sandbox.run_display("GET hs");
  json out = inspect(sandbox, "hs");
  CHECK(out["type"] == "string");
  CHECK(out["view"] == "hll");
  // redis-cli: PFCOUNT hs -> 100 (sparse, GETRANGE hs 4 4 "\x01"); PFCOUNT hd -> 4968 (dense)
  CHECK(out["hll"] == json{{"encoding", "sparse"}, {"estimate", 100}});
  CHECK(sandbox.run_display("GET hs") == bytes_before);  // the cache was not written
  out = inspect(sandbox, "hd");
  CHECK(out["hll"] == json{{"encoding", "dense"}, {"estimate", 4968}});
  sandbox.run("PFCOUNT hd");  // now cached: the same figure, from the cache
  CHECK(inspect(sandbox, "hd")["hll"]["estimate"] == 4968);
}

TEST_CASE("inspect: any string as bits, most significant bit first, paged by bytes") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("SETBIT bm 0 1\nSETBIT bm 9 1\nSET word hello");
  json out = inspect(sandbox, "bm");
  CHECK(out["view"] == "string");
  CHECK(out["size"] == 2);
  CHECK(out["bits"] == "1000000001000000");  // redis-cli: GET bm -> "\x80@"
  out = inspect(sandbox, "word", 1, 3);
  CHECK(out["offset"] == 1);
  CHECK(out["count"] == 3);
  CHECK(out["value"] == "ell");
  CHECK(out["bits"] == "011001010110110001101100");
  CHECK(out["json"] == false);
}

TEST_CASE("inspect: a string holding a JSON object or array says so") {
  Sandbox sandbox = make_sandbox();
  sandbox.run(R"(SET doc "{\"name\": \"Ada\", \"langs\": [\"en\"]}")"
              "\nSET arr \"[1, 2]\"\nSET num 42\nSET bad \"{oops\"");
  json out = inspect(sandbox, "doc");
  CHECK(out["json"] == true);
  CHECK(out["view"] == "json");
  CHECK(out["value"] == R"({"name": "Ada", "langs": ["en"]})");
  CHECK(inspect(sandbox, "arr")["json"] == true);
  out = inspect(sandbox, "num");
  CHECK(out["json"] == false);  // a number is JSON, but not a document worth a view
  CHECK(out["encoding"] == "int");
  CHECK(inspect(sandbox, "bad")["json"] == false);
}

TEST_CASE("inspect: a missing key, a key past its TTL (left in place), another db, a bad db") {
  Sandbox sandbox = make_sandbox();
  sandbox.run("SET gone x PX 100\nSELECT 3\nSET other y EX 60\nSELECT 0\nSET here z EX 60");
  CHECK(inspect(sandbox, "nothing") ==
        json{{"key", "nothing"}, {"db", 0}, {"now_ms", kStartMs}, {"exists", false}});
  json out = inspect(sandbox, "here");
  CHECK(out["expire_at_ms"] == kStartMs + 60000);
  CHECK(inspect(sandbox, "other")["exists"] == false);
  out = inspect(sandbox, "other", 0, 10, 3);
  CHECK(out["exists"] == true);
  CHECK(out["db"] == 3);
  CHECK(out["value"] == "y");
  out = inspect(sandbox, "other", 0, 10, 16);
  CHECK(out["exists"] == false);
  CHECK(out["error"] == "ERR DB index is out of range");

  const ServerStats before = sandbox.server().stats();
  sandbox.advance(101);
  CHECK(inspect(sandbox, "gone")["exists"] == false);
  CHECK(inspect(sandbox, "here")["exists"] == true);
  // Nothing was deleted (no lazy expiry), nothing counted as a hit or a miss.
  CHECK(sandbox.server().db(0).find("gone") != nullptr);
  const ServerStats after = sandbox.server().stats();
  CHECK(after.keyspace_hits == before.keyspace_hits);
  CHECK(after.keyspace_misses == before.keyspace_misses);
  CHECK(after.expired_keys == before.expired_keys);
  CHECK(after.commands_processed == before.commands_processed);
}

}  // namespace redpad::test
