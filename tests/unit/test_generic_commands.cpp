// Keyspace commands: expiry on the virtual clock and its sweep, TTL rounding, SCAN and
// RANDOMKEY over many keys, KEYS patterns, and moving keys between databases.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "glob.h"
#include "test_helpers.h"

using redpad::Reply;
using redpad::ReplyType;
using namespace redpad::test;

namespace {

const Reply kOk = Reply::ok();
const Reply kNil = Reply::nil();

std::vector<std::string> sorted_strings(const Reply& reply) {
  REQUIRE(reply.type == ReplyType::Array);
  std::vector<std::string> out;
  for (const Reply& item : reply.elements)
    out.push_back(item.str);
  std::sort(out.begin(), out.end());
  return out;
}

// One SCAN call: the next cursor and the keys of the page.
struct ScanPage {
  std::string cursor;
  std::vector<std::string> keys;
};

ScanPage scan(Server& server, const std::string& cursor, std::vector<std::string> options = {}) {
  std::vector<std::string> args = {"SCAN", cursor};
  args.insert(args.end(), options.begin(), options.end());
  const Reply reply = server.execute(server.default_session(), args);
  REQUIRE(reply.type == ReplyType::Array);
  REQUIRE(reply.elements.size() == 2);
  ScanPage page{reply.elements[0].str, {}};
  for (const Reply& key : reply.elements[1].elements)
    page.keys.push_back(key.str);
  return page;
}

// Every key of a full SCAN loop, with how many times each was returned.
std::map<std::string, int> scan_all(Server& server, std::vector<std::string> options,
                                    int* calls = nullptr) {
  std::map<std::string, int> seen;
  std::string cursor = "0";
  int count = 0;
  do {
    const ScanPage page = scan(server, cursor, options);
    for (const std::string& key : page.keys)
      ++seen[key];
    cursor = page.cursor;
    REQUIRE(++count < 100'000);
  } while (cursor != "0");
  if (calls) *calls = count;
  return seen;
}

std::string info_section(Server& server, const std::string& section) {
  const Reply reply = run(server, {"INFO", section});
  REQUIRE(reply.type == ReplyType::Bulk);
  return reply.str;
}

}  // namespace

// ---- expiry on the virtual clock ----

TEST_CASE("A key is still there exactly at its expiry time and gone 1 ms later") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "100"});
  server.clock().advance(100);
  CHECK(run(server, {"PTTL", "k"}) == integer(0));
  CHECK(run(server, {"TTL", "k"}) == integer(0));
  CHECK(run(server, {"GET", "k"}) == bulk("v"));
  server.clock().advance(1);
  CHECK(run(server, {"PTTL", "k"}) == integer(-2));
  CHECK(run(server, {"GET", "k"}) == kNil);
}

TEST_CASE("TTL rounds the time left to the nearest second, half up") {
  Server server(config());
  run(server, {"SET", "a", "v", "PX", "1500"});
  run(server, {"SET", "b", "v", "PX", "1499"});
  CHECK(run(server, {"TTL", "a"}) == integer(2));
  CHECK(run(server, {"TTL", "b"}) == integer(1));
  server.clock().advance(1000);  // a: 500 ms left, b: 499 ms left
  CHECK(run(server, {"TTL", "a"}) == integer(1));
  CHECK(run(server, {"TTL", "b"}) == integer(0));
  CHECK(run(server, {"PTTL", "a"}) == integer(500));
  CHECK(run(server, {"PTTL", "b"}) == integer(499));
}

