#include "ml/Safetensors.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>
#include <stdexcept>
#include <tuple>

#include <nlohmann/json.hpp>

namespace ts::ml {

namespace {

constexpr const char* kMetadataKey = "__metadata__";

// A reason the header is refused, thrown from the parser's callback and the field checks below.
struct BadArchive : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string quoted(const std::string& name)
{
    return "'" + name + "'";
}

std::string shapeText(const std::vector<std::uint64_t>& shape)
{
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

bool typeFromName(const std::string& name, TensorType& type)
{
    for (TensorType t : {TensorType::F32, TensorType::F64, TensorType::I64})
        if (name == tensorTypeName(t)) {
            type = t;
            return true;
        }
    return false;
}

// nlohmann keeps the last of two equal keys without a word; the layout forbids them, so the parser's
// callback keeps the keys seen in each open object and refuses a second one.
nlohmann::json parseWithoutRepeatedKeys(std::string_view text)
{
    std::vector<std::set<std::string>> open;
    auto callback = [&open](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        using Event = nlohmann::json::parse_event_t;
        if (event == Event::object_start)
            open.emplace_back();
        else if (event == Event::object_end && !open.empty())
            open.pop_back();
        else if (event == Event::key && !open.empty() && !open.back().insert(parsed.get<std::string>()).second)
            throw BadArchive("the header names " + quoted(parsed.get<std::string>()) + " twice");
        return true;
    };
    return nlohmann::json::parse(text.begin(), text.end(), callback);
}

std::uint64_t wholeNumber(const nlohmann::json& value, const std::string& rule)
{
    if (!value.is_number_unsigned())
        throw BadArchive(rule);
    return value.get<std::uint64_t>();
}

// One header entry, checked field by field; `begin`/`end` are its byte range in the data section.
struct Entry {
    std::string name;
    TensorType type = TensorType::F32;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
};

Entry entryFromJson(const std::string& name, const nlohmann::json& j)
{
    const std::string tensor = "tensor " + quoted(name);
    if (!j.is_object())
        throw BadArchive("the header entry " + quoted(name) + " is not an object");
    for (const auto& [key, value] : j.items())
        if (key != "dtype" && key != "shape" && key != "data_offsets")
            throw BadArchive(tensor + " has an unknown field " + quoted(key));
    for (const char* field : {"dtype", "shape", "data_offsets"})
        if (!j.contains(field))
            throw BadArchive(tensor + " has no " + field);
    Entry e;
    e.name = name;
    const auto& dtype = j.at("dtype");
    if (!dtype.is_string())
        throw BadArchive(tensor + " dtype is not a text");
    if (!typeFromName(dtype.get<std::string>(), e.type))
        throw BadArchive(tensor + " has dtype " + quoted(dtype.get<std::string>()) + "; this build reads F32, F64 and I64");
    const auto& shape = j.at("shape");
    const std::string shapeRule = tensor + " shape must be a list of whole numbers from 0";
    if (!shape.is_array())
        throw BadArchive(shapeRule);
    for (const auto& d : shape)
        e.shape.push_back(wholeNumber(d, shapeRule));
    const auto& offsets = j.at("data_offsets");
    const std::string offsetRule = tensor + " data_offsets must be two whole numbers [begin, end] with begin <= end";
    if (!offsets.is_array() || offsets.size() != 2)
        throw BadArchive(offsetRule);
    e.begin = wholeNumber(offsets[0], offsetRule);
    e.end = wholeNumber(offsets[1], offsetRule);
    if (e.begin > e.end)
        throw BadArchive(offsetRule);
    // Element count times element size, refusing a product that wraps around 64 bits (a wrapped
    // product could otherwise equal a small end - begin) and a dimension an int64 shape cannot hold.
    std::uint64_t size = tensorTypeSize(e.type);
    for (std::uint64_t d : e.shape) {
        if (d > std::uint64_t(std::numeric_limits<std::int64_t>::max()) ||
            (d != 0 && size > std::numeric_limits<std::uint64_t>::max() / d))
            throw BadArchive(tensor + " shape " + shapeText(e.shape) + " is too large: its byte count does not fit in 64 bits");
        size *= d;
    }
    if (size != e.end - e.begin)
        throw BadArchive(tensor + " of shape " + shapeText(e.shape) + " and dtype " + tensorTypeName(e.type) + " needs " +
                         std::to_string(size) + " bytes, but its data_offsets [" + std::to_string(e.begin) + ", " +
                         std::to_string(e.end) + "] span " + std::to_string(e.end - e.begin));
    return e;
}

std::map<std::string, std::string> metadataFromJson(const nlohmann::json& j)
{
    const char* rule = "__metadata__ must be an object of texts";
    if (!j.is_object())
        throw BadArchive(rule);
    std::map<std::string, std::string> metadata;
    for (const auto& [key, value] : j.items()) {
        if (!value.is_string())
            throw BadArchive(rule);
        metadata[key] = value.get<std::string>();
    }
    return metadata;
}

// The entries' byte ranges, sorted, must tile [0, dataSize): the safetensors rules.
void checkCoverage(std::vector<Entry> entries, std::uint64_t dataSize)
{
    for (const auto& e : entries)
        if (e.end > dataSize)
            throw BadArchive("tensor " + quoted(e.name) + " data_offsets [" + std::to_string(e.begin) + ", " +
                             std::to_string(e.end) + "] go past the end of the data (" + std::to_string(dataSize) + " bytes)");
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });
    std::uint64_t covered = 0;
    const Entry* previous = nullptr;
    for (const auto& e : entries) {
        if (e.begin < covered)
            throw BadArchive("tensors " + quoted(previous->name) + " and " + quoted(e.name) + " overlap (bytes " +
                             std::to_string(e.begin) + " to " + std::to_string(covered) + ")");
        if (e.begin > covered)
            throw BadArchive("bytes " + std::to_string(covered) + " to " + std::to_string(e.begin) +
                             " of the data belong to no tensor");
        covered = e.end;
        previous = &e;
    }
    if (covered != dataSize)
        throw BadArchive(std::to_string(dataSize - covered) + " trailing bytes after the last tensor's data");
}

void putU64(std::string& out, std::uint64_t value)
{
    for (int i = 0; i < 8; ++i)
        out.push_back(char((value >> (8 * i)) & 0xff));
}

} // namespace

