#include "ui/library/NoteFilterProxy.h"

#include "ui/library/NoteTableModel.h"

namespace ts::ui {

NoteFilterProxy::NoteFilterProxy(QObject* parent) : QSortFilterProxyModel(parent)
{
    setSortRole(NoteTableModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // Sorting a 4,096-row table on every filter change is cheap, but re-sorting on dataChanged
    // is pointless for a read-only model.
    setDynamicSortFilter(false);
}

void NoteFilterProxy::setNoteModel(NoteTableModel* model)
{
    m_model = model;
    setSourceModel(model);
}

void NoteFilterProxy::setFilter(const dataset::NoteFilter& filter)
{
    m_filter = filter;
    invalidateFilter();
    Q_EMIT filterChanged();
}

int NoteFilterProxy::noteIndexAt(int proxyRow) const
{
    if (proxyRow < 0 || proxyRow >= rowCount())
        return -1;
    return mapToSource(index(proxyRow, 0)).row();
}

int NoteFilterProxy::proxyRowOf(int noteIndex) const
{
    if (!m_model || noteIndex < 0 || noteIndex >= m_model->rowCount())
        return -1;
    const QModelIndex proxyIndex = mapFromSource(m_model->index(noteIndex, 0));
    return proxyIndex.isValid() ? proxyIndex.row() : -1;
}

bool NoteFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (sourceParent.isValid() || !m_model || !m_model->dataset())
        return false;
    return m_filter.matches(m_model->note(sourceRow));
}

} // namespace ts::ui
