// The timbre map's neighbourhood layout, its cache and the classes read off embeddings:
//  - clusters that the principal plane lays over each other come apart on the layout: nearly every
//    note's 10 nearest on the layout are of its own cluster, and more of its embedding neighbours
//    are kept than on the plane; the same seed gives the same layout; cancel and bad input say so;
//  - a stored layout comes back only for the same embeddings and settings; an HNSW index is built
//    once and read back beside the embeddings, and built again for other values or a damaged file;
//  - the heads applied to embeddings pick the classes TrainedModel::score picks, for a model file
//    of format 1 (converted in memory) and of format 2; a width that no head reads is refused.
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <numeric>
#include <random>
#include <set>

#include "map/EmbeddingCache.h"
#include "map/HeadPredictions.h"
#include "map/NeighbourLayout.h"
#include "ml/ModelConversion.h"
#include "ml/ModelFile.h"

using namespace ts;

namespace {

// `clusters` groups of `perCluster` points in 16 dimensions. Each group lies 4 apart from the others
// in a direction of its own, while every point also varies widely (spread 3, variance 9) along two
// shared directions: the groups' own directions carry less variance (2.56 each), so the principal
// plane shows the shared directions, where every group is spread over the same place, while a
// point's nearest neighbours (about 0.4 away) are all of its own group (the others are 5.7 away).
ml::Embeddings hiddenClusters(int clusters, int perCluster, unsigned seed = 5)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> unit(0.0f, 1.0f);
    ml::Embeddings e;
    e.width = 16;
    for (int c = 0; c < clusters; ++c)
        for (int i = 0; i < perCluster; ++i)
            for (int d = 0; d < 16; ++d) {
                float v = 0.05f * unit(random);
                if (d < 2)
                    v += 3.0f * unit(random);
                if (d == 2 + c)
                    v += 4.0f;
                e.values.push_back(v);
            }
    return e;
}

// The share of each point's k nearest on the plane that are of its own cluster.
double purityOnPlane(const std::vector<float>& xy, int perCluster, std::size_t k = 10)
{
    ml::Embeddings plane;
    plane.width = 2;
    plane.values = xy;
    const map::NeighbourIndex index(plane);
    std::vector<std::size_t> all(plane.rows());
    std::iota(all.begin(), all.end(), 0);
    std::vector<int> cluster(plane.rows());
    for (std::size_t i = 0; i < cluster.size(); ++i)
        cluster[i] = int(i) / perCluster;
    return map::neighbourAgreement(index, plane, cluster, k);
}

std::string fixturePath()
{
    return qEnvironmentVariable("TIMBRESCOPE_SOURCE_DIR").toStdString() + "/tests/fixtures/toy-timbre-net-v1.checkpoint";
}

} // namespace

