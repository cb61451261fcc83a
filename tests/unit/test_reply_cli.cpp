// format_reply_cli: the text `redis-cli --no-raw` prints for each kind of reply. Expected
// texts were checked against redis-cli 7.0.15 (with -3 for the RESP3 types).
#include <limits>
#include <string>
#include <vector>

#include "console.h"
#include "test_helpers.h"

using redpad::format_reply_cli;
using redpad::quote_bulk_cli;
using redpad::Reply;
using redpad::ReplyType;
using namespace redpad::test;

namespace {

Reply typed(ReplyType type, std::vector<Reply> elements) {
  Reply r;
  r.type = type;
  r.elements = std::move(elements);
  return r;
}

Reply double_reply(double value) {
  Reply r;
  r.type = ReplyType::Double;
  r.number = value;
  return r;
}

Reply boolean_reply(bool value) {
  Reply r;
  r.type = ReplyType::Boolean;
  r.integer = value ? 1 : 0;
  return r;
}

}  // namespace

// ---- scalars ----

TEST_CASE("cli: a status prints bare, an error after (error)") {
  CHECK(format_reply_cli(Reply::ok()) == "OK\n");
  CHECK(format_reply_cli(status("QUEUED")) == "QUEUED\n");
  CHECK(format_reply_cli(error("ERR syntax error")) == "(error) ERR syntax error\n");
}

TEST_CASE("cli: integers print after (integer), negative ones with their sign") {
  CHECK(format_reply_cli(integer(0)) == "(integer) 0\n");
  CHECK(format_reply_cli(integer(-2)) == "(integer) -2\n");
  CHECK(format_reply_cli(integer(9223372036854775807LL)) == "(integer) 9223372036854775807\n");
}

TEST_CASE("cli: nil and the null array both print (nil)") {
  CHECK(format_reply_cli(Reply::nil()) == "(nil)\n");
  CHECK(format_reply_cli(Reply::null_array()) == "(nil)\n");
}

TEST_CASE("cli: bulk strings are quoted with C escapes") {
  CHECK(format_reply_cli(bulk("hello world")) == "\"hello world\"\n");
  CHECK(format_reply_cli(bulk("")) == "\"\"\n");
  CHECK(quote_bulk_cli("a\\b\"c") == R"("a\\b\"c")");
  CHECK(quote_bulk_cli("\n\r\t\a\b") == R"("\n\r\t\a\b")");
}

TEST_CASE("cli: other control bytes and bytes from 0x7f print as lower-case \\xhh") {
  CHECK(quote_bulk_cli(std::string("\0\x01\x0b\x0c\x1b\x1f", 6)) ==
        R"("\x00\x01\x0b\x0c\x1b\x1f")");
  CHECK(quote_bulk_cli("\x7f\x80\xff") == R"("\x7f\x80\xff")");
  CHECK(quote_bulk_cli(" ~") == "\" ~\"");
}

TEST_CASE("cli: UTF-8 text prints byte by byte") {
  CHECK(quote_bulk_cli("caf\xc3\xa9") == R"("caf\xc3\xa9")");
  Server server(config());
  CHECK(cli(server, "SET u \"\\xc3\\xa9\"") == "OK\n");
  CHECK(cli(server, "GET u") == "\"\\xc3\\xa9\"\n");
}

// ---- arrays ----

TEST_CASE("cli: arrays number their elements from 1") {
  CHECK(format_reply_cli(array({bulk("a"), integer(2), Reply::nil()})) ==
        "1) \"a\"\n2) (integer) 2\n3) (nil)\n");
}

TEST_CASE("cli: an empty array prints (empty array)") {
  CHECK(format_reply_cli(array()) == "(empty array)\n");
}

TEST_CASE("cli: with 10 or more elements the numbers are right-aligned") {
  std::vector<Reply> items;
  for (char c = 'a'; c <= 'l'; ++c)
    items.push_back(bulk(std::string(1, c)));
  const std::string text = format_reply_cli(array(items));
  CHECK(first_lines(text, 3) == " 1) \"a\"\n 2) \"b\"\n 3) \"c\"\n");
  CHECK(last_lines(text, 4) == " 9) \"i\"\n10) \"j\"\n11) \"k\"\n12) \"l\"\n");
}

TEST_CASE("cli: 100 elements use three columns for the number") {
  std::vector<Reply> items(100, integer(1));
  const std::string text = format_reply_cli(array(items));
  CHECK(first_lines(text, 1) == "  1) (integer) 1\n");
  CHECK(text.find("\n 99) (integer) 1\n100) (integer) 1\n") != std::string::npos);
}

TEST_CASE("cli: a nested array starts on its parent's line and lines up beneath it") {
  const Reply nested =
      array({bulk("x"), array({integer(1), array({bulk("deep"), bulk("er")})}), array()});
  CHECK(format_reply_cli(nested) ==
        "1) \"x\"\n"
        "2) 1) (integer) 1\n"
        "   2) 1) \"deep\"\n"
        "      2) \"er\"\n"
        "3) (empty array)\n");
}

