#pragma once
// A timbre-net model file trained in a test on pure tones: low tones (100 Hz and up) are "bass" on
// an "acoustic" source, high tones (1.5 kHz and up) "flute" on a "synthetic" one. Notes alternate
// low/high, each pair 3 % higher than the last; the first `trainNotes` train, the next
// `validationNotes` validate, the rest are the test part.
#include <QString>
#include <cmath>
#include <string>
#include <vector>

#include "audio/AudioFile.h"
#include "dataset/FeatureCache.h"
#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "ml/Trainer.h"
#include "ml/TrainingSet.h"

namespace toymodel {

struct ToyTimbreNetOptions {
    int notes = 24;
    int trainNotes = 16;
    int validationNotes = 4;
    int epochs = 12;
    std::uint64_t seed = 1;
};

inline std::vector<float> toneAt16k(double hz, double seconds)
{
    std::vector<float> s(std::size_t(seconds * 16000));
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = float(0.5 * std::sin(2.0 * M_PI * hz * double(i) / 16000));
    return s;
}

// Trains and saves the model; returns an empty string, or what went wrong.
inline QString trainToyTimbreNet(const QString& path, const ToyTimbreNetOptions& o = {})
{
    const auto architecture = ts::ml::findArchitecture("timbre-net");
    if (!architecture)
        return QStringLiteral("no timbre-net architecture");
    ts::ml::TrainingSet set;
    std::vector<float> features;
    std::vector<std::size_t> rowNote;
    for (int i = 0; i < o.notes; ++i) {
        const bool low = i % 2 == 0;
        const double hz = (low ? 100.0 : 1500.0) * (1.0 + 0.03 * (i / 2));
        const auto row = ts::dataset::computeFeatures(architecture->features, ts::audio::modelView(toneAt16k(hz, 4.0)));
        features.insert(features.end(), row.begin(), row.end());
        rowNote.push_back(std::size_t(i));
        set.family.push_back(low ? 0 : 2);  // bass, flute
        set.source.push_back(low ? 0 : 2);  // acoustic, synthetic
        (i < o.trainNotes ? set.train : i < o.trainNotes + o.validationNotes ? set.validation : set.test)
            .push_back(std::size_t(i));
        set.noteNames.push_back("toy_" + std::to_string(i));
    }
    set.features = ts::dataset::FeatureMatrix(architecture->features.shape(), rowNote, std::move(features));
    set.dataPath = "toy";
    set.dataFingerprint = "toy";
    set.splitName = "random";
    ts::ml::TrainingOptions options;
    options.architecture = "timbre-net";
    options.seed = o.seed;
    options.epochs = o.epochs;
    options.batchSize = 8;
    options.threads = 2;
    options.augment = false;
    const auto outcome = ts::ml::Trainer(options).run(set);
    if (!outcome)
        return QString::fromStdString(outcome.error().describe());
    const ts::Status saved = ts::ml::saveModelFile(path.toStdString(), outcome->model);
    return saved.ok() ? QString() : QString::fromStdString(saved.error().describe());
}

} // namespace toymodel
