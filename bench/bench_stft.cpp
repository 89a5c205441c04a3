// STFT featurisation throughput of ts::dsp::SeedStft, with the figure names of our peer's torch.stft
// (bench/peer/seed_stft.py, impl py-torch-stft) so `grep ^RESULT` lines them up:
//   stft.per_clip.tT  one clip per call, T threads each taking the next clip
//   stft.batchB.tT    one call per batch of B clips, the batch split over T threads
// and, for the peer's check against its float64 reference, the spectrogram of its test clip:
//   bench_stft --clip $RESULTS/testclip.f32 --write-spec $RESULTS/spec_app.f32
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "BenchArgs.h"
#include "audio/AudioFile.h"
#include "dsp/SeedStft.h"
#include "util/AtomicFile.h"

using ts::dsp::SeedStft;

namespace {

constexpr std::size_t kClip = ts::audio::kModelFrames;

struct Options {
    int n = 1024;
    int reps = 3;
    int batch = 32;
    std::vector<int> threads = {2, 1};
    std::string clip;
    std::string writeSpec;
};

double seconds()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Runs work(worker) on `threads` threads (inline for one) and waits for all.
template <typename Work>
void onThreads(int threads, Work work)
{
    if (threads <= 1) {
        work(0);
        return;
    }
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(work, t);
    for (auto& th : pool)
        th.join();
}

double perClipRate(const SeedStft& stft, const std::vector<float>& clips, int n, int threads)
{
    std::atomic<int> next{0};
    const double t0 = seconds();
    onThreads(threads, [&](int) {
        for (int i = next++; i < n; i = next++) {
            const ts::dsp::Spectrogram s = stft.compute(clips.data() + std::size_t(i) * kClip, kClip);
            if (s.frames != 499)
                std::abort();
        }
    });
    return n / (seconds() - t0);
}

double batchRate(const SeedStft& stft, const std::vector<float>& clips, int n, int batch, int threads)
{
    const std::size_t perClip = std::size_t(SeedStft::frameCount(kClip)) * SeedStft::kBins;
    const double t0 = seconds();
    for (int first = 0; first < n; first += batch) {
        const int count = std::min(batch, n - first);
        std::vector<float> out(std::size_t(count) * perClip);  // a fresh batch result, as the peer returns
        std::atomic<int> next{0};
        onThreads(threads, [&](int) {
            for (int i = next++; i < count; i = next++)
                stft.computeInto(clips.data() + std::size_t(first + i) * kClip, kClip, out.data() + std::size_t(i) * perClip);
        });
    }
    return n / (seconds() - t0);
}

void printResult(const std::string& figure, std::vector<double> rates, int n)
{
    std::sort(rates.begin(), rates.end());
    const std::size_t k = rates.size();
    const double median = k % 2 ? rates[k / 2] : 0.5 * (rates[k / 2 - 1] + rates[k / 2]);
    std::printf("RESULT impl=app figure=%s value=%.2f unit=clips/s spread=%.2f..%.2f reps=%zu n=%d\n",
                figure.c_str(), median, rates.front(), rates.back(), k, n);
    std::fflush(stdout);
}

int writeSpectrogram(const Options& o)
{
    std::string bytes;
    auto clip = ts::readWholeFile(o.clip);
    if (!clip.ok()) {
        std::fprintf(stderr, "%s\n", clip.error().describe().c_str());
        return 1;
    }
    if (clip->size() != kClip * sizeof(float)) {
        std::fprintf(stderr, "%s: expected %zu float32 samples (%zu bytes), found %zu bytes\n", o.clip.c_str(), kClip,
                     kClip * sizeof(float), clip->size());
        return 1;
    }
    std::vector<float> x(kClip);
    std::memcpy(x.data(), clip->data(), clip->size());  // little-endian float32, as numpy's "<f4" (x86)
    SeedStft stft;
    const ts::dsp::Spectrogram s = stft.compute(x.data(), x.size());
    const ts::Status st = ts::writeFileAtomically(o.writeSpec, s.values.data(), s.values.size() * sizeof(float));
    if (!st.ok()) {
        std::fprintf(stderr, "%s\n", st.error().describe().c_str());
        return 1;
    }
    std::fprintf(stderr, "# wrote %d x %d float32 spectrogram to %s\n", s.frames, s.bins, o.writeSpec.c_str());
    return 0;
}

int usage()
{
    std::fprintf(stderr,
                 "usage: bench_stft [--n 1024] [--reps 3] [--batch 32] [--threads 2,1]\n"
                 "       bench_stft --clip TESTCLIP.f32 --write-spec SPEC.f32   (499x129 float32, frame-major)\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    const bool parsed = bench::Args()
                            .add("--n", o.n)
                            .add("--reps", o.reps)
                            .add("--batch", o.batch)
                            .add("--threads", o.threads)
                            .add("--clip", o.clip)
                            .add("--write-spec", o.writeSpec)
                            .parse(argc, argv);
    if (!parsed)
        return usage();
    if (!o.clip.empty() || !o.writeSpec.empty()) {
        if (o.clip.empty() || o.writeSpec.empty())
            return usage();
        return writeSpectrogram(o);
    }
    if (o.n <= 0 || o.reps <= 0 || o.batch <= 0 || o.threads.empty())
        return usage();

    // Uniform noise in [-1, 1), as the peer's random_clips.
    std::vector<float> clips(std::size_t(o.n) * kClip);
    std::mt19937 rng(0);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (float& v : clips)
        v = u(rng);

    const double planStart = seconds();
    SeedStft stft;
    std::fprintf(stderr, "# plan made in %.1f ms\n", 1e3 * (seconds() - planStart));
    for (int threads : o.threads) {
        perClipRate(stft, clips, std::min(o.n, 16), threads);  // warm-up: thread buffers, caches
        std::vector<double> perClip, batched;
        for (int r = 0; r < o.reps; ++r)
            batched.push_back(batchRate(stft, clips, o.n, o.batch, threads));
        for (int r = 0; r < o.reps; ++r)
            perClip.push_back(perClipRate(stft, clips, o.n, threads));
        printResult("stft.batch" + std::to_string(o.batch) + ".t" + std::to_string(threads), batched, o.n);
        printResult("stft.per_clip.t" + std::to_string(threads), perClip, o.n);
    }
    return 0;
}
