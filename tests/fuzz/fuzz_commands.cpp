// libFuzzer target, structure-aware: the input bytes are a stream of choices that build a
// sequence of commands from the engine's own command table. Each command's arguments follow
// its COMMAND DOCS argument tree (tokens, optional and repeated parts, one-of choices), filled
// from small pools: a handful of key names, so every type meets every command on the same
// keys; numbers with their edge values; stream IDs, patterns, scores and lex ranges. Now and
// then an argument is dropped, replaced or added, for the error paths. Between commands:
// transactions from a second client (WATCH), clock jumps, database switches, bulk inserts
// that cross the encodings' thresholds, and copies of the whole server.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "ascii.h"
#include "command_table.h"
#include "fuzz_limits.h"
#include "reply_cli.h"
#include "reply_json.h"
#include "sandbox.h"

namespace {

using Args = std::vector<std::string>;

// One node of a command's argument tree, as COMMAND DOCS describes it.
struct ArgSpec {
  enum class Kind { String, Integer, Double, Key, Pattern, UnixTime, PureToken, OneOf, Block };
  Kind kind = Kind::String;
  std::string name;
  std::string token;  // the word written before the value ("EX", "LIMIT"), if any
  bool optional = false;
  bool multiple = false;
  bool multiple_token = false;  // the token is repeated with each value ("GET p GET p")
  std::vector<ArgSpec> children;
};

struct CommandShape {
  Args words;         // {"SET"}, {"OBJECT", "ENCODING"}
  std::string group;  // "string", "stream": the docs' group
  std::vector<ArgSpec> args;
};

ArgSpec::Kind kind_of(const std::string& type) {
  using Kind = ArgSpec::Kind;
  if (type == "integer") return Kind::Integer;
  if (type == "double") return Kind::Double;
  if (type == "key") return Kind::Key;
  if (type == "pattern") return Kind::Pattern;
  if (type == "unix-time") return Kind::UnixTime;
  if (type == "pure-token") return Kind::PureToken;
  if (type == "oneof") return Kind::OneOf;
  if (type == "block") return Kind::Block;
  return Kind::String;
}

ArgSpec parse_arg(const nlohmann::json& node, std::set<std::string>& tokens) {
  ArgSpec arg;
  arg.kind = kind_of(node.value("type", ""));
  arg.name = node.value("name", "");
  arg.token = node.value("token", "");
  if (!arg.token.empty()) tokens.insert(arg.token);
  if (const auto flags = node.find("flags"); flags != node.end()) {
    for (const auto& flag : *flags) {
      arg.optional = arg.optional || flag == "optional";
      arg.multiple = arg.multiple || flag == "multiple";
      arg.multiple_token = arg.multiple_token || flag == "multiple_token";
    }
  }
  if (const auto children = node.find("arguments"); children != node.end()) {
    for (const auto& child : *children)
      arg.children.push_back(parse_arg(child, tokens));
  }
  return arg;
}

bool takes_key(const std::vector<ArgSpec>& args) {
  for (const ArgSpec& arg : args) {
    if (arg.kind == ArgSpec::Kind::Key || takes_key(arg.children)) return true;
  }
  return false;
}

// An input mostly sticks to one of these groups of commands (its first choice), so that the
// chains a type's deep paths need (XADD, XGROUP CREATE, XREADGROUP, XPENDING, XCLAIM on one
// key) come up far more often than among all the table's commands at once.
const char* const kFocusGroups[] = {"string", "list",    "set",         "sorted-set",
                                    "hash",   "stream",  "geo",         "hyperloglog",
                                    "bitmap", "generic", "transactions"};

// Every command and subcommand with its argument tree, and every option word of any
// command (for the "wrong option here" mutations). Built once: the table is constant.
struct Catalog {
  std::vector<CommandShape> commands;
  std::vector<CommandShape> keyed_commands;       // those that take a key: the data types' own
  std::vector<std::vector<CommandShape>> groups;  // per kFocusGroups entry
  std::vector<std::string> words;

