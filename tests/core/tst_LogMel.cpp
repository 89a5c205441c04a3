// The log-mel features of timbre-net and the UI: shape, where a tone lands, level calibration,
// the floor, and the mel scale itself (Slaney's, so values can be checked against librosa's).
#include <QtTest>

#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "dsp/LogMel.h"

using namespace ts::dsp;

namespace {

std::vector<float> sine(double hz, double amplitude, std::size_t n = 64000)
{
    std::vector<float> s(n);
    for (std::size_t i = 0; i < n; ++i)
        s[i] = float(amplitude * std::sin(2.0 * M_PI * hz * double(i) / 16000.0));
    return s;
}

int loudestBand(const Spectrogram& s, int frame)
{
    int best = 0;
    for (int b = 1; b < s.bins; ++b)
        if (s.at(frame, b) > s.at(frame, best))
            best = b;
    return best;
}

} // namespace

class tst_LogMel : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void melScaleIsSlaneys()
    {
        // Values librosa.hz_to_mel(htk=False) gives.
        QCOMPARE(hzToMel(0.0), 0.0);
        QVERIFY(std::fabs(hzToMel(200.0) - 3.0) < 1e-12);
        QVERIFY(std::fabs(hzToMel(1000.0) - 15.0) < 1e-12);
        QVERIFY(std::fabs(hzToMel(6400.0) - 42.0) < 1e-9);  // 27 mel per factor 6.4 above 1 kHz
        QVERIFY(std::fabs(hzToMel(8000.0) - 45.245640471924965) < 1e-9);
        for (double hz : {0.0, 20.0, 440.0, 999.0, 1000.0, 1001.0, 3000.0, 8000.0, 22050.0})
            QVERIFY2(std::fabs(melToHz(hzToMel(hz)) - hz) < 1e-9 * std::max(1.0, hz), qPrintable(QString::number(hz)));
    }

    void shapeAndKey()
    {
        LogMel mel;
        QCOMPARE(mel.settings().frameCount(64000), 251);
        const std::vector<float> x = sine(440.0, 0.5);
        const Spectrogram s = mel.compute(x.data(), x.size());
        QCOMPARE(s.frames, 251);
        QCOMPARE(s.bins, 64);
        QCOMPARE(s.values.size(), std::size_t(251 * 64));
        QCOMPARE(mel.compute(x.data(), 0).frames, 1);  // a centred frame exists at t = 0 even then

        LogMelSettings other;
        other.bands = 128;
        QVERIFY(other.key() != LogMelSettings{}.key());
        LogMel mel128(other);
        QCOMPARE(mel128.compute(x.data(), x.size()).bins, 128);
    }

    void bandCentresRiseAcrossTheRange()
    {
        LogMel mel;
        QVERIFY(mel.bandCentreHz(0) > 20.0);
        QVERIFY(mel.bandCentreHz(63) < 8000.0);
        for (int b = 1; b < 64; ++b)
            QVERIFY(mel.bandCentreHz(b) > mel.bandCentreHz(b - 1));
        // Equal steps in mel: the centres are evenly spaced on the mel scale.
        const double step = hzToMel(mel.bandCentreHz(1)) - hzToMel(mel.bandCentreHz(0));
        QVERIFY(std::fabs(hzToMel(mel.bandCentreHz(40)) - hzToMel(mel.bandCentreHz(39)) - step) < 1e-9);
        QVERIFY(std::fabs(step - (hzToMel(8000.0) - hzToMel(20.0)) / 65.0) < 1e-9);
    }

    void aToneLandsInItsBand()
    {
        LogMel mel;
        for (int band : {5, 20, 40, 60}) {
            const double hz = mel.bandCentreHz(band);
            const std::vector<float> x = sine(hz, 0.5);
            const Spectrogram s = mel.compute(x.data(), x.size());
            QCOMPARE(loudestBand(s, 125), band);
            // Amplitude 0.5 is -6.02 dB; where the tone falls between bins moves it by -1.5..+1.8 dB.
            const float level = s.at(125, band);
            QVERIFY2(level > -7.6f && level < -4.2f, qPrintable(QString("band %1: %2 dB").arg(band).arg(level)));
        }
    }

    void silenceSitsOnTheFloor()
    {
        LogMelSettings settings;
        settings.floorDb = -80.0f;
        LogMel mel(settings);
        const std::vector<float> silence(16000, 0.0f);
        const Spectrogram s = mel.compute(silence.data(), silence.size());
        for (float v : s.values)
            QCOMPARE(v, -80.0f);
        // A very quiet tone: the band that holds it rises above the floor, the far bands stay on it.
        const std::vector<float> quiet = sine(1000.0, 1e-3, 16000);
        const Spectrogram q = mel.compute(quiet.data(), quiet.size());
        float lowest = 0.0f;
        for (float v : q.values)
            lowest = std::min(lowest, v);
        QCOMPARE(lowest, -80.0f);
        QVERIFY(q.at(30, loudestBand(q, 30)) > -70.0f);
    }

    void centredFramesStartAtTimeZero()
    {
        // A click at sample 0 is in frame 0 (centred there) and long gone by frame 3 (768 samples on).
        LogMel mel;
        std::vector<float> click(64000, 0.0f);
        click[0] = 1.0f;
        const Spectrogram s = mel.compute(click.data(), click.size());
        QVERIFY(s.at(0, 32) > -80.0f);
        QCOMPARE(s.at(3, 32), mel.settings().floorDb);
    }

    void threadsGetTheSameResult()
    {
        std::mt19937 rng(7);
        std::uniform_real_distribution<float> u(-1.0f, 1.0f);
        std::vector<float> x(64000);
        for (float& v : x)
            v = u(rng);
        LogMel mel;
        const Spectrogram expected = mel.compute(x.data(), x.size());
        std::vector<Spectrogram> results(3);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < results.size(); ++t)
            threads.emplace_back([&, t] { results[t] = mel.compute(x.data(), x.size()); });
        for (auto& th : threads)
            th.join();
        for (const Spectrogram& r : results)
            QCOMPARE(r.values, expected.values);
    }
};

QTEST_GUILESS_MAIN(tst_LogMel)
#include "tst_LogMel.moc"
