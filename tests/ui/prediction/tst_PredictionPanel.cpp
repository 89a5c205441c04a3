// PredictionPanel: dropped or added files (good, bad, missing, folders walked recursively) become
// the right rows, bad ones with an error naming the reason; with no model the panel says so and
// still decodes; selecting a row hands its decoded sound to the views.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>
#include <QUrl>

#include <cmath>
#include <limits>

#include "audio/AudioFile.h"
#include "dataset/FeatureCache.h"
#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "ml/Trainer.h"
#include "ml/TrainingSet.h"
#include "ui/prediction/MlSoundClassifier.h"
#include "ui/common/ConfidenceDelegate.h"
#include "ui/common/ModelFiles.h"
#include "ui/prediction/ModelBar.h"
#include "ui/prediction/PredictionPanel.h"
#include "ui/prediction/ScoreChart.h"
#include "common/ToyTimbreNet.h"

using namespace ts::ui;

namespace {

std::vector<float> tone(double hz, double seconds, int rate)
{
    std::vector<float> s(std::size_t(seconds * rate));
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = float(0.5 * std::sin(2.0 * M_PI * hz * double(i) / rate));
    return s;
}

void writeText(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

// A deterministic classifier standing in for a network, so the panel's handling of answers is
// checked exactly: family "bass" for sounds whose zero-crossing pitch is under 300 Hz, else
// "flute"; source always "acoustic". Its "model files" are text files reading "pitch-v1".
class PitchClassifier : public ts::ui::SoundClassifier {
public:
    explicit PitchClassifier(std::string path) : m_path(std::move(path)) {}
    LoadedModel model() const override
    {
        return LoadedModel{QString::fromStdString(m_path), QStringLiteral("pitch-test · family + source"), true, true};
    }
    ts::Result<ClassifierOutput> classify(const ts::audio::DecodedAudio& audio) override
    {
        if (audio.samples.size() < 1600)
            return ts::makeError(ts::ErrorCode::Unsupported, "shorter than 0.1 s, too short to classify");
        std::size_t crossings = 0;
        for (std::size_t i = 1; i < audio.samples.size(); ++i)
            crossings += (audio.samples[i - 1] < 0.0f) != (audio.samples[i] < 0.0f) ? 1 : 0;
        const double hz = crossings / 2.0 / (double(audio.samples.size()) / 16000.0);
        ClassifierOutput out;
        out.family = ClassScores{{QStringLiteral("bass"), QStringLiteral("flute"), QStringLiteral("guitar")},
                                 hz < 300.0    ? QVector<double>{0.8, 0.15, 0.05}
                                 : hz < 1500.0 ? QVector<double>{0.2, 0.7, 0.1}
                                               : QVector<double>{0.3, 0.45, 0.25}};
        out.family->uncertain = out.family->bestScore() < 0.5;  // 1.5 kHz and up: a guess
        out.source = ClassScores{{QStringLiteral("acoustic"), QStringLiteral("electronic"), QStringLiteral("synthetic")},
                                 {0.9, 0.06, 0.04}};
        // Two "notes": the halves of the sound, both with the file's answer.
        const double seconds = double(audio.samples.size()) / 16000.0;
        out.segments = {PredictedSegment{0.0, seconds / 2, out.family, out.source, std::nullopt},
                        PredictedSegment{seconds / 2, seconds, out.family, out.source, std::nullopt}};
        return out;
    }

private:
    std::string m_path;
};

ts::Result<std::unique_ptr<ts::ui::SoundClassifier>> loadPitchClassifier(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return ts::makeError(ts::ErrorCode::NotFound, "no such file", path);
    if (file.readAll() != "pitch-v1")
        return ts::makeError(ts::ErrorCode::BadFormat, "not a pitch-test model", path);
    return std::unique_ptr<ts::ui::SoundClassifier>(std::make_unique<PitchClassifier>(path));
}

// Waits until the panel has answered every file it was given.
bool waitIdle(PredictionPanel& panel, int timeoutMs = 10000)
{
    if (!panel.isWorking())
        return true;
    QSignalSpy idle(&panel, &PredictionPanel::idle);
    return idle.wait(timeoutMs);
}

} // namespace

class tst_PredictionPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void withoutAModelThePanelSaysSo();
    void goodAndBadFilesGiveTheRightRows();
    void foldersAreWalkedRecursively();
    void droppedUrlsBecomeRows();
    void selectingARowHandsOverItsSound();
    void aFileThatIsNotAModelIsRefused();
    void clearingWhileWorkingDropsLateResults();
    void aModelClassifiesEveryRow();
    void expandingARowShowsTheScoreCharts();
    void firstResultOfADroppedNoteIsQuick();
    void aTrainedModelFileClassifiesDroppedFiles();
    void aGuessReadsUncertainAndSegmentsReachTheViews();

private:
    QTemporaryDir m_dir;
    QString m_good;     // 4 s, 16 kHz
    QString m_good44;   // 1 s, 44.1 kHz: resampled on decoding
    QString m_text;
    QString m_empty;
    QString m_missing;
    QString m_folder;
};

