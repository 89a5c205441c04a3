// A dataset from several sound generators: the plan numbers instruments across generators, leaves
// out a later generator's presets that replay an earlier one's samples, records each instrument's
// generator; Dataset reads it back from instruments.json; the generator split leaves one out.
#include <QtTest>

#include <filesystem>
#include <set>

#include "common/Fundamental.h"
#include "common/NsynthFixture.h"
#include "dataset/Dataset.h"
#include "dataset/Split.h"
#include "synth/GeneratorCatalogue.h"
#include "synth/LoadedSoundFont.h"
#include "synth/NoteRenderer.h"
#include "synth/RenderPlan.h"
#include "synth/SoundFontIndex.h"
#include "synth/SoundGenerator.h"
#include "synth/StkVoiceTable.h"

using namespace ts;

namespace {

synth::GeneratorPreset preset(int program, std::vector<std::uint64_t> hashes)
{
    synth::GeneratorPreset p;
    p.program = program;
    p.name = "program " + std::to_string(program);
    p.mapping = synth::GmInstrumentTable::lookup(0, program);
    for (std::uint64_t h : hashes)
        p.samples.emplace_back(std::uint32_t(h), std::uint32_t(h + 1));
    p.sampleHashes = std::move(hashes);
    return p;
}

synth::GeneratorCatalogue catalogue(const std::string& name, bool synthesizer, std::vector<synth::GeneratorPreset> presets)
{
    synth::GeneratorCatalogue c;
    c.generator = {name, synth::GeneratorKind::SoundFont, "/x/" + name + ".sf2", "", synthesizer};
    c.presets = std::move(presets);
    return c;
}

} // namespace

