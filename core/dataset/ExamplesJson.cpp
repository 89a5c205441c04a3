#include "dataset/ExamplesJson.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "dataset/FastNoteReader.h"
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
        if (!namesAFileInAudio(note.noteStr))
            return fail("field \"note_str\" cannot name a file in audio/");
        if (auto e = integer("instrument", number, 0, kMaxInstrumentId)) return *e;
        note.instrument = int(number);
        if (auto e = string("instrument_str", note.instrumentStr)) return *e;
        if (auto e = integer("pitch", number, 0, kMaxMidiValue)) return *e;
        note.pitch = int(number);
        if (auto e = integer("velocity", number, 0, kMaxMidiValue)) return *e;
        note.velocity = int(number);
        if (auto e = integer("sample_rate", number, 1, kMaxNoteSampleRate)) return *e;
        note.sampleRate = int(number);
        if (auto e = qualities(note)) return *e;
        if (auto e = label("instrument_family", kFamilyNames, note.family)) return *e;
        if (auto e = label("instrument_source", kSourceNames, note.source)) return *e;
        if (auto e = ownClass(note)) return *e;
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
    // Optional: absent, or a non-empty string.
    std::optional<Error> ownClass(NoteRecord& note) const
    {
        const auto it = m_value.find("class_str");
        if (it == m_value.end())
            return std::nullopt;
        if (!it->is_string() || it->get_ref<const std::string&>().empty())
            return fail("field \"class_str\" should be a class name, not " + std::string(it->is_string() ? "empty" : typeName(*it)));
        note.ownClass = it->get<std::string>();
        return std::nullopt;
    }
    // An index field and its *_str name must agree, or labels would silently mean two things.
    // -1 "unknown" is an imported note's family or source nobody told (kUnknownLabel).
    template <std::size_t N>
    std::optional<Error> label(const std::string& name, const std::array<std::string_view, N>& names, int& out) const
    {
        std::int64_t index = 0;
        if (auto e = integer(name.c_str(), index, INT64_MIN, INT64_MAX)) return e;
        if (index < kUnknownLabel || index >= std::int64_t(N))
            return fail("field \"" + name + "\" is " + std::to_string(index) + ", expected 0 to " + std::to_string(N - 1) +
                        " (or -1, unknown)");
        std::string text;
        const std::string strName = name + "_str";
        if (auto e = string(strName.c_str(), text)) return e;
        if (index == kUnknownLabel) {
            if (text != kUnknownLabelName)
                return fail("field \"" + strName + "\" is \"" + text + "\" but \"" + name + "\" -1 means \"unknown\"");
            out = kUnknownLabel;
            return std::nullopt;
        }
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

// Reads the notes one at a time: each note's value is built as a small DOM, checked and turned into
// a NoteRecord at once, then dropped, so memory follows the records, not a DOM of the whole file
// (300,000 notes made a 1 GB DOM). Keys arrive in file order, which the seed split needs.
class NoteStreamSax {
public:
    explicit NoteStreamSax(const std::string& jsonPath) : m_jsonPath(jsonPath) {}

    bool null() { return value([&] { return dom().null(); }, [] { return json(nullptr); }); }
    bool boolean(bool v) { return value([&] { return dom().boolean(v); }, [&] { return json(v); }); }
    bool number_integer(json::number_integer_t v)
    {
        return value([&] { return dom().number_integer(v); }, [&] { return json(v); });
    }
    bool number_unsigned(json::number_unsigned_t v)
    {
        return value([&] { return dom().number_unsigned(v); }, [&] { return json(v); });
    }
    bool number_float(json::number_float_t v, const json::string_t& s)
    {
        return value([&] { return dom().number_float(v, s); }, [&] { return json(v); });
    }
    bool string(json::string_t& v) { return value([&] { return dom().string(v); }, [&] { return json(v); }); }
    bool binary(json::binary_t& v) { return value([&] { return dom().binary(v); }, [&] { return json(v); }); }
    bool start_object(std::size_t n)
    {
        if (m_depth == 0) {
            m_topType = "an object";
            m_topIsObject = true;
            m_depth = 1;
            return true;
        }
        if (m_depth == 1)
            beginNote();
        ++m_depth;
        return m_note ? dom().start_object(n) : true;
    }
    bool key(json::string_t& k)
    {
        if (m_depth == 1) {
            m_key = k;
            return true;
        }
        return m_note ? dom().key(k) : true;
    }
    bool end_object() { return end([&] { return dom().end_object(); }); }
    bool start_array(std::size_t n)
    {
        if (m_depth == 0)
            m_topType = "an array";
        else if (m_depth == 1)
            beginNote();
        ++m_depth;
        return m_note ? dom().start_array(n) : true;
    }
    bool end_array() { return end([&] { return dom().end_array(); }); }
    template <typename Exception>
    bool parse_error(std::size_t, const std::string&, const Exception& e)
    {
        throw e;
    }

    std::optional<Error> error() const { return m_error; }
    bool topIsObject() const { return m_topIsObject; }
    const char* topType() const { return m_topType; }
    std::vector<NoteRecord> takeNotes() { return std::move(m_notes); }

private:
    nlohmann::detail::json_sax_dom_parser<json>& dom() { return *m_dom; }
    bool inTopObject() const { return m_depth == 1 && m_topIsObject; }

    // A note's value starts at depth 1; only values of the top-level object are notes.
    void beginNote()
    {
        m_note = inTopObject() && !m_error;
        if (m_note) {
            m_value = json();
            m_dom.emplace(m_value, true);
        }
    }
    // A scalar: the whole top-level value, a whole note's value (an error for NoteReader to name),
    // or a part of the note being built.
    template <typename Dom, typename Scalar>
    bool value(Dom&& toDom, Scalar&& scalar)
    {
        if (m_depth == 0) {
            m_topType = typeName(scalar());
            return true;
        }
        if (m_depth == 1)
            return inTopObject() ? finishNote(scalar()) : true;
        return m_note ? toDom() : true;
    }
    template <typename Dom>
    bool end(Dom&& toDom)
    {
        const bool ok = m_note ? toDom() : true;
        if (--m_depth == 1 && m_note) {
            m_note = false;
            return ok && finishNote(m_value);
        }
        return ok;
    }
    bool finishNote(const json& value)
    {
        if (m_error)
            return true;
        if (!m_keys.insert(m_key).second)
            return stop(makeError(ErrorCode::BadFormat, "note \"" + m_key + "\" appears twice", m_jsonPath));
        auto note = NoteReader(m_key, value, m_jsonPath).read();
        if (!note)
            return stop(note.error());
        m_notes.push_back(std::move(note).value());
        return true;
    }
    // The first bad note is the answer, unless the text turns out not to be JSON at all: parsing goes
    // on (building nothing more) so that a truncated file is called not valid JSON.
    bool stop(Error e)
    {
        m_error = std::move(e);
        return true;
    }

    const std::string& m_jsonPath;
    std::optional<nlohmann::detail::json_sax_dom_parser<json>> m_dom;
    json m_value;
    std::string m_key;
    std::unordered_set<std::string> m_keys;
    std::vector<NoteRecord> m_notes;
    std::optional<Error> m_error;
    const char* m_topType = "nothing";  // the top-level value's kind, for the message when it is no object
    bool m_topIsObject = false;
    int m_depth = 0;
    bool m_note = false;
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
    // A well-formed file goes the quick way; anything else is read again here, which names the problem.
    if (auto notes = readNotesFast(bytes))
        return std::move(*notes);
    return parseCarefully(bytes, jsonPath);
}

Result<std::vector<NoteRecord>> ExamplesJson::parseCarefully(const std::string& bytes, const std::string& jsonPath)
{
    NoteStreamSax sax(jsonPath);
    try {
        json::sax_parse(bytes, &sax);
    } catch (const json::parse_error& e) {
        return makeError(ErrorCode::BadFormat, "not valid JSON (" + parseErrorText(e.what()) + ")", jsonPath);
    } catch (const json::exception& e) {
        return makeError(ErrorCode::BadFormat, "not valid JSON (" + parseErrorText(e.what()) + ")", jsonPath);
    }
    if (const auto error = sax.error())
        return *error;
    if (!sax.topIsObject())
        return makeError(ErrorCode::BadFormat,
                         std::string("should hold one JSON object keyed by note_str, not ") + sax.topType(), jsonPath);
    std::vector<NoteRecord> notes = sax.takeNotes();
    if (notes.empty())
        return makeError(ErrorCode::BadFormat, "holds no notes", jsonPath);
    return notes;
}

} // namespace ts::dataset
