#include "ui/training/TrainingProgress.h"

#include <cmath>
#include <limits>

namespace ts::ui {

namespace {
QMap<QString, double> toQMap(const std::map<std::string, double>& values)
{
    QMap<QString, double> out;
    for (const auto& [key, value] : values)
        out.insert(QString::fromStdString(key), value);
    return out;
}
} // namespace

TrainingEpoch toTrainingEpoch(const ml::EpochRecord& record, int plannedEpochs)
{
    TrainingEpoch e;
    e.epoch = record.epoch;
    e.epochs = plannedEpochs;
    e.loss = record.loss;
    e.validationLoss = record.validationLoss;
    e.accuracy = toQMap(record.accuracy);
    e.validationAccuracy = toQMap(record.validationAccuracy);
    e.seconds = record.seconds;
    e.samplesPerSecond = record.samplesPerSecond;
    return e;
}

QVector<TrainingEpoch> historyOf(const ml::ModelMetadata& metadata)
{
    QVector<TrainingEpoch> out;
    const int planned = std::max(metadata.epochs, int(metadata.history.size()));
    for (const auto& record : metadata.history) {
        TrainingEpoch e = toTrainingEpoch(record, planned);
        e.best = record.epoch == metadata.bestEpoch;  // the epoch whose weights the file keeps
        out.push_back(e);
    }
    return out;
}

QStringList targetsOf(const ml::ModelMetadata& metadata)
{
    QStringList targets;
    for (const auto& t : metadata.targets)
        targets << QString::fromStdString(t);
    return targets;
}

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0.0)
        return QStringLiteral("–");
    const long s = std::lround(seconds);
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

} // namespace ts::ui
