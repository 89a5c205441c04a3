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
#include "ml/Architecture.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::ml {

struct TrainingSet {
    dataset::FeatureMatrix features;
    std::vector<int> family;   // per feature row (dataset::kUnknownLabel where not known)
    std::vector<int> source;   // per feature row
    // A dataset's own classes (Dataset::classNames) and each row's index in them (-1: none). When
    // there are own classes, models learn them (ownClassArchitecture) and the parts hold only rows
    // that have one; otherwise the parts hold only rows whose family and source are known.
    std::vector<std::string> classNames;
    std::vector<int> ownClass;
    std::vector<std::size_t> train;       // feature rows
    std::vector<std::size_t> validation;
    std::vector<std::size_t> test;
    std::string dataPath;        // for the model file's metadata
    std::string dataFingerprint;
    std::string dataNotesFingerprint;  // which notes, not their files' times (Dataset::notesFingerprint)
    std::string splitName;
    std::vector<std::string> noteNames;  // per feature row (note_str), for per-note predictions
    // Simulated recordings of the same notes (FeatureSettings::recording 1, 2, ...), row for row
    // as `features`: training takes a note from one of them instead of the clean render at
    // random. Empty when the model trains on the renders only.
    std::vector<dataset::FeatureMatrix> recordings;

    // Each row's class index for a target (family, source or ownClass).
    const std::vector<int>& labels(Target target) const
    {
        return target == Target::Family ? family : target == Target::Source ? source : ownClass;
    }
};

// The architecture to train on `data`: `base` itself, or, for a dataset of own classes, `base` with
// one head for them (withOwnClasses; the seed's models are refused).
Result<Architecture> architectureFor(const Architecture& base, const TrainingSet& data);

// Maps a dataset split (note indices) to feature rows; notes without features are dropped.
Result<TrainingSet> makeTrainingSet(const dataset::Dataset& dataset, const dataset::FeatureMatrix& features,
                                    const dataset::Split& split, const std::string& splitName);

// Loads a dataset folder, splits it ("seed", "random" or "instrument", seeded) and takes the
// architecture's features from the feature cache (decoding only what is not cached yet; `progress`
// reports that work). Shared by the CLI's train/evaluate and the UI's training and evaluation.
// `recordings` simulated recordings of each note are loaded too (computed once, then cached).
Result<TrainingSet> loadTrainingSet(const std::string& dataFolder, const Architecture& architecture,
                                    const std::string& splitName, std::uint64_t seed,
                                    const ProgressSink& progress = {}, const CancellationToken& cancel = {},
                                    int recordings = 0);

// How many simulated recordings training an architecture uses: timbre-net's, none for the seed's
// models (reproduced as the seed trained them).
int simulatedRecordingsFor(const Architecture& architecture);

} // namespace ts::ml
