#include <algorithm>

#include "dataset/FeatureCache.h"

namespace ts::dataset {

namespace {

std::shared_ptr<const float> share(std::vector<float> data)
{
    auto holder = std::make_shared<const std::vector<float>>(std::move(data));
    return std::shared_ptr<const float>(holder, holder->data());  // aliasing: owns the vector
}

} // namespace

FeatureMatrix::FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::vector<float> data)
    : FeatureMatrix(std::move(shape), std::move(rowNote), share(std::move(data)))
{
}

FeatureMatrix::FeatureMatrix(std::vector<int> shape, std::vector<std::size_t> rowNote, std::shared_ptr<const float> storage)
    : m_shape(std::move(shape)), m_rowNote(std::move(rowNote)), m_data(std::move(storage))
{
    m_rowSize = 1;
    for (int d : m_shape)
        m_rowSize *= std::size_t(d);
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

} // namespace ts::dataset
