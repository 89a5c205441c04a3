#pragma once
// The min/max envelope a waveform plot draws: for any sample range split into N pixel columns, the
// lowest and highest sample of each column. A summary of every 256-sample block is made once, so a
// column over many samples reads blocks instead of samples: 64,000 or 10 million samples cost about
// the same to draw, and the number of points drawn depends on the width only.
#include <cstddef>
#include <memory>
#include <vector>

namespace ts::ui {

class WaveformEnvelope {
public:
    static constexpr std::size_t kBlockSize = 256;

    struct Extent {
        float min = 0.0f;
        float max = 0.0f;
    };

    WaveformEnvelope() = default;
    explicit WaveformEnvelope(std::shared_ptr<const std::vector<float>> samples);

    std::size_t sampleCount() const { return m_samples ? m_samples->size() : 0; }
    const std::vector<float>& samples() const;

    // The extent of samples [first, last) split into `columns` equal parts (first column first).
    // Exact: every sample counts. A range shorter than `columns` gives one column per sample.
    std::vector<Extent> columns(std::size_t first, std::size_t last, int columns) const;
    // The extent of samples [first, last) as one column.
    Extent extent(std::size_t first, std::size_t last) const;

private:
    std::shared_ptr<const std::vector<float>> m_samples;
    std::vector<Extent> m_blocks;  // extent of each whole kBlockSize block
};

} // namespace ts::ui
