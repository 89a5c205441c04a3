#pragma once
// The library's sort/filter layer over a NoteTableModel: the rows that match a dataset::NoteFilter
// (the same filter the CLI and training use), in the order of one column. Built for 300,000 notes:
// each column's order of all notes is computed once per dataset and column from plain keys (no
// QVariant per comparison), and a filter change is one pass over that order, so a keystroke in
// the search field costs tens of milliseconds, not the seconds a QSortFilterProxyModel spends.
// A filter change resets the model (the library puts the current note back); a sort is a layout
// change that keeps the current note.
#include <QAbstractProxyModel>

#include <map>
#include <string>
#include <vector>

#include "dataset/NoteFilter.h"

namespace ts::ui {

class NoteTableModel;

class NoteFilterProxy : public QAbstractProxyModel {
    Q_OBJECT
public:
    explicit NoteFilterProxy(QObject* parent = nullptr);

    void setNoteModel(NoteTableModel* model);
    NoteTableModel* noteModel() const { return m_model; }

    const dataset::NoteFilter& filter() const { return m_filter; }
    void setFilter(const dataset::NoteFilter& filter);
    // Besides the filter, keeps only these dataset notes (the timbre map's lasso); cleared by
    // clearOnlyNotes() and when the dataset changes.
    void setOnlyNotes(const std::vector<int>& notes);
    void clearOnlyNotes();
    bool hasOnlyNotes() const { return !m_only.empty(); }

    // Dataset note index of a proxy row, or -1.
    int noteIndexAt(int proxyRow) const;
    // Proxy row showing a dataset note, or -1 when the note is filtered out.
    int proxyRowOf(int noteIndex) const;

    // By a NoteTableModel column; -1: the dataset's own order. Ties keep name order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortColumn() const { return m_sortColumn; }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QModelIndex mapToSource(const QModelIndex& proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex& sourceIndex) const override;

Q_SIGNALS:
    void filterChanged();

private:
    void sourceAboutToReset();
    void sourceReset();
    // Every note in the current sort order (ascending; a descending sort reads it backwards).
    const std::vector<int>& orderOf(int column);
    // m_rows and m_proxyRowOf from the current order and filter.
    void refilter();
    void foldNames();
    void rankNames();  // m_nameRank from m_foldedNames
    // Per note, whether m_filter keeps it.
    std::vector<char> matchingNotes() const;

    NoteTableModel* m_model = nullptr;
    dataset::NoteFilter m_filter;
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    std::map<int, std::vector<int>> m_orders;  // per column, built when first sorted by
    std::vector<int> m_nameRank;               // each note's place in name order (ties of other columns)
    std::vector<char> m_only;                  // per note, kept by setOnlyNotes (empty: no such restriction)
    std::string m_foldedNames;                 // every note_str, ASCII lower case, each ended by '\0'
    std::vector<std::size_t> m_nameStarts;     // where each note's name starts in it, then its size
    std::vector<int> m_rows;                   // proxy row -> note index
    std::vector<int> m_proxyRowOf;             // note index -> proxy row or -1
};

} // namespace ts::ui
