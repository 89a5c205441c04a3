#pragma once
// Where Timbrescope keeps things on a user's machine. Qt-free, and equal to what Qt's
// QStandardPaths gives for an application named "timbrescope" (a test checks it):
//   data:  $XDG_DATA_HOME/timbrescope  (~/.local/share/timbrescope)  — default dataset lives here
//   cache: $XDG_CACHE_HOME/timbrescope (~/.cache/timbrescope)         — feature caches
#include <string>
#include <vector>

namespace ts {

std::string appDataFolder();
std::string appCacheFolder();
std::string defaultDatasetFolder();  // appDataFolder() + "/datasets/default"
std::string userModelsFolder();      // appDataFolder() + "/models"

// Folders searched for shipped models, best first: $TIMBRESCOPE_MODELS_DIR, <exeDir>/../share/
// timbrescope/models (installed), <exeDir>/../models and <exeDir>/../../models (build trees), the
// source tree's models/ (compiled in).
std::vector<std::string> shippedModelFolders(const std::string& executableFolder);
// The first existing <folder>/<fileName> of shippedModelFolders, or empty.
std::string findShippedModel(const std::string& executableFolder, const std::string& fileName);

// The running executable's folder (from /proc/self/exe).
std::string executableFolder();

} // namespace ts
