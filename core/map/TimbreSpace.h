#pragma once
// The timbre space of a dataset: every usable note's embedding by a model (the values its heads
// read), a 2D layout of them (principal components), and a nearest-neighbour index over them
// (FAISS: exact up to 50,000 notes, an HNSW graph beyond), for the timbre map, "sounds like this"
// and the check that neighbours share a family.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dataset/Dataset.h"
#include "ml/TrainedModel.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace faiss {
struct Index;
}

namespace ts::map {

struct DatasetEmbedding {
    std::vector<std::size_t> noteIndex;  // the dataset note of each row (its usable notes, in order)
    ml::Embeddings embeddings;
};

// Every usable note's embedding, from the model's features in the feature cache (computed there
// first when missing, reported to `progress`), in batches. Unsupported for a model without an
// embedding (the seed's).
Result<DatasetEmbedding> embedDataset(const ml::TrainedModel& model, const dataset::Dataset& dataset,
                                      const ProgressSink& progress = {}, const CancellationToken& cancel = {});

struct Plane {
    std::vector<float> xy;             // rows × 2: each row on the first two principal components
    double explainedVariance = 0.0;    // the share of the total variance those two carry
};

// The embeddings projected on their first two principal components (centred; x along the first),
// fitted on at most 200 rows per dimension drawn at random (seeded) when there are more.
Result<Plane> principalPlane(const ml::Embeddings& embeddings);

struct Neighbour {
    std::size_t row = 0;
    float distance = 0.0f;  // Euclidean
};

class NeighbourIndex {
public:
    static constexpr std::size_t kExactLimit = 50'000;

    // Exact (every distance computed) up to `exactLimit` rows, an HNSW graph beyond. The index
    // keeps its own copy of the embeddings.
    explicit NeighbourIndex(const ml::Embeddings& embeddings, std::size_t exactLimit = kExactLimit);
    ~NeighbourIndex();
    NeighbourIndex(NeighbourIndex&&) noexcept;
    NeighbourIndex& operator=(NeighbourIndex&&) noexcept;

    bool exact() const { return m_exact; }
    std::size_t width() const { return m_width; }
    std::size_t rows() const;

    // FAISS's own serialisation of the index, and an index read back from it: for the embedding
    // cache (EmbeddingCache::loadIndex), whose index files are keyed by the values they index.
    // A failure of FAISS's reader is a BadFormat error.
    std::string serialise() const;
    static Result<NeighbourIndex> deserialise(std::string_view bytes);
    // The `k` rows nearest to `query` (width() floats), nearest first, leaving out row `skip`
    // (the query note itself) when it is not negative. Thread-safe.
    std::vector<Neighbour> nearest(const float* query, std::size_t k, long skip = -1) const;
    // The same for several rows of the indexed embeddings at once (in parallel), each leaving
    // itself out.
    std::vector<std::vector<Neighbour>> nearestOfRows(const ml::Embeddings& embeddings, const std::vector<std::size_t>& rows,
                                                      std::size_t k) const;

private:
    NeighbourIndex() = default;

    std::unique_ptr<faiss::Index> m_index;
    std::size_t m_width = 0;
    bool m_exact = true;
};

// Every row of `rows`, or evenly spaced ones when there are more than `most` (every rows/most-th):
// the rows a figure over the whole set asks about.
std::vector<std::size_t> evenlySpacedRows(std::size_t rows, std::size_t most);

// How well the embedding groups a label: over every row, the share of its k nearest other rows
// that carry its label, averaged.
double neighbourAgreement(const NeighbourIndex& index, const ml::Embeddings& embeddings, const std::vector<int>& labels,
                          std::size_t k = 10);

} // namespace ts::map
