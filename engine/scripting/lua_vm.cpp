#include "lua_vm.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <lua.hpp>
#include <new>

#include "../errors.h"
#include "../sha1.h"
#include "lua_libraries.h"

// lua-cjson (Debian's lua-cjson, the library Redis embeds) registers no global: see open_state.
extern "C" int luaopen_cjson(lua_State* L);

namespace redpad {

// Lua is C: its errors longjmp. The lua_CFunctions below therefore keep no C++ object with a
// destructor alive where Lua can raise (luaL_check*, lua_error, allocations that may fail);
// the ones that need C++ call a function that returns first, then raise.

namespace {

// Registry fields.
constexpr const char* kRealGlobals = "redpad.globals";    // the globals behind _G's proxy
constexpr const char* kProxies = "redpad.proxies";        // proxy -> the table it guards
constexpr const char* kScripts = "redpad.scripts";        // sha -> compiled function
constexpr const char* kStringMeta = "redpad.stringmeta";  // the proxy of strings' metatable

// The count hook runs every this many VM instructions, and the budget is checked there.
constexpr int kHookEvery = 10000;
// While that many instructions take long (Lua's VM copying or comparing long strings, which
// no charge sees), the hook fires this often instead, for the time limit's sake; the budget
// is still checked every kHookEvery instructions, so a script stops where it always does.
constexpr int kHookEverySlow = 10;
constexpr auto kSlowHook = std::chrono::milliseconds(20);

constexpr const char* kKilled = "ERR Script killed by user with SCRIPT KILL...";

Reply script_out_of_memory_error(std::size_t megabytes) {
  return Reply::error("ERR redpad: the script needs more than the " + std::to_string(megabytes) +
                      " MB of memory redpad gives it");
}

constexpr const char* kLuaStackLimit = "ERR reached lua stack limit";
constexpr const char* kCommandOutOfMemory = "ERR redpad: out of memory running the command";

// What C work costs, in budget units: one unit takes about as long as one VM instruction
// (measured natively and in WebAssembly; docs/scripting.md, "Limits"). Bytes copied or
// allocated in bulk cost 1/kBytesPerUnit unit each (lua_libraries.h); the rest is here.
constexpr std::uint64_t kAllocationUnits = 40;       // an allocation, and freeing it later
constexpr std::uint64_t kCallUnits = 12;             // a call of a charged C function
constexpr std::uint64_t kCompileUnitsPerByte = 8;    // loadstring, load
constexpr std::uint64_t kCharacterUnitsPerByte = 3;  // byte-at-a-time loops (upper, rep)
constexpr std::uint64_t kSha1UnitsPerByte = 3;       // redis.sha1hex
constexpr std::uint64_t kParseBytesPerUnit = 2;      // tonumber (strtod)
constexpr std::uint64_t kJsonDecodeUnitsPerByte = 3;
constexpr std::uint64_t kJsonValueUnits = 32;      // a value cjson.encode writes
constexpr std::uint64_t kCommandBytesPerUnit = 2;  // a command's arguments, copied a few times
constexpr std::uint64_t kResultUnits = 3;          // a value unpack, select or byte answers
constexpr std::uint64_t kElementUnits = 12;        // an element table.concat visits
constexpr std::uint64_t kMoveUnits = 4;            // an element table.insert/remove moves
constexpr std::uint64_t kComparisonUnits = 24;     // a comparison in table.sort (a C call)
constexpr std::uint64_t kCompareBytesPerUnit = 8;  // strcoll, memcmp: slower in WebAssembly
// collectgarbage walks every object: a byte of heap costs about as much as one allocated.
constexpr std::uint64_t kHeapBytesPerUnit = kBytesPerUnit;

LuaVM& vm_of(lua_State* L) {
  void* owner = nullptr;
  lua_getallocf(L, &owner);
  return *static_cast<LuaVM*>(owner);
}

void* lua_allocate(void* owner, void* block, size_t old_size, size_t new_size) {
  return static_cast<LuaVM*>(owner)->allocate(block, old_size, new_size);
}

void push_error_table(lua_State* L, const char* text) {
  lua_newtable(L);
  lua_pushstring(L, text);
  lua_setfield(L, -2, "err");
}

void count_hook(lua_State* L, lua_Debug*);

// Ends the run: Redis's answer for a killed script. The hook then fires at every instruction
// (LuaVM::stop), so a pcall in the script cannot swallow the stop, and the catch points
// (pcall, xpcall, coroutine.resume) raise it again.
int raise_killed(lua_State* L) {
  vm_of(L).stop(L);
  push_error_table(L, kKilled);
  return lua_error(L);
}

// Raises a message with no position (the read-only refusals of raw access).
int raise_plain(lua_State* L, const char* message) {
  lua_pushstring(L, message);
  return lua_error(L);
}

// The redis library's own refusals: an error table {err = "ERR <message>"}, as redis.call
// raises (a pcall in the script gets the string).
int raise_redis_error(lua_State* L, const char* message) {
  lua_newtable(L);
  lua_pushliteral(L, "ERR ");
  lua_pushstring(L, message);
  lua_concat(L, 2);
  lua_setfield(L, -2, "err");
  return lua_error(L);
}

// ---- read-only tables ----
// Redis 7.0 marks its globals and library tables read-only inside its own Lua. Debian's
// Lua has no such flag, so each guarded table is reached through an empty proxy whose
// metatable reads from it and refuses writes; the base functions that could see around a
// proxy (raw access, next/pairs, metatables) are replaced by ones that look through it.

int refuse_write(lua_State* L) {
  return luaL_error(L, "Attempt to modify a readonly table");
}

// If the value at `index` is a proxy, replaces it (on the stack) with the table it guards.
bool unproxy(lua_State* L, int index) {
  if (index < 0) index = lua_gettop(L) + index + 1;
  if (!lua_istable(L, index)) return false;
  lua_getfield(L, LUA_REGISTRYINDEX, kProxies);
  lua_pushvalue(L, index);
  lua_rawget(L, -2);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 2);
    return false;
  }
  lua_replace(L, index);
  lua_pop(L, 1);
  return true;
}

// Replaces the table at the top of the stack with a read-only proxy of it. `index` is the
// proxy's __index: the table itself when null.
void make_proxy(lua_State* L, lua_CFunction index) {
  const int real = lua_gettop(L);
  lua_newtable(L);  // the proxy
  lua_newtable(L);  // its metatable
  if (index)
    lua_pushcfunction(L, index);
  else
    lua_pushvalue(L, real);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, refuse_write);
  lua_setfield(L, -2, "__newindex");
  lua_setmetatable(L, -2);
  lua_getfield(L, LUA_REGISTRYINDEX, kProxies);
  lua_pushvalue(L, -2);
  lua_pushvalue(L, real);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  lua_replace(L, real);
}

