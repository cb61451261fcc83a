// GEO: the geohash arithmetic (scores, decoded positions, geohash strings, distances) on
// values taken from redis-server 7.0.15, search results against a brute-force scan, and
// the commands' replies and bookkeeping (WATCH, keyspace hits, encodings of stored sets).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "numbers.h"
#include "random.h"
#include "reply.h"
#include "reply_cli.h"
#include "server.h"
#include "test_helpers.h"
#include "types/geohash.h"

namespace {

using redpad::Reply;
using redpad::ReplyType;
using redpad::Server;
namespace geo = redpad::geo;

using namespace redpad::test::by_args;

using Strings = std::vector<std::string>;

using redpad::test::strings_of;

// Coordinates as GEOPOS prints them.
std::string coordinate(double value) {
  return redpad::format_long_double(static_cast<long double>(value));
}

std::string four_decimals(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return buffer;
}

const std::vector<std::string> kSicily = {"GEOADD",  "Sicily",    "13.361389", "38.115556",
                                          "Palermo", "15.087269", "37.502669", "Catania"};

const std::vector<std::string> kEurope = {
    "GEOADD",  "eu",         "2.3522",    "48.8566", "Paris",  "-0.1276", "51.5072",  "London",
    "4.9041",  "52.3676",    "Amsterdam", "13.405",  "52.52",  "Berlin",  "12.4964",  "41.9028",
    "Rome",    "-3.7038",    "40.4168",   "Madrid",  "4.3517", "50.8503", "Brussels", "6.1296",
    "49.6116", "Luxembourg", "8.5417",    "47.3769", "Zurich", "16.3738", "48.2082",  "Vienna"};

}  // namespace

TEST_CASE("geohash: GEOADD scores are Redis's 52-bit interleaved cells") {
  CHECK(geo::score_of({13.361389, 38.115556}) == 3479099956230698.0);
  CHECK(geo::score_of({15.087269, 37.502669}) == 3479447370796909.0);
  CHECK(geo::score_of({0, 0}) == 3377699720527872.0);
  CHECK(geo::score_of({-180, -85.05112878}) == 0.0);
  // The upper edges index one cell past the last: the bits overflow past 52.
  CHECK(geo::score_of({180, 85.05112878}) == 13510798882111488.0);
}

TEST_CASE("geohash: a score decodes to the centre of its cell, printed as GEOPOS prints it") {
  const geo::Point palermo = geo::decode_score(3479099956230698.0);
  CHECK(coordinate(palermo.lon) == "13.36138933897018433");
  CHECK(coordinate(palermo.lat) == "38.11555639549629859");
  const geo::Point catania = geo::decode_score(3479447370796909.0);
  CHECK(coordinate(catania.lon) == "15.08726745843887329");
  CHECK(coordinate(catania.lat) == "37.50266842333162032");
  const geo::Point zero = geo::decode_score(3377699720527872.0);
  CHECK(coordinate(zero.lon) == "0.00000268220901489");
  CHECK(coordinate(zero.lat) == "0.00000126736058093");
  // The overflowing edge cell is clamped to the valid area.
  const geo::Point top = geo::decode_score(13510798882111488.0);
  CHECK(coordinate(top.lon) == "180");
  CHECK(coordinate(top.lat) == "85.0511287799999991");
}

TEST_CASE("geohash: any score is read as x86-64 converts a double to an unsigned integer") {
  const auto position = [](double score) {
    const geo::Point p = geo::decode_score(score);
    return coordinate(p.lon) + "," + coordinate(p.lat);
  };
  const std::string bottom_left = "-179.99999731779098511,-85.05112751263942528";
  const std::string top_right = "180,85.0511287799999991";
  CHECK(position(1.5) == "-179.99999731779098511,-85.05112497791824921");
  CHECK(position(-1) == top_right);
  CHECK(position(-5.5) == top_right);
  CHECK(position(1e20) == bottom_left);
  CHECK(position(2e19) == bottom_left);
  CHECK(position(std::numeric_limits<double>::infinity()) == bottom_left);
  CHECK(position(9223372036854775808.0) == "180,-85.05112751263942528");
  CHECK(position(-1e19) == "180,-85.05112751263942528");
  CHECK(geo::hash_integer(1.5) == 1);
  CHECK(geo::hash_integer(3479099956230698.0) == 3479099956230698LL);
}

