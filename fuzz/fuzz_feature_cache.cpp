// Fuzz target `feature_cache`: any bytes as the feature cache file of a fixed two-note dataset,
// read with FeatureCache::readCached (the header checks, the note index and the size check). A cache
// that is accepted has every row readable: the harness reads them all (float16 rows converted).
#include <cstdint>
#include <filesystem>
#include <vector>

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
    // Every row is read (a row past the file's end would fail here).
    std::vector<std::size_t> order(matrix->rows());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::vector<float> values(matrix->rows() * matrix->rowSize());
    require(matrix->readRows(order, 0, order.size(), values.data()).ok(), "an accepted cache has a row that cannot be read");
    double sum = 0.0;
    for (float v : values)
        sum += double(v);
    [[maybe_unused]] static volatile double sink;
    sink = sum;
    return 0;
}
