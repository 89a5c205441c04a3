#pragma once
// The two JSON files of a rendered dataset: examples.json (NSynth's own schema, every field)
// and the instruments.json sidecar (which preset each instrument is, its labels, range and note
// count, the render settings, and the recipe that produced the folder). The recipe string lets
// `render --default` see in milliseconds that the default dataset is already in place.
#include <cstdint>
#include <string>
#include <vector>

#include "synth/RenderPlan.h"
#include "util/Result.h"

namespace ts::synth {

struct RenderedEntry {
    PlannedNote note;
    bool written = false;   // false: silent, skipped
    bool clipGuarded = false;
};

class RenderManifest {
public:
    // Identifies what a render makes: each generator (a SoundFont's path, size and modification
    // time; STK's version and voice table), the options, the rendering recipe and the library
    // versions. Not the thread count.
    static Result<std::string> recipe(const std::vector<SoundGenerator>& generators, const RenderOptions& options);
    static Result<std::string> recipe(const std::string& soundFont, const RenderOptions& options);

    static std::string examplesJson(const RenderPlan& plan, const std::vector<RenderedEntry>& entries);
    // Which generator and preset each instrument is, its labels and why, and the generators used.
    static std::string instrumentsJson(const RenderPlan& plan, const std::vector<RenderedEntry>& entries,
                                       const std::string& recipe);

    // True when `folder` holds a finished render with this recipe: instruments.json records the
    // same recipe, examples.json exists and audio/ holds the recorded number of WAVs.
    static bool isComplete(const std::string& folder, const std::string& recipe, std::size_t* noteCount = nullptr);
};

} // namespace ts::synth
