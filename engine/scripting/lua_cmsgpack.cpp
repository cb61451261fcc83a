// The `cmsgpack` library of Redis's Lua (lua-cmsgpack 0.4.0), written from MessagePack's
// specification and the library's documented API, and checked byte for byte against
// redis-server 7.0.15:
//
//   cmsgpack.pack(v1, v2, ...)                 -> the values' encodings, concatenated
//   cmsgpack.unpack(s)                         -> every value s holds
//   cmsgpack.unpack_one(s [, offset])          -> next offset, one value
//   cmsgpack.unpack_limit(s, limit [, offset]) -> next offset, up to limit values
//
// Offsets count bytes from 0; the next offset is -1 once s is used up. unpack_limit with a
// limit of 0 decodes everything without answering an offset when the offset is 0 too, and
// decodes nothing (answering just the offset) otherwise, as Redis does.
//
// Packing: nil, booleans, integers in the smallest MessagePack form, other numbers as a
// float32 when that is exact (infinities too) and a float64 otherwise, strings as str8/16/32
// (never bin), tables as arrays when their keys are exactly 1..n and as maps otherwise (in
// lua_next order), a table inside 16 enclosing tables as nil, and anything else (functions,
// userdata, threads) as nil. Unpacking: the same types, map16/32 and array16/32 included;
// bin, ext and 0xc1 are "Bad data format in input.".
//
// Lua is compiled as C here: errors longjmp out of these functions, so they hold no C++
// object with a destructor. Growing memory lives in Lua userdata, which the collector frees
// whichever way a call ends.
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "lua_libraries.h"

