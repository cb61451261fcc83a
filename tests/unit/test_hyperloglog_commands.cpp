// HyperLogLog commands: every expected reply and byte string below was checked against
// redis-server 7.0.15.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"
#include "types/hyperloglog.h"

namespace {

// A test server that also adds a range of elements in one PFADD.
class Hll : public redpad::test::TestServer {
 public:
  // PFADD key prefix<first> ... prefix<last - 1>.
  std::string add_range(const std::string& key, const std::string& prefix, int first, int last) {
    std::vector<std::string> args{"PFADD", key};
    for (int i = first; i < last; ++i)
      args.push_back(prefix + std::to_string(i));
    return cli(args);
  }
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
  CHECK(r.cli({"PFADD", "h"}) == "(integer) 1\n");
  CHECK(r.cli({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80\\x7f\\xff\"\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "h"}) == "\"raw\"\n");
  CHECK(r.cli({"PFADD", "h"}) == "(integer) 0\n");
}

TEST_CASE("PFCOUNT stores the cardinality in the header; PFADD marks it stale") {
  Hll r;
  CHECK(r.cli({"PFADD", "h", "a"}) == "(integer) 1\n");
  CHECK(r.cli({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80q\\xa6\\x84NW\"\n");
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 1\n");
  CHECK(r.cli({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00q\\xa6\\x84NW\"\n");
  CHECK(r.cli({"PFADD", "h", "b", "c", "d", "e", "f", "g"}) == "(integer) 1\n");
  // The old count stays in place, only the top bit of its last byte is set.
  CHECK(r.cli({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x80Fm\\x80V\\x0c\\x80D<"
        "\\x848\\x80P\\xb1\\x84I\\x8c\\x80Bm\\x80BZ\"\n");
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 7\n");
  CHECK(r.cli({"PFADD", "h", "a"}) == "(integer) 0\n");
  CHECK(r.cli({"GET", "h"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\a\\x00\\x00\\x00\\x00\\x00\\x00\\x00Fm\\x80V\\x0c\\x80D<"
        "\\x848\\x80P\\xb1\\x84I\\x8c\\x80Bm\\x80BZ\"\n");
}

TEST_CASE("PFCOUNT trusts a valid cached cardinality") {
  Hll r;
  r.cli({"SET", "h", sparse(std::string("\x2a\0\0\0\0\0\0\0", 8), "\x7f\xff")});
  CHECK(r.cli({"OBJECT", "ENCODING", "h"}) == "\"embstr\"\n");
  CHECK(r.cli({"PFCOUNT", "h", "h"}) == "(integer) 0\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "h"}) == "\"embstr\"\n");
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 42\n");
  CHECK(r.cli({"OBJECT", "ENCODING", "h"}) == "\"raw\"\n");
}

TEST_CASE("PFCOUNT of a missing key is 0, of several keys the union, changing nothing") {
  Hll r;
  CHECK(r.cli({"PFCOUNT", "missing"}) == "(integer) 0\n");
  r.cli({"PFADD", "h", "a", "b", "c", "d", "e", "f", "g"});
  r.cli({"PFADD", "h2", "x", "y"});
  CHECK(r.cli({"PFCOUNT", "h", "h2", "missing"}) == "(integer) 9\n");
  CHECK(r.cli({"GET", "h2"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80zS\\x88E\\xa0\\x84\\b\""
        "\n");
}

TEST_CASE("PFMERGE writes the union into the destination, which joins in") {
  Hll r;
  r.cli({"PFADD", "h", "a", "b", "c", "d", "e", "f", "g"});
  r.cli({"PFADD", "h2", "x", "y"});
  CHECK(r.cli({"PFMERGE", "h3", "h", "h2"}) == "OK\n");
  CHECK(r.cli({"GET", "h3"}) ==
        "\"HYLL\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x80Fm\\x80V\\x0c\\x80D<"
        "\\x848\\x80P\\xb1\\x84H\\xab\\x88@\\xdf\\x80Bm\\x80BP\\x84\\b\"\n");
  CHECK(r.cli({"PFMERGE", "h3"}) == "OK\n");
  CHECK(r.cli({"PFCOUNT", "h3"}) == "(integer) 9\n");
  CHECK(r.cli({"PFMERGE", "created", "missing"}) == "OK\n");
  CHECK(r.cli({"EXISTS", "created"}) == "(integer) 1\n");
}

TEST_CASE("A sparse HLL turns dense past 3000 bytes") {
  Hll r;
  r.add_range("h", "e", 0, 1683);
  CHECK(r.cli({"STRLEN", "h"}) == "(integer) 3000\n");
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 1683\n");
  CHECK(r.cli({"PFADD", "h", "e1683"}) == "(integer) 1\n");
  CHECK(r.cli({"STRLEN", "h"}) == "(integer) 12304\n");
  CHECK(r.cli({"GETRANGE", "h", "0", "5"}) == "\"HYLL\\x00\\x00\"\n");
}

TEST_CASE("PFMERGE of sparse inputs stays sparse; a dense input makes the result dense") {
  Hll r;
  r.add_range("h2", "e", 0, 1683);
  r.add_range("h3", "e", 1683, 3000);
  CHECK(r.cli({"PFCOUNT", "h2", "h3"}) == "(integer) 2979\n");
  CHECK(r.cli({"PFMERGE", "h5", "h2"}) == "OK\n");
  CHECK(r.cli({"STRLEN", "h5"}) == "(integer) 3000\n");
  CHECK(r.cli({"PFCOUNT", "h5"}) == "(integer) 1683\n");
  // An all-zero dense HLL made by hand still makes the destination dense.
  r.cli({"SET", "d", "HYLL"});
  r.cli({"SETRANGE", "d", "12303", std::string(1, '\0')});
  CHECK(r.cli({"PFMERGE", "m", "d"}) == "OK\n");
  CHECK(r.cli({"STRLEN", "m"}) == "(integer) 12304\n");
  CHECK(r.cli({"PFCOUNT", "m"}) == "(integer) 0\n");
}

TEST_CASE("PFCOUNT matches Redis's estimate for 100,000 elements") {
  Hll r;
  for (int chunk = 0; chunk < 100; ++chunk)
    r.add_range("h", "e", chunk * 1000, chunk * 1000 + 1000);
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 100853\n");
  CHECK(r.cli({"STRLEN", "h"}) == "(integer) 12304\n");
}

TEST_CASE("Strings that are not HLLs get their own WRONGTYPE, other types the usual one") {
  Hll r;
  r.cli({"SET", "s", "foo"});
  CHECK(r.cli({"PFADD", "s", "a"}) == kNotHll);
  CHECK(r.cli({"PFCOUNT", "s"}) == kNotHll);
  CHECK(r.cli({"PFCOUNT", "missing", "s"}) == kNotHll);
  CHECK(r.cli({"PFMERGE", "d", "s"}) == kNotHll);
  CHECK(r.cli({"PFMERGE", "s"}) == kNotHll);
  r.cli({"SET", "bad_encoding", std::string("HYLL\x02\0\0\0\0\0\0\0\0\0\0\0", 16)});
  CHECK(r.cli({"PFADD", "bad_encoding", "a"}) == kNotHll);
  r.cli({"SET", "short_dense", std::string("HYLL\0\0\0\0\0\0\0\0\0\0\0\0", 16)});
  CHECK(r.cli({"PFADD", "short_dense", "a"}) == kNotHll);
  r.run({"RPUSH", "l", "x"});
  CHECK(r.cli({"PFADD", "l", "a"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
  CHECK(r.cli({"PFCOUNT", "l"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
}

TEST_CASE("A sparse code that does not cover 16384 registers is corrupted") {
  Hll r;
  const std::string stale("\0\0\0\0\0\0\0\x80", 8);
  r.cli({"SET", "h", sparse(stale, "\x7f\xfe")});  // 16383 registers
  CHECK(r.cli({"PFADD", "h", "a"}) == "(integer) 1\n");
  CHECK(r.cli({"PFCOUNT", "h"}) == kCorrupted);
  CHECK(r.cli({"PFCOUNT", "h", "h"}) == kCorrupted);
  CHECK(r.cli({"PFMERGE", "dest", "h"}) == kCorrupted);
  CHECK(r.cli({"EXISTS", "dest"}) == "(integer) 0\n");
  r.cli({"SET", "empty", sparse(stale, "")});
  CHECK(r.cli({"PFADD", "empty", "a"}) == kCorrupted);
}

TEST_CASE("PFADD, PFMERGE and a cache-filling PFCOUNT touch a watched key") {
  Hll r;
  r.cli({"PFADD", "h", "a"});
  r.cli({"WATCH", "h"});
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 1\n");
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(nil)\n");
  r.cli({"WATCH", "h"});
  CHECK(r.cli({"PFCOUNT", "h"}) == "(integer) 1\n");
  CHECK(r.cli({"PFADD", "h", "a"}) == "(integer) 0\n");
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(empty array)\n");
  r.cli({"WATCH", "h"});
  CHECK(r.cli({"PFMERGE", "h"}) == "OK\n");
  r.cli({"MULTI"});
  CHECK(r.cli({"EXEC"}) == "(nil)\n");
}
