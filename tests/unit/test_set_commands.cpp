// Set commands: encodings and their thresholds, seeded random draws, the algebra's result
// encodings, SSCAN walks and bookkeeping (WATCH, keyspace hits) that the differential test
// cannot show. Every expected reply was checked against redis-server 7.0.15.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reply.h"
#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"
#include "types/set.h"

namespace {

using redpad::Reply;
using redpad::ReplyType;
using redpad::Server;
using redpad::SetValue;

using namespace redpad::test::by_args;

std::vector<std::string> with_range(std::vector<std::string> head, long long from, long long to) {
  for (long long i = from; i <= to; ++i)
    head.push_back(std::to_string(i));
  return head;
}

using redpad::test::strings_of;

std::vector<std::string> sorted(std::vector<std::string> items) {
  std::sort(items.begin(), items.end());
  return items;
}

std::string encoding(Server& server, const std::string& key) {
  return run(server, {"OBJECT", "ENCODING", key}).str;
}

const std::string kWrongType =
    "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n";

}  // namespace

// ---- the SetValue type ----

TEST_CASE("SetValue: an intset lists its members in numeric order") {
  SetValue set;
  for (const char* member : {"10", "-3", "7", "0", "-9223372036854775808"})
    CHECK(set.add(member));
  CHECK_FALSE(set.add("7"));
  CHECK(set.is_intset());
  std::vector<std::string> listed;
  set.for_each([&](const std::string& m) { listed.push_back(m); });
  CHECK(listed == std::vector<std::string>{"-9223372036854775808", "-3", "0", "7", "10"});
  CHECK(set.member_at(0) == "-9223372036854775808");
  CHECK(set.member_at(4) == "10");
}

TEST_CASE("SetValue: an intset does not hold 07 or -0, which are different strings") {
  SetValue set;
  set.add("7");
  set.add("0");
  CHECK_FALSE(set.contains("07"));
  CHECK_FALSE(set.contains("-0"));
  CHECK_FALSE(set.remove("07"));
  CHECK(set.size() == 2);
  CHECK(set.add("07"));
  CHECK_FALSE(set.is_intset());
  CHECK(set.contains("07"));
  CHECK(set.contains("7"));
}

TEST_CASE("SetValue: removing from a hashtable keeps every other member reachable") {
  SetValue set;
  for (const char* member : {"a", "b", "c", "d", "e"})
    set.add(member);
  CHECK(set.remove("b"));
  CHECK(set.remove("e"));  // the last one
  CHECK_FALSE(set.remove("b"));
  CHECK(set.size() == 3);
  std::set<std::string> seen;
  for (size_t i = 0; i < set.size(); ++i)
    seen.insert(set.member_at(i));
  CHECK(seen == std::set<std::string>{"a", "c", "d"});
  for (const char* member : {"a", "c", "d"})
    CHECK(set.contains(member));
}

TEST_CASE("SetValue: a copy of a hashtable is independent and stays a hashtable") {
  SetValue set;
  set.add("1");
  set.add("x");
  set.remove("x");
  auto copy = set.clone();
  auto& twin = static_cast<SetValue&>(*copy);
  CHECK(std::string(twin.encoding_name()) == "hashtable");
  twin.add("2");
  twin.remove("1");
  CHECK(set.contains("1"));
  CHECK_FALSE(set.contains("2"));
  CHECK(twin.element_count() == 1);
}

// ---- encodings ----

TEST_CASE("SADD: 512 integers are an intset, the 513th makes a hashtable for good") {
  Server server(config());
  CHECK(cli(server, with_range({"SADD", "s"}, 1, 512)) == "(integer) 512\n");
  CHECK(encoding(server, "s") == "intset");
  CHECK(cli(server, {"SADD", "s", "512"}) == "(integer) 0\n");
  CHECK(encoding(server, "s") == "intset");
  CHECK(cli(server, {"SADD", "s", "513"}) == "(integer) 1\n");
  CHECK(encoding(server, "s") == "hashtable");
  CHECK(cli(server, with_range({"SREM", "s"}, 2, 513)) == "(integer) 512\n");
  CHECK(encoding(server, "s") == "hashtable");
  CHECK(cli(server, {"SMEMBERS", "s"}) == "1) \"1\"\n");
}

