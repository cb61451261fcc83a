// Bitmaps (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD).
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> bitmap_command_rows() { return {}; }

}  // namespace redpad
