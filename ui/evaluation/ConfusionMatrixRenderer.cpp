#include "ui/evaluation/ConfusionMatrixRenderer.h"

#include <QFontMetrics>
#include <QLocale>
#include <QPainter>
#include <algorithm>
#include <array>
#include <cmath>

namespace ts::ui {

namespace {

constexpr int kPad = 10;
constexpr int kGap = 6;
constexpr int kLegendGap = 22;
constexpr int kLegendBar = 16;
constexpr int kMaxCell = 96;
constexpr double kCos45 = 0.70710678118654752;

// ColorBrewer "Blues", 9 classes: sequential, light to dark.
constexpr std::array<QRgb, 9> kBlues = {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6,
                                        0x4292c6, 0x2171b5, 0x08519c, 0x08306b};

QString legendTitle(bool normalised)
{
    return normalised ? QStringLiteral("% of true class") : QStringLiteral("notes");
}

// Tick values for a colour bar from 0 to `max`: steps of 1, 2 or 5 × 10^k, at most 5 ticks.
std::vector<int> countTicks(int max)
{
    if (max <= 0)
        return {0};
    int step = 1;
    for (int magnitude = 1;; magnitude *= 10) {
        const int candidates[3] = {magnitude, 2 * magnitude, 5 * magnitude};
        bool found = false;
        for (int c : candidates)
            if (max / c <= 4) {
                step = c;
                found = true;
                break;
            }
        if (found)
            break;
    }
    std::vector<int> ticks;
    for (int v = 0; v <= max; v += step)
        ticks.push_back(v);
    return ticks;
}

} // namespace

ConfusionMatrixRenderer::ConfusionMatrixRenderer()
{
    layout();
}

void ConfusionMatrixRenderer::setModel(ConfusionMatrixModel model)
{
    m_model = std::move(model);
    if (m_selected && (m_selected->trueClass >= m_model.classCount() || m_selected->predictedClass >= m_model.classCount()))
        m_selected.reset();
    layout();
}

void ConfusionMatrixRenderer::setNormalised(bool normalised)
{
    m_normalised = normalised;
    layout();
}

void ConfusionMatrixRenderer::setTitle(const QString& title)
{
    m_title = title;
    layout();
}

void ConfusionMatrixRenderer::setFont(const QFont& font)
{
    m_font = font;
    layout();
}

void ConfusionMatrixRenderer::setSize(const QSize& size)
{
    m_size = size;
    layout();
}

int ConfusionMatrixRenderer::topBand() const
{
    const QFontMetrics fm(m_font);
    return m_title.isEmpty() ? kPad : kPad + fm.height() * 3 / 2 + kGap;
}

int ConfusionMatrixRenderer::widestLabel() const
{
    const QFontMetrics fm(m_font);
    int widest = 0;
    for (const QString& label : m_model.labels())
        widest = std::max(widest, fm.horizontalAdvance(label));
    return widest;
}

int ConfusionMatrixRenderer::labelDepth() const
{
    return int(std::ceil(kCos45 * (widestLabel() + 2 + QFontMetrics(m_font).height())));
}

int ConfusionMatrixRenderer::bottomBand() const
{
    return kGap + labelDepth() + kGap + QFontMetrics(m_font).height() + kPad;
}

int ConfusionMatrixRenderer::legendWidth() const
{
    const QFontMetrics fm(m_font);
    const int ticks = m_normalised ? fm.horizontalAdvance(QStringLiteral("100 %"))
                                   : fm.horizontalAdvance(QLocale().toString(std::max(1, m_model.maxCount())));
    const int column = std::max({kLegendBar + kGap + ticks, fm.horizontalAdvance(legendTitle(m_normalised)),
                                 14 + kGap + fm.horizontalAdvance(QStringLiteral("correct"))});
    return kLegendGap + column + kPad;
}

int ConfusionMatrixRenderer::leftNeeded(int cell) const
{
    const QFontMetrics fm(m_font);
    const int rowLabels = widestLabel();
    int left = kPad + fm.height() + kGap + rowLabels + kGap;
    // A rotated column name reaches down-left from its column's centre; the first ones may need
    // more room than the row names leave.
    for (int i = 0; i < m_model.classCount(); ++i) {
        const double reach = kCos45 * (fm.horizontalAdvance(m_model.labels()[i]) + 2 + fm.height() / 2.0);
        left = std::max(left, int(std::ceil(kPad + reach - (i + 0.5) * cell)));
    }
    return left;
}

int ConfusionMatrixRenderer::cellSizeFor(const QSize& size, int* left) const
{
    const QFontMetrics fm(m_font);
    const int k = std::max(1, m_model.classCount());
    // Room for the widest number a cell shows ("100" normalised, else the largest count).
    const QString widest = m_normalised ? QStringLiteral("100") : QLocale().toString(m_model.maxCount());
    const int minCell = std::max(fm.height() + 10, fm.horizontalAdvance(widest) + 10);
    // The left margin with the smallest cells is enough for any larger ones.
    *left = leftNeeded(minCell);
    const int width = size.width() - *left - legendWidth();
    const int height = size.height() - topBand() - bottomBand();
    return std::clamp(std::min(width, height) / k, minCell, kMaxCell);
}

void ConfusionMatrixRenderer::layout()
{
    int left = 0;
    m_cell = cellSizeFor(m_size, &left);
    const int k = m_model.classCount();
    const int contentWidth = left + k * m_cell + legendWidth();
    const int contentHeight = topBand() + k * m_cell + bottomBand();
    const int dx = std::max(0, (m_size.width() - contentWidth) / 2);
    const int dy = std::max(0, (m_size.height() - contentHeight) / 2);
    m_origin = QPoint(dx + left, dy + topBand());
}

QSize ConfusionMatrixRenderer::minimumSize() const
{
    int left = 0;
    const int cell = cellSizeFor(QSize(0, 0), &left);
    const int k = m_model.classCount();
    return QSize(left + k * cell + legendWidth(), topBand() + k * cell + bottomBand());
}

QRect ConfusionMatrixRenderer::matrixRect() const
{
    const int k = m_model.classCount();
    return QRect(m_origin, QSize(k * m_cell, k * m_cell));
}

QRect ConfusionMatrixRenderer::cellRect(int trueClass, int predictedClass) const
{
    return QRect(m_origin.x() + predictedClass * m_cell, m_origin.y() + trueClass * m_cell, m_cell, m_cell);
}

std::optional<MatrixCell> ConfusionMatrixRenderer::cellAt(const QPoint& point) const
{
    if (m_model.isEmpty() || !matrixRect().contains(point))
        return std::nullopt;
    const int column = (point.x() - m_origin.x()) / m_cell;
    const int row = (point.y() - m_origin.y()) / m_cell;
    return MatrixCell{row, column};
}

QRect ConfusionMatrixRenderer::legendRect() const
{
    const QFontMetrics fm(m_font);
    const QRect matrix = matrixRect();
    const int top = matrix.top() + fm.height() * 3 / 2 + kGap;
    const int bottom = matrix.bottom() - fm.height() - 2 * kGap;
    return QRect(matrix.right() + 1 + kLegendGap, top, kLegendBar, std::max(fm.height(), bottom - top));
}

QString ConfusionMatrixRenderer::cellText(int trueClass, int predictedClass) const
{
    const int n = m_model.count(trueClass, predictedClass);
    if (!m_normalised || n == 0)
        return QLocale().toString(n);
    const double percent = 100.0 * m_model.rowFraction(trueClass, predictedClass);
    const QString number = percent < 1.0 ? QStringLiteral("<1") : QString::number(qRound(percent));
    const QString withSign = number + QStringLiteral(" %");
    return QFontMetrics(m_font).horizontalAdvance(withSign) <= m_cell - 6 ? withSign : number;
}

double ConfusionMatrixRenderer::cellLevel(int trueClass, int predictedClass) const
{
    if (m_normalised)
        return m_model.rowFraction(trueClass, predictedClass);
    const int max = m_model.maxCount();
    return max ? double(m_model.count(trueClass, predictedClass)) / max : 0.0;
}

QColor ConfusionMatrixRenderer::scaleColour(double level)
{
    const double x = std::clamp(std::isnan(level) ? 0.0 : level, 0.0, 1.0) * double(kBlues.size() - 1);
    const int i = std::min(int(x), int(kBlues.size()) - 2);
    const double f = x - i;
    const QColor a(kBlues[std::size_t(i)]), b(kBlues[std::size_t(i) + 1]);
    return QColor::fromRgbF(float(a.redF() + f * (b.redF() - a.redF())), float(a.greenF() + f * (b.greenF() - a.greenF())),
                            float(a.blueF() + f * (b.blueF() - a.blueF())));
}

QColor ConfusionMatrixRenderer::textColourOn(const QColor& background)
{
    // WCAG 2 relative luminance and contrast ratio: whichever of white and near-black contrasts more.
    auto linear = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    auto luminance = [&](const QColor& c) {
        return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF());
    };
    // Pure black: with it, every background has a choice of at least 4.58:1 (AA asks 4.5).
    const QColor white(Qt::white), dark(Qt::black);
    const double l = luminance(background);
    const double onWhite = (luminance(white) + 0.05) / (l + 0.05);
    const double onDark = (l + 0.05) / (luminance(dark) + 0.05);
    return onWhite >= onDark ? white : dark;
}

