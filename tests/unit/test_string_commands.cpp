// String commands: what the differential test cannot show (the virtual clock, small
// proto-max-bulk-len limits, encodings after each kind of write), with Redis 7.0's replies.
#include <string>

#include "test_helpers.h"

using redpad::Reply;
using namespace redpad::test;

namespace {

const Reply kOk = Reply::ok();
const Reply kNil = Reply::nil();

std::string encoding(Server& server, const std::string& key) {
  const Reply reply = run(server, {"OBJECT", "ENCODING", key});
  REQUIRE(reply.type == redpad::ReplyType::Bulk);
  return reply.str;
}

redpad::ServerConfig small_bulk_limit(std::uint64_t limit) {
  redpad::ServerConfig c = config();
  c.proto_max_bulk_len = limit;
  return c;
}

const std::string kStringTooLong = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

}  // namespace

// ---- expiry set by string commands, on the virtual clock ----

TEST_CASE("SET PX 100: the key is gone after DEBUG SLEEP 0.2") {
  Server server(config());
  CHECK(run(server, {"SET", "k", "v", "PX", "100"}) == kOk);
  CHECK(run(server, {"GET", "k"}) == bulk("v"));
  CHECK(run(server, {"DEBUG", "SLEEP", "0.2"}) == kOk);
  CHECK(run(server, {"GET", "k"}) == kNil);
  CHECK(run(server, {"EXISTS", "k"}) == integer(0));
}

