#include "ui/evaluation/EvaluationResult.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace ts::ui {

struct EvaluationResult::Data {
    EvaluationSetup setup;
    ModelSummary model;
    ml::EvaluationReport report;
    std::shared_ptr<const dataset::Dataset> dataset;
    double seconds = 0.0;
    std::unordered_map<std::string, std::size_t> noteIndex;  // note_str → dataset note
};

EvaluationResult::EvaluationResult(EvaluationSetup setup, ModelSummary model, ml::EvaluationReport report,
                                   std::shared_ptr<const dataset::Dataset> dataset, double seconds)
{
    auto data = std::make_shared<Data>();
    data->setup = std::move(setup);
    data->model = std::move(model);
    data->report = std::move(report);
    data->dataset = std::move(dataset);
    data->seconds = seconds;
    if (data->dataset) {
        const auto& notes = data->dataset->notes();
        data->noteIndex.reserve(notes.size());
        for (std::size_t i = 0; i < notes.size(); ++i)
            data->noteIndex.emplace(notes[i].noteStr, i);
    }
    m_data = std::move(data);
}

const EvaluationSetup& EvaluationResult::setup() const
{
    static const EvaluationSetup none;
    return m_data ? m_data->setup : none;
}

const ModelSummary& EvaluationResult::model() const
{
    static const ModelSummary none;
    return m_data ? m_data->model : none;
}

const ml::EvaluationReport& EvaluationResult::report() const
{
    static const ml::EvaluationReport none;
    return m_data ? m_data->report : none;
}

const dataset::Dataset* EvaluationResult::dataset() const
{
    return m_data ? m_data->dataset.get() : nullptr;
}

double EvaluationResult::seconds() const
{
    return m_data ? m_data->seconds : 0.0;
}

std::vector<ml::Target> EvaluationResult::targets() const
{
    std::vector<ml::Target> list;
    for (ml::Target t : {ml::Target::Class, ml::Target::Family, ml::Target::Source})
        if (target(t))
            list.push_back(t);
    return list;
}

const ml::TargetReport* EvaluationResult::target(ml::Target target) const
{
    if (!m_data)
        return nullptr;
    const auto& r = m_data->report.of(target);
    return r ? &*r : nullptr;
}

std::vector<std::size_t> EvaluationResult::cellNotes(ml::Target target, int trueClass, int predictedClass) const
{
    std::vector<std::size_t> list;
    const auto& predictions = report().predictions;
    for (std::size_t i = 0; i < predictions.size(); ++i)
        if (EvaluationResult::trueClass(predictions[i], target) == trueClass &&
            EvaluationResult::predictedClass(predictions[i], target) == predictedClass)
            list.push_back(i);
    std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
        const float ca = confidence(predictions[a], target), cb = confidence(predictions[b], target);
        return ca != cb ? ca > cb : predictions[a].note < predictions[b].note;
    });
    return list;
}

std::optional<std::size_t> EvaluationResult::mostConfidentCorrect(ml::Target target, int trueClass) const
{
    const auto list = cellNotes(target, trueClass, trueClass);
    if (list.empty())
        return std::nullopt;
    return list.front();
}

const dataset::NoteRecord* EvaluationResult::noteOf(std::size_t prediction) const
{
    if (!m_data || !m_data->dataset || prediction >= m_data->report.predictions.size())
        return nullptr;
    const auto it = m_data->noteIndex.find(m_data->report.predictions[prediction].note);
    return it == m_data->noteIndex.end() ? nullptr : &m_data->dataset->notes()[it->second];
}

int EvaluationResult::trueClass(const ml::NotePrediction& p, ml::Target target)
{
    return p.truth(target);
}

int EvaluationResult::predictedClass(const ml::NotePrediction& p, ml::Target target)
{
    return p.predicted(target);
}

float EvaluationResult::confidence(const ml::NotePrediction& p, ml::Target target)
{
    return p.confidence(target);
}

float EvaluationResult::score(const ml::NotePrediction& p, ml::Target target, int cls)
{
    const auto& scores = p.scores(target);
    return cls >= 0 && std::size_t(cls) < scores.size() ? scores[std::size_t(cls)] : 0.0f;
}

} // namespace ts::ui
