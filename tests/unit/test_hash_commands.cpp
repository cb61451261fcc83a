// Hash commands, each reply checked against Redis 7.0.15 (redis-cli --no-raw); HRANDFIELD's
// random picks are checked for their properties and for being reproducible from the seed.
#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"

namespace {

// A test server with two helpers of this file's own.
struct Fixture : redpad::test::TestServer {
  explicit Fixture(std::uint64_t seed = 0) : TestServer(seed) {}

  // The bulk strings of an array reply.
  std::vector<std::string> strings(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (const redpad::Reply& item : run(args).elements)
      out.push_back(item.str);
    return out;
  }
  // HSET key f0 v0 f1 v1 ... for fields first..first+count-1, values prefixed by `value`.
  void fill(const std::string& key, int count, const std::string& value = "v", int first = 0) {
    std::vector<std::string> args{"HSET", key};
    for (int i = first; i < first + count; ++i) {
      args.push_back("f" + std::to_string(i));
      args.push_back(value + std::to_string(i));
    }
    run(args);
  }
};

using redpad::test::lines;

using redpad::test::kWrongTypeShown;
const std::string k64(64, 'a');
const std::string k65(65, 'b');

}  // namespace

TEST_SUITE("hashes") {
  // ---- writes ----

  TEST_CASE("HSET counts new fields and updates others in place") {
    Fixture f;
    CHECK(f.cli({"HSET", "h", "z", "1", "y", "2", "x", "3"}) == "(integer) 3\n");
    CHECK(f.cli({"HSET", "h", "y", "20", "w", "4"}) == "(integer) 1\n");
    CHECK(f.cli({"HSET", "h", "a", "1", "a", "2"}) == "(integer) 1\n");
    CHECK(f.cli({"HGETALL", "h"}) ==
          lines({" 1) \"z\"", " 2) \"1\"", " 3) \"y\"", " 4) \"20\"", " 5) \"x\"", " 6) \"3\"",
                 " 7) \"w\"", " 8) \"4\"", " 9) \"a\"", "10) \"2\""}));
    CHECK(f.cli({"TYPE", "h"}) == "hash\n");
  }

  TEST_CASE("HSET with an odd number of arguments is an arity error, before the type") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    CHECK(f.cli({"HSET", "s", "a", "1", "b"}) ==
          "(error) ERR wrong number of arguments for 'hset' command\n");
    CHECK(f.cli({"HMSET", "h", "a", "1", "b"}) ==
          "(error) ERR wrong number of arguments for 'hmset' command\n");
    CHECK(f.cli({"HSET", "s", "a", "1"}) == kWrongTypeShown);
    CHECK(f.cli({"EXISTS", "h"}) == "(integer) 0\n");
  }

  TEST_CASE("HMSET sets fields and says OK") {
    Fixture f;
    CHECK(f.cli({"HMSET", "h", "a", "1", "b", "2"}) == "OK\n");
    CHECK(f.cli({"HMSET", "h", "a", "10"}) == "OK\n");
    CHECK(f.cli({"HMGET", "h", "a", "b"}) == lines({"1) \"10\"", "2) \"2\""}));
  }

  TEST_CASE("HSETNX sets only a missing field") {
    Fixture f;
    CHECK(f.cli({"HSETNX", "h", "a", "1"}) == "(integer) 1\n");
    CHECK(f.cli({"HSETNX", "h", "a", "2"}) == "(integer) 0\n");
    CHECK(f.cli({"HGET", "h", "a"}) == "\"1\"\n");
  }

  TEST_CASE("HDEL counts removed fields and keeps the others' order") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"});
    CHECK(f.cli({"HDEL", "h", "c", "missing", "c"}) == "(integer) 1\n");
    f.cli({"HSET", "h", "c", "33"});
    CHECK(f.cli({"HDEL", "h", "a"}) == "(integer) 1\n");
    CHECK(f.cli({"HKEYS", "h"}) == lines({"1) \"b\"", "2) \"d\"", "3) \"e\"", "4) \"c\""}));
    CHECK(f.cli({"HDEL", "missing", "a"}) == "(integer) 0\n");
  }

  TEST_CASE("HDEL of the last field deletes the key") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1", "b", "2"});
    CHECK(f.cli({"HDEL", "h", "a", "b", "c"}) == "(integer) 2\n");
    CHECK(f.cli({"EXISTS", "h"}) == "(integer) 0\n");
  }

  TEST_CASE("insertion order survives many deletions") {
    Fixture f;
    f.fill("h", 40, "", 1);  // f1..f40
    std::vector<std::string> hdel{"HDEL", "h"};
    for (int i = 1; i <= 40; ++i) {
      if (i % 4 != 0) hdel.push_back("f" + std::to_string(i));
    }
    CHECK(f.cli(hdel) == "(integer) 30\n");
    f.cli({"HSET", "h", "f2", "new"});
    CHECK(f.cli({"HKEYS", "h"}) ==
          lines({" 1) \"f4\"", " 2) \"f8\"", " 3) \"f12\"", " 4) \"f16\"", " 5) \"f20\"",
                 " 6) \"f24\"", " 7) \"f28\"", " 8) \"f32\"", " 9) \"f36\"", "10) \"f40\"",
                 "11) \"f2\""}));
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"listpack\"\n");
  }

  // ---- reads ----

  TEST_CASE("HGET, HMGET, HEXISTS, HSTRLEN and HLEN on fields, missing fields and keys") {
    Fixture f;
    f.cli({"HSET", "h", "a", "hello", "b", ""});
    CHECK(f.cli({"HGET", "h", "a"}) == "\"hello\"\n");
    CHECK(f.cli({"HGET", "h", "zz"}) == "(nil)\n");
    CHECK(f.cli({"HGET", "missing", "a"}) == "(nil)\n");
    CHECK(f.cli({"HMGET", "h", "a", "zz", "b"}) == lines({"1) \"hello\"", "2) (nil)", "3) \"\""}));
    CHECK(f.cli({"HMGET", "missing", "a", "b"}) == lines({"1) (nil)", "2) (nil)"}));
    CHECK(f.cli({"HEXISTS", "h", "b"}) == "(integer) 1\n");
    CHECK(f.cli({"HEXISTS", "h", "zz"}) == "(integer) 0\n");
    CHECK(f.cli({"HEXISTS", "missing", "a"}) == "(integer) 0\n");
    CHECK(f.cli({"HSTRLEN", "h", "a"}) == "(integer) 5\n");
    CHECK(f.cli({"HSTRLEN", "h", "zz"}) == "(integer) 0\n");
    CHECK(f.cli({"HLEN", "h"}) == "(integer) 2\n");
    CHECK(f.cli({"HLEN", "missing"}) == "(integer) 0\n");
  }

  TEST_CASE("HGETALL, HKEYS and HVALS of a missing key are empty arrays") {
    Fixture f;
    CHECK(f.cli({"HGETALL", "missing"}) == "(empty array)\n");
    CHECK(f.cli({"HKEYS", "missing"}) == "(empty array)\n");
    CHECK(f.cli({"HVALS", "missing"}) == "(empty array)\n");
  }

  // ---- counters ----

  TEST_CASE("HINCRBY creates, increments and stops at the 64-bit limits") {
    Fixture f;
    CHECK(f.cli({"HINCRBY", "h", "a", "5"}) == "(integer) 5\n");
    CHECK(f.cli({"HINCRBY", "h", "a", "-10"}) == "(integer) -5\n");
    f.cli({"HSET", "h", "max", "9223372036854775807", "min", "-9223372036854775808"});
    const char* overflow = "(error) ERR increment or decrement would overflow\n";
    CHECK(f.cli({"HINCRBY", "h", "max", "1"}) == overflow);
    CHECK(f.cli({"HINCRBY", "h", "min", "-1"}) == overflow);
    CHECK(f.cli({"HINCRBY", "h", "max", "0"}) == "(integer) 9223372036854775807\n");
    CHECK(f.cli({"HINCRBY", "h", "min", "9223372036854775807"}) == "(integer) -1\n");
  }

  TEST_CASE("HINCRBY refuses values that are not strict integers") {
    Fixture f;
    f.cli({"HSET", "h", "s", "hello", "sp", " 1", "f", "1.5", "e", "1e5", "z", "007"});
    for (const char* field : {"s", "sp", "f", "e", "z"}) {
      CAPTURE(field);
      CHECK(f.cli({"HINCRBY", "h", field, "1"}) == "(error) ERR hash value is not an integer\n");
    }
  }

  TEST_CASE("HINCRBY checks the increment before the key") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    const char* error = "(error) ERR value is not an integer or out of range\n";
    CHECK(f.cli({"HINCRBY", "missing", "a", "x"}) == error);
    CHECK(f.cli({"HINCRBY", "s", "a", "1.5"}) == error);
    CHECK(f.cli({"HINCRBY", "s", "a", "1"}) == kWrongTypeShown);
    CHECK(f.cli({"EXISTS", "missing"}) == "(integer) 0\n");
  }

  TEST_CASE("HINCRBYFLOAT prints like INCRBYFLOAT") {
    Fixture f;
    CHECK(f.cli({"HINCRBYFLOAT", "h", "f", "10.50"}) == "\"10.5\"\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "f", "0.1"}) == "\"10.6\"\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "g", "3.0e3"}) == "\"3000\"\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "g", "-3000"}) == "\"0\"\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "x", "0x10"}) == "\"16\"\n");
    f.cli({"HSET", "h", "i", "9223372036854775807", "e", "1e5"});
    CHECK(f.cli({"HINCRBYFLOAT", "h", "i", "1"}) == "\"9223372036854775808\"\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "e", "1"}) == "\"100001\"\n");
    CHECK(f.cli({"HGET", "h", "f"}) == "\"10.6\"\n");
  }

  TEST_CASE("HINCRBYFLOAT errors: bad increment, infinite increment, bad value, overflow") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"HSET", "h", "a", "1", "sp", " 1"});
    CHECK(f.cli({"HINCRBYFLOAT", "s", "a", "x"}) == "(error) ERR value is not a valid float\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "a", "nan"}) == "(error) ERR value is not a valid float\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "a", "1e5000"}) ==
          "(error) ERR value is not a valid float\n");
    CHECK(f.cli({"HINCRBYFLOAT", "s", "a", "inf"}) == "(error) ERR value is NaN or Infinity\n");
    CHECK(f.cli({"HINCRBYFLOAT", "missing", "a", "-inf"}) ==
          "(error) ERR value is NaN or Infinity\n");
    CHECK(f.cli({"HINCRBYFLOAT", "s", "a", "1"}) == kWrongTypeShown);
    CHECK(f.cli({"HINCRBYFLOAT", "h", "sp", "1"}) == "(error) ERR hash value is not a float\n");
    CHECK(f.cli({"HINCRBYFLOAT", "h", "a", "1e4932"}).size() > 4900);
    CHECK(f.cli({"HINCRBYFLOAT", "h", "a", "1e4932"}) ==
          "(error) ERR increment would produce NaN or Infinity\n");
    CHECK(f.cli({"EXISTS", "missing"}) == "(integer) 0\n");
  }

  // ---- encodings ----

  TEST_CASE("a hash stays a listpack with 64-byte fields and values") {
    Fixture f;
    f.cli({"HSET", "h", "a", k64, k64, "b"});
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"listpack\"\n");
  }

  TEST_CASE("a 65-byte value or field makes a hashtable") {
    Fixture f;
    f.cli({"HSET", "v", "a", k65});
    f.cli({"HSET", "k", k65, "a"});
    CHECK(f.cli({"OBJECT", "ENCODING", "v"}) == "\"hashtable\"\n");
    CHECK(f.cli({"OBJECT", "ENCODING", "k"}) == "\"hashtable\"\n");
  }

  TEST_CASE("a hash of 512 fields is a listpack, the 513th makes a hashtable") {
    Fixture f;
    f.fill("h", 512);
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"listpack\"\n");
    f.cli({"HSET", "h", "f0", "updated"});
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"listpack\"\n");
    f.cli({"HSET", "h", "f512", "v"});
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"hashtable\"\n");
    f.fill("all", 513);
    CHECK(f.cli({"OBJECT", "ENCODING", "all"}) == "\"hashtable\"\n");
  }

  TEST_CASE("a hashtable never goes back to a listpack") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1", "big", k65});
    f.cli({"HDEL", "h", "big"});
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"hashtable\"\n");
    f.fill("many", 513);
    f.cli({"HDEL", "many", "f0", "f1", "f2"});
    CHECK(f.cli({"OBJECT", "ENCODING", "many"}) == "\"hashtable\"\n");
  }

  TEST_CASE("only values actually stored convert: HSETNX on an existing field, reads") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1"});
    CHECK(f.cli({"HSETNX", "h", "a", k65}) == "(integer) 0\n");
    f.cli({"HGET", "h", k65});
    f.cli({"HDEL", "h", k65});
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"listpack\"\n");
    CHECK(f.cli({"HSETNX", "h", "b", k65}) == "(integer) 1\n");
    CHECK(f.cli({"OBJECT", "ENCODING", "h"}) == "\"hashtable\"\n");
  }

  TEST_CASE("HINCRBY on a long field and HINCRBYFLOAT to a long value convert") {
    Fixture f;
    f.cli({"HSET", "a", "x", "1"});
    f.cli({"HINCRBY", "a", k65, "1"});
    CHECK(f.cli({"OBJECT", "ENCODING", "a"}) == "\"hashtable\"\n");
    f.cli({"HSET", "b", "x", "1"});
    f.cli({"HINCRBYFLOAT", "b", "x", "1e100"});
    CHECK(f.cli({"HSTRLEN", "b", "x"}) == "(integer) 100\n");
    CHECK(f.cli({"OBJECT", "ENCODING", "b"}) == "\"hashtable\"\n");
  }

  TEST_CASE("COPY keeps the encoding, the order, and is independent") {
    Fixture f;
    f.cli({"HSET", "h", "z", "1", "y", "2", "x", "3"});
    f.cli({"HDEL", "h", "y"});
    f.cli({"COPY", "h", "h2"});
    f.cli({"HSET", "h2", "w", "4"});
    CHECK(f.cli({"HKEYS", "h2"}) == lines({"1) \"z\"", "2) \"x\"", "3) \"w\""}));
    CHECK(f.cli({"HLEN", "h"}) == "(integer) 2\n");
    f.cli({"HSET", "big", "a", k65});
    f.cli({"COPY", "big", "big2"});
    CHECK(f.cli({"OBJECT", "ENCODING", "big2"}) == "\"hashtable\"\n");
    f.cli({"HDEL", "big2", "a"});
    f.cli({"HSET", "big2", "a", "1"});
    CHECK(f.cli({"OBJECT", "ENCODING", "big2"}) == "\"listpack\"\n");
    f.cli({"HSET", "big", "b", "1"});
    f.cli({"HDEL", "big", "a"});
    CHECK(f.cli({"OBJECT", "ENCODING", "big"}) == "\"hashtable\"\n");
  }

  // ---- HRANDFIELD ----

  TEST_CASE("HRANDFIELD with a count at least the size returns the whole hash in order") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1", "b", "2", "c", "3"});
    CHECK(f.cli({"HRANDFIELD", "h", "3"}) == lines({"1) \"a\"", "2) \"b\"", "3) \"c\""}));
    CHECK(f.cli({"HRANDFIELD", "h", "9223372036854775807"}) ==
          lines({"1) \"a\"", "2) \"b\"", "3) \"c\""}));
    CHECK(f.cli({"HRANDFIELD", "h", "5", "withvalues"}) ==
          lines({"1) \"a\"", "2) \"1\"", "3) \"b\"", "4) \"2\"", "5) \"c\"", "6) \"3\""}));
    CHECK(f.cli({"HRANDFIELD", "h", "0"}) == "(empty array)\n");
  }

  TEST_CASE("HRANDFIELD on a missing key") {
    Fixture f;
    CHECK(f.cli({"HRANDFIELD", "missing"}) == "(nil)\n");
    CHECK(f.cli({"HRANDFIELD", "missing", "-5"}) == "(empty array)\n");
    CHECK(f.cli({"HRANDFIELD", "missing", "5", "WITHVALUES"}) == "(empty array)\n");
  }

  TEST_CASE("HRANDFIELD with a negative count repeats a single field") {
    Fixture f;
    f.cli({"HSET", "h", "f", "v"});
    CHECK(f.cli({"HRANDFIELD", "h"}) == "\"f\"\n");
    CHECK(f.cli({"HRANDFIELD", "h", "-3"}) == lines({"1) \"f\"", "2) \"f\"", "3) \"f\""}));
    CHECK(f.cli({"HRANDFIELD", "h", "-2", "WITHVALUES"}) ==
          lines({"1) \"f\"", "2) \"v\"", "3) \"f\"", "4) \"v\""}));
  }

  TEST_CASE("HRANDFIELD with a positive count gives distinct fields in the listpack's order") {
    Fixture f;
    f.fill("h", 10);
    std::set<std::vector<std::string>> seen;
    for (int round = 0; round < 20; ++round) {
      const std::vector<std::string> picked = f.strings({"HRANDFIELD", "h", "4"});
      REQUIRE(picked.size() == 4);
      for (size_t i = 1; i < picked.size(); ++i) {
        // f0..f9: insertion order is the order of the numbers.
        CHECK(std::stoi(picked[i - 1].substr(1)) < std::stoi(picked[i].substr(1)));
      }
      seen.insert(picked);
    }
    CHECK(seen.size() > 1);
  }

  TEST_CASE("HRANDFIELD with a negative count draws that many, values matching fields") {
    Fixture f;
    f.fill("h", 5);
    const std::vector<std::string> drawn = f.strings({"HRANDFIELD", "h", "-50", "WITHVALUES"});
    REQUIRE(drawn.size() == 100);
    std::set<std::string> fields;
    for (size_t i = 0; i < drawn.size(); i += 2) {
      CHECK(drawn[i + 1] == "v" + drawn[i].substr(1));
      fields.insert(drawn[i]);
    }
    CHECK(fields.size() > 1);
    CHECK(fields.size() <= 5);
  }

  TEST_CASE("HRANDFIELD on a big hashtable picks distinct fields, few or many") {
    Fixture f;
    f.fill("h", 1000);
    for (const char* count : {"10", "400", "999"}) {
      CAPTURE(count);
      const std::vector<std::string> picked = f.strings({"HRANDFIELD", "h", count});
      CHECK(picked.size() == static_cast<size_t>(std::stoi(count)));
      CHECK(std::set<std::string>(picked.begin(), picked.end()).size() == picked.size());
    }
  }

  TEST_CASE("HRANDFIELD is reproducible from the server's seed") {
    auto draws = [](std::uint64_t seed) {
      Fixture f(seed);
      f.fill("h", 100);
      std::vector<std::string> out;
      for (int i = 0; i < 10; ++i)
        out.push_back(f.cli({"HRANDFIELD", "h"}));
      out.push_back(f.cli({"HRANDFIELD", "h", "5"}));
      out.push_back(f.cli({"HRANDFIELD", "h", "-5"}));
      return out;
    };
    CHECK(draws(7) == draws(7));
    CHECK(draws(7) != draws(8));
  }

  TEST_CASE("HRANDFIELD count errors and their order") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"HSET", "h", "a", "1"});
    const char* range =
        "(error) ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807\n";
    CHECK(f.cli({"HRANDFIELD", "h", "x"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"HRANDFIELD", "s", "x"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"HRANDFIELD", "h", "-9223372036854775808"}) == range);
    CHECK(f.cli({"HRANDFIELD", "h", "-9223372036854775808", "WITHVALUES", "FOO"}) == range);
    CHECK(f.cli({"HRANDFIELD", "h", "1", "FOO"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"HRANDFIELD", "h", "1", "WITHVALUES", "WITHVALUES"}) ==
          "(error) ERR syntax error\n");
    CHECK(f.cli({"HRANDFIELD", "s", "1", "FOO"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"}) ==
          "(error) ERR value is out of range\n");
    CHECK(f.cli({"HRANDFIELD", "missing", "-4611686018427387904", "WITHVALUES"}) ==
          "(error) ERR value is out of range\n");
    CHECK(f.cli({"HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"}) ==
          lines({"1) \"a\"", "2) \"1\""}));
    CHECK(f.cli({"HRANDFIELD", "s", "0"}) == kWrongTypeShown);
  }

  // ---- HSCAN ----

  TEST_CASE("HSCAN of a listpack returns everything in one page with cursor 0") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1", "b", "2", "ab", "3"});
    const std::string all = lines({"1) \"0\"", "2) 1) \"a\"", "   2) \"1\"", "   3) \"b\"",
                                   "   4) \"2\"", "   5) \"ab\"", "   6) \"3\""});
    CHECK(f.cli({"HSCAN", "h", "0"}) == all);
    CHECK(f.cli({"HSCAN", "h", "0", "COUNT", "1"}) == all);
    CHECK(f.cli({"HSCAN", "h", "12345"}) == all);
    CHECK(f.cli({"HSCAN", "h", "0", "MATCH", "a*"}) ==
          lines({"1) \"0\"", "2) 1) \"a\"", "   2) \"1\"", "   3) \"ab\"", "   4) \"3\""}));
    CHECK(f.cli({"HSCAN", "h", "0", "MATCH", "zz"}) == lines({"1) \"0\"", "2) (empty array)"}));
  }

  TEST_CASE("HSCAN checks the cursor, then the key, then the options") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"HSET", "h", "a", "1"});
    CHECK(f.cli({"HSCAN", "s", "x"}) == "(error) ERR invalid cursor\n");
    CHECK(f.cli({"HSCAN", "h", "18446744073709551616"}) == "(error) ERR invalid cursor\n");
    CHECK(f.cli({"HSCAN", "s", "0", "FOO"}) == kWrongTypeShown);
    CHECK(f.cli({"HSCAN", "missing", "0", "FOO"}) == lines({"1) \"0\"", "2) (empty array)"}));
    CHECK(f.cli({"HSCAN", "h", "0", "COUNT", "0"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"HSCAN", "h", "0", "COUNT", "x"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"HSCAN", "h", "0", "TYPE", "string"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"HSCAN", "h", "0", "MATCH"}) == "(error) ERR syntax error\n");
  }

  TEST_CASE("HSCAN walks a hashtable page by page and returns every field once") {
    Fixture f;
    f.fill("h", 1000);
    std::map<std::string, std::string> found;
    std::string cursor = "0";
    int pages = 0;
    do {
      const redpad::Reply page = f.run({"HSCAN", "h", cursor, "COUNT", "100"});
      REQUIRE(page.elements.size() == 2);
      cursor = page.elements[0].str;
      const auto& items = page.elements[1].elements;
      REQUIRE(items.size() % 2 == 0);
      for (size_t i = 0; i < items.size(); i += 2) {
        CHECK(found.emplace(items[i].str, items[i + 1].str).second);
      }
      ++pages;
    } while (cursor != "0" && pages < 1000);
    CHECK(pages > 1);
    CHECK(found.size() == 1000);
    CHECK(found["f123"] == "v123");
  }

  TEST_CASE("HSCAN MATCH on a hashtable filters by field name") {
    Fixture f;
    f.fill("h", 600);
    const redpad::Reply page = f.run({"HSCAN", "h", "0", "MATCH", "f59?", "COUNT", "1000"});
    CHECK(page.elements[0].str == "0");
    std::set<std::string> fields;
    const auto& items = page.elements[1].elements;
    for (size_t i = 0; i < items.size(); i += 2)
      fields.insert(items[i].str);
    CHECK(fields == std::set<std::string>{"f590", "f591", "f592", "f593", "f594", "f595", "f596",
                                          "f597", "f598", "f599"});
  }

  // ---- types, WATCH, stats, scale ----

  TEST_CASE("hash commands on a string and string commands on a hash are WRONGTYPE") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"HSET", "h", "a", "1"});
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"HSET", "s", "a", "1"},
             {"HSETNX", "s", "a", "1"},
             {"HGET", "s", "a"},
             {"HMGET", "s", "a"},
             {"HGETALL", "s"},
             {"HDEL", "s", "a"},
             {"HLEN", "s"},
             {"HSTRLEN", "s", "a"},
             {"HRANDFIELD", "s"},
             {"HSCAN", "s", "0"},
             {"GET", "h"},
             {"INCR", "h"},
             {"APPEND", "h", "x"},
             {"LPUSH", "h", "x"},
         }) {
      CAPTURE(args[0]);
      CHECK(f.cli(args) == kWrongTypeShown);
    }
    CHECK(f.cli({"HGETALL", "h"}) == lines({"1) \"a\"", "2) \"1\""}));
  }

  TEST_CASE("hash writes keep the key's time to live") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1", "b", "2"});
    f.cli({"EXPIRE", "h", "100"});
    f.cli({"HSET", "h", "c", "3"});
    f.cli({"HINCRBY", "h", "a", "1"});
    f.cli({"HINCRBYFLOAT", "h", "a", "1"});
    f.cli({"HDEL", "h", "b"});
    CHECK(f.cli({"TTL", "h"}) == "(integer) 100\n");
  }

  TEST_CASE("WATCH is touched by hash writes that store, not by those that do nothing") {
    Fixture f;
    auto exec_after = [&](const std::vector<std::string>& write) {
      f.cli({"WATCH", "h"});
      f.cli(write);
      f.cli({"MULTI"});
      f.cli({"PING"});
      return f.cli({"EXEC"});
    };
    f.cli({"HSET", "h", "a", "1"});
    CHECK(exec_after({"HSET", "h", "a", "1"}) == "(nil)\n");
    CHECK(exec_after({"HINCRBY", "h", "a", "0"}) == "(nil)\n");
    CHECK(exec_after({"HINCRBYFLOAT", "h", "a", "0"}) == "(nil)\n");
    CHECK(exec_after({"HSETNX", "h", "a", "2"}) == "1) PONG\n");
    CHECK(exec_after({"HDEL", "h", "zz"}) == "1) PONG\n");
    CHECK(exec_after({"HINCRBY", "h", "a", "x"}) == "1) PONG\n");
  }

  TEST_CASE("hash reads count keyspace hits and misses, writes do not") {
    Fixture f;
    f.cli({"HSET", "h", "a", "1"});
    const auto hits = f.server.stats().keyspace_hits;
    const auto misses = f.server.stats().keyspace_misses;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"HGET", "h", "a"},
             {"HMGET", "h", "a"},
             {"HGETALL", "h"},
             {"HKEYS", "h"},
             {"HVALS", "h"},
             {"HLEN", "h"},
             {"HEXISTS", "h", "a"},
             {"HSTRLEN", "h", "a"},
             {"HRANDFIELD", "h"},
             {"HSCAN", "h", "0"},
             {"HGET", "missing", "a"},
             {"HSCAN", "missing", "0"},
             {"HSET", "h", "a", "2"},
             {"HSETNX", "h", "a", "2"},
             {"HDEL", "h", "zz"},
             {"HINCRBY", "h", "a", "1"},
         }) {
      f.cli(args);
    }
    CHECK(f.server.stats().keyspace_hits - hits == 10);
    CHECK(f.server.stats().keyspace_misses - misses == 2);
  }

  TEST_CASE("a million fields: set, read, delete most, and the rest is intact") {
    Fixture f;
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i)
      f.run({"HSET", "big", std::to_string(i), "v"});
    CHECK(f.cli({"HLEN", "big"}) == "(integer) 1000000\n");
    CHECK(f.cli({"HGET", "big", "765432"}) == "\"v\"\n");
    for (int i = 0; i < n; ++i) {
      if (i % 10 != 0) f.run({"HDEL", "big", std::to_string(i)});
    }
    CHECK(f.cli({"HLEN", "big"}) == "(integer) 100000\n");
    CHECK(f.cli({"HEXISTS", "big", "765430"}) == "(integer) 1\n");
    CHECK(f.cli({"HEXISTS", "big", "765432"}) == "(integer) 0\n");
    const std::vector<std::string> keys = f.strings({"HKEYS", "big"});
    REQUIRE(keys.size() == 100000);
    CHECK(keys.front() == "0");
    CHECK(keys[1] == "10");
    CHECK(keys.back() == "999990");
    const std::vector<std::string> picked = f.strings({"HRANDFIELD", "big", "-20"});
    REQUIRE(picked.size() == 20);
    for (const std::string& field : picked)
      CHECK(std::stoi(field) % 10 == 0);
  }
}

TEST_CASE("HRANDFIELD refuses a negative count beyond a million instead of exhausting memory") {
  Fixture f;
  f.fill("h", 1);
  CHECK(f.cli({"HRANDFIELD", "h", "-200000000"}) ==
        "(error) ERR redpad returns at most 1000000 members for HRANDFIELD with a negative "
        "count\n");
  CHECK(f.strings({"HRANDFIELD", "h", "-1000000"}).size() == 1000000);
}
