// RenderPlan: which presets become instruments, their stable names, and how --count balances.
#include <QtTest>

#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "common/TinySoundFont.h"
#include "synth/RenderPlan.h"

using ts::synth::RenderOptions;
using ts::synth::RenderPlan;
using ts::synth::SoundFontIndex;

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

RenderOptions countOptions(std::size_t count, std::uint64_t seed = 0)
{
    RenderOptions o;
    o.count = count;
    o.seed = seed;
    return o;
}

std::vector<std::tuple<std::size_t, int, int>> flatten(const RenderPlan& plan)
{
    std::vector<std::tuple<std::size_t, int, int>> v;
    for (const auto& n : plan.notes())
        v.emplace_back(n.instrumentIndex, n.pitch, n.velocity);
    return v;
}

} // namespace

class tst_RenderPlan : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tinyFontKeepsOneOfTwoDuplicatesAndSkipsPercussion()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("tiny.sf2")).toStdString();
        std::ofstream(path, std::ios::binary) << ts::test::tinySoundFontBytes();
        auto index = SoundFontIndex::read(path);
        QVERIFY(index.ok());
        RenderOptions grid;
        grid.grid = true;
        auto plan = RenderPlan::make(*index, grid);
        QVERIFY(plan.ok());
        // Piano (0:0) and Violin (0:40) remain; Flute (0:73) plays Piano's samples; timpani and
        // the kit are percussion.
        QCOMPARE(int(plan->instruments().size()), 2);
        QCOMPARE(plan->instruments()[0].instrumentStr, std::string("keyboard_acoustic_000"));
        QCOMPARE(plan->instruments()[1].instrumentStr, std::string("string_acoustic_000"));
        QCOMPARE(plan->instruments()[1].instrument, 1);
        QCOMPARE(int(plan->duplicates().size()), 1);
        QCOMPARE(plan->duplicates()[0].program, 73);
        QCOMPARE(plan->duplicates()[0].keptProgram, 0);
        // Grid: piano 21-108 and violin 55-100, five velocities each.
        QCOMPARE(int(plan->notes().size()), (88 + 46) * 5);
        QCOMPARE(RenderPlan::noteStr(plan->instruments()[1], 60, 25), std::string("string_acoustic_000-060-025"));
    }

    void countBalancesFamiliesVelocitiesAndPitches()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto index = SoundFontIndex::read(kFluid);
        QVERIFY(index.ok());
        auto plan = RenderPlan::make(*index, countOptions(4096));
        QVERIFY(plan.ok());
        QCOMPARE(plan->notes().size(), std::size_t(4096));
        QCOMPARE(int(plan->instruments().size()), 77);
        QCOMPARE(int(plan->duplicates().size()), 21);

        std::map<int, int> perFamily, perVelocity;
        std::set<std::tuple<std::size_t, int, int>> unique;
        for (const auto& n : plan->notes()) {
            const auto& inst = plan->instruments()[n.instrumentIndex];
            ++perFamily[inst.mapping.family];
            ++perVelocity[n.velocity];
            QVERIFY(n.pitch >= inst.mapping.pitchLow && n.pitch <= inst.mapping.pitchHigh);
            unique.insert({n.instrumentIndex, n.pitch, n.velocity});
        }
        QCOMPARE(unique.size(), std::size_t(4096));
        QCOMPARE(int(perFamily.size()), 11);
        for (const auto& [family, count] : perFamily)  // 4096 / 11 = 372.4: every family gets 372 or 373
            QVERIFY2(count == 372 || count == 373, QByteArray::number(family) + ": " + QByteArray::number(count));
        for (const auto& [velocity, count] : perVelocity)
            QVERIFY2(std::abs(count - 4096 / 5) <= 10, QByteArray::number(velocity));

        // Within one instrument the pitches spread over its range rather than clustering.
        std::set<int> fluteLowHalf, fluteHighHalf;
        for (const auto& n : plan->notes()) {
            const auto& inst = plan->instruments()[n.instrumentIndex];
            if (inst.bank == 0 && inst.program == 73)
                (n.pitch <= 78 ? fluteLowHalf : fluteHighHalf).insert(n.pitch);
        }
        QVERIFY(fluteLowHalf.size() >= 10 && fluteHighHalf.size() >= 10);
    }

    void sameSeedSamePlanOtherSeedAnother()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto index = SoundFontIndex::read(kFluid);
        QVERIFY(index.ok());
        auto a = RenderPlan::make(*index, countOptions(500, 1));
        auto b = RenderPlan::make(*index, countOptions(500, 1));
        auto c = RenderPlan::make(*index, countOptions(500, 2));
        QVERIFY(a.ok() && b.ok() && c.ok());
        QVERIFY(flatten(*a) == flatten(*b));
        QVERIFY(flatten(*a) != flatten(*c));
        // Ambiguous presets add instruments but do not renumber the core ones.
        RenderOptions withAmbiguous = countOptions(500, 1);
        withAmbiguous.includeAmbiguous = true;
        auto d = RenderPlan::make(*index, withAmbiguous);
        QVERIFY(d.ok());
        QVERIFY(d->instruments().size() > a->instruments().size());
        for (const auto& inst : a->instruments()) {
            bool found = false;
            for (const auto& other : d->instruments())
                found = found || (other.bank == inst.bank && other.program == inst.program && other.instrumentStr == inst.instrumentStr);
            QVERIFY2(found, inst.instrumentStr.c_str());
        }
    }

    void refusesZeroAndTooManyNotes()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto index = SoundFontIndex::read(kFluid);
        QVERIFY(index.ok());
        auto zero = RenderPlan::make(*index, countOptions(0));
        QVERIFY(!zero.ok() && zero.error().code == ts::ErrorCode::InvalidArgument);
        auto tooMany = RenderPlan::make(*index, countOptions(10'000'000));
        QVERIFY(!tooMany.ok());
        QVERIFY(tooMany.error().message.find("--grid") != std::string::npos);
    }

    void replacementsAvoidKnownSilentPitches()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto index = SoundFontIndex::read(kFluid);
        QVERIFY(index.ok());
        auto plan = RenderPlan::make(*index, countOptions(200));
        QVERIFY(plan.ok());
        const auto first = plan->notes().front();
        std::set<std::tuple<int, int>> taken;
        for (const auto& n : plan->notes())
            if (n.instrumentIndex == first.instrumentIndex)
                taken.insert({n.pitch, n.velocity});
        for (int i = 0; i < 5; ++i) {
            auto r = plan->takeReplacement(first.instrumentIndex, first.pitch);
            QVERIFY(r.has_value());
            QVERIFY(r->pitch != first.pitch);
            QVERIFY(taken.insert({r->pitch, r->velocity}).second);  // never a combination already used
        }
    }
};

QTEST_GUILESS_MAIN(tst_RenderPlan)
#include "tst_RenderPlan.moc"
