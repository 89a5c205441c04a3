#pragma once
// The numbers of one confusion matrix as the viewer shows them (rows = true class, columns =
// predicted): counts taken from the evaluator's report, row-normalised values (each row's recall
// split) and the hover text of a cell. Plain data, tested without a window. (The CSV export is
// ml::confusionCsv, the CLI's format.)
#include <QString>
#include <QStringList>
#include <vector>

#include "ml/Evaluator.h"

namespace ts::ui {

class ConfusionMatrixModel {
public:
    ConfusionMatrixModel() = default;
    // counts[true][predicted], one row and one column per label.
    ConfusionMatrixModel(QStringList labels, std::vector<std::vector<int>> counts);
    static ConfusionMatrixModel fromReport(const ml::TargetReport& report);

    bool isEmpty() const { return m_labels.isEmpty(); }
    int classCount() const { return int(m_labels.size()); }
    const QStringList& labels() const { return m_labels; }

    int count(int trueClass, int predictedClass) const;
    int rowTotal(int trueClass) const;         // notes of that true class (its support)
    int columnTotal(int predictedClass) const; // notes predicted as that class
    int total() const { return m_total; }
    int correct() const;                       // the diagonal's sum
    double accuracy() const;                   // correct / total, 0 for an empty matrix
    int maxCount() const { return m_max; }
    // count / rowTotal: the share of the true class predicted as `predictedClass` (the diagonal is
    // the class's recall); 0 for a class with no notes.
    double rowFraction(int trueClass, int predictedClass) const;

    // "guitar predicted as keyboard: 12 notes, 8.3 % of guitar".
    QString describeCell(int trueClass, int predictedClass) const;

private:
    QStringList m_labels;
    std::vector<std::vector<int>> m_counts;
    std::vector<int> m_rowTotals, m_columnTotals;
    int m_total = 0;
    int m_max = 0;
};

} // namespace ts::ui
