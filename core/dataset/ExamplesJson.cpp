#include "dataset/ExamplesJson.h"

#include <cstdint>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "dataset/Labels.h"

namespace ts::dataset {

using nlohmann::json;

namespace {

const char* typeName(const json& value)
{
    switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a fractional number";
    default: return "an unknown value";
    }
}

// Checks one note's fields; every message names the note and the field, since a 4,096-note file
// is not something a user can eyeball.
class NoteReader {
public:
    NoteReader(const std::string& key, const json& value, const std::string& jsonPath)
        : m_key(key), m_value(value), m_jsonPath(jsonPath) {}

    Result<NoteRecord> read() const
    {
        if (!m_value.is_object())
            return fail("should be an object, not " + std::string(typeName(m_value)));
        NoteRecord note;
        std::int64_t number = 0;
        if (auto e = integer("note", number, INT64_MIN, INT64_MAX)) return *e;
        note.note = number;
        if (auto e = string("note_str", note.noteStr)) return *e;
        if (note.noteStr != m_key)
            return fail("field \"note_str\" is \"" + note.noteStr + "\" but the note's key is \"" + m_key + "\"");
        if (note.noteStr.empty() || note.noteStr.front() == '.' || note.noteStr.find('/') != std::string::npos
            || note.noteStr.find('\\') != std::string::npos)
            return fail("field \"note_str\" cannot name a file in audio/");
        if (auto e = integer("instrument", number, 0, INT32_MAX)) return *e;
        note.instrument = int(number);
        if (auto e = string("instrument_str", note.instrumentStr)) return *e;
        if (auto e = integer("pitch", number, 0, 127)) return *e;
        note.pitch = int(number);
        if (auto e = integer("velocity", number, 0, 127)) return *e;
        note.velocity = int(number);
        if (auto e = integer("sample_rate", number, 1, 10'000'000)) return *e;
        note.sampleRate = int(number);
        if (auto e = qualities(note)) return *e;
        if (auto e = label("instrument_family", kFamilyNames, note.family)) return *e;
        if (auto e = label("instrument_source", kSourceNames, note.source)) return *e;
        return note;
    }

private:
    Error fail(const std::string& what) const
    {
        return makeError(ErrorCode::BadFormat, "note \"" + m_key + "\": " + what, m_jsonPath);
    }
    Result<const json*> field(const char* name) const
    {
        const auto it = m_value.find(name);
        if (it == m_value.end())
            return fail(std::string("lacks the field \"") + name + "\"");
        return &*it;
    }
    Error wrongType(const char* name, const char* expected, const json& value) const
    {
        return fail(std::string("field \"") + name + "\" should be " + expected + ", not " + typeName(value));
    }
    std::optional<Error> integer(const char* name, std::int64_t& out, std::int64_t min, std::int64_t max) const
    {
        auto f = field(name);
        if (!f) return f.error();
        const json& v = **f;
        if (!v.is_number_integer())
            return wrongType(name, "an integer", v);
        if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
            return fail(std::string("field \"") + name + "\" is out of range");
        out = v.get<std::int64_t>();
        if (out < min || out > max)
            return fail(std::string("field \"") + name + "\" is " + std::to_string(out) + ", expected "
                        + std::to_string(min) + " to " + std::to_string(max));
        return std::nullopt;
    }
    std::optional<Error> string(const char* name, std::string& out) const
    {
        auto f = field(name);
        if (!f) return f.error();
        if (!(*f)->is_string())
            return wrongType(name, "a string", **f);
        out = (*f)->get<std::string>();
        return std::nullopt;
    }
    std::optional<Error> qualities(NoteRecord& note) const
    {
        auto f = field("qualities");
        if (!f) return f.error();
        const json& v = **f;
        if (!v.is_array())
            return wrongType("qualities", "an array of 10 integers 0/1", v);
        if (v.size() != kQualityNames.size())
            return fail("field \"qualities\" has " + std::to_string(v.size()) + " values, expected 10");
        for (std::size_t i = 0; i < v.size(); ++i) {
            if (!v[i].is_number_integer() || v[i].get<std::int64_t>() < 0 || v[i].get<std::int64_t>() > 1)
                return fail("field \"qualities\" value " + std::to_string(i) + " should be 0 or 1");
            note.qualities[i] = std::uint8_t(v[i].get<int>());
        }
        auto s = field("qualities_str");
        if (!s) return s.error();
        if (!(*s)->is_array())
            return wrongType("qualities_str", "an array of strings", **s);
        for (const json& q : **s)
            if (!q.is_string())
                return wrongType("qualities_str", "an array of strings", **s);
        return std::nullopt;
    }
    // An index field and its *_str name must agree, or labels would silently mean two things.
    template <std::size_t N>
    std::optional<Error> label(const std::string& name, const std::array<std::string_view, N>& names, int& out) const
    {
        std::int64_t index = 0;
        if (auto e = integer(name.c_str(), index, 0, std::int64_t(N) - 1)) return e;
        std::string text;
        const std::string strName = name + "_str";
        if (auto e = string(strName.c_str(), text)) return e;
        if (text != names[std::size_t(index)])
            return fail("field \"" + strName + "\" is \"" + text + "\" but \"" + name + "\" " + std::to_string(index)
                        + " means \"" + std::string(names[std::size_t(index)]) + "\"");
        out = int(index);
        return std::nullopt;
    }

