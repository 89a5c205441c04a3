#include "ui/sound/SoundViewPanel.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include "dataset/Labels.h"
#include "ui/sound/SoundDecoder.h"
#include "ui/sound/SpectrogramCanvas.h"
#include "ui/sound/SpectrogramView.h"
#include "ui/sound/TimeRange.h"
#include "ui/sound/WaveformView.h"
#include "ui/common/LabelNames.h"

namespace ts::ui {

SoundViewPanel::SoundViewPanel(QWidget* parent) : QWidget(parent), m_decoder(new SoundDecoder(this))
{
    connect(m_decoder, &SoundDecoder::decoded, this, &SoundViewPanel::onDecoded);
    connect(m_decoder, &SoundDecoder::failed, this, &SoundViewPanel::onFailed);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("soundTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("soundDetails"));
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_play = new QToolButton(this);
    m_play->setToolTip(tr("Play / stop (Space)"));
    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setIconSize(QSize(22, 22));
    m_play->setAutoRaise(true);
    m_play->setEnabled(false);
    connect(m_play, &QToolButton::clicked, this, &SoundViewPanel::playToggleRequested);

    m_why = new QToolButton(this);
    m_why->setText(tr("Why?"));
    m_why->setCheckable(true);
    m_why->setToolTip(tr("Show in red which parts of the spectrogram made the model decide (integrated gradients)"));
    m_whyClass = new QComboBox(this);
    m_whyClass->setToolTip(tr("Which answer to explain: the model's own, or why a class you pick"));
    m_whyClass->addItem(tr("its family"), QPoint(0, -1));
    m_whyClass->addItem(tr("its source"), QPoint(1, -1));
    for (int f = 0; f < int(dataset::kFamilyNames.size()); ++f)
        m_whyClass->addItem(tr("why %1").arg(familyDisplayName(f)), QPoint(0, f));
    for (int c = 0; c < int(dataset::kSourceNames.size()); ++c)
        m_whyClass->addItem(tr("why %1").arg(sourceDisplayName(c)), QPoint(1, c));
    m_whyClass->setEnabled(false);
    m_whyCaption = new QLabel(this);
    m_whyCaption->setObjectName(QStringLiteral("whyCaption"));
    m_whyCaption->setWordWrap(true);
    m_whyCaption->setVisible(false);
    connect(m_why, &QToolButton::toggled, this, [this](bool on) {
        m_whyClass->setEnabled(on);
        if (on) {
            requestExplanation();
            return;
        }
        m_spectrogram->canvas()->setOverlay(nullptr);
        m_whyCaption->clear();
        m_whyCaption->setVisible(false);
    });
    connect(m_whyClass, &QComboBox::currentIndexChanged, this, [this] {
        if (m_why->isChecked())
            requestExplanation();
    });

    auto* text = new QVBoxLayout;
    text->setSpacing(0);
    text->addWidget(m_title);
    text->addWidget(m_details);
    text->addWidget(m_whyCaption);
    auto* header = new QHBoxLayout;
    header->addWidget(m_play);
    header->addLayout(text, 1);
    header->addWidget(m_why, 0, Qt::AlignTop);
    header->addWidget(m_whyClass, 0, Qt::AlignTop);

    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setEnabled(false);  // the disabled palette gives the calm grey of an empty state
    m_waveform = new WaveformView(this);
    m_spectrogram = new SpectrogramView(this);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("soundViewSplitter"));
    m_splitter->addWidget(m_waveform);
    m_splitter->addWidget(m_spectrogram);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({240, 460});
    m_splitter->setChildrenCollapsible(false);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_message);
    m_stack->addWidget(m_splitter);

    m_timeRange = new TimeRange(this);
    m_waveform->setTimeRange(m_timeRange);
    m_spectrogram->setTimeRange(m_timeRange);
    connect(m_waveform, &WaveformView::seekRequested, this, &SoundViewPanel::seekRequested);
    connect(m_spectrogram, &SpectrogramView::seekRequested, this, &SoundViewPanel::seekRequested);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    showMessage(QString(), QString());
}

void SoundViewPanel::showNote(const dataset::NoteRecord& note)
{
    const QString title = QString::fromStdString(note.noteStr);
    // An imported note: its own class, and its family and source only when known; its pitch and
    // velocity are not known (0), so they are not shown.
    const bool imported = !note.ownClass.empty();
    QString details = imported ? tr("class %1").arg(QString::fromStdString(note.ownClass)) : QString();
    if (imported) {
        if (note.family != dataset::kUnknownLabel)
            details += tr(" · %1").arg(familyDisplayName(note.family));
        if (note.source != dataset::kUnknownLabel)
            details += tr(" · %1").arg(sourceDisplayName(note.source));
        details += tr(" · from %1").arg(QString::fromStdString(note.instrumentStr));
    } else {
        details = tr("%1 · %2 · %3 (MIDI %4) · velocity %5 · %6")
                      .arg(familyDisplayName(note.family),
                           sourceDisplayName(note.source),
                           QString::fromStdString(dataset::noteName(note.pitch)))
                      .arg(note.pitch)
                      .arg(note.velocity)
                      .arg(QString::fromStdString(note.instrumentStr));
    }
    if (!note.generator.empty())
        details += tr(" · %1").arg(QString::fromStdString(note.generator));
    if (!note.wavExists) {
        showMessage(title, tr("The WAV file of this note is missing:\n%1").arg(QString::fromStdString(note.wavPath)));
        return;
    }
    request(QString::fromStdString(note.wavPath), title, details);
}

