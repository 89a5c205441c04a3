#pragma once
// The library's sort/filter layer: keeps the rows of a NoteTableModel that match a
// dataset::NoteFilter (the same filter the CLI and training use) and sorts by SortRole.
#include <QSortFilterProxyModel>

#include "dataset/NoteFilter.h"

namespace ts::ui {

class NoteTableModel;

class NoteFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit NoteFilterProxy(QObject* parent = nullptr);

    void setNoteModel(NoteTableModel* model);
    NoteTableModel* noteModel() const { return m_model; }

    const dataset::NoteFilter& filter() const { return m_filter; }
    void setFilter(const dataset::NoteFilter& filter);

    // Dataset note index of a proxy row, or -1.
    int noteIndexAt(int proxyRow) const;
    // Proxy row showing a dataset note, or -1 when the note is filtered out.
    int proxyRowOf(int noteIndex) const;

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    NoteTableModel* m_model = nullptr;
    dataset::NoteFilter m_filter;
};

} // namespace ts::ui