void tst_PredictionPanel::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_good = m_dir.filePath(QStringLiteral("a440.wav"));
    QVERIFY(ts::audio::writeWav16(m_good.toStdString(), tone(440.0, 4.0, 16000), 16000).ok());
    m_good44 = m_dir.filePath(QStringLiteral("e330_44k.wav"));
    QVERIFY(ts::audio::writeWav16(m_good44.toStdString(), tone(330.0, 1.0, 44100), 44100).ok());
    m_text = m_dir.filePath(QStringLiteral("notes.wav"));  // a sound file's name, text inside
    writeText(m_text, "these are not samples\n");
    m_empty = m_dir.filePath(QStringLiteral("empty.wav"));
    writeText(m_empty, QByteArray());
    m_missing = m_dir.filePath(QStringLiteral("missing.wav"));

    // folder/ b.wav, sub/c.flac-named WAV, sub/deeper/d.wav, examples.json (skipped), readme.txt (skipped)
    m_folder = m_dir.filePath(QStringLiteral("folder"));
    QVERIFY(QDir().mkpath(m_folder + QStringLiteral("/sub/deeper")));
    QVERIFY(ts::audio::writeWav16((m_folder + QStringLiteral("/b.wav")).toStdString(), tone(220.0, 0.5, 16000), 16000).ok());
    QVERIFY(ts::audio::writeWav16((m_folder + QStringLiteral("/sub/deeper/d.wav")).toStdString(), tone(110.0, 0.5, 16000), 16000).ok());
    QVERIFY(ts::audio::writeWav16((m_folder + QStringLiteral("/sub/c.WAV")).toStdString(), tone(880.0, 0.5, 16000), 16000).ok());
    writeText(m_folder + QStringLiteral("/examples.json"), "{}");
    writeText(m_folder + QStringLiteral("/sub/readme.txt"), "hello");
}

void tst_PredictionPanel::withoutAModelThePanelSaysSo()
{
    PredictionPanel panel(&loadPitchClassifier);
    panel.show();
    QVERIFY(!panel.hasModel());
    QVERIFY(panel.modelBar()->isBannerVisible());
    QVERIFY(panel.modelBar()->text().contains(QStringLiteral("none")));
    QSignalSpy training(&panel, &PredictionPanel::trainingRequested);
    Q_EMIT panel.modelBar()->trainingRequested();  // the banner's "Train a model…" button
    QCOMPARE(training.count(), 1);

    // With a shipped model the banner offers it, and taking the offer loads it.
    const QString shipped = m_dir.filePath(QStringLiteral("shipped.testmodel"));
    writeText(shipped, "pitch-v1");
    panel.setShippedModelPath(shipped);
    QToolButton* useShipped = nullptr;
    for (QToolButton* button : panel.modelBar()->findChildren<QToolButton*>())
        if (button->text() == QStringLiteral("Use the shipped model"))
            useShipped = button;
    QVERIFY(useShipped && useShipped->isVisible());
    QSignalSpy changed(&panel, &PredictionPanel::modelChanged);
    useShipped->click();
    QVERIFY(changed.wait(10000));
    QCOMPARE(panel.model()->path, shipped);
    QVERIFY(!panel.modelBar()->isBannerVisible());
}