namespace {

constexpr int kMaxPackNesting = 16;  // a table inside this many tables packs as nil
// What a value packed or unpacked costs the script's budget (lua_libraries.h), besides its
// string's bytes.
constexpr std::uint64_t kValueUnits = 16;
constexpr std::uint64_t kTwoTo32 = std::uint64_t{1} << 32;

// Redis's texts, stack overflows included: the limits fall where the real server's do
// because the same checks run with the same number of values on the Lua stack.
constexpr const char* kTooManyValues =
    "too many return values at once; use unpack_one or unpack_limit instead.";
constexpr const char* kArrayTooDeep = "in function mp_decode_to_lua_array";

// ---- packing ----

// The output, in a userdata at a fixed stack slot: a longjmp (out of memory) leaves
// nothing to free by hand. Growing replaces the userdata in that slot.
struct Output {
  lua_State* L;
  int slot;
  unsigned char* bytes;
  std::size_t used;
  std::size_t capacity;
};

void reserve(Output* out, std::size_t extra) {
  if (out->capacity - out->used >= extra) return;
  std::size_t capacity = out->capacity;
  while (capacity - out->used < extra) {
    if (capacity > static_cast<std::size_t>(-1) / 2) luaL_error(out->L, "not enough memory");
    capacity *= 2;
  }
  void* fresh = lua_newuserdata(out->L, capacity);
  std::memcpy(fresh, out->bytes, out->used);
  lua_replace(out->L, out->slot);
  out->bytes = static_cast<unsigned char*>(fresh);
  out->capacity = capacity;
}

void put_byte(Output* out, unsigned value) {
  reserve(out, 1);
  out->bytes[out->used++] = static_cast<unsigned char>(value & 0xffu);
}

// A type byte followed by the low `width` bytes of value, big endian.
void put_header(Output* out, unsigned type, std::uint64_t value, unsigned width) {
  reserve(out, 1 + width);
  out->bytes[out->used++] = static_cast<unsigned char>(type);
  for (unsigned i = width; i > 0; --i) {
    out->bytes[out->used++] = static_cast<unsigned char>((value >> (8 * (i - 1))) & 0xffu);
  }
}

void put_integer(Output* out, std::int64_t value) {
  if (value >= 0) {
    const std::uint64_t u = static_cast<std::uint64_t>(value);
    if (u < 128) {
      put_byte(out, static_cast<unsigned>(u));  // positive fixint
    } else if (u < 256) {
      put_header(out, 0xcc, u, 1);
    } else if (u < 65536) {
      put_header(out, 0xcd, u, 2);
    } else if (u < kTwoTo32) {
      put_header(out, 0xce, u, 4);
    } else {
      put_header(out, 0xcf, u, 8);
    }
    return;
  }
  // Two's complement bits of the negative value, for the low bytes written below.
  const std::uint64_t bits = ~static_cast<std::uint64_t>(-(value + 1));
  if (value >= -32) {
    put_byte(out, static_cast<unsigned>(bits & 0xffu));  // negative fixint 0xe0..0xff
  } else if (value >= -128) {
    put_header(out, 0xd0, bits, 1);
  } else if (value >= -32768) {
    put_header(out, 0xd1, bits, 2);
  } else if (value >= -2147483648LL) {
    put_header(out, 0xd2, bits, 4);
  } else {
    put_header(out, 0xd3, bits, 8);
  }
}

// Integral numbers that fit an int64 pack as integers (-0 as 0, 2^63 no longer); the rest
// as a float32 when it holds the value exactly, which includes the infinities, else as a
// float64 (NaN, 0.1, 1e20).
void put_number(Output* out, lua_Number n) {
  if (std::isfinite(n) && n >= -9223372036854775808.0 && n < 9223372036854775808.0 &&
      std::trunc(n) == n) {
    put_integer(out, static_cast<std::int64_t>(n));
    return;
  }
  bool as_float = std::isinf(n);
  if (!as_float && std::fabs(n) <= static_cast<double>(FLT_MAX)) {
    as_float = static_cast<double>(static_cast<float>(n)) == n;
  }
  if (as_float) {
    const float value = static_cast<float>(n);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    put_header(out, 0xca, bits, 4);
  } else {
    const double value = n;
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    put_header(out, 0xcb, bits, 8);
  }
}

void put_string(Output* out, const char* text, std::size_t length) {
  if (length < 32) {
    put_byte(out, 0xa0u | static_cast<unsigned>(length));
  } else if (length < 256) {
    put_header(out, 0xd9, length, 1);
  } else if (length < 65536) {
    put_header(out, 0xda, length, 2);
  } else {
    // A Lua string over 4 GB cannot reach here: Redis limits requests to 512 MB.
    put_header(out, 0xdb, length, 4);
  }
  reserve(out, length);
  std::memcpy(out->bytes + out->used, text, length);
  out->used += length;
}

// A table header: fix form below 16 entries, then 16- and 32-bit counts.
void put_container_header(Output* out, bool array, std::size_t count) {
  if (count < 16) {
    put_byte(out, (array ? 0x90u : 0x80u) | static_cast<unsigned>(count));
  } else if (count < 65536) {
    put_header(out, array ? 0xdc : 0xde, count, 2);
  } else {
    put_header(out, array ? 0xdd : 0xdf, count, 4);
  }
}

void put_value(Output* out, int level);

// The table on top of the stack. It is an array when every key is a positive integer and
// the largest equals the number of keys ({1, nil, 3} is a map of 2 entries).
void put_table(Output* out, int level) {
  lua_State* L = out->L;
  // Key, value, a copy of the key and a grown output buffer. Tables nest 16 deep at most,
  // so this never fails.
  luaL_checkstack(L, 4, "in function put_table");
  std::size_t count = 0;
  lua_Number largest = 0;
  bool array = true;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pop(L, 1);
    ++count;
    if (array) {
      const lua_Number key = lua_type(L, -1) == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
      if (key > 0 && std::floor(key) == key) {
        if (key > largest) largest = key;
      } else {
        array = false;
      }
    }
  }
  if (array && largest != static_cast<lua_Number>(count)) array = false;
  put_container_header(out, array, count);
  if (array) {
    for (std::size_t i = 1; i <= count; ++i) {
      lua_rawgeti(L, -1, static_cast<int>(i));
      put_value(out, level + 1);
      lua_pop(L, 1);
    }
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pushvalue(L, -2);  // a copy of the key: lua_next needs the original untouched
    put_value(out, level + 1);
    lua_pop(L, 1);
    put_value(out, level + 1);
    lua_pop(L, 1);
  }
}

