// Stream commands: IDs generated from the virtual clock, idle times measured on it, the
// listpack-node and radix-tree numbers of XINFO STREAM, trimming, consumer-group lag, and
// bookkeeping (WATCH, keyspace hits) that the differential test cannot show. Every expected
// reply was checked against redis-server 7.0.15 (times: by Redis's rules on a fixed clock).
#include <doctest/doctest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reply.h"
#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"
#include "types/stream.h"

namespace {

using redpad::ClientSession;
using redpad::Delivery;
using redpad::format_reply_cli;
using redpad::Reply;
using redpad::ReplyType;
using redpad::Server;
using redpad::StreamId;

using redpad::test::kStartMs;

using namespace redpad::test::by_args;

// Runs a command `times` times with the same arguments (redis-cli's repeat count).
void repeat(Server& server, int times, const std::vector<std::string>& args) {
  for (int i = 0; i < times; ++i)
    REQUIRE_FALSE(run(server, args).is_error());
}

// XINFO STREAM's fields by name.
std::map<std::string, Reply> stream_info(Server& server, const std::string& key) {
  const Reply reply = run(server, {"XINFO", "STREAM", key});
  REQUIRE(reply.type == ReplyType::Array);
  std::map<std::string, Reply> fields;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    fields[reply.elements[i].str] = reply.elements[i + 1];
  }
  return fields;
}

long long info_int(Server& server, const std::string& key, const std::string& field) {
  const auto fields = stream_info(server, key);
  REQUIRE(fields.count(field));
  return fields.at(field).integer;
}

std::string info_id(Server& server, const std::string& key, const std::string& field) {
  const auto fields = stream_info(server, key);
  REQUIRE(fields.count(field));
  return fields.at(field).str;
}

// The idle times of XPENDING's extended form, in PEL order.
std::vector<long long> pending_idle(Server& server, const std::vector<std::string>& args) {
  const Reply reply = run(server, args);
  REQUIRE(reply.type == ReplyType::Array);
  std::vector<long long> idle;
  for (const Reply& item : reply.elements)
    idle.push_back(item.elements[2].integer);
  return idle;
}

// A stream "s" with entries 1-0, 2-0, 3-0 and a group "g" that has read none of them.
void three_entries_and_group(Server& server) {
  run(server, {"XADD", "s", "1-0", "a", "1"});
  run(server, {"XADD", "s", "2-0", "b", "2"});
  run(server, {"XADD", "s", "3-0", "c", "3"});
  REQUIRE(cli(server, {"XGROUP", "CREATE", "s", "g", "0"}) == "OK\n");
}

}  // namespace

// ---- IDs ----

TEST_CASE("XADD * takes the clock's milliseconds and counts the sequence within one") {
  Server server(config());
  CHECK(cli(server, {"XADD", "s", "*", "a", "1"}) == "\"1700000000000-0\"\n");
  CHECK(cli(server, {"XADD", "s", "*", "a", "2"}) == "\"1700000000000-1\"\n");
  server.clock().advance(5);
  CHECK(cli(server, {"XADD", "s", "*", "a", "3"}) == "\"1700000000005-0\"\n");
  CHECK(info_id(server, "s", "last-generated-id") == "1700000000005-0");
}

