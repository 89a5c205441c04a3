#pragma once
// ProgressSink: how long work reports how far it is. `done` of `total` units plus a short status
// line. May be called from worker threads; the receiver decides how to marshal it (the CLI prints
// to stderr, the UI forwards through a queued signal).
#include <cstddef>
#include <functional>
#include <string>

namespace ts {

struct Progress {
    std::size_t done = 0;
    std::size_t total = 0;
    std::string status;
    // The status is a one-off message the user should see as it is, not a step of the work: a
    // feature cache that could not be saved, a wait for another process. The CLI prints it as a
    // line of its own.
    bool notice = false;

    double fraction() const { return total == 0 ? 0.0 : double(done) / double(total); }
};

using ProgressSink = std::function<void(const Progress&)>;

} // namespace ts
