#include "util/FolderSwap.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace ts {

namespace fs = std::filesystem;

fs::path temporarySiblingOf(const fs::path& out)
{
    return out.parent_path() / ("." + out.filename().string() + ".rendering-" + std::to_string(::getpid()));
}

TemporaryFolder::~TemporaryFolder()
{
    if (!m_path.empty()) {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
}

Status moveFolderIntoPlace(const fs::path& made, const fs::path& out, const fs::path& parent)
{
    std::error_code ec;
    if (!fs::exists(out, ec)) {
        fs::rename(made, out, ec);
        if (ec)
            return makeError(ErrorCode::WriteFailed, "cannot rename the finished dataset into place (" + ec.message() + ")", out.string());
        return {};
    }
    if (::renameat2(AT_FDCWD, made.c_str(), AT_FDCWD, out.c_str(), RENAME_EXCHANGE) == 0)
        return {};
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return makeError(ErrorCode::WriteFailed, std::string("cannot swap the finished dataset into place (") + std::strerror(errno) + ")",
                         out.string());
    // Named like a temporary folder, so should this process die between the renames the old set is
    // removed at the next start like any other.
    const fs::path old = parent / ("." + out.filename().string() + ".old.rendering-" + std::to_string(::getpid()));
    fs::remove_all(old, ec);
    fs::rename(out, old, ec);
    if (ec)
        return makeError(ErrorCode::WriteFailed, "cannot move the existing folder aside (" + ec.message() + ")", out.string());
    fs::rename(made, out, ec);
    if (ec) {
        std::error_code back;
        fs::rename(old, out, back);
        return makeError(ErrorCode::WriteFailed, "cannot rename the finished dataset into place (" + ec.message() + ")", out.string());
    }
    fs::rename(old, made, ec);
    return {};
}

} // namespace ts