  Catalog() : groups(std::size(kFocusGroups)) {
    std::set<std::string> tokens;
    auto add = [&](const redpad::CommandSpec& spec, Args name_words) {
      CommandShape shape;
      shape.words = std::move(name_words);
      if (spec.doc) {
        shape.group = spec.doc->group;
        const auto docs = nlohmann::json::parse(spec.doc->docs_json, nullptr, false);
        if (!docs.is_discarded()) {
          if (const auto args = docs.find("arguments"); args != docs.end()) {
            for (const auto& arg : *args)
              shape.args.push_back(parse_arg(arg, tokens));
          }
        }
      }
      if (takes_key(shape.args)) keyed_commands.push_back(shape);
      for (size_t i = 0; i < std::size(kFocusGroups); ++i) {
        if (shape.group == kFocusGroups[i]) groups[i].push_back(shape);
      }
      commands.push_back(std::move(shape));
    };
    for (const redpad::CommandSpec& spec : redpad::builtin_command_table().all()) {
      add(spec, {redpad::ascii_upper(spec.name)});
      tokens.insert(redpad::ascii_upper(spec.name));
      for (const redpad::CommandSpec& sub : spec.subcommands) {
        const std::string sub_name = sub.name.substr(sub.name.find('|') + 1);
        add(sub, {redpad::ascii_upper(spec.name), redpad::ascii_upper(sub_name)});
        tokens.insert(redpad::ascii_upper(sub_name));
      }
    }
    words.assign(tokens.begin(), tokens.end());
  }
};

const Catalog& catalog() {
  static const Catalog instance;
  return instance;
}

// ---- value pools ----
// clang-format off

// Few keys, so that commands of every type keep meeting on them (and WRONGTYPE paths run).
const char* const kKeys[] = {"k1", "k2", "k3", "k4", "k1", "k2", "nokey", ""};
// Elements, fields and values: small integers (intsets, SORT's k* lookups), words, a value
// over the 64-byte listpack limit, bytes that are not UTF-8, numbers that are not integers.
const char* const kValues[] = {
    "1", "2", "3", "4", "a", "b", "c", "d", "0", "-1", "10", "1.5", "", "hello world",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "123456789012345678901234567890", "9223372036854775807", "\xff\x01\x80 \"'", "inf", "nan",
    "k1", "{a}"};
const char* const kSmallIntegers[] = {"0", "1", "2", "3", "5", "10", "-1", "-2", "-5", "100"};
const char* const kEdgeIntegers[] = {
    "64", "65", "128", "129", "512", "513", "7", "8", "31", "32", "63", "1000", "-100",
    "2147483647", "2147483648", "-2147483649", "4294967295", "4294967296",
    "536870911", "536870912", "9223372036854775807", "-9223372036854775808",
    "9223372036854775808", "-9223372036854775809", "18446744073709551615",
    "1.5", "abc", "", "0x10", " 1", "+5", "-0", "007", "1e3", "#1", "#-1", "#2"};
// The limits of 64 and 32 bits, where counters and offsets overflow.
const char* const kExtremeIntegers[] = {
    "-9223372036854775808", "9223372036854775807", "-9223372036854775807", "9223372036854775806",
    "-2147483648", "2147483647", "-2147483649", "2147483648",
    "-4294967296", "4294967296", "-4611686018427387904", "4611686018427387904"};
// Scores, coordinates, increments; then what no double parser should take.
const char* const kDoubles[] = {
    "0", "1", "-1", "1.5", "-2.5", "0.1", "3", "10", "1e308", "-1e308", "1e-310", "inf",
    "-inf", "+inf", "-0", "17179869184", "9007199254740993", "2.5e-5", "1e2", "2", "4"};
const char* const kBadDoubles[] = {
    "nan", "-nan", "1e309", "(1", "abc", "", " 1", "1 ", "0x1p3", "5e", "(inf", "1e", "--1"};
// Score ranges (ZRANGEBYSCORE, ZCOUNT): inclusive, exclusive, infinite.
const char* const kScoreBounds[] = {
    "0", "1", "2", "3", "-1", "(1", "(2", "(0", "-inf", "+inf", "inf", "(-inf", "(+inf",
    "1.5", "(2.5", "1e308", "-1e308", "10"};
// Lex ranges (ZRANGEBYLEX, ZLEXCOUNT), over the members kValues holds.
const char* const kLexBounds[] = {
    "-", "+", "[a", "(a", "[b", "(b", "[c", "(d", "[1", "(2", "[", "(", "[\xff", "(m1", "[m5"};
// What a range item never is: bare words, a missing bracket.
const char* const kBadBounds[] = {"a", "", "[[", "((1", "1-", "x", "-+", "+-"};
const char* const kStreamIds[] = {
    "0", "0-0", "0-1", "1-1", "1", "2", "2-*", "3-0", "5-5", "*", "$", ">", "+", "-",
    "(1-1", "18446744073709551615-18446744073709551615", "1-18446744073709551615",
    "99999999999999999999", "5-", "-5", "1-2", "1700000000000-0", "1700000000000-*"};
const char* const kPatterns[] = {
    "*", "k*", "k?", "k[12]", "[a-z]*", "*1", "\\*", "[", "[^a]*", "k\\", "**", "k*->a", "#",
    "nosort", "*->f", "[!k]*", "a"};
const char* const kBitfieldTypes[] = {
    "u8", "i8", "i64", "u63", "u64", "i1", "u0", "i65", "x8", "u", "u1", "i16", "u32"};
const char* const kWords[] = {
    "default", "a", "x y", "read", "@all", "get", "set", "ping", "all", "everything",
    "keyspace", "memory", "server", "stats", "commandstats", "list", "zset", "hash", "stream",
    "string", "set", "none", "and", "or", "xor", "not", "AND", "OR", "NOT"};

// clang-format on

template <size_t N>
std::string pick(FuzzedDataProvider& in, const char* const (&pool)[N]) {
  return pool[in.ConsumeIntegralInRange<size_t>(0, N - 1)];
}

template <class T>
const T& pick(FuzzedDataProvider& in, const std::vector<T>& pool) {
  return pool[in.ConsumeIntegralInRange<size_t>(0, pool.size() - 1)];
}

bool one_in(FuzzedDataProvider& in, unsigned n) {
  return in.ConsumeIntegralInRange<unsigned>(1, n) == 1;
}

bool named(const std::string& name, std::initializer_list<const char*> names) {
  for (const char* candidate : names) {
    if (name == candidate) return true;
  }
  return false;
}

// Builds one command's arguments by walking its argument tree with the input's choices.
class ArgumentWriter {
 public:
  ArgumentWriter(FuzzedDataProvider& in, const std::string& command, Args& out)
      : in_(in), command_(command), out_(out) {}

