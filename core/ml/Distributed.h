#pragma once
// Training on several processes (one machine or many) with LibTorch's c10d and its Gloo backend:
// who takes part (world size), which one this process is (rank), and where they meet (the rank-0
// host's address and port, where a TCP store is served for the rendezvous). Taken from the command
// line, else from the variables torchrun sets (WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT) or, under
// Slurm's srun, SLURM_NTASKS and SLURM_PROCID (MASTER_ADDR must then name the first node).
#include <functional>
#include <optional>
#include <string>

#include "util/Result.h"

namespace ts::ml {

struct DistributedSpec {
    int worldSize = 1;
    int rank = 0;
    std::string host;         // rank 0's address, as every rank can reach it
    int port = 29500;         // torchrun's default
    int timeoutSeconds = 120; // a rank that stops answering for this long fails the run
    bool enabled() const { return worldSize > 1; }
    bool writesOutputs() const { return rank == 0; }  // rank 0 alone writes models, checkpoints, logs
};

struct DistributedArgs {
    std::optional<long long> worldSize;  // --world-size
    std::optional<long long> rank;       // --rank
    std::optional<std::string> master;   // --master HOST:PORT
    std::optional<long long> timeoutSeconds;  // --timeout
};

// The spec from the command line and the environment (`environment` returns a variable's value or
// nullptr; std::getenv in the CLI). The command line wins over torchrun's variables, which win over
// Slurm's. InvalidArgument naming the value when they make no sense (a rank beyond the world, a
// port out of range, a world of several processes without an address).
Result<DistributedSpec> resolveDistributed(const DistributedArgs& args,
                                           const std::function<const char*(const char*)>& environment);

} // namespace ts::ml
