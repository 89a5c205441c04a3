#include "ml/LiveListener.h"

#include <algorithm>
#include <cmath>

#include "dsp/OnsetDetector.h"

namespace ts::ml {

namespace {

constexpr std::size_t kRate = audio::kModelSampleRate;
// Onsets are looked for in the last second: long enough for the detector's local median and
// "loudest in the signal" to mean something, short enough to cost well under a millisecond.
constexpr std::size_t kWindow = kRate;
// An onset in a window's first 250 ms was found by an earlier look, or is the window's cut through a
// sounding note (the detector takes the frame before a signal as silence).
constexpr std::size_t kWindowHead = kRate / 4;
// Two onsets closer than this are one (OnsetSettings::minGapSeconds): a later look may place an
// onset a block or two from where an earlier one did.
constexpr std::size_t kSameOnset = std::size_t(0.06 * kRate);
constexpr std::size_t kKeep = 6 * kRate;  // history kept: a 4 s view and a note's lead-in
// Quiet: the last 250 ms are 35 dB under the note's loudest, or under -70 dB (a full-scale sine
// reads 0 dB) in any case.
constexpr std::size_t kQuietSamples = kRate / 4;
constexpr float kQuietBelowNoteDb = 35.0f;
constexpr float kQuietDb = -70.0f;
// A note starts above the room: the detector judges levels against the loudest in its window, so in
// a window of room noise alone the noise's own flutters read as onsets. The last 16 ms must be
// kAboveFloorDb over the floor (the 10th percentile of the last 3 s of 16 ms levels) and over
// kNoteDb in any case (a sine of amplitude 0.001): a quiet room at -65 dB gates at -60 dB, a noisy
// one at -45 dB at -33 dB, and a soft, slowly rising string note is answered once it clears them.
constexpr float kNoteDb = -60.0f;
constexpr float kAboveFloorDb = 12.0f;
constexpr std::size_t kFloorLooks = 3 * kRate / kAnalysisHop;

std::size_t seconds(double s) { return std::size_t(std::lround(s * double(kRate))); }

// The window cuts through what came before it: without continuesEarlier, a loud note at its start
// read as a jump from silence, the strongest flux in the window, and raised the threshold so far
// that a soft note half a second later went unanswered until the loud one left the window (500 ms).
dsp::OnsetSettings liveOnsetSettings()
{
    dsp::OnsetSettings settings;
    settings.continuesEarlier = true;
    return settings;
}

// A note still sounding, as the model should hear it: its last 100 ms (half of it, when shorter)
// looped, with 10 ms crossfades, to fill the model's 4 s view. Cut short and padded with silence, a
// note reads as a short struck one: on 300 notes of the default dataset the shipped timbre-net's
// answer from the first 150 ms agreed with its answer from the whole note for 13 % of them (mallet
// or string nearly every time); held, for 48 % (250 ms: 16 % and 55 %; 500 ms: 37 % and 66 %).
void hold(std::vector<float>& x)
{
    constexpr std::size_t kFade = kRate / 100;
    const std::size_t loop = std::min(kRate / 10, x.size() / 2);
    if (x.size() >= audio::kModelFrames || loop <= kFade)
        return;
    const std::vector<float> piece(x.end() - std::ptrdiff_t(loop + kFade), x.end());
    while (x.size() < audio::kModelFrames) {
        float* tail = x.data() + (x.size() - kFade);
        for (std::size_t i = 0; i < kFade; ++i) {
            const float r = float(i) / float(kFade);
            tail[i] = tail[i] * (1.0f - r) + piece[i] * r;
        }
        x.insert(x.end(), piece.begin() + std::ptrdiff_t(kFade), piece.end());
    }
    x.resize(audio::kModelFrames);
}

} // namespace

LiveListener::LiveListener(const Predictor& predictor)
    : m_predictor(predictor), m_onsets(std::make_unique<dsp::OnsetDetector>(liveOnsetSettings()))
{
}

LiveListener::~LiveListener() = default;

double LiveListener::streamSeconds() const
{
    return double(m_historyStart + m_history.size()) / double(kRate);
}

Result<LiveStep> LiveListener::feed(const float* samples, std::size_t count)
{
    // Looks happen at every multiple of kAnalysisHop of the stream, whatever the block sizes, so
    // a stream gives the same answers fed in blocks of 64 or of 4096.
    LiveStep step;
    while (count > 0) {
        const std::size_t end = m_historyStart + m_history.size();
        const std::size_t take = std::min(count, kAnalysisHop - end % kAnalysisHop);
        m_history.insert(m_history.end(), samples, samples + take);
        samples += take;
        count -= take;
        if ((end + take) % kAnalysisHop == 0)
            if (auto looked = look(end + take, step); !looked)
                return looked.error();
    }
    // Trimmed a second at a time, not every block.
    if (m_history.size() > kKeep + kRate) {
        std::size_t drop = m_history.size() - kKeep;
        if (m_noteStart && m_refinements < std::size(kRefineAfter))  // its answers still to come need it
            drop = std::min(drop, *m_noteStart > m_historyStart ? *m_noteStart - m_historyStart : 0);
        m_history.erase(m_history.begin(), m_history.begin() + std::ptrdiff_t(drop));
        m_historyStart += drop;
    }
    return step;
}

Status LiveListener::look(std::size_t end, LiveStep& step)
{
    const std::size_t windowStart = std::max(m_historyStart, end > kWindow ? end - kWindow : 0);
    const auto analysis = m_onsets->analyse(at(windowStart), end - windowStart);
    m_levels.push_back(recentLevelDb(end, kAnalysisHop));
    if (m_levels.size() > kFloorLooks)
        m_levels.pop_front();
    std::vector<float> sorted(m_levels.begin(), m_levels.end());
    const auto tenth = sorted.begin() + std::ptrdiff_t(sorted.size() / 10);
    std::nth_element(sorted.begin(), tenth, sorted.end());
    const float floorDb = *tenth;
    const float gateDb = std::max(kNoteDb, floorDb + kAboveFloorDb);
    bool started = false;
    for (std::size_t onset : analysis.onsets) {
        if (windowStart > 0 && onset < kWindowHead)
            continue;
        const std::size_t absolute = windowStart + onset;
        if (m_anyOnset && absolute < m_lastOnset + kSameOnset)
            continue;
        if (recentLevelDb(end, std::min(end - absolute, kAnalysisHop)) < gateDb)
            continue;
        if (auto s = startNote(absolute, end, step); !s)
            return s;
        started = true;
    }
    // A sound swelling out of quiet (a bowed string, a breathy voice) may make no flux peak: the
    // detector finds it only as the first sound of its window, which live is whatever came before.
    // In quiet, a level that has risen 10 dB over the last 250 ms and stands over the gate starts
    // a note where it first rose 6 dB above the floor (a decaying tail never rises).
    if (!started && !m_noteStart && recentLevelDb(end, kAnalysisHop) >= gateDb && end >= m_historyStart + kQuietSamples) {
        constexpr std::size_t kBlock = 64;
        float lowest = 0.0f;
        std::size_t rose = 0;
        bool found = false;
        for (std::size_t b = end - kQuietSamples; b + kBlock <= end; b += kBlock) {
            const float db = recentLevelDb(b + kBlock, kBlock);
            lowest = b == end - kQuietSamples ? db : std::min(lowest, db);
            if (!found && db >= floorDb + 6.0f && db >= std::max(kNoteDb - 6.0f, lowest + 6.0f)) {
                rose = b;
                found = true;
            }
        }
        if (found && recentLevelDb(end, kAnalysisHop) >= lowest + 10.0f && (!m_anyOnset || rose >= m_lastOnset + kSameOnset))
            if (auto s = startNote(rose, end, step); !s)
                return s;
    }
    if (!m_noteStart)
        return {};
    m_noteLevelDb = std::max(m_noteLevelDb, recentLevelDb(end, kAnalysisHop));
    const bool quiet = end - m_noteOnset >= kQuietSamples &&
                       recentLevelDb(end, kQuietSamples) < std::max(kQuietDb, m_noteLevelDb - kQuietBelowNoteDb);
    if (quiet) {
        if (m_refinements < std::size(kRefineAfter)) {
            auto last = answer(end, m_refinements == 0, true);
            if (!last)
                return last.error();
            step.answers.push_back(std::move(last).value());
        }
        m_noteStart.reset();
        step.quietStarted = true;
        return {};
    }
    if (m_refinements < std::size(kRefineAfter) && end - m_noteOnset >= seconds(kRefineAfter[m_refinements])) {
        const bool final = m_refinements + 1 == std::size(kRefineAfter);
        auto again = answer(end, m_refinements == 0, final);
        if (!again)
            return again.error();
        step.answers.push_back(std::move(again).value());
        ++m_refinements;
        if (final)
            m_refinements = std::size(kRefineAfter);
    }
    return {};
}

Status LiveListener::startNote(std::size_t onset, std::size_t end, LiveStep& step)
{
    const std::size_t viewStart = std::max(m_historyStart, onset - std::min(onset, seconds(kOnsetMarginSeconds)));
    if (m_noteStart && m_refinements < std::size(kRefineAfter)) {
        // The note before ends where this one's view starts (its first answer, if it was too short
        // to get one before).
        auto last = answer(std::max(viewStart, *m_noteStart + 1), m_refinements == 0, true);
        if (!last)
            return last.error();
        step.answers.push_back(std::move(last).value());
    }
    m_anyOnset = true;
    m_lastOnset = onset;
    m_noteOnset = onset;
    m_noteStart = viewStart;
    m_refinements = 0;  // its first answer comes kRefineAfter[0] in (refine, below)
    m_noteLevelDb = recentLevelDb(end, std::min(end - onset, kAnalysisHop));
    return {};
}

Result<LiveAnswer> LiveListener::answer(std::size_t end, bool first, bool final) const
{
    const std::size_t start = *m_noteStart;
    // No more than the model's view: what comes after it would not change the answer.
    end = std::min(end, start + audio::kModelFrames);
    std::vector<float> excerpt(at(start), at(start) + (end - start));
    if (!final)
        hold(excerpt);
    auto prediction = m_predictor.predictSignal(excerpt);
    if (!prediction)
        return prediction.error();
    LiveAnswer a;
    a.onset = double(m_noteOnset) / double(kRate);
    a.heard = double(end) / double(kRate);
    a.first = first;
    a.final = final;
    a.prediction = std::move(prediction).value();
    return a;
}

float LiveListener::recentLevelDb(std::size_t end, std::size_t samples) const
{
    samples = std::min(samples, end - m_historyStart);
    if (samples == 0)
        return -200.0f;
    double sum = 0.0;
    for (const float* x = at(end - samples); x != at(end); ++x)
        sum += double(*x) * *x;
    const double power = 2.0 * sum / double(samples);  // a sine of amplitude 1 reads 0 dB
    return power > 1e-20 ? float(10.0 * std::log10(power)) : -200.0f;
}

} // namespace ts::ml
