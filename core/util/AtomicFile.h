#pragma once
// Atomic writes: write a temporary file beside the target, flush it to disk, then rename it over
// the target. A crash or a full disk never leaves a half-written model, dataset or cache.
#include <cstddef>
#include <string>
#include <string_view>

#include "util/Result.h"

namespace ts {

Status writeFileAtomically(const std::string& path, std::string_view bytes);
Status writeFileAtomically(const std::string& path, const void* data, std::size_t size);

// Reads a whole file; NotFound / Unreadable name the path.
Result<std::string> readWholeFile(const std::string& path);

} // namespace ts