TEST_CASE("EXPIRETIME rounds to the nearest second; PEXPIRETIME is exact") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "1499"});
  CHECK(run(server, {"PEXPIRETIME", "k"}) == integer(kStartMs + 1499));
  CHECK(run(server, {"EXPIRETIME", "k"}) == integer(1'700'000'001));
  run(server, {"PEXPIRE", "k", "1500"});
  CHECK(run(server, {"EXPIRETIME", "k"}) == integer(1'700'000'002));
}

TEST_CASE("DEBUG SLEEP advances the virtual clock without waiting") {
  Server server(config());
  CHECK(run(server, {"DEBUG", "SLEEP", "3600"}) == kOk);  // an hour, instantly
  CHECK(server.clock().now_ms() == kStartMs + 3'600'000);
  CHECK(run(server, {"DEBUG", "SLEEP", "0.0015"}) == kOk);
  CHECK(server.clock().now_ms() == kStartMs + 3'600'001);
}

TEST_CASE("DEBUG SLEEP with zero, a negative number or text does not move the clock") {
  Server server(config());
  for (const char* seconds : {"0", "-5", "abc", ""}) {
    CAPTURE(seconds);
    CHECK(run(server, {"DEBUG", "SLEEP", seconds}) == kOk);
  }
  CHECK(server.clock().now_ms() == kStartMs);
}

TEST_CASE("The host moving its clock expires keys as DEBUG SLEEP does") {
  Server server(config());
  run(server, {"SET", "k", "v", "EX", "10"});
  server.clock().set_host_time(kStartMs + 9'000);
  CHECK(run(server, {"TTL", "k"}) == integer(1));
  server.clock().set_host_time(kStartMs + 10'001);
  CHECK(run(server, {"TTL", "k"}) == integer(-2));
}

TEST_CASE("The host's time and DEBUG SLEEP add up") {
  Server server(config());
  run(server, {"DEBUG", "SLEEP", "2"});
  server.clock().set_host_time(kStartMs + 500);
  CHECK(server.clock().now_ms() == kStartMs + 2'500);
  CHECK(run(server, {"TIME"}) == bulks({"1700000002", "500000"}));
}

TEST_CASE("EXPIRE with a time already past deletes the key at once") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  CHECK(run(server, {"EXPIRE", "k", "0"}) == integer(1));
  CHECK(server.db(0).size() == 0);
  run(server, {"SET", "k", "v"});
  CHECK(run(server, {"PEXPIREAT", "k", std::to_string(kStartMs)}) == integer(1));
  CHECK(run(server, {"EXISTS", "k"}) == integer(0));
  // A delete by EXPIRE is not an expiry.
  CHECK(server.stats().expired_keys == 0);
}

TEST_CASE("PEXPIREAT one millisecond ahead keeps the key until that millisecond has passed") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  CHECK(run(server, {"PEXPIREAT", "k", std::to_string(kStartMs + 1)}) == integer(1));
  CHECK(run(server, {"PTTL", "k"}) == integer(1));
  server.clock().advance(2);
  CHECK(run(server, {"EXISTS", "k"}) == integer(0));
}

TEST_CASE("EXPIRE GT and LT compare with the current expiry on the virtual clock") {
  Server server(config());
  run(server, {"SET", "k", "v", "EX", "100"});
  server.clock().advance(50'000);  // 50 s left
  CHECK(run(server, {"EXPIRE", "k", "60", "GT"}) == integer(1));
  CHECK(run(server, {"TTL", "k"}) == integer(60));
  CHECK(run(server, {"EXPIRE", "k", "70", "LT"}) == integer(0));
  CHECK(run(server, {"EXPIRE", "k", "10", "LT"}) == integer(1));
  CHECK(run(server, {"TTL", "k"}) == integer(10));
}

TEST_CASE("PERSIST keeps a key past its old expiry") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "100"});
  CHECK(run(server, {"PERSIST", "k"}) == integer(1));
  CHECK(run(server, {"PERSIST", "k"}) == integer(0));
  server.clock().advance(1000);
  CHECK(run(server, {"GET", "k"}) == bulk("v"));
}

TEST_CASE("RENAME and MOVE carry the expiry with the key") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "5000"});
  CHECK(run(server, {"RENAME", "k", "k2"}) == kOk);
  CHECK(run(server, {"PTTL", "k2"}) == integer(5000));
  CHECK(run(server, {"MOVE", "k2", "1"}) == integer(1));
  run(server, {"SELECT", "1"});
  CHECK(run(server, {"PTTL", "k2"}) == integer(5000));
  server.clock().advance(5001);
  CHECK(run(server, {"EXISTS", "k2"}) == integer(0));
}

