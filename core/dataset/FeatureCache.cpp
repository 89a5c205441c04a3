#include "dataset/FeatureCache.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "audio/AudioFile.h"
#include "dataset/detail/FeatureCacheFile.h"
#include "dsp/RecordingSimulator.h"
#include "util/AppPaths.h"
#include "util/FileLock.h"
#include "util/Fnv1a.h"
#include "util/Half.h"
#include "util/StaleTemporaries.h"

namespace ts::dataset {

namespace {

using detail::CacheHeader;
using detail::CacheWriter;

// Features that cannot be cached (a read-only or full disk) are kept in memory up to this size;
// beyond it they are computed again whenever training reads them.
constexpr std::size_t kInMemoryLimitBytes = std::size_t(2) << 30;
// How often finished chunks are flushed and marked done while computing: what a kill can lose.
constexpr auto kMarkInterval = std::chrono::seconds(2);

std::uint64_t settingsHash(const FeatureSettings& settings)
{
    Fnv1a h;
    h.addString(settings.key());
    return h.value();
}

// Log-mels in dB are stored as float16 (steps of at most 0.03 dB below 64 dB in magnitude, far
// under what a model can hear; half the disk and page cache). The seed's STFT and raw audio stay
// float32: the seed's models are reproduced on exactly the values the seed computed.
std::uint32_t elementBytesFor(const FeatureSettings& settings) { return settings.kind == FeatureKind::LogMel ? 2 : 4; }

CacheHeader expectedHeader(const Dataset& dataset, const FeatureSettings& settings, std::size_t rows, bool complete)
{
    CacheHeader h = detail::makeCacheHeader(rows, settings.size(), elementBytesFor(settings));
    const std::string fp = dataset.fingerprint();
    std::memcpy(h.fingerprint, fp.data(), std::min(fp.size(), sizeof h.fingerprint));
    h.settingsHash = settingsHash(settings);
    const std::vector<int> shape = settings.shape();
    h.rank = std::uint32_t(shape.size());
    for (std::size_t i = 0; i < shape.size() && i < 4; ++i)
        h.shape[i] = shape[i];
    h.complete = complete ? 1 : 0;
    return h;
}

std::vector<std::uint64_t> indexOf(const std::vector<std::size_t>& usable)
{
    return std::vector<std::uint64_t>(usable.begin(), usable.end());
}

// The notice for a cache file that could not be written (a full disk, a read-only cache folder):
// the features are computed all the same.
std::string cacheNotSaved(const Error& error)
{
    return "feature cache not saved, going on without it: " + error.describe();
}

// The features of one note, as the cache stores them: log-mels rounded to float16 here too, so a
// model sees the same values whether its features came from the cache, from memory, or were
// computed as they were read.
Status featuresOfNote(const NoteRecord& note, const FeatureSettings& settings, float* out)
{
    auto decoded = audio::loadAudio(note.wavPath);
    if (!decoded)
        return decoded.error();
    std::vector<float> view = audio::modelView(decoded->samples);
    if (settings.recording > 0)
        view = dsp::RecordingSimulator::simulate(view, note.noteStr, settings.recording);
    computeFeaturesInto(settings, view.data(), view.size(), out);
    if (elementBytesFor(settings) == 2)
        roundToHalves(out, settings.size());
    return {};
}

// Rows computed from the notes' WAVs each time they are read: for features too large to keep in
// memory when the cache cannot be written (the seed's STFT of a 300,000-note dataset is 77 GB).
class ComputedRows final : public FeatureRowSource {
public:
    ComputedRows(std::vector<NoteRecord> notes, FeatureSettings settings)
        : m_notes(std::move(notes)), m_settings(std::move(settings)), m_rowSize(m_settings.size())
    {
    }

    Status read(const std::vector<std::size_t>& rows, std::size_t begin, std::size_t end, float* out) const override
    {
        for (std::size_t i = begin; i < end; ++i)
            if (auto done = featuresOfNote(m_notes.at(rows[i]), m_settings, out + (i - begin) * m_rowSize); !done)
                return done;
        return {};
    }