TEST_CASE("XADD * keeps the last ID's milliseconds when the clock is behind it") {
  Server server(config());
  CHECK(cli(server, {"XADD", "s", "1700000009999-7", "a", "1"}) == "\"1700000009999-7\"\n");
  CHECK(cli(server, {"XADD", "s", "*", "a", "2"}) == "\"1700000009999-8\"\n");
  server.clock().advance(10'000);
  CHECK(cli(server, {"XADD", "s", "*", "a", "3"}) == "\"1700000010000-0\"\n");
}

TEST_CASE("XADD ms-* continues the sequence of the same millisecond, else starts at 0") {
  Server server(config());
  CHECK(cli(server, {"XADD", "s", "7-*", "a", "1"}) == "\"7-0\"\n");
  CHECK(cli(server, {"XADD", "s", "7-*", "a", "2"}) == "\"7-1\"\n");
  CHECK(cli(server, {"XADD", "s", "8-*", "a", "3"}) == "\"8-0\"\n");
  CHECK(cli(server, {"XADD", "s", "7-*", "a", "4"}) ==
        "(error) ERR The ID specified in XADD is equal or smaller than the target stream top "
        "item\n");
  // A new stream's last ID is 0-0, so 0-* gives 0-1.
  CHECK(cli(server, {"XADD", "t", "0-*", "a", "1"}) == "\"0-1\"\n");
}

TEST_CASE("XADD refuses 0-0 before creating the key, and IDs not above the top item") {
  Server server(config());
  CHECK(cli(server, {"XADD", "s", "0", "a", "1"}) ==
        "(error) ERR The ID specified in XADD must be greater than 0-0\n");
  CHECK(cli(server, {"EXISTS", "s"}) == "(integer) 0\n");
  CHECK(cli(server, {"XADD", "s", "5-5", "a", "1"}) == "\"5-5\"\n");
  CHECK(cli(server, {"XADD", "s", "5-5", "a", "1"}) ==
        "(error) ERR The ID specified in XADD is equal or smaller than the target stream top "
        "item\n");
  CHECK(cli(server, {"XADD", "s", "5", "a", "1"}).rfind("(error) ERR The ID specified", 0) == 0);
  CHECK(cli(server, {"XLEN", "s"}) == "(integer) 1\n");
}

TEST_CASE("XADD after the last possible ID reports an exhausted stream") {
  Server server(config());
  run(server, {"XADD", "s", "18446744073709551615-18446744073709551615", "a", "1"});
  CHECK(cli(server, {"XADD", "s", "*", "a", "1"}) ==
        "(error) ERR The stream has exhausted the last possible ID, unable to add more items\n");
}

TEST_CASE("XADD ms-* at the last sequence of a millisecond uses Redis's too-large error") {
  Server server(config());
  run(server, {"XADD", "s", "5-18446744073709551615", "a", "1"});
  CHECK(cli(server, {"XADD", "s", "5-*", "a", "1"}) ==
        "(error) ERR Elements are too large to be stored\n");
  CHECK(cli(server, {"XADD", "s", "6-*", "a", "1"}) == "\"6-0\"\n");
}

TEST_CASE("Stream IDs are read like Redis: strict integers first, then strtoull's syntax") {
  using redpad::parse_stream_id;
  using redpad::StreamIdParse;
  StreamId id;
  const StreamIdParse loose{};
  CHECK(parse_stream_id(" 2", loose, id));
  CHECK(id.to_string() == "2-0");
  CHECK(parse_stream_id("+3-04", loose, id));
  CHECK(id.to_string() == "3-4");
  CHECK(parse_stream_id("9--01", loose, id));  // strtoull wraps a minus sign
  CHECK(id.to_string() == "9-18446744073709551615");
  CHECK_FALSE(parse_stream_id("8--1", loose, id));  // a strict negative integer is refused
  CHECK_FALSE(parse_stream_id("10 ", loose, id));
  CHECK_FALSE(parse_stream_id("18446744073709551616", loose, id));
  CHECK_FALSE(parse_stream_id("1-2-3", loose, id));
  CHECK(parse_stream_id("5", StreamIdParse{UINT64_MAX, false, false}, id));
  CHECK(id.to_string() == "5-18446744073709551615");
  CHECK(parse_stream_id("+", loose, id));
  CHECK(id.is_max());
  CHECK_FALSE(parse_stream_id("-", StreamIdParse{0, true, false}, id));
  bool seq_given = true;
  CHECK(parse_stream_id("7-*", StreamIdParse{0, true, true}, id, &seq_given));
  CHECK_FALSE(seq_given);
  CHECK_FALSE(parse_stream_id("7-*", StreamIdParse{0, true, false}, id));
  CHECK_FALSE(parse_stream_id(std::string(128, '1'), loose, id));
}

TEST_CASE("StreamId increments and decrements across milliseconds and wrap at the ends") {
  StreamId id{1, UINT64_MAX};
  CHECK(id.increment());
  CHECK(id.to_string() == "2-0");
  CHECK(id.decrement());
  CHECK(id.to_string() == "1-18446744073709551615");
  StreamId top = StreamId::max();
  CHECK_FALSE(top.increment());
  CHECK(top.is_zero());
  StreamId bottom;
  CHECK_FALSE(bottom.decrement());
  CHECK(bottom.is_max());
}

// ---- adding, reading, deleting ----

TEST_CASE("XADD needs field value pairs and reports the arity error of xadd") {
  Server server(config());
  const std::string arity = "(error) ERR wrong number of arguments for 'xadd' command\n";
  CHECK(cli(server, {"XADD", "s", "1-1", "a"}) == arity);
  CHECK(cli(server, {"XADD", "s", "1-1", "a", "1", "b"}) == arity);
  CHECK(cli(server, {"XADD", "s", "MAXLEN", "10", "NOMKSTREAM", "*"}) == arity);
  CHECK(cli(server, {"EXISTS", "s"}) == "(integer) 0\n");
}

TEST_CASE("XADD NOMKSTREAM on a missing key replies nil and creates nothing") {
  Server server(config());
  CHECK(run(server, {"XADD", "s", "NOMKSTREAM", "*", "a", "1"}).type == ReplyType::Nil);
  CHECK(cli(server, {"EXISTS", "s"}) == "(integer) 0\n");
  run(server, {"XADD", "s", "1-1", "a", "1"});
  CHECK(cli(server, {"XADD", "s", "NOMKSTREAM", "2-1", "a", "1"}) == "\"2-1\"\n");
}

TEST_CASE("A stream emptied by XDEL or trimming keeps its key") {
  Server server(config());
  run(server, {"XADD", "s", "1-1", "a", "1"});
  CHECK(cli(server, {"XDEL", "s", "1-1"}) == "(integer) 1\n");
  CHECK(cli(server, {"TYPE", "s"}) == "stream\n");
  CHECK(cli(server, {"XLEN", "s"}) == "(integer) 0\n");
  run(server, {"XADD", "t", "MAXLEN", "0", "1-1", "a", "1"});
  CHECK(cli(server, {"EXISTS", "t"}) == "(integer) 1\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "t"}) == "\"stream\"\n");
  CHECK(cli(server, {"DBSIZE"}) == "(integer) 2\n");
}

TEST_CASE("XRANGE and XREVRANGE with special, incomplete and exclusive IDs") {
  Server server(config());
  run(server, {"XADD", "s", "1-1", "a", "1"});
  run(server, {"XADD", "s", "1-2", "b", "2"});
  run(server, {"XADD", "s", "2-0", "c", "3"});
  CHECK(cli(server, {"XRANGE", "s", "1", "1", "COUNT", "1"}) ==
        "1) 1) \"1-1\"\n   2) 1) \"a\"\n      2) \"1\"\n");
  CHECK(cli(server, {"XRANGE", "s", "(1-1", "(2-0"}) ==
        "1) 1) \"1-2\"\n   2) 1) \"b\"\n      2) \"2\"\n");
  CHECK(cli(server, {"XREVRANGE", "s", "+", "(1-1"}) ==
        "1) 1) \"2-0\"\n   2) 1) \"c\"\n      2) \"3\"\n"
        "2) 1) \"1-2\"\n   2) 1) \"b\"\n      2) \"2\"\n");
  // "(2" excludes 2-18446744073709551615 only, so 2-0 is in.
  CHECK(run(server, {"XRANGE", "s", "-", "(2"}).elements.size() == 3);
  CHECK(cli(server, {"XRANGE", "s", "2", "1"}) == "(empty array)\n");
  CHECK(cli(server, {"XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"}) ==
        "(error) ERR invalid start ID for the interval\n");
  CHECK(cli(server, {"XRANGE", "s", "-", "(0-0"}) ==
        "(error) ERR invalid end ID for the interval\n");
  CHECK(cli(server, {"XRANGE", "s", "(-", "+"}) ==
        "(error) ERR Invalid stream ID specified as stream command argument\n");
}

TEST_CASE("XRANGE COUNT 0 is a null array, a missing key an empty one") {
  Server server(config());
  run(server, {"XADD", "s", "1-1", "a", "1"});
  CHECK(run(server, {"XRANGE", "s", "-", "+", "COUNT", "0"}).type == ReplyType::NullArray);
  CHECK(run(server, {"XRANGE", "s", "-", "+", "COUNT", "-3"}).type == ReplyType::NullArray);
  const Reply missing = run(server, {"XRANGE", "nokey", "-", "+", "COUNT", "0"});
  CHECK(missing.type == ReplyType::Array);
  CHECK(missing.elements.empty());
  // The IDs are checked before the key, the key's type before COUNT 0.
  CHECK(cli(server, {"XRANGE", "nokey", "x", "+"}) ==
        "(error) ERR Invalid stream ID specified as stream command argument\n");
  run(server, {"SET", "str", "x"});
  CHECK(cli(server, {"XRANGE", "str", "-", "+", "COUNT", "0"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
}

TEST_CASE("XDEL records the largest deleted ID and moves the recorded first entry") {
  Server server(config());
  three_entries_and_group(server);
  CHECK(cli(server, {"XDEL", "s", "2-0", "2-0", "9-9"}) == "(integer) 1\n");
  CHECK(info_id(server, "s", "max-deleted-entry-id") == "2-0");
  CHECK(info_id(server, "s", "recorded-first-entry-id") == "1-0");
  CHECK(cli(server, {"XDEL", "s", "1-0"}) == "(integer) 1\n");
  CHECK(info_id(server, "s", "max-deleted-entry-id") == "2-0");
  CHECK(info_id(server, "s", "recorded-first-entry-id") == "3-0");
  CHECK(cli(server, {"XDEL", "s", "3-0"}) == "(integer) 1\n");
  CHECK(info_id(server, "s", "recorded-first-entry-id") == "0-0");
  CHECK(info_int(server, "s", "entries-added") == 3);
}

TEST_CASE("XDEL checks the key before parsing the IDs") {
  Server server(config());
  CHECK(cli(server, {"XDEL", "nokey", "x"}) == "(integer) 0\n");
  run(server, {"XADD", "s", "1-0", "a", "1"});
  CHECK(cli(server, {"XDEL", "s", "1-0", "x"}) ==
        "(error) ERR Invalid stream ID specified as stream command argument\n");
  CHECK(cli(server, {"XLEN", "s"}) == "(integer) 1\n");
}

// ---- listpack nodes and the radix tree ----

TEST_CASE("A stream starts a new listpack node after 100 entries") {
  Server server(config());
  repeat(server, 100, {"XADD", "s", "1-*", "f", "v"});
  CHECK(info_int(server, "s", "radix-tree-keys") == 1);
  CHECK(info_int(server, "s", "radix-tree-nodes") == 2);
  run(server, {"XADD", "s", "1-*", "f", "v"});
  // Master IDs 1-0 and 1-100 share 15 bytes: a chain, a branch and two leaves.
  CHECK(info_int(server, "s", "radix-tree-keys") == 2);
  CHECK(info_int(server, "s", "radix-tree-nodes") == 4);
}

TEST_CASE("Radix tree nodes follow the bytes the master IDs share") {
  Server server(config());
  for (int i = 1; i <= 300; ++i)
    run(server, {"XADD", "s", std::to_string(i) + "-0", "f", "v"});
  // Masters 1-0, 101-0, 201-0 differ in the last byte of the milliseconds.
  CHECK(info_int(server, "s", "radix-tree-keys") == 3);
  CHECK(info_int(server, "s", "radix-tree-nodes") == 8);
  run(server, {"XADD", "s", "100000-0", "f", "v"});
  CHECK(info_int(server, "s", "radix-tree-keys") == 4);
  CHECK(info_int(server, "s", "radix-tree-nodes") == 12);
  // The new entry joins the last node, which has room.
  run(server, {"XADD", "s", "1000000000000-0", "f", "v"});
  CHECK(info_int(server, "s", "radix-tree-keys") == 4);
  CHECK(info_int(server, "s", "radix-tree-nodes") == 12);
}

TEST_CASE("A node's 4096-byte budget counts the next entry's raw field and value lengths") {
  for (const auto& [value_length, keys] : {std::pair<size_t, long long>{3064, 1}, {3065, 2}}) {
    Server server(config());
    run(server, {"XADD", "s", "1-0", "f", std::string(1000, 'x')});
    run(server, {"XADD", "s", "2-0", "f", std::string(value_length, 'y')});
    CHECK(info_int(server, "s", "radix-tree-keys") == keys);
  }
}

TEST_CASE("Deleting every entry of a node frees it; exact trimming can leave an empty one") {
  Server server(config());
  repeat(server, 101, {"XADD", "s", "1-*", "f", "v"});
  CHECK(cli(server, {"XDEL", "s", "1-100"}) == "(integer) 1\n");
  CHECK(info_int(server, "s", "radix-tree-keys") == 1);
  CHECK(info_int(server, "s", "radix-tree-nodes") == 2);

  Server other(config());
  run(other, {"XADD", "s", "1-0", "a", "1"});
  run(other, {"XADD", "s", "2-0", "a", "1"});
  run(other, {"XADD", "s", "3-0", "a", "1"});
  run(other, {"XDEL", "s", "3-0"});
  // The node's last entry (3-0, deleted) is not below 3, so the node is trimmed from inside.
  CHECK(cli(other, {"XTRIM", "s", "MINID", "3"}) == "(integer) 2\n");
  CHECK(info_int(other, "s", "length") == 0);
  CHECK(info_int(other, "s", "radix-tree-keys") == 1);
}

TEST_CASE("Approximate trimming removes whole nodes, exact trimming reaches inside one") {
  Server server(config());
  repeat(server, 150, {"XADD", "s", "1-*", "f", "v"});
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "~", "120"}) == "(integer) 0\n");
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "~", "40"}) == "(integer) 100\n");
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "40"}) == "(integer) 10\n");
  CHECK(cli(server, {"XRANGE", "s", "-", "+", "COUNT", "1"}) ==
        "1) 1) \"1-110\"\n   2) 1) \"f\"\n      2) \"v\"\n");
  CHECK(info_int(server, "s", "radix-tree-keys") == 1);
  CHECK(info_int(server, "s", "max-deleted-entry-id") == 0);
  CHECK(info_id(server, "s", "max-deleted-entry-id") == "0-0");
}