TEST_CASE("SADD: a member that is not a canonical integer makes a hashtable") {
  Server server(config());
  const char* not_canonical[] = {"01", "-0", "+1", " 1", "1.0", "9223372036854775808", "", "a"};
  int n = 0;
  for (const char* member : not_canonical) {
    const std::string key = "k" + std::to_string(n++);
    run(server, {"SADD", key, member});
    CHECK_MESSAGE(encoding(server, key) == "hashtable", member);
  }
  run(server, {"SADD", "ok", "-9223372036854775808", "9223372036854775807"});
  CHECK(encoding(server, "ok") == "intset");
}

TEST_CASE("SMEMBERS of an intset is in numeric order, not string order") {
  Server server(config());
  run(server, {"SADD", "s", "100", "20", "3", "-1", "-20"});
  CHECK(cli(server, {"SMEMBERS", "s"}) ==
        "1) \"-20\"\n2) \"-1\"\n3) \"3\"\n4) \"20\"\n5) \"100\"\n");
}

// ---- SADD, SREM, SMOVE ----

TEST_CASE("SREM of the last members deletes the key") {
  Server server(config());
  run(server, {"SADD", "s", "a", "b"});
  CHECK(cli(server, {"SREM", "s", "a", "b", "c"}) == "(integer) 2\n");
  CHECK(cli(server, {"EXISTS", "s"}) == "(integer) 0\n");
  CHECK(cli(server, {"SREM", "s", "a"}) == "(integer) 0\n");
}

TEST_CASE("SADD on an expired set starts a new set without a TTL") {
  Server server(config());
  run(server, {"SADD", "s", "old"});
  run(server, {"PEXPIRE", "s", "100"});
  server.clock().advance(101);
  CHECK(cli(server, {"SADD", "s", "new"}) == "(integer) 1\n");
  CHECK(cli(server, {"SMEMBERS", "s"}) == "1) \"new\"\n");
  CHECK(cli(server, {"TTL", "s"}) == "(integer) -1\n");
}

TEST_CASE("SMOVE: missing source 0, wrong-typed destination an error, same key a membership test") {
  Server server(config());
  run(server, {"SET", "str", "v"});
  run(server, {"SADD", "src", "a"});
  CHECK(cli(server, {"SMOVE", "missing", "str", "a"}) == "(integer) 0\n");
  CHECK(cli(server, {"SMOVE", "src", "str", "zz"}) == kWrongType);
  CHECK(cli(server, {"SMOVE", "src", "src", "a"}) == "(integer) 1\n");
  CHECK(cli(server, {"SMOVE", "src", "src", "b"}) == "(integer) 0\n");
  CHECK(cli(server, {"SMOVE", "src", "dst", "a"}) == "(integer) 1\n");
  CHECK(cli(server, {"EXISTS", "src"}) == "(integer) 0\n");
  CHECK(cli(server, {"SMEMBERS", "dst"}) == "1) \"a\"\n");
}

TEST_CASE("SMOVE of a member the destination already holds still empties the source") {
  Server server(config());
  run(server, {"SADD", "src", "1"});
  run(server, {"SADD", "dst", "1", "2"});
  CHECK(cli(server, {"SMOVE", "src", "dst", "1"}) == "(integer) 1\n");
  CHECK(cli(server, {"EXISTS", "src"}) == "(integer) 0\n");
  CHECK(cli(server, {"SCARD", "dst"}) == "(integer) 2\n");
}

// ---- SPOP and SRANDMEMBER ----