const char* tensorTypeName(TensorType type)
{
    switch (type) {
    case TensorType::F32: return "F32";
    case TensorType::F64: return "F64";
    case TensorType::I64: return "I64";
    }
    return "?";
}

std::size_t tensorTypeSize(TensorType type)
{
    return type == TensorType::F32 ? 4 : 8;
}

std::int64_t StoredTensor::elementCount() const
{
    std::int64_t n = 1;
    for (std::int64_t d : shape)
        n *= d;
    return n;
}

Result<std::string> encodeSafetensors(const TensorArchive& archive)
{
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!archive.metadata.empty())
        header[kMetadataKey] = archive.metadata;
    std::uint64_t offset = 0;
    for (const auto& [name, t] : archive.tensors) {
        if (name == kMetadataKey)
            return makeError(ErrorCode::InvalidArgument, "a tensor cannot be named " + quoted(name));
        if (std::any_of(t.shape.begin(), t.shape.end(), [](std::int64_t d) { return d < 0; }) ||
            std::uint64_t(t.elementCount()) * tensorTypeSize(t.type) != t.bytes.size())
            return makeError(ErrorCode::InvalidArgument, "tensor " + quoted(name) + " holds " + std::to_string(t.bytes.size()) +
                                 " bytes, not what its shape and dtype " + tensorTypeName(t.type) + " need");
        header[name] = {{"dtype", tensorTypeName(t.type)}, {"shape", t.shape}, {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception&) {
        return makeError(ErrorCode::InvalidArgument, "a tensor name or metadata text is not UTF-8");
    }
    text.append((8 - text.size() % 8) % 8, ' ');
    std::string out;
    out.reserve(8 + text.size() + offset);
    putU64(out, text.size());
    out += text;
    for (const auto& entry : archive.tensors)
        out += entry.second.bytes;
    return out;
}

Result<TensorArchive> decodeSafetensors(std::string_view bytes, const std::string& path, const std::string& section)
{
    auto bad = [&](const std::string& reason) {
        return makeError(ErrorCode::BadFormat, section + " is not a valid safetensors archive: " + reason, path);
    };
    if (bytes.size() < 8)
        return bad("it is " + std::to_string(bytes.size()) + " bytes long, too short for its header length");
    std::uint64_t headerSize = 0;
    for (int i = 7; i >= 0; --i)
        headerSize = (headerSize << 8) | std::uint8_t(bytes[std::size_t(i)]);
    if (headerSize > kMaxSafetensorsHeader)
        return bad("its header length " + std::to_string(headerSize) + " is over the limit of " +
                   std::to_string(kMaxSafetensorsHeader) + " bytes");
    if (headerSize > bytes.size() - 8)
        return bad("its header length " + std::to_string(headerSize) + " goes past the end of its " +
                   std::to_string(bytes.size()) + " bytes");
    const std::string_view text = bytes.substr(8, std::size_t(headerSize));
    const std::string_view data = bytes.substr(8 + std::size_t(headerSize));
    try {
        if (text.empty() || text.front() != '{')
            throw BadArchive("the header is not a JSON object");
        nlohmann::json header;
        try {
            header = parseWithoutRepeatedKeys(text);
        } catch (const nlohmann::json::exception&) {
            throw BadArchive("the header is not JSON text");
        }
        TensorArchive archive;
        std::vector<Entry> entries;
        for (const auto& [name, value] : header.items()) {
            if (name == kMetadataKey)
                archive.metadata = metadataFromJson(value);
            else
                entries.push_back(entryFromJson(name, value));
        }
        checkCoverage(entries, data.size());
        for (const auto& e : entries) {
            StoredTensor t;
            t.type = e.type;
            t.shape.assign(e.shape.begin(), e.shape.end());
            t.bytes.assign(data.substr(std::size_t(e.begin), std::size_t(e.end - e.begin)));
            archive.tensors.emplace(e.name, std::move(t));
        }
        return archive;
    } catch (const BadArchive& e) {
        return bad(e.what());
    }
}

} // namespace ts::ml
