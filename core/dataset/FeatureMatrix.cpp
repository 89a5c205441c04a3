#include "dataset/FeatureMatrix.h"

#include <algorithm>
#include <cstring>

namespace ts::dataset {

namespace {

std::shared_ptr<const float> share(std::vector<float> data)
{
    auto holder = std::make_shared<const std::vector<float>>(std::move(data));
    return std::shared_ptr<const float>(holder, holder->data());  // aliasing: owns the vector
}

std::size_t productOf(const std::vector<int>& shape)
{
    std::size_t size = 1;
    for (int d : shape)
        size *= std::size_t(d);
    return size;
}

} // namespace

FeatureMatrix::FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::vector<float> data)
    : FeatureMatrix(std::move(shape), std::move(rowNote), share(std::move(data)))
{
}

FeatureMatrix::FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::shared_ptr<const float> storage)
    : m_shape(std::move(shape)), m_rowSize(productOf(m_shape)), m_rowNote(std::move(rowNote)), m_data(std::move(storage))
{
}

FeatureMatrix::FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote,
                             std::shared_ptr<const FeatureRowSource> source)
    : m_shape(std::move(shape)), m_rowSize(productOf(m_shape)), m_rowNote(std::move(rowNote)), m_source(std::move(source))
{
}

Status FeatureMatrix::readRows(const std::vector<std::size_t>& rows, std::size_t begin, std::size_t end, float* out) const
{
    if (m_source)
        return m_source->read(rows, begin, end, out);
    for (std::size_t i = begin; i < end; ++i)
        std::memcpy(out + (i - begin) * m_rowSize, m_data.get() + rows[i] * m_rowSize, m_rowSize * sizeof(float));
    return {};
}

Result<std::vector<float>> FeatureMatrix::row(std::size_t i) const
{
    std::vector<float> values(m_rowSize);
    if (auto read = readRows({i}, 0, 1, values.data()); !read)
        return read.error();
    return values;
}

long FeatureMatrix::rowOfNote(std::size_t noteIndex) const
{
    // The cache keeps rows in the dataset's note order, so bisection finds them; a matrix built
    // in another order still gets the right answer from the linear search.
    const auto it = std::lower_bound(m_rowNote.begin(), m_rowNote.end(), noteIndex);
    if (it != m_rowNote.end() && *it == noteIndex)
        return long(it - m_rowNote.begin());
    const auto found = std::find(m_rowNote.begin(), m_rowNote.end(), noteIndex);
    return found == m_rowNote.end() ? -1 : long(found - m_rowNote.begin());
}

std::string FeatureMatrix::describeStorage() const { return m_source ? m_source->describe() : "in memory"; }

} // namespace ts::dataset
