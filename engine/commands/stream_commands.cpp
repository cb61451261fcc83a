// Streams.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> stream_command_rows() { return {}; }

}  // namespace redpad