// _G's __index: a global that does not exist is an error, as in Redis.
int read_global(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRealGlobals);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  if (!lua_isnil(L, -1)) return 1;
  const char* name = lua_isstring(L, 2) ? lua_tostring(L, 2) : "?";
  return luaL_error(L, "Script attempted to access nonexistent global variable '%s'", name);
}

int base_rawget(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  unproxy(L, 1);
  lua_settop(L, 2);
  lua_rawget(L, 1);
  return 1;
}

int base_rawset(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  luaL_checkany(L, 3);
  if (unproxy(L, 1)) return raise_plain(L, "Attempt to modify a readonly table");
  lua_settop(L, 3);
  lua_rawset(L, 1);
  return 1;
}

int base_rawequal(lua_State* L) {
  luaL_checkany(L, 1);
  luaL_checkany(L, 2);
  unproxy(L, 1);
  unproxy(L, 2);
  lua_pushboolean(L, lua_rawequal(L, 1, 2));
  return 1;
}

int base_next(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  unproxy(L, 1);
  lua_settop(L, 2);
  if (lua_next(L, 1)) return 2;
  lua_pushnil(L);
  return 1;
}

int base_pairs(lua_State* L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushcfunction(L, base_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

int base_getmetatable(lua_State* L) {
  luaL_checkany(L, 1);
  if (lua_type(L, 1) == LUA_TSTRING) {  // strings share one metatable: hand out its proxy
    lua_getfield(L, LUA_REGISTRYINDEX, kStringMeta);
    return 1;
  }
  lua_pushvalue(L, 1);
  if (unproxy(L, -1) || !lua_getmetatable(L, 1)) {
    lua_pushnil(L);
    return 1;
  }
  luaL_getmetafield(L, 1, "__metatable");
  return 1;
}

int base_setmetatable(lua_State* L) {
  const int type = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argcheck(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table expected");
  lua_pushvalue(L, 1);
  if (unproxy(L, -1)) return raise_plain(L, "Attempt to modify a readonly table");
  lua_pop(L, 1);
  if (luaL_getmetafield(L, 1, "__metatable"))
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

// pcall as Redis 7.0 has it: an error table with an `err` string (what redis.call raises)
// comes back as that string; anything else as raised.
int base_pcall(lua_State* L) {
  if (lua_gettop(L) == 0) lua_pushnil(L);  // Redis's pcall() answers false, not an error
  if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != 0) {
    LuaVM& vm = vm_of(L);
    vm.set_running_thread(L);
    if (vm.stopped()) return raise_killed(L);
    if (lua_istable(L, -1)) {
      lua_pushliteral(L, "err");
      lua_rawget(L, -2);
      if (lua_type(L, -1) == LUA_TSTRING)
        lua_replace(L, -2);
      else
        lua_pop(L, 1);
    }
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  return lua_gettop(L);
}

// loadstring and load compile text only: a binary chunk can crash Lua 5.1's VM.
int load_text(lua_State* L, const char* text, size_t length, const char* chunk_name) {
  lua_charge(L, length * kCompileUnitsPerByte);
  const int status = length > 0 && text[0] == LUA_SIGNATURE[0]
                         ? (lua_pushliteral(L, "binary chunks are not allowed"), LUA_ERRSYNTAX)
                         : luaL_loadbuffer(L, text, length, chunk_name);
  if (status == 0) return 1;
  lua_pushnil(L);
  lua_insert(L, -2);
  return 2;
}

int base_loadstring(lua_State* L) {
  size_t length = 0;
  const char* text = luaL_checklstring(L, 1, &length);
  const char* chunk_name = luaL_optstring(L, 2, text);
  return load_text(L, text, length, chunk_name);
}

int base_load(lua_State* L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  const char* chunk_name = luaL_optstring(L, 2, "=(load)");
  lua_settop(L, 2);
  lua_pushliteral(L, "");  // the pieces so far, at 3
  for (;;) {
    lua_pushvalue(L, 1);
    lua_call(L, 0, 1);
    if (lua_isnil(L, -1)) break;
    if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
    if (lua_objlen(L, -1) == 0) break;
    lua_concat(L, 2);
  }
  lua_pop(L, 1);
  size_t length = 0;
  const char* text = lua_tolstring(L, 3, &length);
  return load_text(L, text, length, chunk_name);
}

// ---- math.random: rand48, as Redis replaces Lua's (so scripts draw the same everywhere) ----

std::int32_t next_rand48(std::uint64_t& state) {
  state = (0x5DEECE66DULL * state + 0xB) & ((1ULL << 48) - 1);
  return static_cast<std::int32_t>(state >> 17);
}

int math_random(lua_State* L) {
  constexpr std::int32_t kMax = 2147483647;
  const lua_Number r = static_cast<lua_Number>(next_rand48(vm_of(L).rand48_state()) % kMax) /
                       static_cast<lua_Number>(kMax);
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      const int upper = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= upper, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * upper) + 1);
      break;
    }
    case 2: {
      const int lower = luaL_checkint(L, 1);
      const int upper = luaL_checkint(L, 2);
      luaL_argcheck(L, lower <= upper, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (static_cast<lua_Number>(upper) - lower + 1)) + lower);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int math_randomseed(lua_State* L) {
  const auto seed = static_cast<std::uint32_t>(luaL_checkint(L, 1));
  vm_of(L).rand48_state() = (static_cast<std::uint64_t>(seed) << 16) | 0x330E;
  return 0;
}

// ---- Lua values <-> replies ----

// %.17g: how Redis writes a Lua number as a command argument or a double reply.
void format_number(lua_Number number, char (&text)[64]) {
  std::snprintf(text, sizeof text, "%.17g", static_cast<double>(number));
}

void push_reply(lua_State* L, const Reply& reply) {
  luaL_checkstack(L, 4, "reached lua stack limit");
  switch (reply.type) {
    case ReplyType::Status:
      lua_newtable(L);
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      lua_setfield(L, -2, "ok");
      return;
    case ReplyType::Error:
      lua_newtable(L);
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      lua_setfield(L, -2, "err");
      return;
    case ReplyType::Integer:
    case ReplyType::Boolean:
      lua_pushnumber(L, static_cast<lua_Number>(reply.integer));
      return;
    case ReplyType::Bulk:
    case ReplyType::Verbatim:
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      return;
    case ReplyType::Double: {
      char text[64];
      format_number(reply.number, text);
      lua_pushstring(L, text);
      return;
    }
    case ReplyType::Array:
    case ReplyType::Map:
    case ReplyType::Set:
    case ReplyType::Push:
    case ReplyType::Several: {
      lua_createtable(L, static_cast<int>(reply.elements.size()), 0);
      int position = 1;
      for (const Reply& element : reply.elements) {
        push_reply(L, element);
        lua_rawseti(L, -2, position++);
      }
      return;
    }
    case ReplyType::Nil:
    case ReplyType::NullArray:
    case ReplyType::Help:
    case ReplyType::Blocked:
      lua_pushboolean(L, 0);
      return;
  }
}

// Redis writes a status reply on one line: CR and LF become spaces (an error reply also
// loses those at its end: errors::one_line).
std::string one_line(const char* text, size_t length) {
  std::string line(text, length);
  for (char& c : line) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return line;
}

// A string field of the table at the top, or null.
const char* string_field(lua_State* L, const char* name, size_t& length) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  const char* text = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : nullptr;
  lua_pop(L, 1);  // the string stays alive: the table holds it
  return text;
}

long long lua_number_to_integer(lua_Number number) {
  // A C cast, as Redis does, but without its undefined behaviour out of range: x86-64 and
  // WebAssembly both give LLONG_MIN there, and so does Redis.
  if (number >= -9223372036854775808.0 && number < 9223372036854775808.0)
    return static_cast<long long>(number);
  return INT64_MIN;
}

// The value at the top of the stack as a reply (raw reads only: no metamethod runs here).
// How deep a script's reply may nest arrays. Redis goes on until Lua's stack runs out (about
// 8,000 levels, then "ERR reached lua stack limit"); that many levels of recursion, here and
// in every reply writer, overflow a browser's WebAssembly call stack.
constexpr int kMaxReplyDepth = 1000;
constexpr const char* kReplyTooDeep =
    "ERR redpad: a script's reply may nest arrays 1000 deep at most";
static_assert(kMaxReplyDepth == 1000, "kReplyTooDeep names the depth");

Reply reply_from_lua(lua_State* L, int depth = 1) {
  switch (lua_type(L, -1)) {
    case LUA_TNUMBER:
      return Reply::integer_value(lua_number_to_integer(lua_tonumber(L, -1)));
    case LUA_TSTRING: {
      size_t length = 0;
      const char* text = lua_tolstring(L, -1, &length);
      return Reply::bulk(std::string(text, length));
    }
    case LUA_TBOOLEAN:
      return lua_toboolean(L, -1) ? Reply::integer_value(1) : Reply::nil();
    case LUA_TTABLE: {
      size_t length = 0;
      if (const char* err = string_field(L, "err", length))
        return Reply::error(errors::one_line(std::string(err, length)));
      if (const char* ok = string_field(L, "ok", length))
        return Reply::status(one_line(ok, length));
      lua_pushliteral(L, "double");
      lua_rawget(L, -2);
      if (lua_type(L, -1) == LUA_TNUMBER) {
        char text[64];
        format_number(lua_tonumber(L, -1), text);
        lua_pop(L, 1);
        return Reply::bulk(text);
      }
      lua_pop(L, 1);
      if (depth > kMaxReplyDepth) return Reply::error(kReplyTooDeep);
      if (!lua_checkstack(L, 2)) return Reply::error(kLuaStackLimit);
      std::vector<Reply> elements;
      for (int i = 1;; ++i) {
        lua_rawgeti(L, -1, i);
        if (lua_isnil(L, -1)) {
          lua_pop(L, 1);
          break;
        }
        elements.push_back(reply_from_lua(L, depth + 1));
        lua_pop(L, 1);
      }
      return Reply::array(std::move(elements));
    }
    default:
      return Reply::nil();
  }
}

// ---- the redis table ----

enum class Outcome { Value, Raise };

// redis.call and redis.pcall, the C++ part: pushes the command's reply, or an error table
// (to raise, or for pcall to return).
Outcome call_command(lua_State* L, bool raise_errors) {
  LuaVM& vm = vm_of(L);
  const int count = lua_gettop(L);
  const Outcome on_error = raise_errors ? Outcome::Raise : Outcome::Value;
  if (count == 0) {
    push_error_table(L, "ERR Please specify at least one argument for this redis lib call");
    return on_error;
  }
  Reply reply;
  {
    std::vector<std::string> args;
    args.reserve(static_cast<size_t>(count));
    for (int i = 1; i <= count; ++i) {
      const int type = lua_type(L, i);
      if (type == LUA_TNUMBER) {
        char text[64];
        format_number(lua_tonumber(L, i), text);
        args.emplace_back(text);
      } else if (type == LUA_TSTRING) {
        size_t length = 0;
        const char* text = lua_tolstring(L, i, &length);
        args.emplace_back(text, length);
      } else {
        args.clear();
        break;
      }
    }
    if (args.empty()) {
      push_error_table(L, "ERR Lua redis lib command arguments must be strings or integers");
      return on_error;
    }
    vm.count_call();
    std::size_t bytes = 0;
    for (const std::string& arg : args)
      bytes += arg.size();
    vm.count_instructions(bytes / kCommandBytesPerUnit);
    if (vm.over_budget()) {
      vm.stop(L);
      push_error_table(L, kKilled);
      return Outcome::Raise;
    }
    try {
      reply = vm.host()->call(args);
    } catch (const std::bad_alloc&) {
      reply = Reply::error(kCommandOutOfMemory);
    }
  }
  push_reply(L, reply);
  return reply.is_error() ? on_error : Outcome::Value;
}

int redis_call(lua_State* L) {
  if (call_command(L, true) == Outcome::Raise) return lua_error(L);
  return 1;
}

int redis_pcall(lua_State* L) {
  call_command(L, false);
  return 1;
}

int redis_sha1hex(lua_State* L) {
  if (lua_gettop(L) != 1) return raise_redis_error(L, "wrong number of arguments");
  size_t length = 0;
  const char* text = lua_tolstring(L, 1, &length);
  lua_charge(L, length * kSha1UnitsPerByte);
  char hex[41];
  {
    const std::string digest = sha1_hex(std::string_view(text ? text : "", length));
    std::memcpy(hex, digest.c_str(), sizeof hex);
  }
  lua_pushstring(L, hex);
  return 1;
}

int redis_error_reply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    push_error_table(L, "ERR wrong number or type of arguments");
    return 1;
  }
  const char* text = lua_tostring(L, 1);
  if (text[0] == '-') ++text;
  lua_newtable(L);
  if (std::strchr(text, ' ') == nullptr) {  // no error code of its own
    lua_pushliteral(L, "ERR ");
    lua_pushstring(L, text);
    lua_concat(L, 2);
  } else {
    lua_pushstring(L, text);
  }
  lua_setfield(L, -2, "err");
  return 1;
}

