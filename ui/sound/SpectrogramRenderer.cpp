#include "ui/sound/SpectrogramRenderer.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ts::ui {
namespace {

// How one output row or column reads the data: interpolate between lo and lo+1 at frac, or take
// the loudest of lo..hi inclusive when the pixel covers more than one source cell.
struct CellSpan {
    int lo = 0;
    int hi = 0;
    float frac = 0.0f;
    bool pooled = false;
};

// Positions are in cell units (cell i is centred on i); from..to is the pixel's extent.
CellSpan spanFor(double centre, double from, double to, int count)
{
    CellSpan span;
    const int last = count - 1;
    if (to - from > 1.0) {
        span.pooled = true;
        span.lo = std::clamp(int(std::lround(from)), 0, last);
        span.hi = std::clamp(int(std::lround(to)), span.lo, last);
        return span;
    }
    const double c = std::clamp(centre, 0.0, double(last));
    span.lo = std::min(int(c), std::max(0, last - 1));
    span.hi = std::min(span.lo + 1, last);
    span.frac = float(c - span.lo);
    return span;
}

} // namespace

SpectrogramRenderer::SpectrogramRenderer(SpectrogramData data) : m_data(std::move(data)) {}

void SpectrogramRenderer::setData(SpectrogramData data)
{
    m_data = std::move(data);
}

FrequencyAxis SpectrogramRenderer::frequencyAxis(const SpectrogramRenderSettings& settings) const
{
    const double nyquist = m_data.sampleRate > 0 ? m_data.nyquistHz() : 8000.0;
    const double maxHz = settings.maxHz > 0.0 ? std::min(settings.maxHz, nyquist) : nyquist;
    return FrequencyAxis(settings.scale, settings.minHz, maxHz);
}

std::pair<double, double> SpectrogramRenderer::timeRange(const SpectrogramRenderSettings& settings) const
{
    if (settings.endSeconds > settings.startSeconds)
        return {settings.startSeconds, settings.endSeconds};
    return {0.0, std::max(m_data.durationSeconds, 1e-3)};
}

double SpectrogramRenderer::binPosition(double hz) const
{
    const std::vector<double>& f = m_data.binHz;
    if (f.size() < 2 || hz <= f.front())
        return 0.0;
    if (hz >= f.back())
        return double(f.size() - 1);
    const auto upper = std::upper_bound(f.begin(), f.end(), hz);
    const std::size_t j = std::size_t(upper - f.begin()) - 1;
    return double(j) + (hz - f[j]) / (f[j + 1] - f[j]);
}

QImage SpectrogramRenderer::render(const SpectrogramRenderSettings& settings, QSize size) const
{
    const int width = std::max(1, size.width());
    const int height = std::max(1, size.height());
    QImage image(width, height, QImage::Format_RGB32);
    const ColourMap colourMap(settings.colourMap);
    const auto& table = colourMap.table();
    if (m_data.isEmpty() || int(m_data.binHz.size()) != m_data.levels.bins) {
        image.fill(table.front());
        return image;
    }
    const int frames = m_data.levels.frames;
    const int bins = m_data.levels.bins;

    // Rows: the bin span between each row's lower and upper edge frequencies.
    const FrequencyAxis axis = frequencyAxis(settings);
    std::vector<CellSpan> rows(static_cast<std::size_t>(height));
    for (int y = 0; y < height; ++y) {
        const double top = binPosition(axis.frequencyAtRow(y - 0.5, height));
        const double bottom = binPosition(axis.frequencyAtRow(y + 0.5, height));
        const double centre = binPosition(axis.frequencyAtRow(y, height));
        rows[std::size_t(y)] = spanFor(centre, bottom, top, bins);
    }

    // dB → table index, as one multiply-add per pixel.
    const double range = std::max(1e-6, settings.ceilingDb - settings.floorDb);
    const float scale = float((ColourMap::kTableSize - 1) / range);
    const float offset = float(-settings.floorDb * (ColourMap::kTableSize - 1) / range);

    const auto [t0, t1] = timeRange(settings);
    const double framesPerColumn = (t1 - t0) / width / m_data.secondsPerFrame;
    std::vector<float> column(static_cast<std::size_t>(bins));
    // Written through bits() once: scanLine() per pixel would re-check for a detach every time.
    QRgb* pixels = reinterpret_cast<QRgb*>(image.bits());
    const std::size_t stride = std::size_t(image.bytesPerLine()) / sizeof(QRgb);
    for (int x = 0; x < width; ++x) {
        // Frame positions of the column's left edge, centre and right edge (frame i sits at i).
        const double left = (t0 + (t1 - t0) * x / width) / m_data.secondsPerFrame;
        const double centre = left + 0.5 * framesPerColumn;
        const CellSpan span = spanFor(centre, left, left + framesPerColumn, frames);
        const bool outside = centre < -0.5 || centre > frames - 0.5;
        const float* a = m_data.levels.values.data() + std::size_t(span.lo) * std::size_t(bins);
        if (span.pooled) {
            std::copy(a, a + bins, column.begin());
            for (int f = span.lo + 1; f <= span.hi; ++f) {
                const float* r = m_data.levels.values.data() + std::size_t(f) * std::size_t(bins);
                for (int b = 0; b < bins; ++b)
                    column[std::size_t(b)] = std::max(column[std::size_t(b)], r[b]);
            }
        } else {
            const float* b1 = m_data.levels.values.data() + std::size_t(span.hi) * std::size_t(bins);
            for (int b = 0; b < bins; ++b)
                column[std::size_t(b)] = a[b] + (b1[b] - a[b]) * span.frac;
        }
        for (int y = 0; y < height; ++y) {
            QRgb& pixel = pixels[std::size_t(y) * stride + std::size_t(x)];
            if (outside) {
                pixel = table.front();
                continue;
            }
            const CellSpan& r = rows[std::size_t(y)];
            float v;
            if (r.pooled) {
                v = column[std::size_t(r.lo)];
                for (int b = r.lo + 1; b <= r.hi; ++b)
                    v = std::max(v, column[std::size_t(b)]);
            } else {
                v = column[std::size_t(r.lo)] + (column[std::size_t(r.hi)] - column[std::size_t(r.lo)]) * r.frac;
            }
            const int index = std::clamp(int(v * scale + offset + 0.5f), 0, ColourMap::kTableSize - 1);
            pixel = table[std::size_t(index)];
        }
    }
    return image;
}

std::optional<double> SpectrogramRenderer::levelAt(double seconds, double hz) const
{
    if (m_data.isEmpty() || seconds < 0.0 || seconds > m_data.durationSeconds || hz < 0.0 || hz > m_data.nyquistHz())
        return std::nullopt;
    const int frame = std::clamp(int(std::lround(seconds / m_data.secondsPerFrame)), 0, m_data.levels.frames - 1);
    const int bin = std::clamp(int(std::lround(binPosition(hz))), 0, m_data.levels.bins - 1);
    return double(m_data.levels.at(frame, bin));
}

} // namespace ts::ui
