// `timbrescope models [--json]`: the architectures that can be trained, with parameter counts.
// `timbrescope models --convert OLD NEW [--json]`: a model file of any format rewritten in the current one.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "ml/Architecture.h"
#include "ml/ModelConversion.h"
#include "ml/Safetensors.h"

namespace ts::cli {

namespace {

std::size_t tensorCount(const std::string& section)
{
    const auto archive = ml::decodeSafetensors(section, {});
    return archive ? archive->tensors.size() : 0;
}

// OLD read (any format this build reads), converted, and written to NEW atomically: a failure at any
// step leaves NEW as it was. NEW may be OLD itself.
int runConvert(const std::string& from, const Args& args)
{
    if (args.positionals().size() != 1)
        return usageError("models", "--convert needs OLD and NEW (the model file to read and the one to write)");
    const std::string to = args.positionals().front();
    auto file = ml::loadModelFile(from);
    if (!file)
        return fail(file.error());
    const std::uint32_t oldFormat = file->metadata.formatVersion;
    auto converted = ml::convertModelFile(file.value(), from);
    if (!converted)
        return fail(converted.error());
    if (auto s = ml::saveModelFile(to, converted.value()); !s)
        return fail(s.error());
    const auto& m = converted->metadata;
    const std::size_t weights = tensorCount(converted->weights), resume = tensorCount(converted->resumeState);
    if (args.has("--json")) {
        nlohmann::ordered_json j = {{"input", from}, {"input_format", oldFormat}, {"output", to},
                                    {"format", m.formatVersion}, {"architecture", m.architecture},
                                    {"weights_tensors", weights}, {"resume_state_tensors", resume},
                                    {"bytes", ml::encodeModelFile(converted.value()).size()}};
        std::cout << jsonText(j) << "\n";
    } else {
        std::cout << from << " (format " << oldFormat << ") -> " << to << " (format " << m.formatVersion << "): "
                  << m.architecture << ", " << weights << " weight tensors"
                  << (converted->resumeState.empty() ? std::string() : ", resume state of " + std::to_string(resume) + " tensors")
                  << "\n";
    }
    return kSuccess;
}

int runModels(const Args& args)
{
    if (const auto from = args.value("--convert"))
        return runConvert(*from, args);
    if (!args.positionals().empty())
        return usageError("models", "takes no arguments");
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    std::string text;
    for (const auto& a : ml::architectures()) {
        std::vector<std::string> targets;
        for (auto t : a.targets)
            targets.push_back(ml::targetName(t));
        const auto shape = a.features.shape();
        list.push_back({{"id", a.id}, {"targets", targets}, {"features", dataset::featureKindName(a.features.kind)},
                        {"input_shape", shape}, {"parameters", a.parameterCount}, {"description", a.description}});
        std::string joined;
        for (const auto& t : targets)
            joined += (joined.empty() ? "" : "+") + t;
        char line[160];
        std::snprintf(line, sizeof line, "%-17s %-14s %-7s %10lld parameters\n", a.id.c_str(), joined.c_str(),
                      dataset::featureKindName(a.features.kind).c_str(), static_cast<long long>(a.parameterCount));
        text += line;
        text += "    " + a.description + "\n";
    }
    std::cout << (args.has("--json") ? jsonText(list) + "\n" : text);
    return kSuccess;
}

Command makeModelsCommand()
{
    Command c;
    c.name = "models";
    c.synopsis = "[--json] | --convert OLD NEW [--json]";
    c.summary = "list the model architectures with their parameter counts; convert a model file";
    c.description = "Lists the architectures `train` accepts: the seed's four and timbre-net.\n"
                    "--json prints an array of {\"id\", \"targets\", \"features\", \"input_shape\",\n"
                    "\"parameters\", \"description\"}.\n"
                    "\n"
                    "--convert OLD NEW rewrites the model file OLD (a model or a checkpoint, of any format\n"
                    "this build reads) as NEW in the current format 2, whose weights are safetensors\n"
                    "archives: same metadata but the format version, same weights, same predictions, and a\n"
                    "checkpoint's Adam state. NEW is written atomically (it may be OLD itself); nothing is\n"
                    "written when OLD cannot be read. --json prints {\"input\", \"input_format\", \"output\",\n"
                    "\"format\", \"architecture\", \"weights_tensors\", \"resume_state_tensors\", \"bytes\"}.";
    c.options = {{"--json", "", "print JSON"}, {"--convert", "OLD", "rewrite model file OLD as NEW in the current format"}};
    c.order = 40;
    c.run = runModels;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeModelsCommand);

} // namespace ts::cli
