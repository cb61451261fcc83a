// SORT and SORT_RO: numeric and ALPHA order with Redis's tie-breaking, the partial sort
// Redis runs for BY ... LIMIT, patterns, STORE, and the bookkeeping the differential test
// cannot show (WATCH, keyspace hits, encodings). Every expected reply was checked against
// redis-server 7.0.15.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "random.h"
#include "reply.h"
#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"
#include "types/partial_sort.h"

namespace {

using redpad::Reply;
using redpad::ReplyType;
using redpad::Server;

using namespace redpad::test::by_args;

// The bulk strings of an array reply ("(nil)" for a nil).
std::vector<std::string> strings_of(const Reply& reply) {
  REQUIRE(reply.type == ReplyType::Array);
  std::vector<std::string> out;
  for (const Reply& item : reply.elements) {
    REQUIRE((item.type == ReplyType::Bulk || item.type == ReplyType::Nil));
    out.push_back(item.type == ReplyType::Nil ? "(nil)" : item.str);
  }
  return out;
}

std::vector<std::string> command(std::vector<std::string> head,
                                 const std::vector<std::string>& tail) {
  head.insert(head.end(), tail.begin(), tail.end());
  return head;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("SORT sorts numerically by default and orders equal numbers by their bytes") {
  Server server(config());
  run(server, {"RPUSH", "l", "1", "01", "1.0", "+1", " 1", "2", "0x1", "1e0", "-inf"});
  CHECK(strings_of(run(server, {"SORT", "l"})) ==
        Strings{"-inf", " 1", "+1", "01", "0x1", "1", "1.0", "1e0", "2"});
  CHECK(strings_of(run(server, {"SORT", "l", "DESC"})) ==
        Strings{"2", "1e0", "1.0", "1", "0x1", "01", "+1", " 1", "-inf"});
  // The list itself is untouched.
  CHECK(strings_of(run(server, {"LRANGE", "l", "0", "0"})) == Strings{"1"});
}

TEST_CASE("SORT reads an empty element as 0 and a number followed by a NUL byte as the number") {
  Server server(config());
  run(server, {"RPUSH", "l", "1", "", std::string("-1\0z", 4)});
  CHECK(strings_of(run(server, {"SORT", "l"})) == Strings{std::string("-1\0z", 4), "", "1"});
}

TEST_CASE("SORT refuses elements that are not numbers, NaN or out of a double's range") {
  const std::vector<std::string> bad = {"abc", "1 ", "nan", "1e400", "1e-400", "--1"};
  for (const std::string& element : bad) {
    Server server(config());
    run(server, {"RPUSH", "l", "1", element});
    CHECK(cli(server, {"SORT", "l"}) ==
          "(error) ERR One or more scores can't be converted into double\n");
    // ALPHA and BY nosort never read numbers.
    CHECK(run(server, {"SORT", "l", "ALPHA"}).elements.size() == 2);
    CHECK(run(server, {"SORT", "l", "BY", "nosort"}).elements.size() == 2);
  }
}

TEST_CASE("SORT ALPHA compares up to a NUL byte, SORT ALPHA STORE compares every byte") {
  Server server(config());
  const std::string ab("a\0b", 3);
  const std::string aa("a\0a", 3);
  run(server, {"RPUSH", "l", "a", ab, aa, "a", "\xff", "\xc3\xa9"});
  // Equal up to the NUL byte: they keep their list order, in both directions.
  CHECK(strings_of(run(server, {"SORT", "l", "ALPHA"})) ==
        Strings{"a", ab, aa, "a", "\xc3\xa9", "\xff"});
  CHECK(strings_of(run(server, {"SORT", "l", "ALPHA", "DESC"})) ==
        Strings{"\xff", "\xc3\xa9", "a", ab, aa, "a"});
  CHECK(cli(server, {"SORT", "l", "ALPHA", "STORE", "d"}) == "(integer) 6\n");
  CHECK(strings_of(run(server, {"LRANGE", "d", "0", "-1"})) ==
        Strings{"a", "a", aa, ab, "\xc3\xa9", "\xff"});
}

TEST_CASE("SORT BY ALPHA keeps the list order of equal values when it sorts everything") {
  Server server(config());
  run(server, {"RPUSH", "m", "c", "a", "b", "d", "e", "f", "g", "h", "i", "j"});
  run(server, {"MSET", "w_a", "3", "w_b", "1", "w_c", "2", "w_d", "1", "w_e", "1"});
  CHECK(strings_of(run(server, {"SORT", "m", "BY", "w_*", "ALPHA"})) ==
        Strings{"f", "g", "h", "i", "j", "b", "d", "e", "c", "a"});
  CHECK(strings_of(run(server, {"SORT", "m", "BY", "w_*", "ALPHA", "DESC"})) ==
        Strings{"a", "c", "b", "d", "e", "f", "g", "h", "i", "j"});
  // A LIMIT covering everything is still a full sort.
  CHECK(strings_of(run(server, {"SORT", "m", "BY", "w_*", "ALPHA", "LIMIT", "0", "10"})) ==
        Strings{"f", "g", "h", "i", "j", "b", "d", "e", "c", "a"});
}

TEST_CASE("SORT BY ALPHA with a LIMIT orders ties as Redis's partial sort leaves them") {
  Server server(config());
  run(server, {"RPUSH", "m", "c", "a", "b", "d", "e", "f", "g", "h", "i", "j"});
  run(server, {"MSET", "w_a", "3", "w_b", "1", "w_c", "2", "w_d", "1", "w_e", "1"});
  CHECK(strings_of(run(server, {"SORT", "m", "BY", "w_*", "ALPHA", "LIMIT", "0", "3"})) ==
        Strings{"j", "f", "g"});
  // Numeric ties are broken by the element's bytes, so a window is just a slice.
  CHECK(strings_of(run(server, {"SORT", "m", "BY", "w_*", "LIMIT", "0", "3"})) ==
        Strings{"f", "g", "h"});
}

TEST_CASE("SORT BY ALPHA of fewer than 7 elements with a LIMIT keeps ties in list order") {
  Server server(config());
  run(server, {"RPUSH", "l", "e", "d", "c", "b", "a", "x"});
  run(server, {"SET", "w_x", "0"});
  CHECK(strings_of(run(server, {"SORT", "l", "BY", "w_*", "ALPHA", "LIMIT", "1", "3"})) ==
        Strings{"d", "c", "b"});
}

TEST_CASE("The partial sort puts what a full sort would put in the window") {
  redpad::Random random(7);
  for (int round = 0; round < 300; ++round) {
    const size_t n = 1 + random.next() % 300;
    std::vector<int> values(n);
    for (int& v : values)
      v = static_cast<int>(random.next() % (1 + round % 50));
    std::vector<int> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const size_t first = random.next() % n;
    const size_t last = first + random.next() % (n - first);
    std::vector<int> partial = values;
    redpad::redis_partial_sort(
        partial, [](int a, int b) { return a < b ? -1 : (a > b ? 1 : 0); }, first, last);
    CHECK(std::vector<int>(partial.begin() + static_cast<std::ptrdiff_t>(first),
                           partial.begin() + static_cast<std::ptrdiff_t>(last) + 1) ==
          std::vector<int>(sorted.begin() + static_cast<std::ptrdiff_t>(first),
                           sorted.begin() + static_cast<std::ptrdiff_t>(last) + 1));
    // Nothing is lost or duplicated.
    std::sort(partial.begin(), partial.end());
    CHECK(partial == sorted);
  }
}

TEST_CASE("SORT of a long list matches a plain sort, in both directions") {
  Server server(config());
  redpad::Random random(3);
  std::vector<std::string> push{"RPUSH", "l"};
  std::vector<long long> numbers;
  for (int i = 0; i < 5000; ++i) {
    const long long n = static_cast<long long>(random.next() % 100000) - 50000;
    numbers.push_back(n);
    push.push_back(std::to_string(n));
  }
  run(server, push);
  std::sort(numbers.begin(), numbers.end());
  Strings ascending;
  for (long long n : numbers)
    ascending.push_back(std::to_string(n));
  CHECK(strings_of(run(server, {"SORT", "l"})) == ascending);
  Strings descending(ascending.rbegin(), ascending.rend());
  CHECK(strings_of(run(server, {"SORT", "l", "DESC"})) == descending);
  CHECK(strings_of(run(server, {"SORT", "l", "LIMIT", "100", "3"})) ==
        Strings{ascending[100], ascending[101], ascending[102]});
}

TEST_CASE("SORT LIMIT clamps its window like Redis") {
  Server server(config());
  run(server, {"RPUSH", "l", "5", "3", "9", "1", "7", "2"});
  CHECK(strings_of(run(server, {"SORT", "l", "LIMIT", "-3", "2"})) == Strings{"1", "2"});
  CHECK(strings_of(run(server, {"SORT", "l", "LIMIT", "4", "-1"})) == Strings{"7", "9"});
  CHECK(strings_of(run(server, {"SORT", "l", "LIMIT", "2", "9223372036854775807"})) ==
        Strings{"3", "5", "7", "9"});
  CHECK(cli(server, {"SORT", "l", "LIMIT", "9223372036854775807", "2"}) == "(empty array)\n");
  CHECK(cli(server, {"SORT", "l", "LIMIT", "0", "0"}) == "(empty array)\n");
  CHECK(cli(server, {"SORT", "l", "LIMIT", "6", "1"}) == "(empty array)\n");
}

TEST_CASE("SORT BY nosort reads lists and sorted sets in order, backwards with DESC") {
  Server server(config());
  run(server, {"RPUSH", "l", "b", "10", "a", "c"});
  CHECK(strings_of(run(server, {"SORT", "l", "BY", "nosort"})) == Strings{"b", "10", "a", "c"});
  CHECK(strings_of(run(server, {"SORT", "l", "BY", "nosort", "DESC", "LIMIT", "1", "2"})) ==
        Strings{"a", "10"});
  run(server, {"ZADD", "z", "3", "c", "1", "a", "2", "b", "4", "d"});
  CHECK(strings_of(run(server, {"SORT", "z", "BY", "nosort", "LIMIT", "1", "2"})) ==
        Strings{"b", "c"});
  CHECK(strings_of(run(server, {"SORT", "z", "BY", "nosort", "DESC", "LIMIT", "3", "5"})) ==
        Strings{"a"});
  // An intset keeps its numeric order, DESC or not.
  run(server, {"SADD", "s", "5", "3", "1"});
  CHECK(strings_of(run(server, {"SORT", "s", "BY", "nosort", "DESC"})) == Strings{"1", "3", "5"});
}

TEST_CASE("SORT BY nosort STORE sorts a set ALPHA, byte by byte") {
  Server server(config());
  run(server, {"SADD", "s", "b", "a", "10", "2", "B"});
  CHECK(cli(server, {"SORT", "s", "BY", "nosort", "DESC", "STORE", "d"}) == "(integer) 5\n");
  CHECK(strings_of(run(server, {"LRANGE", "d", "0", "-1"})) == Strings{"b", "a", "B", "2", "10"});
  run(server, {"SADD", "n", "3", "20", "1"});
  run(server, {"SORT", "n", "BY", "nosort", "STORE", "d"});
  CHECK(strings_of(run(server, {"LRANGE", "d", "0", "-1"})) == Strings{"1", "20", "3"});
}

TEST_CASE("SORT turns a listpack sorted set into a skiplist, after checking its options") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b"});
  run(server, {"ZADD", "y", "1", "a"});
  CHECK(cli(server, {"SORT", "z", "FOO"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "z"}) == "\"listpack\"\n");
  CHECK(strings_of(run(server, {"SORT_RO", "z", "ALPHA"})) == Strings{"a", "b"});
  CHECK(cli(server, {"OBJECT", "ENCODING", "z"}) == "\"skiplist\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}) ==
        "1) \"a\"\n2) \"1\"\n3) \"b\"\n4) \"2\"\n");
  run(server, {"SORT", "y", "BY", "nosort", "LIMIT", "0", "0"});
  CHECK(cli(server, {"OBJECT", "ENCODING", "y"}) == "\"skiplist\"\n");
  CHECK(cli(server, {"ZCARD", "y"}) == "(integer) 1\n");
}

TEST_CASE("SORT GET and BY patterns: '#', the first '*', '->field', wrong types") {
  Server server(config());
  run(server, {"RPUSH", "l", "x"});
  run(server, {"SET", "a->bx", "v1"});
  run(server, {"SET", "x->", "v2"});
  run(server, {"HSET", "x", "->f", "v3", "f", "v4"});
  run(server, {"SET", std::string("x\0", 2), "nul"});
  const auto get = [&](const std::string& pattern) {
    return strings_of(run(server, {"SORT", "l", "BY", "nosort", "GET", pattern}));
  };
  CHECK(get("#") == Strings{"x"});
  CHECK(get("a->b*") == Strings{"v1"});
  CHECK(get("*->") == Strings{"v2"});
  CHECK(get("*->->f") == Strings{"v3"});
  CHECK(get("*->f") == Strings{"v4"});
  CHECK(get("**->f") == Strings{"(nil)"});
  CHECK(get("x->f") == Strings{"(nil)"});  // no '*': a fixed key means nothing
  CHECK(get(std::string("*\0", 2)) == Strings{"nul"});
  CHECK(get("*->nofield") == Strings{"(nil)"});
  CHECK(get("a->b*->f") == Strings{"(nil)"});  // a string read as a hash
}

TEST_CASE("SORT BY and GET read through expiry") {
  Server server(config());
  run(server, {"RPUSH", "l", "a", "b"});
  run(server, {"SET", "w_a", "2", "PX", "100"});
  run(server, {"SET", "w_b", "1"});
  CHECK(strings_of(run(server, {"SORT", "l", "BY", "w_*", "GET", "w_*"})) == Strings{"1", "2"});
  run(server, {"DEBUG", "SLEEP", "0.2"});
  CHECK(strings_of(run(server, {"SORT", "l", "BY", "w_*", "GET", "w_*"})) == Strings{"(nil)", "1"});
}

TEST_CASE("SORT STORE writes a quicklist without TTL and stores missing GET values as empty") {
  Server server(config());
  run(server, {"RPUSH", "l", "2", "1"});
  run(server, {"SET", "v_1", "one"});
  run(server, {"SET", "d", "old", "EX", "100"});
  CHECK(cli(server, {"SORT", "l", "GET", "v_*", "GET", "#", "STORE", "d"}) == "(integer) 4\n");
  CHECK(strings_of(run(server, {"LRANGE", "d", "0", "-1"})) == Strings{"one", "1", "", "2"});
  CHECK(cli(server, {"TTL", "d"}) == "(integer) -1\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "d"}) == "\"quicklist\"\n");
  CHECK(cli(server, {"GET", "d"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
}

TEST_CASE("SORT STORE of nothing deletes the destination") {
  Server server(config());
  run(server, {"SET", "d", "x"});
  CHECK(cli(server, {"SORT", "nokey", "STORE", "d"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "d"}) == "(integer) 0\n");
  run(server, {"RPUSH", "l", "1"});
  run(server, {"SET", "d", "x"});
  CHECK(cli(server, {"SORT", "l", "LIMIT", "1", "1", "STORE", "d"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "d"}) == "(integer) 0\n");
}

TEST_CASE("SORT STORE touches a WATCHed destination only when it writes or deletes it") {
  Server server(config());
  run(server, {"RPUSH", "l", "1"});
  run(server, {"WATCH", "d"});
  run(server, {"SORT", "nokey", "STORE", "d"});  // nothing to delete
  run(server, {"SORT", "l"});
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "1) PONG\n");

  run(server, {"WATCH", "d"});
  run(server, {"SORT", "l", "STORE", "d"});
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "(nil)\n");

  run(server, {"WATCH", "d"});
  run(server, {"SORT", "nokey", "STORE", "d"});  // deletes it
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "(nil)\n");
}

TEST_CASE("SORT counts a keyspace hit or miss for its key and every pattern lookup") {
  Server server(config());
  run(server, {"RPUSH", "l", "1", "2", "3"});
  run(server, {"SET", "w_1", "5"});
  run(server, {"HSET", "h_2", "f", "x"});
  const auto hits = server.stats().keyspace_hits;
  const auto misses = server.stats().keyspace_misses;
  run(server, {"SORT", "l", "BY", "w_*", "GET", "h_*->f"});
  CHECK(server.stats().keyspace_hits - hits == 3);
  CHECK(server.stats().keyspace_misses - misses == 4);
  run(server, {"SORT", "nokey"});
  run(server, {"SORT", "l", "STORE", "d"});  // the destination is not counted
  CHECK(server.stats().keyspace_hits - hits == 4);
  CHECK(server.stats().keyspace_misses - misses == 5);
}

TEST_CASE("SORT checks its options before the key's type; SORT_RO has no STORE") {
  Server server(config());
  run(server, {"SET", "s", "x"});
  CHECK(cli(server, {"SORT", "s", "LIMIT", "a", "b"}) ==
        "(error) ERR value is not an integer or out of range\n");
  CHECK(cli(server, {"SORT", "s", "FOO"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"SORT", "s"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
  run(server, {"RPUSH", "l", "1"});
  CHECK(cli(server, {"SORT_RO", "l", "STORE", "d"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"SORT", "l", "LIMIT", "0"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"SORT", "l", "ALPHA", "FOO", "LIMIT", "x", "1"}) ==
        "(error) ERR syntax error\n");
  CHECK(cli(server, {"SORT", "l", "LIMIT", "x", "FOO"}) ==
        "(error) ERR value is not an integer or out of range\n");
  CHECK(cli(server, {"SORT"}) == "(error) ERR wrong number of arguments for 'sort' command\n");
}

TEST_CASE("SORT of a hashtable set is deterministic when it sorts") {
  Server server(config());
  std::vector<std::string> add{"SADD", "s", "x"};
  for (int i = 0; i < 600; ++i)
    add.push_back(std::to_string(i * 7 % 601));
  run(server, add);
  run(server, {"SREM", "s", "x"});
  CHECK(cli(server, {"OBJECT", "ENCODING", "s"}) == "\"hashtable\"\n");
  const Strings sorted = strings_of(run(server, {"SORT", "s", "LIMIT", "0", "5"}));
  CHECK(sorted == Strings{"0", "1", "2", "3", "4"});
  const Strings alpha = strings_of(run(server, {"SORT", "s", "ALPHA", "LIMIT", "0", "4"}));
  CHECK(alpha == Strings{"0", "1", "10", "100"});
}

TEST_CASE("SORT GET with several patterns returns them element by element") {
  Server server(config());
  run(server, {"RPUSH", "l", "3", "1", "2"});
  run(server, {"MSET", "v_1", "one", "v_2", "two"});
  CHECK(cli(server, command({"SORT", "l"}, {"GET", "#", "GET", "v_*", "DESC"})) ==
        "1) \"3\"\n2) (nil)\n3) \"2\"\n4) \"two\"\n5) \"1\"\n6) \"one\"\n");
}
