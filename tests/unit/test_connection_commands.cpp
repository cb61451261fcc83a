// Connection commands: AUTH, QUIT, RESET, CLIENT and the cluster-only commands. Every
// expected reply below was checked against redis-server 7.0.15.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"

namespace {

using redpad::test::TestServer;

// CLIENT INFO's line for the default client of a fresh server, with the parts that vary.
std::string client_line(const std::string& name, int age, const std::string& flags, int db,
                        int qbuf, int argv_mem, const std::string& cmd) {
  return "id=1 addr=127.0.0.1:40001 laddr=127.0.0.1:6379 fd=8 name=" + name +
         " age=" + std::to_string(age) + " idle=0 flags=" + flags + " db=" + std::to_string(db) +
         " sub=0 psub=0 ssub=0 multi=-1 qbuf=" + std::to_string(qbuf) +
         " qbuf-free=" + std::to_string(20474 - qbuf) + " argv-mem=" + std::to_string(argv_mem) +
         " multi-mem=0 rbs=16384 rbp=16384 obl=0 oll=0 omem=0 tot-mem=" +
         std::to_string(37648 + argv_mem) + " events=r cmd=" + cmd +
         " user=default redir=-1 resp=2\n";
}

const char* const kClusterDisabled = "(error) ERR This instance has cluster support disabled";

}  // namespace

TEST_CASE("AUTH with one argument says no password is configured") {
  TestServer s;
  CHECK(s.cli_line({"AUTH", "secret"}) ==
        "(error) ERR AUTH <password> called without any password configured for the default "
        "user. Are you sure your configuration is correct?");
}

TEST_CASE("AUTH as the default user accepts any password") {
  TestServer s;
  CHECK(s.cli_line({"AUTH", "default", "secret"}) == "OK");
  CHECK(s.cli_line({"AUTH", "default", ""}) == "OK");
}

TEST_CASE("AUTH as any other user fails, user names being case-sensitive") {
  TestServer s;
  const std::string wrongpass =
      "(error) WRONGPASS invalid username-password pair or user is disabled.";
  CHECK(s.cli_line({"AUTH", "bob", "secret"}) == wrongpass);
  CHECK(s.cli_line({"AUTH", "DEFAULT", "secret"}) == wrongpass);
  CHECK(s.cli_line({"AUTH", "", ""}) == wrongpass);
}

TEST_CASE("AUTH arity and syntax") {
  TestServer s;
  CHECK(s.cli_line({"AUTH"}) == "(error) ERR wrong number of arguments for 'auth' command");
  CHECK(s.cli_line({"AUTH", "default", "secret", "extra"}) == "(error) ERR syntax error");
}

TEST_CASE("QUIT answers OK, with or without arguments") {
  TestServer s;
  CHECK(s.cli_line({"QUIT"}) == "OK");
  CHECK(s.cli_line({"quit", "now"}) == "OK");
}

TEST_CASE("QUIT inside MULTI is answered at once instead of being queued") {
  TestServer s;
  s.cli_line({"MULTI"});
  CHECK(s.cli_line({"QUIT"}) == "OK");
}

TEST_CASE("RESET returns the connection to database 0 without a name") {
  TestServer s;
  s.cli_line({"SELECT", "3"});
  s.cli_line({"CLIENT", "SETNAME", "before"});
  CHECK(s.cli_line({"RESET"}) == "RESET");
  CHECK(s.server.default_session().db == 0);
  CHECK(s.cli_line({"CLIENT", "GETNAME"}) == "(nil)");
}

TEST_CASE("RESET inside MULTI runs at once and discards the transaction") {
  TestServer s;
  s.cli_line({"MULTI"});
  CHECK(s.cli_line({"SET", "k", "v"}) == "QUEUED");
  CHECK(s.cli_line({"RESET"}) == "RESET");
  CHECK(s.cli_line({"EXEC"}) == "(error) ERR EXEC without MULTI");
  CHECK(s.cli_line({"GET", "k"}) == "(nil)");
}