TEST_CASE("SET EX stores an absolute time computed from the virtual clock") {
  Server server(config());
  server.clock().advance(250);
  run(server, {"SET", "k", "v", "EX", "10"});
  CHECK(run(server, {"PEXPIRETIME", "k"}) == integer(kStartMs + 250 + 10'000));
  CHECK(run(server, {"PTTL", "k"}) == integer(10'000));
}

TEST_CASE("SET EXAT and PXAT take absolute times; a past time hides the key at once") {
  Server server(config());
  CHECK(run(server, {"SET", "a", "v", "PXAT", std::to_string(kStartMs + 5)}) == kOk);
  CHECK(run(server, {"PTTL", "a"}) == integer(5));
  CHECK(run(server, {"SET", "b", "v", "EXAT", "1700000010"}) == kOk);
  CHECK(run(server, {"TTL", "b"}) == integer(10));
  CHECK(run(server, {"SET", "c", "v", "PXAT", std::to_string(kStartMs - 1)}) == kOk);
  CHECK(run(server, {"GET", "c"}) == kNil);
}

TEST_CASE("SETEX and PSETEX expire on the virtual clock") {
  Server server(config());
  run(server, {"SETEX", "s", "2", "v"});
  run(server, {"PSETEX", "p", "1500", "v"});
  server.clock().advance(1500);
  CHECK(run(server, {"GET", "p"}) == bulk("v"));  // exactly at its time: still there
  server.clock().advance(1);
  CHECK(run(server, {"GET", "p"}) == kNil);
  CHECK(run(server, {"GET", "s"}) == bulk("v"));
  server.clock().advance(500);
  CHECK(run(server, {"GET", "s"}) == kNil);
}

TEST_CASE("SET KEEPTTL keeps the expiry and a plain SET drops it") {
  Server server(config());
  run(server, {"SET", "k", "v1", "PX", "5000"});
  CHECK(run(server, {"SET", "k", "v2", "KEEPTTL"}) == kOk);
  CHECK(run(server, {"PTTL", "k"}) == integer(5000));
  CHECK(run(server, {"SET", "k", "v3"}) == kOk);
  CHECK(run(server, {"PTTL", "k"}) == integer(-1));
}

TEST_CASE("INCR, INCRBYFLOAT, APPEND and SETRANGE keep the expiry") {
  Server server(config());
  for (const char* key : {"i", "f", "a", "r"})
    run(server, {"SET", key, "1", "PX", "5000"});
  run(server, {"INCR", "i"});
  run(server, {"INCRBYFLOAT", "f", "0.5"});
  run(server, {"APPEND", "a", "x"});
  run(server, {"SETRANGE", "r", "3", "x"});
  for (const char* key : {"i", "f", "a", "r"}) {
    CAPTURE(key);
    CHECK(run(server, {"PTTL", key}) == integer(5000));
  }
}

TEST_CASE("GETSET and MSET drop the expiry") {
  Server server(config());
  run(server, {"SET", "g", "old", "PX", "5000"});
  run(server, {"SET", "m", "old", "PX", "5000"});
  CHECK(run(server, {"GETSET", "g", "new"}) == bulk("old"));
  CHECK(run(server, {"MSET", "m", "new"}) == kOk);
  CHECK(run(server, {"PTTL", "g"}) == integer(-1));
  CHECK(run(server, {"PTTL", "m"}) == integer(-1));
}

TEST_CASE("GETEX EX/PX set a new expiry and PERSIST removes it") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  CHECK(run(server, {"GETEX", "k", "PX", "700"}) == bulk("v"));
  CHECK(run(server, {"PTTL", "k"}) == integer(700));
  CHECK(run(server, {"GETEX", "k", "EX", "3"}) == bulk("v"));
  CHECK(run(server, {"PTTL", "k"}) == integer(3000));
  CHECK(run(server, {"GETEX", "k"}) == bulk("v"));
  CHECK(run(server, {"PTTL", "k"}) == integer(3000));
  CHECK(run(server, {"GETEX", "k", "PERSIST"}) == bulk("v"));
  CHECK(run(server, {"PTTL", "k"}) == integer(-1));
}

TEST_CASE("GETEX PXAT in the past returns the value and deletes the key") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  CHECK(run(server, {"GETEX", "k", "PXAT", std::to_string(kStartMs)}) == bulk("v"));
  CHECK(run(server, {"EXISTS", "k"}) == integer(0));
  CHECK(server.db(0).size() == 0);
}

TEST_CASE("SET NX succeeds again once the old key has expired") {
  Server server(config());
  run(server, {"SET", "lock", "a", "PX", "100"});
  CHECK(run(server, {"SET", "lock", "b", "NX"}) == kNil);
  server.clock().advance(101);
  CHECK(run(server, {"SET", "lock", "b", "NX"}) == kOk);
  CHECK(run(server, {"GET", "lock"}) == bulk("b"));
  CHECK(run(server, {"PTTL", "lock"}) == integer(-1));
}

TEST_CASE("INCR on a key that just expired starts again from zero") {
  Server server(config());
  run(server, {"SET", "n", "41", "PX", "10"});
  server.clock().advance(11);
  CHECK(run(server, {"INCR", "n"}) == integer(1));
  CHECK(run(server, {"PTTL", "n"}) == integer(-1));
}

// ---- encodings ----

TEST_CASE("OBJECT ENCODING: 44 bytes are embstr, 45 bytes are raw") {
  Server server(config());
  run(server, {"SET", "e44", std::string(44, 'a')});
  run(server, {"SET", "e45", std::string(45, 'a')});
  CHECK(encoding(server, "e44") == "embstr");
  CHECK(encoding(server, "e45") == "raw");
}

TEST_CASE("OBJECT ENCODING: SET stores canonical 64-bit integers as int") {
  Server server(config());
  const auto enc_of = [&server](const std::string& value) {
    run(server, {"SET", "k", value});
    return encoding(server, "k");
  };
  CHECK(enc_of("12345") == "int");
  CHECK(enc_of("-9223372036854775808") == "int");
  CHECK(enc_of("9223372036854775807") == "int");
  CHECK(enc_of("9223372036854775808") == "embstr");
  CHECK(enc_of("007") == "embstr");
  CHECK(enc_of("-0") == "embstr");
  CHECK(enc_of("+1") == "embstr");
  CHECK(enc_of(" 1") == "embstr");
}

TEST_CASE("OBJECT ENCODING: APPEND makes an existing string raw, even an int") {
  Server server(config());
  run(server, {"SET", "n", "12345"});
  CHECK(run(server, {"APPEND", "n", "6"}) == integer(6));
  CHECK(encoding(server, "n") == "raw");
  CHECK(run(server, {"GET", "n"}) == bulk("123456"));
  run(server, {"SET", "e", "10"});
  CHECK(run(server, {"APPEND", "e", ""}) == integer(2));
  CHECK(encoding(server, "e") == "raw");
}

TEST_CASE("OBJECT ENCODING: APPEND to a missing key encodes like SET") {
  Server server(config());
  run(server, {"APPEND", "digits", "123"});
  run(server, {"APPEND", "letters", "abc"});
  CHECK(encoding(server, "digits") == "int");
  CHECK(encoding(server, "letters") == "embstr");
}

TEST_CASE("OBJECT ENCODING: INCR turns a raw string back into int") {
  Server server(config());
  run(server, {"SET", "c", "10"});
  run(server, {"APPEND", "c", "0"});
  CHECK(encoding(server, "c") == "raw");
  CHECK(run(server, {"INCR", "c"}) == integer(101));
  CHECK(encoding(server, "c") == "int");
  CHECK(run(server, {"DECRBY", "c", "200"}) == integer(-99));
  CHECK(encoding(server, "c") == "int");
}

TEST_CASE("OBJECT ENCODING: INCRBYFLOAT stores embstr, even for a whole number") {
  Server server(config());
  run(server, {"SET", "f", "10"});
  CHECK(encoding(server, "f") == "int");
  CHECK(run(server, {"INCRBYFLOAT", "f", "0.5"}) == bulk("10.5"));
  CHECK(encoding(server, "f") == "embstr");
  CHECK(run(server, {"INCRBYFLOAT", "f", "-0.5"}) == bulk("10"));
  CHECK(encoding(server, "f") == "embstr");
}

TEST_CASE("OBJECT ENCODING: an INCRBYFLOAT result over 44 bytes is raw") {
  Server server(config());
  CHECK(run(server, {"INCRBYFLOAT", "h", "1e40"}) ==
        bulk("9999999999999999999783686092270256259072"));
  CHECK(encoding(server, "h") == "embstr");
  CHECK(run(server, {"INCRBYFLOAT", "g", "1e50"}) ==
        bulk("100000000000000000003583830118858923890798487404544"));
  CHECK(encoding(server, "g") == "raw");
}

TEST_CASE("OBJECT ENCODING: SETRANGE always leaves a raw string") {
  Server server(config());
  CHECK(run(server, {"SETRANGE", "fresh", "2", "ab"}) == integer(4));
  CHECK(run(server, {"GET", "fresh"}) == bulk(std::string("\0\0ab", 4)));
  CHECK(encoding(server, "fresh") == "raw");
  run(server, {"SET", "n", "100"});
  CHECK(run(server, {"SETRANGE", "n", "0", "2"}) == integer(3));
  CHECK(encoding(server, "n") == "raw");
}

TEST_CASE("OBJECT REFCOUNT: shared integers 0..9999 report INT_MAX") {
  Server server(config());
  run(server, {"SET", "small", "9999"});
  run(server, {"SET", "big", "10000"});
  run(server, {"SET", "text", "abc"});
  CHECK(run(server, {"OBJECT", "REFCOUNT", "small"}) == integer(2147483647));
  CHECK(run(server, {"OBJECT", "REFCOUNT", "big"}) == integer(1));
  CHECK(run(server, {"OBJECT", "REFCOUNT", "text"}) == integer(1));
  CHECK(run(server, {"OBJECT", "REFCOUNT", "missing"}) == kNil);
}

// ---- INCRBYFLOAT printing ----

TEST_CASE("INCRBYFLOAT: 0.1 + 0.2 prints 0.3") {
  Server server(config());
  CHECK(run(server, {"INCRBYFLOAT", "z", "0.1"}) == bulk("0.1"));
  CHECK(run(server, {"INCRBYFLOAT", "z", "0.2"}) == bulk("0.3"));
  CHECK(run(server, {"GET", "z"}) == bulk("0.3"));
}

TEST_CASE("INCRBYFLOAT: large and exponent inputs print in plain decimal") {
  Server server(config());
  CHECK(run(server, {"INCRBYFLOAT", "big", "1e20"}) == bulk("100000000000000000000"));
  CHECK(run(server, {"INCRBYFLOAT", "e", "5.0e3"}) == bulk("5000"));
  CHECK(run(server, {"INCRBYFLOAT", "hex", "0x10"}) == bulk("16"));
}

TEST_CASE("INCRBYFLOAT: zero results print 0, never -0 or 0.000") {
  Server server(config());
  CHECK(run(server, {"INCRBYFLOAT", "n", "-1.5"}) == bulk("-1.5"));
  CHECK(run(server, {"INCRBYFLOAT", "n", "1.5"}) == bulk("0"));
  CHECK(run(server, {"INCRBYFLOAT", "tiny", "1e-20"}) == bulk("0"));
}

TEST_CASE("INCRBYFLOAT: inf is refused as a result, nan and blanks as input") {
  Server server(config());
  const Reply not_float = error("ERR value is not a valid float");
  CHECK(run(server, {"INCRBYFLOAT", "x", "inf"}) ==
        error("ERR increment would produce NaN or Infinity"));
  CHECK(run(server, {"INCRBYFLOAT", "x", "nan"}) == not_float);
  CHECK(run(server, {"INCRBYFLOAT", "x", " 1"}) == not_float);
  CHECK(run(server, {"INCRBYFLOAT", "x", "1 "}) == not_float);
  CHECK(run(server, {"EXISTS", "x"}) == integer(0));
}

TEST_CASE("INCRBYFLOAT on a non-number string is refused and leaves it alone") {
  Server server(config());
  run(server, {"SET", "s", "abc"});
  CHECK(run(server, {"INCRBYFLOAT", "s", "1"}) == error("ERR value is not a valid float"));
  CHECK(run(server, {"GET", "s"}) == bulk("abc"));
}

// ---- integer overflow ----

TEST_CASE("INCR and INCRBY refuse to pass LLONG_MAX and keep the value") {
  Server server(config());
  const Reply overflow = error("ERR increment or decrement would overflow");
  run(server, {"SET", "m", "9223372036854775807"});
  CHECK(run(server, {"INCR", "m"}) == overflow);
  CHECK(run(server, {"INCRBY", "m", "1"}) == overflow);
  CHECK(run(server, {"GET", "m"}) == bulk("9223372036854775807"));
  CHECK(run(server, {"INCRBY", "m", "-9223372036854775807"}) == integer(0));
}

TEST_CASE("DECR and INCRBY refuse to pass LLONG_MIN") {
  Server server(config());
  const Reply overflow = error("ERR increment or decrement would overflow");
  run(server, {"SET", "m", "-9223372036854775808"});
  CHECK(run(server, {"DECR", "m"}) == overflow);
  CHECK(run(server, {"INCRBY", "m", "-1"}) == overflow);
  CHECK(run(server, {"INCRBY", "m", "9223372036854775807"}) == integer(-1));
}

TEST_CASE("DECRBY LLONG_MIN has its own error, whatever the value") {
  Server server(config());
  run(server, {"SET", "m", "10"});
  CHECK(run(server, {"DECRBY", "m", "-9223372036854775808"}) ==
        error("ERR decrement would overflow"));
  CHECK(run(server, {"GET", "m"}) == bulk("10"));
}

TEST_CASE("INCRBY with an increment past 64 bits is not an integer") {
  Server server(config());
  CHECK(run(server, {"INCRBY", "m", "9223372036854775808"}) ==
        error("ERR value is not an integer or out of range"));
  CHECK(run(server, {"EXISTS", "m"}) == integer(0));
}

// ---- proto-max-bulk-len ----

TEST_CASE("SETRANGE may grow a string up to proto-max-bulk-len and no further") {
  Server server(small_bulk_limit(100));
  CHECK(run(server, {"SETRANGE", "k", "99", "x"}) == integer(100));
  CHECK(run(server, {"SETRANGE", "j", "100", "x"}) == error(kStringTooLong));
  CHECK(run(server, {"EXISTS", "j"}) == integer(0));
  CHECK(run(server, {"SETRANGE", "k", "99", "xy"}) == error(kStringTooLong));
  CHECK(run(server, {"STRLEN", "k"}) == integer(100));
}

TEST_CASE("SETRANGE with an empty value never checks the limit") {
  Server server(small_bulk_limit(100));
  CHECK(run(server, {"SETRANGE", "missing", "1000", ""}) == integer(0));
  CHECK(run(server, {"EXISTS", "missing"}) == integer(0));
  run(server, {"SET", "k", "abc"});
  CHECK(run(server, {"SETRANGE", "k", "1000", ""}) == integer(3));
}

TEST_CASE("SETRANGE at the largest offset is too long, not an overflow") {
  Server server(config());
  CHECK(run(server, {"SETRANGE", "k", "9223372036854775807", "x"}) == error(kStringTooLong));
  CHECK(run(server, {"SETRANGE", "k", "-1", "x"}) == error("ERR offset is out of range"));
}

TEST_CASE("APPEND may grow a string up to proto-max-bulk-len and no further") {
  Server server(small_bulk_limit(10));
  CHECK(run(server, {"APPEND", "k", "12345"}) == integer(5));
  CHECK(run(server, {"APPEND", "k", "67890"}) == integer(10));
  CHECK(run(server, {"APPEND", "k", "x"}) == error(kStringTooLong));
  CHECK(run(server, {"GET", "k"}) == bulk("1234567890"));
}

TEST_CASE("APPEND to a missing key stores the argument whatever its length") {
  Server server(small_bulk_limit(10));
  CHECK(run(server, {"APPEND", "k", std::string(20, 'x')}) == integer(20));
}

TEST_CASE("LCS refuses a table bigger than proto-max-bulk-len") {
  // (15+1) * (15+1) cells of 4 bytes is exactly 1024.
  Server server(small_bulk_limit(1024));
  run(server, {"SET", "a", std::string(15, 'a')});
  run(server, {"SET", "b", std::string(15, 'a')});
  run(server, {"SET", "c", std::string(16, 'a')});
  CHECK(run(server, {"LCS", "a", "b", "LEN"}) == integer(15));
  CHECK(run(server, {"LCS", "a", "c", "LEN"}) ==
        error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
}

// ---- the rest of the family ----

TEST_CASE("SET GET returns the old value and still applies NX/XX") {
  Server server(config());
  CHECK(run(server, {"SET", "k", "1", "GET"}) == kNil);
  CHECK(run(server, {"SET", "k", "2", "GET"}) == bulk("1"));
  CHECK(run(server, {"SET", "k", "3", "NX", "GET"}) == bulk("2"));
  CHECK(run(server, {"GET", "k"}) == bulk("2"));
  CHECK(run(server, {"SET", "new", "x", "XX", "GET"}) == kNil);
  CHECK(run(server, {"EXISTS", "new"}) == integer(0));
}

TEST_CASE("SET repeated EX options: the last one wins") {
  Server server(config());
  CHECK(run(server, {"SET", "k", "v", "EX", "10", "EX", "20"}) == kOk);
  CHECK(run(server, {"TTL", "k"}) == integer(20));
  CHECK(run(server, {"SET", "k", "v", "EX", "10", "PX", "20"}) == error("ERR syntax error"));
}

TEST_CASE("SET with a time that overflows the clock is an invalid expire time") {
  Server server(config());
  CHECK(run(server, {"SET", "k", "v", "PX", "9223372036854775807"}) ==
        error("ERR invalid expire time in 'set' command"));
  CHECK(run(server, {"SET", "k", "v", "EX", "0"}) ==
        error("ERR invalid expire time in 'set' command"));
  CHECK(run(server, {"SETEX", "k", "-1", "v"}) ==
        error("ERR invalid expire time in 'setex' command"));
  CHECK(run(server, {"EXISTS", "k"}) == integer(0));
}

TEST_CASE("MSETNX sets nothing if any key exists") {
  Server server(config());
  run(server, {"SET", "b", "old"});
  CHECK(run(server, {"MSETNX", "a", "1", "b", "2"}) == integer(0));
  CHECK(run(server, {"MGET", "a", "b"}) == array({kNil, bulk("old")}));
  CHECK(run(server, {"MSETNX", "a", "1", "c", "3"}) == integer(1));
  CHECK(run(server, {"MGET", "a", "c"}) == bulks({"1", "3"}));
}

TEST_CASE("MGET answers nil for a key of another type and for an expired key") {
  Server server(config());
  run(server, {"SET", "s", "v"});
  run(server, {"SET", "gone", "v", "PX", "1"});
  server.clock().advance(2);
  CHECK(run(server, {"MGET", "s", "gone", "none"}) == array({bulk("v"), kNil, kNil}));
}

TEST_CASE("GETRANGE clamps its range and handles negative offsets") {
  Server server(config());
  run(server, {"SET", "k", "Hello World"});
  CHECK(run(server, {"GETRANGE", "k", "0", "4"}) == bulk("Hello"));
  CHECK(run(server, {"GETRANGE", "k", "-5", "-1"}) == bulk("World"));
  CHECK(run(server, {"GETRANGE", "k", "-100", "2"}) == bulk("Hel"));
  CHECK(run(server, {"GETRANGE", "k", "5", "1000"}) == bulk(" World"));
  CHECK(run(server, {"GETRANGE", "k", "-1", "-5"}) == bulk(""));
  CHECK(run(server, {"SUBSTR", "k", "6", "6"}) == bulk("W"));
  CHECK(run(server, {"GETRANGE", "none", "0", "-1"}) == bulk(""));
}

TEST_CASE("GETDEL returns the value and removes the key") {
  Server server(config());
  run(server, {"SET", "k", "v", "PX", "5000"});
  CHECK(run(server, {"GETDEL", "k"}) == bulk("v"));
  CHECK(run(server, {"GETDEL", "k"}) == kNil);
  CHECK(server.db(0).volatile_count() == 0);
}

TEST_CASE("LCS gives the common string, its length and the matching ranges") {
  Server server(config());
  run(server, {"MSET", "key1", "ohmytext", "key2", "mynewtext"});
  CHECK(run(server, {"LCS", "key1", "key2"}) == bulk("mytext"));
  CHECK(run(server, {"LCS", "key1", "key2", "LEN"}) == integer(6));
  CHECK(run(server, {"LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"}) ==
        array({bulk("matches"),
               array({array({array({integer(4), integer(7)}), array({integer(5), integer(8)})})}),
               bulk("len"), integer(6)}));
  CHECK(run(server, {"LCS", "key1", "key2", "LEN", "IDX"}) ==
        error("ERR If you want both the length and indexes, please just use IDX."));
}

TEST_CASE("Reads count keyspace hits and misses; writes do not") {
  Server server(config());
  run(server, {"SET", "k", "v"});
  run(server, {"GET", "k"});
  run(server, {"GET", "nope"});
  run(server, {"MGET", "k", "nope", "k"});
  run(server, {"INCR", "counter"});
  CHECK(server.stats().keyspace_hits == 3);
  CHECK(server.stats().keyspace_misses == 2);
}

TEST_CASE("Over maxmemory, string writes get Redis's OOM error and reads still work") {
  Server server(config());
  run(server, {"SET", "kept", "v"});
  run(server, {"CONFIG", "SET", "maxmemory", "1"});
  const Reply oom = error("OOM command not allowed when used memory > 'maxmemory'.");
  CHECK(run(server, {"SET", "a", "b"}) == oom);
  CHECK(run(server, {"APPEND", "kept", "x"}) == oom);
  CHECK(run(server, {"INCR", "n"}) == oom);
  CHECK(run(server, {"GET", "kept"}) == bulk("v"));
  CHECK(run(server, {"DEL", "kept"}) == integer(1));
  run(server, {"CONFIG", "SET", "maxmemory", "0"});
  CHECK(run(server, {"SET", "a", "b"}) == status("OK"));
}

TEST_CASE("SETRANGE and APPEND refuse, under maxmemory, to grow a string past it") {
  // redpad's own guard (real Redis checks only before the command): one command must not
  // take the browser tab's memory. 1 MB of room: a 4 MB string does not fit.
  Server server(config_with_headroom(1 << 20));
  const Reply oom = error("OOM command not allowed when used memory > 'maxmemory'.");
  CHECK(run(server, {"SETRANGE", "big", "4000000", "x"}) == oom);
  CHECK(run(server, {"EXISTS", "big"}) == integer(0));
  CHECK(run(server, {"SETRANGE", "big", "1000", "x"}) == integer(1001));
  CHECK(run(server, {"SETRANGE", "big", "4000000", "x"}) == oom);
  CHECK(run(server, {"STRLEN", "big"}) == integer(1001));
  const std::string chunk(300000, 'a');
  CHECK(run(server, {"APPEND", "grow", chunk}) == integer(300000));
  Reply last = integer(0);
  for (int i = 0; i < 20 && last.type != redpad::ReplyType::Error; ++i)
    last = run(server, {"APPEND", "grow", chunk});
  CHECK(last == oom);  // stopped before 20 x 300 KB = 6 MB
  CHECK(run(server, {"STRLEN", "grow"}).integer < 6'000'000);
}

TEST_CASE("LCS refuses, under maxmemory, a comparison table larger than the room left") {
  Server server(config_with_headroom(1 << 20));
  const std::string a(1000, 'a');  // (1001 x 1001) cells of 4 bytes: 4 MB
  run(server, {"MSET", "x", a, "y", a});
  CHECK(run(server, {"LCS", "x", "y", "LEN"}) ==
        error("OOM command not allowed when used memory > 'maxmemory'."));
  run(server, {"MSET", "x", "ohmytext", "y", "mynewtext"});
  CHECK(run(server, {"LCS", "x", "y"}) == bulk("mytext"));
}
