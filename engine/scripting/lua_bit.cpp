// The `bit` library of Redis's Lua: LuaBitOp 1.0 semantics, written from its documentation
// and checked against redis-server 7.0.15. Every operation works on 32-bit integers and
// answers a signed 32-bit result as a Lua number (a double).
//
// Lua is compiled as C here: an argument error longjmps out of these functions, so they
// hold no C++ object with a destructor.
#include <cstdint>
#include <cstring>

#include "lua_libraries.h"

namespace {

// A Lua number's 32 bits, as LuaBitOp normalises it: the number is rounded to an integer
// (halfway cases to even) and reduced modulo 2^32. Adding 1.5 * 2^52 does both at once for
// every |x| < 2^51: the sum's exponent is 2^52, so its mantissa's low bits are the rounded
// integer, two's complement. Larger numbers, infinities and NaN give whatever those low
// bits are (2^53 gives 0, 1e300 gives -2013235812), which is what Redis answers too.
std::uint32_t to_bits(lua_Number n) {
  const double shifted = static_cast<double>(n) + 6755399441055744.0;
  std::uint64_t raw = 0;
  std::memcpy(&raw, &shifted, sizeof raw);
  return static_cast<std::uint32_t>(raw & 0xffffffffu);
}

// The argument's 32 bits; a value that is not a number (nor a numeric string) raises
// "bad argument #n to 'f' (number expected, got <type>)".
std::uint32_t check_bits(lua_State* L, int arg) {
  return to_bits(luaL_checknumber(L, arg));
}

// Results are the 32 bits read as a signed integer (bit.tobit(2^31) is -2147483648).
int push_bits(lua_State* L, std::uint32_t bits) {
  const lua_Number value = bits >= 0x80000000u ? static_cast<lua_Number>(bits) - 4294967296.0
                                               : static_cast<lua_Number>(bits);
  lua_pushnumber(L, value);
  return 1;
}

// Only the low 5 bits of a shift or rotate count matter.
unsigned check_count(lua_State* L, int arg) {
  return check_bits(L, arg) & 31u;
}

int bit_tobit(lua_State* L) {
  return push_bits(L, check_bits(L, 1));
}

int bit_bnot(lua_State* L) {
  return push_bits(L, ~check_bits(L, 1));
}

// band, bor and bxor take one or more arguments. Redis checks the first one, then the
// others from the last backwards: bit.band(1, 'x', 'y') blames argument #3.
enum class Fold { kAnd, kOr, kXor };

int fold_arguments(lua_State* L, Fold fold) {
  redpad::lua_charge(L, static_cast<std::uint64_t>(lua_gettop(L)));
  std::uint32_t result = check_bits(L, 1);
  for (int arg = lua_gettop(L); arg > 1; --arg) {
    const std::uint32_t bits = check_bits(L, arg);
    switch (fold) {
      case Fold::kAnd:
        result &= bits;
        break;
      case Fold::kOr:
        result |= bits;
        break;
      case Fold::kXor:
        result ^= bits;
        break;
    }
  }
  return push_bits(L, result);
}

int bit_band(lua_State* L) {
  return fold_arguments(L, Fold::kAnd);
}
int bit_bor(lua_State* L) {
  return fold_arguments(L, Fold::kOr);
}
int bit_bxor(lua_State* L) {
  return fold_arguments(L, Fold::kXor);
}

int bit_lshift(lua_State* L) {
  const std::uint32_t x = check_bits(L, 1);
  return push_bits(L, x << check_count(L, 2));
}

int bit_rshift(lua_State* L) {
  const std::uint32_t x = check_bits(L, 1);
  return push_bits(L, x >> check_count(L, 2));
}

// Arithmetic shift, written on unsigned values: shifting a negative signed integer right
// is implementation-defined in C++17.
int bit_arshift(lua_State* L) {
  const std::uint32_t x = check_bits(L, 1);
  const unsigned n = check_count(L, 2);
  const bool negative = (x & 0x80000000u) != 0;
  return push_bits(L, negative ? ~(~x >> n) : x >> n);
}

// A rotation by 0 must not shift by 32 (undefined for a 32-bit value).
std::uint32_t rotate_left(std::uint32_t x, unsigned n) {
  return n == 0 ? x : (x << n) | (x >> (32u - n));
}

int bit_rol(lua_State* L) {
  const std::uint32_t x = check_bits(L, 1);
  return push_bits(L, rotate_left(x, check_count(L, 2)));
}

int bit_ror(lua_State* L) {
  const std::uint32_t x = check_bits(L, 1);
  return push_bits(L, rotate_left(x, (32u - check_count(L, 2)) & 31u));
}

int bit_bswap(lua_State* L) {
  const std::uint32_t x = check_bits(L, 1);
  return push_bits(L, (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24));
}

// bit.tohex(x [, n]): the low |n| hex digits of x (n defaults to 8 and is capped at 8), in
// upper case when n is negative. n is normalised like any other argument (2^32 + 2 is 2),
// and only an absent n means 8: an explicit nil is an error. Redis 7.0.15 answers 8 upper
// case digits for n = -2^31 (whose negation does not fit an int32).
int bit_tohex(lua_State* L) {
  std::uint32_t x = check_bits(L, 1);
  std::uint32_t n = lua_isnone(L, 2) ? 8u : check_bits(L, 2);
  bool upper = false;
  if ((n & 0x80000000u) != 0) {
    upper = true;
    n = 0u - n;  // Unsigned negation: -2^31 stays 2^31, capped to 8 below.
  }
  if (n > 8u) n = 8u;
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  char text[8];
  for (std::uint32_t i = n; i > 0; --i) {
    text[i - 1] = digits[x & 15u];
    x >>= 4;
  }
  lua_pushlstring(L, text, n);
  return 1;
}

const luaL_Reg kBitFunctions[] = {
    {"tobit", bit_tobit}, {"bnot", bit_bnot},     {"band", bit_band},     {"bor", bit_bor},
    {"bxor", bit_bxor},   {"lshift", bit_lshift}, {"rshift", bit_rshift}, {"arshift", bit_arshift},
    {"rol", bit_rol},     {"ror", bit_ror},       {"bswap", bit_bswap},   {"tohex", bit_tohex},
    {nullptr, nullptr},
};

}  // namespace

int redpad_luaopen_bit(lua_State* L) {
  lua_newtable(L);
  luaL_register(L, nullptr, kBitFunctions);
  lua_pushvalue(L, -1);
  lua_setglobal(L, "bit");
  return 1;
}
