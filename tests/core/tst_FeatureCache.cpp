// The feature cache: rows equal computeFeatures of each decoded note (log-mels rounded to float16,
// the STFT exact), a second load reads the file instead of decoding (proved by changing a WAV's
// samples behind the fingerprint's back), a real change to a WAV invalidates it, damaged files are
// recomputed, a cancelled computation is resumed where it stopped, and failures name the note's file.
// ctest-label: threads
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <fcntl.h>
#include <sys/stat.h>

#include "audio/AudioFile.h"
#include "common/NsynthFixture.h"
#include "dataset/FeatureCache.h"
#include "util/Half.h"

using namespace ts;
using namespace ts::dataset;
namespace fx = nsynthfixture;
namespace fs = std::filesystem;

namespace {

std::vector<float> featuresOfFile(const FeatureSettings& settings, const std::string& wav)
{
    auto decoded = audio::loadAudio(wav);
    if (!decoded)
        qFatal("%s", decoded.error().describe().c_str());
    auto features = computeFeatures(settings, audio::modelView(decoded->samples));
    if (settings.kind == FeatureKind::LogMel)  // what the cache stores
        roundToHalves(features.data(), features.size());
    return features;
}

std::vector<float> rowOf(const FeatureMatrix& m, std::size_t row)
{
    auto values = m.row(row);
    if (!values)
        qFatal("%s", values.error().describe().c_str());
    return *values;
}

struct timespec modificationTime(const std::string& path)
{
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mtim;
}

void setModificationTime(const std::string& path, const struct timespec& mtime)
{
    const struct timespec times[2] = {mtime, mtime};
    QVERIFY(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

} // namespace

class tst_FeatureCache : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_tmp;
    std::vector<fx::Note> m_notes = fx::grid({0, 3}, 3, {48, 60}, {100});  // 12 notes
    std::string m_folder;

    std::string cacheFolder(const char* name) const { return m_tmp.path().toStdString() + "/cache-" + name; }
    Dataset load() const
    {
        auto ds = Dataset::load(m_folder);
        if (!ds)
            qFatal("%s", ds.error().describe().c_str());
        return std::move(ds).value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_folder = m_tmp.path().toStdString() + "/set";
        // Notes 4 s long at most; 8,000 frames here (the model view zero-pads), one WAV missing.
        QVERIFY(fx::write(m_folder, m_notes, 8000, {m_notes[5].noteStr()}));
    }

    void namesAndShapes()
    {
        QCOMPARE(featureKindName(FeatureKind::SeedStft), std::string("stft"));
        QCOMPARE(*parseFeatureKind("logmel"), FeatureKind::LogMel);
        QVERIFY(!parseFeatureKind("mfcc").has_value());
        FeatureSettings s;
        s.kind = FeatureKind::SeedStft;
        QCOMPARE(s.shape(), (std::vector<int>{499, 129}));
        QCOMPARE(s.size(), std::size_t(499 * 129));
        s.kind = FeatureKind::RawAudio;
        QCOMPARE(s.shape(), (std::vector<int>{64000}));
        s.kind = FeatureKind::LogMel;
        QCOMPARE(s.shape(), (std::vector<int>{251, 64}));
        FeatureSettings other = s;
        other.logMel.bands = 32;
        QVERIFY(other.key() != s.key());
        QCOMPARE(other.shape(), (std::vector<int>{251, 32}));
    }

    void rowsAreTheNotesFeatures_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<int>("threads");
        QTest::newRow("logmel, 2 threads") << int(FeatureKind::LogMel) << 2;
        QTest::newRow("logmel, 1 thread") << int(FeatureKind::LogMel) << 1;
        QTest::newRow("stft") << int(FeatureKind::SeedStft) << 0;
        QTest::newRow("raw") << int(FeatureKind::RawAudio) << 2;
    }
    void rowsAreTheNotesFeatures()
    {
        QFETCH(int, kind);
        QFETCH(int, threads);
        FeatureSettings settings;
        settings.kind = FeatureKind(kind);
        const Dataset ds = load();
        FeatureCache cache(cacheFolder(QTest::currentDataTag()));
        std::size_t calls = 0, lastDone = 0;
        auto m = cache.load(ds, settings, [&](const Progress& p) { ++calls; lastDone = p.done; QCOMPARE(p.total, std::size_t(11)); },
                            {}, threads);
        QVERIFY2(m.ok(), m.ok() ? "" : m.error().describe().c_str());
        QCOMPARE(calls, std::size_t(11));
        QCOMPARE(lastDone, std::size_t(11));
        QCOMPARE(m->rows(), std::size_t(11));
        QCOMPARE(m->shape(), settings.shape());
        QCOMPARE(m->rowNote(), ds.usableIndices());
        QCOMPARE(m->rowOfNote(5), -1L);
        QCOMPARE(m->rowOfNote(6), 5L);
        for (std::size_t r = 0; r < m->rows(); ++r)
            QCOMPARE(rowOf(*m, r), featuresOfFile(settings, ds.notes()[m->rowNote()[r]].wavPath));
        QVERIFY(fs::exists(cache.cachePath(ds, settings)));
        auto again = cache.readCached(ds, settings);
        QVERIFY(again.ok());
        QCOMPARE(rowOf(*again, 10), rowOf(*m, 10));
    }