// The value on top of the stack, left there. Each value packed is charged to the script's
// budget: a table shared by many others is packed as often as it is met (up to 16 levels
// down, which makes for exponentially many).
void put_value(Output* out, int level) {
  lua_State* L = out->L;
  redpad::lua_charge(L, kValueUnits);
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      std::size_t length = 0;
      const char* text = lua_tolstring(L, -1, &length);
      redpad::lua_charge(L, redpad::byte_units(length));
      put_string(out, text, length);
      return;
    }
    case LUA_TBOOLEAN:
      put_byte(out, lua_toboolean(L, -1) ? 0xc3u : 0xc2u);
      return;
    case LUA_TNUMBER:
      put_number(out, lua_tonumber(L, -1));
      return;
    case LUA_TTABLE:
      if (level < kMaxPackNesting) {
        put_table(out, level);
        return;
      }
      break;
    default:
      break;
  }
  put_byte(out, 0xc0);  // nil, and what MessagePack cannot hold
}

int cmsgpack_pack(lua_State* L) {
  const int count = lua_gettop(L);
  if (count == 0) luaL_argerror(L, 0, "MessagePack pack needs input.");
  if (!lua_checkstack(L, count)) luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
  Output out{L, count + 1, nullptr, 0, 64};
  out.bytes = static_cast<unsigned char*>(lua_newuserdata(L, out.capacity));
  for (int i = 1; i <= count; ++i) {
    lua_pushvalue(L, i);
    put_value(&out, 0);
    lua_pop(L, 1);
  }
  lua_pushlstring(L, reinterpret_cast<const char*>(out.bytes), out.used);
  return 1;
}

// ---- unpacking ----

enum class DecodeError { kNone, kMissingBytes, kBadFormat };

struct Input {
  const unsigned char* at;
  std::size_t left;
  DecodeError error;
};

// A table being filled: its remaining entries and what comes next.
enum class Pending : unsigned char { kArrayElement, kMapKey, kMapValue };

struct Frame {
  std::uint32_t total;
  std::uint32_t remaining;
  Pending next;
};

// The frames live in a userdata kept as the C closure's upvalue: decoding uses no C
// recursion (a MessagePack string may nest thousands of tables, more than a WebAssembly
// call stack takes) and pushes nothing extra on the Lua stack, whose depth decides where
// the "stack overflow" errors fall, as in Redis. A table still being filled holds at least
// one Lua stack slot and one byte of input, hence the bound.
Frame* frames_for(lua_State* L, std::size_t input_length, std::size_t* capacity) {
  std::size_t needed = input_length < static_cast<std::size_t>(LUAI_MAXCSTACK)
                           ? input_length
                           : static_cast<std::size_t>(LUAI_MAXCSTACK);
  needed += 1;
  void* frames = lua_touserdata(L, lua_upvalueindex(1));
  if (frames == nullptr || lua_objlen(L, lua_upvalueindex(1)) < needed * sizeof(Frame)) {
    frames = lua_newuserdata(L, needed * sizeof(Frame));
    lua_replace(L, lua_upvalueindex(1));
  }
  *capacity = lua_objlen(L, lua_upvalueindex(1)) / sizeof(Frame);
  return static_cast<Frame*>(frames);
}

bool take(Input* in, std::size_t count, const unsigned char** bytes) {
  if (in->left < count) {
    in->error = DecodeError::kMissingBytes;
    return false;
  }
  *bytes = in->at;
  in->at += count;
  in->left -= count;
  return true;
}

