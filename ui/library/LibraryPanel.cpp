#include "ui/library/LibraryPanel.h"

#include <QAction>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QSignalBlocker>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

#include "dataset/Labels.h"
#include "ui/library/MultiChoiceButton.h"
#include "ui/library/NoteFilterProxy.h"
#include "ui/library/NoteTableModel.h"
#include "ui/library/PitchSpinBox.h"
#include "ui/common/LabelNames.h"

namespace ts::ui {

namespace {
// Counts read "4,096": the C locale Qt falls back to without a LANG has no digit grouping.
QString formatCount(long long n)
{
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale = QLocale(QLocale::English, QLocale::UnitedStates);
    locale.setNumberOptions({});
    return locale.toString(n);
}
} // namespace

LibraryPanel::LibraryPanel(QWidget* parent)
    : QWidget(parent), m_model(new NoteTableModel(this)), m_proxy(new NoteFilterProxy(this))
{
    m_proxy->setNoteModel(m_model);
    buildControls();
    updateChoices();
    updateCount();
}

void LibraryPanel::buildControls()
{
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search note names (e.g. guitar_acoustic, 060)"));
    m_search->setClearButtonEnabled(true);

    m_families = new MultiChoiceButton(tr("Family"), this);
    m_sources = new MultiChoiceButton(tr("Source"), this);
    m_velocities = new MultiChoiceButton(tr("Velocity"), this);
    m_minPitch = new PitchSpinBox(this);
    m_maxPitch = new PitchSpinBox(this);
    m_minPitch->setValue(0);
    m_maxPitch->setValue(127);
    m_minPitch->setToolTip(tr("Lowest pitch shown (note name or MIDI number)"));
    m_maxPitch->setToolTip(tr("Highest pitch shown (note name or MIDI number)"));
    m_reset = new QToolButton(this);
    m_reset->setText(tr("Reset"));
    m_reset->setToolTip(tr("Show every note"));
    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("libraryCount"));
    m_count->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    // By name: a dataset's file order is its own (NSynth's and ours are shuffled) and says nothing.
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTabKeyNavigation(false);
    // Fixed row heights and column widths: Qt then never measures 4,096 rows' contents.
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    // Widths from the longest text a column typically holds, or its title plus the sort arrow.
    const QFontMetrics cells = m_table->fontMetrics();
    const QFontMetrics titles = header->fontMetrics();
    auto fit = [&](int column, const QString& sample) {
        const QString title = m_model->headerData(column, Qt::Horizontal).toString();
        header->resizeSection(column, std::max(cells.horizontalAdvance(sample) + 14, titles.horizontalAdvance(title) + 26));
    };
    fit(NoteTableModel::NameColumn, QStringLiteral("keyboard_electronic_000-000-000"));
    fit(NoteTableModel::FamilyColumn, QStringLiteral("synth lead"));
    fit(NoteTableModel::SourceColumn, QStringLiteral("electronic"));
    fit(NoteTableModel::PitchColumn, QStringLiteral("C#-1"));
    fit(NoteTableModel::VelocityColumn, QStringLiteral("127"));
    fit(NoteTableModel::InstrumentColumn, QStringLiteral("keyboard_electronic_000"));
    fit(NoteTableModel::GeneratorColumn, QStringLiteral("MuseScore_General_Full"));
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QHeaderView::customContextMenuRequested, this, &LibraryPanel::showHeaderMenu);

    auto* filterRow = new QHBoxLayout;
    filterRow->setSpacing(4);
    filterRow->addWidget(m_families);
    filterRow->addWidget(m_sources);
    filterRow->addWidget(m_velocities);
    filterRow->addStretch(1);
    auto* pitchRow = new QHBoxLayout;
    pitchRow->setSpacing(4);
    pitchRow->addWidget(new QLabel(tr("Pitch"), this));
    pitchRow->addWidget(m_minPitch);
    pitchRow->addWidget(new QLabel(tr("to"), this));
    pitchRow->addWidget(m_maxPitch);
    pitchRow->addStretch(1);
    pitchRow->addWidget(m_reset);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addLayout(filterRow);
    layout->addLayout(pitchRow);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_count);

    connect(m_search, &QLineEdit::textChanged, this, &LibraryPanel::applyControls);
    connect(m_families, &MultiChoiceButton::selectionChanged, this, &LibraryPanel::applyControls);
    connect(m_sources, &MultiChoiceButton::selectionChanged, this, &LibraryPanel::applyControls);
    connect(m_velocities, &MultiChoiceButton::selectionChanged, this, &LibraryPanel::applyControls);
    connect(m_minPitch, qOverload<int>(&QSpinBox::valueChanged), this, &LibraryPanel::applyControls);
    connect(m_maxPitch, qOverload<int>(&QSpinBox::valueChanged), this, &LibraryPanel::applyControls);
    connect(m_reset, &QToolButton::clicked, this, &LibraryPanel::resetFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &LibraryPanel::emitCurrent);
    // A click on the row that is already current shows it again (the views may show a dropped
    // file meanwhile, with the library's selection cleared).
    connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
        if (index.row() == m_table->currentIndex().row())
            Q_EMIT currentNoteChanged(currentNoteIndex());
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT noteActivated(m_proxy->noteIndexAt(index.row()));
    });
    // A model reset or a filter that hides the current row leaves no current row: say so.
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &LibraryPanel::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &LibraryPanel::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &LibraryPanel::emitCurrent);
}

