// "Why?" in the sound view, with a timbre-net trained on tones (low tones are "bass", high ones
// "flute"): the explanation of a low tone is an overlay of the log-mel's 251 frames × 64 mel bands,
// its bands contiguous in Hz from low to high, strongest in a band below 400 Hz, with a caption
// naming the class and its probability; asking why "flute" says what the model chose instead; a
// missing model is named without an overlay. The sound view asks for an explanation when "Why?" is
// turned on, shows only the one for the sound on screen, and clears it when turned off.
#include <QComboBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include "common/ToyTimbreNet.h"
#include "ui/prediction/SaliencyExplainer.h"
#include "ui/sound/SoundViewPanel.h"
#include "ui/sound/SpectrogramCanvas.h"
#include "ui/sound/SpectrogramView.h"

using namespace ts;

namespace {

std::shared_ptr<audio::DecodedAudio> tone(double hz)
{
    auto audio = std::make_shared<audio::DecodedAudio>();
    audio->samples = toymodel::toneAt16k(hz, 4.0);
    audio->source.sampleRate = audio::kModelSampleRate;
    audio->source.channels = 1;
    audio->source.frames = std::int64_t(audio->samples.size());
    audio->decodedFrames = audio->source.frames;
    return audio;
}

} // namespace

class tst_SaliencyExplainer : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_model;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("toy.tsm")).toStdString();
        const QString trained = toymodel::trainToyTimbreNet(QString::fromStdString(m_model));
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
    }

    void aLowToneIsExplainedByItsLowBands()
    {
        const auto low = tone(110.0);
        const ui::Explanation why = ui::explainSound(m_model, *low, 0, -1);
        QVERIFY2(why.overlay, qPrintable(why.caption));
        QVERIFY2(why.caption.startsWith(QStringLiteral("Why bass (")), qPrintable(why.caption));
        const ui::SpectrogramOverlay& o = *why.overlay;
        QCOMPARE(o.frames, 251);
        QCOMPARE(o.bands, 64);
        QCOMPARE(o.values.size(), std::size_t(251 * 64));
        QCOMPARE(o.secondsPerFrame, 256.0 / 16000.0);
        QCOMPARE(o.bandLowHz.size(), std::size_t(64));
        for (int b = 0; b < 64; ++b) {
            QVERIFY(o.bandLowHz[std::size_t(b)] < o.bandHighHz[std::size_t(b)]);
            if (b > 0)
                QVERIFY(std::fabs(o.bandLowHz[std::size_t(b)] - o.bandHighHz[std::size_t(b - 1)]) < 1e-6);
        }
        QVERIFY(o.bandLowHz.front() > 20.0 && o.bandLowHz.front() < 60.0);  // the first band peaks near 66 Hz
        QVERIFY(o.bandHighHz.back() > 7000.0 && o.bandHighHz.back() < 9000.0);  // and ends at 8 kHz
        std::vector<double> perBand(64, 0.0);
        for (int f = 0; f < o.frames; ++f)
            for (int b = 0; b < o.bands; ++b)
                perBand[std::size_t(b)] += o.values[std::size_t(f * o.bands + b)];
        const auto strongest = std::size_t(std::max_element(perBand.begin(), perBand.end()) - perBand.begin());
        QVERIFY2(o.bandHighHz[strongest] < 400.0, qPrintable(QString::number(o.bandLowHz[strongest])));

        const ui::Explanation whyFlute = ui::explainSound(m_model, *low, 0, 2);
        QVERIFY(whyFlute.overlay);
        QVERIFY2(whyFlute.caption.startsWith(QStringLiteral("Why flute (")) && whyFlute.caption.endsWith(QStringLiteral("(the model chose bass)")),
                 qPrintable(whyFlute.caption));

        const std::string missing = m_dir.filePath(QStringLiteral("missing.tsm")).toStdString();
        const ui::Explanation none = ui::explainSound(missing, *low, 0, -1);
        QVERIFY(!none.overlay);
        QVERIFY2(none.caption.startsWith(QStringLiteral("No explanation: ")) && none.caption.contains(QStringLiteral("missing.tsm")),
                 qPrintable(none.caption));
    }

    void theSoundViewShowsTheExplanationOfWhatItShows()
    {
        ui::SoundViewPanel panel;
        const auto low = tone(110.0);
        panel.showSound(QStringLiteral("low"), QString(), low);
        QSignalSpy asked(&panel, &ui::SoundViewPanel::explainRequested);
        panel.setExplainedClass(0, 2);  // why flute
        QCOMPARE(asked.size(), 0);      // not while "Why?" is off
        panel.setExplaining(true);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.first().at(0).value<std::shared_ptr<const audio::DecodedAudio>>().get(), low.get());
        QCOMPARE(asked.first().at(1).toInt(), 0);
        QCOMPARE(asked.first().at(2).toInt(), 2);
        QCOMPARE(panel.explanationCaption(), QStringLiteral("Working out why…"));

        const ui::Explanation why = ui::explainSound(m_model, *low, 0, 2);
        const auto other = tone(1600.0);
        panel.showExplanation(other.get(), why.overlay, why.caption);  // for another sound: ignored
        QVERIFY(!panel.spectrogram()->canvas()->overlay());
        panel.showExplanation(low.get(), why.overlay, why.caption);
        QCOMPARE(panel.spectrogram()->canvas()->overlay(), why.overlay);
        QCOMPARE(panel.explanationCaption(), why.caption);

        panel.showSound(QStringLiteral("high"), QString(), other);  // a new sound asks again
        QCOMPARE(asked.size(), 2);
        QVERIFY(!panel.spectrogram()->canvas()->overlay());
        panel.setExplaining(false);
        QVERIFY(!panel.spectrogram()->canvas()->overlay());
        QVERIFY(panel.explanationCaption().isEmpty());
    }
};

QTEST_MAIN(tst_SaliencyExplainer)
#include "tst_SaliencyExplainer.moc"
