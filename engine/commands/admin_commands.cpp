// Server administration commands: SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE, WAIT, ROLE, SLOWLOG, LATENCY, ACL, MODULE.
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> admin_command_rows() { return {}; }

}  // namespace redpad
