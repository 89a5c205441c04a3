// `timbrescope calibrate --model MODEL --data DIR [--out FILE]`: fits the model's temperatures on the
// validation part of DIR's split without training again (train does it itself since calibration
// exists; this is for model files made before, or to refit on another dataset).
#include <cstdio>
#include <iostream>

#include "cli/Cli.h"
#include "cli/MlCommandSupport.h"
#include "ml/EvaluationPart.h"
#include "ml/ModelCalibration.h"

namespace ts::cli {

namespace {

int runCalibrate(const Args& args)
{
    const auto modelPath = args.value("--model");
    const auto data = args.value("--data");
    if (!modelPath || !data)
        return usageError("calibrate", "needs --model MODEL and --data DIR");
    if (!args.positionals().empty())
        return usageError("calibrate", "takes no positional arguments");
    auto file = ml::loadModelFile(*modelPath);
    if (!file)
        return fail(file.error());
    const auto& meta = file->metadata;
    const auto architecture = ml::architectureOf(meta, *modelPath);
    if (!architecture)
        return fail(architecture.error());
    // The model's own split and seed: on its own dataset that validation part is the one it was
    // trained with, so the temperatures are fitted on notes it never learnt from.
    const std::string split = args.value("--split").value_or(meta.split.empty() ? "instrument" : meta.split);
    auto set = ml::loadTrainingSet(*data, *architecture, split, meta.seed, featureProgressPrinter());
    if (!set)
        return set.error().code == ErrorCode::InvalidArgument ? usageError("calibrate", set.error().message) : fail(set.error());
    auto calibrated = ml::calibrateModelFile(file.value(), set.value(), *modelPath);
    if (!calibrated)
        return fail(calibrated.error());
    const std::string out = args.value("--out").value_or(*modelPath);
    if (auto s = ml::saveModelFile(out, calibrated.value()); !s)
        return fail(s.error());
    std::cerr << "calibrate: on the validation part of " << set->dataPath << " (" << set->validation.size() << " notes; "
              << (ml::trainedOn(meta, set.value()) ? "this model was trained on this dataset" : "this model was not trained on this dataset")
              << "), wrote " << out << "\n";
    for (const auto& [target, c] : calibrated->metadata.calibration)
        std::printf("%s: temperature %.4f, validation ECE %.4f -> %.4f\n", target.c_str(), c.temperature,
                    c.eceValidationBefore, c.eceValidationAfter);
    std::fflush(stdout);
    return kSuccess;
}

Command makeCalibrateCommand()
{
    Command c;
    c.name = "calibrate";
    c.synopsis = "--model MODEL --data DIR [--split seed|random|instrument|generator:NAME] [--out FILE]";
    c.summary = "fit a model's confidence temperatures on a validation part, without training";
    c.description =
        "Temperature scaling: divides each head's logits by the temperature that minimises the\n"
        "negative log-likelihood on the validation part of DIR's split (default: the split and seed\n"
        "the model was trained with), so that a 90 % confidence is right about 90 % of the time. The\n"
        "predictions do not change, only their confidences. train does this itself; calibrate is for\n"
        "model files made before it did. Writes FILE (default: MODEL itself, atomically) and prints\n"
        "each target's temperature and validation ECE before and after.";
    c.options = {
        {"--model", "MODEL", "model file"},
        {"--data", "DIR", "NSynth-format dataset folder"},
        {"--split", "POLICY", "seed, random, instrument, final or generator:NAME (default: the model's own)"},
        {"--out", "FILE", "model file to write (default: MODEL)"},
    };
    c.order = 55;
    c.run = runCalibrate;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeCalibrateCommand);

} // namespace ts::cli
