// Sorted sets: the SortedSet structure against a naive model (ranks, ranges, removals over
// thousands of random operations), its encodings, and the sorted-set commands' replies.
// Every expected reply was checked against redis-server 7.0.15.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "random.h"
#include "reply.h"
#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"
#include "types/zset.h"

namespace {

using redpad::LexRange;
using redpad::Reply;
using redpad::ReplyType;
using redpad::ScoreRange;
using redpad::Server;
using redpad::SortedSet;

using namespace redpad::test::by_args;

// ZADD key 1 m1 2 m2 ... n mn
std::vector<std::string> zadd_numbered(const std::string& key, int first, int last,
                                       const std::string& prefix = "m") {
  std::vector<std::string> args{"ZADD", key};
  for (int i = first; i <= last; ++i) {
    args.push_back(std::to_string(i));
    args.push_back(prefix + std::to_string(i));
  }
  return args;
}

using redpad::test::strings_of;

// ---- a naive model of a sorted set: a std::set of (score, member) ----

using ModelSet = std::set<std::pair<double, std::string>>;

std::vector<std::pair<double, std::string>> model_elements(const ModelSet& model) {
  return {model.begin(), model.end()};
}

std::vector<std::pair<double, std::string>> elements_of(const SortedSet& zset) {
  std::vector<std::pair<double, std::string>> out;
  for (const SortedSet::Element& element : zset)
    out.emplace_back(element.score, element.member);
  return out;
}

void erase_member(ModelSet& model, const std::string& member) {
  for (auto it = model.begin(); it != model.end(); ++it) {
    if (it->second == member) {
      model.erase(it);
      return;
    }
  }
}

std::string random_member(redpad::Random& random, std::uint64_t spread) {
  return "m" + std::to_string(random.below(spread));
}

double random_score(redpad::Random& random) {
  // Few distinct scores, so ties (ordered by member) are common.
  return static_cast<double>(random.below(50)) / 2.0 - 5.0;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The structure
// ---------------------------------------------------------------------------------------

TEST_CASE("SortedSet orders by score, then by member bytes") {
  SortedSet zset;
  CHECK(zset.add("b", 1));
  CHECK(zset.add("a", 1));
  CHECK(zset.add("\xff", 1));
  CHECK(zset.add("c", 0.5));
  CHECK(zset.add("", 1));
  std::vector<std::string> members;
  for (const auto& element : zset)
    members.push_back(element.member);
  CHECK(members == std::vector<std::string>{"c", "", "a", "b", "\xff"});
  CHECK(zset.rank("c") == 0u);
  CHECK(zset.rank("\xff") == 4u);
  CHECK_FALSE(zset.rank("zz").has_value());
}

TEST_CASE("SortedSet add moves an existing member and reports it was not new") {
  SortedSet zset;
  zset.add("a", 1);
  zset.add("b", 2);
  zset.add("c", 3);
  CHECK_FALSE(zset.add("a", 10));
  CHECK(zset.size() == 3);
  CHECK(zset.score("a") == 10.0);
  CHECK(zset.rank("a") == 2u);
  CHECK(zset.begin()->member == "b");
  CHECK((--zset.end())->member == "a");
  // A score change that keeps the position.
  CHECK_FALSE(zset.add("b", 2.5));
  CHECK(zset.rank("b") == 0u);
}

TEST_CASE("SortedSet iterators walk both ways and stop at end()") {
  SortedSet zset;
  for (int i = 0; i < 10; ++i)
    zset.add("m" + std::to_string(i), i);
  std::vector<double> down;
  for (auto it = --zset.end(); it != zset.end(); --it)
    down.push_back(it->score);
  CHECK(down.size() == 10);
  CHECK(down.front() == 9);
  CHECK(down.back() == 0);
  CHECK(--zset.begin() == zset.end());
  CHECK(zset.at_rank(10) == zset.end());
  CHECK(zset.at_rank(3)->member == "m3");
  CHECK(zset.rank_of(zset.at_rank(7)) == 7);
}

TEST_CASE("SortedSet matches a naive model over thousands of random operations") {
  redpad::Random random(12345);
  SortedSet zset;
  ModelSet model;
  for (int step = 0; step < 6000; ++step) {
    const std::uint64_t op = random.below(10);
    const std::string member = random_member(random, 400);
    if (op < 5) {
      const double score = random_score(random);
      const bool existed = zset.contains(member);
      CHECK(zset.add(member, score) == !existed);
      erase_member(model, member);
      model.emplace(score, member);
    } else if (op < 8) {
      const bool existed = zset.contains(member);
      CHECK(zset.remove(member) == existed);
      erase_member(model, member);
    } else if (op == 8) {
      // A run by rank.
      if (!model.empty()) {
        const auto first = static_cast<size_t>(random.below(model.size()));
        const size_t last = first + static_cast<size_t>(random.below(4));
        const size_t removed = zset.remove_rank_range(first, last);
        auto it = std::next(model.begin(), static_cast<std::ptrdiff_t>(first));
        size_t expected = 0;
        while (it != model.end() && expected <= last - first) {
          it = model.erase(it);
          ++expected;
        }
        CHECK(removed == expected);
      }
    } else {
      // A run by score.
      ScoreRange range;
      range.min = random_score(random);
      range.max = range.min + static_cast<double>(random.below(3)) / 2.0;
      range.min_exclusive = random.below(2) == 0;
      range.max_exclusive = random.below(2) == 0;
      size_t expected = 0;
      for (auto it = model.begin(); it != model.end();) {
        if (range.contains(it->first)) {
          it = model.erase(it);
          ++expected;
        } else {
          ++it;
        }
      }
      CHECK(zset.remove_range(range) == expected);
    }
    REQUIRE(zset.size() == model.size());
    if (step % 97 == 0) REQUIRE(elements_of(zset) == model_elements(model));
    // Ranks and rank lookups of a few members.
    if (!model.empty()) {
      const auto rank = static_cast<size_t>(random.below(model.size()));
      const auto& expected = *std::next(model.begin(), static_cast<std::ptrdiff_t>(rank));
      const auto at = zset.at_rank(rank);
      REQUIRE(at != zset.end());
      CHECK(at->member == expected.second);
      CHECK(at->score == expected.first);
      CHECK(zset.rank(expected.second) == rank);
      CHECK(zset.score(expected.second) == expected.first);
    }
  }
  CHECK(elements_of(zset) == model_elements(model));
}

TEST_CASE("SortedSet score ranges agree with a naive filter") {
  redpad::Random random(99);
  SortedSet zset;
  ModelSet model;
  for (int i = 0; i < 300; ++i) {
    const std::string member = random_member(random, 1000);
    const double score = random_score(random);
    erase_member(model, member);
    model.emplace(score, member);
    zset.add(member, score);
  }
  for (int trial = 0; trial < 500; ++trial) {
    ScoreRange range;
    range.min = random_score(random);
    range.max = random_score(random);
    range.min_exclusive = random.below(2) == 0;
    range.max_exclusive = random.below(2) == 0;
    std::vector<std::string> expected;
    for (const auto& [score, member] : model) {
      if (range.contains(score)) expected.push_back(member);
    }
    CHECK(zset.count_in(range) == expected.size());
    const auto first = zset.first_in(range);
    const auto last = zset.last_in(range);
    if (expected.empty()) {
      CHECK(first == zset.end());
      CHECK(last == zset.end());
    } else {
      REQUIRE(first != zset.end());
      REQUIRE(last != zset.end());
      CHECK(first->member == expected.front());
      CHECK(last->member == expected.back());
    }
  }
}

TEST_CASE("SortedSet lex ranges agree with a naive filter on equal scores") {
  redpad::Random random(7);
  SortedSet zset;
  std::set<std::string> model;
  for (int i = 0; i < 500; ++i) {  // more than 128: a skiplist, searched not scanned
    const std::string member = random_member(random, 5000);
    zset.add(member, 0);
    model.insert(member);
  }
  REQUIRE_FALSE(zset.is_listpack());
  auto bound = [&](bool is_min) {
    redpad::LexBound b;
    const std::uint64_t kind = random.below(6);
    if (kind == 0) {
      b.kind = is_min ? redpad::LexBound::Kind::NegativeInfinity
                      : redpad::LexBound::Kind::PositiveInfinity;
    } else {
      b.kind = kind % 2 ? redpad::LexBound::Kind::Inclusive : redpad::LexBound::Kind::Exclusive;
      b.value = random_member(random, 5000);
    }
    return b;
  };
  for (int trial = 0; trial < 500; ++trial) {
    LexRange range;
    range.min = bound(true);
    range.max = bound(false);
    std::vector<std::string> expected;
    for (const std::string& member : model) {
      if (range.contains(member)) expected.push_back(member);
    }
    CHECK(zset.count_in(range) == expected.size());
    const auto first = zset.first_in(range);
    if (expected.empty()) {
      CHECK(first == zset.end());
    } else {
      REQUIRE(first != zset.end());
      CHECK(first->member == expected.front());
      CHECK(zset.last_in(range)->member == expected.back());
    }
  }
}

TEST_CASE("Score range bounds parse like Redis") {
  double value = 0;
  bool exclusive = false;
  CHECK(redpad::parse_score_bound("(1.5", value, exclusive));
  CHECK(value == 1.5);
  CHECK(exclusive);
  CHECK(redpad::parse_score_bound("", value, exclusive));  // strtod of nothing: 0
  CHECK(value == 0);
  CHECK(redpad::parse_score_bound(" 2", value, exclusive));
  CHECK(redpad::parse_score_bound("1e400", value, exclusive));
  CHECK(std::isinf(value));
  CHECK(redpad::parse_score_bound(std::string("3\0junk", 6), value, exclusive));
  CHECK(value == 3);
  CHECK_FALSE(redpad::parse_score_bound("nan", value, exclusive));
  CHECK_FALSE(redpad::parse_score_bound("((1", value, exclusive));
  CHECK_FALSE(redpad::parse_score_bound("[1", value, exclusive));
  CHECK_FALSE(redpad::parse_score_bound("1 ", value, exclusive));
  CHECK_FALSE(redpad::parse_score_bound("-", value, exclusive));
}

TEST_CASE("Lex range bounds parse like Redis") {
  LexRange range;
  CHECK(redpad::parse_lex_range("-", "+", range));
  CHECK(redpad::parse_lex_range("[", "(abc", range));
  CHECK(range.min.value.empty());
  CHECK(range.max.value == "abc");
  CHECK_FALSE(redpad::parse_lex_range("a", "+", range));
  CHECK_FALSE(redpad::parse_lex_range("", "+", range));
  CHECK_FALSE(redpad::parse_lex_range("-", "+x", range));
  CHECK(redpad::parse_lex_range("[c", "[c", range));
  CHECK_FALSE(range.is_empty());
  CHECK(redpad::parse_lex_range("(c", "[c", range));
  CHECK(range.is_empty());
  CHECK(redpad::parse_lex_range("-", "-", range));
  CHECK(range.is_empty());
}

TEST_CASE("SortedSet encoding: listpack up to 128 short members, then skiplist for good") {
  SortedSet zset;
  for (int i = 0; i < 128; ++i)
    zset.add("m" + std::to_string(i), i);
  CHECK(std::string(zset.encoding_name()) == "listpack");
  zset.add("m128", 128);
  CHECK(std::string(zset.encoding_name()) == "skiplist");
  zset.remove_rank_range(0, 127);
  CHECK(zset.size() == 1);
  CHECK(std::string(zset.encoding_name()) == "skiplist");
  zset.fit_encoding();
  CHECK(std::string(zset.encoding_name()) == "listpack");

  SortedSet wide;
  wide.add(std::string(64, 'x'), 1);
  CHECK(wide.is_listpack());
  wide.add(std::string(65, 'y'), 1);
  CHECK_FALSE(wide.is_listpack());
  wide.fit_encoding();
  CHECK_FALSE(wide.is_listpack());
}

TEST_CASE("SortedSet clone copies members, scores and encoding") {
  SortedSet zset;
  zset.add("a", 1);
  zset.add(std::string(65, 'y'), 2);
  zset.remove(std::string(65, 'y'));
  auto copy = zset.clone();
  const auto& cloned = static_cast<const SortedSet&>(*copy);
  CHECK(cloned.size() == 1);
  CHECK(cloned.score("a") == 1.0);
  CHECK(std::string(cloned.encoding_name()) == "skiplist");
  zset.add("b", 3);
  CHECK(cloned.size() == 1);
}

TEST_CASE("SortedSet rank and at_rank stay O(log n): a million members") {
  SortedSet zset;
  constexpr int kCount = 1'000'000;
  for (int i = 0; i < kCount; ++i)
    zset.add("member:" + std::to_string(i), i);
  CHECK(zset.size() == kCount);
  CHECK(zset.rank("member:765432") == 765432u);
  CHECK(zset.at_rank(999'999)->member == "member:999999");
  CHECK(zset.at_rank(500'000)->score == 500'000);
  ScoreRange range{10, 20, true, false};
  CHECK(zset.count_in(range) == 10);
  CHECK(zset.remove_rank_range(0, 499'999) == 500'000);
  CHECK(zset.rank("member:765432") == 265432u);
}

// ---------------------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------------------

TEST_CASE("ZADD counts new members; CH counts changed ones too") {
  Server server(config());
  CHECK(cli(server, {"ZADD", "z", "1", "a", "2", "b"}) == "(integer) 2\n");
  CHECK(cli(server, {"ZADD", "z", "1", "a", "3", "b", "4", "c"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZADD", "z", "CH", "9", "a", "3", "b", "5", "d"}) == "(integer) 2\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}) ==
        "1) \"b\"\n2) \"3\"\n3) \"c\"\n4) \"4\"\n5) \"d\"\n6) \"5\"\n7) \"a\"\n8) \"9\"\n");
}

TEST_CASE("ZADD NX, XX, GT and LT decide which pairs apply") {
  Server server(config());
  run(server, {"ZADD", "z", "5", "a"});
  CHECK(cli(server, {"ZADD", "z", "NX", "1", "a", "2", "b"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZADD", "z", "XX", "CH", "1", "a", "7", "c"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZADD", "z", "GT", "CH", "0", "a", "9", "b"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZADD", "z", "LT", "CH", "0", "a", "10", "b"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1", "WITHSCORES"}) ==
        "1) \"a\"\n2) \"0\"\n3) \"b\"\n4) \"9\"\n");
  CHECK(cli(server, {"ZADD", "missing", "XX", "1", "a"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "missing"}) == "(integer) 0\n");
}

TEST_CASE("ZADD option conflicts and argument errors, in Redis's order") {
  Server server(config());
  CHECK(cli(server, {"ZADD", "z", "NX", "XX", "1"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"ZADD", "z", "NX", "XX", "x", "a"}) ==
        "(error) ERR XX and NX options at the same time are not compatible\n");
  CHECK(cli(server, {"ZADD", "z", "GT", "LT", "1", "a"}) ==
        "(error) ERR GT, LT, and/or NX options at the same time are not compatible\n");
  CHECK(cli(server, {"ZADD", "z", "GT", "NX", "1", "a"}) ==
        "(error) ERR GT, LT, and/or NX options at the same time are not compatible\n");
  CHECK(cli(server, {"ZADD", "z", "INCR", "x", "a", "y", "b"}) ==
        "(error) ERR INCR option supports a single increment-element pair\n");
  CHECK(cli(server, {"ZADD", "z", "1", "a", "nan", "b"}) ==
        "(error) ERR value is not a valid float\n");
  CHECK(cli(server, {"ZADD", "z", "1", "a", "2"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"EXISTS", "z"}) == "(integer) 0\n");
  run(server, {"SET", "s", "v"});
  CHECK(cli(server, {"ZADD", "s", "x", "a"}) == "(error) ERR value is not a valid float\n");
  CHECK(cli(server, {"ZADD", "s", "1", "a"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
}

TEST_CASE("ZADD INCR and ZINCRBY reply with the new score or nil") {
  Server server(config());
  CHECK(cli(server, {"ZADD", "z", "INCR", "0.1", "a"}) == "\"0.10000000000000001\"\n");
  CHECK(cli(server, {"ZINCRBY", "z", "0.2", "a"}) == "\"0.30000000000000004\"\n");
  CHECK(cli(server, {"ZADD", "z", "INCR", "NX", "1", "a"}) == "(nil)\n");
  CHECK(cli(server, {"ZADD", "z", "INCR", "GT", "-1", "a"}) == "(nil)\n");
  CHECK(cli(server, {"ZADD", "z", "INCR", "XX", "1", "b"}) == "(nil)\n");
  CHECK(cli(server, {"ZINCRBY", "z", "inf", "a"}) == "\"inf\"\n");
  CHECK(cli(server, {"ZINCRBY", "z", "-inf", "a"}) ==
        "(error) ERR resulting score is not a number (NaN)\n");
  CHECK(cli(server, {"ZSCORE", "z", "a"}) == "\"inf\"\n");
}

TEST_CASE("ZADD -0 is stored as a zero score and printed as 0") {
  Server server(config());
  run(server, {"ZADD", "z", "-0", "a", "0", "b"});
  CHECK(cli(server, {"ZSCORE", "z", "a"}) == "\"0\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1"}) == "1) \"a\"\n2) \"b\"\n");
}

TEST_CASE("ZRANGE BYSCORE and BYLEX with REV and LIMIT") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  CHECK(cli(server, {"ZRANGE", "z", "(1", "4", "BYSCORE", "LIMIT", "1", "2"}) ==
        "1) \"c\"\n2) \"d\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "+inf", "-inf", "BYSCORE", "REV", "LIMIT", "1", "2",
                     "WITHSCORES"}) == "1) \"d\"\n2) \"4\"\n3) \"c\"\n4) \"3\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2"}) ==
        "(empty array)\n");
  run(server, {"ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"});
  CHECK(cli(server, {"ZRANGE", "l", "[d", "(a", "BYLEX", "REV"}) ==
        "1) \"d\"\n2) \"c\"\n3) \"b\"\n");
  CHECK(cli(server, {"ZRANGE", "l", "-", "+", "BYLEX", "WITHSCORES"}) ==
        "(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX\n");
  CHECK(cli(server, {"ZRANGE", "l", "0", "1", "LIMIT", "0", "1"}) ==
        "(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
        "or BYLEX\n");
  CHECK(cli(server, {"ZRANGE", "l", "0", "1", "REV", "REV"}) == "(error) ERR syntax error\n");
}

// Found with the sanitizer build: a negative count of -2^63 was counted down past the limit.
TEST_CASE("A negative LIMIT count means no limit, however large") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(cli(server, {"ZRANGEBYSCORE", "z", "-inf", "+inf", "LIMIT", "1", "-9223372036854775808"}) ==
        "1) \"b\"\n2) \"c\"\n");
  CHECK(cli(server, {"ZREVRANGEBYLEX", "z", "+", "-", "LIMIT", "0", "-9223372036854775808"}) ==
        "1) \"c\"\n2) \"b\"\n3) \"a\"\n");
  CHECK(cli(server, {"ZRANGESTORE", "d", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "2",
                     "-9223372036854775808"}) == "(integer) 1\n");
}

// Redis refuses LIMIT by rank only when the count is not -1 (its "no limit"); the offset is
// then ignored.
TEST_CASE("ZRANGE by rank accepts LIMIT with a count of -1") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b"});
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1", "LIMIT", "1", "-1"}) == "1) \"a\"\n2) \"b\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1", "REV", "LIMIT", "-9223372036854775808", "-1"}) ==
        "1) \"b\"\n2) \"a\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "-1", "LIMIT", "0", "-5"}) ==
        "(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE "
        "or BYLEX\n");
}

