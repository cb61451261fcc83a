// redis-cli's display text for a reply, byte for byte as `redis-cli --no-raw` prints it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reply.h"

namespace redpad {

// Quoted form of a bulk string: "..." with \\, \", \n, \r, \t, \a, \b and \xhh escapes.
std::string quote_bulk_cli(const std::string& bytes);
void append_quoted_bulk_cli(std::string& out, std::string_view bytes);

// The text redis-cli prints for `reply`, ending in a newline (or empty for an empty raw reply).
// `raw` is redis-cli's per-command raw mode (INFO and a few others print strings unquoted).
// `ansi` keeps redis-cli's colour codes in help text (a terminal or a pipe); the page drops them.
std::string format_reply_cli(const Reply& reply, bool raw = false, bool ansi = true);
// The same text appended to `out` (a script's whole output builds in one buffer).
void append_reply_cli(std::string& out, const Reply& reply, bool raw = false, bool ansi = true);

// redis-cli prints some commands' replies raw (INFO, CLIENT LIST, ...): decided by the command.
bool cli_prints_raw(const std::vector<std::string>& args);

}  // namespace redpad