// The big-endian unsigned number of `width` bytes, or false when they are missing.
bool take_number(Input* in, unsigned width, std::uint64_t* value) {
  const unsigned char* bytes = nullptr;
  if (!take(in, width, &bytes)) return false;
  std::uint64_t result = 0;
  for (unsigned i = 0; i < width; ++i)
    result = (result << 8) | bytes[i];
  *value = result;
  return true;
}

// Two's complement reading of the low `width` bytes.
lua_Number signed_value(std::uint64_t bits, unsigned width) {
  const std::uint64_t sign = std::uint64_t{1} << (8 * width - 1);
  if ((bits & sign) == 0) return static_cast<lua_Number>(bits);
  // At most 2^63 (for width 8, (sign << 1) - 1 wraps to all ones, as wanted).
  const std::uint64_t magnitude = ((~bits) & ((sign << 1) - 1)) + 1;
  return -static_cast<lua_Number>(magnitude);
}

// What a type byte opens: a scalar already pushed, a container of `count` entries, or an
// error recorded in the input.
enum class Opened { kScalar, kArray, kMap, kError };

Opened open_value(lua_State* L, Input* in, std::uint32_t* count) {
  const unsigned char* type_byte = nullptr;
  if (!take(in, 1, &type_byte)) return Opened::kError;
  // Every value decoded is charged to the script's budget (strings by their bytes below).
  redpad::lua_charge(L, kValueUnits);
  // Redis checks the stack once the value has its first byte, whatever the type.
  luaL_checkstack(L, 1, kTooManyValues);
  const unsigned type = *type_byte;
  std::uint64_t value = 0;
  if (type <= 0x7f) {
    lua_pushnumber(L, static_cast<lua_Number>(type));
    return Opened::kScalar;
  }
  if (type >= 0xe0) {
    lua_pushnumber(L, static_cast<lua_Number>(static_cast<int>(type) - 256));
    return Opened::kScalar;
  }
  if (type >= 0x80 && type <= 0x8f) {
    *count = type & 0x0fu;
    return Opened::kMap;
  }
  if (type >= 0x90 && type <= 0x9f) {
    *count = type & 0x0fu;
    return Opened::kArray;
  }
  std::size_t string_length = 0;
  if (type >= 0xa0 && type <= 0xbf) {
    string_length = type & 0x1fu;
  } else {
    switch (type) {
      case 0xc0:
        lua_pushnil(L);
        return Opened::kScalar;
      case 0xc2:
      case 0xc3:
        lua_pushboolean(L, type == 0xc3);
        return Opened::kScalar;
      case 0xca: {
        if (!take_number(in, 4, &value)) return Opened::kError;
        const std::uint32_t bits = static_cast<std::uint32_t>(value);
        float number = 0;
        std::memcpy(&number, &bits, sizeof number);
        lua_pushnumber(L, static_cast<lua_Number>(number));
        return Opened::kScalar;
      }
      case 0xcb: {
        if (!take_number(in, 8, &value)) return Opened::kError;
        double number = 0;
        std::memcpy(&number, &value, sizeof number);
        lua_pushnumber(L, static_cast<lua_Number>(number));
        return Opened::kScalar;
      }
      case 0xcc:
      case 0xcd:
      case 0xce: {
        const unsigned width = 1u << (type - 0xcc);
        if (!take_number(in, width, &value)) return Opened::kError;
        lua_pushnumber(L, static_cast<lua_Number>(value));
        return Opened::kScalar;
      }
      case 0xcf:  // Redis reads a uint64 as an int64: 2^64 - 1 unpacks as -1
      case 0xd0:
      case 0xd1:
      case 0xd2:
      case 0xd3: {
        const unsigned width = type == 0xcf ? 8u : 1u << (type - 0xd0);
        if (!take_number(in, width, &value)) return Opened::kError;
        lua_pushnumber(L, signed_value(value, width));
        return Opened::kScalar;
      }
      case 0xd9:
      case 0xda:
      case 0xdb: {
        const unsigned width = 1u << (type - 0xd9);
        if (!take_number(in, width, &value)) return Opened::kError;
        string_length = static_cast<std::size_t>(value);
        if (value != string_length) {  // over 4 GB with a 32-bit size_t: surely missing
          in->error = DecodeError::kMissingBytes;
          return Opened::kError;
        }
        break;
      }
      case 0xdc:
      case 0xdd:
      case 0xde:
      case 0xdf: {
        const unsigned width = (type == 0xdc || type == 0xde) ? 2u : 4u;
        if (!take_number(in, width, &value)) return Opened::kError;
        *count = static_cast<std::uint32_t>(value);
        return type <= 0xdd ? Opened::kArray : Opened::kMap;
      }
      default:  // 0xc1, bin, ext
        in->error = DecodeError::kBadFormat;
        return Opened::kError;
    }
  }
  const unsigned char* text = nullptr;
  if (!take(in, string_length, &text)) return Opened::kError;
  redpad::lua_charge(L, redpad::byte_units(string_length));
  lua_pushlstring(L, reinterpret_cast<const char*>(text), string_length);
  return Opened::kScalar;
}

