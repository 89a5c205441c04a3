// Fuzz target `examples_json`: any bytes as a dataset's examples.json, through ExamplesJson::parse
// (the quick reader, or the careful one when the quick one gives up) and parseCarefully (which must
// agree with it), and, when they parse, as
// the examples.json of a dataset folder opened with Dataset::load.
#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "FuzzSupport.h"
#include "dataset/Dataset.h"
#include "dataset/ExamplesJson.h"

using ts::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const ts::fuzz::ScratchFolder folder;
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    const auto parsed = ts::dataset::ExamplesJson::parse(bytes, "examples.json");
    // The quick reader parse() tries first accepts only what the careful one accepts, with the same
    // records; everything else is the careful reader's answer.
    const auto careful = ts::dataset::ExamplesJson::parseCarefully(bytes, "examples.json");
    require(parsed.ok() == careful.ok(), "the quick and the careful reader disagree on accepting");
    if (parsed.ok()) {
        require(parsed->size() == careful->size(), "the quick and the careful reader read different note counts");
        for (std::size_t i = 0; i < parsed->size(); ++i) {
            const auto& a = (*parsed)[i];
            const auto& b = (*careful)[i];
            require(a.noteStr == b.noteStr && a.note == b.note && a.instrument == b.instrument &&
                        a.instrumentStr == b.instrumentStr && a.pitch == b.pitch && a.velocity == b.velocity &&
                        a.sampleRate == b.sampleRate && a.qualities == b.qualities && a.family == b.family &&
                        a.source == b.source && a.ownClass == b.ownClass,
                    "the quick and the careful reader read a note differently");
        }
    } else {
        require(parsed.error().describe() == careful.error().describe(), "the two readers word an error differently");
    }
    if (!parsed) {
        require(!parsed.error().message.empty(), "an error without a message");
        return 0;
    }
    // What the rest of the program indexes with these fields without checking them again.
    std::set<std::string> names;
    for (const ts::dataset::NoteRecord& note : *parsed) {
        // -1 is an imported note's unknown family or source (dataset::kUnknownLabel), which every reader checks for.
        require(note.family >= -1 && note.family < 11 && note.source >= -1 && note.source < 3, "label out of range");
        require(note.pitch >= 0 && note.pitch <= 127 && note.velocity >= 0 && note.velocity <= 127, "pitch or velocity");
        require(!note.noteStr.empty() && note.noteStr.find('/') == std::string::npos && note.noteStr[0] != '.',
                "note_str that names a file outside audio/");
        require(names.insert(note.noteStr).second, "a note twice");
    }

    ts::fuzz::writeFile(folder.path() + "/examples.json", bytes);
    const auto dataset = ts::dataset::Dataset::load(folder.path());
    require(dataset.ok(), "Dataset::load refused what ExamplesJson::parse accepted");
    require(dataset->size() == parsed->size(), "Dataset::load gave another number of notes");
    for (std::size_t i = 0; i < parsed->size(); ++i)
        require(dataset->notes()[i].noteStr == (*parsed)[i].noteStr, "Dataset::load changed the note order");
    int families = 0;
    for (int n : dataset->familyCounts())
        families += n;
    for (const auto& note : dataset->notes())
        families += note.family == ts::dataset::kUnknownLabel;  // not counted among the 11
    require(std::size_t(families) == dataset->size(), "family counts do not add up to the notes");
    // Own classes: sorted, unique, and every note's class among them.
    const auto& classes = dataset->classNames();
    require(std::is_sorted(classes.begin(), classes.end()) && std::adjacent_find(classes.begin(), classes.end()) == classes.end(),
            "own classes not sorted and unique");
    for (const auto& note : dataset->notes())
        require(note.ownClass.empty() == (dataset->classIndex(note) < 0), "a note's own class is not among the dataset's");
    return 0;
}
