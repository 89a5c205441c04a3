#pragma once
// A folder of the user's own sounds made into an NSynth-format dataset with their own classes.
//
// Labels come from the folders (a file's class is the first folder below the imported one:
// DIR/epiano_a/take1.wav is "epiano_a"; files directly in DIR have none and are skipped) or from a
// CSV (file,label columns; an optional header "file,class[,family][,source]" names them; paths are
// relative to the CSV's folder). Every file libsndfile reads, at any rate, width and channel count,
// becomes 16 kHz mono; a file of several notes is cut at its onsets into notes the way `predict`
// cuts it (ml::findNoteSpans), or kept whole (its first 4 s). Each note is written as
// audio/<note_str>.wav of 64,000 samples and listed in examples.json with "class_str" (our
// extension; NSynth readers ignore it), its family and source when the CSV or the options give
// them, else -1 "unknown"; pitch and velocity 0 (not known). Each file is an instrument of its own,
// so the instrument split keeps a file's notes together.
//
// The dataset is written beside DATASET under a temporary name and swapped into place whole, with
// an import.json sidecar saying what it was made from. Importing again replaces it with what the
// sources hold now: files added, changed or removed are reflected, nothing is listed twice. A folder
// that exists and is not an import (no import.json) is never replaced.
#include <map>
#include <string>
#include <vector>

#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::ml {

struct ImportOptions {
    std::string from;         // the folder of sound files (folders labelling), or the files' base (CSV)
    std::string out;          // the dataset folder to write
    std::string csvPath;      // empty: classes from folder names
    bool wholeFiles = false;  // one note per file (its first 4 s) instead of one per onset
    int family = -1;          // for every note whose labels do not say (dataset::kUnknownLabel: none)
    int source = -1;
    int jobs = 0;             // files decoded at once; 0 = one per core
};

struct ImportFile {
    std::string path;         // absolute
    std::string relative;     // below `from` (or as the CSV gives it)
    std::string ownClass;
    int family = -1;
    int source = -1;
};

// What an import would take, found without decoding anything (the GUI's preview).
struct ImportPlan {
    std::vector<ImportFile> files;                 // sorted by relative path
    std::map<std::string, int> filesPerClass;
    std::vector<std::string> skipped;              // "FILE: reason" (no class, a CSV line that names no file, ...)
};

struct ImportSummary {
    std::size_t files = 0;                         // files imported
    std::size_t notes = 0;                         // notes written
    std::map<std::string, int> notesPerClass;
    std::vector<std::string> failed;               // "FILE: reason", files that could not be read
    std::vector<std::string> skipped;              // as the plan's
    double seconds = 0.0;
};

// The own classes of an imported dataset, from its import.json (sorted; empty for a folder that is
// not an import or whose sidecar cannot be read): what a model trained on it learns, known without
// reading examples.json (the training form shows it as soon as the folder is chosen).
std::vector<std::string> importedClasses(const std::string& datasetFolder);

// Errors: `from` or the CSV missing or unreadable, a malformed CSV (the message names the line), an
// unknown family or source name, fewer than one class found.
Result<ImportPlan> planImport(const ImportOptions& options);

// Decodes, cuts and writes the plan's files. A file that cannot be read is listed in `failed` and
// the others are imported; the dataset is not written when no note at all could be (error), when
// `out` is a folder that is not an import, or on cancel (Cancelled; nothing changes on disk).
// Progress counts files.
Result<ImportSummary> runImport(const ImportPlan& plan, const ImportOptions& options, const ProgressSink& progress = {},
                                const CancellationToken& cancel = {});

} // namespace ts::ml
