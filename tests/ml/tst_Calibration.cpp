// Calibration: exact expected calibration errors of hand-made probability sets, the accuracy of the
// confident predictions, the fitted temperature recovering the one the logits were drawn with, and
// training that calibrates an over-confident toy model (the model file records the temperature and
// the ECE falls on a part not used for fitting).
#include <QtTest>

#include <cmath>
#include <random>

#include "ToySet.h"
#include "ml/Calibration.h"
#include "ml/Evaluator.h"
#include "ml/ModelCalibration.h"
#include "ml/Trainer.h"

using namespace ts::ml;

namespace {

// A row of `classes` probabilities with `top` on class `predicted` and the rest shared equally.
std::vector<float> row(std::size_t classes, int predicted, float top)
{
    std::vector<float> p(classes, (1.0f - top) / float(classes - 1));
    p[std::size_t(predicted)] = top;
    return p;
}

struct Drawn {
    std::vector<std::vector<float>> logits;
    std::vector<int> labels;
};

// Logits of a model whose honest temperature is `temperature`: labels are drawn from
// softmax(logits / temperature), so dividing by it gives calibrated probabilities.
Drawn drawFromTemperature(double temperature, std::size_t rows, std::size_t classes, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> logit(0.0f, 3.0f);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    Drawn d;
    for (std::size_t i = 0; i < rows; ++i) {
        std::vector<float> z(classes);
        for (auto& v : z)
            v = logit(rng);
        const auto p = softmaxWithTemperature({z}, temperature).front();
        double u = uniform(rng), cumulative = 0.0;
        int label = int(classes) - 1;
        for (std::size_t c = 0; c < classes; ++c) {
            cumulative += p[c];
            if (u < cumulative) {
                label = int(c);
                break;
            }
        }
        d.logits.push_back(z);
        d.labels.push_back(label);
    }
    return d;
}

} // namespace

