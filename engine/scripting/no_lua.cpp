// The script engine of a build without Lua: none. EVAL answers that scripts need the
// engine with Lua (the page switches to it before running a script: docs/scripting.md).
#include "lua_vm.h"

namespace redpad {

std::unique_ptr<ScriptVM> make_script_vm(const ScriptLimits&) {
  return nullptr;
}

}  // namespace redpad
