// The cursor walk shared by SCAN, HSCAN, SSCAN and ZSCAN. A cursor is a position in a
// stable hash order of the items (the top 32 bits of key_hash), so an item present for the
// whole walk is returned whatever is added or removed meanwhile, as Redis guarantees.
#pragma once

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

// The items at or after `cursor`, about `count` of them (items sharing a position are
// never split across pages).
ScanPage scan_page(const std::vector<const std::string*>& candidates, unsigned long long cursor,
                   long long count);

// [cursor, [items...]]: the reply shape of every SCAN command.
Reply scan_reply(unsigned long long next_cursor, std::vector<Reply> items);

}  // namespace redpad
