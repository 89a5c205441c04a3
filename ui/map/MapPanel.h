#pragma once
// The Map tab: every note of the open dataset on a timbre map, placed by a model's embedding (the
// prediction panel's model, else the shipped timbre-net) projected on its principal plane, and
// coloured by family, source, pitch, velocity or generator. The embeddings are computed off the
// GUI thread with progress and a Cancel button (and cached on disk, so a second opening is quick);
// hovering names a note, a click plays it in the library. The status line says how much of the
// variance the plane shows and how often a note's 10 nearest neighbours share its family.
#include <QString>
#include <QWidget>

#include <memory>
#include <vector>

#include "dataset/Dataset.h"
#include "ui/common/LatestResult.h"
#include "ui/common/ThrottledProgress.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace ts::ui {

class MapView;

class MapPanel : public QWidget {
    Q_OBJECT
public:
    enum class ColourBy { Family, Source, Pitch, Velocity, Generator };

    explicit MapPanel(QWidget* parent = nullptr);
    ~MapPanel() override;

    void setDataset(std::shared_ptr<const dataset::Dataset> dataset);
    void setModelPath(const QString& path);
    // Computes the map when a dataset and a model are set and the map shown is not theirs.
    void refresh();
    void cancel();
    void setColourBy(ColourBy colourBy);
    // Rings the note on the map (the library's current note), -1 for none.
    void setCurrentNote(int noteIndex);

    MapView* view() const { return m_view; }
    QString statusText() const;
    bool isComputing() const { return m_computing; }
    // The dataset note of each dot.
    const std::vector<std::size_t>& noteOfPoint() const { return m_noteOfPoint; }

Q_SIGNALS:
    void noteActivated(int noteIndex);  // a dot was clicked
    void mapShown();                    // a computed map is on screen (or its failure is said)

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Computed;
    void showComputed(const Result<std::shared_ptr<Computed>>& result);
    void recolour();
    void showHovered(int point);
    void setComputing(bool computing);

    QComboBox* m_colourBy = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_legend = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    MapView* m_view = nullptr;
    std::shared_ptr<const dataset::Dataset> m_dataset;
    QString m_modelPath;
    QString m_shownFor;  // dataset folder + model path of the map on screen (or being computed)
    std::vector<std::size_t> m_noteOfPoint;
    QString m_summary;
    bool m_computing = false;
    ThrottledProgress m_throttled;
    LatestResult<std::shared_ptr<Computed>> m_work;
};

} // namespace ts::ui
