// ctest-label: slow
// kill -9 of `timbrescope render` at 20 seeded moments spread over a render's measured duration:
// after each kill the output folder is missing or the whole set, byte for byte what an
// uninterrupted render makes, never a part of one; the next render leaves no temporary beside it
// (the killed renders' .NAME.rendering-PID folders are removed) and makes the same set.
#include <QtTest>

#include "common/CliRun.h"
#include "common/KillTesting.h"

#include "dataset/Dataset.h"

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
constexpr int kRuns = 20;

QStringList renderArgs(const QString& out)
{
    return {"render", "--soundfont", kFluid, "--count", "40", "--seed", "5", "--jobs", "1", "--out", out};
}

} // namespace

class tst_CrashRender : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
    }

    void killedRenderLeavesNoPartOfASet()
    {
        QTemporaryDir dir;
        const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // The reference, and how long a render takes here.
        const QString reference = dir.filePath(QStringLiteral("reference"));
        QElapsedTimer timer;
        timer.start();
        const ts::test::CliRun made = ts::test::runTimbrescope(renderArgs(reference), env);
        const int durationMs = int(timer.elapsed());
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const auto expected = ts::test::folderBytes(reference);
        QCOMPARE(int(expected.size()), 40 + 2);

        const QString parent = dir.filePath(QStringLiteral("renders"));
        QVERIFY(QDir().mkpath(parent));
        const QString out = parent + QStringLiteral("/set");
        int killed = 0, whole = 0;
        for (int moment : ts::test::killMoments(durationMs, kRuns, 20261207)) {
            const auto run = ts::test::runAndKillAfter(renderArgs(out), env, moment);
            killed += run.killed ? 1 : 0;
            if (!run.killed)
                QVERIFY2(run.exitCode == 0, qPrintable(run.err));
            if (QFileInfo::exists(out)) {
                // There only as the whole set: renamed into place once complete.
                QVERIFY2(ts::test::folderBytes(out) == expected, qPrintable(QStringLiteral("killed at %1 ms").arg(moment)));
                ++whole;
                QVERIFY(QDir(out).removeRecursively());
            }
        }
        // Most moments fall inside the render (it loads the SoundFont, renders, renames).
        QVERIFY2(killed >= kRuns / 2, qPrintable(QStringLiteral("%1 of %2 runs killed").arg(killed).arg(kRuns)));
        qInfo("render: %d ms; %d of %d runs killed, %d sets found whole", durationMs, killed, kRuns, whole);

        // The next render finishes, makes the same bytes and removes what the killed ones left.
        const ts::test::CliRun next = ts::test::runTimbrescope(renderArgs(out), env);
        QVERIFY2(next.exitCode == 0, qPrintable(next.err));
        QVERIFY(ts::test::folderBytes(out) == expected);
        QCOMPARE(ts::test::temporariesIn(parent), QStringList());
        QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList{QStringLiteral("set")});
        auto loaded = ts::dataset::Dataset::load(out.toStdString());
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->usableIndices().size(), std::size_t(40));
    }
};

QTEST_GUILESS_MAIN(tst_CrashRender)
#include "tst_CrashRender.moc"
