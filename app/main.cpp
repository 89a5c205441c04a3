// timbrescope: the GUI when started without a command, otherwise the command line.
#include <clocale>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

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
        // process wants the cores (measured with bench_infer on 2 busy cores), and tagging 400
        // files on 2 threads takes 1.13 s of classifying instead of 0.73 s. libgomp reads the
        // variable once, when it is loaded, and this binary loads it before main (FAISS and BLAS
        // need it), so setting it here is too late: the process starts itself again with it set
        // (a few tens of ms). A user's own setting wins; if the exec fails, predict runs as it is.
        if (argc > 1 && std::strcmp(argv[1], "predict") == 0 && !std::getenv("OMP_WAIT_POLICY")) {
            setenv("OMP_WAIT_POLICY", "PASSIVE", 1);
            execv("/proc/self/exe", argv);
        }
        return ts::cli::runCli(argc, argv);
    }
#ifdef TIMBRESCOPE_WITH_GUI
    return ts::ui::runGui(argc, argv);
#else
    const char* help[] = {argv[0], "--help"};
    return ts::cli::runCli(2, const_cast<char**>(help));
#endif
}
