// Sets.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> set_command_rows() { return {}; }

}  // namespace redpad
