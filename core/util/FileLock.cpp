#include "util/FileLock.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace ts {

namespace {

using Clock = std::chrono::steady_clock;

Error lockError(const std::string& what, int err, const std::string& path)
{
    return makeError(ErrorCode::WriteFailed, what + " (" + std::strerror(err) + ")", path);
}

long readPid(int fd)
{
    char text[32] = {};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    if (n <= 0)
        return 0;
    const long pid = std::strtol(text, nullptr, 10);
    return pid > 0 ? pid : 0;
}

// Best effort: without the id (a full disk) a waiter's message only lacks the number; a part of
// one is removed, as it would be another number.
void writePid(int fd)
{
    const std::string pid = std::to_string(long(::getpid())) + "\n";
    if (::ftruncate(fd, 0) != 0)
        return;
    const ssize_t written = ::pwrite(fd, pid.data(), pid.size(), 0);
    if (written != ssize_t(pid.size())) {
        const int ignored = ::ftruncate(fd, 0);  // should this fail too, a waiter reads a wrong id
        (void)ignored;
    }
}

// True when `path` still names the file open as `fd`: a holder removes the file just before it
// releases the lock, so a lock taken on a removed file guards nothing.
bool stillNamed(int fd, const std::string& path)
{
    struct stat open {}, named {};
    return ::fstat(fd, &open) == 0 && ::stat(path.c_str(), &named) == 0 && open.st_dev == named.st_dev
           && open.st_ino == named.st_ino;
}

} // namespace

Result<FileLock> FileLock::acquire(const std::string& lockPath, const CancellationToken& cancel, const WaitNotice& onWait)
{
    constexpr auto kPoll = std::chrono::milliseconds(100);
    const auto started = Clock::now();
    long reported = -1;  // the holder last told to onWait; -1 none yet
    for (;;) {
        const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            return lockError("cannot create the lock file", errno, lockPath);
        // Polled rather than blocking, so a Cancel or Ctrl-C is seen while waiting.
        for (;;) {
            if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
                break;
            const int err = errno;
            if (err == EINTR)
                continue;
            if (err != EWOULDBLOCK) {
                ::close(fd);
                return lockError("cannot lock the lock file", err, lockPath);
            }
            if (cancel.isCancelled()) {
                ::close(fd);
                return makeError(ErrorCode::Cancelled, "cancelled while waiting for the lock", lockPath);
            }
            const long holder = readPid(fd);
            const bool longWait = Clock::now() - started >= std::chrono::seconds(1);
            if (onWait && holder != reported && (holder > 0 || (longWait && reported < 0))) {
                reported = holder;
                onWait(holder);
            }
            std::this_thread::sleep_for(kPoll);
        }
        if (!stillNamed(fd, lockPath)) {
            ::close(fd);
            continue;
        }
        writePid(fd);
        return FileLock(lockPath, fd);
    }
}

long FileLock::holderOf(const std::string& lockPath)
{
    const int fd = ::open(lockPath.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return 0;
    const long pid = readPid(fd);
    ::close(fd);
    return pid;
}

FileLock::FileLock(FileLock&& other) noexcept : m_path(std::move(other.m_path)), m_fd(other.m_fd)
{
    other.m_fd = -1;
}

FileLock& FileLock::operator=(FileLock&& other) noexcept
{
    if (this != &other) {
        release();
        m_path = std::move(other.m_path);
        m_fd = other.m_fd;
        other.m_fd = -1;
    }
    return *this;
}

FileLock::~FileLock()
{
    release();
}

void FileLock::release()
{
    if (m_fd < 0)
        return;
    // Removed while still held: a waiter that locks the removed file sees it is no longer the
    // path's and opens the path again.
    ::unlink(m_path.c_str());
    ::close(m_fd);
    m_fd = -1;
}

} // namespace ts
