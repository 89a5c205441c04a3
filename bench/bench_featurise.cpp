// Decode + featurise a whole dataset, cold (its cache file removed first; the OS page cache is
// left alone, so WAVs may already be in memory) and from the feature cache, through the same
// FeatureCache::load that training uses:
//   bench_featurise DATASET_DIR [--kind logmel|stft|raw] [--threads N] [--reps R] [--cache-dir DIR]
// Figures: featurise_cold_seconds (of which featurise_cold_publish_seconds flushing and renaming
// the cache file), featurise_cached_seconds (median of R loads, each followed by a read of every
// row as float32, as training reads them), featurise_cached_open_seconds (the load call alone:
// the cache is opened and checked, its rows are read later), notes/s, and dataset_load_seconds
// (examples.json + stat of every WAV).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "BenchArgs.h"
#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"

using namespace ts;
using namespace ts::dataset;

namespace {

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void result(const std::string& figure, double value, const char* unit, const std::string& extra)
{
    std::printf("RESULT impl=app figure=%s value=%.6g unit=%s %s\n", figure.c_str(), value, unit, extra.c_str());
    std::fflush(stdout);
}

int usage()
{
    std::fprintf(stderr, "usage: bench_featurise DATASET_DIR [--kind logmel|stft|raw] [--threads N] [--reps R] [--cache-dir DIR]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::string folder, cacheDir;
    FeatureSettings settings;
    int threads = 0;
    int reps = 3;
    std::string kindName = featureKindName(settings.kind);
    std::vector<std::string> folders;
    const bool parsed = bench::Args()
                            .add("--kind", kindName)
                            .add("--threads", threads)
                            .add("--reps", reps)
                            .add("--cache-dir", cacheDir)
                            .positional(folders)
                            .parse(argc, argv);
    const auto kind = parseFeatureKind(kindName);
    if (!parsed || !kind || folders.size() != 1 || reps < 1)
        return usage();
    settings.kind = *kind;
    folder = folders.front();

    const double t0 = now();
    auto dataset = Dataset::load(folder);
    const double loadSeconds = now() - t0;
    if (!dataset) {
        std::fprintf(stderr, "%s\n", dataset.error().describe().c_str());
        return 1;
    }
    const int usedThreads = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    const std::size_t notes = dataset->usableIndices().size();
    const std::string extra = "kind=" + featureKindName(settings.kind) + " threads=" + std::to_string(usedThreads)
                            + " notes=" + std::to_string(notes);
    result("dataset_load_seconds", loadSeconds, "s", "notes=" + std::to_string(dataset->size()));

    const FeatureCache cache(cacheDir);
    const std::string path = cache.cachePath(*dataset, settings);
    std::error_code ec;
    std::filesystem::remove(path, ec);
    std::filesystem::remove(path + ".partial", ec);  // a cold run computes every row

    // The moment the last row is computed: what follows is publishing the cache file (flushing
    // it to disk and renaming it), reported apart because it is bound by the disk, not the CPU.
    double computed = 0.0;
    const double c0 = now();
    auto cold = cache.load(*dataset, settings, [&](const Progress& p) {
        if (p.done == p.total && computed == 0.0)
            computed = now();
    }, {}, threads);
    const double coldSeconds = now() - c0;
    if (!cold) {
        std::fprintf(stderr, "%s\n", cold.error().describe().c_str());
        return 1;
    }
    result("featurise_cold_seconds", coldSeconds, "s", extra);
    result("featurise_cold_notes_per_s", double(notes) / coldSeconds, "notes/s", extra);
    if (computed > 0.0)
        result("featurise_cold_publish_seconds", c0 + coldSeconds - computed, "s", extra);
    cold = Result<FeatureMatrix>(FeatureMatrix{});  // free it before timing the cached loads

    // load() opens and checks the file; the figure that matters is load + one read of every row.
    std::vector<double> cached, openOnly;
    double checksum = 0.0;
    for (int r = 0; r < reps; ++r) {
        const double w0 = now();
        auto warm = cache.load(*dataset, settings, [](const Progress&) {
            std::fprintf(stderr, "bench_featurise: the cached load decoded audio\n");
            std::exit(1);
        }, {}, threads);
        openOnly.push_back(now() - w0);
        if (!warm) {
            std::fprintf(stderr, "%s\n", warm.error().describe().c_str());
            return 1;
        }
        constexpr std::size_t kBatch = 256;
        std::vector<std::size_t> order(warm->rows());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::vector<float> batch(kBatch * warm->rowSize());
        for (std::size_t begin = 0; begin < order.size(); begin += kBatch) {
            const std::size_t end = std::min(order.size(), begin + kBatch);
            if (auto read = warm->readRows(order, begin, end, batch.data()); !read) {
                std::fprintf(stderr, "%s\n", read.error().describe().c_str());
                return 1;
            }
            checksum += double(batch[0]);
        }
        cached.push_back(now() - w0);
    }
    std::sort(cached.begin(), cached.end());
    std::sort(openOnly.begin(), openOnly.end());
    const double median = cached[cached.size() / 2];
    result("featurise_cached_open_seconds", openOnly[openOnly.size() / 2], "s", extra);
    std::fprintf(stderr, "checksum of touched values: %g\n", checksum);
    char spread[64];
    std::snprintf(spread, sizeof spread, " spread=%.4f..%.4f reps=%d", cached.front(), cached.back(), reps);
    const auto bytes = std::filesystem::file_size(path, ec);
    result("featurise_cached_seconds", median, "s", extra + spread + " cache_bytes=" + std::to_string(bytes));
    result("featurise_cached_notes_per_s", double(notes) / median, "notes/s", extra);
    std::fprintf(stderr, "cache file: %s\n", path.c_str());
    return 0;
}
