// Bitmap commands: every expected reply below was checked against redis-server 7.0.15.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"

namespace {

using Bitmaps = redpad::test::TestServer;

using redpad::test::kWrongTypeShown;
const char* const kBadOffset = "(error) ERR bit offset is not an integer or out of range\n";
const char* const kBadType =
    "(error) ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
    "supported but i64 is.\n";

}  // namespace

TEST_CASE("SETBIT returns the old bit and grows the string with zero bytes") {
  Bitmaps r;
  CHECK(r.cli({"SETBIT", "b", "7", "1"}) == "(integer) 0\n");
  CHECK(r.cli({"SETBIT", "b", "7", "1"}) == "(integer) 1\n");
  CHECK(r.cli({"SETBIT", "b", "17", "1"}) == "(integer) 0\n");
  CHECK(r.cli({"GET", "b"}) == "\"\\x01\\x00@\"\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "b"}) == "\"raw\"\n");
}

TEST_CASE("SETBIT checks the offset, then the bit, then the key's type") {
  Bitmaps r;
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"SETBIT", "l", "-1", "2"}) == kBadOffset);
  CHECK(r.cli({"SETBIT", "l", "01", "1"}) == kBadOffset);
  CHECK(r.cli({"SETBIT", "l", "4294967296", "1"}) == kBadOffset);
  CHECK(r.cli({"SETBIT", "l", "0", "2"}) == "(error) ERR bit is not an integer or out of range\n");
  CHECK(r.cli({"SETBIT", "l", "0", "-1"}) == "(error) ERR bit is not an integer or out of range\n");
  CHECK(r.cli({"SETBIT", "l", "0", "1"}) == kWrongTypeShown);
}

TEST_CASE("SETBIT on an integer string changes its digits and makes it raw") {
  Bitmaps r;
  r.cli({"SET", "n", "1"});
  CHECK(r.cli({"SETBIT", "n", "6", "1"}) == "(integer) 0\n");
  CHECK(r.cli({"GET", "n"}) == "\"3\"\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "n"}) == "\"raw\"\n");
}

TEST_CASE("SETBIT that changes nothing leaves a WATCH intact") {
  Bitmaps r;
  r.cli({"SETBIT", "k", "0", "1"});
  r.cli({"WATCH", "k"});
  CHECK(r.cli({"SETBIT", "k", "0", "1"}) == "(integer) 1\n");
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(empty array)\n");
  r.cli({"WATCH", "k"});
  CHECK(r.cli({"SETBIT", "k", "20", "0"}) == "(integer) 0\n");  // grows the string
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(nil)\n");
}

TEST_CASE("GETBIT reads zeros past the end, up to the 512 MB limit, without growing") {
  Bitmaps r;
  r.cli({"SET", "n", "1"});  // '1' is 0x31
  CHECK(r.cli({"GETBIT", "n", "2"}) == "(integer) 1\n");
  CHECK(r.cli({"GETBIT", "n", "7"}) == "(integer) 1\n");
  CHECK(r.cli({"GETBIT", "n", "100"}) == "(integer) 0\n");
  CHECK(r.cli({"GETBIT", "n", "4294967295"}) == "(integer) 0\n");
  CHECK(r.cli({"GETBIT", "n", "4294967296"}) == kBadOffset);
  CHECK(r.cli({"STRLEN", "n"}) == "(integer) 1\n");
  CHECK(r.cli({"GETBIT", "missing", "3"}) == "(integer) 0\n");
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"GETBIT", "l", "x"}) == kBadOffset);
  CHECK(r.cli({"GETBIT", "l", "0"}) == kWrongTypeShown);
}

TEST_CASE("BITCOUNT counts bytes or bits, with negative indexes") {
  Bitmaps r;
  r.cli({"SET", "s", "foobar"});
  CHECK(r.cli({"BITCOUNT", "s"}) == "(integer) 26\n");
  CHECK(r.cli({"BITCOUNT", "s", "1", "1"}) == "(integer) 6\n");
  CHECK(r.cli({"BITCOUNT", "s", "5", "30", "BIT"}) == "(integer) 17\n");
  CHECK(r.cli({"BITCOUNT", "s", "-2", "-1"}) == "(integer) 7\n");
  CHECK(r.cli({"BITCOUNT", "s", "-1", "-1", "bit"}) == "(integer) 0\n");
  // Two negative indexes the wrong way round count nothing, even though both clamp to 0.
  CHECK(r.cli({"BITCOUNT", "s", "-10", "-20"}) == "(integer) 0\n");
}

