#include "dsp/SeedStft.h"

#include <fftw3.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "dsp/FftwPlannerLock.h"

namespace ts::dsp {

namespace {

// Frames transformed by one FFTW call (a plan_many "howmany"). Measured with bench_stft and a bare
// FFTW loop on this machine: howmany 4, 8, 16 and 64 were no faster than 1 for a 256-point r2c
// (FFTW_MEASURE picks a plan 20 % slower per frame for batches), so frames go one per call.
constexpr int kBatch = 1;

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

// |re + i·im| for `count` interleaved complex values. std::sqrt keeps errno semantics, which stops
// the compiler from vectorising the loop (a scalar sqrt per bin cost about as much as the FFT);
// re² + im² is never negative, so the SSE2 square root (baseline on x86-64) gives the same values.
void magnitudes(const float* interleaved, std::size_t count, float* out)
{
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 4 <= count; i += 4) {
        const __m128 a = _mm_loadu_ps(interleaved + 2 * i);      // re0 im0 re1 im1
        const __m128 b = _mm_loadu_ps(interleaved + 2 * i + 4);  // re2 im2 re3 im3
        const __m128 re = _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0));
        const __m128 im = _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1));
        _mm_storeu_ps(out + i, _mm_sqrt_ps(_mm_add_ps(_mm_mul_ps(re, re), _mm_mul_ps(im, im))));
    }
#endif
    for (; i < count; ++i) {
        const float re = interleaved[2 * i];
        const float im = interleaved[2 * i + 1];
        out[i] = std::sqrt(re * re + im * im);
    }
}

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
        importFftwWisdomOnce();
        plan = fftwf_plan_many_dft_r2c(1, n, kBatch, in, nullptr, 1, kFftSize, out, nullptr, 1, kBins, FFTW_MEASURE);
        saveFftwWisdomIfNew();
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
        magnitudes(&work.out[0][0], std::size_t(inBatch) * kBins, out + std::size_t(first) * kBins);
    }
}

} // namespace ts::dsp