TEST_CASE("RENAME onto a key with an expiry leaves the source's (lack of) expiry") {
  Server server(config());
  run(server, {"SET", "src", "v"});
  run(server, {"SET", "dst", "old", "PX", "9000"});
  CHECK(run(server, {"RENAME", "src", "dst"}) == kOk);
  CHECK(run(server, {"PTTL", "dst"}) == integer(-1));
  CHECK(server.db(0).volatile_count() == 0);
}

// ---- the expiry sweep ----

TEST_CASE("Expired keys are swept before the next command: DBSIZE drops at once") {
  Server server(config());
  run(server, {"SET", "a", "1", "PX", "100"});
  run(server, {"SET", "b", "2", "PX", "200"});
  run(server, {"SET", "c", "3"});
  CHECK(run(server, {"DBSIZE"}) == integer(3));
  server.clock().advance(101);
  CHECK(run(server, {"DBSIZE"}) == integer(2));
  server.clock().advance(100);
  CHECK(run(server, {"DBSIZE"}) == integer(1));
  CHECK(server.stats().expired_keys == 2);
}

TEST_CASE("The sweep reaches every database, not only the selected one") {
  Server server(config());
  run(server, {"SELECT", "5"});
  run(server, {"SET", "k", "v", "PX", "10"});
  run(server, {"SELECT", "0"});
  server.clock().advance(11);
  run(server, {"PING"});
  CHECK(server.db(5).size() == 0);
  CHECK(server.stats().expired_keys == 1);
}

TEST_CASE("INFO keyspace counts keys with an expiry and drops them once swept") {
  Server server(config());
  run(server, {"SET", "a", "1", "PX", "1000"});
  run(server, {"SET", "b", "2", "PX", "3000"});
  run(server, {"SET", "c", "3"});
  CHECK(info_section(server, "keyspace") == "# Keyspace\r\ndb0:keys=3,expires=2,avg_ttl=2000\r\n");
  server.clock().advance(1001);
  CHECK(info_section(server, "keyspace") == "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=1999\r\n");
  run(server, {"PERSIST", "b"});
  CHECK(info_section(server, "keyspace") == "# Keyspace\r\ndb0:keys=2,expires=0,avg_ttl=0\r\n");
}

TEST_CASE("INFO stats counts keys that expired by time") {
  Server server(config());
  run(server, {"SET", "a", "v", "PX", "1"});
  run(server, {"SET", "b", "v"});
  run(server, {"EXPIRE", "b", "0"});
  run(server, {"DEBUG", "SLEEP", "0.01"});
  run(server, {"GET", "a"});
  const std::string stats = info_section(server, "stats");
  CHECK(stats.find("\r\nexpired_keys:1\r\n") != std::string::npos);
}

TEST_CASE("KEYS, SCAN and RANDOMKEY never return an expired key") {
  Server server(config());
  run(server, {"SET", "live", "v"});
  run(server, {"SET", "dead", "v", "PX", "5"});
  server.clock().advance(6);
  CHECK(run(server, {"KEYS", "*"}) == bulks({"live"}));
  CHECK(run(server, {"SCAN", "0"}) == array({bulk("0"), bulks({"live"})}));
  CHECK(run(server, {"RANDOMKEY"}) == bulk("live"));
}

// ---- SCAN ----

TEST_CASE("SCAN with COUNT returns each of 1,000 keys exactly once") {
  Server server(config());
  REQUIRE(run(server, {"DEBUG", "POPULATE", "1000"}) == kOk);
  int calls = 0;
  const auto seen = scan_all(server, {"COUNT", "7"}, &calls);
  CHECK(seen.size() == 1000);
  CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& item) { return item.second == 1; }));
  CHECK(seen.count("key:0") == 1);
  CHECK(seen.count("key:999") == 1);
  // Pages hold whole hash buckets until COUNT keys are collected, as in Redis.
  CHECK(calls > 10);
  CHECK(calls <= 1000 / 7 + 1);
}