TEST_CASE("geohash: GEOHASH strings are standard geohashes ending in '0'") {
  CHECK(geo::standard_geohash(3479099956230698.0) == "sqc8b49rny0");
  CHECK(geo::standard_geohash(3479447370796909.0) == "sqdtr74hyu0");
  CHECK(geo::standard_geohash(3377699720527872.0) == "s0000000000");
  CHECK(geo::standard_geohash(0) == "00bh0hbj200");
  CHECK(geo::standard_geohash(13510798882111488.0) == "bp05b5048p0");
  CHECK(geo::standard_geohash(1.5) == "00bh0hbj210");
}

TEST_CASE("geohash: distances use the haversine formula with Redis's Earth radius") {
  const geo::Point a = geo::decode_score(3479099956230698.0);
  const geo::Point b = geo::decode_score(3479447370796909.0);
  CHECK(four_decimals(geo::distance(a.lon, a.lat, b.lon, b.lat)) == "166274.1516");
  CHECK(four_decimals(geo::distance(a.lon, a.lat, b.lon, b.lat) / 1609.34) == "103.3182");
  CHECK(four_decimals(geo::distance(a.lon, a.lat, b.lon, b.lat) / 0.3048) == "545518.8700");
  CHECK(geo::distance(a.lon, a.lat, a.lon, a.lat) == 0.0);
  // Along a meridian Redis takes the difference in latitude, whose last bits differ from
  // the haversine's (STOREDIST shows them all).
  const geo::Point north = geo::decode_score(3403762622455918.0);
  const geo::Point south = geo::decode_score(2541732291408175.0);
  REQUIRE(north.lon == south.lon);
  CHECK(redpad::format_double(geo::distance(north.lon, north.lat, south.lon, south.lat)) ==
        "5936753.3601662377");
  // Half the circumference of Redis's sphere, along the equator.
  CHECK(geo::distance(0, 0, 180, 0) == doctest::Approx(M_PI * geo::kEarthRadiusMeters));
}

TEST_CASE("geohash: the cells of a search, in walking order") {
  geo::Shape shape;
  shape.center = {2.3522, 48.8566};
  shape.radius = 500;
  shape.unit_meters = 1000;
  const auto cells = geo::search_cells(shape);
  // The centre first, then north, south, east, west, and the corners.
  REQUIRE(!cells[0].is_none());
  geo::Cell expected;
  REQUIRE(geo::encode_wgs84(shape.center, cells[0].step, expected));
  CHECK(cells[0].bits == expected.bits);
  for (const geo::Cell& cell : cells) {
    if (cell.is_none()) continue;
    CHECK(cell.step == cells[0].step);
    double min = 0;
    double max = 0;
    geo::cell_score_range(cell, min, max);
    CHECK(min < max);
  }
}

