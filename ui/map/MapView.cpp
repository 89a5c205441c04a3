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
    m_cells.assign(std::size_t(m_cellColumns * m_cellRows), {});
    const int imageWidth = m_image.width(), imageHeight = m_image.height();
    const int dot = std::max(1, int(std::lround(kDot * ratio)));
    for (std::size_t i = 0; i < m_points.size(); ++i) {
        const QPointF at = toWidget(m_points[i]);
        if (at.x() < 0 || at.y() < 0 || at.x() >= width() || at.y() >= height())
            continue;
        m_cells[std::size_t(int(at.y()) / kCell * m_cellColumns + int(at.x()) / kCell)].push_back(int(i));
        const int x0 = int(at.x() * ratio) - dot / 2, y0 = int(at.y() * ratio) - dot / 2;
        for (int y = std::max(0, y0); y < std::min(imageHeight, y0 + dot); ++y) {
            auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(y));
            for (int x = std::max(0, x0); x < std::min(imageWidth, x0 + dot); ++x)
                line[x] = m_colours[i];
        }
    }
    m_dirty = false;
}

int MapView::pointAt(const QPoint& position, int radius) const
{
    if (m_dirty || m_cells.empty())
        const_cast<MapView*>(this)->render();
    int best = -1;
    double bestDistance = double(radius) * radius;
    const int c0 = std::max(0, (position.x() - radius) / kCell), c1 = std::min(m_cellColumns - 1, (position.x() + radius) / kCell);
    const int r0 = std::max(0, (position.y() - radius) / kCell), r1 = std::min(m_cellRows - 1, (position.y() + radius) / kCell);
    for (int r = r0; r <= r1; ++r) {
        for (int c = c0; c <= c1; ++c) {
            for (int i : m_cells[std::size_t(r * m_cellColumns + c)]) {
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
}

void MapView::mouseMoveEvent(QMouseEvent* event)
{
    const QPoint at = event->position().toPoint();
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
    if (!m_dragging) {
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
