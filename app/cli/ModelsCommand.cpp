// `timbrescope models [--json]`: the architectures that can be trained, with parameter counts.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "ml/Architecture.h"

namespace ts::cli {

namespace {

int runModels(const Args& args)
{
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
    c.synopsis = "[--json]";
    c.summary = "list the model architectures with their parameter counts";
    c.description = "Lists the architectures `train` accepts: the seed's four and timbre-net.\n"
                    "--json prints an array of {\"id\", \"targets\", \"features\", \"input_shape\",\n"
                    "\"parameters\", \"description\"}.";
    c.options = {{"--json", "", "print JSON"}};
    c.order = 40;
    c.run = runModels;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeModelsCommand);

} // namespace ts::cli