TEST_CASE("LIMIT caps approximate trimming by whole nodes") {
  Server server(config());
  repeat(server, 250, {"XADD", "s", "1-*", "f", "v"});
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "150"}) == "(integer) 100\n");
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "99"}) == "(integer) 0\n");
  CHECK(cli(server, {"XTRIM", "s", "MINID", "~", "2", "LIMIT", "0"}) == "(integer) 150\n");
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "1", "LIMIT", "5"}) ==
        "(error) ERR syntax error, LIMIT cannot be used without the special ~ option\n");
}

TEST_CASE("XADD trims after adding, so MAXLEN 0 leaves an empty stream") {
  Server server(config());
  run(server, {"XADD", "s", "1", "a", "1"});
  run(server, {"XADD", "s", "2", "a", "2"});
  CHECK(cli(server, {"XADD", "s", "MAXLEN", "=", "1", "3", "a", "3"}) == "\"3-0\"\n");
  CHECK(cli(server, {"XRANGE", "s", "-", "+"}) ==
        "1) 1) \"3-0\"\n   2) 1) \"a\"\n      2) \"3\"\n");
  CHECK(cli(server, {"XADD", "s", "MINID", "5", "4", "a", "4"}) == "\"4-0\"\n");
  CHECK(cli(server, {"XLEN", "s"}) == "(integer) 0\n");
  CHECK(info_int(server, "s", "entries-added") == 4);
}

