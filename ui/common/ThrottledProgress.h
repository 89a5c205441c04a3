#pragma once
// ThrottledProgress: progress that work reports from any thread (a feature cache's decoding threads,
// a renderer) shown on the GUI thread at most N times a second, so thousands of updates cannot
// flood the event loop, while the last update always arrives.
#include <QObject>

#include <functional>
#include <memory>

#include "util/ProgressSink.h"

namespace ts::ui {

class ThrottledProgress {
public:
    using Callback = std::function<void(const Progress&)>;

    // Calls show(progress) on `context`'s thread; `context` must outlive this object.
    ThrottledProgress(QObject* context, int updatesPerSecond, Callback show);
    // Nothing is shown after this, even for updates already on their way.
    ~ThrottledProgress();
    ThrottledProgress(const ThrottledProgress&) = delete;
    ThrottledProgress& operator=(const ThrottledProgress&) = delete;

    // For the work; thread-safe, and safe to call after this object is gone (it then does nothing).
    // An update within 1/N s of the last one shown is held back, and shown when that time is up unless
    // a newer one replaced it. An update with done == total (a phase ended) is shown at once, so it
    // comes before whatever the work reports next through a queued signal.
    ProgressSink sink() const;

    // Forgets an update still held back. Call when the work ended, so that a late update cannot
    // overwrite what its end shows.
    void discardHeld();

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace ts::ui
