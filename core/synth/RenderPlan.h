#pragma once
// Which notes a render makes: the presets of one or more sound generators that map to an NSynth
// family/source (GeneratorCatalogue), less duplicates (presets playing the same samples within a
// SoundFont, or mostly an earlier generator's sample data), each with a stable instrument number,
// and the (instrument, pitch, velocity) list. --count balances notes
// across families, then across a family's instruments, then across pitches and NSynth's five
// velocities; --grid takes every combination. Everything depends only on the generators' preset
// tables and the options, so the plan (and so the output) is the same on every run.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "synth/GeneratorCatalogue.h"
#include "synth/GmInstrumentTable.h"
#include "synth/SoundFontIndex.h"
#include "util/Result.h"

namespace ts::synth {

struct RenderOptions {
    std::size_t count = 0;       // notes wanted (count mode); ignored with grid
    bool grid = false;           // every instrument x pitch x velocity
    std::uint64_t seed = 0;
    bool includeAmbiguous = false;
};

struct PlannedInstrument {
    int instrument = 0;          // NSynth "instrument": stable id over the generators' mapped presets
    std::string instrumentStr;   // "<family>_<source>_<NNN>", NNN numbering the presets of that cell
    std::size_t generator = 0;   // into RenderPlan::generators()
    int bank = 0;                // SoundFont preset
    int program = 0;
    int voice = -1;              // STK voice (index into stkVoices())
    std::string presetName;
    GmMapping mapping;
};

struct PlannedNote {
    std::size_t instrumentIndex = 0;  // into RenderPlan::instruments()
    int pitch = 0;
    int velocity = 0;
};

// A preset left out because another preset plays exactly the same samples, or because most of
// its sample data is an earlier generator's (then kept* name nothing and keptGenerator says whose).
struct DuplicatePreset {
    int bank = 0;
    int program = 0;
    std::string presetName;
    int keptBank = 0;
    int keptProgram = 0;
    std::string generator;
    std::string keptGenerator;
};

class RenderPlan {
public:
    // Errors: InvalidArgument for count 0 or a count above what the presets offer (the message
    // gives the maximum), Unsupported when no preset maps to an NSynth family.
    static Result<RenderPlan> make(const std::vector<GeneratorCatalogue>& generators, const RenderOptions& options);
    // One SoundFont (named after nothing: tests and single-font renders).
    static Result<RenderPlan> make(const SoundFontIndex& index, const RenderOptions& options);

    // A preset of generator g is left out when at least this share of its samples' data is
    // already played by an earlier generator: it would put one generator's recordings on both
    // sides of a leave-one-generator-out test.
    static constexpr double kSharedSampleLimit = 0.5;

    const std::vector<SoundGenerator>& generators() const { return m_generators; }
    const std::vector<PlannedInstrument>& instruments() const { return m_instruments; }
    const std::vector<PlannedNote>& notes() const { return m_notes; }
    const std::vector<DuplicatePreset>& duplicates() const { return m_duplicates; }

    // A replacement for a note of this instrument that came out silent (count mode only): the
    // next unused combination, avoiding pitches already known to be silent. Deterministic.
    std::optional<PlannedNote> takeReplacement(std::size_t instrumentIndex, int silentPitch);

    static std::string noteStr(const PlannedInstrument& instrument, int pitch, int velocity);

    // The seed the plan was drawn with (RenderOptions::seed).
    std::uint64_t seed() const { return m_seed; }

private:
    std::vector<SoundGenerator> m_generators;
    std::vector<PlannedInstrument> m_instruments;
    std::vector<PlannedNote> m_notes;
    std::vector<DuplicatePreset> m_duplicates;
    std::vector<std::vector<PlannedNote>> m_reserves;     // per instrument, in take order
    std::vector<std::vector<int>> m_silentPitches;        // per instrument
    std::uint64_t m_seed = 0;
};

} // namespace ts::synth
