// Pub/Sub on a server nobody is subscribed to. Every expected reply below was checked
// against redis-server 7.0.15.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"

namespace {

using redpad::test::TestServer;

}  // namespace

TEST_CASE("PUBLISH and SPUBLISH reach no subscriber") {
  TestServer s;
  CHECK(s.cli_line({"PUBLISH", "news", "hello"}) == "(integer) 0");
  CHECK(s.cli_line({"SPUBLISH", "orders:1", "created"}) == "(integer) 0");
  CHECK(s.cli_line({"PUBLISH", "news"}) ==
        "(error) ERR wrong number of arguments for 'publish' command");
  CHECK(s.cli_line({"SPUBLISH", "a", "b", "c"}) ==
        "(error) ERR wrong number of arguments for 'spublish' command");
}

TEST_CASE("PUBLISH leaves a key of the same name alone") {
  TestServer s;
  s.cli_line({"SET", "news", "v"});
  s.cli_line({"PUBLISH", "news", "hello"});
  CHECK(s.cli_line({"GET", "news"}) == "\"v\"");
}

TEST_CASE("PUBSUB CHANNELS and SHARDCHANNELS list no active channel") {
  TestServer s;
  s.cli_line({"PUBLISH", "news", "hello"});
  CHECK(s.cli_line({"PUBSUB", "CHANNELS"}) == "(empty array)");
  CHECK(s.cli_line({"PUBSUB", "CHANNELS", "news*"}) == "(empty array)");
  CHECK(s.cli_line({"PUBSUB", "SHARDCHANNELS"}) == "(empty array)");
  CHECK(s.cli_line({"PUBSUB", "SHARDCHANNELS", "*"}) == "(empty array)");
}

TEST_CASE("PUBSUB CHANNELS and SHARDCHANNELS take one pattern at most") {
  TestServer s;
  CHECK(s.cli_line({"PUBSUB", "channels", "a", "b"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB "
        "HELP.");
  CHECK(s.cli_line({"PUBSUB", "SHARDCHANNELS", "a", "b"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try "
        "PUBSUB HELP.");
}

TEST_CASE("PUBSUB NUMSUB and SHARDNUMSUB count 0 for each channel asked, repeats included") {
  TestServer s;
  CHECK(s.cli_line({"PUBSUB", "NUMSUB"}) == "(empty array)");
  CHECK(s.cli_line({"PUBSUB", "NUMSUB", "a", "b", "a"}) ==
        "1) \"a\"\n2) (integer) 0\n3) \"b\"\n4) (integer) 0\n5) \"a\"\n6) (integer) 0");
  CHECK(s.cli_line({"PUBSUB", "SHARDNUMSUB", "orders:1"}) == "1) \"orders:1\"\n2) (integer) 0");
}

TEST_CASE("PUBSUB NUMPAT is 0") {
  TestServer s;
  CHECK(s.cli_line({"PUBSUB", "NUMPAT"}) == "(integer) 0");
  CHECK(s.cli_line({"PUBSUB", "NUMPAT", "x"}) ==
        "(error) ERR wrong number of arguments for 'pubsub|numpat' command");
}

TEST_CASE("PUBSUB HELP and unknown subcommands") {
  TestServer s;
  const redpad::Reply help = s.run({"PUBSUB", "HELP"});
  REQUIRE(help.elements.size() == 14);
  CHECK(help.elements[0].str == "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(s.cli_line({"PUBSUB", "foo"}) == "(error) ERR unknown subcommand 'foo'. Try PUBSUB HELP.");
}

TEST_CASE("pub/sub commands are documented") {
  TestServer s;
  for (const char* name : {"publish", "spublish", "pubsub"}) {
    const redpad::CommandSpec* spec = s.server.commands().find(name);
    REQUIRE(spec);
    CHECK(spec->doc);
    for (const redpad::CommandSpec& sub : spec->subcommands)
      CHECK(sub.doc);
  }
}
