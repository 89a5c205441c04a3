#pragma once
// Temperature scaling (Guo et al., "On Calibration of Modern Neural Networks", 2017) and the figures
// that say whether a model's confidences can be taken at their word: the expected calibration error
// and the accuracy of its confident predictions. Plain C++ on plain vectors: the Trainer feeds it a
// head's validation logits, the Evaluator its probabilities, and tests hand-made numbers.
#include <cstddef>
#include <vector>

namespace ts::ml {

// The search range of fitTemperature: a temperature outside it means the logits carry no usable
// confidence at all (or the data is degenerate), and a bound is returned rather than a wild value.
constexpr double kMinTemperature = 0.05;
constexpr double kMaxTemperature = 20.0;

// The threshold of the "confident" figures: 80 %, a confidence a user would act on unchecked.
constexpr double kConfidentThreshold = 0.8;

// softmax(logits / temperature) of each row.
std::vector<std::vector<float>> softmaxWithTemperature(const std::vector<std::vector<float>>& logits, double temperature);

// Mean negative log-likelihood of the labels under softmax(logits / temperature); rows whose label
// is out of range are left out. 0 when no row counts.
double negativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& labels,
                             double temperature);

// The temperature that minimises negativeLogLikelihood, found by golden-section search over log T in
// [kMinTemperature, kMaxTemperature] (the NLL is convex in 1/T, so unimodal in log T, and the search
// is deterministic). Dividing logits by it changes no prediction, only the confidences. 1 when
// there is nothing to fit (no labelled row).
double fitTemperature(const std::vector<std::vector<float>>& logits, const std::vector<int>& labels);

// Expected calibration error of the top-class confidence: rows are put in `bins` equal-width bins
// (0, 1/bins], (1/bins, 2/bins], ... by the probability of their predicted class, and the gaps between
// each bin's accuracy and mean confidence are averaged, weighted by the bin's share of the rows.
// 0 for a perfectly calibrated set, at most 1. Rows whose label is out of range are left out.
double expectedCalibrationError(const std::vector<std::vector<float>>& probabilities, const std::vector<int>& labels,
                                int bins = 15);

// Of the predictions made with at least `threshold` confidence (top-class probability): how many,
// and how many of them were right.
struct ConfidentPredictions {
    double threshold = kConfidentThreshold;
    int n = 0;
    int correct = 0;
    double accuracy() const { return n ? double(correct) / double(n) : 0.0; }
};

ConfidentPredictions confidentPredictions(const std::vector<std::vector<float>>& probabilities,
                                          const std::vector<int>& labels, double threshold = kConfidentThreshold);

} // namespace ts::ml
