#include "value.h"

#include <utility>

#include "numbers.h"

namespace redpad {

Value Value::string_for_set(std::string bytes) {
  Value v = string_plain(std::move(bytes));
  long long ignored = 0;
  if (parse_integer(v.str, ignored)) v.encoding = StringEncoding::Int;
  return v;
}

Value Value::string_plain(std::string bytes) {
  Value v;
  v.encoding = bytes.size() <= kEmbstrMaxLength ? StringEncoding::Embstr : StringEncoding::Raw;
  v.str = std::move(bytes);
  return v;
}

Value Value::string_raw(std::string bytes) {
  Value v;
  v.encoding = StringEncoding::Raw;
  v.str = std::move(bytes);
  return v;
}

Value Value::string_integer(long long number) {
  Value v;
  v.encoding = StringEncoding::Int;
  v.str = std::to_string(number);
  return v;
}

const char* type_name(ValueType type) {
  switch (type) {
    case ValueType::String:
      return "string";
    case ValueType::List:
      return "list";
    case ValueType::Hash:
      return "hash";
    case ValueType::Set:
      return "set";
    case ValueType::ZSet:
      return "zset";
    case ValueType::Stream:
      return "stream";
  }
  return "none";
}

const char* encoding_name(const Value& value) {
  if (value.aggregate) return value.aggregate->encoding_name();
  switch (value.encoding) {
    case StringEncoding::Int:
      return "int";
    case StringEncoding::Embstr:
      return "embstr";
    case StringEncoding::Raw:
      return "raw";
  }
  return "raw";
}

}  // namespace redpad