TEST_CASE("GEOADD replies like ZADD: new members, CH for changes, NX and XX") {
  Server server(config());
  CHECK(cli(server, {"GEOADD", "g", "1", "2", "a", "3", "4", "b"}) == "(integer) 2\n");
  CHECK(cli(server, {"GEOADD", "g", "1", "2", "a", "5", "6", "c"}) == "(integer) 1\n");
  CHECK(cli(server, {"GEOADD", "g", "10", "20", "a"}) == "(integer) 0\n");
  CHECK(cli(server, {"GEOADD", "g", "CH", "10", "20", "a", "11", "21", "b", "7", "8", "d"}) ==
        "(integer) 2\n");
  CHECK(cli(server, {"GEOADD", "g", "NX", "1", "1", "a", "2", "2", "e"}) == "(integer) 1\n");
  CHECK(cli(server, {"GEOADD", "g", "XX", "CH", "3", "3", "a", "4", "4", "f"}) == "(integer) 1\n");
  CHECK(cli(server, {"GEOADD", "nokey", "XX", "1", "2", "a"}) == "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "nokey"}) == "(integer) 0\n");
  CHECK(cli(server, {"ZCARD", "g"}) == "(integer) 5\n");
}

TEST_CASE("GEOADD checks syntax, then floats and ranges, then the key's type") {
  Server server(config());
  run(server, {"SET", "s", "x"});
  CHECK(cli(server, {"GEOADD", "s", "1", "2", "x", "5"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"GEOADD", "s", "NX", "XX", "1", "2", "x"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"GEOADD", "s", "NX", "CH", "CH"}) == "(error) ERR syntax error\n");
  CHECK(cli(server, {"GEOADD", "s", "x", "2", "m"}) == "(error) ERR value is not a valid float\n");
  CHECK(cli(server, {"GEOADD", "s", "1", "200", "x"}) ==
        "(error) ERR invalid longitude,latitude pair 1.000000,200.000000\n");
  CHECK(cli(server, {"GEOADD", "s", "0", "85.05112879", "x"}) ==
        "(error) ERR invalid longitude,latitude pair 0.000000,85.051129\n");
  CHECK(cli(server, {"GEOADD", "s", "inf", "0", "x"}) ==
        "(error) ERR invalid longitude,latitude pair inf,0.000000\n");
  CHECK(cli(server, {"GEOADD", "s", "1", "2", "x"}) ==
        "(error) WRONGTYPE Operation against a key holding the wrong kind of value\n");
  // Nothing is added when a later pair is bad.
  CHECK(cli(server, {"GEOADD", "g", "1", "2", "ok", "300", "4", "bad"}) ==
        "(error) ERR invalid longitude,latitude pair 300.000000,4.000000\n");
  CHECK(cli(server, {"EXISTS", "g"}) == "(integer) 0\n");
}

TEST_CASE("GEOADD encodings follow the sorted-set thresholds") {
  Server server(config());
  std::vector<std::string> add{"GEOADD", "g"};
  for (int i = 0; i < 128; ++i) {
    add.push_back(std::to_string(i % 90));
    add.push_back(std::to_string(i % 80));
    add.push_back("p" + std::to_string(i));
  }
  run(server, add);
  CHECK(cli(server, {"OBJECT", "ENCODING", "g"}) == "\"listpack\"\n");
  run(server, {"GEOADD", "g", "1", "1", "one-more"});
  CHECK(cli(server, {"OBJECT", "ENCODING", "g"}) == "\"skiplist\"\n");
}

TEST_CASE("GEOPOS, GEOHASH and GEODIST replies") {
  Server server(config());
  run(server, kSicily);
  CHECK(cli(server, {"GEOPOS", "Sicily", "Palermo", "nope"}) ==
        "1) 1) \"13.36138933897018433\"\n   2) \"38.11555639549629859\"\n2) (nil)\n");
  CHECK(run(server, {"GEOPOS", "Sicily", "nope"}).elements[0].type == ReplyType::NullArray);
  CHECK(cli(server, {"GEOPOS", "nokey", "a"}) == "1) (nil)\n");
  CHECK(cli(server, {"GEOHASH", "Sicily", "Catania", "nope"}) == "1) \"sqdtr74hyu0\"\n2) (nil)\n");
  CHECK(cli(server, {"GEODIST", "Sicily", "Palermo", "Catania", "km"}) == "\"166.2742\"\n");
  CHECK(cli(server, {"GEODIST", "Sicily", "Palermo", "Palermo"}) == "\"0.0000\"\n");
  CHECK(cli(server, {"GEODIST", "Sicily", "Palermo", "nope"}) == "(nil)\n");
  CHECK(cli(server, {"GEODIST", "nokey", "a", "b", "yd"}) ==
        "(error) ERR unsupported unit provided. please use M, KM, FT, MI\n");
  CHECK(cli(server, {"GEODIST", "Sicily", "a", "b", "km", "x"}) == "(error) ERR syntax error\n");
}

TEST_CASE("GEOSEARCH without ASC/DESC returns matches cell by cell") {
  Server server(config());
  run(server, kEurope);
  CHECK(strings_of(
            run(server, {"GEOSEARCH", "eu", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km"})) ==
        Strings{"Zurich", "Paris", "Brussels", "Amsterdam", "Luxembourg", "Berlin", "London"});
  CHECK(strings_of(run(server,
                       {"GEOSEARCH", "eu", "FROMLONLAT", "10", "50", "BYRADIUS", "20000", "km"})) ==
        Strings{"Rome", "Zurich", "Paris", "Brussels", "Amsterdam", "Luxembourg", "Vienna",
                "Berlin", "Madrid", "London"});
  CHECK(strings_of(run(server, {"GEOSEARCH", "eu", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km",
                                "COUNT", "3", "ANY"})) == Strings{"Zurich", "Paris", "Brussels"});
}

TEST_CASE("GEOSEARCH ASC, DESC and COUNT order by distance") {
  Server server(config());
  run(server, kEurope);
  CHECK(strings_of(run(server, {"GEOSEARCH", "eu", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km",
                                "COUNT", "3"})) == Strings{"Paris", "Brussels", "Luxembourg"});
  CHECK(strings_of(run(server, {"GEOSEARCH", "eu", "FROMMEMBER", "Paris", "BYRADIUS", "1000", "km",
                                "DESC"})) ==
        Strings{"Berlin", "Zurich", "Amsterdam", "London", "Luxembourg", "Brussels", "Paris"});
  CHECK(cli(server, {"GEOSEARCH", "eu", "FROMLONLAT", "5", "50", "BYBOX", "800", "400", "km", "ASC",
                     "WITHDIST"}) ==
        "1) 1) \"Luxembourg\"\n   2) \"91.8751\"\n2) 1) \"Brussels\"\n   2) \"105.1415\"\n"
        "3) 1) \"Paris\"\n   2) \"229.8992\"\n4) 1) \"London\"\n   2) \"397.7443\"\n");
}

TEST_CASE("GEOSEARCH COUNT with ties in distance sorts only the first places, as Redis") {
  Server server(config());
  std::vector<std::string> add{"GEOADD", "t"};
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g", "h"}) {
    add.insert(add.end(), {"2.35", "48.85", name});
  }
  add.insert(add.end(), {"2.36", "48.86", "near", "2.5", "48.9", "far"});
  run(server, add);
  CHECK(strings_of(run(server, {"GEOSEARCH", "t", "FROMLONLAT", "2.3", "48.8", "BYRADIUS", "50",
                                "km", "COUNT", "5", "DESC"})) ==
        Strings{"far", "near", "c", "d", "e"});
  // Sorting everything keeps the ties in walking order.
  CHECK(strings_of(run(server, {"GEOSEARCH", "t", "FROMLONLAT", "2.3", "48.8", "BYRADIUS", "50",
                                "km", "DESC"})) ==
        Strings{"far", "near", "a", "b", "c", "d", "e", "f", "g", "h"});
}

TEST_CASE("GEOSEARCH BYBOX measures the east-west extent at each member's latitude") {
  Server server(config());
  run(server, {"GEOADD", "n", "10", "70", "high", "10", "60", "level", "0", "60", "center"});
  // 10 degrees of longitude: about 380 km at 70 degrees, 556 km at 60 (half-width 500 km).
  CHECK(cli(server, {"GEOSEARCH", "n", "FROMMEMBER", "center", "BYBOX", "1000", "2400", "km",
                     "WITHDIST"}) ==
        "1) 1) \"center\"\n   2) \"0.0000\"\n2) 1) \"high\"\n   2) \"1203.8778\"\n");
}

TEST_CASE("GEOSEARCH finds exactly the members within the radius or box") {
  redpad::Random random(11);
  for (int round = 0; round < 40; ++round) {
    Server server(config());
    const double lon0 = -150 + static_cast<double>(random.below(300));
    const double lat0 = -55 + static_cast<double>(random.below(110));
    const double spread = round % 2 ? 0.5 : 3;
    std::vector<std::string> add{"GEOADD", "g"};
    for (int i = 0; i < 60; ++i) {
      const double lon = lon0 + spread * (static_cast<double>(random.below(2001)) / 1000 - 1);
      const double lat = lat0 + spread * (static_cast<double>(random.below(2001)) / 1000 - 1);
      add.insert(add.end(),
                 {redpad::format_double(lon), redpad::format_double(lat), "m" + std::to_string(i)});
    }
    run(server, add);
    const double radius_km = spread * 111 * static_cast<double>(1 + random.below(100)) / 100;
    const bool box = random.below(2) == 0;
    geo::Shape shape;
    shape.center = {lon0, lat0};
    shape.unit_meters = 1000;
    std::vector<std::string> search{"GEOSEARCH", "g", "FROMLONLAT", redpad::format_double(lon0),
                                    redpad::format_double(lat0)};
    if (box) {
      shape.is_box = true;
      shape.width = radius_km;
      shape.height = radius_km / 2;
      search.insert(search.end(), {"BYBOX", redpad::format_double(radius_km),
                                   redpad::format_double(radius_km / 2), "km"});
    } else {
      shape.radius = radius_km;
      search.insert(search.end(), {"BYRADIUS", redpad::format_double(radius_km), "km"});
    }
    search.push_back("ASC");

    std::multiset<std::pair<double, std::string>> expected;
    for (int i = 0; i < 60; ++i) {
      const std::string member = "m" + std::to_string(i);
      const Reply score = run(server, {"ZSCORE", "g", member});
      double value = 0;
      REQUIRE(redpad::parse_double(score.str, value));
      double meters = 0;
      if (geo::within_shape(shape, geo::decode_score(value), meters)) {
        expected.insert({meters, member});
      }
    }
    const Strings found = strings_of(run(server, search));
    CHECK(std::set<std::string>(found.begin(), found.end()).size() == found.size());
    CHECK(found.size() == expected.size());
    std::set<std::string> expected_members;
    for (const auto& item : expected)
      expected_members.insert(item.second);
    CHECK(std::set<std::string>(found.begin(), found.end()) == expected_members);
  }
}

TEST_CASE("GEOSEARCHSTORE stores a listpack up to 128 results, a skiplist beyond") {
  Server server(config());
  std::vector<std::string> add{"GEOADD", "g"};
  for (int i = 0; i < 200; ++i) {
    add.push_back(redpad::format_double(10 + i * 0.001));
    add.push_back(redpad::format_double(20 + (i % 7) * 0.001));
    add.push_back("p" + std::to_string(i));
  }
  run(server, add);
  const std::vector<std::string> store{"GEOSEARCHSTORE", "d",   "g", "FROMLONLAT", "10.1", "20",
                                       "BYRADIUS",       "100", "km"};
  CHECK(cli(server, store) == "(integer) 200\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "d"}) == "\"skiplist\"\n");
  std::vector<std::string> limited = store;
  limited.insert(limited.end(), {"COUNT", "128"});
  CHECK(cli(server, limited) == "(integer) 128\n");
  CHECK(cli(server, {"OBJECT", "ENCODING", "d"}) == "\"listpack\"\n");
  CHECK(cli(server, {"GEOSEARCH", "g", "FROMLONLAT", "10.1", "20", "BYRADIUS", "3", "km", "COUNT",
                     "2", "WITHDIST"}) ==
        "1) 1) \"p99\"\n   2) \"0.1524\"\n2) 1) \"p98\"\n   2) \"0.2091\"\n");
}

TEST_CASE("GEOSEARCHSTORE STOREDIST stores unrounded distances in the unit asked") {
  Server server(config());
  run(server, kSicily);
  CHECK(cli(server, {"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200",
                     "km", "STOREDIST"}) == "(integer) 2\n");
  CHECK(cli(server, {"ZRANGE", "d", "0", "-1", "WITHSCORES"}) ==
        "1) \"Catania\"\n2) \"56.441257870158204\"\n3) \"Palermo\"\n4) \"190.44242984775784\"\n");
  CHECK(cli(server, {"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d"}) ==
        "(integer) 2\n");
  CHECK(cli(server, {"ZSCORE", "d", "Palermo"}) == "\"3479099956230698\"\n");
}

TEST_CASE("GEO searches on a missing key: empty, or 0 with the destination deleted") {
  Server server(config());
  run(server, {"SET", "d", "x"});
  CHECK(cli(server, {"GEOSEARCHSTORE", "d", "nokey", "FROMMEMBER", "a", "BYRADIUS", "1", "km"}) ==
        "(integer) 0\n");
  CHECK(cli(server, {"EXISTS", "d"}) == "(integer) 0\n");
  CHECK(cli(server, {"GEORADIUSBYMEMBER", "nokey", "a", "x", "km"}) == "(empty array)\n");
  CHECK(cli(server, {"GEOSEARCH", "nokey", "FROMMEMBER", "a", "BYRADIUS", "1", "km", "ANY"}) ==
        "(error) ERR the ANY argument requires COUNT argument\n");
}

TEST_CASE("GEO search errors name the command as typed") {
  Server server(config());
  run(server, kSicily);
  CHECK(cli(server, {"GeoSearch", "Sicily", "FROMLONLAT", "15", "37", "WITHDIST", "ASC"}) ==
        "(error) ERR exactly one of BYRADIUS and BYBOX can be specified for GeoSearch\n");
  CHECK(cli(server, {"geosearch", "Sicily", "BYRADIUS", "1", "km", "ASC", "WITHDIST"}) ==
        "(error) ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for geosearch\n");
  CHECK(cli(server, {"GEORADIUS", "Sicily", "15", "37", "1", "km", "WITHDIST", "STORE", "d"}) ==
        "(error) ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and "
        "WITHCOORD options\n");
  CHECK(cli(server, {"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1",
                     "km", "WITHHASH"}) ==
        "(error) ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD "
        "options\n");
  CHECK(cli(server, {"GEORADIUSBYMEMBER", "Sicily", "nope", "1", "km"}) ==
        "(error) ERR could not decode requested zset member\n");
  CHECK(cli(server, {"GEORADIUS_RO", "Sicily", "15", "37", "1", "km", "STORE", "d"}) ==
        "(error) ERR syntax error\n");
}

TEST_CASE("GEO writes touch WATCHed keys only when something changes") {
  Server server(config());
  run(server, kSicily);
  run(server, {"WATCH", "Sicily", "d"});
  run(server, {"GEOADD", "Sicily", "13.361389", "38.115556", "Palermo"});  // same position
  run(server, {"GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "50", "50", "BYRADIUS", "1", "km"});
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "1) PONG\n");

  run(server, {"WATCH", "d"});
  run(server, {"GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d"});
  run(server, {"MULTI"});
  run(server, {"PING"});
  CHECK(cli(server, {"EXEC"}) == "(nil)\n");
}

TEST_CASE("GEO reads count keyspace hits and misses; GEOADD does not") {
  Server server(config());
  const auto hits = server.stats().keyspace_hits;
  const auto misses = server.stats().keyspace_misses;
  run(server, {"GEOADD", "g", "1", "2", "a"});
  run(server, {"GEOPOS", "g", "a", "b"});
  run(server, {"GEODIST", "g", "a", "b"});
  run(server, {"GEOHASH", "nokey", "a"});
  run(server, {"GEOSEARCH", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km"});
  run(server, {"GEOSEARCHSTORE", "d", "g", "FROMMEMBER", "a", "BYRADIUS", "1", "km"});
  run(server, {"GEORADIUS", "nokey", "1", "2", "3", "km"});
  CHECK(server.stats().keyspace_hits - hits == 4);
  CHECK(server.stats().keyspace_misses - misses == 2);
}
