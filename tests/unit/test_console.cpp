// redpad::Console: redis-cli's side of a session (help, repeat counts, quit, timing lines,
// the prompt, refused lines) and whole lesson scripts.
#include <algorithm>
#include <string>
#include <vector>

#include "ascii.h"
#include "console.h"
#include "test_helpers.h"

using redpad::Console;
using redpad::ConsoleResult;
using redpad::Reply;
using namespace redpad::test;
using Kind = ConsoleResult::Kind;

namespace {

// Every result of a script's lines, run one after another as a Run does (a quit, or the
// command budget running out, ends the script).
std::vector<ConsoleResult> run_lines(Console& console, std::string_view script) {
  std::vector<ConsoleResult> results;
  ConsoleResult result;
  redpad::for_each_script_line(script, [&](redpad::ScriptLine& line) {
    console.run(line, result);
    results.push_back(result);
    return result.kind != Kind::Quit && !result.commands_exhausted;
  });
  return results;
}

// A server and a console on its default session; `ansi` as the terminal CLI uses it.
struct ConsoleFixture {
  explicit ConsoleFixture(bool ansi = true) : console(server, server.default_session()) {
    console.set_ansi(ansi);
  }
  Server server{config()};
  Console console;

  // Everything redis-cli would print for the script.
  std::string display(std::string_view script) {
    std::string out;
    for (const ConsoleResult& result : run_lines(console, script))
      out += result.display;
    return out;
  }
};

// The command names a plain-text help listing shows, in order.
std::vector<std::string> help_names(const std::string& text) {
  std::vector<std::string> names;
  size_t at = 0;
  while ((at = text.find("\n  ", at)) != std::string::npos) {
    at += 3;
    const size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (line.rfind("summary:", 0) != 0 && line.rfind("since:", 0) != 0 &&
        line.rfind("group:", 0) != 0) {
      // "OBJECT ENCODING key": the name is the upper-case words before the syntax.
      std::string name;
      size_t pos = 0;
      while (pos < line.size()) {
        size_t space = line.find(' ', pos);
        if (space == std::string::npos) space = line.size();
        const std::string word = line.substr(pos, space - pos);
        if (word.empty() || word != redpad::ascii_upper(word)) break;
        name += (name.empty() ? "" : " ") + word;
        pos = space + 1;
      }
      names.push_back(name);
    }
  }
  return names;
}

}  // namespace

// ---- help ----

TEST_CASE("help SET prints redis-cli's entry with colours") {
  ConsoleFixture f;
  const auto results = run_lines(f.console, "help SET");
  REQUIRE(results.size() == 1);
  CHECK(results[0].kind == Kind::Help);
  CHECK(results[0].display ==
        "\r\n"
        "  \x1b[1mSET\x1b[0m \x1b[90mkey value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT "
        "unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]\x1b[0m\r\n"
        "  \x1b[33msummary:\x1b[0m Set the string value of a key\r\n"
        "  \x1b[33msince:\x1b[0m 1.0.0\r\n"
        "  \x1b[33mgroup:\x1b[0m string\r\n"
        "\r\n");
}

TEST_CASE("help SET without ansi is plain text for the page") {
  ConsoleFixture f(false);
  CHECK(f.display("HELP Set") ==
        "\n"
        "  SET key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT "
        "unix-time-milliseconds|KEEPTTL]\n"
        "  summary: Set the string value of a key\n"
        "  since: 1.0.0\n"
        "  group: string\n"
        "\n");
}

TEST_CASE("help does not reach the server") {
  ConsoleFixture f;
  f.display("help get");
  CHECK(f.server.stats().commands_processed == 0);
}

TEST_CASE("help @string lists the string commands alphabetically, without group lines") {
  ConsoleFixture f(false);
  const std::string text = f.display("help @string");
  CHECK(help_names(text) ==
        std::vector<std::string>{"APPEND",   "DECR",     "DECRBY", "GET",    "GETDEL",      "GETEX",
                                 "GETRANGE", "GETSET",   "INCR",   "INCRBY", "INCRBYFLOAT", "LCS",
                                 "MGET",     "MSET",     "MSETNX", "PSETEX", "SET",         "SETEX",
                                 "SETNX",    "SETRANGE", "STRLEN", "SUBSTR"});
  CHECK(text.find("group:") == std::string::npos);
  CHECK(first_lines(text, 5) ==
        "\n  APPEND key value\n  summary: Append a value to a key\n  since: 2.0.0\n\n");
}

TEST_CASE("help @group is case-insensitive and only lists that group") {
  ConsoleFixture f(false);
  CHECK(help_names(f.display("help @TRANSACTIONS")) ==
        std::vector<std::string>{"DISCARD", "EXEC", "MULTI", "UNWATCH", "WATCH"});
}

