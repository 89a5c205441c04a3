// Evaluator: exact metrics on a hand-made confusion, and a model's report sums to its notes.
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
        const auto& p = report->predictions.front();
        QCOMPARE(p.familyScores.size(), std::size_t(11));
        QCOMPARE(p.familyConfidence, p.familyScores[std::size_t(p.predictedFamily)]);
    }
};

QTEST_GUILESS_MAIN(tst_Evaluator)
#include "tst_Evaluator.moc"
