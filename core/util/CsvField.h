#pragma once
// One CSV field as RFC 4180 writes it: quoted (with doubled quotes) when it holds a comma, a quote
// or a line break, as it is otherwise.
#include <string>

namespace ts {

inline std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

} // namespace ts
