// Filter combinations over the 36-note fixture give the counts worked out by hand, and sorting
// by pitch orders numerically.
#include <QTemporaryDir>
#include <QtTest>

#include "dataset/Dataset.h"
#include "ui/library/NoteFilterProxy.h"
#include "ui/library/NoteTableModel.h"
#include "common/TinyDatasetFixture.h"

using ts::dataset::NoteFilter;
using ts::ui::NoteFilterProxy;
using ts::ui::NoteTableModel;

Q_DECLARE_METATYPE(ts::dataset::NoteFilter)

class tst_NoteFilterProxy : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<const ts::dataset::Dataset> m_dataset;
    NoteTableModel m_model;
    NoteFilterProxy m_proxy;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(tinydataset::write(m_dir.path()));
        auto loaded = ts::dataset::Dataset::load(m_dir.path().toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().describe().c_str());
        m_dataset = std::make_shared<const ts::dataset::Dataset>(std::move(loaded).value());
        m_model.setDataset(m_dataset);
        m_proxy.setNoteModel(&m_model);
    }

    void counts_data()
    {
        QTest::addColumn<NoteFilter>("filter");
        QTest::addColumn<int>("count");
        auto f = [] { return NoteFilter{}; };
        NoteFilter guitar = f();
        guitar.families = {3};
        NoteFilter acoustic = f();
        acoustic.sources = {0};
        NoteFilter guitarAcoustic = guitar;
        guitarAcoustic.sources = {0};
        NoteFilter bassOrKeyboard = f();
        bassOrKeyboard.families = {0, 4};
        NoteFilter upper = f();
        upper.minPitch = 60;
        upper.maxPitch = 72;
        NoteFilter middleC = f();
        middleC.minPitch = 60;
        middleC.maxPitch = 60;
        NoteFilter loud = f();
        loud.velocities = {127};
        NoteFilter combo = guitar;
        combo.velocities = {25, 127};
        combo.minPitch = 60;
        NoteFilter text = f();
        text.text = "GUITAR_acoustic";
        NoteFilter textPitch = f();
        textPitch.text = "-060-";
        NoteFilter textAndFamily = f();
        textAndFamily.text = "acoustic";
        textAndFamily.families = {4};
        NoteFilter nothing = guitar;
        nothing.sources = {2};
        NoteFilter instrument = f();
        instrument.instruments = {2};

        QTest::newRow("any") << f() << 36;
        QTest::newRow("family guitar") << guitar << 18;
        QTest::newRow("source acoustic") << acoustic << 18;
        QTest::newRow("guitar and acoustic") << guitarAcoustic << 9;
        QTest::newRow("bass or keyboard") << bassOrKeyboard << 18;
        QTest::newRow("pitch C4..C5") << upper << 24;
        QTest::newRow("pitch C4 only") << middleC << 12;
        QTest::newRow("velocity 127") << loud << 12;
        QTest::newRow("guitar, velocity 25|127, pitch >= C4") << combo << 8;
        QTest::newRow("text, case-insensitive") << text << 9;
        QTest::newRow("text pitch part") << textPitch << 12;
        QTest::newRow("text and family") << textAndFamily << 9;
        QTest::newRow("no synthetic guitar") << nothing << 0;
        QTest::newRow("instrument 2") << instrument << 9;
    }

    void counts()
    {
        QFETCH(NoteFilter, filter);
        QFETCH(int, count);
        QSignalSpy changed(&m_proxy, &NoteFilterProxy::filterChanged);
        m_proxy.setFilter(filter);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_proxy.rowCount(), count);
        // Every row kept matches, as the core filter says.
        for (int r = 0; r < m_proxy.rowCount(); ++r)
            QVERIFY(filter.matches(m_model.note(m_proxy.noteIndexAt(r))));
    }

    void sortsPitchNumerically()
    {
        m_proxy.setFilter(NoteFilter{});
        m_proxy.sort(NoteTableModel::PitchColumn, Qt::DescendingOrder);
        QCOMPARE(m_model.note(m_proxy.noteIndexAt(0)).pitch, 72);
        QCOMPARE(m_model.note(m_proxy.noteIndexAt(35)).pitch, 48);
        m_proxy.sort(-1);  // back to file order
        QCOMPARE(m_proxy.noteIndexAt(0), 0);
        QCOMPARE(m_proxy.noteIndexAt(35), 35);
    }

    void rowMapping()
    {
        NoteFilter keyboard;
        keyboard.families = {4};
        m_proxy.setFilter(keyboard);
        // Notes 27..35 are the keyboard's, in file order.
        QCOMPARE(m_proxy.noteIndexAt(0), 27);
        QCOMPARE(m_proxy.proxyRowOf(27), 0);
        QCOMPARE(m_proxy.proxyRowOf(35), 8);
        QCOMPARE(m_proxy.proxyRowOf(0), -1);  // filtered out
        QCOMPARE(m_proxy.noteIndexAt(9), -1);
        QCOMPARE(m_proxy.noteIndexAt(-1), -1);
    }
};

QTEST_MAIN(tst_NoteFilterProxy)
#include "tst_NoteFilterProxy.moc"
