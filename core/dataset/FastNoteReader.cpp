#include "dataset/FastNoteReader.h"

#include <cstdint>
#include <limits>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "dataset/Labels.h"

namespace ts::dataset {

namespace {

using json = nlohmann::json;

enum class Field { Ignored, Note, NoteStr, Instrument, InstrumentStr, Pitch, Velocity, SampleRate, Qualities,
                   QualitiesStr, Family, FamilyStr, Source, SourceStr, OwnClass };

Field fieldNamed(const std::string& key)
{
    static const std::pair<const char*, Field> kFields[] = {
        {"note", Field::Note}, {"note_str", Field::NoteStr}, {"instrument", Field::Instrument},
        {"instrument_str", Field::InstrumentStr}, {"pitch", Field::Pitch}, {"velocity", Field::Velocity},
        {"sample_rate", Field::SampleRate}, {"qualities", Field::Qualities}, {"qualities_str", Field::QualitiesStr},
        {"instrument_family", Field::Family}, {"instrument_family_str", Field::FamilyStr},
        {"instrument_source", Field::Source}, {"instrument_source_str", Field::SourceStr},
        {"class_str", Field::OwnClass}};
    for (const auto& [name, field] : kFields)
        if (key == name)
            return field;
    return Field::Ignored;
}

// One note's fields as they arrive; a field seen twice keeps its last value, as a DOM would.
struct Fields {
    std::optional<std::int64_t> note, instrument, pitch, velocity, sampleRate, family, source;
    std::optional<std::string> noteStr, instrumentStr, familyStr, sourceStr;
    std::vector<std::int64_t> qualities;
    bool hasQualities = false, hasQualitiesStr = false;
};

class FastSax {
public:
    bool null() { return scalar(); }
    bool boolean(bool) { return scalar(); }
    bool number_integer(json::number_integer_t v) { return integer(v); }
    bool number_unsigned(json::number_unsigned_t v)
    {
        return v > std::uint64_t(std::numeric_limits<std::int64_t>::max()) ? giveUp() : integer(std::int64_t(v));
    }
    bool number_float(json::number_float_t, const json::string_t&) { return scalar(); }
    bool binary(json::binary_t&) { return scalar(); }
    bool string(json::string_t& v)
    {
        if (m_depth == 3 && m_field == Field::QualitiesStr)
            return true;
        if (m_depth != 2)
            return scalar();
        switch (m_field) {
        case Field::NoteStr: m_fields.noteStr = std::move(v); return true;
        case Field::InstrumentStr: m_fields.instrumentStr = std::move(v); return true;
        case Field::FamilyStr: m_fields.familyStr = std::move(v); return true;
        case Field::SourceStr: m_fields.sourceStr = std::move(v); return true;
        default: return scalar();
        }
    }
    bool start_object(std::size_t)
    {
        if (m_depth == 1)
            m_fields = Fields{};
        else if (m_depth >= 2 && !ignoring())
            return giveUp();
        ++m_depth;
        return true;
    }
    bool key(json::string_t& k)
    {
        if (m_depth == 1)
            m_key = std::move(k);
        else if (m_depth == 2)
            m_field = fieldNamed(k);
        // An imported dataset's own classes (and its notes of unknown family, which fail the range
        // checks below) are for the careful reader: such sets are small.
        return m_depth == 2 && m_field == Field::OwnClass ? giveUp() : true;
    }
    bool end_object()
    {
        if (--m_depth == 1)
            return finishNote();
        return true;
    }
    bool start_array(std::size_t)
    {
        if (m_depth <= 1 || (m_depth == 2 && m_field != Field::Qualities && m_field != Field::QualitiesStr && !ignoring())
            || (m_depth >= 3 && !ignoring()))
            return giveUp();
        if (m_depth == 2 && m_field == Field::Qualities) {
            m_fields.hasQualities = true;
            m_fields.qualities.clear();
        } else if (m_depth == 2 && m_field == Field::QualitiesStr) {
            m_fields.hasQualitiesStr = true;
        }
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }
    template <typename Exception>
    bool parse_error(std::size_t, const std::string&, const Exception&)
    {
        return giveUp();
    }

