#pragma once
// The LibTorch runtime every network of core/ml runs on lives in its own library,
// libtimbrescope-torch.so, loaded the first time a model is loaded, trained, calibrated or asked for
// its shape. Commands that need no network (info, render, features, --help) never load it. The GUI
// loads it ahead of time on a background thread: the window is up at once, and the first prediction
// does not wait.
#include "util/Result.h"

namespace ts::ml {

// Loads the runtime if it is not loaded yet (thread-safe; a second caller waits for the first). The
// error names the library and the reason; it is the same on every later call.
Status loadRuntime();

// Whether the runtime is loaded, without loading it.
bool runtimeLoaded();

} // namespace ts::ml
