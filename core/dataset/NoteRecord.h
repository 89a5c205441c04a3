#pragma once
// One note of an NSynth-format dataset: every field of examples.json plus where its WAV is.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ts::dataset {

struct NoteRecord {
    std::string noteStr;        // "bass_synthetic_033-022-050", the key in examples.json
    std::int64_t note = 0;      // unique id
    int instrument = 0;
    std::string instrumentStr;  // "bass_synthetic_033"
    int pitch = 0;              // MIDI
    int velocity = 0;           // 25 50 75 100 127
    int sampleRate = 16000;
    std::array<std::uint8_t, 10> qualities{};
    int family = 0;             // index into kFamilyNames; kUnknownLabel for an imported note of no known family
    int source = 0;             // index into kSourceNames; kUnknownLabel likewise
    // The note's own class (examples.json "class_str", our extension: a dataset imported from a
    // folder of the user's sounds carries the classes it was sorted into); empty when it has none.
    std::string ownClass;
    std::string generator;      // the sound generator that rendered it (instruments.json), empty if unknown
    std::string wavPath;        // absolute path of audio/<noteStr>.wav
    bool wavExists = false;
};

// instrument_family / instrument_source of a note whose family or source nobody told (-1, with the
// name "unknown"): only imported datasets have such notes, and no model learns or is scored on them.
inline constexpr int kUnknownLabel = -1;
inline constexpr std::string_view kUnknownLabelName = "unknown";

// What examples.json's two readers (ExamplesJson's careful one, FastNoteReader's quick one) accept.
inline constexpr std::int64_t kMaxInstrumentId = INT32_MAX;
inline constexpr std::int64_t kMaxMidiValue = 127;            // pitch and velocity
inline constexpr std::int64_t kMaxNoteSampleRate = 10'000'000;

// A note_str names audio/<note_str>.wav: never a hidden file or one outside audio/.
inline bool namesAFileInAudio(std::string_view noteStr)
{
    return !noteStr.empty() && noteStr.front() != '.' && noteStr.find_first_of("/\\") == std::string_view::npos;
}

} // namespace ts::dataset
