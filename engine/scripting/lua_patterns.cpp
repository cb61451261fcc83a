// Lua 5.1's string patterns for string.find, string.match, string.gmatch (and its old name
// string.gfind) and string.gsub, written for redpad from the Lua 5.1 reference manual (5.4.1,
// "Patterns") and the answers of redis-server 7.0.15, whose results and error texts they
// reproduce.
//
// Why not Lua's own: its matcher backtracks, and some patterns take exponential time
// (string.find(string.rep('a', 40), string.rep('a*', 40) .. 'b')) inside one C call where
// no hook can stop it. This one charges every step to the script's budget (lua_charge), so
// such a script is stopped like any script that runs too long.
//
// The semantics, as Lua 5.1 has them:
// - A pattern ends at its first zero byte (use %z to match one). A leading '^' anchors
//   find, match and gsub; gmatch takes it as a plain character.
// - string.find searches plainly (no pattern) when its fourth argument is true or when the
//   pattern, up to a zero byte, holds none of ^$*+?.([%-.
// - Matching is backtracking, greedy for * + ?, lazy for -; captures nest 32 deep.
//
// Lua is C here: errors longjmp out of these functions, so they hold no C++ object with a
// destructor. The matcher recurses once per pattern item that can backtrack; kMaxDepth keeps
// that within a WebAssembly call stack.
#include <cstdint>
#include <cstring>

#include "lua_libraries.h"

