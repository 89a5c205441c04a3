#include "ml/TrainingSet.h"

namespace ts::ml {

Result<TrainingSet> makeTrainingSet(const dataset::Dataset& dataset, const dataset::FeatureMatrix& features,
                                    const dataset::Split& split, const std::string& splitName)
{
    TrainingSet set;
    set.features = features;
    set.dataPath = dataset.folder();
    set.dataFingerprint = dataset.fingerprint();
    set.splitName = splitName;
    const auto& notes = dataset.notes();
    set.family.resize(features.rows());
    set.source.resize(features.rows());
    set.noteNames.resize(features.rows());
    for (std::size_t row = 0; row < features.rows(); ++row) {
        const std::size_t note = features.rowNote()[row];
        if (note >= notes.size())
            return makeError(ErrorCode::BadFormat, "feature cache does not match the dataset (row of note " +
                                 std::to_string(note) + ")", dataset.folder());
        set.family[row] = notes[note].family;
        set.source[row] = notes[note].source;
        set.noteNames[row] = notes[note].noteStr;
    }
    auto toRows = [&](const std::vector<std::size_t>& noteIndices, std::vector<std::size_t>& rows) {
        for (std::size_t note : noteIndices) {
            const long row = features.rowOfNote(note);
            if (row >= 0)
                rows.push_back(std::size_t(row));
        }
    };
    toRows(split.train, set.train);
    toRows(split.validation, set.validation);
    toRows(split.test, set.test);
    return set;
}

} // namespace ts::ml
