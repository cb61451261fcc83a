#include "console.h"

#include <algorithm>
#include <cstdio>

#include "ascii.h"
#include "reply_cli.h"

namespace redpad {

namespace {

// redis-cli's command groups, in the order its help knows them.
const char* const kHelpGroups[] = {"generic",    "string", "list",      "set",
                                   "sorted-set", "hash",   "pubsub",    "transactions",
                                   "connection", "server", "scripting", "hyperloglog",
                                   "cluster",    "geo",    "stream",    "bitmap"};

Reply help_entry(const CommandSpec& spec) {
  return Reply::array({Reply::bulk(spec.display_name()), Reply::bulk(spec.doc->syntax),
                       Reply::bulk(spec.doc->summary), Reply::bulk(spec.doc->since),
                       Reply::bulk(spec.doc->group)});
}

// SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE (the length test first: this runs for every line).
bool names_subscribe(const std::string& name) {
  if (name.size() != 9 && name.size() != 10) return false;
  if (!iequals(std::string_view(name).substr(name.size() - 9), "subscribe")) return false;
  return name.size() == 9 || name[0] == 'p' || name[0] == 'P' || name[0] == 's' || name[0] == 'S';
}

std::string timing_line(std::int64_t elapsed_ms) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "(%.2fs)\n", static_cast<double>(elapsed_ms) / 1000);
  return buffer;
}

}  // namespace

Reply help_reply(const CommandTable& table, const std::vector<std::string>& topic) {
  Reply reply;
  reply.type = ReplyType::Help;
  if (topic.empty()) {
    reply.integer = static_cast<long long>(HelpKind::Intro);
    return reply;
  }
  std::vector<const CommandSpec*> specs;
  for (const CommandSpec& spec : table.all()) {
    if (spec.doc) specs.push_back(&spec);
    for (const CommandSpec& sub : spec.subcommands) {
      if (sub.doc) specs.push_back(&sub);
    }
  }
  std::sort(specs.begin(), specs.end(), [](const CommandSpec* a, const CommandSpec* b) {
    return a->display_name() < b->display_name();
  });

  const std::string* group = nullptr;
  if (topic[0].size() > 1 && topic[0][0] == '@') {
    for (const char* name : kHelpGroups) {
      if (iequals(topic[0].substr(1), name)) group = &topic[0];
    }
  }
  reply.integer = static_cast<long long>(group ? HelpKind::Group : HelpKind::Commands);
  for (const CommandSpec* spec : specs) {
    if (group) {
      if (iequals(group->substr(1), spec->doc->group)) reply.elements.push_back(help_entry(*spec));
      continue;
    }
    // Every word given must match the entry's words ("help object encoding").
    std::vector<std::string> words;
    const std::string name = spec->display_name();
    for (size_t start = 0; start <= name.size();) {
      size_t space = name.find(' ', start);
      if (space == std::string::npos) space = name.size();
      words.push_back(name.substr(start, space - start));
      start = space + 1;
    }
    if (topic.size() > words.size()) continue;
    bool all_match = true;
    for (size_t i = 0; i < topic.size(); ++i)
      all_match = all_match && iequals(topic[i], words[i]);
    if (all_match) reply.elements.push_back(help_entry(*spec));
  }
  return reply;
}

ConsoleResult Console::run(ScriptLine line) {
  ConsoleResult result;
  run(line, result);
  return result;
}

