#pragma once
// A model file brought to the current format (ModelFile.h): what `timbrescope models --convert`
// writes, and what calibrate and a resumed training start from, so that nothing writes an old format.
#include <string>

#include "ml/ModelFile.h"
#include "util/Result.h"

namespace ts::ml {

// The same model in format kModelFormatVersion: metadata unchanged but its formatVersion, the same
// tensor values (so the same predictions), and a checkpoint's resume state with the same Adam state.
// A format-1 file's LibTorch archives are read by the LibTorch runtime (loaded here if it is not
// yet); a current file needs no runtime: its archives are written again in the canonical layout
// (names sorted, header padded), which leaves a file this build wrote byte for byte the same.
// Errors name `pathForErrors`.
Result<ModelFile> convertModelFile(const ModelFile& file, const std::string& pathForErrors);

} // namespace ts::ml
