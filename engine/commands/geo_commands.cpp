// Geospatial commands, stored in sorted sets as Redis does (52-bit geohash scores):
// GEOADD, GEODIST, GEOHASH, GEOPOS and the searches GEOSEARCH, GEOSEARCHSTORE, GEORADIUS,
// GEORADIUSBYMEMBER and their read-only forms. The arithmetic is in engine/types/geohash.h.
//
// What the searches return, as observed on redis-server 7.0.15: without ASC/DESC the
// matches come in the order the cells around the centre are walked (see geohash.h);
// COUNT without ANY implies ASC; ANY stops the walk once COUNT matches are found. Ties in
// distance keep the walking order, except when COUNT cuts the result short: Redis then
// sorts only the first COUNT places (engine/types/partial_sort.h).
#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "../ascii.h"
#include "../types/geohash.h"
#include "../types/partial_sort.h"
#include "../types/zset.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kUnsupportedUnit = "ERR unsupported unit provided. please use M, KM, FT, MI";
constexpr const char* kCannotDecodeMember = "ERR could not decode requested zset member";
constexpr const char* kNeedNumericRadius = "ERR need numeric radius";
constexpr const char* kRadiusNegative = "ERR radius cannot be negative";
constexpr const char* kNeedNumericWidth = "ERR need numeric width";
constexpr const char* kNeedNumericHeight = "ERR need numeric height";
constexpr const char* kBoxNegative = "ERR height or width cannot be negative";
constexpr const char* kAnyNeedsCount = "ERR the ANY argument requires COUNT argument";
constexpr const char* kStoreWithReplyOptions =
    "ERR STORE option in GEORADIUS is not compatible with WITHDIST, WITHHASH and WITHCOORD "
    "options";
constexpr const char* kSearchStoreWithReplyOptions =
    "ERR GEOSEARCHSTORE is not compatible with WITHDIST, WITHHASH and WITHCOORD options";
// Followed by the command's name as the client spelled it (never a newline: it named a
// command).
constexpr const char* kNeedsOneCenter =
    "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ";
constexpr const char* kNeedsOneShape =
    "ERR exactly one of BYRADIUS and BYBOX can be specified for ";

// "%f,%f" of the rejected pair, as Redis words it.
Reply invalid_pair_error(double lon, double lat) {
  char buffer[700];
  std::snprintf(buffer, sizeof buffer, "ERR invalid longitude,latitude pair %f,%f", lon, lat);
  return Reply::error(buffer);
}

// Distances are printed with four decimals.
Reply distance_reply(double value) {
  char buffer[400];
  std::snprintf(buffer, sizeof buffer, "%.4f", value);
  return Reply::bulk(buffer);
}

Reply coordinate_reply(double value) {
  return Reply::bulk(format_long_double(static_cast<long double>(value)));
}

// A longitude/latitude argument pair, checked as Redis does (floats first, then range).
std::optional<Reply> parse_position(const std::string& lon_text, const std::string& lat_text,
                                    geo::Point& out) {
  if (!parse_double(lon_text, out.lon) || !parse_double(lat_text, out.lat))
    return not_float_error();
  if (!geo::valid_position(out.lon, out.lat)) return invalid_pair_error(out.lon, out.lat);
  return std::nullopt;
}

// Meters per unit, or a negative number for an unknown unit.
double unit_meters(const std::string& unit) {
  if (iequals(unit, "m")) return 1;
  if (iequals(unit, "km")) return 1000;
  if (iequals(unit, "ft")) return 0.3048;
  if (iequals(unit, "mi")) return 1609.34;
  return -1;
}

std::optional<Reply> parse_unit(const std::string& text, double& meters) {
  meters = unit_meters(text);
  if (meters < 0) return Reply::error(kUnsupportedUnit);
  return std::nullopt;
}

// "radius unit".
std::optional<Reply> parse_radius(const std::string& radius_text, const std::string& unit,
                                  geo::Shape& shape) {
  double radius = 0;
  if (!parse_double(radius_text, radius)) return Reply::error(kNeedNumericRadius);
  if (radius < 0) return Reply::error(kRadiusNegative);
  if (auto error = parse_unit(unit, shape.unit_meters)) return error;
  shape.radius = radius;
  shape.is_box = false;
  return std::nullopt;
}

// "width height unit".
std::optional<Reply> parse_box(const std::string& width_text, const std::string& height_text,
                               const std::string& unit, geo::Shape& shape) {
  double width = 0;
  double height = 0;
  if (!parse_double(width_text, width)) return Reply::error(kNeedNumericWidth);
  if (!parse_double(height_text, height)) return Reply::error(kNeedNumericHeight);
  if (height < 0 || width < 0) return Reply::error(kBoxNegative);
  if (auto error = parse_unit(unit, shape.unit_meters)) return error;
  shape.width = width;
  shape.height = height;
  shape.is_box = true;
  return std::nullopt;
}