TEST_CASE("ZRANGE by rank on a skiplist reaches any position") {
  Server server(config());
  run(server, zadd_numbered("z", 1, 1000));
  CHECK(cli(server, {"OBJECT", "ENCODING", "z"}) == "\"skiplist\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "500", "501", "WITHSCORES"}) ==
        "1) \"m501\"\n2) \"501\"\n3) \"m502\"\n4) \"502\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "0", "1", "REV"}) == "1) \"m1000\"\n2) \"m999\"\n");
  CHECK(cli(server, {"ZRANK", "z", "m777"}) == "(integer) 776\n");
  CHECK(cli(server, {"ZREVRANK", "z", "m777"}) == "(integer) 223\n");
}

TEST_CASE("ZRANGESTORE writes a listpack when the result fits, and deletes on empty") {
  Server server(config());
  run(server, {"ZADD", "src", "1", "a", "2", std::string(65, 'x')});
  CHECK(cli(server, {"OBJECT", "ENCODING", "src"}) == "\"skiplist\"\n");
  CHECK(cli(server, {"ZRANGESTORE", "dst", "src", "0", "0"}) == "(integer) 1\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "dst"}) == "\"listpack\"\n");
  CHECK(cli(server, {"ZRANGESTORE", "dst", "src", "5", "9"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "dst"}) == "(integer) 0\n");
}