// ---- XREAD ----

TEST_CASE("XREAD serves only streams with entries after the given ID") {
  Server server(config());
  run(server, {"XADD", "a", "1-0", "x", "1"});
  run(server, {"XADD", "b", "1-0", "y", "1"});
  CHECK(cli(server, {"XREAD", "COUNT", "1", "STREAMS", "a", "b", "0", "$"}) ==
        "1) 1) \"a\"\n   2) 1) 1) \"1-0\"\n         2) 1) \"x\"\n            2) \"1\"\n");
  CHECK(run(server, {"XREAD", "STREAMS", "a", "b", "$", "$"}).type == ReplyType::NullArray);
}

TEST_CASE("XREAD BLOCK with nothing to read blocks its client until its timeout") {
  Server server(config());
  ClientSession& reader = server.default_session();
  run(server, {"XADD", "s", "1-0", "a", "1"});
  CHECK(run(server, {"XREAD", "BLOCK", "5000", "STREAMS", "s", "$"}).is_blocked());
  REQUIRE(reader.blocked);
  CHECK(reader.blocked->timeout_at_ms == kStartMs + 5000);
  CHECK(reader.blocked->args[5] == "1-0");  // '$' is the last ID when it blocked
  server.clock().advance(4999);
  server.unblock_timed_out();
  CHECK_FALSE(server.has_deliveries());
  server.clock().advance(1);
  server.unblock_timed_out();
  std::vector<Delivery> answers = server.take_deliveries();
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].cause == Delivery::Cause::Timeout);
  CHECK(answers[0].reply.type == ReplyType::NullArray);
  CHECK_FALSE(reader.blocked);
  CHECK(cli(server, {"XREAD", "BLOCK", "-1", "STREAMS", "s", "0"}) ==
        "(error) ERR timeout is negative\n");
  CHECK(cli(server, {"XREAD", "BLOCK", "1e3", "STREAMS", "s", "0"}) ==
        "(error) ERR timeout is not an integer or out of range\n");
  CHECK(run(server, {"XREAD", "BLOCK", "0", "STREAMS", "s", "0"}).elements.size() == 1);
}

TEST_CASE("XREAD BLOCK 0 waits until another client adds an entry, and gets only that stream") {
  Server server(config());
  run(server, {"XADD", "s", "1-0", "a", "1"});
  CHECK(run(server, {"XREAD", "BLOCK", "0", "STREAMS", "other", "s", "$", "$"}).is_blocked());
  CHECK(server.default_session().blocked->timeout_at_ms == 0);
  ClientSession& writer = server.create_session("writer");
  run(server, writer, {"XADD", "s", "2-0", "b", "2"});
  std::vector<Delivery> answers = server.take_deliveries();
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].cause == Delivery::Cause::Served);
  CHECK(format_reply_cli(answers[0].reply, false, false) ==
        "1) 1) \"s\"\n   2) 1) 1) \"2-0\"\n         2) 1) \"b\"\n            2) \"2\"\n");
  CHECK_FALSE(server.default_session().blocked);
}

TEST_CASE("Inside EXEC a blocking read answers at once, as if its timeout had passed") {
  Server server(config());
  run(server, {"XADD", "s", "1-0", "a", "1"});
  run(server, {"MULTI"});
  run(server, {"XREAD", "BLOCK", "5000", "STREAMS", "s", "$"});
  CHECK(cli(server, {"EXEC"}) == "1) (nil)\n");
  CHECK(server.clock().now_ms() == kStartMs);
  CHECK_FALSE(server.default_session().blocked);
}

// Found by fuzz_commands: BLOCK 9223372036854775806 moved the clock past the 64-bit limit.
// Real Redis would wait that long; here, as for WAIT, a hundred years at most.
TEST_CASE("XREAD BLOCK of a hundred years or more waits a hundred years") {
  Server server(config());
  constexpr long long kHundredYearsMs = 100LL * 365 * 24 * 3600 * 1000;
  CHECK(run(server, {"XREAD", "BLOCK", "9223372036854775806", "STREAMS", "s", "0-1"}).is_blocked());
  CHECK(server.default_session().blocked->timeout_at_ms == kStartMs + kHundredYearsMs);
  ClientSession& other = server.create_session("other");
  run(server, other, {"XGROUP", "CREATE", "t", "g", "$", "MKSTREAM"});
  CHECK(run(server, other,
            {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "9223372036854775807", "STREAMS", "t", ">"})
            .is_blocked());
  CHECK(other.blocked->timeout_at_ms == kStartMs + kHundredYearsMs);
}

