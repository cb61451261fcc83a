#include "lesson_checks.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <map>

#include "ascii.h"
#include "glob.h"
#include "numbers.h"
#include "reply_cli.h"
#include "script.h"

namespace redpad {

namespace {

using nlohmann::json;

const char* const kKinds[] = {"exists",  "missing",   "type",  "value", "ttl",     "reply",
                              "command", "no-errors", "after", "any",   "sequence"};

std::string trim_newline(std::string text) {
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  return text;
}

// Runs one read command against the copy and returns its reply.
Reply read(Server& copy, int db, std::vector<std::string> args) {
  ClientSession& session = copy.default_session();
  session.db = db;
  return copy.execute(session, args);
}

std::vector<std::string> bulk_items(const Reply& reply) {
  std::vector<std::string> items;
  for (const Reply& item : reply.elements)
    items.push_back(item.str);
  return items;
}

std::string join_quoted(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? ", " : "") + quote_bulk_cli(items[i]);
  return out + "]";
}

// A score given in a lesson as a number or a string ("inf").
bool score_of(const json& value, double& score) {
  if (value.is_number()) {
    score = value.get<double>();
    return true;
  }
  return value.is_string() && parse_double(value.get<std::string>(), score);
}

struct Evaluation {
  bool passed;
  std::string detail;
};

Evaluation pass() {
  return {true, ""};
}
Evaluation fail(std::string detail) {
  return {false, std::move(detail)};
}

Evaluation evaluate(Server& copy, const std::vector<TranscriptEntry>& transcript,
                    const json& check);

Evaluation evaluate_value(Server& copy, int db, const std::string& key, const json& check) {
  const std::string type = read(copy, db, {"TYPE", key}).str;
  if (type == "none") return fail(key + " does not exist");
  if (check.contains("type") && check["type"].get<std::string>() != type) {
    return fail(key + " is a " + type + ", not a " + check["type"].get<std::string>());
  }
  const json& expected = check["equals"];
  if (type == "string") {
    if (!expected.is_string()) return fail(key + " is a string");
    const Reply value = read(copy, db, {"GET", key});
    if (value.str == expected.get<std::string>()) return pass();
    return fail(key + " is " + quote_bulk_cli(value.str));
  }
  if (type == "list" || type == "set") {
    if (!expected.is_array()) return fail(key + " is a " + type);
    std::vector<std::string> want;
    for (const json& item : expected)
      want.push_back(item.is_string() ? item.get<std::string>() : item.dump());
    std::vector<std::string> have =
        bulk_items(read(copy, db,
                        type == "list" ? std::vector<std::string>{"LRANGE", key, "0", "-1"}
                                       : std::vector<std::string>{"SMEMBERS", key}));
    if (type == "set") {
      std::sort(want.begin(), want.end());
      std::sort(have.begin(), have.end());
    }
    if (have == want) return pass();
    return fail(key + " holds " + join_quoted(have));
  }
  if (type == "hash") {
    if (!expected.is_object()) return fail(key + " is a hash");
    std::map<std::string, std::string> want;
    for (const auto& [field, item] : expected.items()) {
      want[field] = item.is_string() ? item.get<std::string>() : item.dump();
    }
    const std::vector<std::string> flat = bulk_items(read(copy, db, {"HGETALL", key}));
    std::map<std::string, std::string> have;
    for (size_t i = 0; i + 1 < flat.size(); i += 2)
      have[flat[i]] = flat[i + 1];
    if (have == want) return pass();
    std::string listed;
    for (const auto& [field, item] : have) {
      listed += (listed.empty() ? "" : ", ") + quote_bulk_cli(field) + ": " + quote_bulk_cli(item);
    }
    return fail(key + " holds {" + listed + "}");
  }
  if (type == "zset") {
    if (!expected.is_array()) return fail(key + " is a sorted set");
    const std::vector<std::string> flat =
        bulk_items(read(copy, db, {"ZRANGE", key, "0", "-1", "WITHSCORES"}));
    bool same = flat.size() == expected.size() * 2;
    for (size_t i = 0; same && i < expected.size(); ++i) {
      const json& pair = expected[i];
      double want_score = 0;
      double have_score = 0;
      same = pair.is_array() && pair.size() == 2 && pair[0].is_string() &&
             pair[0].get<std::string>() == flat[2 * i] && score_of(pair[1], want_score) &&
             parse_double(flat[2 * i + 1], have_score) && want_score == have_score;
    }
    if (same) return pass();
    std::string listed;
    for (size_t i = 0; i + 1 < flat.size(); i += 2) {
      listed += (listed.empty() ? "" : ", ") + quote_bulk_cli(flat[i]) + " " + flat[i + 1];
    }
    return fail(key + " holds [" + listed + "]");
  }
  return fail(key + " is a " + type + ": compare it with a \"reply\" check");
}

Evaluation evaluate_ttl(Server& copy, int db, const std::string& key, const json& check) {
  const long long ttl = read(copy, db, {"TTL", key}).integer;
  if (ttl == -2) return fail(key + " does not exist");
  if (check.value("none", false)) {
    return ttl == -1 ? pass() : fail(key + " expires in " + std::to_string(ttl) + " s");
  }
  if (ttl == -1) return fail(key + " has no expiry");
  const bool low_ok = !check.contains("min") || ttl >= check["min"].get<long long>();
  const bool high_ok = !check.contains("max") || ttl <= check["max"].get<long long>();
  if (low_ok && high_ok) return pass();
  return fail(key + " expires in " + std::to_string(ttl) + " s");
}

std::string canonical(const std::vector<std::string>& args) {
  std::string text;
  for (size_t i = 0; i < args.size(); ++i)
    text += (i ? " " : "") + (i ? args[i] : ascii_upper(args[i]));
  return text;
}

// "pattern" is one glob or several that must all match the same command (options in any
// order: ["SET lock *", "* NX*", "* EX 60*"]).
std::vector<std::string> patterns_of(const json& check) {
  if (check["pattern"].is_string()) return {check["pattern"].get<std::string>()};
  return check["pattern"].get<std::vector<std::string>>();
}

// A check's "client": only that client's commands count. Empty: every client's.
std::string client_of(const json& check) {
  return check.contains("client") ? check["client"].get<std::string>() : "";
}

bool counts(const TranscriptEntry& entry, const std::string& client) {
  return client.empty() || entry.client == client;
}

// The entry's reply as its matching form would have answered: SETNX answers 1 or 0 where
// SET ... NX answers OK or (nil); the other forms answer as the command itself did.
std::string reply_as_form(const TranscriptEntry& entry, bool as_written) {
  if (as_written || ascii_upper(entry.args[0]) != "SETNX") return entry.display;
  if (entry.display == "(integer) 1") return "OK";
  if (entry.display == "(integer) 0") return "(nil)";
  return entry.display;
}

// Whether the entry's command, or one of its equivalent forms, is matched by every glob; and
// the reply it stands for in the form that matched.
std::optional<std::string> match_reply(const TranscriptEntry& entry,
                                       const std::vector<std::string>& patterns) {
  auto all_match = [&patterns](const std::vector<std::string>& args) {
    const std::string text = canonical(args);
    return std::all_of(patterns.begin(), patterns.end(),
                       [&text](const std::string& p) { return glob_match(p, text, true); });
  };
  if (all_match(entry.args)) return reply_as_form(entry, true);
  const std::vector<std::vector<std::string>> forms =
      equivalent_forms(entry.args, entry.script_body, entry.display);
  if (std::any_of(forms.begin(), forms.end(), all_match)) return reply_as_form(entry, false);
  return std::nullopt;
}

// What a "command" check asks of one command the learner ran.
struct CommandCheck {
  explicit CommandCheck(const json& check)
      : patterns(patterns_of(check)),
        client(client_of(check)),
        wants_reply(check.contains("reply")),
        reply(wants_reply ? trim_newline(check["reply"].get<std::string>()) : ""),
        reply_like(check.value("reply_like", "")),
        in_transaction(check.value("transaction", false)) {}

