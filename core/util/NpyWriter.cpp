#include "util/NpyWriter.h"

#include <cstdint>
#include <cstring>

#include "util/AtomicFile.h"

namespace ts {

namespace {

std::string shapeTuple(const std::vector<std::size_t>& shape)
{
    // Python tuple syntax: "()", "(5,)", "(499, 129)".
    std::string t = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i > 0)
            t += ", ";
        t += std::to_string(shape[i]);
    }
    if (shape.size() == 1)
        t += ",";
    return t + ")";
}

} // namespace

std::string encodeNpyFloat32(const float* data, const std::vector<std::size_t>& shape)
{
    std::size_t count = 1;
    for (std::size_t d : shape)
        count *= d;
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
    // magic (6) + version (2) + header length (2) + header, padded with spaces and ended by '\n'
    // so that the data starts on a 64-byte boundary (what numpy itself writes).
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    std::string bytes;
    bytes.reserve(10 + header.size() + count * 4);
    bytes.append("\x93NUMPY", 6);
    bytes.push_back(char(1));
    bytes.push_back(char(0));
    bytes.push_back(char(header.size() & 0xff));
    bytes.push_back(char((header.size() >> 8) & 0xff));
    bytes += header;
    const std::size_t dataStart = bytes.size();
    bytes.resize(dataStart + count * 4);
    for (std::size_t i = 0; i < count; ++i) {
        std::uint32_t bits;
        std::memcpy(&bits, data + i, 4);
        // Explicit little-endian bytes, so the file is the same on any host.
        for (int b = 0; b < 4; ++b)
            bytes[dataStart + 4 * i + std::size_t(b)] = char((bits >> (8 * b)) & 0xff);
    }
    return bytes;
}

Status writeNpyFloat32(const std::string& path, const float* data, const std::vector<std::size_t>& shape)
{
    return writeFileAtomically(path, encodeNpyFloat32(data, shape));
}

} // namespace ts
