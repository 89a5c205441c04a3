#pragma once
// PRIVATE to core/ml (includes torch and c10d). The processes of a distributed training run, joined
// through c10d's TCP store (served by rank 0) and its Gloo process group; what the Trainer asks of
// them. Every call is collective: every rank makes the same calls in the same order. A rank that
// dies or a network that drops makes the others' next call throw (std::exception) within the
// spec's timeout; the Trainer turns that into an error naming the rank.
#include <memory>
#include <vector>

#include <torch/torch.h>

#include "ml/Distributed.h"
#include "ml/detail/Network.h"
#include "util/Result.h"

namespace c10d {
class ProcessGroup;
class Store;
}

namespace ts::ml {

class DistributedGroup {
public:
    // Waits (up to the timeout) until every rank has joined. Unavailable address, port in use,
    // or a rank that never comes: an error saying which.
    static Result<std::unique_ptr<DistributedGroup>> join(const DistributedSpec& spec);
    ~DistributedGroup();

    const DistributedSpec& spec() const { return m_spec; }

    // Rank 0's parameters and buffers to every rank: all start from the same weights.
    void broadcastState(Network& network);
    // Each parameter's gradient replaced by its mean over the ranks, in one all-reduce of one flat
    // buffer (a single bucket: a timbre-net's gradients are 1.4 MB). `stop` is whether this rank
    // wants to stop (Ctrl-C, Cancel): true is returned when any rank does, so all stop together.
    bool averageGradients(Network& network, bool stop);
    // The batch-norm running statistics (and any other buffer) averaged over the ranks: each rank
    // normalised its own batches during the epoch.
    void averageBuffers(Network& network);
    // Element-wise sums over the ranks (loss sums, counts of right answers).
    std::vector<double> sum(const std::vector<double>& values);

private:
    DistributedGroup() = default;

    DistributedSpec m_spec;
    c10::intrusive_ptr<c10d::Store> m_store;
    c10::intrusive_ptr<c10d::ProcessGroup> m_group;
};

} // namespace ts::ml