TEST_CASE("RESET forgets watched keys, so a later transaction succeeds") {
  TestServer s;
  s.cli_line({"WATCH", "k"});
  s.cli_line({"SET", "k", "changed"});
  s.cli_line({"RESET"});
  s.cli_line({"MULTI"});
  s.cli_line({"SET", "k", "again"});
  CHECK(s.cli_line({"EXEC"}) == "1) OK");
  CHECK(s.server.default_session().watched.empty());
}

TEST_CASE("RESET takes no arguments") {
  TestServer s;
  CHECK(s.cli_line({"RESET", "now"}) ==
        "(error) ERR wrong number of arguments for 'reset' command");
}

TEST_CASE("CLIENT ID is the session's id and differs between sessions") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "ID"}) == "(integer) 1");
  redpad::ClientSession& other = s.server.create_session();
  CHECK(redpad::format_reply_cli(s.server.execute(other, {"CLIENT", "ID"})) == "(integer) 2\n");
  CHECK(s.cli_line({"CLIENT", "ID", "x"}) ==
        "(error) ERR wrong number of arguments for 'client|id' command");
}

TEST_CASE("CLIENT SETNAME sets the name GETNAME returns; an empty name removes it") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "GETNAME"}) == "(nil)");
  CHECK(s.cli_line({"CLIENT", "SETNAME", "worker-1"}) == "OK");
  CHECK(s.cli_line({"CLIENT", "GETNAME"}) == "\"worker-1\"");
  CHECK(s.cli_line({"CLIENT", "SETNAME", "~!@#"}) == "OK");
  CHECK(s.cli_line({"CLIENT", "GETNAME"}) == "\"~!@#\"");
  CHECK(s.cli_line({"CLIENT", "SETNAME", ""}) == "OK");
  CHECK(s.cli_line({"CLIENT", "GETNAME"}) == "(nil)");
}

TEST_CASE("CLIENT SETNAME refuses spaces, control characters and non-ASCII bytes") {
  TestServer s;
  const std::string refused =
      "(error) ERR Client names cannot contain spaces, newlines or special characters.";
  s.cli_line({"CLIENT", "SETNAME", "kept"});
  for (const std::string name : {"a b", "a\nb", "tab\there", "\x7f", "caf\xc3\xa9"}) {
    CHECK(s.cli_line({"CLIENT", "SETNAME", name}) == refused);
  }
  CHECK(s.cli_line({"CLIENT", "GETNAME"}) == "\"kept\"");
}

TEST_CASE("CLIENT INFO describes the calling client") {
  TestServer s;
  CHECK(s.run({"CLIENT", "INFO"}).str == client_line("", 0, "N", 0, 26, 10, "client|info"));
  s.cli_line({"CLIENT", "SETNAME", "learner"});
  s.cli_line({"SELECT", "5"});
  CHECK(s.run({"client", "info"}).str == client_line("learner", 0, "N", 5, 26, 10, "client|info"));
}

TEST_CASE("CLIENT INFO prints raw in redis-cli") {
  TestServer s;
  CHECK(redpad::format_reply_cli(s.run({"CLIENT", "INFO"}), true) ==
        client_line("", 0, "N", 0, 26, 10, "client|info"));
}

TEST_CASE("CLIENT INFO shows the client's age on the virtual clock") {
  TestServer s;
  s.cli_line({"DEBUG", "SLEEP", "3"});
  CHECK(s.run({"CLIENT", "INFO"}).str == client_line("", 3, "N", 0, 26, 10, "client|info"));
}

