// The Lua libraries Redis 7.0 opens besides Lua's own and cjson: `bit` (LuaBitOp 1.0
// semantics), `struct` (Roberto Ierusalimschy's struct library, as Redis ships it) and
// `cmsgpack` (lua-cmsgpack 0.4.0). They are written for redpad from the libraries'
// documentation and from the answers of a real redis-server 7.0.15, byte for byte, natively
// and in WebAssembly (where size_t and long are 32 bits wide but Redis's are 64).
//
// Each opener has the lua_CFunction signature, so it can be called directly or through
// lua_pushcfunction + lua_call. It creates a new table holding the library's functions
// (and, for cmsgpack, its _NAME, _VERSION, _COPYRIGHT and _DESCRIPTION strings), stores
// it in the global of the library's name (`bit`, `struct`, `cmsgpack`), leaves that table
// pushed on top of the stack (one slot more than before the call) and returns 1. It
// touches nothing else on the stack and raises a Lua error only when out of memory.
//
// The functions themselves are C (setjmp/longjmp) safe: they raise their errors with
// luaL_error/luaL_argerror, with the texts Redis gives, and keep no C++ object alive
// across a call that may raise.
//
// Work done in C counts against the script's budget as Lua VM instructions do
// (docs/scripting.md, "Limits"): each library charges what it does as it goes, in units that
// cost about one VM instruction's time each, through redpad_lua_charge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <lua.hpp>

int redpad_luaopen_bit(lua_State* L);
int redpad_luaopen_struct(lua_State* L);
int redpad_luaopen_cmsgpack(lua_State* L);

// Replaces string.find, match, gmatch, gfind and gsub with redpad's own pattern matching
// (lua_patterns.cpp), which charges every step: Lua's backtracking matcher can run for ever
// with nothing able to stop it. Expects the string library's table on top of the stack.
void redpad_replace_pattern_functions(lua_State* L);

namespace redpad {

// Bytes of copying, scanning or allocating that cost about one VM instruction (measured:
// docs/scripting.md, "Limits").
inline constexpr std::uint64_t kBytesPerUnit = 16;

inline std::uint64_t byte_units(std::size_t bytes) {
  return static_cast<std::uint64_t>(bytes) / kBytesPerUnit;
}

// Adds `units` of work to the running script's budget. Once the budget is spent the script
// ends as when its instructions run out: this raises Redis's "Script killed" error (so call
// it only where a Lua error may be raised, with no C++ object alive).
void lua_charge(lua_State* L, std::uint64_t units);

}  // namespace redpad
