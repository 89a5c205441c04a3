#pragma once
// The drawing surface of a SpectrogramView: the spectrogram image in a plot area, a frequency axis
// on the left, a time axis below, a colour bar with dB labels on the right and the playhead. The
// visible time comes from a TimeRange and the time gestures are TimeAxisInteraction's. Hovering
// reports time, frequency, note name and level through hoverTextChanged().
#include <QImage>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

#include "ui/sound/SpectrogramRenderer.h"

namespace ts::ui {

class TimeAxisInteraction;
class TimeRange;

// What is under a point of the plot.
struct SpectrogramReadout {
    double seconds = 0.0;
    double hz = 0.0;
    QString noteName;             // "A4", or empty below the MIDI range
    int cents = 0;                // deviation from noteName, -50..50
    std::optional<double> levelDb;  // empty where there is no data (past the end)

    QString text() const;  // "1.250 s   440.0 Hz   A4 +0 ct   -12.3 dB"
};

// A heat map laid over the spectrogram (a model's saliency): frames × bands values from 0 to 1,
// frame f centred at f · secondsPerFrame, band b spanning bandLowHz[b] .. bandHighHz[b]. Drawn in
// translucent red, stronger where the value is larger (by its square root); values under 0.01 are
// not drawn.
struct SpectrogramOverlay {
    int frames = 0;
    int bands = 0;
    std::vector<float> values;  // row-major frames × bands
    double secondsPerFrame = 0.0;
    std::vector<double> bandLowHz, bandHighHz;
};

class SpectrogramCanvas : public QWidget {
    Q_OBJECT
public:
    explicit SpectrogramCanvas(QWidget* parent = nullptr);

    void setData(SpectrogramData data);
    const SpectrogramRenderer& renderer() const { return m_renderer; }
    bool hasData() const { return !m_renderer.data().isEmpty(); }

    // Frequency scale, colour map, floor/ceiling dB and range; startSeconds/endSeconds follow the
    // time range.
    void setRenderSettings(const SpectrogramRenderSettings& settings);
    const SpectrogramRenderSettings& renderSettings() const { return m_settings; }

    // The visible time, which zoom and pan gestures edit: this canvas's own range until another is
    // set (not owned; when it is deleted, or nullptr is set, the own range is used again). Its
    // duration is the owner's to set; the data does not change it.
    TimeRange* timeRange() const { return m_range; }
    void setTimeRange(TimeRange* range);

    void setPlayhead(double seconds);  // negative hides it
    // The heat map over the plot; null removes it.
    void setOverlay(std::shared_ptr<const SpectrogramOverlay> overlay);
    const std::shared_ptr<const SpectrogramOverlay>& overlay() const { return m_overlay; }
    // Text shown over the plot when there is no data ("No sound selected", "Computing…").
    void setPlaceholder(const QString& text);

    // The plot area in widget coordinates, and what lies under a widget point (nothing outside it).
    QRect plotRect() const;
    std::optional<SpectrogramReadout> readoutAt(QPointF position) const;

    QSize minimumSizeHint() const override { return {320, 160}; }
    QSize sizeHint() const override { return {800, 320}; }

Q_SIGNALS:
    // A click on the plot: play from there.
    void seekRequested(double seconds);
    // SpectrogramReadout::text() of the point under the pointer; empty when it leaves the plot.
    void hoverTextChanged(const QString& text);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void followRange();
    void drawFrequencyAxis(QPainter& painter, const QRect& plot, const FrequencyAxis& axis) const;
    void drawTimeAxis(QPainter& painter, const QRect& plot) const;
    void drawColourBar(QPainter& painter, const QRect& plot) const;
    void drawOverlay(QPainter& painter, const QRect& plot, const FrequencyAxis& axis) const;

    SpectrogramRenderer m_renderer;
    SpectrogramRenderSettings m_settings;
    QImage m_image;       // the last render, reused while nothing it depends on changed
    bool m_imageStale = true;
    double m_playhead = -1.0;
    QString m_placeholder;
    std::shared_ptr<const SpectrogramOverlay> m_overlay;
    std::vector<QImage> m_overlayStrips;  // one row of the overlay per band, frames wide
    TimeRange* m_ownRange = nullptr;
    TimeRange* m_range = nullptr;
    TimeAxisInteraction* m_axis = nullptr;
};

} // namespace ts::ui
