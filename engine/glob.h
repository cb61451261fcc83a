// Redis's glob patterns (KEYS, SCAN MATCH): * ? [abc] [^abc] [a-z] and backslash escapes.
#pragma once

#include <string_view>

namespace redpad {

bool glob_match(std::string_view pattern, std::string_view text, bool nocase = false);

}  // namespace redpad
