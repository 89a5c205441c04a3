#pragma once
// Tagging a sample library: every sound file under a folder classified, several files at once, each
// worker thread with its own Predictor and a few files per turn so their notes share forward passes;
// then, if the user wants, the files copied or linked into one folder per family (or source).
// Shared by `timbrescope predict --recursive` and the GUI's "Tag folder…". Qt-free.
#include <optional>
#include <string>
#include <vector>

#include "ml/Predictor.h"
#include "util/CancellationToken.h"
#include "util/ProgressSink.h"
#include "util/Result.h"

namespace ts::ml {

// Sound files under `folder`, every level down, by extension (what core/audio decodes), in path
// order. A folder that cannot be walked adds a "PATH: reason" line to `problems`, not a stop.
std::vector<std::string> soundFilesUnder(const std::string& folder, std::vector<std::string>& problems);

struct TaggedFile {
    std::string path;
    std::optional<Prediction> prediction;
    std::string error;  // "FILE: reason" when there is no prediction
};

// Classifies `files` on `jobs` threads (the calling one with `first`, the others each with a
// Predictor opened from `modelPaths`). `first` may be opened and not built (Predictor::open): the
// runtime then loads on a thread of its own while the workers prepare files, which hides most of
// its load time. Progress counts files; a cancel stops every worker after its current turn of files
// and the files not reached get the error "FILE: not classified (cancelled)". The error is the
// model's when its network cannot be built (then no file is classified).
// The answers are those of Predictor::predictFile, but for the last digits of a confidence (a
// batch of several views runs a little differently through the network than one view alone).
Result<std::vector<TaggedFile>> tagFiles(const std::vector<std::string>& files, const Predictor& first,
                                 const std::vector<std::string>& modelPaths, int jobs,
                                 const ProgressSink& progress = {}, const CancellationToken& cancel = {});

// One CSV line per file: file,family,family_confidence,family_uncertain,source,source_confidence,
// source_uncertain,error (a header first; a target the model does not predict is left empty); with a
// model of own classes, class,class_confidence,class_uncertain come before error.
// With `segments`, columns start,end (seconds) follow file and each note found is a line of its
// own (a long take, cut at its onsets); a file without a note keeps one line with them empty.
std::string taggedCsv(const std::vector<TaggedFile>& tagged, bool segments = false);

enum class SortBy { Family, Source, Class };
enum class SortAction { Copy, HardLink, SymbolicLink };

// One file of a sort: where it goes, or why it is left where it is.
struct SortStep {
    std::string from;
    std::string to;       // empty when skipped
    std::string skipped;  // "" (to be done), "unreadable", "already there", "two files, one name", ...
};

// Where each tagged file would go: DESTINATION/LABEL/its path below `root` (the folder that was
// tagged; a file outside it keeps only its name), so files of the same name in different subfolders
// do not meet. An uncertain answer goes to DESTINATION/uncertain. A target that exists already is
// never overwritten: it is planned as skipped ("already there"). Nothing is touched on disk.
std::vector<SortStep> planSort(const std::vector<TaggedFile>& tagged, const std::string& root,
                               const std::string& destination, SortBy by);

// Carries out the steps not skipped: makes the folders and copies or links each file. Never
// overwrites (a target that appeared since the plan is reported and left alone) and never moves or
// deletes a source. Returns the number of files placed; `problems` gets "FILE: reason" lines.
std::size_t applySort(const std::vector<SortStep>& steps, SortAction action, std::vector<std::string>& problems,
                      const ProgressSink& progress = {}, const CancellationToken& cancel = {});

} // namespace ts::ml
