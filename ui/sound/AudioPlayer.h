#pragma once
// Plays a mono float signal through QtMultimedia without blocking the UI: the signal is converted
// once to the output device's PCM format and handed to a QAudioSink in pull mode. Reports the
// playhead (seconds into the signal) about 30 times a second for the views.
#include <QByteArray>
#include <QObject>
#include <QString>
#include <memory>
#include <vector>

class QAudioSink;
class QBuffer;
class QTimer;

namespace ts::ui {

class AudioPlayer : public QObject {
    Q_OBJECT
public:
    explicit AudioPlayer(QObject* parent = nullptr);
    ~AudioPlayer() override;

    bool isPlaying() const { return m_playing; }
    // Plays from startSeconds (stopping whatever plays). False, with errorOccurred, when there is
    // no output device or the signal is empty.
    bool play(const std::vector<float>& samples, int sampleRate, double startSeconds = 0.0);
    void stop();

Q_SIGNALS:
    void playingChanged(bool playing);
    void positionChanged(double seconds);  // while playing
    void errorOccurred(const QString& message);

private:
    void finish();
    void reportPosition();

    QAudioSink* m_sink = nullptr;
    QBuffer* m_buffer = nullptr;
    QByteArray m_pcm;
    QTimer* m_timer = nullptr;
    double m_durationSeconds = 0.0;
    double m_startSeconds = 0.0;
    bool m_playing = false;
};

} // namespace ts::ui
