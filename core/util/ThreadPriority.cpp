#include "util/ThreadPriority.h"

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace ts {

void lowerCurrentThreadPriority()
{
#ifdef __linux__
    // On Linux a thread id is a valid PRIO_PROCESS target and only that thread changes.
    const auto tid = id_t(::syscall(SYS_gettid));
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if (current < 10)
        ::setpriority(PRIO_PROCESS, tid, 10);
#endif
}

} // namespace ts