void tst_PredictionPanel::goodAndBadFilesGiveTheRightRows()
{
    PredictionPanel panel(&loadPitchClassifier);
    panel.addFiles({m_good, m_text, m_missing, m_good44, m_empty});
    QCOMPARE(panel.rowCount(), 5);
    QVERIFY(waitIdle(panel));

    const QStringList names = {QStringLiteral("a440.wav"), QStringLiteral("notes.wav"), QStringLiteral("missing.wav"),
                               QStringLiteral("e330_44k.wav"), QStringLiteral("empty.wav")};
    for (int row = 0; row < 5; ++row)
        QCOMPARE(panel.rowText(row, PredictionPanel::FileColumn), names[row]);

    QVERIFY(!panel.rowHasError(0));
    QVERIFY(!panel.rowHasError(3));
    QVERIFY(panel.rowText(0, PredictionPanel::DetailsColumn).startsWith(QStringLiteral("No model loaded")));
    QVERIFY(panel.rowText(0, PredictionPanel::DetailsColumn).contains(QStringLiteral("4.0 s")));
    QVERIFY(panel.rowText(3, PredictionPanel::DetailsColumn).contains(QStringLiteral("44.1 kHz")));
    QCOMPARE(panel.rowText(0, PredictionPanel::FamilyColumn), QStringLiteral("—"));
    QCOMPARE(panel.rowResult(3)->audio->samples.size(), std::size_t(16000));  // 1 s at 44.1 kHz → 16 kHz

    QVERIFY(panel.rowHasError(1));
    QVERIFY2(panel.rowText(1, PredictionPanel::DetailsColumn).startsWith(QStringLiteral("not a sound file")),
             qPrintable(panel.rowText(1, PredictionPanel::DetailsColumn)));
    QVERIFY(panel.rowHasError(2));
    QCOMPARE(panel.rowText(2, PredictionPanel::DetailsColumn), QStringLiteral("no such file"));
    QVERIFY(panel.rowHasError(4));
    QVERIFY(panel.rowText(4, PredictionPanel::DetailsColumn).contains(QStringLiteral("0 bytes")));
    // The tooltip names the file as well as the reason.
    QCOMPARE(panel.tree()->topLevelItem(2)->toolTip(PredictionPanel::DetailsColumn), m_missing + QStringLiteral(": no such file"));
}

void tst_PredictionPanel::foldersAreWalkedRecursively()
{
    PredictionPanel panel(&loadPitchClassifier);
    panel.addFiles({m_folder});
    QCOMPARE(panel.rowCount(), 3);  // not examples.json nor readme.txt
    QCOMPARE(panel.rowPath(0), m_folder + QStringLiteral("/b.wav"));
    QCOMPARE(panel.rowPath(1), m_folder + QStringLiteral("/sub/c.WAV"));
    QCOMPARE(panel.rowPath(2), m_folder + QStringLiteral("/sub/deeper/d.wav"));
    QVERIFY(waitIdle(panel));
    for (int row = 0; row < 3; ++row)
        QVERIFY(!panel.rowHasError(row));
}

void tst_PredictionPanel::droppedUrlsBecomeRows()
{
    PredictionPanel panel(&loadPitchClassifier);
    panel.resize(800, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(m_good), QUrl::fromLocalFile(m_text), QUrl::fromLocalFile(m_folder),
                  QUrl(QStringLiteral("https://example.invalid/remote.wav"))});
    const QPoint centre = panel.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&panel, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&panel, &drop);
    QVERIFY(drop.isAccepted());
    QCOMPARE(panel.rowCount(), 5);  // 2 files + 3 from the folder; the remote URL is not a local file
    QVERIFY(waitIdle(panel));
    QVERIFY(!panel.rowHasError(0));
    QVERIFY(panel.rowHasError(1));

    QMimeData text;
    text.setText(QStringLiteral("just text"));
    QDragEnterEvent refused(centre, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&panel, &refused);
    QVERIFY(!refused.isAccepted());
}

void tst_PredictionPanel::selectingARowHandsOverItsSound()
{
    PredictionPanel panel(&loadPitchClassifier);
    QSignalSpy selected(&panel, &PredictionPanel::fileSelected);
    QSignalSpy play(&panel, &PredictionPanel::playRequested);
    panel.addFiles({m_text, m_good});
    QVERIFY(waitIdle(panel));
    panel.tree()->setCurrentItem(panel.tree()->topLevelItem(1));
    QVERIFY(!selected.isEmpty());
    const auto args = selected.last();
    QCOMPARE(args.at(0).toString(), m_good);
    const auto audio = args.at(1).value<std::shared_ptr<const ts::audio::DecodedAudio>>();
    QVERIFY(audio);
    QCOMPARE(audio->samples.size(), std::size_t(64000));
    QCOMPARE(audio->source.sampleRate, 16000);

    Q_EMIT panel.tree()->itemActivated(panel.tree()->topLevelItem(1), 0);  // double-click or Enter
    QCOMPARE(play.count(), 1);
    QCOMPARE(play.last().at(0).toString(), m_good);
    Q_EMIT panel.tree()->itemActivated(panel.tree()->topLevelItem(0), 0);  // an unreadable file does not play
    QCOMPARE(play.count(), 1);
}

