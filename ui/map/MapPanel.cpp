#include "ui/map/MapPanel.h"

#include <QApplication>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "audio/AudioFile.h"
#include "dataset/FeatureCache.h"
#include "dataset/Labels.h"
#include "map/EmbeddingCache.h"
#include "map/HeadPredictions.h"
#include "map/NeighbourLayout.h"
#include "map/TimbreSpace.h"
#include "ml/TrainedModel.h"
#include "ui/common/LabelNames.h"
#include "ui/map/MapView.h"

namespace ts::ui {

struct MapPanel::Computed {
    std::vector<std::size_t> notes;
    std::vector<QPointF> points;  // the principal plane
    double explainedVariance = 0.0;
    double familyAgreement = 0.0;
    std::string embeddingsPath;
    std::shared_ptr<const ml::Embeddings> embeddings;
    std::shared_ptr<const map::NeighbourIndex> index;
    map::HeadPredictions predicted;  // empty when the model file's heads cannot be read
};

struct MapPanel::LaidOut {
    std::vector<float> xy;
    double kept = 0.0;       // share of 10-neighbourhoods kept on the layout
    double planeKept = 0.0;  // the same on the principal plane
};

struct MapPanel::Placed {
    std::shared_ptr<const Computed> placedOn;  // the map whose rows `near` names
    std::vector<PlacedFile> files;
    QStringList failures;  // "FILE: reason"
};

namespace {

// Eleven colours told apart at a glance (Tableau's ten, then a grey-green for vocal).
const QRgb kCategorical[] = {qRgb(31, 119, 180), qRgb(255, 127, 14), qRgb(44, 160, 44),  qRgb(214, 39, 40),
                             qRgb(148, 103, 189), qRgb(140, 86, 75), qRgb(227, 119, 194), qRgb(127, 127, 127),
                             qRgb(188, 189, 34),  qRgb(23, 190, 207), qRgb(82, 120, 90)};
constexpr int kCategories = int(sizeof kCategorical / sizeof kCategorical[0]);
constexpr std::size_t kSimilar = 20;        // notes in "Sounds like this"
constexpr std::size_t kPlacingNeighbours = 10;  // a dropped file sits at the mean of its nearest dots
constexpr int kPlayEachMs = 1500;           // "Play all in turn": each note this long
constexpr int kMaxDroppedFiles = 200;
const QRgb kRight = qRgb(44, 160, 44), kWrong = qRgb(214, 39, 40);

QRgb categorical(int index) { return kCategorical[((index % kCategories) + kCategories) % kCategories]; }

// Low to high through dark blue, teal and yellow (a viridis-like ramp), for pitch and velocity.
QRgb ramp(double t)
{
    t = std::clamp(t, 0.0, 1.0);
    const double stops[3][3] = {{68, 1, 84}, {33, 145, 140}, {253, 231, 37}};
    const int i = t < 0.5 ? 0 : 1;
    const double u = t < 0.5 ? t * 2.0 : (t - 0.5) * 2.0;
    auto mix = [&](int c) { return int(stops[i][c] + (stops[i + 1][c] - stops[i][c]) * u); };
    return qRgb(mix(0), mix(1), mix(2));
}

QString swatch(QRgb colour, const QString& text)
{
    return QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2").arg(QColor(colour).name(), text.toHtmlEscaped());
}

} // namespace

MapPanel::MapPanel(QWidget* parent)
    : QWidget(parent), m_throttled(this, 10, [this](const Progress& p) {
          if (p.notice) {  // a cache not written: said, the work goes on
              m_status->setText(QString::fromStdString(p.status));
              return;
          }
          if (!m_computing)
              return;
          if (p.total == 0) {  // a step without a count (indexing the notes): a busy bar
              m_progress->setRange(0, 0);
              m_status->setText(tr("Computing the map: %1…").arg(QString::fromStdString(p.status)));
              return;
          }
          m_progress->setRange(0, int(p.total));
          m_progress->setValue(int(p.done));
          m_status->setText(tr("Computing the map: %1 %2 of %3…").arg(QString::fromStdString(p.status)).arg(p.done).arg(p.total));
      }),
      m_work(this), m_layoutWork(this), m_placeWork(this)
{
    m_colourBy = new QComboBox(this);
    m_colourBy->addItem(tr("Family"), int(ColourBy::Family));
    m_colourBy->addItem(tr("Class (own)"), int(ColourBy::Class));
    m_colourBy->addItem(tr("Source"), int(ColourBy::Source));
    m_colourBy->addItem(tr("Pitch"), int(ColourBy::Pitch));
    m_colourBy->addItem(tr("Velocity"), int(ColourBy::Velocity));
    m_colourBy->addItem(tr("Generator"), int(ColourBy::Generator));
    m_colourBy->addItem(tr("Family right / wrong"), int(ColourBy::FamilyRightWrong));
    m_colourBy->addItem(tr("Source right / wrong"), int(ColourBy::SourceRightWrong));
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, &MapPanel::recolour);
    m_layoutChoice = new QComboBox(this);
    m_layoutChoice->addItem(tr("Principal plane"), int(Layout::PrincipalPlane));
    m_layoutChoice->addItem(tr("Neighbourhoods"), int(Layout::Neighbourhood));
    m_layoutChoice->setToolTip(tr("Principal plane: at once, the two widest directions of the embedding.\n"
                                  "Neighbourhoods: a UMAP-like layout that keeps each note near the notes it sounds like."));
    connect(m_layoutChoice, &QComboBox::currentIndexChanged, this, [this] {
        if (mapLayout() == Layout::Neighbourhood)
            computeLayout();
        else if (m_computed) {
            if (m_layingOut) {  // only the layout stops; a map being computed goes on
                m_layoutWork.discard();
                m_layingOut = false;
                setComputing(false);
            }
            m_view->setPositions(m_computed->points, true);
            m_status->setText(m_summary);
            updateMarkers();
        }
    });
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_legend = new QLabel(this);
    m_legend->setWordWrap(true);
    m_legend->setTextFormat(Qt::RichText);
    m_progress = new QProgressBar(this);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setVisible(false);
    connect(m_cancel, &QPushButton::clicked, this, &MapPanel::cancel);
    m_view = new MapView(this);
    m_view->setToolTip(tr("Wheel: zoom · drag: move · click: play · Shift+drag: lasso (the library shows those notes) · "
                          "double-click: fit"));
    connect(m_view, &MapView::pointClicked, this, [this](int point) {
        if (point >= 0 && std::size_t(point) < m_noteOfPoint.size())
            Q_EMIT noteActivated(int(m_noteOfPoint[std::size_t(point)]));
    });
    connect(m_view, &MapView::pointHovered, this, &MapPanel::showHovered);
    connect(m_view, &MapView::markerClicked, this, &MapPanel::showSimilarToFile);
    connect(m_view, &MapView::lassoed, this, [this](const std::vector<int>& points) {
        std::vector<int> notes;
        for (int p : points)
            notes.push_back(int(m_noteOfPoint[std::size_t(p)]));
        std::sort(notes.begin(), notes.end());
        m_status->setText(tr("%n note(s) inside the lasso: the library shows only them (Reset filters there shows all again).", "",
                             int(notes.size())));
        Q_EMIT notesChosen(notes);
    });

