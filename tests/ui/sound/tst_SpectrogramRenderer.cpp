// SpectrogramRenderer: a known tone's brightest pixel sits on the row its frequency maps to on a
// linear, logarithmic and mel axis (expected rows computed here from the scales' definitions, not
// from FrequencyAxis); time maps to columns; the colour maps' endpoints are the published colours.
#include <QTest>

#include <cmath>
#include <vector>

#include "ui/sound/ColourMap.h"
#include "ui/sound/SpectrogramRenderer.h"

using namespace ts::ui;

namespace {

constexpr int kRate = 16000;

// A full-scale sine at hz between from and to seconds of a signal of total seconds.
std::vector<float> toneBurst(double hz, double total, double from, double to)
{
    std::vector<float> s(std::size_t(total * kRate), 0.0f);
    for (std::size_t i = std::size_t(from * kRate); i < std::size_t(to * kRate) && i < s.size(); ++i)
        s[i] = float(std::sin(2.0 * M_PI * hz * double(i) / kRate));
    return s;
}

// Slaney's mel scale, written out independently of core/dsp.
double slaneyMel(double hz)
{
    return hz < 1000.0 ? hz / (200.0 / 3.0) : 15.0 + std::log(hz / 1000.0) / (std::log(6.4) / 27.0);
}

double expectedRow(FrequencyScale scale, double hz, double minHz, double maxHz, int height)
{
    double unit = 0.0;
    switch (scale) {
    case FrequencyScale::Linear: unit = (hz - minHz) / (maxHz - minHz); break;
    case FrequencyScale::Logarithmic: unit = std::log(hz / minHz) / std::log(maxHz / minHz); break;
    case FrequencyScale::Mel: unit = (slaneyMel(hz) - slaneyMel(minHz)) / (slaneyMel(maxHz) - slaneyMel(minHz)); break;
    }
    return (1.0 - unit) * height - 0.5;  // row 0 at the top, pixel centres at +0.5
}

// The row of the brightest pixel in a column (greyscale map: brightness is level); ties → middle.
int brightestRow(const QImage& image, int column)
{
    int best = -1;
    int first = 0;
    int last = 0;
    for (int y = 0; y < image.height(); ++y) {
        const int v = qGray(image.pixel(column, y));
        if (v > best) {
            best = v;
            first = last = y;
        } else if (v == best) {
            last = y;
        }
    }
    return (first + last) / 2;
}

} // namespace

class tst_SpectrogramRenderer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void toneIsOnItsRow_data();
    void toneIsOnItsRow();
    void logMelToneIsWithinItsBand();
    void timeMapsToColumns();
    void zoomedRangeFillsTheImage();
    void floorAndCeilingClamp();
    void emptyDataGivesTheFloorColour();
    void colourMapEndpoints();
};

void tst_SpectrogramRenderer::toneIsOnItsRow_data()
{
    QTest::addColumn<int>("scale");
    QTest::addColumn<double>("hz");
    QTest::addColumn<double>("minHz");
    for (double hz : {440.0, 1000.0, 3150.0}) {
        QTest::addRow("linear %g Hz", hz) << int(FrequencyScale::Linear) << hz << 0.0;
        QTest::addRow("log %g Hz", hz) << int(FrequencyScale::Logarithmic) << hz << 50.0;
        QTest::addRow("mel %g Hz", hz) << int(FrequencyScale::Mel) << hz << 0.0;
    }
}

void tst_SpectrogramRenderer::toneIsOnItsRow()
{
    QFETCH(int, scale);
    QFETCH(double, hz);
    QFETCH(double, minHz);
    const SpectrogramRenderer renderer(SpectrogramData::fromStft(toneBurst(hz, 1.0, 0.0, 1.0), kRate));
    SpectrogramRenderSettings settings;
    settings.scale = FrequencyScale(scale);
    settings.minHz = minHz;
    settings.colourMap = ColourMap::Kind::Greyscale;
    const int height = 300;
    const QImage image = renderer.render(settings, QSize(200, height));
    QCOMPARE(image.size(), QSize(200, height));
    const double expected = expectedRow(FrequencyScale(scale), hz, minHz, 8000.0, height);
    for (int column : {50, 100, 150}) {
        const int row = brightestRow(image, column);
        QVERIFY2(std::fabs(row - expected) <= 1.0,
                 qPrintable(QStringLiteral("column %1: brightest row %2, expected %3").arg(column).arg(row).arg(expected)));
    }
    // And the renderer's own axis agrees with the definition.
    QVERIFY(std::fabs(renderer.frequencyAxis(settings).rowForFrequency(hz, height) - expected) < 1e-6);
}