TEST_CASE(
    "SCAN pages hold at least COUNT keys until the last, and cursors stay below the table size") {
  Server server(config());
  run(server, {"DEBUG", "POPULATE", "25"});  // a 32-bucket table, as Redis's would be
  std::string cursor = "0";
  size_t total = 0;
  int pages = 0;
  do {
    const ScanPage page = scan(server, cursor, {"COUNT", "10"});
    cursor = page.cursor;
    total += page.keys.size();
    ++pages;
    if (cursor != "0") CHECK(page.keys.size() >= 10);
    CHECK(std::stoi(cursor) < 32);
  } while (cursor != "0" && pages < 100);
  CHECK(total == 25);
  CHECK(pages >= 2);
  CHECK(pages <= 3);
}

TEST_CASE("SCAN returns every key present throughout while keys come and go") {
  Server server(config());
  run(server, {"DEBUG", "POPULATE", "500"});
  std::set<std::string> deleted;
  std::map<std::string, int> seen;
  std::string cursor = "0";
  int page_number = 0;
  do {
    const ScanPage page = scan(server, cursor, {"COUNT", "20"});
    for (const std::string& key : page.keys)
      ++seen[key];
    cursor = page.cursor;
    // Between pages: delete every fifth original key and add ten new ones.
    for (int i = page_number; i < 500; i += 25) {
      const std::string key = "key:" + std::to_string(i);
      if (run(server, {"DEL", key}) == integer(1)) deleted.insert(key);
    }
    run(server, {"DEBUG", "POPULATE", "10", "new" + std::to_string(page_number)});
    ++page_number;
  } while (cursor != "0" && page_number < 10'000);
  REQUIRE(cursor == "0");
  REQUIRE(deleted.size() > 0);
  for (int i = 0; i < 500; ++i) {
    const std::string key = "key:" + std::to_string(i);
    if (deleted.count(key)) continue;
    CAPTURE(key);
    CHECK(seen.count(key) == 1);
  }
  CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& item) { return item.second == 1; }));
}

TEST_CASE("SCAN MATCH filters after COUNT: pages may be empty but no match is lost") {
  Server server(config());
  run(server, {"DEBUG", "POPULATE", "200"});
  run(server, {"SET", "needle", "x"});
  int calls = 0;
  const auto seen = scan_all(server, {"MATCH", "needle", "COUNT", "5"}, &calls);
  CHECK(seen.size() == 1);
  CHECK(seen.count("needle") == 1);
  CHECK(calls > 2);
  CHECK(calls <= 201 / 5 + 1);
}

TEST_CASE("SCAN TYPE string returns the strings, another type nothing") {
  Server server(config());
  run(server, {"MSET", "a", "1", "b", "2"});
  CHECK(sorted_strings(run(server, {"SCAN", "0", "TYPE", "STRING"}).elements[1]) ==
        std::vector<std::string>{"a", "b"});
  CHECK(run(server, {"SCAN", "0", "TYPE", "list"}) == array({bulk("0"), array()}));
}

TEST_CASE("SCAN on an empty database answers cursor 0 and no keys") {
  Server server(config());
  CHECK(run(server, {"SCAN", "0"}) == array({bulk("0"), array()}));
  CHECK(run(server, {"SCAN", "0", "COUNT", "0"}) == error("ERR syntax error"));
  CHECK(run(server, {"SCAN", " 0"}) == error("ERR invalid cursor"));
}

// ---- RANDOMKEY ----

namespace {

std::vector<std::string> random_keys(std::uint64_t seed, int draws) {
  Server server(config(seed));
  run(server, {"DEBUG", "POPULATE", "100"});
  std::vector<std::string> out;
  for (int i = 0; i < draws; ++i)
    out.push_back(run(server, {"RANDOMKEY"}).str);
  return out;
}

}  // namespace

TEST_CASE("RANDOMKEY draws the same sequence for the same seed") {
  CHECK(random_keys(42, 20) == random_keys(42, 20));
}

