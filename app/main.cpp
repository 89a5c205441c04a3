// timbrescope: the GUI when started without a command, otherwise the command line.
#include <clocale>
#include <cstdlib>
#include <cstring>

#include "cli/Cli.h"

#ifdef TIMBRESCOPE_WITH_GUI
#include "ui/app/GuiMain.h"
#endif

int main(int argc, char** argv)
{
    if (ts::cli::isCliInvocation(argc, argv)) {
        std::setlocale(LC_ALL, "C");  // JSON and numbers on stdout must not depend on the locale
        // predict runs many tiny forward passes, one file after another: OpenMP's default of
        // spinning between them costs 14-108 ms per 4 s note instead of 3.6 ms when another
        // process wants the cores (measured with bench_infer on 2 busy cores). Read by OpenMP
        // when it starts, so set before any LibTorch call; a user's own setting wins.
        if (argc > 1 && std::strcmp(argv[1], "predict") == 0)
            setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
        return ts::cli::runCli(argc, argv);
    }
#ifdef TIMBRESCOPE_WITH_GUI
    return ts::ui::runGui(argc, argv);
#else
    const char* help[] = {argv[0], "--help"};
    return ts::cli::runCli(2, const_cast<char**>(help));
#endif
}
