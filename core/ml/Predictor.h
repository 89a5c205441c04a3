#pragma once
// Classifies sound files or decoded signals with one model predicting both targets, or with a
// family model plus a source model. Decoding goes through core/audio (any rate, format, channels)
// and features through the same code the feature cache uses. Not thread-safe: one per thread.
//
// Files as people have them: the notes are found first (dsp::OnsetDetector), and each is
// classified from its onset, so a note after a second of silence or room noise gets the answer it
// gets without it. Each note is a Segment: the model view starts kOnsetMarginSeconds before its
// onset (never before the file's start, so a note starting at sample 0 gets exactly the first
// 64,000 samples, as in training) and ends at the next note's view or 4 s later, zero-padded. The
// file's answer is the mean of the segments' probabilities weighted by length × RMS level (see
// segmentWeight in Predictor.cpp). A file with no note at all (digital silence) is classified from
// its first 4 s and marked uncertain.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audio/AudioFile.h"
#include "ml/TrainedModel.h"
#include "util/Result.h"

namespace ts::dsp {
class OnsetDetector;
struct OnsetAnalysis;
}

namespace ts::ml {

// An answer whose best class is less likely than this is "uncertain". timbre-net on instruments it
// never heard is right about 55 % of the time for family and 75 % for source (README), so a best
// family below one half, or a best source below 0.6 (with only three classes, 0.33 is chance), is
// a guess the user should see as one, whatever the label.
inline constexpr float kFamilyUncertainBelow = 0.5f;
inline constexpr float kSourceUncertainBelow = 0.6f;
// A dataset's own classes: a best class below one half is a guess, whatever their number.
inline constexpr float kClassUncertainBelow = 0.5f;
// Spectral flatness (dsp::OnsetAnalysis::flatness, power-weighted over a note) above which a
// sound is noise, not a note. Every FluidR3 program the default dataset renders reads below 0.35 at
// C2, C4 and C6 (the harp's C6 highest); white and pink noise read 0.55-0.6, clicks 1, and above 0.4
// are only the programs the dataset skips as percussion or effects (timpani, taiko, orchestra hit,
// breath, seashore, applause, gunshot). Such a sound is marked uncertain whatever the model says.
inline constexpr double kNoiseFlatness = 0.4;
// Where a segment's model view starts before its onset: the detector places onsets to within a 4 ms
// block, and the model was trained on notes whose attack is in the first frames.
inline constexpr double kOnsetMarginSeconds = 0.015;

struct TargetPrediction {
    std::string label;
    float confidence = 0.0f;
    std::vector<std::string> labels;  // all class names, in index order
    std::vector<float> scores;        // probabilities, same order
    // The best class is below this target's threshold (kFamilyUncertainBelow,
    // kSourceUncertainBelow, kClassUncertainBelow), or the sound is not a note (kNoiseFlatness, or no note found).
    bool uncertain = false;
};

struct Segment;
struct PreparedGroup;

// Where the notes of a mono 16 kHz signal are, as the predictor cuts it: each note's model view,
// [start, end) in samples (from kOnsetMarginSeconds before its onset to the next note's view or
// 4 s later). Empty when no note is found. The dataset import cuts long files the same way.
struct NoteSpan {
    std::size_t start = 0;
    std::size_t end = 0;
};
std::vector<NoteSpan> noteSpansOf(const dsp::OnsetAnalysis& analysis, std::size_t length);
std::vector<NoteSpan> findNoteSpans(const dsp::OnsetDetector& onsets, const std::vector<float>& samples16k);

// Files decoded, their notes found and their features computed: all of classifying but the network
// (Predictor::prepareFiles), so it can run while the LibTorch runtime is still loading.
struct PreparedFiles {
    PreparedFiles();
    PreparedFiles(PreparedFiles&&) noexcept;
    PreparedFiles& operator=(PreparedFiles&&) noexcept;
    ~PreparedFiles();

    std::vector<std::string> paths;
    std::vector<std::optional<Error>> errors;  // per path: why it could not be read
    std::vector<PreparedGroup> groups;
};

struct Prediction {
    std::optional<TargetPrediction> family;
    std::optional<TargetPrediction> source;
    std::optional<TargetPrediction> ownClass;  // a model of a dataset's own classes (Target::Class)
    // The notes found, in order; empty when none was (silence) and inside a Segment's own answer.
    std::vector<Segment> segments;
    // false: no note was found, or what was found is noise (see kNoiseFlatness).
    bool noteLike = true;
};

// One note of a file: where its model view starts and where its sound ends (seconds).
struct Segment {
    double start = 0.0;
    double end = 0.0;
    Prediction prediction;
};

class Predictor {
public:
    // One or two model files; with two, each target (family, source, own class) is taken from the
    // first model predicting it: a model of own classes with timbre-net answers all three.
    static Result<Predictor> load(const std::vector<std::string>& modelPaths);
    // The same files read and checked, but their networks built only when the first answer needs
    // them (which loads the LibTorch runtime, ml/Runtime.h): prepareFiles works before that.
    static Result<Predictor> open(const std::vector<std::string>& modelPaths);
    // Builds the networks of a predictor that was opened (nothing once built). The error is the
    // model's: weights that do not fit its architecture, or no runtime.
    Status build() const;

    Result<Prediction> predictFile(const std::string& path) const;
    Result<Prediction> predict(const audio::DecodedAudio& audio) const;
    // A mono 16 kHz signal of any length: its notes are found and classified (see above).
    Result<Prediction> predictSignal(const std::vector<float>& samples16k) const;

    // Several signals or files at once: the same answers as one at a time, with the views of all
    // of them scored in shared batches (tagging a folder of short notes). A file that cannot be
    // read gets its error; the others are still classified.
    Result<std::vector<Prediction>> predictSignals(const std::vector<std::vector<float>>& signals16k) const;
    std::vector<Result<Prediction>> predictFiles(const std::vector<std::string>& paths) const;
    // predictFiles in two steps: the first needs no network (and no runtime), the second scores.
    PreparedFiles prepareFiles(const std::vector<std::string>& paths) const;
    std::vector<Result<Prediction>> finishFiles(PreparedFiles&& prepared) const;

    // Whether its models answer a dataset's own classes and neither family nor source.
    bool predictsOnlyOwnClasses() const;

    // The networks, built (empty for a predictor opened and not built yet).
    const std::vector<TrainedModel>& models() const { return m_models; }

private:
    // Which model answers which target, and the features it reads.
    struct Source {
        std::string path;
        ModelFile file;
        Architecture architecture;
        bool family = false;
        bool source = false;
        bool ownClass = false;

        bool scoresAnything() const { return family || source || ownClass; }
    };

    PreparedGroup prepare(const std::vector<const std::vector<float>*>& signals) const;
    Result<std::vector<Prediction>> finish(const PreparedGroup& group) const;
    Result<std::vector<Prediction>> predictMany(const std::vector<const std::vector<float>*>& signals) const;

    std::vector<Source> m_sources;
    mutable std::vector<TrainedModel> m_models;  // one per source, once built
    std::shared_ptr<const dsp::OnsetDetector> m_onsets;
};

} // namespace ts::ml
