#include "ui/map/MapView.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace ts::ui {

namespace {

constexpr int kCell = 16;        // pixels per lookup cell
constexpr int kDot = 3;          // a dot is kDot x kDot pixels
constexpr int kDragSlop = 4;     // pixels a press may move and still be a click

} // namespace

MapView::MapView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(240, 180);
    setAttribute(Qt::WA_OpaquePaintEvent);
}

void MapView::setPoints(std::vector<QPointF> points, std::vector<QRgb> colours)
{
    m_points = std::move(points);
    m_colours = std::move(colours);
    m_colours.resize(m_points.size(), qRgb(90, 90, 90));
    m_selected = -1;
    m_hovered = -1;
    fitAll();
}

void MapView::setColours(std::vector<QRgb> colours)
{
    m_colours = std::move(colours);
    m_colours.resize(m_points.size(), qRgb(90, 90, 90));
    invalidate();
}

void MapView::setPositions(std::vector<QPointF> points, bool fit)
{
    if (points.size() != m_points.size())
        return;
    m_points = std::move(points);
    if (fit)
        fitAll();
    else
        invalidate();
}

void MapView::setMarkers(std::vector<QPointF> places, QStringList labels)
{
    m_markers = std::move(places);
    m_markerLabels = std::move(labels);
    update();
}

std::vector<int> MapView::pointsInside(const QPolygonF& widgetPolygon) const
{
    std::vector<int> inside;
    const QRectF bounds = widgetPolygon.boundingRect();
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const QPointF at = toWidget(m_points[i]);
        if (bounds.contains(at) && widgetPolygon.containsPoint(at, Qt::OddEvenFill))
            inside.push_back(int(i));
    }
    return inside;
}

int MapView::markerAt(const QPoint& position) const
{
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const QPointF d = toWidget(m_markers[i]) - QPointF(position);
        if (std::abs(d.x()) + std::abs(d.y()) <= 9.0)
            return int(i);
    }
    return -1;
}

void MapView::setSelected(int index)
{
    m_selected = index >= 0 && std::size_t(index) < m_points.size() ? index : -1;
    update();
}

void MapView::fitAll()
{
    if (m_points.empty()) {
        m_centre = {};
        m_scale = 1.0;
        invalidate();
        return;
    }
    double left = m_points[0].x(), right = left, top = m_points[0].y(), bottom = top;
    for (const QPointF& p : m_points) {
        left = std::min(left, p.x());
        right = std::max(right, p.x());
        top = std::min(top, p.y());
        bottom = std::max(bottom, p.y());
    }
    m_centre = {(left + right) / 2.0, (top + bottom) / 2.0};
    const double w = std::max(1e-9, right - left), h = std::max(1e-9, bottom - top);
    m_scale = 0.92 * std::min(double(std::max(1, width())) / w, double(std::max(1, height())) / h);
    invalidate();
}

QPointF MapView::toWidget(const QPointF& point) const
{
    // y grows upwards on the map, downwards on the screen.
    return {width() / 2.0 + (point.x() - m_centre.x()) * m_scale, height() / 2.0 - (point.y() - m_centre.y()) * m_scale};
}

void MapView::invalidate()
{
    m_dirty = true;
    update();
}

void MapView::render()
{
    const qreal ratio = devicePixelRatioF();
    m_image = QImage(QSize(std::max(1, width()), std::max(1, height())) * ratio, QImage::Format_RGB32);
    m_image.setDevicePixelRatio(ratio);
    m_image.fill(palette().color(QPalette::Base));
    m_cellColumns = width() / kCell + 1;
    m_cellRows = height() / kCell + 1;
    const int imageWidth = m_image.width(), imageHeight = m_image.height();
    const int dot = std::max(1, int(std::lround(kDot * ratio)));
    // One pass draws the dots and notes each one's cell; a counting sort then files them by cell.
    std::vector<int> cellOf(m_points.size(), -1);
    m_cellStart.assign(std::size_t(m_cellColumns * m_cellRows) + 1, 0);
    const double w = width(), h = height();
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const QPointF at = toWidget(m_points[i]);
        if (!(at.x() >= 0 && at.y() >= 0 && at.x() < w && at.y() < h))
            continue;
        const int cell = int(at.y()) / kCell * m_cellColumns + int(at.x()) / kCell;
        cellOf[i] = cell;
        ++m_cellStart[std::size_t(cell) + 1];
        const int x0 = int(at.x() * ratio) - dot / 2, y0 = int(at.y() * ratio) - dot / 2;
        for (int y = std::max(0, y0); y < std::min(imageHeight, y0 + dot); ++y) {
            auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(y));
            for (int x = std::max(0, x0); x < std::min(imageWidth, x0 + dot); ++x)
                line[x] = m_colours[i];
        }
    }
    for (std::size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    m_cellPoints.resize(std::size_t(m_cellStart.back()));
    std::vector<int> filled(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::size_t i = 0; i < cellOf.size(); ++i)
        if (cellOf[i] >= 0)
            m_cellPoints[std::size_t(filled[std::size_t(cellOf[i])]++)] = int(i);
    m_dirty = false;
}

