#include "ui/library/NoteTableModel.h"

#include <QBrush>
#include <QColor>
#include <QPalette>
#include <QGuiApplication>

#include "dataset/Labels.h"
#include "ui/common/LabelNames.h"

namespace ts::ui {

NoteTableModel::NoteTableModel(QObject* parent) : QAbstractTableModel(parent)
{
    m_pitchNames.reserve(128);
    for (int pitch = 0; pitch < 128; ++pitch)
        m_pitchNames.push_back(QString::fromStdString(dataset::noteName(pitch)));
}

void NoteTableModel::setDataset(std::shared_ptr<const dataset::Dataset> dataset)
{
    // Names are turned into QStrings as rows are painted, not up front: 300,000 notes would cost
    // 600,000 strings and a noticeable wait before the table appears.
    beginResetModel();
    m_dataset = std::move(dataset);
    endResetModel();
}

const dataset::NoteRecord& NoteTableModel::note(int row) const
{
    return m_dataset->notes()[std::size_t(row)];
}

int NoteTableModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() || !m_dataset)
        return 0;
    return int(m_dataset->size());
}

int NoteTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NoteTableModel::displayText(const dataset::NoteRecord& note, int column) const
{
    switch (column) {
    case FamilyColumn: return familyDisplayName(note.family);
    case SourceColumn: return sourceDisplayName(note.source);
    case PitchColumn:
        return note.pitch >= 0 && note.pitch < 128 ? m_pitchNames[note.pitch] : QString::number(note.pitch);
    case VelocityColumn: return note.velocity;
    case GeneratorColumn: return QString::fromStdString(note.generator);
    case ClassColumn: return QString::fromStdString(note.ownClass);
    default: return {};
    }
}

QVariant NoteTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !m_dataset || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const auto& n = note(row);
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return QString::fromStdString(n.noteStr);
        if (index.column() == InstrumentColumn)
            return QString::fromStdString(n.instrumentStr);
        return displayText(n, index.column());
    case SortRole:
        switch (index.column()) {
        case NameColumn: return QString::fromStdString(n.noteStr);
        case FamilyColumn: return n.family;
        case SourceColumn: return n.source;
        case PitchColumn: return n.pitch;
        case VelocityColumn: return n.velocity;
        case InstrumentColumn: return QString::fromStdString(n.instrumentStr);
        case GeneratorColumn: return QString::fromStdString(n.generator);
        case ClassColumn: return QString::fromStdString(n.ownClass);
        default: return {};
        }
    case NoteIndexRole:
        return row;
    case Qt::TextAlignmentRole:
        if (index.column() == PitchColumn || index.column() == VelocityColumn)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return int(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ToolTipRole:
        if (!n.wavExists)
            return tr("%1: the WAV file is missing").arg(QString::fromStdString(n.wavPath));
        if (index.column() == PitchColumn)
            return tr("MIDI %1").arg(n.pitch);
        return {};
    case Qt::ForegroundRole:
        // A note without audio stays listed (examples.json names it) but looks unavailable.
        if (!n.wavExists)
            return QBrush(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        return {};
    default:
        return {};
    }
}

QVariant NoteTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case FamilyColumn: return tr("Family");
    case SourceColumn: return tr("Source");
    case PitchColumn: return tr("Pitch");
    case VelocityColumn: return tr("Velocity");
    case InstrumentColumn: return tr("Instrument");
    case GeneratorColumn: return tr("Generator");
    case ClassColumn: return tr("Class");
    default: return {};
    }
}

} // namespace ts::ui
