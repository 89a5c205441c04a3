// OnsetDetector: phrases of synthetic tones and of FluidR3 notes with known onsets, in silence and
// over a noise floor; each onset found within ±30 ms and nothing else.
#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

#include "dsp/OnsetDetector.h"
#include "synth/NoteRenderer.h"

using namespace ts;

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
constexpr int kRate = 16000;
constexpr double kTolerance = 0.030;

// A harmonic tone (six partials) with a 5 ms attack and an exponential decay.
std::vector<float> harmonicNote(double hz, double seconds, double amplitude, double decayPerSecond)
{
    std::vector<float> s(std::size_t(seconds * kRate));
    for (std::size_t i = 0; i < s.size(); ++i) {
        const double t = double(i) / kRate;
        double v = 0.0;
        for (int h = 1; h <= 6; ++h)
            v += std::sin(2.0 * M_PI * hz * h * t) / h;
        s[i] = float(amplitude * std::min(1.0, t / 0.005) * std::exp(-decayPerSecond * t) * v / 2.45);
    }
    return s;
}

void addAt(std::vector<float>& x, const std::vector<float>& note, double seconds)
{
    const auto at = std::size_t(seconds * kRate);
    if (x.size() < at + note.size())
        x.resize(at + note.size(), 0.0f);
    for (std::size_t i = 0; i < note.size(); ++i)
        x[at + i] += note[i];
}

void addNoise(std::vector<float>& x, double rms, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.0f, float(rms));
    for (float& v : x)
        v += g(rng);
}

// Every expected onset matched by exactly one found onset within the tolerance, nothing else.
QString compare(const std::vector<std::size_t>& found, const std::vector<double>& expected)
{
    QStringList text;
    for (std::size_t f : found)
        text << QString::number(double(f) / kRate, 'f', 3);
    const QString all = QStringLiteral("found [%1]").arg(text.join(QStringLiteral(", ")));
    if (found.size() != expected.size())
        return QStringLiteral("%1 onsets expected, %2").arg(expected.size()).arg(all);
    for (std::size_t i = 0; i < found.size(); ++i)
        if (std::fabs(double(found[i]) / kRate - expected[i]) > kTolerance)
            return QStringLiteral("onset %1 expected at %2 s, %3").arg(i).arg(expected[i]).arg(all);
    return {};
}

} // namespace

