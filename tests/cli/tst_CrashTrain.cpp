// ctest-label: slow
// kill -9 of `timbrescope train --out MODEL` at seeded moments spread over the measured duration of
// its phases: computing the feature cache, training with a checkpoint after every epoch, and saving
// the model (also killed the moment the model's temporary file appears, i.e. mid-write). After each
// kill the cache file is missing or complete (the bytes of an uninterrupted run), MODEL and
// MODEL.checkpoint are the previous files byte for byte or complete new ones that load (a new
// checkpoint's epochs are this run's); `train --resume MODEL.checkpoint` then ends with the model
// an uninterrupted run makes (the same weights, history, metrics and calibration: training is
// deterministic with --threads 1), and that run, or the run started again when the kill came before
// the first checkpoint and left something behind, leaves no temporary in the model's folder or the
// cache.
#include <QtTest>

#include "common/CliRun.h"
#include "common/KillTesting.h"
#include "common/NsynthFixture.h"

#include "ml/ModelFile.h"

namespace fx = nsynthfixture;

namespace {

constexpr int kRuns = 20;

// The first difference between two final models' weights and what training recorded, or empty.
// Wall times (an epoch's seconds and samples/s, training_seconds) differ from run to run.
QString differenceBetween(const ts::ml::ModelFile& a, const ts::ml::ModelFile& b)
{
    const auto& x = a.metadata;
    const auto& y = b.metadata;
    if (a.weights != b.weights)
        return QStringLiteral("weights differ");
    if (x.epochs != y.epochs || x.bestEpoch != y.bestEpoch || x.history.size() != y.history.size())
        return QStringLiteral("epochs %1/%2 vs %3/%4").arg(x.bestEpoch).arg(x.epochs).arg(y.bestEpoch).arg(y.epochs);
    for (std::size_t i = 0; i < x.history.size(); ++i) {
        const auto& e = x.history[i];
        const auto& f = y.history[i];
        if (e.loss != f.loss || e.validationLoss != f.validationLoss || e.accuracy != f.accuracy
            || e.validationAccuracy != f.validationAccuracy)
            return QStringLiteral("epoch %1: loss %2 vs %3").arg(e.epoch).arg(e.loss, 0, 'g', 17).arg(f.loss, 0, 'g', 17);
    }
    auto metrics = [](std::map<std::string, double> m) {
        m.erase("training_seconds");
        return m;
    };
    if (metrics(x.finalMetrics) != metrics(y.finalMetrics))
        return QStringLiteral("final metrics differ");
    if (x.calibration.size() != y.calibration.size())
        return QStringLiteral("calibration differs");
    for (const auto& [target, c] : x.calibration) {
        const auto& d = y.calibration.at(target);
        if (c.temperature != d.temperature || c.eceValidationBefore != d.eceValidationBefore
            || c.eceValidationAfter != d.eceValidationAfter)
            return QStringLiteral("calibration of %1 differs").arg(QString::fromStdString(target));
    }
    if (!a.resumeState.empty() || !b.resumeState.empty())
        return QStringLiteral("a final model holds a resume state");
    return {};
}

// Whether a checkpoint's history is the first epochs of the reference's, exactly.
bool continuesLike(const ts::ml::ModelFile& checkpoint, const ts::ml::ModelFile& reference)
{
    const auto& h = checkpoint.metadata.history;
    const auto& r = reference.metadata.history;
    if (h.empty() || h.size() > r.size() || checkpoint.resumeState.empty())
        return false;
    for (std::size_t i = 0; i < h.size(); ++i)
        if (h[i].loss != r[i].loss || h[i].validationLoss != r[i].validationLoss)
            return false;
    return true;
}

} // namespace

class tst_CrashTrain : public QObject {
    Q_OBJECT

    QStringList trainArgs(const QString& out, int seed = 1) const
    {
        return {"train",     "--data",   m_data, "--model", "timbre-net", "--split", "random", "--epochs", "4", "--batch", "8",
                "--recordings", "0", "--threads", "1", "--seed", QString::number(seed), "--out", out};
    }
    QString cacheFolder() const { return m_dir.filePath(QStringLiteral("cache/timbrescope/features")); }
    // The dataset's one feature cache file (there is one feature setting: log-mel, no recordings).
    QString cacheFile() const
    {
        const QStringList bins = QDir(cacheFolder()).entryList({QStringLiteral("*.bin")}, QDir::Files);
        return bins.size() == 1 ? cacheFolder() + "/" + bins.front() : QString();
    }
    void removeCache() const
    {
        for (const QString& bin : QDir(cacheFolder()).entryList({QStringLiteral("*.bin")}, QDir::Files))
            QFile::remove(cacheFolder() + "/" + bin);
    }
    // MODEL and MODEL.checkpoint of an earlier run (another seed) in a fresh folder.
    QString folderWithPreviousModel(const QString& name) const
    {
        const QString folder = m_dir.filePath(name);
        QDir().mkpath(folder);
        QFile::copy(m_previous, folder + "/net.tsm");
        QFile::copy(m_previous + ".checkpoint", folder + "/net.tsm.checkpoint");
        return folder;
    }

