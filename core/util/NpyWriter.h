#pragma once
// NumPy's .npy format (version 1.0), little-endian float32 in C order: what `timbrescope features
// --out F.npy` writes, so features open with numpy.load(F) and nothing else to install.
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#include <cstddef>
#include <string>
#include <vector>

#include "util/Result.h"

namespace ts {

// The whole file's bytes: magic, version 1.0, header dict padded to a 64-byte boundary, data.
// data holds the product of shape's entries floats, row-major.
std::string encodeNpyFloat32(const float* data, const std::vector<std::size_t>& shape);

// Writes encodeNpyFloat32's bytes atomically.
Status writeNpyFloat32(const std::string& path, const float* data, const std::vector<std::size_t>& shape);

} // namespace ts
