#pragma once
// The right-hand side of the library: what the current sound is (a dataset note or a dropped
// file), a play button, and its waveform above its spectrogram with zoom kept in step.
// Shows a short message instead when there is nothing to show or the sound cannot be read.
#include <QString>
#include <QWidget>
#include <memory>

#include "audio/AudioFile.h"

class QLabel;
class QSplitter;
class QStackedWidget;
class QToolButton;

namespace ts::ui {

class SpectrogramView;
class WaveformView;

class SoundViewPanel : public QWidget {
    Q_OBJECT
public:
    explicit SoundViewPanel(QWidget* parent = nullptr);

    void showSound(const QString& title, const QString& details, std::shared_ptr<const audio::DecodedAudio> audio);
    void showMessage(const QString& title, const QString& message);

    QString title() const;
    QString details() const;
    const std::shared_ptr<const audio::DecodedAudio>& audio() const { return m_audio; }

    void setPlaying(bool playing);
    // Seconds into the sound; negative hides the playhead.
    void setPlayhead(double seconds);

    WaveformView* waveform() const { return m_waveform; }
    SpectrogramView* spectrogram() const { return m_spectrogram; }
    // Between waveform and spectrogram; its state is saved with the window's.
    QSplitter* splitter() const { return m_splitter; }

Q_SIGNALS:
    void playToggleRequested();
    // A click in the waveform or spectrogram: play from there.
    void seekRequested(double seconds);

private:
    QLabel* m_title = nullptr;
    QLabel* m_details = nullptr;
    QToolButton* m_play = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLabel* m_message = nullptr;
    QSplitter* m_splitter = nullptr;
    WaveformView* m_waveform = nullptr;
    SpectrogramView* m_spectrogram = nullptr;
    std::shared_ptr<const audio::DecodedAudio> m_audio;
};

} // namespace ts::ui
