// StkNoteRenderer and the STK voice table: every voice plays its range in tune, at a sane level,
// and the same bytes whichever thread renders it.
// ctest-label: slow
#include <QtTest>

#include <chrono>
#include <cmath>
#include <set>
#include <thread>

#include "common/Fundamental.h"
#include "dataset/Labels.h"
#include "synth/StkNoteRenderer.h"

using ts::synth::NoteRenderer;
using ts::synth::RenderedNote;
using ts::synth::StkNoteRenderer;
using ts::synth::StkVoice;
using ts::synth::stkVoices;

namespace {

using ts::test::fundamentalHz;
using ts::test::semitonesOff;

// A tubular bell's partials stand at 1 : 1.414 : ...; autocorrelation finds their common period an
// octave below the note, not the pitch a listener hears, so bells are checked for level only.
bool pitchMeasurable(const StkVoice& voice) { return voice.model != "TubeBell"; }

double peakDb(const RenderedNote& note)
{
    float peak = 0.0f;
    for (float x : note.samples)
        peak = std::max(peak, std::abs(x));
    return 20.0 * std::log10(std::max(1e-9, double(peak)));
}

QByteArray describe(const StkVoice& voice, int pitch) { return QByteArray::fromStdString(voice.id) + " at " + QByteArray::number(pitch); }

} // namespace

