#pragma once
// The confusion-matrix heatmap widget: paints with a ConfusionMatrixRenderer, says what a cell holds
// when hovered ("guitar predicted as keyboard: 12 notes, 8.3 % of guitar") and reports clicked cells
// (arrow keys and Enter do the same from the keyboard).
#include <QString>
#include <QWidget>
#include <optional>

#include "ui/evaluation/ConfusionMatrixModel.h"
#include "ui/evaluation/ConfusionMatrixRenderer.h"

namespace ts::ui {

class ConfusionMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);

    void setModel(ConfusionMatrixModel model);
    const ConfusionMatrixModel& model() const { return m_renderer.model(); }
    void setNormalised(bool normalised);
    bool isNormalised() const { return m_renderer.isNormalised(); }
    // Drawn above the matrix (and so in the PNG export).
    void setTitle(const QString& title);
    // Shown instead of a matrix while there is none.
    void setPlaceholderText(const QString& text);

    void setSelectedCell(std::optional<MatrixCell> cell);
    std::optional<MatrixCell> selectedCell() const { return m_renderer.selectedCell(); }

    // In widget coordinates, for tests and tooltips.
    QRect cellRect(int trueClass, int predictedClass) const { return m_renderer.cellRect(trueClass, predictedClass); }
    QString toolTipAt(const QPoint& position) const;
    const ConfusionMatrixRenderer& renderer() const { return m_renderer; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void cellClicked(int trueClass, int predictedClass);

protected:
    bool event(QEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

private:
    void activate(MatrixCell cell);

    ConfusionMatrixRenderer m_renderer;
    QString m_placeholder;
};

} // namespace ts::ui
