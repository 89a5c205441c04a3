#pragma once
// Removing what a killed run left behind. Every temporary Timbrescope writes beside its target
// carries the writer's process id: "TARGET.tmp-PID-XXXXXXXX" (atomic writes, the feature cache)
// and ".NAME.rendering-PID" (a dataset being rendered). A run killed before its rename leaves them
// for ever (a feature cache's is hundreds of MB). The next run removes those whose process is gone,
// never a live one's: two instances may run at once.
#include <cstddef>
#include <string>

namespace ts {

// Whether a process with this id exists (a stale id reused by another process counts as alive,
// which keeps the file: the safe mistake).
bool processIsAlive(long pid);

// Removes the stale temporaries directly in `folder` (not below it); returns how many. A folder
// that does not exist or cannot be read is not an error (nothing to remove).
std::size_t removeStaleTemporaries(const std::string& folder);

} // namespace ts
