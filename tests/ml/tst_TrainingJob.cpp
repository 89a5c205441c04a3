// TrainingJob: the defaults `train` and the Training tab share, the checkpoint naming rule both ways,
// and whole jobs on a tiny dataset folder: a finished run writes a loadable model and its checkpoint
// and says so, a run stopped after an epoch keeps that epoch, and a bad split or an early cancel
// writes nothing and says which stage failed.
// ctest-label: threads
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

#include "common/NsynthFixture.h"
#include "ml/TrainingJob.h"

using namespace ts::ml;
namespace fx = nsynthfixture;

class tst_TrainingJob : public QObject {
    Q_OBJECT

    TrainingJobSpec tinySpec(const QString& modelName) const
    {
        TrainingJobSpec spec;
        spec.dataFolder = m_data.toStdString();
        spec.split = "random";
        spec.recordings = 0;
        spec.modelPath = m_dir.filePath(modelName).toStdString();
        spec.options.epochs = 2;
        spec.options.batchSize = 8;
        spec.options.threads = 2;
        return spec;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());  // feature caches stay here
        // 3 families × 3 instruments × 3 pitches × 3 velocities = 81 notes of 0.1 s tones.
        m_data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(fx::write(m_data.toStdString(), fx::grid({0, 3, 4}, 3, {48, 60, 72}, {25, 75, 127})));
    }

    void defaultsAreTheDocumentedOnes()
    {
        // What `timbrescope train --help` and the README promise, and what the Training tab starts with.
        const TrainingJobSpec spec;
        QCOMPARE(spec.split, std::string("instrument"));
        QVERIFY(!spec.recordings.has_value());  // the architecture's own
        QCOMPARE(spec.options.architecture, std::string("timbre-net"));
        QCOMPARE(spec.options.seed, std::uint64_t(1));
        QCOMPARE(spec.options.epochs, 30);
        QCOMPARE(spec.options.batchSize, 32);
        QCOMPARE(spec.options.learningRate, 1e-3);
        QCOMPARE(spec.options.patience, 5);
        QCOMPARE(spec.options.device, std::string("cpu"));
        QCOMPARE(spec.options.threads, 0);
        QVERIFY(spec.options.schedule.empty());  // the architecture's own
    }

    void checkpointNamingGoesBothWays()
    {
        QCOMPARE(checkpointPathFor("models/net.tsm"), std::string("models/net.tsm.checkpoint"));
        QCOMPARE(modelPathForCheckpoint("models/net.tsm.checkpoint"), std::string("models/net.tsm"));
        QCOMPARE(modelPathForCheckpoint(checkpointPathFor("a b/x")), std::string("a b/x"));
        // A checkpoint not named by the rule: the model goes beside it, never over it.
        QCOMPARE(modelPathForCheckpoint("saved/run.bin"), std::string("saved/run.bin.tsm"));
        QCOMPARE(modelPathForCheckpoint(".checkpoint"), std::string(".checkpoint.tsm"));
    }

    void aFinishedJobWritesTheModelAndItsCheckpoint()
    {
        const TrainingJobSpec spec = tinySpec(QStringLiteral("net.tsm"));
        int loaded = 0;
        std::size_t trainNotes = 0, allNotes = 0;
        std::vector<int> epochs;
        int batches = 0;
        bool featuresDone = false;
        TrainingJobCallbacks callbacks;
        callbacks.onLoaded = [&](const TrainingSet& set) {
            ++loaded;
            trainNotes = set.train.size();
            allNotes = set.train.size() + set.validation.size() + set.test.size();
            QCOMPARE(epochs.size(), std::size_t(0));  // before any training
        };
        callbacks.onBatch = [&](const BatchProgress&) { ++batches; };
        callbacks.onEpoch = [&](const EpochProgress& p) { epochs.push_back(p.record.epoch); };
        const auto progress = [&](const ts::Progress& p) { featuresDone = featuresDone || (p.total > 0 && p.done == p.total); };

        const TrainingJobResult result = runTrainingJob(spec, callbacks, progress);
        QVERIFY2(result.hasModel, result.error ? result.error->describe().c_str() : "no model");
        QCOMPARE(int(result.ending), int(TrainingJobResult::Ending::Finished));
        QCOMPARE(int(result.stage), int(TrainingJobResult::Stage::Done));
        QCOMPARE(result.stoppedReason(), std::string("epochs"));
        QVERIFY(!result.error);
        QCOMPARE(loaded, 1);
        QCOMPARE(allNotes, std::size_t(81));
        QVERIFY(featuresDone);
        QCOMPARE(epochs, (std::vector<int>{1, 2}));
        QCOMPARE(batches, 2 * int((trainNotes + 7) / 8));  // every batch of both epochs

        // The model file is there, loads, and is what the result says.
        QCOMPARE(result.modelPath, spec.modelPath);
        const auto file = loadModelFile(spec.modelPath);
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().describe().c_str());
        QCOMPARE(file->metadata.architecture, std::string("timbre-net"));
        QCOMPARE(file->metadata.split, std::string("random"));
        QCOMPARE(file->metadata.epochs, 2);
        QCOMPARE(result.metadata.bestEpoch, file->metadata.bestEpoch);
        QVERIFY(file->metadata.finalMetrics.count("test_family_accuracy"));
        QVERIFY(file->resumeState.empty());  // a final model, not a checkpoint
        // The checkpoint beside it, by the one naming rule, holds the state to resume from.
        QCOMPARE(result.checkpointPath, checkpointPathFor(spec.modelPath));
        const auto checkpoint = loadModelFile(result.checkpointPath);
        QVERIFY(checkpoint.ok());
        QVERIFY(!checkpoint->resumeState.empty());
        // Written atomically: no temporary file left beside them.
        QStringList left = QDir(m_dir.path()).entryList(QDir::Files);
        left.sort();
        QCOMPARE(left, (QStringList{"net.tsm", "net.tsm.checkpoint"}));
    }

    void aJobStoppedAfterAnEpochKeepsIt()
    {
        TrainingJobSpec spec = tinySpec(QStringLiteral("stopped.tsm"));
        spec.options.epochs = 5;
        ts::CancellationToken cancel;
        TrainingJobCallbacks callbacks;
        callbacks.onEpoch = [&cancel](const EpochProgress&) { cancel.cancel(); };
        const TrainingJobResult result = runTrainingJob(spec, callbacks, {}, cancel);
        QVERIFY2(result.hasModel, result.error ? result.error->describe().c_str() : "no model");
        QCOMPARE(int(result.ending), int(TrainingJobResult::Ending::Stopped));
        QCOMPARE(result.stoppedReason(), std::string("cancelled"));
        QCOMPARE(result.metadata.epochs, 1);
        QVERIFY(std::filesystem::exists(spec.modelPath));
        QCOMPARE(result.checkpointPath, checkpointPathFor(spec.modelPath));
    }

    void aBadSplitFailsWhileLoadingAndWritesNothing()
    {
        TrainingJobSpec spec = tinySpec(QStringLiteral("bad-split.tsm"));
        spec.split = "alphabetical";
        bool loaded = false;
        TrainingJobCallbacks callbacks;
        callbacks.onLoaded = [&loaded](const TrainingSet&) { loaded = true; };
        const TrainingJobResult result = runTrainingJob(spec, callbacks);
        QVERIFY(!result.hasModel);
        QCOMPARE(int(result.ending), int(TrainingJobResult::Ending::Failed));
        QCOMPARE(int(result.stage), int(TrainingJobResult::Stage::Loading));
        QVERIFY(result.error);
        QCOMPARE(result.error->code, ts::ErrorCode::InvalidArgument);
        QVERIFY2(result.error->message.find("'alphabetical'") != std::string::npos, result.error->message.c_str());
        QVERIFY(!loaded);
        QVERIFY(!std::filesystem::exists(spec.modelPath));
        QVERIFY(result.checkpointPath.empty());
    }

    void aJobCancelledBeforeItStartsStopsWithoutAModel()
    {
        const TrainingJobSpec spec = tinySpec(QStringLiteral("never.tsm"));
        ts::CancellationToken cancel;
        cancel.cancel();
        const TrainingJobResult result = runTrainingJob(spec, {}, {}, cancel);
        QVERIFY(!result.hasModel);
        QCOMPARE(int(result.ending), int(TrainingJobResult::Ending::Stopped));
        QVERIFY(result.error);
        QCOMPARE(result.error->code, ts::ErrorCode::Cancelled);
        QVERIFY(!std::filesystem::exists(spec.modelPath));
        QVERIFY(!std::filesystem::exists(checkpointPathFor(spec.modelPath)));
    }

private:
    QTemporaryDir m_dir;
    QString m_data;
};

QTEST_GUILESS_MAIN(tst_TrainingJob)
#include "tst_TrainingJob.moc"
