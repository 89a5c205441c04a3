// Fuzz target `soundfont_index`: any bytes as a SoundFont, through our own RIFF/pdta reader
// SoundFontIndex::read, without and with hashing the sample data it points at. (FluidSynth's loader
// is not ours and is not fuzzed here.) The bytes are a memfd's, read by path as a user's file is.
#include <algorithm>
#include <cstdint>
#include <utility>

#include "FuzzSupport.h"
#include "synth/SoundFontIndex.h"

using ts::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static ts::fuzz::MemoryFile file;
    file.assign(data, size);
    const auto index = ts::synth::SoundFontIndex::read(file.path(), false);
    const auto hashed = ts::synth::SoundFontIndex::read(file.path(), true);
    require(index.ok() == hashed.ok(), "hashing the samples changed whether the file reads");
    if (!index)
        return 0;
    require(index->fileBytes() == size, "file size");
    const auto& presets = index->presets();
    require(!presets.empty(), "an accepted SoundFont without presets");
    require(presets.size() == hashed->presets().size(), "hashing changed the presets");
    for (std::size_t i = 0; i < presets.size(); ++i) {
        const auto& p = presets[i];
        if (i > 0)
            require(std::make_pair(presets[i - 1].bank, presets[i - 1].program) <= std::make_pair(p.bank, p.program),
                    "presets not sorted by bank and program");
        require(std::is_sorted(p.samples.begin(), p.samples.end())
                    && std::adjacent_find(p.samples.begin(), p.samples.end()) == p.samples.end(),
                "a preset's samples not sorted and unique");
        require(p.sampleHashes.empty(), "sample hashes without hashing");
        require(hashed->presets()[i].samples == p.samples, "hashing changed a preset's samples");
        require(hashed->presets()[i].sampleHashes.size() <= p.samples.size(), "more hashes than samples");
    }
    return 0;
}
