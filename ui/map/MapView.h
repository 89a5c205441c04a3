#pragma once
// The timbre map's canvas: every note as a dot at its place, coloured, drawn by us into an image
// (one pass over the points writing pixels: 300,000 dots in a few milliseconds, where a chart
// series per point would take seconds). Wheel zooms at the cursor, a drag pans, a click picks the
// nearest dot, the dot under the cursor is reported for its name; a double-click fits the map.
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QWidget>

#include <vector>

namespace ts::ui {

class MapView : public QWidget {
    Q_OBJECT
public:
    explicit MapView(QWidget* parent = nullptr);

    // The points in map coordinates and one colour each; the view fits them.
    void setPoints(std::vector<QPointF> points, std::vector<QRgb> colours);
    void setColours(std::vector<QRgb> colours);
    // A highlighted point (a ring around it), -1 for none.
    void setSelected(int index);
    int selected() const { return m_selected; }
    std::size_t pointCount() const { return m_points.size(); }

    // The point drawn nearest to a widget position within `radius` pixels, or -1.
    int pointAt(const QPoint& position, int radius = 6) const;
    QPointF toWidget(const QPointF& point) const;
    // Shows every point with a margin.
    void fitAll();
    double scale() const { return m_scale; }  // pixels per map unit

Q_SIGNALS:
    void pointClicked(int index);
    void pointHovered(int index);  // -1 when the cursor leaves every point

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void render();   // m_image and m_cells from the points and the current view
    void invalidate();

    std::vector<QPointF> m_points;
    std::vector<QRgb> m_colours;
    int m_selected = -1;
    QPointF m_centre;        // map coordinates at the widget's centre
    double m_scale = 1.0;    // pixels per map unit
    QImage m_image;
    bool m_dirty = true;
    // The points by 16-pixel cell of the widget, for the hover and click lookups.
    int m_cellColumns = 0, m_cellRows = 0;
    std::vector<std::vector<int>> m_cells;
    QPoint m_pressAt;
    QPointF m_pressCentre;
    bool m_dragging = false;
    int m_hovered = -1;
};

} // namespace ts::ui