  void write(const std::vector<ArgSpec>& args) {
    for (const ArgSpec& arg : args)
      write(arg, /*chosen=*/false);
  }

 private:
  void write(const ArgSpec& arg, bool chosen) {
    if (arg.optional && !chosen && in_.ConsumeBool()) return;
    size_t count = 1;
    if (arg.multiple) {
      // Repeated parts usually come in matching numbers (STREAMS k1 k2 id1 id2; numkeys).
      count = in_.ConsumeIntegralInRange<unsigned>(0, 3) != 0
                  ? last_count_
                  : in_.ConsumeIntegralInRange<size_t>(1, 4);
    }
    for (size_t i = 0; i < count; ++i) {
      if (!arg.token.empty() && (i == 0 || arg.multiple_token)) out_.push_back(token(arg.token));
      value(arg);
    }
    if (arg.multiple) {
      last_count_ = count;
      // numkeys precedes its keys: say how many there were, mostly right.
      if (numkeys_at_ != kNone) {
        out_[numkeys_at_] = std::to_string(one_in(in_, 8) ? count + 1 : count);
        numkeys_at_ = kNone;
      }
    }
  }

  std::string token(const std::string& word) {
    return one_in(in_, 8) ? redpad::ascii_lower(word) : word;
  }

  void value(const ArgSpec& arg) {
    using Kind = ArgSpec::Kind;
    switch (arg.kind) {
      case Kind::PureToken:
        return;
      case Kind::OneOf:
        if (!arg.children.empty()) write(pick(in_, arg.children), /*chosen=*/true);
        return;
      case Kind::Block:
        for (const ArgSpec& child : arg.children)
          write(child, /*chosen=*/false);
        return;
      case Kind::Key:
        out_.push_back(pick(in_, kKeys));
        return;
      case Kind::Pattern:
        out_.push_back(pick(in_, kPatterns));
        return;
      case Kind::UnixTime:
        out_.push_back(unix_time(arg.name));
        return;
      case Kind::Integer:
        if (arg.name == "numkeys") numkeys_at_ = out_.size();
        out_.push_back(integer());
        return;
      case Kind::Double:
        out_.push_back(real(arg.name));
        return;
      case Kind::String:
        out_.push_back(text(arg.name));
        return;
    }
  }

