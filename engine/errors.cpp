#include "errors.h"

#include <algorithm>

#include "ascii.h"

namespace redpad {

namespace errors {

std::string echoed(std::string_view argument, size_t max) {
  return std::string(argument.substr(0, std::min(max, argument.find('\0'))));
}

std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == '\n'))
    text.pop_back();
  std::replace(text.begin(), text.end(), '\r', ' ');
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

}  // namespace errors

namespace {

// The longest command name or subcommand Redis echoes in its command errors, in bytes.
constexpr size_t kEchoedNameMax = 128;

}  // namespace

Reply arity_error(std::string_view command) {
  return Reply::error("ERR wrong number of arguments for '" + std::string(command) + "' command");
}

Reply unknown_command_error(const std::vector<std::string>& args) {
  std::string listed;
  for (size_t i = 1; i < args.size() && listed.size() < kEchoedNameMax; ++i) {
    listed += "'" + errors::echoed(args[i], kEchoedNameMax - listed.size()) + "' ";
  }
  const std::string name = args.empty() ? std::string() : errors::echoed(args[0], kEchoedNameMax);
  return echoing_error("ERR unknown command '" + name + "', with args beginning with: " + listed);
}

Reply unknown_subcommand_error(std::string_view container, std::string_view subcommand) {
  return echoing_error("ERR unknown subcommand '" + errors::echoed(subcommand, kEchoedNameMax) +
                       "'. Try " + ascii_upper(container) + " HELP.");
}

Reply subcommand_syntax_error(std::string_view container, std::string_view subcommand) {
  return echoing_error("ERR unknown subcommand or wrong number of arguments for '" +
                       errors::echoed(subcommand, kEchoedNameMax) + "'. Try " +
                       ascii_upper(container) + " HELP.");
}

Reply invalid_expire_time_error(std::string_view command) {
  return Reply::error("ERR invalid expire time in '" + std::string(command) + "' command");
}

Reply echoing_error(std::string text) {
  return Reply::error(errors::one_line(std::move(text)));
}

}  // namespace redpad
