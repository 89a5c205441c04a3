// `timbrescope import --from DIR --out DATASET [--labels folders|csv FILE] [--whole-files]
// [--family F] [--source S] [--jobs N] [--json]`: a folder of the user's own sounds as an
// NSynth-format dataset with their own classes (ml/DatasetImport.h).
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "cli/MlCommandSupport.h"
#include "dataset/Labels.h"
#include "dataset/NoteRecord.h"
#include "ml/DatasetImport.h"

namespace ts::cli {

namespace {

int runImport(const Args& args)
{
    ml::ImportOptions options;
    options.from = args.value("--from").value_or("");
    const auto out = args.value("--out");
    if (!out)
        return usageError("import", "needs --out DATASET");
    options.out = *out;
    // --labels folders, --labels csv FILE (the file as the one positional) or --labels FILE.csv.
    const std::string labels = args.value("--labels").value_or("folders");
    if (labels == "csv") {
        if (args.positionals().size() != 1)
            return usageError("import", "--labels csv needs the CSV file after it");
        options.csvPath = args.positionals().front();
    } else if (labels != "folders") {
        if (!args.positionals().empty())
            return usageError("import", "takes no positional arguments but the CSV of --labels csv FILE");
        options.csvPath = labels;
    } else if (!args.positionals().empty()) {
        return usageError("import", "takes no positional arguments but the CSV of --labels csv FILE");
    }
    if (options.csvPath.empty() && options.from.empty())
        return usageError("import", "needs --from DIR (or --labels csv FILE)");
    options.wholeFiles = args.has("--whole-files");
    if (const auto family = args.value("--family")) {
        const auto index = dataset::familyIndex(*family);
        if (!index)
            return usageError("import", "--family must be one of NSynth's 11 families, got '" + *family + "'");
        options.family = *index;
    }
    if (const auto source = args.value("--source")) {
        const auto index = dataset::sourceIndex(*source);
        if (!index)
            return usageError("import", "--source must be acoustic, electronic or synthetic, got '" + *source + "'");
        options.source = *index;
    }
    const auto jobs = args.integer("--jobs", 0);
    if (!jobs || *jobs < 0 || *jobs > 256)
        return usageError("import", "--jobs must be a whole number from 1 to 256");
    options.jobs = int(*jobs);

    auto plan = ml::planImport(options);
    if (!plan)
        return fail(plan.error());
    std::cerr << "import: " << plan->files.size() << " files in " << plan->filesPerClass.size() << " classes";
    for (const auto& [name, count] : plan->filesPerClass)
        std::cerr << (name == plan->filesPerClass.begin()->first ? ": " : ", ") << name << " " << count;
    std::cerr << "\n";
    CancellationToken cancel;
    cancelOnInterrupt(cancel);
    auto summary = ml::runImport(plan.value(), options, progressPrinter("import"), cancel);
    if (!summary)
        return fail(summary.error());
    for (const auto& line : summary->skipped)
        std::cerr << "timbrescope: skipped " << line << "\n";
    for (const auto& line : summary->failed)
        std::cerr << "timbrescope: " << line << "\n";
    if (args.has("--json")) {
        nlohmann::ordered_json j = {{"dataset", options.out},
                                    {"files", summary->files},
                                    {"notes", summary->notes},
                                    {"classes", summary->notesPerClass},
                                    {"failed", summary->failed},
                                    {"skipped", summary->skipped},
                                    {"seconds", summary->seconds}};
        std::cout << jsonText(j) << "\n";
    } else {
        std::printf("imported %zu notes from %zu files into %s in %.1f s\n", summary->notes, summary->files, options.out.c_str(),
                    summary->seconds);
        for (const auto& [name, count] : summary->notesPerClass)
            std::printf("  %-20s %d notes\n", name.c_str(), count);
        if (!summary->failed.empty())
            std::printf("%zu files could not be read (listed on stderr)\n", summary->failed.size());
    }
    std::fflush(stdout);
    return summary->failed.empty() ? kSuccess : kFailure;
}

Command makeImportCommand()
{
    Command c;
    c.name = "import";
    c.synopsis = "--from DIR --out DATASET [--labels folders|csv FILE] [--whole-files] [--family F]\n"
                 "                     [--source S] [--jobs N] [--json]";
    c.summary = "make a dataset of your own sounds and classes from a folder";
    c.description =
        "Reads every sound file under DIR (any format libsndfile reads, any rate, width or channel\n"
        "count) and writes an NSynth-format dataset at DATASET: 16 kHz mono notes of 4 s, a file of\n"
        "several notes cut at its onsets as predict cuts it (--whole-files: one note per file, its\n"
        "first 4 s). --labels folders (the default): a file's class is the first folder below DIR\n"
        "(DIR/rhodes/take1.wav is \"rhodes\"); --labels csv FILE: one line per file, file,class, with\n"
        "an optional header file,class[,family][,source] (paths relative to DIR, or to the CSV's folder\n"
        "without --from). Family and source come from the CSV or --family / --source, else are\n"
        "\"unknown\". Each note carries its class as \"class_str\" in examples.json; train on the dataset\n"
        "learns those classes (timbre-net; --init a trained timbre-net to fine-tune). Importing again\n"
        "replaces the dataset with what the folder holds now (never duplicates); a DATASET folder that\n"
        "is not an import is never replaced. Files that cannot be read are listed on stderr with the\n"
        "reason and the rest imported; the exit code is then 1. --json prints {\"dataset\", \"files\",\n"
        "\"notes\", \"classes\": {CLASS: notes}, \"failed\", \"skipped\", \"seconds\"}.";
    c.options = {
        {"--from", "DIR", "folder of sound files (class folders below it)"},
        {"--out", "DATASET", "dataset folder to write"},
        {"--labels", "HOW", "folders (default), or csv FILE"},
        {"--whole-files", "", "one note per file instead of one per onset"},
        {"--family", "F", "NSynth family of every note the labels do not give one"},
        {"--source", "S", "acoustic, electronic or synthetic, likewise"},
        {"--jobs", "N", "files decoded at once (default: one per core)"},
        {"--json", "", "print JSON"},
    };
    c.order = 15;
    c.run = runImport;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeImportCommand);

} // namespace ts::cli
