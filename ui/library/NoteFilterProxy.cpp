#include "ui/library/NoteFilterProxy.h"

#include <algorithm>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ui/library/NoteTableModel.h"

namespace ts::ui {

namespace {

char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c; }

// Rank of each note's string in case-insensitive order (ASCII folding, as the filter's text search;
// strings equal but for case share a rank): sorting by a text column is then sorting integers.
// For the columns whose values repeat (instrument, generator): each distinct value is folded and
// ranked once.
template <typename Text>
std::vector<int> ranksOf(const std::vector<dataset::NoteRecord>& notes, Text text)
{
    std::unordered_map<std::string_view, int> idOf;
    std::vector<std::string> folded;
    std::vector<int> ids(notes.size());
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const std::string_view t = text(notes[i]);
        auto [it, added] = idOf.emplace(t, int(folded.size()));
        if (added) {
            folded.emplace_back(t.size(), '\0');
            std::transform(t.begin(), t.end(), folded.back().begin(), asciiLower);
        }
        ids[i] = it->second;
    }
    std::vector<int> byText(folded.size());
    std::iota(byText.begin(), byText.end(), 0);
    std::sort(byText.begin(), byText.end(), [&](int a, int b) { return folded[a] < folded[b]; });
    std::vector<int> rankOfId(folded.size());
    int current = 0;
    for (std::size_t i = 0; i < byText.size(); ++i) {
        if (i > 0 && folded[byText[i - 1]] != folded[byText[i]])
            ++current;
        rankOfId[byText[i]] = current;
    }
    std::vector<int> rank(notes.size());
    for (std::size_t i = 0; i < notes.size(); ++i)
        rank[i] = rankOfId[ids[i]];
    return rank;
}

// The instrument column's ranks. Notes with the same instrument id carry the same instrument name
// (NSynth's rule, and our renderer's), so each id's name is read and folded once: on 300,000 notes
// this takes a third of the time of looking up every note's name.
std::vector<int> instrumentRanks(const std::vector<dataset::NoteRecord>& notes)
{
    std::unordered_map<int, int> groupOf;
    std::vector<int> firstNote;
    std::vector<int> group(notes.size());
    for (std::size_t i = 0; i < notes.size(); ++i) {
        auto [it, added] = groupOf.emplace(notes[i].instrument, int(firstNote.size()));
        if (added)
            firstNote.push_back(int(i));
        group[i] = it->second;
    }
    std::vector<dataset::NoteRecord> representatives;
    representatives.reserve(firstNote.size());
    for (int i : firstNote)
        representatives.push_back(notes[std::size_t(i)]);
    const std::vector<int> groupRank =
        ranksOf(representatives, [](const dataset::NoteRecord& n) -> std::string_view { return n.instrumentStr; });
    std::vector<int> rank(notes.size());
    for (std::size_t i = 0; i < notes.size(); ++i)
        rank[i] = groupRank[std::size_t(group[i])];
    return rank;
}

} // namespace

NoteFilterProxy::NoteFilterProxy(QObject* parent) : QAbstractProxyModel(parent) {}

void NoteFilterProxy::setNoteModel(NoteTableModel* model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    beginResetModel();
    m_model = model;
    setSourceModel(model);
    if (m_model) {
        connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &NoteFilterProxy::sourceAboutToReset);
        connect(m_model, &QAbstractItemModel::modelReset, this, &NoteFilterProxy::sourceReset);
    }
    m_orders.clear();
    m_nameRank.clear();
    m_nameStarts.clear();
    refilter();
    endResetModel();
}

void NoteFilterProxy::sourceAboutToReset() { beginResetModel(); }

void NoteFilterProxy::sourceReset()
{
    m_only.clear();
    m_orders.clear();
    m_nameRank.clear();
    m_nameStarts.clear();
    refilter();
    endResetModel();
}

void NoteFilterProxy::setFilter(const dataset::NoteFilter& filter)
{
    beginResetModel();
    m_filter = filter;
    refilter();
    endResetModel();
    Q_EMIT filterChanged();
}

void NoteFilterProxy::setOnlyNotes(const std::vector<int>& notes)
{
    if (!m_model || !m_model->dataset())
        return;
    beginResetModel();
    m_only.assign(m_model->dataset()->size(), 0);
    for (int note : notes)
        if (note >= 0 && std::size_t(note) < m_only.size())
            m_only[std::size_t(note)] = 1;
    refilter();
    endResetModel();
    Q_EMIT filterChanged();
}

