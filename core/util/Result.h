#pragma once
// Result<T>: a value or an Error. Everything a user or a file can get wrong returns one of these,
// so no exception or assert ever escapes into Qt's event loop or the CLI.
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ts {

enum class ErrorCode {
    NotFound,       // a file or folder does not exist
    Unreadable,     // exists but cannot be opened or read
    BadFormat,      // content is not what was expected (not audio, malformed JSON, damaged model)
    Unsupported,    // well formed but outside what we accept (too long, too large, unknown version)
    InvalidArgument,// a caller or user passed a value that makes no sense (--count 0)
    WriteFailed,    // could not write or rename an output
    Cancelled,      // the user asked to stop
    Internal,       // a library failed in a way we did not expect
};

const char* errorCodeName(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message;  // what went wrong and what was expected, without the path
    std::string path;     // the file or folder concerned, empty if none

    // "path: message", or just the message when there is no path: the one line users see.
    std::string describe() const;
};

inline Error makeError(ErrorCode code, std::string message, std::string path = {})
{
    return Error{code, std::move(message), std::move(path)};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_data); }
    const T& value() const& { assert(ok()); return std::get<0>(m_data); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { assert(!ok()); return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { assert(!ok()); return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace ts
