#pragma once
// The sound library browser: filters (family, source, pitch range, velocity, text), a live count
// ("312 of 4,096 notes") and the sortable note table. Emits the note under the cursor, so arrow
// keys in the table drive the sound views.
#include <QWidget>
#include <functional>
#include <memory>

#include "dataset/Dataset.h"
#include "dataset/NoteFilter.h"

class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace ts::ui {

class MultiChoiceButton;
class NoteFilterProxy;
class NoteTableModel;
class PitchSpinBox;

class LibraryPanel : public QWidget {
    Q_OBJECT
public:
    explicit LibraryPanel(QWidget* parent = nullptr);

    // Shows a dataset (nullptr: empty). Filters are kept; the first visible note becomes current.
    void setDataset(std::shared_ptr<const dataset::Dataset> dataset);
    const std::shared_ptr<const dataset::Dataset>& dataset() const;

    dataset::NoteFilter filter() const;
    // Sets the controls to this filter and applies it.
    void setFilter(const dataset::NoteFilter& filter);
    void resetFilter();  // the map's lasso too
    // Shows only these notes (within the filters), e.g. those a lasso went round on the timbre map;
    // the count says so until the filters are reset.
    void showOnlyNotes(const std::vector<int>& notes);

    QString countText() const;
    int visibleCount() const;
    // Dataset index of the current note, or -1.
    int currentNoteIndex() const;
    // Makes a note current (and scrolls to it); false when it is filtered out or does not exist.
    bool selectNote(int noteIndex);
    void focusSearch();
    void focusNotes();       // keyboard focus to the note table
    void clearSelection();   // no note selected (the views show something else)

    // Wide enough for every column at its initial width (the window's first layout uses it).
    QSize sizeHint() const override;

    // Column widths, order, visibility and sort, for the window's saved session.
    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray& state);

    QTableView* tableView() const { return m_table; }  // tests only: the window uses the methods above
    NoteFilterProxy* proxy() const { return m_proxy; }

Q_SIGNALS:
    void currentNoteChanged(int noteIndex);  // -1 when nothing is current
    void noteActivated(int noteIndex);       // Enter or double-click: play it

private:
    void buildControls();
    void applyControls();
    void refilter(const dataset::NoteFilter& filter);
    // Runs a change of the proxy's rows, keeping the current note when it is still shown.
    void changeRows(const std::function<void()>& change);
    void updateChoices();
    void updateCount();
    void emitCurrent();
    void showHeaderMenu(const QPoint& position);

    NoteTableModel* m_model = nullptr;
    NoteFilterProxy* m_proxy = nullptr;
    QLineEdit* m_search = nullptr;
    MultiChoiceButton* m_families = nullptr;
    MultiChoiceButton* m_sources = nullptr;
    MultiChoiceButton* m_velocities = nullptr;
    PitchSpinBox* m_minPitch = nullptr;
    PitchSpinBox* m_maxPitch = nullptr;
    QToolButton* m_reset = nullptr;
    QLabel* m_count = nullptr;
    QTableView* m_table = nullptr;
    bool m_applying = false;
    bool m_refiltering = false;
    int m_lastEmitted = -2;
};

} // namespace ts::ui