void tst_SpectrogramRenderer::logMelToneIsWithinItsBand()
{
    // The log-mel's 64 bands between 20 Hz and 8 kHz are evenly spaced in mel: on a mel axis of 320
    // rows, about 5 rows per band, so the brightest row is within a band of the tone's row.
    const SpectrogramRenderer renderer(SpectrogramData::fromLogMel(toneBurst(1000.0, 1.0, 0.0, 1.0), kRate));
    QCOMPARE(renderer.data().levels.bins, 64);
    SpectrogramRenderSettings settings;
    settings.scale = FrequencyScale::Mel;
    settings.colourMap = ColourMap::Kind::Greyscale;
    settings.ceilingDb = renderer.data().ceilingDb();
    settings.floorDb = settings.ceilingDb - 100.0;
    const int height = 320;
    const QImage image = renderer.render(settings, QSize(100, height));
    const double expected = expectedRow(FrequencyScale::Mel, 1000.0, 0.0, 8000.0, height);
    const double rowsPerBand = height * (slaneyMel(8000.0) - slaneyMel(20.0)) / slaneyMel(8000.0) / 65.0;
    const int row = brightestRow(image, 50);
    QVERIFY2(std::fabs(row - expected) <= rowsPerBand,
             qPrintable(QStringLiteral("brightest row %1, expected %2 ± %3").arg(row).arg(expected).arg(rowsPerBand)));
}

void tst_SpectrogramRenderer::timeMapsToColumns()
{
    // 1 kHz from 1 s to 2 s of a 4 s signal, drawn 400 px wide: 100 px per second.
    const SpectrogramRenderer renderer(SpectrogramData::fromStft(toneBurst(1000.0, 4.0, 1.0, 2.0), kRate));
    SpectrogramRenderSettings settings;
    settings.colourMap = ColourMap::Kind::Greyscale;
    const QImage image = renderer.render(settings, QSize(400, 200));
    const int row = int(std::lround(expectedRow(FrequencyScale::Linear, 1000.0, 0.0, 8000.0, 200)));
    auto level = [&](int column) { return qGray(image.pixel(column, row)); };
    // The 64 ms window smears each edge by about 3 px; outside that, silence is dark and the tone bright.
    for (int x : {10, 50, 90, 210, 300, 390})
        QVERIFY2(level(x) < 40, qPrintable(QString::number(x)));
    for (int x : {105, 150, 195})
        QVERIFY2(level(x) > 240, qPrintable(QString::number(x)));
}

void tst_SpectrogramRenderer::zoomedRangeFillsTheImage()
{
    const SpectrogramRenderer renderer(SpectrogramData::fromStft(toneBurst(1000.0, 4.0, 1.0, 2.0), kRate));
    SpectrogramRenderSettings settings;
    settings.colourMap = ColourMap::Kind::Greyscale;
    settings.startSeconds = 1.2;
    settings.endSeconds = 1.8;
    const QImage image = renderer.render(settings, QSize(300, 200));
    const int row = int(std::lround(expectedRow(FrequencyScale::Linear, 1000.0, 0.0, 8000.0, 200)));
    for (int x = 0; x < 300; x += 10)
        QVERIFY2(qGray(image.pixel(x, row)) > 240, qPrintable(QString::number(x)));
    QCOMPARE(renderer.timeRange(settings), std::make_pair(1.2, 1.8));
}