    m_similarTitle = new QLabel(tr("Sounds like this: pick a note"), this);
    m_similarTitle->setWordWrap(true);
    m_similar = new QTreeWidget(this);
    m_similar->setRootIsDecorated(false);
    m_similar->setHeaderLabels({tr("#"), tr("Note"), tr("Distance"), tr("Family"), tr("Source"), tr("Pitch")});
    m_similar->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_similar->setToolTip(tr("Double-click or Enter plays a note"));
    connect(m_similar, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) {
        stopPlayingAll();
        Q_EMIT noteActivated(item->data(0, Qt::UserRole).toInt());
    });
    m_playAll = new QPushButton(tr("Play all in turn"), this);
    m_playAll->setEnabled(false);
    connect(m_playAll, &QPushButton::clicked, this, [this] { isPlayingAll() ? stopPlayingAll() : playAllInTurn(); });
    m_playTimer = new QTimer(this);
    m_playTimer->setInterval(kPlayEachMs);
    connect(m_playTimer, &QTimer::timeout, this, &MapPanel::playNextInTurn);

    auto* side = new QWidget(this);
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(m_similarTitle);
    sideLayout->addWidget(m_similar, 1);
    sideLayout->addWidget(m_playAll);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({1000, 440});

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Layout:"), this));
    controls->addWidget(m_layoutChoice);
    controls->addWidget(new QLabel(tr("Colour by:"), this));
    controls->addWidget(m_colourBy);
    controls->addWidget(m_legend, 1);
    auto* progress = new QHBoxLayout;
    progress->addWidget(m_progress, 1);
    progress->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);
    layout->addLayout(progress);
    layout->addWidget(m_status);
    m_status->setText(tr("Open a dataset: its notes appear here, placed by how they sound to the model."));
}

