// RecordingSimulator: a note "recorded" in a room keeps its length, is the same for the same name
// and variant, and each condition does what it says (lead-in delays the onset, a room prolongs
// the decay, noise lands at the asked signal-to-noise ratio, a cut-off silences the tail).
#include <QtTest>

#include <cmath>

#include "dsp/RecordingSimulator.h"

using ts::dsp::RecordingConditions;
using ts::dsp::RecordingSimulator;

namespace {

// A plucked-like harmonic tone: 220 Hz with three partials, decaying over a second, 4 s long.
std::vector<float> pluck()
{
    std::vector<float> x(64000, 0.0f);
    for (std::size_t i = 0; i < 16000; ++i) {
        const double t = double(i) / 16000.0;
        const double env = std::exp(-5.0 * t);
        x[i] = float(0.5 * env * (std::sin(2 * M_PI * 220 * t) + 0.5 * std::sin(2 * M_PI * 440 * t) + 0.25 * std::sin(2 * M_PI * 660 * t)));
    }
    return x;
}

double rms(const std::vector<float>& x, std::size_t begin, std::size_t end)
{
    double s = 0;
    for (std::size_t i = begin; i < end; ++i)
        s += double(x[i]) * x[i];
    return std::sqrt(s / double(end - begin));
}

std::size_t firstAbove(const std::vector<float>& x, float level)
{
    for (std::size_t i = 0; i < x.size(); ++i)
        if (std::fabs(x[i]) > level)
            return i;
    return x.size();
}

} // namespace

class tst_RecordingSimulator : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void sameNameSameRecordingOtherVariantAnother()
    {
        const auto note = pluck();
        const auto a = RecordingSimulator::simulate(note, "guitar_acoustic_001-060-100", 1);
        const auto b = RecordingSimulator::simulate(note, "guitar_acoustic_001-060-100", 1);
        const auto c = RecordingSimulator::simulate(note, "guitar_acoustic_001-060-100", 2);
        QCOMPARE(a.size(), note.size());
        QVERIFY(a == b);
        QVERIFY(a != c);
        for (float s : a)
            QVERIFY(std::isfinite(s) && std::fabs(s) <= 1.0f);
    }

    void leadInDelaysTheOnset()
    {
        RecordingConditions c;
        c.leadInSeconds = 0.5;
        const auto y = RecordingSimulator::apply(pluck(), c, 7);
        QCOMPARE(firstAbove(y, 0.01f), std::size_t(8000) + firstAbove(pluck(), 0.01f));
    }

    void roomProlongsTheDecayAndDryIsUntouched()
    {
        const auto dry = RecordingSimulator::apply(pluck(), RecordingConditions{}, 3);
        QVERIFY(dry == pluck());
        RecordingConditions c;
        c.reverbSeconds = 1.5;
        c.reverbWet = 1.0;
        const auto wet = RecordingSimulator::apply(pluck(), c, 3);
        // 1.5 to 2 s: the dry pluck has decayed by 65 dB and more, the room still rings.
        const double tailDry = rms(pluck(), 24000, 32000), tailWet = rms(wet, 24000, 32000);
        QVERIFY2(tailWet > 30.0 * tailDry, qPrintable(QString("%1 vs %2").arg(tailWet).arg(tailDry)));
    }

    void noiseLandsAtTheAskedSnr()
    {
        RecordingConditions c;
        c.noiseSnrDb = 20.0;
        const auto note = pluck();
        const auto y = RecordingSimulator::apply(note, c, 11);
        std::vector<float> n(y.size());
        for (std::size_t i = 0; i < y.size(); ++i)
            n[i] = y[i] - note[i];
        const double snr = 20.0 * std::log10(rms(note, 0, note.size()) / rms(n, 0, n.size()));
        QVERIFY2(std::fabs(snr - 20.0) < 0.1, qPrintable(QString::number(snr)));
    }

    void cutOffSilencesTheRest()
    {
        RecordingConditions c;
        c.cutOffSeconds = 0.25;
        const auto y = RecordingSimulator::apply(pluck(), c, 5);
        QCOMPARE(rms(y, 4000 + 480, 64000), 0.0);
        QVERIFY(rms(y, 0, 4000) > 0.1);
    }

    void drawnConditionsVaryWithinTheirRanges()
    {
        int rooms = 0, noisy = 0, lead = 0;
        for (std::uint64_t seed = 0; seed < 400; ++seed) {
            const RecordingConditions c = RecordingSimulator::draw(seed);
            rooms += c.reverbSeconds > 0 ? 1 : 0;
            noisy += c.noiseSnrDb < 150 ? 1 : 0;
            lead += c.leadInSeconds > 0 ? 1 : 0;
            QVERIFY(c.reverbSeconds == 0.0 || (c.reverbSeconds >= 0.2 && c.reverbSeconds <= 2.0));
            QVERIFY(c.noiseSnrDb >= 15.0);
            QVERIFY(std::fabs(c.pitchCents) <= 20.0);
            QVERIFY(c.leadInSeconds <= 0.3);
        }
        // 60 %, 80 % and 50 % by construction.
        QVERIFY(rooms > 200 && rooms < 280);
        QVERIFY(noisy > 290 && noisy < 350);
        QVERIFY(lead > 160 && lead < 240);
    }
};

QTEST_MAIN(tst_RecordingSimulator)
#include "tst_RecordingSimulator.moc"