TEST_CASE("cli: LCS IDX prints like redis-cli, nested three deep") {
  Server server(config());
  cli(server, "MSET key1 ohmytext key2 mynewtext");
  CHECK(cli(server, "LCS key1 key2 IDX MINMATCHLEN 0 WITHMATCHLEN") ==
        "1) \"matches\"\n"
        "2) 1) 1) 1) (integer) 4\n"
        "         2) (integer) 7\n"
        "      2) 1) (integer) 5\n"
        "         2) (integer) 8\n"
        "      3) (integer) 4\n"
        "   2) 1) 1) (integer) 2\n"
        "         2) (integer) 3\n"
        "      2) 1) (integer) 0\n"
        "         2) (integer) 1\n"
        "      3) (integer) 2\n"
        "3) \"len\"\n"
        "4) (integer) 6\n");
}

TEST_CASE("cli: COMMAND DOCS GET indents a 10-element child under a 1-digit parent") {
  Server server(config());
  CHECK(cli(server, "COMMAND DOCS get") ==
        "1) \"get\"\n"
        "2)  1) \"summary\"\n"
        "    2) \"Get the value of a key\"\n"
        "    3) \"since\"\n"
        "    4) \"1.0.0\"\n"
        "    5) \"group\"\n"
        "    6) \"string\"\n"
        "    7) \"complexity\"\n"
        "    8) \"O(1)\"\n"
        "    9) \"arguments\"\n"
        "   10) 1) 1) \"name\"\n"
        "          2) \"key\"\n"
        "          3) \"type\"\n"
        "          4) \"key\"\n"
        "          5) \"key_spec_index\"\n"
        "          6) (integer) 0\n");
}

// ---- raw mode ----

TEST_CASE("cli: INFO, CLIENT LIST/INFO, MEMORY DOCTOR and LOLWUT print raw") {
  using redpad::cli_prints_raw;
  CHECK(cli_prints_raw({"INFO"}));
  CHECK(cli_prints_raw({"info", "keyspace"}));
  CHECK(cli_prints_raw({"lolwut"}));
  CHECK(cli_prints_raw({"CLIENT", "LIST"}));
  CHECK(cli_prints_raw({"client", "info"}));
  CHECK(cli_prints_raw({"MEMORY", "DOCTOR"}));
  CHECK(cli_prints_raw({"debug", "HTSTATS", "0"}));
  CHECK_FALSE(cli_prints_raw({}));
  CHECK_FALSE(cli_prints_raw({"GET", "info"}));
  CHECK_FALSE(cli_prints_raw({"CLIENT"}));
  CHECK_FALSE(cli_prints_raw({"CLIENT", "KILL"}));
  CHECK_FALSE(cli_prints_raw({"MEMORY", "USAGE", "k"}));
  CHECK_FALSE(cli_prints_raw({"DEBUG", "SLEEP", "0"}));
}

TEST_CASE("cli: raw mode prints strings unquoted with nothing added") {
  CHECK(format_reply_cli(bulk("# Keyspace\r\ndb0:keys=1\r\n"), true) ==
        "# Keyspace\r\ndb0:keys=1\r\n");
  CHECK(format_reply_cli(bulk(""), true).empty());
  CHECK(format_reply_cli(Reply::nil(), true).empty());
  CHECK(format_reply_cli(status("OK"), true) == "OK");
  CHECK(format_reply_cli(integer(12), true) == "12");
}

TEST_CASE("cli: raw mode prints an error without (error) but with a newline") {
  CHECK(format_reply_cli(error("ERR Invalid client ID"), true) == "ERR Invalid client ID\n");
}

TEST_CASE("cli: raw mode joins array elements with newlines") {
  CHECK(format_reply_cli(array({bulk("a"), integer(2), bulk("c")}), true) == "a\n2\nc");
}

TEST_CASE("cli: INFO through the engine ends in CRLF and no extra newline") {
  Server server(config());
  cli(server, "SET a 1");
  CHECK(cli(server, "INFO keyspace") == "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
  CHECK(cli(server, "INFO nosuchsection").empty());
}

// ---- RESP3 ----

TEST_CASE("cli: doubles print as %.17g after (double)") {
  CHECK(format_reply_cli(double_reply(1.5)) == "(double) 1.5\n");
  CHECK(format_reply_cli(double_reply(3.0)) == "(double) 3\n");
  CHECK(format_reply_cli(double_reply(0.1)) == "(double) 0.10000000000000001\n");
  CHECK(format_reply_cli(double_reply(1e300)) == "(double) 1.0000000000000001e+300\n");
  CHECK(format_reply_cli(double_reply(-0.5)) == "(double) -0.5\n");
}

TEST_CASE("cli: infinite doubles print as inf and -inf") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(format_reply_cli(double_reply(inf)) == "(double) inf\n");
  CHECK(format_reply_cli(double_reply(-inf)) == "(double) -inf\n");
}