int redis_status_reply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    push_error_table(L, "ERR wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

// redpad keeps no server log: redis.log checks its arguments as Redis does and writes nothing.
int redis_log(lua_State* L) {
  if (lua_gettop(L) < 2) return raise_redis_error(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1))
    return raise_redis_error(L, "First argument must be a number (log level).");
  const lua_Number level = lua_tonumber(L, 1);
  if (level < 0 || level > 3) return raise_redis_error(L, "Invalid debug level.");
  return 0;
}

int redis_setresp(lua_State* L) {
  if (lua_gettop(L) != 1) return raise_redis_error(L, "redis.setresp() requires one argument.");
  const lua_Number version = lua_tonumber(L, 1);
  if (version != 2 && version != 3) return raise_redis_error(L, "RESP version must be 2 or 3.");
  return 0;
}

int redis_set_repl(lua_State* L) {
  if (lua_gettop(L) != 1) return raise_redis_error(L, "redis.set_repl() requires two arguments.");
  const lua_Number flags = lua_tonumber(L, 1);
  if (!(flags >= 0 && flags <= 3) || flags != std::floor(flags))
    return raise_redis_error(L,
                             "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or "
                             "REPL_NONE.");
  return 0;
}

int redis_replicate_commands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

int redis_breakpoint(lua_State* L) {  // no debugging session: false, as in Redis
  lua_pushboolean(L, 0);
  return 1;
}

