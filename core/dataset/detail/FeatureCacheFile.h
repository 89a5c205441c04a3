#pragma once
// PRIVATE to core/dataset. The feature cache's file: its layout, a writer that fills it a chunk of
// rows at a time and survives being killed (the next run resumes it), and the row source that
// reads a published file a row at a time.
//
// Layout (native little-endian; another byte order fails the endian mark and is recomputed):
//   128-byte header | dataset note index of each row (uint64) | chunk table (one byte per chunk
//   of chunkRows rows: 1 once its rows are on disk) | rows from dataOffset (4096-aligned), each
//   rowSize values of elementBytes (4: float32, 2: float16).
// A file being written is "<cache>.partial" beside the cache, guarded by "<cache>.lock"; it is
// renamed over the cache once every chunk is in, with the header's `complete` set.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dataset/FeatureMatrix.h"
#include "util/Result.h"

namespace ts::dataset::detail {

struct CacheHeader {
    char magic[8];
    std::uint32_t version;
    std::uint32_t endianMark;
    char fingerprint[32];        // Dataset::fingerprint(), zero padded
    std::uint64_t settingsHash;  // FNV-1a of FeatureSettings::key()
    std::uint32_t rank;
    std::int32_t shape[4];
    std::uint32_t elementBytes;  // 4 float32, 2 float16
    std::uint64_t rows;
    std::uint64_t rowSize;
    std::uint64_t dataOffset;
    std::uint32_t chunkRows;
    std::uint32_t complete;      // 1 in a published cache
    char padding[16];
};
static_assert(sizeof(CacheHeader) == 128, "cache header layout");

// A header for `rows` rows of `rowSize` values (the other identity fields are the caller's).
CacheHeader makeCacheHeader(std::size_t rows, std::size_t rowSize, std::uint32_t elementBytes);
std::size_t chunkCount(const CacheHeader& header);
std::uint64_t cacheFileBytes(const CacheHeader& header);

// Why `found` is not a file of `expected` (both fully filled in), or empty when it is one.
std::string headerMismatch(const CacheHeader& found, const CacheHeader& expected);

// Opens a published cache file for reading rows: checks the header against `expected`, the size,
// and that its note index equals `index`. BadFormat with the reason otherwise; NotFound if absent.
Result<std::shared_ptr<const FeatureRowSource>> openCacheRows(const std::string& path, const CacheHeader& expected,
                                                              const std::vector<std::uint64_t>& index);

class CacheWriter {
public:
    // Resumes `partialPath` when it is a partial file of exactly `expected` and `index` (its chunk
    // table says what is done), else starts it anew with the whole size reserved on disk (a full
    // disk is an error now, not in the middle of the work).
    static Result<CacheWriter> open(const std::string& partialPath, const CacheHeader& expected,
                                    const std::vector<std::uint64_t>& index);
    CacheWriter(CacheWriter&& other) noexcept;
    CacheWriter& operator=(CacheWriter&&) = delete;
    CacheWriter(const CacheWriter&) = delete;
    CacheWriter& operator=(const CacheWriter&) = delete;
    ~CacheWriter();

    const CacheHeader& header() const { return m_header; }
    // Chunks whose rows were already on disk when the file was opened.
    const std::vector<bool>& doneChunks() const { return m_done; }
    bool resumed() const { return m_resumed; }

    // Writes chunk `chunk`'s rows (float32 in memory, stored as the header's element type). Safe
    // from several threads for different chunks.
    Status writeChunk(std::size_t chunk, const float* rows, std::size_t rowCount) const;
    // Flushes the file's data to disk, then marks `chunks` done in the table: after a crash or a
    // power cut, a chunk marked done has its rows on disk. Safe beside writeChunk.
    Status markDone(const std::vector<std::size_t>& chunks) const;
    // Marks the file complete, flushes it and renames it to `cachePath`.
    Status publish(const std::string& cachePath);

private:
    CacheWriter() = default;

    std::string m_path;
    int m_fd = -1;
    CacheHeader m_header{};
    std::vector<bool> m_done;
    bool m_resumed = false;
};

} // namespace ts::dataset::detail
