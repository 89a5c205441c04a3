#pragma once
// The timbre map's canvas: every note as a dot at its place, coloured, drawn by us into an image
// (one pass over the points writing pixels: 300,000 dots in a few milliseconds, where a chart
// series per point would take seconds). Wheel zooms at the cursor, a drag pans, a click picks the
// nearest dot, the dot under the cursor is reported for its name; a double-click fits the map.
// A drag with Shift held draws a lasso: the dots inside it are reported when it is let go.
// Markers (dropped files) are drawn over the dots as labelled diamonds and can be clicked.
#include <QImage>
#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QStringList>
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
    // New places for the same points (a layout refining); the view is fitted again when `fit`.
    void setPositions(std::vector<QPointF> points, bool fit);
    // Labelled markers in map coordinates, drawn over the dots.
    void setMarkers(std::vector<QPointF> places, QStringList labels);
    std::size_t markerCount() const { return m_markers.size(); }
    // The points inside a polygon given in widget coordinates.
    std::vector<int> pointsInside(const QPolygonF& widgetPolygon) const;
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
    void markerClicked(int index);
    void lassoed(const std::vector<int>& points);  // a Shift-drag ended around these points

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

private:
    void render();   // m_image and the cells from the points and the current view
    void invalidate();

    std::vector<QPointF> m_points;
    std::vector<QRgb> m_colours;
    int m_selected = -1;
    QPointF m_centre;        // map coordinates at the widget's centre
    double m_scale = 1.0;    // pixels per map unit
    QImage m_image;
    bool m_dirty = true;
    int markerAt(const QPoint& position) const;

    // The points by 16-pixel cell of the widget, for the hover and click lookups: cell c holds
    // m_cellPoints[m_cellStart[c] .. m_cellStart[c + 1]).
    int m_cellColumns = 0, m_cellRows = 0;
    std::vector<int> m_cellStart, m_cellPoints;
    std::vector<QPointF> m_markers;
    QStringList m_markerLabels;
    QPolygonF m_lasso;  // widget coordinates, while a Shift-drag lasts
    QPoint m_pressAt;
    QPointF m_pressCentre;
    bool m_dragging = false;
    int m_hovered = -1;
};

} // namespace ts::ui
