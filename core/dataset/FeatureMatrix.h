#pragma once
// A block of features, row i belonging to dataset note rowNote[i]. The rows live in memory (float32:
// what tests build and what a cache that could not be written holds) or in a feature cache file
// that is read a row at a time (float32 or float16), so a cache larger than memory trains and
// evaluates with bounded memory: the page cache holds what fits, nothing is mapped or copied whole.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "util/Result.h"

namespace ts::dataset {

// Where the rows of a FeatureMatrix come from when they are not in memory.
class FeatureRowSource {
public:
    virtual ~FeatureRowSource() = default;
    // Writes rows[begin..end) (row indices of the matrix) one after another to `out` as float32.
    virtual Status read(const std::vector<std::size_t>& rows, std::size_t begin, std::size_t end, float* out) const = 0;
    virtual std::string describe() const = 0;  // e.g. "float16 cache file /path/x.bin"
};

class FeatureMatrix {
public:
    FeatureMatrix() = default;
    FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::vector<float> data);
    // Rows held elsewhere in memory (a buffer filled in place): `storage` points at rows() * rowSize()
    // floats and keeps them alive. Copies of a matrix share its rows.
    FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::shared_ptr<const float> storage);
    // Rows read on demand from `source`.
    FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::shared_ptr<const FeatureRowSource> source);

    const std::vector<int>& shape() const { return m_shape; }
    std::size_t rowSize() const { return m_rowSize; }
    std::size_t rows() const { return m_rowNote.size(); }
    // All rows, contiguous and row-major (rows() * rowSize() floats) when they are in memory;
    // nullptr when they are read from a file (use readRows).
    const float* data() const { return m_data.get(); }
    bool inMemory() const { return m_data != nullptr; }
    // rows[begin..end) one after another into `out` ((end - begin) * rowSize() floats). Fails only
    // for rows read from a file (an I/O error, a file cut short under us), naming the file.
    Status readRows(const std::vector<std::size_t>& rows, std::size_t begin, std::size_t end, float* out) const;
    // One row as a vector (tests, single notes).
    Result<std::vector<float>> row(std::size_t i) const;
    const std::vector<std::size_t>& rowNote() const { return m_rowNote; }
    // Row of a dataset note index, or -1 if that note has no features (missing WAV).
    long rowOfNote(std::size_t noteIndex) const;
    // "in memory" or the source's description.
    std::string describeStorage() const;

private:
    std::vector<int> m_shape;
    std::size_t m_rowSize = 0;
    std::vector<std::size_t> m_rowNote;
    std::shared_ptr<const float> m_data;
    std::shared_ptr<const FeatureRowSource> m_source;
};

} // namespace ts::dataset
