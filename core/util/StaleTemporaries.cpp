#include "util/StaleTemporaries.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <regex>

namespace ts {

namespace fs = std::filesystem;

bool processIsAlive(long pid)
{
    if (pid <= 0)
        return false;
    // Signal 0 checks existence only; EPERM means it exists but belongs to someone else.
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

std::size_t removeStaleTemporaries(const std::string& folder)
{
    static const std::regex atomicWrite(R"(.+\.tmp-(\d+)-[0-9a-f]{8})");
    static const std::regex rendering(R"(\..+\.rendering-(\d+))");
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec)
        return 0;
    std::size_t removed = 0;
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec)
            break;
        const std::string name = it->path().filename().string();
        std::smatch match;
        if (!std::regex_match(name, match, atomicWrite) && !std::regex_match(name, match, rendering))
            continue;
        if (processIsAlive(std::strtol(match[1].str().c_str(), nullptr, 10)))
            continue;
        std::error_code removeError;
        if (fs::remove_all(it->path(), removeError) > 0 && !removeError)
            ++removed;
    }
    return removed;
}

} // namespace ts
