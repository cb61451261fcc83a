// Lua 5.1 for EVAL, set up as Redis 7.0 sets up its own: the libraries a script can reach,
// read-only globals, the redis table, Redis's conversions between Lua values and replies,
// its error texts, math.random as rand48, and an instruction budget that stops a script
// that never ends. The only file that includes <lua.hpp> besides Redis's extra libraries.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../reply.h"

struct lua_State;

namespace redpad {

// What a script asks of the server: the commands of redis.call and redis.pcall.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // Runs a command for the script. Refusals and the command's own errors are error replies
  // (never exceptions); the VM raises them (redis.call) or returns them (redis.pcall).
  virtual Reply call(const std::vector<std::string>& args) = 0;
  // redis.acl_check_cmd: whether the command exists (redpad has no ACL users).
  virtual bool command_exists(const std::vector<std::string>& args) = 0;
};

struct ScriptLimits {
  // Lua VM instructions a script may run, a redis.call counting as call_cost of them, before
  // it is stopped. Counted, not timed, so a script always stops at the same point; about a
  // second in the page (docs/scripting.md, "Limits"). Work done in C (libraries, string
  // patterns, allocations) is charged in the same units (scripting/lua_libraries.h).
  std::uint64_t instructions = 100'000'000;
  std::uint64_t call_cost = 1000;
  // Bytes the Lua state may hold (tables, strings) before allocations fail.
  std::size_t memory = 64u << 20;
  // A net for the work no charge can see (Lua's VM comparing or concatenating long strings:
  // docs/scripting.md, "Known gaps"): a script still running after this many milliseconds of
  // real time is stopped as if its budget had run out. Far beyond the time the budget allows
  // on any machine, so it never decides where a budgeted script stops. 0: none.
  std::uint64_t time_ms = 60'000;
};

// What the server asks of a script engine. The engine library only knows this interface:
// the WebAssembly page first loads an engine without Lua (scripting/no_lua.cpp) and switches
// to one with it when a script first runs (docs/scripting.md).
class ScriptVM {
 public:
  virtual ~ScriptVM() = default;
  // Compiles `body` as the script `sha` unless already compiled. Empty on success, else
  // Redis's "ERR Error compiling script (new function): ..." text.
  virtual std::string compile(const std::string& sha, const std::string& body) = 0;
  // Runs a compiled script with its KEYS and ARGV; its result (or error) as EVAL's reply.
  virtual Reply run(const std::string& sha, const std::vector<std::string>& keys,
                    const std::vector<std::string>& argv, ScriptHost& host) = 0;
  // SCRIPT FLUSH: a new Lua state. The random generator's state carries on, as Redis's does.
  virtual void flush() = 0;
};

// The script engine linked in: Lua (lua_vm.cpp), or none (no_lua.cpp: null).
std::unique_ptr<ScriptVM> make_script_vm(const ScriptLimits& limits);

class LuaVM final : public ScriptVM {
 public:
  explicit LuaVM(ScriptLimits limits = {});
  ~LuaVM() override;
  LuaVM(const LuaVM&) = delete;
  LuaVM& operator=(const LuaVM&) = delete;

  std::string compile(const std::string& sha, const std::string& body) override;
  Reply run(const std::string& sha, const std::vector<std::string>& keys,
            const std::vector<std::string>& argv, ScriptHost& host) override;
  void flush() override;

  // ---- used by the C functions the state calls back (lua_vm.cpp) ----
  ScriptHost* host() { return host_; }
  // Adds instructions or units of C work (saturating: a charge may be huge, 2^60 bytes).
  void count_instructions(std::uint64_t count) {
    instructions_ = count > UINT64_MAX - instructions_ ? UINT64_MAX : instructions_ + count;
  }
  void count_call() { calls_ += 1; }
  bool over_budget() const {
    return instructions_ > limits_.instructions ||
           calls_ * limits_.call_cost > limits_.instructions - instructions_;
  }
  std::uint64_t& rand48_state() { return rand48_; }
  // The run (the last one, after it) was stopped by the budget.
  bool stopped() const { return stopped_; }
  // Marks the run stopped and makes the count hook fire at every instruction of `thread` and
  // of the main thread, so the stop is raised at the next one.
  void stop(lua_State* thread);
  std::size_t memory_in_use() const { return memory_in_use_; }
  // The Lua thread running now (the main one, or a coroutine): an allocation that spends the
  // budget arms its hook. Kept up to date by the hook, the charged C functions and resumes.
  void set_running_thread(lua_State* thread) { running_thread_ = thread; }
  // The count hook fired on `thread`: counts the instructions run since it last fired and
  // says whether the script must stop now (budget, time limit, or stopped already).
  bool hook_fired(lua_State* thread);
  void* allocate(void* block, std::size_t old_size, std::size_t new_size);

 private:
  void open_state();

  ScriptLimits limits_;
  lua_State* state_ = nullptr;
  ScriptHost* host_ = nullptr;
  std::uint64_t instructions_ = 0;
  std::uint64_t calls_ = 0;
  bool stopped_ = false;
  lua_State* running_thread_ = nullptr;
  // The count hook: how many instructions apart it fires (kHookEvery; fewer while they are
  // slow), the instructions run since the budget was last checked (always at the same
  // instructions, however often it fires), the time limit, and when the budget was last
  // checked.
  int hook_every_ = 0;
  int unchecked_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  std::chrono::steady_clock::time_point last_check_;
  std::size_t memory_in_use_ = 0;
  // rand48's 48 bits; Redis starts them at 0x1234ABCD330E.
  std::uint64_t rand48_ = 0x1234ABCD330EULL;
};

}  // namespace redpad
