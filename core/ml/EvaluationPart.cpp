#include "ml/EvaluationPart.h"

#include <numeric>

namespace ts::ml {

std::string evaluationPartName(EvaluationPart part)
{
    switch (part) {
    case EvaluationPart::All: return "all";
    case EvaluationPart::Train: return "train";
    case EvaluationPart::Validation: return "validation";
    case EvaluationPart::Test: return "test";
    }
    return {};
}

std::optional<EvaluationPart> parseEvaluationPart(const std::string& name)
{
    for (EvaluationPart part : {EvaluationPart::All, EvaluationPart::Train, EvaluationPart::Validation, EvaluationPart::Test})
        if (evaluationPartName(part) == name)
            return part;
    return std::nullopt;
}

bool trainedOn(const ModelMetadata& model, const TrainingSet& data)
{
    if (!model.dataFingerprint.empty() && model.dataFingerprint == data.dataFingerprint)
        return true;
    return !model.dataNotesFingerprint.empty() && model.dataNotesFingerprint == data.dataNotesFingerprint;
}

PartChoice chooseEvaluationPart(std::optional<EvaluationPart> asked, const ModelMetadata& model, const TrainingSet& data)
{
    const bool own = trainedOn(model, data);
    if (asked)
        return {*asked, own ? "as asked; this model was trained on this dataset" : "as asked; this model was not trained on this dataset"};
    if (own && data.test.empty())
        return {EvaluationPart::Validation, "this model was trained on this dataset's " + data.splitName
                                                + " split, which has no test part: its validation notes are the ones it did not train on"};
    if (own)
        return {EvaluationPart::Test, "this model was trained on this dataset"};
    return {EvaluationPart::All, "this model was not trained on this dataset"};
}

std::vector<std::size_t> rowsOfPart(const TrainingSet& data, EvaluationPart part)
{
    switch (part) {
    case EvaluationPart::Train: return data.train;
    case EvaluationPart::Validation: return data.validation;
    case EvaluationPart::Test: return data.test;
    case EvaluationPart::All: break;
    }
    std::vector<std::size_t> rows(data.features.rows());
    std::iota(rows.begin(), rows.end(), std::size_t(0));
    return rows;
}

} // namespace ts::ml
