#pragma once
// The waveform of one sound in QtCharts: time in seconds across, amplitude up, drawn as the min/max
// envelope of each pixel column (WaveformEnvelope), so any length draws at the same speed; zoomed in
// far enough, the samples themselves. Mouse wheel zooms about the pointer, dragging pans, a click
// asks to seek there, double-click (or the 0 key) shows the whole sound; + and - zoom, the arrow
// keys pan. A playhead line follows setPlayhead().
//
// The notes a classifier found (setSegments) are drawn over the waveform as translucent bands, one
// colour per instrument family, each labelled with its family ("uncertain" in grey when the answer
// is a guess).
//
// The visible time comes from a TimeRange: its own, or one shared with a SpectrogramView through
// setTimeRange() so that both show the same stretch of the sound.
#include <QChartView>
#include <QList>
#include <QPointF>

#include <memory>
#include <vector>

#include "audio/AudioFile.h"
#include "ui/sound/WaveformEnvelope.h"

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace ts::ui {

class TimeAxisInteraction;
class TimeRange;

// One note found in the sound: seconds, and what it was predicted to be.
struct WaveformSegment {
    double start = 0.0;
    double end = 0.0;
    QString family;          // best family label ("" when the model does not predict families)
    bool uncertain = false;  // drawn grey, labelled "uncertain"
};

class WaveformView : public QChartView {
    Q_OBJECT
public:
    explicit WaveformView(QWidget* parent = nullptr);

    // Shows a mono signal at sampleRate Hz and sets the time range to all of it. An empty signal (or
    // a sample rate <= 0) clears the plot and empties the range. The shared form avoids copying a
    // long signal.
    void setSignal(std::vector<float> samples, int sampleRate);
    void setSignal(std::shared_ptr<const std::vector<float>> samples, int sampleRate);
    // A decoded sound as core/audio gives it (mono, 16 kHz), shared without copying.
    void setAudio(std::shared_ptr<const ts::audio::DecodedAudio> audio);
    void clear();

    int sampleRate() const { return m_sampleRate; }
    double durationSeconds() const;

    // Seconds into the sound; a negative value hides the playhead.
    void setPlayhead(double seconds);
    double playhead() const { return m_playhead; }

    // The visible time, which zoom and pan gestures edit: this view's own range until another is
    // set (not owned; when it is deleted, or nullptr is set, the view's own range is used again).
    TimeRange* timeRange() const { return m_range; }
    void setTimeRange(TimeRange* range);

    // true: the amplitude axis fits the visible samples; false (default): full scale, -1..1 (plus headroom).
    void setFitAmplitude(bool fit);
    bool fitAmplitude() const { return m_fitAmplitude; }

    // Bands over the waveform; cleared by a new signal. Shown until setSegments({}) or clear().
    void setSegments(QList<WaveformSegment> segments);
    const QList<WaveformSegment>& segments() const { return m_segments; }
    // The colour of a family's band (a fixed colour per NSynth family; grey for others).
    static QColor familyColour(const QString& family);
    // The label drawn on a band: the family, or "uncertain".
    static QString segmentLabel(const WaveformSegment& segment);

    // What is drawn, for tests: the upper and lower envelope (equal when drawing samples), and the
    // visible part of each segment band in viewport pixels (empty rectangles for hidden ones).
    QList<QPointF> upperEnvelope() const;
    QList<QPointF> lowerEnvelope() const;
    QList<QRectF> segmentBands() const;

Q_SIGNALS:
    // A click on the plot: play from there.
    void seekRequested(double seconds);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    QRectF bandInScene(const WaveformSegment& segment) const;
    QRectF plotInViewport() const;
    void redraw();

    WaveformEnvelope m_envelope;
    int m_sampleRate = 0;
    TimeRange* m_ownRange = nullptr;
    TimeRange* m_range = nullptr;
    TimeAxisInteraction* m_axis = nullptr;
    double m_playhead = -1.0;
    bool m_fitAmplitude = false;
    QList<WaveformSegment> m_segments;

    QAreaSeries* m_area = nullptr;
    QLineSeries* m_upper = nullptr;
    QLineSeries* m_lower = nullptr;
    QLineSeries* m_playheadLine = nullptr;
    QValueAxis* m_timeAxis = nullptr;
    QValueAxis* m_amplitudeAxis = nullptr;
};

} // namespace ts::ui
