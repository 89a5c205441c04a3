#pragma once
// Each note's predicted classes from its embedding, without another pass of the network:
// timbre-net's heads are linear layers over the embedding (core/ml/detail/Network.cpp: family_head
// and source_head after the pooled features; their dropout acts only in training), so the class a
// head picks is the largest of W·e + b, read from the model file's weights (the calibration's
// temperature divides every logit alike and cannot change which is largest). The map colours
// thousands of notes right or wrong this way from the embeddings it already holds.
#include <string>
#include <vector>

#include "ml/ModelFile.h"
#include "ml/TrainedModel.h"
#include "util/Result.h"

namespace ts::map {

struct HeadPredictions {
    std::vector<int> family;  // per row; empty when the model has no family head
    std::vector<int> source;  // per row; empty when the model has no source head
};

// A model file of format 1 is converted in memory first. Unsupported for a model whose heads are
// not linear layers named family_head / source_head over an embedding of embeddings.width values.
Result<HeadPredictions> predictFromEmbeddings(const ml::ModelFile& file, const ml::Embeddings& embeddings,
                                              const std::string& pathForErrors);

} // namespace ts::map