class tst_OnsetDetector : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void silenceHasNoOnset()
    {
        dsp::OnsetDetector detector;
        const std::vector<float> silence(64000, 0.0f);
        QVERIFY(detector.detect(silence.data(), silence.size()).empty());
        QVERIFY(detector.detect(nullptr, 0).empty());
    }

    void noteAtTheStartHasItsOnsetThere()
    {
        dsp::OnsetDetector detector;
        const auto note = harmonicNote(220.0, 4.0, 0.5, 1.0);
        const auto onsets = detector.detect(note.data(), note.size());
        QCOMPARE(onsets, std::vector<std::size_t>{0});
    }

    void syntheticPhrase_data()
    {
        QTest::addColumn<double>("noiseRms");
        QTest::addColumn<double>("leadIn");
        QTest::newRow("silence, no lead-in") << 0.0 << 0.0;
        QTest::newRow("silence, 0.5 s lead-in") << 0.0 << 0.5;
        QTest::newRow("noise -50 dB, 1 s lead-in") << 0.0016 << 1.0;
        QTest::newRow("noise -40 dB, 2 s lead-in") << 0.005 << 2.0;
    }
    void syntheticPhrase()
    {
        QFETCH(double, noiseRms);
        QFETCH(double, leadIn);
        // Five notes, loud and soft (6 dB apart), each starting while the one before still rings,
        // pitches up and down, 0.4 to 0.9 s apart.
        const std::vector<double> hz{220.0, 330.0, 262.0, 523.0, 196.0};
        const std::vector<double> gap{0.6, 0.4, 0.9, 0.5, 1.5};
        const std::vector<double> level{0.5, 0.4, 0.25, 0.5, 0.3};
        std::vector<float> x;
        std::vector<double> expected;
        double t = leadIn;
        for (std::size_t i = 0; i < hz.size(); ++i) {
            addAt(x, harmonicNote(hz[i], 1.5, level[i], 3.0), t);
            expected.push_back(t);
            t += gap[i];
        }
        x.resize(std::size_t((t + 0.5) * kRate), 0.0f);
        if (noiseRms > 0.0)
            addNoise(x, noiseRms, 7);
        dsp::OnsetDetector detector;
        const QString problem = compare(detector.detect(x.data(), x.size()), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void sameNoteRepeated()
    {
        // Four strokes of one pitch, 0.25 s apart: only the level rise marks them.
        std::vector<float> x;
        std::vector<double> expected;
        for (int i = 0; i < 4; ++i) {
            addAt(x, harmonicNote(440.0, 0.6, 0.4, 8.0), 0.3 + 0.25 * i);
            expected.push_back(0.3 + 0.25 * i);
        }
        dsp::OnsetDetector detector;
        const QString problem = compare(detector.detect(x.data(), x.size()), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void renderedNotesAlone()
    {
        // FluidR3 programs of every family, each alone and after 1 s of silence or -45 dB noise:
        // one onset, at the note. Vibrato, tremolo (Square Lead dips 15 dB twice a second), slow
        // swells (pads, strings), the kalimba's second partial and the clarinet's abrupt note-off
        // must not add any.
        if (!QFileInfo::exists(kFluid))
            QSKIP("FluidR3_GM.sf2 not installed");
        auto font = synth::LoadedSoundFont::load(kFluid);
        QVERIFY(font);
        auto renderer = synth::NoteRenderer::create(font.value());
        QVERIFY(renderer);
        dsp::OnsetDetector detector;
        int checked = 0;
        for (int program : {0, 4, 11, 19, 24, 31, 33, 40, 48, 56, 61, 65, 71, 73, 80, 89, 104, 108}) {
            const int pitch = 48 + (program * 7) % 24;
            auto note = renderer->render(0, program, pitch, 100);
            QVERIFY(note);
            if (note->silent)
                continue;
            float peak = 0.0f;
            for (float v : note->samples)
                peak = std::max(peak, std::fabs(v));
            // A pad over noise is found where it clears the noise, up to 0.2 s after it starts.
            for (int variant = 0; variant < (program == 89 ? 2 : 3); ++variant) {
                const double lead = variant == 0 ? 0.0 : 1.0;
                std::vector<float> x(std::size_t(lead * kRate), 0.0f);
                addAt(x, note->samples, lead);
                if (variant == 2)
                    addNoise(x, 0.0056 * peak, unsigned(program));  // -45 dB below the note's peak
                const QString problem = compare(detector.detect(x.data(), x.size()), {lead});
                QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("program %1 variant %2: %3").arg(program).arg(variant).arg(problem)));
                ++checked;
            }
        }
        QVERIFY(checked >= 40);
    }

    void renderedPhrase()
    {
        // Six FluidR3 notes of different instruments cut into a phrase, each cut 0.7 s in (the next
        // starts over the end of the last one's sound), in -50 dB noise.
        if (!QFileInfo::exists(kFluid))
            QSKIP("FluidR3_GM.sf2 not installed");
        auto font = synth::LoadedSoundFont::load(kFluid);
        QVERIFY(font);
        auto renderer = synth::NoteRenderer::create(font.value());
        QVERIFY(renderer);
        std::vector<float> x;
        std::vector<double> expected;
        double t = 0.4;
        const int programs[][2] = {{0, 60}, {24, 55}, {56, 67}, {11, 72}, {33, 40}, {71, 62}};
        for (const auto& [program, pitch] : programs) {
            auto note = renderer->render(0, program, pitch, 100);
            QVERIFY(note && !note->silent);
            std::vector<float> cut(note->samples.begin(), note->samples.begin() + std::ptrdiff_t(0.7 * kRate));
            for (std::size_t i = cut.size() - 160; i < cut.size(); ++i)  // 10 ms fade, no click
                cut[i] *= float(cut.size() - i) / 160.0f;
            addAt(x, cut, t);
            expected.push_back(t);
            t += 0.7;
        }
        x.resize(x.size() + 8000, 0.0f);
        addNoise(x, 0.001, 3);
        dsp::OnsetDetector detector;
        const QString problem = compare(detector.detect(x.data(), x.size()), expected);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void flatnessTellsNotesFromNoise()
    {
        dsp::OnsetDetector detector;
        auto note = harmonicNote(65.4, 4.0, 0.5, 0.5);  // C2: partials 65 Hz apart
        QVERIFY(detector.analyse(note.data(), note.size()).flatness(0, note.size()) < 0.2);
        std::vector<float> noise(64000, 0.0f);
        addNoise(noise, 0.2, 11);
        const double white = detector.analyse(noise.data(), noise.size()).flatness(0, noise.size());
        QVERIFY2(white > 0.5, qPrintable(QString::number(white)));
        std::vector<float> clicks(64000, 0.0f);
        for (std::size_t i = 0; i < clicks.size(); i += 4000)
            clicks[i] = 0.8f;
        QVERIFY(detector.analyse(clicks.data(), clicks.size()).flatness(0, clicks.size()) > 0.9);
    }
};

QTEST_GUILESS_MAIN(tst_OnsetDetector)
#include "tst_OnsetDetector.moc"
