#pragma once
// A folder made under a temporary name and put in place whole: what a render or an import writes
// is never seen half-made. Temporary folders are named ".NAME.rendering-PID" beside NAME, the
// pattern StaleTemporaries removes at the next start should the process die first.
#include <filesystem>
#include <string>

#include "util/Result.h"

namespace ts {

// ".NAME.rendering-PID" in `parent` for a folder to be put at parent/NAME.
std::filesystem::path temporarySiblingOf(const std::filesystem::path& out);

// Removes the folder when it goes out of scope, unless released (it was moved into place).
class TemporaryFolder {
public:
    explicit TemporaryFolder(std::filesystem::path path) : m_path(std::move(path)) {}
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    ~TemporaryFolder();
    const std::filesystem::path& path() const { return m_path; }
    void release() { m_path.clear(); }

private:
    std::filesystem::path m_path;
};

// Puts the finished folder `made` at `out`. An existing `out` is swapped with it in one step
// (renameat2's RENAME_EXCHANGE), so at every moment `out` is the whole old folder or the whole new
// one, and the old one is left at `made` for the caller to remove; a file system without that step
// gets two renames.
Status moveFolderIntoPlace(const std::filesystem::path& made, const std::filesystem::path& out,
                           const std::filesystem::path& parent);

} // namespace ts
