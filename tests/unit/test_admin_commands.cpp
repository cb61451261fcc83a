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

namespace {

struct Sandbox {
  redpad::Server server{config()};

  static redpad::ServerConfig config() {
    redpad::ServerConfig config;
    config.start_time_ms = 1'700'000'000'000;
    return config;
  }

  redpad::Reply reply(const std::vector<std::string>& args) {
    return server.execute(server.default_session(), args);
  }
  std::string run(const std::vector<std::string>& args) {
    std::string text = redpad::format_reply_cli(reply(args));
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
};

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
  Sandbox s;
  CHECK(s.run({"SAVE"}) == "OK");
  CHECK(s.run({"BGSAVE"}) == "Background saving started");
  CHECK(s.run({"BGSAVE", "schedule"}) == "Background saving started");
  CHECK(s.run({"BGREWRITEAOF"}) == "Background append only file rewriting started");
}

TEST_CASE("BGSAVE accepts only SCHEDULE") {
  Sandbox s;
  CHECK(s.run({"BGSAVE", "later"}) == "(error) ERR syntax error");
  CHECK(s.run({"BGSAVE", "SCHEDULE", "now"}) == "(error) ERR syntax error");
  CHECK(s.run({"SAVE", "now"}) == "(error) ERR wrong number of arguments for 'save' command");
}

TEST_CASE("SAVE inside MULTI is refused and the transaction then fails") {
  Sandbox s;
  s.run({"MULTI"});
  CHECK(s.run({"SAVE"}) == "(error) ERR Command not allowed inside a transaction");
  CHECK(s.run({"PING"}) == "QUEUED");
  CHECK(s.run({"EXEC"}) == "(error) EXECABORT Transaction discarded because of previous errors.");
  CHECK(s.run({"SAVE"}) == "OK");
}

TEST_CASE("LASTSAVE is the time the server started, in seconds") {
  Sandbox s;
  CHECK(s.run({"LASTSAVE"}) == "(integer) 1700000000");
  s.run({"DEBUG", "SLEEP", "5"});
  CHECK(s.run({"LASTSAVE"}) == "(integer) 1700000000");
}

TEST_CASE("WAIT for no replicas answers 0 at once") {
  Sandbox s;
  CHECK(s.run({"WAIT", "0", "0"}) == "(integer) 0");
  CHECK(s.run({"WAIT", "-1", "1000"}) == "(integer) 0");
  CHECK(s.run({"WAIT", "0", "9223372036854775807"}) == "(integer) 0");
  CHECK(s.server.clock().now_ms() == 1'700'000'000'000);
}

TEST_CASE("WAIT for a replica lasts the whole timeout on the virtual clock") {
  Sandbox s;
  CHECK(s.run({"WAIT", "1", "100"}) == "(integer) 0");
  CHECK(s.server.clock().now_ms() == 1'700'000'000'100);
  CHECK(s.run({"WAIT", "3", "2500"}) == "(integer) 0");
  CHECK(s.server.clock().now_ms() == 1'700'000'002'600);
}

TEST_CASE("WAIT for a replica without a timeout is refused rather than blocking for ever") {
  Sandbox s;
  CHECK(s.run({"WAIT", "1", "0"}) ==
        "(error) ERR WAIT with timeout 0 would block for ever: this server has no replicas");
}

TEST_CASE("WAIT argument errors, replicas checked first") {
  Sandbox s;
  CHECK(s.run({"WAIT", "x", "-1"}) == "(error) ERR value is not an integer or out of range");
  CHECK(s.run({"WAIT", "1", "x"}) == "(error) ERR timeout is not an integer or out of range");
  CHECK(s.run({"WAIT", "0", "1.5"}) == "(error) ERR timeout is not an integer or out of range");
  CHECK(s.run({"WAIT", "0", "-1"}) == "(error) ERR timeout is negative");
  CHECK(s.run({"WAIT", "0"}) == "(error) ERR wrong number of arguments for 'wait' command");
}

TEST_CASE("ROLE of a master without replicas") {
  Sandbox s;
  CHECK(s.run({"ROLE"}) == "1) \"master\"\n2) (integer) 0\n3) (empty array)");
}

TEST_CASE("SLOWLOG is empty: no command takes 10 ms of virtual time") {
  Sandbox s;
  CHECK(s.run({"SLOWLOG", "LEN"}) == "(integer) 0");
  CHECK(s.run({"SLOWLOG", "GET"}) == "(empty array)");
  CHECK(s.run({"SLOWLOG", "GET", "-1"}) == "(empty array)");
  CHECK(s.run({"SLOWLOG", "GET", "0"}) == "(empty array)");
  CHECK(s.run({"SLOWLOG", "RESET"}) == "OK");
}

TEST_CASE("SLOWLOG GET count errors") {
  Sandbox s;
  const std::string count_error = "(error) ERR count should be greater than or equal to -1";
  CHECK(s.run({"SLOWLOG", "GET", "-2"}) == count_error);
  CHECK(s.run({"SLOWLOG", "GET", "x"}) == count_error);
  CHECK(s.run({"SLOWLOG", "GET", "99999999999999999999"}) == count_error);
  CHECK(s.run({"SLOWLOG", "get", "1", "2"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.");
}

TEST_CASE("SLOWLOG HELP") {
  Sandbox s;
  const redpad::Reply help = s.reply({"SLOWLOG", "HELP"});
  REQUIRE(help.elements.size() == 12);
  CHECK(help.elements[1].str == "GET [<count>]");
}

TEST_CASE("LATENCY with the monitor off has no samples") {
  Sandbox s;
  CHECK(s.run({"LATENCY", "LATEST"}) == "(empty array)");
  CHECK(s.run({"LATENCY", "HISTORY", "command"}) == "(empty array)");
  CHECK(s.run({"LATENCY", "RESET"}) == "(integer) 0");
  CHECK(s.run({"LATENCY", "RESET", "command", "fork"}) == "(integer) 0");
  CHECK(s.run({"LATENCY", "GRAPH", "command"}) ==
        "(error) ERR No samples available for event 'command'");
}

TEST_CASE("LATENCY DOCTOR explains that monitoring is disabled") {
  Sandbox s;
  const redpad::Reply report = s.reply({"LATENCY", "DOCTOR"});
  CHECK(report.type == redpad::ReplyType::Bulk);
  CHECK(report.str ==
        "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis "
        "instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order "
        "to enable it. If we weren't in a deep space mission I'd suggest to take a look at "
        "https://redis.io/topics/latency-monitor.\n");
}

TEST_CASE("LATENCY HELP") {
  Sandbox s;
  const redpad::Reply help = s.reply({"LATENCY", "HELP"});
  REQUIRE(help.elements.size() == 17);
  CHECK(help.elements[12].str == "HISTOGRAM [COMMAND ...]");
}

TEST_CASE("ACL describes the one default user") {
  Sandbox s;
  CHECK(s.run({"ACL", "WHOAMI"}) == "\"default\"");
  CHECK(s.run({"ACL", "USERS"}) == "1) \"default\"");
  CHECK(s.run({"ACL", "LIST"}) == "1) \"user default on nopass ~* &* +@all\"");
  CHECK(s.run({"ACL", "GETUSER", "default"}) ==
        " 1) \"flags\"\n 2) 1) \"on\"\n    2) \"nopass\"\n 3) \"passwords\"\n 4) (empty array)\n"
        " 5) \"commands\"\n 6) \"+@all\"\n 7) \"keys\"\n 8) \"~*\"\n 9) \"channels\"\n"
        "10) \"&*\"\n11) \"selectors\"\n12) (empty array)");
  CHECK(s.run({"ACL", "GETUSER", "DEFAULT"}) == "(nil)");
}

TEST_CASE("ACL CAT lists the 21 categories in Redis's order") {
  Sandbox s;
  const redpad::Reply cats = s.reply({"ACL", "CAT"});
  REQUIRE(cats.elements.size() == 21);
  CHECK(cats.elements[0].str == "keyspace");
  CHECK(cats.elements[4].str == "sortedset");
  CHECK(cats.elements[20].str == "scripting");
}

TEST_CASE("ACL CAT with a category lists the real server's commands in it") {
  Sandbox s;
  CHECK(strings_of(s.reply({"ACL", "CAT", "transaction"})) ==
        std::set<std::string>{"discard", "exec", "multi", "unwatch", "watch"});
  CHECK(strings_of(s.reply({"ACL", "CAT", "Geo"})) ==
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
    CHECK(s.reply({"ACL", "CAT", category}).elements.size() == size);
  }
}

TEST_CASE("ACL CAT errors") {
  Sandbox s;
  CHECK(s.run({"ACL", "CAT", "nothing"}) == "(error) ERR Unknown category 'nothing'");
  CHECK(s.run({"ACL", "cat", "a", "b"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP.");
}

TEST_CASE("ACL DRYRUN checks that the command exists and its arity fits") {
  Sandbox s;
  CHECK(s.run({"ACL", "DRYRUN", "default", "GET", "k"}) == "OK");
  CHECK(s.run({"ACL", "DRYRUN", "default", "ping", "a", "b"}) == "OK");
  CHECK(s.run({"ACL", "DRYRUN", "default", "config", "get", "maxmemory"}) == "OK");
  CHECK(s.run({"ACL", "DRYRUN", "default", "CLIENT", "ID"}) == "OK");
  CHECK(s.run({"ACL", "DRYRUN", "default", "get"}) ==
        "(error) ERR wrong number of arguments for 'get' command");
  CHECK(s.run({"ACL", "DRYRUN", "default", "client", "id", "x"}) ==
        "(error) ERR wrong number of arguments for 'client|id' command");
  CHECK(s.run({"ACL", "DRYRUN", "default", "client"}) ==
        "(error) ERR wrong number of arguments for 'client' command");
  CHECK(s.run({"ACL", "DRYRUN", "default", "client", "foo", "bar"}) ==
        "(error) ERR Command 'client' not found");
  CHECK(s.run({"ACL", "DRYRUN", "default", "client|id"}) ==
        "(error) ERR Command 'client|id' not found");
  CHECK(s.run({"ACL", "DRYRUN", "default", "foo"}) == "(error) ERR Command 'foo' not found");
  CHECK(s.run({"ACL", "DRYRUN", "bob", "get", "k"}) == "(error) ERR User 'bob' not found");
}

TEST_CASE("ACL DELUSER cannot remove the default user and finds no other") {
  Sandbox s;
  CHECK(s.run({"ACL", "DELUSER", "bob", "alice"}) == "(integer) 0");
  CHECK(s.run({"ACL", "DELUSER", "bob", "default"}) ==
        "(error) ERR The 'default' user cannot be removed");
}

TEST_CASE("ACL GENPASS makes a hex password of the asked number of bits") {
  Sandbox s;
  const redpad::Reply password = s.reply({"ACL", "GENPASS"});
  CHECK(password.str.size() == 64);
  CHECK(is_lower_hex(password.str));
  CHECK(s.reply({"ACL", "GENPASS", "1"}).str.size() == 1);
  CHECK(s.reply({"ACL", "GENPASS", "9"}).str.size() == 3);
  CHECK(s.reply({"ACL", "GENPASS", "4096"}).str.size() == 1024);
  CHECK(s.reply({"ACL", "GENPASS"}).str != password.str);
}

TEST_CASE("ACL GENPASS draws from the server's seeded random numbers") {
  Sandbox first;
  Sandbox second;
  CHECK(first.reply({"ACL", "GENPASS"}).str == second.reply({"ACL", "GENPASS"}).str);
}

TEST_CASE("ACL GENPASS argument errors") {
  Sandbox s;
  const std::string bits_error =
      "(error) ERR ACL GENPASS argument must be the number of bits for the output password, a "
      "positive number up to 4096";
  CHECK(s.run({"ACL", "GENPASS", "0"}) == bits_error);
  CHECK(s.run({"ACL", "GENPASS", "4097"}) == bits_error);
  CHECK(s.run({"ACL", "GENPASS", "x"}) == "(error) ERR value is not an integer or out of range");
  CHECK(s.run({"ACL", "GENPASS", "5", "6"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'GENPASS'. Try ACL "
        "HELP.");
}

TEST_CASE("ACL SAVE and LOAD need an ACL file") {
  Sandbox s;
  const std::string no_file =
      "(error) ERR This Redis instance is not configured to use an ACL file. You may want to "
      "specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you "
      "have a Redis configuration file set) in order to store users in the Redis configuration.";
  CHECK(s.run({"ACL", "SAVE"}) == no_file);
  CHECK(s.run({"ACL", "LOAD"}) == no_file);
}

TEST_CASE("ACL HELP") {
  Sandbox s;
  const redpad::Reply help = s.reply({"ACL", "HELP"});
  REQUIRE(help.elements.size() == 29);
  CHECK(help.elements[28].str == "    Prints this help.");
}

TEST_CASE("MODULE lists no module and refuses to load or unload one") {
  Sandbox s;
  CHECK(s.run({"MODULE", "LIST"}) == "(empty array)");
  const std::string disabled =
      "(error) ERR MODULE command not allowed. If the enable-module-command option is set to "
      "\"local\", you can run it from a local connection, otherwise you need to set this option "
      "in the configuration file, and then restart the server.";
  CHECK(s.run({"MODULE", "LOAD", "/nonexistent/module.so"}) == disabled);
  CHECK(s.run({"MODULE", "LOADEX", "/nonexistent/module.so", "ARGS", "a"}) == disabled);
  CHECK(s.run({"MODULE", "UNLOAD", "mymodule"}) == disabled);
  CHECK(s.reply({"MODULE", "HELP"}).elements.size() == 11);
}

TEST_CASE("admin commands are documented") {
  Sandbox s;
  for (const char* name : {"save", "bgsave", "bgrewriteaof", "lastsave", "wait", "role", "slowlog",
                           "latency", "acl", "module"}) {
    const redpad::CommandSpec* spec = s.server.commands().find(name);
    REQUIRE(spec);
    CHECK(spec->doc);
    for (const redpad::CommandSpec& sub : spec->subcommands)
      CHECK(sub.doc);
  }
}
