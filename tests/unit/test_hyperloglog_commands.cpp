// HyperLogLog commands: every expected reply and byte string below was checked against
// redis-server 7.0.15.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "types/hyperloglog.h"
#include "value.h"

namespace {

class OtherTypeValue : public redpad::Aggregate {
 public:
  std::unique_ptr<redpad::Aggregate> clone() const override {
    return std::make_unique<OtherTypeValue>();
  }
  const char* encoding_name() const override { return "listpack"; }
  size_t element_count() const override { return 1; }
};

class Hll {
 public:
  Hll() : server_(make_config()) {}

  std::string operator()(std::vector<std::string> args) {
    return redpad::format_reply_cli(server_.execute(server_.default_session(), args));
  }

  // PFADD key prefix<first> ... prefix<last - 1>.
  std::string add_range(const std::string& key, const std::string& prefix, int first, int last) {
    std::vector<std::string> args{"PFADD", key};
    for (int i = first; i < last; ++i)
      args.push_back(prefix + std::to_string(i));
    return (*this)(args);
  }

  void put_list(const std::string& key) {
    server_.db(0).put(key, redpad::Value::make<OtherTypeValue>(redpad::ValueType::List));
  }

 private:
  static redpad::ServerConfig make_config() {
    redpad::ServerConfig config;
    config.start_time_ms = 1'700'000'000'000;
    return config;
  }
  redpad::Server server_;
};

const char* const kNotHll = "(error) WRONGTYPE Key is not a valid HyperLogLog string value.\n";
const char* const kCorrupted = "(error) INVALIDOBJ Corrupted HLL object detected\n";

// A 16-byte sparse header with the given cached cardinality bytes, then `code`.
std::string sparse(const std::string& card, const std::string& code) {
  return std::string("HYLL\x01\x00\x00\x00", 8) + card + code;
}

}  // namespace

TEST_CASE("MurmurHash64A places elements as Redis does") {
  unsigned index = 0;
  unsigned value = 0;
  redpad::hll::element_position("a", index, value);
  CHECK(index == 12711);
  CHECK(value == 2);
}

