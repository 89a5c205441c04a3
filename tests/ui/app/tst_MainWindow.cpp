// The main window opens a dataset off the GUI thread, shows the live count, follows the arrow keys
// with the sound views, remembers the dataset, and opens a 4,096-note set in under a second.
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>
#include <algorithm>
#include <nlohmann/json.hpp>

#include "ui/sound/AudioPlayer.h"
#include "ui/app/CreateDefaultDatasetDialog.h"
#include "ui/app/LaunchPaths.h"
#include "ui/library/LibraryPanel.h"
#include "ui/app/MainWindow.h"
#include "ui/prediction/PredictionPanel.h"
#include "ui/app/RecentDatasetsMenu.h"
#include "ui/common/Settings.h"
#include "ui/sound/SoundViewPanel.h"
#include "ui/sound/WaveformView.h"
#include "common/TinyDatasetFixture.h"

using ts::ui::MainWindow;
using ts::ui::PredictionPanel;

namespace {
// Stands in for a trained network so the rows' contents are known exactly: every sound is a
// guitar (0.7) of acoustic source (0.9). Its "model files" are text files reading "fixed-v1".
class FixedClassifier : public ts::ui::SoundClassifier {
public:
    explicit FixedClassifier(QString path) : m_path(std::move(path)) {}
    ts::ui::LoadedModel model() const override
    {
        return ts::ui::LoadedModel{m_path, QStringLiteral("fixed-test · family + source"), true, true};
    }
    ts::Result<ts::ui::ClassifierOutput> classify(const ts::audio::DecodedAudio&) override
    {
        ts::ui::ClassifierOutput out;
        out.family = ts::ui::ClassScores{{QStringLiteral("bass"), QStringLiteral("guitar")}, {0.3, 0.7}};
        out.source = ts::ui::ClassScores{{QStringLiteral("acoustic"), QStringLiteral("electronic"), QStringLiteral("synthetic")},
                                         {0.9, 0.05, 0.05}};
        out.segments = {ts::ui::PredictedSegment{0.1, 0.6, out.family, out.source, std::nullopt}};  // one note found
        return out;
    }

private:
    QString m_path;
};

ts::Result<std::unique_ptr<ts::ui::SoundClassifier>> loadFixedClassifier(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly) || file.readAll() != "fixed-v1")
        return ts::makeError(ts::ErrorCode::BadFormat, "not a fixed-test model", path);
    return std::unique_ptr<ts::ui::SoundClassifier>(std::make_unique<FixedClassifier>(QString::fromStdString(path)));
}

void sendDrop(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& path : paths)
        urls << QUrl::fromLocalFile(path);
    mime.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
}
} // namespace

