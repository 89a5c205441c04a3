// The saliency on a toy timbre-net that tells low tones ("bass") from high ones ("flute"): with
// integrated gradients (the default) a tone's saliency for its own class lies over the tone's own
// mel bands, nearer them than the other tone's; Grad-CAM's is computed too (the test that made
// integrated gradients the default: it does not place the low tone); both are 0..1 with their peak
// at 1 and the features' shape; a class out of range is refused.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>

#include "common/ToyTimbreNet.h"
#include "ml/TrainedModel.h"

namespace {

// The band holding most of a log-mel's energy over time.
int loudestBand(const std::vector<float>& logMel, int bands)
{
    std::vector<double> sum(std::size_t(bands), 0.0);
    for (std::size_t i = 0; i < logMel.size(); ++i)
        sum[i % std::size_t(bands)] += logMel[i];
    return int(std::max_element(sum.begin(), sum.end()) - sum.begin());
}

// The saliency's centre of mass along the bands.
double saliencyBand(const ts::ml::Saliency& s)
{
    double mass = 0.0, moment = 0.0;
    for (std::size_t i = 0; i < s.values.size(); ++i) {
        mass += s.values[i];
        moment += s.values[i] * double(i % std::size_t(s.bands));
    }
    return mass > 0.0 ? moment / mass : -1.0;
}

} // namespace

class tst_Saliency : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("toy.tsm"));
        const QString trained = toymodel::trainToyTimbreNet(m_model);
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
    }

    void eachToneIsExplainedByItsOwnBands()
    {
        auto model = ts::ml::TrainedModel::load(m_model.toStdString());
        QVERIFY(model.ok());
        const auto& settings = model->architecture().features;
        auto featuresOf = [&](double hz) { return ts::dataset::computeFeatures(settings, ts::audio::modelView(toymodel::toneAt16k(hz, 4.0))); };
        const auto low = featuresOf(110.0), high = featuresOf(1600.0);
        const int bands = settings.shape()[1];
        const int lowBand = loudestBand(low, bands), highBand = loudestBand(high, bands);
        QVERIFY(highBand > lowBand + 10);
        const auto bass = model->explain(low.data(), ts::ml::Target::Family, 0);
        const auto flute = model->explain(high.data(), ts::ml::Target::Family, 2);
        const auto cam = model->explain(high.data(), ts::ml::Target::Family, 2, ts::ml::SaliencyMethod::GradCam);
        QVERIFY(cam.ok());
        QVERIFY2(bass.ok() && flute.ok(), bass.ok() ? "" : bass.error().describe().c_str());
        for (const auto* s : {&*bass, &*flute, &*cam}) {
            QCOMPARE(s->frames, settings.shape()[0]);
            QCOMPARE(s->bands, bands);
            QCOMPARE(s->values.size(), std::size_t(s->frames * s->bands));
            QCOMPARE(*std::max_element(s->values.begin(), s->values.end()), 1.0f);
            QVERIFY(*std::min_element(s->values.begin(), s->values.end()) >= 0.0f);
        }
        const double bassCentre = saliencyBand(*bass), fluteCentre = saliencyBand(*flute);
        const QString where = QStringLiteral("tones at bands %1 and %2, saliency at %3 and %4").arg(lowBand).arg(highBand).arg(bassCentre).arg(fluteCentre);
        QVERIFY2(std::fabs(bassCentre - lowBand) < std::fabs(bassCentre - highBand), qPrintable(where));
        QVERIFY2(std::fabs(fluteCentre - highBand) < std::fabs(fluteCentre - lowBand), qPrintable(where));
    }

    void refusals()
    {
        auto model = ts::ml::TrainedModel::load(m_model.toStdString());
        QVERIFY(model.ok());
        const std::vector<float> silence(model->architecture().features.size(), -100.0f);
        const auto outOfRange = model->explain(silence.data(), ts::ml::Target::Family, 11);
        QVERIFY(!outOfRange.ok());
        QCOMPARE(int(outOfRange.error().code), int(ts::ErrorCode::InvalidArgument));
        QVERIFY(model->explain(silence.data(), ts::ml::Target::Source, 2).ok());
    }
};

QTEST_GUILESS_MAIN(tst_Saliency)
#include "tst_Saliency.moc"
