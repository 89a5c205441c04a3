#pragma once
// CancellationToken: shared between the thread doing long work and whoever may stop it (a Stop
// button, Ctrl-C). An atomic flag, so checking it between batches or notes costs nothing.
#include <atomic>
#include <memory>

namespace ts {

class CancellationToken {
public:
    CancellationToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}

    void cancel() const { m_flag->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return m_flag->load(std::memory_order_relaxed); }
    void reset() const { m_flag->store(false, std::memory_order_relaxed); }

private:
    // Copies share the flag, so a token can be handed to a worker by value.
    std::shared_ptr<std::atomic<bool>> m_flag;
};

} // namespace ts