int redis_debug(lua_State*) {
  return 0;
}

bool command_exists(lua_State* L) {
  std::vector<std::string> args;
  for (int i = 1; i <= lua_gettop(L); ++i) {
    size_t length = 0;
    const char* text = lua_tolstring(L, i, &length);
    args.emplace_back(text ? std::string(text, length) : std::string());
  }
  return vm_of(L).host()->command_exists(args);
}

int redis_acl_check_cmd(lua_State* L) {
  if (lua_gettop(L) == 0)
    return raise_redis_error(L, "Please specify at least one argument for this redis lib call");
  if (!command_exists(L))
    return raise_redis_error(L, "Invalid command passed to redis.acl_check_cmd()");
  lua_pushboolean(L, 1);
  return 1;
}

// ---- errors and the budget ----

int charged_less(lua_State* L);

// Whether the function running at `level` is table.sort's charged comparison, which stands
// in for Lua's own comparison inside table.sort and must not show in error positions.
bool is_charged_less(lua_State* L, int level) {
  lua_Debug frame;
  if (!lua_getstack(L, level, &frame) || !lua_getinfo(L, "f", &frame)) return false;
  const bool found = lua_tocfunction(L, -1) == charged_less;
  lua_pop(L, 1);
  return found;
}

// The message handler of every run (also the global __redis__err__handler, as in Redis):
// turns what was raised into {err=..., source=..., line=...}, the position being the Lua
// code that raised (or that called the C function that raised).
int error_handler(lua_State* L) {
  lua_Debug frame;
  bool located = false;
  const int level = is_charged_less(L, 1) ? 2 : 1;
  if (lua_getstack(L, level, &frame) && lua_getinfo(L, "Sl", &frame)) {
    located = std::strcmp(frame.what, "C") != 0 ||
              (lua_getstack(L, level + 1, &frame) && lua_getinfo(L, "Sl", &frame));
  }
  lua_newtable(L);  // at 2
  if (lua_istable(L, 1)) {
    lua_pushliteral(L, "err");
    lua_rawget(L, 1);
    if (lua_type(L, -1) != LUA_TSTRING) {
      lua_pop(L, 1);
      lua_pushliteral(L, "ERR unknown error");  // Redis 7.0.15 crashes on error({})
    }
  } else {
    lua_pushliteral(L, "ERR ");
    if (lua_isstring(L, 1))
      lua_pushvalue(L, 1);
    else if (lua_isboolean(L, 1))
      lua_pushstring(L, lua_toboolean(L, 1) ? "true" : "false");
    else
      lua_pushstring(L, lua_isnil(L, 1) ? "nil" : luaL_typename(L, 1));
    lua_concat(L, 2);
  }
  lua_setfield(L, 2, "err");
  if (located) {
    lua_pushstring(L, frame.source);
    lua_setfield(L, 2, "source");
    lua_pushinteger(L, frame.currentline);
    lua_setfield(L, 2, "line");
  }
  return 1;
}

void count_hook(lua_State* L, lua_Debug*) {
  if (vm_of(L).hook_fired(L)) raise_killed(L);
}

// ---- the work of Lua's own C functions and cjson's ----
// Their loops cannot be changed (Debian's liblua5.1 and lua-cjson, unmodified), so each one
// a script can reach is replaced by a closure that charges what the call will do, judged
// from its arguments, then runs the original in its own frame (argument errors, error
// positions and upvalues stay the original's), then charges what the call allocated.

// What a call costs beyond its one unit.
enum class Cost : unsigned char {
  kCall,           // constant work
  kArguments,      // one unit per argument (math.max, string.char)
  kResults,        // one unit per result, once known (string.byte, unpack, select)
  kStringBytes,    // its string arguments' bytes, copied (string.format)
  kCharacters,     // its string arguments' bytes, one at a time (upper, lower, reverse)
  kParse,          // tonumber: its string's bytes
  kRep,            // string.rep: every repetition and byte written
  kConcat,         // table.concat: every element it may visit
  kInsert,         // table.insert: the elements it moves
  kRemove,         // table.remove: idem
  kSort,           // table.sort: every comparison (charged_less stands in for Lua's own)
  kKeys,           // table.foreach, table.maxn: every key
  kLength,         // table.foreachi: every element up to the length
  kCollect,        // collectgarbage: the heap it walks
  kJsonEncode,     // cjson.encode: the tree it writes (json_units)
  kJsonDecode,     // cjson.decode: the text's bytes
  kJsonNew,        // cjson.new: its module's functions are charged too
  kResume,         // coroutine.resume: another thread runs
  kResumeWrapped,  // what coroutine.wrap answers (its thread is upvalue 1)
  kWrap,           // coroutine.wrap: its answer is charged as a resume
  kYield,          // coroutine.yield: nothing may run after the original
  kCatch,          // xpcall: a stop inside is raised again
};

struct Charged {
  lua_CFunction original;
  Cost cost;
};

