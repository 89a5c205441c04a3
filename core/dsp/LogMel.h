#pragma once
// Log-mel spectrogram for timbre-net and the UI: STFT (periodic Hann, centred frames, zeros outside
// the signal) → power → triangular mel filterbank (Slaney-style mel scale, triangles of peak 1) →
// dB with a floor, relative to a fixed reference of 1.0 (so levels are comparable between notes).
// The STFT is scaled by 2 / sum(window), so a sine of amplitude 1 reads about 0 dB in the band
// centred on it (-1.5 to +1.8 dB, depending on where it falls between bins: the Hann main lobe
// spreads its power over three bins), whatever fftSize is.
// FFTW plan made once, thread-safe. Out-of-range settings are clamped to something that works.
#include <cstddef>
#include <memory>
#include <string>

#include "dsp/Spectrogram.h"

namespace ts::dsp {

struct LogMelSettings {
    int sampleRate = 16000;
    // 512 (32 ms): bins of 31 Hz are still finer than the lowest mel bands (about 46 Hz apart for
    // 64 bands), and it halves the FFT work of 1024, the largest cost per note (measured).
    int fftSize = 512;
    int hop = 256;        // 64,000 samples → 251 frames (centred)
    int bands = 64;
    float minHz = 20.0f;
    float maxHz = 8000.0f;
    float floorDb = -100.0f;  // values below are clamped here

    int frameCount(std::size_t samples) const;  // 1 + samples / hop (centred frames)
    std::string key() const;                    // a stable string used in cache fingerprints
};

class LogMel {
public:
    explicit LogMel(LogMelSettings settings = {});
    ~LogMel();
    LogMel(const LogMel&) = delete;
    LogMel& operator=(const LogMel&) = delete;

    const LogMelSettings& settings() const;
    Spectrogram compute(const float* samples, std::size_t count) const;  // frames × bands, dB
    void computeInto(const float* samples, std::size_t count, float* out) const;
    // Centre frequency in Hz of each band, low to high (for axis labels).
    double bandCentreHz(int band) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Mel scale helpers (Slaney: linear below 1 kHz, logarithmic above), used by views too.
double hzToMel(double hz);
double melToHz(double mel);

} // namespace ts::dsp
