// The command table's one source: Redis's own metadata (engine/redis_commands.inc, captured
// from redis-server 7.0.15) joined with the group files' name -> handler rows.
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "command_table.h"
#include "test_helpers.h"

using redpad::builtin_command_table;
using redpad::CommandRow;
using redpad::CommandSpec;
using redpad::find_redis_command;
using redpad::redis_commands;
using redpad::RedisCommand;
using namespace redpad::test;

namespace {

std::vector<CommandRow> all_rows() {
  std::vector<CommandRow> rows;
  for (auto group_rows :
       {redpad::string_command_rows, redpad::generic_command_rows, redpad::server_command_rows,
        redpad::transaction_command_rows, redpad::list_command_rows, redpad::hash_command_rows,
        redpad::set_command_rows, redpad::zset_command_rows, redpad::bitmap_command_rows,
        redpad::hyperloglog_command_rows, redpad::stream_command_rows,
        redpad::connection_command_rows, redpad::admin_command_rows, redpad::pubsub_command_rows,
        redpad::sort_command_rows, redpad::geo_command_rows, redpad::scripting_command_rows}) {
    for (const CommandRow& row : group_rows())
      rows.push_back(row);
  }
  return rows;
}

const CommandSpec& spec(std::string_view name) {
  const size_t bar = name.find('|');
  const CommandSpec* found = builtin_command_table().find(name.substr(0, bar));
  if (found && bar != std::string_view::npos) found = found->find_subcommand(name.substr(bar + 1));
  REQUIRE_MESSAGE(found, "not implemented: ", std::string(name));
  return *found;
}

}  // namespace

TEST_CASE("Redis's table holds its 240 commands and their subcommands, each found by name") {
  size_t top_level = 0;
  for (const RedisCommand& command : redis_commands()) {
    const std::string_view name = command.name;
    CHECK(find_redis_command(name) == &command);
    const size_t bar = name.find('|');
    if (bar == std::string_view::npos) {
      ++top_level;
      continue;
    }
    const RedisCommand* container = find_redis_command(name.substr(0, bar));
    REQUIRE_MESSAGE(container, "no container for ", command.name);
    CHECK(redpad::has_redis_subcommands(*container));
  }
  CHECK(top_level == 240);
  CHECK(redis_commands().size() == 366);
  CHECK_FALSE(redpad::has_redis_subcommands(*find_redis_command("get")));
  CHECK(find_redis_command("GET") == nullptr);  // lower case only
  CHECK(find_redis_command("acl|nosuch") == nullptr);
}

TEST_CASE("every row names a Redis command, once, and the table holds them all") {
  std::set<std::string> names;
  size_t implied_containers = 0;
  for (const CommandRow& row : all_rows()) {
    CHECK_MESSAGE(find_redis_command(row.name), "not a Redis command: ", row.name);
    CHECK_MESSAGE(names.insert(row.name).second, "listed twice: ", row.name);
    CHECK((row.handler != nullptr));
    const std::string name = row.name;
    const size_t bar = name.find('|');
    if (bar != std::string::npos && names.insert(name.substr(0, bar)).second) ++implied_containers;
  }
  size_t specs = 0;
  for (const CommandSpec& command : builtin_command_table().all())
    specs += 1 + command.subcommands.size();
  CHECK(specs == names.size());
  CHECK(implied_containers > 0);
}

TEST_CASE("an implemented command has Redis's arity and flags, plus its row's own") {
  std::set<std::string> transaction_control;
  for (const CommandRow& row : all_rows()) {
    const CommandSpec& command = spec(row.name);
    CHECK(command.doc == find_redis_command(row.name));
    CHECK(command.arity == command.doc->arity);
    CHECK(command.flags == (command.doc->flags | row.extra_flags));
    CHECK((row.extra_flags & ~redpad::kTransactionControl) == 0);
    if (row.extra_flags) transaction_control.insert(row.name);
  }
  // What runs at once inside MULTI: Redis's processCommand names these, and SAVE refuses
  // itself there (Redis's no-multi). Not a Redis flag, so the rows say it.
  CHECK(transaction_control ==
        std::set<std::string>{"discard", "exec", "multi", "quit", "reset", "save", "watch"});
}

TEST_CASE("the flags the engine acts on come out as Redis reports them") {
  using namespace redpad;
  CHECK(spec("set").has(kWrite));
  CHECK(spec("set").has(kDenyOom));
  CHECK_FALSE(spec("get").has(kWrite));
  CHECK(spec("get").has(kReadonly));
  CHECK(spec("get").has(kFast));
  CHECK_FALSE(spec("del").has(kDenyOom));
  CHECK(spec("blpop").has(kNoScript));
  CHECK(spec("blpop").has(kBlocking));
  CHECK_FALSE(spec("blmpop").has(kNoScript));
  CHECK(spec("acl|deluser").has(kAdmin));
  CHECK(spec("acl|deluser").has(kNoScript));
  CHECK_FALSE(spec("acl|help").has(kNoScript));
  CHECK(spec("publish").has(kPubsub));
  CHECK_FALSE(spec("publish").has(kWrite));
  CHECK(spec("save").has(kNoMulti));
  CHECK(spec("unwatch").has(kAllowBusy));
  CHECK_FALSE(spec("unwatch").has(kTransactionControl));
  CHECK(spec("exec").has(kSkipSlowlog));
  CHECK(spec("auth").has(kNoAuth));
  CHECK(spec("set").arity == -3);
  CHECK(spec("object|encoding").arity == 3);
  CHECK(spec("object").arity == -2);
  CHECK((spec("object").handler == nullptr));
  CHECK(spec("acl|cat").doc->acl_categories == kCatSlow);
  CHECK(spec("get").doc->acl_categories == (kCatRead | kCatString | kCatFast));
}

TEST_CASE("commands only real Redis has stay unknown here, but ACL knows them") {
  Server server(config());
  CHECK(find_redis_command("monitor") != nullptr);
  CHECK(builtin_command_table().find("monitor") == nullptr);
  CHECK(cli(server, "MONITOR") ==
        "(error) ERR unknown command 'MONITOR', with args beginning with: \n");
  CHECK(cli(server, "OBJECT IDLETIME k") ==
        "(error) ERR unknown subcommand 'IDLETIME'. Try OBJECT HELP.\n");
  CHECK(cli(server, "ACL DRYRUN default MONITOR") == "OK\n");
  CHECK(cli(server, "ACL DRYRUN default OBJECT IDLETIME k") == "OK\n");
  CHECK(cli(server, "ACL DRYRUN default MONITOR x") ==
        "(error) ERR wrong number of arguments for 'monitor' command\n");
}
