#include "ui/training/TrainingPanel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QThread>
#include <QTime>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "ui/training/TrainingCharts.h"
#include "ui/training/TrainingForm.h"
#include "ui/training/TrainingProgressBars.h"
#include "util/AppPaths.h"

namespace ts::ui {
namespace {

QString metricsText(const QMap<QString, double>& metrics)
{
    QStringList parts;
    for (auto it = metrics.begin(); it != metrics.end(); ++it)
        if (it.key().startsWith(QStringLiteral("test_")) && it.key().endsWith(QStringLiteral("_accuracy")))
            parts << TrainingPanel::tr("test %1 accuracy %2%").arg(it.key().mid(5).chopped(9)).arg(100.0 * it.value(), 0, 'f', 1);
    return parts.join(QStringLiteral(" · "));
}

} // namespace

TrainingPanel::TrainingPanel(QWidget* parent)
    : QWidget(parent), m_threads(std::max(1, QThread::idealThreadCount() - 1))
{
    m_form = new TrainingForm(this);
    auto* formScroll = new QScrollArea(this);
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setFrameShape(QFrame::NoFrame);
    formScroll->setMinimumWidth(m_form->sizeHint().width() + 24);

    m_startButton = new QPushButton(tr("Start"), this);
    m_startButton->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, this, &TrainingPanel::start);
    m_stopButton = new QPushButton(tr("Stop"), this);
    m_stopButton->setToolTip(tr("Stop after the current batch, keeping the best epoch so far"));
    connect(m_stopButton, &QPushButton::clicked, this, &TrainingPanel::stop);
    m_resumeButton = new QToolButton(this);
    m_resumeButton->setText(tr("Resume…"));
    m_resumeButton->setPopupMode(QToolButton::MenuButtonPopup);
    m_resumeButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* resumeMenu = new QMenu(m_resumeButton);
    resumeMenu->addAction(tr("Resume from a checkpoint file…"), this, &TrainingPanel::chooseCheckpoint);
    m_resumeButton->setMenu(resumeMenu);
    connect(m_resumeButton, &QToolButton::clicked, this, &TrainingPanel::resume);
    m_useButton = new QPushButton(tr("Use for prediction"), this);
    m_useButton->setToolTip(tr("Classify dropped files with this model"));
    connect(m_useButton, &QPushButton::clicked, this, [this] {
        appendLog(tr("Prediction now uses %1").arg(m_modelPath));
        Q_EMIT useModelRequested(m_modelPath);
    });
    m_openButton = new QPushButton(tr("Open model…"), this);
    m_openButton->setToolTip(tr("Show the training history of a saved model file"));
    connect(m_openButton, &QPushButton::clicked, this, &TrainingPanel::chooseModel);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_stopButton);
    buttons->addWidget(m_resumeButton);
    buttons->addStretch(1);
    buttons->addWidget(m_useButton);
    buttons->addWidget(m_openButton);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_progress = new TrainingProgressBars(this);
    m_charts = new TrainingCharts(this);
    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kMaxLogLines);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setPlaceholderText(tr("The log of a run: data, one line per epoch, where the model was saved."));
    auto* chartsAndLog = new QSplitter(Qt::Vertical, this);
    chartsAndLog->addWidget(m_charts);
    chartsAndLog->addWidget(m_log);
    chartsAndLog->setStretchFactor(0, 5);
    chartsAndLog->setStretchFactor(1, 1);
    chartsAndLog->setChildrenCollapsible(false);

    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(buttons);
    rightLayout->addWidget(m_status);
    rightLayout->addWidget(m_progress);
    rightLayout->addWidget(chartsAndLog, 1);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(formScroll);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 0);
    splitter->setStretchFactor(1, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(splitter);

    m_worker = std::make_unique<WorkerThread<TrainingWorker>>(QStringLiteral("TrainingWorker"));
    const TrainingWorker* worker = m_worker->worker();
    connect(worker, &TrainingWorker::started, this, &TrainingPanel::onStarted);
    connect(worker, &TrainingWorker::historyRestored, this, &TrainingPanel::onHistoryRestored);
    connect(worker, &TrainingWorker::batchProgress, this, [this](const TrainingBatch& b) {
        m_progress->showBatch(b);
        m_charts->addBatch(b);
        Q_EMIT batchShown(b);
    });
    connect(worker, &TrainingWorker::epochFinished, this, &TrainingPanel::onEpoch);
    connect(worker, &TrainingWorker::logLine, this, &TrainingPanel::appendLog);
    connect(worker, &TrainingWorker::finished, this, &TrainingPanel::onFinished);

    // Before any run the empty charts follow the form: the right accuracy series and epoch axis.
    m_form->setCpuThreads(m_threads, QThread::idealThreadCount());
    connect(m_form, &TrainingForm::planChanged, this, [this] {
        if (!m_running && !m_loadingFile && m_charts->epochPoints() == 0 && m_charts->batchSeries()->count() == 0)
            m_charts->reset(m_form->epochs(), m_form->targets());
    });
    m_charts->reset(m_form->epochs(), m_form->targets());
    setRunning(false);
    setStatus(tr("Choose a dataset and an architecture, then Start. Models are saved in %1.")
                  .arg(QString::fromStdString(ts::userModelsFolder())));
}