    void secondLoadDoesNotDecodeAndAChangeInvalidates()
    {
        FeatureSettings settings;
        FeatureCache cache(cacheFolder("invalidate"));
        const Dataset ds = load();
        auto first = cache.load(ds, settings);
        QVERIFY(first.ok());
        const std::size_t row = 2;
        const std::string wav = ds.notes()[first->rowNote()[row]].wavPath;
        const std::vector<float> before = rowOf(*first, row);

        // Other samples, same size, and the old modification time put back: the fingerprint
        // cannot see it, so a load that still returns the old row did not decode the file.
        const struct timespec mtime = modificationTime(wav);
        QVERIFY(fx::writeWav(wav, fx::tone(90, 8000, 0.9)));
        setModificationTime(wav, mtime);
        const Dataset same = load();
        QCOMPARE(same.fingerprint(), ds.fingerprint());
        auto cached = cache.load(same, settings, [](const Progress&) { QFAIL("decoded again"); });
        QVERIFY(cached.ok());
        QCOMPARE(rowOf(*cached, row), before);
        QVERIFY(featuresOfFile(settings, wav) != before);

        // Now a real edit (a new modification time): the cache is stale and the row recomputed.
        setModificationTime(wav, {mtime.tv_sec + 5, 0});
        const Dataset changed = load();
        QVERIFY(changed.fingerprint() != ds.fingerprint());
        auto stale = cache.readCached(changed, settings);
        QVERIFY(!stale.ok());
        QVERIFY(QString::fromStdString(stale.error().message).contains("stale"));
        auto fresh = cache.load(changed, settings);
        QVERIFY(fresh.ok());
        QCOMPARE(rowOf(*fresh, row), featuresOfFile(settings, wav));
        QCOMPARE(rowOf(*fresh, row + 1), rowOf(*first, row + 1));
        // Same file name: the new cache replaced the stale one.
        QCOMPARE(cache.cachePath(changed, settings), cache.cachePath(ds, settings));
        QVERIFY(cache.readCached(changed, settings).ok());
        int files = 0;
        for (const auto& entry : fs::directory_iterator(cache.folder()))
            files += entry.is_regular_file() ? 1 : 0;
        QCOMPARE(files, 1);
    }

    void otherSettingsAreAnotherCache()
    {
        FeatureCache cache(cacheFolder("settings"));
        const Dataset ds = load();
        FeatureSettings a;
        FeatureSettings b;
        b.logMel.bands = 32;
        QVERIFY(cache.cachePath(ds, a) != cache.cachePath(ds, b));
        QVERIFY(cache.load(ds, a).ok());
        QVERIFY(!cache.readCached(ds, b).ok());
        auto mb = cache.load(ds, b);
        QVERIFY(mb.ok());
        QCOMPARE(mb->shape(), (std::vector<int>{251, 32}));
        QVERIFY(cache.readCached(ds, a).ok());
    }

    void damagedCacheIsRecomputed()
    {
        FeatureSettings settings;
        FeatureCache cache(cacheFolder("damaged"));
        const Dataset ds = load();
        auto good = cache.load(ds, settings);
        QVERIFY(good.ok());
        const std::string path = cache.cachePath(ds, settings);
        const auto fullSize = fs::file_size(path);

        fs::resize_file(path, fullSize - 100);
        auto truncated = cache.readCached(ds, settings);
        QVERIFY(!truncated.ok());
        QCOMPARE(int(truncated.error().code), int(ErrorCode::BadFormat));
        auto again = cache.load(ds, settings);
        QVERIFY(again.ok());
        QCOMPARE(rowOf(*again, 7), rowOf(*good, 7));
        QCOMPARE(fs::file_size(path), fullSize);

        { std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary); f.write("garbage!", 8); }
        QVERIFY(QString::fromStdString(cache.readCached(ds, settings).error().message).contains("not a feature cache"));
        QVERIFY(cache.load(ds, settings).ok());
        QVERIFY(cache.readCached(ds, settings).ok());