const SortedSet* zset_of(const Entry* entry) {
  return entry ? &entry->value.as<SortedSet>() : nullptr;
}

// The position a member's score stands for, or false when the member is missing.
bool member_position(const SortedSet* zset, const std::string& member, geo::Point& out) {
  if (!zset) return false;
  const std::optional<double> score = zset->score(member);
  if (!score) return false;
  out = geo::decode_score(*score);
  return true;
}

// ---- GEOADD ----

Reply geoadd_command(CommandContext& ctx) {
  bool nx = false;
  bool xx = false;
  bool ch = false;
  size_t first = 2;
  for (; first < ctx.args.size(); ++first) {
    const std::string& opt = ctx.args[first];
    if (iequals(opt, "nx")) {
      nx = true;
    } else if (iequals(opt, "xx")) {
      xx = true;
    } else if (iequals(opt, "ch")) {
      ch = true;
    } else {
      break;
    }
  }
  const size_t remaining = ctx.args.size() - first;
  if (remaining == 0 || remaining % 3 != 0 || (nx && xx)) return syntax_error();

  std::vector<double> scores;
  scores.reserve(remaining / 3);
  for (size_t i = first; i < ctx.args.size(); i += 3) {
    geo::Point point;
    if (auto error = parse_position(ctx.args[i], ctx.args[i + 1], point)) return *error;
    scores.push_back(geo::score_of(point));
  }

  // From here on GEOADD is ZADD with these scores.
  const std::string& key = ctx.args[1];
  TypedLookup found = lookup_typed(ctx, key, ValueType::ZSet, /*count_read=*/false);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) {
    if (xx) return Reply::integer_value(0);
    found.entry = &ctx.db().put(key, Value::make<SortedSet>(ValueType::ZSet));
  }
  SortedSet& zset = found.entry->value.as<SortedSet>();
  long long added = 0;
  long long updated = 0;
  for (size_t p = 0; p < scores.size(); ++p) {
    const std::string& member = ctx.args[first + 3 * p + 2];
    const std::optional<double> current = zset.score(member);
    if (current) {
      if (nx || *current == scores[p]) continue;
      zset.add(member, scores[p]);
      ++updated;
    } else {
      if (xx) continue;
      zset.add(member, scores[p]);
      ++added;
    }
  }
  if (added + updated > 0) ctx.modified(key);
  return Reply::integer_value(ch ? added + updated : added);
}

// ---- GEODIST, GEOHASH, GEOPOS ----

Reply geodist_command(CommandContext& ctx) {
  double meters = 1;
  if (ctx.args.size() == 5) {
    if (auto error = parse_unit(ctx.args[4], meters)) return *error;
  } else if (ctx.args.size() > 5) {
    return syntax_error();
  }
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  const SortedSet* zset = zset_of(found.entry);
  geo::Point a;
  geo::Point b;
  if (!member_position(zset, ctx.args[2], a) || !member_position(zset, ctx.args[3], b)) {
    return Reply::nil();
  }
  return distance_reply(geo::distance(a.lon, a.lat, b.lon, b.lat) / meters);
}

Reply geohash_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  const SortedSet* zset = zset_of(found.entry);
  std::vector<Reply> items;
  items.reserve(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    const std::optional<double> score = zset ? zset->score(ctx.args[i]) : std::nullopt;
    items.push_back(score ? Reply::bulk(geo::standard_geohash(*score)) : Reply::nil());
  }
  return Reply::array(std::move(items));
}

Reply position_reply(const geo::Point& point) {
  std::vector<Reply> pair;
  pair.push_back(coordinate_reply(point.lon));
  pair.push_back(coordinate_reply(point.lat));
  return Reply::array(std::move(pair));
}

Reply geopos_command(CommandContext& ctx) {
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  const SortedSet* zset = zset_of(found.entry);
  std::vector<Reply> items;
  items.reserve(ctx.args.size() - 2);
  for (size_t i = 2; i < ctx.args.size(); ++i) {
    geo::Point point;
    items.push_back(member_position(zset, ctx.args[i], point) ? position_reply(point)
                                                              : Reply::null_array());
  }
  return Reply::array(std::move(items));
}

// ---- the searches ----

enum SearchFlag : unsigned {
  kByCoordinates = 1u << 0,  // GEORADIUS, GEORADIUS_RO
  kByMember = 1u << 1,       // GEORADIUSBYMEMBER, GEORADIUSBYMEMBER_RO
  kNoStore = 1u << 2,        // the _RO forms
  kSearch = 1u << 3,         // GEOSEARCH, GEOSEARCHSTORE
  kSearchStore = 1u << 4,    // GEOSEARCHSTORE
};

enum class Order { None, Asc, Desc };

