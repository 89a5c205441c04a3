// Float16 storage (the log-mel feature cache): every half survives a round trip through float;
// floats round to the nearest half, ties to even, checked against the neighbouring halves rather
// than a second implementation; overflow, underflow, infinities and NaN come out as IEEE 754 says.
#include <QtTest>

#include <cmath>
#include <limits>
#include <cstring>
#include <random>

#include "util/Half.h"

using namespace ts;

class tst_Half : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyHalfRoundTrips()
    {
        for (std::uint32_t h = 0; h < 65536; ++h) {
            const float f = halfToFloat(std::uint16_t(h));
            if (std::isnan(f)) {
                QVERIFY(std::isnan(halfToFloat(floatToHalf(f))));
                continue;
            }
            QCOMPARE(floatToHalf(f), std::uint16_t(h));
        }
    }

    void knownValues()
    {
        QCOMPARE(halfToFloat(0x3c00), 1.0f);
        QCOMPARE(halfToFloat(0xc000), -2.0f);
        QCOMPARE(halfToFloat(0x7bff), 65504.0f);              // largest finite half
        QCOMPARE(halfToFloat(0x0400), std::ldexp(1.0f, -14)); // smallest normal
        QCOMPARE(halfToFloat(0x0001), std::ldexp(1.0f, -24)); // smallest subnormal
        QCOMPARE(floatToHalf(65519.0f), std::uint16_t(0x7bff));
        QCOMPARE(floatToHalf(65520.0f), std::uint16_t(0x7c00));  // the tie rounds to even: infinity
        QCOMPARE(floatToHalf(-1e9f), std::uint16_t(0xfc00));
        QCOMPARE(floatToHalf(std::numeric_limits<float>::infinity()), std::uint16_t(0x7c00));
        QCOMPARE(floatToHalf(std::ldexp(1.0f, -25)), std::uint16_t(0x0000));  // tie with 0: to even
        QCOMPARE(floatToHalf(std::nextafter(std::ldexp(1.0f, -25), 1.0f)), std::uint16_t(0x0001));
        QCOMPARE(floatToHalf(-0.0f), std::uint16_t(0x8000));
        QCOMPARE(floatToHalf(1.0f + std::ldexp(1.0f, -11)), std::uint16_t(0x3c00));  // tie: to even (down)
        QCOMPARE(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), std::uint16_t(0x3c02));  // tie: to even (up)
        QVERIFY(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
        QCOMPARE(floatToHalf(-63.98f), std::uint16_t(0xd3ff));  // a log-mel in dB: 0.03 dB steps here
    }

    void floatsRoundToTheNearestHalf()
    {
        std::mt19937 random(7);
        std::uniform_int_distribution<std::uint32_t> bits;
        for (int i = 0; i < 200000; ++i) {
            std::uint32_t b = bits(random);
            float f;
            std::memcpy(&f, &b, sizeof f);
            if (!std::isfinite(f) || std::fabs(f) >= 65504.0f)
                continue;
            const std::uint16_t h = floatToHalf(f);
            const double error = std::fabs(double(halfToFloat(h)) - double(f));
            // No half of the same sign nearer: its neighbours are at least as far, and a tie goes to the even one.
            for (int step : {-1, 1}) {
                const int n = int(h & 0x7fff) + step;
                if (n < 0 || n > 0x7bff)
                    continue;
                const std::uint16_t neighbour = std::uint16_t((h & 0x8000) | n);
                const double other = std::fabs(double(halfToFloat(neighbour)) - double(f));
                QVERIFY2(error < other || (error == other && (h & 1) == 0),
                         qPrintable(QStringLiteral("%1 -> %2").arg(double(f), 0, 'g', 9).arg(h, 4, 16)));
            }
        }
    }

    void arrays()
    {
        const float in[4] = {0.5f, -3.25f, 1000.0f, 1e-8f};
        std::uint16_t halves[4];
        floatsToHalves(in, 4, halves);
        float out[4];
        halvesToFloats(halves, 4, out);
        QCOMPARE(out[0], 0.5f);
        QCOMPARE(out[1], -3.25f);
        QCOMPARE(out[2], 1000.0f);
        QCOMPARE(out[3], halfToFloat(floatToHalf(1e-8f)));
        float rounded[4] = {0.5f, -3.25f, 1000.1f, 1e-8f};
        roundToHalves(rounded, 4);
        QCOMPARE(rounded[2], 1000.0f);
    }
};

QTEST_GUILESS_MAIN(tst_Half)
#include "tst_Half.moc"
