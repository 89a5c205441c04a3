#include "dataset/FeatureCache.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "audio/AudioFile.h"
#include "dsp/RecordingSimulator.h"
#include "util/AppPaths.h"
#include "util/Fnv1a.h"
#include "util/MappedTempFile.h"
#include "util/StaleTemporaries.h"

namespace ts::dataset {

namespace {

// The cache file: a fixed 128-byte header, the dataset note index of each row (uint64), then
// float32 rows from dataOffset (64-byte aligned) to the end. Native little-endian; a file written
// with another byte order fails the endian mark and is recomputed.
constexpr char kMagic[8] = {'T', 'S', 'F', 'E', 'A', 'T', 'S', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint32_t kEndianMark = 0x01020304;

struct CacheHeader {
    char magic[8];
    std::uint32_t version;
    std::uint32_t endianMark;
    char fingerprint[32];       // Dataset::fingerprint(), zero padded
    std::uint64_t settingsHash; // FNV-1a of FeatureSettings::key()
    std::uint32_t rank;
    std::int32_t shape[4];
    std::uint32_t reserved;
    std::uint64_t rows;
    std::uint64_t rowSize;
    std::uint64_t dataOffset;
    char padding[24];
};
static_assert(sizeof(CacheHeader) == 128, "cache header layout");

std::uint64_t settingsHash(const FeatureSettings& settings)
{
    Fnv1a h;
    h.addString(settings.key());
    return h.value();
}

CacheHeader makeHeader(const Dataset& dataset, const FeatureSettings& settings, std::size_t rows)
{
    CacheHeader h{};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.version = kVersion;
    h.endianMark = kEndianMark;
    const std::string fp = dataset.fingerprint();
    std::memcpy(h.fingerprint, fp.data(), std::min(fp.size(), sizeof h.fingerprint));
    h.settingsHash = settingsHash(settings);
    const std::vector<int> shape = settings.shape();
    h.rank = std::uint32_t(shape.size());
    for (std::size_t i = 0; i < shape.size() && i < 4; ++i)
        h.shape[i] = shape[i];
    h.rows = rows;
    h.rowSize = settings.size();
    const std::uint64_t indexEnd = sizeof(CacheHeader) + rows * sizeof(std::uint64_t);
    h.dataOffset = (indexEnd + 63) / 64 * 64;
    return h;
}

bool readExactly(int fd, void* buffer, std::size_t size)
{
    auto* p = static_cast<char*>(buffer);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, std::min<std::size_t>(size, std::size_t(1) << 30));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= std::size_t(n);
    }
    return true;
}

// The notice for a cache file that could not be written (a full disk, a read-only cache folder):
// the features are computed in memory all the same.
std::string cacheNotSaved(const Error& error)
{
    return "feature cache not saved, going on without it: " + error.describe();
}

struct FailedNote {
    std::size_t row = 0;
    Error error;
};

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

Result<FeatureMatrix> FeatureCache::readCached(const Dataset& dataset, const FeatureSettings& settings) const
{
    const std::string path = cachePath(dataset, settings);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return makeError(ErrorCode::NotFound, "no feature cache", path);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};

