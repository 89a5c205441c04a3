#pragma once
// Drag-and-drop classification: every file dropped (or added) becomes a row with the predicted
// instrument family and source and their confidence, or the reason the file cannot be read.
// Expanding a row shows bar charts of all class scores. Work runs in a PredictionWorker thread that
// keeps the model loaded. The model in use is shown and can be changed (the shipped default or any
// model file); with no model the panel says so and offers to open one or to go to training.
//
// For the main window: call addFiles() with dropped paths (folders are walked recursively), connect
// fileSelected to the sound views and playRequested to the player, trainingRequested to the training
// tab. The panel also accepts drops itself.
#include <QHash>
#include <QStringList>
#include <QWidget>

#include <memory>
#include <optional>

#include "ui/common/WorkerThread.h"
#include "ui/prediction/PredictionResult.h"
#include "ui/prediction/PredictionRow.h"
#include "ui/prediction/PredictionWorker.h"
#include "ui/prediction/SoundClassifier.h"
#include "ui/sound/WaveformView.h"

class QLabel;
class QStackedWidget;
class QTreeWidget;

namespace ts::ui {

class ModelBar;

class PredictionPanel : public QWidget {
    Q_OBJECT
public:
    using Column = PredictionRow::Column;
    static constexpr Column FileColumn = PredictionRow::FileColumn;
    static constexpr Column FamilyColumn = PredictionRow::FamilyColumn;
    static constexpr Column SourceColumn = PredictionRow::SourceColumn;
    static constexpr Column DetailsColumn = PredictionRow::DetailsColumn;
    static constexpr Column ClassColumn = PredictionRow::ClassColumn;

    // loader opens model files on the worker thread: MlSoundClassifier's for Timbrescope models,
    // or a test's own.
    explicit PredictionPanel(ClassifierLoader loader, QWidget* parent = nullptr);
    ~PredictionPanel() override;

    // Adds a row per file, in order, and classifies them in the worker. Folders are walked
    // recursively for sound files; a file named explicitly always gets a row.
    void addFiles(const QStringList& paths);
    void clear();
    // Asks for sound files; in the main window they then go the way dropped files go.
    void chooseFiles();

    // Loads a model file in the worker; modelChanged or modelFailed follows. Rows already there are
    // classified again with the new model.
    void setModel(const QString& path);
    bool hasModel() const { return m_model.has_value(); }
    // The model that ships with the application (offered in the model menu and the no-model
    // banner), and the name filter of model files in the open dialog ("Models (*.ext)").
    void setShippedModelPath(const QString& path);
    void setModelFileFilter(const QString& filter);
    const std::optional<LoadedModel>& model() const { return m_model; }

    // What the rows show (tests, automation).
    int rowCount() const;
    QString rowText(int row, Column column) const;
    QString rowPath(int row) const;
    bool rowHasError(int row) const;
    const PredictionResult* rowResult(int row) const;  // null while still working
    bool isWorking() const { return m_pending > 0 || m_modelLoading; }
    QTreeWidget* tree() const { return m_tree; }  // tests only: the window uses the signals
    // Room for the model bar, a few rows and an expanded row's charts.
    QSize sizeHint() const override { return {900, 420}; }
    QSize minimumSizeHint() const override { return {420, 220}; }
    ModelBar* modelBar() const { return m_modelBar; }

Q_SIGNALS:
    // A classified row was clicked, also when it is already the current one (show it again).
    void rowClicked(const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio);
    // A row was selected: its path and decoded sound (null when not kept in memory: files longer
    // than a minute, or past the panel's memory budget; decode the path then).
    void fileSelected(const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio);
    // Right after fileSelected: the notes found in that file (empty without a model or notes), for
    // the waveform's bands (SoundViewPanel::showSegments).
    void segmentsSelected(const QString& path, const QList<ts::ui::WaveformSegment>& segments);
    // Double-click, Enter or the Play action on a row.
    void playRequested(const QString& path, std::shared_ptr<const ts::audio::DecodedAudio> audio);
    void trainingRequested();
    // "Add files…" / "Add folder…" chose these (only when connected; else they are added directly).
    void classifyRequested(const QStringList& paths);
    void modelChanged(const ts::ui::LoadedModel& model);
    void modelFailed(const QString& path, const QString& error);
    // Every queued file has its result (tests and the status bar wait on this).
    void idle();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void onResult(const PredictionResult& result);
    void onModelLoaded(const LoadedModel& model);
    void onModelFailed(const QString& path, const QString& error);
    void queue(PredictionRow* row, std::shared_ptr<const ts::audio::DecodedAudio> audio);
    void showResult(PredictionRow* row, PredictionResult result);
    void forget(PredictionRow* row);
    void expandCharts(QTreeWidgetItem* item);
    void onCurrentItemChanged(QTreeWidgetItem* item);
    void requestPlay(QTreeWidgetItem* item);
    void chooseFolder();
    void requestFiles(const QStringList& paths);
    void showContextMenu(const QPoint& position);
    void updateSummary();
    PredictionRow* rowAt(int row) const;
    static PredictionRow* rowOf(QTreeWidgetItem* item);

    std::unique_ptr<WorkerThread<PredictionWorker>> m_worker;
    std::optional<LoadedModel> m_model;
    bool m_modelLoading = false;
    quint64 m_nextJob = 1;
    int m_pending = 0;
    QHash<quint64, PredictionRow*> m_jobs;  // outstanding job → its row
    std::size_t m_keptSamples = 0;          // decoded audio held by rows

    ModelBar* m_modelBar = nullptr;
    QStackedWidget* m_stack = nullptr;
    QTreeWidget* m_tree = nullptr;
    QLabel* m_summary = nullptr;
};

} // namespace ts::ui
