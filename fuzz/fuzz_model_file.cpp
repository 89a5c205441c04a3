// Fuzz target `model_file`: any bytes as a model file (decodeModelFile: the TSMODEL1 container, its
// section sizes and checksum) and as its metadata JSON (metadataFromJson), the JSON also wrapped in a
// well-formed container so that the fuzzer's JSON reaches decodeModelFile's metadata step past the
// checksum. Metadata that is accepted must survive being written back (metadataToJson, as a resumed
// or re-calibrated model is saved) and read again unchanged.
#include <cstdint>
#include <cstring>
#include <string>

#include "FuzzSupport.h"
#include "ml/ModelFile.h"
#include "ml/Safetensors.h"
#include "util/Fnv1a.h"

using ts::fuzz::require;

namespace {

void putU64(std::string& out, std::uint64_t v)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(char((v >> (8 * i)) & 0xff));
}

// The container of ModelFile.h of format `version` around `json`, with no tensors (an empty
// safetensors archive from format 2 on, empty bytes before) and no resume state.
std::string container(const std::string& json, std::uint32_t version)
{
    std::string out = "TSMODEL1";
    for (int i = 0; i < 4; ++i)
        out.push_back(char((version >> (8 * i)) & 0xff));
    putU64(out, json.size());
    out += json;
    const std::string weights = version >= 2 ? ts::ml::encodeSafetensors({}).value() : std::string();
    putU64(out, weights.size());
    out += weights;
    putU64(out, 0);
    ts::Fnv1a hash;
    hash.add(out.data(), out.size());
    putU64(out, hash.value());
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    if (const auto file = ts::ml::decodeModelFile(bytes, "model.tsmodel")) {
        // A file that decodes encodes to the same bytes: nothing in it is lost or invented.
        const auto again = ts::ml::decodeModelFile(ts::ml::encodeModelFile(*file), "model.tsmodel");
        require(again.ok() && again->weights == file->weights && again->resumeState == file->resumeState,
                "a decoded model file does not decode again after encoding");
    }

    const auto metadata = ts::ml::metadataFromJson(bytes, "model.tsmodel");
    // The container's format is the one the metadata names (a file says it twice).
    const std::uint32_t version = metadata ? metadata->formatVersion : ts::ml::kModelFormatVersion;
    const auto wrapped = ts::ml::decodeModelFile(container(bytes, version), "model.tsmodel");
    // Metadata may name a format newer than this build reads (a file from a later Timbrescope):
    // alone it reads, but its container is refused, by its version, before the metadata is looked at.
    const bool readable = version >= ts::ml::kOldestModelFormatVersion && version <= ts::ml::kModelFormatVersion;
    require(readable ? metadata.ok() == wrapped.ok() : !wrapped.ok(), "the metadata reads differently inside a model file");
    if (!metadata)
        return 0;
    const std::string written = ts::ml::metadataToJson(*metadata);
    const auto reread = ts::ml::metadataFromJson(written, "model.tsmodel");
    require(reread.ok(), "metadata that was read cannot be read again after writing it");
    require(ts::ml::metadataToJson(*reread) == written, "metadata changes when written and read again");
    return 0;
}
