#include "util/AtomicFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace ts {

namespace fs = std::filesystem;

namespace {

std::string temporarySibling(const std::string& path)
{
    std::random_device rd;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%d-%08x", int(::getpid()), unsigned(rd()));
    return path + suffix;
}

} // namespace

Status writeFileAtomically(const std::string& path, const void* data, std::size_t size)
{
    const std::string tmp = temporarySibling(path);
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return makeError(ErrorCode::WriteFailed, std::string("cannot create file (") + std::strerror(errno) + ")", path);
    const char* p = static_cast<const char*>(data);
    std::size_t left = size;
    while (left > 0) {
        const ssize_t n = ::write(fd, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return makeError(ErrorCode::WriteFailed, std::string("write failed (") + std::strerror(err) + ")", path);
        }
        p += n;
        left -= std::size_t(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return makeError(ErrorCode::WriteFailed, std::string("flush failed (") + std::strerror(err) + ")", path);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return makeError(ErrorCode::WriteFailed, std::string("rename failed (") + std::strerror(err) + ")", path);
    }
    return {};
}

Status writeFileAtomically(const std::string& path, std::string_view bytes)
{
    return writeFileAtomically(path, bytes.data(), bytes.size());
}

Result<std::string> readWholeFile(const std::string& path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        return makeError(ErrorCode::NotFound, "file does not exist", path);
    if (fs::is_directory(path, ec))
        return makeError(ErrorCode::Unreadable, "is a folder, not a file", path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return makeError(ErrorCode::Unreadable, "cannot open file for reading", path);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        return makeError(ErrorCode::Unreadable, "read error", path);
    return ss.str();
}

} // namespace ts
