#include "dataset/NoteFilter.h"

#include <algorithm>

namespace ts::dataset {

namespace {

char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? char(c + ('a' - 'A')) : c; }

// ASCII case folding is enough: note_str names are ASCII ("guitar_acoustic_010-060-100"). Plain
// loops over the bytes, no locale: the library searches 300,000 names per keystroke.
bool containsIgnoringCase(const std::string& haystack, const std::string& needle)
{
    if (needle.empty())
        return true;
    if (needle.size() > haystack.size())
        return false;
    const char first = asciiLower(needle[0]);
    const std::size_t last = haystack.size() - needle.size();
    for (std::size_t i = 0; i <= last; ++i) {
        if (asciiLower(haystack[i]) != first)
            continue;
        std::size_t k = 1;
        while (k < needle.size() && asciiLower(haystack[i + k]) == asciiLower(needle[k]))
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
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
