#pragma once
// The spectrogram of one sound with its controls: analysis (display STFT or the log-mel the
// timbre-net model sees), frequency scale (linear / logarithmic / mel), colour map (viridis,
// magma, greyscale), dB floor, Export PNG, and a readout of time, frequency, note name and level
// under the pointer. The picture itself is a SpectrogramCanvas; images come from SpectrogramRenderer.
//
// The visible time comes from a TimeRange: its own, or one shared with a WaveformView through
// setTimeRange() so that both show the same stretch of the sound. A signal longer than about a
// minute is analysed off the GUI thread.
#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

#include "audio/AudioFile.h"
#include "ui/common/LatestResult.h"
#include "ui/sound/SpectrogramCanvas.h"
#include "util/Result.h"

class QComboBox;
class QLabel;
class QSpinBox;
class QToolButton;

namespace ts::ui {

class SpectrogramView : public QWidget {
    Q_OBJECT
public:
    explicit SpectrogramView(QWidget* parent = nullptr);

    // Shows a mono signal at sampleRate Hz and sets the time range to all of it. An empty signal
    // (or rate <= 0) clears the view and empties the range.
    void setSignal(std::vector<float> samples, int sampleRate);
    void setSignal(std::shared_ptr<const std::vector<float>> samples, int sampleRate);
    // A decoded sound as core/audio gives it (mono, 16 kHz), shared without copying.
    void setAudio(std::shared_ptr<const ts::audio::DecodedAudio> audio);
    void clear();

    void setPlayhead(double seconds);  // negative hides it
    // The visible time (the canvas's; see SpectrogramCanvas::setTimeRange).
    TimeRange* timeRange() const;
    void setTimeRange(TimeRange* range);

    void setAnalysis(SpectrogramAnalysis analysis);
    SpectrogramAnalysis analysis() const { return m_analysis; }
    void setFrequencyScale(FrequencyScale scale);
    FrequencyScale frequencyScale() const;
    void setColourMap(ColourMap::Kind kind);
    ColourMap::Kind colourMap() const;
    void setFloorDb(int floorDb);  // the level drawn darkest, -160..-20 dB relative to the ceiling's scale
    int floorDb() const;

    // The plot as shown (image, axes, colour bar) written to a PNG file atomically.
    Status exportPng(const QString& path) const;
    QImage snapshot() const;

    SpectrogramCanvas* canvas() const { return m_canvas; }
    QString readoutText() const;  // what the readout line shows now

Q_SIGNALS:
    // A click on the plot: play from there.
    void seekRequested(double seconds);

private:
    void recompute();
    void applySettings();
    void showComputed(SpectrogramData data);
    void chooseExportFile();

    std::shared_ptr<const std::vector<float>> m_samples;
    int m_sampleRate = 0;
    SpectrogramAnalysis m_analysis = SpectrogramAnalysis::Stft;
    LatestResult<SpectrogramData> m_background{this};  // a long signal's analysis; an older signal's is dropped

    SpectrogramCanvas* m_canvas = nullptr;
    QComboBox* m_analysisBox = nullptr;
    QComboBox* m_scaleBox = nullptr;
    QComboBox* m_colourBox = nullptr;
    QSpinBox* m_floorBox = nullptr;
    QToolButton* m_exportButton = nullptr;
    QLabel* m_readout = nullptr;
};

} // namespace ts::ui
