#pragma once
// The preset directory of a SoundFont (SF2, or SF3 whose samples are compressed), read straight
// from its `pdta` chunk without loading any sample data. It tells which presets exist and which
// samples each one plays, so presets that are copies of another one (Honky-tonk vs Grand Piano,
// Fiddle vs Violin in FluidR3) can be recognised as the same instrument, and it gives a clear
// error for a file that is not a SoundFont before FluidSynth is involved.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "util/Result.h"

namespace ts::synth {

struct SoundFontPreset {
    int bank = 0;
    int program = 0;
    std::string name;
    // Where every sample the preset can play lies in the sample data (start, end), sorted and
    // unique: two presets with equal lists play the same recordings.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> samples;
    // A hash of each of those samples' audio data, sorted and unique; filled only when read()
    // is asked to hash. Presets of two different SoundFonts play the same recording when their
    // hashes match (MuseScore_General reuses many of FluidR3's samples at other offsets).
    std::vector<std::uint64_t> sampleHashes;
};

class SoundFontIndex {
public:
    // Errors: NotFound, Unreadable, BadFormat ("not a SoundFont (...)").
    // With hashSampleData, every sample a preset plays is read and hashed (sampleHashes); that
    // reads the whole sample chunk (0.5 GB for MuseScore_General_Full), so it is off by default.
    static Result<SoundFontIndex> read(const std::string& path, bool hashSampleData = false);

    // Sorted by (bank, program).
    const std::vector<SoundFontPreset>& presets() const { return m_presets; }
    std::uint64_t fileBytes() const { return m_fileBytes; }

private:
    std::vector<SoundFontPreset> m_presets;
    std::uint64_t m_fileBytes = 0;
};

} // namespace ts::synth