    const std::string& m_key;
    const json& m_value;
    const std::string& m_jsonPath;
};

// Builds the document as nlohmann's own DOM parser does and records the top-level keys in file
// order on the way (nlohmann::json keeps object keys sorted; the seed split needs file order).
// ordered_json would be quadratic in notes, and parse()'s callback made the parse four times
// slower; this costs nothing extra.
class KeyOrderSax {
public:
    KeyOrderSax(json& root, std::vector<std::string>& order) : m_dom(root, true), m_order(order) {}

    bool null() { return m_dom.null(); }
    bool boolean(bool v) { return m_dom.boolean(v); }
    bool number_integer(json::number_integer_t v) { return m_dom.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return m_dom.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return m_dom.number_float(v, s); }
    bool string(json::string_t& v) { return m_dom.string(v); }
    bool binary(json::binary_t& v) { return m_dom.binary(v); }
    bool start_object(std::size_t n)
    {
        if (m_depth++ == 0)
            m_topIsObject = true;
        return m_dom.start_object(n);
    }
    bool key(json::string_t& k)
    {
        if (m_depth == 1 && m_topIsObject)
            m_order.push_back(k);
        return m_dom.key(k);
    }
    bool end_object()
    {
        --m_depth;
        return m_dom.end_object();
    }
    bool start_array(std::size_t n)
    {
        ++m_depth;
        return m_dom.start_array(n);
    }
    bool end_array()
    {
        --m_depth;
        return m_dom.end_array();
    }
    template <typename Exception>
    bool parse_error(std::size_t position, const std::string& token, const Exception& e)
    {
        return m_dom.parse_error(position, token, e);
    }

private:
    nlohmann::detail::json_sax_dom_parser<json> m_dom;
    std::vector<std::string>& m_order;
    int m_depth = 0;
    bool m_topIsObject = false;
};

// nlohmann's "[json.exception.parse_error.101] parse error at line 3, column 5: ..." without the
// bracketed id, which means nothing to a user.
std::string parseErrorText(const std::string& what)
{
    const auto close = what.find("] ");
    return close == std::string::npos ? what : what.substr(close + 2);
}

} // namespace

Result<std::vector<NoteRecord>> ExamplesJson::parse(const std::string& bytes, const std::string& jsonPath)
{
    std::vector<std::string> order;
    json document;
    try {
        KeyOrderSax sax(document, order);
        json::sax_parse(bytes, &sax);
    } catch (const json::parse_error& e) {
        return makeError(ErrorCode::BadFormat, "not valid JSON (" + parseErrorText(e.what()) + ")", jsonPath);
    } catch (const json::exception& e) {
        return makeError(ErrorCode::BadFormat, "not valid JSON (" + parseErrorText(e.what()) + ")", jsonPath);
    }
    if (!document.is_object())
        return makeError(ErrorCode::BadFormat,
                         std::string("should hold one JSON object keyed by note_str, not ") + typeName(document), jsonPath);
    if (document.empty())
        return makeError(ErrorCode::BadFormat, "holds no notes", jsonPath);
    if (order.size() != document.size()) {
        std::unordered_set<std::string> seen;
        for (const std::string& key : order)
            if (!seen.insert(key).second)
                return makeError(ErrorCode::BadFormat, "note \"" + key + "\" appears twice", jsonPath);
    }

    std::vector<NoteRecord> notes;
    notes.reserve(order.size());
    for (const std::string& key : order) {
        auto note = NoteReader(key, document[key], jsonPath).read();
        if (!note)
            return note.error();
        notes.push_back(std::move(note).value());
    }
    return notes;
}

} // namespace ts::dataset
