// The display STFT: shape, centred frames, and a full-scale sine on a bin centre reading 0 dB in
// that bin (the level the spectrogram's colour bar calls 0 dB).
#include <QTest>

#include <cmath>
#include <vector>

#include "dsp/DisplayStft.h"

using namespace ts::dsp;

class tst_DisplayStft : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shapeOfAFourSecondNote();
    void fullScaleSineReadsZeroDbInItsBin();
    void silenceIsTheFloor();
    void longSignalsGetALargerHop();
};

void tst_DisplayStft::shapeOfAFourSecondNote()
{
    const std::vector<float> samples(64000, 0.0f);
    const Spectrogram s = computeDisplayStft(samples.data(), samples.size());
    QCOMPARE(s.frames, 501);  // 1 + 64000 / 128, centred
    QCOMPARE(s.bins, 513);
    QCOMPARE(s.values.size(), std::size_t(501 * 513));
    const Spectrogram empty = computeDisplayStft(nullptr, 0);
    QCOMPARE(empty.frames, 1);
}

void tst_DisplayStft::fullScaleSineReadsZeroDbInItsBin()
{
    // Bin 64 of a 1024-point FFT at 16 kHz is exactly 1000 Hz.
    std::vector<float> samples(16000);
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = float(std::sin(2.0 * M_PI * 1000.0 * double(i) / 16000.0));
    const Spectrogram s = computeDisplayStft(samples.data(), samples.size());
    const int frame = 60;  // well inside the signal
    int loudest = 0;
    for (int b = 1; b < s.bins; ++b)
        if (s.at(frame, b) > s.at(frame, loudest))
            loudest = b;
    QCOMPARE(loudest, 64);
    QVERIFY2(std::fabs(s.at(frame, 64)) < 0.01, qPrintable(QString::number(s.at(frame, 64))));
    // Hann's first sidelobe region is more than 30 dB down four bins away.
    QVERIFY(s.at(frame, 68) < -30.0f);
    // The first frame is centred on t = 0: half of it is before the signal, so about -6 dB.
    QVERIFY(std::fabs(s.at(0, 64) + 6.0f) < 1.0f);
}

void tst_DisplayStft::silenceIsTheFloor()
{
    const std::vector<float> samples(4096, 0.0f);
    DisplayStftSettings settings;
    settings.floorDb = -90.0f;
    const Spectrogram s = computeDisplayStft(samples.data(), samples.size(), settings);
    for (float v : s.values)
        QCOMPARE(v, -90.0f);
}

void tst_DisplayStft::longSignalsGetALargerHop()
{
    QCOMPARE(displayHopFor(64000), 128);
    QCOMPARE(displayHopFor(10'000'000), 1221);  // ceil(10,000,000 / 8192)
    const DisplayStftSettings longSettings{16000, 1024, 1221, -120.0f};
    QVERIFY(longSettings.frameCount(10000000) <= 8192);
}

QTEST_GUILESS_MAIN(tst_DisplayStft)
#include "tst_DisplayStft.moc"
