#pragma once
// A file written in place through a memory mapping and published atomically: created as a
// temporary sibling of the target with its full size reserved up front, filled through data(),
// then flushed and renamed over the target by commit(). Used for caches too big to build in
// memory and then copy into a file (the mapping is the only copy). The mapping outlives the
// object through mapping(), so readers can keep using what was written.
#include <cstddef>
#include <memory>
#include <string>

#include "util/Result.h"

namespace ts {

class MappedTempFile {
public:
    // Reserves `bytes` on disk (so a full disk is an error now, not a crash while writing).
    static Result<MappedTempFile> create(const std::string& targetPath, std::size_t bytes);

    MappedTempFile(MappedTempFile&& other) noexcept;
    MappedTempFile& operator=(MappedTempFile&& other) noexcept;
    MappedTempFile(const MappedTempFile&) = delete;
    MappedTempFile& operator=(const MappedTempFile&) = delete;
    // Without commit() the temporary file is removed.
    ~MappedTempFile();

    char* data() const { return m_mapping.get(); }
    std::size_t size() const { return m_size; }
    // Shares ownership of the mapping: valid after commit() and after this object is destroyed.
    std::shared_ptr<char> mapping() const { return m_mapping; }

    // Flushes to disk and renames over the target. On failure the temporary file is removed.
    Status commit();

private:
    MappedTempFile() = default;
    void discard();

    std::string m_target;
    std::string m_temp;
    int m_fd = -1;
    std::size_t m_size = 0;
    std::shared_ptr<char> m_mapping;
};

} // namespace ts
