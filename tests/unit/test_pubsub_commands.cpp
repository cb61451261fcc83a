// Pub/Sub on a server nobody is subscribed to. Every expected reply below was checked
// against redis-server 7.0.15.
#include <doctest/doctest.h>

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

}  // namespace

TEST_CASE("PUBLISH and SPUBLISH reach no subscriber") {
  Sandbox s;
  CHECK(s.run({"PUBLISH", "news", "hello"}) == "(integer) 0");
  CHECK(s.run({"SPUBLISH", "orders:1", "created"}) == "(integer) 0");
  CHECK(s.run({"PUBLISH", "news"}) ==
        "(error) ERR wrong number of arguments for 'publish' command");
  CHECK(s.run({"SPUBLISH", "a", "b", "c"}) ==
        "(error) ERR wrong number of arguments for 'spublish' command");
}

TEST_CASE("PUBLISH leaves a key of the same name alone") {
  Sandbox s;
  s.run({"SET", "news", "v"});
  s.run({"PUBLISH", "news", "hello"});
  CHECK(s.run({"GET", "news"}) == "\"v\"");
}

TEST_CASE("PUBSUB CHANNELS and SHARDCHANNELS list no active channel") {
  Sandbox s;
  s.run({"PUBLISH", "news", "hello"});
  CHECK(s.run({"PUBSUB", "CHANNELS"}) == "(empty array)");
  CHECK(s.run({"PUBSUB", "CHANNELS", "news*"}) == "(empty array)");
  CHECK(s.run({"PUBSUB", "SHARDCHANNELS"}) == "(empty array)");
  CHECK(s.run({"PUBSUB", "SHARDCHANNELS", "*"}) == "(empty array)");
}

TEST_CASE("PUBSUB CHANNELS and SHARDCHANNELS take one pattern at most") {
  Sandbox s;
  CHECK(s.run({"PUBSUB", "channels", "a", "b"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB "
        "HELP.");
  CHECK(s.run({"PUBSUB", "SHARDCHANNELS", "a", "b"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try "
        "PUBSUB HELP.");
}

TEST_CASE("PUBSUB NUMSUB and SHARDNUMSUB count 0 for each channel asked, repeats included") {
  Sandbox s;
  CHECK(s.run({"PUBSUB", "NUMSUB"}) == "(empty array)");
  CHECK(s.run({"PUBSUB", "NUMSUB", "a", "b", "a"}) ==
        "1) \"a\"\n2) (integer) 0\n3) \"b\"\n4) (integer) 0\n5) \"a\"\n6) (integer) 0");
  CHECK(s.run({"PUBSUB", "SHARDNUMSUB", "orders:1"}) == "1) \"orders:1\"\n2) (integer) 0");
}

TEST_CASE("PUBSUB NUMPAT is 0") {
  Sandbox s;
  CHECK(s.run({"PUBSUB", "NUMPAT"}) == "(integer) 0");
  CHECK(s.run({"PUBSUB", "NUMPAT", "x"}) ==
        "(error) ERR wrong number of arguments for 'pubsub|numpat' command");
}

TEST_CASE("PUBSUB HELP and unknown subcommands") {
  Sandbox s;
  const redpad::Reply help = s.reply({"PUBSUB", "HELP"});
  REQUIRE(help.elements.size() == 14);
  CHECK(help.elements[0].str == "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(s.run({"PUBSUB", "foo"}) == "(error) ERR unknown subcommand 'foo'. Try PUBSUB HELP.");
}

TEST_CASE("pub/sub commands are documented") {
  Sandbox s;
  for (const char* name : {"publish", "spublish", "pubsub"}) {
    const redpad::CommandSpec* spec = s.server.commands().find(name);
    REQUIRE(spec);
    CHECK(spec->doc);
    for (const redpad::CommandSpec& sub : spec->subcommands)
      CHECK(sub.doc);
  }
}
