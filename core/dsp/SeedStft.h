#pragma once
// The seed's spectrogram, exactly: tf.signal.stft(frame_length=255, frame_step=128) then abs().
// No centring or padding of the signal, each 255-sample frame zero-padded at the end to 256,
// symmetric Hann (TensorFlow's periodic Hann of odd length 255 uses the denominator 254, which is
// the symmetric window), linear magnitude. A 64,000-sample clip gives 499 frames × 129 bins.
// Built on FFTW3 with the plan made once; compute() is safe to call from several threads.
#include <cstddef>
#include <memory>

#include "dsp/Spectrogram.h"

namespace ts::dsp {

class SeedStft {
public:
    static constexpr int kFrameLength = 255;
    static constexpr int kHop = 128;
    static constexpr int kFftSize = 256;
    static constexpr int kBins = kFftSize / 2 + 1;  // 129

    SeedStft();
    ~SeedStft();
    SeedStft(const SeedStft&) = delete;
    SeedStft& operator=(const SeedStft&) = delete;

    static int frameCount(std::size_t samples);  // 499 for 64,000

    Spectrogram compute(const float* samples, std::size_t count) const;
    // Writes frameCount(count) * kBins floats to out.
    void computeInto(const float* samples, std::size_t count, float* out) const;

private:
    struct Impl;  // FFTW stays out of this header
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::dsp