class tst_GeneratorCorpus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void planSpansGeneratorsAndDropsSharedSamples()
    {
        // A: piano (0) and trumpet (56). B: a piano playing A's samples again (left out), a
        // piano with 1 of 3 samples shared (kept: under half), and a trumpet of its own.
        auto a = catalogue("A", false, {preset(0, {1, 2}), preset(56, {3})});
        auto b = catalogue("B", false, {preset(0, {1, 2}), preset(1, {1, 10, 11}), preset(56, {12})});
        synth::RenderOptions grid;
        grid.grid = true;
        auto plan = synth::RenderPlan::make({a, b}, grid);
        QVERIFY(plan.ok());
        QCOMPARE(int(plan->generators().size()), 2);
        QCOMPARE(int(plan->instruments().size()), 4);
        std::vector<std::string> names;
        for (const auto& inst : plan->instruments())
            names.push_back(plan->generators()[inst.generator].name + ":" + inst.instrumentStr);
        // Numbers run per family/source cell across generators, in generator order.
        QCOMPARE(names, (std::vector<std::string>{"A:keyboard_acoustic_000", "A:brass_acoustic_000",
                                                 "B:keyboard_acoustic_002", "B:brass_acoustic_001"}));
        QCOMPARE(int(plan->duplicates().size()), 1);
        QCOMPARE(plan->duplicates()[0].generator, std::string("B"));
        QCOMPARE(plan->duplicates()[0].program, 0);
    }

    void synthesizerGeneratorLabelsEverythingSynthetic()
    {
        // The OPL-3 font is known by its file name wherever it lies; catalogueOf relabels what
        // GmInstrumentTable calls acoustic or electronic as synthetic.
        auto real = synth::soundFontGenerator("/usr/share/sounds/sf2/OPL-3_FM_128M.sf2");
        QVERIFY(real.synthesizer);
        QCOMPARE(real.name, std::string("OPL-3_FM"));
        QVERIFY(!synth::soundFontGenerator("/tmp/Other.sf2").synthesizer);
        QCOMPARE(synth::soundFontGenerator("/tmp/Other.sf2").name, std::string("Other"));
        if (!QFileInfo::exists(QString::fromStdString(real.path)))
            QSKIP("opl3-soundfont is not installed");
        auto catalogueResult = synth::readCatalogue(real, false);
        QVERIFY(catalogueResult.ok());
        int mapped = 0;
        for (const auto& p : catalogueResult->presets) {
            if (p.mapping.tier == synth::PresetTier::Skip)
                continue;
            ++mapped;
            QCOMPARE(p.mapping.source, 2);
        }
        QVERIFY(mapped > 60);
    }

    void everySoundFontGeneratorPlaysInTuneAndAudibly()
    {
        // A4 on the flute (GM 73) of each installed SoundFont: the pitch asked for and a level
        // like the other generators'. (STK's voices: tst_StkNoteRenderer.)
        int checked = 0;
        for (const auto& g : synth::installedGenerators()) {
            if (g.kind != synth::GeneratorKind::SoundFont)
                continue;
            auto font = synth::LoadedSoundFont::load(g.path);
            QVERIFY2(font.ok(), g.path.c_str());
            auto renderer = synth::NoteRenderer::create(*font);
            QVERIFY(renderer.ok());
            auto note = renderer->render(0, 73, 69, 100);
            QVERIFY2(note.ok(), g.name.c_str());
            QVERIFY2(!note->silent && note->rmsDb > -45.0 && note->rmsDb < -6.0,
                     qPrintable(QString::fromStdString(g.name) + ": " + QString::number(note->rmsDb)));
            const double off = ts::test::semitonesOff(note->samples, 69);
            QVERIFY2(std::fabs(off) < 0.5, qPrintable(QString::fromStdString(g.name) + ": " + QString::number(off)));
            ++checked;
        }
        if (checked == 0)
            QSKIP("no SoundFont generator is installed");
    }

    void stkVoicesAreSyntheticAndCoverKeyFamilies()
    {
        auto c = synth::readCatalogue(synth::stkGenerator(), false);
        QVERIFY(c.ok());
        QCOMPARE(c->presets.size(), synth::stkVoices().size());
        std::set<int> families;
        for (const auto& p : c->presets) {
            QCOMPARE(p.mapping.source, 2);
            QVERIFY(p.voice >= 0);
            families.insert(p.mapping.family);
        }
        // reed, organ, bass, keyboard, string, flute: families real recordings miss most. (No brass:
        // STK's Brass model only speaks above MIDI 80 at 48 kHz, see StkVoiceTable.cpp.)
        for (int f : {0, 2, 4, 6, 7, 8})
            QVERIFY2(families.count(f), qPrintable(QString::number(f)));
    }

    void museScoreReplaysMostOfFluidR3()
    {
        const auto fluid = synth::soundFontGenerator("/usr/share/sounds/sf2/FluidR3_GM.sf2");
        const auto muse = synth::soundFontGenerator("/usr/share/sounds/sf2/MuseScore_General_Full.sf2");
        if (!QFileInfo::exists(QString::fromStdString(fluid.path)) || !QFileInfo::exists(QString::fromStdString(muse.path)))
            QSKIP("fluid-soundfont-gm or musescore-general-soundfont-lossless is not installed");
        auto a = synth::readCatalogue(fluid, true);
        auto b = synth::readCatalogue(muse, true);
        QVERIFY(a.ok() && b.ok());
        synth::RenderOptions grid;
        grid.grid = true;
        auto both = synth::RenderPlan::make({*a, *b}, grid);
        auto alone = synth::RenderPlan::make({*b}, grid);
        QVERIFY(both.ok() && alone.ok());
        int fromMuse = 0, crossDuplicates = 0;
        for (const auto& inst : both->instruments())
            fromMuse += inst.generator == 1 ? 1 : 0;
        for (const auto& d : both->duplicates())
            crossDuplicates += d.generator == "MuseScore_General_Full" && d.keptGenerator != d.generator ? 1 : 0;
        // Of MuseScore_General_Full 0.2.1's usable presets, 68 play at least half FluidR3 samples.
        QCOMPARE(crossDuplicates, 68);
        QVERIFY(fromMuse > 10);
        QVERIFY(fromMuse + crossDuplicates <= int(alone->instruments().size()) + crossDuplicates);
    }

    void datasetReadsGeneratorsAndGeneratorSplitLeavesOneOut()
    {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        auto notes = nsynthfixture::grid({0, 1, 2}, 4, {48, 60}, {100});  // 12 instruments, 24 notes
        QVERIFY(nsynthfixture::write(folder, notes));
        nlohmann::json instruments = nlohmann::json::array();
        std::set<std::string> seen;
        for (const auto& n : notes) {
            if (!seen.insert(n.instrumentStr).second)
                continue;
            instruments.push_back({{"instrument_str", n.instrumentStr}, {"generator", n.instrument % 3 == 0 ? "STK" : "FluidR3_GM"}});
        }
        QVERIFY(nsynthfixture::writeText(folder + "/instruments.json", nlohmann::json{{"instruments", instruments}}.dump()));
        auto ds = dataset::Dataset::load(folder);
        QVERIFY(ds.ok());
        const auto counts = ds->generatorCounts();
        QCOMPARE(int(counts.size()), 2);
        QCOMPARE(counts[0], (std::pair<std::string, int>{"FluidR3_GM", 16}));
        QCOMPARE(counts[1], (std::pair<std::string, int>{"STK", 8}));

        dataset::SplitOptions options;
        options.policy = *dataset::parseSplitPolicy("generator:STK");
        options.heldOutGenerator = dataset::heldOutGeneratorOf("generator:STK");
        QCOMPARE(options.heldOutGenerator, std::string("STK"));
        auto split = dataset::makeSplit(*ds, options);
        QVERIFY(split.ok());
        QCOMPARE(int(split->test.size()), 8);
        for (std::size_t i : split->test)
            QCOMPARE(ds->notes()[i].generator, std::string("STK"));
        QCOMPARE(int(split->train.size() + split->validation.size()), 16);
        QVERIFY(!split->validation.empty());
        std::set<int> trainInstruments, validationInstruments;
        for (std::size_t i : split->train)
            trainInstruments.insert(ds->notes()[i].instrument);
        for (std::size_t i : split->validation)
            QVERIFY(!trainInstruments.count(ds->notes()[i].instrument));

        options.heldOutGenerator = "TimGM6mb";
        auto none = dataset::makeSplit(*ds, options);
        QVERIFY(!none.ok());
        QVERIFY2(QString::fromStdString(none.error().message).contains("FluidR3_GM, STK"), none.error().message.c_str());

        // A damaged sidecar only means "generators unknown".
        QVERIFY(nsynthfixture::writeText(folder + "/instruments.json", "{ not json"));
        auto again = dataset::Dataset::load(folder);
        QVERIFY(again.ok());
        QVERIFY(again->generatorCounts().empty());
    }
};

QTEST_MAIN(tst_GeneratorCorpus)
#include "tst_GeneratorCorpus.moc"
