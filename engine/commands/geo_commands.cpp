// Geospatial commands, stored in sorted sets as Redis does (52-bit geohash scores).
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> geo_command_rows() { return {}; }

}  // namespace redpad
