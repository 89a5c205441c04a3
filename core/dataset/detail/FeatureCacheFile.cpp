#include "dataset/detail/FeatureCacheFile.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "util/Half.h"

namespace ts::dataset::detail {

namespace {

constexpr char kMagic[8] = {'T', 'S', 'F', 'E', 'A', 'T', 'S', '\0'};
constexpr std::uint32_t kVersion = 2;
constexpr std::uint32_t kEndianMark = 0x01020304;
constexpr std::uint64_t kDataAlignment = 4096;
// A chunk is the unit of resuming: small enough that a kill loses little work, large enough that
// its bookkeeping (one flag, an occasional flush) costs nothing. At most ~8 MB of rows, at most
// 256 rows, and at least 64 chunks, so even a small dataset resumes part-way.
constexpr std::size_t kChunkBytes = std::size_t(8) << 20;
constexpr std::size_t kMaxChunkRows = 256;
constexpr std::size_t kMinChunks = 64;

std::string errnoText(int err) { return std::string(" (") + std::strerror(err) + ")"; }

// pread or pwrite of exactly `size` bytes at `offset`, through short transfers and interruptions.
template <typename Transfer, typename Byte>
bool transferExactly(Transfer transfer, int fd, Byte* p, std::size_t size, std::uint64_t offset)
{
    while (size > 0) {
        const ssize_t n = transfer(fd, p, std::min<std::size_t>(size, std::size_t(1) << 30), off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n;
        size -= std::size_t(n);
        offset += std::uint64_t(n);
    }
    return true;
}

bool preadExactly(int fd, void* buffer, std::size_t size, std::uint64_t offset)
{
    return transferExactly(::pread, fd, static_cast<char*>(buffer), size, offset);
}

bool pwriteExactly(int fd, const void* buffer, std::size_t size, std::uint64_t offset)
{
    return transferExactly(::pwrite, fd, static_cast<const char*>(buffer), size, offset);
}

std::uint64_t indexOffset() { return sizeof(CacheHeader); }
std::uint64_t tableOffset(const CacheHeader& h) { return indexOffset() + h.rows * sizeof(std::uint64_t); }
std::uint64_t rowBytes(const CacheHeader& h) { return h.rowSize * h.elementBytes; }

// Reads the header and note index of an open file and checks them against what is expected.
Status checkFile(int fd, const std::string& path, const CacheHeader& expected, const std::vector<std::uint64_t>& index,
                 CacheHeader& found)
{
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode))
        return makeError(ErrorCode::BadFormat, "feature cache is not a regular file", path);
    if (!preadExactly(fd, &found, sizeof found, 0))
        return makeError(ErrorCode::BadFormat, "feature cache is truncated", path);
    if (const std::string why = headerMismatch(found, expected); !why.empty())
        return makeError(ErrorCode::BadFormat, why, path);
    if (std::uint64_t(info.st_size) != cacheFileBytes(found))
        return makeError(ErrorCode::BadFormat, "feature cache has the wrong size (truncated or damaged)", path);
    std::vector<std::uint64_t> stored(found.rows);
    if (!preadExactly(fd, stored.data(), stored.size() * sizeof(std::uint64_t), indexOffset()))
        return makeError(ErrorCode::BadFormat, "feature cache is truncated", path);
    if (stored != index)
        return makeError(ErrorCode::BadFormat, "feature cache rows do not match the dataset's notes", path);
    return {};
}

// Rows of a published cache file, read with pread: thread-safe, and nothing of the file counts
// towards the process's memory (the page cache keeps what fits).
class CacheFileRows final : public FeatureRowSource {
public:
    CacheFileRows(std::string path, int fd, const CacheHeader& header)
        : m_path(std::move(path)), m_fd(fd), m_header(header)
    {
    }
    ~CacheFileRows() override { ::close(m_fd); }

