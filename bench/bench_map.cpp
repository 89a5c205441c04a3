// The timbre map at scale: how long each part of the Map tab and of `similar` takes. Embeds a
// dataset's notes with a model (the embedding cache: computed when absent), reports how often a
// note's 10 nearest neighbours share its family on those real embeddings, then grows them to
// --notes rows the way a folder of hard links to the same notes would (each real row repeated in
// turn), with a little noise (0.5 % of the embedding's spread) so that no two rows are the same
// point, and times on those rows:
//   RESULT impl=app figure=map.family_agreement_10nn  (the real notes, every note asked)
//   RESULT impl=app figure=map.plane_kept_real / map.layout_kept_real / map.layout_seconds_real
//          (the real notes: share of 10-neighbourhoods the plane and the layout keep)
//   RESULT impl=app figure=map.pca_seconds            (the principal plane; goal <= 1 s at 300,000)
//   RESULT impl=app figure=map.index_build_seconds    (exact up to 50,000 rows, HNSW beyond)
//   RESULT impl=app figure=map.query_ms_median / map.query_ms_p95  (20 nearest of one note; goal <= 50 ms)
//   RESULT impl=app figure=map.layout_seconds         (the neighbourhood layout, default epochs)
//   RESULT impl=app figure=map.layout_kept / map.plane_kept  (share of 10-neighbourhoods kept; on
//          grown rows mostly a note's own copies, so not a figure of quality)
//   RESULT impl=app figure=map.draw_ms_median / map.draw_fps  (MapView redrawing while panned; goal >= 30 fps)
//   RESULT impl=app figure=map.peak_rss
// Run: bench_map DATASET_DIR [--model MODEL] [--notes 300000] [--queries 500] [--frames 60]
//                [--layout-epochs 0] [--skip-layout 0]
// Prints "# embeddings: PATH" (the cache file the Python peer reads the same embeddings from).
#include <QApplication>
#include <QImage>
#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "BenchArgs.h"
#include "BenchReport.h"
#include "dataset/Dataset.h"
#include "map/EmbeddingCache.h"
#include "map/NeighbourLayout.h"
#include "map/TimbreSpace.h"
#include "ml/Runtime.h"
#include "ml/TrainedModel.h"
#include "ui/map/MapView.h"

using namespace ts;

namespace {

int fail(const Error& error)
{
    std::fprintf(stderr, "%s\n", error.describe().c_str());
    return 1;
}

// `rows` rows: the real ones in turn, each copy after the first moved by Gaussian noise of 0.5 %
// of the real embeddings' spread per value.
ml::Embeddings grown(const ml::Embeddings& real, std::size_t rows)
{
    const std::size_t width = real.width, n = real.rows();
    double sum = 0.0, squares = 0.0;
    for (float v : real.values) {
        sum += v;
        squares += double(v) * v;
    }
    const double mean = sum / double(real.values.size());
    const double spread = std::sqrt(std::max(0.0, squares / double(real.values.size()) - mean * mean));
    std::mt19937 random(11);
    std::normal_distribution<float> noise(0.0f, float(0.005 * spread));
    ml::Embeddings out;
    out.width = width;
    out.values.resize(rows * width);
    for (std::size_t r = 0; r < rows; ++r) {
        const float* from = real.row(r % n);
        float* to = out.values.data() + r * width;
        for (std::size_t i = 0; i < width; ++i)
            to[i] = from[i] + (r < n ? 0.0f : noise(random));
    }
    return out;
}

} // namespace