void tst_PredictionPanel::aFileThatIsNotAModelIsRefused()
{
    PredictionPanel panel(&loadPitchClassifier);
    panel.show();
    QSignalSpy failed(&panel, &PredictionPanel::modelFailed);
    panel.setModel(m_text);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.last().at(0).toString(), m_text);
    QVERIFY(!failed.last().at(1).toString().isEmpty());
    QVERIFY(!panel.hasModel());
    QVERIFY(panel.modelBar()->isBannerVisible());

    panel.setModel(m_missing);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.last().at(0).toString(), m_missing);
    QVERIFY(!panel.hasModel());
}

void tst_PredictionPanel::clearingWhileWorkingDropsLateResults()
{
    PredictionPanel panel(&loadPitchClassifier);
    QStringList many;
    for (int i = 0; i < 40; ++i)
        many << m_good;
    panel.addFiles(many);
    panel.clear();
    QCOMPARE(panel.rowCount(), 0);
    QVERIFY(!panel.isWorking());
    panel.addFiles({m_good});
    QVERIFY(waitIdle(panel));
    QCOMPARE(panel.rowCount(), 1);
    QVERIFY(panel.rowResult(0));
    QTest::qWait(200);  // any late answers for the cleared rows arrive and are ignored
    QCOMPARE(panel.rowCount(), 1);
}

void tst_PredictionPanel::aModelClassifiesEveryRow()
{
    const QString modelPath = m_dir.filePath(QStringLiteral("pitch.testmodel"));
    writeText(modelPath, "pitch-v1");
    const QString tooShort = m_dir.filePath(QStringLiteral("click.wav"));
    QVERIFY(ts::audio::writeWav16(tooShort.toStdString(), tone(1000.0, 0.05, 16000), 16000).ok());

    PredictionPanel panel(&loadPitchClassifier);
    panel.show();
    // Rows added before any model are decoded, then classified when the model arrives.
    panel.addFiles({m_good, m_folder + QStringLiteral("/sub/deeper/d.wav"), m_text});
    QVERIFY(waitIdle(panel));
    QCOMPARE(panel.rowText(0, PredictionPanel::FamilyColumn), QStringLiteral("—"));

    QSignalSpy changed(&panel, &PredictionPanel::modelChanged);
    panel.setModel(modelPath);
    QVERIFY(changed.wait(10000));
    QVERIFY(panel.hasModel());
    QVERIFY(!panel.modelBar()->isBannerVisible());
    QVERIFY(panel.modelBar()->text().contains(QStringLiteral("pitch-test")));
    QVERIFY(waitIdle(panel));

    QCOMPARE(panel.rowText(0, PredictionPanel::FamilyColumn), QStringLiteral("flute  ·  70 %"));    // 440 Hz
    QCOMPARE(panel.rowText(1, PredictionPanel::FamilyColumn), QStringLiteral("bass  ·  80 %"));     // 110 Hz
    QCOMPARE(panel.rowText(0, PredictionPanel::SourceColumn), QStringLiteral("acoustic  ·  90 %"));
    QVERIFY(panel.rowHasError(2));  // still unreadable, not re-tried
    QCOMPARE(panel.rowResult(0)->family->scores, (QVector<double>{0.2, 0.7, 0.1}));

    // New files are classified at once; the classifier's own refusal becomes the row's error.
    panel.addFiles({tooShort, m_good44});
    QVERIFY(waitIdle(panel));
    QVERIFY(panel.rowHasError(3));
    QCOMPARE(panel.rowText(3, PredictionPanel::DetailsColumn), QStringLiteral("shorter than 0.1 s, too short to classify"));
    QCOMPARE(panel.rowText(4, PredictionPanel::FamilyColumn), QStringLiteral("flute  ·  70 %"));    // 330 Hz

    // A bad model file leaves the working model in place.
    QSignalSpy failed(&panel, &PredictionPanel::modelFailed);
    panel.setModel(m_text);
    QVERIFY(failed.wait(10000));
    QCOMPARE(failed.last().at(1).toString(), QStringLiteral("not a pitch-test model"));
    QVERIFY(panel.hasModel());
    QCOMPARE(panel.model()->path, modelPath);
}

