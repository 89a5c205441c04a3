#include "ui/evaluation/CellNotesPanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include "audio/AudioFile.h"
#include "ui/sound/AudioPlayer.h"
#include "ui/evaluation/CellNotesModel.h"
#include "ui/common/ConfidenceDelegate.h"
#include "ui/sound/SoundViewPanel.h"
#include "ui/sound/WaveformView.h"

namespace ts::ui {

namespace {

QWidget* captioned(QLabel* caption, SoundViewPanel* view, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    caption->setWordWrap(true);
    caption->setContentsMargins(6, 4, 6, 0);
    layout->addWidget(caption);
    layout->addWidget(view, 1);
    return box;
}

} // namespace

CellNotesPanel::CellNotesPanel(QWidget* parent)
    : QWidget(parent),
      m_model(new CellNotesModel(this)),
      m_headline(new QLabel(this)),
      m_table(new QTableView(this)),
      m_compare(new QPushButton(tr("Compare"), this)),
      m_playerMessage(new QLabel(this)),
      m_noteCaption(new QLabel(this)),
      m_referenceCaption(new QLabel(this)),
      m_noteView(new SoundViewPanel(this)),
      m_referenceView(new SoundViewPanel(this)),
      m_player(new AudioPlayer(this))
{
    m_headline->setObjectName(QStringLiteral("cellHeadline"));
    m_headline->setWordWrap(true);
    QFont bold = m_headline->font();
    bold.setBold(true);
    m_headline->setFont(bold);

    m_table->setObjectName(QStringLiteral("cellNotes"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(CellNotesModel::NoteColumn, QHeaderView::Stretch);
    for (int column : {CellNotesModel::PitchColumn, CellNotesModel::ConfidenceColumn, CellNotesModel::TrueScoreColumn})
        m_table->horizontalHeader()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    auto* delegate = new ConfidenceDelegate(m_table);
    m_table->setItemDelegateForColumn(CellNotesModel::ConfidenceColumn, delegate);
    m_table->setItemDelegateForColumn(CellNotesModel::TrueScoreColumn, delegate);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 14);  // text and the confidence bar

    m_compare->setObjectName(QStringLiteral("compareButton"));
    m_playerMessage->setVisible(false);
    m_playerMessage->setEnabled(false);

    m_compare->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_compare);
    buttons->addWidget(m_playerMessage, 1);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_headline);
    topLayout->addWidget(m_table, 1);
    topLayout->addLayout(buttons);

    // Spectrograms only, one above the other: the tab shares the window with the matrix, and two
    // sound views side by side would not fit next to it.
    m_noteView->waveform()->hide();
    m_referenceView->waveform()->hide();
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("cellNotesSplitter"));
    splitter->addWidget(top);
    splitter->addWidget(captioned(m_noteCaption, m_noteView, splitter));
    splitter->addWidget(captioned(m_referenceCaption, m_referenceView, splitter));
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setStretchFactor(2, 1);
    splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { onCurrentRowChanged(current.isValid() ? current.row() : -1); });
    connect(m_compare, &QPushButton::clicked, this, &CellNotesPanel::compare);
    for (SoundViewPanel* view : {m_noteView, m_referenceView}) {
        connect(view, &SoundViewPanel::playToggleRequested, this, [this, view] {
            if (m_playing == view && m_player->isPlaying())
                m_player->stop();
            else
                play(view);
        });
        connect(view, &SoundViewPanel::seekRequested, this, [this, view](double seconds) { play(view, seconds); });
        connect(view, &SoundViewPanel::soundChanged, this, [this, view] { onSoundChanged(view); });
    }
    connect(m_player, &AudioPlayer::playingChanged, this, [this](bool playing) {
        if (!m_playing)
            return;
        m_playing->setPlaying(playing);
        if (!playing)
            m_playing->setPlayhead(-1.0);
    });
    connect(m_player, &AudioPlayer::positionChanged, this, [this](double seconds) {
        if (m_playing)
            m_playing->setPlayhead(seconds);
    });
    connect(m_player, &AudioPlayer::errorOccurred, this, [this](const QString& message) {
        m_playerMessage->setText(message);
        m_playerMessage->setVisible(true);
    });
    clear();
}

void CellNotesPanel::setCell(const EvaluationResult& result, ml::Target target, int trueClass, int predictedClass)
{
    m_player->stop();
    m_model->setCell(result, target, trueClass, predictedClass);
    m_reference.reset();
    const QString truth = classLabel(trueClass), predicted = classLabel(predictedClass);
    const int n = m_model->rowCount();
    const QString notes = n == 1 ? tr("1 note") : tr("%1 notes").arg(n);
    m_headline->setText(trueClass == predictedClass
                            ? tr("%1 predicted correctly: %2, the most confident first").arg(truth, notes)
                            : tr("%1 predicted as %2: %3, the most confident mistakes first").arg(truth, predicted, notes));
    m_table->setColumnHidden(CellNotesModel::TrueScoreColumn, trueClass == predictedClass);
    m_noteCaption->setText(tr("Selected note"));
    m_noteView->showMessage(QString(), n ? tr("Select a note above to see and hear it.") : tr("No notes in this cell."));
    m_referenceCaption->setText(tr("Correctly classified %1").arg(truth));
    m_referenceView->showMessage(QString(), trueClass == predictedClass
                                                ? QString()
                                                : tr("Compare shows and plays the %1 note the model was surest of, "
                                                     "to hear what it expected.").arg(truth));
    updateCompareButton();
}

