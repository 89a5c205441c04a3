#include "ui/common/ThrottledProgress.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <mutex>
#include <optional>

namespace ts::ui {

// Shared with the sinks (any thread) and the queued deliveries (the context's thread).
struct ThrottledProgress::State {
    QObject* context = nullptr;
    qint64 intervalMs = 0;
    Callback show;

    std::mutex mutex;
    bool closed = false;
    QElapsedTimer sinceShown;      // since the last update was let through; invalid before the first
    std::optional<Progress> held;  // the newest update held back
    bool timerArmed = false;       // a delivery of `held` is on its way

    qint64 waitLocked() const
    {
        return sinceShown.isValid() ? std::max<qint64>(0, intervalMs - sinceShown.elapsed()) : 0;
    }

    // On any thread.
    void report(const std::shared_ptr<State>& self, const Progress& p)
    {
        const std::lock_guard<std::mutex> lock(mutex);
        if (closed)
            return;
        if (p.done >= p.total || waitLocked() == 0) {
            held.reset();
            sinceShown.start();
            QMetaObject::invokeMethod(context, [self, p] { self->showIfOpen(p); }, Qt::QueuedConnection);
            return;
        }
        held = p;
        if (!timerArmed) {
            timerArmed = true;
            QMetaObject::invokeMethod(context, [self] { self->armTimer(self); }, Qt::QueuedConnection);
        }
    }

    // On the context's thread: shows the held update once the interval since the last one is up.
    void armTimer(const std::shared_ptr<State>& self)
    {
        qint64 wait = 0;
        {
            const std::lock_guard<std::mutex> lock(mutex);
            if (closed)
                return;
            wait = waitLocked();
        }
        QTimer::singleShot(int(wait), context, [self] { self->showHeld(self); });
    }

    void showHeld(const std::shared_ptr<State>& self)
    {
        Progress p;
        {
            const std::lock_guard<std::mutex> lock(mutex);
            if (closed || !held) {
                timerArmed = false;
                return;
            }
            // An update let through meanwhile restarted the interval: wait for the rest of it.
            if (waitLocked() > 0) {
                QTimer::singleShot(int(waitLocked()), context, [self] { self->showHeld(self); });
                return;
            }
            p = std::move(*held);
            held.reset();
            timerArmed = false;
            sinceShown.start();
        }
        show(p);
    }

    void showIfOpen(const Progress& p)
    {
        {
            const std::lock_guard<std::mutex> lock(mutex);
            if (closed)
                return;
        }
        show(p);
    }
};

ThrottledProgress::ThrottledProgress(QObject* context, int updatesPerSecond, Callback show)
    : m_state(std::make_shared<State>())
{
    m_state->context = context;
    m_state->intervalMs = 1000 / std::max(1, updatesPerSecond);
    m_state->show = std::move(show);
}

ThrottledProgress::~ThrottledProgress()
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->closed = true;
    m_state->held.reset();
}

ProgressSink ThrottledProgress::sink() const
{
    return [state = m_state](const Progress& p) { state->report(state, p); };
}

void ThrottledProgress::discardHeld()
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->held.reset();
}

} // namespace ts::ui
