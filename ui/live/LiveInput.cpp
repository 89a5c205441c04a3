#include "ui/live/LiveInput.h"

#include <QAudioSource>
#include <QFileInfo>
#include <QTimer>

#include "audio/AudioFile.h"
#include "audio/MonoAt16k.h"

namespace ts::ui {

namespace {

constexpr int kRate = audio::kModelSampleRate;
constexpr int kFileBlock = 256;  // 16 ms at 16 kHz, as a sound card delivers

} // namespace

LiveInput::~LiveInput() = default;

MicrophoneInput::MicrophoneInput(const QAudioDevice& device, QObject* parent) : LiveInput(parent), m_device(device) {}

MicrophoneInput::~MicrophoneInput() { stop(); }

QString MicrophoneInput::name() const { return m_device.description(); }

bool MicrophoneInput::start(QString* error)
{
    stop();
    if (m_device.isNull()) {
        *error = tr("No audio input device is available.");
        return false;
    }
    // 16 kHz mono float when the device offers it, else what it prefers, brought to 16 kHz mono here.
    QAudioFormat wanted;
    wanted.setSampleRate(kRate);
    wanted.setChannelCount(1);
    wanted.setSampleFormat(QAudioFormat::Float);
    m_format = m_device.isFormatSupported(wanted) ? wanted : m_device.preferredFormat();
    if (!m_format.isValid() || m_format.sampleRate() <= 0 || m_format.channelCount() <= 0) {
        *error = tr("%1: offers no audio format this program reads.").arg(m_device.description());
        return false;
    }
    m_resampler = std::make_unique<audio::MonoAt16k>(m_format.sampleRate());
    if (auto started = m_resampler->start(0, m_device.description().toStdString()); !started) {
        *error = QString::fromStdString(started.error().describe());
        return false;
    }
    m_source = new QAudioSource(m_device, m_format, this);
    m_source->setBufferSize(m_format.bytesForDuration(40'000));  // 40 ms: the device's own share of the latency
    m_io = m_source->start();
    if (!m_io || m_source->error() != QAudio::NoError) {
        *error = tr("%1: cannot be opened for recording.").arg(m_device.description());
        stop();
        return false;
    }
    connect(m_io, &QIODevice::readyRead, this, &MicrophoneInput::readAvailable);
    connect(m_source, &QAudioSource::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::StoppedState && m_source && m_source->error() != QAudio::NoError)
            Q_EMIT ended(tr("%1: the device stopped delivering sound.").arg(m_device.description()));
    });
    return true;
}

void MicrophoneInput::stop()
{
    if (m_source) {
        m_source->disconnect(this);
        m_source->stop();
        m_source->deleteLater();
    }
    m_source = nullptr;
    m_io = nullptr;
}

void MicrophoneInput::readAvailable()
{
    if (!m_io)
        return;
    const QByteArray bytes = m_io->readAll();
    const int frameBytes = m_format.bytesPerFrame();
    const int channels = m_format.channelCount();
    const int sampleBytes = m_format.bytesPerSample();
    const qsizetype frames = frameBytes > 0 ? bytes.size() / frameBytes : 0;
    m_mono.resize(std::size_t(frames));
    for (qsizetype f = 0; f < frames; ++f) {
        const char* frame = bytes.constData() + f * frameBytes;
        float sum = 0.0f;
        for (int c = 0; c < channels; ++c)
            sum += m_format.normalizedSampleValue(frame + c * sampleBytes);
        m_mono[std::size_t(f)] = sum / float(channels);
    }
    if (auto pushed = m_resampler->push(m_mono.data(), m_mono.size(), m_device.description().toStdString()); !pushed) {
        Q_EMIT ended(QString::fromStdString(pushed.error().describe()));
        return;
    }
    const std::vector<float> at16k = m_resampler->takeSamples();
    if (!at16k.empty())
        Q_EMIT samplesArrived(QVector<float>(at16k.begin(), at16k.end()));
}

FileInput::FileInput(const QString& path, double speed, QObject* parent)
    : LiveInput(parent), m_path(path), m_speed(speed > 0.0 ? speed : 1.0)
{
}

QString FileInput::name() const { return QFileInfo(m_path).fileName(); }

bool FileInput::start(QString* error)
{
    stop();
    auto decoded = audio::loadAudio(m_path.toStdString());
    if (!decoded) {
        *error = QString::fromStdString(decoded.error().describe());
        return false;
    }
    m_samples = std::move(decoded->samples);
    m_sent = 0;
    m_timer = new QTimer(this);
    m_timer->setTimerType(Qt::PreciseTimer);
    m_timer->setInterval(int(1000.0 * kFileBlock / kRate / m_speed));
    connect(m_timer, &QTimer::timeout, this, &FileInput::deliver);
    m_clock.start();
    m_timer->start();
    return true;
}

void FileInput::stop()
{
    if (m_timer)
        m_timer->deleteLater();
    m_timer = nullptr;
}

void FileInput::deliver()
{
    // Whole blocks that are due by the clock, as a sound card hands over its buffers.
    const auto due = std::size_t(double(m_clock.nsecsElapsed()) * 1e-9 * kRate * m_speed);
    const std::size_t until = due >= m_samples.size() ? m_samples.size() : due - due % kFileBlock;
    if (until > m_sent) {
        Q_EMIT samplesArrived(QVector<float>(m_samples.begin() + std::ptrdiff_t(m_sent), m_samples.begin() + std::ptrdiff_t(until)));
        m_sent = until;
    }
    if (m_sent >= m_samples.size()) {
        stop();
        Q_EMIT ended(QString());
    }
}

} // namespace ts::ui
