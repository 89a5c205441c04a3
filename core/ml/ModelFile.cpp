#include "ml/ModelFile.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>

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

EpochRecord epochFromJson(const nlohmann::json& j)
{
    EpochRecord e;
    e.epoch = j.at("epoch").get<int>();
    e.loss = j.at("loss").get<double>();
    e.accuracy = j.at("accuracy").get<std::map<std::string, double>>();
    e.validationLoss = j.at("val_loss").get<double>();
    e.validationAccuracy = j.at("val_accuracy").get<std::map<std::string, double>>();
    e.seconds = j.at("seconds").get<double>();
    e.samplesPerSecond = j.at("samples_per_second").get<double>();
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
        c.validationNotes = value.value("validation_notes", 0);
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
        ModelMetadata m;
        m.formatVersion = j.at("format_version").get<std::uint32_t>();
        m.architecture = j.at("architecture").get<std::string>();
        m.targets = j.at("targets").get<std::vector<std::string>>();
        m.labels = j.at("labels").get<std::map<std::string, std::vector<std::string>>>();
        m.featureKind = j.at("feature_kind").get<std::string>();
        m.featureKey = j.at("feature_key").get<std::string>();
        m.dataPath = j.at("data_path").get<std::string>();
        m.dataFingerprint = j.at("data_fingerprint").get<std::string>();
        m.split = j.at("split").get<std::string>();
        m.seed = j.at("seed").get<std::uint64_t>();
        m.epochs = j.at("epochs").get<int>();
        m.bestEpoch = j.at("best_epoch").get<int>();
        for (const auto& e : j.at("history"))
            m.history.push_back(epochFromJson(e));
        m.finalMetrics = j.at("final_metrics").get<std::map<std::string, double>>();
        m.libraryVersions = j.at("library_versions").get<std::map<std::string, std::string>>();
        m.batchSize = j.at("batch_size").get<int>();
        m.learningRate = j.at("learning_rate").get<double>();
        m.patience = j.at("patience").get<int>();
        m.dataNotesFingerprint = j.value("data_notes_fingerprint", std::string());
        if (j.contains("calibration"))
            m.calibration = calibrationFromJson(j.at("calibration"));
        return m;
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
    put<std::uint32_t>(out, kModelFormatVersion);
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
    if (version != kModelFormatVersion)
        return makeError(ErrorCode::Unsupported, "model file format version " + std::to_string(version) +
                             " is not supported (this build reads version " + std::to_string(kModelFormatVersion) + ")", path);
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
    ModelFile file;
    file.metadata = std::move(metadata.value());
    file.weights = std::move(sections[1]);
    file.resumeState = std::move(sections[2]);
    return file;
}

Status saveModelFile(const std::string& path, const ModelFile& file)
{
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