struct Match {
  std::string member;
  double score = 0;
  double distance = 0;  // meters while searching, then in the requested unit
  geo::Point point;
};

// Every match in the cells around the centre, in walking order. With a limit (ANY), the
// walk stops as soon as that many are found.
std::vector<Match> find_matches(const SortedSet& zset, const geo::Shape& shape, size_t limit) {
  std::vector<Match> matches;
  const std::array<geo::Cell, 9> cells = geo::search_cells(shape);
  size_t last_walked = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].is_none()) continue;
    // With a huge radius neighbours can be the same cell: a cell equal to the one walked
    // just before is skipped (only that one: the centre is not compared).
    if (last_walked != 0 && cells[i].bits == cells[last_walked].bits &&
        cells[i].step == cells[last_walked].step) {
      continue;
    }
    if (limit && matches.size() >= limit) break;
    ScoreRange range;
    geo::cell_score_range(cells[i], range.min, range.max);
    range.max_exclusive = true;
    for (auto it = zset.first_in(range); it != zset.end() && range.below_max(it->score); ++it) {
      Match match;
      match.point = geo::decode_score(it->score);
      if (!geo::within_shape(shape, match.point, match.distance)) continue;
      match.member = it->member;
      match.score = it->score;
      matches.push_back(std::move(match));
      if (limit && matches.size() >= limit) break;
    }
    last_walked = i;
  }
  return matches;
}

int compare_distance(const Match& a, const Match& b) {
  if (a.distance > b.distance) return 1;
  if (a.distance == b.distance) return 0;
  return -1;
}

