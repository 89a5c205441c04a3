#pragma once
// Which notes to show or use: family, source, pitch range, velocity, instrument, text in note_str.
// An empty optional / empty set means "any".
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dataset/NoteRecord.h"

namespace ts::dataset {

struct NoteFilter {
    std::set<int> families;
    std::set<int> sources;
    int minPitch = 0;
    int maxPitch = 127;
    std::set<int> velocities;
    std::set<int> instruments;
    std::string text;  // case-insensitive substring of note_str

    bool matches(const NoteRecord& note) const;
    std::vector<std::size_t> apply(const std::vector<NoteRecord>& notes) const;
};

} // namespace ts::dataset
