#include "ml/Device.h"

#include <malloc.h>
#include <thread>

#include <torch/torch.h>

namespace ts::ml {

bool cudaAvailable() { return torch::cuda::is_available(); }

std::vector<DeviceInfo> availableDevices()
{
    std::vector<DeviceInfo> devices;
    devices.push_back({"cpu", "CPU (" + std::to_string(std::max(1u, std::thread::hardware_concurrency())) + " threads)"});
    if (cudaAvailable()) {
        const auto n = torch::cuda::device_count();
        for (std::size_t i = 0; i < n; ++i)
            devices.push_back({"cuda:" + std::to_string(i), "CUDA device " + std::to_string(i)});
    }
    return devices;
}

Result<std::string> resolveDevice(const std::string& requested)
{
    if (requested.empty() || requested == "cpu")
        return std::string("cpu");
    if (requested == "cuda" || requested.rfind("cuda:", 0) == 0) {
        if (!cudaAvailable())
            return makeError(ErrorCode::Unsupported,
                             "--device " + requested + ": this LibTorch build has no CUDA device available (use cpu)");
        if (requested == "cuda")
            return std::string("cuda:0");
        const std::string index = requested.substr(5);
        char* end = nullptr;
        const long n = std::strtol(index.c_str(), &end, 10);
        if (index.empty() || *end != '\0' || n < 0 || std::size_t(n) >= torch::cuda::device_count())
            return makeError(ErrorCode::InvalidArgument, "--device " + requested + ": no such CUDA device");
        return requested;
    }
    return makeError(ErrorCode::InvalidArgument, "--device must be cpu, cuda or cuda:N, got '" + requested + "'");
}

void configureCpuRuntime(int threads)
{
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_MAX, 0);
        mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
        at::globalContext().setFlushDenormal(true);
    });
    const int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    // LibTorch sizes its pools from /proc/cpuinfo and throws when it cannot read it (a chroot without
    // /proc): keep its default thread count then rather than let the exception end the program.
    try {
        if (torch::get_num_threads() != n)
            torch::set_num_threads(n);
    } catch (const c10::Error&) {
    }
}

} // namespace ts::ml
