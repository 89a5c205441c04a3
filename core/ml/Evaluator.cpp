#include "ml/Evaluator.h"

#include <algorithm>

#include "util/CsvField.h"

namespace ts::ml {

TargetReport makeTargetReport(const std::vector<std::string>& labels, const std::vector<int>& truth,
                              const std::vector<int>& predicted)
{
    const std::size_t k = labels.size();
    TargetReport report;
    report.labels = labels;
    report.confusion.assign(k, std::vector<int>(k, 0));
    std::size_t correct = 0, counted = 0;
    for (std::size_t i = 0; i < truth.size() && i < predicted.size(); ++i) {
        if (truth[i] < 0 || std::size_t(truth[i]) >= k || predicted[i] < 0 || std::size_t(predicted[i]) >= k)
            continue;
        ++report.confusion[truth[i]][predicted[i]];
        correct += truth[i] == predicted[i];
        ++counted;
    }
    report.accuracy = counted ? double(correct) / double(counted) : 0.0;
    for (std::size_t c = 0; c < k; ++c) {
        int column = 0, row = 0;
        for (std::size_t j = 0; j < k; ++j) {
            column += report.confusion[j][c];
            row += report.confusion[c][j];
        }
        ClassMetrics m;
        m.label = labels[c];
        m.support = row;
        // A class never predicted (or never present) has precision (or recall) 0, as scikit-learn reports it.
        m.precision = column ? double(report.confusion[c][c]) / column : 0.0;
        m.recall = row ? double(report.confusion[c][c]) / row : 0.0;
        m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
        report.perClass.push_back(m);
    }
    return report;
}

TargetReport makeScoredTargetReport(const std::vector<std::string>& labels, const std::vector<int>& truth,
                                    const std::vector<std::vector<float>>& probabilities)
{
    std::vector<int> predicted;
    predicted.reserve(probabilities.size());
    for (const auto& row : probabilities)
        predicted.push_back(row.empty() ? -1 : int(std::max_element(row.begin(), row.end()) - row.begin()));
    TargetReport report = makeTargetReport(labels, truth, predicted);
    ConfidenceFigures figures;
    figures.ece = expectedCalibrationError(probabilities, truth);
    figures.confident = confidentPredictions(probabilities, truth);
    report.confidence = figures;
    return report;
}

void addTargetReports(EvaluationReport& report, const Architecture& architecture)
{
    for (Target target : architecture.targets) {
        std::vector<int> truth;
        std::vector<std::vector<float>> probabilities;
        for (const auto& p : report.predictions) {
            if (p.truth(target) < 0)
                continue;
            truth.push_back(p.truth(target));
            probabilities.push_back(p.scores(target));
        }
        report.of(target) = makeScoredTargetReport(labelsOf(architecture, target), truth, probabilities);
    }
}

Result<std::vector<int>> modelClassesOf(const Architecture& model, const TrainingSet& data, const std::string& modelPath)
{
    std::vector<int> index;
    if (!predicts(model, Target::Class))
        return index;
    if (data.classNames.empty())
        return makeError(ErrorCode::InvalidArgument, "the model learnt its own classes and the dataset has none", modelPath);
    for (const auto& name : data.classNames) {
        const auto at = std::find(model.classes.begin(), model.classes.end(), name);
        if (at == model.classes.end())
            return makeError(ErrorCode::InvalidArgument, "the dataset's class \"" + name + "\" is not one the model knows", modelPath);
        index.push_back(int(at - model.classes.begin()));
    }
    return index;
}

std::string confusionCsv(const TargetReport& report, Target target)
{
    const std::string name = targetName(target);
    std::string csv = "target,true";
    for (const auto& label : report.labels)
        csv += "," + csvField(label);
    csv += "\n";
    for (std::size_t i = 0; i < report.labels.size() && i < report.confusion.size(); ++i) {
        csv += name + "," + csvField(report.labels[i]);
        for (int count : report.confusion[i])
            csv += "," + std::to_string(count);
        csv += "\n";
    }
    return csv;
}

std::string confusionCsv(const EvaluationReport& report)
{
    std::string csv;
    if (report.family)
        csv += confusionCsv(*report.family, Target::Family);
    if (report.source)
        csv += confusionCsv(*report.source, Target::Source);
    if (report.ownClass)
        csv += confusionCsv(*report.ownClass, Target::Class);
    return csv;
}

Result<EvaluationReport> evaluate(const TrainedModel& model, const TrainingSet& data,
                                  const std::vector<std::size_t>& rows, const CancellationToken& cancel,
                                  const ProgressSink& progress)
{
    if (data.features.shape() != model.architecture().features.shape())
        return makeError(ErrorCode::InvalidArgument, "the data's features are not the ones the model expects", model.path());
    const auto modelClass = modelClassesOf(model.architecture(), data, model.path());
    if (!modelClass)
        return modelClass.error();
    EvaluationReport report;
    report.n = rows.size();
    const bool family = predicts(model.architecture(), Target::Family);
    const bool source = predicts(model.architecture(), Target::Source);
    const bool own = predicts(model.architecture(), Target::Class);
    std::vector<float> batch;
    const std::size_t rowSize = data.features.rowSize();
    auto argmax = [](const std::vector<float>& v) { return int(std::max_element(v.begin(), v.end()) - v.begin()); };
    for (std::size_t begin = 0; begin < rows.size(); begin += kEvaluationChunk) {
        if (cancel.isCancelled())
            return makeError(ErrorCode::Cancelled, "evaluation cancelled");
        const std::size_t end = std::min(rows.size(), begin + kEvaluationChunk);
        batch.resize((end - begin) * rowSize);
        if (auto read = data.features.readRows(rows, begin, end, batch.data()); !read)
            return read.error();
        auto scores = model.score(batch.data(), end - begin);
        if (!scores)
            return scores.error();
        for (std::size_t i = begin; i < end; ++i) {
            NotePrediction p;
            p.row = rows[i];
            if (rows[i] < data.noteNames.size())
                p.note = data.noteNames[rows[i]];
            if (family) {
                p.familyScores = scores->family[i - begin];
                p.trueFamily = data.family[rows[i]];
                p.predictedFamily = argmax(p.familyScores);
                p.familyConfidence = p.familyScores[p.predictedFamily];
            }
            if (source) {
                p.sourceScores = scores->source[i - begin];
                p.trueSource = data.source[rows[i]];
                p.predictedSource = argmax(p.sourceScores);
                p.sourceConfidence = p.sourceScores[p.predictedSource];
            }
            if (own) {
                p.classScores = scores->ownClass[i - begin];
                const int truth = data.ownClass[rows[i]];
                p.trueClass = truth < 0 ? -1 : modelClass.value()[std::size_t(truth)];
                p.predictedClass = argmax(p.classScores);
                p.classConfidence = p.classScores[p.predictedClass];
            }
            report.predictions.push_back(std::move(p));
        }
        if (progress)
            progress(Progress{end, rows.size(), "classifying notes"});
    }
    addTargetReports(report, model.architecture());
    return report;
}

} // namespace ts::ml