// m_worker cancels a run in progress, which stops after its batch and still saves its best epoch
// before the thread ends.
TrainingPanel::~TrainingPanel() = default;

void TrainingPanel::setTrainingThreads(int threads)
{
    m_threads = std::max(1, threads);
    m_form->setCpuThreads(m_threads, QThread::idealThreadCount());
}

void TrainingPanel::setOpenDataset(const QString& folder)
{
    m_form->setOpenDataset(folder);
}

bool TrainingPanel::start()
{
    if (m_running || m_loadingFile) {
        setStatus(tr("A run is already going: stop it first."), true);
        return false;
    }
    startRequest(m_form->request());
    return true;
}

void TrainingPanel::startRequest(TrainingRequest request)
{
    ml::TrainingOptions& options = request.job.options;
    request.processes = std::max(1, request.processes);
    options.threads = std::max(1, m_threads / request.processes);  // the processes share the threads
    request.lowPriority = m_lowPriority;
    request.rankProgram = m_rankProgram;
    m_request = request;
    m_charts->reset(options.epochs, m_form->targets());
    m_progress->reset();
    if (!m_log->document()->isEmpty())
        appendLog(QString());
    const QString dataFolder = QString::fromStdString(request.job.dataFolder);
    appendLog(tr("%1 · %2 on %3 · split %4 · %5 epochs, batch %6, learning rate %7, patience %8 · %9 threads%10")
                  .arg(QTime::currentTime().toString(QStringLiteral("HH:mm:ss")), QString::fromStdString(options.architecture),
                       dataFolder.isEmpty() ? tr("(no dataset)") : dataFolder, QString::fromStdString(request.job.split))
                  .arg(options.epochs)
                  .arg(options.batchSize)
                  .arg(options.learningRate)
                  .arg(options.patience)
                  .arg(options.threads)
                  .arg(request.processes > 1 ? tr(" in each of %1 processes").arg(request.processes) : QString()));
    const QString resumePath = QString::fromStdString(options.resumePath);
    setStatus(resumePath.isEmpty() ? tr("Loading the data…") : tr("Resuming %1…").arg(resumePath));
    setRunning(true);
    m_worker->post([request, sink = m_featureProgress.sink()](TrainingWorker& worker, const CancellationToken& cancel) {
        worker.train(request, cancel, sink);
    });
    Q_EMIT trainingStarted();
}

void TrainingPanel::stop()
{
    if (!m_running)
        return;
    m_worker->cancel();
    m_stopButton->setEnabled(false);
    setStatus(tr("Stopping after the current batch and saving the best epoch so far…"));
}

void TrainingPanel::resume()
{
    if (!m_offeredCheckpoint.isEmpty() && QFileInfo::exists(m_offeredCheckpoint))
        resumeFrom(m_offeredCheckpoint);
    else
        chooseCheckpoint();
}