TEST_CASE("RANDOMKEY draws differ between seeds") {
  const auto a = random_keys(1, 10);
  const auto b = random_keys(2, 10);
  const auto c = random_keys(3, 10);
  CHECK(a != b);
  CHECK(b != c);
  CHECK(a != c);
}

TEST_CASE("RANDOMKEY returns only existing keys and reaches all of them") {
  Server server(config(7));
  run(server, {"MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"});
  std::set<std::string> drawn;
  for (int i = 0; i < 200; ++i)
    drawn.insert(run(server, {"RANDOMKEY"}).str);
  CHECK(drawn == std::set<std::string>{"a", "b", "c", "d", "e"});
}

TEST_CASE("RANDOMKEY on an empty database is nil") {
  Server server(config());
  CHECK(run(server, {"RANDOMKEY"}) == kNil);
}

// ---- KEYS patterns ----

namespace {

std::vector<std::string> keys_matching(const std::string& pattern) {
  Server server(config());
  run(server, {"MSET", "hello", "1", "hallo", "1", "hxllo", "1", "hllo",  "1", "heeello", "1", "ha",
               "1",    "h*llo", "1", "h?llo", "1", "a",     "1", "-",     "1", "_",       "1", "]",
               "1",    "^",     "1", "b",     "1", "\\",    "1", "Hello", "1"});
  return sorted_strings(run(server, {"KEYS", pattern}));
}

using Keys = std::vector<std::string>;

}  // namespace

TEST_CASE("KEYS: ? matches one byte and * any run, case-sensitively") {
  CHECK(keys_matching("h?llo") == Keys{"h*llo", "h?llo", "hallo", "hello", "hxllo"});
  CHECK(keys_matching("h*llo") ==
        Keys{"h*llo", "h?llo", "hallo", "heeello", "hello", "hllo", "hxllo"});
  CHECK(keys_matching("h**o") == keys_matching("h*llo"));
  CHECK(keys_matching("*o") ==
        Keys{"Hello", "h*llo", "h?llo", "hallo", "heeello", "hello", "hllo", "hxllo"});
}

TEST_CASE("KEYS: a backslash makes the next character literal") {
  CHECK(keys_matching("h\\*llo") == Keys{"h*llo"});
  CHECK(keys_matching("h\\?llo") == Keys{"h?llo"});
  CHECK(keys_matching("\\\\") == Keys{"\\"});
}

TEST_CASE("KEYS: classes, ranges in either order and negation") {
  CHECK(keys_matching("h[ae]llo") == Keys{"hallo", "hello"});
  CHECK(keys_matching("h[^e]llo") == Keys{"h*llo", "h?llo", "hallo", "hxllo"});
  CHECK(keys_matching("h[a-b]llo") == Keys{"hallo"});
  CHECK(keys_matching("h[b-a]llo") == Keys{"hallo"});
  CHECK(keys_matching("[^a-z]") == Keys{"-", "\\", "]", "^", "_"});
  CHECK(keys_matching("[\\]]") == Keys{"]"});
  CHECK(keys_matching("[\\\\]") == Keys{"\\"});
}

TEST_CASE("KEYS: a - before the closing ] is a range up to ]") {
  // "[a-]" is the range from ']' (0x5d) to 'a' (0x61), as in Redis.
  CHECK(keys_matching("[a-]") == Keys{"]", "^", "_", "a"});
}

TEST_CASE("KEYS: an unclosed class ends with the pattern") {
  CHECK(keys_matching("h[a") == Keys{"ha"});
  CHECK(keys_matching("h[") == Keys{});
  CHECK(keys_matching("[") == Keys{});
}

TEST_CASE("glob: nocase matching folds letters but not escaped class members") {
  using redpad::glob_match;
  CHECK(glob_match("GET", "get", true));
  CHECK(glob_match("[A-Z]et", "get", true));
  CHECK_FALSE(glob_match("GET", "get", false));
  // Redis compares an escaped character inside a class case-sensitively even with nocase:
  // COMMAND LIST FILTERBY PATTERN [\G]et answers (empty array) on Redis 7.0.
  CHECK_FALSE(glob_match("[\\G]et", "get", true));
}

