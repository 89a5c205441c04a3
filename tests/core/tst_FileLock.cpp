// FileLock: one holder at a time across processes, the holder's pid for whoever waits, a lock that
// dies with a kill -9'd holder, a wait that can be cancelled, and no lock file left once released.
#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <future>
#include <thread>
#include <sys/file.h>
#include <unistd.h>

#include "util/FileLock.h"

using ts::FileLock;

namespace {

ts::CancellationToken cancelled()
{
    ts::CancellationToken token;
    token.cancel();
    return token;
}

// Whether someone holds the lock: a try with a cancelled token is refused at once when it is held.
bool isHeld(const std::string& path)
{
    auto probe = FileLock::acquire(path, cancelled());
    return !probe.ok() && probe.error().code == ts::ErrorCode::Cancelled;
}

// The same question for a lock another program takes, asked without creating or removing the file:
// a FileLock probe that runs before that program has locked would take the lock and remove the file
// on release, leaving the program holding a lock on a file no path names.
bool isHeldWithoutTouching(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool held = ::flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);  // closing drops the lock if this probe took it
    return held;
}

} // namespace

class tst_FileLock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void holderWritesItsPidAndRemovesTheFileOnRelease()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral(".set.lock")).toStdString();
        {
            auto lock = FileLock::acquire(path);
            QVERIFY2(lock.ok(), lock.ok() ? "" : lock.error().describe().c_str());
            QCOMPARE(FileLock::holderOf(path), long(::getpid()));
            QVERIFY(isHeld(path));
            // Moved, still held once.
            FileLock moved = std::move(lock.value());
            QVERIFY(isHeld(path));
        }
        QVERIFY(!QFile::exists(QString::fromStdString(path)));
        QCOMPARE(FileLock::holderOf(path), 0L);
        QVERIFY(!isHeld(path));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));  // the probe's lock went with it
    }

    void waiterIsToldTheHolderAndGetsTheLockWhenItIsReleased()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral(".set.lock")).toStdString();
        auto first = FileLock::acquire(path);
        QVERIFY(first.ok());
        std::atomic<long> toldPid{-1};
        std::atomic<int> told{0};
        auto waiting = std::async(std::launch::async, [&] {
            return FileLock::acquire(path, {}, [&](long pid) {
                toldPid = pid;
                ++told;
            });
        });
        QTRY_COMPARE_WITH_TIMEOUT(told.load(), 1, 5000);
        QCOMPARE(toldPid.load(), long(::getpid()));
        QCOMPARE(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);  // still waiting
        { FileLock release = std::move(first.value()); }
        QCOMPARE(waiting.wait_for(std::chrono::seconds(5)), std::future_status::ready);
        auto second = waiting.get();
        QVERIFY(second.ok());
        QCOMPARE(told.load(), 1);
        // The first holder removed its file; the waiter holds a lock on the file the path names now
        // (not on the removed one, which would let a third process in beside it).
        QVERIFY(QFile::exists(QString::fromStdString(path)));
        QVERIFY(isHeld(path));
    }

    void cancellingTheWaitReturnsCancelled()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral(".set.lock")).toStdString();
        auto held = FileLock::acquire(path);
        QVERIFY(held.ok());
        ts::CancellationToken token;
        auto waiting = std::async(std::launch::async, [&] { return FileLock::acquire(path, token); });
        QCOMPARE(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
        QElapsedTimer timer;
        timer.start();
        token.cancel();
        auto result = waiting.get();
        QVERIFY(timer.elapsed() < 1000);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), int(ts::ErrorCode::Cancelled));
        QCOMPARE(result.error().path, path);
        QVERIFY(isHeld(path));  // the holder is untouched
    }

    void aKilledHolderReleasesTheLock()
    {
        // util-linux's flock(1) holds the same kind of lock and writes no pid: the waiter is told
        // after a second with pid 0, and proceeds as soon as the holder is killed.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral(".set.lock"));
        QProcess holder;
        // --no-fork: flock(1) becomes `sleep` itself, so the process started holds the lock.
        holder.start(QStringLiteral("flock"), {QStringLiteral("--no-fork"), path, QStringLiteral("sleep"), QStringLiteral("60")});
        QVERIFY(holder.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(isHeldWithoutTouching(path), 5000);
        std::atomic<int> told{0};
        std::atomic<long> toldPid{-1};
        auto waiting = std::async(std::launch::async, [&] {
            return FileLock::acquire(path.toStdString(), {}, [&](long pid) {
                toldPid = pid;
                ++told;
            });
        });
        QTRY_COMPARE_WITH_TIMEOUT(told.load(), 1, 5000);
        QCOMPARE(toldPid.load(), 0L);
        QCOMPARE(waiting.wait_for(std::chrono::milliseconds(100)), std::future_status::timeout);
        ::kill(pid_t(holder.processId()), SIGKILL);
        QCOMPARE(waiting.wait_for(std::chrono::seconds(5)), std::future_status::ready);
        auto lock = waiting.get();
        QVERIFY2(lock.ok(), lock.ok() ? "" : lock.error().describe().c_str());
        QCOMPARE(FileLock::holderOf(path.toStdString()), long(::getpid()));
        holder.waitForFinished(5000);
    }

    void aLockFileThatCannotBeCreatedIsAnError()
    {
        auto lock = FileLock::acquire("/nonexistent/folder/.set.lock");
        QVERIFY(!lock.ok());
        QCOMPARE(int(lock.error().code), int(ts::ErrorCode::WriteFailed));
        QCOMPARE(QString::fromStdString(lock.error().describe()),
                 QStringLiteral("/nonexistent/folder/.set.lock: cannot create the lock file (No such file or directory)"));
    }
};

QTEST_GUILESS_MAIN(tst_FileLock)
#include "tst_FileLock.moc"