TEST_CASE("PFADD without elements creates an empty sparse HLL with a stale cache") {
  Hll r;
  CHECK(r({"PFADD", "h"}) == "(integer) 1\n");
  CHECK(r({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\"\n");
  CHECK(r({"OBJECT", "ENCODING", "h"}) == "\"raw\"\n");
  CHECK(r({"PFADD", "h"}) == "(integer) 0\n");
}

TEST_CASE("PFCOUNT stores the cardinality in the header; PFADD marks it stale") {
  Hll r;
  CHECK(r({"PFADD", "h", "a"}) == "(integer) 1\n");
  CHECK(r({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80q\\xa6\\x84NW\"\n");
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 1\n");
  CHECK(r({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00q\\xa6\\x84NW\"\n");
  CHECK(r({"PFADD", "h", "b", "c", "d", "e", "f", "g"}) == "(integer) 1\n");
  // The old count stays in place, only the top bit of its last byte is set.
  CHECK(r({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x80Fm\\x80V\\x0c\\x80D<"
        "\\x848\\x80P\\xb1\\x84I\\x8c\\x80Bm\\x80BZ\"\n");
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 7\n");
  CHECK(r({"PFADD", "h", "a"}) == "(integer) 0\n");
  CHECK(r({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\a\\x00\\x00\\x00\\x00\\x00\\x00\\x00Fm\\x80V\\x0c\\x80D<"
        "\\x848\\x80P\\xb1\\x84I\\x8c\\x80Bm\\x80BZ\"\n");
}

TEST_CASE("PFCOUNT trusts a valid cached cardinality") {
  Hll r;
  r({"SET", "h", sparse(std::string("\x2a\0\0\0\0\0\0\0", 8), "\x7f\xff")});
  CHECK(r({"OBJECT", "ENCODING", "h"}) == "\"embstr\"\n");
  CHECK(r({"PFCOUNT", "h", "h"}) == "(integer) 0\n");
  CHECK(r({"OBJECT", "ENCODING", "h"}) == "\"embstr\"\n");
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 42\n");
  CHECK(r({"OBJECT", "ENCODING", "h"}) == "\"raw\"\n");
}

TEST_CASE("PFCOUNT of a missing key is 0, of several keys the union, changing nothing") {
  Hll r;
  CHECK(r({"PFCOUNT", "missing"}) == "(integer) 0\n");
  r({"PFADD", "h", "a", "b", "c", "d", "e", "f", "g"});
  r({"PFADD", "h2", "x", "y"});
  CHECK(r({"PFCOUNT", "h", "h2", "missing"}) == "(integer) 9\n");
  CHECK(r({"GET", "h2"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80zS\\x88E\\xa0\\x84\\b\""
        "\n");
}

TEST_CASE("PFMERGE writes the union into the destination, which joins in") {
  Hll r;
  r({"PFADD", "h", "a", "b", "c", "d", "e", "f", "g"});
  r({"PFADD", "h2", "x", "y"});
  CHECK(r({"PFMERGE", "h3", "h", "h2"}) == "OK\n");
  CHECK(r({"GET", "h3"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80Fm\\x80V\\x0c\\x80D<"
        "\\x848\\x80P\\xb1\\x84H\\xab\\x88@\\xdf\\x80Bm\\x80BP\\x84\\b\"\n");
  CHECK(r({"PFMERGE", "h3"}) == "OK\n");
  CHECK(r({"PFCOUNT", "h3"}) == "(integer) 9\n");
  CHECK(r({"PFMERGE", "created", "missing"}) == "OK\n");
  CHECK(r({"EXISTS", "created"}) == "(integer) 1\n");
}

TEST_CASE("A sparse HLL turns dense past 3000 bytes") {
  Hll r;
  r.add_range("h", "e", 0, 1683);
  CHECK(r({"STRLEN", "h"}) == "(integer) 3000\n");
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 1683\n");
  CHECK(r({"PFADD", "h", "e1683"}) == "(integer) 1\n");
  CHECK(r({"STRLEN", "h"}) == "(integer) 12304\n");
  CHECK(r({"GETRANGE", "h", "0", "5"}) == "\"HYLL\\x00\\x00\"\n");
}

TEST_CASE("PFMERGE of sparse inputs stays sparse; a dense input makes the result dense") {
  Hll r;
  r.add_range("h2", "e", 0, 1683);
  r.add_range("h3", "e", 1683, 3000);
  CHECK(r({"PFCOUNT", "h2", "h3"}) == "(integer) 2979\n");
  CHECK(r({"PFMERGE", "h5", "h2"}) == "OK\n");
  CHECK(r({"STRLEN", "h5"}) == "(integer) 3000\n");
  CHECK(r({"PFCOUNT", "h5"}) == "(integer) 1683\n");
  // An all-zero dense HLL made by hand still makes the destination dense.
  r({"SET", "d", "HYLL"});
  r({"SETRANGE", "d", "12303", std::string(1, '\0')});
  CHECK(r({"PFMERGE", "m", "d"}) == "OK\n");
  CHECK(r({"STRLEN", "m"}) == "(integer) 12304\n");
  CHECK(r({"PFCOUNT", "m"}) == "(integer) 0\n");
}

TEST_CASE("PFCOUNT matches Redis's estimate for 100,000 elements") {
  Hll r;
  for (int chunk = 0; chunk < 100; ++chunk)
    r.add_range("h", "e", chunk * 1000, chunk * 1000 + 1000);
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 100853\n");
  CHECK(r({"STRLEN", "h"}) == "(integer) 12304\n");
}

TEST_CASE("Strings that are not HLLs get their own WRONGTYPE, other types the usual one") {
  Hll r;
  r({"SET", "s", "foo"});
  CHECK(r({"PFADD", "s", "a"}) == kNotHll);
  CHECK(r({"PFCOUNT", "s"}) == kNotHll);
  CHECK(r({"PFCOUNT", "missing", "s"}) == kNotHll);
  CHECK(r({"PFMERGE", "d", "s"}) == kNotHll);
  CHECK(r({"PFMERGE", "s"}) == kNotHll);
  r({"SET", "bad_encoding", std::string("HYLL\x02\0\0\0\0\0\0\0\0\0\0\0", 16)});
  CHECK(r({"PFADD", "bad_encoding", "a"}) == kNotHll);
  r({"SET", "short_dense", std::string("HYLL\0\0\0\0\0\0\0\0\0\0\0\0", 16)});
  CHECK(r({"PFADD", "short_dense", "a"}) == kNotHll);
  r.put_list("l");
  CHECK(r({"PFADD", "l", "a"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
  CHECK(r({"PFCOUNT", "l"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
}

TEST_CASE("A sparse code that does not cover 16384 registers is corrupted") {
  Hll r;
  const std::string stale("\0\0\0\0\0\0\0\x80", 8);
  r({"SET", "h", sparse(stale, "\x7f\xfe")});  // 16383 registers
  CHECK(r({"PFADD", "h", "a"}) == "(integer) 1\n");
  CHECK(r({"PFCOUNT", "h"}) == kCorrupted);
  CHECK(r({"PFCOUNT", "h", "h"}) == kCorrupted);
  CHECK(r({"PFMERGE", "dest", "h"}) == kCorrupted);
  CHECK(r({"EXISTS", "dest"}) == "(integer) 0\n");
  r({"SET", "empty", sparse(stale, "")});
  CHECK(r({"PFADD", "empty", "a"}) == kCorrupted);
}

TEST_CASE("PFADD, PFMERGE and a cache-filling PFCOUNT touch a watched key") {
  Hll r;
  r({"PFADD", "h", "a"});
  r({"WATCH", "h"});
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 1\n");
  r({"MULTI"});
  CHECK(r({"EXEC"}) == "(nil)\n");
  r({"WATCH", "h"});
  CHECK(r({"PFCOUNT", "h"}) == "(integer) 1\n");
  CHECK(r({"PFADD", "h", "a"}) == "(integer) 0\n");
  r({"MULTI"});
  CHECK(r({"EXEC"}) == "(empty array)\n");
  r({"WATCH", "h"});
  CHECK(r({"PFMERGE", "h"}) == "OK\n");
  r({"MULTI"});
  CHECK(r({"EXEC"}) == "(nil)\n");
}