// Decodes one value onto the stack, or records an error in the input (the stack then
// holds unfinished tables, which the caller's error discards). Arrays get their indexes
// pushed before each element and maps keep the key on the stack while their value is
// decoded, as Redis does.
void decode_value(lua_State* L, Input* in, Frame* frames, std::size_t capacity) {
  std::size_t depth = 0;
  for (;;) {
    std::uint32_t count = 0;
    const Opened opened = open_value(L, in, &count);
    if (opened == Opened::kError) return;
    if (opened != Opened::kScalar) {
      lua_newtable(L);
      if (opened == Opened::kArray) luaL_checkstack(L, 1, kArrayTooDeep);
      if (count > 0) {
        if (depth == capacity) luaL_error(L, "cmsgpack: nesting too deep");  // unreachable
        frames[depth] = Frame{count, count,
                              opened == Opened::kArray ? Pending::kArrayElement : Pending::kMapKey};
        ++depth;
        if (opened == Opened::kArray) lua_pushnumber(L, 1);
        continue;
      }
    }
    // A complete value is on top: store it in the table being filled, if any; finishing a
    // table completes a value one level up.
    for (;;) {
      if (depth == 0) return;
      Frame* frame = &frames[depth - 1];
      if (frame->next == Pending::kMapKey) {
        frame->next = Pending::kMapValue;
        break;
      }
      lua_rawset(L, -3);  // "table index is nil" / "is NaN" for such map keys
      if (--frame->remaining == 0) {
        --depth;
        continue;
      }
      if (frame->next == Pending::kMapValue) {
        frame->next = Pending::kMapKey;
      } else {
        lua_pushnumber(L, static_cast<lua_Number>(frame->total - frame->remaining + 1));
      }
      break;
    }
  }
}

// x86-64's truncation to the 64-bit lua_Integer Redis reads offsets and limits as (a
// 32-bit lua_Integer could not hold them): out of range and NaN give INT64_MIN.
std::int64_t truncate_to_int64(lua_Number n) {
  if (n >= -9223372036854775808.0 && n < 9223372036854775808.0) {
    return static_cast<std::int64_t>(n);
  }
  return INT64_MIN;
}

// Redis prints 64-bit offsets with %d: their low 32 bits, as a signed int.
int low_int(std::int64_t value) {
  const std::uint32_t bits = static_cast<std::uint32_t>(static_cast<std::uint64_t>(value));
  return bits < 0x80000000u ? static_cast<int>(bits) : -static_cast<int>(~bits) - 1;
}

