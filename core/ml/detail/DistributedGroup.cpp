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
    std::vector<torch::Tensor> tensors;
    for (auto& p : network.parameters())
        tensors.push_back(p.detach().flatten());
    for (auto& b : floatBuffers(network))
        tensors.push_back(b.flatten());
    std::vector<torch::Tensor> flat{torch::cat(tensors).contiguous()};
    m_group->broadcast(flat)->wait();
    std::int64_t at = 0;
    auto take = [&](torch::Tensor target) {
        const std::int64_t n = target.numel();
        target.copy_(flat[0].slice(0, at, at + n).view_as(target));
        at += n;
    };
    for (auto& p : network.parameters())
        take(p.detach());
    for (auto& b : floatBuffers(network))
        take(b);
}

bool DistributedGroup::averageGradients(Network& network, bool stop)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parameters;
    std::vector<torch::Tensor> pieces;
    for (auto& p : network.parameters()) {
        if (!p.requires_grad())
            continue;
        parameters.push_back(p);
        pieces.push_back(p.grad().defined() ? p.grad().flatten() : torch::zeros({p.numel()}, p.options()));
    }
    // The stop flag rides in the same message: one round trip per batch.
    const auto options = pieces.empty() ? torch::TensorOptions(torch::kFloat32) : pieces.front().options();
    pieces.push_back(torch::full({1}, stop ? 1.0f : 0.0f, options));
    std::vector<torch::Tensor> flat{torch::cat(pieces).contiguous()};
    m_group->allreduce(flat)->wait();
    flat[0].div_(double(m_spec.worldSize));
    std::int64_t at = 0;
    for (auto& p : parameters) {
        const std::int64_t n = p.numel();
        if (!p.grad().defined())
            p.mutable_grad() = torch::zeros_like(p);
        p.grad().copy_(flat[0].slice(0, at, at + n).view_as(p));
        at += n;
    }
    return flat[0][at].item<float>() > 0.0f;
}

void DistributedGroup::averageBuffers(Network& network)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> buffers = floatBuffers(network);
    if (buffers.empty())
        return;
    std::vector<torch::Tensor> pieces;
    for (auto& b : buffers)
        pieces.push_back(b.flatten());
    std::vector<torch::Tensor> flat{torch::cat(pieces).contiguous()};
    m_group->allreduce(flat)->wait();
    flat[0].div_(double(m_spec.worldSize));
    std::int64_t at = 0;
    for (auto& b : buffers) {
        const std::int64_t n = b.numel();
        b.copy_(flat[0].slice(0, at, at + n).view_as(b));
        at += n;
    }
}

std::vector<double> DistributedGroup::sum(const std::vector<double>& values)
{
    std::vector<torch::Tensor> flat{torch::tensor(values, torch::kFloat64)};
    m_group->allreduce(flat)->wait();
    const double* p = flat[0].data_ptr<double>();
    return std::vector<double>(p, p + values.size());
}

} // namespace ts::ml