  // The reply the entry stands for, if its command (in some form) matches, wherever it ran.
  std::optional<std::string> command_matches(const TranscriptEntry& entry) const {
    if (entry.args.empty() || (in_transaction && !entry.in_transaction)) return std::nullopt;
    return match_reply(entry, patterns);
  }
  bool reply_fits(const std::string& shown) const {
    if (wants_reply && shown != reply) return false;
    return reply_like.empty() || glob_match(reply_like, shown, false);
  }
  bool satisfied_by(const TranscriptEntry& entry) const {
    const std::optional<std::string> shown = command_matches(entry);
    return shown && counts(entry, client) && reply_fits(*shown);
  }
  std::string wanted() const {
    std::string text;
    for (const std::string& p : patterns)
      text += (text.empty() ? "\"" : " and \"") + p + "\"";
    return text;
  }

  std::vector<std::string> patterns;
  std::string client;
  bool wants_reply;
  std::string reply;
  std::string reply_like;
  bool in_transaction;
};

Evaluation evaluate_command(const std::vector<TranscriptEntry>& transcript, const json& check) {
  const CommandCheck wanted(check);
  const TranscriptEntry* near_miss = nullptr;
  const TranscriptEntry* other_client = nullptr;  // a match run by another client
  for (const TranscriptEntry& entry : transcript) {
    const std::optional<std::string> shown = wanted.command_matches(entry);
    if (!shown) continue;
    if (!counts(entry, wanted.client)) {
      if (!other_client) other_client = &entry;
      continue;
    }
    if (wanted.reply_fits(*shown)) return pass();
    near_miss = &entry;
  }
  if (near_miss) {
    return fail("line " + std::to_string(near_miss->line_number) + " (" +
                canonical(near_miss->args) + ") answered " + near_miss->display);
  }
  if (wanted.client.empty()) return fail("no command matching " + wanted.wanted() + " was run");
  std::string detail = "no command matching " + wanted.wanted() + " was run by " + wanted.client;
  if (other_client) {
    detail += " (line " + std::to_string(other_client->line_number) + " ran one as " +
              other_client->client + ")";
  }
  return fail(detail);
}

// A step of a "sequence": a command check, or an "any" of command checks.
std::vector<CommandCheck> step_alternatives(const json& step) {
  std::vector<CommandCheck> alternatives;
  if (step["kind"] == "command") {
    alternatives.emplace_back(step);
  } else {
    for (const json& inner : step["checks"])
      alternatives.emplace_back(inner);
  }
  return alternatives;
}

// Steps run in this order (other commands may come between them): the earliest command
// that satisfies each step after the one that satisfied the step before.
Evaluation evaluate_sequence(Server& copy, const std::vector<TranscriptEntry>& transcript,
                             const json& check) {
  size_t from = 0;
  const TranscriptEntry* previous = nullptr;
  for (const json& step : check["steps"]) {
    const std::vector<CommandCheck> alternatives = step_alternatives(step);
    size_t at = from;
    while (at < transcript.size() &&
           std::none_of(alternatives.begin(), alternatives.end(),
                        [&](const CommandCheck& c) { return c.satisfied_by(transcript[at]); })) {
      ++at;
    }
    if (at == transcript.size()) {
      if (!previous) return fail(evaluate(copy, transcript, step).detail);
      std::string wanted;
      for (const CommandCheck& alternative : alternatives)
        wanted += (wanted.empty() ? "" : " or ") + alternative.wanted();
      return fail("no command matching " + wanted + " came after line " +
                  std::to_string(previous->line_number) + " (" + canonical(previous->args) + ")");
    }
    previous = &transcript[at];
    from = at + 1;
  }
  return pass();
}

Evaluation evaluate(Server& copy, const std::vector<TranscriptEntry>& transcript,
                    const json& check) {
  const std::string kind = check["kind"].get<std::string>();
  const int db = check.value("db", 0);
  const std::string key = check.value("key", "");
  if (kind == "exists" || kind == "missing") {
    const bool exists = read(copy, db, {"EXISTS", key}).integer == 1;
    if (exists == (kind == "exists")) return pass();
    return fail(key + (exists ? " still exists" : " does not exist"));
  }
  if (kind == "type") {
    const std::string type = read(copy, db, {"TYPE", key}).str;
    if (type == check["type"].get<std::string>()) return pass();
    return fail(type == "none" ? key + " does not exist" : key + " is a " + type);
  }
  if (kind == "value") return evaluate_value(copy, db, key, check);
  if (kind == "ttl") return evaluate_ttl(copy, db, key, check);
  if (kind == "reply") {
    auto args = split_command_line(check["command"].get<std::string>());
    const std::string got =
        trim_newline(format_reply_cli(read(copy, db, *args), cli_prints_raw(*args), false));
    if (got == trim_newline(check["equals"].get<std::string>())) return pass();
    return fail(check["command"].get<std::string>() + " answered " + got);
  }
  if (kind == "command") return evaluate_command(transcript, check);
  if (kind == "no-errors") {
    const std::string client = client_of(check);
    for (const TranscriptEntry& entry : transcript) {
      if (entry.error && counts(entry, client)) {
        return fail("line " + std::to_string(entry.line_number) + " failed: " + entry.display);
      }
    }
    return pass();
  }
  if (kind == "sequence") return evaluate_sequence(copy, transcript, check);
  if (kind == "any") {
    // Several correct answers: the first inner check that holds is enough.
    std::string details;
    for (const json& inner : check["checks"]) {
      Evaluation evaluation = evaluate(copy, transcript, inner);
      if (evaluation.passed) return pass();
      details += (details.empty() ? "" : "; ") + evaluation.detail;
    }
    return fail(details);
  }
  // after: a further copy whose clock has moved on
  auto later = copy.clone_state();
  later->clock().advance(static_cast<std::int64_t>(check["seconds"].get<double>() * 1000));
  later->sweep_expired(later->clock().now_ms());
  Evaluation inner = evaluate(*later, transcript, check["check"]);
  if (!inner.passed) inner.detail = "after " + check["seconds"].dump() + " s: " + inner.detail;
  return inner;
}

bool is_string_field(const json& check, const char* name) {
  return check.contains(name) && check[name].is_string();
}

// A client's script name, as an `@name` line gives it: 1 to 32 letters, digits, '-', '_',
// '.' or ':'.
bool is_client_name(const json& value) {
  if (!value.is_string()) return false;
  const std::string& name = value.get_ref<const std::string&>();
  if (name.empty() || name.size() > 32) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

// A check's id, which a lesson's rejects name: "lock-held".
bool is_check_id(const json& value) {
  if (!value.is_string()) return false;
  const std::string& id = value.get_ref<const std::string&>();
  bool word_start = true;
  for (char c : id) {
    const bool letter_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c == '-' && !word_start) {
      word_start = true;
    } else if (letter_or_digit) {
      word_start = false;
    } else {
      return false;
    }
  }
  return !id.empty() && !word_start;
}

// Why SET's "EX 60" and "PX 60000" are the same expiry: each SET form also in the other unit,
// when the milliseconds are whole seconds.
void add_other_expiry_unit(const std::vector<std::string>& set_args,
                           std::vector<std::vector<std::string>>& forms) {
  for (size_t i = 3; i + 1 < set_args.size(); ++i) {
    const std::string option = ascii_upper(set_args[i]);
    long long amount = 0;
    if ((option != "EX" && option != "PX") || !parse_integer(set_args[i + 1], amount)) continue;
    std::vector<std::string> other = set_args;
    if (option == "EX") {
      if (amount > LLONG_MAX / 1000 || amount < LLONG_MIN / 1000) return;
      other[i] = "PX";
      other[i + 1] = std::to_string(amount * 1000);
    } else {
      if (amount % 1000 != 0) return;
      other[i] = "EX";
      other[i + 1] = std::to_string(amount / 1000);
    }
    forms.push_back(std::move(other));
    return;
  }
}

}  // namespace

