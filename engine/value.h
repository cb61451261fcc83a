// A value stored under a key. Strings carry the encoding Redis would report for them,
// because OBJECT ENCODING is part of what a learner can see.
#pragma once

#include <cstdint>
#include <string>

namespace redpad {

enum class ValueType : std::uint8_t { String, List, Hash, Set, ZSet, Stream };

// Redis's string encodings: "int" (a 64-bit integer in canonical form), "embstr"
// (short, created in one piece) and "raw" (modified in place or long).
enum class StringEncoding : std::uint8_t { Int, Embstr, Raw };

// Longest string Redis stores as embstr.
inline constexpr size_t kEmbstrMaxLength = 44;

struct Value {
  ValueType type = ValueType::String;
  StringEncoding encoding = StringEncoding::Embstr;
  std::string str;

  // A string as Redis's SET stores it: "int" when it is a canonical 64-bit integer,
  // otherwise embstr or raw by length.
  static Value string_for_set(std::string bytes);
  // A string created without Redis's integer check (INCRBYFLOAT, GETEX, ...).
  static Value string_plain(std::string bytes);
  // A string modified in place (APPEND, SETRANGE): always raw.
  static Value string_raw(std::string bytes);
  // The result of INCR and friends: always "int".
  static Value string_integer(long long number);
};

const char* type_name(ValueType type);
const char* encoding_name(const Value& value);

}  // namespace redpad
