#include "ui/sound/WaveformEnvelope.h"

#include <algorithm>

namespace ts::ui {

WaveformEnvelope::WaveformEnvelope(std::shared_ptr<const std::vector<float>> samples) : m_samples(std::move(samples))
{
    if (!m_samples)
        return;
    const std::vector<float>& s = *m_samples;
    const std::size_t blocks = s.size() / kBlockSize;
    m_blocks.resize(blocks);
    for (std::size_t b = 0; b < blocks; ++b) {
        const auto [lo, hi] = std::minmax_element(s.begin() + std::ptrdiff_t(b * kBlockSize),
                                                  s.begin() + std::ptrdiff_t((b + 1) * kBlockSize));
        m_blocks[b] = Extent{*lo, *hi};
    }
}

const std::vector<float>& WaveformEnvelope::samples() const
{
    static const std::vector<float> none;
    return m_samples ? *m_samples : none;
}

WaveformEnvelope::Extent WaveformEnvelope::extent(std::size_t first, std::size_t last) const
{
    const std::vector<float>& s = samples();
    last = std::min(last, s.size());
    if (first >= last)
        return {};
    Extent e{s[first], s[first]};
    auto addSamples = [&](std::size_t from, std::size_t to) {
        for (std::size_t i = from; i < to; ++i) {
            e.min = std::min(e.min, s[i]);
            e.max = std::max(e.max, s[i]);
        }
    };
    // Loose samples up to the first whole block, whole blocks, then the loose tail.
    const std::size_t firstBlock = (first + kBlockSize - 1) / kBlockSize;
    const std::size_t endBlock = last / kBlockSize;
    if (firstBlock >= endBlock) {
        addSamples(first, last);
        return e;
    }
    addSamples(first, firstBlock * kBlockSize);
    for (std::size_t b = firstBlock; b < endBlock; ++b) {
        e.min = std::min(e.min, m_blocks[b].min);
        e.max = std::max(e.max, m_blocks[b].max);
    }
    addSamples(endBlock * kBlockSize, last);
    return e;
}

std::vector<WaveformEnvelope::Extent> WaveformEnvelope::columns(std::size_t first, std::size_t last, int columns) const
{
    last = std::min(last, sampleCount());
    std::vector<Extent> result;
    if (first >= last || columns <= 0)
        return result;
    const std::size_t span = last - first;
    const std::size_t n = std::min(span, std::size_t(columns));
    result.reserve(n);
    for (std::size_t c = 0; c < n; ++c) {
        const std::size_t a = first + span * c / n;
        const std::size_t b = first + span * (c + 1) / n;
        result.push_back(extent(a, b));
    }
    return result;
}

} // namespace ts::ui
