#pragma once
// A 2D layout of the embeddings that keeps each note's neighbourhood: close notes stay close, where
// the principal plane (TimbreSpace.h) keeps only the two widest directions and lays distant groups
// over each other. The method follows UMAP's recipe (McInnes, Healy and Melville, 2018), written here
// because Debian ships no C++ UMAP or t-SNE:
//  1. each note's k nearest neighbours from the FAISS index (NeighbourIndex);
//  2. fuzzy membership weights: w = exp(-(d - rho) / sigma), rho the distance to the nearest
//     neighbour, sigma chosen per note (bisection) so that the weights sum to log2(k); the two
//     directions of an edge joined as a + b - a·b;
//  3. starting from the principal plane (scaled to a box of side 20), stochastic gradient steps:
//     each edge pulls its two ends together as often as its weight says (the attraction of the curve
//     1 / (1 + a d^2b), a = 1.577, b = 0.895: UMAP's fit for min_dist 0.1), and each pull pushes the
//     first end away from 5 notes drawn at random; every edge is taken in both directions, so both
//     ends are pushed; the step shrinks linearly to 0 over the epochs.
// Single-threaded and seeded, so the same embeddings give the same layout. The caller sees the
// layout refine: `snapshot` receives it every few epochs.
#include <cstdint>
#include <functional>
#include <vector>

#include "map/TimbreSpace.h"
#include "ml/TrainedModel.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::map {

// The layout's recipe; a change to the method that changes its output bumps it, so cached layouts of
// an older recipe are computed again.
constexpr int kLayoutVersion = 2;

struct LayoutSettings {
    int neighbours = 15;
    int epochs = 0;  // 0: 500 up to 10,000 notes, 200 beyond (UMAP's defaults)
    int negativeSamples = 5;
    std::uint64_t seed = 1;

    int epochsFor(std::size_t rows) const { return epochs > 0 ? epochs : rows <= 10'000 ? 500 : 200; }
};

// rows × 2 floats, x and y of each row of `embeddings`. `initial` is the starting layout (rows × 2,
// usually the principal plane). Progress counts epochs; a cancel returns Cancelled.
using LayoutSnapshot = std::function<void(const std::vector<float>& xy, int epoch, int epochs)>;
Result<std::vector<float>> neighbourLayout(const ml::Embeddings& embeddings, const NeighbourIndex& index,
                                           const std::vector<float>& initial, const LayoutSettings& settings = {},
                                           const ProgressSink& progress = {}, const CancellationToken& cancel = {},
                                           const LayoutSnapshot& snapshot = {});

// The share of each row's k nearest neighbours in the embedding that are also among its k nearest
// on the layout, averaged over up to 5,000 evenly spaced rows (1 = every neighbourhood kept).
double neighbourhoodKept(const ml::Embeddings& embeddings, const NeighbourIndex& index, const std::vector<float>& xy,
                         std::size_t k = 10);

} // namespace ts::map