    Status read(const std::vector<std::size_t>& rows, std::size_t begin, std::size_t end, float* out) const override
    {
        const std::size_t rowSize = m_header.rowSize;
        const std::size_t bytes = rowBytes(m_header);
        thread_local std::vector<std::uint16_t> halves;
        if (m_header.elementBytes == 2)
            halves.resize(rowSize);
        for (std::size_t i = begin; i < end; ++i) {
            if (rows[i] >= m_header.rows)
                return makeError(ErrorCode::Internal, "row " + std::to_string(rows[i]) + " is beyond the feature cache", m_path);
            const std::uint64_t offset = m_header.dataOffset + std::uint64_t(rows[i]) * bytes;
            float* target = out + (i - begin) * rowSize;
            void* buffer = m_header.elementBytes == 2 ? static_cast<void*>(halves.data()) : static_cast<void*>(target);
            if (!preadExactly(m_fd, buffer, bytes, offset))
                return makeError(ErrorCode::Unreadable, "cannot read the feature cache" + errnoText(errno), m_path);
            if (m_header.elementBytes == 2)
                halvesToFloats(halves.data(), rowSize, target);
        }
        return {};
    }

    std::string describe() const override
    {
        return std::string(m_header.elementBytes == 2 ? "float16" : "float32") + " cache file " + m_path;
    }

private:
    std::string m_path;
    int m_fd;
    CacheHeader m_header;
};

} // namespace

CacheHeader makeCacheHeader(std::size_t rows, std::size_t rowSize, std::uint32_t elementBytes)
{
    CacheHeader h{};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.version = kVersion;
    h.endianMark = kEndianMark;
    h.elementBytes = elementBytes;
    h.rows = rows;
    h.rowSize = rowSize;
    const std::size_t bytesPerRow = std::max<std::size_t>(1, rowSize * elementBytes);
    std::size_t chunkRows = std::min(kMaxChunkRows, std::max<std::size_t>(1, kChunkBytes / bytesPerRow));
    chunkRows = std::min(chunkRows, std::max<std::size_t>(1, rows / kMinChunks));
    h.chunkRows = std::uint32_t(chunkRows);
    const std::uint64_t tableEnd = tableOffset(h) + chunkCount(h);
    h.dataOffset = (tableEnd + kDataAlignment - 1) / kDataAlignment * kDataAlignment;
    return h;
}

std::size_t chunkCount(const CacheHeader& header)
{
    return header.chunkRows == 0 ? 0 : std::size_t((header.rows + header.chunkRows - 1) / header.chunkRows);
}

std::uint64_t cacheFileBytes(const CacheHeader& header) { return header.dataOffset + header.rows * rowBytes(header); }

std::string headerMismatch(const CacheHeader& found, const CacheHeader& expected)
{
    if (std::memcmp(found.magic, kMagic, sizeof kMagic) != 0 || found.version != kVersion
        || found.endianMark != kEndianMark)
        return "not a feature cache of this version";
    if (std::memcmp(found.fingerprint, expected.fingerprint, sizeof found.fingerprint) != 0)
        return "feature cache is stale (the dataset's files changed)";
    if (found.settingsHash != expected.settingsHash || found.rank != expected.rank
        || std::memcmp(found.shape, expected.shape, sizeof found.shape) != 0 || found.rowSize != expected.rowSize
        || found.rows != expected.rows || found.elementBytes != expected.elementBytes
        || found.chunkRows != expected.chunkRows || found.dataOffset != expected.dataOffset)
        return "feature cache holds other settings or notes";
    if (found.complete != expected.complete)
        return expected.complete ? "feature cache was not finished" : "not a partial feature cache";
    return {};
}

Result<std::shared_ptr<const FeatureRowSource>> openCacheRows(const std::string& path, const CacheHeader& expected,
                                                              const std::vector<std::uint64_t>& index)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return makeError(ErrorCode::NotFound, "no feature cache", path);
    CacheHeader found{};
    if (auto checked = checkFile(fd, path, expected, index, found); !checked) {
        ::close(fd);
        return checked.error();
    }
    return std::shared_ptr<const FeatureRowSource>(std::make_shared<CacheFileRows>(path, fd, found));
}

