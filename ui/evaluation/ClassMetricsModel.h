#pragma once
// The per-class table of an evaluation: precision, recall, F1 and support of each class. Sorting
// goes through kSortRole (the raw numbers), so a QSortFilterProxyModel sorts 0.95 above 0.9.
#include <QAbstractTableModel>
#include <vector>

#include "ml/Evaluator.h"

namespace ts::ui {

class ClassMetricsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ClassColumn, PrecisionColumn, RecallColumn, F1Column, SupportColumn, ColumnCount };
    static constexpr int kSortRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    void setMetrics(std::vector<ml::ClassMetrics> metrics);
    const std::vector<ml::ClassMetrics>& metrics() const { return m_metrics; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<ml::ClassMetrics> m_metrics;
};

} // namespace ts::ui