QSize LibraryPanel::sizeHint() const
{
    const QHeaderView* header = m_table->horizontalHeader();
    int columns = 0;
    for (int c = 0; c < header->count(); ++c)
        columns += header->sectionSize(c);
    const int chrome = 2 * m_table->frameWidth() + style()->pixelMetric(QStyle::PM_ScrollBarExtent) +
                       layout()->contentsMargins().left() + layout()->contentsMargins().right();
    return QSize(columns + chrome, QWidget::sizeHint().height());
}

void LibraryPanel::showHeaderMenu(const QPoint& position)
{
    QHeaderView* header = m_table->horizontalHeader();
    QMenu menu(this);
    for (int c = 0; c < m_model->columnCount(); ++c) {
        QAction* action = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!header->isSectionHidden(c));
        action->setEnabled(c != NoteTableModel::NameColumn);  // the name identifies the row
        connect(action, &QAction::toggled, header, [header, c](bool shown) { header->setSectionHidden(c, !shown); });
    }
    menu.exec(header->viewport()->mapToGlobal(position));
}

QByteArray LibraryPanel::saveHeaderState() const
{
    return m_table->horizontalHeader()->saveState();
}

void LibraryPanel::restoreHeaderState(const QByteArray& state)
{
    if (!state.isEmpty())
        m_table->horizontalHeader()->restoreState(state);
}

