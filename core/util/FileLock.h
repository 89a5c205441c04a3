#pragma once
// An exclusive lock between Timbrescope processes on something being made (a dataset folder being
// rendered), held as flock(2) on a lock file beside it. The kernel releases a flock when its holder
// exits however it exits, kill -9 included, so a lock is never stale and never needs breaking.
// The holder writes its process id into the file, for the message of whoever waits, and removes
// the file on release. A waiter that took the lock on a file its holder had just removed sees the
// path no longer leads to its file and tries again, so two processes never both hold it.
#include <functional>
#include <string>

#include "util/CancellationToken.h"
#include "util/Result.h"

namespace ts {

class FileLock {
public:
    // Called while the lock is held elsewhere: once when the wait begins and again whenever
    // another process becomes the holder. `pid` is the holder's id, or 0 when it has not written
    // one (a second of waiting without it is reported with 0).
    using WaitNotice = std::function<void(long pid)>;

    // Takes the lock on `lockPath` (created if missing; its folder must exist), waiting as long as
    // another process holds it and checking `cancel` ten times a second (a token cancelled before
    // the call makes it a try: Cancelled at once when the lock is held). Errors: WriteFailed when
    // the lock file cannot be created or locked, naming it; Cancelled.
    static Result<FileLock> acquire(const std::string& lockPath, const CancellationToken& cancel = {},
                                    const WaitNotice& onWait = {});

    // The process id written in a lock file, or 0 (no file, no id in it).
    static long holderOf(const std::string& lockPath);

    FileLock(FileLock&& other) noexcept;
    FileLock& operator=(FileLock&& other) noexcept;
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    // Removes the lock file, then releases the lock.
    ~FileLock();

    const std::string& path() const { return m_path; }

private:
    FileLock(std::string path, int fd) : m_path(std::move(path)), m_fd(fd) {}
    void release();

    std::string m_path;
    int m_fd = -1;
};

} // namespace ts
