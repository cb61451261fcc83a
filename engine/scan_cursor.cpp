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

std::uint32_t scan_position(const std::string& item) {
  return static_cast<std::uint32_t>(key_hash(item) >> 32);
}

}  // namespace

std::optional<unsigned long long> parse_scan_cursor(const std::string& text) {
  if (!text.empty() && (text[0] == ' ' || (text[0] >= '\t' && text[0] <= '\r'))) return std::nullopt;
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
                   long long count) {
  std::vector<std::pair<std::uint32_t, const std::string*>> ahead;
  if (cursor <= UINT32_MAX) {
    for (const std::string* item : candidates) {
      const std::uint32_t position = scan_position(*item);
      if (position >= cursor) ahead.emplace_back(position, item);
    }
  }
  auto by_position = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  };
  ScanPage page;
  if (ahead.size() > static_cast<unsigned long long>(count)) {
    const auto nth = ahead.begin() + static_cast<std::ptrdiff_t>(count - 1);
    std::nth_element(ahead.begin(), nth, ahead.end(), by_position);
    const std::uint32_t last = nth->first;
    auto split = std::partition(ahead.begin(), ahead.end(),
                                [last](const auto& item) { return item.first <= last; });
    if (split != ahead.end()) page.next_cursor = std::min_element(split, ahead.end(), by_position)->first;
    ahead.erase(split, ahead.end());
  }
  std::sort(ahead.begin(), ahead.end(), by_position);
  page.items.reserve(ahead.size());
  for (const auto& item : ahead) page.items.push_back(item.second);
  return page;
}

Reply scan_reply(unsigned long long next_cursor, std::vector<Reply> items) {
  return Reply::array({Reply::bulk(std::to_string(next_cursor)), Reply::array(std::move(items))});
}

}  // namespace redpad
