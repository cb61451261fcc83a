// SHA-1 (FIPS 180-4): a script's id is the SHA-1 of its body, and redis.sha1hex gives it too.
#pragma once

#include <string>
#include <string_view>

namespace redpad {

// The 40 lowercase hex digits of data's SHA-1.
std::string sha1_hex(std::string_view data);

}  // namespace redpad