TEST_CASE("glob: a pathological pattern gives up instead of recursing forever") {
  const std::string pattern(2000, '*');
  CHECK(redpad::glob_match(pattern + "a", std::string(50, 'b') + "a"));
  std::string nested;
  for (int i = 0; i < 1100; ++i)
    nested += "*?";
  CHECK_FALSE(redpad::glob_match(nested, std::string(1100, 'x')));
}

// ---- databases ----

TEST_CASE("SELECT isolates databases: keys, DBSIZE and FLUSHDB") {
  Server server(config());
  run(server, {"SET", "k", "zero"});
  CHECK(run(server, {"SELECT", "1"}) == kOk);
  CHECK(run(server, {"GET", "k"}) == kNil);
  run(server, {"SET", "k", "one"});
  CHECK(run(server, {"DBSIZE"}) == integer(1));
  CHECK(run(server, {"FLUSHDB"}) == kOk);
  run(server, {"SELECT", "0"});
  CHECK(run(server, {"GET", "k"}) == bulk("zero"));
}

TEST_CASE("Each session has its own selected database") {
  Server server(config());
  ClientSession& other = server.create_session("other");
  run(server, {"SELECT", "3"});
  run(server, {"SET", "k", "three"});
  CHECK(run(server, other, {"GET", "k"}) == kNil);
  run(server, other, {"SELECT", "3"});
  CHECK(run(server, other, {"GET", "k"}) == bulk("three"));
  CHECK(server.default_session().db == 3);
}

TEST_CASE("SELECT accepts only the configured number of databases") {
  redpad::ServerConfig c = config();
  c.databases = 4;
  Server server(c);
  CHECK(run(server, {"SELECT", "3"}) == kOk);
  CHECK(run(server, {"SELECT", "4"}) == error("ERR DB index is out of range"));
  CHECK(run(server, {"MOVE", "k", "4"}) == error("ERR DB index is out of range"));
  CHECK(run(server, {"SWAPDB", "0", "4"}) == error("ERR DB index is out of range"));
}

TEST_CASE("SELECT, MOVE and COPY ... DB refuse an index beyond 32 bits with Redis's range error") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  const Reply out_of_range =
      error("ERR value is out of range, value must between -2147483648 and 2147483647");
  CHECK(run(server, {"SELECT", "2147483648"}) == out_of_range);
  CHECK(run(server, {"SELECT", "9223372036854775807"}) == out_of_range);
  CHECK(run(server, {"SELECT", "9223372036854775808"}) ==
        error("ERR value is not an integer or out of range"));
  CHECK(run(server, {"SELECT", "2147483647"}) == error("ERR DB index is out of range"));
  CHECK(run(server, {"MOVE", "k", "-2147483649"}) == out_of_range);
  CHECK(run(server, {"MOVE", "k", "x"}) == error("ERR value is not an integer or out of range"));
  CHECK(run(server, {"COPY", "k", "c", "DB", "2147483648"}) == out_of_range);
  CHECK(run(server, {"COPY", "k", "c", "DB", "-1"}) == error("ERR DB index is out of range"));
  // SWAPDB has its own message for either failure.
  CHECK(run(server, {"SWAPDB", "2147483648", "0"}) == error("ERR invalid first DB index"));
}

TEST_CASE("MOVE takes the key out of one database into another") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  CHECK(run(server, {"MOVE", "k", "2"}) == integer(1));
  CHECK(run(server, {"EXISTS", "k"}) == integer(0));
  run(server, {"SELECT", "2"});
  CHECK(run(server, {"GET", "k"}) == bulk("v"));
}

TEST_CASE("MOVE does nothing when the target database has the key") {
  Server server(config());
  run(server, {"SET", "k", "here"});
  run(server, {"SELECT", "1"});
  run(server, {"SET", "k", "there"});
  run(server, {"SELECT", "0"});
  CHECK(run(server, {"MOVE", "k", "1"}) == integer(0));
  CHECK(run(server, {"GET", "k"}) == bulk("here"));
  CHECK(server.db(1).find("k")->value.str == "there");
}

