#include "synth/SoundGenerator.h"

#include <filesystem>

#include "synth/StkNoteRenderer.h"

namespace ts::synth {

namespace fs = std::filesystem;

const std::vector<SoundGenerator>& knownGenerators()
{
    // FluidR3 first: MuseScore_General is largely a fork of it, so only MuseScore's own samples
    // (new pianos, string sections, trumpet, synth waveforms) count as new instruments.
    static const std::vector<SoundGenerator> generators = {
        {"FluidR3_GM", GeneratorKind::SoundFont, "/usr/share/sounds/sf2/FluidR3_GM.sf2", "fluid-soundfont-gm", false},
        {"MuseScore_General_Full", GeneratorKind::SoundFont, "/usr/share/sounds/sf2/MuseScore_General_Full.sf2",
         "musescore-general-soundfont-lossless", false},
        {"TimGM6mb", GeneratorKind::SoundFont, "/usr/share/sounds/sf2/TimGM6mb.sf2", "timgm6mb-soundfont", false},
        {"sf_GMbank", GeneratorKind::SoundFont, "/usr/share/sounds/sf2/sf_GMbank.sf2", "csound-soundfont", false},
        // The OPL-3 font holds recordings of a Yamaha FM chip playing the GM programs: every
        // timbre is made by a synthesizer.
        {"OPL-3_FM", GeneratorKind::SoundFont, "/usr/share/sounds/sf2/OPL-3_FM_128M.sf2", "opl3-soundfont", true},
        stkGenerator(),
    };
    return generators;
}

std::vector<SoundGenerator> installedGenerators()
{
    std::vector<SoundGenerator> present;
    for (const SoundGenerator& g : knownGenerators()) {
        std::error_code ec;
        // STK is linked in, but its instruments need the rawwaves of package stk.
        const bool there = g.kind == GeneratorKind::Stk ? fs::is_directory(StkNoteRenderer::kRawwavePath, ec)
                                                        : fs::is_regular_file(g.path, ec);
        if (there)
            present.push_back(g);
    }
    return present;
}

SoundGenerator soundFontGenerator(const std::string& path)
{
    const std::string file = fs::path(path).filename().string();
    for (const SoundGenerator& g : knownGenerators()) {
        if (g.kind == GeneratorKind::SoundFont && fs::path(g.path).filename().string() == file) {
            SoundGenerator known = g;
            known.path = path;
            return known;
        }
    }
    return {fs::path(path).stem().string(), GeneratorKind::SoundFont, path, "", false};
}

SoundGenerator stkGenerator()
{
    return {"STK", GeneratorKind::Stk, "", "libstk-dev", true};
}

} // namespace ts::synth
