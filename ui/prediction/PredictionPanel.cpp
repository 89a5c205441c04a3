#include "ui/prediction/PredictionPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QMetaMethod>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "ui/common/ConfidenceDelegate.h"
#include "ui/prediction/ModelBar.h"
#include "ui/prediction/PredictionWorker.h"
#include "ui/prediction/ScoreChart.h"
#include "ui/prediction/SoundFileCollector.h"

namespace ts::ui {
namespace {

// Decoded sound is kept with its row so that selecting it shows the views at once; long files and
// anything past the budget are decoded again by the receiver of fileSelected instead.
constexpr std::size_t kKeepSamplesPerFile = 60 * 16000;
constexpr std::size_t kKeepSamplesTotal = 32 * 1024 * 1024;  // 128 MiB of float samples

QStringList localPaths(const QMimeData* mime)
{
    QStringList paths;
    if (mime && mime->hasUrls())
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
    return paths;
}

} // namespace

PredictionPanel::PredictionPanel(ClassifierLoader loader, QWidget* parent) : QWidget(parent)
{
    qRegisterMetaType<ts::ui::PredictionResult>();
    qRegisterMetaType<ts::ui::LoadedModel>();
    setAcceptDrops(true);

    m_modelBar = new ModelBar(this);
    connect(m_modelBar, &ModelBar::modelFileChosen, this, &PredictionPanel::setModel);
    connect(m_modelBar, &ModelBar::trainingRequested, this, &PredictionPanel::trainingRequested);

    // The rows, or a hint while there are none.
    m_tree = new QTreeWidget(this);
    m_tree->setColumnCount(PredictionRow::ColumnCount);
    m_tree->setHeaderLabels({tr("File"), tr("Family"), tr("Source"), tr("Details"), tr("Class")});
    // A model of own classes answers in the Class column, shown after the file's name; hidden for
    // models of NSynth's family and source (setModelInfo).
    m_tree->header()->moveSection(ClassColumn, 1);
    m_tree->setColumnHidden(ClassColumn, true);
    m_tree->setRootIsDecorated(true);
    m_tree->setUniformRowHeights(false);
    m_tree->setAlternatingRowColors(true);
    m_tree->setSelectionMode(QAbstractItemView::SingleSelection);
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    m_tree->header()->setStretchLastSection(true);
    m_tree->setColumnWidth(FileColumn, 260);
    m_tree->setColumnWidth(FamilyColumn, 170);
    m_tree->setColumnWidth(SourceColumn, 150);
    auto* confidence = new ConfidenceDelegate(m_tree);
    m_tree->setItemDelegateForColumn(FamilyColumn, confidence);
    m_tree->setItemDelegateForColumn(SourceColumn, confidence);
    m_tree->setItemDelegateForColumn(ClassColumn, confidence);
    m_tree->setColumnWidth(ClassColumn, 170);
    auto* hint = new QLabel(tr("Drop sound files or folders here to classify them\n(any format libsndfile reads, any rate, any channels)"), this);
    hint->setAlignment(Qt::AlignCenter);
    hint->setForegroundRole(QPalette::PlaceholderText);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(hint);
    m_stack->addWidget(m_tree);
    m_summary = new QLabel(this);
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    auto* addButton = new QToolButton(this);
    addButton->setText(tr("Add files…"));
    connect(addButton, &QToolButton::clicked, this, &PredictionPanel::chooseFiles);
    auto* folderButton = new QToolButton(this);
    folderButton->setText(tr("Add folder…"));
    connect(folderButton, &QToolButton::clicked, this, &PredictionPanel::chooseFolder);
    auto* clearButton = new QToolButton(this);
    clearButton->setText(tr("Clear"));
    connect(clearButton, &QToolButton::clicked, this, &PredictionPanel::clear);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_summary, 1);
    bottom->addWidget(addButton);
    bottom->addWidget(folderButton);
    bottom->addWidget(clearButton);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_modelBar);
    layout->addWidget(m_stack, 1);
    layout->addLayout(bottom);

    connect(m_tree, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) { onCurrentItemChanged(item); });
    connect(m_tree, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem* item) {
        const int row = m_tree->indexOfTopLevelItem(item);
        const PredictionResult* result = row >= 0 ? rowResult(row) : nullptr;
        if (result && result->ok())
            Q_EMIT rowClicked(rowPath(row), result->audio);
    });
    connect(m_tree, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { requestPlay(item); });
    connect(m_tree, &QTreeWidget::itemExpanded, this, &PredictionPanel::expandCharts);
    connect(m_tree, &QTreeWidget::customContextMenuRequested, this, &PredictionPanel::showContextMenu);

    m_worker = std::make_unique<WorkerThread<PredictionWorker>>(QStringLiteral("PredictionWorker"), std::move(loader));
    connect(m_worker->worker(), &PredictionWorker::finished, this, &PredictionPanel::onResult);
    connect(m_worker->worker(), &PredictionWorker::modelLoaded, this, &PredictionPanel::onModelLoaded);
    connect(m_worker->worker(), &PredictionWorker::modelFailed, this, &PredictionPanel::onModelFailed);
    updateSummary();
}

