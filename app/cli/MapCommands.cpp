// `timbrescope embed` and `timbrescope similar`: the timbre space of a dataset from the command line.
// embed writes every note's position on the timbre map (the principal plane of the model's
// embeddings) as CSV, or with --json each note's whole embedding too; similar lists the notes of a
// dataset nearest to a sound file. Both use the shipped timbre-net unless --model names another.
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "audio/AudioFile.h"
#include "cli/Cli.h"
#include "cli/JsonText.h"
#include "cli/MlCommandSupport.h"
#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"
#include "dataset/Labels.h"
#include "map/EmbeddingCache.h"
#include "map/TimbreSpace.h"
#include "ml/TrainedModel.h"
#include "util/AppPaths.h"

namespace ts::cli {

namespace {

constexpr const char* kShippedModel = "timbre-net.tsm";

Result<ml::TrainedModel> modelFor(const Args& args)
{
    std::string path = args.value("--model").value_or("");
    if (path.empty()) {
        path = findShippedModel(executableFolder(), kShippedModel);
        if (path.empty())
            return makeError(ErrorCode::NotFound, std::string("no --model given and no shipped ") + kShippedModel + " found");
    }
    return ml::TrainedModel::load(path);
}

std::string number(double value)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", value);
    return buf;
}

// The dataset, the model and the embeddings of every usable note (cached), or the exit code.
struct Space {
    dataset::Dataset dataset;
    map::DatasetEmbedding embedding;
    std::string embeddingsPath;  // the cache file, beside which the neighbour index is kept
};

Result<Space> spaceOf(const ml::TrainedModel& model, const std::string& folder)
{
    auto loaded = dataset::Dataset::load(folder);
    if (!loaded)
        return loaded.error();
    Space space{std::move(loaded).value(), {}, {}};
    const map::EmbeddingCache cache;
    auto embedding = cache.load(model, space.dataset, featureProgressPrinter());
    if (!embedding)
        return embedding.error();
    space.embedding = std::move(embedding).value();
    space.embeddingsPath = cache.pathFor(model, space.dataset);
    return space;
}

map::NeighbourIndex indexOf(const Space& space)
{
    return map::EmbeddingCache().loadIndex(space.embeddingsPath, space.embedding.embeddings, featureProgressPrinter());
}

// What neighbours should share: the family, or an imported dataset's own class.
std::vector<int> familiesOf(const Space& space)
{
    const bool own = !space.dataset.classNames().empty();
    std::vector<int> families;
    for (std::size_t note : space.embedding.noteIndex) {
        const auto& n = space.dataset.notes()[note];
        families.push_back(own ? space.dataset.classIndex(n) : n.family);
    }
    return families;
}

nlohmann::ordered_json labelsJson(const dataset::NoteRecord& note)
{
    nlohmann::ordered_json j = {{"family", dataset::familyName(note.family)},
                                {"source", dataset::sourceName(note.source)},
                                {"pitch", note.pitch},
                                {"velocity", note.velocity},
                                {"instrument", note.instrumentStr},
                                {"generator", note.generator}};
    if (!note.ownClass.empty())
        j["class"] = note.ownClass;
    return j;
}

int runEmbed(const Args& args)
{
    const auto data = args.value("--data");
    if (!data)
        return usageError("embed", "needs --data DIR");
    if (!args.positionals().empty())
        return usageError("embed", "takes no positional arguments");
    auto model = modelFor(args);
    if (!model)
        return fail(model.error());
    auto space = spaceOf(*model, *data);
    if (!space)
        return fail(space.error());
    const auto& embeddings = space->embedding.embeddings;
    auto plane = map::principalPlane(embeddings);
    if (!plane)
        return fail(makeError(plane.error().code, plane.error().message, *data));
    const map::NeighbourIndex index = indexOf(*space);
    const double agreement = map::neighbourAgreement(index, embeddings, familiesOf(*space));
    const auto& notes = space->dataset.notes();
    std::fprintf(stderr,
                 "embed: %zu notes, %zu values each; the map's two axes carry %.1f %% of the variance; "
                 "a note's 10 nearest neighbours share its family %.1f %% of the time\n",
                 embeddings.rows(), embeddings.width, 100.0 * plane->explainedVariance, 100.0 * agreement);

    if (args.has("--json")) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (std::size_t r = 0; r < embeddings.rows(); ++r) {
            const auto& note = notes[space->embedding.noteIndex[r]];
            nlohmann::ordered_json entry = {{"note", note.noteStr}, {"x", plane->xy[2 * r]}, {"y", plane->xy[2 * r + 1]}};
            entry.update(labelsJson(note));
            entry["embedding"] = std::vector<float>(embeddings.row(r), embeddings.row(r) + embeddings.width);
            list.push_back(std::move(entry));
        }
        const nlohmann::ordered_json document = {{"model", model->path()},
                                                 {"data", space->dataset.folder()},
                                                 {"notes", embeddings.rows()},
                                                 {"width", embeddings.width},
                                                 {"layout", "pca"},
                                                 {"explained_variance", plane->explainedVariance},
                                                 {"neighbour_family_agreement", agreement},
                                                 {"embeddings", std::move(list)}};
        std::cout << jsonText(document) << "\n";
    }
    const std::string out = args.value("--out").value_or(args.has("--json") ? "" : "-");
    if (out.empty())
        return kSuccess;
    std::string csv = "note,x,y,family,source,pitch,velocity,instrument,generator\n";
    for (std::size_t r = 0; r < embeddings.rows(); ++r) {
        const auto& note = notes[space->embedding.noteIndex[r]];
        csv += csvField(note.noteStr) + "," + number(plane->xy[2 * r]) + "," + number(plane->xy[2 * r + 1]) + "," +
               dataset::familyName(note.family) + "," + dataset::sourceName(note.source) + "," + std::to_string(note.pitch) + "," +
               std::to_string(note.velocity) + "," + csvField(note.instrumentStr) + "," + csvField(note.generator) + "\n";
    }
    if (auto written = writeOutput(out, csv); !written)
        return fail(written.error());
    return kSuccess;
}

