#include "ml/detail/DistributedGroup.h"

#include <cstdlib>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

namespace ts::ml {

namespace {

bool isLoopback(const std::string& host)
{
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Gloo's endpoint for this process: the interface GLOO_SOCKET_IFNAME names (PyTorch's variable),
// the loopback for a run on one machine, else the address this machine's name resolves to.
std::shared_ptr<::gloo::transport::Device> glooDevice(const DistributedSpec& spec)
{
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    if (isLoopback(spec.host))
        return c10d::ProcessGroupGloo::createDeviceForHostname(spec.host == "localhost" ? "127.0.0.1" : spec.host);
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

std::vector<torch::Tensor> floatBuffers(Network& network)
{
    std::vector<torch::Tensor> buffers;
    for (auto& buffer : network.buffers())
        if (buffer.is_floating_point())
            buffers.push_back(buffer);
    return buffers;
}

// All-reduces the tensors as one flat buffer (one message), divided by `divisor`; the tensors are
// left unchanged: the caller reads the result back with copyBack.
torch::Tensor meanOfFlat(c10d::ProcessGroup& group, const std::vector<torch::Tensor>& pieces, double divisor)
{
    std::vector<torch::Tensor> flat{torch::cat(pieces).contiguous()};
    group.allreduce(flat)->wait();
    return flat[0].div_(divisor);
}

// The flat buffer's consecutive slices into `targets`, in order; returns where the last one ended.
std::int64_t copyBack(const torch::Tensor& flat, const std::vector<torch::Tensor>& targets)
{
    std::int64_t at = 0;
    for (const auto& target : targets) {
        const std::int64_t n = target.numel();
        torch::Tensor(target).copy_(flat.slice(0, at, at + n).view_as(target));
        at += n;
    }
    return at;
}

} // namespace

Result<std::unique_ptr<DistributedGroup>> DistributedGroup::join(const DistributedSpec& spec)
{
    std::unique_ptr<DistributedGroup> group(new DistributedGroup);
    group->m_spec = spec;
    const auto timeout = std::chrono::milliseconds(std::int64_t(spec.timeoutSeconds) * 1000);
    auto failed = [&spec](std::string why) {
        why = why.substr(0, why.find('\n'));  // c10's messages go on with a backtrace
        return makeError(ErrorCode::Unreadable, "rank " + std::to_string(spec.rank) + " of " + std::to_string(spec.worldSize) +
                                                    ": could not meet the other ranks at " + spec.host + ":" +
                                                    std::to_string(spec.port) + " within " +
                                                    std::to_string(spec.timeoutSeconds) + " s (" + why + ")");
    };
    try {
        c10d::TCPStoreOptions storeOptions;
        storeOptions.port = std::uint16_t(spec.port);
        storeOptions.isServer = spec.rank == 0;
        storeOptions.numWorkers = std::size_t(spec.worldSize);
        storeOptions.waitWorkers = true;
        storeOptions.timeout = timeout;
        group->m_store = c10::make_intrusive<c10d::TCPStore>(spec.host, storeOptions);
        auto groupOptions = c10d::ProcessGroupGloo::Options::create(timeout);
        groupOptions->devices.push_back(glooDevice(spec));
        groupOptions->threads = 1;
        group->m_group = c10::make_intrusive<c10d::ProcessGroupGloo>(group->m_store, spec.rank, spec.worldSize, groupOptions);
    } catch (const c10::Error& e) {
        return failed(e.what_without_backtrace());
    } catch (const std::exception& e) {
        return failed(e.what());
    }
    return group;
}

DistributedGroup::~DistributedGroup() = default;

void DistributedGroup::broadcastState(Network& network)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> state;
    for (auto& p : network.parameters())
        state.push_back(p.detach());
    for (auto& b : floatBuffers(network))
        state.push_back(b);
    std::vector<torch::Tensor> pieces;
    for (const auto& t : state)
        pieces.push_back(t.flatten());
    std::vector<torch::Tensor> flat{torch::cat(pieces).contiguous()};
    m_group->broadcast(flat)->wait();
    copyBack(flat[0], state);
}

bool DistributedGroup::averageGradients(Network& network, bool stop)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> gradients;
    for (auto& p : network.parameters()) {
        if (!p.requires_grad())
            continue;
        if (!p.grad().defined())
            p.mutable_grad() = torch::zeros_like(p);
        gradients.push_back(p.grad());
    }
    std::vector<torch::Tensor> pieces;
    for (const auto& g : gradients)
        pieces.push_back(g.flatten());
    // The stop flag rides in the same message: one round trip per batch.
    const auto options = pieces.empty() ? torch::TensorOptions(torch::kFloat32) : pieces.front().options();
    pieces.push_back(torch::full({1}, stop ? 1.0f : 0.0f, options));
    const torch::Tensor mean = meanOfFlat(*m_group, pieces, double(m_spec.worldSize));
    const std::int64_t end = copyBack(mean, gradients);
    return mean[end].item<float>() > 0.0f;
}

void DistributedGroup::averageBuffers(Network& network)
{
    torch::NoGradGuard noGrad;
    const std::vector<torch::Tensor> buffers = floatBuffers(network);
    if (buffers.empty())
        return;
    std::vector<torch::Tensor> pieces;
    for (const auto& b : buffers)
        pieces.push_back(b.flatten());
    copyBack(meanOfFlat(*m_group, pieces, double(m_spec.worldSize)), buffers);
}

std::vector<double> DistributedGroup::sum(const std::vector<double>& values)
{
    std::vector<torch::Tensor> flat{torch::tensor(values, torch::kFloat64)};
    m_group->allreduce(flat)->wait();
    const double* p = flat[0].data_ptr<double>();
    return std::vector<double>(p, p + values.size());
}

} // namespace ts::ml
