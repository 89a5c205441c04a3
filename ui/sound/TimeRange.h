#pragma once
// The stretch of a sound that is on screen: its duration and the visible start and end, in seconds.
// One TimeRange is shared by the views stacked over the same sound, so they show the same moment at
// the same x; each view draws what changed() says, and user gestures (TimeAxisInteraction) edit it.
#include <QObject>

#include <utility>

namespace ts::ui {

class TimeRange : public QObject {
    Q_OBJECT
public:
    // The narrowest span that can be shown: 16 samples at the 16 kHz the views show. The waveform
    // needs this close to tell single samples apart; the spectrogram has no detail below its 8 ms
    // hop but stretches its frames smoothly, so one limit serves both and they stay aligned.
    static constexpr double kMinimumSpanSeconds = 0.001;

    explicit TimeRange(QObject* parent = nullptr);

    // A new sound of this length, shown whole. Zero (or less) means no sound: nothing is visible
    // and the edits below do nothing.
    void setDuration(double seconds);
    double duration() const { return m_duration; }
    bool isEmpty() const { return m_duration <= 0.0; }

    double start() const { return m_start; }
    double end() const { return m_end; }
    double span() const { return m_end - m_start; }
    std::pair<double, double> visible() const { return {m_start, m_end}; }

    // Each keeps the range inside the sound and at least kMinimumSpanSeconds wide (or the whole
    // sound when it is shorter), and emits changed() when the visible range moves.
    void setVisible(double startSeconds, double endSeconds);
    // factor < 1 zooms in; the moment `seconds` stays where it is on screen.
    void zoomAbout(double seconds, double factor);
    // Shifts the range by `seconds`, stopping at either end of the sound without narrowing.
    void panBy(double seconds);
    // The whole sound.
    void reset();

    // The visible fraction 0..1 across a plot at `seconds`, and back.
    double fractionAt(double seconds) const;
    double secondsAt(double fraction) const;

Q_SIGNALS:
    void changed();

private:
    double m_duration = 0.0;
    double m_start = 0.0;
    double m_end = 0.0;
};

} // namespace ts::ui
