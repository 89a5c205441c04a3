// A killed run's temporaries (TARGET.tmp-PID-XXXXXXXX, .NAME.rendering-PID) are removed by the next
// run when their process is gone, never while it lives, and nothing else in the folder is touched.
#include <QtTest>

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>

#include <unistd.h>

#include "util/StaleTemporaries.h"

class tst_StaleTemporaries : public QObject {
    Q_OBJECT

    static bool touch(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write("x") == 1;
    }

private Q_SLOTS:
    void removesOnlyTheDeadOnes()
    {
        QProcess probe;
        probe.start(QStringLiteral("true"), {});
        QVERIFY(probe.waitForStarted());
        const qint64 dead = probe.processId();
        QVERIFY(probe.waitForFinished());
        QVERIFY(dead > 0);
        QVERIFY(!ts::processIsAlive(long(dead)));
        QVERIFY(ts::processIsAlive(long(::getpid())));

        QTemporaryDir dir;
        const QString deadCache = dir.filePath(QStringLiteral("abc-logmel-1234abcd.bin.tmp-%1-deadbeef").arg(dead));
        const QString liveCache = dir.filePath(QStringLiteral("abc-logmel-1234abcd.bin.tmp-%1-cafe0123").arg(::getpid()));
        const QString deadModel = dir.filePath(QStringLiteral("net.tsm.tmp-%1-0badf00d").arg(dead));
        const QString deadRender = dir.filePath(QStringLiteral(".default.rendering-%1").arg(dead));
        const QString liveRender = dir.filePath(QStringLiteral(".default.rendering-%1").arg(::getpid()));
        const QString model = dir.filePath(QStringLiteral("net.tsm"));
        const QString lookalike = dir.filePath(QStringLiteral("notes.tmp-%1-readme.txt").arg(dead));
        for (const QString& f : {deadCache, liveCache, deadModel, model, lookalike})
            QVERIFY(touch(f));
        QVERIFY(QDir().mkpath(deadRender + QStringLiteral("/audio")));
        QVERIFY(touch(deadRender + QStringLiteral("/audio/a.wav")));
        QVERIFY(QDir().mkpath(liveRender));

        QCOMPARE(ts::removeStaleTemporaries(dir.path().toStdString()), std::size_t(3));
        QVERIFY(!QFile::exists(deadCache));
        QVERIFY(!QFile::exists(deadModel));
        QVERIFY(!QFileInfo::exists(deadRender));
        QVERIFY(QFile::exists(liveCache));
        QVERIFY(QFileInfo::exists(liveRender));
        QVERIFY(QFile::exists(model));
        QVERIFY(QFile::exists(lookalike));
        QCOMPARE(ts::removeStaleTemporaries(dir.path().toStdString()), std::size_t(0));
    }

    void aMissingFolderIsNothingToDo()
    {
        QCOMPARE(ts::removeStaleTemporaries("/nonexistent/folder"), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(tst_StaleTemporaries)
#include "tst_StaleTemporaries.moc"