TEST_CASE("XREAD and XREADGROUP look each key up twice, like Redis, for keyspace hits") {
  Server server(config());
  run(server, {"XADD", "s", "1-0", "a", "1"});
  run(server, {"XGROUP", "CREATE", "s", "g", "0"});
  const auto hits = server.stats().keyspace_hits;
  const auto misses = server.stats().keyspace_misses;
  run(server, {"XREAD", "STREAMS", "s", "nokey", "0", "0"});
  CHECK(server.stats().keyspace_hits == hits + 2);
  CHECK(server.stats().keyspace_misses == misses + 2);
  run(server, {"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"});
  CHECK(server.stats().keyspace_hits == hits + 4);
  // Writes look keys up without counting.
  run(server, {"XADD", "s", "2-0", "a", "1"});
  run(server, {"XDEL", "s", "2-0"});
  run(server, {"XGROUP", "CREATECONSUMER", "s", "g", "d"});
  CHECK(server.stats().keyspace_hits == hits + 4);
  run(server, {"XLEN", "s"});
  run(server, {"XINFO", "STREAM", "nokey"});
  CHECK(server.stats().keyspace_hits == hits + 5);
  CHECK(server.stats().keyspace_misses == misses + 3);
}

// ---- consumer groups ----

TEST_CASE("XREADGROUP > delivers new entries into the PEL at the virtual time") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"});
  server.clock().advance(250);
  run(server, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"});
  server.clock().advance(50);
  CHECK(cli(server, {"XPENDING", "s", "g", "-", "+", "10"}) ==
        "1) 1) \"1-0\"\n   2) \"alice\"\n   3) (integer) 300\n   4) (integer) 1\n"
        "2) 1) \"2-0\"\n   2) \"alice\"\n   3) (integer) 300\n   4) (integer) 1\n"
        "3) 1) \"3-0\"\n   2) \"bob\"\n   3) (integer) 50\n   4) (integer) 1\n");
  CHECK(pending_idle(server, {"XPENDING", "s", "g", "IDLE", "100", "-", "+", "10"}) ==
        std::vector<long long>{300, 300});
  CHECK(pending_idle(server, {"XPENDING", "s", "g", "-", "+", "10", "bob"}) ==
        std::vector<long long>{50});
  CHECK(cli(server, {"XPENDING", "s", "g"}) ==
        "1) (integer) 3\n2) \"1-0\"\n3) \"3-0\"\n4) 1) 1) \"alice\"\n      2) \"2\"\n"
        "   2) 1) \"bob\"\n      2) \"1\"\n");
}

TEST_CASE("Reading history redelivers pending entries and shows deleted ones as nil") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  server.clock().advance(100);
  run(server, {"XDEL", "s", "2-0"});
  CHECK(cli(server, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", "0"}) ==
        "1) 1) \"s\"\n   2) 1) 1) \"1-0\"\n         2) 1) \"a\"\n            2) \"1\"\n"
        "      2) 1) \"2-0\"\n         2) (nil)\n");
  const Reply pending = run(server, {"XPENDING", "s", "g", "-", "+", "10"});
  REQUIRE(pending.elements.size() == 3);
  CHECK(pending.elements[0].elements[2].integer == 0);  // redelivered now
  CHECK(pending.elements[0].elements[3].integer == 2);
  CHECK(pending.elements[1].elements[2].integer == 100);  // deleted: left alone
  CHECK(pending.elements[1].elements[3].integer == 1);
  CHECK(pending.elements[2].elements[3].integer == 1);  // after COUNT 2
}

TEST_CASE("XREADGROUP with nothing new creates no consumer; a history read does") {
  Server server(config());
  run(server, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"});
  CHECK(run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"}).type ==
        ReplyType::NullArray);
  ClientSession& bob = server.create_session("bob");
  CHECK(run(server, bob, {"XREADGROUP", "GROUP", "g", "bob", "BLOCK", "100", "STREAMS", "s", ">"})
            .is_blocked());
  CHECK(cli(server, {"XINFO", "CONSUMERS", "s", "g"}) == "(empty array)\n");
  CHECK(cli(server, {"XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", "0"}) ==
        "1) 1) \"s\"\n   2) (empty array)\n");
  CHECK(run(server, {"XINFO", "CONSUMERS", "s", "g"}).elements.size() == 1);
}

TEST_CASE("XREADGROUP NOACK advances the group without pending entries") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "NOACK", "STREAMS", "s", ">"});
  CHECK(cli(server, {"XPENDING", "s", "g"}) == "1) (integer) 0\n2) (nil)\n3) (nil)\n4) (nil)\n");
  CHECK(cli(server, {"XINFO", "GROUPS", "s"}) ==
        "1)  1) \"name\"\n    2) \"g\"\n    3) \"consumers\"\n    4) (integer) 1\n"
        "    5) \"pending\"\n    6) (integer) 0\n    7) \"last-delivered-id\"\n    8) \"3-0\"\n"
        "    9) \"entries-read\"\n   10) (integer) 3\n   11) \"lag\"\n   12) (integer) 0\n");
}

TEST_CASE("XINFO CONSUMERS idle counts from the last read; XPENDING does not refresh it") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XGROUP", "CREATECONSUMER", "s", "g", "bob"});
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"});
  server.clock().advance(700);
  run(server, {"XPENDING", "s", "g", "-", "+", "10", "alice"});
  run(server, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0"});
  server.clock().advance(30);
  CHECK(cli(server, {"XINFO", "CONSUMERS", "s", "g"}) ==
        "1) 1) \"name\"\n   2) \"alice\"\n   3) \"pending\"\n   4) (integer) 1\n"
        "   5) \"idle\"\n   6) (integer) 730\n"
        "2) 1) \"name\"\n   2) \"bob\"\n   3) \"pending\"\n   4) (integer) 0\n"
        "   5) \"idle\"\n   6) (integer) 30\n");
}

