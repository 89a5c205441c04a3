// Fuzz target `feature_cache`: any bytes as the feature cache file of a fixed two-note dataset,
// read with FeatureCache::readCached (the header checks, the note index, the size check and the
// mapping of the rows). A cache that is accepted has every row readable: the harness sums them all.
#include <cstdint>
#include <filesystem>

#include "FuzzSupport.h"
#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"

using ts::fuzz::require;

namespace {

struct Fixture {
    ts::fuzz::ScratchFolder folder;
    ts::dataset::Dataset dataset;
    ts::dataset::FeatureSettings settings = ts::fuzz::smallFeatureSettings();
    ts::dataset::FeatureCache cache{folder.path() + "/cache"};
    std::string cacheFile;

    Fixture()
    {
        ts::fuzz::writeTwoNoteDataset(folder.path() + "/data");
        auto loaded = ts::dataset::Dataset::load(folder.path() + "/data");
        require(loaded.ok(), "the fixture dataset does not load");
        dataset = std::move(loaded).value();
        std::filesystem::create_directories(cache.folder());
        cacheFile = cache.cachePath(dataset, settings);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Fixture fixture;
    ts::fuzz::writeFile(fixture.cacheFile, data, size);
    const auto matrix = fixture.cache.readCached(fixture.dataset, fixture.settings);
    if (!matrix)
        return 0;
    require(matrix->rows() == fixture.dataset.usableIndices().size(), "rows other than the usable notes");
    require(matrix->rowSize() == fixture.settings.size(), "row size other than the settings'");
    // Every float is loaded from the mapping (a row past the file's end would fault here).
    double sum = 0.0;
    for (std::size_t i = 0; i < matrix->rows() * matrix->rowSize(); ++i)
        sum += double(matrix->data()[i]);
    [[maybe_unused]] static volatile double sink;
    sink = sum;
    return 0;
}
