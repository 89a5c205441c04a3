#pragma once
// A float buffer from fftwf_malloc (aligned for FFTW's SIMD paths), freed when it goes out of scope.
// Used inside core/dsp only; FFTW types never reach a public header.
#include <fftw3.h>

#include <cstddef>

namespace ts::dsp {

struct FftwFloats {
    float* data;
    explicit FftwFloats(std::size_t n) : data(static_cast<float*>(fftwf_malloc(sizeof(float) * n))) {}
    ~FftwFloats() { fftwf_free(data); }
    FftwFloats(const FftwFloats&) = delete;
    FftwFloats& operator=(const FftwFloats&) = delete;
};

} // namespace ts::dsp
