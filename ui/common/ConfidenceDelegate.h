#pragma once
// Draws a prediction cell as its text with a thin bar underneath, as long as the confidence, so a
// column of predictions can be scanned for the doubtful ones at a glance. The confidence (0..1)
// is read from the item's kConfidenceRole; cells without it draw as plain text. A cell with
// kUncertainRole set reads "uncertain (best: flute 34 %)": "uncertain" in the text colour, the best
// guess after it in the lighter placeholder colour.
#include <QStyledItemDelegate>

namespace ts::ui {

class ConfidenceDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    static constexpr int kConfidenceRole = Qt::UserRole + 10;
    static constexpr int kUncertainRole = Qt::UserRole + 11;

    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace ts::ui
