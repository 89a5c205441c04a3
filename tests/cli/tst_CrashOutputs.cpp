// ctest-label: slow
// kill -9 of the commands that write one output file, `evaluate --confusion-csv FILE` and
// `features --out FILE.npy`, at 20 seeded moments spread over each one's measured duration and at
// the moment the file's temporary appears (mid-write): FILE is always the previous file byte for
// byte or the complete new one, and the next run leaves no temporary beside it (the killed runs'
// FILE.tmp-PID-XXXXXXXX are removed by the next write into that folder, a killed FFTW wisdom
// write's by the next process reading the wisdom).
#include <QtTest>

#include "common/CliRun.h"
#include "common/KillTesting.h"
#include "common/NsynthFixture.h"

namespace fx = nsynthfixture;

namespace {

constexpr int kRuns = 20;
constexpr int kMidWriteRuns = 3;

} // namespace

class tst_CrashOutputs : public QObject {
    Q_OBJECT

    // Kills `args` at kRuns moments over its duration and kMidWriteRuns times mid-write of `file`,
    // which holds `previous` before each run; then one run to the end.
    void killAndCheck(const QStringList& args, const QString& file, const QByteArray& previous, std::uint64_t seed)
    {
        const QString folder = QFileInfo(file).absolutePath();
        auto reset = [&] {
            QFile f(file);
            return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(previous) == previous.size();
        };
        // The reference output, and how long a run takes here: the second run, as the first one
        // also measures FFTW's plans for the cache folder.
        QByteArray expected;
        int durationMs = 0;
        for (int i = 0; i < 2; ++i) {
            QVERIFY(reset());
            QElapsedTimer timer;
            timer.start();
            const ts::test::CliRun reference = ts::test::runTimbrescope(args, m_env);
            durationMs = int(timer.elapsed());
            QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));
            QVERIFY(expected.isEmpty() || ts::test::fileBytes(file) == expected);
            expected = ts::test::fileBytes(file);
        }
        QVERIFY(!expected.isEmpty() && expected != previous);

        int killed = 0, replaced = 0;
        for (int moment : ts::test::killMoments(durationMs, kRuns, seed)) {
            QVERIFY(reset());
            const auto run = ts::test::runAndKillAfter(args, m_env, moment);
            killed += run.killed ? 1 : 0;
            const QByteArray now = ts::test::fileBytes(file);
            QVERIFY2(now == previous || now == expected, qPrintable(QStringLiteral("killed at %1 ms: %2 bytes").arg(moment).arg(now.size())));
            replaced += now == expected ? 1 : 0;
        }
        int killedMidWrite = 0;
        for (int i = 0; i < kMidWriteRuns; ++i) {
            QVERIFY(reset());
            const auto run = ts::test::runAndKillWhileWriting(args, m_env, folder, QFileInfo(file).fileName());
            killedMidWrite += run.killed ? 1 : 0;
            const QByteArray now = ts::test::fileBytes(file);
            QVERIFY2(now == previous || now == expected, qPrintable(QStringLiteral("killed mid-write: %1 bytes").arg(now.size())));
        }
        qInfo("%s: %d ms; %d of %d runs killed (%d had replaced the file), %d of %d killed mid-write", qPrintable(args.front()),
              durationMs, killed, kRuns, replaced, killedMidWrite, kMidWriteRuns);
        QVERIFY(killed >= kRuns / 2);
        QVERIFY2(killedMidWrite >= 1, "the file's temporary was never seen");

        const ts::test::CliRun next = ts::test::runTimbrescope(args, m_env);
        QVERIFY2(next.exitCode == 0, qPrintable(next.err));
        QCOMPARE(ts::test::fileBytes(file), expected);
        QCOMPARE(ts::test::temporariesIn(folder), QStringList());
        QCOMPARE(ts::test::temporariesIn(m_dir.filePath(QStringLiteral("cache"))), QStringList());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 3, 4}, 3, {48, 60}, {25, 127})));
        m_env = ts::test::environmentIn(m_dir.path());
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("out"))));
    }

    void evaluateConfusionCsv()
    {
        const QString model = m_dir.filePath(QStringLiteral("net.tsm"));
        const ts::test::CliRun trained = ts::test::runTimbrescope({"train", "--data", m_data, "--model", "timbre-net", "--split", "random",
                                                                    "--epochs", "1", "--batch", "8", "--recordings", "0", "--threads", "1",
                                                                    "--out", model},
                                                                   m_env);
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
        const QString csv = m_dir.filePath(QStringLiteral("out/confusion.csv"));
        killAndCheck({"evaluate", "--model", model, "--data", m_data, "--part", "all", "--confusion-csv", csv}, csv,
                     "target,true,an older matrix\n", 3);
    }

    void featuresNpy()
    {
        const QString wav = m_dir.filePath(QStringLiteral("tiny/audio/bass_acoustic_000-048-025.wav"));
        QVERIFY(QFile::exists(wav));
        const QString npy = m_dir.filePath(QStringLiteral("out/features.npy"));
        killAndCheck({"features", wav, "--kind", "stft", "--out", npy}, npy, QByteArray("\x93NUMPY an older array", 21), 5);
    }

    void aKilledWisdomWritersTemporaryIsRemoved()
    {
        // FFTW's wisdom file is written once per cache folder: the temporary of a process killed
        // while writing it is removed by the next process that reads the wisdom.
        QProcess probe;
        probe.start(QStringLiteral("true"), {});
        QVERIFY(probe.waitForStarted());
        const qint64 dead = probe.processId();
        QVERIFY(probe.waitForFinished());
        QProcessEnvironment env = m_env;
        const QString cache = m_dir.filePath(QStringLiteral("cache-wisdom"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cache);
        const QString wav = m_dir.filePath(QStringLiteral("tiny/audio/bass_acoustic_000-048-025.wav"));
        const QStringList args = {"features", wav, "--kind", "logmel"};
        QCOMPARE(ts::test::runTimbrescope(args, env).exitCode, 0);  // writes the wisdom
        const QStringList wisdom = QDir(cache + "/timbrescope").entryList({QStringLiteral("fftw-wisdom-*")}, QDir::Files);
        QCOMPARE(wisdom.size(), 1);
        const QString left = cache + QStringLiteral("/timbrescope/%1.tmp-%2-0badf00d").arg(wisdom.front()).arg(dead);
        QVERIFY(fx::writeText(left.toStdString(), "(fftw-3.3.10 fftwf_wisdom"));
        // This run has nothing new to write: only reading the wisdom can clean the folder.
        const ts::test::CliRun r = ts::test::runTimbrescope(args, env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(!QFile::exists(left));
        QCOMPARE(ts::test::temporariesIn(cache), QStringList());
    }

private:
    QTemporaryDir m_dir;
    QString m_data;
    QProcessEnvironment m_env;
};

QTEST_GUILESS_MAIN(tst_CrashOutputs)
#include "tst_CrashOutputs.moc"
