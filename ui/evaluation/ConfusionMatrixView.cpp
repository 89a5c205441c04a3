#include "ui/evaluation/ConfusionMatrixView.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace ts::ui {

ConfusionMatrixView::ConfusionMatrixView(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);  // the pointing hand over cells
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setAttribute(Qt::WA_OpaquePaintEvent);
    m_renderer.setFont(font());
    m_renderer.setSize(size());
}

void ConfusionMatrixView::setModel(ConfusionMatrixModel model)
{
    m_renderer.setModel(std::move(model));
    updateGeometry();
    update();
}

void ConfusionMatrixView::setNormalised(bool normalised)
{
    m_renderer.setNormalised(normalised);
    updateGeometry();
    update();
}

void ConfusionMatrixView::setTitle(const QString& title)
{
    m_renderer.setTitle(title);
    update();
}

void ConfusionMatrixView::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    update();
}

void ConfusionMatrixView::setSelectedCell(std::optional<MatrixCell> cell)
{
    m_renderer.setSelectedCell(cell);
    update();
}

QString ConfusionMatrixView::toolTipAt(const QPoint& position) const
{
    const auto cell = m_renderer.cellAt(position);
    return cell ? model().describeCell(cell->trueClass, cell->predictedClass) : QString();
}

QSize ConfusionMatrixView::sizeHint() const
{
    return minimumSizeHint().expandedTo(QSize(640, 560));
}

QSize ConfusionMatrixView::minimumSizeHint() const
{
    return model().isEmpty() ? QSize(320, 240) : m_renderer.minimumSize();
}

bool ConfusionMatrixView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (const auto cell = m_renderer.cellAt(help->pos()))
            QToolTip::showText(help->globalPos(), model().describeCell(cell->trueClass, cell->predictedClass), this,
                               cellRect(cell->trueClass, cell->predictedClass));
        else
            QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::FontChange)
        m_renderer.setFont(font());
    return QWidget::event(event);
}

void ConfusionMatrixView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    if (model().isEmpty()) {
        painter.fillRect(rect(), palette().window());
        painter.setPen(palette().color(QPalette::Disabled, QPalette::WindowText));
        painter.drawText(rect().adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
        return;
    }
    m_renderer.paint(painter, palette());
    if (hasFocus() && selectedCell()) {
        painter.setPen(QPen(palette().color(QPalette::Highlight), 1.0, Qt::DotLine));
        painter.drawRect(cellRect(selectedCell()->trueClass, selectedCell()->predictedClass).adjusted(-4, -4, 3, 3));
    }
}

void ConfusionMatrixView::resizeEvent(QResizeEvent*)
{
    m_renderer.setSize(size());
}

void ConfusionMatrixView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    if (const auto cell = m_renderer.cellAt(event->position().toPoint()))
        activate(*cell);
}

void ConfusionMatrixView::mouseMoveEvent(QMouseEvent* event)
{
    setCursor(m_renderer.cellAt(event->position().toPoint()) ? Qt::PointingHandCursor : Qt::ArrowCursor);
    QWidget::mouseMoveEvent(event);
}

void ConfusionMatrixView::keyPressEvent(QKeyEvent* event)
{
    const int k = model().classCount();
    if (k == 0)
        return QWidget::keyPressEvent(event);
    MatrixCell cell = selectedCell().value_or(MatrixCell{0, 0});
    switch (event->key()) {
    case Qt::Key_Left: cell.predictedClass = std::max(0, cell.predictedClass - 1); break;
    case Qt::Key_Right: cell.predictedClass = std::min(k - 1, cell.predictedClass + 1); break;
    case Qt::Key_Up: cell.trueClass = std::max(0, cell.trueClass - 1); break;
    case Qt::Key_Down: cell.trueClass = std::min(k - 1, cell.trueClass + 1); break;
    case Qt::Key_Return:
    case Qt::Key_Enter: break;
    default: return QWidget::keyPressEvent(event);
    }
    activate(cell);
}

void ConfusionMatrixView::activate(MatrixCell cell)
{
    setSelectedCell(cell);
    Q_EMIT cellClicked(cell.trueClass, cell.predictedClass);
}

} // namespace ts::ui
