#pragma once
// The notes of a clicked confusion-matrix cell and their sounds: the list (most confident first);
// selecting a note shows its spectrogram and plays it; Compare shows and plays, beside it, the
// correctly classified note of the true class the model was surest of.
#include <QWidget>
#include <optional>

#include "ml/Architecture.h"
#include "ui/evaluation/EvaluationResult.h"

class QLabel;
class QPushButton;
class QTableView;

namespace ts::ui {

class AudioPlayer;
class CellNotesModel;
class SoundViewPanel;

class CellNotesPanel : public QWidget {
    Q_OBJECT
public:
    explicit CellNotesPanel(QWidget* parent = nullptr);

    void setCell(const EvaluationResult& result, ml::Target target, int trueClass, int predictedClass);
    void clear();

    // Selects a row of the list (shows and plays its note), as a click would.
    void selectRow(int row);
    // Shows and plays the most confident correct note of the cell's true class.
    void compare();

    QString headline() const;
    CellNotesModel* notes() const { return m_model; }
    QTableView* table() const { return m_table; }
    SoundViewPanel* noteView() const { return m_noteView; }
    SoundViewPanel* referenceView() const { return m_referenceView; }
    QPushButton* compareButton() const { return m_compare; }
    AudioPlayer* player() const { return m_player; }
    // The prediction the reference view shows (or is decoding), if any.
    std::optional<std::size_t> referencePrediction() const { return m_reference; }
    QSize sizeHint() const override { return {620, 760}; }

protected:
    void hideEvent(QHideEvent* event) override;

private:
    void onCurrentRowChanged(int row);
    void show(SoundViewPanel* view, std::size_t prediction, bool play);
    void play(SoundViewPanel* view, double fromSeconds = 0.0);
    void onSoundChanged(SoundViewPanel* view);
    void updateCompareButton();
    QString classLabel(int cls) const;

    CellNotesModel* m_model = nullptr;
    QLabel* m_headline = nullptr;
    QTableView* m_table = nullptr;
    QPushButton* m_compare = nullptr;
    QLabel* m_playerMessage = nullptr;
    QLabel* m_noteCaption = nullptr;
    QLabel* m_referenceCaption = nullptr;
    SoundViewPanel* m_noteView = nullptr;
    SoundViewPanel* m_referenceView = nullptr;
    AudioPlayer* m_player = nullptr;
    SoundViewPanel* m_playing = nullptr;      // the view whose sound the player plays
    SoundViewPanel* m_playWhenShown = nullptr; // a view decoding a sound that should play when ready
    std::optional<std::size_t> m_reference;
};

} // namespace ts::ui
