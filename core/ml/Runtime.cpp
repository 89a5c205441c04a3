#include "ml/Runtime.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

#include "ml/detail/TorchRuntime.h"
#include "util/AppPaths.h"

namespace ts::ml {

namespace detail {

namespace {

constexpr const char* kLibraryName = "libtimbrescope-torch.so";

using EntryPoint = const TorchRuntime* (*)(int);

std::atomic<const TorchRuntime*> g_runtime{nullptr};

struct LoadOutcome {
    const TorchRuntime* runtime = nullptr;
    std::string error;
};

bool isFile(const std::string& path)
{
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::vector<std::string> candidatePaths()
{
    std::vector<std::string> paths;
    if (const char* chosen = std::getenv("TIMBRESCOPE_TORCH_RUNTIME"); chosen && *chosen)
        return {chosen};  // an explicit choice is the only place looked at
    const std::string exe = executableFolder();
    paths.push_back(exe + "/" + kLibraryName);                       // the build tree's bin/
    paths.push_back(exe + "/../lib/timbrescope/" + kLibraryName);    // installed under a prefix
#ifdef TIMBRESCOPE_TORCH_RUNTIME_BUILD_PATH
    paths.push_back(TIMBRESCOPE_TORCH_RUNTIME_BUILD_PATH);          // tests and benchmarks of a build tree
#endif
    return paths;
}

LoadOutcome load()
{
    // Linked into this process already (a program that links the runtime's objects directly).
    if (auto entry = reinterpret_cast<EntryPoint>(dlsym(RTLD_DEFAULT, "timbrescope_torch_runtime")))
        if (const TorchRuntime* runtime = entry(kTorchRuntimeInterface))
            return {runtime, {}};
    std::string looked;
    for (const auto& path : candidatePaths()) {
        if (!isFile(path)) {
            looked += (looked.empty() ? "" : ", ") + path;
            continue;
        }
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            const char* why = dlerror();
            return {nullptr, path + ": the LibTorch runtime cannot be loaded (" + (why ? why : "unknown reason") + ")"};
        }
        auto entry = reinterpret_cast<EntryPoint>(dlsym(handle, "timbrescope_torch_runtime"));
        if (!entry)
            return {nullptr, path + ": not a Timbrescope runtime library"};
        const TorchRuntime* runtime = entry(kTorchRuntimeInterface);
        if (!runtime)
            return {nullptr, path + ": the runtime library belongs to another Timbrescope version"};
        return {runtime, {}};
    }
    return {nullptr, std::string("the LibTorch runtime ") + kLibraryName + " is not installed (looked for " + looked + ")"};
}

const LoadOutcome& loadOnce()
{
    static const LoadOutcome outcome = load();  // C++11 guarantees one initialisation, others wait
    return outcome;
}

} // namespace

void installTorchRuntime(const TorchRuntime* runtime) { g_runtime.store(runtime); }

Result<const TorchRuntime*> torchRuntime()
{
    if (const TorchRuntime* runtime = g_runtime.load())
        return runtime;
    const LoadOutcome& outcome = loadOnce();
    if (!outcome.runtime)
        return makeError(ErrorCode::Unsupported, outcome.error);
    g_runtime.store(outcome.runtime);
    return outcome.runtime;
}

} // namespace detail

Status loadRuntime()
{
    auto runtime = detail::torchRuntime();
    if (!runtime)
        return runtime.error();
    return {};
}

bool runtimeLoaded() { return detail::g_runtime.load() != nullptr; }

} // namespace ts::ml
