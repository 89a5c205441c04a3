#include "ui/sound/SpectrogramData.h"

#include <algorithm>
#include <cmath>

#include "dsp/DisplayStft.h"
#include "dsp/LogMel.h"

namespace ts::ui {

QString spectrogramAnalysisName(SpectrogramAnalysis analysis)
{
    return analysis == SpectrogramAnalysis::LogMel ? QStringLiteral("Log-mel 64") : QStringLiteral("STFT 1024");
}

double SpectrogramData::ceilingDb() const
{
    if (analysis == SpectrogramAnalysis::Stft || levels.values.empty())
        return 0.0;
    const float loudest = *std::max_element(levels.values.begin(), levels.values.end());
    return std::ceil(double(loudest) / 10.0) * 10.0;
}

SpectrogramData SpectrogramData::fromStft(const std::vector<float>& samples, int sampleRate)
{
    ts::dsp::DisplayStftSettings settings;
    settings.sampleRate = std::max(1, sampleRate);
    settings.hop = ts::dsp::displayHopFor(samples.size());
    SpectrogramData data;
    data.levels = ts::dsp::computeDisplayStft(samples.data(), samples.size(), settings);
    data.binHz.resize(std::size_t(data.levels.bins));
    for (int b = 0; b < data.levels.bins; ++b)
        data.binHz[std::size_t(b)] = settings.binHz(b);
    data.secondsPerFrame = double(settings.hop) / settings.sampleRate;
    data.durationSeconds = double(samples.size()) / settings.sampleRate;
    data.sampleRate = settings.sampleRate;
    data.analysis = SpectrogramAnalysis::Stft;
    return data;
}

SpectrogramData SpectrogramData::fromLogMel(const std::vector<float>& samples, int sampleRate)
{
    ts::dsp::LogMelSettings settings;
    settings.sampleRate = std::max(1, sampleRate);
    settings.maxHz = std::min(settings.maxHz, settings.sampleRate / 2.0f);
    const ts::dsp::LogMel logMel(settings);
    SpectrogramData data;
    data.levels = logMel.compute(samples.data(), samples.size());
    data.binHz.resize(std::size_t(data.levels.bins));
    for (int b = 0; b < data.levels.bins; ++b)
        data.binHz[std::size_t(b)] = logMel.bandCentreHz(b);
    data.secondsPerFrame = double(settings.hop) / settings.sampleRate;
    data.durationSeconds = double(samples.size()) / settings.sampleRate;
    data.sampleRate = settings.sampleRate;
    data.analysis = SpectrogramAnalysis::LogMel;
    return data;
}

SpectrogramData SpectrogramData::compute(SpectrogramAnalysis analysis, const std::vector<float>& samples,
                                         int sampleRate)
{
    return analysis == SpectrogramAnalysis::LogMel ? fromLogMel(samples, sampleRate) : fromStft(samples, sampleRate);
}

} // namespace ts::ui