TEST_CASE("BITCOUNT looks up the key before it reads the range") {
  Bitmaps r;
  CHECK(r.cli({"BITCOUNT", "missing", "a", "b"}) == "(integer) 0\n");
  CHECK(r.cli({"BITCOUNT", "missing", "0"}) == "(integer) 0\n");
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"BITCOUNT", "l", "a", "b"}) == kWrongTypeShown);
  r.cli({"SET", "s", "foobar"});
  CHECK(r.cli({"BITCOUNT", "s", "0"}) == "(error) ERR syntax error\n");
  CHECK(r.cli({"BITCOUNT", "s", "a", "1", "xx"}) ==
        "(error) ERR value is not an integer or out of range\n");
  CHECK(r.cli({"BITCOUNT", "s", "0", "1", "xx"}) == "(error) ERR syntax error\n");
  CHECK(r.cli({"BITCOUNT", "s", "0", "1", "bit", "x"}) == "(error) ERR syntax error\n");
}

TEST_CASE("BITPOS finds set and clear bits in byte and bit ranges") {
  Bitmaps r;
  r.cli({"SET", "p", std::string("\xff\xf0\x00", 3)});
  CHECK(r.cli({"BITPOS", "p", "0"}) == "(integer) 12\n");
  CHECK(r.cli({"BITPOS", "p", "1", "1"}) == "(integer) 8\n");
  CHECK(r.cli({"BITPOS", "p", "1", "2"}) == "(integer) -1\n");
  CHECK(r.cli({"BITPOS", "p", "0", "1", "1", "BYTE"}) == "(integer) 12\n");
  CHECK(r.cli({"BITPOS", "p", "1", "9", "15", "BIT"}) == "(integer) 9\n");
  CHECK(r.cli({"BITPOS", "p", "0", "0", "11", "BIT"}) == "(integer) -1\n");
}

TEST_CASE("BITPOS for a clear bit in all ones: past the end unless an end is given") {
  Bitmaps r;
  r.cli({"SET", "f", "\xff\xff"});
  CHECK(r.cli({"BITPOS", "f", "0"}) == "(integer) 16\n");
  CHECK(r.cli({"BITPOS", "f", "0", "1"}) == "(integer) 16\n");
  CHECK(r.cli({"BITPOS", "f", "0", "0", "-1"}) == "(integer) -1\n");
  // Unlike BITCOUNT, a reversed pair of negative indexes is clamped to byte 0.
  r.cli({"SET", "g", "\xfb"});
  CHECK(r.cli({"BITPOS", "g", "0", "-4", "-11"}) == "(integer) 5\n");
}

TEST_CASE("BITPOS checks the bit, then the key, then the range") {
  Bitmaps r;
  CHECK(r.cli({"BITPOS", "missing", "2"}) == "(error) ERR The bit argument must be 1 or 0.\n");
  CHECK(r.cli({"BITPOS", "missing", "a"}) ==
        "(error) ERR value is not an integer or out of range\n");
  CHECK(r.cli({"BITPOS", "missing", "1", "a"}) == "(integer) -1\n");
  CHECK(r.cli({"BITPOS", "missing", "0", "a", "b", "c", "d"}) == "(integer) 0\n");
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"BITPOS", "l", "1", "a"}) == kWrongTypeShown);
  r.cli({"SET", "e", ""});
  CHECK(r.cli({"BITPOS", "e", "0"}) == "(integer) -1\n");
  r.cli({"SET", "s", "foobar"});
  CHECK(r.cli({"BITPOS", "s", "1", "0", "1", "xyz"}) == "(error) ERR syntax error\n");
  CHECK(r.cli({"BITPOS", "s", "1", "0", "1", "bit", "x"}) == "(error) ERR syntax error\n");
}

TEST_CASE("BITOP combines strings padded with zeros and replies the result's length") {
  Bitmaps r;
  r.cli({"SET", "a", "\xf0\x0f"});
  r.cli({"SET", "b", "\xff"});
  CHECK(r.cli({"BITOP", "AND", "d", "a", "b"}) == "(integer) 2\n");
  CHECK(r.cli({"GET", "d"}) == "\"\\xf0\\x00\"\n");
  CHECK(r.cli({"BITOP", "or", "d", "a", "b"}) == "(integer) 2\n");
  CHECK(r.cli({"GET", "d"}) == "\"\\xff\\x0f\"\n");
  CHECK(r.cli({"BITOP", "XOR", "d", "a", "b"}) == "(integer) 2\n");
  CHECK(r.cli({"GET", "d"}) == "\"\\x0f\\x0f\"\n");
  CHECK(r.cli({"BITOP", "NOT", "d", "a"}) == "(integer) 2\n");
  CHECK(r.cli({"GET", "d"}) == "\"\\x0f\\xf0\"\n");
  CHECK(r.cli({"BITOP", "AND", "d", "a", "missing"}) == "(integer) 2\n");
  CHECK(r.cli({"GET", "d"}) == "\"\\x00\\x00\"\n");
}

