#pragma once
// Renders an NSynth-format dataset from one or more sound generators (General MIDI SoundFonts,
// the Synthesis ToolKit): plans the notes (RenderPlan), renders them generator by generator (one
// SoundFont in memory at a time) on a pool of worker threads (one renderer each), writes audio/<note_str>.wav,
// examples.json and instruments.json into a temporary sibling folder and renames it into place
// at the end, so a cancelled, failed or killed render leaves nothing behind (a killed one's folder
// is removed by the next render beside it). Output bytes do not depend
// on the number of threads.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "synth/RenderPlan.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::synth {

struct RenderRequest {
    std::vector<SoundGenerator> generators;
    std::string soundFont;         // shorthand for one SoundFont generator, used when generators is empty
    std::string outFolder;
    RenderOptions options;
    unsigned jobs = 0;             // worker threads; 0 = the hardware's concurrency
    bool replaceExisting = false;  // allow replacing a non-empty outFolder (the default dataset)
    // A folder that already holds a finished render of this recipe (same generators and options)
    // is kept and reported (RenderSummary::reused) instead of rendered again. False: render anyway
    // (`render --default --force`).
    bool reuseFinished = true;
};

struct RenderSummary {
    std::string folder;
    bool reused = false;             // the folder already held this render (reuseFinished): nothing
                                     // was rendered now, and only notesWritten is counted
    std::size_t notesWritten = 0;
    std::size_t notesRequested = 0;  // --count (more than written only when an instrument ran out
                                     // of keys that sound); with --grid, the notes written
    std::size_t silentSkipped = 0;   // notes below the silence floor, not written
    std::size_t clipGuarded = 0;     // notes scaled down to the clip ceiling
    std::size_t instruments = 0;     // instruments with at least one note
    std::size_t duplicatesLeftOut = 0;
    double seconds = 0.0;
    std::array<std::array<int, 3>, 11> cellCounts{};  // notes per [family][source]
    std::vector<std::pair<std::string, std::size_t>> generatorNotes;  // notes written per generator
};

class DatasetRenderer {
public:
    static constexpr const char* kDefaultSoundFont = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
    static constexpr std::size_t kDefaultCount = 4096;   // one SoundFont's render when --count is not given
    static constexpr std::uint64_t kDefaultSeed = 0;

    // The default dataset: every installed generator (installedGenerators()), balanced over
    // families, into the application's data folder. The GUI's first start and `render --default`
    // both use this request.
    static constexpr std::size_t kDefaultCorpusCount = 10240;
    static RenderRequest defaultRequest();
    // True when the default dataset's folder holds a finished render of defaultRequest()'s recipe
    // (false for one made by an older recipe or with other generators installed).
    static bool defaultDatasetIsCurrent(std::size_t* noteCount = nullptr);

    // Errors name the file or folder: a missing or invalid SoundFont, an output folder that is a
    // file, not empty (without replaceExisting, and not a finished render of this recipe) or not
    // writable, a file that cannot be written (a full disk), bad counts, Cancelled.
    // One render of a folder at a time: while another process renders the same folder (a lock
    // file ".NAME.lock" beside it, flock(2), released when that process ends however it ends),
    // this one waits, reporting a notice "waiting for another Timbrescope (pid N) rendering DIR"
    // through `progress`, and then decides with the folder that process left.
    // Synchronous: `progress` is called on the calling thread about ten times a second, and
    // `cancel` is checked between notes (a cancel takes effect within one note per worker) and
    // while waiting.
    static Result<RenderSummary> render(const RenderRequest& request, const CancellationToken& cancel,
                                        const ProgressSink& progress);
};

} // namespace ts::synth