QColor ConfusionMatrixRenderer::diagonalColour()
{
    return QColor(0xe6, 0x55, 0x0d);
}

void ConfusionMatrixRenderer::paint(QPainter& painter, const QPalette& palette) const
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    painter.setFont(m_font);
    painter.fillRect(QRect(QPoint(0, 0), m_size), palette.window());
    const QFontMetrics fm(m_font);
    const int k = m_model.classCount();
    if (k == 0) {
        painter.restore();
        return;
    }
    const QRect matrix = matrixRect();

    if (!m_title.isEmpty()) {
        QFont bold = m_font;
        bold.setBold(true);
        painter.setFont(bold);
        painter.setPen(palette.color(QPalette::WindowText));
        const QRect titleRect(kPad, matrix.top() - topBand() + kPad, m_size.width() - 2 * kPad, fm.height() * 3 / 2);
        painter.drawText(titleRect, Qt::AlignCenter, QFontMetrics(bold).elidedText(m_title, Qt::ElideRight, titleRect.width()));
        painter.setFont(m_font);
    }

    // Axis title "true class", rotated, left of the row names.
    const int rowLabels = widestLabel();
    const int rowLabelRight = matrix.left() - kGap;
    painter.save();
    painter.translate(rowLabelRight - rowLabels - kGap - fm.height() / 2, matrix.center().y());
    painter.rotate(-90);
    painter.setPen(palette.color(QPalette::WindowText));
    painter.drawText(QRect(-matrix.height() / 2, -fm.height() / 2, matrix.height(), fm.height()), Qt::AlignCenter,
                     QStringLiteral("true class"));
    painter.restore();

    const QColor disabledText = palette.color(QPalette::Disabled, QPalette::WindowText);
    for (int t = 0; t < k; ++t) {
        const bool empty = m_model.rowTotal(t) == 0;
        painter.setPen(empty ? disabledText : palette.color(QPalette::WindowText));
        painter.drawText(rowLabelRect(t), Qt::AlignRight | Qt::AlignVCenter, m_model.labels()[t]);
    }

    QFont bold = m_font;
    bold.setBold(true);
    for (int t = 0; t < k; ++t)
        for (int p = 0; p < k; ++p) {
            const QRect cell = cellRect(t, p).adjusted(0, 0, -1, -1);  // a 1 px gap between cells
            const QColor fill = scaleColour(cellLevel(t, p));
            painter.fillRect(cell, fill);
            if (m_model.rowTotal(t) == 0)
                painter.fillRect(cell, QBrush(QColor(0, 0, 0, 40), Qt::BDiagPattern));
            const int n = m_model.count(t, p);
            painter.setFont(t == p ? bold : m_font);
            painter.setPen(n == 0 ? QColor(0x9a, 0x9a, 0x9a) : textColourOn(fill));
            painter.drawText(cell, Qt::AlignCenter, cellText(t, p));
        }
    painter.setFont(m_font);

    // The diagonal's frames, then the selection's, over the cells.
    for (int c = 0; c < k; ++c) {
        painter.setPen(QPen(diagonalColour(), 2.0));
        painter.drawRect(cellRect(c, c).adjusted(1, 1, -2, -2));
    }
    if (m_selected) {
        const QRect cell = cellRect(m_selected->trueClass, m_selected->predictedClass);
        painter.setPen(QPen(Qt::black, 3.0));
        painter.drawRect(cell.adjusted(-1, -1, 0, 0));
        painter.setPen(QPen(Qt::white, 1.0));
        painter.drawRect(cell.adjusted(1, 1, -2, -2));
    }

    paintColumnLabels(painter, palette);
    paintLegend(painter, palette);
    painter.restore();
}

