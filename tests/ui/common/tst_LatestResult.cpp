// LatestResult: of several requests only the newest one's result arrives (on the GUI thread), a
// superseded request's token is cancelled, errors arrive as errors, and discard() or the context
// going away means nothing arrives at all.
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "ui/common/LatestResult.h"

using ts::CancellationToken;
using ts::ErrorCode;
using ts::Result;
using ts::ui::LatestResult;

namespace {

// Work that runs until its token is cancelled (a minute at most, so a broken cancel fails the test).
Result<int> untilCancelled(const CancellationToken& cancel, std::atomic<bool>& started)
{
    started = true;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (!cancel.isCancelled() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (cancel.isCancelled())
        return ts::makeError(ErrorCode::Cancelled, "cancelled");
    return -1;
}

} // namespace

class tst_LatestResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void onlyTheNewestRequestIsDelivered()
    {
        QObject context;
        LatestResult<int> latest(&context);
        std::vector<int> delivered;
        std::vector<QThread*> threads;
        const auto record = [&](Result<int> r) {
            delivered.push_back(r ? *r : -100);
            threads.push_back(QThread::currentThread());
        };
        std::atomic<bool> firstStarted{false};
        std::atomic<bool> firstSawCancel{false};
        latest.run([&](const CancellationToken& cancel) {
            auto r = untilCancelled(cancel, firstStarted);
            firstSawCancel = !r && r.error().code == ErrorCode::Cancelled;
            return r;
        }, record);
        QTRY_VERIFY(firstStarted.load());
        latest.run([] { return Result<int>(2); }, record);
        latest.run([] { return Result<int>(3); }, record);
        QVERIFY(latest.isRunning());
        QTRY_VERIFY(!latest.isRunning());
        QCOMPARE(delivered, std::vector<int>{3});
        QCOMPARE(threads.front(), QThread::currentThread());
        QVERIFY(firstSawCancel.load());  // superseded, so it stopped early
    }

    void anErrorIsDeliveredAsAnError()
    {
        QObject context;
        LatestResult<int> latest(&context);
        std::vector<std::string> errors;
        latest.run([] { return Result<int>(ts::makeError(ErrorCode::NotFound, "no such file", "/x.wav")); },
                   [&](Result<int> r) { errors.push_back(r ? std::string("value") : r.error().describe()); });
        QTRY_COMPARE(errors.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(errors.front()), QStringLiteral("/x.wav: no such file"));
    }

    void cancelStopsTheWorkAndStillDeliversItsEnd()
    {
        QObject context;
        LatestResult<int> latest(&context);
        std::vector<ErrorCode> codes;
        std::atomic<bool> started{false};
        latest.run([&](const CancellationToken& cancel) { return untilCancelled(cancel, started); },
                   [&](Result<int> r) { codes.push_back(r ? ErrorCode::Internal : r.error().code); });
        QTRY_VERIFY(started.load());
        latest.cancel();
        QTRY_COMPARE(codes.size(), std::size_t(1));
        QCOMPARE(codes.front(), ErrorCode::Cancelled);
    }

    void discardDeliversNothing()
    {
        QObject context;
        LatestResult<int> latest(&context);
        int deliveries = 0;
        std::atomic<bool> started{false};
        latest.run([&](const CancellationToken& cancel) { return untilCancelled(cancel, started); }, [&](Result<int>) { ++deliveries; });
        latest.run([] { return Result<int>(1); }, [&](Result<int>) { ++deliveries; });
        latest.discard();
        QTRY_VERIFY(!latest.isRunning());
        QTest::qWait(50);
        QCOMPARE(deliveries, 0);
    }

    void contextGoneMidRequestIsHarmless()
    {
        auto context = std::make_unique<QObject>();
        auto latest = std::make_unique<LatestResult<int>>(context.get());
        std::atomic<bool> started{false};
        bool delivered = false;
        latest->run([&](const CancellationToken& cancel) { return untilCancelled(cancel, started); },
                    [&](Result<int>) { delivered = true; });
        QTRY_VERIFY(started.load());
        latest.reset();
        context.reset();
        QVERIFY(QThreadPool::globalInstance()->waitForDone(10000));  // the work was told to stop
        QTest::qWait(50);
        QVERIFY(!delivered);
    }
};

QTEST_GUILESS_MAIN(tst_LatestResult)
#include "tst_LatestResult.moc"
