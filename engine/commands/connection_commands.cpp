// Connection commands: AUTH, CLIENT, QUIT, RESET, READONLY, READWRITE, ASKING, CLUSTER.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> connection_command_rows() { return {}; }

}  // namespace redpad