TEST_CASE("XINFO STREAM FULL shows delivery and seen times as Unix milliseconds") {
  Server server(config());
  run(server, {"XADD", "s", "1-0", "a", "1"});
  run(server, {"XGROUP", "CREATE", "s", "g", "0"});
  server.clock().advance(42);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  CHECK(cli(server, {"XINFO", "STREAM", "s", "FULL"}) ==
        " 1) \"length\"\n 2) (integer) 1\n 3) \"radix-tree-keys\"\n 4) (integer) 1\n"
        " 5) \"radix-tree-nodes\"\n 6) (integer) 2\n 7) \"last-generated-id\"\n 8) \"1-0\"\n"
        " 9) \"max-deleted-entry-id\"\n10) \"0-0\"\n11) \"entries-added\"\n12) (integer) 1\n"
        "13) \"recorded-first-entry-id\"\n14) \"1-0\"\n15) \"entries\"\n"
        "16) 1) 1) \"1-0\"\n       2) 1) \"a\"\n          2) \"1\"\n17) \"groups\"\n"
        "18) 1)  1) \"name\"\n        2) \"g\"\n        3) \"last-delivered-id\"\n"
        "        4) \"1-0\"\n        5) \"entries-read\"\n        6) (integer) 1\n"
        "        7) \"lag\"\n        8) (integer) 0\n        9) \"pel-count\"\n"
        "       10) (integer) 1\n       11) \"pending\"\n       12) 1) 1) \"1-0\"\n"
        "              2) \"alice\"\n              3) (integer) 1700000000042\n"
        "              4) (integer) 1\n       13) \"consumers\"\n"
        "       14) 1) 1) \"name\"\n              2) \"alice\"\n              3) \"seen-time\"\n"
        "              4) (integer) 1700000000042\n              5) \"pel-count\"\n"
        "              6) (integer) 1\n              7) \"pending\"\n"
        "              8) 1) 1) \"1-0\"\n                    2) (integer) 1700000000042\n"
        "                    3) (integer) 1\n");
}

TEST_CASE("XACK removes entries from the group and their consumer") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  CHECK(cli(server, {"XACK", "s", "g", "1-0", "2-0", "2-0", "9-0"}) == "(integer) 2\n");
  CHECK(cli(server, {"XACK", "s", "g", "3-0", "x"}) ==
        "(error) ERR Invalid stream ID specified as stream command argument\n");
  CHECK(cli(server, {"XPENDING", "s", "g", "-", "+", "10", "alice"}).find("3-0") !=
        std::string::npos);
  CHECK(cli(server, {"XACK", "nokey", "g", "x"}) == "(integer) 0\n");
}

TEST_CASE("XCLAIM honours the minimum idle time on the virtual clock") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  server.clock().advance(1000);
  CHECK(cli(server, {"XCLAIM", "s", "g", "bob", "2000", "1-0", "2-0"}) == "(empty array)\n");
  // Nothing claimed: no consumer was created.
  CHECK(run(server, {"XINFO", "CONSUMERS", "s", "g"}).elements.size() == 1);
  CHECK(cli(server, {"XCLAIM", "s", "g", "bob", "1000", "1-0", "2-0", "JUSTID"}) ==
        "1) \"1-0\"\n2) \"2-0\"\n");
  const Reply pending = run(server, {"XPENDING", "s", "g", "-", "+", "10"});
  CHECK(pending.elements[0].elements[1].str == "bob");
  CHECK(pending.elements[0].elements[2].integer == 0);
  CHECK(pending.elements[0].elements[3].integer == 1);  // JUSTID does not count a delivery
  CHECK(pending.elements[2].elements[1].str == "alice");
  CHECK(pending.elements[2].elements[2].integer == 1000);
}

TEST_CASE("XCLAIM IDLE and TIME set the delivery time; bogus times mean now") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  run(server, {"XCLAIM", "s", "g", "bob", "0", "1-0", "IDLE", "5000", "RETRYCOUNT", "7"});
  run(server, {"XCLAIM", "s", "g", "bob", "0", "2-0", "TIME", std::to_string(kStartMs - 250)});
  run(server, {"XCLAIM", "s", "g", "bob", "0", "3-0", "TIME", std::to_string(kStartMs + 99)});
  const Reply pending = run(server, {"XPENDING", "s", "g", "-", "+", "10"});
  CHECK(pending.elements[0].elements[2].integer == 5000);
  CHECK(pending.elements[0].elements[3].integer == 7);
  CHECK(pending.elements[1].elements[2].integer == 250);
  CHECK(pending.elements[1].elements[3].integer == 2);
  CHECK(pending.elements[2].elements[2].integer == 0);
}

TEST_CASE("XCLAIM FORCE creates pending entries; deleted entries leave the PEL") {
  Server server(config());
  three_entries_and_group(server);
  CHECK(cli(server, {"XCLAIM", "s", "g", "bob", "0", "1-0", "9-0", "FORCE", "JUSTID"}) ==
        "1) \"1-0\"\n");
  CHECK(cli(server, {"XCLAIM", "s", "g", "bob", "0", "2-0", "FORCE"}) ==
        "1) 1) \"2-0\"\n   2) 1) \"b\"\n      2) \"2\"\n");
  const Reply pending = run(server, {"XPENDING", "s", "g", "-", "+", "10"});
  CHECK(pending.elements[0].elements[3].integer == 1);
  CHECK(pending.elements[1].elements[3].integer == 2);
  run(server, {"XDEL", "s", "1-0"});
  CHECK(cli(server, {"XCLAIM", "s", "g", "carol", "0", "1-0"}) == "(empty array)\n");
  CHECK(cli(server, {"XPENDING", "s", "g"}) ==
        "1) (integer) 1\n2) \"2-0\"\n3) \"2-0\"\n4) 1) 1) \"bob\"\n      2) \"1\"\n");
}

TEST_CASE("XAUTOCLAIM claims idle entries, returns a cursor and the deleted IDs") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XADD", "s", "4-0", "d", "4"});
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  server.clock().advance(500);
  run(server, {"XDEL", "s", "2-0"});
  CHECK(cli(server, {"XAUTOCLAIM", "s", "g", "bob", "1000", "0"}) ==
        "1) \"0-0\"\n2) (empty array)\n3) 1) \"2-0\"\n");
  CHECK(cli(server, {"XAUTOCLAIM", "s", "g", "bob", "500", "0", "COUNT", "1", "JUSTID"}) ==
        "1) \"3-0\"\n2) 1) \"1-0\"\n3) (empty array)\n");
  CHECK(cli(server, {"XAUTOCLAIM", "s", "g", "bob", "500", "3-0"}) ==
        "1) \"0-0\"\n2) 1) 1) \"3-0\"\n      2) 1) \"c\"\n         2) \"3\"\n"
        "   2) 1) \"4-0\"\n      2) 1) \"d\"\n         2) \"4\"\n3) (empty array)\n");
  const Reply pending = run(server, {"XPENDING", "s", "g", "-", "+", "10", "bob"});
  REQUIRE(pending.elements.size() == 3);
  CHECK(pending.elements[0].elements[3].integer == 1);  // JUSTID
  CHECK(pending.elements[1].elements[3].integer == 2);
}

