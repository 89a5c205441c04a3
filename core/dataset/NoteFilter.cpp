#include "dataset/NoteFilter.h"

#include <algorithm>
#include <cctype>

namespace ts::dataset {

namespace {

// ASCII case folding is enough: note_str names are ASCII ("guitar_acoustic_010-060-100").
bool containsIgnoringCase(const std::string& haystack, const std::string& needle)
{
    if (needle.empty())
        return true;
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != haystack.end();
}

bool anyOrContains(const std::set<int>& set, int value)
{
    return set.empty() || set.count(value) > 0;
}

} // namespace

bool NoteFilter::matches(const NoteRecord& note) const
{
    return anyOrContains(families, note.family) && anyOrContains(sources, note.source)
        && note.pitch >= minPitch && note.pitch <= maxPitch && anyOrContains(velocities, note.velocity)
        && anyOrContains(instruments, note.instrument) && containsIgnoringCase(note.noteStr, text);
}

std::vector<std::size_t> NoteFilter::apply(const std::vector<NoteRecord>& notes) const
{
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < notes.size(); ++i)
        if (matches(notes[i]))
            indices.push_back(i);
    return indices;
}

} // namespace ts::dataset
