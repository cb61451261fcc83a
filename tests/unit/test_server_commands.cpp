// Server commands: the command table and its documentation, TIME and INFO on the virtual
// clock, DEBUG, and servers side by side.
#include <algorithm>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "ascii.h"
#include "command_table.h"
#include "test_helpers.h"

using redpad::builtin_command_table;
using redpad::CommandSpec;
using redpad::Reply;
using redpad::ReplyType;
using namespace redpad::test;

namespace {

const Reply kOk = Reply::ok();

// Every spec of the table, subcommands after their container.
std::vector<const CommandSpec*> all_specs() {
  std::vector<const CommandSpec*> out;
  for (const CommandSpec& spec : builtin_command_table().all()) {
    out.push_back(&spec);
    for (const CommandSpec& sub : spec.subcommands)
      out.push_back(&sub);
  }
  return out;
}

std::string info(Server& server, const std::string& section) {
  const Reply reply = run(server, {"INFO", section});
  REQUIRE(reply.type == ReplyType::Bulk);
  return reply.str;
}

// The value of one "field:value" line of an INFO text.
std::string info_field(const std::string& text, const std::string& field) {
  const size_t at = text.find("\r\n" + field + ":");
  REQUIRE_MESSAGE(at != std::string::npos, "no INFO field ", field);
  const size_t start = at + field.size() + 3;
  return text.substr(start, text.find("\r\n", start) - start);
}

}  // namespace

// ---- the command table ----

TEST_CASE("COMMAND COUNT equals the number of top-level rows in the table") {
  Server server(config());
  CHECK(run(server, {"COMMAND", "COUNT"}) ==
        integer(static_cast<long long>(builtin_command_table().size())));
}

TEST_CASE("COMMAND LIST names every command and subcommand of the table once") {
  Server server(config());
  const Reply reply = run(server, {"COMMAND", "LIST"});
  REQUIRE(reply.type == ReplyType::Array);
  std::multiset<std::string> listed;
  for (const Reply& name : reply.elements)
    listed.insert(name.str);
  std::multiset<std::string> expected;
  for (const CommandSpec* spec : all_specs())
    expected.insert(spec->name);
  CHECK(listed == expected);
  CHECK(listed.count("object|encoding") == 1);
  CHECK(listed.count("set") == 1);
}

TEST_CASE("COMMAND LIST FILTERBY PATTERN matches full names case-insensitively") {
  Server server(config());
  const Reply reply = run(server, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "OBJECT|E*"});
  CHECK(reply == bulks({"object|encoding"}));
  CHECK(run(server, {"COMMAND", "LIST", "FILTERBY", "PATTERN", "G?T"}) == bulks({"get"}));
}

TEST_CASE("COMMAND LIST FILTERBY MODULE lists nothing; an unknown filter is a syntax error") {
  Server server(config());
  CHECK(run(server, {"COMMAND", "LIST", "FILTERBY", "MODULE", "x"}) == array());
  CHECK(run(server, {"COMMAND", "LIST", "FILTERBY", "nosuch", "x"}) == error("ERR syntax error"));
}

TEST_CASE("Every command and subcommand has its captured documentation") {
  for (const CommandSpec* spec : all_specs()) {
    CAPTURE(spec->name);
    REQUIRE(spec->doc != nullptr);
    CHECK(std::string(spec->doc->name) == spec->name);
    CHECK(std::strlen(spec->doc->summary) > 0);
    CHECK(std::strlen(spec->doc->since) > 0);
  }
}

TEST_CASE("Every command's documentation group is one redis-cli's help knows") {
  const std::set<std::string> groups = {"generic",    "string", "list",      "set",
                                        "sorted-set", "hash",   "pubsub",    "transactions",
                                        "connection", "server", "scripting", "hyperloglog",
                                        "cluster",    "geo",    "stream",    "bitmap"};
  for (const CommandSpec* spec : all_specs()) {
    CAPTURE(spec->name);
    CHECK(groups.count(spec->doc->group) == 1);
  }
}

