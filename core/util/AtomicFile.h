#pragma once
// Atomic writes: write a temporary file beside the target, flush it to disk, then rename it over
// the target. A crash or a full disk never leaves a half-written model, dataset or cache.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/Result.h"

namespace ts {

// The temporary is "PATH.tmp-PID-XXXXXXXX". The first call for a folder in a process also removes
// the temporaries that dead processes left in it (removeStaleTemporaries). Errors name `path`
// and the system's reason: "write failed (File too large)", "flush failed (No space left on
// device)"; the temporary is removed and an existing file at `path` is left as it was.
Status writeFileAtomically(const std::string& path, std::string_view bytes);
Status writeFileAtomically(const std::string& path, const void* data, std::size_t size);

// Every file Timbrescope reads must be a regular file: a FIFO would block the reader and a device
// (/dev/zero) read without end. NotFound / Unreadable / Unsupported ("not a regular file") name the path.
Status checkRegularFile(const std::string& path);

// Reads a whole regular file of at most maxBytes (checkRegularFile's errors, and "file too large").
Result<std::string> readWholeFile(const std::string& path, std::uint64_t maxBytes = std::uint64_t(1) << 30);

} // namespace ts
