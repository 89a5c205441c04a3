#include "cli/JsonText.h"

#include <cstdint>
#include <regex>

namespace ts::cli {

namespace {

// A byte that is not UTF-8 becomes this marker while the document is dumped: SOH, "dc", two hex
// digits, STX. nlohmann escapes the control characters as \u0001 and \u0002, and the marker is
// then rewritten as \udcXX. A name that really holds SOH "dc" XX STX is not a thing people make.
std::string marker(unsigned char byte)
{
    static const char* hex = "0123456789abcdef";
    return std::string("\x01") + "dc" + hex[byte >> 4] + hex[byte & 15] + "\x02";
}

// The length of the valid UTF-8 sequence at s[i] (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0 when the byte there does not start one.
std::size_t validSequence(const std::string& s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    const auto cont = [&](std::size_t k) { return i + k < s.size() && (b(k) & 0xC0) == 0x80; };
    const unsigned char c = b(0);
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        if ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) >= 0xA0))
            return 0;  // overlong, or a UTF-16 surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) >= 0x90))
            return 0;  // overlong, or past U+10FFFF
        return 4;
    }
    return 0;
}

std::string withMarkers(const std::string& s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = validSequence(s, i);
        if (n == 0) {
            out += marker(static_cast<unsigned char>(s[i]));
            ++i;
        } else {
            out.append(s, i, n);
            i += n;
        }
    }
    return out;
}

template <typename Json>
Json marked(const Json& value)
{
    if (value.is_string())
        return withMarkers(value.template get<std::string>());
    if (value.is_array()) {
        Json out = Json::array();
        for (const auto& item : value)
            out.push_back(marked(item));
        return out;
    }
    if (value.is_object()) {
        Json out = Json::object();
        for (auto it = value.begin(); it != value.end(); ++it)
            out[withMarkers(it.key())] = marked(it.value());
        return out;
    }
    return value;
}

template <typename Json>
std::string text(const Json& document)
{
    static const std::regex escaped(R"(\\u0001dc([0-9a-f]{2})\\u0002)");
    return std::regex_replace(marked(document).dump(2), escaped, R"(\udc$1)");
}

} // namespace

std::string jsonText(const nlohmann::ordered_json& document) { return text(document); }
std::string jsonText(const nlohmann::json& document) { return text(document); }

} // namespace ts::cli
