#include "ml/ModelFile.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "ml/Safetensors.h"
#include "util/AtomicFile.h"
#include "util/Fnv1a.h"

namespace ts::ml {

namespace {

constexpr char kMagic[8] = {'T', 'S', 'M', 'O', 'D', 'E', 'L', '1'};
// A model of the largest architecture is ~12 MiB; anything claiming more than this is damaged.
constexpr std::uint64_t kMaxSection = std::uint64_t(1) << 31;

template <typename T>
void put(std::string& out, T value)
{
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));  // the formats are little-endian, as is every target we build for
    out.append(bytes, sizeof(T));
}

nlohmann::json epochToJson(const EpochRecord& e)
{
    return {{"epoch", e.epoch}, {"loss", e.loss}, {"accuracy", e.accuracy},
            {"val_loss", e.validationLoss}, {"val_accuracy", e.validationAccuracy},
            {"seconds", e.seconds}, {"samples_per_second", e.samplesPerSecond}};
}

// A metadata field that is missing, of the wrong type or out of range: the message names the field
// and its rule ("field 'epochs' must be a whole number from 0 to 1000000"), not the JSON library's id.
struct BadField : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

const nlohmann::json& present(const nlohmann::json& j, const std::string& name)
{
    if (!j.is_object() || !j.contains(name))
        throw BadField("field '" + name + "' is missing");
    return j.at(name);
}

template <typename T>
T typed(const nlohmann::json& j, const std::string& name, const char* rule)
{
    try {
        return present(j, name).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw BadField("field '" + name + "' must be " + rule);
    }
}

constexpr long long kMaxCount = 1'000'000;  // epochs, batch size, patience: far past any real run

long long wholeNumber(const nlohmann::json& j, const std::string& name, long long lo, long long hi)
{
    const auto& v = present(j, name);
    // JSON's non-negative whole numbers parse as unsigned: both ends are checked for them too (the
    // lower one was not, so format_version 0 or epoch 0 passed; found by the model_file fuzz target).
    const bool inRange = v.is_number_unsigned()
                             ? (lo <= 0 || v.get<std::uint64_t>() >= std::uint64_t(lo)) && hi >= 0 &&
                                   v.get<std::uint64_t>() <= std::uint64_t(hi)
                             : v.is_number_integer() && v.get<long long>() >= lo && v.get<long long>() <= hi;
    if (!inRange)
        throw BadField("field '" + name + "' must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v.get<long long>();
}

double finiteNumber(const nlohmann::json& j, const std::string& name)
{
    const auto& v = present(j, name);
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        throw BadField("field '" + name + "' must be a finite number");
    return v.get<double>();
}

using Accuracies = std::map<std::string, double>;
constexpr const char* kAccuracies = "an object of target names to numbers";

EpochRecord epochFromJson(const nlohmann::json& j)
{
    EpochRecord e;
    e.epoch = int(wholeNumber(j, "epoch", 1, kMaxCount));
    e.loss = typed<double>(j, "loss", "a number");
    e.accuracy = typed<Accuracies>(j, "accuracy", kAccuracies);
    e.validationLoss = typed<double>(j, "val_loss", "a number");
    e.validationAccuracy = typed<Accuracies>(j, "val_accuracy", kAccuracies);
    e.seconds = typed<double>(j, "seconds", "a number");
    e.samplesPerSecond = typed<double>(j, "samples_per_second", "a number");
    return e;
}

nlohmann::json calibrationToJson(const std::map<std::string, HeadCalibration>& calibration)
{
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [target, c] : calibration)
        j[target] = {{"temperature", c.temperature}, {"ece_validation_before", c.eceValidationBefore},
                     {"ece_validation_after", c.eceValidationAfter}, {"validation_notes", c.validationNotes}};
    return j;
}

// Throws nlohmann's out_of_range / type_error like the other fields; a temperature that is not a
// positive finite number would turn every probability into NaN or a one-hot, so it is refused here.
std::map<std::string, HeadCalibration> calibrationFromJson(const nlohmann::json& j)
{
    std::map<std::string, HeadCalibration> calibration;
    for (const auto& [target, value] : j.items()) {
        HeadCalibration c;
        c.temperature = value.at("temperature").get<double>();
        c.eceValidationBefore = value.value("ece_validation_before", 0.0);
        c.eceValidationAfter = value.value("ece_validation_after", 0.0);
        // Checked before it is converted, like every whole number here: 1e+20 does not fit in an int
        // (found by the model_file fuzz target).
        if (value.is_object() && value.contains("validation_notes"))
            c.validationNotes = int(wholeNumber(value, "validation_notes", 0, std::numeric_limits<int>::max()));
        if (!std::isfinite(c.temperature) || c.temperature <= 0.0)
            throw std::invalid_argument("calibration temperature of '" + target + "' must be a positive number");
        calibration[target] = c;
    }
    return calibration;
}

} // namespace