MapPanel::~MapPanel()
{
    m_work.discard();
    m_layoutWork.discard();
    m_placeWork.discard();
}

void MapPanel::setDataset(std::shared_ptr<const dataset::Dataset> dataset)
{
    m_dataset = std::move(dataset);
    forgetMapIfStale();
    if (isVisible())
        refresh();
}

void MapPanel::setModelPath(const QString& path)
{
    m_modelPath = path;
    forgetMapIfStale();
    if (isVisible())
        refresh();
}

QString MapPanel::keyNow() const
{
    return m_dataset ? QString::fromStdString(m_dataset->folder()) + QLatin1Char('\n') + m_modelPath : QString();
}

void MapPanel::forgetMapIfStale()
{
    // The dots, the similar list and the markers index the dataset they were made from: once the
    // dataset or the model changes they go at once, not when the new map is ready.
    if (m_shownFor.isEmpty() || keyNow() == m_shownFor)
        return;
    m_work.discard();
    m_layoutWork.discard();
    m_placeWork.discard();
    m_layingOut = false;
    setComputing(false);
    m_shownFor.clear();
    clearMap();
    m_legend->clear();
    m_status->setText(tr("The map will be computed when this tab is shown."));
}

void MapPanel::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    refresh();
}

void MapPanel::refresh()
{
    if (!m_dataset || m_modelPath.isEmpty())
        return;
    const QString key = keyNow();
    if (key == m_shownFor)
        return;
    m_shownFor = key;
    m_layoutWork.discard();
    m_placeWork.discard();
    setComputing(true);
    m_status->setText(tr("Computing the map of %1 notes…").arg(m_dataset->size()));
    const auto dataset = m_dataset;
    const std::string modelPath = m_modelPath.toStdString();
    const ProgressSink progress = m_throttled.sink();
    m_work.run(
        [dataset, modelPath, progress](const CancellationToken& cancel) -> Result<std::shared_ptr<Computed>> {
            auto model = ml::TrainedModel::load(modelPath);
            if (!model)
                return model.error();
            const map::EmbeddingCache cache;
            auto embedding = cache.load(*model, *dataset, progress, cancel);
            if (!embedding)
                return embedding.error();
            auto plane = map::principalPlane(embedding->embeddings);
            if (!plane)
                return makeError(plane.error().code, plane.error().message, dataset->folder());
            auto out = std::make_shared<Computed>();
            out->notes = embedding->noteIndex;
            out->points.reserve(out->notes.size());
            for (std::size_t i = 0; i < out->notes.size(); ++i)
                out->points.emplace_back(plane->xy[2 * i], plane->xy[2 * i + 1]);
            out->explainedVariance = plane->explainedVariance;
            std::vector<int> families;
            for (std::size_t note : out->notes)
                families.push_back(dataset->notes()[note].family);
            if (progress)
                progress(Progress{0, 0, "indexing the notes"});
            auto embeddings = std::make_shared<ml::Embeddings>(std::move(embedding->embeddings));
            out->embeddingsPath = cache.pathFor(*model, *dataset);
            auto index = std::make_shared<map::NeighbourIndex>(cache.loadIndex(out->embeddingsPath, *embeddings, progress));
            out->familyAgreement = map::neighbourAgreement(*index, *embeddings, families);
            // Right / wrong needs the heads' answers; a model file whose heads cannot be read
            // simply has no such colouring.
            if (auto file = ml::loadModelFile(modelPath)) {
                if (auto predicted = map::predictFromEmbeddings(*file, *embeddings, modelPath))
                    out->predicted = std::move(predicted).value();
            }
            out->embeddings = std::move(embeddings);
            out->index = std::move(index);
            return out;
        },
        [this](Result<std::shared_ptr<Computed>> result) { showComputed(result); });
}

