#pragma once
// The library table: one row per note of a dataset (name, family, source, pitch as a note name,
// velocity, instrument). Read-only; sorting uses SortRole so pitch and velocity sort as numbers.
#include <QAbstractTableModel>
#include <QString>
#include <QVector>
#include <memory>

#include "dataset/Dataset.h"

namespace ts::ui {

class NoteTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Generator: the sound generator that rendered the note (instruments.json), empty for real NSynth.
    enum Column { NameColumn, FamilyColumn, SourceColumn, PitchColumn, VelocityColumn, InstrumentColumn, GeneratorColumn, ClassColumn, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 1,  // numbers for numeric columns, text otherwise
        NoteIndexRole,                // index of the row's note in Dataset::notes()
    };

    explicit NoteTableModel(QObject* parent = nullptr);

    // Replaces the whole table (a model reset: one cheap operation even for 300,000 notes).
    void setDataset(std::shared_ptr<const dataset::Dataset> dataset);
    const std::shared_ptr<const dataset::Dataset>& dataset() const { return m_dataset; }
    // The note of a row of this model (not of a proxy); row must be valid.
    const dataset::NoteRecord& note(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant displayText(const dataset::NoteRecord& note, int column) const;

    std::shared_ptr<const dataset::Dataset> m_dataset;
    // Converted once per dataset: data() is called for every visible cell on every repaint.
    QVector<QString> m_pitchNames;  // 128 MIDI note names
};

} // namespace ts::ui