double ModelMetadata::temperatureOf(const std::string& target) const
{
    const auto it = calibration.find(target);
    return it == calibration.end() ? 1.0 : it->second.temperature;
}

std::string metadataToJson(const ModelMetadata& m)
{
    nlohmann::json history = nlohmann::json::array();
    for (const auto& e : m.history)
        history.push_back(epochToJson(e));
    nlohmann::json j = {
        {"format_version", m.formatVersion}, {"architecture", m.architecture}, {"targets", m.targets},
        {"labels", m.labels}, {"feature_kind", m.featureKind}, {"feature_key", m.featureKey},
        {"data_path", m.dataPath}, {"data_fingerprint", m.dataFingerprint}, {"split", m.split},
        {"seed", m.seed}, {"epochs", m.epochs}, {"best_epoch", m.bestEpoch}, {"history", history},
        {"final_metrics", m.finalMetrics}, {"library_versions", m.libraryVersions},
        {"batch_size", m.batchSize}, {"learning_rate", m.learningRate}, {"patience", m.patience}};
    // Written only when known, so a file without them is byte-for-byte what older builds wrote
    // (and older builds, which ignore unknown keys, read the new ones).
    if (!m.dataNotesFingerprint.empty())
        j["data_notes_fingerprint"] = m.dataNotesFingerprint;
    if (!m.calibration.empty())
        j["calibration"] = calibrationToJson(m.calibration);
    return j.dump(1);
}

