// The shared error builders (engine/errors.h): their exact texts and Redis's cleaning of the
// arguments they echo. Every expected text here was read from redis-server 7.0.15 (the same
// lines are in tests/differential/corpus/errors.redis, where the real server confirms them).
#include <string>
#include <vector>

#include "errors.h"
#include "test_helpers.h"

namespace redpad::test {
namespace {

using namespace std::string_literals;

const std::string k300(300, 'x');
const std::string k128(128, 'x');

TEST_CASE("errors::echoed stops at a zero byte and after the given length") {
  CHECK(errors::echoed("abc") == "abc");
  CHECK(errors::echoed("ab\0cd"s) == "ab");
  CHECK(errors::echoed("\0"s).empty());
  CHECK(errors::echoed(k300, 128) == k128);
  CHECK(errors::echoed("a\0"s + k300, 128) == "a");
  CHECK(errors::echoed(k300) == k300);      // plain %s: no cut
  CHECK(errors::echoed("a\nb") == "a\nb");  // the cleaning is one_line's
}

TEST_CASE("errors::one_line drops CR and LF at the end and turns the others into spaces") {
  CHECK(errors::one_line("ERR a\nb") == "ERR a b");
  CHECK(errors::one_line("ERR a\r\nb") == "ERR a  b");
  CHECK(errors::one_line("ERR a\n") == "ERR a");
  CHECK(errors::one_line("ERR \na\nb\r") == "ERR  a b");
  CHECK(errors::one_line("ERR a\r\n\r\n") == "ERR a");
  CHECK(errors::one_line("\nE x\r\n") == " E x");  // only the end is trimmed
  CHECK(errors::one_line("ERR a\tb") == "ERR a\tb");
  CHECK(errors::one_line("") == "");
}

TEST_CASE("The shared fixed errors") {
  CHECK(wrong_type_error() ==
        error("WRONGTYPE Operation against a key holding the wrong kind of value"));
  CHECK(syntax_error() == error("ERR syntax error"));
  CHECK(not_integer_error() == error("ERR value is not an integer or out of range"));
  CHECK(not_float_error() == error("ERR value is not a valid float"));
}

TEST_CASE("arity_error names the command as the table spells it") {
  CHECK(arity_error("get") == error("ERR wrong number of arguments for 'get' command"));
  CHECK(arity_error("object|encoding") ==
        error("ERR wrong number of arguments for 'object|encoding' command"));
  CHECK(invalid_expire_time_error("set") == error("ERR invalid expire time in 'set' command"));
}

TEST_CASE("unknown_subcommand_error cleans and cuts the subcommand, upper-cases the container") {
  CHECK(unknown_subcommand_error("object", "foo") ==
        error("ERR unknown subcommand 'foo'. Try OBJECT HELP."));
  CHECK(unknown_subcommand_error("Config", "a\nb") ==
        error("ERR unknown subcommand 'a b'. Try CONFIG HELP."));
  CHECK(unknown_subcommand_error("object", "a\r\nb") ==
        error("ERR unknown subcommand 'a  b'. Try OBJECT HELP."));
  CHECK(unknown_subcommand_error("client", "\na\n") ==
        error("ERR unknown subcommand ' a '. Try CLIENT HELP."));
  CHECK(unknown_subcommand_error("object", "ab\0cd"s) ==
        error("ERR unknown subcommand 'ab'. Try OBJECT HELP."));
  CHECK(unknown_subcommand_error("xinfo", k300) ==
        error("ERR unknown subcommand '" + k128 + "'. Try XINFO HELP."));
  // The cut comes first, then the cleaning: a newline within the 128 bytes is one space.
  CHECK(unknown_subcommand_error("command", "a\n" + k300) ==
        error("ERR unknown subcommand 'a " + std::string(126, 'x') + "'. Try COMMAND HELP."));
}

TEST_CASE("subcommand_syntax_error: a handler's refusal, cleaned and cut the same way") {
  CHECK(subcommand_syntax_error("debug", "a\nb") ==
        error("ERR unknown subcommand or wrong number of arguments for 'a b'. Try DEBUG HELP."));
  CHECK(subcommand_syntax_error("DEBUG", "\nx\n") ==
        error("ERR unknown subcommand or wrong number of arguments for ' x '. Try DEBUG HELP."));
  CHECK(subcommand_syntax_error("slowlog", "GeT") ==
        error("ERR unknown subcommand or wrong number of arguments for 'GeT'. Try SLOWLOG HELP."));
  CHECK(subcommand_syntax_error("debug", k300) ==
        error("ERR unknown subcommand or wrong number of arguments for '" + k128 +
              "'. Try DEBUG HELP."));
}

TEST_CASE("unknown_command_error quotes the arguments until the list reaches 128 bytes") {
  CHECK(unknown_command_error({"FOO"}) ==
        error("ERR unknown command 'FOO', with args beginning with: "));
  CHECK(unknown_command_error({"FOO", "a\nb", "c\rd"}) ==
        error("ERR unknown command 'FOO', with args beginning with: 'a b' 'c d' "));
  CHECK(unknown_command_error({"\nfoo\n", "\na"}) ==
        error("ERR unknown command ' foo ', with args beginning with: ' a' "));
  CHECK(unknown_command_error({"FOO", k300}) ==
        error("ERR unknown command 'FOO', with args beginning with: '" + k128 + "' "));
  // 'a' takes 4 bytes of the 128, the next argument gets the 124 left.
  CHECK(unknown_command_error({"FOO", "a", k300}) ==
        error("ERR unknown command 'FOO', with args beginning with: 'a' '" + std::string(124, 'x') +
              "' "));
  const std::string z100(100, 'z');
  CHECK(unknown_command_error({"FOO", z100, z100, z100}) ==
        error("ERR unknown command 'FOO', with args beginning with: '" + z100 + "' '" +
              std::string(25, 'z') + "' "));
  CHECK(unknown_command_error({"FOO", "x\0y"s, "a\0b"s, "c"}) ==
        error("ERR unknown command 'FOO', with args beginning with: 'x' 'a' 'c' "));
  CHECK(unknown_command_error({k300, "a", "b"}) ==
        error("ERR unknown command '" + k128 + "', with args beginning with: 'a' 'b' "));
}

TEST_CASE("echoing_error cleans a whole error text") {
  CHECK(echoing_error("ERR Unsupported option " + errors::echoed("\na\nb\r")) ==
        error("ERR Unsupported option  a b"));
  CHECK(echoing_error("ERR Unknown category '" + errors::echoed("\nb\n") + "'") ==
        error("ERR Unknown category ' b '"));
}

TEST_CASE("The server and the handlers echo arguments through the shared builders") {
  Server server(config());
  CHECK(cli(server, "OBJECT \"a\\nb\"") ==
        "(error) ERR unknown subcommand 'a b'. Try OBJECT HELP.\n");
  CHECK(cli(server, "DEBUG \"a\\nb\"") ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'a b'. Try DEBUG "
        "HELP.\n");
  CHECK(cli(server, "slowlog GeT 1 2") ==
        "(error) ERR unknown subcommand or wrong number of arguments for 'GeT'. Try SLOWLOG "
        "HELP.\n");
  CHECK(cli(server, "FOO \"a\\nb\"") ==
        "(error) ERR unknown command 'FOO', with args beginning with: 'a b' \n");
  CHECK(cli(server, "SET k v") == "OK\n");
  CHECK(cli(server, "EXPIRE k 10 \"a\\r\\n\"") == "(error) ERR Unsupported option a\n");
  CHECK(cli(server, "CONFIG SET \"\\na\\n\" c") ==
        "(error) ERR Unknown option or number of arguments for CONFIG SET - ' a '\n");
  CHECK(cli(server, "ACL CAT \"a\\nb\"") == "(error) ERR Unknown category 'a b'\n");
}

}  // namespace
}  // namespace redpad::test
