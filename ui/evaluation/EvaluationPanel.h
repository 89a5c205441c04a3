#pragma once
// The "Evaluation" workspace tab, the confusion-matrix viewer: evaluate any model file on any
// dataset split (in an EvaluationWorker thread, with progress and cancel), then read the result as a
// heatmap (family or source, counts or row-normalised), overall accuracy and a sortable per-class
// table; click a cell to list, see and hear its notes. Exports the matrix as CSV and the view as PNG.
#include <QWidget>
#include <memory>

#include "dataset/Dataset.h"
#include "ml/Architecture.h"
#include "ui/common/ThrottledProgress.h"
#include "ui/common/WorkerThread.h"
#include "ui/evaluation/EvaluationResult.h"
#include "util/Result.h"

class QAbstractButton;
class QCheckBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QToolButton;

namespace ts::ui {

class CellNotesPanel;
class ClassMetricsModel;
class ConfusionMatrixView;
class EvaluationSetupForm;
class EvaluationWorker;

class EvaluationPanel : public QWidget {
    Q_OBJECT
public:
    explicit EvaluationPanel(QWidget* parent = nullptr);
    ~EvaluationPanel() override;

    EvaluationSetupForm* setupForm() const { return m_form; }
    // The window's open dataset: the default folder, and its notes are reused when evaluating it.
    void setOpenDataset(std::shared_ptr<const dataset::Dataset> dataset);

    // Starts evaluating what the form says; finished, failed or cancelled follows.
    void evaluate();
    void cancel();
    bool isRunning() const { return m_running; }

    // Shows a result (the worker's, or a test's).
    void showResult(const EvaluationResult& result);
    const EvaluationResult& result() const { return m_result; }
    // Which target the matrix shows; only targets the result has.
    void setTarget(ml::Target target);
    ml::Target target() const { return m_target; }
    void setNormalised(bool normalised);
    // Lists a cell's notes, as clicking it does.
    void selectCell(int trueClass, int predictedClass);

    // Atomic writes: the shown matrix's counts as ml::confusionCsv writes them (the CLI's format),
    // and the matrix view as an image.
    Status exportCsv(const QString& path) const;
    Status exportPng(const QString& path) const;

    QString statusText() const;
    QString accuracyText() const;
    ConfusionMatrixView* matrixView() const { return m_matrix; }
    QTableView* metricsTable() const { return m_metricsTable; }
    ClassMetricsModel* metrics() const { return m_metrics; }
    CellNotesPanel* cellNotes() const { return m_cellNotes; }
    QPushButton* evaluateButton() const { return m_evaluate; }
    QPushButton* cancelButton() const { return m_cancel; }
    QProgressBar* progressBar() const { return m_progress; }
    QAbstractButton* targetButton(ml::Target target) const;

Q_SIGNALS:
    void finished();
    void failed(const QString& message);
    void cancelled();

private:
    void onProgress(qint64 done, qint64 total, const QString& status);
    void onFinished(const EvaluationResult& result);
    void onFailed(const QString& message);
    void onCancelled();
    void setRunning(bool running);
    void showStatus(const QString& text, bool error);
    void refreshMatrix();
    void chooseExportFile(const QString& suffix);  // "csv" or "png"
    QString matrixTitle() const;

    EvaluationSetupForm* m_form = nullptr;
    QPushButton* m_evaluate = nullptr;
    QPushButton* m_cancel = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QToolButton* m_familyButton = nullptr;
    QToolButton* m_sourceButton = nullptr;
    QToolButton* m_classButton = nullptr;
    QCheckBox* m_normalised = nullptr;
    QLabel* m_accuracy = nullptr;
    QPushButton* m_exportCsv = nullptr;
    QPushButton* m_exportPng = nullptr;
    ConfusionMatrixView* m_matrix = nullptr;
    ClassMetricsModel* m_metrics = nullptr;
    QSortFilterProxyModel* m_sortedMetrics = nullptr;
    QTableView* m_metricsTable = nullptr;
    CellNotesPanel* m_cellNotes = nullptr;

    std::unique_ptr<WorkerThread<EvaluationWorker>> m_worker;
    // Feature progress, at most 10 updates a second: the cache reports every note.
    ThrottledProgress m_featureProgress{this, 10, [this](const Progress& p) {
        onProgress(qint64(p.done), qint64(p.total), QString::fromStdString(p.status));
    }};
    bool m_running = false;
    std::shared_ptr<const dataset::Dataset> m_openDataset;
    EvaluationResult m_result;
    ml::Target m_target = ml::Target::Family;
};

} // namespace ts::ui