TEST_CASE("help for an unknown topic prints only a line break") {
  ConsoleFixture f;
  CHECK(f.display("help nosuch") == "\r\n");
  CHECK(f.display("help @nosuch") == "\r\n");
  CHECK(f.display("help set extra") == "\r\n");
  ConsoleFixture plain(false);
  CHECK(plain.display("help nosuch") == "\n");
}

TEST_CASE("? works like help") {
  ConsoleFixture f;
  CHECK(f.display("? get") == f.display("help get"));
  CHECK(f.display("? @transactions") == f.display("help @transactions"));
}

TEST_CASE("help object lists OBJECT and then its subcommands") {
  ConsoleFixture f(false);
  const std::string text = f.display("help object");
  const auto names = help_names(text);
  REQUIRE(names.size() >= 5);
  CHECK(names[0] == "OBJECT");
  for (size_t i = 1; i < names.size(); ++i)
    CHECK(names[i].rfind("OBJECT ", 0) == 0);
  CHECK(std::is_sorted(names.begin(), names.end()));
  CHECK(std::find(names.begin(), names.end(), "OBJECT ENCODING") != names.end());
  CHECK(std::find(names.begin(), names.end(), "OBJECT REFCOUNT") != names.end());
  CHECK(first_lines(text, 6) ==
        "\n  OBJECT \n  summary: A container for object introspection commands\n"
        "  since: 2.2.3\n  group: generic\n\n");
}

TEST_CASE("help object encoding names only that subcommand") {
  ConsoleFixture f(false);
  CHECK(f.display("help object encoding") ==
        "\n  OBJECT ENCODING key\n  summary: Inspect the internal encoding of a Redis object\n"
        "  since: 2.2.3\n  group: generic\n\n");
}

TEST_CASE("help with no topic prints the introduction") {
  ConsoleFixture f;
  const std::string text = f.display("help");
  CHECK(first_lines(text, 2) == "redis-cli 7.0.15\nTo get help about Redis commands type:\n");
}

TEST_CASE("A repeat count prints help once, as redis-cli does") {
  // redis-cli 7.0.15 handles help before the repeat loop: "2 help get" prints it once.
  ConsoleFixture f;
  CHECK(f.display("2 help get") == f.display("help get"));
}

// ---- running lines ----

TEST_CASE("A repeat count runs the command that many times, one reply each") {
  ConsoleFixture f;
  const auto results = run_lines(f.console, "3 INCR x");
  REQUIRE(results.size() == 1);
  CHECK(results[0].kind == Kind::Replies);
  CHECK(results[0].replies == std::vector<Reply>{integer(1), integer(2), integer(3)});
  CHECK(results[0].display == "(integer) 1\n(integer) 2\n(integer) 3\n");
  CHECK(results[0].args == std::vector<std::string>{"INCR", "x"});
  CHECK(results[0].text == "3 INCR x");
}

TEST_CASE("An invalid repeat count is refused with redis-cli's message") {
  ConsoleFixture f;
  const auto results = run_lines(f.console, "0 PING\n-1 PING");
  REQUIRE(results.size() == 2);
  CHECK(results[0].kind == Kind::InvalidLine);
  CHECK(results[0].display == "Invalid redis-cli repeat command option value.\n");
  CHECK(results[1].line_number == 2);
  CHECK(f.server.stats().commands_processed == 0);
}

TEST_CASE("Bad quoting prints Invalid argument(s) and keeps its line number") {
  ConsoleFixture f;
  const auto results = run_lines(f.console, "SET a 1\n\n# comment\nSET b \"unclosed\nGET a\n");
  REQUIRE(results.size() == 3);
  CHECK(results[1].kind == Kind::InvalidLine);
  CHECK(results[1].line_number == 4);
  CHECK(results[1].display == "Invalid argument(s)\n");
  CHECK(results[1].replies.empty());
  CHECK(results[2].display == "\"1\"\n");
  CHECK(results[2].line_number == 5);
}

TEST_CASE("quit and exit end a script; the lines after them never run") {
  for (const char* word : {"quit", "EXIT"}) {
    CAPTURE(word);
    ConsoleFixture f;
    const auto results = run_lines(f.console, std::string("SET a 1\n") + word + "\nSET b 2\n");
    REQUIRE(results.size() == 2);
    CHECK(results[1].kind == Kind::Quit);
    CHECK(results[1].display.empty());
    CHECK(run(f.server, {"EXISTS", "b"}) == integer(0));
  }
}

TEST_CASE("clear asks for a cleared screen and sends nothing") {
  ConsoleFixture f;
  const auto results = run_lines(f.console, "clear");
  REQUIRE(results.size() == 1);
  CHECK(results[0].kind == Kind::ClearScreen);
  CHECK(results[0].display == "\x1b[H\x1b[2J");
  CHECK(f.server.stats().commands_processed == 0);
}

