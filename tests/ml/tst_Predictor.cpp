// Predictor on files as people have them, with the shipped timbre-net: a note after a lead-in of
// silence or room noise gets the answer it gets alone, a note at sample 0 gets exactly the view it
// was trained on, a phrase is split into its notes, and noise is "uncertain".
// ctest-label: slow
#include <QtTest>

#include <cmath>
#include <random>
#include <vector>

#include "audio/AudioFile.h"
#include "dataset/FeatureCache.h"
#include "ml/Predictor.h"
#include "synth/NoteRenderer.h"

using namespace ts;

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
constexpr int kRate = 16000;

std::string shippedModel()
{
    return qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR").toStdString() + "/models/timbre-net.tsm";
}

void addNoise(std::vector<float>& x, double rms, unsigned seed)
{
    std::mt19937 rng(seed);
    std::normal_distribution<float> g(0.0f, float(rms));
    for (float& v : x)
        v += g(rng);
}

float peakOf(const std::vector<float>& x)
{
    float peak = 0.0f;
    for (float v : x)
        peak = std::max(peak, std::fabs(v));
    return peak;
}

// A drum loop at 120 bpm, 4 s: kick (a 150 → 50 Hz sweep) on the beats, snare (noise and a 190 Hz
// body) on 2 and 4, closed hi-hat (noise through a first difference) on every eighth.
std::vector<float> drumLoop()
{
    std::vector<float> x(std::size_t(4 * kRate), 0.0f);
    std::mt19937 rng(5);
    std::normal_distribution<float> g(0.0f, 1.0f);
    for (int eighth = 0; eighth < 16; ++eighth) {
        const std::size_t at = std::size_t(eighth) * kRate / 4;
        float previous = 0.0f;
        for (std::size_t i = 0; i < 800 && at + i < x.size(); ++i) {  // hat: 50 ms
            const float n = g(rng);
            x[at + i] += 0.15f * (n - previous) * std::exp(-float(i) / 200.0f);
            previous = n;
        }
        if (eighth % 2 == 1)
            continue;
        const bool snare = eighth % 4 == 2;
        double phase = 0.0;
        for (std::size_t i = 0; i < 4800 && at + i < x.size(); ++i) {  // 300 ms
            const double t = double(i) / kRate;
            if (snare) {
                x[at + i] += float(std::exp(-t * 18.0) * (0.35 * g(rng) + 0.3 * std::sin(2.0 * M_PI * 190.0 * t)));
            } else {
                phase += 2.0 * M_PI * (50.0 + 100.0 * std::exp(-t * 30.0)) / kRate;
                x[at + i] += float(0.8 * std::exp(-t * 12.0) * std::sin(phase));
            }
        }
    }
    return x;
}

// Speech-like noise: bursts of 80-250 ms, band-limited by a one-pole low-pass, with pauses.
std::vector<float> noiseBursts()
{
    std::vector<float> x(std::size_t(4 * kRate), 0.0f);
    std::mt19937 rng(9);
    std::normal_distribution<float> g(0.0f, 1.0f);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::size_t at = 1600;
    float low = 0.0f;
    while (at < x.size()) {
        const auto length = std::size_t((0.08 + 0.17 * u(rng)) * kRate);
        for (std::size_t i = 0; i < length && at + i < x.size(); ++i) {
            low = 0.7f * low + 0.3f * g(rng);
            x[at + i] = float(0.5 * std::sin(M_PI * double(i) / double(length))) * low;
        }
        at += length + std::size_t((0.05 + 0.15 * u(rng)) * kRate);
    }
    return x;
}

} // namespace

class tst_Predictor : public QObject {
    Q_OBJECT

    std::optional<ml::Predictor> m_predictor;
    std::shared_ptr<const synth::LoadedSoundFont> m_font;

    std::vector<float> render(int program, int pitch, int velocity = 100)
    {
        auto renderer = synth::NoteRenderer::create(m_font);
        auto note = renderer ? renderer->render(0, program, pitch, velocity) : Result<synth::RenderedNote>(renderer.error());
        return note && !note->silent ? note->samples : std::vector<float>{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(QString::fromStdString(shippedModel())))
            QSKIP("models/timbre-net.tsm not found");
        auto predictor = ml::Predictor::load({shippedModel()});
        QVERIFY2(predictor, predictor ? "" : predictor.error().describe().c_str());
        m_predictor = std::move(predictor).value();
        if (!QFileInfo::exists(kFluid))
            QSKIP("FluidR3_GM.sf2 not installed");
        auto font = synth::LoadedSoundFont::load(kFluid);
        QVERIFY(font);
        m_font = font.value();
    }

