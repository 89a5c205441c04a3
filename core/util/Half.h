#pragma once
// IEEE 754 binary16 ("half") storage for large float arrays (the timbre-net feature cache: half
// the disk and page cache of float32, ~3 significant digits, which a log-mel in dB never needs
// more of). Conversion to half rounds to nearest, ties to even; infinities and NaN survive.
#include <cstddef>
#include <cstdint>

namespace ts {

std::uint16_t floatToHalf(float value);
float halfToFloat(std::uint16_t half);

// Whole arrays: `count` values from `in` to `out`.
void floatsToHalves(const float* in, std::size_t count, std::uint16_t* out);
void halvesToFloats(const std::uint16_t* in, std::size_t count, float* out);
// Each value replaced by the float its half stands for (what storing as half and reading back gives).
void roundToHalves(float* values, std::size_t count);

} // namespace ts