void tst_SpectrogramRenderer::floorAndCeilingClamp()
{
    // A full-scale bin-centred tone reads 0 dB: with the ceiling at 0 it is the map's top colour,
    // and with the floor above 0 every pixel is the bottom colour.
    const SpectrogramRenderer renderer(SpectrogramData::fromStft(toneBurst(1000.0, 1.0, 0.0, 1.0), kRate));
    SpectrogramRenderSettings settings;
    settings.colourMap = ColourMap::Kind::Viridis;
    // 100 rows over 0..8 kHz: row 87's centre is exactly 1 kHz, and each row spans 5 bins.
    const QImage image = renderer.render(settings, QSize(100, 100));
    QCOMPARE(expectedRow(FrequencyScale::Linear, 1000.0, 0.0, 8000.0, 100), 87.0);
    QCOMPARE(image.pixel(50, 87), qRgb(0xFD, 0xE7, 0x25));
    settings.floorDb = 10.0;
    settings.ceilingDb = 20.0;
    const QImage dark = renderer.render(settings, QSize(100, 100));
    for (int y = 0; y < 100; y += 7)
        QCOMPARE(dark.pixel(50, y), qRgb(0x44, 0x01, 0x54));
    QVERIFY(std::fabs(*renderer.levelAt(0.5, 1000.0)) < 0.01);
    QVERIFY(!renderer.levelAt(1.5, 1000.0));
}

void tst_SpectrogramRenderer::emptyDataGivesTheFloorColour()
{
    const SpectrogramRenderer renderer;
    const QImage image = renderer.render(SpectrogramRenderSettings{}, QSize(10, 10));
    QCOMPARE(image.size(), QSize(10, 10));
    QCOMPARE(image.pixel(5, 5), qRgb(0x44, 0x01, 0x54));
    QVERIFY(!renderer.levelAt(0.0, 100.0));
}

void tst_SpectrogramRenderer::colourMapEndpoints()
{
    QCOMPARE(ColourMap(ColourMap::Kind::Viridis).colourAt(0.0), qRgb(0x44, 0x01, 0x54));
    QCOMPARE(ColourMap(ColourMap::Kind::Viridis).colourAt(1.0), qRgb(0xFD, 0xE7, 0x25));
    QCOMPARE(ColourMap(ColourMap::Kind::Magma).colourAt(0.0), qRgb(0x00, 0x00, 0x04));
    QCOMPARE(ColourMap(ColourMap::Kind::Magma).colourAt(1.0), qRgb(0xFC, 0xFD, 0xBF));
    QCOMPARE(ColourMap(ColourMap::Kind::Greyscale).colourAt(0.0), qRgb(0, 0, 0));
    QCOMPARE(ColourMap(ColourMap::Kind::Greyscale).colourAt(1.0), qRgb(255, 255, 255));
    QCOMPARE(ColourMap(ColourMap::Kind::Greyscale).colourAt(0.5), qRgb(128, 128, 128));
    // Out of range and NaN clamp instead of reading outside the table.
    QCOMPARE(ColourMap().colourAt(-3.0), qRgb(0x44, 0x01, 0x54));
    QCOMPARE(ColourMap().colourAt(7.0), qRgb(0xFD, 0xE7, 0x25));
    QCOMPARE(ColourMap().colourAt(std::nan("")), qRgb(0x44, 0x01, 0x54));
    // Viridis and magma get brighter all the way up (perceptual maps are monotonic in lightness).
    for (ColourMap::Kind kind : {ColourMap::Kind::Viridis, ColourMap::Kind::Magma}) {
        const ColourMap map(kind);
        for (int i = 1; i < ColourMap::kTableSize; ++i)
            QVERIFY(QColor::fromRgb(map.table()[std::size_t(i)]).lightness() >= QColor::fromRgb(map.table()[std::size_t(i - 1)]).lightness() - 1);
    }
    QCOMPARE(ColourMap::fromDisplayName(QStringLiteral("magma")), ColourMap::Kind::Magma);
    QVERIFY(!ColourMap::fromDisplayName(QStringLiteral("jet")));
}

QTEST_GUILESS_MAIN(tst_SpectrogramRenderer)
#include "tst_SpectrogramRenderer.moc"