std::vector<std::vector<std::string>> equivalent_forms(const std::vector<std::string>& args,
                                                       const std::string& script_body,
                                                       const std::string& reply) {
  std::vector<std::vector<std::string>> forms;
  if (args.empty()) return forms;
  const std::string name = ascii_upper(args[0]);
  auto rest_from = [&args](size_t first) {
    return std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(first), args.end());
  };
  if (name == "SETNX" && args.size() == 3) {
    forms.push_back({"SET", args[1], args[2], "NX"});
  } else if ((name == "SETEX" || name == "PSETEX") && args.size() == 4) {
    forms.push_back({"SET", args[1], args[3], name == "SETEX" ? "EX" : "PX", args[2]});
  } else if (name == "GETSET" && args.size() == 3) {
    forms.push_back({"SET", args[1], args[2], "GET"});
  } else if (name == "HMSET") {
    forms.push_back(args);
    forms.back()[0] = "HSET";
  } else if ((name == "EVALSHA" || name == "EVALSHA_RO") && args.size() >= 2 &&
             !script_body.empty()) {
    std::vector<std::string> eval{name == "EVALSHA" ? "EVAL" : "EVAL_RO", script_body};
    for (std::string& arg : rest_from(2))
      eval.push_back(std::move(arg));
    forms.push_back(std::move(eval));
  } else if ((name == "LPUSH" || name == "RPUSH") && args.size() == 3 && reply == "(integer) 1") {
    forms.push_back({name == "LPUSH" ? "RPUSH" : "LPUSH", args[1], args[2]});
  }
  // Each SET form also with its expiry in the other unit.
  const size_t before = forms.size();
  if (name == "SET") add_other_expiry_unit(args, forms);
  for (size_t i = 0; i < before; ++i) {
    if (forms[i][0] == "SET") add_other_expiry_unit(forms[i], forms);
  }
  return forms;
}