void Console::run(ScriptLine& line, ConsoleResult& result) {
  result.kind = ConsoleResult::Kind::Replies;
  result.line_number = line.line_number;
  result.prompt = prompt_state();
  // Swapped: the line gets the result's old buffers, which the parser fills next.
  result.text.swap(line.text);
  result.args.swap(line.args);
  result.replies.clear();
  result.elapsed_ms = 0;
  result.display.clear();
  result.commands_exhausted = false;
  result.replies_not_kept = 0;
  result.repeats_left = 0;
  switch (line.kind) {
    case ScriptLine::Kind::InvalidArguments:
      result.kind = ConsoleResult::Kind::InvalidLine;
      result.display = std::string(kInvalidArgumentsText) + "\n";
      return;
    case ScriptLine::Kind::InvalidRepeat:
      result.kind = ConsoleResult::Kind::InvalidLine;
      result.display = std::string(kInvalidRepeatText) + "\n";
      return;
    case ScriptLine::Kind::ClientSwitch:  // a host running several clients handles these
    case ScriptLine::Kind::InvalidClientSwitch:
      result.kind = ConsoleResult::Kind::InvalidLine;
      result.display = std::string(kInvalidClientSwitchText) + "\n";
      return;
    case ScriptLine::Kind::Command:
      break;
  }
  const std::string& name = result.args[0];
  if (iequals(name, "quit") || iequals(name, "exit")) {
    result.kind = ConsoleResult::Kind::Quit;
    return;
  }
  if (result.args.size() == 1 && iequals(name, "clear")) {
    result.kind = ConsoleResult::Kind::ClearScreen;
    result.display = "\x1b[H\x1b[2J";
    return;
  }
  if (iequals(name, "help") || name == "?") {  // redis-cli answers help itself, once
    result.kind = ConsoleResult::Kind::Help;
    Reply help = help_reply(server_.commands(), {result.args.begin() + 1, result.args.end()});
    result.display = format_reply_cli(help, false, ansi_);
    result.replies.push_back(std::move(help));
    return;
  }
  const std::int64_t started = server_.clock().now_ms();
  const bool raw = cli_prints_raw(result.args);
  // redis-cli 7.0 says so before the answer to a SUBSCRIBE (and then only prints messages;
  // redpad goes on sending the client's lines, so the server's answers show).
  if (!session_.subscribed() && names_subscribe(name)) {
    result.display += "Reading messages... (press Ctrl-C to quit)\n";
  }
  for (long i = 0; i < line.repeat; ++i) {
    if (budget_->commands_left == 0) {
      result.commands_exhausted = true;
      break;
    }
    --budget_->commands_left;
    Reply reply = server_.execute(session_, result.args);
    if (reply.is_blocked()) {
      result.kind = ConsoleResult::Kind::Blocked;
      result.repeats_left = line.repeat - i - 1;
      blocked_line_.line_number = result.line_number;
      blocked_line_.text = result.text;
      blocked_line_.args = result.args;
      return;
    }
    const size_t kept = result.display.size();
    append_reply_cli(result.display, reply, raw, ansi_);
    const size_t added = result.display.size() - kept;
    if (added > budget_->output_left) {
      result.display.resize(kept);
      budget_->output_left = 0;
      ++result.replies_not_kept;
      continue;
    }
    budget_->output_left -= added;
    if (reply.type == ReplyType::Several) {
      for (Reply& each : reply.elements)
        result.replies.push_back(std::move(each));
    } else {
      result.replies.push_back(std::move(reply));
    }
  }
  result.elapsed_ms = server_.clock().now_ms() - started;
  if (result.elapsed_ms >= 500) result.display += timing_line(result.elapsed_ms);
}

void Console::show_answer(const Delivery& delivery, ConsoleResult& result) {
  result.kind = ConsoleResult::Kind::Replies;
  result.line_number = blocked_line_.line_number;
  result.prompt = prompt_state();
  result.text = blocked_line_.text;
  result.args = blocked_line_.args;
  result.replies.clear();
  result.display.clear();
  result.commands_exhausted = false;
  result.replies_not_kept = 0;
  result.repeats_left = 0;
  result.elapsed_ms = server_.clock().now_ms() - delivery.command.since_ms;
  append_reply_cli(result.display, delivery.reply, cli_prints_raw(result.args), ansi_);
  if (result.elapsed_ms >= 500) result.display += timing_line(result.elapsed_ms);
  result.replies.push_back(delivery.reply);
}

void Console::show_message(const Delivery& delivery, ConsoleResult& result) {
  result.kind = ConsoleResult::Kind::Replies;
  result.line_number = 0;
  result.prompt = prompt_state();
  result.text.clear();
  result.args.clear();
  result.replies.clear();
  result.display.clear();
  result.commands_exhausted = false;
  result.replies_not_kept = 0;
  result.repeats_left = 0;
  result.elapsed_ms = 0;
  append_reply_cli(result.display, delivery.reply, false, ansi_);
  result.replies.push_back(delivery.reply);
}

std::string Console::prompt() const {
  const PromptState state = prompt_state();
  std::string prompt = "redpad";
  if (state.db != 0) prompt += "[" + std::to_string(state.db) + "]";
  if (state.in_multi) prompt += "(TX)";
  return prompt + "> ";
}

}  // namespace redpad