    bool gaveUp() const { return m_gaveUp; }
    std::vector<NoteRecord> takeNotes() { return std::move(m_notes); }

private:
    // Inside a field nobody reads (any depth below it): its values are skipped unchecked, as the
    // careful reader skips them.
    bool ignoring() const { return m_depth >= 2 && m_field == Field::Ignored; }
    bool giveUp()
    {
        m_gaveUp = true;
        return false;
    }
    bool scalar() { return m_depth >= 2 && ignoring() ? true : giveUp(); }
    bool integer(std::int64_t v)
    {
        if (m_depth == 3 && m_field == Field::Qualities) {
            m_fields.qualities.push_back(v);
            return true;
        }
        if (m_depth != 2)
            return scalar();
        switch (m_field) {
        case Field::Note: m_fields.note = v; return true;
        case Field::Instrument: m_fields.instrument = v; return true;
        case Field::Pitch: m_fields.pitch = v; return true;
        case Field::Velocity: m_fields.velocity = v; return true;
        case Field::SampleRate: m_fields.sampleRate = v; return true;
        case Field::Family: m_fields.family = v; return true;
        case Field::Source: m_fields.source = v; return true;
        default: return scalar();
        }
    }
    static bool within(const std::optional<std::int64_t>& v, std::int64_t lo, std::int64_t hi)
    {
        return v && *v >= lo && *v <= hi;
    }
    bool finishNote()
    {
        const Fields& f = m_fields;
        if (!f.note || !f.noteStr || *f.noteStr != m_key || !namesAFileInAudio(*f.noteStr)
            || !within(f.instrument, 0, kMaxInstrumentId) || !f.instrumentStr || !within(f.pitch, 0, kMaxMidiValue)
            || !within(f.velocity, 0, kMaxMidiValue) || !within(f.sampleRate, 1, kMaxNoteSampleRate)
            || !f.hasQualities || f.qualities.size() != kQualityNames.size()
            || !f.hasQualitiesStr || !within(f.family, 0, std::int64_t(kFamilyNames.size()) - 1) || !f.familyStr
            || *f.familyStr != kFamilyNames[std::size_t(*f.family)]
            || !within(f.source, 0, std::int64_t(kSourceNames.size()) - 1) || !f.sourceStr
            || *f.sourceStr != kSourceNames[std::size_t(*f.source)] || !m_keys.insert(m_key).second)
            return giveUp();
        NoteRecord note;
        note.note = *f.note;
        note.noteStr = *f.noteStr;
        note.instrument = int(*f.instrument);
        note.instrumentStr = *f.instrumentStr;
        note.pitch = int(*f.pitch);
        note.velocity = int(*f.velocity);
        note.sampleRate = int(*f.sampleRate);
        for (std::size_t i = 0; i < f.qualities.size(); ++i) {
            if (f.qualities[i] < 0 || f.qualities[i] > 1)
                return giveUp();
            note.qualities[i] = std::uint8_t(f.qualities[i]);
        }
        note.family = int(*f.family);
        note.source = int(*f.source);
        m_notes.push_back(std::move(note));
        return true;
    }

    Fields m_fields;
    std::string m_key;
    Field m_field = Field::Ignored;
    std::unordered_set<std::string> m_keys;
    std::vector<NoteRecord> m_notes;
    int m_depth = 0;
    bool m_gaveUp = false;
};

} // namespace

std::optional<std::vector<NoteRecord>> readNotesFast(const std::string& bytes)
{
    // Only a top-level object: anything else is for the careful reader to name.
    const auto first = bytes.find_first_not_of(" \t\r\n");
    if (first == std::string::npos || bytes[first] != '{')
        return std::nullopt;
    FastSax sax;
    try {
        if (!json::sax_parse(bytes, &sax) || sax.gaveUp())
            return std::nullopt;
    } catch (const json::exception&) {
        return std::nullopt;
    }
    auto notes = sax.takeNotes();
    if (notes.empty())
        return std::nullopt;
    return notes;
}

} // namespace ts::dataset
