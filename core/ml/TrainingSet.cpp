#include "ml/TrainingSet.h"

namespace ts::ml {

namespace {

// Two simulated recordings per note: each epoch draws a note from the render or one of them, so a
// note is heard in three conditions; more copies cost 64 MB and ~25 s of one-off work each on the
// default dataset.
constexpr int kTimbreNetRecordings = 2;

} // namespace

Result<TrainingSet> makeTrainingSet(const dataset::Dataset& dataset, const dataset::FeatureMatrix& features,
                                    const dataset::Split& split, const std::string& splitName)
{
    TrainingSet set;
    set.features = features;
    set.dataPath = dataset.folder();
    set.dataFingerprint = dataset.fingerprint();
    set.dataNotesFingerprint = dataset.notesFingerprint();
    set.splitName = splitName;
    const auto& notes = dataset.notes();
    set.family.resize(features.rows());
    set.source.resize(features.rows());
    set.ownClass.resize(features.rows());
    set.classNames = dataset.classNames();
    set.noteNames.resize(features.rows());
    for (std::size_t row = 0; row < features.rows(); ++row) {
        const std::size_t note = features.rowNote()[row];
        if (note >= notes.size())
            return makeError(ErrorCode::BadFormat, "feature cache does not match the dataset (row of note " +
                                 std::to_string(note) + ")", dataset.folder());
        set.family[row] = notes[note].family;
        set.source[row] = notes[note].source;
        set.ownClass[row] = dataset.classIndex(notes[note]);
        set.noteNames[row] = notes[note].noteStr;
    }
    const bool own = !set.classNames.empty();
    auto labelled = [&](std::size_t row) {
        return own ? set.ownClass[row] >= 0 : set.family[row] >= 0 && set.source[row] >= 0;
    };
    auto toRows = [&](const std::vector<std::size_t>& noteIndices, std::vector<std::size_t>& rows) {
        for (std::size_t note : noteIndices) {
            const long row = features.rowOfNote(note);
            if (row >= 0 && labelled(std::size_t(row)))
                rows.push_back(std::size_t(row));
        }
    };
    toRows(split.train, set.train);
    toRows(split.validation, set.validation);
    toRows(split.test, set.test);
    return set;
}

Result<TrainingSet> loadTrainingSet(const std::string& dataFolder, const Architecture& architecture,
                                    const std::string& splitName, std::uint64_t seed,
                                    const ProgressSink& progress, const CancellationToken& cancel, int recordings)
{
    const auto policy = dataset::parseSplitPolicy(splitName);
    if (!policy)
        return makeError(ErrorCode::InvalidArgument,
                         "--split must be seed, random, instrument, final or generator:NAME, got '" + splitName + "'");
    auto data = dataset::Dataset::load(dataFolder);
    if (!data)
        return data.error();
    dataset::SplitOptions splitOptions;
    splitOptions.policy = *policy;
    splitOptions.seed = seed;
    splitOptions.heldOutGenerator = dataset::heldOutGeneratorOf(splitName);
    auto split = dataset::makeSplit(data.value(), splitOptions);
    if (!split)
        return split.error();
    auto features = dataset::FeatureCache().load(data.value(), architecture.features, progress, cancel);
    if (!features)
        return features.error();
    auto set = makeTrainingSet(data.value(), features.value(), split.value(), splitName);
    if (!set)
        return set;
    for (int k = 1; k <= recordings; ++k) {
        dataset::FeatureSettings settings = architecture.features;
        settings.recording = k;
        const ProgressSink labelled = [&](const Progress& p) {
            if (progress)
                progress(Progress{p.done, p.total, "simulated recording " + std::to_string(k) + ": " + p.status, p.notice});
        };
        auto copy = dataset::FeatureCache().load(data.value(), settings, labelled, cancel);
        if (!copy)
            return copy.error();
        if (copy->rowNote() != set->features.rowNote())
            return makeError(ErrorCode::Internal, "simulated recordings do not match the notes' features", dataFolder);
        set->recordings.push_back(std::move(copy).value());
    }
    return set;
}

Result<Architecture> architectureFor(const Architecture& base, const TrainingSet& data)
{
    if (data.classNames.empty())
        return base;
    auto own = withOwnClasses(base, data.classNames);
    if (!own)
        return makeError(own.error().code, own.error().message, data.dataPath);
    return own;
}

int simulatedRecordingsFor(const Architecture& architecture)
{
    return architecture.id == "timbre-net" ? kTimbreNetRecordings : 0;
}

} // namespace ts::ml
