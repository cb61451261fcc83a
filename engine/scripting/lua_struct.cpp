// The `struct` library of Redis's Lua (Roberto Ierusalimschy's struct, as Redis 7.0 ships
// it), written from its documentation and checked against redis-server 7.0.15:
//
//   struct.pack(fmt, v1, v2, ...)    -> binary string
//   struct.unpack(fmt, s [, init])   -> v1, v2, ..., position after the last byte read
//   struct.size(fmt)                 -> number of bytes a fixed-size fmt packs to
//
// Format: '>' big endian, '<' little endian, '![n]' align to min(size, n) (n a power of 2,
// 8 when left out), 'x' a zero byte, 'b'/'B' signed/unsigned char, 'h'/'H' short, 'l'/'L'
// long, 'T' size_t, 'i[n]'/'I[n]' an n-byte integer (default 4, at most 32), 'c[n]' n
// chars (default 1; 'c0' is the whole string when packing and takes its length from the
// previous value when unpacking), 's' a zero-terminated string, 'f' float, 'd' double, ' '
// nothing. Redis is a 64-bit x86 build: long and size_t are 8 bytes, the default order is
// little endian, and conversions the C standard leaves open behave as x86-64 does. This
// file reproduces exactly that on every target, WebAssembly included (32-bit long/size_t).
//
// Lua is compiled as C here: errors longjmp out of these functions, so they hold no C++
// object with a destructor.
#include <cstdint>
#include <cstring>
#include <limits>

#include "lua_libraries.h"

namespace {

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "float and double conversions rely on IEEE 754 (1e300 packs as an infinite float)");

constexpr int kMaxIntegerSize = 32;             // "integral size 33 is larger than limit of 32"
constexpr std::uint64_t kDefaultAlignment = 8;  // '!' alone: a double's alignment on x86-64
constexpr std::uint64_t kTwoTo63 = std::uint64_t{1} << 63;
// What an option costs the script's budget (lua_libraries.h), besides its string's bytes.
constexpr std::uint64_t kOptionUnits = 10;
constexpr std::uint64_t kCallUnits = 40;  // a call: its buffer, its checks, its result

