#pragma once
// A dataset's embeddings by a model, kept on disk ($XDG_CACHE_HOME/timbrescope/embeddings): the map
// and "sounds like this" need every note's embedding on each use, and computing them is a pass of
// the model over the whole dataset. Keyed by the dataset's fingerprint and the model file's bytes;
// written atomically; a stale or damaged file is computed again.
#include <optional>
#include <string>
#include <vector>

#include "dataset/Dataset.h"
#include "map/NeighbourLayout.h"
#include "map/TimbreSpace.h"
#include "ml/TrainedModel.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::map {

class EmbeddingCache {
public:
    // folder empty: $XDG_CACHE_HOME/timbrescope/embeddings (or ~/.cache/timbrescope/embeddings).
    explicit EmbeddingCache(std::string folder = {});

    // The cached embeddings, or embedDataset's, stored for next time (a file that cannot be
    // written is a notice on `progress`, not an error).
    Result<DatasetEmbedding> load(const ml::TrainedModel& model, const dataset::Dataset& dataset,
                                  const ProgressSink& progress = {}, const CancellationToken& cancel = {}) const;
    // The file for this dataset and model (named after the dataset's folder and the model's path,
    // so a retrained model or a changed dataset replaces its old file).
    std::string pathFor(const ml::TrainedModel& model, const dataset::Dataset& dataset) const;

    // The neighbour index of these embeddings: an exact one is built (in no time); an HNSW graph
    // (beyond NeighbourIndex::kExactLimit rows, minutes to build at 300,000) is read from beside
    // their file (EMBEDDINGS.index) when it was built from the same values, else built and stored
    // there (a file that cannot be written is a notice on `progress`).
    NeighbourIndex loadIndex(const std::string& embeddingsPath, const ml::Embeddings& embeddings,
                             const ProgressSink& progress = {}) const;

    // A neighbourhood layout of these embeddings kept beside their file (EMBEDDINGS.layout), keyed
    // by a hash of the embeddings' values and the settings: a layout of other embeddings or other
    // settings is never returned. Storing is atomic; a layout that cannot be stored is an error
    // the caller may pass on as a notice.
    std::optional<std::vector<float>> loadLayout(const std::string& embeddingsPath, const ml::Embeddings& embeddings,
                                                 const LayoutSettings& settings) const;
    Status storeLayout(const std::string& embeddingsPath, const ml::Embeddings& embeddings, const LayoutSettings& settings,
                       const std::vector<float>& xy) const;

private:
    std::string m_folder;
};

} // namespace ts::map
