#pragma once
// Lets long background work (training, feature extraction) yield the CPU to the thread a user is
// waiting on, without a lower priority for the whole process.
namespace ts {

// Lowers the calling thread's CPU priority (nice 10) unless it is already that low. Threads it
// starts afterwards inherit the lower priority. Does nothing where threads have no priority of their
// own (only Linux gives each thread its own nice value).
void lowerCurrentThreadPriority();

} // namespace ts