void MapPanel::cancel()
{
    if (!m_computing)
        return;
    m_work.cancel();
    m_layoutWork.cancel();
    m_status->setText(tr("Stopping…"));
}

void MapPanel::setComputing(bool computing)
{
    m_computing = computing;
    m_progress->setVisible(computing);
    m_cancel->setVisible(computing);
    m_progress->setRange(0, 0);
}

void MapPanel::clearMap()
{
    m_computed.reset();
    m_noteOfPoint.clear();
    m_pointOfNote.clear();
    m_neighbourXy.clear();
    m_placedFiles.clear();
    m_view->setPoints({}, {});
    m_view->setMarkers({}, {});
    stopPlayingAll();
    m_similar->clear();
    m_playAll->setEnabled(false);
    m_similarTitle->setText(tr("Sounds like this: pick a note"));
}

void MapPanel::showComputed(const Result<std::shared_ptr<Computed>>& result)
{
    setComputing(false);
    m_throttled.discardHeld();
    clearMap();
    if (!result) {
        m_shownFor.clear();  // asking again computes again
        m_status->setText(result.error().code == ErrorCode::Cancelled ? tr("Map not computed (cancelled).")
                                                                      : tr("No map: %1").arg(QString::fromStdString(result.error().describe())));
        Q_EMIT mapShown();
        return;
    }
    m_computed = *result;
    const Computed& computed = *m_computed;
    m_noteOfPoint = computed.notes;
    m_pointOfNote.assign(m_dataset ? m_dataset->size() : 0, -1);
    for (std::size_t p = 0; p < m_noteOfPoint.size(); ++p)
        if (m_noteOfPoint[p] < m_pointOfNote.size())
            m_pointOfNote[m_noteOfPoint[p]] = int(p);
    m_view->setPoints(computed.points, {});
    m_summary = tr("%1 notes · principal plane: %2 % of the variance · a note's 10 nearest neighbours share its family %3 % of the time")
                    .arg(computed.notes.size())
                    .arg(100.0 * computed.explainedVariance, 0, 'f', 1)
                    .arg(100.0 * computed.familyAgreement, 0, 'f', 1);
    m_status->setText(m_summary);
    recolour();
    setCurrentNote(m_currentNote);  // the library's note, chosen while the map was computed
    Q_EMIT mapShown();
    if (mapLayout() == Layout::Neighbourhood)
        computeLayout();
}

void MapPanel::setColourBy(ColourBy colourBy)
{
    m_colourBy->setCurrentIndex(m_colourBy->findData(int(colourBy)));
}

