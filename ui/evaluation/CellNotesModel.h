#pragma once
// The notes of one confusion-matrix cell (a true class predicted as some class), the most
// confident prediction first: the mistakes the model was surest of head the list. Each row gives
// the note, its pitch, the predicted class's probability and the true class's.
#include <QAbstractTableModel>
#include <vector>

#include "ml/Architecture.h"
#include "ui/evaluation/EvaluationResult.h"

namespace ts::ui {

class CellNotesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NoteColumn, PitchColumn, ConfidenceColumn, TrueScoreColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    void setCell(const EvaluationResult& result, ml::Target target, int trueClass, int predictedClass);
    void clear();

    // Index into result().report().predictions of a row.
    std::size_t predictionAt(int row) const { return m_rows[std::size_t(row)]; }
    const std::vector<std::size_t>& predictions() const { return m_rows; }
    const EvaluationResult& result() const { return m_result; }
    ml::Target target() const { return m_target; }
    int trueClass() const { return m_true; }
    int predictedClass() const { return m_predicted; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString classLabel(int cls) const;

    EvaluationResult m_result;
    ml::Target m_target = ml::Target::Family;
    int m_true = -1;
    int m_predicted = -1;
    std::vector<std::size_t> m_rows;
};

} // namespace ts::ui
