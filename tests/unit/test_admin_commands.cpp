// Administration commands: persistence, WAIT, ROLE, SLOWLOG, LATENCY, ACL and MODULE.
// Every expected reply below was checked against redis-server 7.0.15 (started without
// persistence, replicas, modules, ACL file or latency monitoring).
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"

namespace {

using redpad::test::TestServer;

std::set<std::string> strings_of(const redpad::Reply& reply) {
  std::set<std::string> out;
  for (const redpad::Reply& item : reply.elements)
    out.insert(item.str);
  return out;
}

bool is_lower_hex(const std::string& text) {
  return text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

TEST_CASE("SAVE, BGSAVE and BGREWRITEAOF answer as the real server does") {
  TestServer s;
  CHECK(s.cli_line({"SAVE"}) == "OK");
  CHECK(s.cli_line({"BGSAVE"}) == "Background saving started");
  CHECK(s.cli_line({"BGSAVE", "schedule"}) == "Background saving started");
  CHECK(s.cli_line({"BGREWRITEAOF"}) == "Background append only file rewriting started");
}

TEST_CASE("BGSAVE accepts only SCHEDULE") {
  TestServer s;
  CHECK(s.cli_line({"BGSAVE", "later"}) == "(error) ERR syntax error");
  CHECK(s.cli_line({"BGSAVE", "SCHEDULE", "now"}) == "(error) ERR syntax error");
  CHECK(s.cli_line({"SAVE", "now"}) == "(error) ERR wrong number of arguments for 'save' command");
}

TEST_CASE("SAVE inside MULTI is refused and the transaction then fails") {
  TestServer s;
  s.cli_line({"MULTI"});
  CHECK(s.cli_line({"SAVE"}) == "(error) ERR Command not allowed inside a transaction");
  CHECK(s.cli_line({"PING"}) == "QUEUED");
  CHECK(s.cli_line({"EXEC"}) ==
        "(error) EXECABORT Transaction discarded because of previous errors.");
  CHECK(s.cli_line({"SAVE"}) == "OK");
}

TEST_CASE("LASTSAVE is the time the server started, in seconds") {
  TestServer s;
  CHECK(s.cli_line({"LASTSAVE"}) == "(integer) 1700000000");
  s.cli_line({"DEBUG", "SLEEP", "5"});
  CHECK(s.cli_line({"LASTSAVE"}) == "(integer) 1700000000");
}

TEST_CASE("WAIT for no replicas answers 0 at once") {
  TestServer s;
  CHECK(s.cli_line({"WAIT", "0", "0"}) == "(integer) 0");
  CHECK(s.cli_line({"WAIT", "-1", "1000"}) == "(integer) 0");
  CHECK(s.cli_line({"WAIT", "0", "9223372036854775807"}) == "(integer) 0");
  CHECK(s.server.clock().now_ms() == 1'700'000'000'000);
}

TEST_CASE("WAIT for a replica lasts the whole timeout on the virtual clock") {
  TestServer s;
  CHECK(s.cli_line({"WAIT", "1", "100"}) == "(integer) 0");
  CHECK(s.server.clock().now_ms() == 1'700'000'000'100);
  CHECK(s.cli_line({"WAIT", "3", "2500"}) == "(integer) 0");
  CHECK(s.server.clock().now_ms() == 1'700'000'002'600);
}

TEST_CASE("WAIT for a replica without a timeout is refused rather than blocking for ever") {
  TestServer s;
  CHECK(s.cli_line({"WAIT", "1", "0"}) ==
        "(error) ERR WAIT with timeout 0 would block for ever: this server has no replicas");
}

TEST_CASE("WAIT argument errors, replicas checked first") {
  TestServer s;
  CHECK(s.cli_line({"WAIT", "x", "-1"}) == "(error) ERR value is not an integer or out of range");
  CHECK(s.cli_line({"WAIT", "1", "x"}) == "(error) ERR timeout is not an integer or out of range");
  CHECK(s.cli_line({"WAIT", "0", "1.5"}) ==
        "(error) ERR timeout is not an integer or out of range");
  CHECK(s.cli_line({"WAIT", "0", "-1"}) == "(error) ERR timeout is negative");
  CHECK(s.cli_line({"WAIT", "0"}) == "(error) ERR wrong number of arguments for 'wait' command");
}

TEST_CASE("ROLE of a master without replicas") {
  TestServer s;
  CHECK(s.cli_line({"ROLE"}) == "1) \"master\"\n2) (integer) 0\n3) (empty array)");
}

TEST_CASE("SLOWLOG is empty: no command takes 10 ms of virtual time") {
  TestServer s;
  CHECK(s.cli_line({"SLOWLOG", "LEN"}) == "(integer) 0");
  CHECK(s.cli_line({"SLOWLOG", "GET"}) == "(empty array)");
  CHECK(s.cli_line({"SLOWLOG", "GET", "-1"}) == "(empty array)");
  CHECK(s.cli_line({"SLOWLOG", "GET", "0"}) == "(empty array)");
  CHECK(s.cli_line({"SLOWLOG", "RESET"}) == "OK");
}

TEST_CASE("SLOWLOG GET count errors") {
  TestServer s;
  const std::string count_error = "(error) ERR count should be greater than or equal to -1";
  CHECK(s.cli_line({"SLOWLOG", "GET", "-2"}) == count_error);
  CHECK(s.cli_line({"SLOWLOG", "GET", "x"}) == count_error);
  CHECK(s.cli_line({"SLOWLOG", "GET", "99999999999999999999"}) == count_error);
  CHECK(s.cli_line({"SLOWLOG", "get", "1", "2"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.");
}

TEST_CASE("SLOWLOG HELP") {
  TestServer s;
  const redpad::Reply help = s.run({"SLOWLOG", "HELP"});
  REQUIRE(help.elements.size() == 12);
  CHECK(help.elements[1].str == "GET [<count>]");
}

TEST_CASE("LATENCY with the monitor off has no samples") {
  TestServer s;
  CHECK(s.cli_line({"LATENCY", "LATEST"}) == "(empty array)");
  CHECK(s.cli_line({"LATENCY", "HISTORY", "command"}) == "(empty array)");
  CHECK(s.cli_line({"LATENCY", "RESET"}) == "(integer) 0");
  CHECK(s.cli_line({"LATENCY", "RESET", "command", "fork"}) == "(integer) 0");
  CHECK(s.cli_line({"LATENCY", "GRAPH", "command"}) ==
        "(error) ERR No samples available for event 'command'");
}

TEST_CASE("LATENCY DOCTOR explains that monitoring is disabled") {
  TestServer s;
  const redpad::Reply report = s.run({"LATENCY", "DOCTOR"});
  CHECK(report.type == redpad::ReplyType::Bulk);
  CHECK(report.str ==
        "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis "
        "instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order "
        "to enable it. If we weren't in a deep space mission I'd suggest to take a look at "
        "https://redis.io/topics/latency-monitor.\n");
}

TEST_CASE("LATENCY HELP") {
  TestServer s;
  const redpad::Reply help = s.run({"LATENCY", "HELP"});
  REQUIRE(help.elements.size() == 17);
  CHECK(help.elements[12].str == "HISTOGRAM [COMMAND ...]");
}

TEST_CASE("ACL describes the one default user") {
  TestServer s;
  CHECK(s.cli_line({"ACL", "WHOAMI"}) == "\"default\"");
  CHECK(s.cli_line({"ACL", "USERS"}) == "1) \"default\"");
  CHECK(s.cli_line({"ACL", "LIST"}) == "1) \"user default on nopass ~* &* +@all\"");
  CHECK(s.cli_line({"ACL", "GETUSER", "default"}) ==
        " 1) \"flags\"\n 2) 1) \"on\"\n    2) \"nopass\"\n 3) \"passwords\"\n 4) (empty array)\n"
        " 5) \"commands\"\n 6) \"+@all\"\n 7) \"keys\"\n 8) \"~*\"\n 9) \"channels\"\n"
        "10) \"&*\"\n11) \"selectors\"\n12) (empty array)");
  CHECK(s.cli_line({"ACL", "GETUSER", "DEFAULT"}) == "(nil)");
}

TEST_CASE("ACL CAT lists the 21 categories in Redis's order") {
  TestServer s;
  const redpad::Reply cats = s.run({"ACL", "CAT"});
  REQUIRE(cats.elements.size() == 21);
  CHECK(cats.elements[0].str == "keyspace");
  CHECK(cats.elements[4].str == "sortedset");
  CHECK(cats.elements[20].str == "scripting");
}

TEST_CASE("ACL CAT with a category lists the real server's commands in it") {
  TestServer s;
  CHECK(strings_of(s.run({"ACL", "CAT", "transaction"})) ==
        std::set<std::string>{"discard", "exec", "multi", "unwatch", "watch"});
  CHECK(strings_of(s.run({"ACL", "CAT", "Geo"})) ==
        std::set<std::string>{"geoadd", "geodist", "geohash", "geopos", "georadius", "georadius_ro",
                              "georadiusbymember", "georadiusbymember_ro", "geosearch",
                              "geosearchstore"});
  // How many commands and subcommands each category holds in Redis 7.0.15.
  const std::map<std::string, size_t> sizes = {
      {"keyspace", 34}, {"read", 87},     {"write", 108},    {"set", 19},        {"sortedset", 37},
      {"list", 24},     {"hash", 16},     {"string", 22},    {"bitmap", 7},      {"hyperloglog", 5},
      {"geo", 10},      {"stream", 23},   {"pubsub", 13},    {"admin", 65},      {"fast", 99},
      {"slow", 267},    {"blocking", 10}, {"dangerous", 75}, {"connection", 35}, {"transaction", 5},
      {"scripting", 21}};
  for (const auto& item : sizes) {  // (clang cannot capture structured bindings)
    const auto& category = item.first;
    const auto size = item.second;
    CAPTURE(category);
    CHECK(s.run({"ACL", "CAT", category}).elements.size() == size);
  }
}

TEST_CASE("ACL CAT errors") {
  TestServer s;
  CHECK(s.cli_line({"ACL", "CAT", "nothing"}) == "(error) ERR Unknown category 'nothing'");
  CHECK(s.cli_line({"ACL", "cat", "a", "b"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP.");
}

TEST_CASE("ACL DRYRUN checks that the command exists and its arity fits") {
  TestServer s;
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "GET", "k"}) == "OK");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "ping", "a", "b"}) == "OK");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "config", "get", "maxmemory"}) == "OK");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "CLIENT", "ID"}) == "OK");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "get"}) ==
        "(error) ERR wrong number of arguments for 'get' command");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "client", "id", "x"}) ==
        "(error) ERR wrong number of arguments for 'client|id' command");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "client"}) ==
        "(error) ERR wrong number of arguments for 'client' command");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "client", "foo", "bar"}) ==
        "(error) ERR Command 'client' not found");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "client|id"}) ==
        "(error) ERR Command 'client|id' not found");
  CHECK(s.cli_line({"ACL", "DRYRUN", "default", "foo"}) == "(error) ERR Command 'foo' not found");
  CHECK(s.cli_line({"ACL", "DRYRUN", "bob", "get", "k"}) == "(error) ERR User 'bob' not found");
}

