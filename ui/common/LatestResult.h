#pragma once
// LatestResult<T>: work a user may ask for again before it ends (the next note under a held arrow
// key, another dataset folder) run on the thread pool, with only the newest request's Result
// delivered, on the GUI thread. A superseded request's token is cancelled, so work that checks it
// stops early; its result is dropped either way.
#include <QFutureWatcher>
#include <QObject>
#include <QtConcurrent/QtConcurrentRun>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "util/CancellationToken.h"
#include "util/Result.h"

namespace ts::ui {

template <typename T>
class LatestResult {
public:
    // Results are delivered on `context`'s thread while `context` lives; it must outlive this object.
    explicit LatestResult(QObject* context) : m_context(context) {}
    ~LatestResult() { discard(); }
    LatestResult(const LatestResult&) = delete;
    LatestResult& operator=(const LatestResult&) = delete;

    // Runs work() or work(const CancellationToken&), returning Result<T>, on the pool with a fresh
    // token, and later calls deliver(Result<T>) on the context's thread unless a newer run() or a
    // discard() came first.
    template <typename Work, typename Deliver>
    void run(Work work, Deliver deliver)
    {
        m_state->token.cancel();
        const CancellationToken token;
        m_state->token = token;
        const quint64 request = ++m_state->newest;
        ++m_state->pending;
        // QFuture needs a default-constructible value and Result<T> is not: the result travels beside it.
        auto slot = std::make_shared<std::optional<Result<T>>>();
        auto* watcher = new QFutureWatcher<void>(m_context);
        QObject::connect(watcher, &QFutureWatcher<void>::finished, m_context,
                         [state = m_state, watcher, slot, request, deliver = std::move(deliver)]() mutable {
                             watcher->deleteLater();
                             --state->pending;
                             if (request == state->newest && slot->has_value())
                                 deliver(std::move(**slot));
                         });
        watcher->setFuture(QtConcurrent::run([work = std::move(work), token, slot]() mutable {
            if constexpr (std::is_invocable_v<Work&, const CancellationToken&>)
                slot->emplace(work(token));
            else
                slot->emplace(work());
        }));
    }

    // The newest request's token is cancelled; its result (often a Cancelled error) is still delivered.
    void cancel() const { m_state->token.cancel(); }
    // Nothing requested so far is delivered; work that checks its token stops.
    void discard()
    {
        m_state->token.cancel();
        ++m_state->newest;
    }
    // Any request still running, superseded ones included.
    bool isRunning() const { return m_state->pending > 0; }

private:
    // Touched on the context's thread only; shared with the deliveries, which may outlive this object.
    struct State {
        quint64 newest = 0;
        int pending = 0;
        CancellationToken token;
    };

    QObject* m_context;
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace ts::ui
