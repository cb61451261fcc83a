#include "geohash.h"

#include <cfloat>
#include <cmath>

namespace redpad::geo {

namespace {

// glibc's sin, cos and asin (what Redis runs on) return the correctly rounded double; the
// WebAssembly C library's are off in the last bit now and then. There, compute in its
// 128-bit long double and round once, so the browser prints the same distances.
#if LDBL_MANT_DIG > 64
double exact_sin(double x) { return static_cast<double>(std::sin(static_cast<long double>(x))); }
double exact_cos(double x) { return static_cast<double>(std::cos(static_cast<long double>(x))); }
double exact_asin(double x) { return static_cast<double>(std::asin(static_cast<long double>(x))); }
#else
double exact_sin(double x) { return std::sin(x); }
double exact_cos(double x) { return std::cos(x); }
double exact_asin(double x) { return std::asin(x); }
#endif

constexpr Range kLonRange{kLonMin, kLonMax};
constexpr Range kLatRange{kLatMin, kLatMax};
constexpr double kPi = 3.14159265358979323846;
// Degrees to radians and back go through this one factor, as in Redis, so that the
// last bits of every distance agree.
constexpr double kDegreesToRadians = kPi / 180.0;
constexpr double kTwoPow63 = 9223372036854775808.0;

double to_radians(double degrees) {
  return degrees * kDegreesToRadians;
}
double to_degrees(double radians) {
  return radians / kDegreesToRadians;
}

// Spreads the 32 bits of v over the even bit positions of a 64-bit word.
std::uint64_t spread(std::uint32_t v) {
  std::uint64_t x = v;
  x = (x | (x << 16)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x << 8)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x << 2)) & 0x3333333333333333ULL;
  x = (x | (x << 1)) & 0x5555555555555555ULL;
  return x;
}

