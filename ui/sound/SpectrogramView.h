#pragma once
// The spectrogram of one sound with its controls: analysis (display STFT or the log-mel the
// timbre-net model sees), frequency scale (linear / logarithmic / mel), colour map (viridis,
// magma, greyscale), dB floor, Export PNG, and a readout of time, frequency, note name and level
// under the pointer. The picture itself is a SpectrogramCanvas; images come from SpectrogramRenderer.
//
// Zoom sync with a WaveformView: connect each view's visibleRangeChanged to the other's
// setVisibleRange. setVisibleRange() never emits (only the user's zoom and pan do), so the pair
// cannot loop. A signal longer than about a minute is analysed off the GUI thread.
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

    // Shows a mono signal at sampleRate Hz, whole. An empty signal (or rate <= 0) clears the view.
    void setSignal(std::vector<float> samples, int sampleRate);
    void setSignal(std::shared_ptr<const std::vector<float>> samples, int sampleRate);
    // A decoded sound as core/audio gives it (mono, 16 kHz), shared without copying.
    void setAudio(std::shared_ptr<const ts::audio::DecodedAudio> audio);
    void clear();

    void setPlayhead(double seconds);  // negative hides it
    void setVisibleRange(double startSeconds, double endSeconds);  // does not emit
    std::pair<double, double> visibleRange() const;

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
    void visibleRangeChanged(double startSeconds, double endSeconds);
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
    double m_pendingStart = -1.0;  // a range set while computing, applied when the data arrives
    double m_pendingEnd = -1.0;

    SpectrogramCanvas* m_canvas = nullptr;
    QComboBox* m_analysisBox = nullptr;
    QComboBox* m_scaleBox = nullptr;
    QComboBox* m_colourBox = nullptr;
    QSpinBox* m_floorBox = nullptr;
    QToolButton* m_exportButton = nullptr;
    QLabel* m_readout = nullptr;
};

} // namespace ts::ui