Result<ModelMetadata> metadataFromJson(const std::string& json, const std::string& path)
{
    try {
        const auto j = nlohmann::json::parse(json);
        if (!j.is_object())
            throw BadField("it is not a JSON object");
        ModelMetadata m;
        m.formatVersion = std::uint32_t(wholeNumber(j, "format_version", 1, 1'000));
        m.architecture = typed<std::string>(j, "architecture", "a text");
        m.targets = typed<std::vector<std::string>>(j, "targets", "a list of target names");
        m.labels = typed<std::map<std::string, std::vector<std::string>>>(j, "labels", "an object of target names to label lists");
        m.featureKind = typed<std::string>(j, "feature_kind", "a text");
        m.featureKey = typed<std::string>(j, "feature_key", "a text");
        m.dataPath = typed<std::string>(j, "data_path", "a text");
        m.dataFingerprint = typed<std::string>(j, "data_fingerprint", "a text");
        m.split = typed<std::string>(j, "split", "a text");
        // Checked before it is converted: a huge float (4.2e81, found by the model_file fuzz
        // target) does not fit in 64 bits, and converting it is undefined.
        if (!present(j, "seed").is_number_unsigned())
            throw BadField("field 'seed' must be a whole number from 0");
        m.seed = present(j, "seed").get<std::uint64_t>();
        m.epochs = int(wholeNumber(j, "epochs", 0, kMaxCount));
        m.bestEpoch = int(wholeNumber(j, "best_epoch", 0, m.epochs));
        const auto& history = present(j, "history");
        if (!history.is_array() || history.size() > std::size_t(kMaxCount))
            throw BadField("field 'history' must be a list of epochs");
        for (const auto& e : history)
            m.history.push_back(epochFromJson(e));
        m.finalMetrics = typed<std::map<std::string, double>>(j, "final_metrics", "an object of names to numbers");
        m.libraryVersions = typed<std::map<std::string, std::string>>(j, "library_versions", "an object of names to texts");
        m.batchSize = int(wholeNumber(j, "batch_size", 1, kMaxCount));
        m.learningRate = finiteNumber(j, "learning_rate");
        if (m.learningRate <= 0.0)
            throw BadField("field 'learning_rate' must be a positive number");
        m.patience = int(wholeNumber(j, "patience", 1, kMaxCount));
        m.dataNotesFingerprint = j.value("data_notes_fingerprint", std::string());
        if (j.contains("calibration"))
            m.calibration = calibrationFromJson(j.at("calibration"));
        return m;
    } catch (const nlohmann::json::parse_error&) {
        return makeError(ErrorCode::BadFormat, "model metadata is not valid: it is not JSON text", path);
    } catch (const nlohmann::json::exception& e) {
        return makeError(ErrorCode::BadFormat, std::string("model metadata is not valid: ") + e.what(), path);
    } catch (const std::invalid_argument& e) {
        return makeError(ErrorCode::BadFormat, std::string("model metadata is not valid: ") + e.what(), path);
    }
}

std::string encodeModelFile(const ModelFile& file)
{
    const std::string json = metadataToJson(file.metadata);
    std::string out(kMagic, sizeof kMagic);
    put<std::uint32_t>(out, file.metadata.formatVersion);
    put<std::uint64_t>(out, json.size());
    out += json;
    put<std::uint64_t>(out, file.weights.size());
    out += file.weights;
    put<std::uint64_t>(out, file.resumeState.size());
    out += file.resumeState;
    Fnv1a hash;
    hash.add(out.data(), out.size());
    put<std::uint64_t>(out, hash.value());
    return out;
}

Result<ModelFile> decodeModelFile(const std::string& bytes, const std::string& path)
{
    std::size_t pos = 0;
    auto take = [&](void* to, std::size_t n) {
        if (bytes.size() - pos < n)
            return false;
        std::memcpy(to, bytes.data() + pos, n);
        pos += n;
        return true;
    };
    auto truncated = [&] {
        return makeError(ErrorCode::BadFormat, "model file is truncated (" + std::to_string(bytes.size()) + " bytes)", path);
    };
    char magic[8];
    if (!take(magic, sizeof magic) || std::memcmp(magic, kMagic, sizeof magic) != 0)
        return makeError(ErrorCode::BadFormat, "not a Timbrescope model file (no TSMODEL1 header)", path);
    std::uint32_t version = 0;
    if (!take(&version, sizeof version))
        return truncated();
    if (version < kOldestModelFormatVersion || version > kModelFormatVersion)
        return makeError(ErrorCode::Unsupported, "model file format version " + std::to_string(version) +
                             " is not supported (this build reads versions " + std::to_string(kOldestModelFormatVersion) +
                             " to " + std::to_string(kModelFormatVersion) + ")", path);
    std::string sections[3];
    for (auto& section : sections) {
        std::uint64_t size = 0;
        if (!take(&size, sizeof size))
            return truncated();
        if (size > kMaxSection || size > bytes.size() - pos)
            return truncated();
        section.assign(bytes, pos, size);
        pos += size;
    }
    Fnv1a hash;
    hash.add(bytes.data(), pos);
    std::uint64_t stored = 0;
    if (!take(&stored, sizeof stored))
        return truncated();
    if (stored != hash.value())
        return makeError(ErrorCode::BadFormat, "model file is damaged (checksum mismatch)", path);
    if (pos != bytes.size())
        return makeError(ErrorCode::BadFormat, "model file has trailing bytes after its checksum", path);
    auto metadata = metadataFromJson(sections[0], path);
    if (!metadata)
        return metadata.error();
    if (metadata->formatVersion != version)
        return makeError(ErrorCode::BadFormat, "model metadata says format_version " + std::to_string(metadata->formatVersion) +
                             " in a file of format " + std::to_string(version), path);
    if (version >= 2) {
        if (auto weights = decodeSafetensors(sections[1], path, "the weights section"); !weights)
            return weights.error();
        if (!sections[2].empty())
            if (auto resume = decodeSafetensors(sections[2], path, "the resume state section"); !resume)
                return resume.error();
    }
    ModelFile file;
    file.metadata = std::move(metadata.value());
    file.weights = std::move(sections[1]);
    file.resumeState = std::move(sections[2]);
    return file;
}

Status saveModelFile(const std::string& path, const ModelFile& file)
{
    if (file.metadata.formatVersion != kModelFormatVersion)
        return makeError(ErrorCode::Unsupported, "a model of format " + std::to_string(file.metadata.formatVersion) +
                             " is not written any more (convert it to format " + std::to_string(kModelFormatVersion) +
                             " first: timbrescope models --convert)", path);
    return writeFileAtomically(path, encodeModelFile(file));
}

Result<ModelFile> loadModelFile(const std::string& path)
{
    auto bytes = readWholeFile(path);
    if (!bytes)
        return bytes.error();
    return decodeModelFile(bytes.value(), path);
}

} // namespace ts::ml
