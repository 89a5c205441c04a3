#pragma once
// A sound generator a dataset is rendered from: a General MIDI SoundFont played by FluidSynth, or
// the Synthesis ToolKit's physical and FM models. One SoundFont gives about seven instruments per
// family, far too few timbres for a model to recognise real instruments, so the default dataset
// renders every independent generator Debian ships; this is their list, in priority order (a
// preset whose sample data an earlier generator already plays is left out of the later one).
#include <string>
#include <vector>

namespace ts::synth {

enum class GeneratorKind { SoundFont, Stk };

struct SoundGenerator {
    std::string name;          // "FluidR3_GM", "MuseScore_General_Full", ..., "STK": in instruments.json and `info`
    GeneratorKind kind = GeneratorKind::SoundFont;
    std::string path;          // the SoundFont file; empty for STK
    std::string package;       // the Debian package that ships it
    // Every sound it makes comes from a synthesizer, whatever instrument it imitates, so its
    // source is NSynth's "synthetic" (OPL-3 FM, STK's models).
    bool synthesizer = false;
};

// Every generator the default dataset uses, installed or not, in priority order.
const std::vector<SoundGenerator>& knownGenerators();

// The known generators that are present on this machine (their SoundFont file exists; for STK,
// its rawwaves folder). The default dataset is rendered from these, and its recipe names them, so
// installing another one later makes the next start offer a new default dataset.
std::vector<SoundGenerator> installedGenerators();

// A generator for a SoundFont named on the command line: a known one by file name (so the OPL-3
// font is still labelled synthetic), otherwise named after its file.
SoundGenerator soundFontGenerator(const std::string& path);

// The STK generator.
SoundGenerator stkGenerator();

} // namespace ts::synth
