#include "ui/app/MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <algorithm>
#include <utility>

#include "synth/DatasetRenderer.h"
#include "ui/sound/AudioPlayer.h"
#include "ui/app/CreateDefaultDatasetDialog.h"
#include "ui/app/ImportDatasetDialog.h"
#include "ui/app/DatasetLoader.h"
#include "ui/app/FileDropFilter.h"
#include "ui/app/LaunchPaths.h"
#include "ui/library/LibraryPanel.h"
#include "ui/prediction/PredictionPanel.h"
#include "ui/prediction/SaliencyExplainer.h"
#include "ui/prediction/TagFolderDialog.h"
#include "ui/common/ModelFiles.h"
#include "ui/app/RecentDatasetsMenu.h"
#include "ui/common/Settings.h"
#include "ui/sound/SoundViewPanel.h"
#include "util/AppPaths.h"
#include "ui/common/DatasetFolder.h"

namespace ts::ui {

MainWindow::MainWindow(ClassifierLoader classifierLoader, QWidget* parent)
    : QMainWindow(parent),
      m_player(new AudioPlayer(this)),
      m_loader(new DatasetLoader(this))
{
    setWindowTitle(QStringLiteral("Timbrescope"));
    buildLayout(std::move(classifierLoader));
    buildMenus();

    connect(m_loader, &DatasetLoader::loaded, this, &MainWindow::onDatasetLoaded);
    connect(m_loader, &DatasetLoader::failed, this, &MainWindow::onDatasetFailed);
    connect(m_library, &LibraryPanel::currentNoteChanged, this, &MainWindow::showNote);
    connect(m_library, &LibraryPanel::noteActivated, this, [this] {
        m_player->stop();
        togglePlayback();
    });
    connect(m_views, &SoundViewPanel::soundChanged, this, &MainWindow::onSoundChanged);
    connect(m_predictions, &PredictionPanel::fileSelected, this, &MainWindow::onPredictionSelected);
    connect(m_predictions, &PredictionPanel::segmentsSelected, m_views, &SoundViewPanel::showSegments);
    connect(m_predictions, &PredictionPanel::modelChanged, this, [](const LoadedModel& model) {
        appSettings().setValue(QStringLiteral("prediction/model"), model.path);
    });
    // Working in the prediction list (clicks, keys) makes it the side the views follow; a click on
    // the row that is already current shows it again.
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
        if (now && m_predictions->isAncestorOf(now))
            m_predictionsActive = true;
    });
    connect(m_predictions, &PredictionPanel::rowClicked, this,
            [this](const QString& path, std::shared_ptr<const audio::DecodedAudio> audio) {
                m_predictionsActive = true;
                onPredictionSelected(path, std::move(audio));
            });
    connect(m_predictions, &PredictionPanel::playRequested, this,
            [this](const QString& path, std::shared_ptr<const audio::DecodedAudio> audio) {
                m_player->stop();
                m_predictionsActive = true;
                m_library->clearSelection();
                if (path == m_views->path() && m_views->audio()) {
                    togglePlayback();
                    return;
                }
                m_playWhenShown = true;
                m_views->showFile(path, std::move(audio));
            });
    connect(m_predictions, &PredictionPanel::trainingRequested, this, [this] {
        showWorkspaceTab(tr("Training"));
        Q_EMIT trainingRequested();
    });
    connect(m_views, &SoundViewPanel::playToggleRequested, this, &MainWindow::togglePlayback);
    connect(m_views, &SoundViewPanel::seekRequested, this, [this](double seconds) {
        if (const auto& audio = m_views->audio())
            m_player->play(audio->samples, audio::kModelSampleRate, seconds);
    });
    connect(m_player, &AudioPlayer::playingChanged, m_views, [this](bool playing) {
        m_views->setPlaying(playing);
        if (!playing)
            m_views->setPlayhead(-1.0);
    });
    connect(m_player, &AudioPlayer::positionChanged, m_views, &SoundViewPanel::setPlayhead);
    connect(m_player, &AudioPlayer::errorOccurred, this,
            [this](const QString& message) { statusBar()->showMessage(message, 6000); });

    // "Why?" in the sound view: the saliency of the loaded model's answer for the sound shown.
    auto* explainer = new SaliencyExplainer(this);
    connect(m_views, &SoundViewPanel::explainRequested, this,
            [this, explainer](std::shared_ptr<const audio::DecodedAudio> audio, int target, int classIndex) {
                if (!m_predictions->model()) {
                    m_views->showExplanation(audio.get(), nullptr, tr("No explanation: load a model first (the Prediction panel)"));
                    return;
                }
                explainer->explain(m_predictions->model()->path, std::move(audio), target, classIndex);
            });
    connect(explainer, &SaliencyExplainer::explained, m_views,
            [this](const audio::DecodedAudio* forAudio, const Explanation& explanation) {
                m_views->showExplanation(forAudio, explanation.overlay, explanation.caption);
            });

    connect(new FileDropFilter(this), &FileDropFilter::filesDropped, this, &MainWindow::classifyPaths);
    connect(m_predictions, &PredictionPanel::classifyRequested, this, &MainWindow::classifyPaths);
    restoreSession();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildLayout(ClassifierLoader classifierLoader)
{
    m_library = new LibraryPanel(this);
    m_views = new SoundViewPanel(this);
    m_predictions = new PredictionPanel(std::move(classifierLoader), this);

    m_rightSplitter = new QSplitter(Qt::Vertical, this);
    m_rightSplitter->setObjectName(QStringLiteral("rightSplitter"));
    m_rightSplitter->addWidget(m_views);
    m_rightSplitter->addWidget(m_predictions);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);
    m_rightSplitter->setChildrenCollapsible(false);

    m_mainSplitter = new QSplitter(Qt::Horizontal, this);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(m_library);
    m_mainSplitter->addWidget(m_rightSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setChildrenCollapsible(false);

    m_tabs = new QTabWidget(this);
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_mainSplitter, tr("Library"));
    setCentralWidget(m_tabs);

    m_datasetLabel = new QLabel(this);
    m_datasetLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(m_datasetLabel);
    m_views->showMessage(QString(), tr("Open a dataset (File → Open Dataset…) to browse its notes,\n"
                                       "or drop sound files anywhere on this window to classify them."));
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Dataset…"), this, &MainWindow::chooseDataset);
    open->setShortcut(QKeySequence::Open);
    m_recent = new RecentDatasetsMenu(this);
    connect(m_recent, &RecentDatasetsMenu::openRequested, this, &MainWindow::openDataset);
    file->addMenu(m_recent);
    file->addAction(tr("Create &Default Dataset…"), this, [this] { offerDefaultDataset(); });
    file->addAction(tr("&New Dataset from Folder…"), this, &MainWindow::importDataset);
    file->addSeparator();
    QAction* classify = file->addAction(tr("&Classify Files…"), m_predictions, &PredictionPanel::chooseFiles);
    classify->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addAction(tr("&Tag Folder…"), this, &MainWindow::showTagFolder);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* find = view->addAction(tr("&Search Notes"), m_library, &LibraryPanel::focusSearch);
    find->setShortcut(QKeySequence::Find);
    QAction* reset = view->addAction(tr("&Reset Filters"), m_library, &LibraryPanel::resetFilter);
    reset->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    QAction* library = view->addAction(tr("Go to &Library"), this, [this] {
        m_tabs->setCurrentIndex(0);
        m_library->focusNotes();
    });
    library->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));

    QMenu* playback = menuBar()->addMenu(tr("&Playback"));
    QAction* play = playback->addAction(tr("&Play / Stop"), this, &MainWindow::togglePlayback);
    play->setShortcut(QKeySequence(Qt::Key_Space));
    playback->addAction(tr("&Stop"), m_player, &AudioPlayer::stop)->setShortcut(QKeySequence(Qt::Key_Escape));

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Timbrescope"), this, &MainWindow::showAbout)->setMenuRole(QAction::AboutRole);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}