TEST_CASE("ACL DELUSER cannot remove the default user and finds no other") {
  TestServer s;
  CHECK(s.cli_line({"ACL", "DELUSER", "bob", "alice"}) == "(integer) 0");
  CHECK(s.cli_line({"ACL", "DELUSER", "bob", "default"}) ==
        "(error) ERR The 'default' user cannot be removed");
}

TEST_CASE("ACL GENPASS makes a hex password of the asked number of bits") {
  TestServer s;
  const redpad::Reply password = s.run({"ACL", "GENPASS"});
  CHECK(password.str.size() == 64);
  CHECK(is_lower_hex(password.str));
  CHECK(s.run({"ACL", "GENPASS", "1"}).str.size() == 1);
  CHECK(s.run({"ACL", "GENPASS", "9"}).str.size() == 3);
  CHECK(s.run({"ACL", "GENPASS", "4096"}).str.size() == 1024);
  CHECK(s.run({"ACL", "GENPASS"}).str != password.str);
}

TEST_CASE("ACL GENPASS draws from the server's seeded random numbers") {
  TestServer first;
  TestServer second;
  CHECK(first.run({"ACL", "GENPASS"}).str == second.run({"ACL", "GENPASS"}).str);
}

TEST_CASE("ACL GENPASS argument errors") {
  TestServer s;
  const std::string bits_error =
      "(error) ERR ACL GENPASS argument must be the number of bits for the output password, a "
      "positive number up to 4096";
  CHECK(s.cli_line({"ACL", "GENPASS", "0"}) == bits_error);
  CHECK(s.cli_line({"ACL", "GENPASS", "4097"}) == bits_error);
  CHECK(s.cli_line({"ACL", "GENPASS", "x"}) ==
        "(error) ERR value is not an integer or out of range");
  CHECK(s.cli_line({"ACL", "GENPASS", "5", "6"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'GENPASS'. Try ACL "
        "HELP.");
}

TEST_CASE("ACL SAVE and LOAD need an ACL file") {
  TestServer s;
  const std::string no_file =
      "(error) ERR This Redis instance is not configured to use an ACL file. You may want to "
      "specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you "
      "have a Redis configuration file set) in order to store users in the Redis configuration.";
  CHECK(s.cli_line({"ACL", "SAVE"}) == no_file);
  CHECK(s.cli_line({"ACL", "LOAD"}) == no_file);
}

TEST_CASE("ACL HELP") {
  TestServer s;
  const redpad::Reply help = s.run({"ACL", "HELP"});
  REQUIRE(help.elements.size() == 29);
  CHECK(help.elements[28].str == "    Prints this help.");
}

TEST_CASE("MODULE lists no module and refuses to load or unload one") {
  TestServer s;
  CHECK(s.cli_line({"MODULE", "LIST"}) == "(empty array)");
  const std::string disabled =
      "(error) ERR MODULE command not allowed. If the enable-module-command option is set to "
      "\"local\", you can run it from a local connection, otherwise you need to set this option "
      "in the configuration file, and then restart the server.";
  CHECK(s.cli_line({"MODULE", "LOAD", "/nonexistent/module.so"}) == disabled);
  CHECK(s.cli_line({"MODULE", "LOADEX", "/nonexistent/module.so", "ARGS", "a"}) == disabled);
  CHECK(s.cli_line({"MODULE", "UNLOAD", "mymodule"}) == disabled);
  CHECK(s.run({"MODULE", "HELP"}).elements.size() == 11);
}

TEST_CASE("admin commands are documented") {
  TestServer s;
  for (const char* name : {"save", "bgsave", "bgrewriteaof", "lastsave", "wait", "role", "slowlog",
                           "latency", "acl", "module"}) {
    const redpad::CommandSpec* spec = s.server.commands().find(name);
    REQUIRE(spec);
    CHECK(spec->doc);
    for (const redpad::CommandSpec& sub : spec->subcommands)
      CHECK(sub.doc);
  }
}
