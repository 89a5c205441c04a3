#pragma once
// Which notes of a dataset an evaluation scores, and the default that keeps it honest: a model's
// test part on the dataset it was trained on (the rest it has seen), every note of any other
// dataset (it has seen none of them). The CLI's `evaluate --part` and the GUI's Evaluation tab both
// choose through here.
#include <optional>
#include <string>
#include <vector>

#include "ml/ModelFile.h"
#include "ml/TrainingSet.h"

namespace ts::ml {

enum class EvaluationPart { All, Train, Validation, Test };

// "all", "train", "validation", "test".
std::string evaluationPartName(EvaluationPart part);
std::optional<EvaluationPart> parseEvaluationPart(const std::string& name);

// Whether `model` was trained on `data`'s notes: the same dataset fingerprint, or (for a dataset
// rendered or copied again, whose files have new times) the same notes fingerprint.
bool trainedOn(const ModelMetadata& model, const TrainingSet& data);

struct PartChoice {
    EvaluationPart part = EvaluationPart::Test;
    std::string reason;  // "this model was trained on this dataset", ...
};

// `asked` when given (the reason then says whether the model has seen this dataset, since "all" or
// "train" of its own data scores notes it learnt from); otherwise test on its own data, all on any other.
PartChoice chooseEvaluationPart(std::optional<EvaluationPart> asked, const ModelMetadata& model, const TrainingSet& data);

// The feature rows of a part (All: every row, in row order).
std::vector<std::size_t> rowsOfPart(const TrainingSet& data, EvaluationPart part);

} // namespace ts::ml