    void noteAtTheStartGetsTheTrainedView()
    {
        // A training note (onset at sample 0): one segment, 0-4 s, scored exactly as the model
        // view of the first 64,000 samples.
        const auto note = render(24, 55);
        QVERIFY(!note.empty());
        auto prediction = m_predictor->predictSignal(note);
        QVERIFY(prediction);
        QCOMPARE(prediction->segments.size(), std::size_t(1));
        QCOMPARE(prediction->segments[0].start, 0.0);
        QCOMPARE(prediction->segments[0].end, 4.0);
        const ml::TrainedModel& model = m_predictor->models().front();
        const auto features = dataset::computeFeatures(model.architecture().features, audio::modelView(note));
        auto scores = model.score(features.data(), 1);
        QVERIFY(scores);
        QCOMPARE(prediction->family->scores, scores->family[0]);
        QCOMPARE(prediction->source->scores, scores->source[0]);
    }

    void lateOnsetGivesTheSameAnswer()
    {
        // A dozen notes of as many families and sources, each after 0.5, 1 and 2 s of silence, or
        // in room noise 45 dB below its peak that starts 0.5, 1 or 2 s before it: the same family
        // and source as the note alone (in the same noise from its onset on). The noise must be the
        // same in both: timbre-net hears a -45 dB floor under a decay (it says "vocal" for many
        // noisy notes), which is the model's robustness, not the onset's.
        const int notes[][2] = {{0, 60}, {4, 64}, {11, 72}, {19, 55}, {24, 52}, {33, 40},
                                {40, 67}, {56, 62}, {65, 60}, {73, 74}, {81, 57}, {52, 64}};
        int agree = 0, total = 0, agreeInSilence = 0, totalInSilence = 0;
        QStringList disagreements;
        for (const auto& [program, pitch] : notes) {
            const auto note = render(program, pitch);
            QVERIFY2(!note.empty(), qPrintable(QString::number(program)));
            for (double lead : {0.5, 1.0, 2.0})
                for (bool noisy : {false, true}) {
                    const auto leadFrames = std::size_t(lead * kRate);
                    std::vector<float> x(leadFrames, 0.0f);
                    x.insert(x.end(), note.begin(), note.end());
                    if (noisy)
                        addNoise(x, 0.0056 * peakOf(note), unsigned(program * 10 + int(lead * 2)));
                    auto alone = m_predictor->predictSignal(std::vector<float>(x.begin() + std::ptrdiff_t(leadFrames), x.end()));
                    QVERIFY(alone);
                    auto late = m_predictor->predictSignal(x);
                    QVERIFY(late);
                    const bool same = late->family->label == alone->family->label && late->source->label == alone->source->label;
                    agree += same ? 1 : 0;
                    ++total;
                    agreeInSilence += !noisy && same ? 1 : 0;
                    totalInSilence += noisy ? 0 : 1;
                    if (!same)
                        disagreements << QStringLiteral("program %1 lead %2%3: %4/%5 alone, %6/%7 late")
                                             .arg(program).arg(lead).arg(noisy ? " noise" : "")
                                             .arg(QString::fromStdString(alone->family->label), QString::fromStdString(alone->source->label),
                                                  QString::fromStdString(late->family->label), QString::fromStdString(late->source->label));
                }
        }
        qInfo("late-onset agreement: %d of %d (after silence: %d of %d); %s", agree, total, agreeInSilence, totalInSilence,
              qPrintable(disagreements.join(QStringLiteral("; "))));
        // The goal is 95 % overall, and the shipped timbre-net (final split: every instrument but
        // a validation part) reaches it: 69 of 72 when measured. Its three misses are one note,
        // FluidR3's grand piano at C4, which it places on the guitar/keyboard boundary, so the
        // 15 ms of lead-in the view keeps before an onset tips it after every lead (33 of 36 after
        // silence); in noise every note agrees.
        QVERIFY2(agree * 100 >= 95 * total, qPrintable(disagreements.join(QStringLiteral("; "))));
        QVERIFY2(agreeInSilence * 100 >= 90 * totalInSilence, qPrintable(disagreements.join(QStringLiteral("; "))));
    }

