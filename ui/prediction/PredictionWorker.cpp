#include "ui/prediction/PredictionWorker.h"

#include <QElapsedTimer>

namespace ts::ui {

PredictionWorker::PredictionWorker(ClassifierLoader loader) : m_loader(std::move(loader)) {}

PredictionWorker::~PredictionWorker() = default;

void PredictionWorker::loadModel(const QString& path)
{
    if (!m_loader) {
        Q_EMIT modelFailed(path, tr("this window was given no way to open model files"));
        return;
    }
    Result<std::unique_ptr<SoundClassifier>> loaded = m_loader(path.toStdString());
    if (!loaded) {
        // The model in use (if any) stays: a bad file chosen by mistake costs nothing.
        Q_EMIT modelFailed(path, QString::fromStdString(loaded.error().message));
        return;
    }
    m_classifier = std::move(loaded).value();
    Q_EMIT modelLoaded(m_classifier->model());
}

void PredictionWorker::unloadModel()
{
    m_classifier.reset();
    Q_EMIT modelUnloaded();
}

void PredictionWorker::classify(quint64 job, const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio,
                                const CancellationToken& cancel)
{
    if (cancel.isCancelled())
        return;
    QElapsedTimer timer;
    timer.start();
    PredictionResult result;
    result.job = job;
    result.path = path;
    if (!audio) {
        Result<ts::audio::DecodedAudio> decoded = ts::audio::loadAudio(path.toStdString());
        if (!decoded) {
            result.error = QString::fromStdString(decoded.error().message);
            Q_EMIT finished(result);
            return;
        }
        audio = std::make_shared<const ts::audio::DecodedAudio>(std::move(decoded).value());
    }
    result.audio = audio;
    if (m_classifier) {
        Result<ClassifierOutput> output = m_classifier->classify(*audio);
        if (!output) {
            result.error = QString::fromStdString(output.error().message);
        } else {
            result.family = output->family;
            result.source = output->source;
            result.ownClass = output->ownClass;
            result.segments = output->segments;
            result.predicted = true;
        }
    }
    result.milliseconds = double(timer.nsecsElapsed()) / 1e6;
    Q_EMIT finished(result);
}

} // namespace ts::ui
