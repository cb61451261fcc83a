// The server's own seeded random numbers (SplitMix64). Written out rather than taken from
// <random> because its distributions differ between standard libraries, and a lesson must
// draw the same "random" key natively and in the browser.
#pragma once

#include <cstdint>

namespace redpad {

class Random {
 public:
  explicit Random(std::uint64_t seed = 0) : state_(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, bound), without modulo bias. bound must be > 0.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t draw = next();
    while (draw >= limit)
      draw = next();
    return draw % bound;
  }

 private:
  std::uint64_t state_;
};

}  // namespace redpad
