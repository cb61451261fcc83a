#include "reply.h"

#include <utility>

namespace redpad {

Reply Reply::status(std::string text) {
  Reply r;
  r.type = ReplyType::Status;
  r.str = std::move(text);
  return r;
}

Reply Reply::error(std::string text) {
  Reply r;
  r.type = ReplyType::Error;
  r.str = std::move(text);
  return r;
}

Reply Reply::integer_value(long long value) {
  Reply r;
  r.type = ReplyType::Integer;
  r.integer = value;
  return r;
}

Reply Reply::bulk(std::string bytes) {
  Reply r;
  r.type = ReplyType::Bulk;
  r.str = std::move(bytes);
  return r;
}

Reply Reply::nil() {
  return Reply{};
}

Reply Reply::array(std::vector<Reply> items) {
  Reply r;
  r.type = ReplyType::Array;
  r.elements = std::move(items);
  return r;
}

Reply Reply::null_array() {
  Reply r;
  r.type = ReplyType::NullArray;
  return r;
}

Reply Reply::ok() {
  return status("OK");
}

Reply Reply::several(std::vector<Reply> replies) {
  if (replies.size() == 1) return std::move(replies[0]);
  Reply r;
  r.type = ReplyType::Several;
  r.elements = std::move(replies);
  return r;
}

Reply Reply::blocked() {
  Reply r;
  r.type = ReplyType::Blocked;
  return r;
}

bool Reply::operator==(const Reply& other) const {
  return type == other.type && str == other.str && integer == other.integer &&
         number == other.number && elements == other.elements;
}

}  // namespace redpad
