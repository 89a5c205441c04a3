// Training throughput of one architecture through the Trainer's own per-batch code
// (ml::TrainingStep → TrainingPass::trainOnBatch: gather the batch from a feature matrix, forward,
// cross-entropy, backward, Adam step), with the figure names of our peer's
// bench/peer/train_peer.py so the two line up:
//   train.<m>.samples_per_s  train.<m>.batch_ms  train.<m>.gflops_achieved  eval.<m>.samples_per_s
//   train.<m>.peak_rss_inproc  estimate.<m>.epoch<N>_s  estimate.<m>.<E>epochs_min
// <m> is the peer's name for the seed's models (family_cnn = seed-cnn2d, family_lr = seed-logreg-spec,
// source_cnn = seed-cnn1d, source_lr = seed-logreg-raw) and timbre_net for ours. Inputs are random
// rows of the right shape (spectrogram-like >= 0, audio in [-1, 1), log-mel dB), `--distinct`
// batches cycled, the first `--warmup` batches untimed. eval.* is the Trainer's validation pass
// (eval mode, no gradients, loss and accuracy). batch_ms also gives cpu_ms, the process CPU time
// per batch, which tells work apart from waiting on a busy machine. One model per process, so
// peak RSS (run under /usr/bin/time -v by bench/run_bench.sh, as the peer's training runs are) is per model.
//   bench_train --model seed-cnn2d [--batches 8] [--warmup 1] [--batch-size 32] [--threads 2]
//               [--epoch-samples 3072] [--epochs 17] [--eval-batches 4] [--distinct 4] [--seed 0]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <sys/resource.h>

#include "BenchArgs.h"
#include "BenchReport.h"
#include "ml/TrainingStep.h"

using namespace ts;

namespace {

struct ModelName {
    const char* peer;  // figure name component
    const char* architecture;
};

constexpr ModelName kModels[] = {
    {"family_cnn", "seed-cnn2d"}, {"family_lr", "seed-logreg-spec"}, {"source_cnn", "seed-cnn1d"},
    {"source_lr", "seed-logreg-raw"}, {"timbre_net", "timbre-net"},
};

// Conv and dense FLOPs of one training sample, as the peer's seed_models.train_flops counts them
// (forward + grad-weight + grad-input, no grad-input for the first layer); 0 for timbre-net.
double trainFlops(const std::string& m)
{
    if (m == "family_cnn")
        return 2.0 * (2.0 * 497 * 127 * 16 * 9) + 3.0 * (2.0 * 246 * 61 * 32 * 16 * 9 + 2.0 * 121 * 28 * 64 * 32 * 9 + 2.0 * 53760 * 11);
    if (m == "source_cnn")
        return 2.0 * (2.0 * 63998 * 32 * 3) + 3.0 * (2.0 * 31997 * 64 * 32 * 3 + 2.0 * 1023872 * 3);
    if (m == "family_lr")
        return 2.0 * (2.0 * 499 * 129 * 11);
    if (m == "source_lr")
        return 2.0 * (2.0 * 64000 * 3);
    return 0.0;
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double maxRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_maxrss) / 1024.0;  // KiB on Linux, the number /usr/bin/time -v reports
}