void tst_PredictionPanel::expandingARowShowsTheScoreCharts()
{
    const QString modelPath = m_dir.filePath(QStringLiteral("pitch2.testmodel"));
    writeText(modelPath, "pitch-v1");
    PredictionPanel panel(&loadPitchClassifier);
    panel.resize(900, 600);
    panel.show();
    QSignalSpy changed(&panel, &PredictionPanel::modelChanged);
    panel.setModel(modelPath);
    QVERIFY(changed.wait(10000));
    panel.addFiles({m_good});
    QVERIFY(waitIdle(panel));
    QTreeWidgetItem* row = panel.tree()->topLevelItem(0);
    QCOMPARE(row->childCount(), 1);
    QVERIFY(!panel.tree()->itemWidget(row->child(0), 0));  // made only when first expanded
    row->setExpanded(true);
    QWidget* charts = panel.tree()->itemWidget(row->child(0), 0);
    QVERIFY(charts);
    QCOMPARE(charts->findChildren<ScoreChart*>().size(), 2);  // family and source
}

void tst_PredictionPanel::firstResultOfADroppedNoteIsQuick()
{
    // The promise: the first result of a dropped 4 s WAV within 100 ms with a warm model. Here the
    // model's own time is nil, so this bounds what the panel adds: decoding, the worker thread
    // hop and the row update. Best of three, as the machine may be busy.
    const QString modelPath = m_dir.filePath(QStringLiteral("pitch3.testmodel"));
    writeText(modelPath, "pitch-v1");
    PredictionPanel panel(&loadPitchClassifier);
    QSignalSpy changed(&panel, &PredictionPanel::modelChanged);
    panel.setModel(modelPath);
    QVERIFY(changed.wait(10000));
    qint64 best = std::numeric_limits<qint64>::max();
    for (int attempt = 0; attempt < 3; ++attempt) {
        panel.clear();
        QSignalSpy idle(&panel, &PredictionPanel::idle);
        QElapsedTimer timer;
        timer.start();
        panel.addFiles({m_good});
        QVERIFY(idle.wait(5000));
        best = std::min(best, timer.nsecsElapsed() / 1000);
    }
    qInfo("first result of a dropped 4 s WAV: %.2f ms", best / 1000.0);
    QCOMPARE(panel.rowText(0, PredictionPanel::FamilyColumn), QStringLiteral("flute  ·  70 %"));
    QVERIFY2(best <= 100'000, qPrintable(QStringLiteral("%1 µs").arg(best)));
}

// A timbre-net model file trained here on a tiny toy set: low tones are "bass" played on an
// "acoustic" source, high tones "flute" on a "synthetic" one.
static QString trainToyModel(const QString& path)
{
    return toymodel::trainToyTimbreNet(path);
}

void tst_PredictionPanel::aTrainedModelFileClassifiesDroppedFiles()
{
    const QString modelPath = m_dir.filePath(QStringLiteral("toy.tsm"));
    const QString trained = trainToyModel(modelPath);
    QVERIFY2(trained.isEmpty(), qPrintable(trained));
    const QString low = m_dir.filePath(QStringLiteral("low.wav"));
    const QString high = m_dir.filePath(QStringLiteral("high.flac.wav"));
    QVERIFY(ts::audio::writeWav16(low.toStdString(), tone(105.0, 4.0, 16000), 16000).ok());
    QVERIFY(ts::audio::writeWav16(high.toStdString(), tone(1600.0, 4.0, 44100), 44100).ok());

    PredictionPanel panel(&loadMlSoundClassifier);
    panel.setModelFileFilter(modelFileFilter());
    QSignalSpy changed(&panel, &PredictionPanel::modelChanged);
    panel.setModel(modelPath);
    QVERIFY(changed.wait(20000));
    QCOMPARE(panel.model()->description, QStringLiteral("timbre-net · family + source"));
    QVERIFY(panel.model()->predictsFamily && panel.model()->predictsSource);

    QSignalSpy idle(&panel, &PredictionPanel::idle);
    QElapsedTimer timer;
    timer.start();
    panel.addFiles({low, m_text, high});
    QVERIFY(idle.wait(20000));
    qInfo("three files (one unreadable) classified by timbre-net in %lld ms", timer.elapsed());
    QVERIFY(panel.rowHasError(1));
    for (int row : {0, 2}) {
        const PredictionResult* result = panel.rowResult(row);
        QVERIFY(result && result->ok() && result->predicted);
        QCOMPARE(result->family->labels.size(), 11);
        QCOMPARE(result->source->labels.size(), 3);
        double sum = 0.0;
        for (double p : result->family->scores)
            sum += p;
        QVERIFY(std::fabs(sum - 1.0) < 1e-4);
    }
    QCOMPARE(panel.rowResult(0)->family->bestLabel(), QStringLiteral("bass"));
    QCOMPARE(panel.rowResult(2)->family->bestLabel(), QStringLiteral("flute"));
    QCOMPARE(panel.rowResult(0)->source->bestLabel(), QStringLiteral("acoustic"));
    QCOMPARE(panel.rowResult(2)->source->bestLabel(), QStringLiteral("synthetic"));
    QVERIFY(panel.rowText(0, PredictionPanel::FamilyColumn).startsWith(QStringLiteral("bass  ·  ")));

    // The figure: the first result of a dropped 4 s WAV with a warm model, ≤ 100 ms.
    qint64 best = std::numeric_limits<qint64>::max();
    for (int attempt = 0; attempt < 3; ++attempt) {
        panel.clear();
        QSignalSpy done(&panel, &PredictionPanel::idle);
        QElapsedTimer drop;
        drop.start();
        panel.addFiles({low});
        QVERIFY(done.wait(10000));
        best = std::min(best, drop.nsecsElapsed() / 1000);
    }
    qInfo("first result of a dropped 4 s WAV with a warm timbre-net: %.1f ms", best / 1000.0);
    QVERIFY2(best <= 100'000, qPrintable(QStringLiteral("%1 µs").arg(best)));
}

void tst_PredictionPanel::aGuessReadsUncertainAndSegmentsReachTheViews()
{
    const QString high = m_dir.filePath(QStringLiteral("a2000.wav"));
    QVERIFY(ts::audio::writeWav16(high.toStdString(), tone(2000.0, 2.0, 16000), 16000).ok());
    const QString model = m_dir.filePath(QStringLiteral("pitch-uncertain.model"));
    writeText(model, "pitch-v1");
    PredictionPanel panel(&loadPitchClassifier);
    panel.setModel(model);
    QSignalSpy segments(&panel, &PredictionPanel::segmentsSelected);
    panel.addFiles({m_good, high});
    QVERIFY(waitIdle(panel));

    // A confident answer: the label in bold; a guess: "uncertain", the best guess after it.
    QCOMPARE(panel.rowText(0, PredictionPanel::FamilyColumn), QStringLiteral("flute  ·  70 %"));
    QVERIFY(panel.tree()->topLevelItem(0)->font(PredictionPanel::FamilyColumn).bold());
    QVERIFY(!panel.tree()->topLevelItem(0)->data(PredictionPanel::FamilyColumn, ConfidenceDelegate::kUncertainRole).toBool());
    QCOMPARE(panel.rowText(1, PredictionPanel::FamilyColumn), QStringLiteral("uncertain (best: flute 45 %)"));
    QVERIFY(!panel.tree()->topLevelItem(1)->font(PredictionPanel::FamilyColumn).bold());
    QVERIFY(panel.tree()->topLevelItem(1)->data(PredictionPanel::FamilyColumn, ConfidenceDelegate::kUncertainRole).toBool());
    QCOMPARE(panel.rowText(1, PredictionPanel::SourceColumn), QStringLiteral("acoustic  ·  90 %"));
    QVERIFY(panel.rowText(1, PredictionPanel::DetailsColumn).contains(QStringLiteral("2 notes")));
    QCOMPARE(panel.rowResult(1)->segments.size(), 2);

    // Selecting the row hands its notes to the views, after its sound.
    panel.tree()->setCurrentItem(panel.tree()->topLevelItem(1));
    QVERIFY(!segments.isEmpty());
    QCOMPARE(segments.last().at(0).toString(), high);
    const auto bands = segments.last().at(1).value<QList<WaveformSegment>>();
    QCOMPARE(bands.size(), 2);
    QCOMPARE(bands[1].start, 1.0);
    QCOMPARE(bands[1].end, 2.0);
    QCOMPARE(bands[1].family, QStringLiteral("flute"));
    QVERIFY(bands[1].uncertain);
}

QTEST_MAIN(tst_PredictionPanel)
#include "tst_PredictionPanel.moc"
