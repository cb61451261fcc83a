// The cursor walk shared by SCAN, HSCAN, SSCAN and ZSCAN, built like Redis's: items sit in
// the buckets of a power-of-two hash table (bucket = key_hash & (size - 1)), and the cursor
// is a bucket index advanced in reverse-binary order. So cursors look like Redis's (small
// numbers below the table size), a page holds whole buckets until COUNT items are seen, and
// an item present for the whole walk is returned even if the table grows or shrinks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reply.h"

namespace redpad {

struct ScanOptions {
  long long count = 10;
  const std::string* pattern = nullptr;  // nullptr: every item ("MATCH *" too)
  const std::string* type = nullptr;     // SCAN's TYPE filter
};

// Redis's cursor syntax (an unsigned 64-bit decimal); nullopt means "ERR invalid cursor".
std::optional<unsigned long long> parse_scan_cursor(const std::string& text);

// MATCH / COUNT (and TYPE when allowed) from args[first] on; an error reply on failure.
std::optional<Reply> parse_scan_options(const std::vector<std::string>& args, size_t first,
                                        bool allow_type, ScanOptions& out);

struct ScanPage {
  std::vector<const std::string*> items;  // in cursor order, before MATCH filtering
  unsigned long long next_cursor = 0;     // 0 when the walk is complete
};

// The next page: whole buckets from `cursor` on, until `count` items or 10 x count buckets.
// `table_size` is a power of two (the hash table's size; see table_size_for).
ScanPage scan_page(const std::vector<const std::string*>& candidates, unsigned long long cursor,
                   long long count, std::uint64_t table_size);

// The size Redis's hash table has after growing to hold `items` (4, then doubling whenever
// it is full): for hashtable-encoded aggregates, whose history redpad does not track.
std::uint64_t table_size_for(size_t items);

// [cursor, [items...]]: the reply shape of every SCAN command.
Reply scan_reply(unsigned long long next_cursor, std::vector<Reply> items);

}  // namespace redpad
