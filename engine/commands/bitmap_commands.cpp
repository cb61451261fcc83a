// Bitmaps (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, BITFIELD_RO): bit
// operations on string values. Bit 0 is the most significant bit of the first byte, and
// bits past the end of the string read as zeros.
#include <cstdint>
#include <string>
#include <vector>

#include "../ascii.h"
#include "command_helpers.h"

namespace redpad {

namespace {

constexpr const char* kBitOffsetError = "ERR bit offset is not an integer or out of range";
constexpr const char* kBitValueError = "ERR bit is not an integer or out of range";
constexpr const char* kBitArgumentError = "ERR The bit argument must be 1 or 0.";
constexpr const char* kBitfieldTypeError =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but "
    "i64 is.";
constexpr const char* kOverflowTypeError = "ERR Invalid OVERFLOW type specified";
constexpr const char* kBitfieldReadonlyError = "ERR BITFIELD_RO only supports the GET subcommand";
constexpr const char* kBitopNotError = "ERR BITOP NOT must be called with a single source key.";

// A bit offset argument: a plain non-negative integer, or (BITFIELD) "#N" meaning N times
// the field width. Like Redis, the offset's byte must lie below proto-max-bulk-len.
bool parse_bit_offset(const CommandContext& ctx, const std::string& text, bool allow_hash,
                      unsigned bits, std::uint64_t& offset) {
  const bool use_hash = allow_hash && !text.empty() && text[0] == '#';
  long long value = 0;
  if (!parse_integer(use_hash ? std::string_view(text).substr(1) : std::string_view(text), value)) {
    return false;
  }
  // "#N" is N fields; Redis multiplies with wrapping arithmetic and then checks the sign.
  if (use_hash) {
    value = static_cast<long long>(static_cast<std::uint64_t>(value) * bits);
  }
  if (value < 0) return false;
  const auto result = static_cast<std::uint64_t>(value);
  if ((result >> 3) >= ctx.server.config().proto_max_bulk_len) return false;
  offset = result;
  return true;
}

int bit_at(const std::string& str, std::uint64_t bit) {
  const std::uint64_t byte = bit >> 3;
  if (byte >= str.size()) return 0;
  return (static_cast<unsigned char>(str[static_cast<size_t>(byte)]) >> (7 - (bit & 7))) & 1;
}

// The string a bit write works on: created (zero-filled) when the key is missing, grown
// with zeros to hold byte `last_byte`, and always "raw" afterwards as in Redis.
// `grown` tells whether the key was created or lengthened (a change WATCH must see).
struct BitWriteTarget {
  std::string* str = nullptr;
  bool wrong_type = false;
  bool grown = false;
  bool out_of_memory = false;  // growing it would pass maxmemory: nothing was changed
};

BitWriteTarget string_for_bit_write(CommandContext& ctx, const std::string& key,
                                    std::uint64_t last_byte) {
  BitWriteTarget target;
  const auto needed = static_cast<size_t>(last_byte + 1);
  Entry* entry = ctx.lookup(key);
  if (entry && entry->value.type != ValueType::String) {
    target.wrong_type = true;
    return target;
  }
  const size_t current = entry ? entry->value.str.size() : 0;
  if (needed > current && ctx.server.would_exceed_maxmemory(needed - current)) {
    target.out_of_memory = true;
    return target;
  }
  if (!entry) {
    entry = &ctx.db().put(key, Value::string_raw(std::string(needed, '\0')));
    target.grown = true;
  } else {
    entry->value.encoding = StringEncoding::Raw;
    if (entry->value.str.size() < needed) {
      entry->value.str.resize(needed, '\0');
      target.grown = true;
    }
  }
  target.str = &entry->value.str;
  return target;
}

// ---- SETBIT, GETBIT ----

Reply setbit_command(CommandContext& ctx) {
  const std::string& key = ctx.args[1];
  std::uint64_t offset = 0;
  if (!parse_bit_offset(ctx, ctx.args[2], false, 1, offset)) return Reply::error(kBitOffsetError);
  long long on = 0;
  if (!parse_integer(ctx.args[3], on) || (on & ~1LL) != 0) return Reply::error(kBitValueError);
  BitWriteTarget target = string_for_bit_write(ctx, key, offset >> 3);
  if (target.wrong_type) return wrong_type_error();
  if (target.out_of_memory) return Reply::error(errors::kOutOfMemory);
  auto& byte = reinterpret_cast<unsigned char&>((*target.str)[static_cast<size_t>(offset >> 3)]);
  const unsigned mask = 1u << (7 - (offset & 7));
  const int old_bit = (byte & mask) ? 1 : 0;
  byte = static_cast<unsigned char>(on ? (byte | mask) : (byte & ~mask));
  // Redis signals the key only when something really changed.
  if (target.grown || old_bit != static_cast<int>(on)) ctx.modified(key);
  return Reply::integer_value(old_bit);
}

Reply getbit_command(CommandContext& ctx) {
  std::uint64_t offset = 0;
  if (!parse_bit_offset(ctx, ctx.args[2], false, 1, offset)) return Reply::error(kBitOffsetError);
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  return Reply::integer_value(bit_at(found.entry->value.str, offset));
}

// ---- BITCOUNT, BITPOS ----

// Turns BITCOUNT/BITPOS's start and end (bytes or bits, negative from the end) into an
// inclusive range over `total` units. Returns false when the range is empty.
bool resolve_range(long long start, long long end, long long total, long long& first,
                   long long& last) {
  if (start < 0) start += total;
  if (end < 0) end += total;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= total) end = total - 1;
  if (start > end) return false;
  first = start;
  last = end;
  return true;
}

long long count_bits(const std::string& str, long long first_bit, long long last_bit) {
  const auto first_byte = static_cast<size_t>(first_bit >> 3);
  const auto last_byte = static_cast<size_t>(last_bit >> 3);
  long long count = 0;
  for (size_t i = first_byte; i <= last_byte; ++i) {
    unsigned byte = static_cast<unsigned char>(str[i]);
    if (i == first_byte) byte &= 0xffu >> (first_bit & 7);
    if (i == last_byte) byte &= (0xffu << (7 - (last_bit & 7))) & 0xffu;
    count += __builtin_popcount(byte);
  }
  return count;
}

bool parse_range_unit(const std::string& text, bool& bit_unit) {
  if (iequals(text, "byte")) {
    bit_unit = false;
  } else if (iequals(text, "bit")) {
    bit_unit = true;
  } else {
    return false;
  }
  return true;
}

Reply bitcount_command(CommandContext& ctx) {
  // Redis 7.0 looks the key up before it reads the range arguments.
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(0);
  const std::string& str = found.entry->value.str;
  const auto length = static_cast<long long>(str.size());
  const size_t argc = ctx.args.size();
  long long first = 0;
  long long last = 0;
  if (argc == 4 || argc == 5) {
    long long start = 0;
    long long end = 0;
    if (!parse_integer(ctx.args[2], start) || !parse_integer(ctx.args[3], end)) {
      return not_integer_error();
    }
    bool bit_unit = false;
    if (argc == 5 && !parse_range_unit(ctx.args[4], bit_unit)) return syntax_error();
    const long long total = bit_unit ? length * 8 : length;
    // Unlike BITPOS, BITCOUNT gives up on a reversed range of two negative indexes.
    if (start < 0 && end < 0 && start > end) return Reply::integer_value(0);
    if (!resolve_range(start, end, total, first, last)) return Reply::integer_value(0);
    if (!bit_unit) {
      first *= 8;
      last = last * 8 + 7;
    }
  } else if (argc == 2) {
    if (length == 0) return Reply::integer_value(0);
    first = 0;
    last = length * 8 - 1;
  } else {
    return syntax_error();
  }
  return Reply::integer_value(count_bits(str, first, last));
}

// The first bit equal to `bit` in [first_bit, last_bit], or -1.
long long find_bit(const std::string& str, int bit, long long first_bit, long long last_bit) {
  const auto first_byte = static_cast<size_t>(first_bit >> 3);
  const auto last_byte = static_cast<size_t>(last_bit >> 3);
  for (size_t i = first_byte; i <= last_byte; ++i) {
    unsigned byte = static_cast<unsigned char>(str[i]);
    if (!bit) byte = ~byte & 0xffu;  // look for ones either way
    if (i == first_byte) byte &= 0xffu >> (first_bit & 7);
    if (i == last_byte) byte &= (0xffu << (7 - (last_bit & 7))) & 0xffu;
    if (byte == 0) continue;
    int pos = 0;
    while (!(byte & (0x80u >> pos)))
      ++pos;
    return static_cast<long long>(i) * 8 + pos;
  }
  return -1;
}

Reply bitpos_command(CommandContext& ctx) {
  long long bit = 0;
  if (!parse_integer(ctx.args[2], bit)) return not_integer_error();
  if (bit != 0 && bit != 1) return Reply::error(kBitArgumentError);
  // A missing key is all zeros: its first clear bit is 0, it has no set bit.
  TypedLookup found = lookup_typed(ctx, ctx.args[1], ValueType::String);
  if (found.wrong_type) return wrong_type_error();
  if (!found.entry) return Reply::integer_value(bit ? -1 : 0);
  const std::string& str = found.entry->value.str;
  const auto length = static_cast<long long>(str.size());
  const size_t argc = ctx.args.size();
  long long start = 0;
  long long end = -1;
  bool end_given = false;
  bool bit_unit = false;
  if (argc >= 4 && argc <= 6) {
    if (!parse_integer(ctx.args[3], start)) return not_integer_error();
    if (argc >= 5) {
      if (!parse_integer(ctx.args[4], end)) return not_integer_error();
      end_given = true;
    }
    if (argc == 6 && !parse_range_unit(ctx.args[5], bit_unit)) return syntax_error();
  } else if (argc != 3) {
    return syntax_error();
  }
  const long long total = bit_unit ? length * 8 : length;
  long long first = 0;
  long long last = 0;
  if (!resolve_range(start, end, total, first, last)) return Reply::integer_value(-1);
  if (!bit_unit) {
    first *= 8;
    last = last * 8 + 7;
  }
  const long long pos = find_bit(str, static_cast<int>(bit), first, last);
  // Looking for a clear bit without an end: the string continues with zeros after it.
  if (pos < 0 && bit == 0 && !end_given) return Reply::integer_value(last + 1);
  return Reply::integer_value(pos);
}

// ---- BITOP ----

enum class BitOp { And, Or, Xor, Not };

Reply bitop_command(CommandContext& ctx) {
  const std::string& op_name = ctx.args[1];
  const std::string& dest = ctx.args[2];
  BitOp op;
  if (iequals(op_name, "and")) {
    op = BitOp::And;
  } else if (iequals(op_name, "or")) {
    op = BitOp::Or;
  } else if (iequals(op_name, "xor")) {
    op = BitOp::Xor;
  } else if (iequals(op_name, "not")) {
    op = BitOp::Not;
  } else {
    return syntax_error();
  }
  const size_t source_count = ctx.args.size() - 3;
  if (op == BitOp::Not && source_count != 1) return Reply::error(kBitopNotError);

  // Every source is checked before anything is computed; missing keys are empty strings.
  std::vector<const std::string*> sources;
  sources.reserve(source_count);
  static const std::string kEmpty;
  size_t max_length = 0;
  for (size_t i = 3; i < ctx.args.size(); ++i) {
    TypedLookup found = lookup_typed(ctx, ctx.args[i], ValueType::String);
    if (found.wrong_type) return wrong_type_error();
    const std::string* str = found.entry ? &found.entry->value.str : &kEmpty;
    sources.push_back(str);
    if (str->size() > max_length) max_length = str->size();
  }

  if (max_length == 0) {
    if (ctx.db().erase(dest)) ctx.modified(dest);
    return Reply::integer_value(0);
  }
  std::string result(max_length, '\0');
  for (size_t j = 0; j < max_length; ++j) {
    auto byte_of = [&](size_t source) -> unsigned {
      const std::string& s = *sources[source];
      return j < s.size() ? static_cast<unsigned char>(s[j]) : 0u;
    };
    unsigned value = byte_of(0);
    switch (op) {
      case BitOp::Not:
        value = ~value;
        break;
      case BitOp::And:
        for (size_t s = 1; s < sources.size(); ++s)
          value &= byte_of(s);
        break;
      case BitOp::Or:
        for (size_t s = 1; s < sources.size(); ++s)
          value |= byte_of(s);
        break;
      case BitOp::Xor:
        for (size_t s = 1; s < sources.size(); ++s)
          value ^= byte_of(s);
        break;
    }
    result[j] = static_cast<char>(value & 0xffu);
  }
  ctx.db().put(dest, Value::string_raw(std::move(result)));
  ctx.modified(dest);
  return Reply::integer_value(static_cast<long long>(max_length));
}

// ---- BITFIELD, BITFIELD_RO ----

enum class FieldOpKind { Get, Set, IncrBy };
enum class Overflow { Wrap, Sat, Fail };

struct FieldOp {
  FieldOpKind kind;
  bool is_signed;
  unsigned bits;
  std::uint64_t offset;
  long long value;  // SET's value, INCRBY's increment
  Overflow overflow;
};

// "i1".."i64" or "u1".."u63".
bool parse_field_type(const std::string& text, bool& is_signed, unsigned& bits) {
  if (text.size() < 2 || (text[0] != 'i' && text[0] != 'u')) return false;
  long long width = 0;
  if (!parse_integer(std::string_view(text).substr(1), width)) return false;
  is_signed = text[0] == 'i';
  if (width < 1 || width > (is_signed ? 64 : 63)) return false;
  bits = static_cast<unsigned>(width);
  return true;
}

std::uint64_t read_field(const std::string& str, std::uint64_t offset, unsigned bits) {
  std::uint64_t value = 0;
  for (unsigned i = 0; i < bits; ++i) {
    value = (value << 1) | static_cast<std::uint64_t>(bit_at(str, offset + i));
  }
  return value;
}

// Writes `bits` bits of `value`; returns whether any bit changed. The string is long enough.
bool write_field(std::string& str, std::uint64_t offset, unsigned bits, std::uint64_t value) {
  bool changed = false;
  for (unsigned i = 0; i < bits; ++i) {
    const std::uint64_t bit = offset + i;
    auto& byte = reinterpret_cast<unsigned char&>(str[static_cast<size_t>(bit >> 3)]);
    const unsigned mask = 1u << (7 - (bit & 7));
    const bool on = (value >> (bits - 1 - i)) & 1u;
    const auto updated = static_cast<unsigned char>(on ? (byte | mask) : (byte & ~mask));
    changed = changed || updated != byte;
    byte = updated;
  }
  return changed;
}

std::int64_t to_signed(std::uint64_t raw, unsigned bits) {
  if (bits < 64 && (raw & (std::uint64_t{1} << (bits - 1)))) raw |= ~std::uint64_t{0} << bits;
  return static_cast<std::int64_t>(raw);
}

// Adds `increment` to an unsigned field value (SET passes the new value with no
// increment). Returns false when FAIL refuses the result.
bool unsigned_result(std::uint64_t value, std::int64_t increment, unsigned bits, Overflow overflow,
                     std::uint64_t& result) {
  const std::uint64_t max = (std::uint64_t{1} << bits) - 1;
  const std::uint64_t wrapped = (value + static_cast<std::uint64_t>(increment)) & max;
  const std::uint64_t room_up = max - value;
  const bool over =
      value > max || (increment > 0 && static_cast<std::uint64_t>(increment) > room_up);
  const bool under = !over && increment < 0 && (0 - static_cast<std::uint64_t>(increment)) > value;
  if (!over && !under) {
    result = wrapped;
    return true;
  }
  switch (overflow) {
    case Overflow::Wrap:
      result = wrapped;
      return true;
    case Overflow::Sat:
      result = over ? max : 0;
      return true;
    case Overflow::Fail:
      break;
  }
  return false;
}

bool signed_result(std::int64_t value, std::int64_t increment, unsigned bits, Overflow overflow,
                   std::int64_t& result) {
  const std::int64_t max =
      bits == 64 ? INT64_MAX : static_cast<std::int64_t>((std::uint64_t{1} << (bits - 1)) - 1);
  const std::int64_t min = -max - 1;
  // The room left on either side, computed with wrapping arithmetic as Redis does: for SET
  // of a value far below the minimum the room wraps around, and Redis sees an overflow
  // (SAT then stores the maximum).
  const auto room_up = static_cast<std::int64_t>(static_cast<std::uint64_t>(max) -
                                                 static_cast<std::uint64_t>(value));
  const auto room_down = static_cast<std::int64_t>(static_cast<std::uint64_t>(min) -
                                                   static_cast<std::uint64_t>(value));
  const bool over = value > max || (bits != 64 && increment > room_up) ||
                    (value >= 0 && increment > 0 && increment > room_up);
  const bool under = !over && (value < min || (bits != 64 && increment < room_down) ||
                               (value < 0 && increment < 0 && increment < room_down));
  auto wrap = [&] {
    std::uint64_t sum = static_cast<std::uint64_t>(value) + static_cast<std::uint64_t>(increment);
    if (bits < 64) {
      const std::uint64_t sign = std::uint64_t{1} << (bits - 1);
      const std::uint64_t high = ~std::uint64_t{0} << bits;
      sum = (sum & sign) ? (sum | high) : (sum & ~high);
    }
    return static_cast<std::int64_t>(sum);
  };
  if (!over && !under) {
    result = wrap();
    return true;
  }
  switch (overflow) {
    case Overflow::Wrap:
      result = wrap();
      return true;
    case Overflow::Sat:
      result = over ? max : min;
      return true;
    case Overflow::Fail:
      break;
  }
  return false;
}

Reply bitfield_generic(CommandContext& ctx, bool readonly) {
  const std::string& key = ctx.args[1];
  const std::vector<std::string>& args = ctx.args;
  std::vector<FieldOp> ops;
  Overflow overflow = Overflow::Wrap;
  bool any_write = false;
  std::uint64_t last_write_bit = 0;
  for (size_t j = 2; j < args.size(); ++j) {
    const std::string& sub = args[j];
    const size_t remaining = args.size() - j - 1;
    FieldOpKind kind;
    if (iequals(sub, "get") && remaining >= 2) {
      kind = FieldOpKind::Get;
    } else if (iequals(sub, "set") && remaining >= 3) {
      kind = FieldOpKind::Set;
    } else if (iequals(sub, "incrby") && remaining >= 3) {
      kind = FieldOpKind::IncrBy;
    } else if (iequals(sub, "overflow") && remaining >= 1) {
      const std::string& mode = args[++j];
      if (iequals(mode, "wrap")) {
        overflow = Overflow::Wrap;
      } else if (iequals(mode, "sat")) {
        overflow = Overflow::Sat;
      } else if (iequals(mode, "fail")) {
        overflow = Overflow::Fail;
      } else {
        return Reply::error(kOverflowTypeError);
      }
      continue;
    } else {
      return syntax_error();
    }
    FieldOp op{kind, false, 0, 0, 0, overflow};
    if (!parse_field_type(args[j + 1], op.is_signed, op.bits)) {
      return Reply::error(kBitfieldTypeError);
    }
    if (!parse_bit_offset(ctx, args[j + 2], true, op.bits, op.offset)) {
      return Reply::error(kBitOffsetError);
    }
    j += 2;
    if (kind != FieldOpKind::Get) {
      if (!parse_integer(args[++j], op.value)) return not_integer_error();
      if (readonly) return Reply::error(kBitfieldReadonlyError);
      any_write = true;
      const std::uint64_t last_bit = op.offset + op.bits - 1;
      if (last_bit > last_write_bit) last_write_bit = last_bit;
    }
    ops.push_back(op);
  }

  std::string* str = nullptr;
  bool grown = false;
  if (any_write) {
    BitWriteTarget target = string_for_bit_write(ctx, key, last_write_bit >> 3);
    if (target.wrong_type) return wrong_type_error();
    if (target.out_of_memory) return Reply::error(errors::kOutOfMemory);
    str = target.str;
    grown = target.grown;
  } else {
    TypedLookup found = lookup_typed(ctx, key, ValueType::String);
    if (found.wrong_type) return wrong_type_error();
    if (found.entry) str = &found.entry->value.str;
  }

  static const std::string kEmpty;
  std::vector<Reply> replies;
  replies.reserve(ops.size());
  bool changed = false;
  for (const FieldOp& op : ops) {
    const std::string& current = str ? *str : kEmpty;
    const std::uint64_t raw = read_field(current, op.offset, op.bits);
    if (op.kind == FieldOpKind::Get) {
      replies.push_back(Reply::integer_value(op.is_signed ? to_signed(raw, op.bits)
                                                          : static_cast<long long>(raw)));
      continue;
    }
    std::uint64_t stored = 0;
    long long shown = 0;  // SET replies the old value, INCRBY the new one
    bool ok = false;
    if (op.is_signed) {
      const std::int64_t old_value = to_signed(raw, op.bits);
      std::int64_t result = 0;
      ok = op.kind == FieldOpKind::Set
               ? signed_result(op.value, 0, op.bits, op.overflow, result)
               : signed_result(old_value, op.value, op.bits, op.overflow, result);
      stored = static_cast<std::uint64_t>(result);
      shown = op.kind == FieldOpKind::Set ? old_value : result;
    } else {
      std::uint64_t result = 0;
      ok = op.kind == FieldOpKind::Set
               ? unsigned_result(static_cast<std::uint64_t>(op.value), 0, op.bits, op.overflow,
                                 result)
               : unsigned_result(raw, op.value, op.bits, op.overflow, result);
      stored = result;
      shown = static_cast<long long>(op.kind == FieldOpKind::Set ? raw : result);
    }
    if (!ok) {
      replies.push_back(Reply::nil());
      continue;
    }
    if (op.bits < 64) stored &= (std::uint64_t{1} << op.bits) - 1;
    const bool bits_changed = write_field(*str, op.offset, op.bits, stored);
    changed = changed || grown || bits_changed;
    replies.push_back(Reply::integer_value(shown));
  }
  if (changed) ctx.modified(key);
  return Reply::array(std::move(replies));
}

Reply bitfield_command(CommandContext& ctx) {
  return bitfield_generic(ctx, false);
}
Reply bitfield_ro_command(CommandContext& ctx) {
  return bitfield_generic(ctx, true);
}

}  // namespace

std::vector<CommandRow> bitmap_command_rows() {
  return {
      {"bitcount", bitcount_command},       {"bitfield", bitfield_command},
      {"bitfield_ro", bitfield_ro_command}, {"bitop", bitop_command},
      {"bitpos", bitpos_command},           {"getbit", getbit_command},
      {"setbit", setbit_command},
  };
}

}  // namespace redpad