TEST_CASE("BITOP replaces the destination whatever it held, dropping its TTL") {
  Bitmaps r;
  r.cli({"SET", "a", "x"});
  r.cli({"SET", "ttl", "y", "EX", "100"});
  CHECK(r.cli({"BITOP", "OR", "ttl", "a"}) == "(integer) 1\n");
  CHECK(r.cli({"TTL", "ttl"}) == "(integer) -1\n");
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"BITOP", "OR", "l", "a"}) == "(integer) 1\n");
  CHECK(r.cli({"TYPE", "l"}) == "string\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "l"}) == "\"raw\"\n");
}

TEST_CASE("BITOP with only empty sources deletes the destination") {
  Bitmaps r;
  r.cli({"SET", "d", "x"});
  r.cli({"SET", "e", ""});
  CHECK(r.cli({"BITOP", "AND", "d", "missing", "e"}) == "(integer) 0\n");
  CHECK(r.cli({"EXISTS", "d"}) == "(integer) 0\n");
}

TEST_CASE("BITOP errors: unknown operation, NOT with several keys, a non-string source") {
  Bitmaps r;
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"BITOP", "foo", "d", "a"}) == "(error) ERR syntax error\n");
  CHECK(r.cli({"BITOP", "NOT", "d", "a", "b"}) ==
        "(error) ERR BITOP NOT must be called with a single source key.\n");
  CHECK(r.cli({"BITOP", "OR", "d", "missing", "l"}) == kWrongTypeShown);
  CHECK(r.cli({"EXISTS", "d"}) == "(integer) 0\n");
}

TEST_CASE("BITFIELD SET replies the old value, INCRBY the new one, under each OVERFLOW") {
  Bitmaps r;
  CHECK(r.cli({"BITFIELD", "bf",  "SET",    "u8", "0",      "200", "GET",      "u8",
               "0",        "GET", "i8",     "0",  "INCRBY", "u8",  "0",        "100",
               "OVERFLOW", "SAT", "INCRBY", "u8", "0",      "200", "OVERFLOW", "FAIL",
               "INCRBY",   "u8",  "0",      "1",  "GET",    "u4",  "#1"}) ==
        "1) (integer) 0\n2) (integer) 200\n3) (integer) -56\n4) (integer) 44\n"
        "5) (integer) 244\n6) (integer) 245\n7) (integer) 5\n");
  CHECK(r.cli({"BITFIELD", "bf2", "SET", "i5", "#2", "-3", "GET", "i5", "#2", "GET", "u15", "0"}) ==
        "1) (integer) 0\n2) (integer) -3\n3) (integer) 29\n");
  CHECK(r.cli({"GET", "bf2"}) == "\"\\x00:\"\n");
}

TEST_CASE("BITFIELD handles the 64-bit signed and 63-bit unsigned limits") {
  Bitmaps r;
  CHECK(r.cli({"BITFIELD", "k",
               "SET",      "i64",
               "0",        "9223372036854775807",
               "INCRBY",   "i64",
               "0",        "9223372036854775807",
               "OVERFLOW", "SAT",
               "INCRBY",   "i64",
               "0",        "1",
               "OVERFLOW", "FAIL",
               "INCRBY",   "i64",
               "0",        "1"}) ==
        "1) (integer) 0\n2) (integer) -2\n3) (integer) -1\n4) (integer) 0\n");
  CHECK(r.cli({"BITFIELD", "u",      "SET", "u63", "0",   "-1",       "GET", "u63",
               "0",        "INCRBY", "u63", "0",   "1",   "OVERFLOW", "SAT", "SET",
               "u63",      "0",      "-5",  "GET", "u63", "0"}) ==
        "1) (integer) 0\n2) (integer) 9223372036854775807\n3) (integer) 0\n4) (integer) 0\n"
        "5) (integer) 9223372036854775807\n");
}

TEST_CASE("BITFIELD SAT saturates a SET far below the minimum to the maximum, as Redis does") {
  Bitmaps r;
  CHECK(r.cli({"BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "-9223372036854775681", "GET",
               "i8", "0"}) == "1) (integer) 0\n2) (integer) 127\n");
  CHECK(r.cli({"BITFIELD", "k", "OVERFLOW", "SAT", "SET", "i8", "0", "-9223372036854775680", "GET",
               "i8", "0"}) == "1) (integer) 127\n2) (integer) -128\n");
}