int MainWindow::addWorkspaceTab(QWidget* page, const QString& title)
{
    return m_tabs->addTab(page, title);
}

void MainWindow::restoreSession()
{
    const QSettings settings = appSettings();
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: most of the screen, but not a wall of pixels on a large monitor.
        const QRect screen = this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        resize(std::min(1600, screen.width() * 9 / 10), std::min(1000, screen.height() * 9 / 10));
    }
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!m_mainSplitter->restoreState(settings.value(QStringLiteral("window/mainSplitter")).toByteArray())) {
        const int library = std::min(m_library->sizeHint().width(), width() / 2);
        m_mainSplitter->setSizes({library, width() - library});
    }
    if (!m_rightSplitter->restoreState(settings.value(QStringLiteral("window/rightSplitter")).toByteArray()))
        m_rightSplitter->setSizes({height() * 2 / 3, height() / 3});  // room for a few prediction rows
    m_views->splitter()->restoreState(settings.value(QStringLiteral("window/viewSplitter")).toByteArray());
    m_library->restoreHeaderState(settings.value(QStringLiteral("window/libraryHeader")).toByteArray());
}

void MainWindow::saveSession()
{
    QSettings settings = appSettings();
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/mainSplitter"), m_mainSplitter->saveState());
    settings.setValue(QStringLiteral("window/rightSplitter"), m_rightSplitter->saveState());
    settings.setValue(QStringLiteral("window/viewSplitter"), m_views->splitter()->saveState());
    settings.setValue(QStringLiteral("window/libraryHeader"), m_library->saveHeaderState());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    m_player->stop();
    saveSession();
    event->accept();
}

