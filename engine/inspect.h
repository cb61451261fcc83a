// The inspector's view of one key, for the page's per-type views (a list as indexed cells,
// a hash as a table, a stream with its consumer groups...): one page of the value's
// elements, read straight from the database. Reading never changes the server: no lazy
// expiry (a key past its TTL is reported missing but stays where it is), no keyspace
// hit/miss statistics, no cached HyperLogLog cardinality written back. The JSON answered is
// inspect_answer in web/engine/contract.schema.json.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "server.h"

namespace redpad {

// Most elements one page holds (lists, hashes, sets, sorted sets, streams), and most bytes
// of a string.
inline constexpr size_t kInspectMaxItems = 500;
inline constexpr size_t kInspectMaxBytes = 65536;
// Most bytes of one element (a list's value, a hash's field or value, a member...) shown:
// a longer one is cut, and its item says so.
inline constexpr size_t kInspectMaxElementBytes = 1024;
// A string is tried as JSON only up to this size (a page pretty-prints it whole).
inline constexpr size_t kInspectMaxJsonBytes = 1 << 20;

// One page of `key` in database `db`: elements offset..offset+count-1 (bytes, for strings).
nlohmann::json inspect_key(const Server& server, int db, const std::string& key, size_t offset,
                           size_t count);

}  // namespace redpad
