#include "sandbox.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "ascii.h"
#include "change_log.h"
#include "inspect.h"
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
// The selected database's keys for the inspector, sorted by name, at most `max_keys`.
json snapshot_json(const Server& server, size_t max_keys) {
  const int db_index = server.default_session().db;
  const Database& db = server.db(db_index);
  const std::int64_t now = server.clock().now_ms();
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
    const KeySummary summary = summarize(entry);  // what a step's change says of a key too
    keys.push_back({{"key", *names[i]},
                    {"type", type_name(summary.type)},
                    {"encoding", summary.encoding},
                    {"size", summary.size},
                    {"ttl_ms", entry.expire_at_ms == kNoExpiry ? -1 : entry.expire_at_ms - now},
                    {"expire_at_ms", entry.expire_at_ms},
                    {"preview", preview_lines(entry.value)}});
  }
  return {{"db", db_index}, {"now_ms", now}, {"total", total}, {"keys", std::move(keys)}};
}

constexpr size_t kSnapshotKeys = 200;  // a step that replaced a database carries this many

json summary_json(const KeySummary& summary) {
  json out = json::object();
  out["type"] = type_name(summary.type);
  out["encoding"] = summary.encoding;
  out["size"] = summary.size;
  out["expire_at_ms"] = summary.expire_at_ms;
  return out;
}

const char* change_word(KeyChange::Kind kind) {
  switch (kind) {
    case KeyChange::Kind::Added:
      return "added";
    case KeyChange::Kind::Changed:
      return "changed";
    case KeyChange::Kind::Deleted:
      return "deleted";
    case KeyChange::Kind::Expired:
      return "expired";
  }
  return "changed";
}

json changes_json(const StepChanges& step) {
  json changes = json::array();
  for (const KeyChange& change : step.changes) {
    json item = json::object();
    item["db"] = change.db;
    item["key"] = change.key;
    item["change"] = change_word(change.kind);
    item["before"] = change.before ? summary_json(*change.before) : json(nullptr);
    item["after"] = nullptr;
    if (change.after) {
      item["after"] = summary_json(*change.after);
      item["after"]["preview"] = change.preview;
    }
    if (change.kind == KeyChange::Kind::Expired) item["at_ms"] = change.at_ms;
    changes.push_back(std::move(item));
  }
  return changes;
}

// One step of the timeline (contract.schema.json, step). Built field by field in one place:
// nlohmann's initializer lists cost the WebAssembly engine much more code.
json step_json(std::uint64_t id, const char* kind, const StepChanges& changes,
               std::int64_t now_ms) {
  json step = json::object();
  step["id"] = id;
  step["kind"] = kind;
  step["result"] = nullptr;
  step["client"] = nullptr;
  step["line"] = nullptr;
  step["now_ms"] = now_ms;
  step["changes"] = changes_json(changes);
  step["changes_omitted"] = changes.omitted;
  step["keyspace"] = nullptr;
  step["caused_by"] = nullptr;
  step["watch_key"] = nullptr;
  return step;
}

