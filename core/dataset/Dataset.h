#pragma once
// An NSynth json/wav folder: examples.json (parsed and validated) plus audio/<note_str>.wav.
// Notes whose WAV is missing are listed, not fatal. Note order is the file order of examples.json
// (the seed split depends on it). A rendered set's instruments.json sidecar, when present and
// readable, tells each note's generator; a damaged sidecar is ignored (examples.json is the data).
#include <array>
#include <string>
#include <vector>

#include "dataset/NoteRecord.h"
#include "util/Result.h"

namespace ts::dataset {

// The generators a rendered dataset's instruments.json names, sorted, without loading the dataset
// (empty when the folder has no readable sidecar).
std::vector<std::string> generatorNamesIn(const std::string& folder);

class Dataset {
public:
    // Errors: folder missing, examples.json missing / not JSON / not an object / a note lacking a
    // field or with a wrong type (the message names the note and the field).
    static Result<Dataset> load(const std::string& folder);

    const std::string& folder() const { return m_folder; }
    const std::vector<NoteRecord>& notes() const { return m_notes; }
    std::size_t size() const { return m_notes.size(); }
    // Notes that exist in examples.json but whose WAV is missing.
    std::vector<std::string> missingWavs() const;
    // Only the notes that have their WAV (what training and feature extraction use).
    std::vector<std::size_t> usableIndices() const;

    // The own classes its notes carry (NoteRecord::ownClass), sorted: a model's class order. Empty
    // for an NSynth-style dataset. classIndex is a note's place in it, -1 for a note without one.
    const std::vector<std::string>& classNames() const { return m_classNames; }
    int classIndex(const NoteRecord& note) const;

    std::array<int, 11> familyCounts() const;  // notes of unknown family are not counted
    std::array<int, 3> sourceCounts() const;
    int instrumentCount() const;
    // Notes per sound generator, from the instruments.json sidecar a render writes (sorted by
    // name; empty for a dataset without one, such as real NSynth).
    std::vector<std::pair<std::string, int>> generatorCounts() const;

    // Identifies the dataset's content for caches: examples.json bytes plus every WAV's size and
    // modification time. Changes when any file changes.
    std::string fingerprint() const;
    // Identifies which notes the dataset holds: examples.json bytes plus which WAVs exist, not their
    // sizes or times. A dataset rendered again from the same recipe (or copied) keeps it, so a
    // model's split of it is the split it was trained on, while fingerprint() changes.
    std::string notesFingerprint() const;

private:
    std::string m_folder;
    std::vector<NoteRecord> m_notes;
    std::vector<std::string> m_classNames;
    std::string m_fingerprint;
    std::string m_notesFingerprint;
};

} // namespace ts::dataset