TEST_CASE("SPOP and SRANDMEMBER draw the same members on two servers with the same seed") {
  auto script = [](Server& server) {
    std::vector<std::string> out;
    run(server, with_range({"SADD", "ints"}, 1, 100));
    run(server, {"SADD", "words", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
    for (int i = 0; i < 5; ++i)
      out.push_back(cli(server, {"SPOP", "ints"}));
    out.push_back(cli(server, {"SPOP", "ints", "7"}));
    out.push_back(cli(server, {"SPOP", "words", "3"}));
    out.push_back(cli(server, {"SRANDMEMBER", "ints"}));
    out.push_back(cli(server, {"SRANDMEMBER", "ints", "5"}));
    out.push_back(cli(server, {"SRANDMEMBER", "words", "-8"}));
    out.push_back(cli(server, {"SMEMBERS", "words"}));
    return out;
  };
  Server first(config(42));
  Server second(config(42));
  Server other(config(43));
  const auto drawn = script(first);
  CHECK(drawn == script(second));
  CHECK(drawn != script(other));
}

TEST_CASE("SPOP with a count returns distinct members and removes exactly those") {
  Server server(config(7));
  run(server, with_range({"SADD", "s"}, 1, 50));
  const std::vector<std::string> popped = strings_of(run(server, {"SPOP", "s", "20"}));
  CHECK(popped.size() == 20);
  CHECK(std::set<std::string>(popped.begin(), popped.end()).size() == 20);
  CHECK(cli(server, {"SCARD", "s"}) == "(integer) 30\n");
  for (const std::string& member : popped) {
    CHECK(cli(server, {"SISMEMBER", "s", member}) == "(integer) 0\n");
  }
  std::vector<std::string> all = strings_of(run(server, {"SMEMBERS", "s"}));
  all.insert(all.end(), popped.begin(), popped.end());
  std::vector<std::string> expected;
  for (int i = 1; i <= 50; ++i)
    expected.push_back(std::to_string(i));
  CHECK(sorted(all) == sorted(expected));
}

TEST_CASE("SPOP with a count covering a shrunk hashtable of integers answers them sorted") {
  Server server(config());
  run(server, with_range({"SADD", "s"}, 1, 600));
  run(server, with_range({"SREM", "s"}, 4, 600));
  run(server, {"SADD", "s", "0"});  // lands after 1..3 in redpad's hashtable order
  REQUIRE(encoding(server, "s") == "hashtable");
  CHECK(cli(server, {"SPOP", "s", "10"}) == "1) \"0\"\n2) \"1\"\n3) \"2\"\n4) \"3\"\n");
  CHECK(cli(server, {"EXISTS", "s"}) == "(integer) 0\n");
}

TEST_CASE("SPOP count parsing: not a non-negative integer is 'must be positive'") {
  Server server(config());
  run(server, {"SADD", "s", "1"});
  for (const char* count : {"-1", "abc", "-0", "01", "9223372036854775808"}) {
    CHECK(cli(server, {"SPOP", "s", count}) ==
          "(error) ERR value is out of range, must be positive\n");
  }
  run(server, {"SET", "str", "v"});
  CHECK(cli(server, {"SPOP", "str", "0"}) == kWrongType);
  CHECK(cli(server, {"SPOP", "missing", "0"}) == "(empty array)\n");
}

TEST_CASE("SRANDMEMBER with a positive count draws distinct members and removes nothing") {
  Server server(config(3));
  run(server, with_range({"SADD", "s"}, 1, 1000));
  const std::vector<std::string> drawn = strings_of(run(server, {"SRANDMEMBER", "s", "600"}));
  CHECK(drawn.size() == 600);
  CHECK(std::set<std::string>(drawn.begin(), drawn.end()).size() == 600);
  for (const std::string& member : drawn)
    REQUIRE(cli(server, {"SISMEMBER", "s", member}) == "(integer) 1\n");
  CHECK(cli(server, {"SCARD", "s"}) == "(integer) 1000\n");
}

TEST_CASE("SRANDMEMBER with a negative count repeats members, each about equally often") {
  Server server(config(11));
  run(server, {"SADD", "s", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"});
  const std::vector<std::string> drawn = strings_of(run(server, {"SRANDMEMBER", "s", "-20000"}));
  REQUIRE(drawn.size() == 20000);
  std::map<std::string, int> counts;
  for (const std::string& member : drawn)
    ++counts[member];
  CHECK(counts.size() == 10);
  for (const auto& item : counts) {  // (clang cannot capture structured bindings)
    const std::string& member = item.first;
    const int count = item.second;
    CHECK_MESSAGE(count > 1700, member);
    CHECK_MESSAGE(count < 2300, member);
  }
}

TEST_CASE("SRANDMEMBER with a count covering the set answers it in SMEMBERS order") {
  Server server(config());
  run(server, {"SADD", "s", "x", "y", "z"});
  CHECK(run(server, {"SRANDMEMBER", "s", "3"}) == run(server, {"SMEMBERS", "s"}));
  CHECK(run(server, {"SRANDMEMBER", "s", "99"}) == run(server, {"SMEMBERS", "s"}));
}

TEST_CASE("SRANDMEMBER refuses a negative count beyond a million instead of exhausting memory") {
  Server server(config());
  run(server, {"SADD", "s", "a"});
  CHECK(cli(server, {"SRANDMEMBER", "s", "-9223372036854775807"}) ==
        "(error) ERR redpad returns at most 1000000 members for SRANDMEMBER with a negative "
        "count\n");
  CHECK(strings_of(run(server, {"SRANDMEMBER", "s", "-1000000"})).size() == 1000000);
  CHECK(cli(server, {"SRANDMEMBER", "s", "-9223372036854775808"}) ==
        "(error) ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807\n");
}

// ---- algebra ----

TEST_CASE("SINTER lists members in the order of the smallest set") {
  Server server(config());
  run(server, {"SADD", "big", "5", "4", "3", "2", "1", "x"});
  run(server, {"SADD", "small", "4", "2", "5"});
  CHECK(cli(server, {"SINTER", "big", "small"}) == "1) \"2\"\n2) \"4\"\n3) \"5\"\n");
}

TEST_CASE("SUNION and SDIFF answer through a new set: integers come back sorted") {
  Server server(config());
  run(server, {"SADD", "h", "3", "1", "x", "2"});
  run(server, {"SADD", "w", "x"});
  REQUIRE(encoding(server, "h") == "hashtable");
  CHECK(cli(server, {"SDIFF", "h", "w"}) == "1) \"1\"\n2) \"2\"\n3) \"3\"\n");
  run(server, {"SREM", "h", "x"});
  CHECK(cli(server, {"SUNION", "h"}) == "1) \"1\"\n2) \"2\"\n3) \"3\"\n");
}

TEST_CASE("SDIFF copies and subtracts when the first set times the set count outweighs the total") {
  Server server(config());
  run(server, {"SADD", "a", "1", "2", "3", "x"});  // 4 members
  run(server, {"SADD", "b", "x"});
  run(server, {"SADD", "c", "y"});
  run(server, {"SADD", "d", "z"});
  // 4*3/2 = 6 <= 6: walk the first set and keep the survivors, all integers.
  CHECK(cli(server, {"SDIFFSTORE", "r", "a", "b", "c"}) == "(integer) 3\n");
  CHECK(encoding(server, "r") == "intset");
  // 4*4/2 = 8 > 7: copy the first set (with its word) and subtract.
  CHECK(cli(server, {"SDIFFSTORE", "r", "a", "b", "c", "d"}) == "(integer) 3\n");
  CHECK(encoding(server, "r") == "hashtable");
  // Missing keys count for neither side.
  CHECK(cli(server, {"SDIFFSTORE", "r", "a", "b", "c", "nope"}) == "(integer) 3\n");
  CHECK(encoding(server, "r") == "intset");
  // 5*3/2 rounds down to 7 <= 7.
  run(server, {"SADD", "a5", "1", "2", "3", "4", "x"});
  run(server, {"SDIFFSTORE", "r", "a5", "b", "c"});
  CHECK(encoding(server, "r") == "intset");
}

TEST_CASE("STORE variants replace any value, drop its TTL and delete it for an empty result") {
  Server server(config());
  run(server, {"SADD", "a", "1", "2"});
  run(server, {"SADD", "b", "2", "3"});
  run(server, {"SET", "d", "v", "EX", "100"});
  CHECK(cli(server, {"SUNIONSTORE", "d", "a", "b"}) == "(integer) 3\n");
  CHECK(cli(server, {"TTL", "d"}) == "(integer) -1\n");
  CHECK(cli(server, {"SINTERSTORE", "d", "a", "b"}) == "(integer) 1\n");
  CHECK(cli(server, {"SMEMBERS", "d"}) == "1) \"2\"\n");
  CHECK(cli(server, {"SDIFFSTORE", "d", "a", "a"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "d"}) == "(integer) 0\n");
  run(server, {"SET", "d", "v"});
  CHECK(cli(server, {"SINTERSTORE", "d", "a", "missing"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "d"}) == "(integer) 0\n");
}

TEST_CASE("SINTERCARD: LIMIT stops the count, errors come before the type check") {
  Server server(config());
  run(server, with_range({"SADD", "a"}, 1, 10));
  run(server, with_range({"SADD", "b"}, 5, 20));
  run(server, {"SET", "str", "v"});
  CHECK(cli(server, {"SINTERCARD", "2", "a", "b"}) == "(integer) 6\n");
  CHECK(cli(server, {"SINTERCARD", "2", "a", "b", "LIMIT", "4"}) == "(integer) 4\n");
  CHECK(cli(server, {"SINTERCARD", "2", "a", "b", "LIMIT", "0"}) == "(integer) 6\n");
  CHECK(cli(server, {"SINTERCARD", "1", "str", "LIMIT", "-1"}) ==
        "(error) ERR LIMIT can't be negative\n");
  CHECK(cli(server, {"SINTERCARD", "0", "a"}) == "(error) ERR numkeys should be greater than 0\n");
  CHECK(cli(server, {"SINTERCARD", "3", "a", "b"}) ==
        "(error) ERR Number of keys can't be greater than number of args\n");
  CHECK(cli(server, {"SINTERCARD", "2", "missing", "str"}) == kWrongType);
}

// ---- SSCAN ----

TEST_CASE("SSCAN walks a big hashtable and returns every member exactly once") {
  Server server(config());
  run(server, with_range({"SADD", "s"}, 1, 2000));
  REQUIRE(encoding(server, "s") == "hashtable");
  std::map<std::string, int> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    const Reply page = run(server, {"SSCAN", "s", cursor, "COUNT", "50"});
    REQUIRE(page.type == ReplyType::Array);
    cursor = page.elements[0].str;
    for (const std::string& member : strings_of(page.elements[1]))
      ++seen[member];
    ++calls;
  } while (cursor != "0" && calls < 1000);
  CHECK(calls > 10);
  CHECK(seen.size() == 2000);
  CHECK(std::all_of(seen.begin(), seen.end(), [](const auto& item) { return item.second == 1; }));
}

TEST_CASE("SSCAN returns members present throughout, whatever changes meanwhile") {
  Server server(config());
  run(server, with_range({"SADD", "s"}, 1, 1000));
  std::set<std::string> seen;
  std::string cursor = "0";
  int step = 0;
  do {
    const Reply page = run(server, {"SSCAN", "s", cursor});
    cursor = page.elements[0].str;
    for (const std::string& member : strings_of(page.elements[1]))
      seen.insert(member);
    // Meanwhile: remove some of 1..100 and add new members.
    run(server, {"SREM", "s", std::to_string(++step)});
    run(server, {"SADD", "s", "new" + std::to_string(step)});
  } while (cursor != "0" && step < 10000);
  for (int i = 101; i <= 1000; ++i)
    REQUIRE(seen.count(std::to_string(i)) == 1);
}

TEST_CASE("SSCAN of an intset ignores the cursor and COUNT and answers cursor 0") {
  Server server(config());
  run(server, {"SADD", "s", "3", "1", "2"});
  const std::string all = "1) \"0\"\n2) 1) \"1\"\n   2) \"2\"\n   3) \"3\"\n";
  CHECK(cli(server, {"SSCAN", "s", "0", "COUNT", "1"}) == all);
  CHECK(cli(server, {"SSCAN", "s", "12345"}) == all);
  CHECK(cli(server, {"SSCAN", "s", "0", "MATCH", "[12]"}) ==
        "1) \"0\"\n2) 1) \"1\"\n   2) \"2\"\n");
}

// ---- bookkeeping ----

TEST_CASE("Writes that change nothing leave WATCH alone; real writes break it") {
  Server server(config());
  auto watched_exec_survives = [&](const std::vector<std::string>& write) {
    run(server, {"WATCH", "s", "t"});
    run(server, write);
    run(server, {"MULTI"});
    run(server, {"PING"});
    return run(server, {"EXEC"}).type == ReplyType::Array;
  };
  run(server, {"SADD", "s", "a"});
  run(server, {"SADD", "t", "b"});
  CHECK(watched_exec_survives({"SADD", "s", "a"}));
  CHECK(watched_exec_survives({"SREM", "s", "zz"}));
  CHECK(watched_exec_survives({"SMOVE", "s", "s", "a"}));
  CHECK(watched_exec_survives({"SMOVE", "s", "t", "zz"}));
  CHECK(watched_exec_survives({"SPOP", "s", "0"}));
  CHECK_FALSE(watched_exec_survives({"SUNIONSTORE", "s", "s"}));
  CHECK_FALSE(watched_exec_survives({"SADD", "t", "c"}));
  CHECK_FALSE(watched_exec_survives({"SMOVE", "s", "t", "a"}));
}

TEST_CASE("Reads count keyspace hits and misses; SPOP, SMOVE and STORE destinations do not") {
  Server server(config());
  run(server, {"SADD", "s", "a", "b"});
  auto hits_and_misses = [&](const std::vector<std::string>& command) {
    const auto before = server.stats();
    run(server, command);
    return std::make_pair(server.stats().keyspace_hits - before.keyspace_hits,
                          server.stats().keyspace_misses - before.keyspace_misses);
  };
  using Counts = std::pair<std::uint64_t, std::uint64_t>;
  CHECK(hits_and_misses({"SISMEMBER", "s", "a"}) == Counts{1, 0});
  CHECK(hits_and_misses({"SRANDMEMBER", "m", "0"}) == Counts{0, 1});
  CHECK(hits_and_misses({"SINTER", "s", "m", "m2"}) == Counts{1, 2});
  CHECK(hits_and_misses({"SDIFFSTORE", "d", "m", "s"}) == Counts{1, 1});
  CHECK(hits_and_misses({"SINTERCARD", "2", "s", "m"}) == Counts{1, 1});
  CHECK(hits_and_misses({"SSCAN", "m", "0"}) == Counts{0, 1});
  CHECK(hits_and_misses({"SADD", "s", "c"}) == Counts{0, 0});
  CHECK(hits_and_misses({"SPOP", "m"}) == Counts{0, 0});
  CHECK(hits_and_misses({"SMOVE", "s", "t", "zz"}) == Counts{0, 0});
}

TEST_CASE("COPY of a set is independent of the original") {
  Server server(config());
  run(server, {"SADD", "s", "1", "x"});
  run(server, {"COPY", "s", "t"});
  run(server, {"SREM", "t", "x"});
  run(server, {"SADD", "t", "2"});
  CHECK(encoding(server, "t") == "hashtable");
  CHECK(cli(server, {"SCARD", "s"}) == "(integer) 2\n");
  CHECK(cli(server, {"SISMEMBER", "s", "x"}) == "(integer) 1\n");
  CHECK(cli(server, {"SISMEMBER", "s", "2"}) == "(integer) 0\n");
}

TEST_CASE("A set of 200,000 members: membership, removal and draws stay correct") {
  Server server(config(5));
  for (int i = 0; i < 200'000; ++i)
    run(server, {"SADD", "s", "m" + std::to_string(i)});
  CHECK(cli(server, {"SCARD", "s"}) == "(integer) 200000\n");
  CHECK(cli(server, {"SISMEMBER", "s", "m199999"}) == "(integer) 1\n");
  CHECK(cli(server, {"SREM", "s", "m0", "m199999", "nope"}) == "(integer) 2\n");
  CHECK(cli(server, {"SISMEMBER", "s", "m0"}) == "(integer) 0\n");
  const Reply popped = run(server, {"SPOP", "s"});
  REQUIRE(popped.type == ReplyType::Bulk);
  CHECK(cli(server, {"SISMEMBER", "s", popped.str}) == "(integer) 0\n");
  CHECK(cli(server, {"SCARD", "s"}) == "(integer) 199997\n");
}
