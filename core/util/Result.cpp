#include "util/Result.h"

namespace ts {

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::Unreadable: return "unreadable";
    case ErrorCode::BadFormat: return "bad format";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::InvalidArgument: return "invalid argument";
    case ErrorCode::WriteFailed: return "write failed";
    case ErrorCode::Cancelled: return "cancelled";
    case ErrorCode::Internal: return "internal error";
    }
    return "error";
}

std::string Error::describe() const
{
    if (path.empty())
        return message;
    return path + ": " + message;
}

} // namespace ts
