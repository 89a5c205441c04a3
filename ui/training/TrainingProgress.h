#pragma once
// The plain values the training dashboard draws: a (throttled) batch update and one record per
// epoch, as a TrainingWorker sends them or as rebuilt from a saved model's history, so reopened
// charts and live charts come from the same numbers. No torch type crosses into ui/.
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVector>

#include "ml/ModelFile.h"

namespace ts::ui {

struct TrainingBatch {
    int epoch = 0;               // 1-based
    int epochs = 0;              // planned
    int batch = 0;               // 1-based within the epoch
    int batches = 0;
    double loss = 0.0;           // running mean over the epoch so far
    double smoothedLoss = 0.0;   // moving average of single-batch losses (what the batch chart shows)
    double samplesPerSecond = 0.0;
    double elapsedSeconds = 0.0;
    double etaSeconds = 0.0;

    // Epochs done, fractional (epoch 3, batch 20 of 80 → 2.25): the x of the batch-loss chart,
    // on the same scale as the epoch charts, where epoch k's point sits at x = k.
    double position() const { return batches > 0 ? epoch - 1 + double(batch) / batches : double(epoch); }
};

struct TrainingEpoch {
    int epoch = 0;               // 1-based
    int epochs = 0;              // planned (for a saved model: the epochs it was trained)
    double loss = 0.0;
    double validationLoss = 0.0;
    QMap<QString, double> accuracy;            // per target ("family", "source"), 0..1
    QMap<QString, double> validationAccuracy;
    double seconds = 0.0;
    double samplesPerSecond = 0.0;
    double elapsedSeconds = 0.0;               // since the run started (0 for a saved history)
    double etaSeconds = 0.0;
    bool best = false;           // the lowest validation loss so far: the weights that are kept
};

TrainingEpoch toTrainingEpoch(const ml::EpochRecord& record, int plannedEpochs);
// A model file's history, `best` marking each epoch that improved the validation loss.
QVector<TrainingEpoch> historyOf(const ml::ModelMetadata& metadata);
QStringList targetsOf(const ml::ModelMetadata& metadata);

// "3 min 20 s", "48 s", "1 h 05 min": durations in progress texts and the log.
QString formatDuration(double seconds);

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::TrainingBatch)
Q_DECLARE_METATYPE(ts::ui::TrainingEpoch)