  std::string integer() {
    switch (in_.ConsumeIntegralInRange<unsigned>(0, 7)) {
      case 0:
        return pick(in_, kEdgeIntegers);
      case 1:
        return std::to_string(in_.ConsumeIntegral<std::int64_t>());
      case 2:
        return pick(in_, kExtremeIntegers);
      default:
        return pick(in_, kSmallIntegers);
    }
  }

  std::string real(const std::string& name) {
    if (name == "longitude" && !one_in(in_, 4)) {
      return std::to_string(in_.ConsumeFloatingPointInRange<double>(-180, 180));
    }
    if (name == "latitude" && !one_in(in_, 4)) {
      return std::to_string(in_.ConsumeFloatingPointInRange<double>(-85.05112878, 85.05112878));
    }
    if (named(name, {"min", "max"})) return range_bound();  // ZRANGEBYSCORE, ZCOUNT
    if (one_in(in_, 10)) return pick(in_, kBadDoubles);
    if (one_in(in_, 8)) return std::to_string(in_.ConsumeFloatingPoint<double>());
    return one_in(in_, 3) ? pick(in_, kSmallIntegers) : pick(in_, kDoubles);
  }

  std::string unix_time(const std::string& name) {
    const bool millis = name.find("milliseconds") != std::string::npos;
    const std::int64_t now = millis ? redpad::fuzz::kStartMs : redpad::fuzz::kStartMs / 1000;
    switch (in_.ConsumeIntegralInRange<unsigned>(0, 5)) {
      case 0:
        return pick(in_, kEdgeIntegers);
      case 1:
        return std::to_string(now - in_.ConsumeIntegralInRange<std::int64_t>(0, 100));
      default:
        return std::to_string(now + in_.ConsumeIntegralInRange<std::int64_t>(0, 100000));
    }
  }

  std::string text(const std::string& name) {
    if (one_in(in_, 32)) return in_.ConsumeRandomLengthString(24);
    if (named(name, {"id", "last-id", "max_deleted_entry_id"})) return pick(in_, kStreamIds);
    if (named(name, {"start", "end", "stop", "min", "max"})) return range_bound();
    if (name == "threshold") return one_in(in_, 2) ? pick(in_, kStreamIds) : integer();
    if (named(name, {"group", "groupname"})) return one_in(in_, 4) ? "g2" : "g1";
    if (named(name, {"consumer", "consumername"})) return one_in(in_, 4) ? "c2" : "c1";
    if (name == "min-idle-time") return one_in(in_, 2) ? "0" : integer();
    if (name == "encoding") return pick(in_, kBitfieldTypes);
    if (named(name, {"channel", "shardchannel"})) return one_in(in_, 2) ? "ch1" : "ch2";
    if (named(name, {"section", "type", "operation", "category", "categoryname", "username",
                     "command", "command-name", "name", "connection-name", "password"})) {
      return one_in(in_, 3) ? pick(in_, catalog().words) : pick(in_, kWords);
    }
    return pick(in_, kValues);
  }