// m_worker cancels what is queued and waits for the file being classified.
PredictionPanel::~PredictionPanel() = default;


void PredictionPanel::addFiles(const QStringList& paths)
{
    const CollectedFiles collected = collectSoundFiles(paths);
    PredictionRow* first = nullptr;
    for (const QString& path : collected.files) {
        auto* row = new PredictionRow(m_tree, path);
        first = first ? first : row;
        queue(row, nullptr);
    }
    if (!first)
        return;
    m_stack->setCurrentWidget(m_tree);
    if (!m_tree->currentItem())
        m_tree->setCurrentItem(first);
    updateSummary();
    if (collected.truncated)
        m_summary->setText(m_summary->text() + tr(" · only the first %1 files were added").arg(collected.files.size()));
}

void PredictionPanel::clear()
{
    // Outstanding results for these rows will be skipped by the worker and ignored by onResult.
    m_worker->cancel();
    m_jobs.clear();
    m_pending = 0;
    m_keptSamples = 0;
    m_tree->clear();
    m_stack->setCurrentIndex(0);
    updateSummary();
}

void PredictionPanel::queue(PredictionRow* row, std::shared_ptr<const ts::audio::DecodedAudio> audio)
{
    const quint64 job = m_nextJob++;
    m_jobs.insert(job, row);
    ++m_pending;
    row->showWaiting();
    m_worker->post([job, path = row->path(), audio](PredictionWorker& worker, const CancellationToken& cancel) {
        worker.classify(job, path, audio, cancel);
    });
}

void PredictionPanel::onResult(const PredictionResult& result)
{
    PredictionRow* row = m_jobs.take(result.job);
    if (!row)
        return;  // the row was cleared or removed meanwhile
    --m_pending;
    showResult(row, result);
    if (row == rowOf(m_tree->currentItem()))
        onCurrentItemChanged(row);  // the selected row's sound just became available
    updateSummary();
    if (!isWorking())
        Q_EMIT idle();
}

void PredictionPanel::showResult(PredictionRow* row, PredictionResult result)
{
    forget(row);
    if (result.audio) {
        const std::size_t n = result.audio->samples.size();
        if (n <= kKeepSamplesPerFile && m_keptSamples + n <= kKeepSamplesTotal)
            m_keptSamples += n;
        else
            result.audio.reset();
    }
    const bool wasExpanded = row->isExpanded();
    row->showResult(std::move(result));
    if (wasExpanded)
        expandCharts(row);
}

// Releases what the memory budget counts for a row's kept sound.
void PredictionPanel::forget(PredictionRow* row)
{
    if (row->result() && row->result()->audio) {
        m_keptSamples -= row->result()->audio->samples.size();
        row->dropAudio();
    }
}

void PredictionPanel::expandCharts(QTreeWidgetItem* item)
{
    auto* row = dynamic_cast<PredictionRow*>(item);
    QTreeWidgetItem* chartRow = row ? row->chartRow() : nullptr;
    if (!chartRow || m_tree->itemWidget(chartRow, FileColumn) || !row->result())
        return;
    const PredictionResult& result = *row->result();
    auto* charts = new QWidget;
    auto* layout = new QHBoxLayout(charts);
    layout->setContentsMargins(0, 2, 0, 6);
    if (result.ownClass)
        layout->addWidget(new ScoreChart(tr("Class"), result.ownClass->labels, result.ownClass->scores), 0, Qt::AlignTop);
    if (result.family)
        layout->addWidget(new ScoreChart(tr("Family"), result.family->labels, result.family->scores));
    if (result.source)
        layout->addWidget(new ScoreChart(tr("Source"), result.source->labels, result.source->scores), 0, Qt::AlignTop);
    layout->addStretch(1);
    chartRow->setSizeHint(FileColumn, QSize(-1, charts->sizeHint().height()));
    m_tree->setItemWidget(chartRow, FileColumn, charts);
}

void PredictionPanel::onCurrentItemChanged(QTreeWidgetItem* item)
{
    PredictionRow* row = rowOf(item);
    if (!row || !row->result())  // while still working, onResult calls this again when done
        return;
    Q_EMIT fileSelected(row->path(), row->result()->audio);
    QList<WaveformSegment> segments;
    for (const PredictedSegment& s : row->result()->segments) {
        // Each note labelled by its own class when the model has them, else by its family.
        const std::optional<ClassScores>& named = s.ownClass ? s.ownClass : s.family;
        segments << WaveformSegment{s.start, s.end, named ? named->bestLabel() : QString(),
                                    named ? named->uncertain : (s.source && s.source->uncertain)};
    }
    Q_EMIT segmentsSelected(row->path(), segments);
}

void PredictionPanel::requestPlay(QTreeWidgetItem* item)
{
    PredictionRow* row = rowOf(item);
    if (row && row->result() && row->result()->ok())
        Q_EMIT playRequested(row->path(), row->result()->audio);
}