void MainWindow::openStartupDataset()
{
    const QString last = appSettings().value(QStringLiteral("datasets/last")).toString();
    if (holdsDataset(last)) {
        openDataset(last);
        return;
    }
    const QString fallback = QString::fromStdString(ts::defaultDatasetFolder());
    if (holdsDataset(fallback)) {
        openDataset(fallback);
        // Made by an older recipe (fewer generators): offer the new one at once; cancelling keeps
        // the old set open.
        if (!synth::DatasetRenderer::defaultDatasetIsCurrent())
            offerDefaultDataset(true);
        return;
    }
    offerDefaultDataset();
}

void MainWindow::openLaunchPaths(const QStringList& arguments)
{
    const LaunchPaths launch = sortLaunchPaths(arguments);
    if (launch.problems.isEmpty()) {
        openLaunchDatasetAndSounds(launch);
        return;
    }
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open"),
                                tr("Some of the paths Timbrescope was started with cannot be opened."),
                                QMessageBox::Ok, this);
    box->setInformativeText(launch.problems.join(QLatin1Char('\n')));
    box->setAttribute(Qt::WA_DeleteOnClose);
    if (launch.datasetFolder.isEmpty()) {
        // Without a dataset on the command line, opening may offer to create the default one in a
        // modal dialog that would cover this message: the message is read first, then the offer comes.
        connect(box, &QDialog::finished, this, [this, launch] { openLaunchDatasetAndSounds(launch); });
        box->open();
        return;
    }
    openLaunchDatasetAndSounds(launch);
    box->open();
}

void MainWindow::openLaunchDatasetAndSounds(const LaunchPaths& launch)
{
    if (launch.datasetFolder.isEmpty())
        openStartupDataset();
    else
        openDataset(launch.datasetFolder);
    // A dataset that finishes loading shows its first note: the sounds asked for go to the views
    // after it, so the user sees their file.
    if (m_loader->isLoading())
        m_launchSounds = launch.soundPaths;
    else
        classifyPaths(launch.soundPaths);
}

void MainWindow::openDataset(const QString& folder)
{
    m_openClock.start();
    statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(folder)));
    m_loader->load(folder);
}

void MainWindow::chooseDataset()
{
    const QString start = m_dataset ? QString::fromStdString(m_dataset->folder()) : QDir::homePath();
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Dataset"), start);
    if (!folder.isEmpty())
        openDataset(folder);
}

void MainWindow::onDatasetLoaded(std::shared_ptr<const dataset::Dataset> dataset, qint64 /*loadMs*/)
{
    m_player->stop();
    m_dataset = std::move(dataset);
    const QString folder = QString::fromStdString(m_dataset->folder());
    m_library->setDataset(m_dataset);
    m_lastOpenMs = m_openClock.isValid() ? m_openClock.elapsed() : -1;

    m_recent->addFolder(folder);
    appSettings().setValue(QStringLiteral("datasets/last"), folder);
    setWindowTitle(QStringLiteral("%1 — Timbrescope").arg(QFileInfo(folder).fileName()));
    m_datasetLabel->setText(QDir::toNativeSeparators(folder));
    const auto missing = m_dataset->missingWavs().size();
    QString message = tr("Opened %1 notes in %2 ms").arg(QLocale().toString(qlonglong(m_dataset->size()))).arg(m_lastOpenMs);
    if (missing > 0)
        message += tr(" — %n note(s) have no WAV file", nullptr, int(missing));
    statusBar()->showMessage(message, 8000);
    Q_EMIT datasetChanged(m_dataset);
    classifyPaths(std::exchange(m_launchSounds, {}));
}

void MainWindow::onDatasetFailed(const QString& folder, const QString& message)
{
    statusBar()->clearMessage();
    // Window-modal but not blocking: loading runs from the event loop, and tests drive it.
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open dataset"),
                                tr("Cannot open the dataset in %1.").arg(QDir::toNativeSeparators(folder)),
                                QMessageBox::Ok, this);
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    Q_EMIT datasetOpenFailed(folder, message);
    classifyPaths(std::exchange(m_launchSounds, {}));
}

