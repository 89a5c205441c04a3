// The seed's STFT checked against an independent, slow, double-precision DFT written here from the
// definition (tf.signal.stft(frame_length=255, frame_step=128), fft_length 256, symmetric Hann).
#include <QtTest>

#include <cmath>
#include <random>
#include <thread>
#include <vector>

#include "dsp/SeedStft.h"

using ts::dsp::SeedStft;
using ts::dsp::Spectrogram;

namespace {

std::vector<float> noiseAndTones(std::size_t n)
{
    std::mt19937 rng(1234);
    std::uniform_real_distribution<float> u(-0.3f, 0.3f);
    std::vector<float> s(n);
    for (std::size_t i = 0; i < n; ++i)
        s[i] = u(rng) + 0.4f * float(std::sin(2.0 * M_PI * 440.0 * double(i) / 16000.0)) +
               0.2f * float(std::sin(2.0 * M_PI * 3100.0 * double(i) / 16000.0));
    return s;
}

// |DFT_256(frame · hann_sym(255), zero-padded)| at one bin, in double precision.
double slowMagnitude(const std::vector<float>& s, int frame, int bin)
{
    double re = 0.0, im = 0.0;
    for (int n = 0; n < 255; ++n) {
        const double w = 0.5 - 0.5 * std::cos(2.0 * M_PI * n / 254.0);
        const double x = double(s[std::size_t(frame) * 128 + std::size_t(n)]) * w;
        const double ph = 2.0 * M_PI * double(bin) * n / 256.0;
        re += x * std::cos(ph);
        im -= x * std::sin(ph);
    }
    return std::hypot(re, im);
}

int loudestBin(const Spectrogram& s, int frame)
{
    int best = 0;
    for (int b = 1; b < s.bins; ++b)
        if (s.at(frame, b) > s.at(frame, best))
            best = b;
    return best;
}

} // namespace

class tst_SeedStft : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void shapeOfANote()
    {
        QCOMPARE(SeedStft::frameCount(64000), 499);
        QCOMPARE(SeedStft::frameCount(255), 1);
        QCOMPARE(SeedStft::frameCount(254), 0);
        QCOMPARE(SeedStft::frameCount(255 + 127), 1);
        QCOMPARE(SeedStft::frameCount(255 + 128), 2);
        SeedStft stft;
        const std::vector<float> x(64000, 0.0f);
        const Spectrogram s = stft.compute(x.data(), x.size());
        QCOMPARE(s.frames, 499);
        QCOMPARE(s.bins, 129);
        QCOMPARE(s.values.size(), std::size_t(499 * 129));
        const Spectrogram none = stft.compute(x.data(), 100);
        QCOMPARE(none.frames, 0);
        QVERIFY(none.values.empty());
    }

    void matchesASlowDoubleDft()
    {
        const std::vector<float> x = noiseAndTones(64000);
        SeedStft stft;
        const Spectrogram s = stft.compute(x.data(), x.size());
        // Every bin of a spread of frames, the first and the last included.
        const std::vector<int> frames = {0, 1, 15, 16, 17, 250, 480, 495, 496, 497, 498};
        double peak = 0.0, worst = 0.0;
        for (int f : frames) {
            for (int b = 0; b < 129; ++b) {
                const double ref = slowMagnitude(x, f, b);
                peak = std::max(peak, ref);
                worst = std::max(worst, std::fabs(ref - double(s.at(f, b))));
            }
        }
        QVERIFY(peak > 10.0);  // the tones are there, so the comparison is not between zeros
        QVERIFY2(worst <= 1e-4 * peak, qPrintable(QString("max abs error %1, peak %2").arg(worst).arg(peak)));
    }

    void dcFrameHasTheWindowSum()
    {
        // A constant 1 gives the sum of the symmetric Hann window at bin 0: (255 - 1) / 2 = 127.
        SeedStft stft;
        const std::vector<float> ones(1000, 1.0f);
        const Spectrogram s = stft.compute(ones.data(), ones.size());
        QCOMPARE(s.frames, 6);
        QVERIFY(std::fabs(s.at(3, 0) - 127.0f) < 1e-3f);
        // A periodic window of 255 (torch's default) would give 127.5: the window is the seed's.
        QVERIFY(s.at(3, 64) < 1e-3f);
    }

    void aToneLandsInItsBin()
    {
        // Bin k of a 256-point FFT at 16 kHz is k * 62.5 Hz: 1000 Hz is bin 16, 2500 Hz bin 40.
        SeedStft stft;
        for (const auto& [hz, bin] : std::vector<std::pair<double, int>>{{1000.0, 16}, {2500.0, 40}, {7000.0, 112}}) {
            std::vector<float> x(64000);
            for (std::size_t i = 0; i < x.size(); ++i)
                x[i] = float(0.5 * std::sin(2.0 * M_PI * hz * double(i) / 16000.0));
            const Spectrogram s = stft.compute(x.data(), x.size());
            QCOMPARE(loudestBin(s, 0), bin);
            QCOMPARE(loudestBin(s, 498), bin);
            // On a bin centre a sine of amplitude a reads a * sum(window) / 2 = 0.5 * 127 / 2.
            QVERIFY(std::fabs(s.at(200, bin) - 31.75f) < 0.01f);
        }
    }

    void threadsGetTheSameResult()
    {
        const std::vector<float> x = noiseAndTones(64000);
        SeedStft stft;
        const Spectrogram expected = stft.compute(x.data(), x.size());
        std::vector<Spectrogram> results(4);
        std::vector<std::thread> threads;
        for (std::size_t t = 0; t < results.size(); ++t)
            threads.emplace_back([&, t] {
                for (int rep = 0; rep < 20; ++rep)
                    results[t] = stft.compute(x.data(), x.size());
            });
        for (auto& th : threads)
            th.join();
        for (const Spectrogram& r : results)
            QCOMPARE(r.values, expected.values);
    }
};

QTEST_GUILESS_MAIN(tst_SeedStft)
#include "tst_SeedStft.moc"
