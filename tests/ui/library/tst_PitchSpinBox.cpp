// The pitch filter accepts note names and MIDI numbers and shows note names.
#include <QtTest>

#include "ui/library/PitchSpinBox.h"

using ts::ui::PitchSpinBox;

class tst_PitchSpinBox : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("midi");  // -1: refused
        QTest::newRow("C4") << "C4" << 60;
        QTest::newRow("lower case sharp") << "c#4" << 61;
        QTest::newRow("flat") << "Db4" << 61;
        QTest::newRow("A4") << "A4" << 69;
        QTest::newRow("lowest") << "C-1" << 0;
        QTest::newRow("highest") << "G9" << 127;
        QTest::newRow("above MIDI") << "G#9" << -1;
        QTest::newRow("number") << " 60 " << 60;
        QTest::newRow("number out of range") << "128" << -1;
        QTest::newRow("not a note") << "H2" << -1;
        QTest::newRow("empty") << "" << -1;
    }

    void parses()
    {
        QFETCH(QString, text);
        QFETCH(int, midi);
        const auto parsed = PitchSpinBox::parsePitch(text);
        QCOMPARE(parsed.has_value(), midi >= 0);
        if (parsed)
            QCOMPARE(*parsed, midi);
    }

    void showsNoteNames()
    {
        PitchSpinBox box;
        box.setValue(60);
        QCOMPARE(box.text(), QStringLiteral("C4"));
        box.setValue(21);
        QCOMPARE(box.text(), QStringLiteral("A0"));
    }
};

QTEST_MAIN(tst_PitchSpinBox)
#include "tst_PitchSpinBox.moc"