void MapPanel::recolour()
{
    if (!m_dataset || m_noteOfPoint.empty())
        return;
    const auto by = ColourBy(m_colourBy->currentData().toInt());
    const auto& notes = m_dataset->notes();
    std::vector<QRgb> colours;
    colours.reserve(m_noteOfPoint.size());
    std::map<std::string, int> generators;
    for (std::size_t note : m_noteOfPoint)
        generators.emplace(notes[note].generator, 0);
    int next = 0;
    for (auto& [name, index] : generators)
        index = next++;
    const std::vector<int>* predicted = nullptr;
    if (m_computed && by == ColourBy::FamilyRightWrong && !m_computed->predicted.family.empty())
        predicted = &m_computed->predicted.family;
    if (m_computed && by == ColourBy::SourceRightWrong && !m_computed->predicted.source.empty())
        predicted = &m_computed->predicted.source;
    std::size_t right = 0;
    for (std::size_t p = 0; p < m_noteOfPoint.size(); ++p) {
        const auto& n = notes[m_noteOfPoint[p]];
        switch (by) {
        case ColourBy::Family: colours.push_back(categorical(n.family)); break;
        case ColourBy::Source: colours.push_back(categorical(n.source)); break;
        case ColourBy::Pitch: colours.push_back(ramp((n.pitch - 21) / 87.0)); break;       // piano range A0..C8
        case ColourBy::Velocity: colours.push_back(ramp((n.velocity - 1) / 126.0)); break;
        case ColourBy::Generator: colours.push_back(categorical(generators[n.generator])); break;
        case ColourBy::Class: {
            const int c = m_dataset->classIndex(n);
            colours.push_back(c < 0 ? qRgb(150, 150, 150) : categorical(c));
            break;
        }
        case ColourBy::FamilyRightWrong:
        case ColourBy::SourceRightWrong: {
            const int truth = by == ColourBy::FamilyRightWrong ? n.family : n.source;
            const bool ok = predicted && (*predicted)[p] == truth;
            right += ok ? 1 : 0;
            colours.push_back(!predicted ? qRgb(150, 150, 150) : ok ? kRight : kWrong);
            break;
        }
        }
    }
    m_view->setColours(std::move(colours));
    QStringList legend;
    switch (by) {
    case ColourBy::Family:
        for (int f = 0; f < int(dataset::kFamilyNames.size()); ++f)
            legend << swatch(categorical(f), familyDisplayName(f));
        break;
    case ColourBy::Source:
        for (int s = 0; s < int(dataset::kSourceNames.size()); ++s)
            legend << swatch(categorical(s), sourceDisplayName(s));
        break;
    case ColourBy::Pitch: legend << swatch(ramp(0.0), tr("low")) << swatch(ramp(0.5), tr("middle")) << swatch(ramp(1.0), tr("high")); break;
    case ColourBy::Velocity: legend << swatch(ramp(0.0), tr("soft")) << swatch(ramp(1.0), tr("loud")); break;
    case ColourBy::Class:
        for (std::size_t c = 0; c < m_dataset->classNames().size(); ++c)
            legend << swatch(categorical(int(c)), QString::fromStdString(m_dataset->classNames()[c]));
        if (m_dataset->classNames().empty())
            legend << swatch(qRgb(150, 150, 150), tr("this dataset has no own classes"));
        break;
    case ColourBy::Generator:
        for (const auto& [name, index] : generators)
            legend << swatch(categorical(index), name.empty() ? tr("unknown") : QString::fromStdString(name));
        break;
    case ColourBy::FamilyRightWrong:
    case ColourBy::SourceRightWrong:
        if (!predicted) {
            legend << tr("this model's heads cannot be read from its file: no right / wrong colouring");
            break;
        }
        legend << swatch(kRight, tr("right: %1").arg(right)) << swatch(kWrong, tr("wrong: %1").arg(m_noteOfPoint.size() - right))
               << tr("(%1 % right, training notes included)").arg(100.0 * double(right) / double(m_noteOfPoint.size()), 0, 'f', 1);
        break;
    }
    m_legend->setText(legend.join(QStringLiteral("&nbsp;&nbsp; ")));
}

void MapPanel::showHovered(int point)
{
    if (point < 0 || std::size_t(point) >= m_noteOfPoint.size() || !m_dataset) {
        m_status->setText(m_summary);
        return;
    }
    const auto& n = m_dataset->notes()[m_noteOfPoint[std::size_t(point)]];
    m_status->setText(tr("%1 · %2 · %3 · %4 · velocity %5%6")
                          .arg(QString::fromStdString(n.noteStr), familyDisplayName(n.family), sourceDisplayName(n.source),
                               QString::fromStdString(dataset::noteName(n.pitch)))
                          .arg(n.velocity)
                          .arg(n.generator.empty() ? QString() : QStringLiteral(" · ") + QString::fromStdString(n.generator)));
}

