#include "ui/training/TrainingWorker.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "ml/TrainingJob.h"
#include "ui/training/LocalRanks.h"
#include "util/ThreadPriority.h"

namespace ts::ui {

namespace {

constexpr qint64 kMinBatchIntervalMs = 1000 / TrainingWorker::kBatchUpdatesPerSecond;
// Weight of the past in the batch-loss moving average: about ten batches' memory, enough to
// see the trend through the noise of augmented mini-batches without lagging a whole epoch.
constexpr double kSmoothing = 0.9;

QString accuracyText(const QMap<QString, double>& accuracy)
{
    QStringList parts;
    for (auto it = accuracy.begin(); it != accuracy.end(); ++it)
        parts << QStringLiteral("%1 %2%").arg(it.key()).arg(100.0 * it.value(), 0, 'f', 1);
    return parts.join(QStringLiteral(", "));
}

// Turns the Trainer's running epoch mean back into single-batch losses (the batches before the
// last are all full, so how many notes each mean covers is known) and smooths them, debiased
// like TensorBoard's so the first points are not dragged towards zero.
class BatchLossSmoother {
public:
    BatchLossSmoother(std::size_t trainNotes, int batchSize) : m_notes(trainNotes), m_batchSize(std::size_t(batchSize)) {}

    double add(const ml::BatchProgress& p)
    {
        if (p.epoch != m_epoch) {
            m_epoch = p.epoch;
            m_seen = 0;
            m_sum = 0.0;
        }
        const std::size_t seen = std::min(m_notes, std::size_t(p.batch) * m_batchSize);
        const double sum = p.loss * double(seen);
        const double batchLoss = seen > m_seen ? (sum - m_sum) / double(seen - m_seen) : p.loss;
        m_seen = seen;
        m_sum = sum;
        m_average = kSmoothing * m_average + (1.0 - kSmoothing) * batchLoss;
        m_weight = kSmoothing * m_weight + (1.0 - kSmoothing);
        return m_average / m_weight;
    }

private:
    std::size_t m_notes;
    std::size_t m_batchSize;
    int m_epoch = 0;
    std::size_t m_seen = 0;
    double m_sum = 0.0;
    double m_average = 0.0;
    double m_weight = 0.0;
};

} // namespace

TrainingWorker::TrainingWorker()
{
    qRegisterMetaType<ts::ui::TrainingBatch>();
    qRegisterMetaType<ts::ui::TrainingEpoch>();
    qRegisterMetaType<ts::ui::TrainingRequest>();
    qRegisterMetaType<ts::ui::TrainingResult>();
    qRegisterMetaType<QVector<ts::ui::TrainingEpoch>>();
}

void TrainingWorker::train(const TrainingRequest& request, const CancellationToken& cancel, const ProgressSink& featureProgress)
{
    Q_EMIT finished(run(request, cancel, featureProgress));
}

TrainingResult TrainingWorker::run(const TrainingRequest& request, const CancellationToken& cancel, const ProgressSink& featureProgress)
{
    ml::TrainingJobSpec job = request.job;
    const QString architecture = QString::fromStdString(job.options.architecture);
    const QString outputPath = QString::fromStdString(job.modelPath);
    TrainingResult result;
    const auto fail = [&result](const Error& error) {
        result.status = TrainingResult::Status::Failed;
        result.error = QString::fromStdString(error.describe());
        return result;
    };
    const auto found = ml::findArchitecture(job.options.architecture);
    if (!found)
        return fail(makeError(ErrorCode::InvalidArgument, "unknown architecture '" + job.options.architecture + "'"));
    if (QString::fromStdString(job.dataFolder).trimmed().isEmpty())
        return fail(makeError(ErrorCode::InvalidArgument, "choose a dataset folder first"));
    if (outputPath.trimmed().isEmpty())
        return fail(makeError(ErrorCode::InvalidArgument, "choose where to save the model first"));
    const QString outputFolder = QFileInfo(outputPath).absolutePath();
    if (!QDir().mkpath(outputFolder))
        return fail(makeError(ErrorCode::WriteFailed, "cannot create the folder", outputFolder.toStdString()));
    // This thread and the LibTorch/feature threads it starts then yield to the GUI thread.
    if (request.lowPriority)
        lowerCurrentThreadPriority();

    std::unique_ptr<LocalRanks> ranks;
    if (request.processes > 1) {
        const int port = LocalRanks::freePort();
        if (port == 0)
            return fail(makeError(ErrorCode::Unreadable, "no free port on 127.0.0.1 for the processes to meet"));
        ml::DistributedSpec& spec = job.options.distributed;
        spec.worldSize = request.processes;
        spec.rank = 0;
        spec.host = "127.0.0.1";
        spec.port = port;
        ranks = std::make_unique<LocalRanks>();
        if (auto started = ranks->start(request.rankProgram, job); !started)
            return fail(started.error());
        Q_EMIT logLine(tr("Training as %1 processes on this machine: this one is rank 0 (the charts), ranks 1-%2 run "
                          "`timbrescope train`; every step averages their gradients, so it learns from %3 notes")
                           .arg(request.processes)
                           .arg(request.processes - 1)
                           .arg(request.processes * job.options.batchSize));
    }

    Q_EMIT logLine(tr("Loading %1 (split %2, seed %3)…")
                       .arg(QString::fromStdString(job.dataFolder), QString::fromStdString(job.split))
                       .arg(job.options.seed));

    QStringList targets;
    for (ml::Target t : found->targets)
        targets << QString::fromStdString(ml::targetName(t));
    std::optional<BatchLossSmoother> smoother;
    ml::TrainingJobCallbacks callbacks;
    callbacks.onLoaded = [&](const ml::TrainingSet& set) {
        // A dataset of own classes trains one class head instead: the charts follow what is learnt.
        if (const auto planned = ml::architectureFor(*found, set)) {
            targets.clear();
            for (ml::Target t : planned->targets)
                targets << QString::fromStdString(ml::targetName(t));
        }
        smoother.emplace(set.train.size(), job.options.batchSize);
        Q_EMIT started(targets, int(set.train.size()), int(set.validation.size()), int(set.test.size()));
        Q_EMIT logLine(tr("%1 on %2 training notes, %3 validation, %4 test")
                           .arg(architecture)
                           .arg(set.train.size())
                           .arg(set.validation.size())
                           .arg(set.test.size()));
        if (job.options.resumePath.empty())
            return;
        // An unreadable checkpoint shows no history here; the trainer then fails with its reason.
        const auto checkpoint = ml::loadModelFile(job.options.resumePath);
        if (!checkpoint)
            return;
        auto history = historyOf(checkpoint->metadata);
        for (auto& e : history)
            e.epochs = job.options.epochs;
        Q_EMIT historyRestored(history, targets);
        Q_EMIT logLine(tr("Resuming after epoch %1 from %2").arg(history.size()).arg(QString::fromStdString(job.options.resumePath)));
    };
    QElapsedTimer sinceBatch;
    sinceBatch.start();
    bool anyBatchShown = false;
    callbacks.onBatch = [&](const ml::BatchProgress& p) {
        const double smoothed = smoother->add(p);
        if (anyBatchShown && p.batch < p.batches && sinceBatch.elapsed() < kMinBatchIntervalMs)
            return;
        anyBatchShown = true;
        sinceBatch.restart();
        TrainingBatch b;
        b.epoch = p.epoch;
        b.epochs = p.epochs;
        b.batch = p.batch;
        b.batches = p.batches;
        b.loss = p.loss;
        b.smoothedLoss = smoothed;
        b.samplesPerSecond = p.samplesPerSecond;
        b.elapsedSeconds = p.elapsedSeconds;
        b.etaSeconds = p.etaSeconds;
        Q_EMIT batchProgress(b);
    };
    callbacks.onEpoch = [&](const ml::EpochProgress& p) {
        TrainingEpoch e = toTrainingEpoch(p.record, p.epochs);
        e.best = p.improved;
        e.elapsedSeconds = p.elapsedSeconds;
        e.etaSeconds = p.etaSeconds;
        Q_EMIT epochFinished(e);
        Q_EMIT logLine(tr("Epoch %1/%2: loss %3, validation %4 · accuracy %5 · validation %6 · %7%8")
                           .arg(e.epoch)
                           .arg(e.epochs)
                           .arg(e.loss, 0, 'f', 4)
                           .arg(e.validationLoss, 0, 'f', 4)
                           .arg(accuracyText(e.accuracy), accuracyText(e.validationAccuracy), formatDuration(e.seconds),
                                e.best ? tr(" · best so far") : QString()));
    };
    const ml::TrainingJobResult ran = ml::runTrainingJob(job, callbacks, featureProgress, cancel);
    if (ranks) {
        // The others end with rank 0; when rank 0 failed they would wait for it until their timeout.
        const bool failed = !ran.hasModel && ran.error && ran.error->code != ErrorCode::Cancelled;
        for (const QString& line : ranks->finish(failed))
            Q_EMIT logLine(line);
    }
    result.checkpointPath = QString::fromStdString(ran.checkpointPath);
    if (!ran.hasModel) {
        if (ran.error->code != ErrorCode::Cancelled)
            return fail(*ran.error);
        result.status = TrainingResult::Status::Stopped;
        if (ran.stage == ml::TrainingJobResult::Stage::Training)
            Q_EMIT logLine(tr("Stopped before the first epoch ended: no model to keep."));
        return result;
    }
    const auto& meta = ran.metadata;
    using Ending = ml::TrainingJobResult::Ending;
    result.status = ran.ending == Ending::Stopped        ? TrainingResult::Status::Stopped
                    : ran.ending == Ending::EarlyStopped ? TrainingResult::Status::EarlyStopped
                                                         : TrainingResult::Status::Finished;
    result.modelPath = outputPath;
    result.epochs = meta.epochs;
    result.bestEpoch = meta.bestEpoch;
    for (const auto& [name, value] : meta.finalMetrics)
        result.finalMetrics.insert(QString::fromStdString(name), value);
    QStringList tests;
    for (const QString& target : targets)
        if (result.finalMetrics.contains(QStringLiteral("test_%1_accuracy").arg(target)))
            tests << QStringLiteral("%1 %2%").arg(target).arg(100.0 * result.finalMetrics.value(QStringLiteral("test_%1_accuracy").arg(target)), 0, 'f', 1);
    Q_EMIT logLine(tr("%1 Kept epoch %2 of %3%4.")
                       .arg(result.status == TrainingResult::Status::Stopped        ? tr("Stopped.")
                            : result.status == TrainingResult::Status::EarlyStopped ? tr("Stopped early: no better validation accuracy for %1 epochs.").arg(job.options.patience)
                                                                                    : tr("Done."))
                       .arg(result.bestEpoch)
                       .arg(result.epochs)
                       .arg(tests.isEmpty() ? QString() : tr("; test accuracy ") + tests.join(QStringLiteral(", "))));
    Q_EMIT logLine(tr("Saved %1").arg(outputPath));
    return result;
}

} // namespace ts::ui
