#include "reply_json.h"

#include "reply_cli.h"

namespace redpad {

namespace {

const char* type_word(ReplyType type) {
  switch (type) {
    case ReplyType::Status:
      return "status";
    case ReplyType::Error:
      return "error";
    case ReplyType::Integer:
      return "integer";
    case ReplyType::Bulk:
      return "bulk";
    case ReplyType::Nil:
      return "nil";
    case ReplyType::Array:
      return "array";
    case ReplyType::NullArray:
      return "null_array";
    case ReplyType::Double:
      return "double";
    case ReplyType::Boolean:
      return "boolean";
    case ReplyType::Map:
      return "map";
    case ReplyType::Set:
      return "set";
    case ReplyType::Verbatim:
      return "verbatim";
    case ReplyType::Push:
      return "push";
    case ReplyType::Help:
      return "help";
    case ReplyType::Several:
      return "several";
    case ReplyType::Blocked:
      return "blocked";
  }
  return "nil";
}

constexpr long long kLargestSafeInteger = 9007199254740991LL;  // 2^53 - 1

}  // namespace

nlohmann::json reply_to_json(const Reply& reply) {
  nlohmann::json out = {{"type", type_word(reply.type)}};
  switch (reply.type) {
    case ReplyType::Status:
    case ReplyType::Error:
    case ReplyType::Bulk:
    case ReplyType::Verbatim:
      out["value"] = reply.str;
      break;
    case ReplyType::Integer:
      if (reply.integer >= -kLargestSafeInteger && reply.integer <= kLargestSafeInteger) {
        out["value"] = reply.integer;
      } else {
        out["value"] = std::to_string(reply.integer);
      }
      break;
    case ReplyType::Double:
      out["value"] = reply.number;
      break;
    case ReplyType::Boolean:
      out["value"] = reply.integer != 0;
      break;
    case ReplyType::Array:
    case ReplyType::Map:
    case ReplyType::Set:
    case ReplyType::Push:
    case ReplyType::Several: {
      nlohmann::json items = nlohmann::json::array();
      for (const Reply& item : reply.elements)
        items.push_back(reply_to_json(item));
      out["items"] = std::move(items);
      break;
    }
    case ReplyType::Help:
      out["text"] = format_reply_cli(reply, false, false);
      break;
    case ReplyType::Nil:
    case ReplyType::NullArray:
    case ReplyType::Blocked:
      break;
  }
  return out;
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace redpad