Reply search_generic(CommandContext& ctx, size_t source_index, unsigned flags) {
  const std::vector<std::string>& args = ctx.args;
  TypedLookup found = lookup_typed(ctx, args[source_index], ValueType::ZSet);
  if (found.wrong_type) return wrong_type_error();
  const SortedSet* zset = zset_of(found.entry);

  geo::Shape shape;
  const std::string* store_key = nullptr;
  bool store_distance = false;
  size_t base = 0;
  if (flags & kByCoordinates) {
    base = 6;
    if (auto error = parse_position(args[2], args[3], shape.center)) return *error;
    if (auto error = parse_radius(args[4], args[5], shape)) return *error;
  } else if (flags & kByMember) {
    base = 5;
    // Without the source key, the rest is still parsed to know which reply to give.
    if (zset) {
      if (!member_position(zset, args[2], shape.center)) return Reply::error(kCannotDecodeMember);
      if (auto error = parse_radius(args[3], args[4], shape)) return *error;
    }
  } else {
    base = 2;
    if (flags & kSearchStore) {
      base = 3;
      store_key = &args[1];
    }
  }

  bool with_dist = false;
  bool with_hash = false;
  bool with_coord = false;
  bool from_member = false;
  bool from_lonlat = false;
  bool by_radius = false;
  bool by_box = false;
  bool any = false;
  Order order = Order::None;
  long long count = 0;
  const bool search = (flags & kSearch) != 0;
  for (size_t i = base; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const size_t left = args.size() - i - 1;
    if (iequals(arg, "withdist")) {
      with_dist = true;
    } else if (iequals(arg, "withhash")) {
      with_hash = true;
    } else if (iequals(arg, "withcoord")) {
      with_coord = true;
    } else if (iequals(arg, "any")) {
      any = true;
    } else if (iequals(arg, "asc")) {
      order = Order::Asc;
    } else if (iequals(arg, "desc")) {
      order = Order::Desc;
    } else if (iequals(arg, "count") && left >= 1) {
      if (!parse_integer(args[i + 1], count)) return not_integer_error();
      if (count <= 0) return Reply::error(errors::kCountMustBeAboveZero);
      ++i;
    } else if ((iequals(arg, "store") || iequals(arg, "storedist")) && left >= 1 &&
               !(flags & kNoStore) && !search) {
      store_key = &args[i + 1];
      store_distance = iequals(arg, "storedist");
      ++i;
    } else if (iequals(arg, "storedist") && (flags & kSearchStore)) {
      store_distance = true;
    } else if (iequals(arg, "frommember") && left >= 1 && search && !from_lonlat) {
      if (zset && !member_position(zset, args[i + 1], shape.center)) {
        return Reply::error(kCannotDecodeMember);
      }
      from_member = true;
      ++i;
    } else if (iequals(arg, "fromlonlat") && left >= 2 && search && !from_member) {
      if (auto error = parse_position(args[i + 1], args[i + 2], shape.center)) return *error;
      from_lonlat = true;
      i += 2;
    } else if (iequals(arg, "byradius") && left >= 2 && search && !by_box) {
      if (auto error = parse_radius(args[i + 1], args[i + 2], shape)) return *error;
      by_radius = true;
      i += 2;
    } else if (iequals(arg, "bybox") && left >= 3 && search && !by_radius) {
      if (auto error = parse_box(args[i + 1], args[i + 2], args[i + 3], shape)) return *error;
      by_box = true;
      i += 3;
    } else {
      return syntax_error();
    }
  }

  if (store_key && (with_dist || with_hash || with_coord)) {
    return Reply::error((flags & kSearchStore) ? kSearchStoreWithReplyOptions
                                               : kStoreWithReplyOptions);
  }
  if (search && !(from_member || from_lonlat)) {
    return Reply::error(kNeedsOneCenter + args[0]);
  }
  if (search && !(by_radius || by_box)) {
    return Reply::error(kNeedsOneShape + args[0]);
  }
  if (any && count == 0) return Reply::error(kAnyNeedsCount);

  const auto store_result = [&](std::vector<Match>& matches, size_t returned) {
    const std::string& key = *store_key;
    if (returned == 0) {
      if (ctx.lookup(key)) {
        ctx.db().erase(key);
        ctx.modified(key);
      }
      return Reply::integer_value(0);
    }
    Value value = Value::make<SortedSet>(ValueType::ZSet);
    SortedSet& out = value.as<SortedSet>();
    for (size_t i = 0; i < returned; ++i) {
      const Match& match = matches[i];
      out.add(match.member, store_distance ? match.distance / shape.unit_meters : match.score);
    }
    out.fit_encoding();
    ctx.db().put(key, std::move(value));
    ctx.modified(key);
    return Reply::integer_value(static_cast<long long>(returned));
  };

  if (!zset) {
    if (store_key) {
      std::vector<Match> none;
      return store_result(none, 0);
    }
    return Reply::array();
  }

  // COUNT needs the nearest ones: it implies ASC unless ANY asks for any of them.
  if (count != 0 && order == Order::None && !any) order = Order::Asc;

  std::vector<Match> matches =
      find_matches(*zset, shape, any ? static_cast<size_t>(count) : size_t{0});
  if (matches.empty() && !store_key) return Reply::array();

  const size_t returned = (count == 0 || matches.size() < static_cast<unsigned long long>(count))
                              ? matches.size()
                              : static_cast<size_t>(count);
  if (order != Order::None) {
    const int sign = order == Order::Asc ? 1 : -1;
    const auto compare = [sign](const Match& a, const Match& b) {
      return sign * compare_distance(a, b);
    };
    if (returned == matches.size()) {
      std::stable_sort(matches.begin(), matches.end(),
                       [&](const Match& a, const Match& b) { return compare(a, b) < 0; });
    } else {
      redis_partial_sort(matches, compare, 0, returned - 1);
    }
  }

  if (store_key) return store_result(matches, returned);

  const bool nested = with_dist || with_hash || with_coord;
  std::vector<Reply> items;
  items.reserve(returned);
  for (size_t i = 0; i < returned; ++i) {
    Match& match = matches[i];
    if (!nested) {
      items.push_back(Reply::bulk(std::move(match.member)));
      continue;
    }
    std::vector<Reply> item;
    item.push_back(Reply::bulk(std::move(match.member)));
    if (with_dist) item.push_back(distance_reply(match.distance / shape.unit_meters));
    if (with_hash) item.push_back(Reply::integer_value(geo::hash_integer(match.score)));
    if (with_coord) item.push_back(position_reply(match.point));
    items.push_back(Reply::array(std::move(item)));
  }
  return Reply::array(std::move(items));
}

Reply georadius_command(CommandContext& ctx) {
  return search_generic(ctx, 1, kByCoordinates);
}
Reply georadius_ro_command(CommandContext& ctx) {
  return search_generic(ctx, 1, kByCoordinates | kNoStore);
}
Reply georadiusbymember_command(CommandContext& ctx) {
  return search_generic(ctx, 1, kByMember);
}
Reply georadiusbymember_ro_command(CommandContext& ctx) {
  return search_generic(ctx, 1, kByMember | kNoStore);
}
Reply geosearch_command(CommandContext& ctx) {
  return search_generic(ctx, 1, kSearch);
}
Reply geosearchstore_command(CommandContext& ctx) {
  return search_generic(ctx, 2, kSearch | kSearchStore);
}

}  // namespace

std::vector<CommandRow> geo_command_rows() {
  return {
      {"geoadd", geoadd_command},
      {"geodist", geodist_command},
      {"geohash", geohash_command},
      {"geopos", geopos_command},
      {"geosearch", geosearch_command},
      {"geosearchstore", geosearchstore_command},
      {"georadius", georadius_command},
      {"georadius_ro", georadius_ro_command},
      {"georadiusbymember", georadiusbymember_command},
      {"georadiusbymember_ro", georadiusbymember_ro_command},
  };
}

}  // namespace redpad
