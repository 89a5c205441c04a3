// The Map tab on a small dataset and a timbre-net trained on tones: the map appears off the GUI
// thread with a dot per usable note and the variance and neighbour figures in the status line; the
// colouring follows the chosen labels (right / wrong counts every note); hovering a dot names its
// note; a click asks to play that note; "Sounds like this" lists the current note's nearest notes,
// nearest first, keeps the list while one of them plays, and plays them all in turn; a lasso
// reports the notes inside it; the neighbourhood layout appears and is cached; a dropped file that
// is one of the dataset's notes finds that note at distance 0 and a missing one is named; a model
// that cannot be loaded is said, not crashed on.
#include <QtTest>

#include <QComboBox>
#include <QDir>
#include <QRegularExpression>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QTemporaryDir>

#include "common/TinyDatasetFixture.h"
#include "common/ToyTimbreNet.h"
#include "dataset/Dataset.h"
#include "ui/map/MapPanel.h"
#include "ui/map/MapView.h"

using ts::ui::MapPanel;
using ts::ui::MapView;

class tst_MapPanel : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model;
    std::shared_ptr<const ts::dataset::Dataset> m_dataset;

    // Shows the panel on the fixture's dataset and model; true once its map is on screen.
    bool showMap(MapPanel& panel)
    {
        panel.resize(900, 700);
        panel.setDataset(m_dataset);
        panel.setModelPath(m_model);
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.show();
        return shown.wait(60000) && panel.view()->pointCount() > 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CACHE_HOME", m_dir.filePath(QStringLiteral("cache")).toUtf8());
        const QString data = m_dir.filePath(QStringLiteral("tiny"));
        QVERIFY(tinydataset::write(data));
        auto loaded = ts::dataset::Dataset::load(data.toStdString());
        QVERIFY(loaded.ok());
        m_dataset = std::make_shared<const ts::dataset::Dataset>(std::move(loaded).value());
        m_model = m_dir.filePath(QStringLiteral("toy.tsm"));
        toymodel::ToyTimbreNetOptions options;
        options.epochs = 2;
        const QString trained = toymodel::trainToyTimbreNet(m_model, options);
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
    }

    void theMapAppearsAndAnswersTheMouse()
    {
        MapPanel panel;
        panel.resize(900, 700);
        panel.setDataset(m_dataset);
        panel.setModelPath(m_model);
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.show();  // shown: computes
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QVERIFY(panel.isComputing());
        QVERIFY(shown.wait(60000));
        const std::size_t usable = m_dataset->usableIndices().size();
        QCOMPARE(panel.view()->pointCount(), usable);
        QCOMPARE(panel.noteOfPoint(), m_dataset->usableIndices());
        QVERIFY2(panel.statusText().startsWith(QStringLiteral("%1 notes · principal plane: ").arg(usable)), qPrintable(panel.statusText()));
        QVERIFY(panel.statusText().contains(QStringLiteral("nearest neighbours share its family")));

        // Coloured by source instead of family: the choice is taken.
        panel.setColourBy(MapPanel::ColourBy::Source);
        QCOMPARE(panel.findChild<QComboBox*>()->currentText(), QStringLiteral("Source"));

        // Hover names the note under the cursor; a click asks for it to be played.
        QSignalSpy activated(&panel, &MapPanel::noteActivated);
        const auto& notes = panel.noteOfPoint();
        // A pixel on a dot, and the dot the view finds there.
        QPoint onDot;
        const QRect area = panel.view()->rect();
        for (int y = area.top(); y < area.bottom() && onDot.isNull(); ++y)
            for (int x = area.left(); x < area.right() && onDot.isNull(); ++x)
                if (panel.view()->pointAt(QPoint(x, y), 1) >= 0)
                    onDot = QPoint(x, y);
        QVERIFY(!onDot.isNull());
        const int pointIndex = panel.view()->pointAt(onDot);
        QVERIFY(pointIndex >= 0);
        QMouseEvent hover(QEvent::MouseMove, QPointF(onDot), panel.view()->mapToGlobal(QPointF(onDot)), Qt::NoButton, Qt::NoButton, {});
        QApplication::sendEvent(panel.view(), &hover);
        const QString name = QString::fromStdString(m_dataset->notes()[notes[std::size_t(pointIndex)]].noteStr);
        QTRY_VERIFY2(panel.statusText().startsWith(name), qPrintable(panel.statusText()));
        QTest::mouseClick(panel.view(), Qt::LeftButton, {}, onDot);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.first().at(0).toInt(), int(notes[std::size_t(pointIndex)]));

        // The library's current note is ringed; a second showing computes nothing (same dataset and model).
        panel.setCurrentNote(int(notes[0]));
        QCOMPARE(panel.view()->selected(), 0);
        panel.refresh();
        QVERIFY(!panel.isComputing());
    }

    void similarNotesRightWrongAndLasso()
    {
        MapPanel panel;
        QVERIFY(showMap(panel));
        const auto& notes = panel.noteOfPoint();
        const std::size_t usable = notes.size();

        // Sounds like this: the 20 nearest, nearest first, without the note itself.
        const int subject = int(notes[3]);
        panel.setCurrentNote(subject);
        QTreeWidget* list = panel.similarList();
        QCOMPARE(list->topLevelItemCount(), int(std::min<std::size_t>(20, usable - 1)));
        QVERIFY2(panel.similarTitle().contains(QString::fromStdString(m_dataset->notes()[std::size_t(subject)].noteStr)),
                 qPrintable(panel.similarTitle()));
        for (int row = 0; row < list->topLevelItemCount(); ++row) {
            QVERIFY(list->topLevelItem(row)->data(0, Qt::UserRole).toInt() != subject);
            if (row > 0)
                QVERIFY(list->topLevelItem(row - 1)->text(2).toDouble() <= list->topLevelItem(row)->text(2).toDouble());
        }
        // Playing a listed note makes it the library's current note: the list stays.
        QSignalSpy activated(&panel, &MapPanel::noteActivated);
        const int second = list->topLevelItem(1)->data(0, Qt::UserRole).toInt();
        Q_EMIT list->itemActivated(list->topLevelItem(1), 0);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.takeFirst().at(0).toInt(), second);
        panel.setCurrentNote(second);
        QVERIFY(panel.similarTitle().contains(QString::fromStdString(m_dataset->notes()[std::size_t(subject)].noteStr)));
        // Play all in turn: the first at once, the next a moment later, in the list's order.
        auto* playAll = panel.findChild<QPushButton*>(QString(), Qt::FindDirectChildrenOnly);
        for (auto* button : panel.findChildren<QPushButton*>())
            if (button->text() == QStringLiteral("Play all in turn"))
                playAll = button;
        QVERIFY(playAll && playAll->text() == QStringLiteral("Play all in turn"));
        playAll->click();
        QVERIFY(panel.isPlayingAll());
        QCOMPARE(playAll->text(), QStringLiteral("Stop"));
        QCOMPARE(activated.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(activated.size(), 2, 4000);
        QCOMPARE(activated.at(0).at(0).toInt(), list->topLevelItem(0)->data(0, Qt::UserRole).toInt());
        QCOMPARE(activated.at(1).at(0).toInt(), list->topLevelItem(1)->data(0, Qt::UserRole).toInt());
        playAll->click();
        QVERIFY(!panel.isPlayingAll());

        // Right / wrong: every note counted once.
        panel.setColourBy(MapPanel::ColourBy::FamilyRightWrong);
        const QRegularExpression counts(QStringLiteral("right: (\\d+).*wrong: (\\d+)"));
        const auto match = counts.match(panel.legendText());
        QVERIFY2(match.hasMatch(), qPrintable(panel.legendText()));
        QCOMPARE(match.captured(1).toULongLong() + match.captured(2).toULongLong(), qulonglong(usable));

        // A Shift-drag round the whole view: every note, in dataset order.
        QSignalSpy chosen(&panel, &MapPanel::notesChosen);
        MapView* view = panel.view();
        const QRect r = view->rect().adjusted(2, 2, -2, -2);
        QTest::mousePress(view, Qt::LeftButton, Qt::ShiftModifier, r.topLeft());
        for (const QPoint& p : {r.topRight(), r.bottomRight(), r.bottomLeft(), r.topLeft() + QPoint(0, 1)}) {
            QMouseEvent move(QEvent::MouseMove, QPointF(p), view->mapToGlobal(QPointF(p)), Qt::NoButton, Qt::LeftButton, Qt::ShiftModifier);
            QApplication::sendEvent(view, &move);
        }
        QTest::mouseRelease(view, Qt::LeftButton, Qt::ShiftModifier, r.topLeft() + QPoint(0, 1));
        QCOMPARE(chosen.size(), 1);
        std::vector<int> expected(notes.begin(), notes.end());
        QCOMPARE(chosen.first().at(0).value<std::vector<int>>(), expected);
    }

    void neighbourhoodLayoutAndDroppedFiles()
    {
        MapPanel panel;
        QVERIFY(showMap(panel));
        QSignalSpy laidOut(&panel, &MapPanel::layoutShown);
        panel.setMapLayout(MapPanel::Layout::Neighbourhood);
        QVERIFY(laidOut.wait(60000));
        QVERIFY2(panel.statusText().contains(QStringLiteral("notes · neighbourhood layout: a note's 10 nearest neighbours stay among")),
                 qPrintable(panel.statusText()));
        QCOMPARE(panel.mapLayout(), MapPanel::Layout::Neighbourhood);
        QCOMPARE(panel.view()->pointCount(), panel.noteOfPoint().size());
        const QDir cache(m_dir.filePath(QStringLiteral("cache/timbrescope/embeddings")));
        QCOMPARE(cache.entryList({QStringLiteral("*.layout")}, QDir::Files).size(), 1);

        // A dataset note dropped as a file lands on itself; a missing file is named.
        const std::size_t note = panel.noteOfPoint()[5];
        const QString wav = QString::fromStdString(m_dataset->notes()[note].wavPath);
        const QString missing = m_dir.filePath(QStringLiteral("nowhere.wav"));
        QSignalSpy placed(&panel, &MapPanel::filesPlaced);
        panel.addFiles({wav, missing});
        QVERIFY(placed.wait(60000));
        QCOMPARE(panel.view()->markerCount(), std::size_t(1));
        QVERIFY2(panel.statusText().contains(QStringLiteral("1 dropped file")), qPrintable(panel.statusText()));
        QVERIFY2(panel.statusText().contains(missing), qPrintable(panel.statusText()));
        QVERIFY2(panel.similarTitle().contains(QStringLiteral("dropped file")), qPrintable(panel.similarTitle()));
        // (The fixture's instruments play the same tones, so a few notes share the file's sound.)
        QTreeWidget* list = panel.similarList();
        QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("0.00"));
        bool found = false;
        for (int row = 0; row < list->topLevelItemCount() && list->topLevelItem(row)->text(2) == QStringLiteral("0.00"); ++row)
            found = found || list->topLevelItem(row)->data(0, Qt::UserRole).toInt() == int(note);
        QVERIFY(found);

        // A second panel finds the layout in the cache.
        MapPanel again;
        again.setDataset(m_dataset);
        again.setModelPath(m_model);
        QSignalSpy againShown(&again, &MapPanel::mapShown), againLaidOut(&again, &MapPanel::layoutShown);
        again.setMapLayout(MapPanel::Layout::Neighbourhood);
        again.show();
        QVERIFY(againShown.wait(60000));
        QVERIFY(againLaidOut.wait(10000));
        QVERIFY(again.statusText().contains(QStringLiteral("neighbourhood layout: ")));
    }

    void aMissingModelIsSaid()
    {
        MapPanel panel;
        panel.setDataset(m_dataset);
        panel.setModelPath(m_dir.filePath(QStringLiteral("missing.tsm")));
        QSignalSpy shown(&panel, &MapPanel::mapShown);
        panel.show();
        QVERIFY(shown.wait(30000));
        QVERIFY2(panel.statusText().startsWith(QStringLiteral("No map: ")), qPrintable(panel.statusText()));
        QVERIFY(panel.statusText().contains(QStringLiteral("missing.tsm")));
        QCOMPARE(panel.view()->pointCount(), std::size_t(0));
    }
};

QTEST_MAIN(tst_MapPanel)
#include "tst_MapPanel.moc"
