#pragma once
// Large buffers (a decoded 4 s note is 256 KB, a batch of features a few MB) stay in the heap
// instead of each getting its own mmap: glibc's default maps every block over 128 KB and unmaps
// it when freed, and the page faults of mapping them afresh for every note were a fifth of the
// time of tagging a folder. Also keeps freed memory up to 512 MB for reuse.
namespace ts {

// Process-wide and idempotent; the first call sets it.
void keepLargeBuffersOnTheHeap();

} // namespace ts
