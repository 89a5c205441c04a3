#pragma once
// The drawing surface of a SpectrogramView: the spectrogram image in a plot area, a frequency axis
// on the left, a time axis below, a colour bar with dB labels on the right and the playhead. Wheel
// zooms time about the pointer, dragging pans, a click asks to seek, double-click shows it all.
// Hovering reports time, frequency, note name and level through hoverTextChanged().
#include <QImage>
#include <QString>
#include <QWidget>

#include <optional>

#include "ui/sound/SpectrogramRenderer.h"

namespace ts::ui {

// What is under a point of the plot.
struct SpectrogramReadout {
    double seconds = 0.0;
    double hz = 0.0;
    QString noteName;             // "A4", or empty below the MIDI range
    int cents = 0;                // deviation from noteName, -50..50
    std::optional<double> levelDb;  // empty where there is no data (past the end)

    QString text() const;  // "1.250 s   440.0 Hz   A4 +0 ct   -12.3 dB"
};

class SpectrogramCanvas : public QWidget {
    Q_OBJECT
public:
    explicit SpectrogramCanvas(QWidget* parent = nullptr);

    void setData(SpectrogramData data);
    const SpectrogramRenderer& renderer() const { return m_renderer; }
    bool hasData() const { return !m_renderer.data().isEmpty(); }

    // Frequency scale, colour map, floor/ceiling dB and range; startSeconds/endSeconds are managed
    // by setVisibleRange.
    void setRenderSettings(const SpectrogramRenderSettings& settings);
    const SpectrogramRenderSettings& renderSettings() const { return m_settings; }

    // Clamped to the data (at least 16 ms). Does not emit visibleRangeChanged.
    void setVisibleRange(double startSeconds, double endSeconds);
    std::pair<double, double> visibleRange() const;
    void resetZoom();  // emits visibleRangeChanged

    void setPlayhead(double seconds);  // negative hides it
    // Text shown over the plot when there is no data ("No sound selected", "Computing…").
    void setPlaceholder(const QString& text);

    // The plot area in widget coordinates, and what lies under a widget point (nothing outside it).
    QRect plotRect() const;
    std::optional<SpectrogramReadout> readoutAt(QPointF position) const;

    QSize minimumSizeHint() const override { return {320, 160}; }
    QSize sizeHint() const override { return {800, 320}; }

Q_SIGNALS:
    void visibleRangeChanged(double startSeconds, double endSeconds);
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
    void applyRange(double start, double end, bool notify);
    void zoomAbout(double centreSeconds, double factor);
    double secondsAtX(double x) const;
    void drawFrequencyAxis(QPainter& painter, const QRect& plot, const FrequencyAxis& axis) const;
    void drawTimeAxis(QPainter& painter, const QRect& plot) const;
    void drawColourBar(QPainter& painter, const QRect& plot) const;

    SpectrogramRenderer m_renderer;
    SpectrogramRenderSettings m_settings;
    QImage m_image;       // the last render, reused while nothing it depends on changed
    bool m_imageStale = true;
    double m_playhead = -1.0;
    QString m_placeholder;

    bool m_dragging = false;
    bool m_dragMoved = false;
    double m_dragStartX = 0.0;
    double m_dragStartSeconds = 0.0;
};

} // namespace ts::ui
