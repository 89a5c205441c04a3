#include "ml/Distributed.h"

#include <cerrno>
#include <cstdlib>

namespace ts::ml {

namespace {

std::optional<long long> wholeNumber(const char* text)
{
    if (!text || !*text)
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return std::nullopt;
    return value;
}

Error invalid(const std::string& what) { return makeError(ErrorCode::InvalidArgument, what); }

} // namespace

Result<DistributedSpec> resolveDistributed(const DistributedArgs& args,
                                           const std::function<const char*(const char*)>& environment)
{
    auto variable = [&](const char* name) -> const char* { return environment ? environment(name) : nullptr; };
    // A variable that is set must be a number; where each value came from, for the messages.
    auto fromEnvironment = [&](const char* name, std::optional<long long>& value, std::string& source) -> Status {
        const char* text = variable(name);
        if (!text || !*text)
            return {};
        value = wholeNumber(text);
        if (!value)
            return invalid(std::string(name) + " must be a whole number, got '" + text + "'");
        source = name;
        return {};
    };
    DistributedSpec spec;
    std::optional<long long> worldSize = args.worldSize, rank = args.rank;
    std::string worldSource = "--world-size", rankSource = "--rank";
    for (const auto& [worldName, rankName] : {std::pair{"WORLD_SIZE", "RANK"}, std::pair{"SLURM_NTASKS", "SLURM_PROCID"}}) {
        if (!worldSize)
            if (auto s = fromEnvironment(worldName, worldSize, worldSource); !s)
                return s.error();
        if (!rank)
            if (auto s = fromEnvironment(rankName, rank, rankSource); !s)
                return s.error();
    }
    if (!worldSize && !rank && !args.master)
        return spec;  // one process, as usual
    if (worldSize.value_or(1) < 1)
        return invalid(worldSource + " must be at least 1, got " + std::to_string(*worldSize));
    spec.worldSize = int(worldSize.value_or(1));
    if (rank && (*rank < 0 || *rank >= spec.worldSize))
        return invalid(rankSource + " must be from 0 to " + std::to_string(spec.worldSize - 1) + " (" + worldSource + " " +
                       std::to_string(spec.worldSize) + "), got " + std::to_string(*rank));
    if (spec.worldSize > 1 && !rank)
        return invalid("a run of " + std::to_string(spec.worldSize) + " processes needs --rank (or RANK) for this one");
    spec.rank = int(rank.value_or(0));

    std::string portSource = "--master";
    std::optional<long long> port;
    if (args.master) {
        const std::string& master = *args.master;
        const auto colon = master.rfind(':');
        if (colon == std::string::npos || colon == 0)
            return invalid("--master must be HOST:PORT, got '" + master + "'");
        spec.host = master.substr(0, colon);
        if (spec.host.size() > 2 && spec.host.front() == '[' && spec.host.back() == ']')  // [::1]:29500
            spec.host = spec.host.substr(1, spec.host.size() - 2);
        port = wholeNumber(master.c_str() + colon + 1);
        if (!port)
            return invalid("--master must be HOST:PORT, got '" + master + "'");
    } else {
        if (const char* address = variable("MASTER_ADDR"); address && *address)
            spec.host = address;
        portSource = "MASTER_PORT";
        if (auto s = fromEnvironment("MASTER_PORT", port, portSource); !s)
            return s.error();
    }
    if (port) {
        if (*port < 1 || *port > 65535)
            return invalid(portSource + ": the port must be from 1 to 65535, got " + std::to_string(*port));
        spec.port = int(*port);
    }
    if (args.timeoutSeconds) {
        if (*args.timeoutSeconds < 1 || *args.timeoutSeconds > 86400)
            return invalid("--timeout must be from 1 to 86400 seconds, got " + std::to_string(*args.timeoutSeconds));
        spec.timeoutSeconds = int(*args.timeoutSeconds);
    }
    if (spec.enabled() && spec.host.empty())
        return invalid("a run of " + std::to_string(spec.worldSize) +
                       " processes needs rank 0's address: --master HOST:PORT or MASTER_ADDR");
    return spec;
}

} // namespace ts::ml