Result<CacheWriter> CacheWriter::open(const std::string& partialPath, const CacheHeader& expected,
                                      const std::vector<std::uint64_t>& index)
{
    std::error_code ec;
    const auto parent = std::filesystem::path(partialPath).parent_path();
    if (!parent.empty())
        std::filesystem::create_directories(parent, ec);
    CacheWriter writer;
    writer.m_path = partialPath;
    writer.m_header = expected;
    writer.m_done.assign(chunkCount(expected), false);

    const int existing = ::open(partialPath.c_str(), O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (existing >= 0) {
        CacheHeader found{};
        std::vector<unsigned char> table(writer.m_done.size());
        if (checkFile(existing, partialPath, expected, index, found).ok()
            && preadExactly(existing, table.data(), table.size(), tableOffset(found))) {
            for (std::size_t c = 0; c < table.size(); ++c)
                writer.m_done[c] = table[c] == 1;
            writer.m_fd = existing;
            writer.m_resumed = true;
            return writer;
        }
        ::close(existing);  // another dataset's, or damaged: start again
    }

    writer.m_fd = ::open(partialPath.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (writer.m_fd < 0)
        return makeError(ErrorCode::WriteFailed, "cannot create the feature cache" + errnoText(errno), partialPath);
    const std::uint64_t bytes = cacheFileBytes(expected);
    // posix_fallocate, not ftruncate: a sparse file would only find a full disk half-way through.
    if (const int err = ::posix_fallocate(writer.m_fd, 0, off_t(bytes)); err != 0) {
        ::close(writer.m_fd);
        writer.m_fd = -1;
        ::unlink(partialPath.c_str());
        return makeError(ErrorCode::WriteFailed, "cannot reserve " + std::to_string(bytes) + " bytes" + errnoText(err),
                         partialPath);
    }
    const std::vector<unsigned char> table(writer.m_done.size(), 0);
    if (!pwriteExactly(writer.m_fd, &expected, sizeof expected, 0)
        || !pwriteExactly(writer.m_fd, index.data(), index.size() * sizeof(std::uint64_t), indexOffset())
        || !pwriteExactly(writer.m_fd, table.data(), table.size(), tableOffset(expected))) {
        const int err = errno;
        ::close(writer.m_fd);
        writer.m_fd = -1;
        ::unlink(partialPath.c_str());
        return makeError(ErrorCode::WriteFailed, "cannot write the feature cache" + errnoText(err), partialPath);
    }
    return writer;
}

CacheWriter::CacheWriter(CacheWriter&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(other.m_fd), m_header(other.m_header), m_done(std::move(other.m_done)),
      m_resumed(other.m_resumed)
{
    other.m_fd = -1;
}

CacheWriter::~CacheWriter()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Status CacheWriter::writeChunk(std::size_t chunk, const float* rows, std::size_t rowCount) const
{
    const std::uint64_t offset = m_header.dataOffset + std::uint64_t(chunk) * m_header.chunkRows * rowBytes(m_header);
    const std::size_t values = rowCount * m_header.rowSize;
    bool written = false;
    if (m_header.elementBytes == 2) {
        std::vector<std::uint16_t> halves(values);
        floatsToHalves(rows, values, halves.data());
        written = pwriteExactly(m_fd, halves.data(), values * sizeof(std::uint16_t), offset);
    } else {
        written = pwriteExactly(m_fd, rows, values * sizeof(float), offset);
    }
    if (!written)
        return makeError(ErrorCode::WriteFailed, "cannot write the feature cache" + errnoText(errno), m_path);
    return {};
}

Status CacheWriter::markDone(const std::vector<std::size_t>& chunks) const
{
    if (chunks.empty())
        return {};
    if (::fdatasync(m_fd) != 0)
        return makeError(ErrorCode::WriteFailed, "cannot flush the feature cache" + errnoText(errno), m_path);
    const unsigned char one = 1;
    for (std::size_t chunk : chunks)
        if (!pwriteExactly(m_fd, &one, 1, tableOffset(m_header) + chunk))
            return makeError(ErrorCode::WriteFailed, "cannot write the feature cache" + errnoText(errno), m_path);
    return {};
}

Status CacheWriter::publish(const std::string& cachePath)
{
    m_header.complete = 1;
    if (!pwriteExactly(m_fd, &m_header, sizeof m_header, 0) || ::fdatasync(m_fd) != 0)
        return makeError(ErrorCode::WriteFailed, "cannot finish the feature cache" + errnoText(errno), m_path);
    if (std::rename(m_path.c_str(), cachePath.c_str()) != 0)
        return makeError(ErrorCode::WriteFailed, "cannot publish the feature cache" + errnoText(errno), cachePath);
    // The rename itself reaches the disk with the folder.
    const std::string folder = std::filesystem::path(cachePath).parent_path().string();
    if (const int dir = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
    return {};
}

} // namespace ts::dataset::detail
