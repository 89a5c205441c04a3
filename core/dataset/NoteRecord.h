#pragma once
// One note of an NSynth-format dataset: every field of examples.json plus where its WAV is.
#include <array>
#include <cstdint>
#include <string>

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
    int family = 0;             // index into kFamilyNames
    int source = 0;             // index into kSourceNames
    std::string generator;      // the sound generator that rendered it (instruments.json), empty if unknown
    std::string wavPath;        // absolute path of audio/<noteStr>.wav
    bool wavExists = false;
};

} // namespace ts::dataset
