#include "dsp/DisplayStft.h"

#include "dsp/FftwPlannerLock.h"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

namespace ts::dsp {
namespace {

// FFTW's planner is not thread-safe, but executing a plan on new arrays is; so plans are made once
// per size under core/dsp's one planner lock and kept for the life of the process (a handful of sizes).
struct FftPlan {
    fftwf_plan plan = nullptr;
};

fftwf_plan planFor(int fftSize)
{
    static std::map<int, FftPlan> plans;
    std::lock_guard<std::mutex> lock(fftwPlannerMutex());
    auto it = plans.find(fftSize);
    if (it != plans.end())
        return it->second.plan;
    float* in = fftwf_alloc_real(std::size_t(fftSize));
    fftwf_complex* out = fftwf_alloc_complex(std::size_t(fftSize / 2 + 1));
    fftwf_plan plan = fftwf_plan_dft_r2c_1d(fftSize, in, out, FFTW_ESTIMATE);
    fftwf_free(in);
    fftwf_free(out);
    plans[fftSize].plan = plan;
    return plan;
}

// Owns an FFTW-aligned buffer (new-array execution needs the plan's alignment, which fftwf_alloc gives).
template <typename T>
struct FftwBuffer {
    T* data = nullptr;
    explicit FftwBuffer(std::size_t n) : data(static_cast<T*>(fftwf_malloc(sizeof(T) * n))) {}
    ~FftwBuffer() { fftwf_free(data); }
    FftwBuffer(const FftwBuffer&) = delete;
    FftwBuffer& operator=(const FftwBuffer&) = delete;
};

} // namespace

int displayHopFor(std::size_t samples, int maxFrames, int minHop)
{
    const std::size_t frames = std::size_t(std::max(1, maxFrames));
    const std::size_t needed = (samples + frames - 1) / frames;
    return int(std::max<std::size_t>(std::size_t(std::max(1, minHop)), needed));
}

Spectrogram computeDisplayStft(const float* samples, std::size_t count, const DisplayStftSettings& settings)
{
    const int n = std::max(2, settings.fftSize - settings.fftSize % 2);
    const int hop = std::max(1, settings.hop);
    const int bins = n / 2 + 1;
    DisplayStftSettings s = settings;
    s.hop = hop;
    const int frames = s.frameCount(count);

    // Periodic Hann: the DFT-even window, which is what spectral analysis (not filter design) wants.
    std::vector<float> window(static_cast<std::size_t>(n));
    double windowSum = 0.0;
    for (int i = 0; i < n; ++i) {
        window[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
        windowSum += window[std::size_t(i)];
    }
    // A sine of amplitude A on a bin centre gives |X| = A * sum(w) / 2: scale so that reads A.
    const float toAmplitude = float(2.0 / windowSum);
    const float floorDb = settings.floorDb;
    const float floorPower = std::pow(10.0f, floorDb / 10.0f);

    Spectrogram result;
    result.frames = frames;
    result.bins = bins;
    result.values.assign(std::size_t(frames) * std::size_t(bins), floorDb);

    fftwf_plan plan = planFor(n);
    FftwBuffer<float> in{static_cast<std::size_t>(n)};
    FftwBuffer<fftwf_complex> out{static_cast<std::size_t>(bins)};
    const long long half = n / 2;
    const long long total = static_cast<long long>(count);
    for (int f = 0; f < frames; ++f) {
        // Centred frame: sample index start..start+n-1, zeros outside the signal.
        const long long start = static_cast<long long>(f) * hop - half;
        for (int i = 0; i < n; ++i) {
            const long long k = start + i;
            in.data[i] = (k >= 0 && k < total) ? samples[k] * window[std::size_t(i)] : 0.0f;
        }
        fftwf_execute_dft_r2c(plan, in.data, out.data);
        float* row = result.values.data() + std::size_t(f) * std::size_t(bins);
        for (int b = 0; b < bins; ++b) {
            const float re = out.data[b][0] * toAmplitude;
            const float im = out.data[b][1] * toAmplitude;
            const float power = re * re + im * im;
            row[b] = power > floorPower ? 10.0f * std::log10(power) : floorDb;
        }
    }
    return result;
}

} // namespace ts::dsp
