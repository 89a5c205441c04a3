// The timbre space's parts on embeddings whose answers are known: the principal plane of points on
// a line carries all their variance along x; nearest neighbours come nearest first with Euclidean
// distances, leave the asked row out, and the HNSW graph finds what exact search finds on
// well-separated clusters; neighbour agreement is 1 for labels that follow the clusters and about
// the chance rate for labels that do not.
#include <QtTest>

#include <cmath>
#include <random>

#include "map/TimbreSpace.h"

using ts::map::NeighbourIndex;

namespace {

// `clusters` tight clusters of `perCluster` points each in `width` dimensions, far apart.
ts::ml::Embeddings clustered(int clusters, int perCluster, int width, unsigned seed = 3)
{
    std::mt19937 random(seed);
    std::normal_distribution<float> noise(0.0f, 0.05f);
    ts::ml::Embeddings e;
    e.width = std::size_t(width);
    for (int c = 0; c < clusters; ++c)
        for (int i = 0; i < perCluster; ++i)
            for (int d = 0; d < width; ++d)
                e.values.push_back((d % clusters == c ? 10.0f : 0.0f) + noise(random));
    return e;
}

} // namespace

class tst_TimbreSpace : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pointsOnALineLieAlongX()
    {
        ts::ml::Embeddings e;
        e.width = 8;
        for (int i = 0; i < 50; ++i)
            for (int d = 0; d < 8; ++d)
                e.values.push_back(float(i) * float(d + 1));  // all on one line through the origin
        const auto plane = ts::map::principalPlane(e);
        QVERIFY(plane.ok());
        QCOMPARE(plane->xy.size(), std::size_t(100));
        QVERIFY(plane->explainedVariance > 0.999);
        double meanX = 0.0, spreadY = 0.0;
        for (int i = 0; i < 50; ++i) {
            meanX += plane->xy[2 * i];
            spreadY = std::max(spreadY, double(std::fabs(plane->xy[2 * i + 1])));
        }
        QVERIFY(std::fabs(meanX / 50.0) < 1e-3);  // centred
        QVERIFY(spreadY < 1e-2);
        // Consecutive points are equally far apart along x: |i| * |(1..8)| = i * 14.28.
        QVERIFY(std::fabs(std::fabs(plane->xy[2] - plane->xy[0]) - std::sqrt(204.0)) < 1e-3);
        ts::ml::Embeddings one;
        one.width = 8;
        one.values.assign(8, 1.0f);
        QVERIFY(!ts::map::principalPlane(one).ok());
    }

    void nearestFirstAndWithoutTheAskedRow()
    {
        ts::ml::Embeddings e;
        e.width = 2;
        e.values = {0, 0, 1, 0, 0, 3, 5, 5};
        const NeighbourIndex index(e);
        QVERIFY(index.exact());
        const auto near = index.nearest(e.row(0), 3, 0);
        QCOMPARE(near.size(), std::size_t(3));
        QCOMPARE(near[0].row, std::size_t(1));
        QCOMPARE(near[0].distance, 1.0f);
        QCOMPARE(near[1].row, std::size_t(2));
        QCOMPARE(near[1].distance, 3.0f);
        QCOMPARE(near[2].row, std::size_t(3));
        QVERIFY(std::fabs(near[2].distance - std::sqrt(50.0f)) < 1e-5f);
        const float query[2] = {0.9f, 0.1f};
        QCOMPARE(index.nearest(query, 1).front().row, std::size_t(1));
        QCOMPARE(index.nearest(query, 10).size(), std::size_t(4));  // no more than there are
    }

    void theGraphFindsWhatExactSearchFinds()
    {
        const auto e = clustered(4, 300, 16);
        const NeighbourIndex exact(e);
        const NeighbourIndex graph(e, 100);
        QVERIFY(exact.exact());
        QVERIFY(!graph.exact());
        for (std::size_t row : {0, 299, 300, 777, 1199}) {
            const auto a = exact.nearest(e.row(row), 10, long(row));
            const auto b = graph.nearest(e.row(row), 10, long(row));
            QCOMPARE(b.size(), std::size_t(10));
            for (const auto& n : b)
                QCOMPARE(n.row / 300, row / 300);  // its own cluster
            QVERIFY(std::fabs(a.front().distance - b.front().distance) < 1e-4f);
        }
    }

    void agreementFollowsTheLabels()
    {
        const auto e = clustered(3, 100, 12);
        const NeighbourIndex index(e);
        std::vector<int> byCluster, alternating;
        for (int i = 0; i < 300; ++i) {
            byCluster.push_back(i / 100);
            alternating.push_back(i % 2);
        }
        QCOMPARE(ts::map::neighbourAgreement(index, e, byCluster), 1.0);
        const double chance = ts::map::neighbourAgreement(index, e, alternating);
        QVERIFY2(chance > 0.35 && chance < 0.65, qPrintable(QString::number(chance)));
    }
};

QTEST_GUILESS_MAIN(tst_TimbreSpace)
#include "tst_TimbreSpace.moc"
