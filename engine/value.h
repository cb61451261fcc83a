// A value stored under a key. Strings live inline and carry the encoding Redis would report
// for them; every other type is an Aggregate (lists, hashes, sets, sorted sets, streams),
// each defined in engine/types/, deep-copied when the value is copied (COPY, snapshots).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace redpad {

enum class ValueType : std::uint8_t { String, List, Hash, Set, ZSet, Stream };

// Redis's string encodings: "int" (a 64-bit integer in canonical form), "embstr"
// (short, created in one piece) and "raw" (modified in place or long).
enum class StringEncoding : std::uint8_t { Int, Embstr, Raw };

// Longest string Redis stores as embstr.
inline constexpr size_t kEmbstrMaxLength = 44;

// The common face of the non-string types.
class Aggregate {
 public:
  virtual ~Aggregate() = default;
  virtual std::unique_ptr<Aggregate> clone() const = 0;
  // What OBJECT ENCODING reports for the value in its current state ("listpack", ...).
  virtual const char* encoding_name() const = 0;
  // Number of elements (LLEN, HLEN, SCARD, ZCARD, XLEN).
  virtual size_t element_count() const = 0;
  // The first few elements for the page's keyspace inspector, raw: elements for lists and
  // sets; field, value, field, value... for hashes; member, score... for sorted sets;
  // id, "field value ..." for streams.
  virtual std::vector<std::string> preview_items(size_t max_items) const {
    (void)max_items;
    return {};
  }
};

struct Value {
  ValueType type = ValueType::String;
  StringEncoding encoding = StringEncoding::Embstr;
  std::string str;                       // strings only
  std::unique_ptr<Aggregate> aggregate;  // every other type

  Value() = default;
  Value(const Value& other)
      : type(other.type),
        encoding(other.encoding),
        str(other.str),
        aggregate(other.aggregate ? other.aggregate->clone() : nullptr) {}
  Value& operator=(const Value& other) {
    if (this != &other) *this = Value(other);
    return *this;
  }
  Value(Value&&) noexcept = default;
  Value& operator=(Value&&) noexcept = default;

  // A string as Redis's SET stores it: "int" when it is a canonical 64-bit integer,
  // otherwise embstr or raw by length.
  static Value string_for_set(std::string bytes);
  // A string created without Redis's integer check (INCRBYFLOAT, GETEX, ...).
  static Value string_plain(std::string bytes);
  // A string modified in place (APPEND, SETRANGE): always raw.
  static Value string_raw(std::string bytes);
  // The result of INCR and friends: always "int".
  static Value string_integer(long long number);

  // A new value of an aggregate type, e.g. Value::make<ListValue>(ValueType::List).
  template <class T, class... Args>
  static Value make(ValueType type, Args&&... args) {
    Value v;
    v.type = type;
    v.aggregate = std::make_unique<T>(std::forward<Args>(args)...);
    return v;
  }
  template <class T>
  T& as() {
    return static_cast<T&>(*aggregate);
  }
  template <class T>
  const T& as() const {
    return static_cast<const T&>(*aggregate);
  }
};

const char* type_name(ValueType type);
const char* encoding_name(const Value& value);

}  // namespace redpad