// x86-64's truncation of a Lua number to the 64-bit lua_Integer Redis's Lua reads integer
// arguments as (out of range and NaN: INT64_MIN), then the int that luaL_checkint keeps.
int int_argument(lua_Number n) {
  const std::int64_t wide = n >= -9223372036854775808.0 && n < 9223372036854775808.0
                                ? static_cast<std::int64_t>(n)
                                : INT64_MIN;
  const auto bits = static_cast<std::uint32_t>(static_cast<std::uint64_t>(wide));
  return bits < 0x80000000u ? static_cast<int>(bits) : -static_cast<int>(~bits) - 1;
}

std::uint64_t add_saturating(std::uint64_t a, std::uint64_t b) {
  return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

// table.sort's comparison when the script gives none: Lua's own (lua_lessthan, with the
// same errors and metamethods), charged, since an adversarial table can make Lua's quicksort
// compare n^2 times and long strings cost their common prefix.
int charged_less(lua_State* L) {
  std::uint64_t units = kComparisonUnits;
  if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING)
    units += std::min(lua_objlen(L, 1), lua_objlen(L, 2)) / kCompareBytesPerUnit;
  lua_charge(L, units);
  lua_pushboolean(L, lua_lessthan(L, 1, 2));
  return 1;
}

// cjson encodes depth first and stops with an error below this depth (its default).
constexpr int kJsonMaxDepth = 1000;
constexpr std::uint64_t kJsonUnitsCap = std::uint64_t{1} << 52;  // exact as a lua_Number

// The units cjson.encode spends on the value on top of the stack (left there): one per value
// and its string's bytes, a table shared N times counted N times (cjson writes it N times: a
// few shared tables can make an exponentially long text). `memo` (an absolute index) maps
// each table met to its units, or to true while it is being walked: met again then, it is a
// cycle, which cjson follows down to its depth limit.
std::uint64_t json_units(lua_State* L, int memo, int depth) {
  switch (lua_type(L, -1)) {
    case LUA_TSTRING:
      return 1 + byte_units(lua_objlen(L, -1));
    case LUA_TTABLE:
      break;
    default:
      return 1;
  }
  if (depth > kJsonMaxDepth) return 1;  // cjson stops here
  lua_pushvalue(L, -1);
  lua_rawget(L, memo);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    const auto units = static_cast<std::uint64_t>(lua_tonumber(L, -1));
    lua_pop(L, 1);
    return units;
  }
  const bool walking = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (walking) return kJsonMaxDepth;
  luaL_checkstack(L, 4, "reached lua stack limit");
  lua_pushvalue(L, -1);
  lua_pushboolean(L, 1);
  lua_rawset(L, memo);
  std::uint64_t units = 1;
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    units = add_saturating(units, json_units(L, memo, depth + 1));  // the value
    lua_pop(L, 1);
    units = add_saturating(units, json_units(L, memo, depth + 1));  // the key
  }
  units = std::min(units, kJsonUnitsCap);
  lua_pushvalue(L, -1);
  lua_pushnumber(L, static_cast<lua_Number>(units));
  lua_rawset(L, memo);
  return units;
}

// Charges the keys of the table at index 1 as it counts them; answers those not charged yet.
std::uint64_t count_keys(lua_State* L) {
  std::uint64_t keys = 0;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {
    lua_pop(L, 1);
    if (++keys % 4096 == 0) lua_charge(L, 4096);
  }
  return keys % 4096;
}

// A number argument as the original will read it, or `fallback` when absent.
lua_Number number_argument(lua_State* L, int index, lua_Number fallback) {
  return lua_isnumber(L, index) ? lua_tonumber(L, index) : fallback;
}

std::uint64_t string_bytes(lua_State* L) {
  std::uint64_t bytes = 0;
  for (int i = lua_gettop(L); i > 0; --i) {
    if (lua_type(L, i) == LUA_TSTRING) bytes += lua_objlen(L, i);
  }
  return bytes;
}

// The units a call will spend, from its arguments (the original checks them afterwards: a
// wrong argument costs what a right one would, at most). May set things up for the call.
std::uint64_t units_before(lua_State* L, Cost cost) {
  LuaVM& vm = vm_of(L);
  switch (cost) {
    case Cost::kArguments:
    case Cost::kResume:
      return static_cast<std::uint64_t>(lua_gettop(L));
    case Cost::kStringBytes:
      return string_bytes(L) / kBytesPerUnit;
    case Cost::kCharacters:
      return string_bytes(L) * kCharacterUnitsPerByte;
    case Cost::kParse:
      return string_bytes(L) / kParseBytesPerUnit;
    case Cost::kRep: {
      // A number repeated is written as at most LUAI_MAXNUMBER2STR characters.
      const std::size_t length = lua_type(L, 1) == LUA_TSTRING ? lua_objlen(L, 1) : 32;
      const int times = lua_isnumber(L, 2) ? int_argument(lua_tonumber(L, 2)) : 0;
      if (times <= 0) return 0;
      const auto count = static_cast<std::uint64_t>(times);
      return add_saturating(count, count * length * kCharacterUnitsPerByte);
    }
    case Cost::kConcat: {
      if (lua_type(L, 1) != LUA_TTABLE) return 0;
      const lua_Number first = number_argument(L, 3, 1);
      const lua_Number last = number_argument(L, 4, static_cast<lua_Number>(lua_objlen(L, 1)));
      // It stops at the first element missing, and there are at most so many.
      const lua_Number most = static_cast<lua_Number>(vm.memory_in_use() / 16 + 1);
      return last < first
                 ? 0
                 : kElementUnits * static_cast<std::uint64_t>(std::min(last - first + 1, most));
    }
    case Cost::kInsert: {
      if (lua_type(L, 1) != LUA_TTABLE || lua_gettop(L) != 3 || !lua_isnumber(L, 2)) return 0;
      // It moves the elements from position to the end up by one (all the way down from the
      // end, for a negative position).
      const std::int64_t end = static_cast<std::int64_t>(lua_objlen(L, 1)) + 1;
      const int position = int_argument(lua_tonumber(L, 2));
      return position < end ? kMoveUnits * static_cast<std::uint64_t>(end - position) : 0;
    }
    case Cost::kRemove: {
      if (lua_type(L, 1) != LUA_TTABLE) return 0;
      const auto length = static_cast<std::int64_t>(lua_objlen(L, 1));
      const std::int64_t position = lua_isnumber(L, 2) ? int_argument(lua_tonumber(L, 2)) : length;
      return position >= 1 && position <= length
                 ? kMoveUnits * static_cast<std::uint64_t>(length - position)
                 : 0;
    }
    case Cost::kSort:
      if (lua_type(L, 1) == LUA_TTABLE && lua_isnoneornil(L, 2)) {
        lua_settop(L, 1);
        lua_pushcfunction(L, charged_less);
      }
      return 0;
    case Cost::kKeys:
      return lua_type(L, 1) == LUA_TTABLE ? count_keys(L) : 0;
    case Cost::kLength:
      return lua_type(L, 1) == LUA_TTABLE ? lua_objlen(L, 1) : 0;
    case Cost::kCollect: {
      const char* option = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : "collect";
      return std::strcmp(option, "count") == 0 ? 0 : vm.memory_in_use() / kHeapBytesPerUnit;
    }
    case Cost::kJsonEncode: {
      if (lua_gettop(L) != 1) return 0;
      lua_newtable(L);
      lua_pushvalue(L, 1);
      const std::uint64_t values = json_units(L, 2, 1);
      lua_settop(L, 1);
      return values > UINT64_MAX / kJsonValueUnits ? UINT64_MAX : values * kJsonValueUnits;
    }
    case Cost::kJsonDecode:
      return lua_type(L, 1) == LUA_TSTRING ? lua_objlen(L, 1) * kJsonDecodeUnitsPerByte : 0;
    case Cost::kResumeWrapped:
      return static_cast<std::uint64_t>(lua_gettop(L));
    default:
      return 0;
  }
}