class tst_NeighbourLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hiddenClustersComeApart()
    {
        const int clusters = 5, perCluster = 200;
        const auto e = hiddenClusters(clusters, perCluster);
        const map::NeighbourIndex index(e);
        const auto plane = map::principalPlane(e);
        QVERIFY(plane.ok());
        const double planePurity = purityOnPlane(plane->xy, perCluster);
        QVERIFY2(planePurity < 0.5, qPrintable(QString::number(planePurity)));  // the plane mixes them
        map::LayoutSettings settings;
        settings.epochs = 200;
        int snapshots = 0;
        std::size_t lastEpochReported = 0;
        const auto xy = map::neighbourLayout(
            e, index, plane->xy, settings, [&](const Progress& p) { lastEpochReported = p.done; }, {},
            [&](const std::vector<float>& shown, int epoch, int epochs) {
                QCOMPARE(shown.size(), std::size_t(2 * clusters * perCluster));
                QVERIFY(epoch > 0 && epoch < epochs);
                ++snapshots;
            });
        QVERIFY2(xy.ok(), xy.ok() ? "" : xy.error().describe().c_str());
        QCOMPARE(xy->size(), std::size_t(2 * clusters * perCluster));
        QCOMPARE(lastEpochReported, std::size_t(200));
        QVERIFY(snapshots >= 20);  // the picture refines while it runs
        const double layoutPurity = purityOnPlane(*xy, perCluster);
        QVERIFY2(layoutPurity > 0.95, qPrintable(QString::number(layoutPurity)));
        const double keptLayout = map::neighbourhoodKept(e, index, *xy), keptPlane = map::neighbourhoodKept(e, index, plane->xy);
        QVERIFY2(keptLayout > keptPlane + 0.1, qPrintable(QStringLiteral("%1 vs %2").arg(keptLayout).arg(keptPlane)));

        const auto again = map::neighbourLayout(e, index, plane->xy, settings);
        QVERIFY(again.ok());
        QVERIFY(*again == *xy);  // seeded: the same embeddings give the same layout
    }

    void cancelAndBadInputAreSaid()
    {
        const auto e = hiddenClusters(2, 20);
        const map::NeighbourIndex index(e);
        const auto plane = map::principalPlane(e);
        CancellationToken cancel;
        cancel.cancel();
        const auto cancelled = map::neighbourLayout(e, index, plane->xy, {}, {}, cancel);
        QVERIFY(!cancelled.ok());
        QCOMPARE(cancelled.error().code, ErrorCode::Cancelled);
        const auto wrongStart = map::neighbourLayout(e, index, std::vector<float>(10, 0.0f));
        QVERIFY(!wrongStart.ok());
        QCOMPARE(wrongStart.error().code, ErrorCode::InvalidArgument);
        QVERIFY(wrongStart.error().message.find("5 rows, not 40") != std::string::npos);
    }

    void aStoredLayoutComesBackOnlyForItsEmbeddingsAndSettings()
    {
        QTemporaryDir dir;
        const map::EmbeddingCache cache(dir.path().toStdString());
        const std::string path = dir.filePath(QStringLiteral("e.bin")).toStdString();
        const auto e = hiddenClusters(2, 10);
        map::LayoutSettings settings;
        std::vector<float> xy(40);
        std::iota(xy.begin(), xy.end(), 0.5f);
        QVERIFY(!cache.loadLayout(path, e, settings).has_value());
        QVERIFY(cache.storeLayout(path, e, settings, xy).ok());
        const auto back = cache.loadLayout(path, e, settings);
        QVERIFY(back.has_value());
        QVERIFY(*back == xy);
        map::LayoutSettings other = settings;
        other.neighbours = 10;
        QVERIFY(!cache.loadLayout(path, e, other).has_value());
        auto changed = e;
        changed.values[7] += 1.0f;
        QVERIFY(!cache.loadLayout(path, changed, settings).has_value());
    }

    void aLargeIndexIsBuiltOnceAndKeptBesideTheEmbeddings()
    {
        QTemporaryDir dir;
        const map::EmbeddingCache cache(dir.path().toStdString());
        const std::string path = dir.filePath(QStringLiteral("e.bin")).toStdString();
        std::mt19937 random(4);
        std::uniform_real_distribution<float> any(-1.0f, 1.0f);
        ml::Embeddings e;
        e.width = 4;
        e.values.resize((map::NeighbourIndex::kExactLimit + 1) * 4);
        for (float& v : e.values)
            v = any(random);
        int notices = 0;
        const auto built = cache.loadIndex(path, e, [&](const Progress& p) { notices += p.status == "indexing the notes" ? 1 : 0; });
        QVERIFY(!built.exact());
        QCOMPARE(notices, 1);
        QVERIFY(QFileInfo::exists(QString::fromStdString(path + ".index")));
        notices = 0;
        const auto read = cache.loadIndex(path, e, [&](const Progress& p) { notices += p.status == "indexing the notes" ? 1 : 0; });
        QCOMPARE(notices, 0);  // read, not built again
        QCOMPARE(read.rows(), e.rows());
        QVERIFY(!read.exact());
        for (std::size_t row : {std::size_t(0), std::size_t(777), std::size_t(50'000)}) {
            const auto a = built.nearest(e.row(row), 5, long(row)), b = read.nearest(e.row(row), 5, long(row));
            QCOMPARE(a.size(), std::size_t(5));
            for (std::size_t i = 0; i < 5; ++i)
                QCOMPARE(a[i].row, b[i].row);
        }
        // Other values: built again; a damaged file: built again, no error.
        auto changed = e;
        changed.values[0] += 0.5f;
        cache.loadIndex(path, changed, [&](const Progress& p) { notices += p.status == "indexing the notes" ? 1 : 0; });
        QCOMPARE(notices, 1);
        QFile file(QString::fromStdString(path + ".index"));
        QVERIFY(file.open(QIODevice::ReadWrite));
        file.seek(200);
        file.write(QByteArray(4096, '\xff'));
        file.close();
        const auto rebuilt = cache.loadIndex(path, changed, [&](const Progress& p) { notices += p.status == "indexing the notes" ? 1 : 0; });
        QCOMPARE(notices, 2);
        QCOMPARE(rebuilt.rows(), changed.rows());
        const auto garbage = map::NeighbourIndex::deserialise(std::string(100, 'x'));
        QVERIFY(!garbage.ok());
        QCOMPARE(garbage.error().code, ErrorCode::BadFormat);
    }

    void headsOnEmbeddingsPickWhatScorePicks()
    {
        auto v1 = ml::loadModelFile(fixturePath());
        QVERIFY2(v1.ok(), v1.ok() ? "" : v1.error().describe().c_str());
        QCOMPARE(v1->metadata.formatVersion, 1u);
        auto v2 = ml::convertModelFile(*v1, fixturePath());
        QVERIFY(v2.ok());
        auto model = ml::TrainedModel::fromModelFile(*v2, "toy.tsm");
        QVERIFY(model.ok());
        const std::size_t rowSize = model->architecture().features.size(), rows = 40;
        // Rows of every kind of level and tilt (from near silence to loud, dark to bright), noisy.
        std::mt19937 random(9);
        std::normal_distribution<float> noise(0.0f, 6.0f);
        std::uniform_real_distribution<float> level(-100.0f, 0.0f), tilt(-1.5f, 1.5f);
        const int bands = model->architecture().features.shape()[1];
        std::vector<float> features(rows * rowSize);
        for (std::size_t r = 0; r < rows; ++r) {
            const float base = level(random), slope = tilt(random);
            for (std::size_t i = 0; i < rowSize; ++i)
                features[r * rowSize + i] = base + slope * float(int(i % std::size_t(bands)) - bands / 2) + noise(random);
        }
        const auto scores = model->score(features.data(), rows);
        const auto embeddings = model->embed(features.data(), rows);
        QVERIFY(scores.ok() && embeddings.ok());
        QCOMPARE(embeddings->width, std::size_t(256));
        auto argmax = [](const std::vector<float>& p) { return int(std::max_element(p.begin(), p.end()) - p.begin()); };
        std::set<std::pair<int, int>> answersSeen;
        for (const auto* file : {&*v1, &*v2}) {
            const auto predicted = map::predictFromEmbeddings(*file, *embeddings, "toy.tsm");
            QVERIFY2(predicted.ok(), predicted.ok() ? "" : predicted.error().describe().c_str());
            QCOMPARE(predicted->family.size(), rows);
            QCOMPARE(predicted->source.size(), rows);
            for (std::size_t r = 0; r < rows; ++r) {
                QCOMPARE(predicted->family[r], argmax(scores->family[r]));
                QCOMPARE(predicted->source[r], argmax(scores->source[r]));
                answersSeen.emplace(predicted->family[r], predicted->source[r]);
            }
        }
        QVERIFY(answersSeen.size() >= 2);  // the check compared more than one answer
        ml::Embeddings narrow;
        narrow.width = 10;
        narrow.values.assign(20, 0.0f);
        const auto refused = map::predictFromEmbeddings(*v2, narrow, "toy.tsm");
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, ErrorCode::Unsupported);
        QVERIFY(refused.error().describe().find("toy.tsm") != std::string::npos);
        QVERIFY(refused.error().describe().find("no linear family_head over an embedding of 10 values") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(tst_NeighbourLayout)
#include "tst_NeighbourLayout.moc"