TEST_CASE("ZREMRANGEBY* delete the key once it is empty") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(cli(server, {"ZREMRANGEBYSCORE", "z", "(1", "2"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZREMRANGEBYRANK", "z", "-1", "-1"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZREMRANGEBYLEX", "z", "-", "+"}) == "(integer) 1\n");
  CHECK(cli(server, {"EXISTS", "z"}) == "(integer) 0\n");
}

TEST_CASE("ZPOPMIN, ZPOPMAX and ZMPOP") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(cli(server, {"ZPOPMIN", "z"}) == "1) \"a\"\n2) \"1\"\n");
  CHECK(cli(server, {"ZPOPMAX", "z", "5"}) == "1) \"c\"\n2) \"3\"\n3) \"b\"\n4) \"2\"\n");
  CHECK(cli(server, {"EXISTS", "z"}) == "(integer) 0\n");
  CHECK(cli(server, {"ZPOPMIN", "z", "-1"}) ==
        "(error) ERR value is out of range, must be positive\n");
  run(server, {"ZADD", "y", "1", "a", "2", "b"});
  CHECK(cli(server, {"ZMPOP", "2", "z", "y", "MAX", "COUNT", "5"}) ==
        "1) \"y\"\n2) 1) 1) \"b\"\n      2) \"2\"\n   2) 1) \"a\"\n      2) \"1\"\n");
  CHECK(cli(server, {"ZMPOP", "2", "z", "y", "MIN"}) == "(nil)\n");
  CHECK(cli(server, {"ZMPOP", "0", "z", "MIN"}) ==
        "(error) ERR numkeys should be greater than 0\n");
  CHECK(cli(server, {"ZMPOP", "1", "z", "MIN", "COUNT", "0"}) ==
        "(error) ERR count should be greater than 0\n");
}

