// Training from a large feature cache: what the loader costs. Loads a dataset's training set as
// `train` does (FeatureCache: computed, or resumed, when absent, and timed; float16 log-mels read a
// row at a time), then times timbre-net training steps (ml::TrainingStep, augmentation on) on
// --batches batches of rows drawn at random from the whole training part, first read from the cache
// file, then the very same rows from memory. Prints
//   RESULT impl=app figure=loader.featurise_seconds / featurise_notes_per_s (when computed now)
//   RESULT impl=app figure=loader.gather_rows_per_s   (reading + converting rows alone)
//   RESULT impl=app figure=loader.train_from_cache_samples_per_s / train_from_memory_samples_per_s
//   RESULT impl=app figure=loader.cache_over_memory_ratio
//   RESULT impl=app figure=loader.peak_rss (MB, the whole run)
// Run: bench_loader DATASET_DIR [--batches 60] [--batch-size 32] [--threads 2] [--recordings 0]
#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "BenchArgs.h"
#include "BenchReport.h"
#include "ml/Architecture.h"
#include "ml/Runtime.h"
#include "ml/TrainingSet.h"
#include "ml/TrainingStep.h"

using namespace ts;

namespace {

int fail(const Error& error)
{
    std::fprintf(stderr, "%s\n", error.describe().c_str());
    return 1;
}

// Training steps over `batches` batches of `order`; samples per second.
Result<double> trainRate(ml::TrainingStep& step, const ml::TrainingSet& data, const std::vector<std::size_t>& order,
                         std::size_t batchSize)
{
    const double t0 = bench::now();
    for (std::size_t begin = 0; begin + batchSize <= order.size(); begin += batchSize)
        if (auto out = step.train(data, order, begin, begin + batchSize); !out)
            return out.error();
    return double(order.size()) / (bench::now() - t0);
}

} // namespace

int main(int argc, char** argv)
{
    int batches = 60, batchSize = 32, threads = 2, recordings = 0;
    std::vector<std::string> folders;
    const bool parsed = bench::Args()
                            .add("--batches", batches)
                            .add("--batch-size", batchSize)
                            .add("--threads", threads)
                            .add("--recordings", recordings)
                            .positional(folders)
                            .parse(argc, argv);
    if (!parsed || folders.size() != 1 || batches < 2 || batchSize < 2 || threads < 1 || recordings < 0) {
        std::fprintf(stderr, "usage: bench_loader DATASET_DIR [--batches 60] [--batch-size 32] [--threads 2] [--recordings 0]\n");
        return 2;
    }
    if (auto runtime = ml::loadRuntime(); !runtime)
        return fail(runtime.error());
    const auto architecture = ml::findArchitecture("timbre-net");
    if (!architecture)
        return fail(makeError(ErrorCode::Internal, "timbre-net is not a known architecture"));

    // Featurising, timed from the first note computed (the dataset's load is not part of it).
    double first = 0.0, last = 0.0;
    std::size_t computed = 0;
    const double t0 = bench::now();
    auto data = ml::loadTrainingSet(folders.front(), *architecture, "random", 1, [&](const Progress& p) {
        if (p.notice) {
            std::fprintf(stderr, "%s\n", p.status.c_str());
            return;
        }
        if (first == 0.0)
            first = bench::now();
        last = bench::now();
        ++computed;
    }, {}, recordings);
    if (!data)
        return fail(data.error());
    const std::string notes = "notes=" + std::to_string(data->features.rows()) + " recordings=" + std::to_string(recordings);
    std::fprintf(stderr, "# loaded in %.1f s; rows %s\n", bench::now() - t0, data->features.describeStorage().c_str());
    if (computed > 1) {
        bench::result("loader.featurise_seconds", last - first, "s", notes + " computed=" + std::to_string(computed));
        bench::result("loader.featurise_notes_per_s", double(computed) / (last - first), "notes/s", notes);
    }
    bench::result("loader.peak_rss_after_features", bench::peakRssMb(), "MB", notes);

    // The batches: random rows of the whole training part, as an epoch's shuffle hands them out.
    std::vector<std::size_t> order = data->train;
    std::mt19937_64 shuffler(7);
    std::shuffle(order.begin(), order.end(), shuffler);
    order.resize(std::min(order.size(), std::size_t(batches) * std::size_t(batchSize)));

    // Gathering alone: rows read and converted to float32, a batch at a time.
    {
        std::vector<float> batch(std::size_t(batchSize) * data->features.rowSize());
        const double g0 = bench::now();
        for (std::size_t begin = 0; begin + std::size_t(batchSize) <= order.size(); begin += std::size_t(batchSize))
            if (auto read = data->features.readRows(order, begin, begin + std::size_t(batchSize), batch.data()); !read)
                return fail(read.error());
        bench::result("loader.gather_rows_per_s", double(order.size()) / (bench::now() - g0), "rows/s", notes);
    }

    // The same rows in memory: a training set of just those rows, row i of it = order[i].
    ml::TrainingSet inMemory;
    auto copyRows = [&](const dataset::FeatureMatrix& from) -> Result<dataset::FeatureMatrix> {
        std::vector<float> values(order.size() * from.rowSize());
        if (auto read = from.readRows(order, 0, order.size(), values.data()); !read)
            return read.error();
        std::vector<std::size_t> rowNote(order.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            rowNote[i] = from.rowNote()[order[i]];
        return dataset::FeatureMatrix(from.shape(), rowNote, std::move(values));
    };
    auto features = copyRows(data->features);
    if (!features)
        return fail(features.error());
    inMemory.features = std::move(*features);
    for (const auto& recording : data->recordings) {
        auto copy = copyRows(recording);
        if (!copy)
            return fail(copy.error());
        inMemory.recordings.push_back(std::move(*copy));
    }
    std::vector<std::size_t> memoryOrder(order.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        memoryOrder[i] = i;
        inMemory.family.push_back(data->family[order[i]]);
        inMemory.source.push_back(data->source[order[i]]);
    }

    ml::TrainingOptions options;
    options.architecture = "timbre-net";
    options.threads = threads;
    options.batchSize = batchSize;
    const std::vector<std::size_t> warmRows(memoryOrder.begin(), memoryOrder.begin() + batchSize);
    double rates[2] = {0.0, 0.0};
    for (int pass = 0; pass < 2; ++pass) {
        auto step = ml::TrainingStep::create(options);  // the same start for both
        if (!step)
            return fail(step.error());
        if (auto warm = step->train(inMemory, warmRows, 0, warmRows.size()); !warm)
            return fail(warm.error());
        auto rate = pass == 0 ? trainRate(*step, *data, order, std::size_t(batchSize))
                              : trainRate(*step, inMemory, memoryOrder, std::size_t(batchSize));
        if (!rate)
            return fail(rate.error());
        rates[pass] = *rate;
    }
    const std::string extra = notes + " batches=" + std::to_string(order.size() / std::size_t(batchSize)) +
                              " threads=" + std::to_string(threads) + " augment=on";
    bench::result("loader.train_from_cache_samples_per_s", rates[0], "samples/s", extra);
    bench::result("loader.train_from_memory_samples_per_s", rates[1], "samples/s", extra);
    bench::result("loader.cache_over_memory_ratio", rates[1] / rates[0], "x", extra + " note=epoch_time_ratio");
    bench::result("loader.peak_rss", bench::peakRssMb(), "MB", notes);
    return 0;
}
