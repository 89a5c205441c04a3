// The GM -> NSynth table: the labels, tiers and ranges NSynth's definitions give each GM program.
#include <QtTest>

#include <algorithm>
#include <string_view>

#include "dataset/Labels.h"
#include "synth/GmInstrumentTable.h"

using ts::synth::GmInstrumentTable;
using ts::synth::GmMapping;
using ts::synth::PresetTier;

namespace {

int family(std::string_view name)
{
    const auto& names = ts::dataset::kFamilyNames;
    return int(std::find(names.begin(), names.end(), name) - names.begin());
}

int source(std::string_view name)
{
    const auto& names = ts::dataset::kSourceNames;
    return int(std::find(names.begin(), names.end(), name) - names.begin());
}

void expectMapping(int bank, int program, PresetTier tier, const char* fam, const char* src, int low, int high)
{
    const GmMapping m = GmInstrumentTable::lookup(bank, program);
    const QByteArray where = QByteArray::number(bank) + ":" + QByteArray::number(program);
    QVERIFY2(m.tier == tier, where.constData());
    QVERIFY2(m.family == family(fam), where.constData());
    QVERIFY2(m.source == source(src), where.constData());
    QVERIFY2(m.pitchLow == low && m.pitchHigh == high, where.constData());
}

} // namespace

class tst_GmInstrumentTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void corePresetsHaveTheReferenceLabelsAndRanges()
    {
        expectMapping(0, 0, PresetTier::Core, "keyboard", "acoustic", 21, 108);
        expectMapping(0, 4, PresetTier::Core, "keyboard", "electronic", 28, 100);
        expectMapping(0, 5, PresetTier::Core, "keyboard", "synthetic", 28, 100);
        expectMapping(0, 7, PresetTier::Core, "keyboard", "electronic", 29, 88);
        expectMapping(0, 9, PresetTier::Core, "mallet", "acoustic", 79, 108);
        expectMapping(0, 16, PresetTier::Core, "organ", "electronic", 36, 96);
        expectMapping(0, 19, PresetTier::Core, "organ", "acoustic", 24, 96);
        expectMapping(0, 30, PresetTier::Core, "guitar", "electronic", 40, 86);
        expectMapping(0, 32, PresetTier::Core, "bass", "acoustic", 28, 67);
        expectMapping(0, 39, PresetTier::Core, "bass", "synthetic", 24, 72);
        expectMapping(0, 43, PresetTier::Core, "string", "acoustic", 28, 67);
        expectMapping(0, 51, PresetTier::Core, "string", "synthetic", 36, 96);
        expectMapping(0, 54, PresetTier::Core, "vocal", "synthetic", 40, 84);
        expectMapping(0, 58, PresetTier::Core, "brass", "acoustic", 28, 65);
        expectMapping(0, 63, PresetTier::Core, "brass", "synthetic", 36, 96);
        expectMapping(0, 70, PresetTier::Core, "reed", "acoustic", 34, 75);
        expectMapping(0, 73, PresetTier::Core, "flute", "acoustic", 60, 96);
        expectMapping(0, 87, PresetTier::Core, "synth_lead", "synthetic", 36, 96);
        expectMapping(0, 105, PresetTier::Core, "guitar", "acoustic", 48, 84);
        expectMapping(0, 110, PresetTier::Core, "string", "acoustic", 55, 100);
        expectMapping(0, 111, PresetTier::Core, "reed", "acoustic", 60, 88);
    }

    void ambiguousAndSkippedPresets()
    {
        for (int program : {8, 21, 22, 23, 31, 46, 78, 85, 104, 106, 107, 108, 109, 114})
            QVERIFY2(GmInstrumentTable::lookup(0, program).tier == PresetTier::Ambiguous, QByteArray::number(program));
        for (int program : {10, 15, 47, 55, 88, 95, 96, 103, 112, 113, 115, 119, 120, 127}) {
            const GmMapping m = GmInstrumentTable::lookup(0, program);
            QVERIFY2(m.tier == PresetTier::Skip && m.family == -1, QByteArray::number(program));
            QVERIFY(!m.usable(true));
        }
        QVERIFY(GmInstrumentTable::lookup(0, 0).usable(false));
        QVERIFY(!GmInstrumentTable::lookup(0, 8).usable(false));
        QVERIFY(GmInstrumentTable::lookup(0, 8).usable(true));
    }

    void variationAndOtherBanks()
    {
        expectMapping(8, 24, PresetTier::Core, "guitar", "acoustic", 60, 84);   // ukulele
        expectMapping(16, 25, PresetTier::Core, "guitar", "acoustic", 55, 88);  // mandolin
        expectMapping(8, 38, PresetTier::Core, "bass", "synthetic", 24, 72);    // inherits program 38
        expectMapping(8, 14, PresetTier::Ambiguous, "mallet", "acoustic", 60, 84);  // church bell
        QVERIFY(GmInstrumentTable::lookup(8, 30).tier == PresetTier::Skip);
        QVERIFY(GmInstrumentTable::lookup(8, 48).tier == PresetTier::Skip);
        QVERIFY(GmInstrumentTable::lookup(128, 0).tier == PresetTier::Skip);
        // MuseScore: expression duplicates skipped, section banks are strings, 20:81 a lead.
        QVERIFY(GmInstrumentTable::lookup(17, 40).tier == PresetTier::Skip);
        expectMapping(20, 42, PresetTier::Core, "string", "acoustic", 36, 79);
        expectMapping(20, 81, PresetTier::Core, "synth_lead", "synthetic", 36, 96);
        // An unknown bank keeps the program's labels but only as ambiguous.
        expectMapping(3, 0, PresetTier::Ambiguous, "keyboard", "acoustic", 21, 108);
        QVERIFY(GmInstrumentTable::lookup(0, 128).tier == PresetTier::Skip);
        QVERIFY(GmInstrumentTable::lookup(0, -1).tier == PresetTier::Skip);
    }

    void everyProgramHasAnEntry()
    {
        // A missing row in the 128-entry table would read as a zero-initialised "core bass".
        int core = 0, ambiguous = 0, skipped = 0;
        for (int program = 0; program < 128; ++program) {
            const GmMapping m = GmInstrumentTable::lookup(0, program);
            QVERIFY2(!m.note.empty(), QByteArray::number(program));
            if (m.tier == PresetTier::Skip) {
                ++skipped;
                continue;
            }
            m.tier == PresetTier::Core ? ++core : ++ambiguous;
            QVERIFY(m.family >= 0 && m.family < 11 && m.source >= 0 && m.source < 3);
            QVERIFY(m.pitchLow >= 0 && m.pitchLow < m.pitchHigh && m.pitchHigh <= 127);
        }
        QCOMPARE(core, 79);
        QCOMPARE(ambiguous, 14);
        QCOMPARE(skipped, 35);
    }
};

QTEST_GUILESS_MAIN(tst_GmInstrumentTable)
#include "tst_GmInstrumentTable.moc"
