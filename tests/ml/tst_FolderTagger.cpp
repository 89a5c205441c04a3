// Tagging a folder (ml::FolderTagger) with a timbre-net trained on tones (low = bass/acoustic, high =
// flute/synthetic): every sound file under the folder in path order, answers equal to one-file
// prediction on 1 and 2 threads, an unreadable file named with its reason, a cancel before the start
// leaving every file "cancelled"; the CSV; and sorting into folders: a dry-run plan that mirrors the
// subfolders under one folder per label, keeps uncertain answers apart, never plans over an existing
// file, and links or copies without touching the sources or overwriting what appeared meanwhile.
// ctest-label: threads
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "common/ToyTimbreNet.h"
#include "ml/FolderTagger.h"
#include "ml/ModelFile.h"
#include "ml/Safetensors.h"

using namespace ts;
namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

ml::TaggedFile taggedAs(const std::string& path, const std::string& family, float confidence, bool uncertain)
{
    ml::TargetPrediction p;
    p.label = family;
    p.confidence = confidence;
    p.uncertain = uncertain;
    ml::TaggedFile file;
    file.path = path;
    file.prediction = ml::Prediction{};
    file.prediction->family = p;
    return file;
}

} // namespace

class tst_FolderTagger : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_model, m_folder;
    std::vector<std::string> m_files;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("toy.tsm")).toStdString();
        const QString trained = toymodel::trainToyTimbreNet(QString::fromStdString(m_model));
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
        m_folder = m_dir.filePath(QStringLiteral("library")).toStdString();
        fs::create_directories(m_folder + "/low");
        fs::create_directories(m_folder + "/high/deeper");
        const std::pair<const char*, double> tones[] = {{"/low/a.wav", 110.0}, {"/low/b.wav", 130.0}, {"/high/a.wav", 1600.0},
                                                        {"/high/deeper/c.wav", 1700.0}, {"/low/c.flac", 120.0}};
        for (const auto& [name, hz] : tones) {
            const std::string path = m_folder + name;
            if (std::string(name).find(".flac") != std::string::npos)
                continue;
            QVERIFY(audio::writeWav16(path, toymodel::toneAt16k(hz, 4.0), 16000).ok());
        }
        std::ofstream(m_folder + "/low/c.flac") << "not a sound";
        std::ofstream(m_folder + "/notes.txt") << "not listed: no sound extension";
        std::vector<std::string> problems;
        m_files = ml::soundFilesUnder(m_folder, problems);
        QVERIFY(problems.empty());
    }

    void findsSoundFilesInPathOrder()
    {
        const std::vector<std::string> expected = {m_folder + "/high/a.wav", m_folder + "/high/deeper/c.wav", m_folder + "/low/a.wav",
                                                   m_folder + "/low/b.wav", m_folder + "/low/c.flac"};
        QCOMPARE(m_files, expected);
        std::vector<std::string> problems;
        QVERIFY(ml::soundFilesUnder(m_folder + "/missing", problems).empty());
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(problems[0]).contains(QLatin1String("missing")));
    }

    void tagsLikeOneFileAtATime_data()
    {
        QTest::addColumn<int>("jobs");
        QTest::addColumn<bool>("opened");  // Predictor::open: networks built by the workers
        QTest::newRow("one thread") << 1 << false;
        QTest::newRow("two threads") << 2 << false;
        QTest::newRow("two threads, opened") << 2 << true;
    }

    void tagsLikeOneFileAtATime()
    {
        QFETCH(int, jobs);
        QFETCH(bool, opened);
        auto predictor = opened ? ml::Predictor::open({m_model}) : ml::Predictor::load({m_model});
        QVERIFY(predictor);
        QCOMPARE(predictor->models().size(), opened ? std::size_t(0) : std::size_t(1));
        std::vector<std::size_t> reported;
        const auto result = ml::tagFiles(m_files, *predictor, {m_model}, jobs, [&](const Progress& p) { reported.push_back(p.done); });
        QVERIFY(result);
        const auto& tagged = *result;
        QCOMPARE(tagged.size(), m_files.size());
        const char* families[] = {"flute", "flute", "bass", "bass"};
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(tagged[i].path, m_files[i]);
            QVERIFY2(tagged[i].prediction, tagged[i].error.c_str());
            QCOMPARE(tagged[i].prediction->family->label, std::string(families[i]));
            const auto alone = predictor->predictFile(m_files[i]);
            QVERIFY(alone);
            QCOMPARE(tagged[i].prediction->family->label, alone->family->label);
            QVERIFY(std::fabs(tagged[i].prediction->family->confidence - alone->family->confidence) < 1e-4f);
            QCOMPARE(tagged[i].prediction->source->label, alone->source->label);
        }
        QVERIFY(!tagged[4].prediction);
        QVERIFY2(QString::fromStdString(tagged[4].error).contains(QLatin1String("c.flac")), tagged[4].error.c_str());
        QVERIFY(!reported.empty());
        QCOMPARE(*std::max_element(reported.begin(), reported.end()), m_files.size());

        const std::string csv = ml::taggedCsv(tagged);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), long(m_files.size() + 1));
        QVERIFY(csv.rfind("file,family,family_confidence,family_uncertain,source,source_confidence,source_uncertain,error\n", 0) == 0);
        QVERIFY(csv.find(m_files[2] + ",bass,") != std::string::npos);
        // By notes: each file here is one 4 s tone, so one line per file, with its span.
        const std::string byNotes = ml::taggedCsv(tagged, true);
        QVERIFY(byNotes.rfind("file,start,end,family,", 0) == 0);
        QVERIFY2(byNotes.find(m_files[2] + ",0.000,4.000,bass,") != std::string::npos, byNotes.c_str());
        QVERIFY(byNotes.find(m_files[4] + ",,,,,,,,,") != std::string::npos);
    }

    void aLongTakeIsClassifiedInItsOwnGroup()
    {
        // Files are classified in groups of about 4 minutes of sound: a 5-minute take (a low tone
        // every 2 s) closes its group, and every file still gets its one-file answer.
        std::vector<float> take;
        for (int k = 0; k < 150; ++k) {
            auto tone = toymodel::toneAt16k(110.0 + k % 5, 1.0);
            take.insert(take.end(), tone.begin(), tone.end());
            take.insert(take.end(), 16000, 0.0f);
        }
        const std::string longFile = m_dir.filePath(QStringLiteral("take.wav")).toStdString();
        QVERIFY(audio::writeWav16(longFile, take, 16000).ok());
        auto predictor = ml::Predictor::load({m_model});
        QVERIFY(predictor);
        const std::vector<std::string> files = {m_files[2], longFile, m_files[0], m_files[4]};
        const auto together = predictor->predictFiles(files);
        QCOMPARE(together.size(), files.size());
        for (std::size_t i = 0; i < 3; ++i) {
            const auto alone = predictor->predictFile(files[i]);
            QVERIFY(alone && together[i]);
            QCOMPARE(together[i]->family->label, alone->family->label);
            QCOMPARE(together[i]->segments.size(), alone->segments.size());
        }
        QCOMPARE(together[1]->segments.size(), std::size_t(150));
        QCOMPARE(together[1]->family->label, std::string("bass"));
        // The tagging CSV by notes: the take is 150 lines, one per tone, 2 s apart.
        const std::string csv = ml::taggedCsv({{longFile, *together[1], {}}}, true);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 151L);
        QVERIFY2(csv.find(longFile + ",297.985,") != std::string::npos, csv.substr(csv.size() - 200).c_str());
        QVERIFY(!together[3]);  // the unreadable one keeps its own error
        QVERIFY(QString::fromStdString(together[3].error().describe()).contains(QLatin1String("c.flac")));
    }

    void aCancelBeforeTheStartClassifiesNothing()
    {
        auto predictor = ml::Predictor::load({m_model});
        QVERIFY(predictor);
        CancellationToken cancel;
        cancel.cancel();
        const auto result = ml::tagFiles(m_files, *predictor, {m_model}, 2, {}, cancel);
        QVERIFY(result);
        const auto& tagged = *result;
        QCOMPARE(tagged.size(), m_files.size());
        for (const auto& file : tagged) {
            QVERIFY(!file.prediction);
            QVERIFY(QString::fromStdString(file.error).endsWith(QLatin1String("not classified (cancelled)")));
        }
    }

    // A model file that reads but whose weights do not fit its network: opening it succeeds (the
    // network is built later, while files are prepared), and tagging then fails once, with the
    // model's error, not once per file.
    void aModelThatCannotBeBuiltIsOneError()
    {
        auto file = ml::loadModelFile(m_model);
        QVERIFY(file);
        file->weights = ml::encodeSafetensors({}).value();
        const std::string broken = m_dir.filePath(QStringLiteral("broken.tsm")).toStdString();
        QVERIFY(ml::saveModelFile(broken, *file));
        auto predictor = ml::Predictor::open({broken});
        QVERIFY(predictor);
        const auto result = ml::tagFiles(m_files, *predictor, {broken}, 2);
        QVERIFY(!result);
        QCOMPARE(result.error().path, broken);
        QVERIFY(!ml::Predictor::load({broken}));
    }

    void sortPlansAndPlacesWithoutOverwriting()
    {
        const std::string dest = m_dir.filePath(QStringLiteral("sorted")).toStdString();
        std::vector<ml::TaggedFile> tagged = {taggedAs(m_files[0], "flute", 0.9f, false), taggedAs(m_files[1], "flute", 0.3f, true),
                                              taggedAs(m_files[2], "bass", 0.8f, false), taggedAs(m_files[3], "bass", 0.8f, false)};
        tagged.push_back({m_files[4], std::nullopt, m_files[4] + ": not a sound file"});
        tagged.push_back(taggedAs("/elsewhere/a.wav", "bass", 0.8f, false));  // outside the tagged folder: its name alone
        // An existing file at one target: planned as skipped, never overwritten.
        fs::create_directories(dest + "/bass/low");
        std::ofstream(dest + "/bass/low/b.wav") << "mine";

        const auto steps = ml::planSort(tagged, m_folder, dest, ml::SortBy::Family);
        QCOMPARE(steps.size(), tagged.size());
        QCOMPARE(steps[0].to, dest + "/flute/high/a.wav");
        QCOMPARE(steps[1].to, dest + "/uncertain/high/deeper/c.wav");
        QCOMPARE(steps[2].to, dest + "/bass/low/a.wav");
        QCOMPARE(steps[3].skipped, std::string("already there"));
        QVERIFY(steps[3].to.empty());
        QCOMPARE(steps[4].skipped, std::string("unreadable"));
        QCOMPARE(steps[5].to, dest + "/bass/a.wav");
        QVERIFY(!fs::exists(dest + "/flute"));  // a plan touches nothing

        // A file that appears at a target between the plan and the sort is left alone and reported.
        fs::create_directories(dest + "/bass");
        std::ofstream(dest + "/bass/a.wav") << "appeared";
        std::vector<std::string> problems;
        const std::size_t placed = ml::applySort(steps, ml::SortAction::HardLink, problems);
        QCOMPARE(placed, std::size_t(3));
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY(QString::fromStdString(problems[0]).startsWith(QString::fromStdString(dest + "/bass/a.wav")));
        QCOMPARE(slurp(dest + "/bass/a.wav"), std::string("appeared"));
        QCOMPARE(slurp(dest + "/bass/low/b.wav"), std::string("mine"));
        QCOMPARE(slurp(dest + "/flute/high/a.wav"), slurp(m_files[0]));
        QCOMPARE(fs::hard_link_count(m_files[0]), std::uintmax_t(2));
        QVERIFY(fs::exists(m_files[0]) && fs::exists(m_files[1]));  // sources stay

        // Sorting again plans nothing new: everything is already there.
        for (const auto& step : ml::planSort(tagged, m_folder, dest, ml::SortBy::Family))
            QVERIFY(!step.skipped.empty());

        // Copies and symbolic links by source.
        const std::string bySource = m_dir.filePath(QStringLiteral("bySource")).toStdString();
        tagged[0].prediction->source = tagged[0].prediction->family;
        tagged[0].prediction->source->label = "synthetic";
        const auto sourceSteps = ml::planSort({tagged[0], tagged[2]}, m_folder, bySource, ml::SortBy::Source);
        QCOMPARE(sourceSteps[0].to, bySource + "/synthetic/high/a.wav");
        QCOMPARE(sourceSteps[1].skipped, std::string("not predicted by this model"));
        problems.clear();
        QCOMPARE(ml::applySort(sourceSteps, ml::SortAction::SymbolicLink, problems), std::size_t(1));
        QVERIFY(fs::is_symlink(bySource + "/synthetic/high/a.wav"));
        QCOMPARE(fs::read_symlink(bySource + "/synthetic/high/a.wav"), fs::absolute(m_files[0]));

        // A model of own classes: sorted by class, and the CSV gains the class columns before error.
        const std::string byClass = m_dir.filePath(QStringLiteral("byClass")).toStdString();
        tagged[0].prediction->ownClass = tagged[0].prediction->family;
        tagged[0].prediction->ownClass->label = "rhodes, soft";
        const auto classSteps = ml::planSort({tagged[0], tagged[2]}, m_folder, byClass, ml::SortBy::Class);
        QCOMPARE(classSteps[0].to, byClass + "/rhodes, soft/high/a.wav");
        QCOMPARE(classSteps[1].skipped, std::string("not predicted by this model"));
        const std::string csv = ml::taggedCsv({tagged[0]});
        QVERIFY(csv.rfind("file,family,family_confidence,family_uncertain,source,source_confidence,source_uncertain,"
                          "class,class_confidence,class_uncertain,error\n", 0) == 0);
        QVERIFY2(csv.find(",\"rhodes, soft\",") != std::string::npos, csv.c_str());
    }
};

QTEST_GUILESS_MAIN(tst_FolderTagger)
#include "tst_FolderTagger.moc"
