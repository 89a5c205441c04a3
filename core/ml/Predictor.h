#pragma once
// Classifies sound files or decoded signals with one model predicting both targets, or with a
// family model plus a source model. Decoding goes through core/audio (any rate, format, channels)
// and features through the same code the feature cache uses. Not thread-safe: one per thread.
#include <optional>
#include <string>
#include <vector>

#include "audio/AudioFile.h"
#include "ml/TrainedModel.h"
#include "util/Result.h"

namespace ts::ml {

struct TargetPrediction {
    std::string label;
    float confidence = 0.0f;
    std::vector<std::string> labels;  // all class names, in index order
    std::vector<float> scores;        // probabilities, same order
};

struct Prediction {
    std::optional<TargetPrediction> family;
    std::optional<TargetPrediction> source;
};

class Predictor {
public:
    // One or two model files; with two, each target is taken from the first model predicting it.
    static Result<Predictor> load(const std::vector<std::string>& modelPaths);

    Result<Prediction> predictFile(const std::string& path) const;
    Result<Prediction> predict(const audio::DecodedAudio& audio) const;
    // A mono 16 kHz signal of any length (padded or cropped to the model view).
    Result<Prediction> predictSignal(const std::vector<float>& samples16k) const;

    const std::vector<TrainedModel>& models() const { return m_models; }

private:
    std::vector<TrainedModel> m_models;
};

} // namespace ts::ml
