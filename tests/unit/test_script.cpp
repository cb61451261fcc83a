// The script language: redis-cli's argument splitting, trailing comments, repeat counts and
// line numbers.
#include <optional>
#include <string>
#include <vector>

#include "test_helpers.h"

using redpad::parse_script_line;
using redpad::ScriptLine;
using redpad::split_command_line;
using redpad::strip_trailing_comment;
using Args = std::vector<std::string>;

namespace {

Args split(std::string_view line) {
  auto args = split_command_line(line);
  REQUIRE_MESSAGE(args.has_value(), "refused: ", std::string(line));
  return *args;
}

// Every line of a script to run, through for_each_script_line.
std::vector<ScriptLine> parse_script(std::string_view script) {
  std::vector<ScriptLine> lines;
  redpad::for_each_script_line(script, [&lines](const ScriptLine& line) {
    lines.push_back(line);
    return true;
  });
  return lines;
}

}  // namespace

// ---- split_command_line ----

TEST_CASE("split: words are separated by runs of spaces, tabs and newlines") {
  CHECK(split("SET  key\tvalue \r\n") == Args{"SET", "key", "value"});
  CHECK(split("   ") == Args{});
  CHECK(split("") == Args{});
}

TEST_CASE("split: double quotes keep spaces and decode C escapes") {
  CHECK(split(R"(SET k "a b")") == Args{"SET", "k", "a b"});
  CHECK(split(R"("\n\r\t\b\a")") == Args{"\n\r\t\b\a"});
  CHECK(split(R"("\\ \" \q")") == Args{"\\ \" q"});
}

TEST_CASE("split: \\xHH in double quotes is one byte, either case of hex digit") {
  CHECK(split(R"("\x41\x4a\x4A\x00z")") == Args{std::string("AJJ\0z", 5)});
  CHECK(split(R"("\xff")") == Args{"\xff"});
}

TEST_CASE("split: \\x without two hex digits is a plain x") {
  CHECK(split(R"("\x4")") == Args{"x4"});
  CHECK(split(R"("\xzz")") == Args{"xzz"});
}

TEST_CASE("split: single quotes are literal except for \\'") {
  CHECK(split(R"('it\'s')") == Args{"it's"});
  CHECK(split(R"('a\nb')") == Args{"a\\nb"});
  CHECK(split(R"('a "b"')") == Args{"a \"b\""});
}

TEST_CASE("split: empty quotes give an empty argument") {
  CHECK(split(R"(SET k "")") == Args{"SET", "k", ""});
  CHECK(split("SET k ''") == Args{"SET", "k", ""});
}

TEST_CASE("split: a quote opening mid-word joins the quoted text to the word") {
  CHECK(split(R"(a"b c")") == Args{"ab c"});
  CHECK(split("x'y z' w") == Args{"xy z", "w"});
}

TEST_CASE("split: text glued to a closing quote makes the whole line invalid") {
  CHECK(split_command_line(R"(SET k "ab"c)") == std::nullopt);
  CHECK(split_command_line("SET k 'ab'c") == std::nullopt);
  CHECK(split_command_line(R"("a""b")") == std::nullopt);
}

TEST_CASE("split: any blank may follow a closing quote, including \\v and \\f") {
  CHECK(split("\"a\"\tb") == Args{"a", "b"});
  CHECK(split("\"a\"\vb") == Args{"a", "b"});
  CHECK(split("'a'\fb") == Args{"a", "b"});
}

TEST_CASE("split: an unterminated quote makes the line invalid") {
  CHECK(split_command_line(R"(SET k "abc)") == std::nullopt);
  CHECK(split_command_line("SET k 'abc") == std::nullopt);
  // The backslash escapes the closing quote, so the quote never closes.
  CHECK(split_command_line(R"(SET k "abc\")") == std::nullopt);
  CHECK(split_command_line(R"(SET k 'abc\')") == std::nullopt);
}

TEST_CASE("split: a NUL byte ends the line, as in redis-cli's C strings") {
  CHECK(split(std::string_view("GET a\0 b", 8)) == Args{"GET", "a"});
  // A quote left open before the NUL is unterminated.
  CHECK(split_command_line(std::string_view("GET \"a\0\"", 8)) == std::nullopt);
}

TEST_CASE("split: \\v and \\f stay inside an unquoted word but separate words at the start") {
  CHECK(split("a\vb c\fd") == Args{"a\vb", "c\fd"});
  CHECK(split("\v\fGET x") == Args{"GET", "x"});
}

// ---- strip_trailing_comment ----

TEST_CASE("comment: ' -- ' outside quotes starts a trailing comment") {
  CHECK(strip_trailing_comment("GET cache:user:1 -- returns cached JSON") == "GET cache:user:1");
  CHECK(strip_trailing_comment("GET a\t--\tnote") == "GET a");
  CHECK(strip_trailing_comment("GET a -- b -- c") == "GET a");
}

TEST_CASE("comment: ' -- ' inside quotes is kept") {
  CHECK(strip_trailing_comment(R"(SET k "a -- b")") == R"(SET k "a -- b")");
  CHECK(strip_trailing_comment("SET k 'a -- b'") == "SET k 'a -- b'");
  CHECK(strip_trailing_comment(R"(SET k "x\" -- y")") == R"(SET k "x\" -- y")");
  CHECK(strip_trailing_comment(R"(SET k 'x\' -- y')") == R"(SET k 'x\' -- y')");
  CHECK(strip_trailing_comment(R"(SET k "a -- b" -- note)") == R"(SET k "a -- b")");
}

TEST_CASE("comment: -- without a blank on both sides is an argument") {
  CHECK(strip_trailing_comment("SET k --") == "SET k --");
  CHECK(strip_trailing_comment("SET k a--b") == "SET k a--b");
  CHECK(strip_trailing_comment("SET k --x") == "SET k --x");
  CHECK(strip_trailing_comment("SET k x-- y") == "SET k x-- y");
  CHECK(strip_trailing_comment("SET k --- y") == "SET k --- y");
}

// ---- for_each_script_line ----

TEST_CASE("parse: blank and # lines are skipped and line numbers count every line") {
  const auto lines =
      parse_script("# Cache hit scenario:\n\n   # indented comment\nSET a 1\n\t\nGET a\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].line_number == 4);
  CHECK(lines[0].args == Args{"SET", "a", "1"});
  CHECK(lines[1].line_number == 6);
  CHECK(lines[1].args == Args{"GET", "a"});
}

TEST_CASE("parse: a line's text is trimmed and loses its trailing comment") {
  const auto lines = parse_script("   GET cache:user:1 -- returns cached JSON  ");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].kind == ScriptLine::Kind::Command);
  CHECK(lines[0].text == "GET cache:user:1");
  CHECK(lines[0].args == Args{"GET", "cache:user:1"});
  CHECK(lines[0].repeat == 1);
}

TEST_CASE("parse: a # after the first word is an argument, not a comment") {
  const auto lines = parse_script("ECHO #tag");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].args == Args{"ECHO", "#tag"});
}

