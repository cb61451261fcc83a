// List commands, each reply checked against Redis 7.0.15 (redis-cli --no-raw).
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"

namespace {

using Fixture = redpad::test::TestServer;

using redpad::test::lines;

using redpad::test::kWrongTypeShown;

}  // namespace

TEST_SUITE("lists") {
  // ---- pushes ----

  TEST_CASE("LPUSH adds each argument at the head in turn") {
    Fixture f;
    CHECK(f.cli({"LPUSH", "l", "a"}) == "(integer) 1\n");
    CHECK(f.cli({"LPUSH", "l", "b", "c", "d"}) == "(integer) 4\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"d\"", "2) \"c\"", "3) \"b\"", "4) \"a\""}));
    CHECK(f.cli({"TYPE", "l"}) == "list\n");
  }

  TEST_CASE("RPUSH appends at the tail and LLEN counts") {
    Fixture f;
    CHECK(f.cli({"RPUSH", "l", "a", "b"}) == "(integer) 2\n");
    CHECK(f.cli({"LPUSH", "l", "h"}) == "(integer) 3\n");
    CHECK(f.cli({"RPUSH", "l", "", "c"}) == "(integer) 5\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"h\"", "2) \"a\"", "3) \"b\"", "4) \"\"", "5) \"c\""}));
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 5\n");
    CHECK(f.cli({"LLEN", "missing"}) == "(integer) 0\n");
  }

  TEST_CASE("LPUSHX and RPUSHX push only onto an existing list") {
    Fixture f;
    CHECK(f.cli({"LPUSHX", "l", "a"}) == "(integer) 0\n");
    CHECK(f.cli({"RPUSHX", "l", "a", "b"}) == "(integer) 0\n");
    CHECK(f.cli({"EXISTS", "l"}) == "(integer) 0\n");
    f.cli({"RPUSH", "l", "m"});
    CHECK(f.cli({"LPUSHX", "l", "a", "b"}) == "(integer) 3\n");
    CHECK(f.cli({"RPUSHX", "l", "y", "z"}) == "(integer) 5\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"a\"", "3) \"m\"", "4) \"y\"", "5) \"z\""}));
  }

  TEST_CASE("pushes and pops keep the key's time to live") {
    Fixture f;
    f.cli({"RPUSH", "l", "a"});
    f.cli({"EXPIRE", "l", "100"});
    f.cli({"RPUSH", "l", "b"});
    f.cli({"LPUSH", "l", "c"});
    f.cli({"LPOP", "l"});
    CHECK(f.cli({"TTL", "l"}) == "(integer) 100\n");
  }

  TEST_CASE("OBJECT ENCODING of a list is quicklist whatever its size") {
    Fixture f;
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"OBJECT", "ENCODING", "l"}) == "\"quicklist\"\n");
    f.cli({"RPUSH", "l", std::string(100, 'x')});
    CHECK(f.cli({"OBJECT", "ENCODING", "l"}) == "\"quicklist\"\n");
  }

  // ---- pops ----

  TEST_CASE("LPOP and RPOP take one element from either end") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.cli({"LPOP", "l"}) == "\"a\"\n");
    CHECK(f.cli({"RPOP", "l"}) == "\"c\"\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) == "1) \"b\"\n");
  }

  TEST_CASE("popping the last element deletes the key") {
    Fixture f;
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"RPOP", "l"}) == "\"a\"\n");
    CHECK(f.cli({"EXISTS", "l"}) == "(integer) 0\n");
    CHECK(f.cli({"LPOP", "l"}) == "(nil)\n");
    CHECK(f.run({"LPOP", "l"}).type == redpad::ReplyType::Nil);
  }

  TEST_CASE("LPOP and RPOP with a count return an array, even for one element") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "d", "e"});
    CHECK(f.cli({"LPOP", "l", "2"}) == lines({"1) \"a\"", "2) \"b\""}));
    CHECK(f.cli({"RPOP", "l", "2"}) == lines({"1) \"e\"", "2) \"d\""}));
    CHECK(f.cli({"LPOP", "l", "1"}) == "1) \"c\"\n");
    CHECK(f.cli({"EXISTS", "l"}) == "(integer) 0\n");
  }

  TEST_CASE("a pop count larger than the list takes the whole list") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b"});
    CHECK(f.cli({"RPOP", "l", "9223372036854775807"}) == lines({"1) \"b\"", "2) \"a\""}));
    CHECK(f.cli({"EXISTS", "l"}) == "(integer) 0\n");
  }

  TEST_CASE("pop count 0 is an empty array on a list and a nil array on a missing key") {
    Fixture f;
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"LPOP", "l", "0"}) == "(empty array)\n");
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 1\n");
    CHECK(f.run({"LPOP", "missing", "0"}).type == redpad::ReplyType::NullArray);
    CHECK(f.run({"RPOP", "missing", "3"}).type == redpad::ReplyType::NullArray);
    CHECK(f.cli({"RPOP", "missing", "3"}) == "(nil)\n");
  }

  TEST_CASE("a negative or non-numeric pop count is refused before the key is looked at") {
    Fixture f;
    const char* error = "(error) ERR value is out of range, must be positive\n";
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"LPOP", "l", "-1"}) == error);
    CHECK(f.cli({"RPOP", "l", "x"}) == error);
    CHECK(f.cli({"LPOP", "l", "9223372036854775808"}) == error);
    CHECK(f.cli({"LPOP", "missing", "-1"}) == error);
    CHECK(f.cli({"LPOP", "s", "-1"}) == error);
    CHECK(f.cli({"LPOP", "s", "0"}) == kWrongTypeShown);
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 1\n");
  }

  TEST_CASE("LPOP and RPOP take at most one count") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b"});
    CHECK(f.cli({"RPOP", "l", "1", "2"}) ==
          "(error) ERR wrong number of arguments for 'rpop' command\n");
    CHECK(f.cli({"LPOP", "l", "1", "2"}) ==
          "(error) ERR wrong number of arguments for 'lpop' command\n");
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 2\n");
  }

  // ---- reads ----

  TEST_CASE("LRANGE counts negative indexes from the end and clamps to the list") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "d", "e"});
    CHECK(f.cli({"LRANGE", "l", "1", "3"}) == lines({"1) \"b\"", "2) \"c\"", "3) \"d\""}));
    CHECK(f.cli({"LRANGE", "l", "-2", "-1"}) == lines({"1) \"d\"", "2) \"e\""}));
    CHECK(f.cli({"LRANGE", "l", "-3", "2"}) == "1) \"c\"\n");
    CHECK(f.cli({"LRANGE", "l", "-100", "1"}) == lines({"1) \"a\"", "2) \"b\""}));
    CHECK(f.cli({"LRANGE", "l", "3", "9223372036854775807"}) == lines({"1) \"d\"", "2) \"e\""}));
    CHECK(f.cli({"LRANGE", "l", "-9223372036854775808", "0"}) == "1) \"a\"\n");
  }

  TEST_CASE("LRANGE gives an empty array for ranges outside or inverted") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.cli({"LRANGE", "l", "3", "10"}) == "(empty array)\n");
    CHECK(f.cli({"LRANGE", "l", "2", "1"}) == "(empty array)\n");
    CHECK(f.cli({"LRANGE", "l", "-1", "-2"}) == "(empty array)\n");
    CHECK(f.cli({"LRANGE", "missing", "0", "-1"}) == "(empty array)\n");
  }

  TEST_CASE("LRANGE checks its indexes before the key") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    const char* error = "(error) ERR value is not an integer or out of range\n";
    CHECK(f.cli({"LRANGE", "missing", "x", "1"}) == error);
    CHECK(f.cli({"LRANGE", "s", "0", "1.5"}) == error);
    CHECK(f.cli({"LRANGE", "s", "0", "1"}) == kWrongTypeShown);
  }

  TEST_CASE("LINDEX reads one element by position") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.cli({"LINDEX", "l", "0"}) == "\"a\"\n");
    CHECK(f.cli({"LINDEX", "l", "-1"}) == "\"c\"\n");
    CHECK(f.cli({"LINDEX", "l", "-3"}) == "\"a\"\n");
    CHECK(f.cli({"LINDEX", "l", "3"}) == "(nil)\n");
    CHECK(f.cli({"LINDEX", "l", "-4"}) == "(nil)\n");
    CHECK(f.cli({"LINDEX", "l", "-9223372036854775808"}) == "(nil)\n");
  }

  TEST_CASE("LINDEX looks at the key before the index") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"LINDEX", "missing", "x"}) == "(nil)\n");
    CHECK(f.cli({"LINDEX", "s", "x"}) == kWrongTypeShown);
    CHECK(f.cli({"LINDEX", "l", "x"}) == "(error) ERR value is not an integer or out of range\n");
  }

  // ---- in-place writes ----

  TEST_CASE("LSET replaces an element by position") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.cli({"LSET", "l", "0", "A"}) == "OK\n");
    CHECK(f.cli({"LSET", "l", "-1", "C"}) == "OK\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) == lines({"1) \"A\"", "2) \"b\"", "3) \"C\""}));
  }

  TEST_CASE("LSET errors: no such key and wrong type before the index, then the range") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"LSET", "missing", "x", "v"}) == "(error) ERR no such key\n");
    CHECK(f.cli({"LSET", "s", "x", "v"}) == kWrongTypeShown);
    CHECK(f.cli({"LSET", "l", "x", "v"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"LSET", "l", "1", "v"}) == "(error) ERR index out of range\n");
    CHECK(f.cli({"LSET", "l", "-2", "v"}) == "(error) ERR index out of range\n");
  }

  TEST_CASE("LREM removes from the head, from the tail, or everywhere") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "a", "c", "a", "b", "a"});
    CHECK(f.cli({"LREM", "l", "2", "a"}) == "(integer) 2\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"c\"", "3) \"a\"", "4) \"b\"", "5) \"a\""}));
    CHECK(f.cli({"LREM", "l", "-1", "a"}) == "(integer) 1\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"c\"", "3) \"a\"", "4) \"b\""}));
    CHECK(f.cli({"LREM", "l", "0", "b"}) == "(integer) 2\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) == lines({"1) \"c\"", "2) \"a\""}));
    CHECK(f.cli({"LREM", "l", "0", "zz"}) == "(integer) 0\n");
  }

  TEST_CASE("LREM with the most negative count removes every copy and the key") {
    Fixture f;
    f.cli({"RPUSH", "l", "b", "b"});
    CHECK(f.cli({"LREM", "l", "-9223372036854775808", "b"}) == "(integer) 2\n");
    CHECK(f.cli({"EXISTS", "l"}) == "(integer) 0\n");
  }

  TEST_CASE("LREM checks the count before the key") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    CHECK(f.cli({"LREM", "missing", "x", "a"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"LREM", "s", "x", "a"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"LREM", "s", "0", "a"}) == kWrongTypeShown);
    CHECK(f.cli({"LREM", "missing", "0", "a"}) == "(integer) 0\n");
  }

  TEST_CASE("LINSERT puts an element next to the first matching pivot") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "p", "b", "p"});
    CHECK(f.cli({"LINSERT", "l", "AFTER", "p", "X"}) == "(integer) 5\n");
    CHECK(f.cli({"LINSERT", "l", "before", "p", "Y"}) == "(integer) 6\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) ==
          lines({"1) \"a\"", "2) \"Y\"", "3) \"p\"", "4) \"X\"", "5) \"b\"", "6) \"p\""}));
  }

  TEST_CASE("LINSERT answers -1 without a pivot and 0 without a key") {
    Fixture f;
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"LINSERT", "l", "BEFORE", "zz", "x"}) == "(integer) -1\n");
    CHECK(f.cli({"LINSERT", "missing", "BEFORE", "a", "x"}) == "(integer) 0\n");
    CHECK(f.cli({"EXISTS", "missing"}) == "(integer) 0\n");
  }

  TEST_CASE("LINSERT checks BEFORE or AFTER before the key") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    CHECK(f.cli({"LINSERT", "s", "MIDDLE", "a", "x"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LINSERT", "missing", "MIDDLE", "a", "x"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LINSERT", "s", "BEFORE", "a", "x"}) == kWrongTypeShown);
  }

  TEST_CASE("LTRIM keeps a range and an empty range deletes the key") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "d", "e"});
    CHECK(f.cli({"LTRIM", "l", "1", "-2"}) == "OK\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) == lines({"1) \"b\"", "2) \"c\"", "3) \"d\""}));
    CHECK(f.cli({"LTRIM", "l", "-100", "100"}) == "OK\n");
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 3\n");
    CHECK(f.cli({"LTRIM", "l", "2", "1"}) == "OK\n");
    CHECK(f.cli({"EXISTS", "l"}) == "(integer) 0\n");
    CHECK(f.cli({"LTRIM", "missing", "0", "1"}) == "OK\n");
    CHECK(f.cli({"LTRIM", "missing", "x", "1"}) ==
          "(error) ERR value is not an integer or out of range\n");
  }

  // ---- LPOS ----

  TEST_CASE("LPOS finds a match by rank from the head or the tail") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.cli({"LPOS", "l", "a"}) == "(integer) 0\n");
    CHECK(f.cli({"LPOS", "l", "c"}) == "(integer) 2\n");
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "2"}) == "(integer) 3\n");
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-1"}) == "(integer) 6\n");
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-3"}) == "(integer) 0\n");
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "4"}) == "(nil)\n");
    CHECK(f.cli({"LPOS", "l", "zz"}) == "(nil)\n");
  }

  TEST_CASE("LPOS COUNT returns positions, COUNT 0 all of them") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.cli({"LPOS", "l", "a", "COUNT", "0"}) ==
          lines({"1) (integer) 0", "2) (integer) 3", "3) (integer) 6"}));
    CHECK(f.cli({"LPOS", "l", "a", "COUNT", "2"}) == lines({"1) (integer) 0", "2) (integer) 3"}));
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-2", "COUNT", "0"}) ==
          lines({"1) (integer) 3", "2) (integer) 0"}));
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "3", "COUNT", "2"}) == "1) (integer) 6\n");
    CHECK(f.cli({"LPOS", "l", "zz", "COUNT", "0"}) == "(empty array)\n");
    CHECK(f.cli({"LPOS", "missing", "a", "COUNT", "1"}) == "(empty array)\n");
    CHECK(f.cli({"LPOS", "missing", "a"}) == "(nil)\n");
  }

  TEST_CASE("LPOS MAXLEN limits how many elements are compared") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.cli({"LPOS", "l", "b", "MAXLEN", "1"}) == "(nil)\n");
    CHECK(f.cli({"LPOS", "l", "a", "MAXLEN", "3", "COUNT", "0"}) == "1) (integer) 0\n");
    CHECK(f.cli({"LPOS", "l", "a", "MAXLEN", "4", "COUNT", "0"}) ==
          lines({"1) (integer) 0", "2) (integer) 3"}));
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-1", "COUNT", "0", "MAXLEN", "4"}) ==
          lines({"1) (integer) 6", "2) (integer) 3"}));
  }

  TEST_CASE("LPOS RANK -9223372036854775808 counts every match from the tail") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c", "a", "b", "c", "a"});
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-9223372036854775808"}) == "(integer) 6\n");
    // COUNT no longer stops the search: Redis's count check overflows for this rank.
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"}) ==
          lines({"1) (integer) 6", "2) (integer) 3", "3) (integer) 0"}));
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-9223372036854775808", "MAXLEN", "4", "COUNT", "1"}) ==
          lines({"1) (integer) 6", "2) (integer) 3"}));
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "-9223372036854775807"}) == "(nil)\n");
  }

  TEST_CASE("LPOS checks its options in order, before the key") {
    Fixture f;
    const char* rank_zero =
        "(error) ERR RANK can't be zero: use 1 to start from the first match, 2 from the second "
        "... or use negative to start from the end of the list\n";
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "l", "a"});
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "0"}) == rank_zero);
    CHECK(f.cli({"LPOS", "s", "a", "RANK", "0"}) == rank_zero);
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "0", "COUNT", "-1"}) == rank_zero);
    CHECK(f.cli({"LPOS", "l", "a", "COUNT", "-1", "RANK", "0"}) ==
          "(error) ERR COUNT can't be negative\n");
    CHECK(f.cli({"LPOS", "l", "a", "COUNT", "x"}) == "(error) ERR COUNT can't be negative\n");
    CHECK(f.cli({"LPOS", "l", "a", "MAXLEN", "x"}) == "(error) ERR MAXLEN can't be negative\n");
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "x"}) ==
          "(error) ERR value is not an integer or out of range\n");
    CHECK(f.cli({"LPOS", "l", "a", "FOO", "RANK", "0"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LPOS", "l", "a", "RANK"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LPOS", "s", "a", "FOO"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LPOS", "s", "a"}) == kWrongTypeShown);
    CHECK(f.cli({"LPOS", "l", "a", "RANK", "1", "RANK", "-1"}) == "(integer) 0\n");
  }

  // ---- moves ----

  TEST_CASE("LMOVE moves an element between any two ends") {
    Fixture f;
    f.cli({"RPUSH", "src", "a", "b", "c", "d"});
    CHECK(f.cli({"LMOVE", "src", "dst", "LEFT", "RIGHT"}) == "\"a\"\n");
    CHECK(f.cli({"LMOVE", "src", "dst", "RIGHT", "LEFT"}) == "\"d\"\n");
    CHECK(f.cli({"LMOVE", "src", "dst", "left", "left"}) == "\"b\"\n");
    CHECK(f.cli({"LMOVE", "src", "dst", "Right", "Right"}) == "\"c\"\n");
    CHECK(f.cli({"LRANGE", "dst", "0", "-1"}) ==
          lines({"1) \"b\"", "2) \"d\"", "3) \"a\"", "4) \"c\""}));
    CHECK(f.cli({"EXISTS", "src"}) == "(integer) 0\n");
    CHECK(f.cli({"LMOVE", "src", "dst", "LEFT", "RIGHT"}) == "(nil)\n");
  }

  TEST_CASE("LMOVE onto the same list rotates it and never deletes it") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b", "c"});
    CHECK(f.cli({"LMOVE", "l", "l", "LEFT", "RIGHT"}) == "\"a\"\n");
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) == lines({"1) \"b\"", "2) \"c\"", "3) \"a\""}));
    f.cli({"RPUSH", "one", "x"});
    CHECK(f.cli({"LMOVE", "one", "one", "LEFT", "LEFT"}) == "\"x\"\n");
    CHECK(f.cli({"RPOPLPUSH", "one", "one"}) == "\"x\"\n");
    CHECK(f.cli({"LRANGE", "one", "0", "-1"}) == "1) \"x\"\n");
  }

  TEST_CASE("LMOVE checks directions, then the source, then the destination's type") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "src", "a", "b"});
    CHECK(f.cli({"LMOVE", "missing", "dst", "UP", "RIGHT"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LMOVE", "src", "dst", "LEFT", "DOWN"}) == "(error) ERR syntax error\n");
    CHECK(f.cli({"LMOVE", "missing", "s", "LEFT", "RIGHT"}) == "(nil)\n");
    CHECK(f.cli({"LMOVE", "s", "src", "LEFT", "RIGHT"}) == kWrongTypeShown);
    CHECK(f.cli({"LMOVE", "src", "s", "LEFT", "RIGHT"}) == kWrongTypeShown);
    CHECK(f.cli({"LRANGE", "src", "0", "-1"}) == lines({"1) \"a\"", "2) \"b\""}));
  }

  TEST_CASE("LMOVE into an existing list keeps its TTL and deletes an emptied source") {
    Fixture f;
    f.cli({"RPUSH", "src", "a"});
    f.cli({"RPUSH", "dst", "b"});
    f.cli({"EXPIRE", "dst", "100"});
    CHECK(f.cli({"LMOVE", "src", "dst", "LEFT", "LEFT"}) == "\"a\"\n");
    CHECK(f.cli({"TTL", "dst"}) == "(integer) 100\n");
    CHECK(f.cli({"EXISTS", "src"}) == "(integer) 0\n");
  }

  TEST_CASE("RPOPLPUSH moves the tail of one list to the head of another") {
    Fixture f;
    f.cli({"RPUSH", "src", "a", "b", "c"});
    CHECK(f.cli({"RPOPLPUSH", "src", "dst"}) == "\"c\"\n");
    CHECK(f.cli({"RPOPLPUSH", "src", "dst"}) == "\"b\"\n");
    CHECK(f.cli({"LRANGE", "dst", "0", "-1"}) == lines({"1) \"b\"", "2) \"c\""}));
    CHECK(f.cli({"RPOPLPUSH", "missing", "dst"}) == "(nil)\n");
  }

  // ---- LMPOP ----

  TEST_CASE("LMPOP pops from the first non-empty list, COUNT at a time") {
    Fixture f;
    f.cli({"RPUSH", "l1", "a", "b", "c"});
    f.cli({"RPUSH", "l2", "x", "y"});
    CHECK(f.cli({"LMPOP", "2", "missing", "l1", "LEFT"}) == lines({"1) \"l1\"", "2) 1) \"a\""}));
    CHECK(f.cli({"LMPOP", "2", "missing", "l1", "RIGHT", "COUNT", "5"}) ==
          lines({"1) \"l1\"", "2) 1) \"c\"", "   2) \"b\""}));
    CHECK(f.cli({"EXISTS", "l1"}) == "(integer) 0\n");
    CHECK(f.cli({"LMPOP", "2", "l1", "l2", "left", "count", "1"}) ==
          lines({"1) \"l2\"", "2) 1) \"x\""}));
  }

  TEST_CASE("LMPOP with nothing to pop is a nil array") {
    Fixture f;
    CHECK(f.run({"LMPOP", "2", "a", "b", "LEFT"}).type == redpad::ReplyType::NullArray);
    CHECK(f.cli({"LMPOP", "1", "a", "RIGHT", "COUNT", "3"}) == "(nil)\n");
  }

  TEST_CASE("LMPOP numkeys, direction and COUNT errors") {
    Fixture f;
    f.cli({"RPUSH", "l", "a"});
    const char* numkeys = "(error) ERR numkeys should be greater than 0\n";
    const char* count = "(error) ERR count should be greater than 0\n";
    const char* syntax = "(error) ERR syntax error\n";
    CHECK(f.cli({"LMPOP", "0", "l", "LEFT"}) == numkeys);
    CHECK(f.cli({"LMPOP", "-1", "l", "LEFT"}) == numkeys);
    CHECK(f.cli({"LMPOP", "x", "l", "LEFT"}) == numkeys);
    CHECK(f.cli({"LMPOP", "2", "l", "LEFT"}) == syntax);
    CHECK(f.cli({"LMPOP", "9223372036854775807", "l", "LEFT"}) == syntax);
    CHECK(f.cli({"LMPOP", "1", "l", "MIDDLE"}) == syntax);
    CHECK(f.cli({"LMPOP", "1", "l", "LEFT", "COUNT"}) == syntax);
    CHECK(f.cli({"LMPOP", "1", "l", "LEFT", "COUNT", "0"}) == count);
    CHECK(f.cli({"LMPOP", "1", "l", "LEFT", "COUNT", "x"}) == count);
    CHECK(f.cli({"LMPOP", "1", "l", "LEFT", "COUNT", "0", "FOO"}) == count);
    CHECK(f.cli({"LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "2"}) == syntax);
    CHECK(f.cli({"LMPOP", "1", "l"}) ==
          "(error) ERR wrong number of arguments for 'lmpop' command\n");
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 1\n");
  }

  TEST_CASE("LMPOP stops at a wrong type only if no list came before it") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "l", "a", "b"});
    CHECK(f.cli({"LMPOP", "2", "missing", "s", "LEFT"}) == kWrongTypeShown);
    CHECK(f.cli({"LMPOP", "2", "s", "l", "LEFT"}) == kWrongTypeShown);
    CHECK(f.cli({"LMPOP", "2", "l", "s", "LEFT"}) == lines({"1) \"l\"", "2) 1) \"a\""}));
  }

  // ---- types, WATCH, stats ----

  TEST_CASE("list commands on a string and string commands on a list are WRONGTYPE") {
    Fixture f;
    f.cli({"SET", "s", "v"});
    f.cli({"RPUSH", "l", "a"});
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
      CHECK(f.cli(args) == kWrongTypeShown);
    }
    CHECK(f.cli({"GET", "s"}) == "\"v\"\n");
    CHECK(f.cli({"LLEN", "l"}) == "(integer) 1\n");
  }

  TEST_CASE("COPY makes an independent list") {
    Fixture f;
    f.cli({"RPUSH", "l", "a", "b"});
    f.cli({"COPY", "l", "l2"});
    f.cli({"RPUSH", "l2", "c"});
    CHECK(f.cli({"LRANGE", "l", "0", "-1"}) == lines({"1) \"a\"", "2) \"b\""}));
    CHECK(f.cli({"LLEN", "l2"}) == "(integer) 3\n");
  }

  TEST_CASE("WATCH is touched by list writes, even no-op ones on an existing list") {
    Fixture f;
    auto exec_after = [&](const std::vector<std::string>& write) {
      f.cli({"WATCH", "l"});
      f.cli(write);
      f.cli({"MULTI"});
      f.cli({"PING"});
      return f.cli({"EXEC"});
    };
    f.cli({"RPUSH", "l", "a", "b"});
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
    f.cli({"RPUSH", "l", "a", "b"});
    const auto hits = f.server.stats().keyspace_hits;
    const auto misses = f.server.stats().keyspace_misses;
    f.cli({"LLEN", "l"});
    f.cli({"LRANGE", "l", "0", "-1"});
    f.cli({"LINDEX", "l", "0"});
    f.cli({"LPOS", "l", "a"});
    f.cli({"LLEN", "missing"});
    f.cli({"LPOP", "missing"});
    f.cli({"LSET", "l", "0", "a"});
    f.cli({"LMOVE", "missing", "l", "LEFT", "LEFT"});
    CHECK(f.server.stats().keyspace_hits - hits == 4);
    CHECK(f.server.stats().keyspace_misses - misses == 1);
  }

  TEST_CASE("a million pushes and pops at both ends") {
    Fixture f;
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i) {
      f.run({i % 2 == 0 ? "LPUSH" : "RPUSH", "big", std::to_string(i)});
    }
    CHECK(f.cli({"LLEN", "big"}) == "(integer) 1000000\n");
    CHECK(f.cli({"LINDEX", "big", "0"}) == "\"999998\"\n");
    CHECK(f.cli({"LINDEX", "big", "-1"}) == "\"999999\"\n");
    for (int i = 0; i < n / 2; ++i) {
      f.run({"LPOP", "big"});
      f.run({"RPOP", "big"});
    }
    CHECK(f.cli({"EXISTS", "big"}) == "(integer) 0\n");
  }
}