void make_charged(lua_State* L, Cost cost);

// cjson's functions, in cjson's table and in every table cjson.new makes.
void charge_json_functions(lua_State* L, int table);

int call_charged(lua_State* L, const Charged& charged) {
  LuaVM& vm = vm_of(L);
  lua_charge(L, add_saturating(kCallUnits, units_before(L, charged.cost)));
  if (charged.cost == Cost::kResume || charged.cost == Cost::kResumeWrapped) {
    const int thread = charged.cost == Cost::kResume ? 1 : lua_upvalueindex(1);
    if (lua_State* other = lua_tothread(L, thread)) vm.set_running_thread(other);
  }
  const int results = charged.original(L);
  switch (charged.cost) {
    case Cost::kYield:
      return results;  // the thread is suspended: nothing may be raised in it now
    case Cost::kResults:
      lua_charge(L, kResultUnits * static_cast<std::uint64_t>(results));
      break;
    case Cost::kWrap:
      make_charged(L, Cost::kResumeWrapped);
      break;
    case Cost::kJsonNew:
      if (lua_istable(L, -1)) charge_json_functions(L, lua_gettop(L));
      break;
    default:
      break;
  }
  // What the call allocated may have spent the budget; a resume may have been stopped.
  vm.set_running_thread(L);
  if (vm.stopped() || vm.over_budget()) return raise_killed(L);
  return results;
}

template <int kUpvalues>
int charged_function(lua_State* L) {
  const auto* charged =
      static_cast<const Charged*>(lua_touserdata(L, lua_upvalueindex(kUpvalues + 1)));
  return call_charged(L, *charged);
}

// Replaces the C function on top of the stack with a charged closure: the original's
// upvalues first (the original reads them at the same indexes), then its Charged.
void make_charged(lua_State* L, Cost cost) {
  const int function = lua_gettop(L);
  const lua_CFunction original = lua_tocfunction(L, function);
  if (original == nullptr) return;
  int upvalues = 0;
  while (upvalues < 2 && lua_getupvalue(L, function, upvalues + 1) != nullptr)
    ++upvalues;
  auto* charged = static_cast<Charged*>(lua_newuserdata(L, sizeof(Charged)));
  *charged = Charged{original, cost};
  constexpr lua_CFunction kByUpvalues[] = {charged_function<0>, charged_function<1>,
                                           charged_function<2>};
  lua_pushcclosure(L, kByUpvalues[upvalues], upvalues + 1);
  lua_replace(L, function);
}

struct ChargedName {
  const char* name;
  Cost cost;
};

// Charges table[name] for each entry, the table being at `table`.
template <std::size_t N>
void charge_functions(lua_State* L, int table, const ChargedName (&names)[N]) {
  for (const ChargedName& entry : names) {
    lua_getfield(L, table, entry.name);
    if (lua_tocfunction(L, -1) != nullptr) {
      make_charged(L, entry.cost);
      lua_setfield(L, table, entry.name);
    } else {
      lua_pop(L, 1);
    }
  }
}

void charge_json_functions(lua_State* L, int table) {
  constexpr ChargedName kJson[] = {
      {"encode", Cost::kJsonEncode},
      {"decode", Cost::kJsonDecode},
      {"new", Cost::kJsonNew},
      {"encode_sparse_array", Cost::kCall},
      {"encode_max_depth", Cost::kCall},
      {"decode_max_depth", Cost::kCall},
      {"encode_number_precision", Cost::kCall},
      {"encode_keep_buffer", Cost::kCall},
      {"encode_invalid_numbers", Cost::kCall},
      {"decode_invalid_numbers", Cost::kCall},
  };
  charge_functions(L, table, kJson);
}

// Every C function of Lua's libraries a script can reach (the globals at `globals`), except
// the ones redpad wrote (which charge their own work) and the pattern functions (replaced).
void charge_library_functions(lua_State* L, int globals) {
  constexpr ChargedName kBase[] = {
      {"assert", Cost::kCall},    {"collectgarbage", Cost::kCollect},
      {"error", Cost::kCall},     {"gcinfo", Cost::kCall},
      {"ipairs", Cost::kCall},    {"select", Cost::kResults},
      {"tonumber", Cost::kParse}, {"tostring", Cost::kCall},
      {"type", Cost::kCall},      {"unpack", Cost::kResults},
      {"xpcall", Cost::kCatch},
  };
  charge_functions(L, globals, kBase);
  constexpr ChargedName kString[] = {
      {"byte", Cost::kResults}, {"char", Cost::kArguments},
      {"dump", Cost::kCall},    {"format", Cost::kStringBytes},
      {"len", Cost::kCall},     {"lower", Cost::kCharacters},
      {"rep", Cost::kRep},      {"reverse", Cost::kCharacters},
      {"sub", Cost::kCall},     {"upper", Cost::kCharacters},
  };
  constexpr ChargedName kTable[] = {
      {"concat", Cost::kConcat}, {"foreach", Cost::kKeys},  {"foreachi", Cost::kLength},
      {"getn", Cost::kCall},     {"insert", Cost::kInsert}, {"maxn", Cost::kKeys},
      {"remove", Cost::kRemove}, {"setn", Cost::kCall},     {"sort", Cost::kSort},
  };
  constexpr ChargedName kMath[] = {
      {"abs", Cost::kCall},   {"acos", Cost::kCall},     {"asin", Cost::kCall},
      {"atan", Cost::kCall},  {"atan2", Cost::kCall},    {"ceil", Cost::kCall},
      {"cos", Cost::kCall},   {"cosh", Cost::kCall},     {"deg", Cost::kCall},
      {"exp", Cost::kCall},   {"floor", Cost::kCall},    {"fmod", Cost::kCall},
      {"frexp", Cost::kCall}, {"ldexp", Cost::kCall},    {"log", Cost::kCall},
      {"log10", Cost::kCall}, {"max", Cost::kArguments}, {"min", Cost::kArguments},
      {"modf", Cost::kCall},  {"pow", Cost::kCall},      {"rad", Cost::kCall},
      {"sin", Cost::kCall},   {"sinh", Cost::kCall},     {"sqrt", Cost::kCall},
      {"tan", Cost::kCall},   {"tanh", Cost::kCall},
  };
  constexpr ChargedName kCoroutine[] = {
      {"create", Cost::kCall}, {"resume", Cost::kResume}, {"running", Cost::kCall},
      {"status", Cost::kCall}, {"wrap", Cost::kWrap},     {"yield", Cost::kYield},
  };
  auto charge_table = [&](const char* name, const auto& names) {
    lua_getfield(L, globals, name);
    charge_functions(L, lua_gettop(L), names);
    lua_pop(L, 1);
  };
  charge_table("string", kString);
  charge_table("table", kTable);
  charge_table("math", kMath);
  charge_table("coroutine", kCoroutine);
  lua_getfield(L, globals, "cjson");
  charge_json_functions(L, lua_gettop(L));
  lua_pop(L, 1);
}

