#pragma once
// Scores a trained model on feature rows (usually a split's test part): accuracy, confusion matrix
// (rows = true class, columns = predicted), per-class precision / recall / F1 / support, and every
// note's prediction with its confidence and all class scores (the GUI's confusion viewer lists these),
// and how far the confidences can be trusted (expected calibration error, accuracy when ≥ 80 % sure).
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ml/Calibration.h"
#include "ml/TrainedModel.h"
#include "ml/TrainingSet.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::ml {

struct ClassMetrics {
    std::string label;
    double precision = 0.0;
    double recall = 0.0;
    double f1 = 0.0;
    int support = 0;
};

// What the probabilities say beyond the predicted class.
struct ConfidenceFigures {
    double ece = 0.0;                 // expected calibration error, 15 equal-width bins
    ConfidentPredictions confident;   // predictions made with ≥ 80 % confidence
};

struct TargetReport {
    std::vector<std::string> labels;
    double accuracy = 0.0;
    std::vector<std::vector<int>> confusion;  // [true][predicted]
    std::vector<ClassMetrics> perClass;
    std::optional<ConfidenceFigures> confidence;  // absent when made from class indices alone
};

struct NotePrediction {
    std::size_t row = 0;          // feature row in the TrainingSet
    std::string note;             // note_str when known
    int trueFamily = -1, predictedFamily = -1;
    int trueSource = -1, predictedSource = -1;
    int trueClass = -1, predictedClass = -1;  // a model of own classes
    float familyConfidence = 0.0f, sourceConfidence = 0.0f, classConfidence = 0.0f;
    std::vector<float> familyScores, sourceScores, classScores;

    int truth(Target target) const { return target == Target::Family ? trueFamily : target == Target::Source ? trueSource : trueClass; }
    int predicted(Target target) const
    {
        return target == Target::Family ? predictedFamily : target == Target::Source ? predictedSource : predictedClass;
    }
    float confidence(Target target) const
    {
        return target == Target::Family ? familyConfidence : target == Target::Source ? sourceConfidence : classConfidence;
    }
    const std::vector<float>& scores(Target target) const
    {
        return target == Target::Family ? familyScores : target == Target::Source ? sourceScores : classScores;
    }
};

struct EvaluationReport {
    std::size_t n = 0;
    std::optional<TargetReport> family;
    std::optional<TargetReport> source;
    std::optional<TargetReport> ownClass;  // the model's own classes
    std::vector<NotePrediction> predictions;

    std::optional<TargetReport>& of(Target target)
    {
        return target == Target::Family ? family : target == Target::Source ? source : ownClass;
    }
    const std::optional<TargetReport>& of(Target target) const { return const_cast<EvaluationReport*>(this)->of(target); }
};

// Builds the report from true labels and predicted class indices (pure arithmetic, tested alone).
TargetReport makeTargetReport(const std::vector<std::string>& labels, const std::vector<int>& truth,
                              const std::vector<int>& predicted);
// The same from each row's class probabilities (predicted = the most probable), with the
// confidence figures.
TargetReport makeScoredTargetReport(const std::vector<std::string>& labels, const std::vector<int>& truth,
                                    const std::vector<std::vector<float>>& probabilities);
// Fills report.family / source / ownClass for the architecture's targets from report.predictions
// (evaluate() does, and so does a caller that classified the notes in chunks). Notes whose true
// class is not known (an imported note of unknown family) are left out of that target's report.
void addTargetReports(EvaluationReport& report, const Architecture& architecture);

// For a model of own classes, the model's index of each of the dataset's own classes (a dataset of
// some of the model's classes is scored on those); InvalidArgument, naming the class, for a dataset
// with a class the model does not know or with none. Empty for a model of family and source.
Result<std::vector<int>> modelClassesOf(const Architecture& model, const TrainingSet& data, const std::string& modelPath);

// Classifies `rows` of `data` in chunks of kEvaluationChunk notes; after each chunk `progress` gets
// the notes classified so far of rows.size() (the last call is rows.size() of rows.size()) and the
// token is checked, so a long evaluation shows progress and stops soon after a cancel. The report
// is the same whatever the chunking: the targets' reports are made from all predictions at the end.
constexpr std::size_t kEvaluationChunk = 64;
Result<EvaluationReport> evaluate(const TrainedModel& model, const TrainingSet& data,
                                  const std::vector<std::size_t>& rows, const CancellationToken& cancel = {},
                                  const ProgressSink& progress = {});

// One confusion matrix as CSV, the format `timbrescope evaluate --confusion-csv` and the Evaluation
// tab's export share (users' scripts read it):
//   target,true,<predicted label 1>,...,<predicted label k>
//   <target>,<true label 1>,<count>,...,<count>
//   ... one line per true label, in the report's label order; every line ends with "\n".
// <target> is targetName(target) ("family", "source", "class"). Labels are NSynth's class names
// (letters, digits, underscores) or a dataset's own, quoted as CSV quotes when they need it.
std::string confusionCsv(const TargetReport& report, Target target);
// Every target the report has, family first, then source, then class, one block each as above.
std::string confusionCsv(const EvaluationReport& report);

} // namespace ts::ml