void MainWindow::onPredictionSelected(const QString& path, std::shared_ptr<const audio::DecodedAudio> audio)
{
    if (!m_predictionsActive)
        return;
    m_library->clearSelection();  // the views no longer show a note
    if (path == m_views->path() && m_views->audio())
        return;  // already shown (a drop shows its first file at once)
    m_views->showFile(path, std::move(audio));
}

void MainWindow::showNote(int noteIndex)
{
    m_predictionsActive = false;
    if (!m_dataset || noteIndex < 0 || std::size_t(noteIndex) >= m_dataset->size()) {
        m_views->showMessage(QString(), m_dataset ? tr("No note matches the filters.") : QString());
        return;
    }
    m_views->showNote(m_dataset->notes()[std::size_t(noteIndex)]);
}

void MainWindow::auditionNote(int noteIndex)
{
    if (!m_dataset || noteIndex < 0 || std::size_t(noteIndex) >= m_dataset->size())
        return;
    m_player->stop();
    if (m_library->currentNoteIndex() == noteIndex && !m_predictionsActive) {
        togglePlayback();  // already shown: no sound change will come to start it
        return;
    }
    m_playWhenShown = true;
    if (!m_library->selectNote(noteIndex))
        showNote(noteIndex);  // filtered out of the library: shown all the same
}

void MainWindow::onSoundChanged()
{
    // Arrowing through notes while one plays keeps playing: audition by scrolling.
    const bool play = m_player->isPlaying() || m_playWhenShown;
    m_playWhenShown = false;
    m_player->stop();
    if (play)
        togglePlayback();
    if (!m_views->path().isEmpty())
        Q_EMIT soundShown(m_views->path());
}

void MainWindow::showTagFolder()
{
    const QString model = m_predictions->model() ? m_predictions->model()->path : shippedModelPath();
    if (model.isEmpty()) {
        QMessageBox::information(this, tr("Tag Folder"), tr("Choose a model in the prediction panel first: this installation has no shipped model."));
        return;
    }
    auto* dialog = new TagFolderDialog({model}, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void MainWindow::togglePlayback()
{
    if (m_player->isPlaying()) {
        m_player->stop();
        return;
    }
    const auto& audio = m_views->audio();
    if (audio)
        m_player->play(audio->samples, audio::kModelSampleRate);
}

void MainWindow::classifyPaths(const QStringList& paths)
{
    if (paths.isEmpty())
        return;
    Q_EMIT soundsClassified(paths);
    m_predictionsActive = true;
    m_tabs->setCurrentIndex(0);
    // The first dropped file is shown at once; folders are walked by the prediction panel.
    for (const QString& path : paths) {
        if (QFileInfo(path).isFile()) {
            m_library->clearSelection();
            m_views->showFile(path);
            break;
        }
    }
    m_predictions->addFiles(paths);
}

void MainWindow::restoreModel(const QString& fallback)
{
    const QString last = appSettings().value(QStringLiteral("prediction/model")).toString();
    const QString model = !last.isEmpty() && QFileInfo::exists(last) ? last : fallback;
    if (!model.isEmpty())
        m_predictions->setModel(model);
}

bool MainWindow::showWorkspaceTab(const QString& title)
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (m_tabs->tabText(i).remove(QLatin1Char('&')) == title) {
            m_tabs->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

void MainWindow::offerDefaultDataset(bool outdated)
{
    CreateDefaultDatasetDialog dialog(synth::DatasetRenderer::defaultRequest(), outdated, this);
    if (dialog.exec() == QDialog::Accepted && !dialog.createdFolder().isEmpty()) {
        openDataset(dialog.createdFolder());
        return;
    }
    if (!m_dataset)
        m_views->showMessage(QString(), tr("No dataset is open. Open an NSynth-format folder with File → Open "
                                           "Dataset…,\ncreate the default one with File → Create Default Dataset…,\n"
                                           "or drop sound files anywhere on this window to classify them."));
}

void MainWindow::importDataset()
{
    ImportDatasetDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted && !dialog.importedFolder().isEmpty())
        openDataset(dialog.importedFolder());
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Timbrescope"),
        tr("<h3>Timbrescope %1</h3>"
           "<p>Explore and classify instrument sounds in the NSynth format: browse notes, look at their "
           "waveform and spectrogram, train classifiers and drop sound files to learn their instrument "
           "family and source.</p>"
           "<p>Built with Qt %2, LibTorch, libsndfile, libsoxr, FFTW and FluidSynth.</p>")
            .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

} // namespace ts::ui
