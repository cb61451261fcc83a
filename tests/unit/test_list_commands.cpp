// List commands, each reply checked against Redis 7.0.15 (redis-cli --no-raw).
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"

namespace {

redpad::ServerConfig test_config() {
  redpad::ServerConfig config;
  config.start_time_ms = 1'700'000'000'000;
  return config;
}

struct Fixture {
  redpad::Server server{test_config()};

  redpad::Reply reply(const std::vector<std::string>& args) {
    return server.execute(server.default_session(), args);
  }
  std::string run(const std::vector<std::string>& args) {
    return redpad::format_reply_cli(reply(args));
  }
};

// redis-cli's lines, each ending in a newline.
std::string lines(std::initializer_list<const char*> items) {
  std::string out;
  for (const char* item : items)
    out += std::string(item) + "\n";
  return out;
}

const char* const kWrongType =
    "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n";

}  // namespace

TEST_SUITE("lists") {
  // ---- pushes ----

  TEST_CASE("LPUSH adds each argument at the head in turn") {
    Fixture f;
    CHECK(f.run({"LPUSH", "l", "a"}) == "(integer) 1\n");
    CHECK(f.run({"LPUSH", "l", "b", "c", "d"}) == "(integer) 4\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"d\"", "2) \"c\"", "3) \"b\"", "4) \"a\""}));
    CHECK(f.run({"TYPE", "l"}) == "list\n");
  }

  TEST_CASE("RPUSH appends at the tail and LLEN counts") {
    Fixture f;
    CHECK(f.run({"RPUSH", "l", "a", "b"}) == "(integer) 2\n");
    CHECK(f.run({"LPUSH", "l", "h"}) == "(integer) 3\n");
    CHECK(f.run({"RPUSH", "l", "", "c"}) == "(integer) 5\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"h\"", "2) \"a\"", "3) \"b\"", "4) \"\"", "5) \"c\""}));
    CHECK(f.run({"LLEN", "l"}) == "(integer) 5\n");
    CHECK(f.run({"LLEN", "missing"}) == "(integer) 0\n");
  }

  TEST_CASE("LPUSHX and RPUSHX push only onto an existing list") {
    Fixture f;
    CHECK(f.run({"LPUSHX", "l", "a"}) == "(integer) 0\n");
    CHECK(f.run({"RPUSHX", "l", "a", "b"}) == "(integer) 0\n");
    CHECK(f.run({"EXISTS", "l"}) == "(integer) 0\n");
    f.run({"RPUSH", "l", "m"});
    CHECK(f.run({"LPUSHX", "l", "a", "b"}) == "(integer) 3\n");
    CHECK(f.run({"RPUSHX", "l", "y", "z"}) == "(integer) 5\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"a\"", "3) \"m\"", "4) \"y\"", "5) \"z\""}));
  }

  TEST_CASE("pushes and pops keep the key's time to live") {
    Fixture f;
    f.run({"RPUSH", "l", "a"});
    f.run({"EXPIRE", "l", "100"});
    f.run({"RPUSH", "l", "b"});
    f.run({"LPUSH", "l", "c"});
    f.run({"LPOP", "l"});
    CHECK(f.run({"TTL", "l"}) == "(integer) 100\n");
  }

  TEST_CASE("OBJECT ENCODING of a list is quicklist whatever its size") {
    Fixture f;
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"OBJECT", "ENCODING", "l"}) == "\"quicklist\"\n");
    f.run({"RPUSH", "l", std::string(100, 'x')});
    CHECK(f.run({"OBJECT", "ENCODING", "l"}) == "\"quicklist\"\n");
  }

  // ---- pops ----

  TEST_CASE("LPOP and RPOP take one element from either end") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.run({"LPOP", "l"}) == "\"a\"\n");
    CHECK(f.run({"RPOP", "l"}) == "\"c\"\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) == "1) \"b\"\n");
  }

  TEST_CASE("popping the last element deletes the key") {
    Fixture f;
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"RPOP", "l"}) == "\"a\"\n");
    CHECK(f.run({"EXISTS", "l"}) == "(integer) 0\n");
    CHECK(f.run({"LPOP", "l"}) == "(nil)\n");
    CHECK(f.reply({"LPOP", "l"}).type == redpad::ReplyType::Nil);
  }

  TEST_CASE("LPOP and RPOP with a count return an array, even for one element") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "d", "e"});
    CHECK(f.run({"LPOP", "l", "2"}) == lines({"1) \"a\"", "2) \"b\""}));
    CHECK(f.run({"RPOP", "l", "2"}) == lines({"1) \"e\"", "2) \"d\""}));
    CHECK(f.run({"LPOP", "l", "1"}) == "1) \"c\"\n");
    CHECK(f.run({"EXISTS", "l"}) == "(integer) 0\n");
  }

  TEST_CASE("a pop count larger than the list takes the whole list") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b"});
    CHECK(f.run({"RPOP", "l", "9223372036854775807"}) == lines({"1) \"b\"", "2) \"a\""}));
    CHECK(f.run({"EXISTS", "l"}) == "(integer) 0\n");
  }

  TEST_CASE("pop count 0 is an empty array on a list and a nil array on a missing key") {
    Fixture f;
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"LPOP", "l", "0"}) == "(empty array)\n");
    CHECK(f.run({"LLEN", "l"}) == "(integer) 1\n");
    CHECK(f.reply({"LPOP", "missing", "0"}).type == redpad::ReplyType::NullArray);
    CHECK(f.reply({"RPOP", "missing", "3"}).type == redpad::ReplyType::NullArray);
    CHECK(f.run({"RPOP", "missing", "3"}) == "(nil)\n");
  }

  TEST_CASE("a negative or non-numeric pop count is refused before the key is looked at") {
    Fixture f;
    const char* error = "(error) ERR value is out of range, must be positive\n";
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"LPOP", "l", "-1"}) == error);
    CHECK(f.run({"RPOP", "l", "x"}) == error);
    CHECK(f.run({"LPOP", "l", "9223372036854775808"}) == error);
    CHECK(f.run({"LPOP", "missing", "-1"}) == error);
    CHECK(f.run({"LPOP", "s", "-1"}) == error);
    CHECK(f.run({"LPOP", "s", "0"}) == kWrongType);
    CHECK(f.run({"LLEN", "l"}) == "(integer) 1\n");
  }

  TEST_CASE("LPOP and RPOP take at most one count") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b"});
    CHECK(f.run({"RPOP", "l", "1", "2"}) ==
          "(error) ERR wrong number of arguments for 'rpop' command\n");
    CHECK(f.run({"LPOP", "l", "1", "2"}) ==
          "(error) ERR wrong number of arguments for 'lpop' command\n");
    CHECK(f.run({"LLEN", "l"}) == "(integer) 2\n");
  }

  // ---- reads ----

  TEST_CASE("LRANGE counts negative indexes from the end and clamps to the list") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "d", "e"});
    CHECK(f.run({"LRANGE", "l", "1", "3"}) == lines({"1) \"b\"", "2) \"c\"", "3) \"d\""}));
    CHECK(f.run({"LRANGE", "l", "-2", "-1"}) == lines({"1) \"d\"", "2) \"e\""}));
    CHECK(f.run({"LRANGE", "l", "-3", "2"}) == "1) \"c\"\n");
    CHECK(f.run({"LRANGE", "l", "-100", "1"}) == lines({"1) \"a\"", "2) \"b\""}));
    CHECK(f.run({"LRANGE", "l", "3", "9223372036854775807"}) == lines({"1) \"d\"", "2) \"e\""}));
    CHECK(f.run({"LRANGE", "l", "-9223372036854775808", "0"}) == "1) \"a\"\n");
  }

  TEST_CASE("LRANGE gives an empty array for ranges outside or inverted") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.run({"LRANGE", "l", "3", "10"}) == "(empty array)\n");
    CHECK(f.run({"LRANGE", "l", "2", "1"}) == "(empty array)\n");
    CHECK(f.run({"LRANGE", "l", "-1", "-2"}) == "(empty array)\n");
    CHECK(f.run({"LRANGE", "missing", "0", "-1"}) == "(empty array)\n");
  }

  TEST_CASE("LRANGE checks its indexes before the key") {
    Fixture f;
    f.run({"SET", "s", "v"});
    const char* error = "(error) ERR value is not an integer or out of range\n";
    CHECK(f.run({"LRANGE", "missing", "x", "1"}) == error);
    CHECK(f.run({"LRANGE", "s", "0", "1.5"}) == error);
    CHECK(f.run({"LRANGE", "s", "0", "1"}) == kWrongType);
  }

  TEST_CASE("LINDEX reads one element by position") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.run({"LINDEX", "l", "0"}) == "\"a\"\n");
    CHECK(f.run({"LINDEX", "l", "-1"}) == "\"c\"\n");
    CHECK(f.run({"LINDEX", "l", "-3"}) == "\"a\"\n");
    CHECK(f.run({"LINDEX", "l", "3"}) == "(nil)\n");
    CHECK(f.run({"LINDEX", "l", "-4"}) == "(nil)\n");
    CHECK(f.run({"LINDEX", "l", "-9223372036854775808"}) == "(nil)\n");
  }

  TEST_CASE("LINDEX looks at the key before the index") {
    Fixture f;
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"LINDEX", "missing", "x"}) == "(nil)\n");
    CHECK(f.run({"LINDEX", "s", "x"}) == kWrongType);
    CHECK(f.run({"LINDEX", "l", "x"}) == "(error) ERR value is not an integer or out of range\n");
  }

  // ---- in-place writes ----

  TEST_CASE("LSET replaces an element by position") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.run({"LSET", "l", "0", "A"}) == "OK\n");
    CHECK(f.run({"LSET", "l", "-1", "C"}) == "OK\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) == lines({"1) \"A\"", "2) \"b\"", "3) \"C\""}));
  }

  TEST_CASE("LSET errors: no such key and wrong type before the index, then the range") {
    Fixture f;
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"LSET", "missing", "x", "v"}) == "(error) ERR no such key\n");
    CHECK(f.run({"LSET", "s", "x", "v"}) == kWrongType);
    CHECK(f.run({"LSET", "l", "x", "v"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.run({"LSET", "l", "1", "v"}) == "(error) ERR index out of range\n");
    CHECK(f.run({"LSET", "l", "-2", "v"}) == "(error) ERR index out of range\n");
  }

  TEST_CASE("LREM removes from the head, from the tail, or everywhere") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "a", "c", "a", "b", "a"});
    CHECK(f.run({"LREM", "l", "2", "a"}) == "(integer) 2\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"c\"", "3) \"a\"", "4) \"b\"", "5) \"a\""}));
    CHECK(f.run({"LREM", "l", "-1", "a"}) == "(integer) 1\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"c\"", "3) \"a\"", "4) \"b\""}));
    CHECK(f.run({"LREM", "l", "0", "b"}) == "(integer) 2\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) == lines({"1) \"c\"", "2) \"a\""}));
    CHECK(f.run({"LREM", "l", "0", "zz"}) == "(integer) 0\n");
  }

  TEST_CASE("LREM with the most negative count removes every copy and the key") {
    Fixture f;
    f.run({"RPUSH", "l", "b", "b"});
    CHECK(f.run({"LREM", "l", "-9223372036854775808", "b"}) == "(integer) 2\n");
    CHECK(f.run({"EXISTS", "l"}) == "(integer) 0\n");
  }

  TEST_CASE("LREM checks the count before the key") {
    Fixture f;
    f.run({"SET", "s", "v"});
    CHECK(f.run({"LREM", "missing", "x", "a"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.run({"LREM", "s", "x", "a"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.run({"LREM", "s", "0", "a"}) == kWrongType);
    CHECK(f.run({"LREM", "missing", "0", "a"}) == "(integer) 0\n");
  }

  TEST_CASE("LINSERT puts an element next to the first matching pivot") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "p", "b", "p"});
    CHECK(f.run({"LINSERT", "l", "AFTER", "p", "X"}) == "(integer) 5\n");
    CHECK(f.run({"LINSERT", "l", "before", "p", "Y"}) == "(integer) 6\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"a\"", "2) \"Y\"", "3) \"p\"", "4) \"X\"", "5) \"b\"", "6) \"p\""}));
  }

  TEST_CASE("LINSERT answers -1 without a pivot and 0 without a key") {
    Fixture f;
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"LINSERT", "l", "BEFORE", "zz", "x"}) == "(integer) -1\n");
    CHECK(f.run({"LINSERT", "missing", "BEFORE", "a", "x"}) == "(integer) 0\n");
    CHECK(f.run({"EXISTS", "missing"}) == "(integer) 0\n");
  }

  TEST_CASE("LINSERT checks BEFORE or AFTER before the key") {
    Fixture f;
    f.run({"SET", "s", "v"});
    CHECK(f.run({"LINSERT", "s", "MIDDLE", "a", "x"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LINSERT", "missing", "MIDDLE", "a", "x"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LINSERT", "s", "BEFORE", "a", "x"}) == kWrongType);
  }

  TEST_CASE("LTRIM keeps a range and an empty range deletes the key") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "d", "e"});
    CHECK(f.run({"LTRIM", "l", "1", "-2"}) == "OK\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) == lines({"1) \"b\"", "2) \"c\"", "3) \"d\""}));
    CHECK(f.run({"LTRIM", "l", "-100", "100"}) == "OK\n");
    CHECK(f.run({"LLEN", "l"}) == "(integer) 3\n");
    CHECK(f.run({"LTRIM", "l", "2", "1"}) == "OK\n");
    CHECK(f.run({"EXISTS", "l"}) == "(integer) 0\n");
    CHECK(f.run({"LTRIM", "missing", "0", "1"}) == "OK\n");
    CHECK(f.run({"LTRIM", "missing", "x", "1"}) ==
          "(error) ERR value is not an integer or out of range\n");
  }

  // ---- LPOS ----

  TEST_CASE("LPOS finds a match by rank from the head or the tail") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.run({"LPOS", "l", "a"}) == "(integer) 0\n");
    CHECK(f.run({"LPOS", "l", "c"}) == "(integer) 2\n");
    CHECK(f.run({"LPOS", "l", "a", "RANK", "2"}) == "(integer) 3\n");
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-1"}) == "(integer) 6\n");
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-3"}) == "(integer) 0\n");
    CHECK(f.run({"LPOS", "l", "a", "RANK", "4"}) == "(nil)\n");
    CHECK(f.run({"LPOS", "l", "zz"}) == "(nil)\n");
  }

  TEST_CASE("LPOS COUNT returns positions, COUNT 0 all of them") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.run({"LPOS", "l", "a", "COUNT", "0"}) ==
          lines({"1) (integer) 0", "2) (integer) 3", "3) (integer) 6"}));
    CHECK(f.run({"LPOS", "l", "a", "COUNT", "2"}) == lines({"1) (integer) 0", "2) (integer) 3"}));
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-2", "COUNT", "0"}) ==
          lines({"1) (integer) 3", "2) (integer) 0"}));
    CHECK(f.run({"LPOS", "l", "a", "RANK", "3", "COUNT", "2"}) == "1) (integer) 6\n");
    CHECK(f.run({"LPOS", "l", "zz", "COUNT", "0"}) == "(empty array)\n");
    CHECK(f.run({"LPOS", "missing", "a", "COUNT", "1"}) == "(empty array)\n");
    CHECK(f.run({"LPOS", "missing", "a"}) == "(nil)\n");
  }

  TEST_CASE("LPOS MAXLEN limits how many elements are compared") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.run({"LPOS", "l", "b", "MAXLEN", "1"}) == "(nil)\n");
    CHECK(f.run({"LPOS", "l", "a", "MAXLEN", "3", "COUNT", "0"}) == "1) (integer) 0\n");
    CHECK(f.run({"LPOS", "l", "a", "MAXLEN", "4", "COUNT", "0"}) ==
          lines({"1) (integer) 0", "2) (integer) 3"}));
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-1", "COUNT", "0", "MAXLEN", "4"}) ==
          lines({"1) (integer) 6", "2) (integer) 3"}));
  }

  TEST_CASE("LPOS RANK -9223372036854775808 counts every match from the tail") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-9223372036854775808"}) == "(integer) 6\n");
    // COUNT no longer stops the search: Redis's count check overflows for this rank.
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"}) ==
          lines({"1) (integer) 6", "2) (integer) 3", "3) (integer) 0"}));
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-9223372036854775808", "MAXLEN", "4", "COUNT", "1"}) ==
          lines({"1) (integer) 6", "2) (integer) 3"}));
    CHECK(f.run({"LPOS", "l", "a", "RANK", "-9223372036854775807"}) == "(nil)\n");
  }

  TEST_CASE("LPOS checks its options in order, before the key") {
    Fixture f;
    const char* rank_zero =
        "(error) ERR RANK can't be zero: use 1 to start from the first match, 2 from the second "
        "... or use negative to start from the end of the list\n";
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "l", "a"});
    CHECK(f.run({"LPOS", "l", "a", "RANK", "0"}) == rank_zero);
    CHECK(f.run({"LPOS", "s", "a", "RANK", "0"}) == rank_zero);
    CHECK(f.run({"LPOS", "l", "a", "RANK", "0", "COUNT", "-1"}) == rank_zero);
    CHECK(f.run({"LPOS", "l", "a", "COUNT", "-1", "RANK", "0"}) ==
          "(error) ERR COUNT can't be negative\n");
    CHECK(f.run({"LPOS", "l", "a", "COUNT", "x"}) == "(error) ERR COUNT can't be negative\n");
    CHECK(f.run({"LPOS", "l", "a", "MAXLEN", "x"}) == "(error) ERR MAXLEN can't be negative\n");
    CHECK(f.run({"LPOS", "l", "a", "RANK", "x"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.run({"LPOS", "l", "a", "FOO", "RANK", "0"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LPOS", "l", "a", "RANK"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LPOS", "s", "a", "FOO"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LPOS", "s", "a"}) == kWrongType);
    CHECK(f.run({"LPOS", "l", "a", "RANK", "1", "RANK", "-1"}) == "(integer) 0\n");
  }

  // ---- moves ----

  TEST_CASE("LMOVE moves an element between any two ends") {
    Fixture f;
    f.run({"RPUSH", "src", "a", "b", "c", "d"});
    CHECK(f.run({"LMOVE", "src", "dst", "LEFT", "RIGHT"}) == "\"a\"\n");
    CHECK(f.run({"LMOVE", "src", "dst", "RIGHT", "LEFT"}) == "\"d\"\n");
    CHECK(f.run({"LMOVE", "src", "dst", "left", "left"}) == "\"b\"\n");
    CHECK(f.run({"LMOVE", "src", "dst", "Right", "Right"}) == "\"c\"\n");
    CHECK(f.run({"LRANGE", "dst", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"d\"", "3) \"a\"", "4) \"c\""}));
    CHECK(f.run({"EXISTS", "src"}) == "(integer) 0\n");
    CHECK(f.run({"LMOVE", "src", "dst", "LEFT", "RIGHT"}) == "(nil)\n");
  }

  TEST_CASE("LMOVE onto the same list rotates it and never deletes it") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.run({"LMOVE", "l", "l", "LEFT", "RIGHT"}) == "\"a\"\n");
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) == lines({"1) \"b\"", "2) \"c\"", "3) \"a\""}));
    f.run({"RPUSH", "one", "x"});
    CHECK(f.run({"LMOVE", "one", "one", "LEFT", "LEFT"}) == "\"x\"\n");
    CHECK(f.run({"RPOPLPUSH", "one", "one"}) == "\"x\"\n");
    CHECK(f.run({"LRANGE", "one", "0", "-1"}) == "1) \"x\"\n");
  }

  TEST_CASE("LMOVE checks directions, then the source, then the destination's type") {
    Fixture f;
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "src", "a", "b"});
    CHECK(f.run({"LMOVE", "missing", "dst", "UP", "RIGHT"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LMOVE", "src", "dst", "LEFT", "DOWN"}) == "(error) ERR syntax error\n");
    CHECK(f.run({"LMOVE", "missing", "s", "LEFT", "RIGHT"}) == "(nil)\n");
    CHECK(f.run({"LMOVE", "s", "src", "LEFT", "RIGHT"}) == kWrongType);
    CHECK(f.run({"LMOVE", "src", "s", "LEFT", "RIGHT"}) == kWrongType);
    CHECK(f.run({"LRANGE", "src", "0", "-1"}) == lines({"1) \"a\"", "2) \"b\""}));
  }

  TEST_CASE("LMOVE into an existing list keeps its TTL and deletes an emptied source") {
    Fixture f;
    f.run({"RPUSH", "src", "a"});
    f.run({"RPUSH", "dst", "b"});
    f.run({"EXPIRE", "dst", "100"});
    CHECK(f.run({"LMOVE", "src", "dst", "LEFT", "LEFT"}) == "\"a\"\n");
    CHECK(f.run({"TTL", "dst"}) == "(integer) 100\n");
    CHECK(f.run({"EXISTS", "src"}) == "(integer) 0\n");
  }

  TEST_CASE("RPOPLPUSH moves the tail of one list to the head of another") {
    Fixture f;
    f.run({"RPUSH", "src", "a", "b", "c"});
    CHECK(f.run({"RPOPLPUSH", "src", "dst"}) == "\"c\"\n");
    CHECK(f.run({"RPOPLPUSH", "src", "dst"}) == "\"b\"\n");
    CHECK(f.run({"LRANGE", "dst", "0", "-1"}) == lines({"1) \"b\"", "2) \"c\""}));
    CHECK(f.run({"RPOPLPUSH", "missing", "dst"}) == "(nil)\n");
  }

  // ---- LMPOP ----

  TEST_CASE("LMPOP pops from the first non-empty list, COUNT at a time") {
    Fixture f;
    f.run({"RPUSH", "l1", "a", "b", "c"});
    f.run({"RPUSH", "l2", "x", "y"});
    CHECK(f.run({"LMPOP", "2", "missing", "l1", "LEFT"}) == lines({"1) \"l1\"", "2) 1) \"a\""}));
    CHECK(f.run({"LMPOP", "2", "missing", "l1", "RIGHT", "COUNT", "5"}) ==
          lines({"1) \"l1\"", "2) 1) \"c\"", "   2) \"b\""}));
    CHECK(f.run({"EXISTS", "l1"}) == "(integer) 0\n");
    CHECK(f.run({"LMPOP", "2", "l1", "l2", "left", "count", "1"}) ==
          lines({"1) \"l2\"", "2) 1) \"x\""}));
  }

  TEST_CASE("LMPOP with nothing to pop is a nil array") {
    Fixture f;
    CHECK(f.reply({"LMPOP", "2", "a", "b", "LEFT"}).type == redpad::ReplyType::NullArray);
    CHECK(f.run({"LMPOP", "1", "a", "RIGHT", "COUNT", "3"}) == "(nil)\n");
  }

  TEST_CASE("LMPOP numkeys, direction and COUNT errors") {
    Fixture f;
    f.run({"RPUSH", "l", "a"});
    const char* numkeys = "(error) ERR numkeys should be greater than 0\n";
    const char* count = "(error) ERR count should be greater than 0\n";
    const char* syntax = "(error) ERR syntax error\n";
    CHECK(f.run({"LMPOP", "0", "l", "LEFT"}) == numkeys);
    CHECK(f.run({"LMPOP", "-1", "l", "LEFT"}) == numkeys);
    CHECK(f.run({"LMPOP", "x", "l", "LEFT"}) == numkeys);
    CHECK(f.run({"LMPOP", "2", "l", "LEFT"}) == syntax);
    CHECK(f.run({"LMPOP", "9223372036854775807", "l", "LEFT"}) == syntax);
    CHECK(f.run({"LMPOP", "1", "l", "MIDDLE"}) == syntax);
    CHECK(f.run({"LMPOP", "1", "l", "LEFT", "COUNT"}) == syntax);
    CHECK(f.run({"LMPOP", "1", "l", "LEFT", "COUNT", "0"}) == count);
    CHECK(f.run({"LMPOP", "1", "l", "LEFT", "COUNT", "x"}) == count);
    CHECK(f.run({"LMPOP", "1", "l", "LEFT", "COUNT", "0", "FOO"}) == count);
    CHECK(f.run({"LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "2"}) == syntax);
    CHECK(f.run({"LMPOP", "1", "l"}) ==
          "(error) ERR wrong number of arguments for 'lmpop' command\n");
    CHECK(f.run({"LLEN", "l"}) == "(integer) 1\n");
  }

  TEST_CASE("LMPOP stops at a wrong type only if no list came before it") {
    Fixture f;
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "l", "a", "b"});
    CHECK(f.run({"LMPOP", "2", "missing", "s", "LEFT"}) == kWrongType);
    CHECK(f.run({"LMPOP", "2", "s", "l", "LEFT"}) == kWrongType);
    CHECK(f.run({"LMPOP", "2", "l", "s", "LEFT"}) == lines({"1) \"l\"", "2) 1) \"a\""}));
  }

  // ---- types, WATCH, stats ----

  TEST_CASE("list commands on a string and string commands on a list are WRONGTYPE") {
    Fixture f;
    f.run({"SET", "s", "v"});
    f.run({"RPUSH", "l", "a"});
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"LPUSH", "s", "a"},
             {"RPUSHX", "s", "a"},
             {"RPOP", "s"},
             {"LLEN", "s"},
             {"LINDEX", "s", "0"},
             {"LTRIM", "s", "0", "1"},
             {"LPOS", "s", "a", "COUNT", "0"},
             {"GET", "l"},
             {"APPEND", "l", "x"},
             {"INCR", "l"},
             {"SETRANGE", "l", "0", "x"},
             {"HGET", "l", "f"},
         }) {
      CAPTURE(args[0]);
      CHECK(f.run(args) == kWrongType);
    }
    CHECK(f.run({"GET", "s"}) == "\"v\"\n");
    CHECK(f.run({"LLEN", "l"}) == "(integer) 1\n");
  }

  TEST_CASE("COPY makes an independent list") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b"});
    f.run({"COPY", "l", "l2"});
    f.run({"RPUSH", "l2", "c"});
    CHECK(f.run({"LRANGE", "l", "0", "-1"}) == lines({"1) \"a\"", "2) \"b\""}));
    CHECK(f.run({"LLEN", "l2"}) == "(integer) 3\n");
  }

  TEST_CASE("WATCH is touched by list writes, even no-op ones on an existing list") {
    Fixture f;
    auto exec_after = [&](const std::vector<std::string>& write) {
      f.run({"WATCH", "l"});
      f.run(write);
      f.run({"MULTI"});
      f.run({"PING"});
      return f.run({"EXEC"});
    };
    f.run({"RPUSH", "l", "a", "b"});
    CHECK(exec_after({"LTRIM", "l", "0", "-1"}) == "(nil)\n");
    CHECK(exec_after({"LSET", "l", "0", "a"}) == "(nil)\n");
    CHECK(exec_after({"LMOVE", "l", "l", "LEFT", "RIGHT"}) == "(nil)\n");
    CHECK(exec_after({"LREM", "l", "0", "zz"}) == "1) PONG\n");
    CHECK(exec_after({"LINSERT", "l", "BEFORE", "zz", "x"}) == "1) PONG\n");
    CHECK(exec_after({"LPOP", "l", "0"}) == "1) PONG\n");
    CHECK(exec_after({"LPOS", "l", "a"}) == "1) PONG\n");
  }

  TEST_CASE("list reads count keyspace hits and misses, writes do not") {
    Fixture f;
    f.run({"RPUSH", "l", "a", "b"});
    const auto hits = f.server.stats().keyspace_hits;
    const auto misses = f.server.stats().keyspace_misses;
    f.run({"LLEN", "l"});
    f.run({"LRANGE", "l", "0", "-1"});
    f.run({"LINDEX", "l", "0"});
    f.run({"LPOS", "l", "a"});
    f.run({"LLEN", "missing"});
    f.run({"LPOP", "missing"});
    f.run({"LSET", "l", "0", "a"});
    f.run({"LMOVE", "missing", "l", "LEFT", "LEFT"});
    CHECK(f.server.stats().keyspace_hits - hits == 4);
    CHECK(f.server.stats().keyspace_misses - misses == 1);
  }

  TEST_CASE("a million pushes and pops at both ends") {
    Fixture f;
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i) {
      f.reply({i % 2 == 0 ? "LPUSH" : "RPUSH", "big", std::to_string(i)});
    }
    CHECK(f.run({"LLEN", "big"}) == "(integer) 1000000\n");
    CHECK(f.run({"LINDEX", "big", "0"}) == "\"999998\"\n");
    CHECK(f.run({"LINDEX", "big", "-1"}) == "\"999999\"\n");
    for (int i = 0; i < n / 2; ++i) {
      f.reply({"LPOP", "big"});
      f.reply({"RPOP", "big"});
    }
    CHECK(f.run({"EXISTS", "big"}) == "(integer) 0\n");
  }
}