  // A range's ends, as the command reads them: stream IDs, lex or score bounds; for ZRANGE
  // (rank, BYSCORE or BYLEX, decided by later words) any of them.
  std::string range_bound() {
    if (one_in(in_, 12)) return pick(in_, kBadBounds);
    if (command_[0] == 'X') return pick(in_, kStreamIds);
    const bool lex = command_.find("LEX") != std::string::npos;
    if (lex) return pick(in_, kLexBounds);
    if (command_ == "ZRANGE" || command_ == "ZRANGESTORE") {
      switch (in_.ConsumeIntegralInRange<unsigned>(0, 3)) {
        case 0:
          return pick(in_, kScoreBounds);
        case 1:
          return pick(in_, kLexBounds);
        default:
          return integer();
      }
    }
    return pick(in_, kScoreBounds);
  }

  static constexpr size_t kNone = static_cast<size_t>(-1);
  FuzzedDataProvider& in_;
  const std::string& command_;  // upper case: "ZRANGEBYLEX"
  Args& out_;
  size_t last_count_ = 1;
  size_t numkeys_at_ = kNone;
};

// A command from the table, arguments per its docs, sometimes slightly wrong: mostly from
// the input's focus group if it has one, else mostly the data types' commands (a quarter of
// the table is cluster, ACL and module administration that a learner's server refuses).
Args table_command(FuzzedDataProvider& in, const std::vector<CommandShape>* focus) {
  const Catalog& all = catalog();
  const std::vector<CommandShape>* from = &all.keyed_commands;
  if (focus && !one_in(in, 4)) from = focus;
  if (one_in(in, 8)) from = &all.commands;
  const CommandShape& shape = pick(in, *from);
  Args args = shape.words;
  ArgumentWriter(in, shape.words[0], args).write(shape.args);
  switch (in.ConsumeIntegralInRange<unsigned>(0, 31)) {
    case 0:  // an option word of some command, anywhere
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(
                                     in.ConsumeIntegralInRange<size_t>(1, args.size())),
                  pick(in, catalog().words));
      break;
    case 1:  // one argument too few
      if (args.size() > 1) {
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(
                                      in.ConsumeIntegralInRange<size_t>(1, args.size() - 1)));
      }
      break;
    case 2:  // an argument replaced by a number
      if (args.size() > 1) {
        args[in.ConsumeIntegralInRange<size_t>(1, args.size() - 1)] = pick(in, kEdgeIntegers);
      }
      break;
    default:
      break;
  }
  return args;
}

// Many elements at once: listpacks and intsets turn into hash tables and skiplists past
// their size limits (128 entries, 512 integers), streams grow past one node (100 entries),
// HyperLogLogs turn dense past 3000 bytes of sparse encoding (a few thousand elements).
// And many removed at once (every n-th element): the holes they leave are compacted.
std::vector<Args> bulk_insert(FuzzedDataProvider& in) {
  const std::string key = pick(in, kKeys);
  const unsigned kind = in.ConsumeIntegralInRange<unsigned>(0, 8);
  const size_t count = in.ConsumeIntegralInRange<size_t>(1, kind == 5 ? 4000 : 600);
  const bool numbers = in.ConsumeBool();
  auto item = [numbers](size_t i) { return numbers ? std::to_string(i) : "m" + std::to_string(i); };
  if (kind == 4) {  // one entry per XADD
    std::vector<Args> commands;
    for (size_t i = 0; i < count / 2; ++i)
      commands.push_back({"XADD", key, "*", item(i), std::to_string(i)});
    return commands;
  }
  static const char* const kCommands[] = {"RPUSH", "SADD", "ZADD", "HSET", "XADD",
                                          "PFADD", "HDEL", "SREM", "ZREM"};
  Args args = {kCommands[kind], key};
  if (kind >= 6) {
    const size_t step = in.ConsumeIntegralInRange<size_t>(1, 4);
    for (size_t i = 0; i < count; i += step)
      args.push_back(item(i));
    return {args};
  }
  for (size_t i = 0; i < count; ++i) {
    if (kind == 2) args.push_back(std::to_string(i % 7));  // ties in scores: order by member
    args.push_back(item(i));
    if (kind == 3) args.push_back(std::to_string(i));
  }
  return {args};
}

