#pragma once
// What one sound generator can play, in NSynth's terms: each SoundFont preset or STK voice with its
// family, source, tier and playable range. The labels come from one rule per generator kind:
// GmInstrumentTable for General MIDI SoundFonts (with source "synthetic" for a generator that is
// a synthesizer, such as the OPL-3 FM font, whatever instrument its program imitates) and
// StkVoiceTable for the Synthesis ToolKit's models. RenderPlan chooses notes from these lists.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "synth/GmInstrumentTable.h"
#include "synth/SoundFontIndex.h"
#include "synth/SoundGenerator.h"
#include "util/Result.h"

namespace ts::synth {

struct GeneratorPreset {
    int bank = 0;          // SoundFont bank and program
    int program = 0;
    int voice = -1;        // STK: index into stkVoices()
    std::string name;      // the preset's name, or the STK voice's
    GmMapping mapping;
    // SoundFont only: where its samples lie (equal lists = a copy within the same file) and what
    // they hold (hashes shared with an earlier generator = that generator's recordings again).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> samples;
    std::vector<std::uint64_t> sampleHashes;
};

struct GeneratorCatalogue {
    SoundGenerator generator;
    std::vector<GeneratorPreset> presets;  // every preset or voice, skipped ones included
};

// The labels of a SoundFont's presets (the index was read by the caller).
GeneratorCatalogue catalogueOf(const SoundGenerator& generator, const SoundFontIndex& index);

// Reads what a generator offers: a SoundFont's preset table (hashing its sample data when asked,
// for duplicates across SoundFonts) or the STK voice table. Errors name the SoundFont file.
Result<GeneratorCatalogue> readCatalogue(const SoundGenerator& generator, bool hashSampleData);

} // namespace ts::synth
