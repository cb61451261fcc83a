// HyperLogLog in Redis's own string representation, so that GET shows the very bytes a
// real server stores and a value SET from real Redis's output works here.
//
// A 16-byte header: "HYLL", the encoding (0 dense, 1 sparse), three unused bytes, and the
// cached cardinality as 8 little-endian bytes whose top bit marks the cache stale. Then
// the 16384 registers (14 index bits of a 64-bit MurmurHash64A, seed 0xadc83b19; the
// register holds the length of the run of zero bits that follows, plus one), either:
// - dense: 6 bits per register, packed from the least significant bit of each byte, or
// - sparse: a run-length code of ZERO (00xxxxxx: 1-64 zero registers), XZERO
//   (01xxxxxx yyyyyyyy: 1-16384 zero registers) and VAL (1vvvvvxx: 1-4 registers holding
//   1-32) opcodes. A value above 32, or a code longer than 3000 bytes, turns it dense.
// The cardinality is Otmar Ertl's improved estimator over the register histogram.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace redpad::hll {

inline constexpr size_t kHeaderSize = 16;
inline constexpr unsigned kIndexBits = 14;
inline constexpr unsigned kRegisters = 1u << kIndexBits;
inline constexpr unsigned kRegisterBits = 6;
inline constexpr size_t kDenseSize = kHeaderSize + (kRegisters * kRegisterBits + 7) / 8;
inline constexpr unsigned kSparseMaxValue = 32;
inline constexpr size_t kSparseMaxBytes = 3000;  // hll-sparse-max-bytes
inline constexpr std::uint8_t kDense = 0;
inline constexpr std::uint8_t kSparse = 1;

// The register values of one or more HLLs, one byte each (PFCOUNT of several keys, PFMERGE).
using Registers = std::array<std::uint8_t, kRegisters>;

std::uint64_t murmurhash64a(std::string_view data, std::uint64_t seed);

// Which register an element lands in and the value it offers that register.
void element_position(std::string_view element, unsigned& index, unsigned& value);

// A new, empty HLL: sparse, cached cardinality 0 (valid).
std::string make_empty();

// The header checks Redis makes before using a string as an HLL (not the register code).
bool looks_like_hll(const std::string& bytes);
bool is_dense(const std::string& bytes);

// The outcome of a register update: whether a register grew, or the sparse code is
// corrupted (a register index it does not cover).
enum class Update { Unchanged, Changed, Corrupted };

// Adds an element (PFADD).
Update add(std::string& hll, std::string_view element);
// Raises register `index` to `value` if it is lower.
Update raise_register(std::string& hll, unsigned index, unsigned value);
// Rewrites a sparse HLL as dense. False when the sparse code is corrupted.
bool convert_to_dense(std::string& hll);

// Raises `max` to this HLL's registers. False when the sparse code is corrupted.
bool merge_into(const std::string& hll, Registers& max);

// The estimate for one HLL's registers; false when the sparse code is corrupted.
bool estimate(const std::string& hll, std::uint64_t& cardinality);
std::uint64_t estimate(const Registers& registers);

// The cardinality cache in the header.
bool cache_valid(const std::string& hll);
std::uint64_t cached_cardinality(const std::string& hll);
void store_cardinality(std::string& hll, std::uint64_t cardinality);
void invalidate_cache(std::string& hll);

}  // namespace redpad::hll