// What one run needs inside the protected call.
struct RunFrame {
  const std::string* sha;
  const std::vector<std::string>* keys;
  const std::vector<std::string>* argv;
  Reply* result;
};

void push_string_array(lua_State* L, const std::vector<std::string>& items) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  int position = 1;
  for (const std::string& item : items) {
    lua_pushlstring(L, item.data(), item.size());
    lua_rawseti(L, -2, position++);
  }
}

// Runs under lua_pcall: KEYS and ARGV, the script, its result as a reply.
int run_protected(lua_State* L) {
  auto* frame = static_cast<RunFrame*>(lua_touserdata(L, 1));
  lua_getfield(L, LUA_REGISTRYINDEX, kRealGlobals);
  lua_pushliteral(L, "KEYS");
  push_string_array(L, *frame->keys);
  lua_rawset(L, -3);
  lua_pushliteral(L, "ARGV");
  push_string_array(L, *frame->argv);
  lua_rawset(L, -3);
  lua_getfield(L, LUA_REGISTRYINDEX, kScripts);
  lua_getfield(L, -1, frame->sha->c_str());
  lua_call(L, 0, 1);
  *frame->result = reply_from_lua(L);
  return 0;
}

void set_function(lua_State* L, const char* name, lua_CFunction function) {
  lua_pushcfunction(L, function);
  lua_setfield(L, -2, name);
}

void set_number(lua_State* L, const char* name, lua_Number value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, name);
}

void open_library(lua_State* L, lua_CFunction opener) {
  lua_pushcfunction(L, opener);
  lua_call(L, 0, 0);
}

}  // namespace

void lua_charge(lua_State* L, std::uint64_t units) {
  LuaVM& vm = vm_of(L);
  vm.set_running_thread(L);
  vm.count_instructions(units);
  if (vm.over_budget()) raise_killed(L);
}

std::unique_ptr<ScriptVM> make_script_vm(const ScriptLimits& limits) {
  return std::make_unique<LuaVM>(limits);
}

LuaVM::LuaVM(ScriptLimits limits) : limits_(limits) {
  open_state();
}

LuaVM::~LuaVM() {
  if (state_) lua_close(state_);
}

bool LuaVM::hook_fired(lua_State* thread) {
  running_thread_ = thread;
  if (stopped_) return true;
  // This thread's hook fires every lua_gethookcount instructions (a coroutine keeps the
  // count it was made with).
  unchecked_ += lua_gethookcount(thread);
  bool checked = false;
  if (unchecked_ >= kHookEvery) {
    unchecked_ -= kHookEvery;
    count_instructions(kHookEvery);
    if (over_budget()) return true;
    checked = true;
  }
  if (limits_.time_ms == 0) return false;
  const auto now = std::chrono::steady_clock::now();
  if (now >= deadline_) return true;
  if (checked) {
    // Every kHookEvery instructions: were they slow? The hook fires often only while they
    // are (a busy machine that merely paused the script soon goes back to kHookEvery).
    hook_every_ = now - last_check_ > kSlowHook ? kHookEverySlow : kHookEvery;
    last_check_ = now;
  }
  if (lua_gethookcount(thread) != hook_every_)
    lua_sethook(thread, count_hook, LUA_MASKCOUNT, hook_every_);
  return false;
}

void LuaVM::stop(lua_State* thread) {
  stopped_ = true;
  lua_sethook(thread, count_hook, LUA_MASKCOUNT, 1);
  if (thread != state_) lua_sethook(state_, count_hook, LUA_MASKCOUNT, 1);
}

void* LuaVM::allocate(void* block, size_t old_size, size_t new_size) {
  if (new_size == 0) {
    // A coroutine's state is one block: once freed, it is no longer the one running.
    const auto* freed = static_cast<const char*>(block);
    const auto* running = reinterpret_cast<const char*>(running_thread_);
    if (block && running >= freed && running < freed + old_size) running_thread_ = state_;
    std::free(block);
    memory_in_use_ -= block ? old_size : 0;
    return nullptr;
  }
  const size_t before = block ? old_size : 0;
  // Shrinking must never fail (Lua relies on it); growing past the limit does.
  if (new_size > before && memory_in_use_ - before + new_size > limits_.memory) return nullptr;
  if (new_size > before && host_ != nullptr) {
    // Allocating is work too (a concatenation of two long strings is one VM instruction).
    // Nothing may be raised here: once the budget is spent, the running thread's hook stops
    // the script at its next instruction, or the C function allocating stops it on return.
    count_instructions(kAllocationUnits + byte_units(new_size - before));
    if (!stopped_ && over_budget()) stop(running_thread_);
  }
  void* moved = std::realloc(block, new_size);
  if (moved) memory_in_use_ = memory_in_use_ - before + new_size;
  return moved;
}

