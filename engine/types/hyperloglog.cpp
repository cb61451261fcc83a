#include "hyperloglog.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace redpad::hll {

namespace {

constexpr unsigned kHistogramSize = 64;    // every value a 6-bit register can hold
constexpr unsigned kQ = 64 - kIndexBits;   // bits left for the zero run
constexpr size_t kCacheByte = 8;           // where the cached cardinality starts
constexpr std::uint8_t kStaleFlag = 0x80;  // in the cache's last byte

// ---- the sparse code ----

enum class OpKind { Zero, XZero, Val };

struct Opcode {
  OpKind kind = OpKind::Zero;
  size_t size = 1;     // bytes
  unsigned run = 0;    // registers covered
  unsigned value = 0;  // VAL only
};

std::uint8_t byte_at(const std::string& s, size_t pos) {
  // Redis's strings end with a NUL byte, which a truncated XZERO reads as its second byte.
  return pos < s.size() ? static_cast<std::uint8_t>(s[pos]) : 0;
}

Opcode decode(const std::string& s, size_t pos) {
  const std::uint8_t b = byte_at(s, pos);
  Opcode op;
  if ((b & 0xc0) == 0x00) {
    op.kind = OpKind::Zero;
    op.run = (b & 0x3fu) + 1;
  } else if ((b & 0xc0) == 0x40) {
    op.kind = OpKind::XZero;
    op.size = 2;
    op.run = (((b & 0x3fu) << 8) | byte_at(s, pos + 1)) + 1;
  } else {
    op.kind = OpKind::Val;
    op.value = ((b >> 2) & 0x1fu) + 1;
    op.run = (b & 0x3u) + 1;
  }
  return op;
}

char val_byte(unsigned value, unsigned run) {
  return static_cast<char>(0x80u | ((value - 1) << 2) | (run - 1));
}

// The shortest code for `run` zero registers (1..16384).
void append_zeros(std::string& out, unsigned run) {
  if (run <= 64) {
    out.push_back(static_cast<char>(run - 1));
  } else {
    out.push_back(static_cast<char>(0x40u | ((run - 1) >> 8)));
    out.push_back(static_cast<char>((run - 1) & 0xffu));
  }
}

// Walks a sparse code, calling fn(opcode) for each; false when it does not cover exactly
// the 16384 registers.
template <class Fn>
bool walk_sparse(const std::string& hll, Fn fn) {
  unsigned long total = 0;
  size_t pos = kHeaderSize;
  while (pos < hll.size()) {
    const Opcode op = decode(hll, pos);
    if (total + op.run > kRegisters) return false;
    fn(op, static_cast<unsigned>(total));
    total += op.run;
    pos += op.size;
  }
  return total == kRegisters;
}

// ---- the dense registers ----

unsigned dense_get(const std::string& hll, unsigned index) {
  const size_t bit = static_cast<size_t>(index) * kRegisterBits;
  const size_t byte = kHeaderSize + bit / 8;
  const unsigned shift = bit % 8;
  const unsigned low = byte_at(hll, byte);
  const unsigned high = byte_at(hll, byte + 1);
  return ((low >> shift) | (high << (8 - shift))) & 0x3fu;
}

void dense_set(std::string& hll, unsigned index, unsigned value) {
  const size_t bit = static_cast<size_t>(index) * kRegisterBits;
  const size_t byte = kHeaderSize + bit / 8;
  const unsigned shift = bit % 8;
  auto& low = reinterpret_cast<unsigned char&>(hll[byte]);
  low = static_cast<unsigned char>((low & ~(0x3fu << shift)) | ((value << shift) & 0xffu));
  if (shift > 2) {  // the register spills into the next byte
    auto& high = reinterpret_cast<unsigned char&>(hll[byte + 1]);
    high = static_cast<unsigned char>((high & ~(0x3fu >> (8 - shift))) | (value >> (8 - shift)));
  }
}

Update dense_raise(std::string& hll, unsigned index, unsigned value) {
  if (dense_get(hll, index) >= value) return Update::Unchanged;
  dense_set(hll, index, value);
  return Update::Changed;
}

// Joins neighbouring VAL opcodes of equal value (up to 4 registers) in the few opcodes
// around an update, starting at the opcode before it.
void merge_neighbours(std::string& hll, size_t start) {
  size_t pos = start;
  int window = 5;
  while (pos < hll.size() && window-- > 0) {
    const Opcode op = decode(hll, pos);
    if (op.kind == OpKind::Val && pos + 1 < hll.size()) {
      const Opcode next = decode(hll, pos + 1);
      if (next.kind == OpKind::Val && next.value == op.value && op.run + next.run <= 4) {
        hll[pos] = val_byte(op.value, op.run + next.run);
        hll.erase(pos + 1, 1);
        continue;  // the joined opcode may join the next one too
      }
    }
    pos += op.size;
  }
}

Update sparse_raise(std::string& hll, unsigned index, unsigned value) {
  if (value > kSparseMaxValue) {
    if (!convert_to_dense(hll)) return Update::Corrupted;
    return dense_raise(hll, index, value);
  }
  // Find the opcode covering the register.
  size_t pos = kHeaderSize;
  size_t prev = std::string::npos;
  unsigned first = 0;
  Opcode op;
  bool found = false;
  while (pos < hll.size()) {
    op = decode(hll, pos);
    if (index <= first + op.run - 1) {
      found = true;
      break;
    }
    prev = pos;
    pos += op.size;
    first += op.run;
  }
  if (!found) return Update::Corrupted;

  if (op.kind == OpKind::Val && op.value >= value) return Update::Unchanged;
  if (op.run == 1 && op.kind != OpKind::XZero) {
    hll[pos] = val_byte(value, 1);  // a lone register: rewrite it in place
  } else {
    // Split the run around the register: [before] VAL(value) [after].
    const unsigned last = first + op.run - 1;
    std::string seq;
    if (op.kind == OpKind::Val) {
      if (index != first) seq.push_back(val_byte(op.value, index - first));
      seq.push_back(val_byte(value, 1));
      if (index != last) seq.push_back(val_byte(op.value, last - index));
    } else {
      if (index != first) append_zeros(seq, index - first);
      seq.push_back(val_byte(value, 1));
      if (index != last) append_zeros(seq, last - index);
    }
    const size_t old_size = std::min(op.size, hll.size() - pos);
    if (seq.size() > op.size && hll.size() + (seq.size() - op.size) > kSparseMaxBytes) {
      if (!convert_to_dense(hll)) return Update::Corrupted;
      return dense_raise(hll, index, value);
    }
    hll.replace(pos, old_size, seq);
    // A truncated final XZERO: Redis's length arithmetic counts its missing byte, so the
    // code comes out one byte short.
    if (old_size < op.size) hll.resize(hll.size() - (op.size - old_size));
  }
  merge_neighbours(hll, prev == std::string::npos ? kHeaderSize : prev);
  return Update::Changed;
}

// Ertl's sigma and tau series ("New cardinality estimation algorithms for HyperLogLog
// sketches", 2017), summed until the value stops changing.
double sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  double previous;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (previous != z);
  return z;
}

double tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  double previous;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
  } while (previous != z);
  return z / 3.0;
}

std::uint64_t estimate_from_histogram(const unsigned long (&histogram)[kHistogramSize]) {
  const double m = kRegisters;
  double z = m * tau((m - static_cast<double>(histogram[kQ + 1])) / m);
  for (unsigned k = kQ; k >= 1; --k) {
    z += static_cast<double>(histogram[k]);
    z *= 0.5;
  }
  z += m * sigma(static_cast<double>(histogram[0]) / m);
  constexpr double kAlphaInfinity = 0.721347520444481703680;  // 1 / (2 ln 2)
  return static_cast<std::uint64_t>(std::llround(kAlphaInfinity * m * m / z));
}

}  // namespace

std::uint64_t murmurhash64a(std::string_view data, std::uint64_t seed) {
  constexpr std::uint64_t kMul = 0xc6a4a7935bd1e995ULL;
  constexpr int kShift = 47;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t length = data.size();
  std::uint64_t h = seed ^ (static_cast<std::uint64_t>(length) * kMul);
  const size_t blocks = length / 8;
  for (size_t i = 0; i < blocks; ++i) {
    std::uint64_t k = 0;
    for (int b = 7; b >= 0; --b)
      k = (k << 8) | bytes[i * 8 + static_cast<size_t>(b)];
    k *= kMul;
    k ^= k >> kShift;
    k *= kMul;
    h ^= k;
    h *= kMul;
  }
  const unsigned char* tail = bytes + blocks * 8;
  const size_t rest = length & 7;
  if (rest > 0) {
    for (size_t b = rest; b-- > 0;)
      h ^= static_cast<std::uint64_t>(tail[b]) << (8 * b);
    h *= kMul;
  }
  h ^= h >> kShift;
  h *= kMul;
  h ^= h >> kShift;
  return h;
}

