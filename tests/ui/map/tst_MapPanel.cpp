// The Map tab on a small dataset and a timbre-net trained on tones: the map appears off the GUI
// thread with a dot per usable note and the variance and neighbour figures in the status line; the
// colouring follows the chosen labels; hovering a dot names its note; a click asks to play that
// note; a model that cannot be loaded is said, not crashed on.
#include <QtTest>

#include <QComboBox>
#include <QLabel>
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
