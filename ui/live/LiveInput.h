#pragma once
// Where live sound comes from: a microphone (QAudioSource on a chosen input device, in whatever
// format and rate it offers, brought to 16 kHz mono), or a sound file played into the panel at its
// own pace, the test source: the panel's tests, and a user without a microphone, go through the
// same path as live sound.
#include <QAudioDevice>
#include <QAudioFormat>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QVector>

#include <memory>
#include <vector>

class QAudioSource;
class QIODevice;
class QTimer;

namespace ts::audio {
class MonoAt16k;
}

namespace ts::ui {

class LiveInput : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    ~LiveInput() override;

    virtual QString name() const = 0;
    // Starts delivering samplesArrived; false with `error` set (naming the device or file and the
    // reason) when it cannot.
    virtual bool start(QString* error) = 0;
    virtual void stop() = 0;

Q_SIGNALS:
    // 16 kHz mono, in order, as it arrives.
    void samplesArrived(const QVector<float>& samples);
    // No more will come: the file played to its end (`why` empty) or the device failed.
    void ended(const QString& why);
};

class MicrophoneInput final : public LiveInput {
    Q_OBJECT
public:
    explicit MicrophoneInput(const QAudioDevice& device, QObject* parent = nullptr);
    ~MicrophoneInput() override;

    QString name() const override;
    bool start(QString* error) override;
    void stop() override;

private:
    void readAvailable();

    QAudioDevice m_device;
    QAudioFormat m_format;
    QAudioSource* m_source = nullptr;
    QIODevice* m_io = nullptr;
    std::unique_ptr<audio::MonoAt16k> m_resampler;
    std::vector<float> m_mono;
};

class FileInput final : public LiveInput {
    Q_OBJECT
public:
    // `speed` 1 plays in real time; tests may play faster.
    explicit FileInput(const QString& path, double speed = 1.0, QObject* parent = nullptr);

    QString name() const override;
    bool start(QString* error) override;
    void stop() override;

private:
    void deliver();

    QString m_path;
    double m_speed;
    std::vector<float> m_samples;
    std::size_t m_sent = 0;
    QTimer* m_timer = nullptr;
    QElapsedTimer m_clock;
};

} // namespace ts::ui
