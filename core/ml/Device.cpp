#include "ml/Device.h"

#include <cstdlib>
#include <thread>

#include "ml/detail/TorchRuntime.h"

namespace ts::ml {

namespace {

std::size_t cudaDeviceCount()
{
    auto runtime = detail::torchRuntime();
    return runtime ? runtime.value()->cudaDeviceCount() : 0;
}

} // namespace

DeviceInfo cpuDevice()
{
    return {"cpu", "CPU (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " threads)"};
}

bool cudaAvailable() { return cudaDeviceCount() > 0; }

std::vector<DeviceInfo> availableDevices()
{
    std::vector<DeviceInfo> devices{cpuDevice()};
    const std::size_t n = cudaDeviceCount();
    for (std::size_t i = 0; i < n; ++i)
        devices.push_back({"cuda:" + std::to_string(i), "CUDA device " + std::to_string(i)});
    return devices;
}

Result<std::string> resolveDevice(const std::string& requested)
{
    if (requested.empty() || requested == "cpu")
        return std::string("cpu");
    if (requested == "cuda" || requested.rfind("cuda:", 0) == 0) {
        const std::size_t count = cudaDeviceCount();
        if (count == 0)
            return makeError(ErrorCode::Unsupported,
                             "--device " + requested + ": this LibTorch build has no CUDA device available (use cpu)");
        if (requested == "cuda")
            return std::string("cuda:0");
        const std::string index = requested.substr(5);
        char* end = nullptr;
        const long n = std::strtol(index.c_str(), &end, 10);
        if (index.empty() || *end != '\0' || n < 0 || std::size_t(n) >= count)
            return makeError(ErrorCode::InvalidArgument, "--device " + requested + ": no such CUDA device");
        return requested;
    }
    return makeError(ErrorCode::InvalidArgument, "--device must be cpu, cuda or cuda:N, got '" + requested + "'");
}

void configureCpuRuntime(int threads)
{
    if (auto runtime = detail::torchRuntime())
        runtime.value()->configureCpuRuntime(threads);
}

} // namespace ts::ml
