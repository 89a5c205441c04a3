// `timbrescope train --data DIR --model ARCH ...`: trains one architecture on a dataset split and
// writes the model file. A progress line per epoch on stderr; --json prints history + final metrics.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/MlCommandSupport.h"
#include "ml/Trainer.h"

namespace ts::cli {

namespace {

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
    const auto seed = args.integer("--seed", 1);
    const auto epochs = args.integer("--epochs", 30);
    const auto batch = args.integer("--batch", 32);
    const auto patience = args.integer("--patience", 5);
    const auto threads = args.integer("--threads", 0);
    const auto lr = args.number("--lr", 1e-3);
    for (const auto* r : {&seed, &epochs, &batch, &patience, &threads})
        if (!*r)
            return usageError("train", r->error().message);
    if (!lr)
        return usageError("train", lr.error().message);
    if (*seed < 0 || *epochs < 1 || *batch < 2 || *patience < 1 || *threads < 0 || !(*lr > 0.0))
        return usageError("train", "--epochs and --patience must be >= 1, --batch >= 2, --lr > 0, --seed >= 0");

    ml::TrainingOptions options;
    options.architecture = *model;
    options.seed = std::uint64_t(*seed);
    options.epochs = int(*epochs);
    options.batchSize = int(*batch);
    options.learningRate = *lr;
    options.patience = int(*patience);
    options.threads = int(*threads);
    options.device = args.value("--device").value_or("cpu");
    options.resumePath = args.value("--resume").value_or("");
    options.schedule = args.value("--schedule").value_or("");
    if (!options.schedule.empty() && options.schedule != "constant" && options.schedule != "cosine")
        return usageError("train", "--schedule must be constant or cosine");
    const std::string out = args.value("--out").value_or(*model + ".tsm");
    options.checkpointPath = out + ".checkpoint";

    CancellationToken cancel;
    cancelOnInterrupt(cancel);
    auto recordings = args.integer("--recordings", ml::simulatedRecordingsFor(*architecture));
    if (!recordings.ok() || *recordings < 0 || *recordings > 8)
        return usageError("train", "--recordings must be a whole number from 0 to 8");
    if (*recordings > 0 && architecture->id != "timbre-net")
        return usageError("train", "--recordings applies to timbre-net only (the seed's models train as the seed did)");
    auto set = ml::loadTrainingSet(*data, *architecture, args.value("--split").value_or("instrument"), options.seed,
                                   featureProgressPrinter(), cancel, int(*recordings));
    if (!set)
        return set.error().code == ErrorCode::InvalidArgument ? usageError("train", set.error().message) : fail(set.error());
    std::cerr << "train: " << *model << " on " << set->train.size() << " notes, validation " << set->validation.size()
              << ", test " << set->test.size() << " (split " << set->splitName << ")\n";

    ml::TrainingCallbacks callbacks;
    callbacks.onEpoch = [](const ml::EpochProgress& p) {
        const auto& r = p.record;
        char line[256];
        std::snprintf(line, sizeof line, "epoch %d/%d  loss %.4f  val_loss %.4f  %.1f s  %.0f samples/s  eta %.0f s%s",
                      r.epoch, p.epochs, r.loss, r.validationLoss, r.seconds, r.samplesPerSecond, p.etaSeconds,
                      p.improved ? "  (best)" : "");
        std::cerr << line << "  acc" << accuracyText(r.accuracy) << "  val_acc" << accuracyText(r.validationAccuracy) << "\n";
    };
    auto outcome = ml::Trainer(options).run(set.value(), callbacks, cancel);
    if (!outcome)
        return fail(outcome.error());
    if (auto s = ml::saveModelFile(out, outcome->model); !s)
        return fail(s.error());
    const auto& meta = outcome->model.metadata;
    const std::string stopped = outcome->cancelled ? "cancelled" : outcome->earlyStopped ? "early_stopping" : "epochs";
    std::cerr << "train: " << (outcome->cancelled ? "interrupted; " : "") << "kept epoch " << meta.bestEpoch << " of "
              << meta.epochs << ", wrote " << out;
    auto endsWith = [](const std::string& text, const std::string& tail) {
        return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
    };
    for (const auto& [name, value] : meta.finalMetrics)
        if (name.rfind("test_", 0) == 0 && (endsWith(name, "_accuracy") || endsWith(name, "_ece")))
            std::cerr << "  " << name << " " << value;
    std::cerr << "\n";
    if (args.has("--json")) {
        nlohmann::ordered_json j = {{"model", out},           {"architecture", meta.architecture},
                                    {"split", meta.split},    {"seed", meta.seed},
                                    {"epochs", meta.epochs},  {"best_epoch", meta.bestEpoch},
                                    {"stopped", stopped},     {"history", historyToJson(meta)},
                                    {"final_metrics", meta.finalMetrics}};
        std::cout << j.dump(2) << "\n";
    }
    return kSuccess;
}

Command makeTrainCommand()
{
    Command c;
    c.name = "train";
    c.synopsis = "--data DIR --model ARCH [--split seed|random|instrument|generator:NAME] [--seed S] [--epochs N] [--batch 32]\n"
                 "                     [--lr 1e-3] [--patience 5] [--device cpu|cuda] [--out MODEL] [--resume CHECKPOINT] [--json]";
    c.summary = "train a model on a dataset split and write the model file";
    c.description =
        "Trains ARCH (see `timbrescope models`) with Adam on the training part of the split, stops\n"
        "early when the validation accuracy has not improved for --patience epochs, keeps the best\n"
        "epoch's weights and reports test accuracy. Split default: instrument (no instrument on two\n"
        "sides). Writes MODEL (default ARCH.tsm) and, after every epoch, MODEL.checkpoint, which\n"
        "--resume continues from. Ctrl-C stops after the current batch and keeps the best model so far.\n"
        "--json prints {\"model\", \"architecture\", \"split\", \"seed\", \"epochs\", \"best_epoch\", \"stopped\",\n"
        "\"history\": [{\"epoch\", \"loss\", \"accuracy\", \"val_loss\", \"val_accuracy\", \"seconds\",\n"
        "\"samples_per_second\"}], \"final_metrics\"}.";
    c.options = {
        {"--data", "DIR", "NSynth-format dataset folder"},
        {"--model", "ARCH", "architecture to train"},
        {"--schedule", "S", "learning rate: constant, or cosine (decays to 5 % by the last epoch); default cosine for "
                            "timbre-net, constant for the seed's models"},
        {"--recordings", "N", "timbre-net: simulated recordings per note to train on besides the render (room, "
                              "microphone, noise, lead-in; default 2, 0 = renders only)"},
        {"--split", "POLICY", "seed, random, instrument (default) or generator:NAME (every note of generator NAME is the test part)"},
        {"--seed", "S", "random seed (default 1)"},
        {"--epochs", "N", "maximum epochs (default 30)"},
        {"--batch", "N", "batch size (default 32)"},
        {"--lr", "RATE", "Adam learning rate (default 1e-3)"},
        {"--patience", "N", "early-stopping patience in epochs (default 5)"},
        {"--device", "DEV", "cpu or cuda (default cpu)"},
        {"--threads", "N", "CPU threads (default: all cores)"},
        {"--out", "MODEL", "model file to write (default ARCH.tsm)"},
        {"--resume", "CHECKPOINT", "continue from a checkpoint"},
        {"--json", "", "print history and final metrics as JSON"},
    };
    c.order = 50;
    c.run = runTrain;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeTrainCommand);

} // namespace ts::cli
