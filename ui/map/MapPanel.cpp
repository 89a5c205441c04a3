#include "ui/map/MapPanel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "dataset/Labels.h"
#include "map/EmbeddingCache.h"
#include "map/TimbreSpace.h"
#include "ml/TrainedModel.h"
#include "ui/common/LabelNames.h"
#include "ui/map/MapView.h"

namespace ts::ui {

struct MapPanel::Computed {
    std::vector<std::size_t> notes;
    std::vector<QPointF> points;
    double explainedVariance = 0.0;
    double familyAgreement = 0.0;
};

namespace {

// Eleven colours told apart at a glance (Tableau's ten, then a grey-green for vocal).
const QRgb kCategorical[] = {qRgb(31, 119, 180), qRgb(255, 127, 14), qRgb(44, 160, 44),  qRgb(214, 39, 40),
                             qRgb(148, 103, 189), qRgb(140, 86, 75), qRgb(227, 119, 194), qRgb(127, 127, 127),
                             qRgb(188, 189, 34),  qRgb(23, 190, 207), qRgb(82, 120, 90)};
constexpr int kCategories = int(sizeof kCategorical / sizeof kCategorical[0]);

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
          if (p.notice || !m_computing)
              return;
          m_progress->setRange(0, int(std::max<std::size_t>(1, p.total)));
          m_progress->setValue(int(p.done));
          m_status->setText(tr("Computing the map: %1 %2 of %3…").arg(QString::fromStdString(p.status)).arg(p.done).arg(p.total));
      }),
      m_work(this)
{
    m_colourBy = new QComboBox(this);
    m_colourBy->addItem(tr("Family"), int(ColourBy::Family));
    m_colourBy->addItem(tr("Source"), int(ColourBy::Source));
    m_colourBy->addItem(tr("Pitch"), int(ColourBy::Pitch));
    m_colourBy->addItem(tr("Velocity"), int(ColourBy::Velocity));
    m_colourBy->addItem(tr("Generator"), int(ColourBy::Generator));
    connect(m_colourBy, &QComboBox::currentIndexChanged, this, &MapPanel::recolour);
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
    connect(m_view, &MapView::pointClicked, this, [this](int point) {
        if (point >= 0 && std::size_t(point) < m_noteOfPoint.size())
            Q_EMIT noteActivated(int(m_noteOfPoint[std::size_t(point)]));
    });
    connect(m_view, &MapView::pointHovered, this, &MapPanel::showHovered);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Colour by:"), this));
    controls->addWidget(m_colourBy);
    controls->addWidget(m_legend, 1);
    auto* progress = new QHBoxLayout;
    progress->addWidget(m_progress, 1);
    progress->addWidget(m_cancel);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_view, 1);
    layout->addLayout(progress);
    layout->addWidget(m_status);
    m_status->setText(tr("Open a dataset: its notes appear here, placed by how they sound to the model."));
}

MapPanel::~MapPanel() { m_work.discard(); }

void MapPanel::setDataset(std::shared_ptr<const dataset::Dataset> dataset)
{
    m_dataset = std::move(dataset);
    if (isVisible())
        refresh();
}

void MapPanel::setModelPath(const QString& path)
{
    m_modelPath = path;
    if (isVisible())
        refresh();
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
    const QString key = QString::fromStdString(m_dataset->folder()) + QLatin1Char('\n') + m_modelPath;
    if (key == m_shownFor)
        return;
    m_shownFor = key;
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
            auto embedding = map::EmbeddingCache().load(*model, *dataset, progress, cancel);
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
            const map::NeighbourIndex index(embedding->embeddings);
            out->familyAgreement = map::neighbourAgreement(index, embedding->embeddings, families);
            return out;
        },
        [this](Result<std::shared_ptr<Computed>> result) { showComputed(result); });
}

void MapPanel::cancel()
{
    if (!m_computing)
        return;
    m_work.cancel();
    m_status->setText(tr("Stopping…"));
}

void MapPanel::setComputing(bool computing)
{
    m_computing = computing;
    m_progress->setVisible(computing);
    m_cancel->setVisible(computing);
    m_progress->setRange(0, 0);
}

void MapPanel::showComputed(const Result<std::shared_ptr<Computed>>& result)
{
    setComputing(false);
    m_throttled.discardHeld();
    if (!result) {
        m_shownFor.clear();  // asking again computes again
        m_noteOfPoint.clear();
        m_view->setPoints({}, {});
        m_status->setText(result.error().code == ErrorCode::Cancelled ? tr("Map not computed (cancelled).")
                                                                      : tr("No map: %1").arg(QString::fromStdString(result.error().describe())));
        Q_EMIT mapShown();
        return;
    }
    const Computed& computed = **result;
    m_noteOfPoint = computed.notes;
    m_view->setPoints(computed.points, {});
    m_summary = tr("%1 notes · principal plane: %2 % of the variance · a note's 10 nearest neighbours share its family %3 % of the time")
                    .arg(computed.notes.size())
                    .arg(100.0 * computed.explainedVariance, 0, 'f', 1)
                    .arg(100.0 * computed.familyAgreement, 0, 'f', 1);
    m_status->setText(m_summary);
    recolour();
    Q_EMIT mapShown();
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
    for (std::size_t i : m_noteOfPoint) {
        const auto& n = notes[i];
        switch (by) {
        case ColourBy::Family: colours.push_back(categorical(n.family)); break;
        case ColourBy::Source: colours.push_back(categorical(n.source)); break;
        case ColourBy::Pitch: colours.push_back(ramp((n.pitch - 21) / 87.0)); break;       // piano range A0..C8
        case ColourBy::Velocity: colours.push_back(ramp((n.velocity - 1) / 126.0)); break;
        case ColourBy::Generator: colours.push_back(categorical(generators[n.generator])); break;
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
    case ColourBy::Generator:
        for (const auto& [name, index] : generators)
            legend << swatch(categorical(index), name.empty() ? tr("unknown") : QString::fromStdString(name));
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
    const auto it = std::find(m_noteOfPoint.begin(), m_noteOfPoint.end(), std::size_t(std::max(0, noteIndex)));
    m_view->setSelected(noteIndex >= 0 && it != m_noteOfPoint.end() ? int(it - m_noteOfPoint.begin()) : -1);
}

QString MapPanel::statusText() const { return m_status->text(); }

} // namespace ts::ui
