// HyperLogLog.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> hyperloglog_command_rows() { return {}; }

}  // namespace redpad
