#pragma once
// What a General MIDI preset is in NSynth's terms: family, source, whether it belongs in a
// dataset (tier) and the pitches it can really play. The table follows
// NSynth's own label definitions, applied to every GM program (the README's "The default dataset").
#include <string>

namespace ts::synth {

// core: used by default. ambiguous: a plausible label, used only on request. skip: no NSynth
// family fits (percussion, pads, sound effects, CC-controlled duplicates).
enum class PresetTier { Core, Ambiguous, Skip };

const char* presetTierName(PresetTier tier);

struct GmMapping {
    PresetTier tier = PresetTier::Skip;
    int family = -1;     // index into dataset::kFamilyNames, -1 when skipped
    int source = -1;     // index into dataset::kSourceNames, -1 when skipped
    int pitchLow = 0;    // sounding MIDI range the instrument plays, inclusive
    int pitchHigh = -1;
    std::string note;    // why the tier is what it is, for instruments.json and --help readers

    bool usable(bool includeAmbiguous) const
    {
        return tier == PresetTier::Core || (includeAmbiguous && tier == PresetTier::Ambiguous);
    }
};

class GmInstrumentTable {
public:
    // The mapping of a SoundFont preset by its bank and program number. Banks 0, 8 and 16 are
    // the GM/GS banks FluidR3 uses; MuseScore's section and "Expr." banks are known; any other
    // melodic bank is mapped by program and marked ambiguous; bank 128 (drum kits) is skipped.
    static GmMapping lookup(int bank, int program);
};

} // namespace ts::synth