int main(int argc, char** argv)
{
    int notes = 300'000, queries = 500, frames = 60, layoutEpochs = 0, skipLayout = 0;
    std::string modelPath = "models/timbre-net.tsm";  // the shipped one, run from the repository
    std::vector<std::string> folders;
    const bool parsed = bench::Args()
                            .add("--model", modelPath)
                            .add("--notes", notes)
                            .add("--queries", queries)
                            .add("--frames", frames)
                            .add("--layout-epochs", layoutEpochs)
                            .add("--skip-layout", skipLayout)
                            .positional(folders)
                            .parse(argc, argv);
    if (!parsed || folders.size() != 1 || notes < 10 || queries < 1 || frames < 2 || layoutEpochs < 0) {
        std::fprintf(stderr, "usage: bench_map DATASET_DIR [--model MODEL] [--notes 300000] [--queries 500] [--frames 60] "
                             "[--layout-epochs 0] [--skip-layout 0]\n");
        return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (auto runtime = ml::loadRuntime(); !runtime)
        return fail(runtime.error());
    auto dataset = dataset::Dataset::load(folders.front());
    if (!dataset)
        return fail(dataset.error());
    auto model = ml::TrainedModel::load(modelPath);
    if (!model)
        return fail(model.error());
    const map::EmbeddingCache cache;
    const double e0 = bench::now();
    auto embedding = cache.load(*model, *dataset);
    if (!embedding)
        return fail(embedding.error());
    std::fprintf(stderr, "# embeddings: %s\n# %zu real notes embedded (or read from the cache) in %.1f s\n", cache.pathFor(*model, *dataset).c_str(),
                 embedding->embeddings.rows(), bench::now() - e0);

    // On the real notes: neighbour agreement (every note asked, up to neighbourAgreement's limit),
    // and how many 10-neighbourhoods the plane and the layout keep (the grown rows below are copies
    // of these, so their neighbourhoods are mostly a note's own copies: timing only).
    {
        const ml::Embeddings& real = embedding->embeddings;
        const std::string realTag = "notes=" + std::to_string(real.rows());
        std::vector<int> families;
        for (std::size_t note : embedding->noteIndex)
            families.push_back(dataset->notes()[note].family);
        const map::NeighbourIndex index(real);
        bench::result("map.family_agreement_10nn", map::neighbourAgreement(index, real, families), "share", realTag);
        auto plane = map::principalPlane(real);
        if (!plane)
            return fail(plane.error());
        bench::result("map.plane_kept_real", map::neighbourhoodKept(real, index, plane->xy), "share", realTag);
        if (!skipLayout) {
            const double l0 = bench::now();
            auto layout = map::neighbourLayout(real, index, plane->xy);
            if (!layout)
                return fail(layout.error());
            bench::result("map.layout_seconds_real", bench::now() - l0, "s",
                          realTag + " epochs=" + std::to_string(map::LayoutSettings().epochsFor(real.rows())));
            bench::result("map.layout_kept_real", map::neighbourhoodKept(real, index, *layout), "share", realTag);
        }
    }

    const ml::Embeddings rows = grown(embedding->embeddings, std::size_t(notes));
    const std::string tag = "notes=" + std::to_string(notes) + " width=" + std::to_string(rows.width);
    double t0 = bench::now();
    auto plane = map::principalPlane(rows);
    if (!plane)
        return fail(plane.error());
    bench::result("map.pca_seconds", bench::now() - t0, "s", tag);

    t0 = bench::now();
    const map::NeighbourIndex index(rows);
    bench::result("map.index_build_seconds", bench::now() - t0, "s", tag + (index.exact() ? " index=exact" : " index=hnsw"));

    std::vector<double> ms;
    std::mt19937 pick(5);
    std::uniform_int_distribution<std::size_t> anyRow(0, rows.rows() - 1);
    for (int q = 0; q < queries; ++q) {
        const std::size_t row = anyRow(pick);
        const double q0 = bench::now();
        const auto near = index.nearest(rows.row(row), 20, long(row));
        ms.push_back(1000.0 * (bench::now() - q0));
        if (near.size() != 20)
            return fail(makeError(ErrorCode::Internal, "a query found " + std::to_string(near.size()) + " neighbours"));
    }
    std::sort(ms.begin(), ms.end());
    bench::result("map.query_ms_median", ms[ms.size() / 2], "ms", tag);
    bench::result("map.query_ms_p95", ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], "ms", tag);

    std::vector<float> shown = plane->xy;
    if (!skipLayout) {
        map::LayoutSettings settings;
        settings.epochs = layoutEpochs;
        t0 = bench::now();
        double graphDone = 0.0;
        auto layout = map::neighbourLayout(rows, index, plane->xy, settings, [&](const Progress& p) {
            if (graphDone == 0.0 && p.status == "laying out")
                graphDone = bench::now();
        });
        if (!layout)
            return fail(layout.error());
        const double total = bench::now() - t0;
        bench::result("map.layout_seconds", total, "s",
                      tag + " epochs=" + std::to_string(settings.epochsFor(rows.rows())) + " graph_seconds=" + bench::format(graphDone - t0));
        bench::result("map.layout_kept", map::neighbourhoodKept(rows, index, *layout), "share", tag);
        bench::result("map.plane_kept", map::neighbourhoodKept(rows, index, plane->xy), "share", tag);
        shown = std::move(*layout);
    }

    // Drawing: the view redrawn after each step of a drag across it, as a user pans.
    ui::MapView view;
    view.resize(1200, 800);
    std::vector<QPointF> points;
    std::vector<QRgb> colours;
    points.reserve(rows.rows());
    for (std::size_t i = 0; i < rows.rows(); ++i) {
        points.emplace_back(shown[2 * i], shown[2 * i + 1]);
        colours.push_back(qRgb(int(i * 37 % 256), int(i * 91 % 256), 128));
    }
    view.setPoints(std::move(points), std::move(colours));
    QImage target(view.size(), QImage::Format_RGB32);
    QWidget& widget = view;  // QWidget::render (MapView's own render() is its private redraw)
    widget.render(&target);  // the first drawing sizes the image
    const QPointF start(600, 400);
    QMouseEvent press(QEvent::MouseButtonPress, start, view.mapToGlobal(start), Qt::LeftButton, Qt::LeftButton, {});
    QApplication::sendEvent(&view, &press);
    std::vector<double> drawMs;
    for (int f = 0; f < frames; ++f) {
        const QPointF at = start + QPointF(8.0 * (f + 1), 3.0 * (f + 1));
        QMouseEvent move(QEvent::MouseMove, at, view.mapToGlobal(at), Qt::NoButton, Qt::LeftButton, {});
        const double f0 = bench::now();
        QApplication::sendEvent(&view, &move);
        widget.render(&target);
        drawMs.push_back(1000.0 * (bench::now() - f0));
    }
    const double medianMs = bench::median(drawMs);
    bench::result("map.draw_ms_median", medianMs, "ms", tag + " size=1200x800");
    bench::result("map.draw_fps", 1000.0 / medianMs, "frames/s", tag + " size=1200x800");
    bench::result("map.peak_rss", bench::peakRssMb(), "MB", tag);
    return 0;
}
