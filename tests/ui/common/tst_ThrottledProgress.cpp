// ThrottledProgress: thousands of updates from worker threads reach the GUI thread at most N times a
// second, the last one always arrives, a phase's end arrives at once and in order, and nothing
// arrives once it is gone or its held update was discarded.
#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "ui/common/ThrottledProgress.h"

using ts::Progress;
using ts::ProgressSink;
using ts::ui::ThrottledProgress;

namespace {

Progress at(std::size_t done, std::size_t total)
{
    Progress p;
    p.done = done;
    p.total = total;
    p.status = "note " + std::to_string(done);
    return p;
}

// Reports done = 0..count-1 of total (never complete) over roughly `spreadMs`; returns how long it took.
qint64 feed(const ProgressSink& sink, std::size_t count, std::size_t total, int spreadMs)
{
    QElapsedTimer clock;
    clock.start();
    for (std::size_t i = 0; i < count; ++i) {
        sink(at(i, total));
        std::this_thread::sleep_for(std::chrono::microseconds(spreadMs * 1000 / int(count)));
    }
    return clock.elapsed();
}

} // namespace

class tst_ThrottledProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void atMostNPerSecondAndTheLastAlwaysArrives()
    {
        QObject context;
        std::vector<Progress> shown;
        std::vector<QThread*> threads;
        ThrottledProgress progress(&context, 10, [&](const Progress& p) {
            shown.push_back(p);
            threads.push_back(QThread::currentThread());
        });
        std::atomic<qint64> spentMs{-1};
        std::thread worker([&, sink = progress.sink()] { spentMs = feed(sink, 2000, 5000, 600); });
        QTRY_VERIFY_WITH_TIMEOUT(spentMs.load() >= 0, 60000);  // deliveries need this thread's event loop
        worker.join();
        QTRY_VERIFY(!shown.empty() && shown.back().done == 1999);
        QTest::qWait(250);  // nothing more is on its way
        QCOMPARE(shown.back().done, std::size_t(1999));
        QCOMPARE(shown.back().status, std::string("note 1999"));
        // One per 100 ms while reporting, and the held last one.
        QVERIFY2(shown.size() <= std::size_t(spentMs.load() / 100 + 2), qPrintable(QStringLiteral("%1 updates in %2 ms").arg(shown.size()).arg(spentMs.load())));
        QVERIFY(shown.size() >= 2);
        for (std::size_t i = 1; i < shown.size(); ++i)
            QVERIFY(shown[i].done > shown[i - 1].done);
        for (QThread* t : threads)
            QCOMPARE(t, QThread::currentThread());
    }

    void manyThreadsAtOnceStayWithinTheRate()
    {
        QObject context;
        std::size_t shown = 0;
        ThrottledProgress progress(&context, 20, [&](const Progress&) { ++shown; });
        std::vector<std::thread> workers;
        QElapsedTimer clock;  // from before the first report to after the last
        clock.start();
        for (int t = 0; t < 4; ++t)
            workers.emplace_back([sink = progress.sink()] { feed(sink, 500, 1000, 300); });
        for (std::thread& w : workers)
            w.join();
        const qint64 spentMs = clock.elapsed();
        QTest::qWait(200);
        QVERIFY(shown >= 1);
        QVERIFY2(shown <= std::size_t(spentMs / 50 + 2), qPrintable(QStringLiteral("%1 updates in %2 ms").arg(shown).arg(spentMs)));
    }

    void aPhasesEndArrivesAtOnceAndInOrder()
    {
        QObject context;
        std::vector<QString> events;
        ThrottledProgress progress(&context, 1, [&](const Progress& p) { events.push_back(QStringLiteral("%1/%2").arg(p.done).arg(p.total)); });
        const ProgressSink sink = progress.sink();
        sink(at(1, 10));   // the first: at once
        sink(at(5, 10));   // held: within the second
        sink(at(10, 10));  // the end: at once, replacing the held one
        QMetaObject::invokeMethod(&context, [&] { events.push_back(QStringLiteral("next")); }, Qt::QueuedConnection);
        QTRY_COMPARE(events.size(), std::size_t(3));
        QCOMPARE(events, (std::vector<QString>{QStringLiteral("1/10"), QStringLiteral("10/10"), QStringLiteral("next")}));
        QTest::qWait(1200);  // the held 5/10 was replaced, so it never shows
        QCOMPARE(events.size(), std::size_t(3));
    }

    void discardedOrDestroyedShowsNothingMore()
    {
        QObject context;
        std::vector<std::size_t> shown;
        auto progress = std::make_unique<ThrottledProgress>(&context, 10, [&](const Progress& p) { shown.push_back(p.done); });
        const ProgressSink sink = progress->sink();
        sink(at(1, 10));
        sink(at(2, 10));  // held
        progress->discardHeld();
        QTest::qWait(300);
        QCOMPARE(shown, std::vector<std::size_t>{1});

        QTest::qWait(150);
        sink(at(3, 10));  // on its way
        sink(at(4, 10));  // held
        progress.reset();
        sink(at(5, 10));  // the work may still report after the receiver is gone
        QTest::qWait(300);
        QCOMPARE(shown, std::vector<std::size_t>{1});
    }
};

QTEST_GUILESS_MAIN(tst_ThrottledProgress)
#include "tst_ThrottledProgress.moc"
