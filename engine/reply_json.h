// The structured form of a reply, as JSON for the page and other embedders.
#pragma once

#include <nlohmann/json.hpp>

#include "reply.h"

namespace redpad {

// {"type":"bulk","value":"..."}, {"type":"integer","value":42}, {"type":"array","items":[...]}
// ... Integers beyond JavaScript's safe range are sent as strings; byte strings that are not
// UTF-8 have their bad bytes replaced when dumped (the display text is always exact).
nlohmann::json reply_to_json(const Reply& reply);

// Dumps JSON without ever failing on bytes that are not UTF-8.
std::string dump_json(const nlohmann::json& value);

}  // namespace redpad
