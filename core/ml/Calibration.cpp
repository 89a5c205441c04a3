#include "ml/Calibration.h"

#include <algorithm>
#include <cmath>

namespace ts::ml {

namespace {

bool labelled(const std::vector<float>& row, int label)
{
    return label >= 0 && std::size_t(label) < row.size();
}

std::size_t topClass(const std::vector<float>& row)
{
    return std::size_t(std::max_element(row.begin(), row.end()) - row.begin());
}

} // namespace

std::vector<std::vector<float>> softmaxWithTemperature(const std::vector<std::vector<float>>& logits, double temperature)
{
    std::vector<std::vector<float>> out;
    out.reserve(logits.size());
    for (const auto& row : logits) {
        std::vector<float> p(row.size());
        if (!row.empty()) {
            // Shifted by the largest logit so exp never overflows; the shift cancels in the ratio.
            const double top = *std::max_element(row.begin(), row.end());
            double sum = 0.0;
            for (std::size_t c = 0; c < row.size(); ++c)
                sum += std::exp((double(row[c]) - top) / temperature);
            for (std::size_t c = 0; c < row.size(); ++c)
                p[c] = float(std::exp((double(row[c]) - top) / temperature) / sum);
        }
        out.push_back(std::move(p));
    }
    return out;
}

double negativeLogLikelihood(const std::vector<std::vector<float>>& logits, const std::vector<int>& labels,
                             double temperature)
{
    double total = 0.0;
    std::size_t counted = 0;
    for (std::size_t i = 0; i < logits.size() && i < labels.size(); ++i) {
        const auto& row = logits[i];
        if (!labelled(row, labels[i]))
            continue;
        const double top = *std::max_element(row.begin(), row.end()) / temperature;
        double sum = 0.0;
        for (float z : row)
            sum += std::exp(double(z) / temperature - top);
        // -log softmax(z / T)[y] = logsumexp(z / T) - z_y / T
        total += top + std::log(sum) - double(row[std::size_t(labels[i])]) / temperature;
        ++counted;
    }
    return counted ? total / double(counted) : 0.0;
}

double fitTemperature(const std::vector<std::vector<float>>& logits, const std::vector<int>& labels)
{
    bool any = false;
    for (std::size_t i = 0; i < logits.size() && i < labels.size() && !any; ++i)
        any = labelled(logits[i], labels[i]);
    if (!any)
        return 1.0;
    auto nll = [&](double logT) { return negativeLogLikelihood(logits, labels, std::exp(logT)); };
    const double invPhi = (std::sqrt(5.0) - 1.0) / 2.0;
    double a = std::log(kMinTemperature), b = std::log(kMaxTemperature);
    double c = b - invPhi * (b - a), d = a + invPhi * (b - a);
    double fc = nll(c), fd = nll(d);
    // 1e-6 in log T is a relative precision of 1e-6 in T: far below what the data can tell.
    while (b - a > 1e-6) {
        if (fc <= fd) {
            b = d;
            d = c;
            fd = fc;
            c = b - invPhi * (b - a);
            fc = nll(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + invPhi * (b - a);
            fd = nll(d);
        }
    }
    return std::exp((a + b) / 2.0);
}

double expectedCalibrationError(const std::vector<std::vector<float>>& probabilities, const std::vector<int>& labels,
                                int bins)
{
    bins = std::max(1, bins);
    std::vector<double> confidence(std::size_t(bins), 0.0), correct(std::size_t(bins), 0.0);
    std::vector<std::size_t> count(std::size_t(bins), 0);
    std::size_t n = 0;
    for (std::size_t i = 0; i < probabilities.size() && i < labels.size(); ++i) {
        const auto& row = probabilities[i];
        if (!labelled(row, labels[i]))
            continue;
        const std::size_t top = topClass(row);
        const double c = row[top];
        // Bins are closed on the right, as in Guo et al.'s code: 1.0 falls in the last bin, k/bins in bin k-1.
        const int bin = std::clamp(int(std::ceil(c * bins)) - 1, 0, bins - 1);
        confidence[std::size_t(bin)] += c;
        correct[std::size_t(bin)] += top == std::size_t(labels[i]) ? 1.0 : 0.0;
        ++count[std::size_t(bin)];
        ++n;
    }
    if (n == 0)
        return 0.0;
    double ece = 0.0;
    for (std::size_t b = 0; b < std::size_t(bins); ++b)
        if (count[b])
            ece += std::abs(correct[b] - confidence[b]) / double(n);  // = share × |accuracy - mean confidence|
    return ece;
}

ConfidentPredictions confidentPredictions(const std::vector<std::vector<float>>& probabilities,
                                          const std::vector<int>& labels, double threshold)
{
    ConfidentPredictions result;
    result.threshold = threshold;
    for (std::size_t i = 0; i < probabilities.size() && i < labels.size(); ++i) {
        const auto& row = probabilities[i];
        if (!labelled(row, labels[i]))
            continue;
        const std::size_t top = topClass(row);
        if (double(row[top]) >= threshold) {
            ++result.n;
            result.correct += top == std::size_t(labels[i]);
        }
    }
    return result;
}

} // namespace ts::ml
