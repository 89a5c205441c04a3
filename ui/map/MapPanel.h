#pragma once
// The Map tab: every note of the open dataset on a timbre map, placed by a model's embedding (the
// prediction panel's model, else the shipped timbre-net), on its principal plane or on a
// neighbourhood layout (map/NeighbourLayout.h, computed on demand with progress, refining on
// screen while it runs, cached on disk), coloured by family, source, pitch, velocity, generator, or
// whether the model gets the note's family or source right. The embeddings are computed off the
// GUI thread with progress and a Cancel button (and cached on disk, so a second opening is quick);
// hovering names a note, a click plays it in the library, a Shift-drag lasso shows only those notes
// in the library. "Sounds like this" lists the 20 nearest notes of the library's current note (or
// of a clicked dropped file), each playable, and plays them all in turn. Files dropped on the window
// are embedded too and appear on the map as marked points among their nearest notes.
#include <QString>
#include <QStringList>
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
class QTimer;
class QTreeWidget;

namespace ts::ui {

class MapView;

class MapPanel : public QWidget {
    Q_OBJECT
public:
    enum class ColourBy { Family, Source, Pitch, Velocity, Generator, FamilyRightWrong, SourceRightWrong, Class };
    enum class Layout { PrincipalPlane, Neighbourhood };

    explicit MapPanel(QWidget* parent = nullptr);
    ~MapPanel() override;

    void setDataset(std::shared_ptr<const dataset::Dataset> dataset);
    void setModelPath(const QString& path);
    // Computes the map when a dataset and a model are set and the map shown is not theirs.
    void refresh();
    void cancel();
    void setColourBy(ColourBy colourBy);
    void setMapLayout(Layout layout);
    Layout mapLayout() const;
    // Rings the note on the map (the library's current note), -1 for none, and lists its nearest
    // notes, unless it is already in the list (a neighbour being played).
    void setCurrentNote(int noteIndex);
    // Sound files to place on the map (files dropped on the window); each is embedded off the GUI
    // thread and marked among its nearest notes.
    void addFiles(const QStringList& paths);
    // Lists the nearest notes of a dropped file already placed (its marker index).
    void showSimilarToFile(int marker);

    MapView* view() const { return m_view; }
    QTreeWidget* similarList() const { return m_similar; }
    QString statusText() const;
    QString legendText() const;
    QString similarTitle() const;
    bool isComputing() const { return m_computing; }
    bool isPlayingAll() const;
    // The dataset note of each dot.
    const std::vector<std::size_t>& noteOfPoint() const { return m_noteOfPoint; }

Q_SIGNALS:
    void noteActivated(int noteIndex);  // a dot or a listed note was clicked: play it
    void mapShown();                    // a computed map is on screen (or its failure is said)
    void layoutShown();                 // a neighbourhood layout is complete on screen (or failed)
    void filesPlaced();                 // dropped files are on the map (or their failure is said)
    // A lasso went round these notes (dataset indices): the library shows only them.
    void notesChosen(const std::vector<int>& notes);

protected:
    void showEvent(QShowEvent* event) override;

private:
    struct Computed;
    struct Placed;
    struct LaidOut;
    void showComputed(const Result<std::shared_ptr<Computed>>& result);
    void computeLayout();
    void showLayout(const Result<LaidOut>& result);
    void showPlaced(const Result<std::shared_ptr<Placed>>& result);
    void updateMarkers();
    void recolour();
    void showHovered(int point);
    void showSimilarToPoint(int point);
    void fillSimilar(const std::vector<std::pair<std::size_t, float>>& rows);
    void playAllInTurn();
    void playNextInTurn();
    void stopPlayingAll();
    void setComputing(bool computing);
    QString keyNow() const;  // dataset folder + model path
    void forgetMapIfStale();
    // No map: the dots, layout, markers and similar list gone.
    void clearMap();
    std::vector<QPointF> shownPositions() const;

    QComboBox* m_colourBy = nullptr;
    QComboBox* m_layoutChoice = nullptr;
    QLabel* m_status = nullptr;
    QLabel* m_legend = nullptr;
    QProgressBar* m_progress = nullptr;
    QPushButton* m_cancel = nullptr;
    MapView* m_view = nullptr;
    QLabel* m_similarTitle = nullptr;
    QTreeWidget* m_similar = nullptr;
    QPushButton* m_playAll = nullptr;
    QTimer* m_playTimer = nullptr;
    int m_playRow = -1;
    int m_currentNote = -1;  // the library's, as last told
    std::shared_ptr<const dataset::Dataset> m_dataset;
    QString m_modelPath;
    QString m_shownFor;  // dataset folder + model path of the map on screen (or being computed)
    std::shared_ptr<const Computed> m_computed;
    std::vector<std::size_t> m_noteOfPoint;
    std::vector<int> m_pointOfNote;  // per dataset note, its dot or -1
    std::vector<float> m_neighbourXy;  // the neighbourhood layout, once computed
    struct PlacedFile {
        QString path;
        std::vector<std::pair<std::size_t, float>> near;  // its nearest dots and their distances
    };
    std::vector<PlacedFile> m_placedFiles;
    QString m_summary;
    bool m_computing = false;
    bool m_layingOut = false;  // the running work is the neighbourhood layout
    ThrottledProgress m_throttled;
    LatestResult<std::shared_ptr<Computed>> m_work;
    LatestResult<LaidOut> m_layoutWork;
    LatestResult<std::shared_ptr<Placed>> m_placeWork;
};

} // namespace ts::ui
