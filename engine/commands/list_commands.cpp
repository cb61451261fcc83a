// Lists.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> list_command_rows() { return {}; }

}  // namespace redpad