void MapPanel::setCurrentNote(int noteIndex)
{
    m_currentNote = noteIndex;
    const int point = noteIndex >= 0 && std::size_t(noteIndex) < m_pointOfNote.size() ? m_pointOfNote[std::size_t(noteIndex)] : -1;
    m_view->setSelected(point);
    if (point < 0)
        return;
    // A note of the list being played keeps the list.
    for (int row = 0; row < m_similar->topLevelItemCount(); ++row)
        if (m_similar->topLevelItem(row)->data(0, Qt::UserRole).toInt() == noteIndex)
            return;
    if (m_similar->property("subjectNote").toInt() == noteIndex && m_similar->topLevelItemCount() > 0)
        return;
    showSimilarToPoint(point);
}

void MapPanel::showSimilarToPoint(int point)
{
    if (!m_computed || point < 0 || std::size_t(point) >= m_noteOfPoint.size())
        return;
    stopPlayingAll();
    const auto near = m_computed->index->nearest(m_computed->embeddings->row(std::size_t(point)), kSimilar, point);
    const auto& subject = m_dataset->notes()[m_noteOfPoint[std::size_t(point)]];
    m_similarTitle->setText(tr("Sounds like %1 (%2, %3):").arg(QString::fromStdString(subject.noteStr), familyDisplayName(subject.family),
                                                                 sourceDisplayName(subject.source)));
    m_similar->setProperty("subjectNote", int(m_noteOfPoint[std::size_t(point)]));
    std::vector<std::pair<std::size_t, float>> rows;
    for (const auto& n : near)
        rows.emplace_back(n.row, n.distance);
    fillSimilar(rows);
}

void MapPanel::fillSimilar(const std::vector<std::pair<std::size_t, float>>& rows)
{
    m_similar->clear();
    int rank = 1;
    for (const auto& [row, distance] : rows) {
        const int note = int(m_noteOfPoint[row]);
        const auto& n = m_dataset->notes()[std::size_t(note)];
        auto* item = new QTreeWidgetItem(m_similar, {QString::number(rank++), QString::fromStdString(n.noteStr),
                                                     QString::number(double(distance), 'f', 2), familyDisplayName(n.family),
                                                     sourceDisplayName(n.source), QString::fromStdString(dataset::noteName(n.pitch))});
        item->setData(0, Qt::UserRole, note);
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    }
    m_playAll->setEnabled(!rows.empty());
}

void MapPanel::showSimilarToFile(int marker)
{
    if (marker < 0 || std::size_t(marker) >= m_placedFiles.size() || !m_computed)
        return;
    stopPlayingAll();
    const PlacedFile& file = m_placedFiles[std::size_t(marker)];
    m_similarTitle->setText(tr("Sounds like %1 (dropped file):").arg(QFileInfo(file.path).fileName()));
    m_similar->setProperty("subjectNote", -1);
    fillSimilar(file.near);
}

bool MapPanel::isPlayingAll() const { return m_playTimer->isActive() || m_playRow >= 0; }

void MapPanel::playAllInTurn()
{
    if (m_similar->topLevelItemCount() == 0)
        return;
    m_playRow = -1;
    m_playAll->setText(tr("Stop"));
    playNextInTurn();
    m_playTimer->start();
}

void MapPanel::playNextInTurn()
{
    ++m_playRow;
    if (m_playRow >= m_similar->topLevelItemCount()) {
        stopPlayingAll();
        return;
    }
    QTreeWidgetItem* item = m_similar->topLevelItem(m_playRow);
    m_similar->setCurrentItem(item);
    Q_EMIT noteActivated(item->data(0, Qt::UserRole).toInt());
}

void MapPanel::stopPlayingAll()
{
    m_playTimer->stop();
    m_playRow = -1;
    m_playAll->setText(tr("Play all in turn"));
}

void MapPanel::setMapLayout(Layout layout)
{
    m_layoutChoice->setCurrentIndex(m_layoutChoice->findData(int(layout)));
}

