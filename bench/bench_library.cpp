// The library browser on a large dataset, driven as a user drives it (the real LibraryPanel, its
// table shown offscreen and painted after each step): open (examples.json + the WAV check +
// filling the table, sorted by name; the two parts apart too), each keystroke of a search typed letter by letter, a family
// filter, a sort by each column, a scroll to the end. Prints, per step, milliseconds:
//   RESULT impl=app figure=library.<step> value=<ms> unit=ms notes=<N> [shown=<rows>]
// (the slowest of --reps runs where a step is repeated) and the peak resident memory at the end. Run (QT_QPA_PLATFORM=offscreen is set if unset):
//   bench_library DATASET_DIR [--search guitar_acoustic] [--reps 3]
#include <QApplication>
#include <QHeaderView>
#include <QLineEdit>
#include <QScrollBar>
#include <QTableView>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <sys/resource.h>
#include <vector>

#include "BenchArgs.h"
#include "dataset/Dataset.h"
#include "dataset/Labels.h"
#include "ui/library/LibraryPanel.h"

using namespace ts;

namespace {

double msOf(const std::function<void()>& work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    QApplication::processEvents();  // the table repaints what changed
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// The slowest of `reps` runs (the first one builds what later ones reuse: a user meets it too).
double worstMs(int reps, const std::function<void()>& prepare, const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int r = 0; r < reps; ++r) {
        prepare();
        QApplication::processEvents();
        ms.push_back(msOf(work));
    }
    return *std::max_element(ms.begin(), ms.end());
}

void report(const std::string& figure, double ms, const std::string& extra)
{
    std::printf("RESULT impl=app figure=library.%s value=%.2f unit=ms %s\n", figure.c_str(), ms, extra.c_str());
    std::fflush(stdout);
}

} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? QByteArray("offscreen") : qgetenv("QT_QPA_PLATFORM"));
    std::string search = "guitar_acoustic";
    int reps = 3;
    std::vector<std::string> folders;
    const bool parsed = bench::Args().add("--search", search).add("--reps", reps).positional(folders).parse(argc, argv);
    if (!parsed || folders.size() != 1 || reps < 1) {
        std::fprintf(stderr, "usage: bench_library DATASET_DIR [--search TEXT] [--reps R]\n");
        return 2;
    }
    QApplication app(argc, argv);
    ui::LibraryPanel panel;
    panel.resize(1200, 800);
    panel.show();
    QApplication::processEvents();

    std::shared_ptr<const dataset::Dataset> shared;
    const double loadMs = msOf([&] {
        auto loaded = dataset::Dataset::load(folders.front());
        if (!loaded) {
            std::fprintf(stderr, "%s\n", loaded.error().describe().c_str());
            std::exit(1);
        }
        shared = std::make_shared<const dataset::Dataset>(std::move(loaded).value());
    });
    // The window loads the dataset on a worker thread (the window stays responsive); filling the
    // table (sorted by name) is the part the GUI thread does.
    const double tableMs = msOf([&] { panel.setDataset(shared); });
    const std::string notes = "notes=" + std::to_string(shared->size());
    report("open", loadMs + tableMs, notes);
    report("open_load_dataset", loadMs, notes);
    report("open_fill_table", tableMs, notes);

    auto shown = [&] { return " shown=" + std::to_string(panel.visibleCount()); };
    QLineEdit* field = panel.findChild<QLineEdit*>();
    // Each keystroke of the search, typed into the field as a user types it; the worst one counts.
    std::vector<double> keystrokes;
    for (std::size_t n = 1; n <= search.size(); ++n)
        keystrokes.push_back(msOf([&] { field->setText(QString::fromStdString(search.substr(0, n))); }));
    report("search_keystroke_max", *std::max_element(keystrokes.begin(), keystrokes.end()), notes + shown());
    report("search_keystroke_first", keystrokes.front(), notes);
    const double clearMs = msOf([&] { field->clear(); });
    report("search_clear", clearMs, notes + shown());

    dataset::NoteFilter strings;
    strings.families = {*dataset::familyIndex("string")};
    const double familyMs = worstMs(reps, [&] { panel.resetFilter(); }, [&] { panel.setFilter(strings); });
    report("family_filter", familyMs, notes + shown());
    panel.resetFilter();

    QTableView* table = panel.tableView();
    const char* columns[] = {"name", "family", "source", "pitch", "velocity", "instrument", "generator"};
    for (int c = 0; c < 7; ++c) {
        const double ms = worstMs(reps, [&] { table->sortByColumn(c == 0 ? 1 : 0, Qt::AscendingOrder); },
                                   [&] { table->sortByColumn(c, Qt::AscendingOrder); });
        report(std::string("sort_") + columns[c], ms, notes);
    }
    table->sortByColumn(0, Qt::AscendingOrder);
    const double scrollMs = msOf([&] { table->verticalScrollBar()->setValue(table->verticalScrollBar()->maximum()); });
    report("scroll_to_end", scrollMs, notes);

    struct rusage usage {};
    ::getrusage(RUSAGE_SELF, &usage);
    std::printf("RESULT impl=app figure=library.peak_rss value=%.1f unit=MB %s\n", double(usage.ru_maxrss) / 1024.0, notes.c_str());
    return 0;
}
