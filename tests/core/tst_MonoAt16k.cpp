// audio::MonoAt16k as live input uses it: 48 kHz blocks pushed, the 16 kHz samples taken as they
// come, give the same signal as the file decoder's one-shot finish, and a 16 kHz input passes as it is.
#include <QtTest>

#include <cmath>

#include "audio/MonoAt16k.h"

using ts::audio::MonoAt16k;

class tst_MonoAt16k : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void streamedEqualsWhole()
    {
        std::vector<float> x(48000);
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = float(0.5 * std::sin(2.0 * M_PI * 440.0 * double(i) / 48000.0));
        MonoAt16k whole(48000);
        QVERIFY(whole.start(0, "whole"));
        QVERIFY(whole.push(x.data(), x.size(), "whole"));
        const auto expected = whole.finish("whole");
        QVERIFY(expected);
        QCOMPARE(expected->size(), std::size_t(16000));

        MonoAt16k live(48000);
        QVERIFY(live.start(0, "live"));
        std::vector<float> got;
        for (std::size_t at = 0; at < x.size(); at += 441) {  // odd blocks, as a sound card may give
            QVERIFY(live.push(x.data() + at, std::min<std::size_t>(441, x.size() - at), "live"));
            const auto taken = live.takeSamples();
            got.insert(got.end(), taken.begin(), taken.end());
        }
        QVERIFY(got.size() > 15000 && got.size() <= 16000);  // all but the look-ahead, as it goes
        const auto rest = live.finish("live");
        QVERIFY(rest);
        got.insert(got.end(), rest->begin(), rest->end());
        QCOMPARE(got.size(), std::size_t(16000));
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY2(std::abs(got[i] - (*expected)[i]) < 1e-6f, qPrintable(QString::number(i)));
    }

    void sixteenKilohertzPassesAsItIs()
    {
        MonoAt16k same(16000);
        QVERIFY(same.start(0, "same"));
        const std::vector<float> x = {0.1f, -0.2f, 0.3f};
        QVERIFY(same.push(x.data(), x.size(), "same"));
        QCOMPARE(same.takeSamples(), x);
        QVERIFY(same.takeSamples().empty());
    }
};

QTEST_GUILESS_MAIN(tst_MonoAt16k)
#include "tst_MonoAt16k.moc"
