// Loading NSynth folders: file order kept, fields and counts exact, a clear error naming the note
// and the field for every kind of bad examples.json, missing WAVs listed, fingerprint changes
// with any file, and a test-split-sized folder opens fast.
#include <QtTest>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "common/NsynthFixture.h"
#include "dataset/Dataset.h"
#include "dataset/ExamplesJson.h"
#include "dataset/FastNoteReader.h"
#include "dataset/Labels.h"

using namespace ts;
using namespace ts::dataset;
namespace fx = nsynthfixture;

class tst_Dataset : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    int m_counter = 0;

    std::string newFolder()
    {
        return m_tmp.path().toStdString() + "/set" + std::to_string(m_counter++);
    }
    // A folder whose examples.json is `text` (no WAVs).
    std::string folderWithJson(const std::string& text)
    {
        const std::string folder = newFolder();
        std::filesystem::create_directories(folder + "/audio");
        fx::writeText(folder + "/examples.json", text);
        return folder;
    }
    // A one-note examples.json with `edit` applied to the note's value.
    template <typename Edit>
    std::string folderWithEditedNote(Edit edit)
    {
        nlohmann::json note = fx::noteJson(fx::Note{"guitar_acoustic_007", 7, 3, 0, 60, 100}, 1);
        edit(note);
        nlohmann::json doc = nlohmann::json::object();
        doc["guitar_acoustic_007-060-100"] = note;
        return folderWithJson(doc.dump());
    }
    void expectError(const std::string& folder, ErrorCode code, const QStringList& parts)
    {
        auto result = Dataset::load(folder);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), int(code));
        const QString text = QString::fromStdString(result.error().describe());
        for (const QString& part : parts)
            QVERIFY2(text.contains(part), qPrintable(text + " lacks " + part));
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_tmp.isValid()); }

    void keepsFileOrderAndFields()
    {
        // Keys deliberately out of alphabetical order: the seed split depends on file order.
        std::vector<fx::Note> notes = {
            {"vocal_synthetic_009", 9, 10, 2, 72, 127},
            {"bass_electronic_002", 2, 0, 1, 30, 25},
            {"mallet_acoustic_005", 5, 5, 0, 60, 75},
            {"bass_electronic_002", 2, 0, 1, 31, 50},
        };
        const std::string folder = newFolder();
        QVERIFY(fx::write(folder, notes));
        auto result = Dataset::load(folder);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().describe().c_str());
        const Dataset& ds = *result;
        QCOMPARE(ds.size(), std::size_t(4));
        for (std::size_t i = 0; i < notes.size(); ++i)
            QCOMPARE(ds.notes()[i].noteStr, notes[i].noteStr());
        const NoteRecord& n = ds.notes()[0];
        QCOMPARE(n.note, std::int64_t(0));
        QCOMPARE(n.instrument, 9);
        QCOMPARE(n.instrumentStr, std::string("vocal_synthetic_009"));
        QCOMPARE(n.pitch, 72);
        QCOMPARE(n.velocity, 127);
        QCOMPARE(n.sampleRate, 16000);
        QCOMPARE(int(n.qualities[1]), 1);
        QCOMPARE(int(n.qualities[0]), 0);
        QCOMPARE(n.family, 10);
        QCOMPARE(n.source, 2);
        QVERIFY(n.wavExists);
        QCOMPARE(n.wavPath, std::filesystem::absolute(folder).lexically_normal().string()
                                + "/audio/vocal_synthetic_009-072-127.wav");
        QCOMPARE(ds.notes()[3].note, std::int64_t(3));
    }

    void countsPerClass()
    {
        // bass ×2 instruments, guitar ×1, vocal ×3; 2 pitches × 1 velocity each.
        auto notes = fx::grid({0, 0, 3, 10, 10, 10}, 1, {40, 41}, {100});
        const std::string folder = newFolder();
        QVERIFY(fx::write(folder, notes));
        auto ds = Dataset::load(folder);
        QVERIFY(ds.ok());
        const auto families = ds->familyCounts();
        QCOMPARE(families[0], 4);
        QCOMPARE(families[3], 2);
        QCOMPARE(families[10], 6);
        QCOMPARE(families[1] + families[2] + families[4] + families[5] + families[6] + families[7] + families[8] + families[9], 0);
        // grid cycles sources acoustic, electronic, synthetic per instrument: 2 instruments each.
        const auto sources = ds->sourceCounts();
        QCOMPARE(sources[0], 4);
        QCOMPARE(sources[1], 4);
        QCOMPARE(sources[2], 4);
        QCOMPARE(ds->instrumentCount(), 6);
    }

    void missingWavsAreListedNotFatal()
    {
        auto notes = fx::grid({3}, 2, {60, 62}, {50, 100});
        const std::string folder = newFolder();
        QVERIFY(fx::write(folder, notes, 160, {notes[1].noteStr(), notes[6].noteStr()}));
        auto ds = Dataset::load(folder);
        QVERIFY(ds.ok());
        QCOMPARE(ds->size(), std::size_t(8));
        QCOMPARE(ds->missingWavs(), (std::vector<std::string>{notes[1].noteStr() + ".wav", notes[6].noteStr() + ".wav"}));
        QCOMPARE(ds->usableIndices(), (std::vector<std::size_t>{0, 2, 3, 4, 5, 7}));
        QVERIFY(!ds->notes()[1].wavExists);
        // Missing WAVs still count as notes of their class: they are in the dataset.
        QCOMPARE(ds->familyCounts()[3], 8);
    }

    void folderErrors()
    {
        expectError(m_tmp.path().toStdString() + "/nowhere", ErrorCode::NotFound, {"nowhere", "does not exist"});
        const std::string empty = newFolder();
        std::filesystem::create_directories(empty);
        expectError(empty, ErrorCode::NotFound, {"examples.json is missing"});
        const std::string file = m_tmp.path().toStdString() + "/plain.txt";
        fx::writeText(file, "hello");
        expectError(file, ErrorCode::BadFormat, {"plain.txt", "not a dataset folder"});
    }

    void notJson()
    {
        expectError(folderWithJson("{\n  \"a\": {\"note\": 1,\n  oops\n}"), ErrorCode::BadFormat,
                    {"examples.json", "not valid JSON", "line 3"});
        expectError(folderWithJson(""), ErrorCode::BadFormat, {"examples.json", "not valid JSON"});
        expectError(folderWithJson("{\"a\": {\"note\": 1}"), ErrorCode::BadFormat, {"not valid JSON"});
    }

    void notAnObject()
    {
        expectError(folderWithJson("[1, 2, 3]"), ErrorCode::BadFormat, {"examples.json", "one JSON object", "an array"});
        expectError(folderWithJson("42"), ErrorCode::BadFormat, {"one JSON object", "an integer"});
        expectError(folderWithJson("{}"), ErrorCode::BadFormat, {"examples.json", "no notes"});
        expectError(folderWithJson("{\"guitar_acoustic_007-060-100\": 5}"), ErrorCode::BadFormat,
                    {"guitar_acoustic_007-060-100", "should be an object"});
    }

    void lacksAField_data()
    {
        QTest::addColumn<QString>("field");
        for (const char* f : {"note", "note_str", "instrument", "instrument_str", "pitch", "velocity", "sample_rate",
                              "qualities", "qualities_str", "instrument_family", "instrument_family_str",
                              "instrument_source", "instrument_source_str"})
            QTest::newRow(f) << QString::fromLatin1(f);
    }
    void lacksAField()
    {
        QFETCH(QString, field);
        const std::string name = field.toStdString();
        expectError(folderWithEditedNote([&](nlohmann::json& n) { n.erase(name); }), ErrorCode::BadFormat,
                    {"examples.json", "guitar_acoustic_007-060-100", "lacks the field \"" + field + "\""});
    }

    void wrongType()
    {
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["pitch"] = "sixty"; }), ErrorCode::BadFormat,
                    {"guitar_acoustic_007-060-100", "\"pitch\" should be an integer, not a string"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["velocity"] = 100.5; }), ErrorCode::BadFormat,
                    {"\"velocity\" should be an integer, not a fractional number"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["instrument_str"] = 7; }), ErrorCode::BadFormat,
                    {"\"instrument_str\" should be a string, not an integer"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["qualities"] = "dark"; }), ErrorCode::BadFormat,
                    {"\"qualities\" should be an array"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["qualities"] = std::vector<int>(9, 0); }),
                    ErrorCode::BadFormat, {"\"qualities\" has 9 values, expected 10"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["qualities_str"] = nlohmann::json::array({1}); }),
                    ErrorCode::BadFormat, {"\"qualities_str\" should be an array of strings"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["note"] = nullptr; }), ErrorCode::BadFormat,
                    {"\"note\" should be an integer, not null"});
    }

    // An imported dataset: own classes (sorted, a note's index among them), unknown family and
    // source (-1 "unknown", not counted), read by the careful reader (the quick one gives up).
    void ownClassesAndUnknownLabels()
    {
        nlohmann::json doc = nlohmann::json::object();
        const char* classes[] = {"rhodes", "dx7", "rhodes", "wurli"};
        for (int i = 0; i < 4; ++i) {
            nlohmann::json note = fx::noteJson(fx::Note{"guitar_acoustic_007", 7, 3, 0, 60 + i, 100}, i + 1);
            note["class_str"] = classes[i];
            if (i == 3) {
                note["instrument_family"] = -1;
                note["instrument_family_str"] = "unknown";
                note["instrument_source"] = -1;
                note["instrument_source_str"] = "unknown";
            }
            doc[note["note_str"].get<std::string>()] = note;
        }
        auto data = Dataset::load(folderWithJson(doc.dump()));
        QVERIFY2(data.ok(), data.ok() ? "" : data.error().describe().c_str());
        QCOMPARE(data->classNames(), (std::vector<std::string>{"dx7", "rhodes", "wurli"}));
        std::vector<int> indices;
        for (const auto& n : data->notes())
            indices.push_back(data->classIndex(n));
        std::sort(indices.begin(), indices.end());
        QCOMPARE(indices, (std::vector<int>{0, 1, 1, 2}));
        QCOMPARE(data->familyCounts()[3], 3);  // guitar: the unknown one is not counted
        QCOMPARE(data->sourceCounts()[0], 3);
        int unknown = 0;
        for (const auto& n : data->notes())
            unknown += n.family == ts::dataset::kUnknownLabel && n.source == ts::dataset::kUnknownLabel;
        QCOMPARE(unknown, 1);
    }

    void inconsistentLabels()
    {
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["instrument_family"] = 11; }), ErrorCode::BadFormat,
                    {"\"instrument_family\" is 11, expected 0 to 10"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["instrument_source"] = -2; }), ErrorCode::BadFormat,
                    {"\"instrument_source\" is -2, expected 0 to 2 (or -1, unknown)"});
        // -1 is an imported note's unknown source, and must say so in its name.
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["instrument_source"] = -1; }), ErrorCode::BadFormat,
                    {"\"instrument_source_str\" is \"acoustic\" but \"instrument_source\" -1 means \"unknown\""});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["class_str"] = ""; }), ErrorCode::BadFormat,
                    {"\"class_str\" should be a class name, not empty"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["class_str"] = 3; }), ErrorCode::BadFormat,
                    {"\"class_str\" should be a class name, not an integer"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["instrument_family_str"] = "bass"; }),
                    ErrorCode::BadFormat, {"\"instrument_family_str\" is \"bass\"", "means \"guitar\""});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["pitch"] = 128; }), ErrorCode::BadFormat,
                    {"\"pitch\" is 128"});
        expectError(folderWithEditedNote([](nlohmann::json& n) { n["note_str"] = "other"; }), ErrorCode::BadFormat,
                    {"\"note_str\" is \"other\"", "key is \"guitar_acoustic_007-060-100\""});
    }

    void rejectsPathsAndDuplicates()
    {
        nlohmann::json evil = fx::noteJson(fx::Note{"../x", 1, 0, 0, 60, 100}, 1);
        nlohmann::json doc = nlohmann::json::object();
        doc[evil["note_str"].get<std::string>()] = evil;
        expectError(folderWithJson(doc.dump()), ErrorCode::BadFormat, {"cannot name a file in audio/"});

        const fx::Note n{"bass_acoustic_000", 0, 0, 0, 60, 100};
        const std::string one = "\"" + n.noteStr() + "\": " + fx::noteJson(n, 0).dump();
        expectError(folderWithJson("{" + one + "," + one + "}"), ErrorCode::BadFormat,
                    {"\"bass_acoustic_000-060-100\" appears twice"});
    }

    void fingerprintFollowsFiles()
    {
        auto notes = fx::grid({1}, 1, {60, 61, 62}, {100});
        const std::string folder = newFolder();
        QVERIFY(fx::write(folder, notes));
        const std::string first = Dataset::load(folder)->fingerprint();
        QCOMPARE(first.size(), std::size_t(16));
        QCOMPARE(Dataset::load(folder)->fingerprint(), first);

        // A WAV of another length: size changes.
        const std::string wav = folder + "/audio/" + notes[1].noteStr() + ".wav";
        QVERIFY(fx::writeWav(wav, fx::tone(61, 800)));
        const std::string second = Dataset::load(folder)->fingerprint();
        QVERIFY(second != first);

        // Same size, new content: only the modification time tells.
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        QVERIFY(fx::writeWav(wav, fx::tone(30, 800)));
        const std::string third = Dataset::load(folder)->fingerprint();
        QVERIFY(third != second);

        // A WAV removed.
        std::filesystem::remove(folder + "/audio/" + notes[2].noteStr() + ".wav");
        const std::string fourth = Dataset::load(folder)->fingerprint();
        QVERIFY(fourth != third);

        // examples.json edited (one note's velocity label), WAVs untouched.
        std::string text = fx::examplesJson(notes);
        text.replace(text.find("\"qualities\":[0,1"), 16, "\"qualities\":[1,1");
        fx::writeText(folder + "/examples.json", text);
        QVERIFY(Dataset::load(folder)->fingerprint() != fourth);
    }

    void loadsTestSplitSizeFast()
    {
        // NSynth's test split size: 4,096 notes. The GUI must open it in well under a second.
        auto notes = fx::grid({0, 1, 2, 3, 4, 5, 6, 7, 8, 10}, 6, {30, 40, 50, 60, 70, 80, 90, 100}, {25, 50, 75, 100, 127});
        notes.resize(2048);
        auto more = fx::grid({0, 1, 2, 3, 4, 5, 6, 7, 8, 10}, 6, {31, 41, 51, 61, 71, 81, 91, 101}, {25, 50, 75, 100, 127});
        more.resize(2048);
        notes.insert(notes.end(), more.begin(), more.end());
        const std::string folder = newFolder();
        QVERIFY(fx::write(folder, notes, 16));
        QElapsedTimer timer;
        timer.start();
        auto ds = Dataset::load(folder);
        const qint64 ms = timer.elapsed();
        QVERIFY(ds.ok());
        QCOMPARE(ds->size(), std::size_t(4096));
        qInfo("4,096-note examples.json loaded in %lld ms", static_cast<long long>(ms));
        QVERIFY2(ms < 1000, qPrintable(QString::number(ms)));
    }

    // The quick reader accepts a well-formed file with exactly the careful reader's records, and
    // gives up on anything it would have to word an error for, leaving that to the careful reader.
    void quickReaderAgreesOrGivesUp()
    {
        nlohmann::json doc = nlohmann::json::object();
        for (int i = 0; i < 3; ++i) {
            auto note = fx::noteJson(fx::Note{"reed_acoustic_00" + std::to_string(i), i, 7, 0, 60 + i, 75}, i);
            note["unknown_field"] = {{"nested", {1, 2.5, "x"}}};  // ignored by both
            doc[note["note_str"].get<std::string>()] = note;
        }
        const std::string text = doc.dump();
        const auto quick = ts::dataset::readNotesFast(text);
        const auto careful = ts::dataset::ExamplesJson::parseCarefully(text, "examples.json");
        QVERIFY(quick && careful.ok());
        QCOMPARE(quick->size(), careful->size());
        for (std::size_t i = 0; i < quick->size(); ++i) {
            const auto& a = (*quick)[i];
            const auto& b = (*careful)[i];
            QCOMPARE(a.noteStr, b.noteStr);
            QCOMPARE(a.instrumentStr, b.instrumentStr);
            QVERIFY(a.note == b.note && a.instrument == b.instrument && a.pitch == b.pitch && a.velocity == b.velocity
                    && a.sampleRate == b.sampleRate && a.qualities == b.qualities && a.family == b.family
                    && a.source == b.source);
        }
        const auto edited = [&](auto edit) {
            auto d = doc;
            edit(d[doc.begin().key()]);
            return d.dump();
        };
        const std::string giveUps[] = {
            edited([](nlohmann::json& n) { n.erase("pitch"); }),
            edited([](nlohmann::json& n) { n["pitch"] = 60.5; }),
            edited([](nlohmann::json& n) { n["pitch"] = 128; }),
            edited([](nlohmann::json& n) { n["qualities"][3] = 2; }),
            edited([](nlohmann::json& n) { n["qualities_str"] = {1}; }),
            edited([](nlohmann::json& n) { n["instrument_family_str"] = "flute"; }),
            edited([](nlohmann::json& n) { n["note_str"] = "other"; }),
            edited([](nlohmann::json& n) { n["velocity"] = "75"; }),
            "[]", "{}", text.substr(0, text.size() - 1), text + "x",
            // The same key twice.
            "{\"" + doc.begin().key() + "\": " + doc.begin().value().dump() + ", \"" + doc.begin().key() + "\": "
                + doc.begin().value().dump() + "}",
        };
        for (const std::string& bad : giveUps) {
            QVERIFY2(!ts::dataset::readNotesFast(bad), bad.c_str());
            const auto viaParse = ts::dataset::ExamplesJson::parse(bad, "examples.json");
            const auto viaCareful = ts::dataset::ExamplesJson::parseCarefully(bad, "examples.json");
            QCOMPARE(viaParse.ok(), viaCareful.ok());
            if (!viaParse.ok())
                QCOMPARE(viaParse.error().describe(), viaCareful.error().describe());
        }
    }
};

QTEST_GUILESS_MAIN(tst_Dataset)
#include "tst_Dataset.moc"