TEST_CASE("ZRANDMEMBER refuses a negative count beyond a million instead of exhausting memory") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a"});
  CHECK(cli(server, {"ZRANDMEMBER", "z", "-200000000"}) ==
        "(error) ERR redpad returns at most 1000000 members for ZRANDMEMBER with a negative "
        "count\n");
  CHECK(strings_of(run(server, {"ZRANDMEMBER", "z", "-1000000"})).size() == 1000000);
}

TEST_CASE("ZRANDMEMBER: whole set highest first, distinct draws, repeated draws") {
  Server server(config(42));
  run(server, {"ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"});
  CHECK(cli(server, {"ZRANDMEMBER", "z", "9"}) ==
        "1) \"e\"\n2) \"d\"\n3) \"c\"\n4) \"b\"\n5) \"a\"\n");
  for (int round = 0; round < 50; ++round) {
    std::vector<std::string> drawn = strings_of(run(server, {"ZRANDMEMBER", "z", "3"}));
    CHECK(drawn.size() == 3);
    std::sort(drawn.begin(), drawn.end());
    CHECK(std::adjacent_find(drawn.begin(), drawn.end()) == drawn.end());
  }
  std::set<std::string> seen;
  const std::vector<std::string> many = strings_of(run(server, {"ZRANDMEMBER", "z", "-200"}));
  CHECK(many.size() == 200);
  seen.insert(many.begin(), many.end());
  CHECK(seen.size() == 5);  // every member shows up among 200 draws
  const std::vector<std::string> pairs =
      strings_of(run(server, {"ZRANDMEMBER", "z", "-4", "WITHSCORES"}));
  REQUIRE(pairs.size() == 8);
  for (size_t i = 0; i < pairs.size(); i += 2) {
    CHECK(pairs[i + 1] == std::to_string(pairs[i][0] - 'a' + 1));
  }
  CHECK(cli(server, {"ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"}) ==
        "(error) ERR value is out of range\n");
}

