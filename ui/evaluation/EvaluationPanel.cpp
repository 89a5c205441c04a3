#include "ui/evaluation/EvaluationPanel.h"

#include <QBuffer>
#include <QButtonGroup>
#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "ui/evaluation/CellNotesPanel.h"
#include "ui/evaluation/ClassMetricsModel.h"
#include "ui/evaluation/ConfusionMatrixModel.h"
#include "ui/evaluation/ConfusionMatrixView.h"
#include "ui/evaluation/EvaluationSetupForm.h"
#include "ui/evaluation/EvaluationWorker.h"
#include "util/AtomicFile.h"

namespace ts::ui {

namespace {

QToolButton* toggleButton(const QString& text, QWidget* parent)
{
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setCheckable(true);
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return button;
}

} // namespace

EvaluationPanel::EvaluationPanel(QWidget* parent)
    : QWidget(parent),
      m_form(new EvaluationSetupForm(this)),
      m_evaluate(new QPushButton(tr("Evaluate"), this)),
      m_cancel(new QPushButton(tr("Cancel"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_familyButton(toggleButton(tr("Family"), this)),
      m_sourceButton(toggleButton(tr("Source"), this)),
      m_classButton(toggleButton(tr("Class"), this)),
      m_normalised(new QCheckBox(tr("Row-normalised (recall)"), this)),
      m_accuracy(new QLabel(this)),
      m_exportCsv(new QPushButton(tr("Export CSV…"), this)),
      m_exportPng(new QPushButton(tr("Export PNG…"), this)),
      m_matrix(new ConfusionMatrixView(this)),
      m_metrics(new ClassMetricsModel(this)),
      m_sortedMetrics(new QSortFilterProxyModel(this)),
      m_metricsTable(new QTableView(this)),
      m_cellNotes(new CellNotesPanel(this))
{
    m_evaluate->setDefault(true);
    m_cancel->setEnabled(false);
    m_progress->setVisible(false);
    m_progress->setTextVisible(false);
    m_status->setObjectName(QStringLiteral("evaluationStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_normalised->setToolTip(tr("Show each cell as its share of the true class: the diagonal is each class's recall"));
    QFont big = m_accuracy->font();
    big.setPointSizeF(big.pointSizeF() * 1.15);
    big.setBold(true);
    m_accuracy->setFont(big);
    m_accuracy->setObjectName(QStringLiteral("accuracy"));
    auto* targets = new QButtonGroup(this);
    targets->setExclusive(true);
    targets->addButton(m_familyButton);
    targets->addButton(m_sourceButton);
    targets->addButton(m_classButton);
    m_classButton->setVisible(false);
    m_familyButton->setChecked(true);
    m_matrix->setPlaceholderText(tr("Choose a model and a dataset above, then Evaluate.\n\n"
                                    "The confusion matrix shows which instrument classes the model mixes up; "
                                    "click a cell to see and hear those notes."));

    m_sortedMetrics->setSourceModel(m_metrics);
    m_sortedMetrics->setSortRole(ClassMetricsModel::kSortRole);
    m_metricsTable->setObjectName(QStringLiteral("classMetrics"));
    m_metricsTable->setModel(m_sortedMetrics);
    m_metricsTable->setSortingEnabled(true);
    m_metricsTable->sortByColumn(ClassMetricsModel::ClassColumn, Qt::AscendingOrder);
    m_metricsTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metricsTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_metricsTable->setAlternatingRowColors(true);
    m_metricsTable->verticalHeader()->hide();
    m_metricsTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_metricsTable->verticalHeader()->setDefaultSectionSize(m_metricsTable->fontMetrics().height() + 6);
    m_metricsTable->setMinimumHeight(6 * (m_metricsTable->fontMetrics().height() + 6));

    auto* runButtons = new QVBoxLayout;
    runButtons->addWidget(m_evaluate);
    runButtons->addWidget(m_cancel);
    runButtons->addStretch(1);
    auto* setupRow = new QHBoxLayout;
    setupRow->addWidget(m_form, 1);
    setupRow->addLayout(runButtons);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_status, 1);
    auto* resultBar = new QHBoxLayout;
    resultBar->addWidget(m_familyButton);
    resultBar->addWidget(m_sourceButton);
    resultBar->addWidget(m_classButton);
    resultBar->addSpacing(12);
    resultBar->addWidget(m_normalised);
    resultBar->addSpacing(18);
    resultBar->addWidget(m_accuracy, 1);
    resultBar->addWidget(m_exportCsv);
    resultBar->addWidget(m_exportPng);

    auto* left = new QSplitter(Qt::Vertical, this);
    left->addWidget(m_matrix);
    left->addWidget(m_metricsTable);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 0);
    left->setChildrenCollapsible(false);
    auto* main = new QSplitter(Qt::Horizontal, this);
    main->setObjectName(QStringLiteral("evaluationSplitter"));
    main->addWidget(left);
    main->addWidget(m_cellNotes);
    main->setStretchFactor(0, 1);  // the matrix takes what the notes' column leaves
    main->setStretchFactor(1, 0);
    main->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addLayout(setupRow);
    layout->addLayout(statusRow);
    layout->addLayout(resultBar);
    layout->addWidget(main, 1);

    connect(m_evaluate, &QPushButton::clicked, this, &EvaluationPanel::evaluate);
    connect(m_cancel, &QPushButton::clicked, this, &EvaluationPanel::cancel);
    connect(m_form, &EvaluationSetupForm::evaluateRequested, this, &EvaluationPanel::evaluate);
    connect(m_familyButton, &QToolButton::clicked, this, [this] { setTarget(ml::Target::Family); });
    connect(m_sourceButton, &QToolButton::clicked, this, [this] { setTarget(ml::Target::Source); });
    connect(m_classButton, &QToolButton::clicked, this, [this] { setTarget(ml::Target::Class); });
    connect(m_normalised, &QCheckBox::toggled, m_matrix, &ConfusionMatrixView::setNormalised);
    connect(m_matrix, &ConfusionMatrixView::cellClicked, this, &EvaluationPanel::selectCell);
    connect(m_exportCsv, &QPushButton::clicked, this, [this] { chooseExportFile(QStringLiteral("csv")); });
    connect(m_exportPng, &QPushButton::clicked, this, [this] { chooseExportFile(QStringLiteral("png")); });

    m_worker = std::make_unique<WorkerThread<EvaluationWorker>>(QStringLiteral("EvaluationWorker"));
    const EvaluationWorker* worker = m_worker->worker();
    connect(worker, &EvaluationWorker::progress, this, &EvaluationPanel::onProgress);
    connect(worker, &EvaluationWorker::finished, this, &EvaluationPanel::onFinished);
    connect(worker, &EvaluationWorker::failed, this, &EvaluationPanel::onFailed);
    connect(worker, &EvaluationWorker::cancelled, this, &EvaluationPanel::onCancelled);
    connect(worker, &EvaluationWorker::modelInspected, m_form, &EvaluationSetupForm::setModelSummary);
    connect(worker, &EvaluationWorker::modelFailed, this, [this](const QString& path, const QString& message) {
        if (path == m_form->setup().modelPath)
            m_form->setModelError(tr("This model cannot be used: %1").arg(message));
    });
    connect(m_form, &EvaluationSetupForm::modelPathChanged, this, [this](const QString& path) {
        m_worker->post([path](EvaluationWorker& w, const CancellationToken&) { w.inspectModel(path); });
    });
    showResult(EvaluationResult());
    m_form->restoreChoices();
}

// m_worker cancels an evaluation in progress and waits for it to return.
EvaluationPanel::~EvaluationPanel() = default;

void EvaluationPanel::setOpenDataset(std::shared_ptr<const dataset::Dataset> dataset)
{
    m_openDataset = std::move(dataset);
    if (m_openDataset)
        m_form->setDefaultDataFolder(QString::fromStdString(m_openDataset->folder()));
}

void EvaluationPanel::evaluate()
{
    if (m_running)
        return;
    const EvaluationSetup setup = m_form->setup();
    QString problem;
    if (setup.modelPath.isEmpty())
        problem = tr("Choose a model file to evaluate.");
    else if (setup.dataFolder.isEmpty())
        problem = tr("Choose a dataset folder to evaluate on.");
    if (!problem.isEmpty()) {
        showStatus(problem, true);
        Q_EMIT failed(problem);
        return;
    }
    setRunning(true);
    showStatus(tr("Starting…"), false);
    m_worker->post([setup, dataset = m_openDataset, sink = m_featureProgress.sink()](EvaluationWorker& w, const CancellationToken& cancel) {
        w.evaluate(setup, dataset, cancel, sink);
    });
}

void EvaluationPanel::cancel()
{
    if (!m_running)
        return;
    m_worker->cancel();
    showStatus(tr("Cancelling…"), false);
}

void EvaluationPanel::setRunning(bool running)
{
    m_running = running;
    if (!running)
        m_featureProgress.discardHeld();  // a late feature count must not overwrite how the run ended
    m_evaluate->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0);
}

void EvaluationPanel::showStatus(const QString& text, bool error)
{
    m_status->setStyleSheet(error ? QStringLiteral("color: #b3261e; font-weight: bold;") : QString());
    m_status->setText(text);
}

QString EvaluationPanel::statusText() const
{
    return m_status->text();
}

QString EvaluationPanel::accuracyText() const
{
    return m_accuracy->text();
}

void EvaluationPanel::onProgress(qint64 done, qint64 total, const QString& status)
{
    if (total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * done / total));
    } else {
        m_progress->setRange(0, 0);
    }
    showStatus(status, false);
}

void EvaluationPanel::onFinished(const EvaluationResult& result)
{
    setRunning(false);
    showResult(result);
    const EvaluationSetup& setup = result.setup();
    showStatus(tr("Evaluated %1 notes of %2 in %3 s: %4 (%5).")
                   .arg(QLocale().toString(qulonglong(result.report().n)), QDir::toNativeSeparators(setup.dataFolder))
                   .arg(result.seconds(), 0, 'f', 1)
                   .arg(partText(setup.part), setup.partReason),
               false);
    Q_EMIT finished();
}

void EvaluationPanel::onFailed(const QString& message)
{
    setRunning(false);
    showStatus(message, true);
    Q_EMIT failed(message);
}

void EvaluationPanel::onCancelled()
{
    setRunning(false);
    showStatus(m_result.isEmpty() ? tr("Evaluation cancelled.") : tr("Evaluation cancelled; the previous result is still shown."), false);
    Q_EMIT cancelled();
}

void EvaluationPanel::showResult(const EvaluationResult& result)
{
    m_result = result;
    const auto targets = result.targets();
    auto has = [&](ml::Target t) { return std::find(targets.begin(), targets.end(), t) != targets.end(); };
    m_familyButton->setVisible(has(ml::Target::Family));
    m_sourceButton->setVisible(has(ml::Target::Source));
    m_classButton->setVisible(has(ml::Target::Class));
    if (!targets.empty() && !has(m_target))
        m_target = targets.front();
    targetButton(m_target)->setChecked(true);
    refreshMatrix();
}

QAbstractButton* EvaluationPanel::targetButton(ml::Target target) const
{
    return target == ml::Target::Family ? m_familyButton : target == ml::Target::Source ? m_sourceButton : m_classButton;
}

void EvaluationPanel::setTarget(ml::Target target)
{
    if (!m_result.target(target))
        return;
    m_target = target;
    targetButton(target)->setChecked(true);
    refreshMatrix();
}

void EvaluationPanel::setNormalised(bool normalised)
{
    m_normalised->setChecked(normalised);
}

void EvaluationPanel::refreshMatrix()
{
    const ml::TargetReport* report = m_result.target(m_target);
    m_cellNotes->clear();
    m_exportCsv->setEnabled(report);
    m_exportPng->setEnabled(report);
    m_normalised->setEnabled(report);
    if (!report) {
        m_matrix->setModel(ConfusionMatrixModel());
        m_metrics->setMetrics({});
        m_accuracy->clear();
        return;
    }
    ConfusionMatrixModel model = ConfusionMatrixModel::fromReport(*report);
    double macroF1 = 0.0;
    for (const auto& c : report->perClass)
        macroF1 += c.f1;
    macroF1 /= std::max<std::size_t>(1, report->perClass.size());
    QString text = tr("%1 accuracy %2 %  ·  %3 of %4 notes  ·  macro F1 %5")
                       .arg(m_target == ml::Target::Family   ? tr("Family")
                            : m_target == ml::Target::Source ? tr("Source")
                                                             : tr("Class"))
                       .arg(100.0 * model.accuracy(), 0, 'f', 1)
                       .arg(QLocale().toString(model.correct()), QLocale().toString(model.total()))
                       .arg(macroF1, 0, 'f', 3);
    // How far the confidences can be trusted, beside the accuracy they qualify.
    if (report->confidence) {
        const ml::ConfidentPredictions& sure = report->confidence->confident;
        text += tr("  ·  ECE %1").arg(report->confidence->ece, 0, 'f', 3);
        text += sure.n ? tr("  ·  ≥ %1 % sure: %2 notes, %3 % right")
                             .arg(100.0 * sure.threshold, 0, 'f', 0)
                             .arg(QLocale().toString(sure.n))
                             .arg(100.0 * sure.accuracy(), 0, 'f', 1)
                       : tr("  ·  no note ≥ %1 % sure").arg(100.0 * sure.threshold, 0, 'f', 0);
    }
    m_accuracy->setText(text);
    m_accuracy->setToolTip(tr("ECE: expected calibration error, the mean gap between confidence and accuracy over 15\n"
                              "confidence bins (0 = a 90 % confidence is right 90 % of the time)."));
    m_matrix->setModel(std::move(model));
    m_matrix->setSelectedCell(std::nullopt);
    m_matrix->setTitle(matrixTitle());
    m_metrics->setMetrics(report->perClass);
}

QString EvaluationPanel::matrixTitle() const
{
    const EvaluationSetup& s = m_result.setup();
    const QString data = QFileInfo(s.dataFolder).fileName();
    return tr("%1 on %2 · %3 split (seed %4), %5 · %6")
        .arg(m_result.model().architecture.isEmpty() ? tr("model") : m_result.model().architecture,
             data.isEmpty() ? tr("dataset") : data, s.split)
        .arg(s.seed)
        .arg(partText(s.part), QString::fromStdString(ml::targetName(m_target)));
}

void EvaluationPanel::selectCell(int trueClass, int predictedClass)
{
    const ml::TargetReport* report = m_result.target(m_target);
    if (!report || trueClass < 0 || predictedClass < 0 || trueClass >= int(report->labels.size()) ||
        predictedClass >= int(report->labels.size()))
        return;
    m_matrix->setSelectedCell(MatrixCell{trueClass, predictedClass});
    m_cellNotes->setCell(m_result, m_target, trueClass, predictedClass);
}

Status EvaluationPanel::exportCsv(const QString& path) const
{
    const ml::TargetReport* report = m_result.target(m_target);
    if (!report)
        return makeError(ErrorCode::InvalidArgument, "nothing to export yet: evaluate a model first", path.toStdString());
    return writeFileAtomically(path.toStdString(), ml::confusionCsv(*report, m_target));
}

Status EvaluationPanel::exportPng(const QString& path) const
{
    if (m_matrix->model().isEmpty())
        return makeError(ErrorCode::InvalidArgument, "nothing to export yet: evaluate a model first", path.toStdString());
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!m_matrix->grab().save(&buffer, "PNG"))
        return makeError(ErrorCode::Internal, "could not encode the image as PNG", path.toStdString());
    return writeFileAtomically(path.toStdString(), png.constData(), std::size_t(png.size()));
}

void EvaluationPanel::chooseExportFile(const QString& suffix)
{
    const bool csv = suffix == QStringLiteral("csv");
    const QString name = QStringLiteral("confusion-%1-%2.%3")
                             .arg(m_result.model().architecture, QString::fromStdString(ml::targetName(m_target)), suffix);
    const QString path = QFileDialog::getSaveFileName(this, csv ? tr("Export the matrix as CSV") : tr("Export the matrix as PNG"),
                                                      QDir::home().filePath(name), csv ? tr("CSV files (*.csv)") : tr("PNG images (*.png)"));
    if (path.isEmpty())
        return;
    const Status saved = csv ? exportCsv(path) : exportPng(path);
    showStatus(saved ? tr("Saved %1").arg(QDir::toNativeSeparators(path)) : QString::fromStdString(saved.error().describe()), !saved);
}

} // namespace ts::ui
