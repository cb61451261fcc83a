// The server's sense of time. Nothing in the engine reads a real clock: the host (CLI,
// page, tests) says what time it is, and DEBUG SLEEP or the page's clock buttons move time
// forward without waiting.
#pragma once

#include <cstdint>

namespace redpad {

class VirtualClock {
 public:
  explicit VirtualClock(std::int64_t start_ms = 0) : host_ms_(start_ms) {}

  // Milliseconds since the Unix epoch, as the server sees them.
  std::int64_t now_ms() const { return host_ms_ + advanced_ms_; }

  // The host's own time (wall clock in the CLI and page, fixed in tests).
  void set_host_time(std::int64_t ms) { host_ms_ = ms; }
  std::int64_t host_time() const { return host_ms_; }

  // Moves time forward on top of the host's time and keeps it there. Each sleep is capped
  // (a hundred years), but enough of them would overflow: time stops kMaxAdvanceMs ahead
  // (some 285,000 years), where now_ms() and expiry arithmetic stay in range.
  static constexpr std::int64_t kMaxAdvanceMs = std::int64_t{1} << 53;
  void advance(std::int64_t ms) {
    if (ms <= 0) return;
    advanced_ms_ = ms < kMaxAdvanceMs - advanced_ms_ ? advanced_ms_ + ms : kMaxAdvanceMs;
  }
  std::int64_t advanced_ms() const { return advanced_ms_; }

 private:
  std::int64_t host_ms_;
  std::int64_t advanced_ms_ = 0;
};

}  // namespace redpad
