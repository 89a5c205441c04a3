// WaveformView: the envelope drawn for any length has a number of points bounded by the plot
// width and the exact min/max of the samples; zoom and pan keep to the sound and emit once.
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <cmath>
#include <random>

#include "ui/sound/TimeRange.h"
#include "ui/sound/WaveformEnvelope.h"
#include "ui/sound/WaveformView.h"

using ts::ui::TimeRange;
using ts::ui::WaveformEnvelope;
using ts::ui::WaveformSegment;
using ts::ui::WaveformView;

namespace {

std::vector<float> noise(std::size_t n, unsigned seed)
{
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-0.5f, 0.5f);
    std::vector<float> s(n);
    for (float& x : s)
        x = dist(rng);
    return s;
}

double minY(const QList<QPointF>& points)
{
    double m = 1e9;
    for (const QPointF& p : points)
        m = std::min(m, p.y());
    return m;
}

double maxY(const QList<QPointF>& points)
{
    double m = -1e9;
    for (const QPointF& p : points)
        m = std::max(m, p.y());
    return m;
}

} // namespace

class tst_WaveformView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void envelopeColumnsAreExact();
    void tenMillionSamplesDrawBoundedPointsWithTheRightExtremes();
    void zoomingInFarDrawsTheSamples();
    void zoomAndPanStayInsideTheSound();
    void showingTheWholeSoundFromTheNarrowestZoomIsQuick();
    void emptySignalClears();
    void segmentsAreDrawnAsBandsByFamily();
};

