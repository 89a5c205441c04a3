// Fuzz target `render_manifest`: any bytes as a rendered dataset's instruments.json, read by the
// three readers of it: RenderManifest::isComplete (is a render with this recipe already in the
// folder?), generatorNamesIn, and Dataset::load (each note's generator). Each checks the file
// field by field and must treat a damaged one as "no sidecar", never fail or throw.
#include <cstdint>
#include <filesystem>
#include <string>

#include "FuzzSupport.h"
#include "dataset/Dataset.h"
#include "synth/RenderManifest.h"

using ts::fuzz::require;

namespace {

struct Fixture {
    ts::fuzz::ScratchFolder folder;

    // The two-note dataset, plus empty WAVs up to the seeds' note_count: isComplete counts them.
    Fixture()
    {
        ts::fuzz::writeTwoNoteDataset(folder.path());
        for (int i = 2; i < ts::fuzz::kSeedRenderNotes; ++i)
            ts::fuzz::writeFile(folder.path() + "/audio/extra-" + std::to_string(i) + ".wav", std::string());
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const Fixture fixture;
    const std::string& folder = fixture.folder.path();
    ts::fuzz::writeFile(folder + "/instruments.json", data, size);

    std::size_t notes = 0;
    if (ts::synth::RenderManifest::isComplete(folder, ts::fuzz::kSeedRecipe, &notes))
        require(notes == std::size_t(ts::fuzz::kSeedRenderNotes), "complete with another note count");
    else
        require(notes == 0, "an incomplete render reported a note count");

    const std::vector<std::string> generators = ts::dataset::generatorNamesIn(folder);
    for (std::size_t i = 1; i < generators.size(); ++i)
        require(generators[i - 1] < generators[i], "generator names not sorted and unique");

    const auto dataset = ts::dataset::Dataset::load(folder);
    require(dataset.ok(), "a damaged instruments.json made the dataset unreadable");
    int counted = 0;
    for (const auto& [name, count] : dataset->generatorCounts()) {
        require(!name.empty() && count > 0, "an empty generator count");
        counted += count;
    }
    require(std::size_t(counted) <= dataset->size(), "more generator notes than notes");
    return 0;
}