class tst_Calibration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eceIsZeroWhenConfidenceMatchesAccuracy()
    {
        // 0.75 is exact in binary: 3 of 4 right at 75 % is an ECE of exactly 0.
        std::vector<std::vector<float>> p(4, row(3, 1, 0.75f));
        QCOMPARE(expectedCalibrationError(p, {1, 1, 1, 0}), 0.0);
        // 9 of 10 right at 90 %: 0 up to 0.9f's rounding (0.9f = 0.89999998).
        std::vector<std::vector<float>> q(10, row(11, 4, 0.9f));
        std::vector<int> labels(10, 4);
        labels[7] = 2;
        QVERIFY(std::abs(expectedCalibrationError(q, labels)) < 1e-7);
    }
    void eceOfAnOverConfidentSet()
    {
        // 8 predictions at 87.5 % (bin 14 of 15) with 4 right: gap 0.375; 4 at 62.5 % (bin 10), all
        // right: gap 0.375 the other way. ECE = 8/12 × 0.375 + 4/12 × 0.375 = 0.375.
        std::vector<std::vector<float>> p;
        std::vector<int> labels;
        for (int i = 0; i < 8; ++i) {
            p.push_back(row(3, 0, 0.875f));
            labels.push_back(i < 4 ? 0 : 2);
        }
        for (int i = 0; i < 4; ++i) {
            p.push_back(row(3, 1, 0.625f));
            labels.push_back(1);
        }
        QCOMPARE(expectedCalibrationError(p, labels), 0.375);
        // One bin instead of 15 lets the two gaps cancel: |8/12 - (8 × 0.875 + 4 × 0.625)/12| = 1.5/12.
        QCOMPARE(expectedCalibrationError(p, labels, 1), 0.125);
        // The confident ones (≥ 80 %) are the 8 at 87.5 %, half of them right.
        const auto sure = confidentPredictions(p, labels);
        QCOMPARE(sure.threshold, 0.8);
        QCOMPARE(sure.n, 8);
        QCOMPARE(sure.correct, 4);
        QCOMPARE(sure.accuracy(), 0.5);
    }
    void eceEdgeCases()
    {
        // Full confidence and wrong: the largest possible ECE, in the last bin.
        QCOMPARE(expectedCalibrationError({{1.0f, 0.0f, 0.0f}}, {2}), 1.0);
        // Unlabelled rows (label -1) are left out; nothing left gives 0.
        QCOMPARE(expectedCalibrationError({{0.5f, 0.5f}}, {-1}), 0.0);
        QCOMPARE(confidentPredictions({{0.7f, 0.3f}}, {0}).n, 0);
        QCOMPARE(confidentPredictions({{0.7f, 0.3f}}, {0}).accuracy(), 0.0);
    }
    void fittedTemperatureRecoversTheTrueOne_data()
    {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<int>("classes");
        QTest::newRow("over-confident, 11 classes") << 2.5 << 11;
        QTest::newRow("under-confident, 3 classes") << 0.5 << 3;
        QTest::newRow("calibrated, 11 classes") << 1.0 << 11;
    }
    void fittedTemperatureRecoversTheTrueOne()
    {
        QFETCH(double, temperature);
        QFETCH(int, classes);
        const Drawn d = drawFromTemperature(temperature, 20000, std::size_t(classes), 11);
        const double fitted = fitTemperature(d.logits, d.labels);
        QVERIFY2(std::abs(fitted / temperature - 1.0) < 0.05, QByteArray::number(fitted));
        // It is the minimum of the NLL: a little either side is worse.
        const double best = negativeLogLikelihood(d.logits, d.labels, fitted);
        QVERIFY(best < negativeLogLikelihood(d.logits, d.labels, fitted * 1.02));
        QVERIFY(best < negativeLogLikelihood(d.logits, d.labels, fitted / 1.02));
        // And it brings the ECE down to sampling noise.
        QVERIFY(expectedCalibrationError(softmaxWithTemperature(d.logits, fitted), d.labels) < 0.02);
    }
    void temperatureKeepsPredictionsAndNeedsLabels()
    {
        const Drawn d = drawFromTemperature(3.0, 200, 11, 5);
        const auto plain = softmaxWithTemperature(d.logits, 1.0);
        const auto scaled = softmaxWithTemperature(d.logits, 3.0);
        for (std::size_t i = 0; i < plain.size(); ++i)
            QCOMPARE(std::max_element(plain[i].begin(), plain[i].end()) - plain[i].begin(),
                     std::max_element(scaled[i].begin(), scaled[i].end()) - scaled[i].begin());
        QCOMPARE(fitTemperature(d.logits, std::vector<int>(d.logits.size(), -1)), 1.0);
        QCOMPARE(fitTemperature({}, {}), 1.0);
        // Logits that make every label certain and right: the search ends at its lower bound.
        QVERIFY(std::abs(fitTemperature({{9.0f, 0.0f}, {0.0f, 9.0f}}, {0, 1}) - kMinTemperature) < 1e-5);
    }
    void trainingCalibratesAnOverConfidentToyModel()
    {
        // seed-cnn2d learns the toy sounds' three kinds, but 40 % of its validation and test notes
        // carry another kind's label (as notes of unseen instruments can sound like another family):
        // it stays as sure of itself as on its training part, and is right about half as often.
        const auto architecture = *findArchitecture("seed-cnn2d");
        TrainingSet set = makeToySet(architecture, 20, 5);
        std::mt19937 rng(17);
        std::uniform_int_distribution<int> other(1, 2);
        for (const auto* part : {&set.validation, &set.test})
            for (std::size_t i = 0; i < part->size(); ++i)
                if (i % 10 < 4)
                    set.family[(*part)[i]] = (set.family[(*part)[i]] + other(rng)) % 3;
        TrainingOptions options;
        options.architecture = architecture.id;
        options.epochs = 8;
        options.patience = 8;
        options.batchSize = 8;
        options.threads = 2;
        auto outcome = Trainer(options).run(set);
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : outcome.error().describe().c_str());
        const ModelMetadata& meta = outcome->model.metadata;

        QCOMPARE(meta.calibration.size(), std::size_t(1));
        const HeadCalibration& family = meta.calibration.at("family");
        qInfo("test accuracy %.3f, temperature %.3f, validation ECE %.4f -> %.4f, test ECE %.4f -> %.4f",
              meta.finalMetrics.at("test_family_accuracy"), family.temperature,
              family.eceValidationBefore, family.eceValidationAfter, meta.finalMetrics.at("test_family_ece_uncalibrated"),
              meta.finalMetrics.at("test_family_ece"));
        QVERIFY(family.temperature > 1.0);  // over-confident: the fit softens it
        QCOMPARE(family.validationNotes, int(set.validation.size()));
        // The fit minimises the likelihood, not the ECE, so the ECE that counts is on the test part,
        // which the fit never saw: it falls.
        QVERIFY(meta.finalMetrics.at("test_family_ece") <= meta.finalMetrics.at("test_family_ece_uncalibrated"));

        // The model file's users get the calibrated probabilities: evaluating the test part gives the
        // ECE the trainer recorded, and the same predictions as without the temperature.
        auto model = TrainedModel::fromModelFile(outcome->model);
        QVERIFY(model.ok());
        auto report = evaluate(model.value(), set, set.test);
        QVERIFY(report.ok());
        QVERIFY(std::abs(report->family->confidence->ece - meta.finalMetrics.at("test_family_ece")) < 1e-5);
        ModelFile uncalibrated = outcome->model;
        uncalibrated.metadata.calibration.clear();
        auto plainModel = TrainedModel::fromModelFile(uncalibrated);
        QVERIFY(plainModel.ok());
        auto plain = evaluate(plainModel.value(), set, set.test);
        QVERIFY(plain.ok());
        QCOMPARE(plain->family->confusion, report->family->confusion);
        QVERIFY(std::abs(plain->family->confidence->ece - meta.finalMetrics.at("test_family_ece_uncalibrated")) < 1e-5);

        // Calibrating the uncalibrated file afterwards (no training) finds the same temperature.
        auto refitted = calibrateModelFile(uncalibrated, set);
        QVERIFY(refitted.ok());
        QVERIFY(std::abs(refitted->metadata.calibration.at("family").temperature / family.temperature - 1.0) < 1e-4);
        QCOMPARE(refitted->weights, outcome->model.weights);
    }
};

QTEST_GUILESS_MAIN(tst_Calibration)
#include "tst_Calibration.moc"
