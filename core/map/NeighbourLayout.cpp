#include "map/NeighbourLayout.h"

#include <faiss/IndexFlat.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "util/SplitMix64.h"

namespace ts::map {

namespace {

// UMAP's curve 1 / (1 + a d^2b) fitted to min_dist 0.1, spread 1.
constexpr float kCurveA = 1.577f;
constexpr float kCurveB = 0.895f;
constexpr float kGradientClip = 4.0f;
constexpr float kStartBox = 10.0f;  // the initial layout spans -10..10 on its wider axis
constexpr std::size_t kKeptQueries = 5'000;

struct Edge {
    std::uint32_t a = 0, b = 0;
    float weight = 0.0f;
};

// A uniform draw below n from SplitMix64 (the same sequence on every machine).
std::uint32_t below(SplitMix64& random, std::uint32_t n) { return std::uint32_t((random.next() >> 32) * n >> 32); }

// Per row, the weights of its edges to its neighbours (step 2 of the header), then both directions
// of each edge joined.
std::vector<Edge> fuzzyGraph(const std::vector<std::vector<Neighbour>>& near)
{
    std::vector<Edge> directed;
    for (std::size_t i = 0; i < near.size(); ++i) {
        const auto& ns = near[i];
        if (ns.empty())
            continue;
        const float rho = ns.front().distance;
        const double target = std::log2(double(ns.size()));
        double lo = 0.0, hi = 1e30, sigma = 1.0;
        for (int step = 0; step < 64; ++step) {
            double sum = 0.0;
            for (const Neighbour& n : ns)
                sum += std::exp(-std::max(0.0, double(n.distance - rho)) / sigma);
            if (std::abs(sum - target) < 1e-5)
                break;
            if (sum > target) {
                hi = sigma;
                sigma = (lo + hi) / 2.0;
            } else {
                lo = sigma;
                sigma = hi >= 1e30 ? sigma * 2.0 : (lo + hi) / 2.0;
            }
        }
        for (const Neighbour& n : ns) {
            const float w = float(std::exp(-std::max(0.0, double(n.distance - rho)) / sigma));
            directed.push_back(Edge{std::uint32_t(std::min(i, n.row)), std::uint32_t(std::max(i, n.row)), w});
        }
    }
    std::sort(directed.begin(), directed.end(), [](const Edge& x, const Edge& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
    std::vector<Edge> joined;
    for (std::size_t i = 0; i < directed.size(); ++i) {
        if (!joined.empty() && joined.back().a == directed[i].a && joined.back().b == directed[i].b) {
            const float w = joined.back().weight;
            joined.back().weight = w + directed[i].weight - w * directed[i].weight;
        } else if (directed[i].a != directed[i].b) {
            joined.push_back(directed[i]);
        }
    }
    return joined;
}

// The starting layout scaled so its wider axis spans -kStartBox..kStartBox.
std::vector<float> scaledStart(const std::vector<float>& initial, std::size_t rows)
{
    std::vector<float> xy(initial.begin(), initial.begin() + std::ptrdiff_t(rows * 2));
    float lo[2] = {1e30f, 1e30f}, hi[2] = {-1e30f, -1e30f};
    for (std::size_t i = 0; i < rows; ++i)
        for (int d = 0; d < 2; ++d) {
            lo[d] = std::min(lo[d], xy[2 * i + std::size_t(d)]);
            hi[d] = std::max(hi[d], xy[2 * i + std::size_t(d)]);
        }
    const float span = std::max({hi[0] - lo[0], hi[1] - lo[1], 1e-12f});
    for (std::size_t i = 0; i < rows; ++i)
        for (int d = 0; d < 2; ++d)
            xy[2 * i + std::size_t(d)] = (xy[2 * i + std::size_t(d)] - (lo[d] + hi[d]) / 2.0f) * (2.0f * kStartBox / span);
    return xy;
}

float clipped(float g) { return std::clamp(g, -kGradientClip, kGradientClip); }

} // namespace

Result<std::vector<float>> neighbourLayout(const ml::Embeddings& embeddings, const NeighbourIndex& index,
                                           const std::vector<float>& initial, const LayoutSettings& settings,
                                           const ProgressSink& progress, const CancellationToken& cancel,
                                           const LayoutSnapshot& snapshot)
{
    const std::size_t rows = embeddings.rows();
    if (rows < 3)
        return makeError(ErrorCode::InvalidArgument, "a neighbourhood layout needs at least 3 notes");
    if (initial.size() != rows * 2)
        return makeError(ErrorCode::InvalidArgument, "the starting layout has " + std::to_string(initial.size() / 2) + " rows, not "
                                                         + std::to_string(rows));
    if (rows >= (std::size_t(1) << 32) || settings.neighbours < 2)
        return makeError(ErrorCode::InvalidArgument, "a neighbourhood layout needs 2 or more neighbours and under 2^32 notes");
    const int epochs = settings.epochsFor(rows);

    if (progress)
        progress(Progress{0, std::size_t(epochs), "finding neighbours"});
    std::vector<std::size_t> all(rows);
    std::iota(all.begin(), all.end(), 0);
    const std::vector<Edge> edges = fuzzyGraph(index.nearestOfRows(embeddings, all, std::size_t(settings.neighbours)));
    if (cancel.isCancelled())
        return makeError(ErrorCode::Cancelled, "layout cancelled");

    // An edge is pulled once every maxWeight / weight epochs; edges that would be pulled less than
    // once in the whole run are left out (as UMAP does).
    float maxWeight = 0.0f;
    for (const Edge& e : edges)
        maxWeight = std::max(maxWeight, e.weight);
    std::vector<Edge> used;
    std::vector<float> every, next, everyNegative, nextNegative;
    // Both directions of each edge, as UMAP's symmetric graph has them: each end is pulled, and
    // pushed away from random notes, as often as the other.
    for (const Edge& e : edges) {
        if (e.weight < maxWeight / float(epochs))
            continue;
        for (const Edge& directed : {e, Edge{e.b, e.a, e.weight}}) {
            used.push_back(directed);
            every.push_back(maxWeight / e.weight);
        }
    }
    next = every;
    for (float e : every)
        everyNegative.push_back(e / float(settings.negativeSamples));
    nextNegative = everyNegative;

    std::vector<float> xy = scaledStart(initial, rows);
    SplitMix64 random(settings.seed);
    const int snapshotEvery = std::max(1, epochs / 25);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        if (cancel.isCancelled())
            return makeError(ErrorCode::Cancelled, "layout cancelled");
        const float step = 1.0f - float(epoch) / float(epochs);
        const float now = float(epoch + 1);  // UMAP counts epochs from 1
        for (std::size_t e = 0; e < used.size(); ++e) {
            if (next[e] > now)
                continue;
            float* p = &xy[2 * std::size_t(used[e].a)];
            float* q = &xy[2 * std::size_t(used[e].b)];
            const float dx = p[0] - q[0], dy = p[1] - q[1];
            const float d2 = dx * dx + dy * dy;
            if (d2 > 0.0f) {
                const float d2b = std::pow(d2, kCurveB);
                const float pull = -2.0f * kCurveA * kCurveB * d2b / d2 / (kCurveA * d2b + 1.0f);
                const float gx = clipped(pull * dx) * step, gy = clipped(pull * dy) * step;
                p[0] += gx;
                p[1] += gy;
                q[0] -= gx;
                q[1] -= gy;
            }
            next[e] += every[e];
            const int negatives = int((now - nextNegative[e]) / everyNegative[e]);
            for (int n = 0; n < negatives; ++n) {
                const float* r = &xy[2 * std::size_t(below(random, std::uint32_t(rows)))];
                if (r == p)
                    continue;
                const float rx = p[0] - r[0], ry = p[1] - r[1];
                const float r2 = rx * rx + ry * ry;
                if (r2 > 0.0f) {
                    const float push = 2.0f * kCurveB / ((0.001f + r2) * (kCurveA * std::pow(r2, kCurveB) + 1.0f));
                    p[0] += clipped(push * rx) * step;
                    p[1] += clipped(push * ry) * step;
                } else {
                    p[0] += kGradientClip * step;
                    p[1] += kGradientClip * step;
                }
            }
            nextNegative[e] += float(std::max(0, negatives)) * everyNegative[e];
        }
        if (progress)
            progress(Progress{std::size_t(epoch + 1), std::size_t(epochs), "laying out"});
        if (snapshot && (epoch + 1) % snapshotEvery == 0 && epoch + 1 < epochs)
            snapshot(xy, epoch + 1, epochs);
    }
    return xy;
}

double neighbourhoodKept(const ml::Embeddings& embeddings, const NeighbourIndex& index, const std::vector<float>& xy,
                         std::size_t k)
{
    const std::size_t rows = std::min(embeddings.rows(), xy.size() / 2);
    if (rows < 2 || k == 0)
        return 0.0;
    const std::vector<std::size_t> asked = evenlySpacedRows(rows, kKeptQueries);
    const auto inEmbedding = index.nearestOfRows(embeddings, asked, k);
    faiss::IndexFlatL2 plane(2);
    plane.add(faiss::Index::idx_t(rows), xy.data());
    const std::size_t wanted = std::min(rows, k + 1);
    std::vector<float> queries(asked.size() * 2), distances(asked.size() * wanted);
    std::vector<faiss::Index::idx_t> labels(asked.size() * wanted);
    for (std::size_t i = 0; i < asked.size(); ++i) {
        queries[2 * i] = xy[2 * asked[i]];
        queries[2 * i + 1] = xy[2 * asked[i] + 1];
    }
    plane.search(faiss::Index::idx_t(asked.size()), queries.data(), faiss::Index::idx_t(wanted), distances.data(), labels.data());
    double sum = 0.0;
    for (std::size_t i = 0; i < asked.size(); ++i) {
        std::set<std::size_t> onPlane;
        for (std::size_t j = 0; j < wanted && onPlane.size() < k; ++j)
            if (labels[i * wanted + j] >= 0 && std::size_t(labels[i * wanted + j]) != asked[i])
                onPlane.insert(std::size_t(labels[i * wanted + j]));
        std::size_t kept = 0;
        for (const Neighbour& n : inEmbedding[i])
            kept += onPlane.count(n.row);
        sum += inEmbedding[i].empty() ? 0.0 : double(kept) / double(inEmbedding[i].size());
    }
    return sum / double(asked.size());
}

} // namespace ts::map