TEST_CASE("ZRANDMEMBER draws come from the server's seeded generator") {
  auto draws = [](std::uint64_t seed) {
    Server server(config(seed));
    run(server, zadd_numbered("z", 1, 300));
    std::vector<std::string> out;
    for (int i = 0; i < 5; ++i)
      out.push_back(run(server, {"ZRANDMEMBER", "z"}).str);
    const auto some = strings_of(run(server, {"ZRANDMEMBER", "z", "10"}));
    out.insert(out.end(), some.begin(), some.end());
    return out;
  };
  CHECK(draws(1) == draws(1));
  CHECK(draws(1) != draws(2));
}

TEST_CASE("ZUNION, ZINTER and ZDIFF with weights, aggregates and infinities") {
  Server server(config());
  run(server, {"ZADD", "a", "1", "x", "2", "y", "inf", "z"});
  run(server, {"ZADD", "b", "10", "y", "-inf", "z", "30", "w"});
  CHECK(cli(server, {"ZUNION", "2", "a", "b", "WITHSCORES"}) ==
        "1) \"z\"\n2) \"0\"\n3) \"x\"\n4) \"1\"\n5) \"y\"\n6) \"12\"\n7) \"w\"\n8) \"30\"\n");
  CHECK(cli(server, {"ZINTER", "2", "a", "b", "WEIGHTS", "2", "1", "AGGREGATE", "MIN",
                     "WITHSCORES"}) == "1) \"z\"\n2) \"-inf\"\n3) \"y\"\n4) \"4\"\n");
  CHECK(cli(server, {"ZDIFF", "2", "a", "b", "WITHSCORES"}) == "1) \"x\"\n2) \"1\"\n");
  CHECK(cli(server, {"ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"}) ==
        "(error) ERR weight value is not a float\n");
  CHECK(cli(server, {"ZUNION", "0", "a"}) ==
        "(error) ERR at least 1 input key is needed for 'zunion' command\n");
  CHECK(cli(server, {"ZINTERCARD", "2", "a", "b", "LIMIT", "1"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZINTERCARD", "2", "a", "b", "LIMIT", "-1"}) ==
        "(error) ERR LIMIT can't be negative\n");
}

TEST_CASE("ZUNIONSTORE picks the destination's encoding from its contents") {
  Server server(config());
  run(server, zadd_numbered("a", 1, 100));
  run(server, zadd_numbered("b", 51, 150));
  CHECK(cli(server, {"ZUNIONSTORE", "u", "2", "a", "b"}) == "(integer) 150\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "u"}) == "\"skiplist\"\n");
  CHECK(cli(server, {"ZINTERSTORE", "i", "2", "a", "b"}) == "(integer) 50\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "i"}) == "\"listpack\"\n");
  CHECK(cli(server, {"ZINTERSTORE", "i", "2", "a", "nokey"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "i"}) == "(integer) 0\n");
}

TEST_CASE("ZSCAN returns a listpack whole and walks a skiplist with cursors") {
  Server server(config());
  run(server, {"ZADD", "small", "2", "b", "1", "a"});
  CHECK(cli(server, {"ZSCAN", "small", "7", "COUNT", "1"}) ==
        "1) \"0\"\n2) 1) \"a\"\n   2) \"1\"\n   3) \"b\"\n   4) \"2\"\n");
  run(server, zadd_numbered("big", 1, 500));
  std::set<std::string> seen;
  std::string cursor = "0";
  int pages = 0;
  do {
    const Reply page = run(server, {"ZSCAN", "big", cursor, "COUNT", "20"});
    REQUIRE(page.type == ReplyType::Array);
    cursor = page.elements[0].str;
    const auto items = strings_of(page.elements[1]);
    REQUIRE(items.size() % 2 == 0);
    for (size_t i = 0; i < items.size(); i += 2) {
      CHECK(items[i + 1] == items[i].substr(1));  // m17 scores 17
      seen.insert(items[i]);
    }
    ++pages;
  } while (cursor != "0" && pages < 1000);
  CHECK(seen.size() == 500);
  CHECK(pages > 1);
}

TEST_CASE("Sorted-set writes touch WATCHed keys only when something changes") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a"});
  run(server, {"WATCH", "z"});
  run(server, {"ZADD", "z", "1", "a"});
  run(server, {"ZREM", "z", "nope"});
  run(server, {"ZPOPMIN", "z", "0"});
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "1) PONG\n");
  run(server, {"WATCH", "z"});
  run(server, {"ZINCRBY", "z", "1", "a"});
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "(nil)\n");
}

