#pragma once
// Turns a SpectrogramData into a QImage of any size: a time range across, a frequency range on a
// linear / logarithmic / mel axis up, dB mapped through a colour map between a floor and a ceiling.
// A plain class (no widget), so tests and benchmarks call it directly. Where a pixel spans several
// frames or bins the loudest one is drawn (a short click or a narrow partial never disappears when
// zoomed out); where it spans less than one, neighbouring values are interpolated.
#include <QImage>
#include <QSize>

#include <optional>

#include "ui/sound/ColourMap.h"
#include "ui/sound/FrequencyAxis.h"
#include "ui/sound/SpectrogramData.h"

namespace ts::ui {

struct SpectrogramRenderSettings {
    FrequencyScale scale = FrequencyScale::Linear;
    double minHz = 0.0;
    double maxHz = 0.0;         // 0: the data's Nyquist frequency
    double floorDb = -100.0;    // drawn as the colour map's lowest colour, and everything below
    double ceilingDb = 0.0;     // drawn as its highest colour, and everything above
    ColourMap::Kind colourMap = ColourMap::Kind::Viridis;
    double startSeconds = 0.0;  // visible time range; end <= start means the whole signal
    double endSeconds = 0.0;
};

class SpectrogramRenderer {
public:
    SpectrogramRenderer() = default;
    explicit SpectrogramRenderer(SpectrogramData data);

    void setData(SpectrogramData data);
    const SpectrogramData& data() const { return m_data; }

    // The axis and time range a render with these settings uses (defaults resolved).
    FrequencyAxis frequencyAxis(const SpectrogramRenderSettings& settings) const;
    std::pair<double, double> timeRange(const SpectrogramRenderSettings& settings) const;

    // An RGB32 image of the given size; an empty spectrogram gives an image of the floor colour.
    QImage render(const SpectrogramRenderSettings& settings, QSize size) const;

    // The level of the frame and bin nearest to a time and frequency, or nothing outside the data.
    std::optional<double> levelAt(double seconds, double hz) const;

private:
    double binPosition(double hz) const;  // fractional bin index, clamped to the data

    SpectrogramData m_data;
};

} // namespace ts::ui