void CellNotesPanel::clear()
{
    m_player->stop();
    m_model->clear();
    m_reference.reset();
    m_headline->setText(tr("Click a cell of the matrix to list its notes."));
    m_noteCaption->clear();
    m_referenceCaption->clear();
    m_noteView->showMessage(QString(), QString());
    m_referenceView->showMessage(QString(), QString());
    updateCompareButton();
}

QString CellNotesPanel::headline() const
{
    return m_headline->text();
}

QString CellNotesPanel::classLabel(int cls) const
{
    const ml::TargetReport* report = m_model->result().target(m_model->target());
    return report && cls >= 0 && std::size_t(cls) < report->labels.size() ? QString::fromStdString(report->labels[std::size_t(cls)])
                                                                          : QString();
}

void CellNotesPanel::selectRow(int row)
{
    m_table->setCurrentIndex(m_model->index(row, CellNotesModel::NoteColumn));
}

void CellNotesPanel::onCurrentRowChanged(int row)
{
    if (row < 0 || row >= m_model->rowCount())
        return;
    const std::size_t prediction = m_model->predictionAt(row);
    const auto& p = m_model->result().report().predictions[prediction];
    const ml::Target target = m_model->target();
    m_noteCaption->setText(tr("Selected: a %1 predicted as %2 (P = %3 %)")
                               .arg(classLabel(m_model->trueClass()), classLabel(m_model->predictedClass()))
                               .arg(100.0 * EvaluationResult::confidence(p, target), 0, 'f', 1));
    show(m_noteView, prediction, true);
}

void CellNotesPanel::compare()
{
    const auto best = m_model->result().mostConfidentCorrect(m_model->target(), m_model->trueClass());
    if (!best || m_model->trueClass() == m_model->predictedClass())
        return;
    m_reference = best;
    const auto& p = m_model->result().report().predictions[*best];
    m_referenceCaption->setText(tr("Reference: the %1 note the model was surest of (P = %2 %)")
                                    .arg(classLabel(m_model->trueClass()))
                                    .arg(100.0 * EvaluationResult::confidence(p, m_model->target()), 0, 'f', 1));
    show(m_referenceView, *best, true);
}

void CellNotesPanel::show(SoundViewPanel* view, std::size_t prediction, bool playWhenShown)
{
    m_player->stop();
    const dataset::NoteRecord* note = m_model->result().noteOf(prediction);
    if (!note) {
        view->showMessage(QString::fromStdString(m_model->result().report().predictions[prediction].note),
                          tr("This note is not in the dataset folder any more."));
        return;
    }
    m_playWhenShown = playWhenShown ? view : nullptr;
    view->showNote(*note);
}

void CellNotesPanel::onSoundChanged(SoundViewPanel* view)
{
    if (m_playWhenShown != view)
        return;
    m_playWhenShown = nullptr;
    if (view->audio())
        play(view);
}

void CellNotesPanel::play(SoundViewPanel* view, double fromSeconds)
{
    const auto& audio = view->audio();
    if (!audio)
        return;
    if (m_playing && m_playing != view) {
        m_player->stop();
        m_playing->setPlaying(false);
        m_playing->setPlayhead(-1.0);
    }
    m_playing = view;
    m_player->play(audio->samples, audio::kModelSampleRate, fromSeconds);
}

void CellNotesPanel::updateCompareButton()
{
    const int t = m_model->trueClass(), p = m_model->predictedClass();
    const QString truth = classLabel(t);
    const bool cell = t >= 0;
    const bool diagonal = cell && t == p;
    const bool hasReference = cell && m_model->result().mostConfidentCorrect(m_model->target(), t).has_value();
    m_compare->setText(cell && !diagonal ? tr("Compare with a correct %1").arg(truth) : tr("Compare"));
    m_compare->setEnabled(cell && !diagonal && hasReference);
    m_compare->setToolTip(!cell       ? tr("Click a cell of the matrix first")
                          : diagonal  ? tr("These notes are classified correctly already")
                          : !hasReference ? tr("No %1 note was classified correctly").arg(truth)
                                          : tr("Show and play the %1 note the model recognised most confidently").arg(truth));
}

void CellNotesPanel::hideEvent(QHideEvent* event)
{
    m_player->stop();
    QWidget::hideEvent(event);
}

} // namespace ts::ui
