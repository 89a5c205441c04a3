// Evaluator: exact metrics on a hand-made confusion, exact calibration figures on hand-made
// probabilities, a model's report sums to its notes, progress reaches every note and chunking
// changes no result, a cancel is reported, and the confusion-matrix CSV is exact.
// ctest-label: threads
#include <QtTest>

#include <cmath>
#include <numeric>

#include "ToySet.h"
#include "ml/Evaluator.h"
#include "ml/Trainer.h"

using namespace ts::ml;

class tst_Evaluator : public QObject {
    Q_OBJECT
    // timbre-net (the default architecture) after one epoch on `set`, loaded for scoring.
    static ts::Result<TrainedModel> trainOneEpoch(const TrainingSet& set, int batchSize)
    {
        TrainingOptions options;
        options.epochs = 1;
        options.batchSize = batchSize;
        auto outcome = Trainer(options).run(set);
        if (!outcome)
            return outcome.error();
        return TrainedModel::fromModelFile(outcome->model);
    }

private Q_SLOTS:
    void exactMetrics()
    {
        // truth a a a b b c ; predicted a a b b c c
        const auto r = makeTargetReport({"a", "b", "c"}, {0, 0, 0, 1, 1, 2}, {0, 0, 1, 1, 2, 2});
        QCOMPARE(r.accuracy, 4.0 / 6.0);
        QCOMPARE(r.confusion, (std::vector<std::vector<int>>{{2, 1, 0}, {0, 1, 1}, {0, 0, 1}}));
        QCOMPARE(r.perClass[0].precision, 1.0);
        QCOMPARE(r.perClass[0].recall, 2.0 / 3.0);
        QCOMPARE(r.perClass[0].f1, 0.8);
        QCOMPARE(r.perClass[1].precision, 0.5);
        QCOMPARE(r.perClass[2].recall, 1.0);
        QCOMPARE(r.perClass[0].support, 3);
    }
    void calibrationFiguresFromProbabilities()
    {
        // truth a a b b c ; top class a (0.875) a (0.875) a (0.5) b (0.625) b (0.875)
        const std::vector<std::vector<float>> p = {{0.875f, 0.0625f, 0.0625f}, {0.875f, 0.0625f, 0.0625f},
                                                   {0.5f, 0.25f, 0.25f},       {0.25f, 0.625f, 0.125f},
                                                   {0.0625f, 0.875f, 0.0625f}};
        const auto r = makeScoredTargetReport({"a", "b", "c"}, {0, 0, 1, 1, 2}, p);
        QCOMPARE(r.accuracy, 3.0 / 5.0);
        QCOMPARE(r.confusion, (std::vector<std::vector<int>>{{2, 0, 0}, {1, 1, 0}, {0, 1, 0}}));
        QVERIFY(r.confidence.has_value());
        // Bins: 0.875 → 3 notes, 2 right: |2 - 2.625| ; 0.5 → 1 wrong: 0.5 ; 0.625 → 1 right: 0.375.
        QCOMPARE(r.confidence->ece, (0.625 + 0.5 + 0.375) / 5.0);
        QCOMPARE(r.confidence->confident.n, 3);
        QCOMPARE(r.confidence->confident.correct, 2);
        // Made from class indices alone there is nothing to say about confidence.
        QVERIFY(!makeTargetReport({"a", "b"}, {0, 1}, {0, 0}).confidence.has_value());
    }
    void reportOfAModelCoversEveryNote()
    {
        auto set = makeToySet(*findArchitecture("timbre-net"), 4);
        auto model = trainOneEpoch(set, 4);
        QVERIFY(model.ok());
        std::vector<std::size_t> all(set.features.rows());
        std::iota(all.begin(), all.end(), 0);
        auto report = evaluate(model.value(), set, all);
        QVERIFY(report.ok());
        QCOMPARE(report->n, all.size());
        QCOMPARE(report->predictions.size(), all.size());
        for (const auto* t : {&*report->family, &*report->source}) {
            int sum = 0, support = 0;
            for (const auto& row : t->confusion)
                for (int c : row)
                    sum += c;
            for (const auto& c : t->perClass)
                support += c.support;
            QCOMPARE(sum, int(all.size()));
            QCOMPARE(support, int(all.size()));
        }
        // The calibration figures are those of the notes' own scores.
        std::vector<int> truth;
        std::vector<std::vector<float>> scores;
        for (const auto& p : report->predictions) {
            truth.push_back(p.trueFamily);
            scores.push_back(p.familyScores);
        }
        QVERIFY(report->family->confidence.has_value());
        QCOMPARE(report->family->confidence->ece, expectedCalibrationError(scores, truth));
        QCOMPARE(report->family->confidence->confident.n, confidentPredictions(scores, truth).n);
        const auto& p = report->predictions.front();
        QCOMPARE(p.familyScores.size(), std::size_t(11));
        QCOMPARE(p.familyConfidence, p.familyScores[std::size_t(p.predictedFamily)]);
    }
    void progressReachesEveryNoteChunksChangeNothingAndCancelStops()
    {
        auto set = makeToySet(*findArchitecture("timbre-net"), 25);  // 75 notes: two chunks, the last one short
        auto model = trainOneEpoch(set, 8);
        QVERIFY(model.ok());
        std::vector<std::size_t> all(set.features.rows());
        std::iota(all.begin(), all.end(), 0);
        QVERIFY(all.size() > kEvaluationChunk);

        std::vector<std::size_t> done;
        auto report = evaluate(model.value(), set, all, {}, [&](const ts::Progress& p) {
            QCOMPARE(p.total, all.size());
            done.push_back(p.done);
        });
        QVERIFY(report.ok());
        QCOMPARE(done, (std::vector<std::size_t>{kEvaluationChunk, all.size()}));

        // One note at a time gives the same predictions, and the same reports made from them.
        EvaluationReport single;
        single.n = all.size();
        for (std::size_t row : all) {
            auto one = evaluate(model.value(), set, {row});
            QVERIFY(one.ok());
            single.predictions.push_back(one->predictions.front());
        }
        addTargetReports(single, *findArchitecture("timbre-net"));
        for (std::size_t i = 0; i < all.size(); ++i) {
            const auto& a = report->predictions[i];
            const auto& b = single.predictions[i];
            QCOMPARE(a.row, b.row);
            QCOMPARE(a.predictedFamily, b.predictedFamily);
            QCOMPARE(a.predictedSource, b.predictedSource);
            QVERIFY(std::fabs(a.familyConfidence - b.familyConfidence) < 1e-4f);
        }
        QCOMPARE(report->family->confusion, single.family->confusion);
        QCOMPARE(report->source->confusion, single.source->confusion);
        QCOMPARE(report->family->accuracy, single.family->accuracy);

        // A cancelled evaluation says so, before classifying anything.
        ts::CancellationToken cancel;
        cancel.cancel();
        int calls = 0;
        auto cancelled = evaluate(model.value(), set, all, cancel, [&calls](const ts::Progress&) { ++calls; });
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, ts::ErrorCode::Cancelled);
        QCOMPARE(calls, 0);
    }
    void confusionCsvIsExact()
    {
        TargetReport source;
        source.labels = {"acoustic", "electronic", "synthetic"};
        source.confusion = {{466, 60, 53}, {21, 88, 37}, {48, 34, 109}};
        QCOMPARE(confusionCsv(source, Target::Source), std::string("target,true,acoustic,electronic,synthetic\n"
                                                                   "source,acoustic,466,60,53\n"
                                                                   "source,electronic,21,88,37\n"
                                                                   "source,synthetic,48,34,109\n"));
        // The target is the one named, not guessed from the labels.
        TargetReport family = makeTargetReport({"bass", "guitar"}, {0, 1, 1}, {0, 1, 0});
        QCOMPARE(confusionCsv(family, Target::Family), std::string("target,true,bass,guitar\n"
                                                                   "family,bass,1,0\n"
                                                                   "family,guitar,1,1\n"));
        // A whole report: family's block, then source's, each with its header.
        EvaluationReport report;
        report.source = source;
        report.family = family;
        QCOMPARE(confusionCsv(report), confusionCsv(family, Target::Family) + confusionCsv(source, Target::Source));
        report.family.reset();
        QCOMPARE(confusionCsv(report), confusionCsv(source, Target::Source));
    }
};

QTEST_GUILESS_MAIN(tst_Evaluator)
#include "tst_Evaluator.moc"