    void phraseOfThreeNotes()
    {
        // Guitar, flute and organ notes, 1.4 s each, starting at 0.5, 2.0 and 3.5 s.
        const int notes[][2] = {{24, 55}, {73, 74}, {19, 60}};
        const double starts[] = {0.5, 2.0, 3.5};
        std::vector<float> x(std::size_t(5.2 * kRate), 0.0f);
        std::vector<std::vector<float>> parts;
        for (int i = 0; i < 3; ++i) {
            auto note = render(notes[i][0], notes[i][1]);
            QVERIFY(!note.empty());
            note.resize(std::size_t(1.4 * kRate));
            for (std::size_t k = note.size() - 160; k < note.size(); ++k)
                note[k] *= float(note.size() - k) / 160.0f;
            std::copy(note.begin(), note.end(), x.begin() + std::ptrdiff_t(starts[i] * kRate));
        }
        auto prediction = m_predictor->predictSignal(x);
        QVERIFY(prediction);
        QCOMPARE(prediction->segments.size(), std::size_t(3));
        for (int i = 0; i < 3; ++i) {
            const auto& segment = prediction->segments[std::size_t(i)];
            QVERIFY2(std::fabs(segment.start + ml::kOnsetMarginSeconds - starts[i]) <= 0.03, qPrintable(QString::number(segment.start)));
            const double end = i < 2 ? prediction->segments[std::size_t(i) + 1].start : 5.2;
            QCOMPARE(segment.end, end);
            QVERIFY(segment.prediction.family && segment.prediction.source);
            QVERIFY(segment.prediction.segments.empty());
        }
        // Each segment is scored on its zero-padded view as a whole view would be (the predictor
        // skips the padding's frames).
        {
            const auto& segment = prediction->segments[1];
            std::vector<float> view(audio::kModelFrames, 0.0f);
            const auto first = std::size_t(std::lround(segment.start * kRate));
            const auto last = std::size_t(std::lround(segment.end * kRate));
            std::copy(x.begin() + std::ptrdiff_t(first), x.begin() + std::ptrdiff_t(last), view.begin());
            const ml::TrainedModel& model = m_predictor->models().front();
            const auto features = dataset::computeFeatures(model.architecture().features, view);
            auto scores = model.score(features.data(), 1);
            QVERIFY(scores);
            // Within float rounding: the predictor scores the three views in one batch.
            for (std::size_t k = 0; k < scores->family[0].size(); ++k)
                QVERIFY(std::fabs(segment.prediction.family->scores[k] - scores->family[0][k]) < 1e-5f);
            for (std::size_t k = 0; k < scores->source[0].size(); ++k)
                QVERIFY(std::fabs(segment.prediction.source->scores[k] - scores->source[0][k]) < 1e-5f);
        }
        // The file's answer is a weighted mean of the three: probabilities that sum to one, each
        // between the smallest and largest of the segments'.
        double sum = 0.0;
        for (std::size_t k = 0; k < prediction->family->scores.size(); ++k) {
            sum += prediction->family->scores[k];
            float lo = 1.0f, hi = 0.0f;
            for (const auto& s : prediction->segments) {
                lo = std::min(lo, s.prediction.family->scores[k]);
                hi = std::max(hi, s.prediction.family->scores[k]);
            }
            QVERIFY(prediction->family->scores[k] >= lo - 1e-6f && prediction->family->scores[k] <= hi + 1e-6f);
        }
        QVERIFY(std::fabs(sum - 1.0) < 1e-4);
    }

    void noiseIsUncertain_data()
    {
        QTest::addColumn<std::vector<float>>("signal");
        std::vector<float> white(std::size_t(4 * kRate), 0.0f);
        addNoise(white, 0.3, 1);
        QTest::newRow("white noise") << white;
        // Pink: white noise through three first-order low-passes (about -3 dB/octave over 100 Hz-5 kHz).
        std::vector<float> pink(white.size(), 0.0f);
        addNoise(pink, 1.0, 2);
        float a = 0.0f, b = 0.0f, c = 0.0f;
        for (float& v : pink) {
            a = 0.997f * a + 0.029f * v;
            b = 0.963f * b + 0.059f * v;
            c = 0.57f * c + 0.15f * v;
            v = 0.6f * (a + b + c + 0.05f * v);
        }
        QTest::newRow("pink noise") << pink;
        std::vector<float> clicks(white.size(), 0.0f);
        for (std::size_t i = 0; i < clicks.size(); i += 4000)
            clicks[i] = 0.8f;
        QTest::newRow("clicks") << clicks;
        QTest::newRow("drum loop") << drumLoop();
        QTest::newRow("noise bursts") << noiseBursts();
    }
    void noiseIsUncertain()
    {
        QFETCH(std::vector<float>, signal);
        auto prediction = m_predictor->predictSignal(signal);
        QVERIFY(prediction);
        qInfo("family %s %.2f, source %s %.2f, %zu segments, note-like %d", prediction->family->label.c_str(),
              double(prediction->family->confidence), prediction->source->label.c_str(),
              double(prediction->source->confidence), prediction->segments.size(), int(prediction->noteLike));
        QVERIFY(prediction->family->uncertain);
        QVERIFY(prediction->source->uncertain);
    }

    void noteIsUncertainOnlyBelowTheThresholds()
    {
        // Notes pass the noise check, so only the confidence decides.
        for (const auto& [program, pitch] : {std::pair{19, 60}, std::pair{0, 48}, std::pair{73, 74}, std::pair{33, 36}}) {
            auto prediction = m_predictor->predictSignal(render(program, pitch));
            QVERIFY(prediction);
            QVERIFY2(prediction->noteLike, qPrintable(QString::number(program)));
            QCOMPARE(prediction->family->uncertain, prediction->family->confidence < ml::kFamilyUncertainBelow);
            QCOMPARE(prediction->source->uncertain, prediction->source->confidence < ml::kSourceUncertainBelow);
        }
    }
};

QTEST_GUILESS_MAIN(tst_Predictor)
#include "tst_Predictor.moc"
