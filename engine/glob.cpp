#include "glob.h"

#include "ascii.h"

namespace redpad {

namespace {

bool same_char(char a, char b, bool nocase) {
  return nocase ? ascii_to_lower(a) == ascii_to_lower(b) : a == b;
}

// Matches one [...] class at the start of `pattern` (just after '[') against `c`.
// Advances `pattern` to the closing ']' (or to the last character if there is none).
bool match_class(std::string_view& pattern, char c, bool nocase) {
  bool negate = false;
  if (!pattern.empty() && pattern[0] == '^') {
    negate = true;
    pattern.remove_prefix(1);
  }
  bool matched = false;
  for (;;) {
    if (pattern.empty()) {
      break;  // an unclosed class ends with the pattern
    }
    if (pattern[0] == '\\' && pattern.size() >= 2) {
      pattern.remove_prefix(1);
      if (pattern[0] == c) matched = true;  // Redis compares an escaped class member exactly
    } else if (pattern[0] == ']') {
      break;
    } else if (pattern.size() >= 3 && pattern[1] == '-') {
      char low = pattern[0];
      char high = pattern[2];
      if (low > high) std::swap(low, high);
      char value = c;
      if (nocase) {
        low = ascii_to_lower(low);
        high = ascii_to_lower(high);
        value = ascii_to_lower(value);
      }
      if (value >= low && value <= high) matched = true;
      pattern.remove_prefix(2);
    } else if (same_char(pattern[0], c, nocase)) {
      matched = true;
    }
    pattern.remove_prefix(1);
  }
  return negate ? !matched : matched;
}

// `text_exhausted` is set when matching failed because the text ran out: a '*' before this
// point then gains nothing by trying shorter remainders, which keeps patterns like
// "*a*a*a*a*b" linear-ish instead of exponential (as Redis does since 7.0.9).
bool match_from(std::string_view pattern, std::string_view text, bool nocase, int depth,
                bool& text_exhausted) {
  if (depth > 1000) return false;  // Redis gives up at the same nesting depth
  while (!pattern.empty() && !text.empty()) {
    switch (pattern[0]) {
      case '*': {
        while (pattern.size() > 1 && pattern[1] == '*')
          pattern.remove_prefix(1);
        if (pattern.size() == 1) return true;
        for (size_t skip = 0; skip <= text.size(); ++skip) {
          if (match_from(pattern.substr(1), text.substr(skip), nocase, depth + 1, text_exhausted)) {
            return true;
          }
          if (text_exhausted) return false;
        }
        text_exhausted = true;
        return false;
      }
      case '?':
        break;
      case '[': {
        pattern.remove_prefix(1);
        if (!match_class(pattern, text[0], nocase)) return false;
        if (pattern.empty()) {  // an unclosed class consumed the rest of the pattern
          text.remove_prefix(1);
          continue;
        }
        break;
      }
      case '\\':
        if (pattern.size() >= 2) pattern.remove_prefix(1);
        if (!same_char(pattern[0], text[0], nocase)) return false;
        break;
      default:
        if (!same_char(pattern[0], text[0], nocase)) return false;
        break;
    }
    pattern.remove_prefix(1);
    text.remove_prefix(1);
  }
  while (!pattern.empty() && pattern[0] == '*')
    pattern.remove_prefix(1);
  if (text.empty() && !pattern.empty()) text_exhausted = true;
  return pattern.empty() && text.empty();
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool nocase) {
  // Redis's matcher never enters its loop for an empty text: only an empty pattern
  // matches it, not even "*" (KEYS * and SCAN's MATCH * skip matching altogether).
  if (text.empty()) return pattern.empty();
  bool text_exhausted = false;
  return match_from(pattern, text, nocase, 0, text_exhausted);
}

}  // namespace redpad
