#include "ui/GuiMain.h"

#include <QApplication>
#include <QMainWindow>

namespace ts::ui {

int runGui(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("timbrescope"));
    QApplication::setApplicationDisplayName(QStringLiteral("Timbrescope"));
    QMainWindow window;
    window.resize(1400, 900);
    window.show();
    return app.exec();
}

} // namespace ts::ui