void TrainingPanel::resumeFrom(const QString& checkpointPath)
{
    if (m_running || m_loadingFile) {
        setStatus(tr("A run is already going: stop it first."), true);
        return;
    }
    m_loadingFile = true;
    setRunning(false);
    setStatus(tr("Reading %1…").arg(checkpointPath));
    m_fileRead.run([checkpointPath] { return readModelFileSummary(checkpointPath); }, [this, checkpointPath](Result<ModelFileSummary> read) {
        m_loadingFile = false;
        setRunning(false);
        if (!read || !read->resumable) {
            setStatus(read ? tr("%1: not a checkpoint (a finished model holds no state to continue from; "
                                "use MODEL.tsm.checkpoint)").arg(checkpointPath)
                           : QString::fromStdString(read.error().describe()),
                      true);
            return;
        }
        m_form->applyCheckpoint(read->metadata, read->path);
        TrainingRequest request = m_form->request();
        request.job.options.resumePath = read->path.toStdString();
        startRequest(request);
    });
}

void TrainingPanel::openModel(const QString& path)
{
    if (m_running || m_loadingFile) {
        setStatus(tr("Stop the run before opening another model."), true);
        return;
    }
    m_loadingFile = true;
    setRunning(false);
    setStatus(tr("Reading %1…").arg(path));
    m_fileRead.run([path] { return readModelFileSummary(path); }, [this, path](Result<ModelFileSummary> readResult) {
        m_loadingFile = false;
        setRunning(false);
        if (!readResult) {
            const QString error = QString::fromStdString(readResult.error().describe());
            setStatus(error, true);
            Q_EMIT modelOpenFailed(path, error);
            return;
        }
        const ModelFileSummary& read = *readResult;
        const auto& m = read.metadata;
        const QString name = QFileInfo(read.path).fileName();
        m_charts->showHistory(historyOf(m), targetsOf(m), name);
        m_progress->reset();
        QMap<QString, double> metrics;
        for (const auto& [key, value] : m.finalMetrics)
            metrics.insert(QString::fromStdString(key), value);
        const QString metricText = metricsText(metrics);
        setStatus(tr("%1: %2 on %3 (split %4, seed %5) · %6 epochs, kept epoch %7%8")
                      .arg(name, QString::fromStdString(m.architecture), QString::fromStdString(m.dataPath),
                           QString::fromStdString(m.split))
                      .arg(m.seed)
                      .arg(m.history.size())
                      .arg(m.bestEpoch)
                      .arg(metricText.isEmpty() ? QString() : QStringLiteral(" · ") + metricText));
        if (read.resumable) {
            m_offeredCheckpoint = read.path;
        } else {
            m_modelPath = read.path;
        }
        setRunning(false);
        Q_EMIT historyShown(read.path);
    });
}

void TrainingPanel::onStarted(const QStringList& targets, int train, int validation, int test)
{
    m_charts->reset(m_request.job.options.epochs, targets);
    setStatus(tr("Training %1 on %2 notes (validation %3, test %4)…").arg(QString::fromStdString(m_request.job.options.architecture)).arg(train).arg(validation).arg(test));
}

void TrainingPanel::onHistoryRestored(const QVector<TrainingEpoch>& history, const QStringList& targets)
{
    m_charts->reset(m_request.job.options.epochs, targets);
    for (const TrainingEpoch& e : history)
        m_charts->addEpoch(e);
}

void TrainingPanel::onFeatureProgress(const Progress& progress)
{
    m_progress->showFeatures(qint64(progress.done), qint64(progress.total));
}

void TrainingPanel::onEpoch(const TrainingEpoch& epoch)
{
    m_charts->addEpoch(epoch);
    m_progress->showEpoch(epoch);
    if (m_stopButton->isEnabled())
        setStatus(tr("Training %1: epoch %2 of %3 done%4").arg(QString::fromStdString(m_request.job.options.architecture)).arg(epoch.epoch).arg(epoch.epochs)
                      .arg(epoch.best ? tr(" (best so far)") : QString()));
    Q_EMIT epochShown(epoch);
}

