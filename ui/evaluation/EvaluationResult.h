#pragma once
// One finished evaluation as the confusion viewer shows it: the evaluator's report, the dataset its
// notes come from and what was evaluated. Answers the viewer's questions without a window: which
// notes fell in a cell (the surest first) and the surest correct note of a class. Copies share the
// data, so a result travels through queued signals cheaply.
#include <QMetaType>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "dataset/Dataset.h"
#include "ml/Architecture.h"
#include "ml/Evaluator.h"
#include "ui/evaluation/EvaluationSetup.h"

namespace ts::ui {

class EvaluationResult {
public:
    EvaluationResult() = default;
    // `dataset` may be null (notes are then listed by name only, without sound).
    EvaluationResult(EvaluationSetup setup, ModelSummary model, ml::EvaluationReport report,
                     std::shared_ptr<const dataset::Dataset> dataset, double seconds = 0.0);

    bool isEmpty() const { return !m_data; }
    const EvaluationSetup& setup() const;
    const ModelSummary& model() const;
    const ml::EvaluationReport& report() const;
    const dataset::Dataset* dataset() const;
    double seconds() const;

    // The targets the model predicts: family before source.
    std::vector<ml::Target> targets() const;
    const ml::TargetReport* target(ml::Target target) const;  // null when not predicted

    // Indices into report().predictions of the notes of this true and predicted class, the most
    // confident prediction first (ties by note name), so the worst mistakes head the list.
    std::vector<std::size_t> cellNotes(ml::Target target, int trueClass, int predictedClass) const;
    // The correctly classified note of `trueClass` the model was surest of.
    std::optional<std::size_t> mostConfidentCorrect(ml::Target target, int trueClass) const;
    // The dataset note of a prediction; null when the dataset is unknown or lacks it.
    const dataset::NoteRecord* noteOf(std::size_t prediction) const;

    // A prediction's classes and probabilities for one target.
    static int trueClass(const ml::NotePrediction& p, ml::Target target);
    static int predictedClass(const ml::NotePrediction& p, ml::Target target);
    static float confidence(const ml::NotePrediction& p, ml::Target target);  // of the predicted class
    static float score(const ml::NotePrediction& p, ml::Target target, int cls);

private:
    struct Data;
    std::shared_ptr<const Data> m_data;
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::EvaluationResult)
