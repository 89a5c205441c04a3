#pragma once
// The periodic Hann window (the usual choice for spectral analysis with overlapping frames),
// divided by sum(w) / 2 so levels do not depend on the FFT size: a sine of amplitude 1 on a bin
// centre reads magnitude 1 (0 dB). Shared by LogMel and OnsetDetector.
#include <cmath>
#include <vector>

namespace ts::dsp {

inline std::vector<float> scaledPeriodicHann(int n)
{
    std::vector<float> window(std::size_t(n > 0 ? n : 0));
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        window[std::size_t(i)] = float(0.5 - 0.5 * std::cos(2.0 * M_PI * i / n));
        sum += window[std::size_t(i)];
    }
    for (float& w : window)
        w = float(w / (sum / 2.0));
    return window;
}

} // namespace ts::dsp