void Transcript::record(TranscriptEntry entry, const Reply& reply, bool in_multi) {
  if (in_multi && reply.type == ReplyType::Status && reply.str == "QUEUED") {
    queued_[entry.client].push_back(std::move(entry));
    return;
  }
  const std::string_view name = entry.args.empty() ? std::string_view() : entry.args[0];
  const bool exec = iequals(name, "EXEC");
  if (in_multi && (exec || iequals(name, "DISCARD") || iequals(name, "RESET"))) {
    std::vector<TranscriptEntry> queued;
    queued.swap(queued_[entry.client]);
    // EXEC answers one reply per queued command; (nil) or an error: none of them ran.
    if (exec && reply.type == ReplyType::Array && reply.elements.size() == queued.size()) {
      for (size_t i = 0; i < queued.size(); ++i) {
        TranscriptEntry& ran = queued[i];
        const Reply& answer = reply.elements[i];
        ran.display = trim_newline(format_reply_cli(answer, cli_prints_raw(ran.args), false));
        ran.error = answer.is_error();
        ran.in_transaction = true;
        entries_.push_back(std::move(ran));
      }
    }
  }
  entries_.push_back(std::move(entry));
}

void Transcript::record_refused(TranscriptEntry entry) {
  entries_.push_back(std::move(entry));
}

