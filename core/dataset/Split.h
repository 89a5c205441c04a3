#pragma once
// Train / validation / test splits of a dataset's usable notes.
//  seed:       first 75 % / last 25 % in file order, as the seed did; validation is the last
//              part of the training side (so early stopping never sees the test part).
//  random:     stratified by family, seeded.
//  instrument: no instrument on two sides, stratified by family as far as possible, seeded.
//  generator:NAME: leave one generator out. Every note of that sound generator is the test part;
//              the other generators' notes are split by instrument into training and validation.
//              The honest question for real recordings: how well does a model trained on some
//              generators recognise a family played by a generator it never heard?
//  final:      for a model to ship: every instrument trains except a validation part (by instrument,
//              for the kept epoch and the calibration); there is no test part. Measure the recipe
//              with the instrument split or leave-one-generator-out; a final model's notes are all
//              heard or used for validation.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dataset/Dataset.h"
#include "util/Result.h"

namespace ts::dataset {

enum class SplitPolicy { Seed, Random, Instrument, Generator, Final };

std::string splitPolicyName(SplitPolicy policy);  // "generator" for Generator
// "seed", "random", "instrument", "final", or "generator:NAME" (the name goes to SplitOptions).
std::optional<SplitPolicy> parseSplitPolicy(const std::string& name);
// The NAME of "generator:NAME", else empty.
std::string heldOutGeneratorOf(const std::string& splitName);

struct SplitOptions {
    SplitPolicy policy = SplitPolicy::Instrument;
    std::uint64_t seed = 1;
    double testFraction = 0.25;
    double validationFraction = 0.15;  // of the training side
    std::string heldOutGenerator;      // Generator policy: the generator whose notes are the test part
};

struct Split {
    std::vector<std::size_t> train;       // indices into Dataset::notes()
    std::vector<std::size_t> validation;
    std::vector<std::size_t> test;
};

// Errors when the dataset has too few usable notes (or instruments) to split.
Result<Split> makeSplit(const Dataset& dataset, const SplitOptions& options);

} // namespace ts::dataset
