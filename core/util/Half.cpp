#include "util/Half.h"

#include <array>
#include <cstring>

namespace ts {

namespace {

std::uint32_t bitsOf(float value)
{
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    return bits;
}

float floatOf(std::uint32_t bits)
{
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

float convertHalf(std::uint16_t half)
{
    const std::uint32_t sign = std::uint32_t(half & 0x8000u) << 16;
    const std::uint32_t exponent = (half >> 10) & 0x1fu;
    std::uint32_t mantissa = half & 0x3ffu;
    if (exponent == 0x1f)  // infinity or NaN (the payload kept)
        return floatOf(sign | 0x7f800000u | (mantissa << 13));
    if (exponent != 0)
        return floatOf(sign | ((exponent + 112) << 23) | (mantissa << 13));
    if (mantissa == 0)
        return floatOf(sign);
    // Subnormal half: normalise into a float exponent.
    int shift = 0;
    while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        ++shift;
    }
    mantissa &= 0x3ffu;
    return floatOf(sign | (std::uint32_t(113 - shift) << 23) | (mantissa << 13));
}

// Every half's float, built once: reading a cached row is then one load per value.
const std::array<float, 65536>& halfTable()
{
    static const std::array<float, 65536> table = [] {
        std::array<float, 65536> t{};
        for (std::uint32_t h = 0; h < t.size(); ++h)
            t[h] = convertHalf(std::uint16_t(h));
        return t;
    }();
    return table;
}

} // namespace

std::uint16_t floatToHalf(float value)
{
    const std::uint32_t bits = bitsOf(value);
    const auto sign = std::uint16_t((bits >> 16) & 0x8000u);
    const std::uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude >= 0x7f800000u) {  // infinity or NaN (a NaN stays a NaN: its top bit is set)
        const std::uint32_t nan = magnitude > 0x7f800000u ? (0x200u | ((magnitude >> 13) & 0x3ffu)) : 0u;
        return std::uint16_t(sign | 0x7c00u | nan);
    }
    if (magnitude >= 0x477ff000u)  // rounds to 65520 or more: beyond the largest half
        return std::uint16_t(sign | 0x7c00u);
    if (magnitude < 0x38800000u) {  // below the smallest normal half (2^-14): a subnormal or zero
        if (magnitude < 0x33000000u)  // under half of the smallest subnormal (2^-25): rounds to zero
            return sign;
        const std::uint32_t exponent = magnitude >> 23;
        const std::uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
        const std::uint32_t shift = 126 - exponent;  // so the result counts units of 2^-24
        const std::uint32_t kept = mantissa >> shift;
        const std::uint32_t rest = mantissa & ((1u << shift) - 1u);
        const std::uint32_t halfway = 1u << (shift - 1);
        const std::uint32_t rounded = kept + ((rest > halfway || (rest == halfway && (kept & 1u))) ? 1u : 0u);
        return std::uint16_t(sign | rounded);
    }
    // Normal: rebias the exponent, keep 10 mantissa bits, round the other 13 to nearest even (a
    // carry out of the mantissa correctly bumps the exponent).
    const std::uint32_t rebased = magnitude - 0x38000000u;  // exponent bias 127 -> 15
    const std::uint32_t kept = rebased >> 13;
    const std::uint32_t rest = rebased & 0x1fffu;
    const std::uint32_t rounded = kept + ((rest > 0x1000u || (rest == 0x1000u && (kept & 1u))) ? 1u : 0u);
    return std::uint16_t(sign | rounded);
}

float halfToFloat(std::uint16_t half) { return halfTable()[half]; }

void floatsToHalves(const float* in, std::size_t count, std::uint16_t* out)
{
    for (std::size_t i = 0; i < count; ++i)
        out[i] = floatToHalf(in[i]);
}

void halvesToFloats(const std::uint16_t* in, std::size_t count, float* out)
{
    const auto& table = halfTable();
    for (std::size_t i = 0; i < count; ++i)
        out[i] = table[in[i]];
}

void roundToHalves(float* values, std::size_t count)
{
    const auto& table = halfTable();
    for (std::size_t i = 0; i < count; ++i)
        values[i] = table[floatToHalf(values[i])];
}

} // namespace ts
