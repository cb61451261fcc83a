// Hashes.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> hash_command_rows() { return {}; }

}  // namespace redpad
