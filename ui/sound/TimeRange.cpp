#include "ui/sound/TimeRange.h"

#include <algorithm>

namespace ts::ui {

TimeRange::TimeRange(QObject* parent) : QObject(parent) {}

void TimeRange::setDuration(double seconds)
{
    m_duration = std::max(0.0, seconds);
    const bool changed = m_start != 0.0 || m_end != m_duration;
    m_start = 0.0;
    m_end = m_duration;
    // Already whole (say, another sound of the same length): nothing moved, nothing to emit; the
    // views redraw for their new signal themselves.
    if (changed)
        Q_EMIT this->changed();
}

void TimeRange::setVisible(double startSeconds, double endSeconds)
{
    if (isEmpty())
        return;
    const double span = std::clamp(endSeconds - startSeconds, std::min(m_duration, kMinimumSpanSeconds), m_duration);
    const double start = std::clamp(startSeconds, 0.0, m_duration - span);
    const double end = start + span;
    if (start == m_start && end == m_end)
        return;
    m_start = start;
    m_end = end;
    Q_EMIT changed();
}

void TimeRange::zoomAbout(double seconds, double factor)
{
    setVisible(seconds - (seconds - m_start) * factor, seconds + (m_end - seconds) * factor);
}

void TimeRange::panBy(double seconds)
{
    setVisible(m_start + seconds, m_end + seconds);
}

void TimeRange::reset()
{
    setVisible(0.0, m_duration);
}

double TimeRange::fractionAt(double seconds) const
{
    return span() > 0.0 ? (seconds - m_start) / span() : 0.0;
}

double TimeRange::secondsAt(double fraction) const
{
    return m_start + fraction * span();
}

} // namespace ts::ui
