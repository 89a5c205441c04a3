// SoundFontIndex reads a SoundFont's preset directory (and refuses what is not a SoundFont).
#include <QtTest>

#include <fstream>

#include "common/TinySoundFont.h"
#include "synth/SoundFontIndex.h"

using ts::synth::SoundFontIndex;

namespace {

std::string writeFile(const QTemporaryDir& dir, const char* name, const std::string& bytes)
{
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

} // namespace

class tst_SoundFontIndex : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsPresetsSortedWithTheirSamples()
    {
        QTemporaryDir dir;
        const std::string path = writeFile(dir, "tiny.sf2", ts::test::tinySoundFontBytes());
        auto index = SoundFontIndex::read(path);
        QVERIFY2(index.ok(), index.ok() ? "" : index.error().describe().c_str());
        const auto& p = index->presets();
        QCOMPARE(int(p.size()), 5);
        QCOMPARE(p[0].name, std::string("Tiny Piano"));
        QCOMPARE(p[1].name, std::string("Tiny Violin"));
        QCOMPARE(p[1].program, 40);
        QCOMPARE(p[3].name, std::string("Tiny Flute"));
        QCOMPARE(p[4].bank, 128);
        // Piano and Flute play the same sample: equal lists. The violin's is the second sample.
        QCOMPARE(p[0].samples.size(), std::size_t(1));
        QVERIFY(p[0].samples == p[3].samples);
        QCOMPARE(p[1].samples.front().first, std::uint32_t(2046));
        QCOMPARE(p[1].samples.front().second, std::uint32_t(4046));
        QCOMPARE(index->fileBytes(), std::uint64_t(ts::test::tinySoundFontBytes().size()));
    }

    void findsFluidR3Duplicates()
    {
        const std::string fluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
        if (!QFile::exists(QString::fromStdString(fluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        auto index = SoundFontIndex::read(fluid);
        QVERIFY(index.ok());
        QCOMPARE(int(index->presets().size()), 189);
        auto find = [&](int bank, int program) {
            for (const auto& preset : index->presets())
                if (preset.bank == bank && preset.program == program)
                    return preset;
            return ts::synth::SoundFontPreset{};
        };
        QVERIFY(find(0, 110).samples == find(0, 40).samples);  // Fiddle = Violin
        QVERIFY(find(0, 3).samples == find(0, 0).samples);     // Honky-tonk = Grand Piano
        QVERIFY(find(0, 73).samples != find(0, 72).samples);   // Flute != Piccolo
    }

    void refusesWhatIsNotASoundFont()
    {
        QTemporaryDir dir;
        auto missing = SoundFontIndex::read(dir.filePath(QStringLiteral("nope.sf2")).toStdString());
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().code == ts::ErrorCode::NotFound);

        auto text = SoundFontIndex::read(writeFile(dir, "text.sf2", "this is not a SoundFont at all"));
        QVERIFY(!text.ok());
        QVERIFY(text.error().code == ts::ErrorCode::BadFormat);
        QVERIFY(text.error().describe().find("text.sf2: not a SoundFont") != std::string::npos);

        auto empty = SoundFontIndex::read(writeFile(dir, "empty.sf2", ""));
        QVERIFY(!empty.ok() && empty.error().code == ts::ErrorCode::BadFormat);

        auto folder = SoundFontIndex::read(dir.path().toStdString());
        QVERIFY(!folder.ok());

        // A WAV is RIFF too, but not 'sfbk'.
        auto wav = SoundFontIndex::read(writeFile(dir, "a.wav", std::string("RIFF\x24\0\0\0WAVEfmt ", 16)));
        QVERIFY(!wav.ok() && wav.error().code == ts::ErrorCode::BadFormat);

        // Cut anywhere before the end of the preset data: an error, never a crash.
        const std::string bytes = ts::test::tinySoundFontBytes();
        for (std::size_t cut : {std::size_t(12), std::size_t(100), bytes.size() / 2, bytes.size() - 300, bytes.size() - 1}) {
            auto cutIndex = SoundFontIndex::read(writeFile(dir, "cut.sf2", bytes.substr(0, cut)));
            QVERIFY2(!cutIndex.ok(), QByteArray::number(qulonglong(cut)));
        }
    }

    void refusesOverlappingZones()
    {
        // Every record valid, but the bag and generator indices alternate 0 / 65535, so the zones
        // of the presets and of the instrument overlap: reading this 4 KB file visited every bag and
        // generator once per preset, bag and generator (over 10^8 sample references, minutes and
        // gigabytes). Indices must not go backwards (SoundFont 2.04); the file is refused at once.
        using namespace ts::test::tinysf;
        auto alternating = [](std::size_t count) {
            std::string records;
            for (std::size_t i = 0; i < count; ++i) {
                le16(records, i % 2 ? 65535 : 0);
                le16(records, 0);
            }
            return records;
        };
        std::string phdr;
        for (unsigned i = 0; i < 5; ++i) {
            name20(phdr, i < 4 ? "P" : "EOP");
            le16(phdr, i);
            le16(phdr, 0);
            le16(phdr, i % 2 ? 65535 : 0);
            le32(phdr, 0); le32(phdr, 0); le32(phdr, 0);
        }
        std::string pgen, igen;
        for (int i = 0; i < 200; ++i) {
            le16(pgen, 41); le16(pgen, 0);  // instrument 0
            le16(igen, 53); le16(igen, 0);  // sample 0
        }
        std::string inst;
        name20(inst, "I0"); le16(inst, 0);
        name20(inst, "EOI"); le16(inst, 65535);
        std::string shdr;
        name20(shdr, "S0");
        for (std::uint32_t v : {0u, 100u, 10u, 90u, 44100u})
            le32(shdr, v);
        shdr += std::string("\x3c\0\0\0\x01\0", 6);
        name20(shdr, "EOS");
        shdr += std::string(26, '\0');
        const std::string pdta = list("pdta", chunk("phdr", phdr) + chunk("pbag", alternating(200))
                                                  + chunk("pmod", std::string(10, '\0')) + chunk("pgen", pgen)
                                                  + chunk("inst", inst) + chunk("ibag", alternating(200))
                                                  + chunk("imod", std::string(10, '\0')) + chunk("igen", igen)
                                                  + chunk("shdr", shdr));
        const std::string bytes = chunk("RIFF", "sfbk" + list("sdta", chunk("smpl", std::string(300, '\0'))) + pdta);
        QTemporaryDir dir;
        QElapsedTimer timer;
        timer.start();
        auto index = SoundFontIndex::read(writeFile(dir, "overlap.sf2", bytes));
        QVERIFY(timer.elapsed() < 1000);
        QVERIFY(!index.ok());
        QCOMPARE(index.error().message,
                 std::string("not a SoundFont (damaged preset directory: its bag or generator indices go backwards)"));
    }
};

QTEST_GUILESS_MAIN(tst_SoundFontIndex)
#include "tst_SoundFontIndex.moc"