int runSimilar(const Args& args)
{
    const auto data = args.value("--data");
    if (!data || args.positionals().size() != 1)
        return usageError("similar", "needs one FILE and --data DIR");
    const auto top = args.integer("--top", 20);
    if (!top || *top < 1 || *top > 10000)
        return usageError("similar", "--top must be a whole number from 1 to 10000");
    auto model = modelFor(args);
    if (!model)
        return fail(model.error());
    const std::string& file = args.positionals().front();
    auto decoded = audio::loadAudio(file);
    if (!decoded)
        return fail(decoded.error());
    const auto features = dataset::computeFeatures(model->architecture().features, audio::modelView(decoded->samples));
    auto query = model->embed(features.data(), 1);
    if (!query)
        return fail(query.error());
    auto space = spaceOf(*model, *data);
    if (!space)
        return fail(space.error());
    const map::NeighbourIndex index = indexOf(*space);
    const auto nearest = index.nearest(query->values.data(), std::size_t(*top));
    const auto& notes = space->dataset.notes();
    if (args.has("--json")) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const auto& n : nearest) {
            const auto& note = notes[space->embedding.noteIndex[n.row]];
            nlohmann::ordered_json entry = {{"note", note.noteStr}, {"distance", n.distance}};
            entry.update(labelsJson(note));
            entry["path"] = note.wavPath;
            list.push_back(std::move(entry));
        }
        const nlohmann::ordered_json document = {{"file", file},
                                                 {"model", model->path()},
                                                 {"data", space->dataset.folder()},
                                                 {"exact", index.exact()},
                                                 {"similar", std::move(list)}};
        std::cout << jsonText(document) << "\n";
        return kSuccess;
    }
    for (const auto& n : nearest) {
        const auto& note = notes[space->embedding.noteIndex[n.row]];
        std::printf("%8.3f  %-40s %s %s\n", double(n.distance), note.noteStr.c_str(),
                    (note.ownClass.empty() ? dataset::familyName(note.family) : note.ownClass).c_str(),
                    dataset::sourceName(note.source).c_str());
    }
    return kSuccess;
}

Command makeEmbedCommand()
{
    Command c;
    c.name = "embed";
    c.synopsis = "--data DIR [--model MODEL] [--out MAP.csv] [--json]";
    c.summary = "place every note of a dataset on a timbre map (the model's embedding, its principal plane)";
    c.description =
        "Embeds every usable note of DIR with MODEL (default: the shipped timbre-net; the values its heads\n"
        "read), projects the embeddings on their first two principal components, and writes CSV with the\n"
        "columns note,x,y,family,source,pitch,velocity,instrument,generator to MAP.csv (default stdout).\n"
        "--json prints {\"model\", \"data\", \"notes\", \"width\", \"layout\", \"explained_variance\",\n"
        "\"neighbour_family_agreement\", \"embeddings\": [{\"note\", \"x\", \"y\", \"family\", \"source\", \"pitch\",\n"
        "\"velocity\", \"instrument\", \"generator\", \"embedding\": [...]}]} (and the CSV only with --out).\n"
        "stderr says how much of the variance the map shows and how often a note's 10 nearest\n"
        "neighbours share its family. The embeddings are cached per dataset and model file.";
    c.options = {
        {"--data", "DIR", "NSynth-format dataset folder"},
        {"--model", "MODEL", "model file (default: the shipped timbre-net)"},
        {"--out", "FILE", "CSV file to write (default: stdout; - for stdout)"},
        {"--json", "", "print every note's position and embedding as JSON"},
    };
    c.order = 75;
    c.run = runEmbed;
    return c;
}

Command makeSimilarCommand()
{
    Command c;
    c.name = "similar";
    c.synopsis = "FILE --data DIR [--model MODEL] [--top 20] [--json]";
    c.summary = "the notes of a dataset that sound most like a file (nearest in the model's embedding)";
    c.description =
        "Embeds FILE (its first 4 s, as the dataset's notes are taken) with MODEL (default: the shipped\n"
        "timbre-net) and lists the --top notes of DIR nearest to it, nearest first: distance, note,\n"
        "family, source. Exact search up to 50,000 notes, an HNSW graph (FAISS) beyond. --json prints\n"
        "{\"file\", \"model\", \"data\", \"exact\", \"similar\": [{\"note\", \"distance\", \"family\", \"source\",\n"
        "\"pitch\", \"velocity\", \"instrument\", \"generator\", \"path\"}]}.";
    c.options = {
        {"--data", "DIR", "NSynth-format dataset folder to search"},
        {"--model", "MODEL", "model file (default: the shipped timbre-net)"},
        {"--top", "K", "how many notes (default 20)"},
        {"--json", "", "print the list as JSON"},
    };
    c.order = 76;
    c.run = runSimilar;
    return c;
}

} // namespace

TS_REGISTER_COMMAND(makeEmbedCommand);
TS_REGISTER_COMMAND(makeSimilarCommand);

} // namespace ts::cli
