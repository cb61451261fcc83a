// Pub/Sub: PUBLISH and PUBSUB (subscribers arrive with the several-clients issue).
#include <vector>

#include "command_helpers.h"

namespace redpad {

std::vector<CommandRow> pubsub_command_rows() { return {}; }

}  // namespace redpad
