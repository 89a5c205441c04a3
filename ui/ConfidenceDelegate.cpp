#include "ui/ConfidenceDelegate.h"

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
    QStyledItemDelegate::paint(painter, option, index);
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
