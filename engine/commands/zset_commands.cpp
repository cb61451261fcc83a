// Sorted sets.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> zset_command_rows() { return {}; }

}  // namespace redpad