TEST_CASE("INFO is printed raw through the console") {
  ConsoleFixture f;
  CHECK(f.display("SET k v\nINFO keyspace") ==
        "OK\n# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n");
}

// ---- timing ----

TEST_CASE("A line taking 0.5 s or more of virtual time is followed by its timing") {
  ConsoleFixture f;
  CHECK(f.display("DEBUG SLEEP 0.6") == "OK\n(0.60s)\n");
  CHECK(f.display("DEBUG SLEEP 0.5") == "OK\n(0.50s)\n");
  CHECK(f.display("DEBUG SLEEP 12.345") == "OK\n(12.35s)\n");
}

TEST_CASE("A line under 0.5 s prints no timing") {
  ConsoleFixture f;
  CHECK(f.display("DEBUG SLEEP 0.4") == "OK\n");
  CHECK(f.display("DEBUG SLEEP 0.499") == "OK\n");
}

TEST_CASE("The timing covers every repetition of a line, printed once at the end") {
  // redis-cli: "2 debug sleep 0.3" prints OK, OK, (0.60s)
  ConsoleFixture f;
  const auto results = run_lines(f.console, "2 DEBUG SLEEP 0.3");
  REQUIRE(results.size() == 1);
  CHECK(results[0].elapsed_ms == 600);
  CHECK(results[0].display == "OK\nOK\n(0.60s)\n");
}

// ---- the prompt ----

TEST_CASE("The prompt shows the database and a transaction like redis-cli's") {
  ConsoleFixture f;
  CHECK(f.console.prompt() == "redpad> ");
  f.display("SELECT 3");
  CHECK(f.console.prompt() == "redpad[3]> ");
  f.display("MULTI");
  CHECK(f.console.prompt() == "redpad[3](TX)> ");
  f.display("EXEC");
  f.display("SELECT 0\nMULTI");
  CHECK(f.console.prompt() == "redpad(TX)> ");
  f.display("DISCARD");
  CHECK(f.console.prompt() == "redpad> ");
}

TEST_CASE("The prompt follows a SELECT that ran inside EXEC") {
  ConsoleFixture f;
  f.display("MULTI\nSELECT 7\nEXEC");
  CHECK(f.console.prompt() == "redpad[7]> ");
}

// ---- lessons ----

TEST_CASE("The caching lesson's lock task prints OK, (nil), then the first worker") {
  ConsoleFixture f;
  const auto results = run_lines(
      f.console,
      "SET lock:task \"worker-1\" NX EX 60\nSET lock:task \"worker-2\" NX\nGET lock:task\n");
  REQUIRE(results.size() == 3);
  CHECK(results[0].display == "OK\n");
  CHECK(results[1].display == "(nil)\n");
  CHECK(results[2].display == "\"worker-1\"\n");
}

TEST_CASE("The lock from the caching lesson frees itself after its 60 s") {
  ConsoleFixture f;
  f.display("SET lock:task \"worker-1\" NX EX 60");
  CHECK(f.display("DEBUG SLEEP 60\nSET lock:task \"worker-2\" NX") == "OK\n(60.00s)\n(nil)\n");
  CHECK(f.display("DEBUG SLEEP 0.001\nSET lock:task \"worker-2\" NX\nGET lock:task") ==
        "OK\nOK\n\"worker-2\"\n");
}

TEST_CASE("Lesson-style comments are skipped and the commands still run") {
  ConsoleFixture f;
  const auto results =
      run_lines(f.console,
                "# Cache hit scenario:\n"
                "SET cache:user:1 \"{\\\"name\\\":\\\"Ada\\\"}\" EX 300 -- store the JSON\n"
                "  # the next line reads it back\n"
                "GET cache:user:1 -- returns cached JSON\n"
                "TTL cache:user:1\n");
  REQUIRE(results.size() == 3);
  CHECK(results[0].line_number == 2);
  CHECK(results[0].display == "OK\n");
  CHECK(results[1].line_number == 4);
  CHECK(results[1].args == std::vector<std::string>{"GET", "cache:user:1"});
  CHECK(results[1].display == "\"{\\\"name\\\":\\\"Ada\\\"}\"\n");
  CHECK(results[2].display == "(integer) 300\n");
}

TEST_CASE("Two consoles on two sessions of one server share keys but not transactions") {
  Server server(config());
  ClientSession& second = server.create_session("second");
  Console a(server, server.default_session());
  Console b(server, second);
  run_lines(a, "WATCH k\nMULTI\nINCR k");
  CHECK(a.prompt() == "redpad(TX)> ");
  CHECK(b.prompt() == "redpad> ");
  run_lines(b, "SET k 10");
  const auto results = run_lines(a, "EXEC");
  REQUIRE(results.size() == 1);
  CHECK(results[0].display == "(nil)\n");
  CHECK(run(server, {"GET", "k"}) == bulk("10"));
}
