#pragma once
// PRIVATE to the LibTorch runtime library (ml/detail/*.cpp): a network's tensors in and out of the
// model file's weights and resume state (the names and layouts are in ModelFile.h). Format 2 goes
// through the torch-free safetensors reader (Safetensors.h): LibTorch only receives tensors built from
// its checked buffers. Format 1's LibTorch archives are still read, never written.
#include <cstdint>
#include <string>

#include <torch/torch.h>

#include "ml/Architecture.h"
#include "ml/ModelFile.h"
#include "util/Result.h"

namespace ts::ml {

// The module's parameters and buffers as a format-2 weights section.
std::string saveModuleBytes(torch::nn::Module& module);

// Copies a weights section of `formatVersion` into the module. Every parameter and buffer must be
// there with the module's shape (and, from format 2, its dtype, with no tensor the module lacks);
// errors name `path`.
Status loadModuleBytes(torch::nn::Module& module, const std::string& bytes, std::uint32_t formatVersion,
                       const std::string& path);

// A checkpoint's resume state in format 2: the module's current weights and Adam's state.
std::string saveResumeState(torch::nn::Module& module, torch::optim::Adam& optimizer);

// Loads a resume state of `formatVersion` into the module and the optimizer (built on the module's
// parameters, in their order), so training continues as if it had never stopped.
Status loadResumeState(torch::nn::Module& module, torch::optim::Adam& optimizer, const std::string& state,
                       std::uint32_t formatVersion, const std::string& path);

// The file with its weights and resume state in the current format (the same values), metadata's
// formatVersion updated; a file already current is returned as it is.
Result<ModelFile> convertToCurrentFormat(const ModelFile& file, const Architecture& architecture, const std::string& path);

} // namespace ts::ml
