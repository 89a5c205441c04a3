#pragma once
// FNV-1a, 64 bit: a fast, portable hash for cache keys (dataset fingerprints, feature settings).
// A key only has to change when its input changes, not resist an attacker.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace ts {

class Fnv1a {
public:
    void add(const void* data, std::size_t size)
    {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < size; ++i) {
            m_hash ^= p[i];
            m_hash *= 0x100000001b3ULL;
        }
    }
    template <typename T>
    void addValue(T value) { add(&value, sizeof value); }
    // Length first, so ("ab","c") and ("a","bc") hash differently.
    void addString(std::string_view s)
    {
        addValue(std::uint64_t(s.size()));
        add(s.data(), s.size());
    }
    std::uint64_t value() const { return m_hash; }
    std::string hex() const
    {
        char text[17];
        std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(m_hash));
        return text;
    }

private:
    std::uint64_t m_hash = 0xcbf29ce484222325ULL;
};

} // namespace ts