void LibraryPanel::setDataset(std::shared_ptr<const dataset::Dataset> dataset)
{
    m_model->setDataset(std::move(dataset));
    // An imported dataset's own classes get a column, shown second; other datasets have none.
    const auto& ds = m_model->dataset();
    m_table->setColumnHidden(NoteTableModel::ClassColumn, !ds || ds->classNames().empty());
    m_table->horizontalHeader()->moveSection(m_table->horizontalHeader()->visualIndex(NoteTableModel::ClassColumn), 1);
    updateChoices();
    updateCount();
    if (m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    emitCurrent();
}

const std::shared_ptr<const dataset::Dataset>& LibraryPanel::dataset() const
{
    return m_model->dataset();
}

void LibraryPanel::updateChoices()
{
    const auto& ds = m_model->dataset();
    std::array<int, 11> familyCounts{};
    std::array<int, 3> sourceCounts{};
    std::set<int> velocities(dataset::kNsynthVelocities.begin(), dataset::kNsynthVelocities.end());
    if (ds) {
        familyCounts = ds->familyCounts();
        sourceCounts = ds->sourceCounts();
        velocities.clear();
        for (const auto& note : ds->notes())
            velocities.insert(note.velocity);
    }
    QVector<MultiChoiceButton::Choice> families;
    for (int f = 0; f < int(familyCounts.size()); ++f)
        families.push_back({f, QStringLiteral("%1 (%2)").arg(familyDisplayName(f),
                                                               formatCount(familyCounts[std::size_t(f)]))});
    QVector<MultiChoiceButton::Choice> sources;
    for (int s = 0; s < int(sourceCounts.size()); ++s)
        sources.push_back({s, QStringLiteral("%1 (%2)").arg(sourceDisplayName(s),
                                                              formatCount(sourceCounts[std::size_t(s)]))});
    QVector<MultiChoiceButton::Choice> velocityChoices;
    for (int v : velocities)
        velocityChoices.push_back({v, QString::number(v)});
    m_families->setChoices(families);
    m_sources->setChoices(sources);
    m_velocities->setChoices(velocityChoices);
}

dataset::NoteFilter LibraryPanel::filter() const
{
    return m_proxy->filter();
}

void LibraryPanel::setFilter(const dataset::NoteFilter& filter)
{
    m_applying = true;
    {
        const QSignalBlocker b1(m_search), b2(m_minPitch), b3(m_maxPitch);
        m_search->setText(QString::fromStdString(filter.text));
        m_minPitch->setValue(filter.minPitch);
        m_maxPitch->setValue(filter.maxPitch);
        m_families->setSelected(filter.families);
        m_sources->setSelected(filter.sources);
        m_velocities->setSelected(filter.velocities);
    }
    m_applying = false;
    refilter(filter);
}

void LibraryPanel::resetFilter()
{
    if (m_proxy->hasOnlyNotes())
        changeRows([&] { m_proxy->clearOnlyNotes(); });
    setFilter(dataset::NoteFilter{});
}

void LibraryPanel::showOnlyNotes(const std::vector<int>& notes)
{
    changeRows([&] { m_proxy->setOnlyNotes(notes); });
}

void LibraryPanel::applyControls()
{
    if (m_applying)
        return;
    dataset::NoteFilter filter = m_proxy->filter();  // keeps the instruments restriction, if any
    filter.text = m_search->text().trimmed().toStdString();
    filter.families = m_families->selected();
    filter.sources = m_sources->selected();
    filter.velocities = m_velocities->selected();
    filter.minPitch = m_minPitch->value();
    filter.maxPitch = m_maxPitch->value();
    refilter(filter);
}

void LibraryPanel::refilter(const dataset::NoteFilter& filter)
{
    changeRows([&] { m_proxy->setFilter(filter); });
}

void LibraryPanel::changeRows(const std::function<void()>& change)
{
    // The proxy resets on a filter change: the current note is put back when it is still shown,
    // without telling the views it went away in between.
    const int current = currentNoteIndex();
    m_refiltering = true;
    change();
    // Keep a note current while any is visible, so the views never go blank on a filter change.
    if ((current < 0 || !selectNote(current)) && m_proxy->rowCount() > 0)
        m_table->setCurrentIndex(m_proxy->index(0, 0));
    m_refiltering = false;
    updateCount();
    emitCurrent();
}

void LibraryPanel::updateCount()
{
    const long long total = m_model->rowCount();
    m_count->setText(m_proxy->hasOnlyNotes()
                         ? tr("%1 of %2 notes (chosen on the map)").arg(formatCount(m_proxy->rowCount()), formatCount(total))
                         : tr("%1 of %2 notes").arg(formatCount(m_proxy->rowCount()), formatCount(total)));
}

QString LibraryPanel::countText() const
{
    return m_count->text();
}

int LibraryPanel::visibleCount() const
{
    return m_proxy->rowCount();
}

int LibraryPanel::currentNoteIndex() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_proxy->noteIndexAt(current.row()) : -1;
}

bool LibraryPanel::selectNote(int noteIndex)
{
    const int row = m_proxy->proxyRowOf(noteIndex);
    if (row < 0)
        return false;
    const QModelIndex index = m_proxy->index(row, 0);
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

void LibraryPanel::focusSearch()
{
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void LibraryPanel::focusNotes() { m_table->setFocus(); }

void LibraryPanel::clearSelection() { m_table->clearSelection(); }

void LibraryPanel::emitCurrent()
{
    if (m_refiltering)
        return;
    const int note = currentNoteIndex();
    if (note == m_lastEmitted)
        return;
    m_lastEmitted = note;
    Q_EMIT currentNoteChanged(note);
}

} // namespace ts::ui
