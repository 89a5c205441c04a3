#pragma once
// The quick way through a well-formed examples.json: NoteRecords filled straight from the JSON
// parser's events, no DOM at all. It only ever accepts; anything it does not expect (a missing or
// mistyped field, a value out of range, a note twice, text that is not JSON) makes it give up, and
// ExamplesJson::parse reads the file again the careful way, which names the problem. Both ways give
// the same records for a file they both accept (the fuzz target examples_json checks it).
#include <optional>
#include <string>
#include <vector>

#include "dataset/NoteRecord.h"

namespace ts::dataset {

std::optional<std::vector<NoteRecord>> readNotesFast(const std::string& bytes);

} // namespace ts::dataset
