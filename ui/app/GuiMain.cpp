#include "ui/app/GuiMain.h"

#include <QApplication>
#include <QEvent>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QIcon>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <functional>

#include "ui/evaluation/EvaluationPanel.h"
#include "ui/evaluation/EvaluationSetupForm.h"
#include "ui/library/LibraryPanel.h"
#include "ui/live/LivePanel.h"
#include "ui/map/MapPanel.h"
#include "ui/app/MainWindow.h"
#include "ui/prediction/MlSoundClassifier.h"
#include "ui/prediction/PredictionPanel.h"
#include "ui/training/TrainingForm.h"
#include "ui/training/TrainingPanel.h"
#include "ui/common/ModelFiles.h"

namespace ts::ui {

namespace {

// Runs `action` once, on the event loop, after `widget` has painted for the first time. Loading
// LibTorch (about a second, several on a busy machine) holds the dynamic loader's lock, and the GUI
// thread takes that lock for every Qt plugin it loads while it shows the window: started before the
// first paint, the load kept the window from appearing for 3 s instead of 0.5 s (measured with
// bench/run_startup_bench.py on a loaded 2-core machine).
class AfterFirstPaint : public QObject {
public:
    AfterFirstPaint(QWidget* widget, std::function<void()> action) : QObject(widget), m_action(std::move(action))
    {
        widget->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (event->type() == QEvent::Paint && m_action) {
            QTimer::singleShot(0, this, [this, action = std::move(m_action)] {
                action();
                deleteLater();
            });
            m_action = nullptr;
            watched->removeEventFilter(this);
        }
        return false;
    }

private:
    std::function<void()> m_action;
};

} // namespace

int runGui(int argc, char** argv)
{
    QApplication app(argc, argv);
    // No organisation name: it would move QStandardPaths' folders away from core's AppPaths.
    QApplication::setApplicationName(QStringLiteral("timbrescope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Timbrescope"));
#ifdef TIMBRESCOPE_VERSION
    QApplication::setApplicationVersion(QStringLiteral(TIMBRESCOPE_VERSION));
#endif
    // The names packaging/ installs the .desktop entry and the icons under (the AppStream id).
    QApplication::setDesktopFileName(QStringLiteral("io.github.timbrescope.Timbrescope"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("io.github.timbrescope.Timbrescope")));

    MainWindow window(&loadMlSoundClassifier);
    // The training dashboard: the open dataset is its default data, a model it trained can go
    // straight to the prediction panel. Titled "Training", the tab the panel's "Train a new model…" opens.
    auto* training = new TrainingPanel(&window);
    window.addWorkspaceTab(training, QObject::tr("Training"));
    QObject::connect(&window, &MainWindow::datasetChanged, training, [training](std::shared_ptr<const dataset::Dataset> dataset) {
        if (dataset)
            training->setOpenDataset(QString::fromStdString(dataset->folder()));
    });
    QObject::connect(training, &TrainingPanel::useModelRequested, window.predictionPanel(), &PredictionPanel::setModel);
    // The confusion viewer evaluates the prediction panel's model (else the shipped one) on the open dataset by default.
    auto* evaluation = new EvaluationPanel(&window);
    window.addWorkspaceTab(evaluation, QObject::tr("Evaluation"));
    evaluation->setupForm()->setDefaultModelPath(shippedModelPath());
    QObject::connect(&window, &MainWindow::datasetChanged, evaluation, &EvaluationPanel::setOpenDataset);
    QObject::connect(window.predictionPanel(), &PredictionPanel::modelChanged, evaluation,
                     [evaluation](const LoadedModel& model) { evaluation->setupForm()->setDefaultModelPath(model.path); });
    // The timbre map of the open dataset, placed by the prediction panel's model (else the shipped one).
    auto* timbreMap = new MapPanel(&window);
    window.addWorkspaceTab(timbreMap, QObject::tr("Map"));
    timbreMap->setModelPath(shippedModelPath());
    QObject::connect(&window, &MainWindow::datasetChanged, timbreMap, &MapPanel::setDataset);
    QObject::connect(window.predictionPanel(), &PredictionPanel::modelChanged, timbreMap,
                     [timbreMap](const LoadedModel& model) { timbreMap->setModelPath(model.path); });
    QObject::connect(timbreMap, &MapPanel::noteActivated, &window, &MainWindow::auditionNote);
    QObject::connect(window.libraryPanel(), &LibraryPanel::currentNoteChanged, timbreMap, &MapPanel::setCurrentNote);
    QObject::connect(timbreMap, &MapPanel::notesChosen, window.libraryPanel(), &LibraryPanel::showOnlyNotes);
    // Live: what is played, classified as it is played, with the prediction panel's model.
    auto* live = new LivePanel(&window);
    window.addWorkspaceTab(live, QObject::tr("Live"));
    QObject::connect(window.predictionPanel(), &PredictionPanel::modelChanged, live,
                     [live](const LoadedModel& model) { live->setModelPath(model.path); });
    QObject::connect(&window, &MainWindow::soundsClassified, timbreMap, [timbreMap](const QStringList& paths) {
        QStringList files;
        for (const QString& path : paths)
            if (QFileInfo(path).isFile())
                files << path;
        timbreMap->addFiles(files);
    });
    window.predictionPanel()->setShippedModelPath(shippedModelPath());
    window.predictionPanel()->setModelFileFilter(modelFileFilter());
    window.show();
    // The model and the device list need LibTorch: loaded once the window is on screen.
    new AfterFirstPaint(&window, [&window, training] {
        window.restoreModel(shippedModelPath());
        auto* devices = new QFutureWatcher<std::vector<ml::DeviceInfo>>(training);
        QObject::connect(devices, &QFutureWatcherBase::finished, training, [training, devices] {
            training->form()->addDevices(devices->result());
            devices->deleteLater();
        });
        devices->setFuture(QtConcurrent::run(&ml::availableDevices));
    });
    // After the first paint, so the window is on screen before the dataset loads or the
    // "create the default dataset" dialog asks. `timbrescope PATH...` (QApplication has already
    // taken its own options out): a dataset folder to open and sound files to classify.
    const QStringList paths = QApplication::arguments().mid(1);
    QTimer::singleShot(0, &window, [&window, paths] { window.openLaunchPaths(paths); });
    return app.exec();
}

} // namespace ts::ui
