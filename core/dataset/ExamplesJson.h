#pragma once
// NSynth's examples.json, parsed and validated: one object keyed by note_str whose values carry
// every field of a note, label indices agreeing with their *_str names. Notes come back in file
// order (the seed split depends on it); wavPath/wavExists are left for Dataset to fill.
#include <string>
#include <vector>

#include "dataset/NoteRecord.h"
#include "util/Result.h"

namespace ts::dataset {

class ExamplesJson {
public:
    // Errors (BadFormat, path = jsonPath): not JSON (with line and column), not an object, no
    // notes, a note twice, a note lacking a field or with a wrong type or an out-of-range value
    // (the message names the note and the field).
    static Result<std::vector<NoteRecord>> parse(const std::string& bytes, const std::string& jsonPath);
    // The same, always the careful way (a small DOM per note), never the quick one (FastNoteReader.h)
    // parse() tries first: for the checks that the two agree.
    static Result<std::vector<NoteRecord>> parseCarefully(const std::string& bytes, const std::string& jsonPath);
};

} // namespace ts::dataset