// Commands the table would pick rarely, but that change how every other command behaves.
Args control_command(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<unsigned>(0, 11)) {
    case 0:
      return {"MULTI"};
    case 1:
      return {"EXEC"};
    case 2:
      return {"DISCARD"};
    case 3:
      return {"WATCH", pick(in, kKeys)};
    case 4: {
      static const char* const kSleeps[] = {"0",   "0.05", "0.1", "0.5", "1",   "2",    "10",
                                            "100", "3600", "-1",  "nan", "inf", "1e30", "abc"};
      return {"DEBUG", "SLEEP", pick(in, kSleeps)};
    }
    case 5: {
      Args args = {"DEBUG", "POPULATE", std::to_string(in.ConsumeIntegralInRange<int>(0, 200))};
      if (in.ConsumeBool()) args.push_back(in.ConsumeBool() ? "k" : "key");
      if (in.ConsumeBool()) args.push_back(std::to_string(in.ConsumeIntegralInRange<int>(0, 80)));
      return args;
    }
    case 6:
      return {"SELECT", std::to_string(in.ConsumeIntegralInRange<int>(-1, 16))};
    case 7:
      return {"SWAPDB", std::to_string(in.ConsumeIntegralInRange<int>(0, 2)),
              std::to_string(in.ConsumeIntegralInRange<int>(0, 2))};
    case 8:
      return {"MOVE", pick(in, kKeys), std::to_string(in.ConsumeIntegralInRange<int>(0, 2))};
    case 9:
      return {"OBJECT", "ENCODING", pick(in, kKeys)};
    case 10:
      return {in.ConsumeBool() ? "FLUSHDB" : "FLUSHALL"};
    default:
      return {"UNWATCH"};
  }
}

// Consumer groups need several commands in a row on one key (XADD, XGROUP CREATE,
// XREADGROUP) before XPENDING, XCLAIM, XAUTOCLAIM, XACK and XINFO have anything to show:
// rare by chance, so they come as one step.
std::vector<Args> consumer_group(FuzzedDataProvider& in) {
  const std::string key = pick(in, kKeys);
  const std::string group = one_in(in, 4) ? "g2" : "g1";
  std::vector<Args> commands;
  for (int i = in.ConsumeIntegralInRange<int>(0, 4); i > 0; --i)
    commands.push_back({"XADD", key, "*", "f", pick(in, kValues)});
  commands.push_back({"XGROUP", "CREATE", key, group, in.ConsumeBool() ? "0" : "$", "MKSTREAM"});
  for (int i = in.ConsumeIntegralInRange<int>(0, 3); i > 0; --i)
    commands.push_back({"XADD", key, "*", "f", pick(in, kValues)});
  for (int i = in.ConsumeIntegralInRange<int>(1, 3); i > 0; --i) {
    commands.push_back({"XREADGROUP", "GROUP", group, one_in(in, 3) ? "c2" : "c1", "COUNT",
                        std::to_string(in.ConsumeIntegralInRange<int>(1, 4)), "STREAMS", key,
                        one_in(in, 4) ? "0" : ">"});
  }
  return commands;
}

// REDPAD_FUZZ_VERBOSE=1 prints each command and its reply, as redis-cli would, to stderr:
// replaying a crash input with it shows the command sequence that led there.
const bool kVerbose = std::getenv("REDPAD_FUZZ_VERBOSE") != nullptr;