MapPanel::Layout MapPanel::mapLayout() const { return Layout(m_layoutChoice->currentData().toInt()); }

std::vector<QPointF> MapPanel::shownPositions() const
{
    if (!m_computed)
        return {};
    if (mapLayout() == Layout::Neighbourhood && m_neighbourXy.size() == 2 * m_computed->points.size()) {
        std::vector<QPointF> points;
        points.reserve(m_computed->points.size());
        for (std::size_t i = 0; i < m_computed->points.size(); ++i)
            points.emplace_back(m_neighbourXy[2 * i], m_neighbourXy[2 * i + 1]);
        return points;
    }
    return m_computed->points;
}

void MapPanel::computeLayout()
{
    if (!m_computed || m_computing)
        return;
    if (!m_neighbourXy.empty()) {
        m_view->setPositions(shownPositions(), true);
        updateMarkers();
        return;
    }
    setComputing(true);
    m_layingOut = true;
    m_status->setText(tr("Laying out %1 notes by neighbourhood…").arg(m_computed->notes.size()));
    const auto computed = m_computed;
    const ProgressSink progress = m_throttled.sink();
    QPointer<MapPanel> self(this);
    m_layoutWork.run(
        [computed, progress, self](const CancellationToken& cancel) -> Result<LaidOut> {
            const map::EmbeddingCache cache;
            const map::LayoutSettings settings;
            std::vector<float> plane;
            for (const QPointF& p : computed->points) {
                plane.push_back(float(p.x()));
                plane.push_back(float(p.y()));
            }
            auto kept = [&](std::vector<float> xy) {
                LaidOut out;
                out.kept = map::neighbourhoodKept(*computed->embeddings, *computed->index, xy);
                out.planeKept = map::neighbourhoodKept(*computed->embeddings, *computed->index, plane);
                out.xy = std::move(xy);
                return out;
            };
            if (auto cached = cache.loadLayout(computed->embeddingsPath, *computed->embeddings, settings))
                return kept(std::move(*cached));
            // Each snapshot goes to the GUI thread (through the application object, which outlives
            // the panel; `self` is only read there); one still on its way when the work is
            // cancelled or superseded, or the panel gone, is dropped there.
            auto snapshot = [self, cancel](const std::vector<float>& xy, int, int) {
                if (cancel.isCancelled())
                    return;
                QMetaObject::invokeMethod(
                    qApp, [self, cancel, xy] {
                        if (!self || cancel.isCancelled() || !self->m_computed || self->mapLayout() != Layout::Neighbourhood)
                            return;
                        std::vector<QPointF> points;
                        points.reserve(xy.size() / 2);
                        for (std::size_t i = 0; i + 1 < xy.size(); i += 2)
                            points.emplace_back(xy[i], xy[i + 1]);
                        self->m_view->setPositions(std::move(points), true);
                    },
                    Qt::QueuedConnection);
            };
            auto xy = map::neighbourLayout(*computed->embeddings, *computed->index, plane, settings, progress, cancel, snapshot);
            if (!xy)
                return xy.error();
            if (auto stored = cache.storeLayout(computed->embeddingsPath, *computed->embeddings, settings, *xy); !stored && progress)
                progress(Progress{0, 0, "layout not cached: " + stored.error().describe(), true});
            return kept(std::move(*xy));
        },
        [this](Result<LaidOut> result) { showLayout(result); });
}

