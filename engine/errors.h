// Redis 7.0's error texts, written once. Every reply a learner sees must match the real
// server byte for byte, so handlers never spell an error inline: the texts (and builders)
// shared by several files live here; a text only one command group uses is a named
// constant (or builder) at the top of that group's file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "reply.h"

namespace redpad::errors {

inline constexpr const char* kSyntax = "ERR syntax error";
inline constexpr const char* kNotInteger = "ERR value is not an integer or out of range";
inline constexpr const char* kNotFloat = "ERR value is not a valid float";
inline constexpr const char* kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr const char* kOverflow = "ERR increment or decrement would overflow";
inline constexpr const char* kIncrFloatNanOrInf = "ERR increment would produce NaN or Infinity";
inline constexpr const char* kNoSuchKey = "ERR no such key";
inline constexpr const char* kOutOfMemory =
    "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr const char* kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr const char* kInvalidCursor = "ERR invalid cursor";

inline constexpr const char* kNumkeysNotPositive = "ERR numkeys should be greater than 0";
inline constexpr const char* kNumkeysTooMany =
    "ERR Number of keys can't be greater than number of args";
inline constexpr const char* kMustBePositive = "ERR value is out of range, must be positive";
inline constexpr const char* kCountNotPositive = "ERR count should be greater than 0";
inline constexpr const char* kLimitNegative = "ERR LIMIT can't be negative";
inline constexpr const char* kOutOfRange = "ERR value is out of range";
// HRANDFIELD's, SRANDMEMBER's and ZRANDMEMBER's count, whose negation must fit.
inline constexpr const char* kDrawCountOutOfRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";
inline constexpr const char* kCountMustBeAboveZero = "ERR COUNT must be > 0";
inline constexpr const char* kInt32OutOfRange =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr const char* kTimeoutNotFloat = "ERR timeout is not a float or out of range";
inline constexpr const char* kTimeoutNotInteger = "ERR timeout is not an integer or out of range";
inline constexpr const char* kTimeoutNegative = "ERR timeout is negative";

// ---- echoing arguments ----
// How Redis prints an argument into an error (a printf "%s", or "%.128s" with a cut): the
// text stops at its first zero byte and after `max` bytes.
std::string echoed(std::string_view argument, size_t max = std::string_view::npos);
// An error line as Redis sends it: an argument may hold CR or LF, which would break the
// protocol, so those at the end are dropped and the others become spaces.
std::string one_line(std::string text);

}  // namespace redpad::errors

namespace redpad {

// ---- the errors every command group shares ----
inline Reply wrong_type_error() {
  return Reply::error(errors::kWrongType);
}
inline Reply syntax_error() {
  return Reply::error(errors::kSyntax);
}
inline Reply not_integer_error() {
  return Reply::error(errors::kNotInteger);
}
inline Reply not_float_error() {
  return Reply::error(errors::kNotFloat);
}

// "ERR wrong number of arguments for 'get' command": `command` is the name as the command
// table spells it (lower case; "object|encoding" for a subcommand), never the client's
// spelling, so it needs no cleaning.
Reply arity_error(std::string_view command);
// "ERR unknown command 'FOO', with args beginning with: 'a' 'b' ": the name cut at 128
// bytes, then the arguments quoted one by one while the list is under 128 bytes.
Reply unknown_command_error(const std::vector<std::string>& args);
// "ERR unknown subcommand 'foo'. Try OBJECT HELP.": a name the container command's table
// does not have. `container` is the command's name (any case).
Reply unknown_subcommand_error(std::string_view container, std::string_view subcommand);
// "ERR unknown subcommand or wrong number of arguments for 'foo'. Try DEBUG HELP.": what a
// handler answers when its own subcommand parsing fails.
Reply subcommand_syntax_error(std::string_view container, std::string_view subcommand);
// "ERR invalid expire time in 'set' command" (SET, GETEX, EXPIRE...).
Reply invalid_expire_time_error(std::string_view command);
// Any error whose text echoes arguments (built with errors::echoed): cleaned into one line
// as Redis does.
Reply echoing_error(std::string text);

}  // namespace redpad
