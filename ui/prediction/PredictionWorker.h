#pragma once
// Classifies sound files off the GUI thread. Lives in a WorkerThread owned by a PredictionPanel and
// keeps the model loaded between files, so a dropped file costs one decode and one forward pass (no
// model load). Requests arrive as posted runs and are answered by signals carrying plain values.
#include <QObject>
#include <QString>

#include <memory>

#include "ui/prediction/PredictionResult.h"
#include "ui/prediction/SoundClassifier.h"
#include "util/CancellationToken.h"

namespace ts::ui {

class PredictionWorker : public QObject {
    Q_OBJECT
public:
    // loader opens model files (on this worker's thread).
    explicit PredictionWorker(ClassifierLoader loader);
    ~PredictionWorker() override;

    // Run in the worker's thread (posted by the panel):
    void loadModel(const QString& path);  // emits modelLoaded or modelFailed
    void unloadModel();                   // emits modelUnloaded
    // Decodes (unless audio is given) and classifies with the loaded model; with no model the
    // result is decoded only. Emits finished, also for a file that cannot be read; nothing when
    // `cancel` is cancelled before it starts (the panel was cleared while it was queued).
    void classify(quint64 job, const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio,
                  const ts::CancellationToken& cancel);

Q_SIGNALS:
    void modelLoaded(const ts::ui::LoadedModel& model);
    void modelFailed(const QString& path, const QString& error);
    void modelUnloaded();
    void finished(const ts::ui::PredictionResult& result);

private:
    ClassifierLoader m_loader;
    std::unique_ptr<SoundClassifier> m_classifier;  // kept loaded between files
};

} // namespace ts::ui