void print_command(const Args& args, const redpad::Reply& reply, int session) {
  std::string line = session ? "[other] " : "";
  for (const std::string& arg : args)
    line += redpad::quote_bulk_cli(arg) + " ";
  std::fprintf(stderr, "%s\n%s", line.c_str(),
               redpad::format_reply_cli(reply, redpad::cli_prints_raw(args), false).c_str());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  redpad::Sandbox sandbox(redpad::fuzz::sandbox_options(size));
  redpad::Server& server = sandbox.server();
  // A second client: its writes break the first one's WATCH, its MULTI is its own.
  redpad::ClientSession* sessions[] = {&sandbox.session(), &server.create_session("other")};
  std::unique_ptr<redpad::Server> copy;
  const size_t focus_index = in.ConsumeIntegralInRange<size_t>(0, std::size(kFocusGroups));
  const std::vector<CommandShape>* focus =
      focus_index < std::size(kFocusGroups) ? &catalog().groups[focus_index] : nullptr;

  // Commands a client still queues before its EXEC (or DISCARD): a MULTI runs a few, so
  // that an input does not spend the rest of its commands queued.
  int left_in_multi[2] = {0, 0};
  std::size_t scripts = 0;  // Lua scripts run (or queued), at most kMaxScripts
  auto run = [&](int client, const Args& args, bool as_json) {
    if (redpad::fuzz::too_heavy(args)) return;
    if (redpad::fuzz::runs_script(args) && ++scripts > redpad::fuzz::kMaxScripts) return;
    redpad::ClientSession& session = *sessions[client];
    // A blocked client sends nothing until answered (the other client's writes serve it,
    // time ends its wait); if it is still waiting, it is unblocked as CLIENT UNBLOCK would.
    if (session.blocked) {
      server.unblock(session, redpad::Delivery::Cause::Unblocked, redpad::Reply::null_array());
    }
    const redpad::Reply reply = server.execute(session, args);
    if (kVerbose) print_command(args, reply, client);
    // What the CLI and the page make of the reply, and of what reached other clients.
    redpad::format_reply_cli(reply, redpad::cli_prints_raw(args));
    if (as_json) redpad::dump_json(redpad::reply_to_json(reply));
    for (const redpad::Delivery& delivery : server.take_deliveries())
      redpad::format_reply_cli(delivery.reply);
  };

  // The input's budget is kMaxCommands steps: commands, clock jumps and copies.
  for (std::size_t steps = 0; steps < redpad::fuzz::kMaxCommands && in.remaining_bytes() > 0;) {
    const int client = one_in(in, 8) ? 1 : 0;
    std::vector<Args> batch;
    switch (in.ConsumeIntegralInRange<unsigned>(0, 19)) {
      case 0:
        batch = {control_command(in)};
        break;
      case 1:
        batch = bulk_insert(in);
        break;
      case 4:
        batch = consumer_group(in);
        break;
      case 2: {  // time passes: keys expire, idle times grow
        const std::int64_t ms = in.ConsumeIntegralInRange<std::int64_t>(1, 200'000);
        sandbox.advance(ms);
        server.unblock_timed_out();
        if (kVerbose) std::fprintf(stderr, "(clock +%lld ms)\n", static_cast<long long>(ms));
        ++steps;
        continue;
      }
      case 3:  // what lesson checks do: copy the server, look at the copy, drop it
        if (one_in(in, 4)) {
          copy = server.clone_state();
          copy->execute(copy->default_session(), {"DBSIZE"});
        } else {
          copy.reset();
        }
        ++steps;
        continue;
      default:
        batch = {table_command(in, focus)};
        break;
    }
    const bool as_json = one_in(in, 4);
    for (const Args& args : batch)
      run(client, args, as_json);
    steps += batch.size();

    int& left = left_in_multi[client];
    if (!sessions[client]->in_multi) {
      left = 0;
    } else if (left == 0) {
      left = in.ConsumeIntegralInRange<int>(1, 6);
    } else if (--left == 0) {
      run(client, {one_in(in, 4) ? "DISCARD" : "EXEC"}, as_json);
      ++steps;
    }
  }
  sandbox.snapshot(16);
  return 0;
}
