// The geohash arithmetic behind the GEO commands, written to give the same bits and the
// same floating-point results as Redis 7.0 (checked against redis-server 7.0.15 on many
// random points).
//
// A position is stored as a sorted-set score: the longitude and latitude are each mapped
// to a 26-bit cell index (longitude over [-180, 180], latitude over Web Mercator's
// [-85.05112878, 85.05112878]) and the two are interleaved, longitude in the odd bits,
// into a 52-bit integer. Reading a score back gives the centre of its cell, which is why
// GEOPOS does not return exactly what GEOADD was given.
//
// A search (GEOSEARCH, GEORADIUS...) looks at up to nine cells of one size: the cell
// holding the centre and its eight neighbours, chosen so that together they cover the
// circle or box. The matches come out cell by cell in a fixed order (centre, north,
// south, east, west, north-east, north-west, south-east, south-west), each cell in score
// order, which is the order Redis replies with when no sorting is asked for.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace redpad::geo {

inline constexpr double kLonMin = -180;
inline constexpr double kLonMax = 180;
inline constexpr double kLatMin = -85.05112878;
inline constexpr double kLatMax = 85.05112878;
inline constexpr int kStepMax = 26;  // bits per coordinate in a stored score
inline constexpr double kEarthRadiusMeters = 6372797.560856;
inline constexpr double kMercatorMax = 20037726.37;

struct Point {
  double lon = 0;
  double lat = 0;
};

struct Range {
  double min = 0;
  double max = 0;
};

// A cell: `step` bits per coordinate, interleaved in `bits`. All zero means "no cell".
struct Cell {
  std::uint64_t bits = 0;
  int step = 0;
  bool is_none() const { return bits == 0 && step == 0; }
};

struct Area {
  Range lon;
  Range lat;
};

// True when GEOADD and FROMLONLAT accept the pair.
bool valid_position(double lon, double lat);

// The cell of a position at `step` bits per coordinate, over the given ranges. False when
// the position lies outside the valid area or the ranges.
bool encode(const Range& lon_range, const Range& lat_range, Point point, int step, Cell& out);
// The same over the ranges stored scores use.
bool encode_wgs84(Point point, int step, Cell& out);
// The score GEOADD stores for a valid position.
double score_of(Point point);

// The extent of a cell over the ranges stored scores use.
Area decode_area(const Cell& cell);
// The centre of a cell, clamped to the valid area.
Point area_center(const Area& area);
// The position a stored score stands for (any score, as Redis reads it).
Point decode_score(double score);
// The integer WITHHASH prints for a score.
long long hash_integer(double score);

// The 11-character base-32 geohash GEOHASH prints for a stored score: the standard
// geohash (latitude over [-90, 90]) of the decoded position, its 11th character always '0'.
std::string standard_geohash(double score);

// Great-circle distance in meters (haversine, Redis's Earth radius).
double distance(double lon1, double lat1, double lon2, double lat2);

// A search shape: a circle (radius) or a box (width x height), in `unit_meters` units,
// around `center`.
struct Shape {
  Point center;
  bool is_box = false;
  double radius = 0;
  double width = 0;
  double height = 0;
  double unit_meters = 1;  // meters per unit: 1, 1000, 0.3048 or 1609.34
};

// Whether `point` lies in the shape, and its distance in meters from the centre.
bool within_shape(const Shape& shape, Point point, double& distance_meters);

// The cells a search walks, in walking order; unused ones are none.
std::array<Cell, 9> search_cells(const Shape& shape);

// The score interval [min, max) of the stored positions inside a cell.
void cell_score_range(const Cell& cell, double& min, double& max);

}  // namespace redpad::geo
