#include "ui/sound/TimeAxisInteraction.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QWidget>

#include <algorithm>
#include <cmath>

#include "ui/sound/TimeRange.h"

namespace ts::ui {
namespace {

constexpr double kWheelZoomStep = 1.25;  // one wheel notch or key press: 25 % closer or further
constexpr double kPanStep = 0.1;         // one arrow key or scroll notch: a tenth of the visible span
// A press that moves less than this is a click (seek), not a drag: hands shake.
constexpr double kDragThresholdPixels = 3.0;

} // namespace

TimeAxisInteraction::TimeAxisInteraction(QWidget* surface, std::function<QRectF()> plotRect, QObject* parent)
    : QObject(parent), m_surface(surface), m_plotRect(std::move(plotRect))
{
}

void TimeAxisInteraction::setTimeRange(TimeRange* range)
{
    m_range = range;
    m_dragging = false;
}

bool TimeAxisInteraction::active() const
{
    return m_range && !m_range->isEmpty();
}

double TimeAxisInteraction::secondsAtX(double x) const
{
    if (!m_range)
        return 0.0;
    const QRectF plot = m_plotRect();
    const double f = plot.width() > 0.0 ? (x - plot.left()) / plot.width() : 0.0;
    return m_range->secondsAt(std::clamp(f, 0.0, 1.0));
}

bool TimeAxisInteraction::wheel(QWheelEvent* event)
{
    if (!active())
        return false;
    const double notches = event->angleDelta().y() / 120.0;
    if (notches == 0.0)  // a sideways scroll (trackpad) pans
        m_range->panBy(-event->angleDelta().x() / 120.0 * kPanStep * m_range->span());
    else
        m_range->zoomAbout(secondsAtX(event->position().x()), std::pow(kWheelZoomStep, -notches));
    event->accept();
    return true;
}

bool TimeAxisInteraction::press(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !active() || !m_plotRect().contains(event->position()))
        return false;
    m_dragging = true;
    m_dragMoved = false;
    m_dragStartX = event->position().x();
    m_dragStartSeconds = m_range->start();
    event->accept();
    return true;
}

bool TimeAxisInteraction::move(QMouseEvent* event)
{
    if (!m_dragging || !m_range)
        return false;
    const double dx = event->position().x() - m_dragStartX;
    if (std::fabs(dx) > kDragThresholdPixels)
        m_dragMoved = true;
    if (m_dragMoved) {
        // The time under the pointer at the press stays under the pointer.
        const double span = m_range->span();
        const double start = m_dragStartSeconds - dx / std::max(1.0, m_plotRect().width()) * span;
        m_range->setVisible(start, start + span);
        m_surface->setCursor(Qt::ClosedHandCursor);
    }
    event->accept();
    return true;
}

bool TimeAxisInteraction::release(QMouseEvent* event)
{
    if (!m_dragging)
        return false;
    m_dragging = false;
    m_surface->unsetCursor();
    if (!m_dragMoved && active())
        Q_EMIT seekRequested(secondsAtX(event->position().x()));
    event->accept();
    return true;
}

bool TimeAxisInteraction::doubleClick(QMouseEvent* event)
{
    if (!active())
        return false;
    m_range->reset();
    event->accept();
    return true;
}

bool TimeAxisInteraction::key(QKeyEvent* event)
{
    if (!active())
        return false;
    const double centre = 0.5 * (m_range->start() + m_range->end());
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: m_range->zoomAbout(centre, 1.0 / kWheelZoomStep); break;
    case Qt::Key_Minus: m_range->zoomAbout(centre, kWheelZoomStep); break;
    case Qt::Key_0: m_range->reset(); break;
    case Qt::Key_Left: m_range->panBy(-kPanStep * m_range->span()); break;
    case Qt::Key_Right: m_range->panBy(kPanStep * m_range->span()); break;
    default: return false;
    }
    event->accept();
    return true;
}

} // namespace ts::ui