// The inverse of spread: the even bits of x, packed.
std::uint32_t gather(std::uint64_t x) {
  x &= 0x5555555555555555ULL;
  x = (x | (x >> 1)) & 0x3333333333333333ULL;
  x = (x | (x >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
  x = (x | (x >> 4)) & 0x00FF00FF00FF00FFULL;
  x = (x | (x >> 8)) & 0x0000FFFF0000FFFFULL;
  x = (x | (x >> 16)) & 0x00000000FFFFFFFFULL;
  return static_cast<std::uint32_t>(x);
}

// Latitude index in the even bits, longitude index in the odd ones.
std::uint64_t interleave(std::uint32_t lat_index, std::uint32_t lon_index) {
  return spread(lat_index) | (spread(lon_index) << 1);
}

// A score read as an unsigned 64-bit integer the way x86-64 code converts it: scores
// below 2^63 (negative ones included) through a signed conversion, larger ones with the
// top bit restored; anything out of range gives the "indefinite" 0x8000000000000000
// of the signed conversion.
std::int64_t truncate_signed(double value) {
  if (!(value > -kTwoPow63 - 1025.0 && value < kTwoPow63)) return INT64_MIN;
  return static_cast<std::int64_t>(value);
}

std::uint64_t score_bits(double score) {
  if (score < kTwoPow63) return static_cast<std::uint64_t>(truncate_signed(score));
  return static_cast<std::uint64_t>(truncate_signed(score - kTwoPow63)) ^ (1ULL << 63);
}

Area decode_over(const Range& lon_range, const Range& lat_range, const Cell& cell) {
  const std::uint32_t lat_index = gather(cell.bits);
  const std::uint32_t lon_index = gather(cell.bits >> 1);
  const double cells = static_cast<double>(1ULL << cell.step);
  const double lat_scale = lat_range.max - lat_range.min;
  const double lon_scale = lon_range.max - lon_range.min;
  Area area;
  area.lat.min = lat_range.min + (lat_index * 1.0 / cells) * lat_scale;
  area.lat.max =
      lat_range.min + (static_cast<std::uint32_t>(lat_index + 1) * 1.0 / cells) * lat_scale;
  area.lon.min = lon_range.min + (lon_index * 1.0 / cells) * lon_scale;
  area.lon.max =
      lon_range.min + (static_cast<std::uint32_t>(lon_index + 1) * 1.0 / cells) * lon_scale;
  return area;
}

// The neighbouring cell dx cells east and dy cells north, wrapping around.
Cell neighbour(const Cell& cell, int dx, int dy) {
  const std::uint32_t mask = cell.step >= 32 ? 0xFFFFFFFFu : ((1u << cell.step) - 1u);
  const std::uint32_t lat_index = gather(cell.bits);
  const std::uint32_t lon_index = gather(cell.bits >> 1);
  const auto moved_lon =
      static_cast<std::uint32_t>(lon_index + static_cast<std::uint32_t>(dx)) & mask;
  const auto moved_lat =
      static_cast<std::uint32_t>(lat_index + static_cast<std::uint32_t>(dy)) & mask;
  // A coordinate that does not move keeps its bits as they were (even one past the
  // top: a position on the upper edge has index 2^step).
  Cell out = cell;
  out.bits = interleave(dy ? moved_lat : lat_index, dx ? moved_lon : lon_index);
  return out;
}

// The distance between two latitudes along a meridian.
double latitude_distance(double lat1, double lat2) {
  return kEarthRadiusMeters * std::fabs(to_radians(lat2) - to_radians(lat1));
}

// How many bits per coordinate a cell may have so that the cells around a point cover
// `range_meters`.
int estimate_step(double range_meters, double lat) {
  if (range_meters == 0) return kStepMax;
  int step = 1;
  while (range_meters < kMercatorMax) {
    range_meters *= 2;
    ++step;
  }
  step -= 2;
  // Meridians converge towards the poles: cells get narrower.
  if (lat > 66 || lat < -66) {
    --step;
    if (lat > 80 || lat < -80) --step;
  }
  if (step < 1) step = 1;
  if (step > kStepMax) step = kStepMax;
  return step;
}

struct Bounds {
  double min_lon, min_lat, max_lon, max_lat;
};

Bounds bounding_box(const Shape& shape) {
  const double lon = shape.center.lon;
  const double lat = shape.center.lat;
  const double height = shape.unit_meters * (shape.is_box ? shape.height / 2 : shape.radius);
  const double width = shape.unit_meters * (shape.is_box ? shape.width / 2 : shape.radius);
  const double lat_delta = to_degrees(height / kEarthRadiusMeters);
  const double lon_delta_top =
      to_degrees(width / kEarthRadiusMeters / exact_cos(to_radians(lat + lat_delta)));
  const double lon_delta_bottom =
      to_degrees(width / kEarthRadiusMeters / exact_cos(to_radians(lat - lat_delta)));
  // The widest edge is the one nearer the pole.
  const bool southern = lat < 0;
  Bounds b;
  b.min_lon = southern ? lon - lon_delta_bottom : lon - lon_delta_top;
  b.max_lon = southern ? lon + lon_delta_bottom : lon + lon_delta_top;
  b.min_lat = lat - lat_delta;
  b.max_lat = lat + lat_delta;
  return b;
}

}  // namespace

bool valid_position(double lon, double lat) {
  return !(lon < kLonMin || lon > kLonMax || lat < kLatMin || lat > kLatMax);
}

bool encode(const Range& lon_range, const Range& lat_range, Point point, int step, Cell& out) {
  if (step > 32 || step == 0) return false;
  if (!valid_position(point.lon, point.lat)) return false;
  out.bits = 0;
  out.step = step;
  if (point.lat < lat_range.min || point.lat > lat_range.max || point.lon < lon_range.min ||
      point.lon > lon_range.max) {
    return false;
  }
  double lat_offset = (point.lat - lat_range.min) / (lat_range.max - lat_range.min);
  double lon_offset = (point.lon - lon_range.min) / (lon_range.max - lon_range.min);
  const double cells = static_cast<double>(1ULL << step);
  lat_offset *= cells;
  lon_offset *= cells;
  out.bits =
      interleave(static_cast<std::uint32_t>(lat_offset), static_cast<std::uint32_t>(lon_offset));
  return true;
}

bool encode_wgs84(Point point, int step, Cell& out) {
  return encode(kLonRange, kLatRange, point, step, out);
}

double score_of(Point point) {
  Cell cell;
  encode_wgs84(point, kStepMax, cell);
  return static_cast<double>(cell.bits);
}

Area decode_area(const Cell& cell) {
  return decode_over(kLonRange, kLatRange, cell);
}

Point area_center(const Area& area) {
  Point p;
  p.lon = (area.lon.min + area.lon.max) / 2;
  if (p.lon > kLonMax) p.lon = kLonMax;
  if (p.lon < kLonMin) p.lon = kLonMin;
  p.lat = (area.lat.min + area.lat.max) / 2;
  if (p.lat > kLatMax) p.lat = kLatMax;
  if (p.lat < kLatMin) p.lat = kLatMin;
  return p;
}

Point decode_score(double score) {
  return area_center(decode_area(Cell{score_bits(score), kStepMax}));
}

long long hash_integer(double score) {
  return truncate_signed(score);
}

std::string standard_geohash(double score) {
  static constexpr char kAlphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
  const Point point = decode_score(score);
  Cell cell;
  encode(Range{-180, 180}, Range{-90, 90}, point, kStepMax, cell);
  std::string out(11, '0');
  for (int i = 0; i < 10; ++i) {
    out[static_cast<size_t>(i)] = kAlphabet[(cell.bits >> (52 - (i + 1) * 5)) & 0x1f];
  }
  return out;
}

double distance(double lon1, double lat1, double lon2, double lat2) {
  const double lon1r = to_radians(lon1);
  const double lon2r = to_radians(lon2);
  const double v = exact_sin((lon2r - lon1r) / 2);
  // Along a meridian the haversine reduces to the difference in latitude.
  if (v == 0.0) return latitude_distance(lat1, lat2);
  const double lat1r = to_radians(lat1);
  const double lat2r = to_radians(lat2);
  const double u = exact_sin((lat2r - lat1r) / 2);
  const double a = u * u + exact_cos(lat1r) * exact_cos(lat2r) * v * v;
  return 2.0 * kEarthRadiusMeters * exact_asin(std::sqrt(a));
}

bool within_shape(const Shape& shape, Point point, double& distance_meters) {
  const Point& c = shape.center;
  if (!shape.is_box) {
    distance_meters = distance(c.lon, c.lat, point.lon, point.lat);
    return distance_meters <= shape.radius * shape.unit_meters;
  }
  const double width = shape.width * shape.unit_meters;
  const double height = shape.height * shape.unit_meters;
  if (latitude_distance(point.lat, c.lat) > height / 2) return false;
  if (distance(point.lon, point.lat, c.lon, point.lat) > width / 2) return false;
  distance_meters = distance(c.lon, c.lat, point.lon, point.lat);
  return true;
}

std::array<Cell, 9> search_cells(const Shape& shape) {
  const Bounds bounds = bounding_box(shape);
  const double half_w = shape.width / 2;
  const double half_h = shape.height / 2;
  const double radius_meters =
      (shape.is_box ? std::sqrt(half_w * half_w + half_h * half_h) : shape.radius) *
      shape.unit_meters;
  int step = estimate_step(radius_meters, shape.center.lat);

  Cell center;
  encode_wgs84(shape.center, step, center);
  // A cell too large for the shape near its edge: one step coarser covers more.
  const Area north = decode_area(neighbour(center, 0, 1));
  const Area south = decode_area(neighbour(center, 0, -1));
  const Area east = decode_area(neighbour(center, 1, 0));
  const Area west = decode_area(neighbour(center, -1, 0));
  const bool too_small = north.lat.max < bounds.max_lat || south.lat.min > bounds.min_lat ||
                         east.lon.max < bounds.max_lon || west.lon.min > bounds.min_lon;
  if (step > 1 && too_small) {
    --step;
    encode_wgs84(shape.center, step, center);
  }
  const Area area = decode_area(center);

  std::array<Cell, 9> cells = {
      center,
      neighbour(center, 0, 1),    // north
      neighbour(center, 0, -1),   // south
      neighbour(center, 1, 0),    // east
      neighbour(center, -1, 0),   // west
      neighbour(center, 1, 1),    // north-east
      neighbour(center, -1, 1),   // north-west
      neighbour(center, 1, -1),   // south-east
      neighbour(center, -1, -1),  // south-west
  };
  // Neighbours entirely outside the shape's bounding box are skipped.
  if (step >= 2) {
    const Cell none;
    if (area.lat.min < bounds.min_lat) cells[2] = cells[8] = cells[7] = none;
    if (area.lat.max > bounds.max_lat) cells[1] = cells[5] = cells[6] = none;
    if (area.lon.min < bounds.min_lon) cells[4] = cells[8] = cells[6] = none;
    if (area.lon.max > bounds.max_lon) cells[3] = cells[7] = cells[5] = none;
  }
  return cells;
}

void cell_score_range(const Cell& cell, double& min, double& max) {
  const int shift = 52 - cell.step * 2;
  min = static_cast<double>(cell.bits << shift);
  max = static_cast<double>((cell.bits + 1) << shift);
}

}  // namespace redpad::geo