void element_position(std::string_view element, unsigned& index, unsigned& value) {
  std::uint64_t hash = murmurhash64a(element, 0xadc83b19ULL);
  index = static_cast<unsigned>(hash & (kRegisters - 1));
  hash >>= kIndexBits;
  hash |= std::uint64_t{1} << kQ;  // bounds the run at kQ zeros
  unsigned run = 1;
  while ((hash & 1u) == 0) {
    ++run;
    hash >>= 1;
  }
  value = run;
}

std::string make_empty() {
  std::string hll("HYLL", 4);
  hll.push_back(static_cast<char>(kSparse));
  hll.append(kHeaderSize - hll.size(), '\0');
  append_zeros(hll, kRegisters);
  return hll;
}

bool looks_like_hll(const std::string& bytes) {
  if (bytes.size() < kHeaderSize || bytes.compare(0, 4, "HYLL") != 0) return false;
  const auto encoding = static_cast<std::uint8_t>(bytes[4]);
  if (encoding > kSparse) return false;
  return encoding != kDense || bytes.size() == kDenseSize;
}

bool is_dense(const std::string& bytes) {
  return static_cast<std::uint8_t>(bytes[4]) == kDense;
}

Update add(std::string& hll, std::string_view element) {
  unsigned index = 0;
  unsigned value = 0;
  element_position(element, index, value);
  return raise_register(hll, index, value);
}

Update raise_register(std::string& hll, unsigned index, unsigned value) {
  return is_dense(hll) ? dense_raise(hll, index, value) : sparse_raise(hll, index, value);
}

bool convert_to_dense(std::string& hll) {
  if (is_dense(hll)) return true;
  std::string dense = hll.substr(0, kHeaderSize);
  dense[4] = static_cast<char>(kDense);
  dense.resize(kDenseSize, '\0');
  const bool ok = walk_sparse(hll, [&](const Opcode& op, unsigned first) {
    if (op.kind != OpKind::Val) return;
    for (unsigned i = 0; i < op.run; ++i)
      dense_set(dense, first + i, op.value);
  });
  if (!ok) return false;
  hll = std::move(dense);
  return true;
}

bool merge_into(const std::string& hll, Registers& max) {
  if (is_dense(hll)) {
    for (unsigned i = 0; i < kRegisters; ++i) {
      const auto value = static_cast<std::uint8_t>(dense_get(hll, i));
      if (value > max[i]) max[i] = value;
    }
    return true;
  }
  return walk_sparse(hll, [&](const Opcode& op, unsigned first) {
    if (op.kind != OpKind::Val) return;
    for (unsigned i = first; i < first + op.run; ++i) {
      if (op.value > max[i]) max[i] = static_cast<std::uint8_t>(op.value);
    }
  });
}

bool estimate(const std::string& hll, std::uint64_t& cardinality) {
  unsigned long histogram[kHistogramSize] = {};
  if (is_dense(hll)) {
    for (unsigned i = 0; i < kRegisters; ++i)
      ++histogram[dense_get(hll, i)];
  } else {
    const bool ok = walk_sparse(hll, [&](const Opcode& op, unsigned) {
      histogram[op.kind == OpKind::Val ? op.value : 0] += op.run;
    });
    if (!ok) return false;
  }
  cardinality = estimate_from_histogram(histogram);
  return true;
}

std::uint64_t estimate(const Registers& registers) {
  unsigned long histogram[kHistogramSize] = {};
  for (std::uint8_t value : registers)
    ++histogram[value & 0x3fu];
  return estimate_from_histogram(histogram);
}

bool cache_valid(const std::string& hll) {
  return (static_cast<std::uint8_t>(hll[kCacheByte + 7]) & kStaleFlag) == 0;
}

std::uint64_t cached_cardinality(const std::string& hll) {
  std::uint64_t value = 0;
  for (size_t i = 8; i-- > 0;) {
    value = (value << 8) | static_cast<std::uint8_t>(hll[kCacheByte + i]);
  }
  return value;
}

void store_cardinality(std::string& hll, std::uint64_t cardinality) {
  for (size_t i = 0; i < 8; ++i) {
    hll[kCacheByte + i] = static_cast<char>((cardinality >> (8 * i)) & 0xffu);
  }
}

void invalidate_cache(std::string& hll) {
  hll[kCacheByte + 7] =
      static_cast<char>(static_cast<std::uint8_t>(hll[kCacheByte + 7]) | kStaleFlag);
}

}  // namespace redpad::hll
