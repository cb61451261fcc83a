#include "scan_cursor.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <utility>

#include "ascii.h"
#include "database.h"
#include "errors.h"
#include "numbers.h"

namespace redpad {

namespace {

// The low `bits` bits of v in reverse order.
std::uint64_t reverse_bits(std::uint64_t v, unsigned bits) {
  std::uint64_t r = 0;
  for (unsigned i = 0; i < bits; ++i)
    r |= ((v >> i) & 1u) << (bits - 1 - i);
  return r;
}

}  // namespace

std::optional<unsigned long long> parse_scan_cursor(const std::string& text) {
  if (!text.empty() && (text[0] == ' ' || (text[0] >= '\t' && text[0] <= '\r')))
    return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const unsigned long long cursor = std::strtoull(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() || errno == ERANGE) return std::nullopt;
  return cursor;
}

std::optional<Reply> parse_scan_options(const std::vector<std::string>& args, size_t first,
                                        bool allow_type, ScanOptions& out) {
  for (size_t i = first; i < args.size();) {
    const size_t remaining = args.size() - i;
    if (iequals(args[i], "count") && remaining >= 2) {
      if (!parse_integer(args[i + 1], out.count)) return Reply::error(errors::kNotInteger);
      if (out.count < 1) return Reply::error(errors::kSyntax);
      i += 2;
    } else if (iequals(args[i], "match") && remaining >= 2) {
      out.pattern = args[i + 1] == "*" ? nullptr : &args[i + 1];
      i += 2;
    } else if (allow_type && iequals(args[i], "type") && remaining >= 2) {
      out.type = &args[i + 1];
      i += 2;
    } else {
      return Reply::error(errors::kSyntax);
    }
  }
  return std::nullopt;
}

ScanPage scan_page(const std::vector<const std::string*>& candidates, unsigned long long cursor,
                   long long count, std::uint64_t table_size) {
  ScanPage page;
  if (candidates.empty() || table_size == 0) return page;
  unsigned bits = 0;
  while ((std::uint64_t{1} << bits) < table_size)
    ++bits;
  const std::uint64_t mask = table_size - 1;
  // Visit order: buckets by their reversed index, as Redis's cursor increments.
  struct Item {
    std::uint64_t order;  // the bucket's reversed index
    std::uint64_t hash;
    const std::string* name;
  };
  const std::uint64_t start = reverse_bits(cursor & mask, bits);
  std::vector<Item> ahead;
  for (const std::string* name : candidates) {
    const std::uint64_t hash = key_hash(*name);
    const std::uint64_t order = reverse_bits(hash & mask, bits);
    if (order >= start) ahead.push_back({order, hash, name});
  }
  std::sort(ahead.begin(), ahead.end(), [](const Item& a, const Item& b) {
    if (a.order != b.order) return a.order < b.order;
    return a.hash != b.hash ? a.hash < b.hash : *a.name < *b.name;
  });
  // Whole buckets until COUNT items are collected or 10 x COUNT buckets were looked at.
  const std::uint64_t bucket_budget = static_cast<std::uint64_t>(count) * 10;
  std::uint64_t order = start;
  size_t next = 0;
  for (std::uint64_t visited = 0; order < table_size; ++order) {
    while (next < ahead.size() && ahead[next].order == order)
      page.items.push_back(ahead[next++].name);
    if (page.items.size() >= static_cast<unsigned long long>(count) || ++visited >= bucket_budget) {
      ++order;
      break;
    }
  }
  // The cursor is the next bucket's own index; 0 once the walk has wrapped around.
  page.next_cursor = order < table_size ? reverse_bits(order, bits) : 0;
  return page;
}

std::uint64_t table_size_for(size_t items) {
  if (items == 0) return 0;
  std::uint64_t size = 4;
  while (size < items)
    size *= 2;
  return size;
}

Reply scan_reply(unsigned long long next_cursor, std::vector<Reply> items) {
  return Reply::array({Reply::bulk(std::to_string(next_cursor)), Reply::array(std::move(items))});
}

}  // namespace redpad