// Decodes from byte `offset` of argument 1 (a string). A limit and an offset both 0 mean
// everything, answered without an offset; otherwise at most `limit` values (none when
// limit is 0), answered after the next offset.
int unpack_values(lua_State* L, std::int64_t limit, std::int64_t offset) {
  std::size_t length = 0;
  const char* data = lua_tolstring(L, 1, &length);
  const std::int64_t signed_length = static_cast<std::int64_t>(length);
  if (offset < 0 || limit < 0) {
    luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.", low_int(offset),
               low_int(signed_length));
  }
  if (offset > signed_length) {
    luaL_error(L, "Start offset %d greater than input length %d.", low_int(offset),
               low_int(signed_length));
  }
  const bool everything = limit == 0 && offset == 0;
  const std::size_t start = static_cast<std::size_t>(offset);
  Input in{reinterpret_cast<const unsigned char*>(data) + start, length - start,
           DecodeError::kNone};
  std::size_t capacity = 0;
  Frame* frames = frames_for(L, in.left, &capacity);
  int values = 0;
  while (in.left > 0 && (everything || values < limit)) {
    decode_value(L, &in, frames, capacity);
    if (in.error != DecodeError::kNone) {
      luaL_error(L, in.error == DecodeError::kMissingBytes ? "Missing bytes in input."
                                                           : "Bad data format in input.");
    }
    ++values;
  }
  if (everything) return values;
  // The next offset goes first, before the values (the string is alone below them).
  luaL_checkstack(L, 1, "in function mp_unpack_full");
  lua_pushnumber(L, in.left == 0 ? -1 : static_cast<lua_Number>(length - in.left));
  lua_insert(L, 2);
  return values + 1;
}

// cmsgpack.unpack keeps any extra arguments on the stack (they count towards the stack
// limit); unpack_one and unpack_limit check their numbers first, then the string, and
// drop everything but the string.
int cmsgpack_unpack(lua_State* L) {
  luaL_checkstring(L, 1);
  return unpack_values(L, 0, 0);
}

int cmsgpack_unpack_one(lua_State* L) {
  const std::int64_t offset = truncate_to_int64(luaL_optnumber(L, 2, 0));
  luaL_checkstring(L, 1);
  lua_settop(L, 1);
  return unpack_values(L, 1, offset);
}

int cmsgpack_unpack_limit(lua_State* L) {
  const std::int64_t limit = truncate_to_int64(luaL_checknumber(L, 2));
  const std::int64_t offset = truncate_to_int64(luaL_optnumber(L, 3, 0));
  luaL_checkstring(L, 1);
  lua_settop(L, 1);
  return unpack_values(L, limit, offset);
}

void set_string_field(lua_State* L, const char* name, const char* value) {
  lua_pushstring(L, value);
  lua_setfield(L, -2, name);
}

// The unpackers are closures over one upvalue: their frames (nil until first used).
void set_unpacker(lua_State* L, const char* name, lua_CFunction function) {
  lua_pushnil(L);
  lua_pushcclosure(L, function, 1);
  lua_setfield(L, -2, name);
}

}  // namespace

int redpad_luaopen_cmsgpack(lua_State* L) {
  lua_newtable(L);
  lua_pushcfunction(L, cmsgpack_pack);
  lua_setfield(L, -2, "pack");
  set_unpacker(L, "unpack", cmsgpack_unpack);
  set_unpacker(L, "unpack_one", cmsgpack_unpack_one);
  set_unpacker(L, "unpack_limit", cmsgpack_unpack_limit);
  set_string_field(L, "_NAME", "cmsgpack");
  set_string_field(L, "_VERSION", "lua-cmsgpack 0.4.0");
  set_string_field(L, "_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo");
  set_string_field(L, "_DESCRIPTION", "MessagePack C implementation for Lua");
  lua_pushvalue(L, -1);
  lua_setglobal(L, "cmsgpack");
  return 1;
}