TEST_CASE("Table rows are lower case and subcommands are named parent|sub") {
  for (const CommandSpec& spec : builtin_command_table().all()) {
    CAPTURE(spec.name);
    CHECK(spec.name == redpad::ascii_lower(spec.name));
    CHECK(spec.name.find('|') == std::string::npos);
    CHECK((spec.handler != nullptr || !spec.subcommands.empty()));
    for (const CommandSpec& sub : spec.subcommands) {
      CAPTURE(sub.name);
      CHECK(sub.name.rfind(spec.name + "|", 0) == 0);
      CHECK((sub.handler != nullptr));
    }
  }
}

TEST_CASE("The table finds commands case-insensitively and subcommands by their own name") {
  const auto& table = builtin_command_table();
  const CommandSpec* object = table.find("oBjEcT");
  REQUIRE(object != nullptr);
  const CommandSpec* encoding = object->find_subcommand("ENCODING");
  REQUIRE(encoding != nullptr);
  CHECK(encoding->name == "object|encoding");
  CHECK(encoding->display_name() == "OBJECT ENCODING");
  CHECK(table.find("nosuch") == nullptr);
  CHECK(table.find("object|encoding") == nullptr);
}

TEST_CASE("Arity is checked centrally from the table, before any handler") {
  Server server(config());
  CHECK(run(server, {"GET"}) == error("ERR wrong number of arguments for 'get' command"));
  CHECK(run(server, {"get", "a", "b"}) == error("ERR wrong number of arguments for 'get' command"));
  CHECK(run(server, {"OBJECT", "ENCODING"}) ==
        error("ERR wrong number of arguments for 'object|encoding' command"));
  CHECK(server.stats().commands_processed == 0);
}

TEST_CASE("An unknown command's error quotes its arguments") {
  Server server(config());
  CHECK(run(server, {"NOSUCH", "a", "b c"}) ==
        error("ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b c' "));
  CHECK(run(server, {"nosuch"}) ==
        error("ERR unknown command 'nosuch', with args beginning with: "));
}

TEST_CASE("An empty argument list is answered with nil and runs nothing") {
  Server server(config());
  CHECK(server.execute(server.default_session(), {}) == Reply::nil());
  CHECK(server.stats().commands_processed == 0);
}

TEST_CASE("COMMAND DOCS gives a subcommand's entry under its full name") {
  Server server(config());
  const Reply reply = run(server, {"COMMAND", "DOCS", "object|encoding", "nosuch"});
  REQUIRE(reply.type == ReplyType::Array);
  REQUIRE(reply.elements.size() == 2);
  CHECK(reply.elements[0] == bulk("object|encoding"));
  CHECK(reply.elements[1].elements.at(1) ==
        bulk("Inspect the internal encoding of a Redis object"));
}

TEST_CASE("COMMAND DOCS of a container lists its subcommands") {
  Server server(config());
  const Reply reply = run(server, {"COMMAND", "DOCS", "object"});
  REQUIRE(reply.elements.size() == 2);
  const Reply& docs = reply.elements[1];
  const auto key = std::find(docs.elements.begin(), docs.elements.end(), bulk("subcommands"));
  REQUIRE(key != docs.elements.end());
  const Reply& subs = *(key + 1);
  std::vector<std::string> names;
  for (size_t i = 0; i < subs.elements.size(); i += 2)
    names.push_back(subs.elements[i].str);
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"object|encoding", "object|freq", "object|help",
                                          "object|refcount"});
}

// ---- TIME and INFO on the virtual clock ----

TEST_CASE("TIME follows the virtual clock: seconds and microseconds") {
  Server server(config());
  CHECK(run(server, {"TIME"}) == bulks({"1700000000", "0"}));
  server.clock().advance(1234);
  CHECK(run(server, {"TIME"}) == bulks({"1700000001", "234000"}));
  run(server, {"DEBUG", "SLEEP", "0.5"});
  CHECK(run(server, {"TIME"}) == bulks({"1700000001", "734000"}));
}