TEST_CASE("XAUTOCLAIM gives up after ten attempts per COUNT") {
  Server server(config());
  repeat(server, 30, {"XADD", "s", "1-*", "f", "v"});
  run(server, {"XGROUP", "CREATE", "s", "g", "0"});
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  CHECK(cli(server, {"XAUTOCLAIM", "s", "g", "bob", "100000", "0", "COUNT", "1"}) ==
        "1) \"1-10\"\n2) (empty array)\n3) (empty array)\n");
  CHECK(cli(server, {"XAUTOCLAIM", "s", "g", "bob", "100000", "1-10", "COUNT", "2"}) ==
        "1) \"0-0\"\n2) (empty array)\n3) (empty array)\n");
  CHECK(cli(server, {"XAUTOCLAIM", "s", "g", "bob", "0", "0", "COUNT", "0"}) ==
        "(error) ERR COUNT must be > 0\n");
}

TEST_CASE("XGROUP DELCONSUMER returns and drops the consumer's pending entries") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"});
  run(server, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"});
  CHECK(cli(server, {"XGROUP", "DELCONSUMER", "s", "g", "alice"}) == "(integer) 2\n");
  CHECK(cli(server, {"XGROUP", "DELCONSUMER", "s", "g", "alice"}) == "(integer) 0\n");
  CHECK(cli(server, {"XPENDING", "s", "g"}) ==
        "1) (integer) 1\n2) \"3-0\"\n3) \"3-0\"\n4) 1) 1) \"bob\"\n      2) \"1\"\n");
  CHECK(cli(server, {"XGROUP", "CREATECONSUMER", "s", "g", "bob"}) == "(integer) 0\n");
  CHECK(cli(server, {"XGROUP", "CREATECONSUMER", "s", "g", "carol"}) == "(integer) 1\n");
}

