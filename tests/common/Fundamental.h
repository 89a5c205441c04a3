#pragma once
// The fundamental of a rendered 16 kHz note by autocorrelation over 0.5-2.5 s: the first lag whose
// correlation comes within 10 % of the best one (a period, not a multiple of it), refined by a
// parabola. Lags minLag..maxLag (default 3..420: 5.3 kHz down to 38 Hz). Used by the renderer tests.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace ts::test {

inline double fundamentalHz(const std::vector<float>& x, int minLag = 3, int maxLag = 420)
{
    const std::size_t begin = 8000, end = 40000;
    if (x.size() < end + std::size_t(maxLag) + 2)
        return 0.0;
    std::vector<double> r(std::size_t(maxLag) + 2, 0.0);
    for (int lag = minLag - 1; lag <= maxLag + 1; ++lag)
        for (std::size_t i = begin; i < end; ++i)
            r[std::size_t(lag)] += double(x[i]) * double(x[i + std::size_t(lag)]);
    double best = 0.0;
    for (int lag = minLag; lag <= maxLag; ++lag)
        best = std::max(best, r[std::size_t(lag)]);
    for (int lag = minLag; lag <= maxLag; ++lag) {
        const double a = r[std::size_t(lag - 1)], b = r[std::size_t(lag)], c = r[std::size_t(lag + 1)];
        if (b >= 0.9 * best && b >= a && b >= c) {
            const double shift = (a - c) / (2.0 * (a - 2.0 * b + c));
            return 16000.0 / (lag + shift);
        }
    }
    return 0.0;
}

// How far the note's fundamental is from MIDI `pitch`, in semitones (99 when none is found).
inline double semitonesOff(const std::vector<float>& x, int pitch)
{
    const double hz = fundamentalHz(x);
    return hz > 0.0 ? 12.0 * std::log2(hz / (440.0 * std::pow(2.0, (pitch - 69) / 12.0))) : 99.0;
}

} // namespace ts::test
