#include "util/HeapTuning.h"

#include <malloc.h>

#include <mutex>

namespace ts {

void keepLargeBuffersOnTheHeap()
{
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
    });
}

} // namespace ts
