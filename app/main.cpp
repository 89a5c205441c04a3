// timbrescope: the GUI when started without a command, otherwise the command line.
#include <clocale>

#include "cli/Cli.h"

#ifdef TIMBRESCOPE_WITH_GUI
#include "ui/GuiMain.h"
#endif

int main(int argc, char** argv)
{
    if (ts::cli::isCliInvocation(argc, argv)) {
        std::setlocale(LC_ALL, "C");  // JSON and numbers on stdout must not depend on the locale
        return ts::cli::runCli(argc, argv);
    }
#ifdef TIMBRESCOPE_WITH_GUI
    return ts::ui::runGui(argc, argv);
#else
    const char* help[] = {argv[0], "--help"};
    return ts::cli::runCli(2, const_cast<char**>(help));
#endif
}