    std::string describe() const override { return "computed from the WAV files as they are read"; }

private:
    std::vector<NoteRecord> m_notes;
    FeatureSettings m_settings;
    std::size_t m_rowSize;
};

struct FailedNote {
    std::size_t row = 0;
    Error error;
};

// Computes the chunks of rows not yet `done` on `threads` threads, handing each finished chunk to
// `store(chunk, rows, count)` (called from the computing threads, for different chunks at once).
// `alreadyDone` rows count towards the progress from the start.
Status computeChunks(const Dataset& dataset, const FeatureSettings& settings, const std::vector<std::size_t>& usable,
                     std::size_t chunkRows, const std::vector<bool>& done,
                     const std::function<Status(std::size_t, const float*, std::size_t)>& store,
                     const ProgressSink& progress, const CancellationToken& cancel, int threads)
{
    const std::size_t total = usable.size();
    const std::size_t rowSize = settings.size();
    std::vector<std::size_t> todo;
    std::size_t alreadyDone = 0;
    for (std::size_t c = 0; c < done.size(); ++c) {
        if (!done[c])
            todo.push_back(c);
        else
            alreadyDone += std::min(chunkRows, total - c * chunkRows);
    }
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;  // guards `failed`, `finished` and the progress callback
    std::optional<FailedNote> failed;
    std::size_t finished = alreadyDone;
    auto fail = [&](std::size_t row, Error error) {
        const std::lock_guard<std::mutex> lock(mutex);
        // Keep the earliest note's error, so the message does not depend on thread timing.
        if (!failed || row < failed->row)
            failed = FailedNote{row, std::move(error)};
        stop = true;
    };
    auto worker = [&]() {
        std::vector<float> rows(chunkRows * rowSize);
        for (;;) {
            const std::size_t t = next.fetch_add(1);
            if (t >= todo.size())
                return;
            const std::size_t chunk = todo[t];
            const std::size_t first = chunk * chunkRows;
            const std::size_t count = std::min(chunkRows, total - first);
            for (std::size_t r = 0; r < count; ++r) {
                if (stop.load(std::memory_order_relaxed) || cancel.isCancelled())
                    return;
                const NoteRecord& note = dataset.notes()[usable[first + r]];
                if (auto computed = featuresOfNote(note, settings, rows.data() + r * rowSize); !computed)
                    return fail(first + r, computed.error());
                const std::lock_guard<std::mutex> lock(mutex);
                ++finished;
                if (progress)
                    progress(Progress{finished, total, "computing features: " + note.noteStr});
            }
            if (auto stored = store(chunk, rows.data(), count); !stored)
                return fail(first, stored.error());
        }
    };
    std::size_t workers = threads > 0 ? std::size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
    workers = std::clamp<std::size_t>(workers, 1, std::max<std::size_t>(1, todo.size()));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < workers; ++t)
        pool.emplace_back(worker);
    worker();
    for (std::thread& t : pool)
        t.join();
    if (failed)
        return failed->error;
    if (cancel.isCancelled())
        return makeError(ErrorCode::Cancelled, "feature computation cancelled", dataset.folder());
    return {};
}

// Without a cache file: every row in memory when that is affordable, else computed when read.
Result<FeatureMatrix> computeWithoutCache(const Dataset& dataset, const FeatureSettings& settings,
                                          const std::vector<std::size_t>& usable, const Error& why,
                                          const ProgressSink& progress, const CancellationToken& cancel, int threads)
{
    const std::size_t total = usable.size();
    const std::size_t rowSize = settings.size();
    if (total * rowSize * sizeof(float) > kInMemoryLimitBytes) {
        if (progress)
            progress(Progress{0, total, cacheNotSaved(why) + "; features are computed as training reads them", true});
        std::vector<NoteRecord> notes;
        notes.reserve(total);
        for (std::size_t index : usable)
            notes.push_back(dataset.notes()[index]);
        return FeatureMatrix(settings.shape(), usable,
                             std::shared_ptr<const FeatureRowSource>(std::make_shared<ComputedRows>(std::move(notes), settings)));
    }
    if (progress)
        progress(Progress{0, total, cacheNotSaved(why), true});
    // Not value-initialised: every row is written below.
    std::shared_ptr<float> data(new float[total * rowSize], std::default_delete<float[]>());
    const CacheHeader layout = detail::makeCacheHeader(total, rowSize, 4);
    const std::vector<bool> none(detail::chunkCount(layout), false);
    auto copy = [&](std::size_t chunk, const float* rows, std::size_t count) -> Status {
        std::memcpy(data.get() + chunk * layout.chunkRows * rowSize, rows, count * rowSize * sizeof(float));
        return {};
    };
    if (auto computed = computeChunks(dataset, settings, usable, layout.chunkRows, none, copy, progress, cancel, threads);
        !computed)
        return computed.error();
    return FeatureMatrix(settings.shape(), usable, std::shared_ptr<const float>(std::move(data)));
}

} // namespace

FeatureCache::FeatureCache(std::string cacheFolder)
    : m_folder(cacheFolder.empty() ? appCacheFolder() + "/features" : std::move(cacheFolder))
{
}

