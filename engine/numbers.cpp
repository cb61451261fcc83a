#include "numbers.h"

#include <cerrno>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace redpad {

namespace {

// Longest integer text Redis will try to parse (sign plus 20 digits).
constexpr size_t kMaxIntegerChars = 20;
// Longest float text Redis accepts.
constexpr size_t kMaxLongDoubleChars = 5 * 1024;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Rounds to x87 extended precision (64-bit mantissa, round half to even); a no-op where
// long double already is that type.
long double to_extended_precision(long double value) {
#if LDBL_MANT_DIG > 64
  if (value == 0 || !std::isfinite(value)) return value;
  int exponent = 0;
  const long double mantissa = std::frexp(value, &exponent);  // in [0.5, 1)
  return std::ldexp(std::nearbyint(std::ldexp(mantissa, 64)), exponent - 64);
#else
  return value;
#endif
}

}  // namespace

long double add_long_doubles(long double a, long double b) {
  return to_extended_precision(a + b);
}

bool parse_integer(std::string_view text, long long& value) {
  if (text.empty() || text.size() > kMaxIntegerChars) return false;
  if (text == "0") {
    value = 0;
    return true;
  }
  size_t pos = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    pos = 1;
    if (text.size() == 1) return false;
  }
  if (text[pos] < '1' || text[pos] > '9') return false;
  unsigned long long magnitude = 0;
  for (; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c < '0' || c > '9') return false;
    const auto digit = static_cast<unsigned long long>(c - '0');
    if (magnitude > (ULLONG_MAX - digit) / 10) return false;
    magnitude = magnitude * 10 + digit;
  }
  if (negative) {
    if (magnitude > static_cast<unsigned long long>(LLONG_MAX) + 1) return false;
    value = magnitude == static_cast<unsigned long long>(LLONG_MAX) + 1
                ? LLONG_MIN
                : -static_cast<long long>(magnitude);
  } else {
    if (magnitude > static_cast<unsigned long long>(LLONG_MAX)) return false;
    value = static_cast<long long>(magnitude);
  }
  return true;
}

bool parse_long_double(std::string_view text, long double& value) {
  if (text.empty() || text.size() >= kMaxLongDoubleChars || is_space(text[0])) return false;
  const std::string copy(text);  // strtold needs a terminated string
  char* end = nullptr;
  errno = 0;
  const long double parsed = std::strtold(copy.c_str(), &end);
  const bool out_of_range = errno == ERANGE && (parsed == HUGE_VALL || parsed == -HUGE_VALL ||
                                                std::fpclassify(parsed) == FP_ZERO);
  if (end != copy.c_str() + copy.size() || out_of_range || std::isnan(parsed)) return false;
  value = to_extended_precision(parsed);
  return true;
}

bool parse_double(std::string_view text, double& value) {
  if (text.empty() || is_space(text[0])) return false;
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double parsed = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() ||
      (errno == ERANGE &&
       (parsed == HUGE_VAL || parsed == -HUGE_VAL || std::fpclassify(parsed) == FP_ZERO)) ||
      std::isnan(parsed)) {
    return false;
  }
  value = parsed;
  return true;
}

std::string format_double(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == 0) return "0";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

std::string format_long_double(long double value) {
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string text(kMaxLongDoubleChars, '\0');
  int length = std::snprintf(text.data(), text.size(), "%.17Lf", value);
  if (length < 0) return "0";
  text.resize(static_cast<size_t>(length));
  if (text.find('.') != std::string::npos) {
    while (text.back() == '0')
      text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

}  // namespace redpad