int usage()
{
    std::fprintf(stderr, "usage: bench_train --model seed-cnn2d|seed-cnn1d|seed-logreg-spec|seed-logreg-raw|timbre-net\n"
                         "                   [--batches 8] [--warmup 1] [--batch-size 32] [--threads 2]\n"
                         "                   [--epoch-samples 3072] [--epochs 0] [--eval-batches 4] [--distinct 4] [--seed 0]\n"
                         "       (the peer's names family_cnn, family_lr, source_cnn, source_lr, timbre_net also work)\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    std::string model;
    int batches = 8, warmup = 1, batchSize = 32, threads = 2, epochSamples = 3072, epochs = 0, evalBatches = 4,
        distinct = 4, seed = 0;
    const bool parsed = bench::Args()
                            .add("--model", model)
                            .add("--batches", batches)
                            .add("--warmup", warmup)
                            .add("--batch-size", batchSize)
                            .add("--threads", threads)
                            .add("--epoch-samples", epochSamples)
                            .add("--epochs", epochs)
                            .add("--eval-batches", evalBatches)
                            .add("--distinct", distinct)
                            .add("--seed", seed)
                            .parse(argc, argv);
    if (!parsed)
        return usage();
    const ModelName* name = nullptr;
    for (const auto& m : kModels)
        if (model == m.peer || model == m.architecture)
            name = &m;
    if (!name || batches < 1 || warmup < 0 || batchSize < 2 || threads < 1 || epochSamples < 1 || distinct < 1)
        return usage();
    const std::string m = name->peer;

    ml::TrainingOptions options;
    options.architecture = name->architecture;
    options.seed = std::uint64_t(seed);
    options.batchSize = batchSize;
    options.threads = threads;
    auto step = ml::TrainingStep::create(options);
    if (!step) {
        std::fprintf(stderr, "%s\n", step.error().describe().c_str());
        return 1;
    }
    const auto& arch = step->architecture();

    // `distinct` batches of random rows in a feature matrix, as the feature cache would hand them over.
    const std::size_t rows = std::size_t(distinct) * std::size_t(batchSize);
    const std::size_t rowSize = arch.features.size();
    std::vector<float> values(rows * rowSize);
    std::mt19937 rng{std::uint32_t(seed)};
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    const auto kind = arch.features.kind;
    for (float& v : values) {
        const float u = uniform(rng);
        v = kind == dataset::FeatureKind::SeedStft ? 10.0f * u               // |STFT|-like >= 0, as the peer
          : kind == dataset::FeatureKind::RawAudio ? 2.0f * u - 1.0f         // audio in [-1, 1)
                                                   : -100.0f + 100.0f * u;   // log-mel dB
    }
    std::vector<std::size_t> rowNote(rows);
    for (std::size_t i = 0; i < rows; ++i)
        rowNote[i] = i;
    ml::TrainingSet data;
    data.features = dataset::FeatureMatrix(arch.features.shape(), rowNote, std::move(values));
    std::uniform_int_distribution<int> family(0, 10), source(0, 2);
    for (std::size_t i = 0; i < rows; ++i) {
        data.family.push_back(family(rng));
        data.source.push_back(source(rng));
    }
    const std::vector<std::size_t> order = rowNote;
    std::fprintf(stderr, "# model %s (%s) params %lld input", m.c_str(), arch.id.c_str(), (long long)arch.parameterCount);
    for (int d : arch.features.shape())
        std::fprintf(stderr, " %d", d);
    std::fprintf(stderr, " threads %d\n", threads);

    std::vector<double> times, cpuMs;  // CPU time (all threads) tells load apart from work on a busy machine
    for (int b = 0; b < warmup + batches; ++b) {
        const std::size_t begin = std::size_t(b % distinct) * std::size_t(batchSize);
        const double t0 = bench::now(), c0 = cpuSeconds();
        auto out = step->train(data, order, begin, begin + std::size_t(batchSize));
        const double dt = bench::now() - t0, dc = cpuSeconds() - c0;
        if (!out) {
            std::fprintf(stderr, "%s\n", out.error().describe().c_str());
            return 1;
        }
        if (b >= warmup) {
            times.push_back(dt);
            cpuMs.push_back(dc * 1e3);
        }
        std::fprintf(stderr, "# batch %d %.1f ms loss %.4f%s\n", b, dt * 1e3, out->loss, b < warmup ? " (warm-up)" : "");
    }

    double total = 0.0;
    std::vector<double> rates, ms;
    for (double t : times) {
        total += t;
        rates.push_back(batchSize / t);
        ms.push_back(t * 1e3);
    }
    const double sps = batchSize * double(times.size()) / total;
    const std::string common = "batches=" + std::to_string(times.size());
    bench::result("train." + m + ".samples_per_s", sps, "samples/s",
                  bench::spread(rates) + " " + common + " bs=" + std::to_string(batchSize) + " threads=" +
                      std::to_string(threads) + " arch=" + arch.id + " path=ml::TrainingStep");
    bench::result("train." + m + ".batch_ms", bench::median(ms), "ms",
                  bench::spread(ms) + " " + common + " cpu_ms=" + bench::format(bench::median(cpuMs)));
    if (const double flops = trainFlops(m); flops > 0.0)
        bench::result("train." + m + ".gflops_achieved", flops * batchSize / (total / double(times.size())) / 1e9,
                      "GFLOP/s", "note=conv+dense_train_flops/time");

    if (evalBatches > 0) {
        const std::size_t n = std::min<std::size_t>(rows, std::size_t(evalBatches) * std::size_t(batchSize));
        const std::vector<std::size_t> evalRows(order.begin(), order.begin() + std::ptrdiff_t(n));
        const std::vector<std::size_t> warmRows(order.begin(), order.begin() + std::ptrdiff_t(std::min<std::size_t>(n, batchSize)));
        if (auto warm = step->validate(data, warmRows); !warm) {
            std::fprintf(stderr, "%s\n", warm.error().describe().c_str());
            return 1;
        }
        const double t0 = bench::now();
        auto pass = step->validate(data, evalRows);
        const double dt = bench::now() - t0;
        if (!pass) {
            std::fprintf(stderr, "%s\n", pass.error().describe().c_str());
            return 1;
        }
        bench::result("eval." + m + ".samples_per_s", double(n) / dt, "samples/s",
                      "rows=" + std::to_string(n) + " note=trainer_validation_pass_with_loss");
    }

    bench::result("train." + m + ".peak_rss_inproc", maxRssMiB(), "MiB", "note=getrusage_maxrss");
    const double epoch = double(epochSamples) / sps;
    bench::result("estimate." + m + ".epoch" + std::to_string(epochSamples) + "_s", epoch, "s", "basis=train_samples_per_s");
    if (epochs > 0)
        bench::result("estimate." + m + "." + std::to_string(epochs) + "epochs_min", epochs * epoch / 60.0, "min",
                      "basis=train_samples_per_s");
    return 0;
}
