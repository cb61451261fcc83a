// Number parsing and printing with Redis's exact rules: which strings count as integers or
// floats, and how INCRBYFLOAT prints its result.
#pragma once

#include <string>
#include <string_view>

namespace redpad {

// Redis's strict integer syntax: optional '-', no '+', no spaces, no leading zeros
// ("0" alone is fine, "-0" and "01" are not), fits in a signed 64-bit integer.
bool parse_integer(std::string_view text, long long& value);

// Redis's long double syntax for INCRBYFLOAT: no leading space, the whole string
// consumed, not NaN.
bool parse_long_double(std::string_view text, long double& value);

// a + b as Redis computes INCRBYFLOAT and HINCRBYFLOAT: in x86's 80-bit long double.
// Where long double is wider (WebAssembly's is 128-bit), the result is rounded to the 64-bit
// mantissa so the browser prints the same digits as the native build and real Redis.
long double add_long_doubles(long double a, long double b);

// Redis's double syntax (scores, DEBUG, ...): whole string, no leading space, not NaN.
bool parse_double(std::string_view text, double& value);

// Redis 7.0's print format for doubles (sorted set scores, GEO distances...): "%.17g",
// with "inf", "-inf", "nan", and "0" for both zeros.
std::string format_double(double value);

// INCRBYFLOAT's print format: 17 decimals, trailing zeros and a trailing point removed.
std::string format_long_double(long double value);

}  // namespace redpad