        fx::writeText(path, "");
        QVERIFY(!cache.readCached(ds, settings).ok());
        QVERIFY(cache.load(ds, settings).ok());
        QCOMPARE(fs::file_size(path), fullSize);
    }

    void badWavIsAnErrorNamingIt()
    {
        const std::string folder = m_tmp.path().toStdString() + "/badwav";
        auto notes = fx::grid({4}, 1, {50, 51, 52}, {100});
        QVERIFY(fx::write(folder, notes, 800));
        const std::string bad = folder + "/audio/" + notes[1].noteStr() + ".wav";
        fx::writeText(bad, "this is not a sound file");
        auto ds = Dataset::load(folder);
        QVERIFY(ds.ok());
        FeatureCache cache(cacheFolder("badwav"));
        auto m = cache.load(*ds, FeatureSettings{});
        QVERIFY(!m.ok());
        QVERIFY2(QString::fromStdString(m.error().describe()).contains(QString::fromStdString(notes[1].noteStr() + ".wav")),
                 m.error().describe().c_str());
        const std::string path = cache.cachePath(*ds, FeatureSettings{});
        QVERIFY(!fs::exists(path));
        // Only the partial file the next run resumes: no lock, no temporary.
        std::vector<std::string> left;
        for (const auto& entry : fs::directory_iterator(cache.folder()))
            left.push_back(entry.path().string());
        QCOMPARE(left, std::vector<std::string>{path + ".partial"});
    }

    void cancelledRunIsResumedWhereItStopped_data()
    {
        QTest::addColumn<int>("kind");
        QTest::newRow("logmel, float16") << int(FeatureKind::LogMel);
        QTest::newRow("stft, float32") << int(FeatureKind::SeedStft);
    }

    void cancelledRunIsResumedWhereItStopped()
    {
        QFETCH(int, kind);
        FeatureSettings settings;
        settings.kind = FeatureKind(kind);
        FeatureCache cache(cacheFolder(kind == int(FeatureKind::LogMel) ? "resume-logmel" : "resume-stft"));
        const Dataset ds = load();
        // One thread: the notes are computed in order, and the token is cancelled after the 5th.
        CancellationToken token;
        auto first = cache.load(ds, settings, [&](const Progress& p) { if (p.done == 5) token.cancel(); }, token, 1);
        QVERIFY(!first.ok());
        QCOMPARE(int(first.error().code), int(ErrorCode::Cancelled));
        const std::string path = cache.cachePath(ds, settings);
        QVERIFY(!fs::exists(path));
        QVERIFY(fs::exists(path + ".partial"));

        std::vector<std::size_t> reported;
        auto second = cache.load(ds, settings, [&](const Progress& p) { if (!p.notice) reported.push_back(p.done); }, {}, 1);
        QVERIFY2(second.ok(), second.ok() ? "" : second.error().describe().c_str());
        // Only the six notes not done before were computed.
        QCOMPARE(reported, (std::vector<std::size_t>{6, 7, 8, 9, 10, 11}));
        QVERIFY(fs::exists(path));
        QVERIFY(!fs::exists(path + ".partial"));
        for (std::size_t r = 0; r < second->rows(); ++r)
            QCOMPARE(rowOf(*second, r), featuresOfFile(settings, ds.notes()[second->rowNote()[r]].wavPath));
    }

    void logMelsAreStoredAsHalves()
    {
        // Half the bytes of float32 per value; the STFT keeps 4 bytes per value.
        FeatureCache cache(cacheFolder("sizes"));
        const Dataset ds = load();
        FeatureSettings logMel;
        FeatureSettings stft;
        stft.kind = FeatureKind::SeedStft;
        QVERIFY(cache.load(ds, logMel).ok());
        QVERIFY(cache.load(ds, stft).ok());
        const auto rows = ds.usableIndices().size();
        QCOMPARE(fs::file_size(cache.cachePath(ds, logMel)), FeatureCache::cacheBytes(ds, logMel));
        QVERIFY(fs::file_size(cache.cachePath(ds, logMel)) < rows * logMel.size() * 2 + 8192);
        QVERIFY(fs::file_size(cache.cachePath(ds, stft)) >= rows * stft.size() * 4);
    }

    void unwritableCacheStillGivesFeatures()
    {
        // A cache folder that cannot be created (a file is in the way): the features are
        // computed in memory and returned, and the progress line says the cache was not saved.
        const std::string blocker = m_tmp.path().toStdString() + "/blocker";
        fx::writeText(blocker, "a file, not a folder");
        FeatureCache cache(blocker + "/features");
        const Dataset ds = load();
        bool told = false;
        auto m = cache.load(ds, FeatureSettings{}, [&](const Progress& p) {
            told = told || p.status.find("feature cache not saved") != std::string::npos;
        });
        QVERIFY(m.ok());
        QVERIFY(told);
        QCOMPARE(rowOf(*m, 4), featuresOfFile(FeatureSettings{}, ds.notes()[m->rowNote()[4]].wavPath));
    }

    void noUsableNotes()
    {
        const std::string folder = m_tmp.path().toStdString() + "/nowavs";
        auto notes = fx::grid({4}, 1, {50, 51}, {100});
        QVERIFY(fx::write(folder, notes, 800, {notes[0].noteStr(), notes[1].noteStr()}));
        auto ds = Dataset::load(folder);
        QVERIFY(ds.ok());
        auto m = FeatureCache(cacheFolder("nowavs")).load(*ds, FeatureSettings{});
        QVERIFY(!m.ok());
        QVERIFY(QString::fromStdString(m.error().message).contains("no note"));
    }
};

QTEST_GUILESS_MAIN(tst_FeatureCache)
#include "tst_FeatureCache.moc"