    const std::vector<std::size_t> usable = dataset.usableIndices();
    const CacheHeader expected = makeHeader(dataset, settings, usable.size());
    CacheHeader header{};
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || !readExactly(fd, &header, sizeof header))
        return makeError(ErrorCode::BadFormat, "feature cache is truncated", path);
    if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || header.version != kVersion
        || header.endianMark != kEndianMark)
        return makeError(ErrorCode::BadFormat, "not a feature cache of this version", path);
    if (std::memcmp(header.fingerprint, expected.fingerprint, sizeof header.fingerprint) != 0)
        return makeError(ErrorCode::BadFormat, "feature cache is stale (the dataset's files changed)", path);
    if (header.settingsHash != expected.settingsHash || header.rank != expected.rank
        || std::memcmp(header.shape, expected.shape, sizeof header.shape) != 0 || header.rowSize != expected.rowSize
        || header.rows != expected.rows || header.dataOffset != expected.dataOffset)
        return makeError(ErrorCode::BadFormat, "feature cache holds other settings or notes", path);
    const std::uint64_t dataBytes = header.rows * header.rowSize * sizeof(float);
    if (std::uint64_t(info.st_size) != header.dataOffset + dataBytes)
        return makeError(ErrorCode::BadFormat, "feature cache has the wrong size (truncated or damaged)", path);

    std::vector<std::uint64_t> index(header.rows);
    if (!readExactly(fd, index.data(), index.size() * sizeof(std::uint64_t)))
        return makeError(ErrorCode::BadFormat, "feature cache is truncated", path);
    if (!std::equal(index.begin(), index.end(), usable.begin(), usable.end()))
        return makeError(ErrorCode::BadFormat, "feature cache rows do not match the dataset's notes", path);
    // The rows are mapped, not read: no copy and no per-element work, so a gigabyte of STFTs that
    // is in the page cache is ready in a fraction of a second (MAP_POPULATE maps it all now, so
    // the first epoch does not pay page faults). The cache is replaced only by rename, never
    // rewritten in place, so a mapping always sees a complete file.
    const std::size_t fileBytes = std::size_t(info.st_size);
    void* base = ::mmap(nullptr, fileBytes, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (base == MAP_FAILED)
        return makeError(ErrorCode::Unreadable, std::string("cannot map feature cache (") + std::strerror(errno) + ")", path);
    std::shared_ptr<const float> rows(reinterpret_cast<const float*>(static_cast<const char*>(base) + header.dataOffset),
                                      [base, fileBytes](const float*) { ::munmap(base, fileBytes); });
    return FeatureMatrix(settings.shape(), usable, std::move(rows));
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
    const std::size_t rowSize = settings.size();
    const std::size_t total = usable.size();
    const CacheHeader header = makeHeader(dataset, settings, total);
    const std::string path = cachePath(dataset, settings);

    // Rows are computed straight into the mapped cache file, so there is one copy of them (in
    // the page cache) and nothing to write out afterwards. If the file cannot be made (read-only
    // or full disk) they go to memory and only the next run pays for it.
    std::shared_ptr<char> storage;
    float* data = nullptr;
    removeStaleTemporaries(m_folder);  // a killed earlier run's half-computed caches
    auto file = MappedTempFile::create(path, std::size_t(header.dataOffset) + total * rowSize * sizeof(float));
    if (file) {
        storage = file->mapping();
        std::memcpy(storage.get(), &header, sizeof header);
        std::uint64_t* index = reinterpret_cast<std::uint64_t*>(storage.get() + sizeof header);
        std::copy(usable.begin(), usable.end(), index);
        data = reinterpret_cast<float*>(storage.get() + header.dataOffset);
    } else {
        if (progress)
            progress(Progress{0, total, cacheNotSaved(file.error()), true});
        // Not value-initialised: every row is written below.
        storage = std::shared_ptr<char>(reinterpret_cast<char*>(new float[total * rowSize]),
                                        [](char* p) { delete[] reinterpret_cast<float*>(p); });
        data = reinterpret_cast<float*>(storage.get());
    }

    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;  // guards `failed`, `done` and the progress callback
    std::optional<FailedNote> failed;
    std::size_t done = 0;
    auto worker = [&]() {
        for (;;) {
            if (stop.load(std::memory_order_relaxed) || cancel.isCancelled())
                return;
            const std::size_t row = next.fetch_add(1);
            if (row >= total)
                return;
            const NoteRecord& note = dataset.notes()[usable[row]];
            auto decoded = audio::loadAudio(note.wavPath);
            if (!decoded) {
                const std::lock_guard<std::mutex> lock(mutex);
                // Keep the earliest note's error, so the message does not depend on thread timing.
                if (!failed || row < failed->row)
                    failed = FailedNote{row, decoded.error()};
                stop = true;
                return;
            }
            std::vector<float> view = audio::modelView(decoded->samples);
            if (settings.recording > 0)
                view = dsp::RecordingSimulator::simulate(view, note.noteStr, settings.recording);
            computeFeaturesInto(settings, view.data(), view.size(), data + row * rowSize);
            const std::lock_guard<std::mutex> lock(mutex);
            ++done;
            if (progress)
                progress(Progress{done, total, "computing features: " + note.noteStr});
        }
    };
    std::size_t workers = threads > 0 ? std::size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
    workers = std::min(workers, total);
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

    if (file) {
        // A cache that cannot be published costs time on the next run, not correctness: the rows
        // stay readable through the mapping even when the rename fails.
        const Status stored = file->commit();
        if (!stored && progress)
            progress(Progress{total, total, cacheNotSaved(stored.error()), true});
    }
    return FeatureMatrix(settings.shape(), usable, std::shared_ptr<const float>(storage, data));
}

} // namespace ts::dataset
