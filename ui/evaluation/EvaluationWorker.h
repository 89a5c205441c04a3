#pragma once
// Evaluates a model file on a dataset split off the GUI thread (lives in a WorkerThread owned by the
// EvaluationPanel): loads the model, the dataset's features (computing what the feature cache lacks,
// with progress), classifies the chosen part's notes with ml::evaluate (with progress) and answers with an
// EvaluationResult, or a message naming the file and what is wrong. Cancellable through the token.
#include <QObject>
#include <QString>
#include <memory>

#include "dataset/Dataset.h"
#include "ui/evaluation/EvaluationResult.h"
#include "ui/evaluation/EvaluationSetup.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"

namespace ts::ui {

class EvaluationWorker : public QObject {
    Q_OBJECT
public:
    EvaluationWorker();

    // Run in the worker's thread (queued calls):
    // Reads a model file's metadata: modelInspected or modelFailed.
    void inspectModel(const QString& path);
    // `openDataset`: the dataset the window has open, used for the notes when it is the same folder
    // (saves loading it twice). Emits progress, then finished, failed or cancelled. The feature
    // cache's progress (from its decoding threads, with the status line to show) goes to
    // `featureProgress` instead, which the caller throttles.
    void evaluate(const ts::ui::EvaluationSetup& setup, std::shared_ptr<const ts::dataset::Dataset> openDataset,
                  const ts::CancellationToken& cancel, const ts::ProgressSink& featureProgress);

Q_SIGNALS:
    void modelInspected(const ts::ui::ModelSummary& summary);
    void modelFailed(const QString& path, const QString& message);
    // done of total (total 0: not known yet) and what is being done.
    void progress(qint64 done, qint64 total, const QString& status);
    void finished(const ts::ui::EvaluationResult& result);
    void failed(const QString& message);
    void cancelled();
};

} // namespace ts::ui