void SoundViewPanel::showFile(const QString& path, std::shared_ptr<const audio::DecodedAudio> audio)
{
    const QFileInfo info(path);
    const QString title = info.fileName();
    const QString details = QDir::toNativeSeparators(info.absolutePath());
    if (!audio) {
        request(path, title, details);
        return;
    }
    m_pendingTitle = title;
    m_pendingDetails = details;
    onDecoded(path, std::move(audio));
}

void SoundViewPanel::request(const QString& path, const QString& title, const QString& details)
{
    m_path = path;
    m_pendingTitle = title;
    m_pendingDetails = details;
    m_decoder->request(path);
}

void SoundViewPanel::onDecoded(const QString& path, std::shared_ptr<const audio::DecodedAudio> audio)
{
    QString details = m_pendingDetails;
    const auto& src = audio->source;
    details += tr(" · %1 s").arg(src.durationSeconds(), 0, 'f', 2);
    if (src.sampleRate != audio::kModelSampleRate || src.channels != 1) {
        const QString channels = src.channels == 1   ? tr("mono")
                                 : src.channels == 2 ? tr("stereo")
                                                     : tr("%1 channels").arg(src.channels);
        details += tr(" · %1 Hz %2 (shown as 16 kHz mono)").arg(src.sampleRate).arg(channels);
    }
    display(m_pendingTitle, details, std::move(audio), path);
}

void SoundViewPanel::onFailed(const QString& /*path*/, const QString& message)
{
    showMessage(m_pendingTitle, message);
}

void SoundViewPanel::showSound(const QString& title, const QString& details,
                               std::shared_ptr<const audio::DecodedAudio> audio)
{
    m_decoder->cancelPending();
    display(title, details, std::move(audio), QString());
}

void SoundViewPanel::display(const QString& title, const QString& details,
                             std::shared_ptr<const audio::DecodedAudio> audio, const QString& path)
{
    m_path = path;
    m_audio = std::move(audio);
    m_title->setText(title);
    m_details->setText(details);
    m_play->setEnabled(m_audio && !m_audio->samples.empty());
    m_play->setVisible(true);
    if (m_audio) {
        // Aliasing pointers: the views share the decoded samples instead of copying them.
        const std::shared_ptr<const std::vector<float>> samples(m_audio, &m_audio->samples);
        m_waveform->setSignal(samples, audio::kModelSampleRate);
        m_spectrogram->setSignal(samples, audio::kModelSampleRate);
        if (!path.isEmpty() && path == m_segmentsPath)
            m_waveform->setSegments(m_segments);
    } else {
        m_waveform->clear();
        m_spectrogram->clear();
    }
    m_stack->setCurrentWidget(m_splitter);
    m_spectrogram->canvas()->setOverlay(nullptr);
    if (m_why->isChecked())
        requestExplanation();
    Q_EMIT soundChanged();
}

void SoundViewPanel::requestExplanation()
{
    m_spectrogram->canvas()->setOverlay(nullptr);
    if (!m_audio || m_audio->samples.empty())
        return;
    m_whyCaption->setText(tr("Working out why…"));
    m_whyCaption->setVisible(true);
    const QPoint which = m_whyClass->currentData().toPoint();
    Q_EMIT explainRequested(m_audio, which.x(), which.y());
}

void SoundViewPanel::showExplanation(const audio::DecodedAudio* forAudio, std::shared_ptr<const SpectrogramOverlay> overlay,
                                     const QString& caption)
{
    if (!m_why->isChecked() || forAudio != m_audio.get())
        return;
    m_spectrogram->canvas()->setOverlay(std::move(overlay));
    m_whyCaption->setText(caption);
    m_whyCaption->setVisible(true);
}

bool SoundViewPanel::isExplaining() const { return m_why->isChecked(); }

void SoundViewPanel::setExplaining(bool on) { m_why->setChecked(on); }

void SoundViewPanel::setExplainedClass(int target, int classIndex)
{
    m_whyClass->setCurrentIndex(m_whyClass->findData(QPoint(target, classIndex)));
}

QString SoundViewPanel::explanationCaption() const { return m_whyCaption->text(); }

void SoundViewPanel::showSegments(const QString& path, const QList<WaveformSegment>& segments)
{
    // Kept for the path: the sound may still be decoding, or be shown again later.
    m_segmentsPath = path;
    m_segments = segments;
    if (!path.isEmpty() && path == m_path && m_audio)
        m_waveform->setSegments(segments);
}

void SoundViewPanel::showMessage(const QString& title, const QString& message)
{
    m_decoder->cancelPending();
    m_path.clear();
    m_audio.reset();
    m_title->setText(title);
    m_details->clear();
    m_message->setText(message);
    m_play->setEnabled(false);
    m_play->setVisible(!title.isEmpty());  // an empty state has no sound to play
    m_waveform->clear();
    m_spectrogram->clear();
    m_spectrogram->canvas()->setOverlay(nullptr);
    m_stack->setCurrentWidget(m_message);
    Q_EMIT soundChanged();
}

QString SoundViewPanel::title() const
{
    return m_title->text();
}

QString SoundViewPanel::details() const
{
    return m_details->text();
}

void SoundViewPanel::setPlaying(bool playing)
{
    m_play->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaStop : QStyle::SP_MediaPlay));
}

void SoundViewPanel::setPlayhead(double seconds)
{
    m_waveform->setPlayhead(seconds);
    m_spectrogram->setPlayhead(seconds);
}

} // namespace ts::ui
