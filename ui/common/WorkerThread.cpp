#include "ui/common/WorkerThread.h"

#include <QThread>

namespace ts::ui {

std::pair<quint64, CancellationToken> WorkerThreadBase::Runs::begin()
{
    const CancellationToken token;
    const std::lock_guard<std::mutex> lock(m_mutex);
    const quint64 run = m_next++;
    m_live.emplace(run, token);
    return {run, token};
}

void WorkerThreadBase::Runs::end(quint64 run)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_live.erase(run);
}

void WorkerThreadBase::Runs::cancelAll()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    for (const auto& [run, token] : m_live)
        token.cancel();
}

WorkerThreadBase::WorkerThreadBase(QObject* worker, const QString& name) : m_worker(worker), m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(name);
    m_worker->moveToThread(m_thread.get());
    // Deleted on its own thread as the thread ends, after the run in progress returned.
    QObject::connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

WorkerThreadBase::~WorkerThreadBase()
{
    // The run in progress sees its token cancelled and returns; runs still queued start cancelled or never.
    cancel();
    m_thread->quit();
    m_thread->wait();
}

void WorkerThreadBase::cancel()
{
    m_runs->cancelAll();
}

} // namespace ts::ui