void Transcript::trim(size_t limit, size_t keep) {
  if (entries_.size() <= limit) return;
  entries_.erase(entries_.begin(), entries_.end() - static_cast<std::ptrdiff_t>(keep));
}

void Transcript::clear() {
  entries_.clear();
  queued_.clear();
}

// The problem with a check's list of inner checks (an "any"'s checks, a "sequence"'s
// steps): missing or empty, or the first malformed one.
static std::optional<std::string> nested_checks_problem(const json& check, const char* field,
                                                        const std::string& pointer,
                                                        const char* needed) {
  if (!check.contains(field) || !check[field].is_array() || check[field].empty()) {
    return pointer + ": " + needed;
  }
  for (size_t i = 0; i < check[field].size(); ++i) {
    const std::string inner = pointer + "/" + field + "/" + std::to_string(i);
    if (auto problem = check_problem(check[field][i], inner, false)) return problem;
  }
  return std::nullopt;
}

std::optional<std::string> check_problem(const json& check, const std::string& pointer,
                                         bool top_level) {
  if (!check.is_object()) return pointer + ": a check must be an object";
  if (!is_string_field(check, "kind")) return pointer + ": a check needs a \"kind\" string";
  const std::string kind = check["kind"].get<std::string>();
  if (std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) {
    std::string known;
    for (const char* name : kKinds)
      known += (known.empty() ? "" : ", ") + std::string(name);
    return pointer + "/kind: unknown check kind \"" + kind + "\" (known: " + known + ")";
  }
  if (top_level && !is_string_field(check, "message")) {
    return pointer + ": a check needs a \"message\" string (what the learner sees)";
  }
  if (check.contains("db") &&
      !(check["db"].is_number_integer() && check["db"] >= 0 && check["db"] < 16)) {
    return pointer + "/db: must be a database index from 0 to 15";
  }
  if (check.contains("id") && !is_check_id(check["id"])) {
    return pointer +
           "/id: must be lower-case letters and digits, in words joined by '-' "
           "(\"lock-held\")";
  }
  if (check.contains("transaction") && (kind != "command" || !check["transaction"].is_boolean())) {
    return pointer +
           "/transaction: only a \"command\" check takes it, as true or false (the "
           "command ran inside MULTI)";
  }
  if (check.contains("reply_like") && kind != "command") {
    return pointer + "/reply_like: only \"command\" checks read a command's reply";
  }
  if (check.contains("client")) {
    if (kind != "command" && kind != "no-errors") {
      return pointer +
             "/client: only \"command\" and \"no-errors\" checks read a client's "
             "commands";
    }
    if (!is_client_name(check["client"])) {
      return pointer +
             "/client: must be a client's script name (1 to 32 letters, digits, '-', "
             "'_', '.' or ':', as in @worker-2)";
    }
  }
  auto need_string = [&](const char* field) -> std::optional<std::string> {
    if (!is_string_field(check, field)) {
      return pointer + ": a \"" + kind + "\" check needs a \"" + field + "\" string";
    }
    return std::nullopt;
  };
  if (kind == "exists" || kind == "missing" || kind == "type" || kind == "value" || kind == "ttl") {
    if (auto problem = need_string("key")) return problem;
  }
  if (kind == "type") return need_string("type");
  if (kind == "value") {
    if (!check.contains("equals")) return pointer + ": a \"value\" check needs \"equals\"";
    if (check.contains("type") && !check["type"].is_string())
      return pointer + "/type: must be a string";
  }
  if (kind == "ttl") {
    for (const char* field : {"min", "max"}) {
      if (check.contains(field) && !check[field].is_number_integer()) {
        return pointer + "/" + field + ": must be a whole number of seconds";
      }
    }
    if (!check.contains("min") && !check.contains("max") && !check.value("none", false)) {
      return pointer + ": a \"ttl\" check needs \"min\", \"max\" or \"none\": true";
    }
  }
  if (kind == "reply") {
    if (auto problem = need_string("command")) return problem;
    if (auto problem = need_string("equals")) return problem;
    auto args = split_command_line(check["command"].get<std::string>());
    if (!args || args->empty()) return pointer + "/command: not a command line redis-cli accepts";
  }
  if (kind == "command") {
    const bool several = check.contains("pattern") && check["pattern"].is_array() &&
                         !check["pattern"].empty() &&
                         std::all_of(check["pattern"].begin(), check["pattern"].end(),
                                     [](const json& p) { return p.is_string(); });
    if (!several) {
      if (auto problem = need_string("pattern")) {
        return pointer + ": a \"command\" check needs a \"pattern\": a glob, or a list of globs";
      }
    }
    if (check.contains("reply") && !check["reply"].is_string()) {
      return pointer + "/reply: must be a string (the reply as redis-cli prints it)";
    }
    if (check.contains("reply_like") && !check["reply_like"].is_string()) {
      return pointer +
             "/reply_like: must be a string (a glob the reply as redis-cli prints it "
             "matches)";
    }
  }
  if (kind == "any") {
    return nested_checks_problem(check, "checks", pointer,
                                 "an \"any\" check needs \"checks\": a list of the checks of "
                                 "which one must hold");
  }
  if (kind == "sequence") {
    if (auto problem = nested_checks_problem(check, "steps", pointer,
                                             "a \"sequence\" check needs \"steps\": the command "
                                             "checks that must match in this order")) {
      return problem;
    }
    for (size_t i = 0; i < check["steps"].size(); ++i) {
      const json& step = check["steps"][i];
      const bool commands_only =
          step["kind"] == "command" ||
          (step["kind"] == "any" &&
           std::all_of(step["checks"].begin(), step["checks"].end(),
                       [](const json& inner) { return inner["kind"] == "command"; }));
      if (!commands_only) {
        return pointer + "/steps/" + std::to_string(i) +
               ": a step is a \"command\" check, or an \"any\" of them";
      }
    }
    return std::nullopt;
  }
  if (kind == "after") {
    if (!check.contains("seconds") || !check["seconds"].is_number() || check["seconds"] < 0) {
      return pointer + ": an \"after\" check needs \"seconds\" (a number >= 0)";
    }
    if (!check.contains("check"))
      return pointer + ": an \"after\" check needs the \"check\" to run";
    return check_problem(check["check"], pointer + "/check", false);
  }
  return std::nullopt;
}

std::vector<CheckResult> evaluate_checks(const Server& server,
                                         const std::vector<TranscriptEntry>& transcript,
                                         const json& checks) {
  std::vector<CheckResult> results;
  if (!checks.is_array()) {
    results.push_back({false, "checks", "/checks: must be an array of checks"});
    return results;
  }
  auto copy = server.clone_state();
  for (size_t i = 0; i < checks.size(); ++i) {
    const json& check = checks[i];
    CheckResult result;
    result.message = check.is_object() ? check.value("message", "") : "";
    if (auto problem = check_problem(check, "/checks/" + std::to_string(i))) {
      result.detail = "malformed check: " + *problem;
    } else {
      Evaluation evaluation = evaluate(*copy, transcript, check);
      result.passed = evaluation.passed;
      result.detail = std::move(evaluation.detail);
    }
    results.push_back(std::move(result));
  }
  return results;
}

}  // namespace redpad
