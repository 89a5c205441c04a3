// WorkerThread: runs happen on the worker's own thread in the order posted, a cancelled run sees its
// token while the next run starts with a fresh one, and destroying it while a run is busy neither
// hangs nor crashes.
#include <QPointer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "ui/common/WorkerThread.h"

using ts::CancellationToken;
using ts::ui::WorkerThread;

namespace {

// What a run saw; written on the worker thread, read after the run says it is done.
class Recorder : public QObject {
public:
    std::vector<int> order;
    std::vector<QThread*> threads;
};

// Busy until its token is cancelled (or a minute passes, so a broken cancel fails instead of hanging).
bool spinUntilCancelled(const CancellationToken& cancel, std::atomic<bool>& started)
{
    started = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!cancel.isCancelled() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return cancel.isCancelled();
}

} // namespace

class tst_WorkerThread : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsInOrderOnTheWorkersThread()
    {
        WorkerThread<Recorder> worker(QStringLiteral("test"));
        std::atomic<int> done{0};
        for (int i = 0; i < 5; ++i)
            worker.post([i, &done](Recorder& r, const CancellationToken&) {
                r.order.push_back(i);
                r.threads.push_back(QThread::currentThread());
                ++done;
            });
        QTRY_COMPARE(done.load(), 5);
        QCOMPARE(worker.worker()->order, (std::vector<int>{0, 1, 2, 3, 4}));
        for (QThread* t : worker.worker()->threads) {
            QVERIFY(t != QThread::currentThread());
            QCOMPARE(t, worker.worker()->thread());
            QCOMPARE(t->objectName(), QStringLiteral("test"));
        }
    }

    void cancelledRunSeesItsTokenAndTheNextRunStartsFresh()
    {
        WorkerThread<Recorder> worker(QStringLiteral("test"));
        std::atomic<bool> started{false};
        std::atomic<int> busySawCancel{-1};
        std::atomic<int> queuedSawCancel{-1};
        std::atomic<int> laterSawCancel{-1};
        worker.post([&](Recorder&, const CancellationToken& cancel) { busySawCancel = spinUntilCancelled(cancel, started); });
        worker.post([&](Recorder&, const CancellationToken& cancel) { queuedSawCancel = cancel.isCancelled(); });
        QTRY_VERIFY(started.load());
        worker.cancel();
        // Posted after the Stop: a run of its own, not stopped by it.
        worker.post([&](Recorder&, const CancellationToken& cancel) { laterSawCancel = cancel.isCancelled(); });
        QTRY_COMPARE(laterSawCancel.load(), 0);
        QCOMPARE(busySawCancel.load(), 1);
        QCOMPARE(queuedSawCancel.load(), 1);
    }

    void destroyingWhileARunIsBusyCancelsAndWaits()
    {
        auto worker = std::make_unique<WorkerThread<Recorder>>(QStringLiteral("test"));
        QPointer<Recorder> recorder = worker->worker();
        std::atomic<bool> started{false};
        std::atomic<int> sawCancel{-1};
        std::atomic<int> queuedRuns{0};
        worker->post([&](Recorder&, const CancellationToken& cancel) { sawCancel = spinUntilCancelled(cancel, started); });
        for (int i = 0; i < 100; ++i)
            worker->post([&](Recorder&, const CancellationToken& cancel) { queuedRuns += cancel.isCancelled() ? 0 : 1; });
        QTRY_VERIFY(started.load());
        QElapsedTimer clock;
        clock.start();
        worker.reset();
        QVERIFY2(clock.elapsed() < 10000, "the destructor waited for a run that was never told to stop");
        QCOMPARE(sawCancel.load(), 1);
        QCOMPARE(queuedRuns.load(), 0);  // none of the queued runs went ahead as if nothing happened
        QVERIFY(recorder.isNull());       // the worker was deleted with its thread
    }
};

QTEST_GUILESS_MAIN(tst_WorkerThread)
#include "tst_WorkerThread.moc"
