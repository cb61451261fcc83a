#include "command_table.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "ascii.h"

namespace redpad {

std::string CommandSpec::display_name() const {
  std::string shown = ascii_upper(name);
  std::replace(shown.begin(), shown.end(), '|', ' ');
  return shown;
}

const CommandSpec* CommandSpec::find_subcommand(std::string_view sub) const {
  for (const CommandSpec& candidate : subcommands) {
    const std::string_view own = std::string_view(candidate.name).substr(name.size() + 1);
    if (iequals(own, sub)) return &candidate;
  }
  return nullptr;
}

namespace {

CommandSpec spec_for(const RedisCommand& redis, CommandHandler handler, std::uint32_t extra_flags) {
  CommandSpec spec;
  spec.name = redis.name;
  spec.arity = redis.arity;
  spec.flags = redis.flags | extra_flags;
  spec.handler = handler;
  spec.doc = &redis;
  return spec;
}

// The order of redis_commands.inc: by (command, subcommand), so a container comes just
// before its subcommands ("acl", "acl|cat", ..., "acl|whoami", "append").
bool listed_before(std::string_view a, std::string_view b) {
  auto split = [](std::string_view name) {
    const size_t bar = name.find('|');
    return bar == std::string_view::npos
               ? std::make_pair(name, std::string_view())
               : std::make_pair(name.substr(0, bar), name.substr(bar + 1));
  };
  return split(a) < split(b);
}

}  // namespace

void CommandTable::add(const CommandRow& row) {
  const RedisCommand* redis = find_redis_command(row.name);
  if (!redis) return;
  const std::string_view name = redis->name;
  const size_t bar = name.find('|');
  if (bar == std::string_view::npos) {
    index_.try_emplace(redis->name).first->second = commands_.size();
    commands_.push_back(spec_for(*redis, row.handler, row.extra_flags));
    return;
  }
  // A subcommand hangs off its container, which its first subcommand brings in.
  const std::string_view parent = name.substr(0, bar);
  if (!index_.find(parent)) add(CommandRow{find_redis_command(parent)->name, nullptr});
  commands_[index_.find(parent)->second].subcommands.push_back(
      spec_for(*redis, row.handler, row.extra_flags));
}

void CommandTable::add_all(const std::vector<CommandRow>& rows) {
  for (const CommandRow& row : rows)
    add(row);
}

const CommandSpec* CommandTable::find(std::string_view name) const {
  // Lower-cased on the stack: this runs before every command. (No name is this long.)
  char lower[32];
  if (name.size() > sizeof lower) return nullptr;
  for (size_t i = 0; i < name.size(); ++i)
    lower[i] =
        static_cast<char>(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + ('a' - 'A') : name[i]);
  const auto* found = index_.find(std::string_view(lower, name.size()));
  return found ? &commands_[found->second] : nullptr;
}

constexpr RedisCommand kRedisCommands[] = {
#include "redis_commands.inc"
};

RedisCommandList redis_commands() {
  return {std::begin(kRedisCommands), std::end(kRedisCommands)};
}

const RedisCommand* find_redis_command(std::string_view name) {
  const RedisCommand* found =
      std::lower_bound(std::begin(kRedisCommands), std::end(kRedisCommands), name,
                       [](const RedisCommand& command, std::string_view wanted) {
                         return listed_before(command.name, wanted);
                       });
  return found != std::end(kRedisCommands) && found->name == name ? found : nullptr;
}

bool has_redis_subcommands(const RedisCommand& command) {
  const RedisCommand* next = &command + 1;
  if (next == std::end(kRedisCommands)) return false;
  const std::string_view name = command.name;
  const std::string_view candidate = next->name;
  return candidate.size() > name.size() && candidate.compare(0, name.size(), name) == 0 &&
         candidate[name.size()] == '|';
}

const CommandTable& builtin_command_table() {
  static const CommandTable table = [] {
    CommandTable t;
    t.add_all(string_command_rows());
    t.add_all(generic_command_rows());
    t.add_all(server_command_rows());
    t.add_all(transaction_command_rows());
    t.add_all(list_command_rows());
    t.add_all(hash_command_rows());
    t.add_all(set_command_rows());
    t.add_all(zset_command_rows());
    t.add_all(bitmap_command_rows());
    t.add_all(hyperloglog_command_rows());
    t.add_all(stream_command_rows());
    t.add_all(connection_command_rows());
    t.add_all(admin_command_rows());
    t.add_all(pubsub_command_rows());
    t.add_all(sort_command_rows());
    t.add_all(geo_command_rows());
    t.add_all(scripting_command_rows());
    return t;
  }();
  return table;
}

}  // namespace redpad