TEST_CASE("CLIENT INFO flags a watched key that was modified with d") {
  TestServer s;
  s.cli_line({"WATCH", "k"});
  CHECK(s.run({"CLIENT", "INFO"}).str == client_line("", 0, "N", 0, 26, 10, "client|info"));
  s.cli_line({"SET", "k", "v"});
  CHECK(s.run({"CLIENT", "INFO"}).str == client_line("", 0, "d", 0, 26, 10, "client|info"));
  s.cli_line({"UNWATCH"});
  CHECK(s.run({"CLIENT", "INFO"}).str == client_line("", 0, "N", 0, 26, 10, "client|info"));
}

TEST_CASE("CLIENT LIST lists the client, filtered by type") {
  TestServer s;
  CHECK(s.run({"CLIENT", "LIST"}).str == client_line("", 0, "N", 0, 26, 10, "client|list"));
  CHECK(s.run({"CLIENT", "LIST", "type", "NORMAL"}).str ==
        client_line("", 0, "N", 0, 48, 20, "client|list"));
  for (const std::string type : {"pubsub", "master", "replica", "slave"}) {
    const redpad::Reply reply = s.run({"CLIENT", "LIST", "TYPE", type});
    CHECK(reply.type == redpad::ReplyType::Bulk);
    CHECK(reply.str.empty());
  }
  CHECK(s.cli_line({"CLIENT", "LIST", "TYPE", "nobody"}) ==
        "(error) ERR Unknown client type 'nobody'");
}

TEST_CASE("CLIENT LIST ID prints the client once per matching id") {
  TestServer s;
  const std::string line = client_line("", 0, "N", 0, 55, 15, "client|list");
  CHECK(s.run({"CLIENT", "LIST", "ID", "1", "7", "1"}).str == line + line);
  CHECK(s.run({"CLIENT", "LIST", "ID", "7"}).str.empty());
  CHECK(s.run({"CLIENT", "LIST", "ID", "0", "-1"}).str.empty());
}

TEST_CASE("CLIENT LIST argument errors") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "LIST", "ID", "1", "x"}) == "(error) ERR Invalid client ID");
  CHECK(s.cli_line({"CLIENT", "LIST", "ID", "99999999999999999999"}) ==
        "(error) ERR Invalid client ID");
  CHECK(s.cli_line({"CLIENT", "LIST", "ID", "5", "TYPE", "normal"}) ==
        "(error) ERR Invalid client ID");
  CHECK(s.cli_line({"CLIENT", "LIST", "ID"}) == "(error) ERR syntax error");
  CHECK(s.cli_line({"CLIENT", "LIST", "TYPE"}) == "(error) ERR syntax error");
  CHECK(s.cli_line({"CLIENT", "LIST", "TYPE", "normal", "ID", "5"}) == "(error) ERR syntax error");
  CHECK(s.cli_line({"CLIENT", "LIST", "foo"}) == "(error) ERR syntax error");
}

TEST_CASE("CLIENT NO-EVICT takes ON or OFF") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "NO-EVICT", "on"}) == "OK");
  CHECK(s.cli_line({"CLIENT", "NO-EVICT", "OFF"}) == "OK");
  CHECK(s.cli_line({"CLIENT", "NO-EVICT", "maybe"}) == "(error) ERR syntax error");
}

TEST_CASE("CLIENT REPLY ON is accepted; OFF and SKIP are explained, not faked") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "REPLY", "ON"}) == "OK");
  CHECK(s.cli_line({"CLIENT", "REPLY", "sometimes"}) == "(error) ERR syntax error");
  const std::string unavailable =
      "(error) ERR CLIENT REPLY OFF and SKIP are not available in redpad: the server would stop "
      "answering and redis-cli would wait for ever";
  CHECK(s.cli_line({"CLIENT", "REPLY", "off"}) == unavailable);
  CHECK(s.cli_line({"CLIENT", "REPLY", "SKIP"}) == unavailable);
  CHECK(s.cli_line({"PING"}) == "PONG");
}

