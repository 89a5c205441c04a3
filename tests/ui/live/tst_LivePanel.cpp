// The Live tab with its test source: a phrase (low, high, low tones between room noise) written as
// a WAV file and played into the panel in real time, with a timbre-net trained on tones. Each note
// is answered within 150 ms of when its first sound arrived (threads, event loop and model
// included; under the sanitizers, whose instrumented code runs several times slower, 600 ms), the
// answers, the first one included, name the tone's family, quiet is shown between notes, the notes list
// has the three notes, Record keeps the take as a WAV file holding what was heard, and a file that
// cannot be read is named in the status line without listening.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

#include "audio/AudioFile.h"
#include "common/ToyTimbreNet.h"
#include "ui/live/LivePanel.h"

using namespace ts;

class tst_LivePanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model, m_phrase;
    std::vector<float> m_samples;
    std::vector<double> m_onsets;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("toy.tsm"));
        const QString trained = toymodel::trainToyTimbreNet(m_model);
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
        std::mt19937 rng(7);
        std::normal_distribution<float> noise(0.0f, 0.0005f);
        auto room = [&](double seconds) {
            for (std::size_t i = 0; i < std::size_t(seconds * 16000); ++i)
                m_samples.push_back(noise(rng));
        };
        room(0.5);
        for (double hz : {110.0, 1600.0, 130.0}) {
            m_onsets.push_back(double(m_samples.size()) / 16000.0);
            auto tone = toymodel::toneAt16k(hz, 1.2);
            for (std::size_t i = 0; i < 80; ++i)
                tone[i] *= float(i) / 80.0f, tone[tone.size() - 1 - i] *= float(i) / 80.0f;
            m_samples.insert(m_samples.end(), tone.begin(), tone.end());
            room(0.8);
        }
        m_phrase = m_dir.filePath(QStringLiteral("phrase.wav"));
        QVERIFY(audio::writeWav16(m_phrase.toStdString(), m_samples, 16000).ok());
    }

    void aPhraseIsAnsweredAsItPlays()
    {
        ui::LivePanel panel;
        QSignalSpy ready(&panel, &ui::LivePanel::modelReady);
        panel.setModelPath(m_model);
        QVERIFY(ready.wait(60000));
        QCOMPARE(ready.takeFirst().at(0).toBool(), true);

        QSignalSpy answered(&panel, &ui::LivePanel::answered);
        QSignalSpy quiet(&panel, &ui::LivePanel::quiet);
        QSignalSpy listening(&panel, &ui::LivePanel::listeningChanged);
        QSignalSpy saved(&panel, &ui::LivePanel::recordingSaved);
        panel.setRecordingsFolder(m_dir.filePath(QStringLiteral("takes")));
        panel.listenToFile(m_phrase);
        QVERIFY(panel.isListening());
        panel.setRecording(true);
        QCOMPARE(listening.count(), 1);  // listening, at once
        QVERIFY(listening.wait(20000));  // the file played to its end
        QCOMPARE(listening.last().at(0).toBool(), false);
        QVERIFY(!panel.isListening());
        QTRY_VERIFY_WITH_TIMEOUT(quiet.count() >= 3, 5000);  // answers still on their way are shown

        const double budgetMs = qEnvironmentVariableIsSet("TIMBRESCOPE_SANITIZED") ? 600.0 : 150.0;
        const char* families[] = {"bass", "flute", "bass"};
        int firsts = 0;
        for (const auto& args : answered) {
            const double onset = args.at(0).toDouble();
            const QString family = args.at(1).toString();
            const bool first = args.at(3).toBool();
            const double latency = args.at(4).toDouble();
            std::size_t note = 0;
            while (note + 1 < m_onsets.size() && m_onsets[note + 1] - 0.05 < onset)
                ++note;
            QVERIFY2(std::abs(onset - m_onsets[note]) < 0.02, qPrintable(QString::number(onset)));
            QVERIFY2(family.startsWith(QLatin1String(families[note])), qPrintable(family));
            if (first) {
                ++firsts;
                qInfo("note %zu answered %.0f ms after it began", note + 1, latency);
                QVERIFY2(latency > 0.0 && latency <= budgetMs, qPrintable(QStringLiteral("%1 ms").arg(latency)));
            }
        }
        QCOMPARE(firsts, 3);
        QCOMPARE(panel.notesHeard(), 3);
        QCOMPARE(panel.familyText(), QStringLiteral("Listening…"));
        // The last answer of each note (before its quiet) names its family.
        for (std::size_t note = 0; note < m_onsets.size(); ++note) {
            QString last;
            for (const auto& args : answered)
                if (std::abs(args.at(0).toDouble() - m_onsets[note]) < 0.02)
                    last = args.at(1).toString();
            QVERIFY2(last.startsWith(QLatin1String(families[note])), qPrintable(last));
        }

        // Stopping (the file's end) saved the take: what was heard, as 16-bit samples.
        QCOMPARE(saved.count(), 1);
        const auto take = audio::loadAudio(saved.first().at(0).toString().toStdString());
        QVERIFY(take);
        QCOMPARE(take->samples.size(), m_samples.size());
        for (std::size_t i = 0; i < m_samples.size(); i += 997)
            QVERIFY(std::abs(take->samples[i] - m_samples[i]) < 1e-4f);
    }

    void anUnreadableFileIsNamed()
    {
        ui::LivePanel panel;
        const QString missing = m_dir.filePath(QStringLiteral("missing.wav"));
        panel.listenToFile(missing);
        QVERIFY(!panel.isListening());
        QVERIFY2(panel.statusText().contains(missing), qPrintable(panel.statusText()));
    }
};

QTEST_MAIN(tst_LivePanel)
#include "tst_LivePanel.moc"