void MapPanel::showLayout(const Result<LaidOut>& result)
{
    m_layingOut = false;
    setComputing(false);
    m_throttled.discardHeld();
    if (!result) {
        m_status->setText(result.error().code == ErrorCode::Cancelled ? tr("Neighbourhood layout not computed (cancelled): the principal plane is shown.")
                                                                      : tr("No neighbourhood layout: %1").arg(QString::fromStdString(result.error().describe())));
        const QSignalBlocker blocker(m_layoutChoice);
        setMapLayout(Layout::PrincipalPlane);
        m_view->setPositions(m_computed ? m_computed->points : std::vector<QPointF>{}, true);
        updateMarkers();
        Q_EMIT layoutShown();
        return;
    }
    m_neighbourXy = result->xy;
    m_view->setPositions(shownPositions(), true);
    updateMarkers();
    m_status->setText(tr("%1 notes · neighbourhood layout: a note's 10 nearest neighbours stay among its 10 nearest on the map %2 % "
                         "of the time (principal plane: %3 %)")
                          .arg(m_noteOfPoint.size())
                          .arg(100.0 * result->kept, 0, 'f', 1)
                          .arg(100.0 * result->planeKept, 0, 'f', 1));
    Q_EMIT layoutShown();
}

void MapPanel::addFiles(const QStringList& paths)
{
    if (!m_computed || paths.isEmpty())
        return;
    const auto computed = m_computed;
    const std::string modelPath = m_modelPath.toStdString();
    const QStringList files = paths.mid(0, kMaxDroppedFiles);
    m_placeWork.run(
        [computed, modelPath, files](const CancellationToken& cancel) -> Result<std::shared_ptr<Placed>> {
            auto model = ml::TrainedModel::load(modelPath);
            if (!model)
                return model.error();
            auto out = std::make_shared<Placed>();
            out->placedOn = computed;
            for (const QString& path : files) {
                if (cancel.isCancelled())
                    return makeError(ErrorCode::Cancelled, "placing files cancelled");
                auto decoded = audio::loadAudio(path.toStdString());
                if (!decoded) {
                    out->failures << QString::fromStdString(decoded.error().describe());
                    continue;
                }
                const auto features = dataset::computeFeatures(model->architecture().features, audio::modelView(decoded->samples));
                auto embedded = model->embed(features.data(), 1);
                if (!embedded) {
                    out->failures << QString::fromStdString(embedded.error().describe());
                    continue;
                }
                PlacedFile placed;
                placed.path = path;
                for (const auto& n : computed->index->nearest(embedded->values.data(), kSimilar))
                    placed.near.emplace_back(n.row, n.distance);
                out->files.push_back(std::move(placed));
            }
            return out;
        },
        [this](Result<std::shared_ptr<Placed>> result) { showPlaced(result); });
}

void MapPanel::showPlaced(const Result<std::shared_ptr<Placed>>& result)
{
    if (!result) {
        m_status->setText(tr("Dropped files not placed on the map: %1").arg(QString::fromStdString(result.error().describe())));
        Q_EMIT filesPlaced();
        return;
    }
    const Placed& placed = **result;
    if (placed.placedOn != m_computed)  // placed on a map no longer shown: its rows mean nothing now
        return;
    for (const PlacedFile& file : placed.files)
        m_placedFiles.push_back(file);
    updateMarkers();
    QString text = tr("%n dropped file(s) on the map (diamonds, each among its nearest notes; click one for the notes it sounds like)", "",
                      int(placed.files.size()));
    if (!placed.failures.isEmpty())
        text += tr(" · not placed: %1").arg(placed.failures.join(QStringLiteral("; ")));
    m_status->setText(text);
    if (!placed.files.empty())
        showSimilarToFile(int(m_placedFiles.size() - placed.files.size()));
    Q_EMIT filesPlaced();
}

void MapPanel::updateMarkers()
{
    const auto positions = shownPositions();
    std::vector<QPointF> places;
    QStringList labels;
    for (const PlacedFile& file : m_placedFiles) {
        QPointF sum;
        const std::size_t count = std::min(kPlacingNeighbours, file.near.size());
        for (std::size_t i = 0; i < count; ++i)
            sum += positions[file.near[i].first];
        places.push_back(count == 0 ? QPointF() : sum / double(count));
        labels << QFileInfo(file.path).fileName();
    }
    m_view->setMarkers(std::move(places), std::move(labels));
}

QString MapPanel::legendText() const { return m_legend->text(); }

QString MapPanel::similarTitle() const { return m_similarTitle->text(); }

QString MapPanel::statusText() const { return m_status->text(); }

} // namespace ts::ui