TEST_CASE("Sorted-set reads count keyspace hits and misses; writes do not") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a"});
  const auto hits = server.stats().keyspace_hits;
  const auto misses = server.stats().keyspace_misses;
  auto counted = [&](std::uint64_t h, std::uint64_t m) {
    return server.stats().keyspace_hits - hits == h && server.stats().keyspace_misses - misses == m;
  };
  run(server, {"ZRANGESTORE", "d", "z", "0", "-1"});
  CHECK(counted(1, 0));
  run(server, {"ZRANGESTORE", "d", "nokey", "0", "-1"});
  CHECK(counted(1, 1));
  run(server, {"ZUNIONSTORE", "d", "1", "z"});  // the STORE forms count their inputs too
  CHECK(counted(2, 1));
  run(server, {"ZINTER", "2", "z", "nokey"});
  CHECK(counted(3, 2));
  run(server, {"ZADD", "z", "2", "b"});
  run(server, {"ZREM", "z", "b"});
  run(server, {"ZPOPMIN", "nokey"});
  run(server, {"ZMPOP", "1", "nokey", "MIN"});
  run(server, {"ZINCRBY", "z", "1", "a"});
  run(server, {"ZREMRANGEBYRANK", "nokey", "0", "1"});
  CHECK(counted(3, 2));
  run(server, {"ZRANDMEMBER", "nokey", "2"});
  run(server, {"ZSCAN", "z", "0"});
  run(server, {"ZCARD", "nokey"});
  run(server, {"ZMSCORE", "z", "a"});
  CHECK(counted(5, 4));
}

