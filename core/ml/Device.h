#pragma once
// Compute devices LibTorch can use here: always the CPU, plus each CUDA device when the LibTorch
// build has CUDA and a GPU is present (Debian's LibTorch is CPU-only, so usually just "cpu").
#include <string>
#include <vector>

#include "util/Result.h"

namespace ts::ml {

struct DeviceInfo {
    std::string id;     // "cpu", "cuda:0", ...
    std::string label;  // "CPU (2 threads)", "CUDA device 0"
};

// The CPU, without asking LibTorch (it is always there).
DeviceInfo cpuDevice();
// These load the LibTorch runtime (ml/Runtime.h) if it is not loaded yet; without it, only the CPU.
std::vector<DeviceInfo> availableDevices();
bool cudaAvailable();
// Validates a user's --device value ("cpu", "cuda", "cuda:N").
Result<std::string> resolveDevice(const std::string& requested);

// The CPU settings measured to matter (bench_train): intra-op threads
// (Debian's LibTorch defaults to 1), flush denormals to zero, and keep glibc malloc from returning
// LibTorch's large per-batch buffers to the OS each step. Idempotent; call once before heavy work.
void configureCpuRuntime(int threads = 0);

} // namespace ts::ml
