// Filter combinations over the 36-note fixture give the counts worked out by hand; every column
// sorts by the model's SortRole (numbers as numbers, text ignoring case) with ties in name order,
// both ways; a sort keeps the current note; the text search ignores case and never matches across
// two names; notes chosen on the timbre map narrow the filter until cleared.
#include <QItemSelectionModel>
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

    void everyColumnSortsBySortRoleWithTiesByName()
    {
        m_proxy.setFilter(NoteFilter{});
        auto nameOf = [&](int row) { return QString::fromStdString(m_model.note(m_proxy.noteIndexAt(row)).noteStr); };
        for (int column = 0; column < NoteTableModel::ColumnCount; ++column) {
            for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                m_proxy.sort(column, order);
                QCOMPARE(m_proxy.rowCount(), 36);
                for (int r = 1; r < m_proxy.rowCount(); ++r) {
                    const QVariant a = m_proxy.index(r - 1, column).data(NoteTableModel::SortRole);
                    const QVariant b = m_proxy.index(r, column).data(NoteTableModel::SortRole);
                    int c = a.typeId() == QMetaType::QString
                                ? a.toString().compare(b.toString(), Qt::CaseInsensitive)
                                : (a.toInt() < b.toInt() ? -1 : a.toInt() > b.toInt() ? 1 : 0);
                    if (c == 0)
                        c = nameOf(r - 1).compare(nameOf(r), Qt::CaseInsensitive);
                    if (order == Qt::DescendingOrder)
                        c = -c;
                    QVERIFY2(c < 0, qPrintable(QStringLiteral("column %1, rows %2 and %3").arg(column).arg(r - 1).arg(r)));
                }
            }
        }
        m_proxy.sort(-1);
    }

    void aSortKeepsTheCurrentNote()
    {
        m_proxy.setFilter(NoteFilter{});
        m_proxy.sort(NoteTableModel::NameColumn);
        QItemSelectionModel selection(&m_proxy);
        selection.setCurrentIndex(m_proxy.index(5, 0), QItemSelectionModel::ClearAndSelect);
        const int note = m_proxy.noteIndexAt(5);
        m_proxy.sort(NoteTableModel::PitchColumn, Qt::DescendingOrder);
        QVERIFY(selection.currentIndex().isValid());
        QCOMPARE(m_proxy.noteIndexAt(selection.currentIndex().row()), note);
        QCOMPARE(selection.currentIndex().row(), m_proxy.proxyRowOf(note));
        m_proxy.sort(-1);
    }

    void textSearchIgnoresCaseAndStaysInOneName()
    {
        m_proxy.sort(NoteTableModel::PitchColumn, Qt::DescendingOrder);
        NoteFilter text;
        text.text = "KEYBOARD_Acoustic";
        m_proxy.setFilter(text);
        QCOMPARE(m_proxy.rowCount(), 9);
        for (int r = 0; r < m_proxy.rowCount(); ++r) {
            QVERIFY(QString::fromStdString(m_model.note(m_proxy.noteIndexAt(r)).noteStr).startsWith(QStringLiteral("keyboard_acoustic")));
            if (r > 0)
                QVERIFY(m_model.note(m_proxy.noteIndexAt(r - 1)).pitch >= m_model.note(m_proxy.noteIndexAt(r)).pitch);
        }
        // The end of one name and the start of the next are not one text.
        const std::string& first = m_model.note(0).noteStr;
        const std::string& second = m_model.note(1).noteStr;
        text.text = first.substr(first.size() - 3) + second.substr(0, 3);
        m_proxy.setFilter(text);
        QCOMPARE(m_proxy.rowCount(), 0);
        m_proxy.setFilter(NoteFilter{});
        m_proxy.sort(-1);
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
        m_proxy.setFilter(NoteFilter{});
    }

    void notesChosenOnTheMapNarrowTheFilterUntilCleared()
    {
        NoteFilter keyboard;
        keyboard.families = {4};
        m_proxy.setFilter(keyboard);
        m_proxy.setOnlyNotes({0, 5, 27, 30, 99, -1});  // two keyboard notes; 99 and -1 are no notes
        QVERIFY(m_proxy.hasOnlyNotes());
        QCOMPARE(m_proxy.rowCount(), 2);
        QCOMPARE(m_proxy.noteIndexAt(0), 27);
        QCOMPARE(m_proxy.noteIndexAt(1), 30);
        m_proxy.setFilter(NoteFilter{});  // the filters change, the map's choice stays
        QCOMPARE(m_proxy.rowCount(), 4);
        m_proxy.clearOnlyNotes();
        QVERIFY(!m_proxy.hasOnlyNotes());
        QCOMPARE(m_proxy.rowCount(), 36);
    }
};

QTEST_MAIN(tst_NoteFilterProxy)
#include "tst_NoteFilterProxy.moc"
