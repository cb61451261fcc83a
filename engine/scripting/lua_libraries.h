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
#pragma once

#include <lua.hpp>

int redpad_luaopen_bit(lua_State* L);
int redpad_luaopen_struct(lua_State* L);
int redpad_luaopen_cmsgpack(lua_State* L);
