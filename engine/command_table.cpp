#include "command_table.h"

#include <algorithm>
#include <cstring>

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

void CommandTable::add(const CommandRow& row) {
  CommandSpec spec;
  spec.name = row.name;
  spec.arity = row.arity;
  spec.flags = row.flags;
  spec.handler = row.handler;
  spec.doc = find_command_doc(row.name);
  const size_t bar = spec.name.find('|');
  if (bar == std::string::npos) {
    index_.try_emplace(spec.name).first->second = commands_.size();
    commands_.push_back(std::move(spec));
    return;
  }
  // A subcommand hangs off its container, which its group file lists first.
  const auto* parent = index_.find(std::string_view(spec.name).substr(0, bar));
  if (parent) commands_[parent->second].subcommands.push_back(std::move(spec));
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

const std::vector<CommandDoc>& all_command_docs() {
  static const std::vector<CommandDoc> docs = {
#include "command_docs.inc"
  };
  return docs;
}

const CommandDoc* find_command_doc(std::string_view name) {
  const auto& docs = all_command_docs();
  auto it = std::lower_bound(
      docs.begin(), docs.end(), name,
      [](const CommandDoc& doc, std::string_view n) { return std::string_view(doc.name) < n; });
  return it != docs.end() && std::string_view(it->name) == name ? &*it : nullptr;
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
