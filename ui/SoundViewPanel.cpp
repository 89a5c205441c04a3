#include "ui/SoundViewPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace ts::ui {

SoundViewPanel::SoundViewPanel(QWidget* parent) : QWidget(parent)
{
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

    auto* text = new QVBoxLayout;
    text->setSpacing(0);
    text->addWidget(m_title);
    text->addWidget(m_details);
    auto* header = new QHBoxLayout;
    header->addWidget(m_play);
    header->addLayout(text, 1);

    m_message = new QLabel(this);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setEnabled(false);  // the disabled palette gives the calm grey of an empty state
    m_views = new QWidget(this);
    auto* viewsLayout = new QVBoxLayout(m_views);
    viewsLayout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_message);
    m_stack->addWidget(m_views);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(header);
    layout->addWidget(m_stack, 1);
    showMessage(QString(), QString());
}

void SoundViewPanel::showSound(const QString& title, const QString& details,
                               std::shared_ptr<const audio::DecodedAudio> audio)
{
    m_audio = std::move(audio);
    m_title->setText(title);
    m_details->setText(details);
    m_play->setEnabled(m_audio && !m_audio->samples.empty());
    m_stack->setCurrentWidget(m_views);
}

void SoundViewPanel::showMessage(const QString& title, const QString& message)
{
    m_audio.reset();
    m_title->setText(title);
    m_details->clear();
    m_message->setText(message);
    m_play->setEnabled(false);
    m_stack->setCurrentWidget(m_message);
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

void SoundViewPanel::setPlayhead(double /*seconds*/)
{
}

} // namespace ts::ui
