#pragma once
// Trains one model off the GUI thread: lives in a WorkerThread owned by the TrainingPanel and runs
// ml::runTrainingJob (load the split's features, train, save the model file atomically with its
// checkpoint beside it for Resume), as `timbrescope train` does. Everything reaches the GUI as
// signals with plain values; batch updates are throttled so a fast model cannot flood the event loop.
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QString>

#include "ml/TrainingJob.h"
#include "ui/training/TrainingProgress.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"

namespace ts::ui {

// What the form asks for: the job (its defaults are the CLI's) and how the run shares the machine.
struct TrainingRequest {
    ml::TrainingJobSpec job;      // job.options.threads: LibTorch intra-op threads (per process), 0 = every core
    bool lowPriority = true;      // run the training threads at a lower CPU priority than the GUI
    // Processes training together on this machine (c10d over 127.0.0.1): this worker is rank 0,
    // the others run `rankProgram train ...` (the timbrescope binary).
    int processes = 1;
    QString rankProgram;
};

struct TrainingResult {
    enum class Status { Finished, EarlyStopped, Stopped, Failed };
    Status status = Status::Failed;
    QString modelPath;            // the saved model (every status but Failed)
    QString checkpointPath;       // the resume point beside it, when one was written
    QString error;                // Failed: the one line a user reads (file and reason)
    int epochs = 0;               // epochs in the model's history
    int bestEpoch = 0;            // the epoch whose weights were kept
    QMap<QString, double> finalMetrics;  // "test_family_accuracy", ...

    bool hasModel() const { return status != Status::Failed; }
};

class TrainingWorker : public QObject {
    Q_OBJECT
public:
    // At most this many batch updates per second reach the GUI (the last batch of an epoch always does).
    static constexpr int kBatchUpdatesPerSecond = 20;

    TrainingWorker();

    // Runs in the worker's thread; emits finished exactly once. Cancelling `cancel` stops the run after
    // the current batch, keeping the best epoch so far. The feature cache's progress (from its
    // decoding threads, once per note) goes to `featureProgress`, which the caller throttles.
    void train(const ts::ui::TrainingRequest& request, const ts::CancellationToken& cancel, const ts::ProgressSink& featureProgress);

Q_SIGNALS:
    void batchProgress(const ts::ui::TrainingBatch& batch);
    void epochFinished(const ts::ui::TrainingEpoch& epoch);
    // A resumed run's earlier epochs, before any new one (the charts show them first).
    void historyRestored(const QVector<ts::ui::TrainingEpoch>& history, const QStringList& targets);
    void started(const QStringList& targets, int trainNotes, int validationNotes, int testNotes);
    void logLine(const QString& line);
    void finished(const ts::ui::TrainingResult& result);

private:
    TrainingResult run(const TrainingRequest& request, const CancellationToken& cancel, const ProgressSink& featureProgress);
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::TrainingRequest)
Q_DECLARE_METATYPE(ts::ui::TrainingResult)
