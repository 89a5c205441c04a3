#include "ui/GuiMain.h"

#include <QApplication>
#include <QIcon>
#include <QTimer>

#include "ui/MainWindow.h"
#include "ui/MlSoundClassifier.h"
#include "ui/PredictionPanel.h"

namespace ts::ui {

int runGui(int argc, char** argv)
{
    QApplication app(argc, argv);
    // No organisation name: it would move QStandardPaths' folders away from core's AppPaths.
    QApplication::setApplicationName(QStringLiteral("timbrescope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Timbrescope"));
#ifdef TIMBRESCOPE_VERSION
    QApplication::setApplicationVersion(QStringLiteral(TIMBRESCOPE_VERSION));
#endif
    QApplication::setDesktopFileName(QStringLiteral("timbrescope"));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral("timbrescope")));

    MainWindow window(&loadMlSoundClassifier);
    window.predictionPanel()->setShippedModelPath(shippedModelPath());
    window.predictionPanel()->setModelFileFilter(modelFileFilter());
    window.restoreModel(shippedModelPath());
    window.show();
    // After the first paint, so the window is on screen before the dataset loads or the
    // "create the default dataset" dialog asks.
    QTimer::singleShot(0, &window, &MainWindow::openStartupDataset);
    return app.exec();
}

} // namespace ts::ui
