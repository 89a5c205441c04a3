#include "ui/evaluation/EvaluationWorker.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>

#include "ml/EvaluationPart.h"
#include "ml/Evaluator.h"
#include "ml/ModelFile.h"
#include "ml/TrainedModel.h"
#include "ml/TrainingSet.h"

namespace ts::ui {

namespace {

QString describe(const Error& error)
{
    return QString::fromStdString(error.describe());
}

ModelSummary summaryOf(const QString& path, const ml::ModelMetadata& meta)
{
    ModelSummary summary;
    summary.path = path;
    summary.architecture = QString::fromStdString(meta.architecture);
    for (const auto& target : meta.targets)
        summary.targets << QString::fromStdString(target);
    summary.split = QString::fromStdString(meta.split);
    summary.seed = meta.seed;
    summary.epochs = meta.epochs;
    return summary;
}

bool sameFolder(const std::string& a, const QString& b)
{
    return QFileInfo(QString::fromStdString(a)).canonicalFilePath() == QFileInfo(b).canonicalFilePath();
}

} // namespace

EvaluationWorker::EvaluationWorker()
{
    qRegisterMetaType<ts::ui::EvaluationSetup>();
    qRegisterMetaType<ts::ui::ModelSummary>();
    qRegisterMetaType<ts::ui::EvaluationResult>();
}

void EvaluationWorker::inspectModel(const QString& path)
{
    const Result<ml::ModelFile> file = ml::loadModelFile(path.toStdString());
    if (!file) {
        Q_EMIT modelFailed(path, describe(file.error()));
        return;
    }
    Q_EMIT modelInspected(summaryOf(path, file->metadata));
}

void EvaluationWorker::evaluate(const EvaluationSetup& setup, std::shared_ptr<const dataset::Dataset> openDataset,
                                const CancellationToken& cancel, const ProgressSink& featureProgress)
{
    QElapsedTimer clock;
    clock.start();
    auto stopped = [&] {
        if (cancel.isCancelled())
            Q_EMIT cancelled();
        return cancel.isCancelled();
    };
    if (stopped())
        return;
    Q_EMIT progress(0, 0, tr("Loading the model…"));
    Result<ml::TrainedModel> model = ml::TrainedModel::load(setup.modelPath.toStdString());
    if (!model) {
        Q_EMIT failed(tr("The model cannot be used: %1").arg(describe(model.error())));
        return;
    }
    if (stopped())
        return;

    // The dataset's notes (for their sounds): the window's when it has this folder open.
    std::shared_ptr<const dataset::Dataset> notes = openDataset;
    if (!notes || !sameFolder(notes->folder(), setup.dataFolder)) {
        Q_EMIT progress(0, 0, tr("Opening the dataset…"));
        Result<dataset::Dataset> loaded = dataset::Dataset::load(setup.dataFolder.toStdString());
        if (!loaded) {
            Q_EMIT failed(tr("The dataset cannot be opened: %1").arg(describe(loaded.error())));
            return;
        }
        notes = std::make_shared<const dataset::Dataset>(std::move(loaded).value());
    }
    if (stopped())
        return;

    // Feature progress comes from the cache's decoding threads, once per note.
    const ProgressSink sink = [&featureProgress](const Progress& p) {
        Progress shown = p;
        shown.status = tr("Computing features: %1 of %2 notes")
                           .arg(QLocale().toString(qint64(p.done)), QLocale().toString(qint64(p.total)))
                           .toStdString();
        featureProgress(shown);
    };
    Q_EMIT progress(0, 0, tr("Loading features…"));
    Result<ml::TrainingSet> set = ml::loadTrainingSet(setup.dataFolder.toStdString(), model->architecture(),
                                                      setup.split.toStdString(), setup.seed, sink, cancel);
    if (!set) {
        if (set.error().code == ErrorCode::Cancelled)
            Q_EMIT cancelled();
        else
            Q_EMIT failed(tr("The dataset cannot be evaluated: %1").arg(describe(set.error())));
        return;
    }

    // The part chosen, or the automatic one: the test part of the model's own dataset, else all notes.
    const ml::PartChoice choice = ml::chooseEvaluationPart(setup.part, model->metadata(), *set);
    EvaluationSetup evaluated = setup;
    evaluated.part = choice.part;
    evaluated.partReason = QString::fromStdString(choice.reason);
    const std::vector<std::size_t> rows = ml::rowsOfPart(*set, choice.part);
    if (rows.empty()) {
        Q_EMIT failed(tr("Nothing to evaluate: the %1 of the %2 split of %3 has no notes")
                          .arg(partText(choice.part), setup.split, setup.dataFolder));
        return;
    }

    // The evaluator classifies in chunks and reports after each: forwarded as they come (one
    // update per chunk, from this thread, few enough not to need throttling).
    const ProgressSink classified = [&](const Progress& p) {
        Q_EMIT progress(qint64(p.done), qint64(p.total),
                        tr("Classifying notes: %1 of %2").arg(QLocale().toString(qint64(p.done)), QLocale().toString(qint64(p.total))));
    };
    Result<ml::EvaluationReport> report = ml::evaluate(*model, *set, rows, cancel, classified);
    if (!report) {
        if (report.error().code == ErrorCode::Cancelled)
            Q_EMIT cancelled();
        else
            Q_EMIT failed(tr("The model cannot classify these notes: %1").arg(describe(report.error())));
        return;
    }
    Q_EMIT finished(EvaluationResult(evaluated, summaryOf(setup.modelPath, model->metadata()), std::move(report).value(),
                                     std::move(notes), double(clock.elapsed()) / 1000.0));
}

} // namespace ts::ui
