#pragma once
// SplitMix64: a tiny random generator whose sequence is the same on every platform and standard
// library (std::shuffle and the std distributions are not), for everything that must come out the
// same on every machine: render plans, simulated recordings.
#include <cstdint>

namespace ts {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }

private:
    std::uint64_t m_state;
};

} // namespace ts
