#include "dataset/FeatureCache.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <mutex>
#include <random>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

#include "audio/AudioFile.h"
#include "util/AppPaths.h"
#include "util/Fnv1a.h"

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

bool writeExactly(int fd, const void* buffer, std::size_t size)
{
    const auto* p = static_cast<const char*>(buffer);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, std::min<std::size_t>(size, std::size_t(1) << 30));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= std::size_t(n);
    }
    return true;
}

// Written straight from the feature buffer to a temporary file that is then renamed over the
// cache (a gigabyte of STFTs is not copied into one more buffer as writeFileAtomically would need).
Status writeCache(const std::string& path, const CacheHeader& header, const FeatureMatrix& matrix)
{
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%08x", int(::getpid()), unsigned(std::random_device{}()));
    const std::string tmp = path + suffix;
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return makeError(ErrorCode::WriteFailed, std::string("cannot create feature cache (") + std::strerror(errno) + ")", path);
    std::vector<std::uint64_t> index(matrix.rowNote().begin(), matrix.rowNote().end());
    std::vector<char> gap(header.dataOffset - sizeof header - index.size() * sizeof(std::uint64_t), 0);
    const bool ok = writeExactly(fd, &header, sizeof header)
                 && writeExactly(fd, index.data(), index.size() * sizeof(std::uint64_t))
                 && writeExactly(fd, gap.data(), gap.size())
                 && (matrix.rows() == 0 || writeExactly(fd, matrix.row(0), matrix.rows() * matrix.rowSize() * sizeof(float)))
                 && ::fsync(fd) == 0;
    const int err = errno;
    if (::close(fd) != 0 || !ok) {
        ::unlink(tmp.c_str());
        return makeError(ErrorCode::WriteFailed, std::string("cannot write feature cache (") + std::strerror(err) + ")", path);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int renameErr = errno;
        ::unlink(tmp.c_str());
        return makeError(ErrorCode::WriteFailed, std::string("cannot rename feature cache (") + std::strerror(renameErr) + ")", path);
    }
    return {};
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
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
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
    if (!readExactly(fd, &header, sizeof header) || ::fstat(fd, &info) != 0)
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
    // One read of all rows into the final buffer: no per-element work, so the load runs at the
    // speed of the page cache.
    std::vector<float> data(header.rows * header.rowSize);
    if (::lseek(fd, off_t(header.dataOffset), SEEK_SET) < 0 || !readExactly(fd, data.data(), dataBytes))
        return makeError(ErrorCode::BadFormat, "feature cache is truncated", path);
    return FeatureMatrix(settings.shape(), usable, std::move(data));
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
    std::vector<float> data(usable.size() * rowSize);

    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;  // guards `failed`, `done` and the progress callback
    std::optional<FailedNote> failed;
    std::size_t done = 0;
    const std::size_t total = usable.size();
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
            const std::vector<float> view = audio::modelView(decoded->samples);
            computeFeaturesInto(settings, view.data(), view.size(), data.data() + row * rowSize);
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

    FeatureMatrix matrix(settings.shape(), usable, std::move(data));
    const std::string path = cachePath(dataset, settings);
    // A cache that cannot be written (read-only or full disk) costs time on the next run, not
    // correctness, so the features are still returned; the progress line says why.
    const Status stored = writeCache(path, makeHeader(dataset, settings, total), matrix);
    if (!stored && progress)
        progress(Progress{total, total, "feature cache not saved: " + stored.error().describe()});
    return matrix;
}

} // namespace ts::dataset