void NoteFilterProxy::clearOnlyNotes()
{
    if (m_only.empty())
        return;
    beginResetModel();
    m_only.clear();
    refilter();
    endResetModel();
    Q_EMIT filterChanged();
}

void NoteFilterProxy::foldNames()
{
    const auto& notes = m_model->dataset()->notes();
    m_foldedNames.clear();
    m_nameStarts.clear();
    m_nameStarts.reserve(notes.size() + 1);
    std::size_t size = 0;
    for (const auto& note : notes)
        size += note.noteStr.size() + 1;
    m_foldedNames.resize(size);
    std::size_t at = 0;
    for (const auto& note : notes) {
        m_nameStarts.push_back(at);
        at = std::size_t(std::transform(note.noteStr.begin(), note.noteStr.end(), m_foldedNames.begin() + std::ptrdiff_t(at),
                                        asciiLower) - m_foldedNames.begin());
        m_foldedNames[at++] = '\0';
    }
    m_nameStarts.push_back(at);
}

void NoteFilterProxy::rankNames()
{
    // Names are (nearly always) unique: sorted as views into the folded buffer, ties by position.
    const std::size_t count = m_nameStarts.size() - 1;
    auto folded = [&](int note) {
        return std::string_view(m_foldedNames).substr(m_nameStarts[std::size_t(note)],
                                                      m_nameStarts[std::size_t(note) + 1] - m_nameStarts[std::size_t(note)] - 1);
    };
    std::vector<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
        const int c = folded(a).compare(folded(b));
        return c != 0 ? c < 0 : a < b;
    });
    m_nameRank.assign(count, 0);
    int current = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i > 0 && folded(order[i - 1]) != folded(order[i]))
            ++current;
        m_nameRank[std::size_t(order[i])] = current;
    }
}

std::vector<char> NoteFilterProxy::matchingNotes() const
{
    const auto& notes = m_model->dataset()->notes();
    std::string needle = m_filter.text;
    std::transform(needle.begin(), needle.end(), needle.begin(), asciiLower);
    dataset::NoteFilter rest = m_filter;
    rest.text.clear();
    const bool restKeepsAll = rest.families.empty() && rest.sources.empty() && rest.velocities.empty()
                           && rest.instruments.empty() && rest.minPitch <= 0 && rest.maxPitch >= 127;
    // The text, searched for in one buffer of every folded name (NoteFilter's rule: an ASCII
    // case-insensitive substring of note_str): a few milliseconds for 300,000 names, where
    // visiting each name's own string costs a cache miss per note.
    std::vector<char> matching(notes.size(), needle.empty() ? 1 : 0);
    if (!needle.empty() && needle.find('\0') == std::string::npos) {
        std::size_t at = m_foldedNames.find(needle);
        while (at != std::string::npos) {
            const auto next = std::upper_bound(m_nameStarts.begin(), m_nameStarts.end(), at);
            const auto note = std::size_t(next - m_nameStarts.begin()) - 1;
            matching[note] = 1;
            at = m_foldedNames.find(needle, *next);
        }
    }
    if (!restKeepsAll)
        for (std::size_t i = 0; i < notes.size(); ++i)
            matching[i] = matching[i] && rest.matches(notes[i]);
    if (m_only.size() == matching.size())
        for (std::size_t i = 0; i < matching.size(); ++i)
            matching[i] = matching[i] && m_only[i];
    return matching;
}

