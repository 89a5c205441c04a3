// Trainer: every architecture learns a toy pattern; cancel stops within a second keeping the best
// epoch; resume continues at the next epoch with the same history and ends with the same weights as
// the run that was never stopped, from a format-2 checkpoint and from a format-1 one (tests/fixtures,
// written by the code before format 2) alike.
// ctest-label: threads
#include <QtTest>
#include <QTemporaryDir>

#include <chrono>
#include <thread>

#include "ToySet.h"
#include "ml/Evaluator.h"
#include "ml/ModelConversion.h"
#include "ml/Trainer.h"

using namespace ts::ml;

class tst_Trainer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void learnsToyPattern_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<int>("perClass");
        QTest::addColumn<int>("epochs");
        QTest::newRow("timbre-net") << "timbre-net" << 12 << 12;
        QTest::newRow("seed-cnn2d") << "seed-cnn2d" << 8 << 8;
        QTest::newRow("seed-logreg-spec") << "seed-logreg-spec" << 8 << 15;
        QTest::newRow("seed-cnn1d") << "seed-cnn1d" << 6 << 12;
        QTest::newRow("seed-logreg-raw") << "seed-logreg-raw" << 8 << 15;
    }
    void learnsToyPattern()
    {
        QFETCH(QString, id);
        QFETCH(int, perClass);
        QFETCH(int, epochs);
        const auto architecture = *findArchitecture(id.toStdString());
        auto set = makeToySet(architecture, perClass);
        TrainingOptions options;
        options.architecture = architecture.id;
        options.epochs = epochs;
        options.batchSize = 8;
        options.patience = epochs;
        options.threads = 2;
        auto outcome = Trainer(options).run(set);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
        const auto& m = outcome->model.metadata;
        QCOMPARE(int(m.history.size()), epochs);
        // The training loss falls, and the kept model separates the three kinds on the training part.
        QVERIFY(m.history.back().loss < m.history.front().loss);
        auto model = TrainedModel::fromModelFile(outcome->model);
        QVERIFY(model.ok());
        auto report = evaluate(model.value(), set, set.train);
        QVERIFY(report.ok());
        const auto& target = report->family ? *report->family : *report->source;
        QVERIFY2(target.accuracy >= 0.6, QByteArray::number(target.accuracy));
    }
    void cancelStopsWithinASecond()
    {
        const auto architecture = *findArchitecture("timbre-net");
        auto set = makeToySet(architecture, 12);
        TrainingOptions options;
        options.epochs = 1000;
        options.patience = 1000;
        options.batchSize = 4;
        ts::CancellationToken cancel;
        std::chrono::steady_clock::time_point cancelledAt;
        TrainingCallbacks callbacks;
        callbacks.onEpoch = [&](const EpochProgress& p) {
            if (p.record.epoch == 2) {
                cancel.cancel();
                cancelledAt = std::chrono::steady_clock::now();
            }
        };
        auto outcome = Trainer(options).run(set, callbacks, cancel);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelledAt).count();
        QVERIFY(outcome.ok());
        QVERIFY(outcome->cancelled);
        QCOMPARE(outcome->model.metadata.epochs, 2);
        QVERIFY(!outcome->model.weights.empty());
        QVERIFY2(seconds < 1.0, QByteArray::number(seconds));
    }
    void cancelBeforeFirstEpochIsAnError()
    {
        const auto architecture = *findArchitecture("seed-logreg-raw");
        auto set = makeToySet(architecture, 4);
        ts::CancellationToken cancel;
        cancel.cancel();
        TrainingOptions options;
        options.architecture = "seed-logreg-raw";
        auto outcome = Trainer(options).run(set, {}, cancel);
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().code, ts::ErrorCode::Cancelled);
    }
    void resumeContinuesAtTheNextEpoch()
    {
        QTemporaryDir dir;
        const auto architecture = *findArchitecture("timbre-net");
        auto set = makeToySet(architecture, 6);
        TrainingOptions options;
        options.epochs = 3;
        options.patience = 10;
        options.batchSize = 6;
        options.threads = 1;
        auto full = Trainer(options).run(set);
        QVERIFY(full.ok());

        // Stopped after epoch 2 of 3 (as the Stop button does), then resumed with the same plan: the
        // cosine schedule's rates depend on the epoch budget, so it stays 3.
        options.checkpointPath = dir.filePath("run.tsm.checkpoint").toStdString();
        ts::CancellationToken stop;
        TrainingCallbacks stopAfterTwo;
        stopAfterTwo.onEpoch = [&](const EpochProgress& p) { if (p.record.epoch == 2) stop.cancel(); };
        auto stopped = Trainer(options).run(set, stopAfterTwo, stop);
        QVERIFY(stopped.ok() && stopped->cancelled);
        options.resumePath = options.checkpointPath;
        options.checkpointPath.clear();
        int firstEpochSeen = 0;
        TrainingCallbacks callbacks;
        callbacks.onEpoch = [&](const EpochProgress& p) { if (!firstEpochSeen) firstEpochSeen = p.record.epoch; };
        auto resumed = Trainer(options).run(set, callbacks);
        QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().describe().c_str());
        QCOMPARE(firstEpochSeen, 3);
        const auto& a = full->model.metadata.history;
        const auto& b = resumed->model.metadata.history;
        QCOMPARE(b.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(b[i].epoch, a[i].epoch);
            QVERIFY2(std::abs(b[i].loss - a[i].loss) < 1e-4, QByteArray::number(b[i].loss) + " vs " + QByteArray::number(a[i].loss));
            QVERIFY(std::abs(b[i].validationLoss - a[i].validationLoss) < 1e-4);
        }
        // The checkpoint (format 2) kept Adam's moments, step counts and rate: the resumed run
        // ends with the very weights of the run that was never stopped.
        QCOMPARE(loadModelFile(options.resumePath)->metadata.formatVersion, 2u);
        QCOMPARE(resumed->model.metadata.bestEpoch, full->model.metadata.bestEpoch);
        QVERIFY(resumed->model.weights == full->model.weights);
    }
    void resumeKeepsTheCheckpointsLearningRate()
    {
        // The constant schedule never sets the rate again: the checkpoint's adam.lr is the one a
        // resumed run goes on with, whatever rate the resuming call passes (as format 1 did).
        QTemporaryDir dir;
        auto set = makeToySet(*findArchitecture("seed-logreg-raw"), 3);
        TrainingOptions options;
        options.architecture = "seed-logreg-raw";
        options.epochs = 3;
        options.patience = 10;
        options.threads = 1;
        auto full = Trainer(options).run(set);
        QVERIFY(full.ok());
        options.checkpointPath = dir.filePath("run.checkpoint").toStdString();
        ts::CancellationToken stop;
        TrainingCallbacks stopAfterOne;
        stopAfterOne.onEpoch = [&](const EpochProgress& p) { if (p.record.epoch == 1) stop.cancel(); };
        QVERIFY(Trainer(options).run(set, stopAfterOne, stop).ok());
        options.resumePath = options.checkpointPath;
        options.checkpointPath.clear();
        options.learningRate = 5e-2;
        auto resumed = Trainer(options).run(set);
        QVERIFY2(resumed.ok(), resumed.ok() ? "" : resumed.error().describe().c_str());
        QCOMPARE(resumed->model.metadata.history.back().loss, full->model.metadata.history.back().loss);
        QVERIFY(resumed->model.weights == full->model.weights);
    }
    void resumeFromAFormatOneCheckpoint()
    {
        // The fixture: this test's plan (timbre-net, 6 notes a kind, 3 epochs, batch 6, 1 thread)
        // stopped after epoch 2 by the code that wrote format 1. Resuming from it, and from its
        // conversion, gives the same run: the conversion kept Adam's state exactly.
        const std::string fixture = qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR").toStdString() +
                                    "/tests/fixtures/toy-timbre-net-v1.checkpoint";
        auto old = loadModelFile(fixture);
        QVERIFY2(old.ok(), old.ok() ? "" : old.error().describe().c_str());
        QCOMPARE(old->metadata.formatVersion, 1u);
        QCOMPARE(old->metadata.history.size(), std::size_t(2));
        QTemporaryDir dir;
        const std::string converted = dir.filePath("converted.checkpoint").toStdString();
        auto file = convertModelFile(old.value(), fixture);
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().describe().c_str());
        QVERIFY(saveModelFile(converted, file.value()).ok());

        auto set = makeToySet(*findArchitecture("timbre-net"), 6);
        TrainingOptions options;
        options.epochs = 3;
        options.patience = 10;
        options.batchSize = 6;
        options.threads = 1;
        options.resumePath = fixture;
        options.checkpointPath = dir.filePath("next.checkpoint").toStdString();
        auto fromOld = Trainer(options).run(set);
        QVERIFY2(fromOld.ok(), fromOld.ok() ? "" : fromOld.error().describe().c_str());
        // The checkpoint written after epoch 3 is of format 2, the old best weights converted.
        auto next = loadModelFile(options.checkpointPath);
        QVERIFY(next.ok());
        QCOMPARE(next->metadata.formatVersion, 2u);
        options.resumePath = converted;
        options.checkpointPath.clear();
        auto fromConverted = Trainer(options).run(set);
        QVERIFY2(fromConverted.ok(), fromConverted.ok() ? "" : fromConverted.error().describe().c_str());
        const auto& a = fromOld->model.metadata.history;
        const auto& b = fromConverted->model.metadata.history;
        QCOMPARE(a.size(), std::size_t(3));
        QCOMPARE(b.size(), std::size_t(3));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(b[i].loss, a[i].loss);
            QCOMPARE(b[i].validationLoss, a[i].validationLoss);
        }
        QCOMPARE(a[0].loss, old->metadata.history[0].loss);  // epochs 1 and 2 are the checkpoint's
        QVERIFY(fromConverted->model.weights == fromOld->model.weights);
    }
    void wrongInputsAreErrors()
    {
        auto set = makeToySet(*findArchitecture("seed-logreg-raw"), 3);
        TrainingOptions unknown;
        unknown.architecture = "no-such-net";
        QVERIFY(!Trainer(unknown).run(set).ok());
        TrainingOptions logMel;
        logMel.architecture = "timbre-net";
        QVERIFY(!Trainer(logMel).run(set).ok());  // raw features, log-mel expected
        TrainingOptions sideways;
        sideways.architecture = "seed-logreg-raw";
        sideways.schedule = "sideways";
        auto r = Trainer(sideways).run(set);
        QVERIFY(!r.ok());
        QVERIFY(QString::fromStdString(r.error().message).contains("constant or cosine"));
    }

    void cosineScheduleTrains()
    {
        // The cosine schedule changes the rate per epoch, so the same seed gives another run than
        // the constant one; the seed's models keep the constant rate they were trained with.
        auto set = makeToySet(*findArchitecture("seed-logreg-raw"), 3);
        TrainingOptions options;
        options.architecture = "seed-logreg-raw";
        options.epochs = 4;
        options.patience = 4;
        options.schedule = "cosine";
        auto cosine = Trainer(options).run(set);
        options.schedule = "constant";
        auto constant = Trainer(options).run(set);
        QVERIFY(cosine.ok() && constant.ok());
        QCOMPARE(cosine->model.metadata.history.size(), std::size_t(4));
        QVERIFY(cosine->model.metadata.history[3].loss != constant->model.metadata.history[3].loss);
        QCOMPARE(defaultScheduleFor("seed-cnn2d"), std::string("constant"));
        QCOMPARE(defaultScheduleFor("timbre-net"), std::string("cosine"));
    }
};

QTEST_GUILESS_MAIN(tst_Trainer)
#include "tst_Trainer.moc"
