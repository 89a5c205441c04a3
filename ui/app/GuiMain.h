#pragma once
// Entry point of the graphical application (QApplication, main window, event loop).
namespace ts::ui {
int runGui(int argc, char** argv);
}
