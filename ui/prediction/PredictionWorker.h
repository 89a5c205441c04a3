#pragma once
// Classifies sound files off the GUI thread. Lives in a QThread owned by a PredictionPanel and keeps
// the model loaded between files, so a dropped file costs one decode and one forward pass (no model
// load). Requests arrive as queued calls and are answered by signals carrying plain values.
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

#include "ui/prediction/PredictionResult.h"
#include "ui/prediction/SoundClassifier.h"

namespace ts::ui {

class PredictionWorker : public QObject {
    Q_OBJECT
public:
    // loader opens model files (on this worker's thread).
    explicit PredictionWorker(ClassifierLoader loader);
    ~PredictionWorker() override;

    // Thread-safe: requests with a job number below this are answered by nothing (the panel was
    // cleared while they were queued).
    void skipJobsBefore(quint64 job) { m_firstJob.store(job); }

    // Run in the worker's thread (queued calls from the panel):
    void loadModel(const QString& path);  // emits modelLoaded or modelFailed
    void unloadModel();                   // emits modelUnloaded
    // Decodes (unless audio is given) and classifies with the loaded model; with no model the
    // result is decoded only. Emits finished, also for a file that cannot be read.
    void classify(quint64 job, const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio);

Q_SIGNALS:
    void modelLoaded(const ts::ui::LoadedModel& model);
    void modelFailed(const QString& path, const QString& error);
    void modelUnloaded();
    void finished(const ts::ui::PredictionResult& result);

private:
    ClassifierLoader m_loader;
    std::unique_ptr<SoundClassifier> m_classifier;  // kept loaded between files
    std::atomic<quint64> m_firstJob{0};
};

} // namespace ts::ui