TEST_CASE("XGROUP checks options, then the key, then the group, then the ID") {
  Server server(config());
  run(server, {"SET", "str", "x"});
  CHECK(cli(server, {"XGROUP", "CREATE", "nokey", "g", "0", "ENTRIESREAD", "x"}) ==
        "(error) ERR value is not an integer or out of range\n");
  CHECK(cli(server, {"XGROUP", "CREATE", "str", "g", "x"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
  CHECK(cli(server, {"XGROUP", "CREATE", "nokey", "g", "x"}) ==
        "(error) ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you "
        "may want to use the MKSTREAM option to create an empty stream automatically.\n");
  CHECK(cli(server, {"XGROUP", "CREATE", "nokey", "g", "x", "MKSTREAM"}) ==
        "(error) ERR Invalid stream ID specified as stream command argument\n");
  CHECK(cli(server, {"EXISTS", "nokey"}) == "(integer) 0\n");
  run(server, {"XADD", "s", "1-0", "a", "1"});
  CHECK(cli(server, {"XGROUP", "SETID", "s", "nog", "0", "FOO", "1"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP "
        "HELP.\n");
  CHECK(cli(server, {"XGROUP", "SETID", "s", "nog", "0"}) ==
        "(error) NOGROUP No such consumer group 'nog' for key name 's'\n");
  CHECK(cli(server, {"xgroup", "create", "s", "g", "0", "mkstream", "x"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'create'. Try XGROUP "
        "HELP.\n");
  CHECK(cli(server, {"XGROUP", "CREATE", "s", "g", "0"}) == "OK\n");
  CHECK(cli(server, {"XGROUP", "CREATE", "s", "g", "0"}) ==
        "(error) BUSYGROUP Consumer Group name already exists\n");
}

TEST_CASE("Group lag and entries-read follow Redis 7.0 around tombstones") {
  Server server(config());
  for (int i = 1; i <= 5; ++i)
    run(server, {"XADD", "s", std::to_string(i) + "-0", "a", "1"});
  run(server, {"XGROUP", "CREATE", "s", "g1", "0"});
  run(server, {"XGROUP", "CREATE", "s", "g2", "2-0", "ENTRIESREAD", "2"});
  run(server, {"XGROUP", "CREATE", "s", "g3", "3"});
  auto group_field = [&](size_t group, size_t index) {
    return run(server, {"XINFO", "GROUPS", "s"}).elements.at(group).elements.at(index);
  };
  CHECK(group_field(0, 11).integer == 5);  // never read: estimated from the first entry
  CHECK(group_field(0, 9).type == ReplyType::Nil);
  CHECK(group_field(2, 11).type == ReplyType::Nil);  // inside the stream: unknown
  run(server, {"XDEL", "s", "3-0"});
  CHECK(group_field(0, 11).type == ReplyType::Nil);
  CHECK(group_field(1, 11).type == ReplyType::Nil);
  // The counter only checks for tombstones after the delivered entry, so it keeps counting.
  run(server, {"XREADGROUP", "GROUP", "g2", "c", "COUNT", "1", "STREAMS", "s", ">"});
  CHECK(group_field(1, 9).integer == 3);
  CHECK(group_field(1, 11).integer == 2);
  run(server, {"XREADGROUP", "GROUP", "g1", "c", "STREAMS", "s", ">"});
  CHECK(group_field(0, 9).integer == 5);
  CHECK(group_field(0, 11).integer == 0);
}

// Found with the sanitizer build: Redis's counter is a plain long long that wraps around.
TEST_CASE("entries-read and lag wrap around as in Redis when ENTRIESREAD starts at the limit") {
  Server server(config());
  run(server, {"XADD", "s", "1-1", "a", "1"});
  run(server, {"XADD", "s", "1-2", "a", "1"});
  run(server, {"XGROUP", "CREATE", "s", "g", "0", "ENTRIESREAD", "9223372036854775807"});
  auto group_field = [&](size_t index) {
    return run(server, {"XINFO", "GROUPS", "s"}).elements.at(0).elements.at(index).integer;
  };
  CHECK(group_field(11) == -9223372036854775805);  // lag: 2 - (2^63 - 1)
  run(server, {"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"});
  CHECK(group_field(9) == INT64_MIN);
  CHECK(group_field(11) == -9223372036854775806);
  run(server, {"XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"});
  CHECK(group_field(9) == -9223372036854775807);
  CHECK(group_field(11) == -9223372036854775807);
}

TEST_CASE("XSETID moves the last ID and counters within what the entries allow") {
  Server server(config());
  run(server, {"XADD", "s", "5-0", "a", "1"});
  run(server, {"XADD", "s", "6-0", "a", "1"});
  CHECK(cli(server, {"XSETID", "s", "5-0"}) ==
        "(error) ERR The ID specified in XSETID is smaller than the target stream top item\n");
  CHECK(cli(server, {"XSETID", "s", "7-0", "ENTRIESADDED", "1"}) ==
        "(error) ERR The entries_added specified in XSETID is smaller than the target stream "
        "length\n");
  CHECK(cli(server, {"XSETID", "s", "7-0", "ENTRIESADDED", "9", "MAXDELETEDID", "3-0"}) == "OK\n");
  CHECK(info_id(server, "s", "last-generated-id") == "7-0");
  CHECK(info_int(server, "s", "entries-added") == 9);
  CHECK(info_id(server, "s", "max-deleted-entry-id") == "3-0");
  // Below the current max-deleted-entry-id is fine in 7.0, and overwrites it.
  CHECK(cli(server, {"XSETID", "s", "7-0", "MAXDELETEDID", "1-0"}) == "OK\n");
  CHECK(info_id(server, "s", "max-deleted-entry-id") == "1-0");
  CHECK(cli(server, {"XADD", "s", "7-0", "a", "1"}).rfind("(error) ERR The ID specified", 0) == 0);
  CHECK(cli(server, {"XSETID", "nokey", "1"}) == "(error) ERR no such key\n");
}

// ---- bookkeeping ----

TEST_CASE("Stream writes invalidate WATCH; reads and group bookkeeping do not") {
  Server server(config());
  auto watch_then = [&](const std::vector<std::string>& command) {
    run(server, {"WATCH", "s"});
    run(server, command);
    run(server, {"MULTI"});
    run(server, {"PING"});
    return run(server, {"EXEC"}).type;
  };
  three_entries_and_group(server);
  CHECK(watch_then({"XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"}) == ReplyType::Array);
  CHECK(watch_then({"XACK", "s", "g", "1-0"}) == ReplyType::Array);
  CHECK(watch_then({"XSETID", "s", "9-0"}) == ReplyType::Array);
  CHECK(watch_then({"XDEL", "s", "9-9"}) == ReplyType::Array);
  CHECK(watch_then({"XDEL", "s", "1-0"}) == ReplyType::NullArray);
  CHECK(watch_then({"XTRIM", "s", "MAXLEN", "0"}) == ReplyType::NullArray);
  CHECK(watch_then({"XADD", "s", "10-0", "a", "1"}) == ReplyType::NullArray);
}

TEST_CASE("COPY gives an independent stream with its own groups") {
  Server server(config());
  three_entries_and_group(server);
  run(server, {"XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"});
  CHECK(cli(server, {"COPY", "s", "t"}) == "(integer) 1\n");
  run(server, {"XACK", "t", "g", "1-0", "2-0", "3-0"});
  run(server, {"XADD", "t", "4-0", "d", "4"});
  CHECK(cli(server, {"XLEN", "s"}) == "(integer) 3\n");
  CHECK(run(server, {"XPENDING", "s", "g"}).elements[0].integer == 3);
  CHECK(run(server, {"XPENDING", "t", "g"}).elements[0].integer == 0);
}

TEST_CASE("Stream and string commands refuse each other's keys") {
  Server server(config());
  const std::string wrong =
      "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n";
  run(server, {"SET", "str", "x"});
  CHECK(cli(server, {"XADD", "str", "NOMKSTREAM", "*", "a", "1"}) == wrong);
  CHECK(cli(server, {"XINFO", "STREAM", "str", "FOO"}) == wrong);
  CHECK(cli(server, {"XAUTOCLAIM", "str", "g", "c", "0", "0"}) == wrong);
  run(server, {"XADD", "s", "1-0", "a", "1"});
  CHECK(cli(server, {"GET", "s"}) == wrong);
  CHECK(cli(server, {"INCR", "s"}) == wrong);
}

TEST_CASE("XGROUP HELP and XINFO HELP print Redis's help lines") {
  Server server(config());
  const Reply xgroup = run(server, {"XGROUP", "HELP"});
  REQUIRE(xgroup.elements.size() == 17);
  CHECK(xgroup.elements[0].type == ReplyType::Status);
  CHECK(xgroup.elements[13].str == "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]");
  const Reply xinfo = run(server, {"XINFO", "HELP"});
  REQUIRE(xinfo.elements.size() == 9);
  CHECK(xinfo.elements[5].str == "STREAM <key> [FULL [COUNT <count>]");
}

TEST_CASE("A stream of 200000 entries stays quick to append, read and trim") {
  Server server(config());
  for (int i = 0; i < 200'000; ++i) {
    run(server, {"XADD", "s", "*", "n", std::to_string(i)});
    if (i % 1000 == 0) server.clock().advance(1);
  }
  CHECK(cli(server, {"XLEN", "s"}) == "(integer) 200000\n");
  CHECK(info_int(server, "s", "radix-tree-keys") == 2000);
  CHECK(run(server, {"XREVRANGE", "s", "+", "-", "COUNT", "1"})
            .elements[0]
            .elements[1]
            .elements[1]
            .str == "199999");
  // Without LIMIT, approximate trimming stops after 100 nodes of 100 entries.
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "~", "1000"}) == "(integer) 10000\n");
  CHECK(cli(server, {"XTRIM", "s", "MAXLEN", "~", "1000", "LIMIT", "0"}) == "(integer) 189000\n");
  CHECK(info_int(server, "s", "radix-tree-keys") == 10);
}
