// `timbrescope train --data DIR --model ARCH ...`: trains one architecture on a dataset split and
// writes the model file. A progress line per epoch on stderr; --json prints history + final metrics.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "cli/MlCommandSupport.h"
#include "ml/Distributed.h"
#include "ml/TrainingJob.h"

namespace ts::cli {

namespace {

// The learning rate --freeze-body trains the heads with unless --lr says otherwise.
constexpr double kFrozenBodyLearningRate = 1e-2;

std::string accuracyText(const std::map<std::string, double>& accuracy)
{
    std::string text;
    for (const auto& [target, value] : accuracy) {
        char buf[48];
        std::snprintf(buf, sizeof buf, " %s %.1f%%", target.c_str(), value * 100.0);
        text += buf;
    }
    return text;
}

// The learning rate as the help has always written it: "1e-3" rather than "0.001".
std::string rateText(double rate)
{
    const double exponent = std::round(std::log10(rate));
    if (std::fabs(std::pow(10.0, exponent) - rate) <= 1e-12 * rate)
        return "1e" + std::to_string(int(exponent));
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", rate);
    return buf;
}

int runTrain(const Args& args)
{
    const auto data = args.value("--data");
    const auto model = args.value("--model");
    if (!data || !model)
        return usageError("train", "needs --data DIR and --model ARCH");
    if (!args.positionals().empty())
        return usageError("train", "takes no positional arguments");
    const auto architecture = ml::findArchitecture(*model);
    if (!architecture)
        return usageError("train", "unknown --model '" + *model + "' (see `timbrescope models`)");
    ml::TrainingJobSpec spec;
    ml::TrainingOptions& options = spec.options;
    const auto seed = args.integer("--seed", (long long)(options.seed));
    const auto epochs = args.integer("--epochs", options.epochs);
    const auto batch = args.integer("--batch", options.batchSize);
    const auto patience = args.integer("--patience", options.patience);
    const auto threads = args.integer("--threads", options.threads);
    // Heads alone (a linear layer each) learn from few examples in few steps: their default rate is
    // ten times the whole network's (measured: 10 STK voices, 128 notes, held-out family accuracy
    // 48 % at 1e-3 in 30 epochs, 88 % at 1e-2; docs/CLI.md).
    const auto lr = args.number("--lr", args.has("--freeze-body") ? kFrozenBodyLearningRate : options.learningRate);
    for (const auto* r : {&seed, &epochs, &batch, &patience, &threads})
        if (!*r)
            return usageError("train", r->error().message);
    if (!lr)
        return usageError("train", lr.error().message);
    if (*seed < 0 || *epochs < 1 || *batch < 2 || *patience < 1 || *threads < 0 || !(*lr > 0.0))
        return usageError("train", "--epochs and --patience must be >= 1, --batch >= 2, --lr > 0, --seed >= 0");

    options.architecture = *model;
    options.seed = std::uint64_t(*seed);
    options.epochs = int(*epochs);
    options.batchSize = int(*batch);
    options.learningRate = *lr;
    options.patience = int(*patience);
    options.threads = int(*threads);
    options.device = args.value("--device").value_or(options.device);
    options.resumePath = args.value("--resume").value_or("");
    options.initPath = args.value("--init").value_or("");
    options.freezeBody = args.has("--freeze-body");
    if (options.freezeBody && options.initPath.empty() && options.resumePath.empty())
        return usageError("train", "--freeze-body needs --init MODEL (a body to keep)");
    if (!options.initPath.empty() && !std::filesystem::exists(options.initPath))
        return fail(makeError(ErrorCode::NotFound, "the model to start from (--init) does not exist", options.initPath));
    options.schedule = args.value("--schedule").value_or("");
    if (!options.schedule.empty() && options.schedule != "constant" && options.schedule != "cosine")
        return usageError("train", "--schedule must be constant or cosine");
    spec.modelPath = args.value("--out").value_or(*model + ".tsm");

    CancellationToken cancel;
    cancelOnInterrupt(cancel);
    auto recordings = args.integer("--recordings", ml::simulatedRecordingsFor(*architecture));
    if (!recordings.ok() || *recordings < 0 || *recordings > 8)
        return usageError("train", "--recordings must be a whole number from 0 to 8");
    if (*recordings > 0 && architecture->id != "timbre-net")
        return usageError("train", "--recordings applies to timbre-net only (the seed's models train as the seed did)");
    spec.recordings = int(*recordings);
    const auto mixStyle = args.number("--mix-style", options.mixStyle);
    if (!mixStyle || !(*mixStyle >= 0.0 && *mixStyle <= 1.0))
        return usageError("train", "--mix-style must be a share from 0 to 1");
    if (*mixStyle > 0.0 && architecture->id != "timbre-net")
        return usageError("train", "--mix-style applies to timbre-net only (the seed's models train as the seed did)");
    options.mixStyle = *mixStyle;
    spec.dataFolder = *data;
    spec.split = args.value("--split").value_or(spec.split);

    ml::DistributedArgs distributedArgs;
    for (auto [name, target] : {std::pair{"--world-size", &distributedArgs.worldSize}, std::pair{"--rank", &distributedArgs.rank},
                                std::pair{"--timeout", &distributedArgs.timeoutSeconds}}) {
        if (!args.has(name))
            continue;
        const auto value = args.integer(name, 0);
        if (!value)
            return usageError("train", value.error().message);
        *target = *value;
    }
    distributedArgs.master = args.value("--master");
    auto distributed = ml::resolveDistributed(distributedArgs, [](const char* name) { return std::getenv(name); });
    if (!distributed)
        return usageError("train", distributed.error().message);
    if (distributed->enabled() && !options.resumePath.empty() && !std::filesystem::exists(options.resumePath))
        return fail(makeError(ErrorCode::NotFound, "every rank needs the checkpoint to resume from (a shared folder)",
                              options.resumePath));
    options.distributed = *distributed;
    const bool quiet = !distributed->writesOutputs();  // rank 0 speaks for the run

    ml::TrainingJobCallbacks callbacks;
    callbacks.onLoaded = [&model, &options, quiet](const ml::TrainingSet& set) {
        if (quiet)
            return;
        std::cerr << "train: " << *model << " on " << set.train.size() << " notes, validation " << set.validation.size()
                  << ", test " << set.test.size() << " (split " << set.splitName << ")\n";
        if (!options.initPath.empty() && options.resumePath.empty())
            std::cerr << "train: starting from " << options.initPath << (options.freezeBody ? " (body frozen: the heads alone learn)" : "") << "\n";
    };
    callbacks.onEpoch = [quiet](const ml::EpochProgress& p) {
        if (quiet)
            return;
        const auto& r = p.record;
        char line[256];
        std::snprintf(line, sizeof line, "epoch %d/%d  loss %.4f  val_loss %.4f  %.1f s  %.0f samples/s  eta %.0f s%s",
                      r.epoch, p.epochs, r.loss, r.validationLoss, r.seconds, r.samplesPerSecond, p.etaSeconds,
                      p.improved ? "  (best)" : "");
        std::cerr << line << "  acc" << accuracyText(r.accuracy) << "  val_acc" << accuracyText(r.validationAccuracy) << "\n";
    };
    const ml::TrainingJobResult job = ml::runTrainingJob(spec, callbacks, featureProgressPrinter(), cancel);
    if (job.trainedForRankZero) {
        std::cerr << "train: rank " << distributed->rank << " of " << distributed->worldSize << " done after "
                  << job.metadata.epochs << " epochs; rank 0 writes the model\n";
        return kSuccess;
    }
    if (!job.hasModel) {
        const Error& error = *job.error;
        const bool badData = job.stage == ml::TrainingJobResult::Stage::Loading && error.code == ErrorCode::InvalidArgument;
        return badData ? usageError("train", error.message) : fail(error);
    }
    const auto& meta = job.metadata;
    const bool interrupted = job.ending == ml::TrainingJobResult::Ending::Stopped;
    std::cerr << "train: " << (interrupted ? "interrupted; " : "") << "kept epoch " << meta.bestEpoch << " of "
              << meta.epochs << ", wrote " << job.modelPath;
    auto endsWith = [](const std::string& text, const std::string& tail) {
        return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
    };
    for (const auto& [name, value] : meta.finalMetrics)
        if (name.rfind("test_", 0) == 0 && (endsWith(name, "_accuracy") || endsWith(name, "_ece")))
            std::cerr << "  " << name << " " << value;
    std::cerr << "\n";
    if (args.has("--json")) {
        nlohmann::ordered_json j = {{"model", job.modelPath},  {"architecture", meta.architecture},
                                    {"split", meta.split},     {"seed", meta.seed},
                                    {"epochs", meta.epochs},   {"best_epoch", meta.bestEpoch},
                                    {"stopped", job.stoppedReason()}, {"history", historyToJson(meta)},
                                    {"final_metrics", meta.finalMetrics}};
        std::cout << jsonText(j) << "\n";
    }
    return kSuccess;
}

Command makeTrainCommand()
{
    // The defaults the help states are the ones a run takes.
    const ml::TrainingJobSpec defaults;
    const ml::TrainingOptions& o = defaults.options;
    Command c;
    c.name = "train";
    c.synopsis = "--data DIR --model ARCH [--split seed|random|instrument|final|generator:NAME] [--seed S] [--epochs N] [--batch " +
                 std::to_string(o.batchSize) + "]\n"
                 "                     [--lr " + rateText(o.learningRate) + "] [--patience " + std::to_string(o.patience) +
                 "] [--device cpu|cuda] [--out MODEL] [--resume CHECKPOINT] [--json]\n"
                 "                     [--init MODEL [--freeze-body]]\n"
                 "                     [--world-size N --rank R --master HOST:PORT]";
    c.summary = "train a model on a dataset split and write the model file";
    c.description =
        "Trains ARCH (see `timbrescope models`) with Adam on the training part of the split, stops\n"
        "early when the validation accuracy has not improved for --patience epochs, keeps the best\n"
        "epoch's weights and reports test accuracy. Split default: instrument (no instrument on two\n"
        "sides). Writes MODEL (default ARCH.tsm) and, after every epoch, " + ml::checkpointPathFor("MODEL") + ", which\n"
        "--resume continues from. Ctrl-C stops after the current batch and keeps the best model so far.\n"
        "--json prints {\"model\", \"architecture\", \"split\", \"seed\", \"epochs\", \"best_epoch\", \"stopped\",\n"
        "\"history\": [{\"epoch\", \"loss\", \"accuracy\", \"val_loss\", \"val_accuracy\", \"seconds\",\n"
        "\"samples_per_second\"}], \"final_metrics\"}.\n"
        "Several processes, on one machine or many, train one model together (LibTorch's c10d, Gloo\n"
        "backend): start the same command once per process with --world-size N, --rank 0..N-1 and\n"
        "--master HOST:PORT (rank 0's address; rank 0 serves the rendezvous there), or under torchrun\n"
        "(WORLD_SIZE, RANK, MASTER_ADDR, MASTER_PORT) or srun (SLURM_NTASKS, SLURM_PROCID, and\n"
        "MASTER_ADDR). Each rank trains on its share of every epoch with --batch notes per step and the\n"
        "gradients are averaged, so a step sees N x --batch notes. Rank 0 alone prints progress and\n"
        "writes MODEL and its checkpoint; --resume needs the checkpoint on every rank's path. If a rank\n"
        "dies or the network drops, the others stop with exit 1, saying which rank lost contact.\n"
        "Fine-tuning: --init MODEL starts from a trained model of the same architecture (the shipped\n"
        "timbre-net.tsm, say) instead of random weights; --freeze-body then trains its heads alone (the\n"
        "layers from the pooled embedding to the classes), keeping the body's weights and batch-norm\n"
        "statistics: a few examples per class of your own sounds are enough to adapt it.";
    c.options = {
        {"--data", "DIR", "NSynth-format dataset folder"},
        {"--model", "ARCH", "architecture to train"},
        {"--schedule", "S", "learning rate: constant, or cosine (decays to 5 % by the last epoch); default cosine for "
                            "timbre-net, constant for the seed's models"},
        {"--recordings", "N", "timbre-net: simulated recordings per note to train on besides the render (room, "
                              "microphone, noise, lead-in; default 2, 0 = renders only)"},
        {"--mix-style", "P", "timbre-net: share of batches whose notes trade their per-band level statistics "
                             "(frequency MixStyle; default 0)"},
        {"--split", "POLICY", "seed, random, instrument (default), generator:NAME (every note of generator NAME is the test part) or final (every instrument trains but a validation part; no test part: for a model to ship)"},
        {"--seed", "S", "random seed (default " + std::to_string(o.seed) + ")"},
        {"--epochs", "N", "maximum epochs (default " + std::to_string(o.epochs) + ")"},
        {"--batch", "N", "batch size (default " + std::to_string(o.batchSize) + ")"},
        {"--lr", "RATE", "Adam learning rate (default " + rateText(o.learningRate) + ")"},
        {"--patience", "N", "early-stopping patience in epochs (default " + std::to_string(o.patience) + ")"},
        {"--device", "DEV", "cpu or cuda (default " + o.device + ")"},
        {"--threads", "N", "CPU threads (default: all cores)"},
        {"--out", "MODEL", "model file to write (default ARCH.tsm)"},
        {"--resume", "CHECKPOINT", "continue from a checkpoint"},
        {"--init", "MODEL", "fine-tune: start from this trained model's weights (same architecture)"},
        {"--freeze-body", "", "with --init: train the heads alone, keep the body (--lr default 1e-2)"},
        {"--world-size", "N", "processes training together (default 1, or WORLD_SIZE / SLURM_NTASKS)"},
        {"--rank", "R", "this process's rank, 0 to N-1 (or RANK / SLURM_PROCID)"},
        {"--master", "HOST:PORT", "rank 0's address and port for the rendezvous (or MASTER_ADDR, MASTER_PORT; port default 29500)"},
        {"--timeout", "S", "seconds a rank waits for the others, at the start and at every step, before it gives up (default 120)"},
        {"--json", "", "print history and final metrics as JSON"},
    };
    c.order = 50;
    c.run = runTrain;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeTrainCommand);

} // namespace ts::cli
