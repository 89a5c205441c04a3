#pragma once
// The safetensors layout, read and written without LibTorch: an 8-byte little-endian header length N,
// N bytes of JSON header {"NAME": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...,
// "__metadata__": {text: text}}, then the tensors' raw little-endian bytes, each contiguous and
// row-major, offsets counted from the start of that data section. Model files of format 2 keep their
// weights and resume state this way (ModelFile.h), so loading a file never runs LibTorch's zip and
// pickle reader on its bytes, and numpy alone can read them (docs/ARCHITECTURE.md).
//
// The reader is a function over bytes (no file I/O), so it can be fed anything: every length and
// offset is checked before it is used, and a broken archive is an error naming the file and the reason.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/Result.h"

namespace ts::ml {

// The dtypes this build reads and writes: weights and Adam's moments (F32), Adam's learning rate
// (F64), batch norm's and Adam's step counters (I64).
enum class TensorType { F32, F64, I64 };

const char* tensorTypeName(TensorType type);   // "F32", "F64", "I64"
std::size_t tensorTypeSize(TensorType type);   // bytes per element

struct StoredTensor {
    TensorType type = TensorType::F32;
    std::vector<std::int64_t> shape;  // row-major; empty for a scalar (one element)
    std::string bytes;                // the elements, little-endian, contiguous

    std::int64_t elementCount() const;
};

struct TensorArchive {
    std::map<std::string, StoredTensor> tensors;  // by name, which is also the order they are written in
    std::map<std::string, std::string> metadata;  // the header's "__metadata__"; not written when empty
};

// A header longer than this is refused unread (the safetensors reference reader's limit too).
constexpr std::uint64_t kMaxSafetensorsHeader = 100'000'000;

// The archive's bytes: names sorted, "__metadata__" first when there is any, each tensor's header
// fields in the order dtype, shape, data_offsets, the data in name order, the header padded with
// spaces to a multiple of 8 bytes (so the data section starts 8-byte aligned): the same archive
// always gives the same bytes. An error (InvalidArgument) when a tensor's byte count does not match its shape and type,
// a dimension is negative, or a name is "__metadata__" or not UTF-8.
Result<std::string> encodeSafetensors(const TensorArchive& archive);

// Parses and checks everything the layout requires: the header length against the bytes there and
// the limit, the header is a JSON object without a repeated key, each entry has exactly dtype, shape
// and data_offsets, the dtype is one above, the shape's element count times the type's size fits in
// 64 bits and equals end - begin, and the tensors' byte ranges, sorted, cover the data section
// exactly: none past its end, no overlap, no gap, no trailing bytes. Errors are BadFormat, named by
// `pathForErrors`, the message starting with `section` ("the weights section").
Result<TensorArchive> decodeSafetensors(std::string_view bytes, const std::string& pathForErrors,
                                        const std::string& section = "the archive");

} // namespace ts::ml
