// NoteFilter: each criterion alone, combined, and "empty means any", on notes built in the test.
#include <QtTest>

#include "dataset/NoteFilter.h"

using namespace ts::dataset;

namespace {

NoteRecord note(const std::string& str, int instrument, int family, int source, int pitch, int velocity)
{
    NoteRecord n;
    n.noteStr = str;
    n.instrument = instrument;
    n.family = family;
    n.source = source;
    n.pitch = pitch;
    n.velocity = velocity;
    return n;
}

const std::vector<NoteRecord>& notes()
{
    static const std::vector<NoteRecord> list = {
        note("bass_synthetic_000-030-025", 0, 0, 2, 30, 25),
        note("bass_synthetic_000-040-127", 0, 0, 2, 40, 127),
        note("guitar_acoustic_001-060-075", 1, 3, 0, 60, 75),
        note("guitar_electronic_002-064-100", 2, 3, 1, 64, 100),
        note("keyboard_acoustic_003-072-075", 3, 4, 0, 72, 75),
        note("Vocal_Synthetic_004-090-050", 4, 10, 2, 90, 50),
    };
    return list;
}

} // namespace

class tst_NoteFilter : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void emptyFilterMatchesAll()
    {
        QCOMPARE(NoteFilter{}.apply(notes()), (std::vector<std::size_t>{0, 1, 2, 3, 4, 5}));
    }

    void family()
    {
        NoteFilter f;
        f.families = {3};
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{2, 3}));
        f.families = {0, 10};
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{0, 1, 5}));
        f.families = {5};
        QVERIFY(f.apply(notes()).empty());
    }

    void source()
    {
        NoteFilter f;
        f.sources = {0};
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{2, 4}));
        f.sources = {1, 2};
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{0, 1, 3, 5}));
    }

    void pitchRangeIsInclusive()
    {
        NoteFilter f;
        f.minPitch = 40;
        f.maxPitch = 64;
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{1, 2, 3}));
        f.minPitch = 65;
        f.maxPitch = 65;
        QVERIFY(f.apply(notes()).empty());
        f.minPitch = 90;
        f.maxPitch = 127;
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{5}));
    }

    void velocityAndInstrument()
    {
        NoteFilter f;
        f.velocities = {75};
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{2, 4}));
        f.velocities.clear();
        f.instruments = {0, 4};
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{0, 1, 5}));
    }

    void textIsCaseInsensitiveSubstring()
    {
        NoteFilter f;
        f.text = "ACOUSTIC";
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{2, 4}));
        f.text = "vocal_synth";
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{5}));
        f.text = "-060-";
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{2}));
        f.text = "flute";
        QVERIFY(f.apply(notes()).empty());
    }

    void criteriaCombineWithAnd()
    {
        NoteFilter f;
        f.sources = {0};
        f.velocities = {75};
        f.minPitch = 70;
        QCOMPARE(f.apply(notes()), (std::vector<std::size_t>{4}));
        QVERIFY(f.matches(notes()[4]));
        QVERIFY(!f.matches(notes()[2]));
        f.text = "guitar";
        QVERIFY(f.apply(notes()).empty());
    }
};

QTEST_GUILESS_MAIN(tst_NoteFilter)
#include "tst_NoteFilter.moc"