const std::vector<int>& NoteFilterProxy::orderOf(int column)
{
    auto found = m_orders.find(column);
    if (found != m_orders.end())
        return found->second;
    const auto& notes = m_model->dataset()->notes();
    std::vector<int> order(notes.size());
    std::iota(order.begin(), order.end(), 0);
    if (column >= 0) {
        // Ties by name, so every column's order is the same from run to run.
        if (m_nameRank.size() != notes.size())
            rankNames();
        const std::vector<int>& nameRank = m_nameRank;
        std::vector<int> key;
        switch (column) {
        case NoteTableModel::NameColumn: key = nameRank; break;
        case NoteTableModel::InstrumentColumn: key = instrumentRanks(notes); break;
        case NoteTableModel::GeneratorColumn:
            key = ranksOf(notes, [](const dataset::NoteRecord& n) -> std::string_view { return n.generator; });
            break;
        case NoteTableModel::ClassColumn:
            key = ranksOf(notes, [](const dataset::NoteRecord& n) -> std::string_view { return n.ownClass; });
            break;
        default:
            key.resize(notes.size());
            for (std::size_t i = 0; i < notes.size(); ++i) {
                const auto& n = notes[i];
                key[i] = column == NoteTableModel::FamilyColumn   ? n.family
                       : column == NoteTableModel::SourceColumn   ? n.source
                       : column == NoteTableModel::PitchColumn    ? n.pitch
                       : column == NoteTableModel::VelocityColumn ? n.velocity
                                                                  : 0;
            }
        }
        std::sort(order.begin(), order.end(), [&](int a, int b) {
            return key[a] != key[b] ? key[a] < key[b] : nameRank[a] < nameRank[b];
        });
    }
    return m_orders.emplace(column, std::move(order)).first->second;
}

void NoteFilterProxy::refilter()
{
    m_rows.clear();
    m_proxyRowOf.clear();
    if (!m_model || !m_model->dataset())
        return;
    const auto& notes = m_model->dataset()->notes();
    if (m_nameStarts.size() != notes.size() + 1)
        foldNames();
    const std::vector<int>& order = orderOf(m_sortColumn);
    // Which notes match, tested in the dataset's order (records read front to back), then taken
    // in the sort order.
    const std::vector<char> matching = matchingNotes();
    m_rows.reserve(notes.size());
    auto keep = [&](int note) {
        if (matching[std::size_t(note)])
            m_rows.push_back(note);
    };
    if (m_sortOrder == Qt::AscendingOrder || m_sortColumn < 0)
        std::for_each(order.begin(), order.end(), keep);
    else
        std::for_each(order.rbegin(), order.rend(), keep);
    m_proxyRowOf.assign(notes.size(), -1);
    for (std::size_t r = 0; r < m_rows.size(); ++r)
        m_proxyRowOf[std::size_t(m_rows[r])] = int(r);
}

void NoteFilterProxy::sort(int column, Qt::SortOrder order)
{
    if (column >= NoteTableModel::ColumnCount)
        column = -1;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    // The notes the view holds on to (current, selection) stay the same notes in their new rows.
    const QModelIndexList before = persistentIndexList();
    std::vector<int> notesBefore;
    notesBefore.reserve(std::size_t(before.size()));
    for (const QModelIndex& index : before)
        notesBefore.push_back(noteIndexAt(index.row()));
    m_sortColumn = column;
    m_sortOrder = order;
    refilter();
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i) {
        const int row = proxyRowOf(notesBefore[std::size_t(i)]);
        after.push_back(row < 0 ? QModelIndex() : index(row, before[i].column()));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

int NoteFilterProxy::noteIndexAt(int proxyRow) const
{
    return proxyRow >= 0 && proxyRow < int(m_rows.size()) ? m_rows[std::size_t(proxyRow)] : -1;
}

int NoteFilterProxy::proxyRowOf(int noteIndex) const
{
    return noteIndex >= 0 && noteIndex < int(m_proxyRowOf.size()) ? m_proxyRowOf[std::size_t(noteIndex)] : -1;
}

QModelIndex NoteFilterProxy::index(int row, int column, const QModelIndex& parent) const
{
    if (parent.isValid() || row < 0 || row >= rowCount() || column < 0 || column >= columnCount())
        return {};
    return createIndex(row, column);
}

QModelIndex NoteFilterProxy::parent(const QModelIndex&) const { return {}; }

int NoteFilterProxy::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int NoteFilterProxy::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_model ? 0 : m_model->columnCount();
}

QModelIndex NoteFilterProxy::mapToSource(const QModelIndex& proxyIndex) const
{
    if (!m_model || !proxyIndex.isValid() || proxyIndex.model() != this)
        return {};
    const int note = noteIndexAt(proxyIndex.row());
    return note < 0 ? QModelIndex() : m_model->index(note, proxyIndex.column());
}

QModelIndex NoteFilterProxy::mapFromSource(const QModelIndex& sourceIndex) const
{
    if (!sourceIndex.isValid() || sourceIndex.model() != m_model)
        return {};
    const int row = proxyRowOf(sourceIndex.row());
    return row < 0 ? QModelIndex() : index(row, sourceIndex.column());
}

} // namespace ts::ui