TEST_CASE("INFO server reports Redis 7.0.15") {
  Server server(config());
  const std::string text = info(server, "server");
  CHECK(first_lines(text, 2) == "# Server\r\nredis_version:7.0.15\r\n");
  CHECK(info_field(text, "redis_mode") == "standalone");
}

TEST_CASE("INFO server's uptime and time come from the virtual clock") {
  Server server(config());
  CHECK(info_field(info(server, "server"), "uptime_in_seconds") == "0");
  server.clock().advance(90'061'999);  // 1 day, 1 hour, 1 minute, 1.999 s
  const std::string text = info(server, "server");
  CHECK(info_field(text, "uptime_in_seconds") == "90061");
  CHECK(info_field(text, "uptime_in_days") == "1");
  CHECK(info_field(text, "server_time_usec") == "1700090061999000");
}

TEST_CASE("INFO with no argument gives every section, separated by a blank line") {
  Server server(config());
  Server twin(config());
  run(server, {"SET", "k", "v"});
  run(twin, {"SET", "k", "v"});
  const std::string text = run(server, {"INFO"}).str;
  // used_memory is the process's heap, which moves between two calls: left out here.
  auto without_used_memory = [](std::string info_text) {
    for (const char* field : {"used_memory:", "used_memory_human:"}) {
      const size_t start = info_text.find(field);
      if (start != std::string::npos) info_text.erase(start, info_text.find("\r\n", start) - start);
    }
    return info_text;
  };
  CHECK(without_used_memory(text) == without_used_memory(info(twin, "default")));
  CHECK(text.find("# Server\r\n") == 0);
  CHECK(text.find("\r\n\r\n# Clients\r\n") != std::string::npos);
  CHECK(text.find("\r\n\r\n# Stats\r\n") != std::string::npos);
  CHECK(last_lines(text, 3) == "\r\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
}

TEST_CASE("INFO picks sections case-insensitively and in its own order") {
  Server server(config());
  const std::string text = run(server, {"INFO", "KEYSPACE", "clients"}).str;
  CHECK(first_lines(text, 1) == "# Clients\r\n");
  CHECK(last_lines(text, 2) == "\r\n# Keyspace\r\n");
  CHECK(text.find("# Server") == std::string::npos);
  CHECK(run(server, {"INFO", "nosuch"}) == bulk(""));
}

TEST_CASE("INFO keyspace lists each non-empty database") {
  Server server(config());
  run(server, {"SET", "a", "1"});
  run(server, {"SELECT", "12"});
  run(server, {"MSET", "b", "2", "c", "3"});
  CHECK(info(server, "keyspace") ==
        "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb12:keys=2,expires=0,avg_ttl=0\r\n");
}

TEST_CASE("INFO stats counts the commands run before it, not itself") {
  // Redis counts a command once it has run: CONFIG RESETSTAT, then INFO stats, answers
  // total_commands_processed:1 (the RESETSTAT).
  Server server(config());
  run(server, {"PING"});
  CHECK(info_field(info(server, "stats"), "total_commands_processed") == "1");
}

TEST_CASE("Refused commands are not counted as processed; EXEC and its commands are") {
  Server server(config());
  run(server, {"NOSUCH"});
  run(server, {"GET"});
  CHECK(server.stats().commands_processed == 0);
  run(server, {"MULTI"});
  run(server, {"SET", "a", "1"});
  run(server, {"GET", "a"});
  run(server, {"EXEC"});
  CHECK(server.stats().commands_processed == 4);
}

// ---- connection and database commands ----

TEST_CASE("PING answers PONG, or its argument as a bulk string") {
  Server server(config());
  CHECK(run(server, {"PING"}) == status("PONG"));
  CHECK(run(server, {"PING", "hi"}) == bulk("hi"));
  CHECK(run(server, {"PING", "a", "b"}) ==
        error("ERR wrong number of arguments for 'ping' command"));
  CHECK(run(server, {"ECHO", std::string("a\0b", 3)}) == bulk(std::string("a\0b", 3)));
}

TEST_CASE("SWAPDB names which index is not a number") {
  Server server(config());
  CHECK(run(server, {"SWAPDB", "a", "1"}) == error("ERR invalid first DB index"));
  CHECK(run(server, {"SWAPDB", "1", "a"}) == error("ERR invalid second DB index"));
  CHECK(run(server, {"SWAPDB", "3", "3"}) == kOk);
}

TEST_CASE("FLUSHDB and FLUSHALL take ASYNC or SYNC and nothing else") {
  Server server(config());
  CHECK(run(server, {"FLUSHDB", "sync"}) == kOk);
  CHECK(run(server, {"FLUSHALL", "ASYNC"}) == kOk);
  CHECK(run(server, {"FLUSHDB", "x"}) == error("ERR syntax error"));
  CHECK(run(server, {"FLUSHALL", "SYNC", "ASYNC"}) == error("ERR syntax error"));
}

TEST_CASE("FLUSHDB empties only the selected database") {
  Server server(config());
  run(server, {"SET", "zero", "v"});
  run(server, {"SELECT", "1"});
  run(server, {"SET", "one", "v", "PX", "100"});
  CHECK(run(server, {"FLUSHDB"}) == kOk);
  CHECK(server.db(1).size() == 0);
  CHECK(server.db(1).volatile_count() == 0);
  CHECK(server.db(0).size() == 1);
}

// ---- DEBUG ----

TEST_CASE("DEBUG with an unknown subcommand or a wrong count names the subcommand") {
  Server server(config());
  CHECK(run(server, {"DEBUG", "nosuch"}) ==
        error("ERR unknown subcommand or wrong number of arguments for 'nosuch'. Try DEBUG HELP."));
  CHECK(run(server, {"DEBUG", "SLEEP"}) ==
        error("ERR unknown subcommand or wrong number of arguments for 'SLEEP'. Try DEBUG HELP."));
  CHECK(
      run(server, {"DEBUG", "POPULATE", "1", "2", "3", "4"}) ==
      error("ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP."));
}

TEST_CASE("DEBUG HELP describes SLEEP as moving the virtual clock") {
  Server server(config());
  const Reply help = run(server, {"DEBUG", "HELP"});
  REQUIRE(help.type == ReplyType::Array);
  REQUIRE(help.elements.size() >= 2);
  CHECK(help.elements[0] ==
        status("DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
  CHECK(std::find(help.elements.begin(), help.elements.end(), status("SLEEP <seconds>")) !=
        help.elements.end());
}

TEST_CASE("A very long DEBUG SLEEP is capped at a hundred years") {
  Server server(config());
  CHECK(run(server, {"DEBUG", "SLEEP", "1e300"}) == kOk);
  CHECK(server.clock().advanced_ms() == 100LL * 365 * 24 * 3600 * 1000);
  CHECK(run(server, {"DEBUG", "SLEEP", "inf"}) == kOk);
  CHECK(server.clock().advanced_ms() == 2 * 100LL * 365 * 24 * 3600 * 1000);
}

// Each sleep is capped, but enough of them (500,000 a Run on the page, Run after Run) would
// overflow the clock: it stops instead, and expiry still works there.
TEST_CASE("The virtual clock stops some 285,000 years ahead rather than overflow") {
  Server server(config());
  server.clock().advance(INT64_MAX);
  server.clock().advance(INT64_MAX);
  CHECK(server.clock().now_ms() == kStartMs + redpad::VirtualClock::kMaxAdvanceMs);
  CHECK(run(server, {"DEBUG", "SLEEP", "1e300"}) == kOk);
  CHECK(server.clock().now_ms() == kStartMs + redpad::VirtualClock::kMaxAdvanceMs);
  CHECK(run(server, {"SET", "k", "v", "EX", "10"}) == kOk);
  CHECK(run(server, {"TTL", "k"}) == integer(10));
}

// ---- servers side by side ----

TEST_CASE("Two servers are independent: keys, clocks and sessions") {
  Server first(config());
  Server second(config());
  run(first, {"SET", "k", "first", "PX", "100"});
  CHECK(run(second, {"GET", "k"}) == Reply::nil());
  run(second, {"SET", "k", "second", "PX", "100"});
  run(second, {"DEBUG", "SLEEP", "1"});
  CHECK(second.clock().now_ms() == kStartMs + 1000);
  CHECK(first.clock().now_ms() == kStartMs);
  CHECK(run(first, {"GET", "k"}) == bulk("first"));
  CHECK(run(second, {"GET", "k"}) == Reply::nil());
  run(first, {"SELECT", "4"});
  CHECK(second.default_session().db == 0);
}

TEST_CASE("A server's clock starts at the configured time") {
  redpad::ServerConfig c = config();
  c.start_time_ms = 86'400'000;
  Server server(c);
  CHECK(run(server, {"TIME"}) == bulks({"86400", "0"}));
  CHECK(info_field(info(server, "server"), "uptime_in_seconds") == "0");
}

TEST_CASE("Sessions get distinct ids and closing one stops its watches") {
  Server server(config());
  ClientSession& a = server.create_session("a");
  ClientSession& b = server.create_session("b");
  CHECK(a.id != b.id);
  CHECK(a.id != server.default_session().id);
  CHECK(a.label == "a");
  CHECK(a.name.empty());  // CLIENT SETNAME's, as for a new connection
  run(server, a, {"WATCH", "k"});
  server.close_session(a.id);
  run(server, b, {"SET", "k", "v"});  // must not touch the closed session
  CHECK(run(server, b, {"GET", "k"}) == bulk("v"));
  const std::uint64_t default_id = server.default_session().id;
  server.close_session(default_id);
  server.close_session(b.id);
  // The last session always stays.
  CHECK(run(server, {"PING"}) == status("PONG"));
}

TEST_CASE("CONFIG SET maxmemory reads Redis's memory units; CONFIG GET shows bytes") {
  Server server(config());
  CHECK(cli_lines(server, {"CONFIG SET maxmemory 64mb", "CONFIG GET maxmemory"}) ==
        "OK\n1) \"maxmemory\"\n2) \"67108864\"\n");
  CHECK(cli(server, "CONFIG SET maxmemory 1.5mb") ==
        "(error) ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument "
        "must be a memory value\n");
  CHECK(server.config().maxmemory == 64ull << 20);
  CHECK(cli(server, "CONFIG SET maxmemory-policy allkeys-lru") ==
        "(error) ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - "
        "redpad does not evict keys: only noeviction is supported\n");
}

TEST_CASE("INFO memory reports the heap in use, maxmemory and the policy") {
  Server server(config());
  run(server, {"CONFIG", "SET", "maxmemory", "64mb"});
  const std::string info = run(server, {"INFO", "memory"}).str;
  CHECK(info.rfind("# Memory\r\nused_memory:", 0) == 0);
  CHECK(info.find("\r\nmaxmemory:67108864\r\nmaxmemory_human:64.00M\r\n"
                  "maxmemory_policy:noeviction\r\n") != std::string::npos);
  const auto used = std::stoull(info.substr(info.find("used_memory:") + 12));
  CHECK(used > 0);
}

TEST_CASE("DEBUG POPULATE stops at maxmemory with the OOM error, keeping the keys made") {
  // Real Redis would go on past maxmemory; a browser tab cannot.
  Server server(config_with_headroom(2 << 20));
  CHECK(run(server, {"DEBUG", "POPULATE", "1000000"}) ==
        error("OOM command not allowed when used memory > 'maxmemory'."));
  const long long made = run(server, {"DBSIZE"}).integer;
  CHECK(made > 1000);
  CHECK(made < 1000000);
  CHECK(run(server, {"DEBUG", "POPULATE", "10", "big", "100000000"}) ==
        error("OOM command not allowed when used memory > 'maxmemory'."));
  CHECK(run(server, {"DBSIZE"}).integer == made);
}
