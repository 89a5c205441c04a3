#pragma once
// A tiny synthetic training set for the ml tests: sines (family 0 / source 0), white noise
// (family 1 / source 1) and square waves (family 2 / source 2) at random pitches and levels,
// turned into an architecture's features by the same code the feature cache uses.
#include <cmath>
#include <random>

#include "dataset/FeatureCache.h"
#include "ml/Architecture.h"
#include "ml/TrainingSet.h"

inline ts::ml::TrainingSet makeToySet(const ts::ml::Architecture& architecture, int perClass, unsigned seed = 3)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> hz(110.0f, 880.0f), level(0.2f, 0.8f);
    std::normal_distribution<float> noise(0.0f, 1.0f);
    ts::ml::TrainingSet set;
    std::vector<float> data;
    std::vector<std::size_t> rowNote;
    const int n = perClass * 3;
    for (int i = 0; i < n; ++i) {
        const int kind = i % 3;
        const float f = hz(rng), a = level(rng);
        std::vector<float> signal(64000);
        for (std::size_t t = 0; t < signal.size(); ++t) {
            const float phase = std::sin(2.0f * float(M_PI) * f * float(t) / 16000.0f);
            signal[t] = a * (kind == 0 ? phase : kind == 1 ? 0.3f * noise(rng) : (phase >= 0 ? 0.5f : -0.5f));
        }
        const auto features = ts::dataset::computeFeatures(architecture.features, signal);
        data.insert(data.end(), features.begin(), features.end());
        rowNote.push_back(std::size_t(i));
        set.family.push_back(kind);
        set.source.push_back(kind);
        set.noteNames.push_back("toy_" + std::to_string(i));
        // Every third trio goes to validation, every fourth to test, the rest to training.
        const int trio = i / 3;
        (trio % 4 == 3 ? set.test : trio % 3 == 2 ? set.validation : set.train).push_back(std::size_t(i));
    }
    set.features = ts::dataset::FeatureMatrix(architecture.features.shape(), rowNote, std::move(data));
    set.dataPath = "toy";
    set.dataFingerprint = "toy-" + std::to_string(seed);
    set.splitName = "seed";
    return set;
}
