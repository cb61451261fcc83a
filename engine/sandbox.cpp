#include "sandbox.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "ascii.h"
#include "reply_cli.h"
#include "reply_json.h"

namespace redpad {

namespace {

using nlohmann::json;

// An entry's one `kind` (web/engine/contract.schema.json lists them): what the run event
// was and, for a line, what its console made of it.
const char* entry_kind(const RunEvent& event) {
  switch (event.kind) {
    case RunEvent::Kind::Blocked:
      return "blocked";
    case RunEvent::Kind::Answer:
      return "blocked_reply";
    case RunEvent::Kind::Message:
      return "message";
    case RunEvent::Kind::NotRun:
      return "not_run";
    case RunEvent::Kind::Line:
      break;
  }
  switch (event.result->kind) {
    case ConsoleResult::Kind::Replies:
      return "command_reply";
    case ConsoleResult::Kind::Help:
      return "help";
    case ConsoleResult::Kind::InvalidLine:
      return "invalid";
    case ConsoleResult::Kind::ClearScreen:
      return "clear";
    case ConsoleResult::Kind::Quit:
      return "quit";
    case ConsoleResult::Kind::Blocked:
      return "blocked";
  }
  return "command_reply";
}

// The command a line sent as the server's table names it ("set", "object|encoding"), or
// null when nothing reached the server's table (help, quit, an unknown command, a message).
json resolved_command(const RunEvent& event, const CommandTable& table) {
  const char* kind = entry_kind(event);
  const bool sent = std::strcmp(kind, "command_reply") == 0 || std::strcmp(kind, "blocked") == 0 ||
                    std::strcmp(kind, "blocked_reply") == 0;
  const std::vector<std::string>& args = event.result->args;
  if (!sent || args.empty()) return nullptr;
  const CommandSpec* spec = table.find(args[0]);
  if (!spec) return nullptr;
  if (args.size() > 1) {
    if (const CommandSpec* sub = spec->find_subcommand(args[1])) return sub->name;
  }
  return spec->name;
}

// The prompt state an entry carries. Every client speaks RESP2 until HELLO comes.
json prompt_json(const PromptState& prompt) {
  return {{"db", prompt.db}, {"in_multi", prompt.in_multi}, {"protocol", "resp2"}};
}

const char* cause_word(Delivery::Cause cause) {
  switch (cause) {
    case Delivery::Cause::Served:
      return "served";
    case Delivery::Cause::Timeout:
      return "timeout";
    case Delivery::Cause::Unblocked:
      return "unblocked";
    case Delivery::Cause::Message:
      return "message";
  }
  return "served";
}

std::string trim_display(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

constexpr size_t kMaxTranscript = 20000;
constexpr size_t kPreviewItems = 5;
constexpr size_t kPreviewStringBytes = 64;

// A short quoted text, as redis-cli would show it, cut after kPreviewStringBytes.
std::string shown(const std::string& bytes) {
  if (bytes.size() <= kPreviewStringBytes) return quote_bulk_cli(bytes);
  return quote_bulk_cli(bytes.substr(0, kPreviewStringBytes)) + "...";
}

// The inspector's lines for a value: "\"a\"" for elements, "\"field\": \"value\"" for
// hashes, "\"member\" (score)" for sorted sets, "1-0 field value" for streams.
json preview_of(const Value& value) {
  json items = json::array();
  if (value.type == ValueType::String) {
    items.push_back(shown(value.str));
    return items;
  }
  if (!value.aggregate) return items;
  const std::vector<std::string> raw = value.aggregate->preview_items(kPreviewItems);
  const bool paired = value.type == ValueType::Hash || value.type == ValueType::ZSet ||
                      value.type == ValueType::Stream;
  if (!paired) {
    for (const std::string& item : raw)
      items.push_back(shown(item));
    return items;
  }
  for (size_t i = 0; i + 1 < raw.size(); i += 2) {
    if (value.type == ValueType::Hash) items.push_back(shown(raw[i]) + ": " + shown(raw[i + 1]));
    if (value.type == ValueType::ZSet) items.push_back(shown(raw[i]) + " (" + raw[i + 1] + ")");
    if (value.type == ValueType::Stream)
      items.push_back(raw[i] + " " + raw[i + 1].substr(0, kPreviewStringBytes));
  }
  return items;
}

// Turns a run's events into the JSON entries the page reads, and the commands into the
// transcript checks read.
class EventRecorder {
 public:
  EventRecorder(const RunLimits& limits, bool ansi, Server& server, Transcript& transcript)
      : limits_(limits),
        ansi_(ansi),
        commands_(server.commands()),
        scripts_(server.scripts()),
        transcript_(transcript) {}

  void add(const RunEvent& event) {
    ConsoleResult& result = *event.result;
    if (result.replies_not_kept > 0 && output_cut_.is_null()) {
      output_cut_ = {{"limit_bytes", limits_.max_output_bytes}, {"from_line", result.line_number}};
    }
    replies_not_kept_ += result.replies_not_kept;
    if (result.commands_exhausted) {
      // cut_short: the line ran some of its repeats ("3 INCR n") before the budget ran out.
      const bool ran_partly = !result.replies.empty() || result.replies_not_kept > 0;
      stopped_ = {{"reason", "max_commands"},
                  {"limit", limits_.max_commands},
                  {"line", result.line_number},
                  {"cut_short", ran_partly}};
      if (!ran_partly) return;  // nothing ran
    }
    bool failed = result.kind == ConsoleResult::Kind::InvalidLine;
    for (const Reply& reply : result.replies)
      failed = failed || reply.is_error();
    const bool command_ran =
        event.kind == RunEvent::Kind::Answer ||
        (event.kind == RunEvent::Kind::Line && result.kind == ConsoleResult::Kind::Replies);
    if (limits_.record && command_ran) record_replies(result, *event.client);
    if (limits_.record && event.kind == RunEvent::Kind::Line &&
        result.kind == ConsoleResult::Kind::InvalidLine) {
      transcript_.record_refused(
          {result.line_number, {}, trim_display(result.display), true, *event.client, ""});
    }
    if (results_.size() >= limits_.max_results) {
      ++omitted_results_;
      omitted_errors_ += failed ? 1 : 0;
      return;
    }
    json replies = json::array();
    for (const Reply& reply : result.replies)
      replies.push_back(reply_to_json(reply));
    json entry = {
        {"line", event.kind == RunEvent::Kind::Message ? event.source_line : result.line_number},
        {"client", *event.client},
        {"prompt", prompt_json(result.prompt)},
        {"text", std::move(result.text)},
        {"command", resolved_command(event, commands_)},
        {"kind", entry_kind(event)},
        {"replies", std::move(replies)},
        {"display", std::move(result.display)},
        {"replies_not_kept", result.replies_not_kept},
        {"elapsed_ms", result.elapsed_ms},
        {"error", failed}};
    if (event.kind == RunEvent::Kind::Answer) entry["cause"] = cause_word(event.cause);
    if (event.kind == RunEvent::Kind::NotRun) {
      entry["reason"] = "the client was still blocked, with no timeout, when the script ended";
    }
    results_.push_back(std::move(entry));
  }

  json finish(const Server& server, const ScriptRunner& runner, std::uint64_t commands_run) {
    if (!output_cut_.is_null()) output_cut_["replies_not_kept"] = replies_not_kept_;
    json clients = json::array();
    for (const auto& client : runner.clients()) {
      const ClientSession& session = *client->session;
      json blocked = nullptr;
      if (session.blocked) {
        const ConsoleResult& line = client->console->blocked_line();
        blocked = {{"line", line.line_number},
                   {"text", line.text},
                   {"since_ms", session.blocked->since_ms},
                   {"timeout_at_ms", session.blocked->timeout_at_ms}};
      }
      clients.push_back({{"name", client->name},
                         {"id", session.id},
                         {"db", session.db},
                         {"in_multi", session.in_multi},
                         {"subscriptions", session.channels.size() + session.patterns.size() +
                                               session.shard_channels.size()},
                         {"watching", !session.watched.empty()},
                         {"blocked", std::move(blocked)}});
    }
    const ClientSession& main = server.default_session();
    return {{"results", std::move(results_)},
            {"omitted_results", omitted_results_},
            {"omitted_errors", omitted_errors_},
            {"commands_run", commands_run},
            {"stopped", std::move(stopped_)},
            {"output_cut", std::move(output_cut_)},
            {"db", main.db},
            {"in_multi", main.in_multi},
            {"now_ms", server.clock().now_ms()},
            {"multi_client", runner.clients().size() > 1},
            {"clients", std::move(clients)}};
  }

 private:
  void record_replies(const ConsoleResult& result, const std::string& client) {
    const bool raw = cli_prints_raw(result.args);
    // The display is the reply's own text when it holds one reply and nothing else (no
    // timing line, no colours, no "Reading messages..." before a SUBSCRIBE's answer).
    const bool display_is_reply = result.replies.size() == 1 && result.elapsed_ms < 500 && !ansi_ &&
                                  result.display.compare(0, 8, "Reading ") != 0;
    std::string script_body;
    if (!result.args.empty() &&
        (iequals(result.args[0], "EVALSHA") || iequals(result.args[0], "EVALSHA_RO"))) {
      const auto script =
          result.args.size() > 1 ? scripts_.find(ascii_lower(result.args[1])) : scripts_.end();
      if (script != scripts_.end()) script_body = script->second;
    }
    for (const Reply& reply : result.replies) {
      std::string shown = display_is_reply ? result.display : format_reply_cli(reply, raw, false);
      transcript_.record({result.line_number, result.args, trim_display(std::move(shown)),
                          reply.is_error(), client, script_body},
                         reply, result.prompt.in_multi);
    }
  }

  const RunLimits& limits_;
  bool ansi_;
  const CommandTable& commands_;
  const std::map<std::string, std::string>& scripts_;  // SHA-1 -> body, for EVALSHA
  Transcript& transcript_;
  json results_ = json::array();
  size_t omitted_results_ = 0;
  size_t omitted_errors_ = 0;
  json stopped_ = nullptr;
  json output_cut_ = nullptr;
  size_t replies_not_kept_ = 0;
};

}  // namespace

Sandbox::Sandbox(SandboxOptions options) : options_(options) {
  reset();
}

void Sandbox::reset(SandboxOptions options) {
  options_ = options;
  server_.reset();
  reset();
}

void Sandbox::reset() {
  const std::int64_t host_time = server_ ? server_->clock().host_time() : options_.start_time_ms;
  transcript_.clear();
  ServerConfig config;
  config.start_time_ms = host_time;
  config.seed = options_.seed;
  config.maxmemory = options_.maxmemory;
  if (options_.script_instructions) config.script_instructions = options_.script_instructions;
  if (options_.script_time_ms) config.script_time_ms = options_.script_time_ms;
  server_ = std::make_unique<Server>(config);
  runner_ = std::make_unique<ScriptRunner>(*server_, options_.ansi);
}

std::string Sandbox::run(std::string_view script, const RunLimits& limits) {
  EventRecorder recorder(limits, options_.ansi, *server_, transcript_);
  const RunEventSink sink = [&recorder](const RunEvent& event) { recorder.add(event); };
  runner_->set_limits(limits.max_commands, limits.max_output_bytes);
  const bool finished = runner_->run_script(script, sink);
  if (finished && limits.wait_for_timeouts) runner_->wait_for_timeouts(sink);
  // The transcript lives in the heap maxmemory measures: unbounded, a learner's pasted
  // scripts would fill it until writes fail on an empty keyspace. Checks look at what was
  // just done, so the oldest half goes once it passes kMaxTranscript entries.
  transcript_.trim(kMaxTranscript, kMaxTranscript / 2);
  const std::uint64_t commands_run = limits.max_commands - runner_->commands_left();
  runner_->set_limits(UINT64_MAX, UINT64_MAX);
  return dump_json(recorder.finish(*server_, *runner_, commands_run));
}

std::string Sandbox::tick() {
  const RunLimits limits;
  EventRecorder recorder(limits, options_.ansi, *server_, transcript_);
  runner_->tick([&recorder](const RunEvent& event) { recorder.add(event); });
  return dump_json(recorder.finish(*server_, *runner_, 0));
}

std::string Sandbox::check(std::string_view checks_json) const {
  const json checks = json::parse(checks_json, nullptr, /*allow_exceptions=*/false);
  json out = json::array();
  if (checks.is_discarded()) {
    out.push_back(
        {{"passed", false}, {"message", "checks"}, {"detail", "the checks are not valid JSON"}});
    return dump_json(out);
  }
  for (const CheckResult& result : evaluate_checks(*server_, transcript_.entries(), checks)) {
    out.push_back(
        {{"passed", result.passed}, {"message", result.message}, {"detail", result.detail}});
  }
  return dump_json(out);
}

std::string Sandbox::run_display(std::string_view script) {
  std::string out;
  const std::string* speaking = &runner_->main_client().name;
  const RunEventSink sink = [&out, &speaking](const RunEvent& event) {
    const std::string& display = event.result->display;
    if (display.empty()) return;
    if (event.client != speaking) {  // names live as long as their clients
      out += '@';
      out += *event.client;
      out += '\n';
      speaking = event.client;
    }
    out += display;
  };
  if (runner_->run_script(script, sink)) runner_->wait_for_timeouts(sink);
  return out;
}

std::string Sandbox::snapshot(size_t max_keys) const {
  const int db_index = server_->default_session().db;
  const Database& db = server_->db(db_index);
  const std::int64_t now = server_->clock().now_ms();
  std::vector<const std::string*> names;
  names.reserve(db.size());
  for (const auto& [key, entry] : db.entries()) {
    if (entry.expire_at_ms == kNoExpiry || now <= entry.expire_at_ms) names.push_back(&key);
  }
  const size_t total = names.size();
  const size_t shown = std::min(max_keys, total);
  auto by_name = [](const std::string* a, const std::string* b) { return *a < *b; };
  std::partial_sort(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(shown), names.end(),
                    by_name);
  json keys = json::array();
  for (size_t i = 0; i < shown; ++i) {
    const Entry& entry = *db.find(*names[i]);
    const Value& value = entry.value;
    keys.push_back({{"key", *names[i]},
                    {"type", type_name(value.type)},
                    {"encoding", encoding_name(value)},
                    {"size", value.aggregate ? value.aggregate->element_count() : value.str.size()},
                    {"ttl_ms", entry.expire_at_ms == kNoExpiry ? -1 : entry.expire_at_ms - now},
                    {"expire_at_ms", entry.expire_at_ms},
                    {"preview", preview_of(value)}});
  }
  return dump_json(
      {{"db", db_index}, {"now_ms", now}, {"total", total}, {"keys", std::move(keys)}});
}

std::string Sandbox::commands() const {
  json list = json::array();
  auto add = [&list](const CommandSpec& spec) {
    if (!spec.doc) return;
    list.push_back({{"name", spec.display_name()},
                    {"syntax", spec.doc->syntax},
                    {"summary", spec.doc->summary},
                    {"since", spec.doc->since},
                    {"complexity", spec.doc->complexity},
                    {"group", spec.doc->group},
                    {"arity", spec.arity}});
  };
  for (const CommandSpec& spec : server_->commands().all()) {
    add(spec);
    for (const CommandSpec& sub : spec.subcommands)
      add(sub);
  }
  return dump_json(list);
}

}  // namespace redpad
