#include "synth/GeneratorCatalogue.h"

#include "synth/StkVoiceTable.h"

namespace ts::synth {

namespace {

constexpr int kSyntheticSource = 2;  // dataset::kSourceNames: acoustic, electronic, synthetic

} // namespace

GeneratorCatalogue catalogueOf(const SoundGenerator& generator, const SoundFontIndex& index)
{
    GeneratorCatalogue catalogue;
    catalogue.generator = generator;
    for (const SoundFontPreset& preset : index.presets()) {
        GeneratorPreset entry;
        entry.bank = preset.bank;
        entry.program = preset.program;
        entry.name = preset.name;
        entry.mapping = GmInstrumentTable::lookup(preset.bank, preset.program);
        // NSynth's "synthetic" means made by a synthesizer: an FM chip imitating a trumpet is a
        // synthetic brass sound, not an acoustic one.
        if (generator.synthesizer && entry.mapping.tier != PresetTier::Skip && entry.mapping.source != kSyntheticSource) {
            entry.mapping.source = kSyntheticSource;
            entry.mapping.note += " (played by " + generator.name + ", a synthesizer: source synthetic)";
        }
        entry.samples = preset.samples;
        entry.sampleHashes = preset.sampleHashes;
        catalogue.presets.push_back(std::move(entry));
    }
    return catalogue;
}

Result<GeneratorCatalogue> readCatalogue(const SoundGenerator& generator, bool hashSampleData)
{
    if (generator.kind == GeneratorKind::SoundFont) {
        auto index = SoundFontIndex::read(generator.path, hashSampleData);
        if (!index.ok())
            return index.error();
        return catalogueOf(generator, *index);
    }
    GeneratorCatalogue catalogue;
    catalogue.generator = generator;
    const auto& voices = stkVoices();
    for (std::size_t v = 0; v < voices.size(); ++v) {
        GeneratorPreset entry;
        entry.voice = int(v);
        entry.name = voices[v].name;
        entry.mapping = voices[v].mapping;
        catalogue.presets.push_back(std::move(entry));
    }
    return catalogue;
}

} // namespace ts::synth
