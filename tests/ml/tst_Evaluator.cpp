// Evaluator: exact metrics on a hand-made confusion, exact calibration figures on hand-made
// probabilities, and a model's report sums to its notes.
#include <QtTest>

#include <numeric>

#include "ToySet.h"
#include "ml/Evaluator.h"
#include "ml/Trainer.h"

using namespace ts::ml;

class tst_Evaluator : public QObject {
    Q_OBJECT
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
        const auto architecture = *findArchitecture("timbre-net");
        auto set = makeToySet(architecture, 4);
        TrainingOptions options;
        options.epochs = 1;
        options.batchSize = 4;
        auto outcome = Trainer(options).run(set);
        QVERIFY(outcome.ok());
        auto model = TrainedModel::fromModelFile(outcome->model);
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
};

QTEST_GUILESS_MAIN(tst_Evaluator)
#include "tst_Evaluator.moc"
