// How responsive the window stays while the training dashboard trains (goal: event-loop delay
// during an epoch ≤ 50 ms at the 99th percentile). A TrainingPanel is shown and trains --model on
// --data; a 10 ms precise timer measures how late the GUI thread serves it while batches run
// (features and the final test pass excluded). Then Stop is pressed mid-epoch and the time until
// the best model is saved is measured. Runs once per --threads value (LibTorch threads for
// training), and with the training threads at normal priority when --compare-priority is given.
//   RESULT impl=app figure=ui.training.loop_delay_{p50,p99,max}.threads<N>[.normal_priority] value=<ms> unit=ms
//   (and samples_per_second, stop_to_saved)
// Run (QT_QPA_PLATFORM=offscreen or under Xvfb):
//   build*/bin/bench_training_ui [--data DIR] [--model timbre-net] [--split instrument]
//       [--threads 1,2] [--seconds 30] [--compare-priority]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "BenchReport.h"
#include "ui/training/TrainingForm.h"
#include "ui/training/TrainingPanel.h"
#include "util/AppPaths.h"

using namespace ts::ui;

namespace {

struct Figures {
    std::vector<double> lateMs;   // per timer tick during batches
    double samplesPerSecond = 0.0;
    double stopMs = -1.0;         // Stop pressed → model saved
    int epochsDone = 0;
    QString error;
};

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return NAN;
    std::sort(v.begin(), v.end());
    // Nearest rank.
    const double rank = std::ceil(p / 100.0 * double(v.size()));
    return v[std::size_t(std::clamp(rank, 1.0, double(v.size()))) - 1];
}

Figures measure(const QString& data, const QString& model, const QString& split, int threads, bool lowPriority,
                double seconds, const QString& outFolder)
{
    Figures f;
    TrainingPanel panel;
    panel.resize(1600, 960);
    panel.show();
    panel.form()->setDataFolder(data);
    panel.form()->setArchitecture(model);
    panel.form()->setSplit(split);
    panel.form()->setEpochs(100);
    panel.form()->setPatience(100);
    panel.form()->setOutputPath(outFolder + QStringLiteral("/bench-%1-%2.tsm").arg(threads).arg(lowPriority));
    panel.setTrainingThreads(threads);
    panel.setLowPriority(lowPriority);

    bool inBatches = false;
    QElapsedTimer tick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const double ms = double(tick.nsecsElapsed()) / 1e6;
        tick.restart();
        if (inBatches)
            f.lateMs.push_back(std::max(0.0, ms - 10.0));
    });
    QEventLoop loop;
    QElapsedTimer stopClock;
    QObject::connect(&panel, &TrainingPanel::epochShown, [&](const TrainingEpoch& e) { f.epochsDone = e.epoch; });
    QObject::connect(&panel, &TrainingPanel::trainingFinished, [&](const TrainingResult& r) {
        inBatches = false;
        if (stopClock.isValid())
            f.stopMs = double(stopClock.nsecsElapsed()) / 1e6;
        if (r.status == TrainingResult::Status::Failed)
            f.error = r.error;
        loop.quit();
    });
    // The first batch update means features are loaded and batches run; Stop after `seconds` of them.
    QTimer stopAfter;
    stopAfter.setSingleShot(true);
    QObject::connect(&stopAfter, &QTimer::timeout, [&] {
        inBatches = false;
        stopClock.start();
        panel.stop();
    });
    QObject::connect(&panel, &TrainingPanel::batchShown, [&](const TrainingBatch& b) {
        f.samplesPerSecond = b.samplesPerSecond;
        if (!inBatches && !stopClock.isValid()) {
            inBatches = true;
            stopAfter.start(int(seconds * 1000));
        }
    });
    tick.start();
    probe.start();
    panel.start();
    loop.exec();
    return f;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString data = QString::fromStdString(ts::defaultDatasetFolder());
    QString model = QStringLiteral("timbre-net");
    QString split = QStringLiteral("instrument");
    QList<int> threadCounts = {1, 2};
    double seconds = 30.0;
    bool comparePriority = false;
    for (int i = 1; i < argc; ++i) {
        const bool more = i + 1 < argc;
        if (!std::strcmp(argv[i], "--data") && more)
            data = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(argv[i], "--model") && more)
            model = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(argv[i], "--split") && more)
            split = QString::fromLocal8Bit(argv[++i]);
        else if (!std::strcmp(argv[i], "--seconds") && more)
            seconds = std::atof(argv[++i]);
        else if (!std::strcmp(argv[i], "--compare-priority"))
            comparePriority = true;
        else if (!std::strcmp(argv[i], "--threads") && more) {
            threadCounts.clear();
            for (const QString& t : QString::fromLocal8Bit(argv[++i]).split(QLatin1Char(',')))
                threadCounts << std::max(1, t.toInt());
        } else {
            std::fprintf(stderr, "usage: bench_training_ui [--data DIR] [--model ARCH] [--split POLICY] [--threads 1,2] "
                                 "[--seconds S] [--compare-priority]\n");
            return 2;
        }
    }
    QTemporaryDir out;
    std::printf("# %s on %s (split %s), %.0f s of batches per run, %d cores\n", qPrintable(model), qPrintable(data),
                qPrintable(split), seconds, QThread::idealThreadCount());
    for (bool low : comparePriority ? QList<bool>{true, false} : QList<bool>{true}) {
        for (int threads : threadCounts) {
            const Figures f = measure(data, model, split, threads, low, seconds, out.path());
            if (!f.error.isEmpty()) {
                std::fprintf(stderr, "bench_training_ui: %s\n", qPrintable(f.error));
                return 1;
            }
            const std::string tag = "threads" + std::to_string(threads) + (low ? "" : ".normal_priority");
            std::printf("# threads %d, %s priority: %zu ticks, event-loop delay p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
                        "%.0f samples/s (%d epochs done); Stop → model saved %.0f ms\n",
                        threads, low ? "lowered" : "normal", f.lateMs.size(), percentile(f.lateMs, 50), percentile(f.lateMs, 99),
                        percentile(f.lateMs, 100), f.samplesPerSecond, f.epochsDone, f.stopMs);
            bench::result("ui.training.loop_delay_p50." + tag, percentile(f.lateMs, 50), "ms");
            bench::result("ui.training.loop_delay_p99." + tag, percentile(f.lateMs, 99), "ms");
            bench::result("ui.training.loop_delay_max." + tag, percentile(f.lateMs, 100), "ms");
            bench::result("ui.training.samples_per_second." + tag, f.samplesPerSecond, "samples/s");
            bench::result("ui.training.stop_to_saved." + tag, f.stopMs, "ms");
        }
    }
    return 0;
}