class tst_MainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    QTemporaryDir m_dataDir;
    const QString m_missing = QStringLiteral("guitar_electronic_002-072-025");

    QString datasetFolder() const { return m_dataDir.filePath(QStringLiteral("tiny")); }

    bool openAndWait(MainWindow& window, const QString& folder)
    {
        QSignalSpy changed(&window, &MainWindow::datasetChanged);
        window.openDataset(folder);
        return changed.wait(10000) || changed.count() > 0;
    }

    static QString noteName(int index)
    {
        const auto& inst = tinydataset::instruments()[std::size_t(index / 9)];
        return tinydataset::noteStr(inst, tinydataset::kPitches[std::size_t(index / 3 % 3)],
                                    tinydataset::kVelocities[std::size_t(index % 3)]);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid() && m_dataDir.isValid());
        // Never read or write the user's own settings.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QVERIFY(tinydataset::write(datasetFolder(), m_missing));
    }

    void opensDatasetWithCountAndFirstNote()
    {
        MainWindow window;
        window.show();
        QVERIFY(openAndWait(window, datasetFolder()));
        QCOMPARE(window.currentDataset()->size(), std::size_t(36));
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("36 of 36 notes"));
        QCOMPARE(window.libraryPanel()->currentNoteIndex(), 0);
        QTRY_COMPARE(window.soundViews()->title(), noteName(0));
        QVERIFY(window.soundViews()->audio());
        QCOMPARE(window.soundViews()->audio()->samples.size(), std::size_t(16000));
        QVERIFY(window.windowTitle().startsWith(QStringLiteral("tiny")));
        // Remembered for the next start and in File → Open Recent.
        const QString clean = QDir::cleanPath(QFileInfo(datasetFolder()).absoluteFilePath());
        QCOMPARE(ts::ui::appSettings().value(QStringLiteral("datasets/last")).toString(), clean);
        QCOMPARE(window.findChild<ts::ui::RecentDatasetsMenu*>()->folders().value(0), clean);
    }

    void libraryListsNotesByNameWhateverTheFileOrder()
    {
        // The same notes listed in reverse name order (the WAVs stay behind: missing ones are listed,
        // not fatal): the library still starts at the alphabetically first note.
        QFile original(datasetFolder() + QStringLiteral("/examples.json"));
        QVERIFY(original.open(QIODevice::ReadOnly));
        const auto sorted = nlohmann::ordered_json::parse(original.readAll().toStdString());
        nlohmann::ordered_json reversed = nlohmann::ordered_json::object();
        std::vector<std::string> keys;
        for (const auto& item : sorted.items())
            keys.push_back(item.key());
        QVERIFY(std::is_sorted(keys.begin(), keys.end()));
        for (auto it = keys.rbegin(); it != keys.rend(); ++it)
            reversed[*it] = sorted.at(*it);
        const QString folder = m_dataDir.filePath(QStringLiteral("reversed"));
        QVERIFY(QDir().mkpath(folder));
        QFile out(folder + QStringLiteral("/examples.json"));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray::fromStdString(reversed.dump(1)));
        out.close();

        MainWindow window;
        QVERIFY(openAndWait(window, folder));
        QCOMPARE(window.currentDataset()->notes().front().noteStr, keys.back());
        const int first = window.libraryPanel()->currentNoteIndex();
        QVERIFY(first >= 0);
        QCOMPARE(window.currentDataset()->notes()[std::size_t(first)].noteStr, keys.front());
        if (auto* box = window.findChild<QMessageBox*>())
            box->close();
    }

    void filtersUpdateTheCount()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, datasetFolder()));
        ts::dataset::NoteFilter guitarAcoustic;
        guitarAcoustic.families = {3};
        guitarAcoustic.sources = {0};
        window.libraryPanel()->setFilter(guitarAcoustic);
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("9 of 36 notes"));
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("libraryCount"))->text(), QStringLiteral("9 of 36 notes"));
        // The views follow: the first visible note is a guitar_acoustic one.
        QTRY_VERIFY(window.soundViews()->title().startsWith(QStringLiteral("guitar_acoustic_001")));

        window.libraryPanel()->resetFilter();
        QLineEdit* search = window.libraryPanel()->findChild<QLineEdit*>();
        QVERIFY(search);
        QTest::keyClicks(search, QStringLiteral("keyboard"));
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("9 of 36 notes"));
        QTest::keyClicks(search, QStringLiteral("_acoustic_003-060"));
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("3 of 36 notes"));
        search->clear();
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("36 of 36 notes"));
    }

    void arrowKeysMoveSelectionAndViews()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, datasetFolder()));
        QTableView* table = window.libraryPanel()->tableView();
        table->setFocus();
        QTRY_COMPARE(window.soundViews()->title(), noteName(0));

        QSignalSpy shown(&window, &MainWindow::soundShown);
        QElapsedTimer clock;
        clock.start();
        QTest::keyClick(table, Qt::Key_Down);
        QCOMPARE(window.libraryPanel()->currentNoteIndex(), 1);
        QVERIFY(shown.wait(5000));
        // Key press to waveform and spectrogram drawn with the new note (decode on a pool thread).
        qInfo("arrow key to views updated: %lld ms", clock.elapsed());
        QCOMPARE(window.soundViews()->title(), noteName(1));
        QVERIFY(shown.count() >= 1);
        QVERIFY(shown.last().at(0).toString().endsWith(noteName(1) + QStringLiteral(".wav")));
        QVERIFY(window.soundViews()->details().contains(QStringLiteral("C3 (MIDI 48)")));

        QTest::keyClick(table, Qt::Key_Down);
        QTest::keyClick(table, Qt::Key_Down);
        QCOMPARE(window.libraryPanel()->currentNoteIndex(), 3);
        QTRY_COMPARE(window.soundViews()->title(), noteName(3));
        QVERIFY(window.soundViews()->details().contains(QStringLiteral("C4 (MIDI 60)")));
        QTest::keyClick(table, Qt::Key_Up);
        QCOMPARE(window.libraryPanel()->currentNoteIndex(), 2);
        QTRY_COMPARE(window.soundViews()->title(), noteName(2));
    }

    void spacePlaysTheCurrentNote()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, datasetFolder()));
        QTRY_VERIFY(window.soundViews()->audio());
        QTableView* table = window.libraryPanel()->tableView();
        table->setFocus();
        // Test machines have no sound card: either playback starts or the player says why.
        QSignalSpy playing(window.player(), &ts::ui::AudioPlayer::playingChanged);
        QSignalSpy error(window.player(), &ts::ui::AudioPlayer::errorOccurred);
        QTest::keyClick(table, Qt::Key_Space);
        QCOMPARE(playing.count() + error.count(), 1);
        if (!error.isEmpty())
            QVERIFY(window.statusBar()->currentMessage().contains(error.at(0).at(0).toString()));
        // Space in the search field types a space instead.
        QLineEdit* search = window.libraryPanel()->findChild<QLineEdit*>();
        search->setFocus();
        QTest::keyClick(search, Qt::Key_Space);
        QCOMPARE(search->text(), QStringLiteral(" "));
        QCOMPARE(playing.count() + error.count(), 1);
    }

    void noteWithoutWavSaysSo()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, datasetFolder()));
        const int index = 9 * 2 + 3 * 2 + 0;  // guitar_electronic_002, pitch 72, velocity 25
        QCOMPARE(noteName(index), m_missing);
        QVERIFY(window.libraryPanel()->selectNote(index));
        QTRY_COMPARE(window.soundViews()->title(), m_missing);
        QVERIFY(!window.soundViews()->audio());
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("36 of 36 notes"));
    }

    void badFolderIsReportedNotFatal()
    {
        MainWindow window;
        QVERIFY(openAndWait(window, datasetFolder()));
        QSignalSpy failed(&window, &MainWindow::datasetOpenFailed);
        window.openDataset(m_dataDir.filePath(QStringLiteral("no-such-folder")));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("no-such-folder")));
        auto* box = window.findChild<QMessageBox*>();
        QVERIFY(box);
        box->close();
        // The dataset that was open stays open.
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("36 of 36 notes"));
    }

    void windowAndSplittersAreRemembered()
    {
        QList<int> sizes;
        {
            MainWindow window;
            window.resize(1400, 777);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            auto* splitter = window.findChild<QSplitter*>(QStringLiteral("mainSplitter"));
            splitter->setSizes({300, 900});
            sizes = splitter->sizes();
            window.libraryPanel()->tableView()->horizontalHeader()->setSectionHidden(5, true);
            window.close();
        }
        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(1400, 777));
        QCOMPARE(again.findChild<QSplitter*>(QStringLiteral("mainSplitter"))->sizes(), sizes);
        QVERIFY(again.libraryPanel()->tableView()->horizontalHeader()->isSectionHidden(5));
    }

    void droppedFileIsShownWhereverItLands()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, datasetFolder()));
        QTRY_COMPARE(window.soundViews()->title(), noteName(0));
        const QString file = datasetFolder() + QStringLiteral("/audio/") + noteName(20) + QStringLiteral(".wav");
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(file)});
        // On the search field, which would otherwise take the drop as text.
        QLineEdit* search = window.libraryPanel()->findChild<QLineEdit*>();
        const QPoint at = search->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(search, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(search, &drop);
        QVERIFY(drop.isAccepted());
        QVERIFY(search->text().isEmpty());
        QTRY_COMPARE(window.soundViews()->title(), noteName(20) + QStringLiteral(".wav"));
        QCOMPARE(window.soundViews()->path(), file);
        // The library no longer highlights a note; a click on its current row shows that note again.
        QTableView* table = window.libraryPanel()->tableView();
        QVERIFY(!table->selectionModel()->hasSelection());
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(table->currentIndex()).center());
        QTRY_COMPARE(window.soundViews()->title(), noteName(0));
        // A classification that finishes now (the panel selects its row) leaves the chosen note shown.
        Q_EMIT window.predictionPanel()->fileSelected(file, nullptr);
        QTest::qWait(100);
        QCOMPARE(window.soundViews()->title(), noteName(0));

        // Text without file URLs is not ours: the search field keeps its usual behaviour.
        QMimeData text;
        text.setText(QStringLiteral("guitar"));
        QDragEnterEvent textEnter(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &textEnter);
        QVERIFY(!textEnter.isAccepted());
    }

    void filesAddedFromThePredictionPanelAreShownLikeDroppedOnes()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, datasetFolder()));
        QTRY_COMPARE(window.soundViews()->title(), noteName(0));
        const QString file = datasetFolder() + QStringLiteral("/audio/") + noteName(7) + QStringLiteral(".wav");
        // What the panel's "Add files…" emits once its dialog closes.
        Q_EMIT window.predictionPanel()->classifyRequested({file});
        QTRY_COMPARE(window.soundViews()->title(), noteName(7) + QStringLiteral(".wav"));
        QVERIFY(!window.libraryPanel()->tableView()->selectionModel()->hasSelection());
    }

    void launchPathsOpenTheDatasetClassifyTheSoundsAndNameTheMissing()
    {
        // `timbrescope DATASET SOUND MISSING`: the dataset opens instead of the remembered one, the
        // sound lands in the prediction panel and the views, the missing path is named in a message.
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString sound = datasetFolder() + QStringLiteral("/audio/") + noteName(5) + QStringLiteral(".wav");
        const QString missing = m_dataDir.filePath(QStringLiteral("nowhere.wav"));
        QSignalSpy changed(&window, &MainWindow::datasetChanged);
        window.openLaunchPaths({datasetFolder(), sound, missing});
        QVERIFY(changed.wait(10000) || changed.count() > 0);
        QCOMPARE(window.currentDataset()->size(), std::size_t(36));
        QTRY_COMPARE(window.predictionPanel()->rowCount(), 1);
        QTRY_COMPARE(window.soundViews()->title(), noteName(5) + QStringLiteral(".wav"));
        QTest::qWait(200);  // and the dataset's first note does not take its place afterwards
        QCOMPARE(window.soundViews()->title(), noteName(5) + QStringLiteral(".wav"));
        auto* box = window.findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY(box->informativeText().contains(QStringLiteral("nowhere.wav: no such file or folder")));
        box->close();

        // Two dataset folders: the first opens, the second is named as not opened.
        const auto second = ts::ui::sortLaunchPaths({sound, datasetFolder(), datasetFolder()});
        QCOMPARE(second.datasetFolder, QDir::cleanPath(QFileInfo(datasetFolder()).absoluteFilePath()));
        QCOMPARE(second.soundPaths, QStringList{QFileInfo(sound).absoluteFilePath()});
        QCOMPARE(second.problems.size(), 1);
        QVERIFY(second.problems.at(0).contains(QStringLiteral("only one dataset can be open")));
    }

    void missingLaunchFileIsNamedBeforeTheDefaultDatasetIsOffered()
    {
        // `timbrescope MISSING` on a machine without a dataset: the message naming the missing file
        // comes first; the "No dataset yet" offer (a modal dialog) waits until it is closed.
        QTemporaryDir emptyData;
        QVERIFY(emptyData.isValid());
        const QByteArray oldData = qgetenv("XDG_DATA_HOME");
        qputenv("XDG_DATA_HOME", emptyData.path().toLocal8Bit());
        ts::ui::appSettings().remove(QStringLiteral("datasets/last"));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QString missing = m_dataDir.filePath(QStringLiteral("gone.wav"));
        window.openLaunchPaths({missing});

        auto* box = window.findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY(box->isVisible());
        QVERIFY(box->informativeText().contains(QStringLiteral("gone.wav: no such file or folder")));
        QVERIFY(!window.findChild<ts::ui::CreateDefaultDatasetDialog*>());

        // Closing the message brings the offer; declining it leaves the window with its hint.
        bool offered = false;
        QTimer decline;
        connect(&decline, &QTimer::timeout, &window, [&] {
            if (auto* dialog = window.findChild<ts::ui::CreateDefaultDatasetDialog*>(); dialog && dialog->isVisible()) {
                offered = true;
                dialog->reject();
            }
        });
        decline.start(20);
        box->done(QMessageBox::Ok);
        QTRY_VERIFY(offered);
        decline.stop();
        QVERIFY(!window.currentDataset());
        if (oldData.isNull())
            qunsetenv("XDG_DATA_HOME");
        else
            qputenv("XDG_DATA_HOME", oldData);
    }

    void droppedGoodAndBadFilesBecomePredictionRows()
    {
        MainWindow window(&loadFixedClassifier);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        PredictionPanel* panel = window.predictionPanel();
        QVERIFY(panel);
        const QString modelFile = m_dataDir.filePath(QStringLiteral("fixed.model"));
        {
            QFile file(modelFile);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("fixed-v1");
        }
        QSignalSpy modelChanged(panel, &PredictionPanel::modelChanged);
        panel->setModel(modelFile);
        QVERIFY(modelChanged.wait(10000));

        const QString good = datasetFolder() + QStringLiteral("/audio/") + noteName(4) + QStringLiteral(".wav");
        const QString bad = m_dataDir.filePath(QStringLiteral("not-audio.wav"));
        {
            QFile file(bad);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("this is text, not a RIFF file");
        }
        const QString missing = m_dataDir.filePath(QStringLiteral("missing.flac"));
        QSignalSpy idle(panel, &PredictionPanel::idle);
        // Dropped on the library table: anywhere on the window goes to the prediction panel.
        sendDrop(window.libraryPanel()->tableView()->viewport(), {good, bad, missing});
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isWorking() && panel->rowCount() == 3, 10000);
        QCOMPARE(panel->rowPath(0), good);
        QVERIFY(!panel->rowHasError(0));
        QVERIFY(panel->rowText(0, PredictionPanel::FamilyColumn).contains(QStringLiteral("guitar")));
        QVERIFY(panel->rowText(0, PredictionPanel::SourceColumn).contains(QStringLiteral("acoustic")));
        QCOMPARE(panel->rowPath(1), bad);
        QVERIFY(panel->rowHasError(1));
        QCOMPARE(panel->rowPath(2), missing);
        QVERIFY(panel->rowHasError(2));
        // The first dropped file is what the views show.
        QTRY_COMPARE(window.soundViews()->path(), good);
        // ... with the note found in it as a band on its waveform.
        QTRY_COMPARE(window.soundViews()->waveform()->segments().size(), 1);
        QCOMPARE(window.soundViews()->waveform()->segments()[0].family, QStringLiteral("guitar"));
        QCOMPARE(window.soundViews()->waveform()->segments()[0].start, 0.1);

        // A folder is walked: the tiny dataset's audio folder holds 35 WAVs (one note lacks its WAV).
        sendDrop(window.soundViews(), {datasetFolder() + QStringLiteral("/audio")});
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isWorking() && panel->rowCount() == 3 + 35, 20000);
        for (int row = 3; row < panel->rowCount(); ++row)
            QVERIFY(!panel->rowHasError(row));

        // The model is remembered: the next window loads it instead of the fallback.
        QCOMPARE(ts::ui::appSettings().value(QStringLiteral("prediction/model")).toString(), modelFile);
        MainWindow next(&loadFixedClassifier);
        QSignalSpy nextModel(next.predictionPanel(), &PredictionPanel::modelChanged);
        next.restoreModel(m_dataDir.filePath(QStringLiteral("no-such.model")));
        QVERIFY(nextModel.wait(10000));
        QCOMPARE(nextModel.at(0).at(0).value<ts::ui::LoadedModel>().path, modelFile);
        QVERIFY(next.predictionPanel()->hasModel());
    }

    void workspaceTabsCanBeAdded()
    {
        MainWindow window;
        const int index = window.addWorkspaceTab(new QLabel(QStringLiteral("dashboard")), QStringLiteral("Training"));
        QCOMPARE(index, 1);
        QCOMPARE(window.workspaceTabs()->tabText(0), QStringLiteral("Library"));
        QCOMPARE(window.workspaceTabs()->tabText(1), QStringLiteral("Training"));
    }

    void opensFourThousandNotesInUnderASecond()
    {
        // Creating and deleting 4,096 files takes ~20 s on a busy disk but 0.4 s in memory; what is
        // measured is the open, which stats every WAV either way.
        const bool shm = QFileInfo(QStringLiteral("/dev/shm")).isWritable();
        QTemporaryDir largeDir(shm ? QStringLiteral("/dev/shm/tst_MainWindow-XXXXXX") : QString());
        QVERIFY(largeDir.isValid());
        const QString folder = largeDir.filePath(QStringLiteral("large"));
        QVERIFY(tinydataset::writeLarge(folder, 4096));
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openAndWait(window, folder));
        QCOMPARE(window.libraryPanel()->countText(), QStringLiteral("4,096 of 4,096 notes"));
        qInfo("4,096 notes open and usable in %lld ms", window.lastOpenMilliseconds());
        QVERIFY(window.lastOpenMilliseconds() >= 0);
        QVERIFY2(window.lastOpenMilliseconds() < 1000, qPrintable(QString::number(window.lastOpenMilliseconds())));
        // Usable: the table scrolls to the end and the last note becomes current at once.
        QTableView* table = window.libraryPanel()->tableView();
        table->setFocus();
        QTest::keyClick(table, Qt::Key_End, Qt::ControlModifier);
        QCOMPARE(window.libraryPanel()->currentNoteIndex(), 4095);
    }
};

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
