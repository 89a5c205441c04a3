// The seed's four networks exactly as its Keras summaries, and timbre-net as documented.
#include <QtTest>

#include "ml/Architecture.h"

using namespace ts::ml;

class tst_Networks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parameterCounts_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<qint64>("count");
        QTest::newRow("seed-cnn2d") << "seed-cnn2d" << qint64(614667);
        QTest::newRow("seed-logreg-spec") << "seed-logreg-spec" << qint64(708092);
        QTest::newRow("seed-cnn1d") << "seed-cnn1d" << qint64(3077955);
        QTest::newRow("seed-logreg-raw") << "seed-logreg-raw" << qint64(192003);
        QTest::newRow("timbre-net") << "timbre-net" << qint64(100992);
    }
    void parameterCounts()
    {
        QFETCH(QString, id);
        QFETCH(qint64, count);
        QCOMPARE(countParameters(id.toStdString()), count);
        QCOMPARE(findArchitecture(id.toStdString())->parameterCount, count);
    }
    // A dataset's own classes: timbre-net's two heads (256 x 11 + 11, 256 x 3 + 3) become one of
    // 256 x 4 + 4; the count the table says is the built network's. The seed's models are refused.
    void ownClassesHead()
    {
        auto own = withOwnClasses(*findArchitecture("timbre-net"), {"dx7", "rhodes", "wurli", "clav"});
        QVERIFY(own.ok());
        QCOMPARE(own->parameterCount, std::int64_t(98422));
        QCOMPARE(countParameters(own.value()), std::int64_t(98422));
        QCOMPARE(labelsOf(own.value(), Target::Class).size(), std::size_t(4));
        QVERIFY(predicts(own.value(), Target::Class) && !predicts(own.value(), Target::Family));
        QVERIFY(!withOwnClasses(*findArchitecture("seed-cnn2d"), {"a", "b"}).ok());
        QVERIFY(!withOwnClasses(*findArchitecture("timbre-net"), {"only"}).ok());
        // From a model file's metadata: repeated or missing class names are refused.
        QVERIFY(architectureOfModel("timbre-net", {"class"}, {{"class", {"a", "b"}}}, "m.tsm").ok());
        QVERIFY(!architectureOfModel("timbre-net", {"class"}, {{"class", {"a", "a"}}}, "m.tsm").ok());
        QVERIFY(!architectureOfModel("timbre-net", {"class"}, {}, "m.tsm").ok());
        QVERIFY(!architectureOfModel("timbre-net", {"class", "family"}, {{"class", {"a", "b"}}}, "m.tsm").ok());
    }
    void unknownArchitecture()
    {
        QCOMPARE(countParameters("resnet"), std::int64_t(-1));
        QVERIFY(!findArchitecture("resnet"));
        QCOMPARE(architectures().size(), std::size_t(5));
    }
    void seedCnn2dShapes()
    {
        const std::vector<LayerShape> expected = {
            {"resizing", {499, 129, 1}},     {"conv2d", {497, 127, 16}},   {"max_pooling2d", {248, 63, 16}},
            {"conv2d_1", {246, 61, 32}},     {"max_pooling2d_1", {123, 30, 32}}, {"conv2d_2", {121, 28, 64}},
            {"max_pooling2d_2", {60, 14, 64}}, {"dropout", {60, 14, 64}},  {"flatten", {53760}},
            {"dropout_1", {53760}},          {"dense", {11}}};
        compare(layerShapes("seed-cnn2d"), expected);
    }
    void seedCnn1dShapes()
    {
        const std::vector<LayerShape> expected = {
            {"conv1d_6", {63998, 32}}, {"max_pooling1d_6", {31999, 32}}, {"conv1d_7", {31997, 64}},
            {"max_pooling1d_7", {15998, 64}}, {"dropout_6", {15998, 64}}, {"flatten_3", {1023872}},
            {"dropout_7", {1023872}}, {"dense_2", {3}}};
        compare(layerShapes("seed-cnn1d"), expected);
    }
    void logisticRegressionShapes()
    {
        compare(layerShapes("seed-logreg-spec"), {{"flatten", {64371}}, {"dense", {11}}});
        compare(layerShapes("seed-logreg-raw"), {{"flatten", {64000}}, {"dense", {3}}});
    }
    void timbreNetShapes()
    {
        const auto shapes = layerShapes("timbre-net");
        QVERIFY(!shapes.empty());
        QCOMPARE(shapes.front().shape, (std::vector<std::int64_t>{62, 64, 1}));  // time pooled by 4 first
        QCOMPARE(shapes[shapes.size() - 3].shape, (std::vector<std::int64_t>{256}));  // global avg + max
        QCOMPARE(shapes[shapes.size() - 2].shape, (std::vector<std::int64_t>{11}));
        QCOMPARE(shapes.back().shape, (std::vector<std::int64_t>{3}));
    }

private:
    static void compare(const std::vector<LayerShape>& actual, const std::vector<LayerShape>& expected)
    {
        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(actual[i].name, expected[i].name);
            QCOMPARE(actual[i].shape, expected[i].shape);
        }
    }
};

QTEST_GUILESS_MAIN(tst_Networks)
#include "tst_Networks.moc"
