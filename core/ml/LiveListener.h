#pragma once
// Classifying what is being played, as it is played: blocks of 16 kHz mono samples go in (from a
// microphone or a file fed at its own pace), answers come out. Every kAnalysisHop samples the last
// second is searched for onsets (dsp::OnsetDetector; a sound swelling out of quiet starts a note
// where its level rose); a new note is answered from what has been heard of it so far (its onset,
// less Predictor's margin, to now) 80 ms in and again as more of it arrives (kRefineAfter), the last
// time from a full 4 s view or up to the next note. A
// stretch of quiet after a note ends it ("listening" again). While the note sounds, what has been
// heard is held (its last 100 ms looped to fill the view: cut short, a note reads as a struck one);
// a note's last answer is the one Predictor::predictSignal gives for the excerpt as it is, so the
// live view and a recording of it agree. Qt-free; not thread-safe (one per worker thread, like its
// Predictor).
#include <cstddef>
#include <deque>
#include <optional>
#include <vector>

#include "ml/Predictor.h"
#include "util/Result.h"

namespace ts::ml {

// Samples between two looks for onsets: 16 ms at 16 kHz.
inline constexpr std::size_t kAnalysisHop = 256;
// Seconds after its onset at which a note is answered: first once 80 ms of it have been heard (from
// 15 ms, as soon as it is found, the first answer was that of the whole note for 10 % of 40 notes of
// the default dataset; from 80 ms for 35 %), then again as more arrives, the last from a 4 s view.
inline constexpr double kRefineAfter[] = {0.06, 0.25, 0.5, 1.0, 2.0, 4.0};

struct LiveAnswer {
    double onset = 0.0;  // stream seconds at which the note starts
    double heard = 0.0;  // stream seconds the answer has heard up to (the end of its excerpt)
    bool first = false;  // the note's first answer
    bool final = false;  // its last: a 4 s view, or the next note or quiet came (not held)
    Prediction prediction;
};

struct LiveStep {
    std::vector<LiveAnswer> answers;  // in stream order
    bool quietStarted = false;        // the sound stopped: nothing is being played now
};

class LiveListener {
public:
    // `predictor` must outlive the listener.
    explicit LiveListener(const Predictor& predictor);
    ~LiveListener();

    // Appends `count` samples (16 kHz mono) to the stream and returns what they brought.
    Result<LiveStep> feed(const float* samples, std::size_t count);

    double streamSeconds() const;
    bool noteSounding() const { return m_noteStart.has_value(); }

private:
    // One look at the stream up to `end` (a multiple of kAnalysisHop).
    Status look(std::size_t end, LiveStep& step);
    // A note begins at `onset` (heard up to `end`): the note before gets its last answer, this one
    // its first.
    Status startNote(std::size_t onset, std::size_t end, LiveStep& step);
    // The sounding note's answer from its view start to `end`.
    Result<LiveAnswer> answer(std::size_t end, bool first, bool final) const;
    float recentLevelDb(std::size_t end, std::size_t samples) const;
    const float* at(std::size_t streamIndex) const { return m_history.data() + (streamIndex - m_historyStart); }

    const Predictor& m_predictor;
    std::unique_ptr<dsp::OnsetDetector> m_onsets;
    std::vector<float> m_history;     // the last few seconds of the stream
    std::size_t m_historyStart = 0;   // stream index of m_history[0]
    std::optional<std::size_t> m_noteStart;  // stream index of the sounding note's view start
    std::size_t m_noteOnset = 0;
    std::size_t m_lastOnset = 0;
    bool m_anyOnset = false;
    std::size_t m_refinements = 0;    // of kRefineAfter done for the sounding note
    float m_noteLevelDb = -200.0f;    // the sounding note's loudest recent level
    std::deque<float> m_levels;       // the level of the last 16 ms at each look, the last 3 s
};

} // namespace ts::ml
