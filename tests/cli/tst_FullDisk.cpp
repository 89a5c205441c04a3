// A full disk, made without root by a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so a
// write past it fails with EFBIG "File too large" as one on a full disk fails with ENOSPC):
// render, train --out (its checkpoint), calibrate (a model save) and evaluate --confusion-csv each
// end with exit 1 and one line naming the file and the reason, leave no temporary and keep the
// previous file byte for byte; a feature cache that cannot be written is said once on stderr and
// the run goes on without it, with the same results.
#include <QtTest>

#include "common/CliRun.h"
#include "common/KillTesting.h"
#include "common/NsynthFixture.h"

#include <nlohmann/json.hpp>

namespace fx = nsynthfixture;

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

QString lastLine(const QString& text)
{
    const QStringList lines = text.trimmed().split(QLatin1Char('\n'));
    return lines.back();
}

} // namespace

class tst_FullDisk : public QObject {
    Q_OBJECT

    // A folder holding copies of the trained model and its checkpoint: the "previous" files.
    QString folderWithModel(const QString& name) const
    {
        const QString folder = m_dir.filePath(name);
        QDir().mkpath(folder);
        QFile::copy(m_model, folder + "/net.tsm");
        QFile::copy(m_model + ".checkpoint", folder + "/net.tsm.checkpoint");
        return folder;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 3, 4}, 3, {48, 60}, {25, 127})));
        m_env = ts::test::environmentIn(m_dir.path());
        // A model, its checkpoint and the feature cache, written without a limit.
        m_model = m_dir.filePath(QStringLiteral("net.tsm"));
        const ts::test::CliRun trained = ts::test::runTimbrescope(
            {"train", "--data", m_data, "--model", "timbre-net", "--split", "random", "--epochs", "1", "--batch", "8",
             "--recordings", "0", "--threads", "1", "--out", m_model},
            m_env);
        QVERIFY2(trained.exitCode == 0, qPrintable(trained.err));
    }

    void renderSaysWhichFileAndLeavesNothing()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        // A note's WAV is 128,044 bytes: the first one fails.
        const QString parent = m_dir.filePath(QStringLiteral("renders"));
        QVERIFY(QDir().mkpath(parent));
        const auto r = ts::test::runWithFileSizeLimit({"render", "--soundfont", kFluid, "--count", "6", "--jobs", "1", "--out", parent + "/set"},
                                                      m_env, 64 * 1024);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(QRegularExpression(QStringLiteral("^timbrescope: %1/set/audio/[a-z_]+_\\d{3}-\\d{3}-\\d{3}\\.wav: write failed \\(File too large\\)$")
                                        .arg(QRegularExpression::escape(parent)))
                     .match(lastLine(r.err))
                     .hasMatch(),
                 qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(QDir(parent).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
    }

    void trainSaysWhichFileAndKeepsThePreviousModel()
    {
        // The cache is in place: the first file train writes is the checkpoint after epoch 1.
        const QString folder = folderWithModel(QStringLiteral("train"));
        const QByteArray model = ts::test::fileBytes(folder + "/net.tsm");
        const QByteArray checkpoint = ts::test::fileBytes(folder + "/net.tsm.checkpoint");
        QVERIFY(model.size() > 100 * 1024 && checkpoint.size() > model.size());
        const auto r = ts::test::runWithFileSizeLimit({"train", "--data", m_data, "--model", "timbre-net", "--split", "random", "--epochs",
                                                       "2", "--batch", "8", "--recordings", "0", "--threads", "1", "--seed", "4", "--out",
                                                       folder + "/net.tsm"},
                                                      m_env, 100 * 1024);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(lastLine(r.err), QStringLiteral("timbrescope: %1/net.tsm.checkpoint: write failed (File too large)").arg(folder));
        QCOMPARE(ts::test::fileBytes(folder + "/net.tsm"), model);
        QCOMPARE(ts::test::fileBytes(folder + "/net.tsm.checkpoint"), checkpoint);
        QCOMPARE(ts::test::temporariesIn(folder), QStringList());
    }

    void calibrateSaysWhichFileAndKeepsTheModel()
    {
        // calibrate rewrites the model file itself: a model save and nothing else.
        const QString folder = folderWithModel(QStringLiteral("calibrate"));
        const QByteArray model = ts::test::fileBytes(folder + "/net.tsm");
        const auto r = ts::test::runWithFileSizeLimit({"calibrate", "--model", folder + "/net.tsm", "--data", m_data}, m_env, 100 * 1024);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.trimmed(), QStringLiteral("timbrescope: %1/net.tsm: write failed (File too large)").arg(folder));
        QCOMPARE(ts::test::fileBytes(folder + "/net.tsm"), model);
        QCOMPARE(ts::test::temporariesIn(folder), QStringList());
    }

    void evaluateCsvSaysWhichFileAndKeepsThePreviousOne()
    {
        const QString folder = m_dir.filePath(QStringLiteral("evaluate"));
        QVERIFY(QDir().mkpath(folder));
        const QString csv = folder + "/confusion.csv";
        const QByteArray previous = "target,true,an older matrix\n";
        QVERIFY(fx::writeText(csv.toStdString(), previous.toStdString()));
        // The matrices are about 700 bytes; nothing else is written (the cache is in place).
        const auto r = ts::test::runWithFileSizeLimit({"evaluate", "--model", m_model, "--data", m_data, "--confusion-csv", csv, "--json"},
                                                      m_env, 200);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.trimmed(), QStringLiteral("timbrescope: %1: write failed (File too large)").arg(csv));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(ts::test::fileBytes(csv), previous);
        QCOMPARE(ts::test::temporariesIn(folder), QStringList());
    }

    void featureCacheThatCannotBeWrittenIsSaidOnceAndTheRunGoesOn()
    {
        // A fresh cache folder: evaluate must compute the features; their cache (36 notes x 251 x 64
        // float16 values, 1.2 MB) is past the limit, FFTW's wisdom (a few kB) is not.
        QProcessEnvironment env = m_env;
        const QString cache = m_dir.filePath(QStringLiteral("cache-full"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cache);
        // The same FFTW plans as the run with the cache in place (its wisdom file), so that the features,
        // and so the report compared below, are the same bytes: fresh FFTW_MEASURE plans may round differently.
        QVERIFY(QDir().mkpath(cache + "/timbrescope"));
        const QDir warm(m_dir.filePath(QStringLiteral("cache/timbrescope")));
        const QStringList wisdom = warm.entryList({QStringLiteral("fftw-wisdom-*.txt")}, QDir::Files);
        QCOMPARE(wisdom.size(), 1);
        QVERIFY(QFile::copy(warm.filePath(wisdom.front()), cache + "/timbrescope/" + wisdom.front()));
        const QStringList args = {"evaluate", "--model", m_model, "--data", m_data, "--part", "all", "--json"};
        const auto r = ts::test::runWithFileSizeLimit(args, env, 1024 * 1024);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList notices = r.err.split(QLatin1Char('\n')).filter(QStringLiteral("feature cache"));
        QCOMPARE(notices.size(), 1);
        QVERIFY2(QRegularExpression(QStringLiteral("^timbrescope: feature cache not saved, going on without it: %1/timbrescope/features/"
                                                   "[0-9a-f]+-logmel-[0-9a-f]{8}\\.bin\\.partial: cannot reserve \\d+ bytes \\(File too large\\)$")
                                        .arg(QRegularExpression::escape(cache)))
                     .match(notices.front())
                     .hasMatch(),
                 qPrintable(notices.front()));
        QCOMPARE(QDir(cache + "/timbrescope/features").entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
        QCOMPARE(ts::test::temporariesIn(cache), QStringList());
        // The same report as with the cache in place.
        const ts::test::CliRun cached = ts::test::runTimbrescope(args, m_env);
        QCOMPARE(cached.exitCode, 0);
        QCOMPARE(nlohmann::json::parse(r.out.toStdString()), nlohmann::json::parse(cached.out.toStdString()));
    }

    void trainGoesOnWhenItsFeatureCachesCannotBeWritten()
    {
        // 72 notes with one simulated recording, two caches of 2.3 MB each (float16 log-mels): both
        // past a 2 MiB limit, said once each; the checkpoint (1.7 MB) and the model fit, so training
        // ends as it should.
        const QString data = m_dir.filePath(QStringLiteral("tiny72"));
        QVERIFY(fx::write(data.toStdString(), fx::grid({0, 3, 4}, 3, {48, 60, 72, 84}, {25, 127})));
        QProcessEnvironment env = m_env;
        const QString cache = m_dir.filePath(QStringLiteral("cache-full-train"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), cache);
        const QString folder = m_dir.filePath(QStringLiteral("train-no-cache"));
        QVERIFY(QDir().mkpath(folder));
        const auto r = ts::test::runWithFileSizeLimit({"train", "--data", data, "--model", "timbre-net", "--split", "random", "--epochs",
                                                       "1", "--batch", "8", "--recordings", "1", "--threads", "1", "--out",
                                                       folder + "/net.tsm"},
                                                      env, 2 * 1024 * 1024);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList notices = r.err.split(QLatin1Char('\n')).filter(QStringLiteral("feature cache"));
        QCOMPARE(notices.size(), 2);
        QVERIFY2(notices[0].startsWith(QStringLiteral("timbrescope: feature cache not saved, going on without it: %1/").arg(cache)),
                 qPrintable(notices[0]));
        QVERIFY2(notices[1].startsWith(
                     QStringLiteral("timbrescope: simulated recording 1: feature cache not saved, going on without it: %1/").arg(cache)),
                 qPrintable(notices[1]));
        for (const QString& notice : notices)
            QVERIFY2(notice.endsWith(QStringLiteral("(File too large)")), qPrintable(notice));
        QVERIFY(QFileInfo(folder + "/net.tsm").size() > 0);
        QCOMPARE(QDir(cache + "/timbrescope/features").entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot), QStringList());
        QCOMPARE(ts::test::temporariesIn(folder), QStringList());
    }

private:
    QTemporaryDir m_dir;
    QString m_data;
    QString m_model;
    QProcessEnvironment m_env;
};

QTEST_GUILESS_MAIN(tst_FullDisk)
#include "tst_FullDisk.moc"