TEST_CASE("MOVE replaces a target key that has expired") {
  Server server(config());
  run(server, {"SELECT", "1"});
  run(server, {"SET", "k", "stale", "PX", "10"});
  run(server, {"SELECT", "0"});
  run(server, {"SET", "k", "fresh"});
  server.clock().advance(11);
  CHECK(run(server, {"MOVE", "k", "1"}) == integer(1));
  CHECK(server.db(1).find("k")->value.str == "fresh");
}

TEST_CASE("COPY to another database makes an independent copy with the expiry") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "5000"});
  CHECK(run(server, {"COPY", "k", "c", "DB", "3"}) == integer(1));
  run(server, {"APPEND", "k", "-changed"});
  run(server, {"SELECT", "3"});
  CHECK(run(server, {"GET", "c"}) == bulk("v"));
  CHECK(run(server, {"PTTL", "c"}) == integer(5000));
}

TEST_CASE("COPY keeps an existing destination unless REPLACE is given") {
  Server server(config());
  run(server, {"MSET", "src", "new", "dst", "old"});
  CHECK(run(server, {"COPY", "src", "dst"}) == integer(0));
  CHECK(run(server, {"GET", "dst"}) == bulk("old"));
  CHECK(run(server, {"COPY", "src", "dst", "REPLACE"}) == integer(1));
  CHECK(run(server, {"GET", "dst"}) == bulk("new"));
  CHECK(run(server, {"COPY", "src", "src"}) ==
        error("ERR source and destination objects are the same"));
  CHECK(run(server, {"COPY", "src", "src", "DB", "1"}) == integer(1));
}

TEST_CASE("SWAPDB exchanges two databases under every session") {
  Server server(config());
  ClientSession& on_one = server.create_session();
  run(server, on_one, {"SELECT", "1"});
  run(server, {"SET", "zero", "0", "PX", "5000"});
  run(server, on_one, {"SET", "one", "1"});
  CHECK(run(server, {"SWAPDB", "0", "1"}) == kOk);
  CHECK(run(server, {"KEYS", "*"}) == bulks({"one"}));
  CHECK(run(server, on_one, {"KEYS", "*"}) == bulks({"zero"}));
  CHECK(run(server, on_one, {"PTTL", "zero"}) == integer(5000));
  server.clock().advance(5001);
  CHECK(run(server, on_one, {"DBSIZE"}) == integer(0));
}

TEST_CASE("FLUSHALL empties every database") {
  Server server(config());
  for (const char* db : {"0", "7", "15"}) {
    run(server, {"SELECT", db});
    run(server, {"SET", "k", "v"});
  }
  CHECK(run(server, {"FLUSHALL"}) == kOk);
  for (int i = 0; i < 16; ++i)
    CHECK(server.db(i).size() == 0);
}

// ---- DEBUG POPULATE ----

TEST_CASE("DEBUG POPULATE creates key:N holding value:N") {
  Server server(config());
  CHECK(run(server, {"DEBUG", "POPULATE", "3"}) == kOk);
  CHECK(run(server, {"DBSIZE"}) == integer(3));
  CHECK(run(server, {"MGET", "key:0", "key:1", "key:2", "key:3"}) ==
        array({bulk("value:0"), bulk("value:1"), bulk("value:2"), kNil}));
  CHECK(run(server, {"OBJECT", "ENCODING", "key:1"}) == bulk("embstr"));
}

TEST_CASE("DEBUG POPULATE leaves existing keys untouched") {
  Server server(config());
  run(server, {"SET", "key:1", "mine", "PX", "5000"});
  CHECK(run(server, {"DEBUG", "POPULATE", "5"}) == kOk);
  CHECK(run(server, {"GET", "key:1"}) == bulk("mine"));
  CHECK(run(server, {"PTTL", "key:1"}) == integer(5000));
  CHECK(run(server, {"GET", "key:4"}) == bulk("value:4"));
  CHECK(run(server, {"DBSIZE"}) == integer(5));
}