struct FormatState {
  bool big_endian = false;          // x86-64's native order
  std::uint64_t max_alignment = 1;  // no padding until a '!' option
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_alphanumeric(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The decimal number at *fmt (consumed), or fallback when there is no digit there. Sizes
// and alignments must fit an int.
int read_count(lua_State* L, const char** fmt, int fallback) {
  if (!is_digit(**fmt)) return fallback;
  int value = 0;
  while (is_digit(**fmt)) {
    const int digit = **fmt - '0';
    if (value > (std::numeric_limits<int>::max() - digit) / 10) {
      luaL_error(L, "integral size overflow");
    }
    value = value * 10 + digit;
    ++*fmt;
  }
  return value;
}

// The number of bytes option opt stands for, reading its count if it has one. 's', the
// control options and unknown letters are 0 here.
std::uint64_t option_size(lua_State* L, char opt, const char** fmt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'x':
      return 1;
    case 'h':
    case 'H':
      return 2;
    case 'l':
    case 'L':
    case 'T':
    case 'd':
      return 8;
    case 'f':
      return 4;
    case 'c':
      return static_cast<std::uint64_t>(read_count(L, fmt, 1));
    case 'i':
    case 'I': {
      const int size = read_count(L, fmt, 4);
      if (size > kMaxIntegerSize) {
        luaL_error(L, "integral size %d is larger than limit of %d", size, kMaxIntegerSize);
      }
      return static_cast<std::uint64_t>(size);
    }
    default:
      return 0;
  }
}

// Padding before an option of this size at offset position. 'c' and single bytes are
// never aligned. The mask formula is Redis's for any size, a power of 2 or not: an 'i3'
// after one byte under '!8' starts at offset 3.
std::uint64_t padding(std::uint64_t position, char opt, std::uint64_t size,
                      const FormatState& state) {
  if (size <= 1 || opt == 'c') return 0;
  const std::uint64_t align = size < state.max_alignment ? size : state.max_alignment;
  return (align - (position & (align - 1))) & (align - 1);
}

// ' ', '<', '>' and '!n'; any other character is an invalid option, blamed on argument 1.
void apply_control_option(lua_State* L, char opt, const char** fmt, FormatState* state) {
  switch (opt) {
    case ' ':
      return;
    case '<':
      state->big_endian = false;
      return;
    case '>':
      state->big_endian = true;
      return;
    case '!': {
      const int align = read_count(L, fmt, static_cast<int>(kDefaultAlignment));
      if (align <= 0 || (align & (align - 1)) != 0) {
        luaL_error(L, "alignment %d is not a power of 2", align);
      }
      state->max_alignment = static_cast<std::uint64_t>(align);
      return;
    }
    default:
      luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
  }
}

// x86-64's conversion of a double to a 64-bit unsigned integer, which Redis's struct uses
// for the values it packs and for the length a 'c0' takes from the previous value. C++
// leaves it undefined out of range; x86 gives: negative numbers as a signed 64-bit
// truncation (below -2^63: the bits of INT64_MIN), NaN as 2^63, 2^64 or more (+inf) as 0.
std::uint64_t x86_to_uint64(lua_Number n) {
  if (n < 0) {
    if (n >= -9223372036854775808.0) {
      return static_cast<std::uint64_t>(static_cast<std::int64_t>(n));
    }
    return kTwoTo63;
  }
  if (n != n) return kTwoTo63;  // NaN
  if (n < 18446744073709551616.0) return static_cast<std::uint64_t>(n);
  return 0;  // 2^64 and more, +inf
}

// x86-64's truncation of a Lua number to a 64-bit integer (lua_tointeger in a 64-bit
// Lua): out of range and NaN give INT64_MIN, which a 32-bit lua_Integer could not hold.
std::int64_t truncate_to_int64(lua_Number n) {
  if (n >= -9223372036854775808.0 && n < 9223372036854775808.0) {
    return static_cast<std::int64_t>(n);
  }
  return std::numeric_limits<std::int64_t>::min();
}

// Two's complement reading of 64 bits (the cast is implementation-defined in C++17).
std::int64_t as_signed(std::uint64_t bits) {
  if (bits < kTwoTo63) return static_cast<std::int64_t>(bits);
  return -static_cast<std::int64_t>(~bits) - 1;
}

// Appends the low `size` bytes of bits in the requested order; past 8 bytes they are 0
// (Redis shifts an unsigned 64-bit value, so even -1 packs as 'i16' with 8 zero bytes).
void add_integer_bytes(luaL_Buffer* buffer, std::uint64_t bits, std::uint64_t size,
                       bool big_endian) {
  char bytes[kMaxIntegerSize];
  for (std::uint64_t i = 0; i < size; ++i) {
    const std::uint64_t byte = i < 8 ? (bits >> (8 * i)) & 0xffu : 0;
    bytes[big_endian ? size - 1 - i : i] = static_cast<char>(byte);
  }
  luaL_addlstring(buffer, bytes, static_cast<std::size_t>(size));
}

// The unsigned value of `size` bytes at data. Only the last 8 bytes read (the least
// significant ones) survive in 64 bits.
std::uint64_t read_integer_bytes(const char* data, std::uint64_t size, bool big_endian) {
  std::uint64_t bits = 0;
  for (std::uint64_t i = 0; i < size; ++i) {
    const char c = data[big_endian ? i : size - 1 - i];
    bits = (bits << 8) | static_cast<unsigned char>(c);
  }
  return bits;
}

// Sign extension as Redis does it: the mask ~0 << (8 * size - 1), with the shift count
// taken modulo 64 as x86 does (so 'i0' and sizes over 8 behave as on the real server).
std::uint64_t sign_extend(std::uint64_t bits, std::uint64_t size) {
  const std::uint64_t mask = ~std::uint64_t{0} << ((size * 8 - 1) & 63u);
  return (bits & mask) != 0 ? bits | mask : bits;
}

bool is_integer_option(char opt) {
  switch (opt) {
    case 'b':
    case 'B':
    case 'h':
    case 'H':
    case 'l':
    case 'L':
    case 'T':
    case 'i':
    case 'I':
      return true;
    default:
      return false;
  }
}

bool is_signed_option(char opt) {
  return opt == 'b' || opt == 'h' || opt == 'l' || opt == 'i';
}

int struct_pack(lua_State* L) {
  redpad::lua_charge(L, kCallUnits);
  const char* fmt = luaL_checkstring(L, 1);
  FormatState state;
  int arg = 2;
  std::uint64_t total = 0;
  // A nil between the arguments and the buffer's pieces: a missing value is then reported
  // as "number expected, got nil", as Redis does, not "got no value".
  lua_pushnil(L);
  luaL_Buffer buffer;
  luaL_buffinit(L, &buffer);
  while (*fmt != '\0') {
    const char opt = *fmt++;
    redpad::lua_charge(L,
                       kOptionUnits);  // each option, and the bytes of strings below, to the budget
    std::uint64_t size = option_size(L, opt, &fmt);
    for (std::uint64_t pad = padding(total, opt, size, state); pad > 0; --pad, ++total) {
      luaL_addchar(&buffer, '\0');
    }
    if (is_integer_option(opt)) {
      add_integer_bytes(&buffer, x86_to_uint64(luaL_checknumber(L, arg++)), size, state.big_endian);
    } else if (opt == 'f' || opt == 'd') {
      const lua_Number n = luaL_checknumber(L, arg++);
      std::uint64_t bits = 0;
      if (opt == 'f') {
        const float value = static_cast<float>(n);
        std::uint32_t raw = 0;
        std::memcpy(&raw, &value, sizeof raw);
        bits = raw;
      } else {
        std::memcpy(&bits, &n, sizeof bits);
      }
      add_integer_bytes(&buffer, bits, size, state.big_endian);
    } else if (opt == 'x') {
      luaL_addchar(&buffer, '\0');
    } else if (opt == 'c' || opt == 's') {
      std::size_t length = 0;
      const char* text = luaL_checklstring(L, arg++, &length);
      if (size == 0) size = length;  // 'c0' and 's' take the whole string
      // Redis blames the argument after the short string (arg is already past it).
      luaL_argcheck(L, length >= size, arg, "string too short");
      redpad::lua_charge(L, redpad::byte_units(static_cast<std::size_t>(size)));
      luaL_addlstring(&buffer, text, static_cast<std::size_t>(size));
      if (opt == 's') {
        luaL_addchar(&buffer, '\0');
        ++size;
      }
    } else {
      apply_control_option(L, opt, &fmt, &state);
    }
    total += size;
  }
  luaL_pushresult(&buffer);
  return 1;
}

int struct_unpack(lua_State* L) {
  redpad::lua_charge(L, kCallUnits);
  const char* fmt = luaL_checkstring(L, 1);
  std::size_t data_length = 0;
  const char* data = luaL_checklstring(L, 2, &data_length);
  const std::uint64_t length = data_length;
  // init goes through a 64-bit lua_Integer and then size_t, as in Redis: 0 (and anything
  // truncating to 0) is refused, a negative one wraps to a huge, too-far position.
  std::uint64_t position = static_cast<std::uint64_t>(truncate_to_int64(luaL_optnumber(L, 3, 1)));
  luaL_argcheck(L, position != 0, 3, "offset must be 1 or greater");
  --position;
  FormatState state;
  int results = 0;
  while (*fmt != '\0') {
    const char opt = *fmt++;
    redpad::lua_charge(L,
                       kOptionUnits);  // each option, and the bytes of strings below, to the budget
    std::uint64_t size = option_size(L, opt, &fmt);
    position += padding(position, opt, size, state);
    luaL_argcheck(L, position <= length && size <= length - position, 2, "data string too short");
    luaL_checkstack(L, 2, "too many results");
    const char* at = data + position;
    if (is_integer_option(opt)) {
      const std::uint64_t bits = read_integer_bytes(at, size, state.big_endian);
      if (is_signed_option(opt)) {
        lua_pushnumber(L, static_cast<lua_Number>(as_signed(sign_extend(bits, size))));
      } else {
        lua_pushnumber(L, static_cast<lua_Number>(bits));
      }
      ++results;
    } else if (opt == 'f') {
      const std::uint32_t raw =
          static_cast<std::uint32_t>(read_integer_bytes(at, size, state.big_endian));
      float value = 0;
      std::memcpy(&value, &raw, sizeof value);
      lua_pushnumber(L, static_cast<lua_Number>(value));
      ++results;
    } else if (opt == 'd') {
      const std::uint64_t raw = read_integer_bytes(at, size, state.big_endian);
      double value = 0;
      std::memcpy(&value, &raw, sizeof value);
      lua_pushnumber(L, static_cast<lua_Number>(value));
      ++results;
    } else if (opt == 'x') {
      // Skips its byte.
    } else if (opt == 'c') {
      if (size == 0) {
        // 'c0' reads as many chars as the previous value says, and replaces that value.
        if (results == 0 || !lua_isnumber(L, -1)) {
          luaL_error(L, "format 'c0' needs a previous size");
        }
        size = x86_to_uint64(lua_tonumber(L, -1));  // 2^64 and 1e300 read 0 chars
        lua_pop(L, 1);
        --results;
        luaL_argcheck(L, size <= length - position, 2, "data string too short");
      }
      redpad::lua_charge(L, redpad::byte_units(static_cast<std::size_t>(size)));
      lua_pushlstring(L, at, static_cast<std::size_t>(size));
      ++results;
    } else if (opt == 's') {
      const void* end = std::memchr(at, '\0', static_cast<std::size_t>(length - position));
      if (end == nullptr) luaL_error(L, "unfinished string in data");
      const std::size_t text_length = static_cast<std::size_t>(static_cast<const char*>(end) - at);
      redpad::lua_charge(L, redpad::byte_units(text_length));
      lua_pushlstring(L, at, text_length);
      ++results;
      size = text_length + 1;
    } else {
      apply_control_option(L, opt, &fmt, &state);
    }
    position += size;
  }
  // The next position goes out as a 64-bit lua_Integer would (init -1 on '' answers -1).
  lua_pushnumber(L, static_cast<lua_Number>(as_signed(position + 1)));
  return results + 1;
}

int struct_size(lua_State* L) {
  redpad::lua_charge(L, kCallUnits);
  const char* fmt = luaL_checkstring(L, 1);
  FormatState state;
  std::uint64_t total = 0;
  while (*fmt != '\0') {
    const char opt = *fmt++;
    redpad::lua_charge(L, kOptionUnits);
    const std::uint64_t size = option_size(L, opt, &fmt);
    if (opt == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
    if (opt == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
    // struct.size ignores letters and digits it does not know ('z', '5'), where pack and
    // unpack call them invalid; other characters are checked as control options.
    if (!is_alphanumeric(opt)) apply_control_option(L, opt, &fmt, &state);
    total += padding(total, opt, size, state);
    total += size;
  }
  lua_pushnumber(L, static_cast<lua_Number>(total));
  return 1;
}

const luaL_Reg kStructFunctions[] = {
    {"pack", struct_pack},
    {"unpack", struct_unpack},
    {"size", struct_size},
    {nullptr, nullptr},
};

}  // namespace

int redpad_luaopen_struct(lua_State* L) {
  lua_newtable(L);
  luaL_register(L, nullptr, kStructFunctions);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "struct");
  return 1;
}