int MapView::pointAt(const QPoint& position, int radius) const
{
    if (m_dirty || m_cellStart.empty())
        const_cast<MapView*>(this)->render();
    int best = -1;
    double bestDistance = double(radius) * radius;
    const int c0 = std::max(0, (position.x() - radius) / kCell), c1 = std::min(m_cellColumns - 1, (position.x() + radius) / kCell);
    const int r0 = std::max(0, (position.y() - radius) / kCell), r1 = std::min(m_cellRows - 1, (position.y() + radius) / kCell);
    for (int r = r0; r <= r1; ++r) {
        for (int c = c0; c <= c1; ++c) {
            const std::size_t cell = std::size_t(r * m_cellColumns + c);
            for (int k = m_cellStart[cell]; k < m_cellStart[cell + 1]; ++k) {
                const int i = m_cellPoints[std::size_t(k)];
                const QPointF d = toWidget(m_points[std::size_t(i)]) - QPointF(position);
                const double distance = d.x() * d.x() + d.y() * d.y();
                if (distance <= bestDistance) {
                    bestDistance = distance;
                    best = i;
                }
            }
        }
    }
    return best;
}

void MapView::paintEvent(QPaintEvent*)
{
    if (m_dirty || m_image.size() != size() * devicePixelRatioF())
        render();
    QPainter painter(this);
    painter.drawImage(0, 0, m_image);
    painter.setRenderHint(QPainter::Antialiasing);
    for (int index : {m_hovered, m_selected}) {
        if (index < 0)
            continue;
        painter.setPen(QPen(index == m_selected ? palette().color(QPalette::Highlight) : palette().color(QPalette::Text), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(toWidget(m_points[std::size_t(index)]), 6, 6);
    }
    for (std::size_t i = 0; i < m_markers.size(); ++i) {
        const QPointF at = toWidget(m_markers[i]);
        const QPolygonF diamond({at + QPointF(0, -8), at + QPointF(8, 0), at + QPointF(0, 8), at + QPointF(-8, 0)});
        painter.setPen(QPen(palette().color(QPalette::Text), 2));
        painter.setBrush(palette().color(QPalette::Base));
        painter.drawPolygon(diamond);
        if (i < std::size_t(m_markerLabels.size()))
            painter.drawText(at + QPointF(11, 5), m_markerLabels[int(i)]);
    }
    if (!m_lasso.isEmpty()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1.5, Qt::DashLine));
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(40);
        painter.setBrush(fill);
        painter.drawPolygon(m_lasso);
    }
    if (m_points.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No map yet"));
    }
}

void MapView::resizeEvent(QResizeEvent*)
{
    invalidate();
}

void MapView::wheelEvent(QWheelEvent* event)
{
    // Zoom about the cursor: the map point under it stays under it.
    const QPointF at = event->position();
    const QPointF before(m_centre.x() + (at.x() - width() / 2.0) / m_scale, m_centre.y() - (at.y() - height() / 2.0) / m_scale);
    const double factor = std::pow(1.0015, event->angleDelta().y());
    m_scale = std::clamp(m_scale * factor, 1e-6, 1e9);
    m_centre = {before.x() - (at.x() - width() / 2.0) / m_scale, before.y() + (at.y() - height() / 2.0) / m_scale};
    invalidate();
    event->accept();
}

void MapView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_pressAt = event->position().toPoint();
    m_pressCentre = m_centre;
    m_dragging = false;
    m_lasso.clear();
    if (event->modifiers() & Qt::ShiftModifier)
        m_lasso << event->position();
}

void MapView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint at = event->position().toPoint();
    if ((event->buttons() & Qt::LeftButton) && !m_lasso.isEmpty()) {
        m_lasso << event->position();
        update();
        return;
    }
    if (event->buttons() & Qt::LeftButton) {
        if (!m_dragging && (at - m_pressAt).manhattanLength() > kDragSlop)
            m_dragging = true;
        if (m_dragging) {
            const QPoint moved = at - m_pressAt;
            m_centre = {m_pressCentre.x() - moved.x() / m_scale, m_pressCentre.y() + moved.y() / m_scale};
            invalidate();
            return;
        }
    }
    const int hovered = pointAt(at);
    if (hovered != m_hovered) {
        m_hovered = hovered;
        update();
        Q_EMIT pointHovered(hovered);
    }
}

void MapView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    if (m_lasso.size() >= 3) {
        const QPolygonF lasso = m_lasso;
        m_lasso.clear();
        update();
        Q_EMIT lassoed(pointsInside(lasso));
        return;
    }
    m_lasso.clear();
    if (!m_dragging) {
        if (const int marker = markerAt(event->position().toPoint()); marker >= 0) {
            Q_EMIT markerClicked(marker);
            return;
        }
        const int index = pointAt(event->position().toPoint());
        if (index >= 0) {
            setSelected(index);
            Q_EMIT pointClicked(index);
        }
    }
    m_dragging = false;
}

void MapView::mouseDoubleClickEvent(QMouseEvent*)
{
    fitAll();
}

} // namespace ts::ui