// Turns a run's events into the JSON entries the page reads, and the commands into the
// transcript checks read.
class EventRecorder {
 public:
  EventRecorder(const RunLimits& limits, bool ansi, Server& server, const ScriptRunner& runner,
                Transcript& transcript, StepLog* steps)
      : limits_(limits),
        ansi_(ansi),
        server_(server),
        runner_(runner),
        commands_(server.commands()),
        scripts_(server.scripts()),
        transcript_(transcript),
        steps_(steps) {}

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
    const bool described = results_.size() < limits_.max_results;
    if (steps_) add_step(event, described ? json(results_.size()) : json(nullptr));
    if (!described) {
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
    if (steps_) {
      add_expiry_steps();
      steps_->log->set_detailed(true);
    }
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
    json answer = {{"results", std::move(results_)},
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
    if (steps_) answer["steps"] = std::move(steps_json_);
    return answer;
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

  // ---- the step timeline (only while the page records steps) ----

  // A results entry's step: what its command changed (or, for a message, who sent it).
  // `result` is its index in this answer's results, or null past max_results (the
  // changes are taken all the same, so later steps start from the right state).
  void add_step(const RunEvent& event, json result) {
    const bool message = event.kind == RunEvent::Kind::Message;
    const bool answer = event.kind == RunEvent::Kind::Answer;
    const bool line_ran = (event.kind == RunEvent::Kind::Line &&
                           (event.result->kind == ConsoleResult::Kind::Replies ||
                            event.result->kind == ConsoleResult::Kind::Blocked)) ||
                          event.kind == RunEvent::Kind::Blocked;
    if (!message && !answer && !line_ran) return;
    // Past max_results nothing is shown: the log stops following changes one by one until
    // the run ends (finish), and learns the keys again then.
    if (result.is_null()) {
      steps_->log->set_detailed(false);
      if (steps_->log->quiet()) {  // the common case of a long Run: nothing to note
        const std::uint64_t id = steps_->next_id++;
        if (line_ran) last_command_step_ = id;
        return;
      }
    }
    add_expiry_steps();
    const ClientSession* session = session_of(event.client);
    StepChanges changes;
    if (answer && session) {
      changes = steps_->log->take_served(session->id);
    } else if (line_ran) {
      changes = steps_->log->take_command();
    }
    const std::uint64_t id = steps_->next_id++;
    json caused_by = nullptr;
    json watch_key = nullptr;
    if (message || (answer && event.cause == Delivery::Cause::Served)) {
      if (last_command_step_) caused_by = last_command_step_;
    }
    if (line_ran && session && aborted_exec(event)) {
      auto& broken_by = steps_->broken_by;
      for (auto it = broken_by.begin(); it != broken_by.end(); ++it) {
        if (it->watcher_id != session->id) continue;
        caused_by = it->step;
        watch_key = it->key;
        broken_by.erase(it);
        break;
      }
    }
    if (line_ran) last_command_step_ = id;
    note_broken_watches(changes, id);
    if (result.is_null()) return;
    json step = step_json(id, message ? "message" : "command", changes, server_.clock().now_ms());
    step["result"] = std::move(result);
    step["client"] = *event.client;
    step["line"] = message ? event.source_line : event.result->line_number;
    step["caused_by"] = std::move(caused_by);
    step["watch_key"] = std::move(watch_key);
    if (changes.database_replaced) step["keyspace"] = snapshot_json(server_, kSnapshotKeys);
    steps_json_.push_back(std::move(step));
  }

  // Keys whose time ran out before the next command (or the end): one step each.
  void add_expiry_steps() {
    for (StepChanges& expiry : steps_->log->take_expiries()) {
      const std::uint64_t id = steps_->next_id++;
      note_broken_watches(expiry, id);
      steps_json_.push_back(step_json(id, "expired", expiry, server_.clock().now_ms()));
    }
  }

  void note_broken_watches(const StepChanges& changes, std::uint64_t id) {
    auto& broken_by = steps_->broken_by;
    for (const BrokenWatch& broken : changes.broken_watches) {
      // One per watcher: a client's watch is broken once until it WATCHes again.
      auto same = [&broken](const StepLog::Broken& b) { return b.watcher_id == broken.watcher_id; };
      broken_by.erase(std::remove_if(broken_by.begin(), broken_by.end(), same), broken_by.end());
      broken_by.push_back({broken.watcher_id, id, broken.key});
    }
  }

  // EXEC answered (nil): a WATCHed key changed.
  static bool aborted_exec(const RunEvent& event) {
    const ConsoleResult& result = *event.result;
    return !result.args.empty() && iequals(result.args[0], "exec") && result.replies.size() == 1 &&
           result.replies[0].type == ReplyType::NullArray;
  }

  const ClientSession* session_of(const std::string* client) const {
    for (const auto& script_client : runner_.clients()) {
      if (&script_client->name == client) return script_client->session;
    }
    return nullptr;
  }

  const RunLimits& limits_;
  bool ansi_;
  Server& server_;
  const ScriptRunner& runner_;
  const CommandTable& commands_;
  const std::map<std::string, std::string>& scripts_;  // SHA-1 -> body, for EVALSHA
  Transcript& transcript_;
  json results_ = json::array();
  size_t omitted_results_ = 0;
  size_t omitted_errors_ = 0;
  json stopped_ = nullptr;
  json output_cut_ = nullptr;
  size_t replies_not_kept_ = 0;
  StepLog* steps_;
  json steps_json_ = json::array();
  std::uint64_t last_command_step_ = 0;
};

}  // namespace

Sandbox::Sandbox(SandboxOptions options) : options_(options) {
  reset();
}

void Sandbox::reset(SandboxOptions options) {
  options_ = options;
  steps_.log.reset();  // before the server it listens to goes
  server_.reset();
  reset();
}

void Sandbox::reset() {
  const std::int64_t host_time = server_ ? server_->clock().host_time() : options_.start_time_ms;
  transcript_.clear();
  steps_.log.reset();  // before the server it listens to goes
  ServerConfig config;
  config.start_time_ms = host_time;
  config.seed = options_.seed;
  config.maxmemory = options_.maxmemory;
  if (options_.script_instructions) config.script_instructions = options_.script_instructions;
  if (options_.script_time_ms) config.script_time_ms = options_.script_time_ms;
  server_ = std::make_unique<Server>(config);
  runner_ = std::make_unique<ScriptRunner>(*server_, options_.ansi);
  if (record_steps_) start_steps();
}

void Sandbox::set_record_steps(bool on) {
  record_steps_ = on;
  if (on && !steps_.log) start_steps();
  if (!on) steps_.log.reset();
}

void Sandbox::start_steps() {
  steps_.log = std::make_unique<ChangeLog>(*server_);
  steps_.next_id = 1;
  steps_.broken_by.clear();
}

std::string Sandbox::run(std::string_view script, const RunLimits& limits) {
  EventRecorder recorder(limits, options_.ansi, *server_, *runner_, transcript_, steps());
  const RunEventSink sink = [&recorder](const RunEvent& event) { recorder.add(event); };
  runner_->set_limits(limits.max_commands, limits.max_output_bytes);
  const bool finished = runner_->run_script(script, sink);
  if (finished && limits.wait_for_timeouts) runner_->wait_for_timeouts(sink);
  // Keys whose time ran out during the run (DEBUG SLEEP last) are steps of this run: delete
  // them now, as Redis's background expiry would; the next command would anyway.
  if (steps()) server_->sweep_expired(server_->clock().now_ms());
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
  EventRecorder recorder(limits, options_.ansi, *server_, *runner_, transcript_, steps());
  runner_->tick([&recorder](const RunEvent& event) { recorder.add(event); });
  // While the page records steps, keys whose time the clock passed expire now, each a
  // step of this answer (Redis's background expiry; the next command would delete them).
  if (steps()) server_->sweep_expired(server_->clock().now_ms());
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
  return dump_json(snapshot_json(*server_, max_keys));
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

std::string Sandbox::inspect(int db, const std::string& key, size_t offset, size_t count) const {
  const int index = db < 0 ? server_->default_session().db : db;
  return dump_json(inspect_key(*server_, index, key, offset, count));
}

}  // namespace redpad
