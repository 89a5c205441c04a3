#include "util/AtomicFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "util/StaleTemporaries.h"

namespace ts {

namespace fs = std::filesystem;

namespace {

// The first atomic write into a folder in this process removes what killed writers left there
// (StaleTemporaries.h): a model, CSV or .npy written by a command killed before its rename would
// otherwise keep its TARGET.tmp-PID-XXXXXXXX for ever. Once per folder and process, so thousands
// of writes into one folder (a render's WAVs) scan it once.
void removeStaleTemporariesOnce(const std::string& path)
{
    static std::mutex mutex;
    static std::set<std::string> cleaned;
    std::string folder = fs::path(path).parent_path().string();
    if (folder.empty())
        folder = ".";
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (!cleaned.insert(folder).second)
            return;
    }
    removeStaleTemporaries(folder);
}

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
    removeStaleTemporariesOnce(path);
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

Status checkRegularFile(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return makeError(ErrorCode::NotFound, "file does not exist", path);
    if (S_ISDIR(st.st_mode))
        return makeError(ErrorCode::Unreadable, "is a folder, not a file", path);
    if (!S_ISREG(st.st_mode))
        return makeError(ErrorCode::Unsupported, "not a regular file", path);
    return {};
}

Result<std::string> readWholeFile(const std::string& path, std::uint64_t maxBytes)
{
    if (auto s = checkRegularFile(path); !s)
        return s.error();
    // O_NONBLOCK: should the path be swapped for a FIFO after the check, open does not wait for a
    // writer; fstat below then refuses it.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return makeError(ErrorCode::Unreadable, std::string("cannot open file for reading (") + std::strerror(errno) + ")", path);
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return makeError(ErrorCode::Unsupported, "not a regular file", path);
    if (std::uint64_t(st.st_size) > maxBytes)
        return makeError(ErrorCode::Unsupported, "file too large (" + std::to_string(std::uint64_t(st.st_size) >> 20) +
                             " MiB; the limit here is " + std::to_string(maxBytes >> 20) + " MiB)", path);
    std::string bytes(std::size_t(st.st_size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return makeError(ErrorCode::Unreadable, std::string("read error (") + std::strerror(errno) + ")", path);
        if (n == 0)
            break;  // shrank while being read: what was there
        done += std::size_t(n);
    }
    bytes.resize(done);
    return bytes;
}

} // namespace ts