namespace {

constexpr int kMaxCaptures = 32;                    // LUA_MAXCAPTURES
constexpr std::ptrdiff_t kCaptureOpen = -1;         // "(" seen, ")" not yet
constexpr std::ptrdiff_t kCapturePosition = -2;     // "()"
constexpr int kMaxDepth = 4000;                     // nested backtracking points
constexpr std::uint64_t kStepsPerCharge = 1 << 12;  // units between two charges
// Budget units (lua_libraries.h) of a call, of a step of the matcher, of a replacement.
constexpr std::uint64_t kCallUnits = 10;
constexpr std::uint64_t kStepUnits = 4;
constexpr std::uint64_t kReplacementUnits = 4;
constexpr std::uint64_t kCompareBytesPerUnit = 8;  // memcmp: slower in WebAssembly

struct Capture {
  const char* start;
  std::ptrdiff_t length;  // or kCaptureOpen, kCapturePosition
};

struct Matcher {
  lua_State* L;
  const char* subject;
  const char* subject_end;
  const char* pattern_end;  // the pattern's first zero byte
  int level;                // captures in use
  int depth;
  std::uint64_t steps;  // not charged yet
  Capture captures[kMaxCaptures];
};

void step(Matcher* m, std::uint64_t count = 1) {
  m->steps += count;
  if (m->steps >= kStepsPerCharge) {
    const std::uint64_t steps = m->steps;
    m->steps = 0;
    redpad::lua_charge(m->L, steps);
  }
}

void charge_rest(Matcher* m) {
  const std::uint64_t steps = m->steps;
  m->steps = 0;
  redpad::lua_charge(m->L, steps);
}

unsigned char byte_at(const char* p) {
  return static_cast<unsigned char>(*p);
}

// The C locale's character classes, as Redis's Lua sees them.
bool is_lower(int c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(int c) {
  return c >= 'A' && c <= 'Z';
}
bool is_alpha(int c) {
  return is_lower(c) || is_upper(c);
}
bool is_digit(int c) {
  return c >= '0' && c <= '9';
}
bool is_space(int c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}
bool is_control(int c) {
  return c < 32 || c == 127;
}
bool is_punctuation(int c) {
  return c > 32 && c < 127 && !is_alpha(c) && !is_digit(c);
}
bool is_hex_digit(int c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Whether c is in the class %<letter> ('%a', '%D'...); any other character after '%'
// stands for itself.
bool in_class(int c, int letter) {
  bool found = false;
  switch (is_upper(letter) ? letter - 'A' + 'a' : letter) {
    case 'a':
      found = is_alpha(c);
      break;
    case 'c':
      found = is_control(c);
      break;
    case 'd':
      found = is_digit(c);
      break;
    case 'l':
      found = is_lower(c);
      break;
    case 'p':
      found = is_punctuation(c);
      break;
    case 's':
      found = is_space(c);
      break;
    case 'u':
      found = is_upper(c);
      break;
    case 'w':
      found = is_alpha(c) || is_digit(c);
      break;
    case 'x':
      found = is_hex_digit(c);
      break;
    case 'z':
      found = c == 0;
      break;
    default:
      return letter == c;
  }
  return is_upper(letter) ? !found : found;
}

// Whether c is in the set [...] that starts at `open` and whose ']' is at `close`.
bool in_set(int c, const char* open, const char* close) {
  const char* p = open + 1;
  bool complement = false;
  if (*p == '^') {
    complement = true;
    ++p;
  }
  for (; p < close; ++p) {
    if (*p == '%' && p + 1 < close) {
      ++p;
      if (in_class(c, byte_at(p))) return !complement;
    } else if (p + 2 < close && p[1] == '-') {
      if (byte_at(p) <= c && c <= byte_at(p + 2)) return !complement;
      p += 2;
    } else if (byte_at(p) == c) {
      return !complement;
    }
  }
  return complement;
}

// Where the single-character item at p ends: past '%x', a set '[...]', or one character.
const char* item_end(Matcher* m, const char* p) {
  const char c = *p++;
  if (c == '%') {
    if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (ends with '%%')");
    return p + 1;
  }
  if (c == '[') {
    if (p < m->pattern_end && *p == '^') ++p;
    // The set's first character is part of it even when it is ']'.
    do {
      if (p == m->pattern_end) luaL_error(m->L, "malformed pattern (missing ']')");
      const char d = *p++;
      if (d == '%' && p < m->pattern_end) ++p;
    } while (p == m->pattern_end || *p != ']');
    return p + 1;
  }
  return p;
}

// Whether the subject's character c matches the single-character item [p, end).
bool item_matches(int c, const char* p, const char* end) {
  switch (*p) {
    case '.':
      return true;
    case '%':
      return in_class(c, byte_at(p + 1));
    case '[':
      return in_set(c, p, end - 1);
    default:
      return byte_at(p) == c;
  }
}

const char* match(Matcher* m, const char* s, const char* p);

// Item [p, end) repeated as often as possible, then fewer times, for the rest at end + 1.
const char* match_greedy(Matcher* m, const char* s, const char* p, const char* end) {
  std::ptrdiff_t count = 0;
  while (s + count < m->subject_end && item_matches(byte_at(s + count), p, end)) {
    ++count;
    step(m);
  }
  for (; count >= 0; --count) {
    if (const char* found = match(m, s + count, end + 1)) return found;
  }
  return nullptr;
}

// Item [p, end) repeated as few times as possible, for the rest at end + 1.
const char* match_lazy(Matcher* m, const char* s, const char* p, const char* end) {
  for (;;) {
    if (const char* found = match(m, s, end + 1)) return found;
    if (s == m->subject_end || !item_matches(byte_at(s), p, end)) return nullptr;
    ++s;
    step(m);
  }
}

const char* open_capture(Matcher* m, const char* s, const char* p, std::ptrdiff_t kind) {
  if (m->level >= kMaxCaptures) luaL_error(m->L, "too many captures");
  m->captures[m->level] = Capture{s, kind};
  ++m->level;
  const char* found = match(m, s, p);
  if (found == nullptr) --m->level;
  return found;
}

const char* close_capture(Matcher* m, const char* s, const char* p) {
  int open = m->level - 1;
  while (open >= 0 && m->captures[open].length != kCaptureOpen)
    --open;
  if (open < 0) luaL_error(m->L, "invalid pattern capture");
  Capture& capture = m->captures[open];
  capture.length = s - capture.start;
  const char* found = match(m, s, p);
  if (found == nullptr) capture.length = kCaptureOpen;
  return found;
}

// %bxy at p (pointing at x): from an x, up to the y that balances it.
const char* match_balanced(Matcher* m, const char* s, const char* p) {
  if (p + 1 >= m->pattern_end) luaL_error(m->L, "unbalanced pattern");
  if (s == m->subject_end || *s != p[0]) return nullptr;
  const char open = p[0];
  const char close = p[1];
  int depth = 1;
  while (++s < m->subject_end) {
    step(m);
    if (*s == close) {
      if (--depth == 0) return s + 1;
    } else if (*s == open) {
      ++depth;
    }
  }
  return nullptr;
}

// %1..%9: the text the capture matched, again.
const char* match_back_reference(Matcher* m, const char* s, int digit) {
  const int index = digit - '1';
  if (index < 0 || index >= m->level || m->captures[index].length == kCaptureOpen)
    luaL_error(m->L, "invalid capture index");
  const Capture& capture = m->captures[index];
  if (capture.length < 0) return nullptr;  // a position capture matches no text
  const auto length = static_cast<std::size_t>(capture.length);
  step(m, 1 + redpad::byte_units(length));
  if (static_cast<std::size_t>(m->subject_end - s) < length) return nullptr;
  return std::memcmp(capture.start, s, length) == 0 ? s + length : nullptr;
}

// Matches the pattern from p against the subject from s: where the match ends, or null.
const char* match(Matcher* m, const char* s, const char* p) {
  if (++m->depth > kMaxDepth) luaL_error(m->L, "pattern too complex");
  const char* result = nullptr;
  for (;;) {
    step(m, kStepUnits);
    if (p == m->pattern_end) {
      result = s;
      break;
    }
    if (*p == '(') {
      result = p + 1 < m->pattern_end && p[1] == ')' ? open_capture(m, s, p + 2, kCapturePosition)
                                                     : open_capture(m, s, p + 1, kCaptureOpen);
      break;
    }
    if (*p == ')') {
      result = close_capture(m, s, p + 1);
      break;
    }
    if (*p == '$' && p + 1 == m->pattern_end) {
      result = s == m->subject_end ? s : nullptr;
      break;
    }
    if (*p == '%' && p + 1 < m->pattern_end) {
      const char kind = p[1];
      if (kind == 'b') {
        s = match_balanced(m, s, p + 2);
        if (s == nullptr) break;
        p += 4;
        continue;
      }
      if (kind == 'f') {
        p += 2;
        if (p == m->pattern_end || *p != '[')
          luaL_error(m->L, "missing '[' after '%%f' in pattern");
        const char* end = item_end(m, p);
        const int before = s == m->subject ? 0 : byte_at(s - 1);
        const int here = s == m->subject_end ? 0 : byte_at(s);
        if (in_set(before, p, end - 1) || !in_set(here, p, end - 1)) break;
        p = end;
        continue;
      }
      if (is_digit(byte_at(p + 1))) {
        s = match_back_reference(m, s, byte_at(p + 1));
        if (s == nullptr) break;
        p += 2;
        continue;
      }
    }
    // A single-character item, maybe with a repetition.
    const char* end = item_end(m, p);
    const bool matches = s < m->subject_end && item_matches(byte_at(s), p, end);
    const char repetition = end < m->pattern_end ? *end : '\0';
    if (repetition == '?') {
      if (matches) {
        if (const char* found = match(m, s + 1, end + 1)) {
          result = found;
          break;
        }
      }
      p = end + 1;
      continue;
    }
    if (repetition == '*') {
      result = match_greedy(m, s, p, end);
      break;
    }
    if (repetition == '+') {
      result = matches ? match_greedy(m, s + 1, p, end) : nullptr;
      break;
    }
    if (repetition == '-') {
      result = match_lazy(m, s, p, end);
      break;
    }
    if (!matches) break;
    ++s;
    p = end;
  }
  --m->depth;
  return result;
}

void start(Matcher* m, lua_State* L, const char* subject, std::size_t length, const char* pattern) {
  m->L = L;
  m->subject = subject;
  m->subject_end = subject + length;
  m->pattern_end = pattern + std::strlen(pattern);
  m->level = 0;
  m->depth = 0;
  m->steps = kCallUnits;
}

// Capture i of the match [s, e): with no captures, capture 0 is the whole match.
void push_capture(Matcher* m, int i, const char* s, const char* e) {
  if (i >= m->level) {
    if (i != 0) luaL_error(m->L, "invalid capture index");
    lua_pushlstring(m->L, s, static_cast<std::size_t>(e - s));
    return;
  }
  const Capture& capture = m->captures[i];
  if (capture.length == kCaptureOpen) luaL_error(m->L, "unfinished capture");
  if (capture.length == kCapturePosition) {
    lua_pushinteger(m->L, capture.start - m->subject + 1);
  } else {
    lua_pushlstring(m->L, capture.start, static_cast<std::size_t>(capture.length));
  }
}

// The captures (or, with none and s given, the whole match); their number.
int push_captures(Matcher* m, const char* s, const char* e) {
  const int count = m->level == 0 && s != nullptr ? 1 : m->level;
  luaL_checkstack(m->L, count, "too many captures");
  for (int i = 0; i < count; ++i)
    push_capture(m, i, s, e);
  return count;
}

// An integer argument as Redis's 64-bit Lua reads it: x86-64 truncation, out of range and
// NaN giving INT64_MIN (a WebAssembly lua_Integer has 32 bits).
std::int64_t integer_argument(lua_State* L, int index, std::int64_t fallback) {
  if (lua_isnoneornil(L, index)) return fallback;
  const lua_Number n = luaL_checknumber(L, index);
  if (n >= -9223372036854775808.0 && n < 9223372036854775808.0) {
    return static_cast<std::int64_t>(n);
  }
  return INT64_MIN;
}

// A start position: negative counts from the end; the offset it gives, within [0, length].
std::size_t start_offset(std::int64_t position, std::size_t length) {
  const auto size = static_cast<std::int64_t>(length);
  if (position < 0) position = position >= -size - 1 ? position + size + 1 : 0;
  if (position <= 0) return 0;
  return position - 1 > size ? length : static_cast<std::size_t>(position - 1);
}

bool has_specials(const char* pattern) {
  return std::strpbrk(pattern, "^$*+?.([%-") != nullptr;
}

// A plain search for [needle, needle + length) in [from, end), charged per place tried.
const char* find_plain(lua_State* L, const char* from, const char* end, const char* needle,
                       std::size_t length) {
  if (length == 0 || static_cast<std::size_t>(end - from) < length) {
    redpad::lua_charge(L, kCallUnits);
    return length == 0 ? from : nullptr;
  }
  const char* last = end - length;
  const std::uint64_t per_try = 1 + length / kCompareBytesPerUnit;
  std::uint64_t units = kCallUnits;
  for (const char* at = from; at <= last; ++at) {
    at = static_cast<const char*>(
        std::memchr(at, needle[0], static_cast<std::size_t>(last - at) + 1));
    if (at == nullptr) break;
    units += per_try;
    if (units >= kStepsPerCharge) {
      redpad::lua_charge(L, units);
      units = 0;
    }
    if (std::memcmp(at + 1, needle + 1, length - 1) == 0) {
      redpad::lua_charge(L, units + redpad::byte_units(static_cast<std::size_t>(at - from)));
      return at;
    }
  }
  redpad::lua_charge(L, units + redpad::byte_units(static_cast<std::size_t>(end - from)));
  return nullptr;
}

int find_or_match(lua_State* L, bool find) {
  std::size_t length = 0;
  std::size_t pattern_length = 0;
  const char* subject = luaL_checklstring(L, 1, &length);
  const char* pattern = luaL_checklstring(L, 2, &pattern_length);
  const std::size_t init = start_offset(integer_argument(L, 3, 1), length);
  if (find && (lua_toboolean(L, 4) || !has_specials(pattern))) {
    const char* found = find_plain(L, subject + init, subject + length, pattern, pattern_length);
    if (found != nullptr) {
      lua_pushinteger(L, found - subject + 1);
      lua_pushinteger(L, static_cast<lua_Integer>(found - subject + pattern_length));
      return 2;
    }
    lua_pushnil(L);
    return 1;
  }
  const bool anchored = *pattern == '^';
  if (anchored) ++pattern;
  Matcher m;
  start(&m, L, subject, length, pattern);
  const char* s = subject + init;
  for (;;) {
    m.level = 0;
    if (const char* end = match(&m, s, pattern)) {
      charge_rest(&m);
      if (!find) return push_captures(&m, s, end);
      lua_pushinteger(L, s - subject + 1);
      lua_pushinteger(L, end - subject);
      return push_captures(&m, nullptr, nullptr) + 2;
    }
    if (anchored || s == m.subject_end) break;
    ++s;
  }
  charge_rest(&m);
  lua_pushnil(L);
  return 1;
}

int string_find(lua_State* L) {
  return find_or_match(L, true);
}

int string_match(lua_State* L) {
  return find_or_match(L, false);
}

// gmatch's iterator: upvalues the subject, the pattern and where to search next.
int gmatch_next(lua_State* L) {
  std::size_t length = 0;
  const char* subject = lua_tolstring(L, lua_upvalueindex(1), &length);
  const char* pattern = lua_tostring(L, lua_upvalueindex(2));
  const auto offset = static_cast<std::size_t>(lua_tonumber(L, lua_upvalueindex(3)));
  if (offset > length) return 0;  // past an empty match at the very end
  Matcher m;
  start(&m, L, subject, length, pattern);
  for (const char* s = subject + offset; s <= m.subject_end; ++s) {
    m.level = 0;
    if (const char* end = match(&m, s, pattern)) {
      charge_rest(&m);
      // An empty match moves on by one character, or the next call would find it again.
      const std::ptrdiff_t next = end - subject + (end == s ? 1 : 0);
      lua_pushnumber(L, static_cast<lua_Number>(next));
      lua_replace(L, lua_upvalueindex(3));
      return push_captures(&m, s, end);
    }
  }
  charge_rest(&m);
  return 0;
}

int string_gmatch(lua_State* L) {
  luaL_checkstring(L, 1);
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  lua_pushnumber(L, 0);
  lua_pushcclosure(L, gmatch_next, 3);
  return 1;
}

// gsub's replacement string for the match [s, e): '%0' the match, '%1'..'%9' captures,
// '%' before anything else that character (a '%' at the very end adds a zero byte, as the
// string's terminator follows it in Lua).
void add_replacement_string(Matcher* m, luaL_Buffer* buffer, const char* s, const char* e) {
  lua_State* L = m->L;
  std::size_t length = 0;
  const char* text = lua_tolstring(L, 3, &length);
  step(m, 1 + redpad::byte_units(length));
  for (std::size_t i = 0; i < length; ++i) {
    if (text[i] != '%') {
      luaL_addchar(buffer, text[i]);
      continue;
    }
    ++i;
    const char c = i < length ? text[i] : '\0';
    if (!is_digit(static_cast<unsigned char>(c))) {
      luaL_addchar(buffer, c);
    } else if (c == '0') {
      luaL_addlstring(buffer, s, static_cast<std::size_t>(e - s));
    } else {
      push_capture(m, c - '1', s, e);
      luaL_addvalue(buffer);
    }
  }
}

void add_replacement(Matcher* m, luaL_Buffer* buffer, const char* s, const char* e, int type) {
  lua_State* L = m->L;
  step(m, kReplacementUnits);
  if (type == LUA_TFUNCTION) {
    lua_pushvalue(L, 3);
    const int count = push_captures(m, s, e);
    lua_call(L, count, 1);
  } else if (type == LUA_TTABLE) {
    push_capture(m, 0, s, e);
    lua_gettable(L, 3);
  } else {
    add_replacement_string(m, buffer, s, e);
    return;
  }
  if (!lua_toboolean(L, -1)) {  // nil or false: the match stays
    lua_pop(L, 1);
    lua_pushlstring(L, s, static_cast<std::size_t>(e - s));
  } else if (!lua_isstring(L, -1)) {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  }
  luaL_addvalue(buffer);
}

// int as luaL_optint reads it in Redis's Lua: the low 32 bits of the 64-bit integer.
int low_int(std::int64_t value) {
  const auto bits = static_cast<std::uint32_t>(static_cast<std::uint64_t>(value));
  return bits < 0x80000000u ? static_cast<int>(bits) : -static_cast<int>(~bits) - 1;
}

int string_gsub(lua_State* L) {
  std::size_t length = 0;
  const char* subject = luaL_checklstring(L, 1, &length);
  const char* pattern = luaL_checkstring(L, 2);
  const int type = lua_type(L, 3);
  const int most = low_int(integer_argument(L, 4, static_cast<std::int64_t>(length) + 1));
  const bool anchored = *pattern == '^';
  if (anchored) ++pattern;
  luaL_argcheck(
      L, type == LUA_TNUMBER || type == LUA_TSTRING || type == LUA_TFUNCTION || type == LUA_TTABLE,
      3, "string/function/table expected");
  Matcher m;
  start(&m, L, subject, length, pattern);
  luaL_Buffer buffer;
  luaL_buffinit(L, &buffer);
  const char* s = subject;
  int count = 0;
  while (count < most) {
    m.level = 0;
    const char* end = match(&m, s, pattern);
    if (end != nullptr) {
      ++count;
      add_replacement(&m, &buffer, s, end, type);
    }
    if (end != nullptr && end > s) {
      s = end;
    } else if (s < m.subject_end) {
      luaL_addchar(&buffer, *s++);
    } else {
      break;
    }
    if (anchored) break;
  }
  charge_rest(&m);
  luaL_addlstring(&buffer, s, static_cast<std::size_t>(m.subject_end - s));
  luaL_pushresult(&buffer);
  lua_pushinteger(L, count);
  return 2;
}

}  // namespace

void redpad_replace_pattern_functions(lua_State* L) {
  lua_pushcfunction(L, string_find);
  lua_setfield(L, -2, "find");
  lua_pushcfunction(L, string_match);
  lua_setfield(L, -2, "match");
  lua_pushcfunction(L, string_gmatch);
  lua_setfield(L, -2, "gmatch");
  lua_pushcfunction(L, string_gmatch);
  lua_setfield(L, -2, "gfind");
  lua_pushcfunction(L, string_gsub);
  lua_setfield(L, -2, "gsub");
}