QPointF ConfusionMatrixRenderer::columnLabelAnchor(int predictedClass) const
{
    // A column's name ends at its centre just under the matrix and runs down-left at 45°.
    const QFontMetrics fm(m_font);
    const QRect matrix = matrixRect();
    return QPointF(matrix.left() + (predictedClass + 0.5) * m_cell, matrix.bottom() + 1 + kGap + kCos45 * fm.height() / 2.0);
}

QRectF ConfusionMatrixRenderer::columnLabelBounds(int predictedClass) const
{
    const QFontMetrics fm(m_font);
    const double w = fm.horizontalAdvance(m_model.labels()[predictedClass]) + 2, h = fm.height();
    const QPointF anchor = columnLabelAnchor(predictedClass);
    // The text box x ∈ [-w, 0], y ∈ [-h/2, h/2] turned 45° anticlockwise (on screen) about the anchor.
    return QRectF(anchor.x() - kCos45 * (w + h / 2), anchor.y() - kCos45 * h / 2, kCos45 * (w + h), kCos45 * (w + h));
}

QRect ConfusionMatrixRenderer::rowLabelRect(int trueClass) const
{
    const QFontMetrics fm(m_font);
    const int rowLabels = widestLabel();
    const QRect matrix = matrixRect();
    return QRect(matrix.left() - kGap - rowLabels, matrix.top() + trueClass * m_cell, rowLabels, m_cell);
}