void TrainingPanel::onFinished(const TrainingResult& result)
{
    m_featureProgress.discardHeld();  // a late feature count must not overwrite how the run ended
    using Status = TrainingResult::Status;
    const QString name = QFileInfo(result.modelPath).fileName();
    const QString metrics = metricsText(result.finalMetrics);
    const QString kept = tr("kept epoch %1 of %2").arg(result.bestEpoch).arg(result.epochs) +
                         (metrics.isEmpty() ? QString() : QStringLiteral(" · ") + metrics);
    switch (result.status) {
    case Status::Finished:
    case Status::EarlyStopped:
        setStatus(tr("Saved %1: %2%3").arg(name, kept,
                                            result.status == Status::EarlyStopped ? tr(" (stopped early)") : QString()));
        m_offeredCheckpoint.clear();
        break;
    case Status::Stopped:
        m_offeredCheckpoint = result.checkpointPath;
        setStatus(result.hasModel() ? tr("Stopped. Saved the best epoch so far to %1: %2. Resume continues the run.").arg(name, kept)
                                    : tr("Stopped before the first epoch ended: nothing was saved."));
        break;
    case Status::Failed:
        setStatus(result.error, true);
        appendLog(tr("Failed: %1").arg(result.error));
        break;
    }
    if (result.hasModel()) {
        m_modelPath = result.modelPath;
        m_form->renewDefaultOutput();
    }
    const double seconds = result.finalMetrics.value(QStringLiteral("training_seconds"), -1.0);
    const QString line = result.hasModel() ? tr("%1 epochs in %2").arg(result.epochs).arg(formatDuration(seconds)) : QString();
    switch (result.status) {
    case Status::Finished: m_progress->showFinished(tr("done · %p%"), line, true); break;
    case Status::EarlyStopped: m_progress->showFinished(tr("stopped early after epoch %1 · done").arg(result.epochs), line, true); break;
    case Status::Stopped: m_progress->showFinished(tr("stopped in epoch %1 · %p%").arg(result.epochs + 1), line, false); break;
    case Status::Failed: m_progress->showFinished(tr("failed"), line, false); break;
    }
    setRunning(false);
    Q_EMIT trainingFinished(result);
}

void TrainingPanel::setRunning(bool running)
{
    m_running = running;
    const bool idle = !running && !m_loadingFile;
    m_form->setRunning(!idle);
    m_startButton->setEnabled(idle);
    m_stopButton->setEnabled(running);
    m_resumeButton->setEnabled(idle);
    m_resumeButton->setText(idle && !m_offeredCheckpoint.isEmpty() ? tr("Resume") : tr("Resume…"));
    m_resumeButton->setToolTip(m_offeredCheckpoint.isEmpty() ? tr("Continue a run from its checkpoint file")
                                                             : tr("Continue from %1").arg(m_offeredCheckpoint));
    m_useButton->setEnabled(idle && !m_modelPath.isEmpty());
    m_openButton->setEnabled(idle);
}

void TrainingPanel::setStatus(const QString& text, bool error)
{
    m_statusIsError = error;
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #b02a1e;") : QString());
}

QString TrainingPanel::statusText() const
{
    return m_status->text();
}

void TrainingPanel::appendLog(const QString& line)
{
    m_log->appendPlainText(line);
}

void TrainingPanel::chooseCheckpoint()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Resume from a checkpoint"), QString::fromStdString(ts::userModelsFolder()),
                                                      tr("Checkpoints (*.checkpoint);;All files (*)"));
    if (!path.isEmpty())
        resumeFrom(path);
}

void TrainingPanel::chooseModel()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open a model's training history"), QString::fromStdString(ts::userModelsFolder()),
                                                      tr("Timbrescope models (*.tsm);;Checkpoints (*.checkpoint);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

} // namespace ts::ui
