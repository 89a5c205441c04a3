#pragma once
// Lays out and paints a confusion-matrix heatmap: a title, class names on both axes (column names
// rotated 45° and given all the room they need, so none is cut), one square cell per true ×
// predicted class with its count or row percentage, a sequential colour scale with its legend, the
// diagonal framed, and a selected cell. A plain class: tests and the PNG export use it without a window.
#include <QColor>
#include <QFont>
#include <QPalette>
#include <QRect>
#include <QSize>
#include <QString>
#include <optional>

#include "ui/evaluation/ConfusionMatrixModel.h"

class QPainter;

namespace ts::ui {

struct MatrixCell {
    int trueClass = 0;
    int predictedClass = 0;
    bool operator==(const MatrixCell& o) const { return trueClass == o.trueClass && predictedClass == o.predictedClass; }
    bool operator!=(const MatrixCell& o) const { return !(*this == o); }
};

class ConfusionMatrixRenderer {
public:
    ConfusionMatrixRenderer();

    void setModel(ConfusionMatrixModel model);
    const ConfusionMatrixModel& model() const { return m_model; }
    // Row-normalised: each cell shows its share of the true class (rows sum to 100 %).
    void setNormalised(bool normalised);
    bool isNormalised() const { return m_normalised; }
    void setTitle(const QString& title);
    void setSelectedCell(std::optional<MatrixCell> cell) { m_selected = cell; }
    std::optional<MatrixCell> selectedCell() const { return m_selected; }
    void setFont(const QFont& font);

    // Lays the matrix out in a canvas of this size (cells shrink and grow with it, within limits).
    void setSize(const QSize& size);
    QSize size() const { return m_size; }
    // The smallest canvas where cells are still readable and every label fits.
    QSize minimumSize() const;

    QRect cellRect(int trueClass, int predictedClass) const;
    std::optional<MatrixCell> cellAt(const QPoint& point) const;
    QRect matrixRect() const;
    QRect legendRect() const;  // the colour bar
    // Where class names are drawn: a row's name (right-aligned in it), and the bounding box of a
    // column's rotated name. Tests check that none leaves the canvas.
    QRect rowLabelRect(int trueClass) const;
    QRectF columnLabelBounds(int predictedClass) const;

    // What the cell says ("12", or "8 %" normalised) and its place on the colour scale, 0..1.
    QString cellText(int trueClass, int predictedClass) const;
    double cellLevel(int trueClass, int predictedClass) const;

    // The sequential scale: level 0 (no notes) is near white, 1 dark blue (ColorBrewer "Blues",
    // chosen because a light empty background makes the few large cells stand out and prints well).
    static QColor scaleColour(double level);
    // Black or white, whichever reads better on `background`.
    static QColor textColourOn(const QColor& background);
    // The frame colour of the diagonal (correct predictions): orange, apart from every blue.
    static QColor diagonalColour();

    void paint(QPainter& painter, const QPalette& palette) const;

private:
    void layout();
    int cellSizeFor(const QSize& size, int* left) const;
    int leftNeeded(int cell) const;
    int legendWidth() const;
    int widestLabel() const;  // the longest class name, in pixels
    int labelDepth() const;  // how far the rotated column names reach below the matrix
    int bottomBand() const;  // rotated column names + axis title
    int topBand() const;     // title
    void paintLegend(QPainter& painter, const QPalette& palette) const;
    void paintColumnLabels(QPainter& painter, const QPalette& palette) const;
    QPointF columnLabelAnchor(int predictedClass) const;

    ConfusionMatrixModel m_model;
    bool m_normalised = false;
    QString m_title;
    std::optional<MatrixCell> m_selected;
    QFont m_font;
    QSize m_size{640, 560};
    // Layout, recomputed by layout():
    int m_cell = 0;
    QPoint m_origin;  // top-left of cell (0, 0)
};

} // namespace ts::ui