TEST_CASE("Lex ranges on mixed scores scan a listpack as Redis does") {
  Server server(config());
  run(server, {"ZADD", "m", "1", "d", "2", "b", "3", "a", "4", "e", "5", "c"});
  CHECK(cli(server, {"ZRANGEBYLEX", "m", "[b", "[d"}) == "1) \"d\"\n2) \"b\"\n3) \"a\"\n");
  CHECK(cli(server, {"ZREVRANGEBYLEX", "m", "[d", "[b"}) == "1) \"c\"\n2) \"e\"\n");
  CHECK(cli(server, {"ZLEXCOUNT", "m", "[c", "[e"}) == "(integer) 5\n");
  CHECK(cli(server, {"ZRANGEBYLEX", "m", "[a", "[c"}) == "(empty array)\n");
  CHECK(cli(server, {"ZREMRANGEBYLEX", "m", "[b", "[d"}) == "(integer) 3\n");
  CHECK(cli(server, {"ZRANGE", "m", "0", "-1"}) == "1) \"e\"\n2) \"c\"\n");
}

TEST_CASE("Score range ends accept what strtod accepts, up to a NUL byte") {
  Server server(config());
  run(server, {"ZADD", "z", "1", "a", "2", "b", "3", "c"});
  CHECK(cli(server, {"ZCOUNT", "z", "(", "+inf"}) == "(integer) 3\n");
  CHECK(cli(server, {"ZCOUNT", "z", std::string("(2\0x", 4), "+inf"}) == "(integer) 1\n");
  CHECK(cli(server, {"ZCOUNT", "z", " 2", "0x3"}) == "(integer) 2\n");
  CHECK(cli(server, {"ZCOUNT", "z", "-", "+"}) == "(error) ERR min or max is not a float\n");
  CHECK(cli(server, {"ZRANGEBYLEX", "z", "a", "+"}) ==
        "(error) ERR min or max not valid string range item\n");
  // Scores given to ZADD are strict.
  CHECK(cli(server, {"ZADD", "z", std::string("1\0x", 3), "d"}) ==
        "(error) ERR value is not a valid float\n");
}

