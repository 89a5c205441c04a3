#include "ui/sound/AudioPlayer.h"

#include <QAudioDevice>
#include <QAudioFormat>
#include <QAudioSink>
#include <QBuffer>
#include <QMediaDevices>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <cstring>

namespace ts::ui {

namespace {
// Linear interpolation is enough for listening: this only runs when the device refuses the
// signal's own rate (most accept 16 kHz and resample themselves).
std::vector<float> resampleLinear(const std::vector<float>& in, int fromRate, int toRate)
{
    if (fromRate == toRate || in.empty())
        return in;
    const double step = double(fromRate) / double(toRate);
    const std::size_t n = std::size_t(std::floor(double(in.size() - 1) / step)) + 1;
    std::vector<float> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double pos = double(i) * step;
        const std::size_t k = std::size_t(pos);
        const double frac = pos - double(k);
        const float next = k + 1 < in.size() ? in[k + 1] : in[k];
        out[i] = float(in[k] * (1.0 - frac) + next * frac);
    }
    return out;
}

QByteArray toPcm(const std::vector<float>& samples, const QAudioFormat& format)
{
    const int channels = std::max(1, format.channelCount());
    const int bytes = format.bytesPerSample();
    QByteArray pcm(qsizetype(samples.size()) * channels * bytes, Qt::Uninitialized);
    char* out = pcm.data();
    for (float s : samples) {
        const float v = std::clamp(std::isfinite(s) ? s : 0.0f, -1.0f, 1.0f);
        for (int c = 0; c < channels; ++c) {
            switch (format.sampleFormat()) {
            case QAudioFormat::UInt8: {
                const auto x = std::uint8_t(std::lround(v * 127.0f) + 128);
                std::memcpy(out, &x, 1);
                break;
            }
            case QAudioFormat::Int16: {
                const auto x = std::int16_t(std::lround(v * 32767.0f));
                std::memcpy(out, &x, 2);
                break;
            }
            case QAudioFormat::Int32: {
                const auto x = std::int32_t(std::lround(double(v) * 2147483647.0));
                std::memcpy(out, &x, 4);
                break;
            }
            default:
                std::memcpy(out, &v, 4);
                break;
            }
            out += bytes;
        }
    }
    return pcm;
}
} // namespace

AudioPlayer::AudioPlayer(QObject* parent) : QObject(parent), m_timer(new QTimer(this))
{
    m_timer->setInterval(30);
    connect(m_timer, &QTimer::timeout, this, &AudioPlayer::reportPosition);
}

AudioPlayer::~AudioPlayer()
{
    if (m_sink)
        m_sink->stop();
}

bool AudioPlayer::play(const std::vector<float>& samples, int sampleRate, double startSeconds)
{
    stop();
    if (samples.empty() || sampleRate <= 0) {
        Q_EMIT errorOccurred(tr("Nothing to play: the sound is empty."));
        return false;
    }
    // Looked up on every play, not once: headphones get plugged in while the app runs.
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    if (device.isNull()) {
        Q_EMIT errorOccurred(tr("No audio output device is available."));
        return false;
    }
    QAudioFormat format;
    format.setSampleRate(sampleRate);
    format.setChannelCount(1);
    format.setSampleFormat(QAudioFormat::Int16);
    if (!device.isFormatSupported(format))
        format = device.preferredFormat();
    if (format.sampleRate() <= 0 || format.bytesPerSample() <= 0) {
        Q_EMIT errorOccurred(tr("The audio output device %1 reports no usable format.").arg(device.description()));
        return false;
    }

    m_pcm = toPcm(resampleLinear(samples, sampleRate, format.sampleRate()), format);
    m_durationSeconds = double(samples.size()) / sampleRate;
    delete m_sink;
    delete m_buffer;
    m_buffer = new QBuffer(&m_pcm, this);
    m_buffer->open(QIODevice::ReadOnly);
    m_startSeconds = std::clamp(startSeconds, 0.0, m_durationSeconds);
    const qint64 startFrame = qint64(m_startSeconds * format.sampleRate());
    m_buffer->seek(std::min<qint64>(startFrame * format.bytesPerFrame(), m_pcm.size()));
    m_sink = new QAudioSink(device, format, this);
    connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State state) {
        if (state == QAudio::IdleState)  // the whole buffer has been played
            finish();
        else if (state == QAudio::StoppedState && m_sink && m_sink->error() != QAudio::NoError && m_playing) {
            Q_EMIT errorOccurred(tr("Audio output failed (device error %1).").arg(int(m_sink->error())));
            finish();
        }
    });
    m_sink->start(m_buffer);
    if (m_sink->error() != QAudio::NoError || m_sink->state() == QAudio::StoppedState) {
        Q_EMIT errorOccurred(tr("Could not start audio output on %1.").arg(device.description()));
        m_sink->stop();
        return false;
    }
    m_playing = true;
    m_timer->start();
    Q_EMIT playingChanged(true);
    Q_EMIT positionChanged(m_startSeconds);
    return true;
}

void AudioPlayer::stop()
{
    if (m_sink)
        m_sink->stop();
    finish();
}

void AudioPlayer::finish()
{
    m_timer->stop();
    if (!m_playing)
        return;
    m_playing = false;
    Q_EMIT playingChanged(false);
}

void AudioPlayer::reportPosition()
{
    if (!m_sink || !m_playing)
        return;
    Q_EMIT positionChanged(std::min(m_durationSeconds, m_startSeconds + double(m_sink->processedUSecs()) / 1e6));
}

} // namespace ts::ui
