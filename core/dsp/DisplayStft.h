#pragma once
// The spectrogram the views draw (not a model input): a finer STFT than the seed's, n_fft 1024 and
// hop 128 at 16 kHz (64 ms window, 8 ms step) with a periodic Hann window and centred frames, in dB
// relative to a full-scale sine (a sine of amplitude 1 on a bin centre reads 0 dB). Centred frames
// put frame i's centre at i * hop / sampleRate seconds, so time axes need no half-window offset.
// Built on FFTW3 (kept out of this header); computeDisplayStft is safe to call from several threads.
#include <cstddef>

#include "dsp/Spectrogram.h"

namespace ts::dsp {

struct DisplayStftSettings {
    int sampleRate = 16000;
    int fftSize = 1024;
    int hop = 128;
    float floorDb = -120.0f;  // quieter bins (and digital silence) are clamped here

    int bins() const { return fftSize / 2 + 1; }
    int frameCount(std::size_t samples) const { return 1 + int(samples / std::size_t(hop)); }
    double binHz(int bin) const { return double(bin) * sampleRate / fftSize; }
    double frameSeconds(int frame) const { return double(frame) * hop / sampleRate; }
};

// The hop that keeps a long signal to at most maxFrames frames (never below minHop), so that a
// 10-minute file gives a spectrogram of bounded size while a 4 s note keeps the 128-sample hop.
int displayHopFor(std::size_t samples, int maxFrames = 8192, int minHop = 128);

// frames × bins dB values. An empty signal gives one frame of floor values (a centred frame exists
// at t = 0 even then), so callers never special-case it.
Spectrogram computeDisplayStft(const float* samples, std::size_t count, const DisplayStftSettings& settings = {});

} // namespace ts::dsp
