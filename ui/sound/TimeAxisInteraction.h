#pragma once
// The time gestures of a plot, the same in every view that shows a TimeRange: the wheel zooms about
// the pointer (a sideways scroll pans), dragging pans once the pointer has moved a few pixels, a
// click asks to seek there, a double-click shows the whole sound; + and - zoom, the arrow keys pan,
// 0 shows it all. The view passes its events in and falls back to its own handling when refused.
#include <QObject>
#include <QPointer>
#include <QRectF>

#include <functional>

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;
class QWidget;

namespace ts::ui {

class TimeRange;

class TimeAxisInteraction : public QObject {
    Q_OBJECT
public:
    // `surface` gets the grab cursor while dragging; `plotRect` says where the plot lies in the
    // coordinates of the events passed in, asked afresh for each event.
    TimeAxisInteraction(QWidget* surface, std::function<QRectF()> plotRect, QObject* parent = nullptr);

    void setTimeRange(TimeRange* range);
    TimeRange* timeRange() const { return m_range; }

    // The time at an x of the plot, clamped to the visible range.
    double secondsAtX(double x) const;

    // Each returns whether the event was used (and accepts it); a refused event is the view's.
    bool wheel(QWheelEvent* event);
    bool press(QMouseEvent* event);
    bool move(QMouseEvent* event);
    bool release(QMouseEvent* event);
    bool doubleClick(QMouseEvent* event);
    bool key(QKeyEvent* event);

Q_SIGNALS:
    // A click that did not become a drag: play from there.
    void seekRequested(double seconds);

private:
    bool active() const;

    QWidget* m_surface = nullptr;
    std::function<QRectF()> m_plotRect;
    QPointer<TimeRange> m_range;
    bool m_dragging = false;
    bool m_dragMoved = false;
    double m_dragStartX = 0.0;
    double m_dragStartSeconds = 0.0;
};

} // namespace ts::ui
