#include "dsp/SeedStft.h"

#include <fftw3.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "dsp/FftwPlannerLock.h"

namespace ts::dsp {

namespace {

// Frames transformed by one FFTW call. A batched plan lets FFTW vectorise across transforms,
// which for a 256-point FFT is faster than 499 separate single-frame calls (bench_stft shows it).
constexpr int kBatch = 16;

// Per-thread work buffers, allocated with fftwf_malloc so their alignment matches the buffers the
// plan was made on (a condition of fftwf_execute_dft_r2c on new arrays).
struct WorkBuffers {
    float* in = nullptr;
    fftwf_complex* out = nullptr;
    WorkBuffers()
        : in(static_cast<float*>(fftwf_malloc(sizeof(float) * kBatch * SeedStft::kFftSize))),
          out(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * kBatch * SeedStft::kBins)))
    {
        // Column kFrameLength (the zero padding to 256) is never written afterwards.
        std::memset(in, 0, sizeof(float) * kBatch * SeedStft::kFftSize);
    }
    ~WorkBuffers()
    {
        fftwf_free(in);
        fftwf_free(out);
    }
    WorkBuffers(const WorkBuffers&) = delete;
    WorkBuffers& operator=(const WorkBuffers&) = delete;
};

WorkBuffers& threadBuffers()
{
    thread_local WorkBuffers buffers;
    return buffers;
}

} // namespace

struct SeedStft::Impl {
    fftwf_plan plan = nullptr;
    // Symmetric Hann: TensorFlow's hann_window(255, periodic=True) divides by 254 for odd lengths.
    std::array<float, kFrameLength> window{};

    Impl()
    {
        for (int n = 0; n < kFrameLength; ++n)
            window[std::size_t(n)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * n / double(kFrameLength - 1)));
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        // Planned on scratch buffers (FFTW_MEASURE overwrites them) with the same alignment
        // fftwf_malloc gives the per-thread buffers.
        float* in = static_cast<float*>(fftwf_malloc(sizeof(float) * kBatch * kFftSize));
        fftwf_complex* out = static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * kBatch * kBins));
        const int n[] = {kFftSize};
        plan = fftwf_plan_many_dft_r2c(1, n, kBatch, in, nullptr, 1, kFftSize, out, nullptr, 1, kBins, FFTW_MEASURE);
        fftwf_free(in);
        fftwf_free(out);
    }

    ~Impl()
    {
        std::lock_guard<std::mutex> lock(fftwPlannerMutex());
        fftwf_destroy_plan(plan);
    }
};

SeedStft::SeedStft() : m_impl(std::make_unique<Impl>()) {}
SeedStft::~SeedStft() = default;

int SeedStft::frameCount(std::size_t samples)
{
    // No padding: a signal shorter than one frame has no frame at all, as in tf.signal.stft.
    if (samples < std::size_t(kFrameLength))
        return 0;
    return 1 + int((samples - std::size_t(kFrameLength)) / std::size_t(kHop));
}

Spectrogram SeedStft::compute(const float* samples, std::size_t count) const
{
    Spectrogram s;
    s.frames = frameCount(count);
    s.bins = kBins;
    s.values.resize(std::size_t(s.frames) * kBins);
    computeInto(samples, count, s.values.data());
    return s;
}

void SeedStft::computeInto(const float* samples, std::size_t count, float* out) const
{
    const int frames = frameCount(count);
    WorkBuffers& work = threadBuffers();
    const float* window = m_impl->window.data();
    for (int first = 0; first < frames; first += kBatch) {
        const int inBatch = std::min(kBatch, frames - first);
        for (int b = 0; b < kBatch; ++b) {
            float* dst = work.in + std::size_t(b) * kFftSize;
            if (b < inBatch) {
                const float* src = samples + std::size_t(first + b) * kHop;
                for (int k = 0; k < kFrameLength; ++k)
                    dst[k] = src[k] * window[k];
            } else {
                std::fill(dst, dst + kFrameLength, 0.0f);  // keeps the unused transforms finite
            }
        }
        fftwf_execute_dft_r2c(m_impl->plan, work.in, work.out);
        const float* spectrum = &work.out[0][0];
        float* row = out + std::size_t(first) * kBins;
        const std::size_t values = std::size_t(inBatch) * kBins;
        for (std::size_t i = 0; i < values; ++i) {
            const float re = spectrum[2 * i];
            const float im = spectrum[2 * i + 1];
            row[i] = std::sqrt(re * re + im * im);
        }
    }
}

} // namespace ts::dsp
