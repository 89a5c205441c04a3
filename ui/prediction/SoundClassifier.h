#pragma once
// What the prediction worker needs from a model: its description and, for a decoded sound, the
// class scores of each target it predicts. MlSoundClassifier adapts core/ml's predictor to it;
// tests can give the panel a deterministic classifier to check rows, confidences and charts
// without training a network.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "audio/AudioFile.h"
#include "ui/prediction/PredictionResult.h"
#include "util/Result.h"

namespace ts::ui {

struct ClassifierOutput {
    std::optional<ClassScores> family;   // the whole file's answer
    std::optional<ClassScores> source;
    std::optional<ClassScores> ownClass;
    QVector<PredictedSegment> segments;  // each note's, when the classifier finds notes
};

class SoundClassifier {
public:
    virtual ~SoundClassifier() = default;
    virtual LoadedModel model() const = 0;
    // Called on the worker thread only, one sound at a time.
    virtual Result<ClassifierOutput> classify(const ts::audio::DecodedAudio& audio) = 0;
};

// Opens a model file (on the worker thread); errors say what is wrong with the file.
using ClassifierLoader = std::function<Result<std::unique_ptr<SoundClassifier>>(const std::string& path)>;

} // namespace ts::ui
