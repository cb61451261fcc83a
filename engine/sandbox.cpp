#include "sandbox.h"

#include <algorithm>
#include <vector>

#include "reply_cli.h"
#include "reply_json.h"

namespace redpad {

namespace {

using nlohmann::json;

const char* kind_word(ConsoleResult::Kind kind) {
  switch (kind) {
    case ConsoleResult::Kind::Replies:
      return "replies";
    case ConsoleResult::Kind::Help:
      return "help";
    case ConsoleResult::Kind::InvalidLine:
      return "invalid";
    case ConsoleResult::Kind::ClearScreen:
      return "clear";
    case ConsoleResult::Kind::Quit:
      return "quit";
  }
  return "replies";
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
  server_ = std::make_unique<Server>(config);
  console_ = std::make_unique<Console>(*server_, server_->default_session());
  console_->set_ansi(options_.ansi);
}

std::string Sandbox::run(std::string_view script, const RunLimits& limits) {
  const bool record = limits.record;
  json results = json::array();
  size_t omitted_results = 0;
  size_t omitted_errors = 0;
  json stopped = nullptr;
  json output_cut = nullptr;
  size_t replies_not_kept = 0;
  console_->set_limits(limits.max_commands, limits.max_output_bytes);
  console_->run_script(script, [&](ConsoleResult& result) {
    if (result.replies_not_kept > 0 && output_cut.is_null()) {
      output_cut = {{"limit_bytes", limits.max_output_bytes}, {"from_line", result.line_number}};
    }
    replies_not_kept += result.replies_not_kept;
    if (result.commands_exhausted) {
      stopped = {
          {"reason", "max_commands"}, {"limit", limits.max_commands}, {"line", result.line_number}};
      if (result.replies.empty() && result.replies_not_kept == 0) return;  // nothing ran
    }
    bool failed = result.kind == ConsoleResult::Kind::InvalidLine;
    for (const Reply& reply : result.replies)
      failed = failed || reply.is_error();
    if (record && result.kind == ConsoleResult::Kind::Replies) {
      const bool raw = cli_prints_raw(result.args);
      for (const Reply& reply : result.replies) {
        std::string shown = result.replies.size() == 1 && result.elapsed_ms < 500 && !options_.ansi
                                ? result.display  // already formatted, with no timing line
                                : format_reply_cli(reply, raw, false);
        transcript_.push_back(
            {result.line_number, result.args, trim_display(std::move(shown)), reply.is_error()});
      }
    }
    if (record && result.kind == ConsoleResult::Kind::InvalidLine) {
      transcript_.push_back({result.line_number, {}, trim_display(result.display), true});
    }
    if (results.size() >= limits.max_results) {
      ++omitted_results;
      omitted_errors += failed ? 1 : 0;
      return;
    }
    json replies = json::array();
    for (const Reply& reply : result.replies)
      replies.push_back(reply_to_json(reply));
    results.push_back({{"line", result.line_number},
                       {"text", std::move(result.text)},
                       {"kind", kind_word(result.kind)},
                       {"replies", std::move(replies)},
                       {"display", std::move(result.display)},
                       {"elapsed_ms", result.elapsed_ms},
                       {"error", failed}});
  });
  if (!output_cut.is_null()) output_cut["replies_not_kept"] = replies_not_kept;
  // The transcript lives in the heap maxmemory measures: unbounded, a learner's pasted
  // scripts would fill it until writes fail on an empty keyspace. Checks look at what was
  // just done, so the oldest half goes once it passes kMaxTranscript entries.
  if (transcript_.size() > kMaxTranscript) {
    transcript_.erase(transcript_.begin(),
                      transcript_.end() - static_cast<std::ptrdiff_t>(kMaxTranscript / 2));
  }
  const std::uint64_t commands_run = limits.max_commands - console_->commands_left();
  console_->set_limits(UINT64_MAX, UINT64_MAX);
  const ClientSession& session = server_->default_session();
  return dump_json({{"results", std::move(results)},
                    {"omitted_results", omitted_results},
                    {"omitted_errors", omitted_errors},
                    {"commands_run", commands_run},
                    {"stopped", std::move(stopped)},
                    {"output_cut", std::move(output_cut)},
                    {"db", session.db},
                    {"in_multi", session.in_multi},
                    {"now_ms", server_->clock().now_ms()}});
}

std::string Sandbox::check(std::string_view checks_json) const {
  const json checks = json::parse(checks_json, nullptr, /*allow_exceptions=*/false);
  json out = json::array();
  if (checks.is_discarded()) {
    out.push_back(
        {{"passed", false}, {"message", "checks"}, {"detail", "the checks are not valid JSON"}});
    return dump_json(out);
  }
  for (const CheckResult& result : evaluate_checks(*server_, transcript_, checks)) {
    out.push_back(
        {{"passed", result.passed}, {"message", result.message}, {"detail", result.detail}});
  }
  return dump_json(out);
}

std::string Sandbox::run_display(std::string_view script) {
  std::string out;
  console_->run_script(script, [&out](const ConsoleResult& result) { out += result.display; });
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