std::string FeatureCache::cachePath(const Dataset& dataset, const FeatureSettings& settings) const
{
    Fnv1a folderHash;
    folderHash.addString(dataset.folder());
    char settingsPart[9];
    std::snprintf(settingsPart, sizeof settingsPart, "%08x", unsigned(settingsHash(settings) & 0xffffffffu));
    return m_folder + "/" + folderHash.hex() + "-" + featureKindName(settings.kind) + "-" + settingsPart + ".bin";
}

std::uint64_t FeatureCache::cacheBytes(const Dataset& dataset, const FeatureSettings& settings)
{
    return detail::cacheFileBytes(expectedHeader(dataset, settings, dataset.usableIndices().size(), true));
}

Result<FeatureMatrix> FeatureCache::readCached(const Dataset& dataset, const FeatureSettings& settings) const
{
    const std::vector<std::size_t> usable = dataset.usableIndices();
    const std::string path = cachePath(dataset, settings);
    auto rows = detail::openCacheRows(path, expectedHeader(dataset, settings, usable.size(), true), indexOf(usable));
    if (!rows)
        return rows.error();
    return FeatureMatrix(settings.shape(), usable, std::move(*rows));
}

Result<FeatureMatrix> FeatureCache::load(const Dataset& dataset, const FeatureSettings& settings,
                                         const ProgressSink& progress, const CancellationToken& cancel,
                                         int threads) const
{
    auto cached = readCached(dataset, settings);
    if (cached.ok())
        return cached;

    const std::vector<std::size_t> usable = dataset.usableIndices();
    if (usable.empty())
        return makeError(ErrorCode::InvalidArgument, "no note of the dataset has its WAV file", dataset.folder());
    const std::size_t total = usable.size();
    const std::string path = cachePath(dataset, settings);
    removeStaleTemporaries(m_folder);  // what killed runs of older versions left behind

    // One process computes a cache at a time; another one asking for the same features waits and
    // then reads what the first one wrote.
    std::error_code ec;
    std::filesystem::create_directories(m_folder, ec);
    const std::filesystem::path target(path);
    const std::string lockPath = (target.parent_path() / ("." + target.filename().string() + ".lock")).string();
    auto lock = FileLock::acquire(lockPath, cancel, [&](long pid) {
        if (progress)
            progress(Progress{0, total, "waiting for another Timbrescope (process " + std::to_string(pid)
                                            + ") computing the same features", true});
    });
    if (!lock) {
        if (lock.error().code == ErrorCode::Cancelled)
            return makeError(ErrorCode::Cancelled, "feature computation cancelled", dataset.folder());
        return computeWithoutCache(dataset, settings, usable, lock.error(), progress, cancel, threads);
    }
    if (auto written = readCached(dataset, settings); written.ok())
        return written;

    // A killed or cancelled earlier run left its finished chunks in the partial file: only the
    // rest is computed now.
    auto writer = CacheWriter::open(path + ".partial", expectedHeader(dataset, settings, total, false), indexOf(usable));
    if (!writer)
        return computeWithoutCache(dataset, settings, usable, writer.error(), progress, cancel, threads);
    std::mutex markMutex;
    std::vector<std::size_t> unmarked;
    auto lastMark = std::chrono::steady_clock::now();
    auto store = [&](std::size_t chunk, const float* rows, std::size_t count) -> Status {
        if (auto written = writer->writeChunk(chunk, rows, count); !written)
            return written;
        std::vector<std::size_t> toMark;
        {
            const std::lock_guard<std::mutex> guard(markMutex);
            unmarked.push_back(chunk);
            if (std::chrono::steady_clock::now() - lastMark < kMarkInterval)
                return {};
            toMark.swap(unmarked);
            lastMark = std::chrono::steady_clock::now();
        }
        return writer->markDone(toMark);
    };
    const CacheHeader& header = writer->header();
    const Status computed = computeChunks(dataset, settings, usable, header.chunkRows, writer->doneChunks(), store,
                                          progress, cancel, threads);
    // What finished is kept for the next run, whatever stopped this one.
    const Status marked = writer->markDone(unmarked);
    if (!computed && computed.error().code == ErrorCode::WriteFailed)
        return computeWithoutCache(dataset, settings, usable, computed.error(), progress, cancel, threads);
    if (!computed)
        return computed.error();
    if (!marked)
        return computeWithoutCache(dataset, settings, usable, marked.error(), progress, cancel, threads);
    if (auto published = writer->publish(path); !published)
        return computeWithoutCache(dataset, settings, usable, published.error(), progress, cancel, threads);
    auto result = readCached(dataset, settings);
    if (!result)
        return computeWithoutCache(dataset, settings, usable, result.error(), progress, cancel, threads);
    return result;
}

} // namespace ts::dataset
