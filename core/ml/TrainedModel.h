#pragma once
// A trained network ready to score features: built from a model file (pimpl, so no torch here).
// Not thread-safe: use one per thread.
#include <memory>
#include <string>
#include <vector>

#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "util/Result.h"

namespace ts::ml {

// Probabilities per row, per target (absent targets are empty), calibrated by the model file's
// temperatures.
struct Scores {
    std::vector<std::vector<float>> family;    // rows × 11
    std::vector<std::vector<float>> source;    // rows × 3
    std::vector<std::vector<float>> ownClass;  // rows × the model's own classes

    std::vector<std::vector<float>>& of(Target target)
    {
        return target == Target::Family ? family : target == Target::Source ? source : ownClass;
    }
    const std::vector<std::vector<float>>& of(Target target) const { return const_cast<Scores*>(this)->of(target); }
};

// Each row's embedding: the values the model's heads read (timbre-net: 256 pooled features), row
// after row. Notes that sound alike should lie close together.
struct Embeddings {
    std::size_t width = 0;
    std::vector<float> values;  // rows × width

    std::size_t rows() const { return width == 0 ? 0 : values.size() / width; }
    const float* row(std::size_t i) const { return values.data() + i * width; }
};

// Which parts of a note's log-mel drove one class's score, row-major frames × bands like the
// features, 0 to 1 (the largest is 1; all 0 when nothing spoke for the class).
//  - IntegratedGradients (the default): the class logit's gradient with respect to the input,
//    averaged along the straight path from silence (-100 dB everywhere but the note's loudest cell,
//    which keeps its level: the network hears every cell relative to it) to the note in 32 steps,
//    times the note's difference from silence; the positive part (evidence for the class).
//  - GradCam: the last convolution block's channels weighted by the mean gradient of the class
//    logit, positive part, brought up to the input's size bilinearly: smooth, but only 7 x 8 cells
//    for timbre-net, and on a toy model that tells low tones from high ones it did not point at a low
//    tone's bands (tst_Saliency), so it is not the default.
enum class SaliencyMethod { IntegratedGradients, GradCam };

struct Saliency {
    int frames = 0;
    int bands = 0;
    std::vector<float> values;
};

class TrainedModel {
public:
    static Result<TrainedModel> load(const std::string& path);
    static Result<TrainedModel> fromModelFile(const ModelFile& file, const std::string& pathForErrors = {});

    TrainedModel(TrainedModel&&) noexcept;
    TrainedModel& operator=(TrainedModel&&) noexcept;
    ~TrainedModel();

    const ModelMetadata& metadata() const;
    const Architecture& architecture() const;
    const std::string& path() const;

    // `rows` feature rows of architecture().features.size() floats each, contiguous.
    Result<Scores> score(const float* features, std::size_t rows) const;
    // The same rows' embeddings. Unsupported for an architecture without one (the seed's models).
    Result<Embeddings> embed(const float* features, std::size_t rows) const;
    // The saliency of class `classIndex` of `target` for one row of features. Unsupported for the
    // seed's models; InvalidArgument for a target the model lacks or a class out of range.
    Result<Saliency> explain(const float* features, Target target, int classIndex,
                             SaliencyMethod method = SaliencyMethod::IntegratedGradients) const;

private:
    struct Impl;
    explicit TrainedModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace ts::ml
