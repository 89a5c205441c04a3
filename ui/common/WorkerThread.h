#pragma once
// WorkerThread<W>: a QObject worker living in a thread of its own, for work that keeps state between
// runs (a loaded model) or must run one job at a time (training). Every run gets a fresh
// CancellationToken, so a Stop meant for one run can never leak into the next.
#include <QMetaObject>
#include <QObject>
#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "util/CancellationToken.h"

class QThread;

namespace ts::ui {

// What WorkerThread does that does not depend on the worker's type.
class WorkerThreadBase {
public:
    WorkerThreadBase(const WorkerThreadBase&) = delete;
    WorkerThreadBase& operator=(const WorkerThreadBase&) = delete;

    // Cancels every run posted and not finished yet (one queued behind sees its token cancelled when
    // it starts). Runs posted afterwards get fresh tokens.
    void cancel();

protected:
    // Takes the worker (no parent), moves it to a new thread named `name` and starts the thread.
    WorkerThreadBase(QObject* worker, const QString& name);
    // Cancels, lets the run in progress return, ends the thread and deletes the worker.
    ~WorkerThreadBase();

    // The runs not finished yet and their tokens, shared with the queued runs themselves.
    class Runs {
    public:
        std::pair<quint64, CancellationToken> begin();
        void end(quint64 run);
        void cancelAll();

    private:
        std::mutex m_mutex;
        quint64 m_next = 0;
        std::map<quint64, CancellationToken> m_live;
    };

    QObject* workerObject() const { return m_worker; }
    const std::shared_ptr<Runs>& runs() const { return m_runs; }

private:
    QObject* m_worker;
    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<Runs> m_runs = std::make_shared<Runs>();
};

template <typename W>
class WorkerThread : public WorkerThreadBase {
public:
    // Constructs W(args...) here, then moves it to its thread.
    template <typename... Args>
    explicit WorkerThread(const QString& name, Args&&... args) : WorkerThreadBase(new W(std::forward<Args>(args)...), name)
    {
    }

    // For connecting to the worker's signals. Its slots run on the worker thread: call them through post().
    W* worker() const { return static_cast<W*>(workerObject()); }

    // Runs fn(W&, const CancellationToken&) on the worker thread, after everything posted before.
    template <typename Fn>
    void post(Fn fn)
    {
        const std::pair<quint64, CancellationToken> run = runs()->begin();
        QMetaObject::invokeMethod(
            worker(),
            [worker = worker(), runs = runs(), run, fn = std::move(fn)]() mutable {
                fn(*worker, run.second);
                runs->end(run.first);
            },
            Qt::QueuedConnection);
    }
};

} // namespace ts::ui
