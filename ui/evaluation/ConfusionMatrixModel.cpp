#include "ui/evaluation/ConfusionMatrixModel.h"

#include <QLocale>
#include <algorithm>
#include <cassert>

namespace ts::ui {

ConfusionMatrixModel::ConfusionMatrixModel(QStringList labels, std::vector<std::vector<int>> counts)
    : m_labels(std::move(labels)), m_counts(std::move(counts))
{
    const std::size_t k = std::size_t(m_labels.size());
    assert(m_counts.size() == k);
    m_rowTotals.assign(k, 0);
    m_columnTotals.assign(k, 0);
    for (std::size_t t = 0; t < k; ++t) {
        assert(m_counts[t].size() == k);
        for (std::size_t p = 0; p < k; ++p) {
            const int c = m_counts[t][p];
            m_rowTotals[t] += c;
            m_columnTotals[p] += c;
            m_total += c;
            m_max = std::max(m_max, c);
        }
    }
}

ConfusionMatrixModel ConfusionMatrixModel::fromReport(const ml::TargetReport& report)
{
    QStringList labels;
    for (const auto& label : report.labels)
        labels << QString::fromStdString(label);
    return ConfusionMatrixModel(labels, report.confusion);
}

int ConfusionMatrixModel::count(int trueClass, int predictedClass) const
{
    return m_counts[std::size_t(trueClass)][std::size_t(predictedClass)];
}

int ConfusionMatrixModel::rowTotal(int trueClass) const
{
    return m_rowTotals[std::size_t(trueClass)];
}

int ConfusionMatrixModel::columnTotal(int predictedClass) const
{
    return m_columnTotals[std::size_t(predictedClass)];
}

int ConfusionMatrixModel::correct() const
{
    int sum = 0;
    for (int c = 0; c < classCount(); ++c)
        sum += count(c, c);
    return sum;
}

double ConfusionMatrixModel::accuracy() const
{
    return m_total ? double(correct()) / double(m_total) : 0.0;
}

double ConfusionMatrixModel::rowFraction(int trueClass, int predictedClass) const
{
    const int row = rowTotal(trueClass);
    return row ? double(count(trueClass, predictedClass)) / double(row) : 0.0;
}

QString ConfusionMatrixModel::describeCell(int trueClass, int predictedClass) const
{
    const QString& truth = m_labels[trueClass];
    const QString& predicted = m_labels[predictedClass];
    const int n = count(trueClass, predictedClass);
    const QString notes = n == 1 ? QStringLiteral("1 note") : QStringLiteral("%1 notes").arg(QLocale().toString(n));
    const QString head = trueClass == predictedClass
                             ? QStringLiteral("%1 predicted as %1 (correct)").arg(truth)
                             : QStringLiteral("%1 predicted as %2").arg(truth, predicted);
    if (rowTotal(trueClass) == 0)
        return QStringLiteral("%1: no %2 notes in this part").arg(head, truth);
    return QStringLiteral("%1: %2, %3 % of %4")
        .arg(head, notes, QLocale().toString(100.0 * rowFraction(trueClass, predictedClass), 'f', 1), truth);
}

} // namespace ts::ui
