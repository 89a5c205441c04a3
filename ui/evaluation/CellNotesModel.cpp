#include "ui/evaluation/CellNotesModel.h"

#include "dataset/Labels.h"
#include "ui/common/ConfidenceDelegate.h"

namespace ts::ui {

void CellNotesModel::setCell(const EvaluationResult& result, ml::Target target, int trueClass, int predictedClass)
{
    beginResetModel();
    m_result = result;
    m_target = target;
    m_true = trueClass;
    m_predicted = predictedClass;
    m_rows = result.cellNotes(target, trueClass, predictedClass);
    endResetModel();
}

void CellNotesModel::clear()
{
    beginResetModel();
    m_result = EvaluationResult();
    m_true = m_predicted = -1;
    m_rows.clear();
    endResetModel();
}

QString CellNotesModel::classLabel(int cls) const
{
    const ml::TargetReport* report = m_result.target(m_target);
    return report && cls >= 0 && std::size_t(cls) < report->labels.size()
               ? QString::fromStdString(report->labels[std::size_t(cls)])
               : QString();
}

int CellNotesModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CellNotesModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CellNotesModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const std::size_t prediction = m_rows[std::size_t(index.row())];
    const ml::NotePrediction& p = m_result.report().predictions[prediction];
    const float confidence = EvaluationResult::confidence(p, m_target);
    const float trueScore = EvaluationResult::score(p, m_target, m_true);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NoteColumn: return QString::fromStdString(p.note);
        case PitchColumn:
            if (const dataset::NoteRecord* note = m_result.noteOf(prediction))
                return QStringLiteral("%1 (%2)").arg(QString::fromStdString(dataset::noteName(note->pitch))).arg(note->pitch);
            return QString();
        case ConfidenceColumn: return QStringLiteral("%1 %").arg(100.0 * confidence, 0, 'f', 1);
        case TrueScoreColumn: return QStringLiteral("%1 %").arg(100.0 * trueScore, 0, 'f', 1);
        default: return {};
        }
    case ConfidenceDelegate::kConfidenceRole:
        if (index.column() == ConfidenceColumn)
            return double(confidence);
        if (index.column() == TrueScoreColumn)
            return double(trueScore);
        return {};
    case Qt::TextAlignmentRole:
        return index.column() >= ConfidenceColumn ? int(Qt::AlignRight | Qt::AlignVCenter) : int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (!m_result.noteOf(prediction))
            return tr("This note is not in the dataset folder any more: it cannot be shown or played");
        return {};
    default: return {};
    }
}

QVariant CellNotesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NoteColumn: return tr("Note");
    case PitchColumn: return tr("Pitch");
    case ConfidenceColumn: return m_predicted >= 0 ? tr("P(%1)").arg(classLabel(m_predicted)) : tr("Confidence");
    case TrueScoreColumn: return m_true >= 0 ? tr("P(%1)").arg(classLabel(m_true)) : tr("True class");
    default: return {};
    }
}

} // namespace ts::ui
