#pragma once
// Features and labels of the notes a model learns from and is tested on: one FeatureMatrix row per
// note plus its family and source, and which rows belong to train / validation / test. Built from
// a dataset + split, or directly (tests use tiny synthetic sets).
#include <cstddef>
#include <string>
#include <vector>

#include "dataset/Dataset.h"
#include "dataset/FeatureCache.h"
#include "dataset/Split.h"
#include "util/Result.h"

namespace ts::ml {

struct TrainingSet {
    dataset::FeatureMatrix features;
    std::vector<int> family;   // per feature row
    std::vector<int> source;   // per feature row
    std::vector<std::size_t> train;       // feature rows
    std::vector<std::size_t> validation;
    std::vector<std::size_t> test;
    std::string dataPath;        // for the model file's metadata
    std::string dataFingerprint;
    std::string splitName;
    std::vector<std::string> noteNames;  // per feature row (note_str), for per-note predictions
};

// Maps a dataset split (note indices) to feature rows; notes without features are dropped.
Result<TrainingSet> makeTrainingSet(const dataset::Dataset& dataset, const dataset::FeatureMatrix& features,
                                    const dataset::Split& split, const std::string& splitName);

} // namespace ts::ml
