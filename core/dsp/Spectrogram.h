#pragma once
// A time × frequency matrix of magnitudes (or dB values), row-major: frames rows, bins columns.
#include <cstddef>
#include <vector>

namespace ts::dsp {

struct Spectrogram {
    int frames = 0;
    int bins = 0;
    std::vector<float> values;  // frames * bins

    float at(int frame, int bin) const { return values[std::size_t(frame) * std::size_t(bins) + std::size_t(bin)]; }
};

} // namespace ts::dsp