    // After a kill: each file is the previous one or a complete new one; then the resumed (or, when
    // no checkpoint of this run was written, restarted) training ends with the reference model.
    // `when` says which kill, for the messages; `always`: run again even when nothing is to resume.
    void checkAfterKill(const QString& folder, const QString& when, bool always) const
    {
        const QString where = QStringLiteral("killed ") + when;
        const QString model = folder + "/net.tsm";
        const QString checkpoint = model + ".checkpoint";
        const QByteArray modelBytes = ts::test::fileBytes(model);
        if (modelBytes != m_previousBytes) {
            auto loaded = ts::ml::loadModelFile(model.toStdString());
            QVERIFY2(loaded.ok(), qPrintable(where + ": " + QString::fromStdString(loaded.ok() ? "" : loaded.error().describe())));
            const QString difference = differenceBetween(*loaded, m_reference);
            QVERIFY2(difference.isEmpty(), qPrintable(where + ": " + difference));
        }
        const bool newCheckpoint = ts::test::fileBytes(checkpoint) != m_previousCheckpointBytes;
        if (newCheckpoint) {
            auto loaded = ts::ml::loadModelFile(checkpoint.toStdString());
            QVERIFY2(loaded.ok(), qPrintable(where + ": " + QString::fromStdString(loaded.ok() ? "" : loaded.error().describe())));
            QVERIFY2(continuesLike(*loaded, m_reference), qPrintable(where + ": the checkpoint is not an epoch of this run"));
        }
        if (const QString cache = cacheFile(); !cache.isEmpty())
            QVERIFY2(ts::test::fileBytes(cache) == m_cacheBytes, qPrintable(where + ": the feature cache differs"));

        // Killed before its first checkpoint with nothing left to remove, a run would only be
        // started again from scratch: the reference run already shows how that ends.
        if (!newCheckpoint && !always && ts::test::temporariesIn(folder).isEmpty())
            return;
        QStringList args = trainArgs(model);
        if (newCheckpoint)
            args << QStringLiteral("--resume") << checkpoint;
        const ts::test::CliRun resumed = ts::test::runTimbrescope(args, m_env);
        QVERIFY2(resumed.exitCode == 0, qPrintable(where + ": " + resumed.err));
        auto final = ts::ml::loadModelFile(model.toStdString());
        QVERIFY(final.ok());
        const QString difference = differenceBetween(*final, m_reference);
        QVERIFY2(difference.isEmpty(), qPrintable(where + (newCheckpoint ? ", resumed: " : ", restarted: ") + difference));
        QCOMPARE(ts::test::temporariesIn(folder), QStringList());
        QCOMPARE(ts::test::temporariesIn(m_dir.filePath(QStringLiteral("cache"))), QStringList());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!qEnvironmentVariable("TIMBRESCOPE_BIN").isEmpty(), "TIMBRESCOPE_BIN must name the binary");
        QVERIFY(m_dir.isValid());
        // 3 families × 4 instruments × 3 pitches × 2 velocities = 72 notes of 0.1 s tones: on 2 cores
        // about 0.3 s of features, 1 s of loading LibTorch and 4 epochs of 0.2 s.
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 3, 4}, 4, {48, 60, 72}, {25, 127})));
        m_env = ts::test::environmentIn(m_dir.path());

        // The previous model and checkpoint every kill starts from: another seed's.
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("previous"))));
        m_previous = m_dir.filePath(QStringLiteral("previous/net.tsm"));
        const ts::test::CliRun previous = ts::test::runTimbrescope(trainArgs(m_previous, 2), m_env);
        QVERIFY2(previous.exitCode == 0, qPrintable(previous.err));
        m_previousBytes = ts::test::fileBytes(m_previous);
        m_previousCheckpointBytes = ts::test::fileBytes(m_previous + ".checkpoint");
        QVERIFY(!m_previousBytes.isEmpty() && !m_previousCheckpointBytes.isEmpty());

        // The reference with a cold cache: how long the features take (until the cache file is in
        // place) and the whole run.
        removeCache();
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("reference"))));
        const QString reference = m_dir.filePath(QStringLiteral("reference/net.tsm"));
        QProcess p;
        QElapsedTimer timer;
        ts::test::startTimbrescope(p, trainArgs(reference), m_env);
        timer.start();
        while (cacheFile().isEmpty() && p.state() != QProcess::NotRunning)
            p.waitForFinished(2);
        m_featureMs = int(timer.elapsed());
        QVERIFY(p.waitForFinished(120000));
        const int coldMs = int(timer.elapsed());
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        auto loaded = ts::ml::loadModelFile(reference.toStdString());
        QVERIFY(loaded.ok());
        m_reference = *loaded;
        QCOMPARE(m_reference.metadata.epochs, 4);
        m_cacheBytes = ts::test::fileBytes(cacheFile());
        QVERIFY(!m_cacheBytes.isEmpty());

        // Again with the cache in place: the duration the training kills spread over, and the same
        // model (the determinism the resume checks rely on).
        QVERIFY(QDir().mkpath(m_dir.filePath(QStringLiteral("again"))));
        timer.restart();
        const ts::test::CliRun again = ts::test::runTimbrescope(trainArgs(m_dir.filePath(QStringLiteral("again/net.tsm"))), m_env);
        m_warmMs = int(timer.elapsed());
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        auto second = ts::ml::loadModelFile(m_dir.filePath(QStringLiteral("again/net.tsm")).toStdString());
        QVERIFY(second.ok());
        QCOMPARE(differenceBetween(*second, m_reference), QString());
        qInfo("train: features %d ms, cold %d ms, warm %d ms", m_featureMs, coldMs, m_warmMs);
    }

    void killWhileComputingTheFeatureCache()
    {
        const QString folder = folderWithPreviousModel(QStringLiteral("features"));
        int killed = 0;
        for (int moment : ts::test::killMoments(m_featureMs, kRuns, 7)) {
            removeCache();
            const auto run = ts::test::runAndKillAfter(trainArgs(folder + "/net.tsm"), m_env, moment);
            killed += run.killed ? 1 : 0;
            if (const QString cache = cacheFile(); !cache.isEmpty())
                QVERIFY2(ts::test::fileBytes(cache) == m_cacheBytes, qPrintable(QStringLiteral("killed at %1 ms").arg(moment)));
            QCOMPARE(ts::test::fileBytes(folder + "/net.tsm"), m_previousBytes);  // not reached yet
        }
        QCOMPARE(killed, kRuns);
        // The next run computes and keeps the cache, and removes the killed runs' half-made ones.
        checkAfterKill(folder, QStringLiteral("while computing features"), true);
        QCOMPARE(ts::test::fileBytes(cacheFile()), m_cacheBytes);
    }

    void killWhileTrainingResumesToTheSameModel()
    {
        int killed = 0, resumed = 0;
        int run = 0;
        for (int moment : ts::test::killMoments(m_warmMs, kRuns, 11)) {
            const QString folder = folderWithPreviousModel(QStringLiteral("train-%1").arg(run++));
            const auto outcome = ts::test::runAndKillAfter(trainArgs(folder + "/net.tsm"), m_env, moment);
            killed += outcome.killed ? 1 : 0;
            resumed += ts::test::fileBytes(folder + "/net.tsm.checkpoint") != m_previousCheckpointBytes ? 1 : 0;
            checkAfterKill(folder, QStringLiteral("at %1 ms").arg(moment), false);
            if (QTest::currentTestFailed())
                return;
            QVERIFY(QDir(folder).removeRecursively());
        }
        qInfo("train: %d of %d runs killed, %d resumed from a checkpoint of their own", killed, kRuns, resumed);
        QVERIFY(killed >= kRuns / 2);
        QVERIFY(resumed >= 1);
    }

    void killWhileSavingTheModel()
    {
        // The moment net.tsm's temporary appears: the save is under way (the checkpoints are another
        // file). The previous model must still be there, byte for byte.
        int killed = 0;
        for (int run = 0; run < 2; ++run) {
            const QString folder = folderWithPreviousModel(QStringLiteral("save-%1").arg(run));
            const auto outcome = ts::test::runAndKillWhileWriting(trainArgs(folder + "/net.tsm"), m_env, folder, QStringLiteral("net.tsm"));
            killed += outcome.killed ? 1 : 0;
            if (outcome.killed)
                QCOMPARE(ts::test::fileBytes(folder + "/net.tsm"), m_previousBytes);
            checkAfterKill(folder, QStringLiteral("while saving the model"), true);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY2(killed >= 1, "the model's temporary file was never seen");
    }

private:
    QTemporaryDir m_dir;
    QString m_data;
    QProcessEnvironment m_env;
    QString m_previous;
    QByteArray m_previousBytes, m_previousCheckpointBytes;
    ts::ml::ModelFile m_reference;
    QByteArray m_cacheBytes;
    int m_featureMs = 0;
    int m_warmMs = 0;
};

QTEST_GUILESS_MAIN(tst_CrashTrain)
#include "tst_CrashTrain.moc"
