#include "util/AppPaths.h"

#include <cstdlib>
#include <filesystem>

namespace ts {

namespace fs = std::filesystem;

namespace {

std::string homeFolder()
{
    const char* home = std::getenv("HOME");
    return home && *home ? home : "/tmp";
}

// XDG base directories: the variable if set to an absolute path, else the spec's default.
std::string xdgFolder(const char* variable, const char* fallbackUnderHome)
{
    const char* value = std::getenv(variable);
    if (value && value[0] == '/')
        return value;
    return homeFolder() + "/" + fallbackUnderHome;
}

} // namespace

std::string appDataFolder() { return xdgFolder("XDG_DATA_HOME", ".local/share") + "/timbrescope"; }
std::string appCacheFolder() { return xdgFolder("XDG_CACHE_HOME", ".cache") + "/timbrescope"; }
std::string defaultDatasetFolder() { return appDataFolder() + "/datasets/default"; }
std::string userModelsFolder() { return appDataFolder() + "/models"; }

std::vector<std::string> shippedModelFolders(const std::string& executableFolder)
{
    std::vector<std::string> folders;
    if (const char* dir = std::getenv("TIMBRESCOPE_MODELS_DIR"); dir && *dir)
        folders.emplace_back(dir);
    if (!executableFolder.empty()) {
        folders.push_back(executableFolder + "/../share/timbrescope/models");
        folders.push_back(executableFolder + "/../models");
        folders.push_back(executableFolder + "/../../models");
    }
#ifdef TIMBRESCOPE_SOURCE_MODELS_DIR
    folders.emplace_back(TIMBRESCOPE_SOURCE_MODELS_DIR);
#endif
    return folders;
}

std::string findShippedModel(const std::string& executableFolder, const std::string& fileName)
{
    std::error_code ec;
    for (const auto& folder : shippedModelFolders(executableFolder)) {
        const fs::path candidate = fs::path(folder) / fileName;
        if (fs::is_regular_file(candidate, ec))
            return fs::weakly_canonical(candidate, ec).string();
    }
    return {};
}

std::string executableFolder()
{
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : exe.parent_path().string();
}

} // namespace ts