void LuaVM::open_state() {
  lua_State* L = state_ = lua_newstate(lua_allocate, this);
  if (!L) throw std::bad_alloc();

  // The libraries Redis opens (no io, os, package or debug for scripts).
  open_library(L, luaopen_base);
  open_library(L, luaopen_table);
  open_library(L, luaopen_string);
  open_library(L, luaopen_math);
  lua_pushcfunction(L, luaopen_cjson);
  lua_call(L, 0, 1);
  lua_setglobal(L, "cjson");
  open_library(L, redpad_luaopen_bit);
  open_library(L, redpad_luaopen_struct);
  open_library(L, redpad_luaopen_cmsgpack);

  for (const char* removed : {"print", "dofile", "loadfile", "getfenv", "setfenv", "newproxy"}) {
    lua_pushnil(L);
    lua_setglobal(L, removed);
  }
  lua_getglobal(L, "math");
  set_function(L, "random", math_random);
  set_function(L, "randomseed", math_randomseed);
  lua_pop(L, 1);
  lua_getglobal(L, "string");
  redpad_replace_pattern_functions(L);
  lua_pop(L, 1);
  charge_library_functions(L, LUA_GLOBALSINDEX);

  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kProxies);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kScripts);

  lua_pushvalue(L, LUA_GLOBALSINDEX);
  set_function(L, "rawget", base_rawget);
  set_function(L, "rawset", base_rawset);
  set_function(L, "rawequal", base_rawequal);
  set_function(L, "next", base_next);
  set_function(L, "pairs", base_pairs);
  set_function(L, "getmetatable", base_getmetatable);
  set_function(L, "setmetatable", base_setmetatable);
  set_function(L, "loadstring", base_loadstring);
  set_function(L, "load", base_load);
  set_function(L, "pcall", base_pcall);
  set_function(L, "__redis__err__handler", error_handler);

  lua_newtable(L);  // redis
  set_function(L, "call", redis_call);
  set_function(L, "pcall", redis_pcall);
  set_function(L, "log", redis_log);
  set_function(L, "error_reply", redis_error_reply);
  set_function(L, "status_reply", redis_status_reply);
  set_function(L, "sha1hex", redis_sha1hex);
  set_function(L, "setresp", redis_setresp);
  set_function(L, "set_repl", redis_set_repl);
  set_function(L, "replicate_commands", redis_replicate_commands);
  set_function(L, "breakpoint", redis_breakpoint);
  set_function(L, "debug", redis_debug);
  set_function(L, "acl_check_cmd", redis_acl_check_cmd);
  set_number(L, "LOG_DEBUG", 0);
  set_number(L, "LOG_VERBOSE", 1);
  set_number(L, "LOG_NOTICE", 2);
  set_number(L, "LOG_WARNING", 3);
  set_number(L, "REPL_NONE", 0);
  set_number(L, "REPL_AOF", 1);
  set_number(L, "REPL_SLAVE", 2);
  set_number(L, "REPL_REPLICA", 2);
  set_number(L, "REPL_ALL", 3);
  lua_pushliteral(L, "7.0.15");
  lua_setfield(L, -2, "REDIS_VERSION");
  set_number(L, "REDIS_VERSION_NUM", 0x07000f);
  lua_setfield(L, -2, "redis");

  // Library tables become read-only proxies, strings' metatable too.
  for (const char* name :
       {"redis", "string", "math", "table", "coroutine", "cjson", "bit", "struct", "cmsgpack"}) {
    lua_getfield(L, -1, name);
    make_proxy(L, nullptr);
    lua_setfield(L, -2, name);
  }
  lua_getfield(L, -1, "string");
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushvalue(L, -3);  // the proxy: getmetatable('').__index == string
  lua_setfield(L, -2, "__index");
  make_proxy(L, nullptr);
  lua_setfield(L, LUA_REGISTRYINDEX, kStringMeta);
  lua_pop(L, 2);

  // The globals themselves: scripts (and what loadstring compiles) see _G's proxy.
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kRealGlobals);
  lua_pushvalue(L, -1);
  make_proxy(L, read_global);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "_G");
  lua_replace(L, LUA_GLOBALSINDEX);
  lua_pop(L, 1);
}

void LuaVM::flush() {
  lua_close(state_);
  state_ = nullptr;
  memory_in_use_ = 0;
  open_state();
}

std::string LuaVM::compile(const std::string& sha, const std::string& body) {
  lua_State* L = state_;
  lua_getfield(L, LUA_REGISTRYINDEX, kScripts);
  lua_getfield(L, -1, sha.c_str());
  const bool known = lua_isfunction(L, -1);
  lua_pop(L, 1);
  std::string error;
  if (!known) {
    if (!body.empty() && body[0] == LUA_SIGNATURE[0]) {
      // As the parser would see that byte in text; binary chunks are never loaded.
      error = "user_script:1: unexpected symbol near 'char(27)'";
    } else if (luaL_loadbuffer(L, body.data(), body.size(), "@user_script") != 0) {
      error = lua_tostring(L, -1);
      lua_pop(L, 1);
    } else {
      lua_setfield(L, -2, sha.c_str());
    }
  }
  lua_pop(L, 1);
  return error.empty() ? error : "ERR Error compiling script (new function): " + error;
}

Reply LuaVM::run(const std::string& sha, const std::vector<std::string>& keys,
                 const std::vector<std::string>& argv, ScriptHost& host) {
  lua_State* L = state_;
  host_ = &host;
  running_thread_ = L;
  instructions_ = calls_ = 0;
  stopped_ = false;
  hook_every_ = kHookEvery;
  unchecked_ = 0;
  last_check_ = std::chrono::steady_clock::now();
  deadline_ = last_check_ + std::chrono::milliseconds(limits_.time_ms);
  Reply result;
  RunFrame frame{&sha, &keys, &argv, &result};
  lua_settop(L, 0);
  lua_pushcfunction(L, error_handler);
  lua_pushcfunction(L, run_protected);
  lua_pushlightuserdata(L, &frame);
  lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookEvery);
  const int status = lua_pcall(L, 1, 0, 1);
  lua_sethook(L, nullptr, 0, 0);
  host_ = nullptr;
  running_thread_ = nullptr;

  if (status == LUA_ERRMEM) {
    result = script_out_of_memory_error(limits_.memory >> 20);
  } else if (status != 0) {
    std::string message = "ERR unknown error";
    if (lua_istable(L, -1)) {
      size_t length = 0;
      if (const char* err = string_field(L, "err", length)) message = one_line(err, length);
      message += " script: " + sha;
      if (const char* source = string_field(L, "source", length)) {
        lua_getfield(L, -1, "line");
        message += ", on " + std::string(source, length) + ":" +
                   std::to_string(lua_tointeger(L, -1)) + ".";
        lua_pop(L, 1);
      }
    }
    result = Reply::error(std::move(message));
  } else if (stopped_) {
    result = Reply::error(std::string(kKilled) + " script: " + sha);
  }
  lua_settop(L, 0);
  return result;
}

}  // namespace redpad