void ConfusionMatrixRenderer::paintColumnLabels(QPainter& painter, const QPalette& palette) const
{
    const QFontMetrics fm(m_font);
    const QRect matrix = matrixRect();
    painter.setPen(palette.color(QPalette::WindowText));
    for (int p = 0; p < m_model.classCount(); ++p) {
        const QString& label = m_model.labels()[p];
        const int width = fm.horizontalAdvance(label);
        painter.save();
        painter.translate(columnLabelAnchor(p));
        painter.rotate(-45);
        painter.drawText(QRectF(-width - 2, -fm.height() / 2.0, width + 2, fm.height()), Qt::AlignRight | Qt::AlignVCenter, label);
        painter.restore();
    }
    const QRect axisTitle(matrix.left(), matrix.bottom() + 1 + kGap + labelDepth() + kGap, matrix.width(), fm.height());
    painter.drawText(axisTitle, Qt::AlignCenter, QStringLiteral("predicted class"));
}

void ConfusionMatrixRenderer::paintLegend(QPainter& painter, const QPalette& palette) const
{
    const QFontMetrics fm(m_font);
    const QRect bar = legendRect();
    const QColor text = palette.color(QPalette::WindowText);
    painter.setPen(text);
    painter.drawText(QPoint(bar.left(), matrixRect().top() + fm.ascent()), legendTitle(m_normalised));
    for (int y = 0; y < bar.height(); ++y) {
        const double level = 1.0 - double(y) / std::max(1, bar.height() - 1);
        painter.setPen(scaleColour(level));
        painter.drawLine(bar.left(), bar.top() + y, bar.right(), bar.top() + y);
    }
    painter.setPen(palette.color(QPalette::Mid));
    painter.drawRect(bar.adjusted(0, 0, -1, -1));

    auto tick = [&](double level, const QString& label) {
        const int y = bar.bottom() - int(std::lround(level * (bar.height() - 1)));
        painter.setPen(text);
        painter.drawLine(bar.right() + 1, y, bar.right() + 4, y);
        painter.drawText(QRect(bar.right() + kGap, y - fm.height() / 2, 200, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, label);
    };
    if (m_normalised) {
        for (int percent = 0; percent <= 100; percent += 25)
            tick(percent / 100.0, QStringLiteral("%1 %").arg(percent));
    } else {
        // Round ticks, and the largest count at the top (instead of a round tick too close to it).
        const int max = m_model.maxCount();
        for (int value : countTicks(max))
            if (max == 0 || value == max || double(value) / max < 0.85)
                tick(max ? double(value) / max : 0.0, QLocale().toString(value));
        if (max > 0 && countTicks(max).back() != max)
            tick(1.0, QLocale().toString(max));
    }

    // Key of the diagonal's frame.
    const QRect key(bar.left(), matrixRect().bottom() - fm.height() + 1, 14, 14);
    painter.setPen(QPen(diagonalColour(), 2.0));
    painter.drawRect(key.adjusted(1, 1, -2, -2));
    painter.setPen(text);
    painter.drawText(QRect(key.right() + kGap, key.top() - 2, 200, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                     QStringLiteral("correct"));
}

} // namespace ts::ui
