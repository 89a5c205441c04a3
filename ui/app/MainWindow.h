#pragma once
// The application window: menus, the workspace tabs ("Library" first; the training dashboard and
// confusion viewer are added with addWorkspaceTab), the status bar, drag-and-drop of sound files
// anywhere on the window, and the wiring between library, views, player and prediction panel.
#include <QElapsedTimer>
#include <QMainWindow>
#include <QStringList>
#include <memory>

#include "audio/AudioFile.h"
#include "dataset/Dataset.h"
#include "ui/app/LaunchPaths.h"
#include "ui/prediction/SoundClassifier.h"

class QAction;
class QLabel;
class QSplitter;
class QTabWidget;

namespace ts::ui {

class AudioPlayer;
class DatasetLoader;
class LibraryPanel;
class PredictionPanel;
class RecentDatasetsMenu;
class SoundViewPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // classifierLoader opens model files for the prediction panel (on its worker thread); without
    // one, dropped files are still decoded and shown, and the panel says no model is loaded.
    explicit MainWindow(ClassifierLoader classifierLoader = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    // At start-up: the last dataset (QSettings), else the default dataset folder; when neither
    // exists, offers to create the default dataset.
    void openStartupDataset();
    // `timbrescope PATH...`: opens the dataset folder among the paths (else the start-up dataset),
    // classifies the sound files and folders, and names the paths that do not exist in a message
    // (shown before any offer to create the default dataset, which waits until it is closed).
    void openLaunchPaths(const QStringList& arguments);
    // Loads a dataset folder off the GUI thread; datasetChanged or datasetOpenFailed follows.
    void openDataset(const QString& folder);
    const std::shared_ptr<const dataset::Dataset>& currentDataset() const { return m_dataset; }

    // Adds a page next to "Library" (training dashboard, confusion viewer); returns its index.
    int addWorkspaceTab(QWidget* page, const QString& title);
    QTabWidget* workspaceTabs() const { return m_tabs; }

    // Loads the model used last (QSettings) into the prediction panel, else `fallback` (the shipped
    // model); nothing when neither exists. Later model changes are remembered.
    void restoreModel(const QString& fallback);
    // Shows a dataset note in the sound views (selected in the library when the filters show it)
    // and plays it: what a click on the timbre map does.
    void auditionNote(int noteIndex);

    // Sends sound files and folders (walked recursively by the panel) to the prediction panel.
    void classifyPaths(const QStringList& paths);
    // File > Tag Folder…: the tagging dialog with the prediction panel's model (else the shipped one).
    void showTagFolder();
    // Shows the workspace tab with this title; false when there is none.
    bool showWorkspaceTab(const QString& title);

    LibraryPanel* libraryPanel() const { return m_library; }
    SoundViewPanel* soundViews() const { return m_views; }
    PredictionPanel* predictionPanel() const { return m_predictions; }
    AudioPlayer* player() const { return m_player; }
    // Milliseconds from openDataset() until the last dataset's table was usable.
    qint64 lastOpenMilliseconds() const { return m_lastOpenMs; }

Q_SIGNALS:
    void datasetChanged(std::shared_ptr<const ts::dataset::Dataset> dataset);
    void datasetOpenFailed(const QString& folder, const QString& message);
    // The views now show this sound (a note's WAV or a classified file).
    void soundShown(const QString& path);
    // The prediction panel (no model loaded) asked for the training workspace.
    void trainingRequested();
    // Files (or folders) dropped or opened for classification, as given.
    void soundsClassified(const QStringList& paths);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void buildLayout(ClassifierLoader classifierLoader);
    void restoreSession();
    void saveSession();
    void chooseDataset();
    // File → New Dataset from Folder…: imports a folder of the user's own sounds, then opens it.
    void importDataset();
    void offerDefaultDataset(bool outdated = false);
    void openLaunchDatasetAndSounds(const LaunchPaths& launch);
    void onDatasetLoaded(std::shared_ptr<const dataset::Dataset> dataset, qint64 loadMs);
    void onDatasetFailed(const QString& folder, const QString& message);
    void showNote(int noteIndex);
    void onSoundChanged();
    void onPredictionSelected(const QString& path, std::shared_ptr<const audio::DecodedAudio> audio);
    void togglePlayback();
    void showAbout();

    LibraryPanel* m_library = nullptr;
    SoundViewPanel* m_views = nullptr;
    PredictionPanel* m_predictions = nullptr;
    QTabWidget* m_tabs = nullptr;
    QSplitter* m_mainSplitter = nullptr;
    QSplitter* m_rightSplitter = nullptr;
    RecentDatasetsMenu* m_recent = nullptr;
    QLabel* m_datasetLabel = nullptr;
    AudioPlayer* m_player = nullptr;
    DatasetLoader* m_loader = nullptr;

    std::shared_ptr<const dataset::Dataset> m_dataset;
    QElapsedTimer m_openClock;
    qint64 m_lastOpenMs = -1;
    bool m_playWhenShown = false;  // a prediction row asked to play a sound still being decoded
    // The views follow the side the user worked with last: a classification that finishes after
    // the user went back to the library must not take the views away from the chosen note.
    QStringList m_launchSounds;  // `timbrescope PATH...` sounds waiting for the dataset to load
    bool m_predictionsActive = false;
};

} // namespace ts::ui
