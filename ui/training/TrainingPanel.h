#pragma once
// The "Training" workspace tab: settings (TrainingForm), Start / Stop / Resume, live charts,
// progress and a short log of a run that a TrainingWorker executes in its own thread. When a run
// ends its model is saved and can be used for prediction at once; "Open model…" shows the history
// of any saved model file. Stop keeps the best epoch so far and offers to resume.
#include <QCoreApplication>
#include <QString>
#include <QWidget>
#include <memory>

#include "ui/common/LatestResult.h"
#include "ui/common/ThrottledProgress.h"
#include "ui/common/WorkerThread.h"
#include "ui/training/ModelFileSummary.h"
#include "ui/training/TrainingWorker.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace ts::ui {

class TrainingCharts;
class TrainingForm;
class TrainingProgressBars;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxLogLines = 500;

    explicit TrainingPanel(QWidget* parent = nullptr);
    ~TrainingPanel() override;

    // The dataset open in the library (the default data folder).
    void setOpenDataset(const QString& folder);

    // Starts a run with the form's settings; false (the reason shown) if one is running.
    bool start();
    // The run stops after the current batch, keeping and saving its best epoch.
    void stop();
    // Reads the checkpoint (off the GUI thread), puts its settings in the form and continues it.
    void resumeFrom(const QString& checkpointPath);
    // Shows the history of a saved model file (or checkpoint) in the charts.
    void openModel(const QString& path);

    bool isRunning() const { return m_running; }
    QString modelPath() const { return m_modelPath; }            // last model saved or opened
    QString offeredCheckpoint() const { return m_offeredCheckpoint; }  // what Resume continues
    QString statusText() const;
    bool statusIsError() const { return m_statusIsError; }

    // LibTorch threads for training (default: every core but one, so the GUI keeps one) and
    // whether the training threads run at a lower priority than the GUI (default yes).
    int trainingThreads() const { return m_threads; }
    void setTrainingThreads(int threads);
    void setLowPriority(bool low) { m_lowPriority = low; }
    // The timbrescope binary the other processes of a multi-process run start (this program by
    // default; tests, whose program is not timbrescope, name the built one).
    void setRankProgram(const QString& program) { m_rankProgram = program; }

    TrainingForm* form() const { return m_form; }
    TrainingCharts* charts() const { return m_charts; }
    TrainingProgressBars* progressBars() const { return m_progress; }
    QPlainTextEdit* log() const { return m_log; }
    QPushButton* startButton() const { return m_startButton; }
    QPushButton* stopButton() const { return m_stopButton; }
    QToolButton* resumeButton() const { return m_resumeButton; }
    QPushButton* useButton() const { return m_useButton; }

Q_SIGNALS:
    void trainingStarted();
    // After the charts and progress bars show it.
    void batchShown(const ts::ui::TrainingBatch& batch);
    void epochShown(const ts::ui::TrainingEpoch& epoch);
    void trainingFinished(const ts::ui::TrainingResult& result);
    void historyShown(const QString& path);
    void modelOpenFailed(const QString& path, const QString& error);
    // "Use for prediction": the main window hands the model to the prediction panel.
    void useModelRequested(const QString& path);

private:
    void startRequest(TrainingRequest request);
    void onStarted(const QStringList& targets, int train, int validation, int test);
    void onHistoryRestored(const QVector<TrainingEpoch>& history, const QStringList& targets);
    void onFeatureProgress(const Progress& progress);
    void onEpoch(const TrainingEpoch& epoch);
    void onFinished(const TrainingResult& result);
    void setRunning(bool running);
    void setStatus(const QString& text, bool error = false);
    void appendLog(const QString& line);
    void chooseCheckpoint();
    void chooseModel();
    void resume();

    TrainingForm* m_form = nullptr;
    TrainingCharts* m_charts = nullptr;
    TrainingProgressBars* m_progress = nullptr;
    QPlainTextEdit* m_log = nullptr;
    QLabel* m_status = nullptr;
    QPushButton* m_startButton = nullptr;
    QPushButton* m_stopButton = nullptr;
    QToolButton* m_resumeButton = nullptr;
    QPushButton* m_useButton = nullptr;
    QPushButton* m_openButton = nullptr;

    std::unique_ptr<WorkerThread<TrainingWorker>> m_worker;
    // The feature cache reports every note; the bars show it as often as they show batches.
    ThrottledProgress m_featureProgress{this, TrainingWorker::kBatchUpdatesPerSecond,
                                        [this](const Progress& p) { onFeatureProgress(p); }};
    TrainingRequest m_request;        // the run going on (or last run)
    bool m_running = false;
    bool m_loadingFile = false;       // a checkpoint or model file is being read
    LatestResult<ModelFileSummary> m_fileRead{this};
    bool m_statusIsError = false;
    QString m_modelPath;
    QString m_offeredCheckpoint;
    int m_threads = 1;
    bool m_lowPriority = true;
    QString m_rankProgram = QCoreApplication::applicationFilePath();
};

} // namespace ts::ui