TEST_CASE("parse: CRLF line endings leave no carriage return in the arguments") {
  const auto lines = parse_script("SET a \"x\"\r\nGET a\r\n\r\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].args == Args{"SET", "a", "x"});
  CHECK(lines[0].text == "SET a \"x\"");
  CHECK(lines[1].args == Args{"GET", "a"});
  CHECK(lines[1].line_number == 2);
}

TEST_CASE("parse: a script without a final newline keeps its last line") {
  const auto lines = parse_script("PING\nECHO last");
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].args == Args{"ECHO", "last"});
  CHECK(lines[1].line_number == 2);
  CHECK(parse_script("").empty());
  CHECK(parse_script("\n\n").empty());
}

TEST_CASE("parse: a leading number is a repeat count") {
  const auto lines = parse_script("3 INCR x");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].kind == ScriptLine::Kind::Command);
  CHECK(lines[0].repeat == 3);
  CHECK(lines[0].args == Args{"INCR", "x"});
  CHECK(lines[0].text == "3 INCR x");
}

TEST_CASE("parse: a number alone is a command, not a repeat count") {
  const auto line = parse_script_line("3", 1);
  REQUIRE(line.has_value());
  CHECK(line->kind == ScriptLine::Kind::Command);
  CHECK(line->repeat == 1);
  CHECK(line->args == Args{"3"});
}

TEST_CASE("parse: the repeat count is read like strtol (sign, leading blanks in quotes)") {
  const auto plus = parse_script_line("+2 PING", 1);
  REQUIRE(plus.has_value());
  CHECK(plus->repeat == 2);
  CHECK(plus->args == Args{"PING"});
  const auto quoted = parse_script_line("\" 2\" PING", 1);
  REQUIRE(quoted.has_value());
  CHECK(quoted->repeat == 2);
  // "0x2" is not a whole number, so it is the command's name.
  const auto hex = parse_script_line("0x2 PING", 1);
  REQUIRE(hex.has_value());
  CHECK(hex->repeat == 1);
  CHECK(hex->args == Args{"0x2", "PING"});
}

TEST_CASE("parse: zero, negative, empty and out-of-range repeat counts are invalid") {
  for (const char* text : {"0 PING", "-1 PING", "\"\" a", "99999999999999999999 PING"}) {
    CAPTURE(text);
    const auto line = parse_script_line(text, 7);
    REQUIRE(line.has_value());
    CHECK(line->kind == ScriptLine::Kind::InvalidRepeat);
    CHECK(line->line_number == 7);
  }
}

TEST_CASE("parse: bad quoting gives an InvalidArguments line with its number") {
  const auto lines = parse_script("PING\n# note\nSET k \"open\nGET k");
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].kind == ScriptLine::Kind::InvalidArguments);
  CHECK(lines[1].line_number == 3);
  CHECK(lines[1].text == "SET k \"open");
  CHECK(lines[1].args.empty());
  CHECK(lines[2].line_number == 4);
}

TEST_CASE("parse: a line that is only a ' -- ' comment is skipped") {
  const auto lines = parse_script("PING\n   -- explain the next step\nECHO x");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].args == Args{"PING"});
  CHECK(lines[1].args == Args{"ECHO", "x"});
  CHECK(lines[1].line_number == 3);
}

TEST_CASE("parse: a blank line parses to nothing") {
  CHECK(parse_script_line("", 1) == std::nullopt);
  CHECK(parse_script_line(" \t\r", 1) == std::nullopt);
  CHECK(parse_script_line("  # comment", 1) == std::nullopt);
}