TEST_CASE("BITFIELD with a failed write still creates the zero-filled key") {
  Bitmaps r;
  CHECK(r.cli({"BITFIELD", "k", "OVERFLOW", "FAIL", "SET", "u8", "100", "256"}) == "1) (nil)\n");
  CHECK(r.cli({"STRLEN", "k"}) == "(integer) 14\n");
  CHECK(r.cli({"BITFIELD", "missing"}) == "(empty array)\n");
  CHECK(r.cli({"BITFIELD", "missing", "GET", "u8", "#536870911"}) == "1) (integer) 0\n");
  CHECK(r.cli({"EXISTS", "missing"}) == "(integer) 0\n");
}

TEST_CASE("BITFIELD parses every subcommand before touching the key") {
  Bitmaps r;
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"BITFIELD", "l", "GET", "u64", "0"}) == kBadType);
  CHECK(r.cli({"BITFIELD", "l", "GET", "i65", "0"}) == kBadType);
  CHECK(r.cli({"BITFIELD", "l", "GET", "U8", "0"}) == kBadType);
  CHECK(r.cli({"BITFIELD", "l", "GET", "u8", "#-1"}) == kBadOffset);
  CHECK(r.cli({"BITFIELD", "l", "GET", "u8", "#536870912"}) == kBadOffset);
  CHECK(r.cli({"BITFIELD", "l", "SET", "u8", "0", "a"}) ==
        "(error) ERR value is not an integer or out of range\n");
  CHECK(r.cli({"BITFIELD", "l", "SET", "u8", "0"}) == "(error) ERR syntax error\n");
  CHECK(r.cli({"BITFIELD", "l", "OVERFLOW", "foo"}) ==
        "(error) ERR Invalid OVERFLOW type specified\n");
  CHECK(r.cli({"BITFIELD", "l", "FOO"}) == "(error) ERR syntax error\n");
  CHECK(r.cli({"BITFIELD", "l"}) == kWrongTypeShown);
  CHECK(r.cli({"BITFIELD", "l", "GET", "u8", "0"}) == kWrongTypeShown);
}

TEST_CASE("BITFIELD_RO allows GET (and OVERFLOW) only") {
  Bitmaps r;
  r.cli({"SET", "s", "abc"});
  CHECK(r.cli({"BITFIELD_RO", "s", "GET", "u8", "0"}) == "1) (integer) 97\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "s"}) == "\"embstr\"\n");
  CHECK(r.cli({"BITFIELD_RO", "s", "OVERFLOW", "WRAP"}) == "(empty array)\n");
  CHECK(r.cli({"BITFIELD_RO", "s", "SET", "u8", "0", "1"}) ==
        "(error) ERR BITFIELD_RO only supports the GET subcommand\n");
  CHECK(r.cli({"BITFIELD_RO", "s", "INCRBY", "u8", "0", "1"}) ==
        "(error) ERR BITFIELD_RO only supports the GET subcommand\n");
  // The type and the value are read before the read-only check.
  CHECK(r.cli({"BITFIELD_RO", "s", "SET", "x8", "0", "1"}) == kBadType);
  CHECK(r.cli({"BITFIELD_RO", "s", "SET", "u8", "0", "a"}) ==
        "(error) ERR value is not an integer or out of range\n");
}

TEST_CASE("BITFIELD touches a watched key only when a bit changes or the string grows") {
  Bitmaps r;
  r.cli({"BITFIELD", "k", "SET", "u8", "0", "1"});
  r.cli({"WATCH", "k"});
  CHECK(r.cli({"BITFIELD", "k", "SET", "u8", "0", "1"}) == "1) (integer) 1\n");
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(empty array)\n");
  r.cli({"WATCH", "k"});
  CHECK(r.cli({"BITFIELD", "k", "SET", "u8", "100", "0"}) == "1) (integer) 0\n");
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(nil)\n");
}

TEST_CASE("SETBIT and BITFIELD refuse, under maxmemory, to grow a string past it") {
  using namespace redpad::test;
  Server server(config_with_headroom(1 << 20));
  const Reply oom = error("OOM command not allowed when used memory > 'maxmemory'.");
  CHECK(run(server, {"SETBIT", "bits", "40000000", "1"}) == oom);
  CHECK(run(server, {"SETBIT", "bits", "8000", "1"}) == integer(0));
  CHECK(run(server, {"BITFIELD", "bits", "SET", "u8", "40000000", "1"}) == oom);
  CHECK(run(server, {"STRLEN", "bits"}) == integer(1001));
}