void tst_WaveformView::envelopeColumnsAreExact()
{
    // Odd sizes so columns straddle block boundaries; compare with a brute-force scan.
    auto samples = std::make_shared<const std::vector<float>>(noise(100'003, 1));
    const WaveformEnvelope envelope(samples);
    for (auto [first, last, columns] : {std::tuple<std::size_t, std::size_t, int>{0, 100'003, 997},
                                        {1'234, 77'777, 300},
                                        {50, 700, 1000}}) {
        const auto extents = envelope.columns(first, last, columns);
        const std::size_t n = std::min<std::size_t>(last - first, std::size_t(columns));
        QCOMPARE(extents.size(), n);
        for (std::size_t c = 0; c < n; ++c) {
            const std::size_t a = first + (last - first) * c / n;
            const std::size_t b = first + (last - first) * (c + 1) / n;
            const auto [lo, hi] = std::minmax_element(samples->begin() + std::ptrdiff_t(a), samples->begin() + std::ptrdiff_t(b));
            QCOMPARE(extents[c].min, *lo);
            QCOMPARE(extents[c].max, *hi);
        }
    }
}

void tst_WaveformView::tenMillionSamplesDrawBoundedPointsWithTheRightExtremes()
{
    std::vector<float> samples = noise(10'000'000, 2);
    // Extremes far from the edges and off block boundaries, which must survive the summary.
    samples[3'333'333] = 0.93f;
    samples[7'654'321] = -0.87f;
    WaveformView view;
    view.resize(900, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSignal(std::move(samples), 16000);

    const QList<QPointF> upper = view.upperEnvelope();
    const QList<QPointF> lower = view.lowerEnvelope();
    QVERIFY(!upper.isEmpty());
    QVERIFY2(upper.size() <= view.width() && lower.size() <= view.width(),
             qPrintable(QStringLiteral("%1 points for a %2-pixel view").arg(upper.size()).arg(view.width())));
    QCOMPARE(maxY(upper), double(0.93f));
    QCOMPARE(minY(lower), double(-0.87f));
    QCOMPARE(view.timeRange()->start(), 0.0);
    QCOMPARE(view.timeRange()->end(), 625.0);

    // The same bound for a short note: the point count depends on the width, not the length.
    view.setSignal(noise(64'000, 3), 16000);
    QVERIFY(view.upperEnvelope().size() <= view.width());
}

void tst_WaveformView::zoomingInFarDrawsTheSamples()
{
    std::vector<float> samples(64'000);
    for (std::size_t i = 0; i < samples.size(); ++i)
        samples[i] = float(std::sin(2.0 * M_PI * 440.0 * double(i) / 16000.0));
    WaveformView view;
    view.resize(800, 300);
    view.setSignal(samples, 16000);
    view.timeRange()->setVisible(1.0, 1.01);  // 160 samples: fewer than the columns
    const QList<QPointF> upper = view.upperEnvelope();
    QVERIFY(upper.size() >= 160 && upper.size() <= 164);
    QCOMPARE(upper, view.lowerEnvelope());
    for (const QPointF& p : upper)
        QCOMPARE(float(p.y()), samples[std::size_t(std::lround(p.x() * 16000.0))]);
}

void tst_WaveformView::zoomAndPanStayInsideTheSound()
{
    WaveformView view;
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSignal(noise(64'000, 4), 16000);
    TimeRange* range = view.timeRange();
    QSignalSpy spy(range, &TimeRange::changed);

    range->setVisible(3.5, 5.0);  // past the end: shifted back inside, same span
    QCOMPARE(range->start(), 2.5);
    QCOMPARE(range->end(), 4.0);
    QCOMPARE(spy.count(), 1);

    QTest::keyClick(&view, Qt::Key_0);
    QCOMPARE(spy.count(), 2);
    QCOMPARE(range->start(), 0.0);
    QCOMPARE(range->end(), 4.0);

    QTest::keyClick(&view, Qt::Key_Plus);  // zoom about the centre
    QCOMPARE(spy.count(), 3);
    QVERIFY(qFuzzyCompare(range->span(), 4.0 / 1.25));
    QVERIFY(qFuzzyCompare(range->start() + range->end(), 4.0));

    QTest::keyClick(&view, Qt::Key_Minus);
    QTest::keyClick(&view, Qt::Key_Minus);  // cannot zoom out past the whole sound
    QCOMPARE(range->start(), 0.0);
    QCOMPARE(range->end(), 4.0);
    QCOMPARE(spy.count(), 4);  // the second one moved nothing

    QSignalSpy seek(&view, &WaveformView::seekRequested);
    const QPoint middle(int(view.chart()->plotArea().center().x()), view.height() / 2);
    QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, middle);
    QCOMPARE(seek.count(), 1);
    QVERIFY(std::fabs(seek.last().at(0).toDouble() - 2.0) < 0.02);
}

void tst_WaveformView::showingTheWholeSoundFromTheNarrowestZoomIsQuick()
{
    // Zoomed in as far as it goes, the time axis ticks every 0.1 ms; asking for the whole 4 s (and
    // for the empty plot after it) must not lay out those ticks across seconds of sound first.
    WaveformView view;
    view.resize(900, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSignal(noise(64'000, 7), 16000);
    view.timeRange()->setVisible(2.0, 2.0);
    QVERIFY(qFuzzyCompare(view.timeRange()->span(), TimeRange::kMinimumSpanSeconds));
    QElapsedTimer timer;
    timer.start();
    QTest::keyClick(&view, Qt::Key_0);
    QCOMPARE(view.timeRange()->visible(), std::make_pair(0.0, 4.0));
    view.timeRange()->setVisible(2.0, 2.0);
    view.clear();
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QStringLiteral("%1 ms").arg(timer.elapsed())));
}

void tst_WaveformView::emptySignalClears()
{
    WaveformView view;
    view.setSignal(noise(1000, 5), 16000);
    QVERIFY(!view.upperEnvelope().isEmpty());
    view.setSignal(std::vector<float>{}, 16000);
    QVERIFY(view.upperEnvelope().isEmpty());
    QCOMPARE(view.durationSeconds(), 0.0);
    view.setPlayhead(1.0);  // nothing to show it on: no crash, nothing drawn

    // A decoded sound from core/audio is shown without copying, at 16 kHz.
    auto audio = std::make_shared<ts::audio::DecodedAudio>();
    audio->samples = noise(8000, 6);
    view.setAudio(audio);
    QCOMPARE(view.durationSeconds(), 0.5);
    QCOMPARE(view.sampleRate(), 16000);
    view.setAudio(nullptr);
    QCOMPARE(view.durationSeconds(), 0.0);
}

void tst_WaveformView::segmentsAreDrawnAsBandsByFamily()
{
    // A 6 s phrase with three notes found: a band per note, as wide as the note, where it is, in
    // its family's colour, labelled with the family or "uncertain"; clipped by the zoom.
    WaveformView view;
    view.resize(900, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setSignal(std::vector<float>(6 * 16000, 0.1f), 16000);
    view.setSegments({{0.5, 2.0, QStringLiteral("guitar"), false},
                      {2.0, 3.5, QStringLiteral("flute"), false},
                      {3.5, 6.0, QStringLiteral("organ"), true}});
    QCOMPARE(view.segments().size(), 3);
    QList<QRectF> bands = view.segmentBands();
    QCOMPARE(bands.size(), 3);
    const double pixelsPerSecond = bands[1].width() / 1.5;
    QVERIFY(pixelsPerSecond > 50.0);
    QVERIFY(std::fabs(bands[0].width() - 1.5 * pixelsPerSecond) <= 2.0);
    QVERIFY(std::fabs(bands[2].width() - 2.5 * pixelsPerSecond) <= 2.0);
    QVERIFY(std::fabs(bands[1].left() - bands[0].right()) <= 1.0);
    QVERIFY(std::fabs(bands[0].left() - (bands[1].left() - 1.5 * pixelsPerSecond)) <= 2.0);
    QCOMPARE(WaveformView::segmentLabel(view.segments()[0]), QStringLiteral("guitar"));
    QCOMPARE(WaveformView::segmentLabel(view.segments()[2]), QStringLiteral("uncertain"));
    QVERIFY(WaveformView::familyColour(QStringLiteral("guitar")) != WaveformView::familyColour(QStringLiteral("flute")));
    QCOMPARE(WaveformView::familyColour(QStringLiteral("not a family")), QColor(0x80, 0x80, 0x80));

    // The rendered view shows the guitar band's colour over the waveform's background.
    const QImage image = view.grab().toImage();
    const QColor inBand = image.pixelColor(bands[0].center().toPoint() + QPoint(0, int(bands[0].height() / 2) - 3));
    const QColor guitar = WaveformView::familyColour(QStringLiteral("guitar"));
    QVERIFY2(inBand.red() > inBand.blue(), qPrintable(inBand.name()));  // red-tinted, not the blue wave
    QVERIFY(guitar.red() > guitar.blue());

    // Zoomed to 2.5-3 s: only the flute band shows, across the whole plot.
    view.timeRange()->setVisible(2.5, 3.0);
    bands = view.segmentBands();
    QVERIFY(bands[0].isEmpty() && bands[2].isEmpty());
    QVERIFY(bands[1].width() > 500.0);

    // A new sound has no segments.
    view.setSignal(std::vector<float>(16000, 0.1f), 16000);
    QVERIFY(view.segments().isEmpty());
}

QTEST_MAIN(tst_WaveformView)
#include "tst_WaveformView.moc"
