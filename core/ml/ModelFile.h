#pragma once
// One trained model = one file: the weights and a metadata JSON describing how it was made.
// Container (little-endian): "TSMODEL1" magic, u32 format version, u64 JSON length, JSON,
// u64 weights length, weights, u64 resume length, resume state (empty in a final model), u64 FNV-1a
// of everything before it. Written atomically; a truncated, damaged, foreign or newer file is
// refused with an error naming the file and the reason.
//
// Format 2 (written since): the weights and the resume state are safetensors archives
// (Safetensors.h), checked when the file is read, so LibTorch never parses a byte of the file.
//   weights:      param.<module path> (F32) for every parameter, buffer.<module path> for every
//                 buffer (batch norm's running_mean and running_var F32, num_batches_tracked I64)
//   resume state: the current weights under the same names, and Adam's state for each parameter:
//                 adam.exp_avg.<module path> and adam.exp_avg_sq.<module path> (F32, the
//                 parameter's shape), adam.step.<module path> (I64 scalar), and adam.lr (F64
//                 scalar, the learning rate in use). Adam's other settings are LibTorch's defaults.
// Format 1 (read only): the same names in LibTorch's own archive; its resume state is a u64 length,
// that archive, then Adam's archive. `timbrescope models --convert` rewrites one as format 2.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/Result.h"

namespace ts::ml {

constexpr std::uint32_t kModelFormatVersion = 2;        // the format every file is written in
constexpr std::uint32_t kOldestModelFormatVersion = 1;  // the oldest format still read

// Metrics of one epoch, as the Trainer reports and the model file keeps them. Accuracies are
// per target ("family", "source"); a target the model does not predict is absent.
struct EpochRecord {
    int epoch = 0;  // 1-based
    double loss = 0.0;
    std::map<std::string, double> accuracy;
    double validationLoss = 0.0;
    std::map<std::string, double> validationAccuracy;
    double seconds = 0.0;           // wall time of this epoch
    double samplesPerSecond = 0.0;
};

// Temperature scaling of one head (Calibration.h): its logits are divided by `temperature` before
// the softmax. Fitted on the validation part once training ends; the ECEs are that part's before and
// after, so a reader sees what the fit did.
struct HeadCalibration {
    double temperature = 1.0;
    double eceValidationBefore = 0.0;
    double eceValidationAfter = 0.0;
    int validationNotes = 0;
};

struct ModelMetadata {
    // The format of the file's weights and resume state (the container's version; the JSON's
    // format_version says the same). A file read from disk keeps its own until it is converted.
    std::uint32_t formatVersion = kModelFormatVersion;
    std::string architecture;
    std::vector<std::string> targets;                        // head order
    std::map<std::string, std::vector<std::string>> labels;  // target → class names
    std::string featureKind;                                 // "stft", "logmel", "raw"
    std::string featureKey;                                  // FeatureSettings::key() of the input
    std::string dataPath;
    std::string dataFingerprint;
    std::string dataNotesFingerprint;                        // Dataset::notesFingerprint(); empty in older files
    std::string split;                                       // "seed", "random", "instrument"
    std::uint64_t seed = 0;
    int epochs = 0;                                          // epochs trained
    int bestEpoch = 0;                                       // the weights kept
    std::vector<EpochRecord> history;
    std::map<std::string, double> finalMetrics;              // e.g. "test_family_accuracy", "test_family_ece"
    // Target → its head's temperature. A target without an entry (every target of a file written
    // before calibration existed) has temperature 1: its softmax is used as the network gives it.
    std::map<std::string, HeadCalibration> calibration;
    std::map<std::string, std::string> libraryVersions;      // "libtorch", "timbrescope"
    // Trainer settings a resumed run must keep (so its history continues the same way).
    int batchSize = 32;
    double learningRate = 1e-3;
    int patience = 5;

    double temperatureOf(const std::string& target) const;
};

struct ModelFile {
    ModelMetadata metadata;
    std::string weights;      // the best weights, in metadata.formatVersion's layout (above)
    std::string resumeState;  // a checkpoint's current weights + Adam state; empty in a final model
};

std::string metadataToJson(const ModelMetadata& metadata);
Result<ModelMetadata> metadataFromJson(const std::string& json, const std::string& pathForErrors = {});

// The container with metadata.formatVersion as its version. decode checks the version is one this
// build reads, that it agrees with the JSON's, and, from format 2, that both sections are valid
// safetensors archives (errors name the file and the section).
std::string encodeModelFile(const ModelFile& file);
Result<ModelFile> decodeModelFile(const std::string& bytes, const std::string& pathForErrors);

// Writes the file atomically. A file of an older format is refused (Unsupported): nothing writes
// format 1 any more; convertModelFile (ModelConversion.h) brings it to the current format first.
Status saveModelFile(const std::string& path, const ModelFile& file);
Result<ModelFile> loadModelFile(const std::string& path);

} // namespace ts::ml