TEST_CASE("A first member longer than 64 bytes makes a skiplist at once") {
  Server server(config());
  run(server, {"ZADD", "z", "1", std::string(65, 'x')});
  CHECK(cli(server, {"OBJECT", "ENCODING", "z"}) == "\"skiplist\"\n");
  run(server, {"ZPOPMIN", "z"});
  CHECK(cli(server, {"EXISTS", "z"}) == "(integer) 0\n");
  run(server, {"ZADD", "z", "1", std::string(64, 'x')});
  CHECK(cli(server, {"OBJECT", "ENCODING", "z"}) == "\"listpack\"\n");
}

TEST_CASE("ZRANGE LIMIT skips by rank inside a large set") {
  Server server(config());
  run(server, zadd_numbered("z", 1, 5000));
  CHECK(cli(server, {"ZRANGE", "z", "(100", "+inf", "BYSCORE", "LIMIT", "4000", "2"}) ==
        "1) \"m4101\"\n2) \"m4102\"\n");
  CHECK(cli(server, {"ZRANGE", "z", "(100", "+inf", "BYSCORE", "LIMIT", "4900", "2"}) ==
        "(empty array)\n");
  CHECK(cli(server, {"ZRANGE", "z", "200", "-inf", "BYSCORE", "REV", "LIMIT", "198", "5"}) ==
        "1) \"m2\"\n2) \"m1\"\n");
  CHECK(cli(server, {"ZCOUNT", "z", "(10", "4990"}) == "(integer) 4980\n");
}

#if __has_include("types/set.h")
// Plain sets join the algebra once the set type is in the tree.
TEST_CASE("ZUNION, ZINTER, ZDIFF and ZINTERCARD read plain sets as scores of 1") {
  Server server(config());
  run(server, {"SADD", "st", "y", "z", "k"});
  run(server, {"ZADD", "a", "1", "x", "2", "y", "inf", "z", "-inf", "q"});
  CHECK(cli(server, {"ZINTER", "2", "st", "a", "WEIGHTS", "5", "1", "WITHSCORES"}) ==
        "1) \"y\"\n2) \"7\"\n3) \"z\"\n4) \"inf\"\n");
  CHECK(cli(server, {"ZDIFF", "2", "st", "a", "WITHSCORES"}) == "1) \"k\"\n2) \"1\"\n");
  CHECK(cli(server, {"ZINTERCARD", "2", "st", "a"}) == "(integer) 2\n");
  CHECK(cli(server, {"ZUNIONSTORE", "d", "1", "st"}) == "(integer) 3\n");
  CHECK(cli(server, {"ZRANGE", "d", "0", "-1", "WITHSCORES"}) ==
        "1) \"k\"\n2) \"1\"\n3) \"y\"\n4) \"1\"\n5) \"z\"\n6) \"1\"\n");
  CHECK(cli(server, {"ZRANGE", "st", "0", "-1"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
}
#endif