TEST_CASE("cli: booleans print (true) and (false)") {
  CHECK(format_reply_cli(boolean_reply(true)) == "(true)\n");
  CHECK(format_reply_cli(boolean_reply(false)) == "(false)\n");
}

TEST_CASE("cli: a verbatim string prints unquoted") {
  Reply r;
  r.type = ReplyType::Verbatim;
  r.str = "line one\nline \"two\"";
  CHECK(format_reply_cli(r) == "line one\nline \"two\"\n");
}

TEST_CASE("cli: empty maps, sets and pushes have their own words") {
  CHECK(format_reply_cli(typed(ReplyType::Map, {})) == "(empty hash)\n");
  CHECK(format_reply_cli(typed(ReplyType::Set, {})) == "(empty set)\n");
  CHECK(format_reply_cli(typed(ReplyType::Push, {})) == "(empty push)\n");
}

TEST_CASE("cli: a map numbers its pairs with # and joins key and value with =>") {
  // redis-cli -3: HSET h f1 v1 f2 v2, HGETALL h
  const Reply map = typed(ReplyType::Map, {bulk("f1"), bulk("v1"), bulk("f2"), bulk("v2")});
  CHECK(format_reply_cli(map) == "1# \"f1\" => \"v1\"\n2# \"f2\" => \"v2\"\n");
}

TEST_CASE("cli: a map's index width counts pairs, not elements") {
  std::vector<Reply> items;
  for (int i = 1; i <= 10; ++i) {
    items.push_back(bulk("f" + std::to_string(i)));
    items.push_back(integer(i));
  }
  const std::string text = format_reply_cli(typed(ReplyType::Map, items));
  CHECK(first_lines(text, 1) == " 1# \"f1\" => (integer) 1\n");
  CHECK(last_lines(text, 2) == " 9# \"f9\" => (integer) 9\n10# \"f10\" => (integer) 10\n");
}

TEST_CASE("cli: a map value with several lines starts on the line below the key") {
  // redis-cli -3: EVAL "redis.setresp(3); return {map={a={1,2}}}" 0
  const Reply map = typed(ReplyType::Map, {bulk("a"), array({integer(1), integer(2)})});
  CHECK(format_reply_cli(map) == "1# \"a\" => \n   1) (integer) 1\n   2) (integer) 2\n");
}

TEST_CASE("cli: a set numbers its members with ~") {
  // redis-cli -3: SADD s a b, SMEMBERS s
  const Reply set = typed(ReplyType::Set, {bulk("b"), bulk("a")});
  CHECK(format_reply_cli(set) == "1~ \"b\"\n2~ \"a\"\n");
}

TEST_CASE("cli: a push reply numbers its elements like an array") {
  const Reply push = typed(ReplyType::Push, {bulk("message"), bulk("ch"), bulk("hi")});
  CHECK(format_reply_cli(push) == "1) \"message\"\n2) \"ch\"\n3) \"hi\"\n");
}

// ---- help ----

TEST_CASE("cli: a help reply with ansi keeps redis-cli's colours and CRLF") {
  Server server(config());
  const Reply help = redpad::help_reply(server.commands(), {"get"});
  CHECK(format_reply_cli(help, false, true) ==
        "\r\n"
        "  \x1b[1mGET\x1b[0m \x1b[90mkey\x1b[0m\r\n"
        "  \x1b[33msummary:\x1b[0m Get the value of a key\r\n"
        "  \x1b[33msince:\x1b[0m 1.0.0\r\n"
        "  \x1b[33mgroup:\x1b[0m string\r\n"
        "\r\n");
}

TEST_CASE("cli: a help reply without ansi is plain text with LF") {
  Server server(config());
  const Reply help = redpad::help_reply(server.commands(), {"get"});
  CHECK(format_reply_cli(help, false, false) ==
        "\n"
        "  GET key\n"
        "  summary: Get the value of a key\n"
        "  since: 1.0.0\n"
        "  group: string\n"
        "\n");
}

TEST_CASE("cli: help for a group leaves out the group line") {
  Server server(config());
  const Reply help = redpad::help_reply(server.commands(), {"@transactions"});
  const std::string text = format_reply_cli(help, false, false);
  CHECK(first_lines(text, 5) ==
        "\n  DISCARD \n  summary: Discard all commands issued after MULTI\n  since: 2.0.0\n\n");
  CHECK(text.find("group:") == std::string::npos);
}

TEST_CASE("cli: a help reply ignores raw mode") {
  Server server(config());
  const Reply help = redpad::help_reply(server.commands(), {"get"});
  CHECK(format_reply_cli(help, true, false) == format_reply_cli(help, false, false));
}

TEST_CASE("cli: help with no topic prints redis-cli's introduction") {
  Server server(config());
  const std::string text = format_reply_cli(redpad::help_reply(server.commands(), {}));
  CHECK(first_lines(text, 1) == "redis-cli 7.0.15\n");
  CHECK(text.find("      \"help @<group>\" to get a list of commands in <group>\n") !=
        std::string::npos);
  CHECK(last_lines(text, 1) == "Set your preferences in ~/.redisclirc\n");
}
