// Redis 7.0's error texts, written once. Every reply a learner sees must match the real
// server byte for byte, so handlers never spell an error inline.
#pragma once

namespace redpad::errors {

inline constexpr const char* kSyntax = "ERR syntax error";
inline constexpr const char* kNotInteger = "ERR value is not an integer or out of range";
inline constexpr const char* kNotFloat = "ERR value is not a valid float";
inline constexpr const char* kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr const char* kOverflow = "ERR increment or decrement would overflow";
inline constexpr const char* kIncrFloatNanOrInf = "ERR increment would produce NaN or Infinity";
inline constexpr const char* kNoSuchKey = "ERR no such key";
inline constexpr const char* kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr const char* kOutOfMemory =
    "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr const char* kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr const char* kDbIndexOutOfRange = "ERR DB index is out of range";
inline constexpr const char* kInvalidDbIndex = "ERR invalid DB index";
inline constexpr const char* kInvalidFirstDbIndex = "ERR invalid first DB index";
inline constexpr const char* kInvalidSecondDbIndex = "ERR invalid second DB index";
inline constexpr const char* kSameObject = "ERR source and destination objects are the same";
inline constexpr const char* kInvalidCursor = "ERR invalid cursor";
inline constexpr const char* kExpireOptionsNxXxGtLt =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr const char* kExpireOptionsGtLt =
    "ERR GT and LT options at the same time are not compatible";
inline constexpr const char* kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr const char* kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr const char* kMultiNested = "ERR MULTI calls can not be nested";
inline constexpr const char* kWatchInsideMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr const char* kExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
inline constexpr const char* kLcsNotStrings = "ERR The specified keys must contain string values";
inline constexpr const char* kLcsLenAndIdx =
    "ERR If you want both the length and indexes, please just use IDX.";

}  // namespace redpad::errors