void PredictionPanel::setShippedModelPath(const QString& path)
{
    m_modelBar->setShippedModelPath(path);
    if (!m_model && !m_modelLoading)
        m_modelBar->showModel(std::nullopt);  // the banner's offer depends on it
}

void PredictionPanel::setModelFileFilter(const QString& filter)
{
    m_modelBar->setModelFileFilter(filter);
}

void PredictionPanel::setModel(const QString& path)
{
    if (path.isEmpty())
        return;
    m_modelLoading = true;
    m_modelBar->showLoading(path);
    m_worker->post([path](PredictionWorker& worker, const CancellationToken&) { worker.loadModel(path); });
}

void PredictionPanel::onModelLoaded(const LoadedModel& model)
{
    m_modelLoading = false;
    m_model = model;
    m_modelBar->showModel(m_model);
    m_tree->setColumnHidden(ClassColumn, !model.predictsClass);
    // Every readable row is classified again with the new model (from its kept sound if any).
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        PredictionRow* row = rowAt(i);
        if (row->result() && row->result()->ok() && !m_jobs.key(row))
            queue(row, row->result()->audio);
    }
    updateSummary();
    Q_EMIT modelChanged(model);
    if (!isWorking())
        Q_EMIT idle();
}

void PredictionPanel::onModelFailed(const QString& path, const QString& error)
{
    // The previous model (if any) stays in use; the failure is shown under its name.
    m_modelLoading = false;
    m_modelBar->showModel(m_model);
    m_modelBar->showError(path, error);
    Q_EMIT modelFailed(path, error);
    if (!isWorking())
        Q_EMIT idle();
}

void PredictionPanel::updateSummary()
{
    const int rows = m_tree->topLevelItemCount();
    int errors = 0;
    for (int i = 0; i < rows; ++i)
        errors += rowAt(i)->hasError() ? 1 : 0;
    QStringList parts;
    parts << tr("%n file(s)", nullptr, rows);
    if (errors > 0)
        parts << tr("%n cannot be read", nullptr, errors);
    if (m_pending > 0)
        parts << tr("classifying %n…", nullptr, m_pending);
    m_summary->setText(rows == 0 ? QString() : parts.join(QStringLiteral(" · ")));
}

void PredictionPanel::chooseFiles()
{
    requestFiles(QFileDialog::getOpenFileNames(this, tr("Classify files"), QString(),
                                               soundFileDialogFilter() + tr(";;All files (*)")));
}

void PredictionPanel::chooseFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Classify a folder"));
    if (!folder.isEmpty())
        requestFiles({folder});
}

void PredictionPanel::requestFiles(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    // In the main window, files chosen here go the same way as dropped ones (the first is shown
    // in the views at once); a panel on its own classifies them directly.
    if (isSignalConnected(QMetaMethod::fromSignal(&PredictionPanel::classifyRequested)))
        Q_EMIT classifyRequested(paths);
    else
        addFiles(paths);
}

void PredictionPanel::showContextMenu(const QPoint& position)
{
    PredictionRow* row = rowOf(m_tree->itemAt(position));
    if (!row)
        return;
    QMenu menu(this);
    menu.addAction(tr("Play"), this, [this, row] { requestPlay(row); })->setEnabled(row->result() && row->result()->ok());
    menu.addAction(tr("Copy path"), this, [row] { QApplication::clipboard()->setText(row->path()); });
    menu.addSeparator();
    menu.addAction(tr("Remove"), this, [this, row] {
        if (const quint64 job = m_jobs.key(row)) {  // still working on it: drop the answer
            m_jobs.remove(job);
            --m_pending;
        }
        forget(row);
        delete row;
        updateSummary();
        if (!isWorking())
            Q_EMIT idle();
    });
    menu.exec(m_tree->viewport()->mapToGlobal(position));
}

PredictionRow* PredictionPanel::rowOf(QTreeWidgetItem* item)
{
    while (item && item->parent())
        item = item->parent();
    return dynamic_cast<PredictionRow*>(item);
}

PredictionRow* PredictionPanel::rowAt(int row) const
{
    return row >= 0 && row < m_tree->topLevelItemCount() ? dynamic_cast<PredictionRow*>(m_tree->topLevelItem(row)) : nullptr;
}

int PredictionPanel::rowCount() const
{
    return m_tree->topLevelItemCount();
}

QString PredictionPanel::rowText(int row, Column column) const
{
    const PredictionRow* item = rowAt(row);
    return item ? item->text(column) : QString();
}

QString PredictionPanel::rowPath(int row) const
{
    const PredictionRow* item = rowAt(row);
    return item ? item->path() : QString();
}

bool PredictionPanel::rowHasError(int row) const
{
    const PredictionRow* item = rowAt(row);
    return item && item->hasError();
}

const PredictionResult* PredictionPanel::rowResult(int row) const
{
    const PredictionRow* item = rowAt(row);
    return item && item->result() ? &*item->result() : nullptr;
}

void PredictionPanel::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void PredictionPanel::dropEvent(QDropEvent* event)
{
    const QStringList paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    addFiles(paths);
}

} // namespace ts::ui