class tst_StkNoteRenderer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tableIsWellFormed()
    {
        const auto& voices = stkVoices();
        QVERIFY(voices.size() >= 55);
        std::set<std::string> ids;
        std::set<int> families;
        for (const StkVoice& v : voices) {
            QVERIFY2(ids.insert(v.id).second, v.id.c_str());
            QVERIFY(!v.model.empty() && !v.name.empty() && !v.mapping.note.empty());
            QCOMPARE(v.mapping.tier, ts::synth::PresetTier::Core);
            QVERIFY2(v.mapping.family >= 0 && v.mapping.family < int(ts::dataset::kFamilyNames.size()), v.id.c_str());
            QCOMPARE(ts::dataset::kSourceNames[std::size_t(v.mapping.source)], std::string_view("synthetic"));
            QVERIFY2(v.mapping.pitchLow >= 0 && v.mapping.pitchLow <= v.mapping.pitchHigh && v.mapping.pitchHigh <= 127, v.id.c_str());
            QVERIFY(v.excitationSoft > 0.0 && v.excitationSoft <= v.excitationLoud);
            families.insert(v.mapping.family);
        }
        // Every family but brass (see StkVoiceTable.cpp for why STK's Brass is left out).
        QCOMPARE(families.size(), std::size_t(10));
    }

    void everyVoicePlaysMidRangeInTuneAndAtASaneLevel()
    {
        auto renderer = StkNoteRenderer::create();
        QVERIFY2(renderer.ok(), renderer.ok() ? "" : renderer.error().describe().c_str());
        double totalMs = 0.0;
        for (const StkVoice& v : stkVoices()) {
            const int pitch = (v.mapping.pitchLow + v.mapping.pitchHigh) / 2;
            const auto start = std::chrono::steady_clock::now();
            auto note = renderer->render(v, pitch, 100);
            totalMs += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
            QVERIFY2(note.ok(), note.ok() ? "" : note.error().describe().c_str());
            QCOMPARE(note->samples.size(), std::size_t(NoteRenderer::kOutputFrames));
            QVERIFY2(!note->silent, describe(v, pitch));
            m_midRange.push_back(note->samples);
            const double peak = peakDb(*note);
            QVERIFY2(peak > -40.0 && peak < -0.5, describe(v, pitch) + " peaks at " + QByteArray::number(peak) + " dBFS");
            if (pitchMeasurable(v)) {
                const double off = semitonesOff(note->samples, pitch);
                QVERIFY2(std::abs(off) < 1.0, describe(v, pitch) + " is " + QByteArray::number(off) + " semitones off");
            }
        }
        qInfo("%.1f ms per note at 48 kHz over %d voices", totalMs / double(stkVoices().size()), int(stkVoices().size()));
    }

    void rangeEndsSoundInTune()
    {
        auto renderer = StkNoteRenderer::create();
        QVERIFY(renderer.ok());
        for (const StkVoice& v : stkVoices()) {
            for (int pitch : {v.mapping.pitchLow, v.mapping.pitchHigh}) {
                // The softest NSynth velocity too: a blown model must still speak.
                for (int velocity : {25, 127}) {
                    auto note = renderer->render(v, pitch, velocity);
                    QVERIFY(note.ok());
                    QVERIFY2(!note->silent, describe(v, pitch) + " velocity " + QByteArray::number(velocity));
                }
                auto note = renderer->render(v, pitch, 100);
                QVERIFY(note.ok());
                if (pitchMeasurable(v)) {
                    const double off = semitonesOff(note->samples, pitch);
                    QVERIFY2(std::abs(off) < 1.0, describe(v, pitch) + " is " + QByteArray::number(off) + " semitones off");
                }
            }
        }
    }

    void midRangeNotesRepeatSecondsLater()
    {
        // Several seconds after the first rendering, the same notes give the same bytes: nothing
        // in a note depends on the clock (STK's Noise seeds rand() with time() when constructed).
        QCOMPARE(m_midRange.size(), stkVoices().size());
        QTest::qSleep(1100);
        auto renderer = StkNoteRenderer::create();
        QVERIFY(renderer.ok());
        for (std::size_t i = 0; i < stkVoices().size(); ++i) {
            const StkVoice& v = stkVoices()[i];
            auto note = renderer->render(v, (v.mapping.pitchLow + v.mapping.pitchHigh) / 2, 100);
            QVERIFY(note.ok());
            QVERIFY2(note->samples == m_midRange[i], v.id.c_str());
        }
    }

    void velocityChangesTheLevel()
    {
        auto renderer = StkNoteRenderer::create();
        QVERIFY(renderer.ok());
        for (const char* id : {"clarinet", "violin", "rhodey", "marimba-hard", "moog-bass"}) {
            const StkVoice& v = voiceNamed(id);
            auto soft = renderer->render(v, 60, 25);
            auto loud = renderer->render(v, 60, 127);
            QVERIFY(soft.ok() && loud.ok());
            QVERIFY2(soft->rmsDb < loud->rmsDb - 6.0, id);
        }
    }

    void notesRepeatByteForByteAcrossThreads()
    {
        // Voices whose models draw noise from rand() (Clarinet, Flute, Saxofony, Plucked,
        // StifKarp, BlowBotl, BlowHole) and some that do not.
        const std::vector<std::string> ids = {"clarinet-stiff-breathy", "flute-breathy", "sax-alto", "plucked-guitar",
                                              "stifkarp-bass", "blowbotl-breathy", "blowhole-clarinet", "fmvoices-ooo",
                                              "rhodey", "violin", "marimba", "moog-lead"};
        auto renderOne = [](StkNoteRenderer& r, const std::string& id) {
            const StkVoice& v = voiceNamed(id);
            auto note = r.render(v, (v.mapping.pitchLow + v.mapping.pitchHigh) / 2, 90);
            return note.ok() ? note->samples : std::vector<float>{};
        };
        auto single = StkNoteRenderer::create();
        QVERIFY(single.ok());
        std::vector<std::vector<float>> expected;
        for (const auto& id : ids)
            expected.push_back(renderOne(*single, id));
        QVERIFY(renderOne(*single, ids[0]) == expected[0]);

        // Two threads at once, in opposite orders, so different notes overlap.
        std::vector<std::vector<float>> forward(ids.size()), backward(ids.size());
        auto a = StkNoteRenderer::create();
        auto b = StkNoteRenderer::create();
        QVERIFY(a.ok() && b.ok());
        std::thread first([&] {
            for (std::size_t i = 0; i < ids.size(); ++i)
                forward[i] = renderOne(*a, ids[i]);
        });
        std::thread second([&] {
            for (std::size_t i = ids.size(); i-- > 0;)
                backward[i] = renderOne(*b, ids[i]);
        });
        first.join();
        second.join();
        for (std::size_t i = 0; i < ids.size(); ++i) {
            QVERIFY2(!expected[i].empty(), ids[i].c_str());
            QVERIFY2(forward[i] == expected[i], ids[i].c_str());
            QVERIFY2(backward[i] == expected[i], ids[i].c_str());
        }
        // A different velocity is a different note, with its own noise.
        const StkVoice& clarinet = voiceNamed("clarinet-stiff-breathy");
        auto other = single->render(clarinet, (clarinet.mapping.pitchLow + clarinet.mapping.pitchHigh) / 2, 91);
        QVERIFY(other.ok() && other->samples != expected[0]);
    }

    void badArgumentsAreErrors()
    {
        auto renderer = StkNoteRenderer::create();
        QVERIFY(renderer.ok());
        StkVoice unknown = voiceNamed("clarinet");
        unknown.model = "Theremin";
        auto noModel = renderer->render(unknown, 60, 100);
        QVERIFY(!noModel.ok() && noModel.error().code == ts::ErrorCode::InvalidArgument);
        auto badPitch = renderer->render(voiceNamed("clarinet"), 128, 100);
        QVERIFY(!badPitch.ok() && badPitch.error().code == ts::ErrorCode::InvalidArgument);
        auto badVelocity = renderer->render(voiceNamed("clarinet"), 60, 0);
        QVERIFY(!badVelocity.ok());
    }

private:
    std::vector<std::vector<float>> m_midRange;  // one note per voice, in table order

    static const StkVoice& voiceNamed(const std::string& id)
    {
        for (const StkVoice& v : stkVoices())
            if (v.id == id)
                return v;
        qFatal("no STK voice %s", id.c_str());
    }
};

QTEST_GUILESS_MAIN(tst_StkNoteRenderer)
#include "tst_StkNoteRenderer.moc"
