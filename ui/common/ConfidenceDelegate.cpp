#include "ui/common/ConfidenceDelegate.h"

#include <QApplication>
#include <QPainter>

#include <algorithm>

namespace ts::ui {
namespace {

constexpr int kBarHeight = 3;
constexpr int kBarGap = 2;

QColor barColour(double confidence)
{
    // Confident answers in the accent blue, doubtful ones (below one half) in amber.
    return confidence >= 0.5 ? QColor(0x2f, 0x6f, 0xae) : QColor(0xd9, 0x8c, 0x1f);
}

} // namespace

void ConfidenceDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    if (index.data(kUncertainRole).toBool()) {
        // The cell's background and selection as usual, then the text in two tones.
        QStyleOptionViewItem opt(option);
        initStyleOption(&opt, index);
        const QString text = opt.text;
        opt.text.clear();
        QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
        const QRect textRect = style->subElementRect(QStyle::SE_ItemViewItemText, &opt, opt.widget).adjusted(2, 0, -2, -kBarHeight - kBarGap);
        const qsizetype split = text.indexOf(QLatin1Char(' '));
        const QString head = split < 0 ? text : text.left(split);
        const QString tail = split < 0 ? QString() : text.mid(split);
        const bool selected = opt.state & QStyle::State_Selected;
        painter->save();
        painter->setFont(opt.font);
        painter->setPen(opt.palette.color(selected ? QPalette::HighlightedText : QPalette::Text));
        painter->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter, head);
        const int headWidth = opt.fontMetrics.horizontalAdvance(head);
        QColor light = opt.palette.color(QPalette::PlaceholderText);
        if (selected)
            light = opt.palette.color(QPalette::HighlightedText).darker(130);
        painter->setPen(light);
        painter->drawText(textRect.adjusted(headWidth, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                          opt.fontMetrics.elidedText(tail, Qt::ElideRight, std::max(0, textRect.width() - headWidth)));
        painter->restore();
    } else {
        QStyledItemDelegate::paint(painter, option, index);
    }
    const QVariant value = index.data(kConfidenceRole);
    if (!value.isValid())
        return;
    const double confidence = std::clamp(value.toDouble(), 0.0, 1.0);
    const QRect cell = option.rect.adjusted(4, 0, -8, -kBarGap);
    const QRect track(cell.left(), cell.bottom() - kBarHeight + 1, cell.width(), kBarHeight);
    painter->save();
    painter->fillRect(track, QColor(0, 0, 0, 22));
    painter->fillRect(QRect(track.left(), track.top(), int(track.width() * confidence + 0.5), kBarHeight), barColour(confidence));
    painter->restore();
}

QSize ConfidenceDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.rheight() += kBarHeight + 2 * kBarGap + 2;  // room for the bar below the text
    return size;
}

} // namespace ts::ui
