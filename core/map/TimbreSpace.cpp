#include "map/TimbreSpace.h"

#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <faiss/VectorTransform.h>
#include <faiss/impl/io.h>
#include <faiss/index_io.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "dataset/FeatureCache.h"

namespace ts::map {

namespace {

constexpr std::size_t kEmbedBatch = 64;        // rows per forward pass (as evaluation scores them)
constexpr int kGraphNeighbours = 32;           // HNSW links per node
constexpr int kGraphSearchBreadth = 64;        // HNSW efSearch: recall near 1 at 300,000 notes
constexpr std::size_t kAgreementQueries = 20'000;  // rows neighbourAgreement asks about at most
constexpr int kPlaneRowsPerDimension = 200;        // rows the principal plane is fitted on, per dimension

} // namespace

Result<DatasetEmbedding> embedDataset(const ml::TrainedModel& model, const dataset::Dataset& dataset,
                                      const ProgressSink& progress, const CancellationToken& cancel)
{
    auto features = dataset::FeatureCache().load(dataset, model.architecture().features, progress, cancel);
    if (!features)
        return features.error();
    DatasetEmbedding out;
    out.noteIndex = features->rowNote();
    const std::size_t rows = features->rows();
    std::vector<std::size_t> order(rows);
    std::iota(order.begin(), order.end(), 0);
    std::vector<float> batch(kEmbedBatch * features->rowSize());
    for (std::size_t begin = 0; begin < rows; begin += kEmbedBatch) {
        if (cancel.isCancelled())
            return makeError(ErrorCode::Cancelled, "embedding cancelled", dataset.folder());
        const std::size_t end = std::min(rows, begin + kEmbedBatch);
        if (auto read = features->readRows(order, begin, end, batch.data()); !read)
            return read.error();
        auto embedded = model.embed(batch.data(), end - begin);
        if (!embedded)
            return embedded.error();
        out.embeddings.width = embedded->width;
        out.embeddings.values.insert(out.embeddings.values.end(), embedded->values.begin(), embedded->values.end());
        if (progress)
            progress(Progress{end, rows, "embedding notes"});
    }
    return out;
}

Result<Plane> principalPlane(const ml::Embeddings& embeddings)
{
    const std::size_t rows = embeddings.rows();
    if (rows < 2 || embeddings.width < 2)
        return makeError(ErrorCode::InvalidArgument, "a plane needs at least 2 notes of at least 2 values each");
    faiss::PCAMatrix pca(int(embeddings.width), 2);
    // The directions from at most 200 rows per dimension (51,200 for timbre-net), drawn at random by
    // FAISS with a fixed seed: the plane of 300,000 notes in about a third of a second, where the
    // whole covariance took 1.7 s; then every row is projected.
    pca.max_points_per_d = kPlaneRowsPerDimension;
    pca.train(faiss::Index::idx_t(rows), embeddings.values.data());
    Plane plane;
    plane.xy.resize(rows * 2);
    pca.apply_noalloc(faiss::Index::idx_t(rows), embeddings.values.data(), plane.xy.data());
    double total = 0.0;
    for (float e : pca.eigenvalues)
        total += std::max(0.0f, e);
    if (total > 0.0 && pca.eigenvalues.size() >= 2)
        plane.explainedVariance = (std::max(0.0f, pca.eigenvalues[0]) + std::max(0.0f, pca.eigenvalues[1])) / total;
    return plane;
}

NeighbourIndex::NeighbourIndex(const ml::Embeddings& embeddings, std::size_t exactLimit)
    : m_width(embeddings.width), m_exact(embeddings.rows() <= exactLimit)
{
    if (m_exact) {
        m_index = std::make_unique<faiss::IndexFlatL2>(faiss::Index::idx_t(m_width));
    } else {
        auto graph = std::make_unique<faiss::IndexHNSWFlat>(int(m_width), kGraphNeighbours);
        graph->hnsw.efSearch = kGraphSearchBreadth;
        m_index = std::move(graph);
    }
    if (embeddings.rows() > 0)
        m_index->add(faiss::Index::idx_t(embeddings.rows()), embeddings.values.data());
}

std::size_t NeighbourIndex::rows() const { return m_index ? std::size_t(m_index->ntotal) : 0; }

std::string NeighbourIndex::serialise() const
{
    faiss::VectorIOWriter writer;
    faiss::write_index(m_index.get(), &writer);
    return std::string(writer.data.begin(), writer.data.end());
}

Result<NeighbourIndex> NeighbourIndex::deserialise(std::string_view bytes)
{
    try {
        faiss::VectorIOReader reader;
        reader.data.assign(bytes.begin(), bytes.end());
        std::unique_ptr<faiss::Index> read(faiss::read_index(&reader));
        NeighbourIndex index;
        if (auto* graph = dynamic_cast<faiss::IndexHNSWFlat*>(read.get())) {
            graph->hnsw.efSearch = kGraphSearchBreadth;
            index.m_exact = false;
        } else if (dynamic_cast<faiss::IndexFlatL2*>(read.get())) {
            index.m_exact = true;
        } else {
            return makeError(ErrorCode::BadFormat, "not a neighbour index of ours");
        }
        index.m_width = std::size_t(read->d);
        index.m_index = std::move(read);
        return index;
    } catch (const std::exception& e) {
        return makeError(ErrorCode::BadFormat, std::string("damaged neighbour index: ") + e.what());
    }
}

NeighbourIndex::~NeighbourIndex() = default;
NeighbourIndex::NeighbourIndex(NeighbourIndex&&) noexcept = default;
NeighbourIndex& NeighbourIndex::operator=(NeighbourIndex&&) noexcept = default;

std::vector<Neighbour> NeighbourIndex::nearest(const float* query, std::size_t k, long skip) const
{
    const auto total = std::size_t(m_index->ntotal);
    const std::size_t asked = std::min(total, k + (skip >= 0 ? 1 : 0));
    if (asked == 0)
        return {};
    std::vector<float> distances(asked);
    std::vector<faiss::Index::idx_t> labels(asked);
    m_index->search(1, query, faiss::Index::idx_t(asked), distances.data(), labels.data());
    std::vector<Neighbour> found;
    for (std::size_t i = 0; i < asked && found.size() < k; ++i) {
        if (labels[i] < 0 || labels[i] == skip)
            continue;
        found.push_back(Neighbour{std::size_t(labels[i]), std::sqrt(std::max(0.0f, distances[i]))});  // L2 search gives squares
    }
    return found;
}

std::vector<std::vector<Neighbour>> NeighbourIndex::nearestOfRows(const ml::Embeddings& embeddings,
                                                                  const std::vector<std::size_t>& rows, std::size_t k) const
{
    const std::size_t asked = std::min(std::size_t(m_index->ntotal), k + 1);
    std::vector<std::vector<Neighbour>> found(rows.size());
    if (asked == 0)
        return found;
    constexpr std::size_t kChunk = 4096;
    std::vector<float> queries, distances;
    std::vector<faiss::Index::idx_t> labels;
    for (std::size_t begin = 0; begin < rows.size(); begin += kChunk) {
        const std::size_t end = std::min(rows.size(), begin + kChunk);
        queries.resize((end - begin) * m_width);
        for (std::size_t i = begin; i < end; ++i)
            std::copy_n(embeddings.row(rows[i]), m_width, queries.begin() + std::ptrdiff_t((i - begin) * m_width));
        distances.resize((end - begin) * asked);
        labels.resize((end - begin) * asked);
        m_index->search(faiss::Index::idx_t(end - begin), queries.data(), faiss::Index::idx_t(asked), distances.data(), labels.data());
        for (std::size_t i = begin; i < end; ++i) {
            for (std::size_t j = 0; j < asked && found[i].size() < k; ++j) {
                const faiss::Index::idx_t label = labels[(i - begin) * asked + j];
                if (label < 0 || std::size_t(label) == rows[i])
                    continue;
                found[i].push_back(Neighbour{std::size_t(label), std::sqrt(std::max(0.0f, distances[(i - begin) * asked + j]))});
            }
        }
    }
    return found;
}

std::vector<std::size_t> evenlySpacedRows(std::size_t rows, std::size_t most)
{
    const std::size_t limit = std::max<std::size_t>(1, most);
    const std::size_t step = std::max<std::size_t>(1, (rows + limit - 1) / limit);  // so no more than `most`
    std::vector<std::size_t> out;
    for (std::size_t row = 0; row < rows; row += step)
        out.push_back(row);
    return out;
}

double neighbourAgreement(const NeighbourIndex& index, const ml::Embeddings& embeddings, const std::vector<int>& labels,
                          std::size_t k)
{
    const std::size_t rows = std::min(embeddings.rows(), labels.size());
    if (rows < 2 || k == 0)
        return 0.0;
    // Every row of a small set; evenly spaced rows of a large one (the figure settles long before).
    const std::vector<std::size_t> asked = evenlySpacedRows(rows, kAgreementQueries);
    const auto near = index.nearestOfRows(embeddings, asked, k);
    double sum = 0.0;
    std::size_t counted = 0;
    for (std::size_t i = 0; i < asked.size(); ++i) {
        if (near[i].empty())
            continue;
        std::size_t same = 0;
        for (const Neighbour& n : near[i])
            same += n.row < labels.size() && labels[n.row] == labels[asked[i]] ? 1 : 0;
        sum += double(same) / double(near[i].size());
        ++counted;
    }
    return counted == 0 ? 0.0 : sum / double(counted);
}

} // namespace ts::map
