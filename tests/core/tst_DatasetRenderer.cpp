// DatasetRenderer: a rendered folder is NSynth's layout, loads with Dataset::load, is the same
// bytes whatever the number of threads, and bad input or a cancel leaves nothing behind; a
// replaced folder is swapped in one step; a folder another process renders is waited for.
// ctest-label: threads
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <future>
#include <mutex>
#include <set>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "common/TinySoundFont.h"
#include "dataset/Dataset.h"
#include "dataset/Split.h"
#include "synth/DatasetRenderer.h"
#include "util/AtomicFile.h"
#include "util/FileLock.h"

using ts::synth::DatasetRenderer;
using ts::synth::RenderRequest;

namespace {

const char* kFluid = "/usr/share/sounds/sf2/FluidR3_GM.sf2";

RenderRequest request(const std::string& soundFont, const QString& out, std::size_t count, unsigned jobs)
{
    RenderRequest r;
    r.soundFont = soundFont;
    r.outFolder = out.toStdString();
    r.options.count = count;
    r.options.seed = 3;
    r.jobs = jobs;
    return r;
}

QStringList filesUnder(const QString& folder)
{
    QStringList all;
    QDirIterator it(folder, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        all << QDir(folder).relativeFilePath(it.next());
    all.sort();
    return all;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

std::uint32_t le32(const QByteArray& b, int at)
{
    return std::uint8_t(b[at]) | (std::uint8_t(b[at + 1]) << 8) | (std::uint8_t(b[at + 2]) << 16) | (std::uint32_t(std::uint8_t(b[at + 3])) << 24);
}

std::string writeTinyFont(const QTemporaryDir& dir)
{
    const std::string path = dir.filePath(QStringLiteral("tiny.sf2")).toStdString();
    std::ofstream(path, std::ios::binary) << ts::test::tinySoundFontBytes();
    return path;
}

} // namespace

class tst_DatasetRenderer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rendersNsynthLayoutIdenticallyWithOneAndTwoJobs()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        QTemporaryDir dir;
        const QString one = dir.filePath(QStringLiteral("one")), two = dir.filePath(QStringLiteral("two"));
        auto a = DatasetRenderer::render(request(kFluid, one, 12, 1), {}, {});
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().describe().c_str());
        auto b = DatasetRenderer::render(request(kFluid, two, 12, 2), {}, {});
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().describe().c_str());
        QCOMPARE(a->notesWritten, std::size_t(12));

        const QStringList files = filesUnder(one);
        QCOMPARE(files, filesUnder(two));
        QCOMPARE(files.size(), 12 + 2);  // the WAVs, examples.json, instruments.json; no temporary left
        for (const QString& f : files)
            QVERIFY2(readAll(one + "/" + f) == readAll(two + "/" + f), qPrintable(f));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 2);

        // examples.json: every NSynth field, with the types NSynth uses.
        const auto examples = nlohmann::json::parse(readAll(one + "/examples.json").toStdString());
        QCOMPARE(int(examples.size()), 12);
        for (const auto& [key, note] : examples.items()) {
            QCOMPARE(note.at("note_str").get<std::string>(), key);
            QVERIFY(note.at("note").is_number_integer());
            QVERIFY(note.at("instrument").is_number_integer());
            QVERIFY(key.rfind(note.at("instrument_str").get<std::string>() + "-", 0) == 0);
            QVERIFY(note.at("pitch").is_number_integer() && note.at("velocity").is_number_integer());
            QCOMPARE(note.at("sample_rate").get<int>(), 16000);
            QCOMPARE(note.at("qualities").size(), std::size_t(10));
            QVERIFY(note.at("qualities_str").is_array());
            QVERIFY(note.at("instrument_family").is_number_integer() && note.at("instrument_family_str").is_string());
            QVERIFY(note.at("instrument_source").is_number_integer() && note.at("instrument_source_str").is_string());
            QCOMPARE(int(note.size()), 13);

            // The WAV: 44-byte header, PCM 16-bit mono 16 kHz, exactly 64,000 frames, audible.
            const QByteArray wav = readAll(one + "/audio/" + QString::fromStdString(key) + ".wav");
            QCOMPARE(wav.size(), 44 + 128000);
            QVERIFY(wav.startsWith("RIFF") && wav.mid(8, 8) == "WAVEfmt ");
            QCOMPARE(le32(wav, 24), std::uint32_t(16000));
            QCOMPARE(int(wav[22]), 1);   // mono
            QCOMPARE(int(wav[34]), 16);  // bits
            QCOMPARE(le32(wav, 40), std::uint32_t(128000));
            double sum = 0.0;
            for (int i = 44; i < wav.size(); i += 2) {
                const double s = std::int16_t(std::uint8_t(wav[i]) | (std::uint8_t(wav[i + 1]) << 8)) / 32768.0;
                sum += s * s;
            }
            QVERIFY2(10.0 * std::log10(sum / 64000.0) > -80.0, key.c_str());
        }

        // The project's own loader accepts it, with no missing WAV.
        auto loaded = ts::dataset::Dataset::load(one.toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().describe().c_str());
        QCOMPARE(loaded->size(), std::size_t(12));
        QVERIFY(loaded->missingWavs().empty());
        QCOMPARE(loaded->usableIndices().size(), std::size_t(12));

        // instruments.json lists each instrument used with its preset and note count.
        const auto instruments = nlohmann::json::parse(readAll(one + "/instruments.json").toStdString());
        int notes = 0;
        for (const auto& inst : instruments.at("instruments")) {
            QVERIFY(inst.contains("bank") && inst.contains("program") && inst.contains("preset_name"));
            QVERIFY(inst.at("pitch_min").get<int>() <= inst.at("pitch_max").get<int>());
            notes += inst.at("notes").get<int>();
        }
        QCOMPARE(notes, 12);
        QCOMPARE(instruments.at("note_count").get<int>(), 12);
    }

    void listsNotesInASeededOrderSoTheSeedSplitSeesEveryFamilyOnBothSides()
    {
        if (!QFile::exists(QString::fromLatin1(kFluid)))
            QSKIP("fluid-soundfont-gm is not installed");
        // The seed's split is "first 75 % / last 25 % in file order". A render that listed its notes
        // family by family (sorted by name) would test on families it never trained on.
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("set"));
        auto summary = DatasetRenderer::render(request(kFluid, out, 220, 2), {}, {});
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().describe().c_str());
        auto loaded = ts::dataset::Dataset::load(out.toStdString());
        QVERIFY(loaded.ok());
        std::vector<std::string> names;
        for (const auto& note : loaded->notes())
            names.push_back(note.noteStr);
        QVERIFY(!std::is_sorted(names.begin(), names.end()));
        ts::dataset::SplitOptions options;
        options.policy = ts::dataset::SplitPolicy::Seed;
        auto split = ts::dataset::makeSplit(*loaded, options);
        QVERIFY(split.ok());
        std::set<int> trained, tested;
        for (std::size_t i : split->train)
            trained.insert(loaded->notes()[i].family);
        for (std::size_t i : split->test)
            tested.insert(loaded->notes()[i].family);
        QCOMPARE(int(trained.size()), 11);
        QCOMPARE(int(tested.size()), 11);
    }

    void silentKeysAreReplacedSoTheCountIsMet()
    {
        QTemporaryDir dir;
        // The tiny violin plays keys 55-80 only, its table range is 55-100: about 40 % of its
        // planned notes are silent and must be replaced by audible ones.
        auto summary = DatasetRenderer::render(request(writeTinyFont(dir), dir.filePath(QStringLiteral("out")), 60, 2), {}, {});
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().describe().c_str());
        QCOMPARE(summary->notesWritten, std::size_t(60));
        QVERIFY(summary->silentSkipped > 0);
        auto loaded = ts::dataset::Dataset::load(dir.filePath(QStringLiteral("out")).toStdString());
        QVERIFY(loaded.ok());
        QCOMPARE(loaded->size(), std::size_t(60));
        for (const auto& note : loaded->notes())
            if (note.instrumentStr == "string_acoustic_000")
                QVERIFY(note.pitch <= 80);
    }

    void badInputLeavesNothingBehind()
    {
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        const QString out = dir.filePath(QStringLiteral("out"));
        const int before = QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size();

        auto missing = DatasetRenderer::render(request(dir.filePath(QStringLiteral("none.sf2")).toStdString(), out, 5, 1), {}, {});
        QVERIFY(!missing.ok() && missing.error().code == ts::ErrorCode::NotFound);

        const std::string text = dir.filePath(QStringLiteral("text.sf2")).toStdString();
        std::ofstream(text) << "hello";
        auto notFont = DatasetRenderer::render(request(text, out, 5, 1), {}, {});
        QVERIFY(!notFont.ok() && notFont.error().code == ts::ErrorCode::BadFormat);
        QVERIFY(notFont.error().describe().find("text.sf2") != std::string::npos);

        auto zero = DatasetRenderer::render(request(font, out, 0, 1), {}, {});
        QVERIFY(!zero.ok() && zero.error().code == ts::ErrorCode::InvalidArgument);

        // A folder that cannot be created: below a regular file.
        auto unwritable = DatasetRenderer::render(request(font, QString::fromStdString(text) + "/sub/out", 5, 1), {}, {});
        QVERIFY(!unwritable.ok() && unwritable.error().code == ts::ErrorCode::WriteFailed);

        QVERIFY(QDir().mkpath(out));
        std::ofstream((out + "/keep.txt").toStdString()) << "user data";
        auto notEmpty = DatasetRenderer::render(request(font, out, 5, 1), {}, {});
        QVERIFY(!notEmpty.ok() && notEmpty.error().code == ts::ErrorCode::WriteFailed);
        QCOMPARE(filesUnder(out), QStringList{QStringLiteral("keep.txt")});
        QVERIFY(QDir(out).removeRecursively());

        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), before + 1);
    }

    void cancelLeavesNothingBehind()
    {
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        const QString parent = dir.filePath(QStringLiteral("new/parent"));
        ts::CancellationToken cancel;
        auto result = DatasetRenderer::render(request(font, parent + "/out", 400, 2), cancel, [&](const ts::Progress&) { cancel.cancel(); });
        QVERIFY(!result.ok());
        QVERIFY(result.error().code == ts::ErrorCode::Cancelled);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("new"))));  // even the parents it created are gone
    }

    void replaceExistingSwapsTheFolder()
    {
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        std::ofstream((out + "/old.txt").toStdString()) << "old render";
        RenderRequest r = request(font, out, 6, 1);
        r.replaceExisting = true;
        auto summary = DatasetRenderer::render(r, {}, {});
        QVERIFY(summary.ok());
        QVERIFY(!QFileInfo::exists(out + "/old.txt"));
        QCOMPARE(filesUnder(out).size(), 6 + 2);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 2);
    }

    void replacingNeverLeavesAMomentWithoutASet()
    {
        // Someone reading the folder while it is replaced (the GUI opening the default dataset
        // during `render --default --force`, or a render killed half-way through the swap) finds
        // the old set or the new one, never no set: the swap is one rename.
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        const QString out = dir.filePath(QStringLiteral("out"));
        RenderRequest r = request(font, out, 6, 1);
        r.replaceExisting = true;
        r.reuseFinished = false;
        QVERIFY(DatasetRenderer::render(r, {}, {}).ok());
        const std::string examples = (out + "/examples.json").toStdString();
        std::atomic<bool> stop{false};
        std::atomic<long> looks{0}, missing{0};
        std::thread watcher([&] {
            while (!stop.load()) {
                struct stat st {};
                if (::stat(examples.c_str(), &st) != 0)
                    ++missing;
                ++looks;
            }
        });
        for (int i = 0; i < 20; ++i) {
            r.options.seed = std::uint64_t(10 + i);
            auto summary = DatasetRenderer::render(r, {}, {});
            QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().describe().c_str());
        }
        stop = true;
        watcher.join();
        QVERIFY(looks.load() > 1000);
        QCOMPARE(missing.load(), 0L);
        QCOMPARE(filesUnder(out).size(), 6 + 2);
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral("out"), QStringLiteral("tiny.sf2")}));
    }

    void aFinishedRenderOfTheSameRecipeIsKept()
    {
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        const QString out = dir.filePath(QStringLiteral("out"));
        auto first = DatasetRenderer::render(request(font, out, 6, 1), {}, {});
        QVERIFY(first.ok() && !first->reused);
        const QByteArray examples = readAll(out + "/examples.json");
        const QDateTime written = QFileInfo(out + "/examples.json").lastModified();
        QTest::qWait(20);

        auto again = DatasetRenderer::render(request(font, out, 6, 1), {}, {});
        QVERIFY2(again.ok(), again.ok() ? "" : again.error().describe().c_str());
        QVERIFY(again->reused);
        QCOMPARE(again->notesWritten, std::size_t(6));
        QCOMPARE(again->folder, out.toStdString());
        QCOMPARE(QFileInfo(out + "/examples.json").lastModified(), written);  // not rendered again
        QCOMPARE(readAll(out + "/examples.json"), examples);

        // Another recipe (another seed) in the same folder is still refused.
        RenderRequest other = request(font, out, 6, 1);
        other.options.seed = 4;
        auto refused = DatasetRenderer::render(other, {}, {});
        QVERIFY(!refused.ok());
        QCOMPARE(QString::fromStdString(refused.error().describe()),
                 out + QStringLiteral(": already exists and is not empty; choose a new folder"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot).size(), 2);
    }

    void waitsWhileAnotherProcessRendersTheFolderAndKeepsItsSet()
    {
        // Another Timbrescope (here: this process through the lock file) renders `out`: render waits,
        // says so through a notice, and once the other one is done keeps the set it made.
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        const QString out = dir.filePath(QStringLiteral("out"));
        const QString made = dir.filePath(QStringLiteral("made"));
        QVERIFY(DatasetRenderer::render(request(font, made, 6, 1), {}, {}).ok());
        auto held = ts::FileLock::acquire(dir.filePath(QStringLiteral(".out.lock")).toStdString());
        QVERIFY(held.ok());

        std::mutex mutex;
        std::vector<ts::Progress> notices;
        auto waiting = std::async(std::launch::async, [&] {
            return DatasetRenderer::render(request(font, out, 6, 1), {}, [&](const ts::Progress& p) {
                const std::lock_guard<std::mutex> lock(mutex);
                if (p.notice)
                    notices.push_back(p);
            });
        });
        QTRY_VERIFY_WITH_TIMEOUT(([&] { const std::lock_guard<std::mutex> lock(mutex); return !notices.empty(); }()), 5000);
        QCOMPARE(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
        QVERIFY(!QFileInfo::exists(out));
        // The other process finishes: its set appears, and it releases the lock.
        QVERIFY(QDir().rename(made, out));
        { ts::FileLock release = std::move(held.value()); }
        QCOMPARE(waiting.wait_for(std::chrono::seconds(10)), std::future_status::ready);
        auto summary = waiting.get();
        QVERIFY2(summary.ok(), summary.ok() ? "" : summary.error().describe().c_str());
        QVERIFY(summary->reused);
        QCOMPARE(summary->notesWritten, std::size_t(6));
        QCOMPARE(notices.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(notices[0].status),
                 QStringLiteral("waiting for another Timbrescope (pid %1) rendering %2").arg(::getpid()).arg(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral("out"), QStringLiteral("tiny.sf2")}));
    }

    void cancelWhileWaitingForTheLock()
    {
        QTemporaryDir dir;
        const std::string font = writeTinyFont(dir);
        auto held = ts::FileLock::acquire(dir.filePath(QStringLiteral(".out.lock")).toStdString());
        QVERIFY(held.ok());
        ts::CancellationToken cancel;
        auto waiting = std::async(std::launch::async, [&] {
            return DatasetRenderer::render(request(font, dir.filePath(QStringLiteral("out")), 6, 1), cancel, {});
        });
        QCOMPARE(waiting.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
        cancel.cancel();
        QCOMPARE(waiting.wait_for(std::chrono::seconds(2)), std::future_status::ready);
        auto result = waiting.get();
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), int(ts::ErrorCode::Cancelled));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral(".out.lock"), QStringLiteral("tiny.sf2")}));  // the lock is the test's
    }
};

QTEST_GUILESS_MAIN(tst_DatasetRenderer)
#include "tst_DatasetRenderer.moc"
