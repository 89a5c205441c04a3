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
    beginResetModel();
    m_dataset = std::move(dataset);
    m_names.clear();
    m_instruments.clear();
    if (m_dataset) {
        const auto& notes = m_dataset->notes();
        m_names.reserve(int(notes.size()));
        m_instruments.reserve(int(notes.size()));
        for (const auto& note : notes) {
            m_names.push_back(QString::fromStdString(note.noteStr));
            m_instruments.push_back(QString::fromStdString(note.instrumentStr));
        }
    }
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
            return m_names[row];
        if (index.column() == InstrumentColumn)
            return m_instruments[row];
        return displayText(n, index.column());
    case SortRole:
        switch (index.column()) {
        case NameColumn: return m_names[row];
        case FamilyColumn: return n.family;
        case SourceColumn: return n.source;
        case PitchColumn: return n.pitch;
        case VelocityColumn: return n.velocity;
        case InstrumentColumn: return m_instruments[row];
        case GeneratorColumn: return QString::fromStdString(n.generator);
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
    default: return {};
    }
}

} // namespace ts::ui
