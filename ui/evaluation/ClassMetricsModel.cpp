#include "ui/evaluation/ClassMetricsModel.h"

#include <QBrush>
#include <QGuiApplication>
#include <QPalette>

namespace ts::ui {

void ClassMetricsModel::setMetrics(std::vector<ml::ClassMetrics> metrics)
{
    beginResetModel();
    m_metrics = std::move(metrics);
    endResetModel();
}

int ClassMetricsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_metrics.size());
}

int ClassMetricsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ClassMetricsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_metrics.size()))
        return {};
    const ml::ClassMetrics& m = m_metrics[std::size_t(index.row())];
    const int column = index.column();
    if (role == Qt::DisplayRole || role == kSortRole) {
        const bool sort = role == kSortRole;
        switch (column) {
        case ClassColumn: return sort ? QVariant(index.row()) : QVariant(QString::fromStdString(m.label));
        case PrecisionColumn: return sort ? QVariant(m.precision) : QVariant(QString::number(m.precision, 'f', 3));
        case RecallColumn: return sort ? QVariant(m.recall) : QVariant(QString::number(m.recall, 'f', 3));
        case F1Column: return sort ? QVariant(m.f1) : QVariant(QString::number(m.f1, 'f', 3));
        case SupportColumn: return m.support;
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && column != ClassColumn)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    // A class absent from the evaluated part has no recall to speak of: greyed.
    if (role == Qt::ForegroundRole && m.support == 0)
        return QGuiApplication::palette().brush(QPalette::Disabled, QPalette::Text);
    if (role == Qt::ToolTipRole && m.support == 0)
        return tr("No %1 notes in the evaluated part").arg(QString::fromStdString(m.label));
    return {};
}

QVariant ClassMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case ClassColumn: return tr("Class");
        case PrecisionColumn: return tr("Precision");
        case RecallColumn: return tr("Recall");
        case F1Column: return tr("F1");
        case SupportColumn: return tr("Support");
        default: return {};
        }
    }
    // A first click on a number column puts the best classes first.
    if (role == Qt::InitialSortOrderRole)
        return section == ClassColumn ? Qt::AscendingOrder : Qt::DescendingOrder;
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case PrecisionColumn: return tr("Of the notes predicted as this class, the share that are");
        case RecallColumn: return tr("Of the notes of this class, the share predicted as it");
        case F1Column: return tr("Harmonic mean of precision and recall");
        case SupportColumn: return tr("Notes of this class in the evaluated part");
        default: return {};
        }
    }
    return {};
}

} // namespace ts::ui