TEST_CASE("DEBUG POPULATE with a prefix and a size pads with zero bytes or truncates") {
  Server server(config());
  run(server, {"DEBUG", "POPULATE", "2", "p", "10"});
  run(server, {"DEBUG", "POPULATE", "2", "q", "3"});
  run(server, {"DEBUG", "POPULATE", "1", "r", "0"});
  run(server, {"DEBUG", "POPULATE", "1", "s", "50"});
  CHECK(run(server, {"GET", "p:0"}) == bulk(std::string("value:0\0\0\0", 10)));
  CHECK(run(server, {"GET", "q:1"}) == bulk("val"));
  CHECK(run(server, {"GET", "r:0"}) == bulk("value:0"));
  CHECK(run(server, {"STRLEN", "s:0"}) == integer(50));
  CHECK(run(server, {"OBJECT", "ENCODING", "s:0"}) == bulk("raw"));
}

TEST_CASE("DEBUG POPULATE cuts key names at 127 bytes, so long ones can collide") {
  Server server(config());
  const std::string prefix(125, 'b');  // prefix + ":N" is 127 bytes for N < 10
  CHECK(run(server, {"DEBUG", "POPULATE", "11", prefix}) == kOk);
  // key 10 is cut to prefix + ":1", which exists, so it is skipped.
  CHECK(run(server, {"DBSIZE"}) == integer(10));
  CHECK(run(server, {"GET", prefix + ":1"}) == bulk("value:1"));
}

TEST_CASE("DEBUG POPULATE stops a prefix at a NUL byte") {
  Server server(config());
  run(server, {"DEBUG", "POPULATE", "1", std::string("n\0ul", 4)});
  CHECK(run(server, {"KEYS", "*"}) == bulks({"n:0"}));
}

TEST_CASE("DEBUG POPULATE refuses negative or non-numeric counts and sizes") {
  Server server(config());
  const Reply refused = error("ERR value is out of range, must be positive");
  CHECK(run(server, {"DEBUG", "POPULATE", "-1"}) == refused);
  CHECK(run(server, {"DEBUG", "POPULATE", "abc"}) == refused);
  CHECK(run(server, {"DEBUG", "POPULATE", "1", "t", "-1"}) == refused);
  CHECK(run(server, {"DEBUG", "POPULATE", "0"}) == kOk);
  CHECK(run(server, {"DBSIZE"}) == integer(0));
}

// ---- OBJECT, TYPE, EXISTS ----

TEST_CASE("EXISTS and TOUCH count a repeated key each time") {
  Server server(config());
  run(server, {"SET", "u", "v"});
  CHECK(run(server, {"EXISTS", "u", "u", "nope", "u"}) == integer(3));
  CHECK(run(server, {"TOUCH", "u", "nope"}) == integer(1));
}

TEST_CASE("TYPE says string for a string and none for a missing key") {
  Server server(config());
  run(server, {"SET", "s", "v"});
  CHECK(run(server, {"TYPE", "s"}) == status("string"));
  CHECK(run(server, {"TYPE", "missing"}) == status("none"));
}

TEST_CASE("OBJECT without a known subcommand names OBJECT HELP") {
  Server server(config());
  CHECK(run(server, {"OBJECT", "nosuch", "k"}) ==
        error("ERR unknown subcommand 'nosuch'. Try OBJECT HELP."));
  CHECK(run(server, {"OBJECT"}) == error("ERR wrong number of arguments for 'object' command"));
}

// Redis's matcher gives up on an empty text at once: no pattern but "" matches the empty
// key name; KEYS * lists it only because it skips matching.
TEST_CASE("Patterns never match the empty key name; KEYS * still lists it") {
  Server server(config());
  run(server, {"SET", "", "v"});
  CHECK(cli(server, "KEYS **") == "(empty array)\n");
  CHECK(cli(server, "KEYS ?*") == "(empty array)\n");
  CHECK(cli(server, "KEYS *") == "1) \"\"\n");
  CHECK(cli(server, "SCAN 0 MATCH **") == "1) \"0\"\n2) (empty array)\n");
}
