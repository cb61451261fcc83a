// SORT and SORT_RO (generic group): sorting lists, sets and sorted sets, with BY and GET
// patterns, LIMIT, ASC/DESC, ALPHA and STORE.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> sort_command_rows() { return {}; }

}  // namespace redpad
