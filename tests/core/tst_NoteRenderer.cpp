// NoteRenderer: one note of FluidR3 (and of a generated SoundFont whose pitch is exact).
#include <QtTest>

#include <cmath>
#include <fstream>

#include "common/Fundamental.h"
#include "common/TinySoundFont.h"
#include "synth/NoteRenderer.h"

using ts::synth::LoadedSoundFont;
using ts::synth::NoteRenderer;

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

// Lags 4..400 (4 kHz down to 40 Hz), as this test has always measured.
double fundamentalHz(const std::vector<float>& x) { return ts::test::fundamentalHz(x, 4, 400); }

double semitonesBetween(double hz, double reference) { return 12.0 * std::log2(hz / reference); }

} // namespace

class tst_NoteRenderer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fluteA4IsA440FourSecondsLongAndAudible()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto font = LoadedSoundFont::load(kFluid);
        QVERIFY(font.ok());
        auto renderer = NoteRenderer::create(*font);
        QVERIFY(renderer.ok());
        auto note = renderer->render(0, 73, 69, 100);
        QVERIFY2(note.ok(), note.ok() ? "" : note.error().describe().c_str());
        QCOMPARE(note->samples.size(), std::size_t(64000));
        QVERIFY(!note->silent);
        QVERIFY(note->rmsDb > -40.0 && note->rmsDb < 0.0);
        const double f0 = fundamentalHz(note->samples);
        QVERIFY2(std::abs(semitonesBetween(f0, 440.0)) < 1.0, QByteArray::number(f0));
        float peak = 0.0f;
        for (float x : note->samples)
            peak = std::max(peak, std::abs(x));
        QVERIFY(peak <= float(NoteRenderer::kClipCeiling) + 1e-6f);

        // Rendering the same note again gives the same samples (a fresh synth per note).
        auto again = renderer->render(0, 73, 69, 100);
        QVERIFY(again.ok());
        QVERIFY(again->samples == note->samples);
    }

    void unmappedKeyIsSilentAndBadArgumentsAreErrors()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto font = LoadedSoundFont::load(kFluid);
        QVERIFY(font.ok());
        auto renderer = NoteRenderer::create(*font);
        QVERIFY(renderer.ok());
        // FluidR3's Contrabass maps no sample above key 57 (gm-to-nsynth.md).
        auto silent = renderer->render(0, 43, 80, 100);
        QVERIFY(silent.ok());
        QVERIFY(silent->silent);
        QCOMPARE(silent->samples.size(), std::size_t(64000));
        auto noPreset = renderer->render(5, 99, 60, 100);
        QVERIFY(!noPreset.ok() && noPreset.error().code == ts::ErrorCode::InvalidArgument);
        auto badPitch = renderer->render(0, 0, 128, 100);
        QVERIFY(!badPitch.ok());
    }

    void exactSineKeepsItsPitchAndTiming()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("tiny.sf2")).toStdString();
        std::ofstream(path, std::ios::binary) << ts::test::tinySoundFontBytes();
        auto font = LoadedSoundFont::load(path);
        QVERIFY2(font.ok(), font.ok() ? "" : font.error().describe().c_str());
        auto renderer = NoteRenderer::create(*font);
        QVERIFY(renderer.ok());
        // The sine sample is exactly 440 Hz at its root key 69; key 57 is an octave lower.
        auto a4 = renderer->render(0, 0, 69, 127);
        auto a3 = renderer->render(0, 0, 57, 127);
        QVERIFY(a4.ok() && a3.ok());
        QVERIFY(std::abs(semitonesBetween(fundamentalHz(a4->samples), 440.0)) < 0.05);
        QVERIFY(std::abs(semitonesBetween(fundamentalHz(a3->samples), 220.0)) < 0.05);
        // Sample n is time n/16000: the note starts within the first millisecond (no resampler
        // delay) and, with the instant default release, ends right after the note-off at 3 s.
        auto firstAbove = [](const std::vector<float>& x, float level) {
            for (std::size_t i = 0; i < x.size(); ++i)
                if (std::abs(x[i]) > level)
                    return int(i);
            return -1;
        };
        auto lastAbove = [](const std::vector<float>& x, float level) {
            for (std::size_t i = x.size(); i-- > 0;)
                if (std::abs(x[i]) > level)
                    return int(i);
            return -1;
        };
        const int onset = firstAbove(a4->samples, 0.01f);
        QVERIFY2(onset >= 0 && onset < 16, QByteArray::number(onset));
        const int end = lastAbove(a4->samples, 0.001f);
        QVERIFY2(end >= 48000 && end < 48000 + 160, QByteArray::number(end));
        // The velocity changes the level: 25 is quieter than 127.
        auto soft = renderer->render(0, 0, 69, 25);
        QVERIFY(soft.ok());
        QVERIFY(soft->rmsDb < a4->rmsDb - 6.0);
    }
};

QTEST_GUILESS_MAIN(tst_NoteRenderer)
#include "tst_NoteRenderer.moc"