TEST_CASE("CLIENT tracking queries answer as for a client without tracking") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "GETREDIR"}) == "(integer) -1");
  CHECK(s.cli_line({"CLIENT", "TRACKINGINFO"}) ==
        "1) \"flags\"\n2) 1) \"off\"\n3) \"redirect\"\n4) (integer) -1\n5) \"prefixes\"\n"
        "6) (empty array)");
  CHECK(s.cli_line({"CLIENT", "CACHING", "yes"}) ==
        "(error) ERR CLIENT CACHING can be called only when the client is in tracking mode with "
        "OPTIN or OPTOUT mode enabled");
}

TEST_CASE("CLIENT UNPAUSE and UNBLOCK with nobody paused or blocked") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT", "UNPAUSE"}) == "OK");
  CHECK(s.cli_line({"CLIENT", "UNBLOCK", "12345"}) == "(integer) 0");
  CHECK(s.cli_line({"CLIENT", "UNBLOCK", "12345", "error"}) == "(integer) 0");
  CHECK(s.cli_line({"CLIENT", "UNBLOCK", "x"}) ==
        "(error) ERR value is not an integer or out of range");
  // The reason is checked before the id.
  CHECK(s.cli_line({"CLIENT", "UNBLOCK", "x", "later"}) ==
        "(error) ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
  CHECK(s.cli_line({"CLIENT", "UNBLOCK", "1", "timeout", "extra"}) ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'UNBLOCK'. Try CLIENT "
        "HELP.");
}

TEST_CASE("CLIENT HELP lists every subcommand of Redis 7.0") {
  TestServer s;
  const redpad::Reply help = s.run({"CLIENT", "HELP"});
  REQUIRE(help.elements.size() == 48);
  CHECK(help.elements.front().str ==
        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  CHECK(help.elements[44].str == "NO-EVICT (ON|OFF)");
}

TEST_CASE("CLIENT without or with an unknown subcommand") {
  TestServer s;
  CHECK(s.cli_line({"CLIENT"}) == "(error) ERR wrong number of arguments for 'client' command");
  CHECK(s.cli_line({"CLIENT", "NO-TOUCH", "on"}) ==
        "(error) ERR unknown subcommand 'NO-TOUCH'. Try CLIENT HELP.");
}

TEST_CASE("READONLY, READWRITE and ASKING need cluster mode") {
  TestServer s;
  CHECK(s.cli_line({"READONLY"}) == kClusterDisabled);
  CHECK(s.cli_line({"READWRITE"}) == kClusterDisabled);
  CHECK(s.cli_line({"ASKING"}) == kClusterDisabled);
  CHECK(s.cli_line({"ASKING", "x"}) ==
        "(error) ERR wrong number of arguments for 'asking' command");
}

TEST_CASE("every CLUSTER subcommand needs cluster mode, HELP included") {
  TestServer s;
  CHECK(s.cli_line({"CLUSTER", "HELP"}) == kClusterDisabled);
  CHECK(s.cli_line({"CLUSTER", "INFO"}) == kClusterDisabled);
  CHECK(s.cli_line({"CLUSTER", "KEYSLOT", "user:1"}) == kClusterDisabled);
  CHECK(s.cli_line({"CLUSTER", "SETSLOT", "1", "STABLE"}) == kClusterDisabled);
  CHECK(s.cli_line({"CLUSTER", "KEYSLOT"}) ==
        "(error) ERR wrong number of arguments for 'cluster|keyslot' command");
  CHECK(s.cli_line({"CLUSTER", "foo"}) ==
        "(error) ERR unknown subcommand 'foo'. Try CLUSTER HELP.");
}

TEST_CASE("connection commands are documented") {
  TestServer s;
  for (const char* name :
       {"auth", "quit", "reset", "client", "readonly", "readwrite", "asking", "cluster"}) {
    const redpad::CommandSpec* spec = s.server.commands().find(name);
    REQUIRE(spec);
    CHECK(spec->doc);
    for (const redpad::CommandSpec& sub : spec->subcommands)
      CHECK(sub.doc);
  }
}
