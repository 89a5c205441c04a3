// TimeRange and TimeAxisInteraction: zooming keeps the moment zoomed about where it is, the range
// stays inside the sound and no narrower than the minimum span, panning stops at the ends; in a
// SoundViewPanel the waveform and the spectrogram show one range, so a gesture in either moves both
// and a moment sits at the same x in both.
#include <QApplication>
#include <QSignalSpy>
#include <QSplitter>
#include <QTest>

#include <cmath>
#include <memory>

#include "ui/sound/SoundViewPanel.h"
#include "ui/sound/SpectrogramView.h"
#include "ui/sound/TimeRange.h"
#include "ui/sound/WaveformView.h"

using namespace ts::ui;

namespace {

std::shared_ptr<const ts::audio::DecodedAudio> sineSound(double seconds)
{
    auto audio = std::make_shared<ts::audio::DecodedAudio>();
    audio->samples.resize(std::size_t(seconds * 16000));
    for (std::size_t i = 0; i < audio->samples.size(); ++i)
        audio->samples[i] = float(0.5 * std::sin(2.0 * M_PI * 440.0 * double(i) / 16000.0));
    audio->source.sampleRate = 16000;
    audio->source.channels = 1;
    audio->source.frames = std::int64_t(audio->samples.size());
    return audio;
}

void sendMouse(QWidget* target, QEvent::Type type, QPointF at, Qt::MouseButtons buttons)
{
    QMouseEvent event(type, at, target->mapToGlobal(at), Qt::LeftButton, buttons, Qt::NoModifier);
    QApplication::sendEvent(target, &event);
}

void sendWheel(QWidget* target, QPointF at, QPoint angleDelta)
{
    QWheelEvent event(at, target->mapToGlobal(at), QPoint(), angleDelta, Qt::NoButton, Qt::NoModifier,
                      Qt::NoScrollPhase, false);
    QApplication::sendEvent(target, &event);
}

// The plot of a waveform view in its viewport's coordinates, where its mouse events arrive.
QRectF waveformPlot(const WaveformView* view)
{
    return view->viewportTransform().mapRect(view->chart()->mapRectToScene(view->chart()->plotArea()));
}

// The time the spectrogram shows at the global x of a point of the waveform's viewport.
double spectrogramSecondsUnder(const WaveformView* waveform, QPointF viewportPoint, const SpectrogramCanvas* canvas)
{
    const QPoint global = waveform->viewport()->mapToGlobal(viewportPoint.toPoint());
    const QPoint local = canvas->mapFromGlobal(global);
    const auto readout = canvas->readoutAt(QPointF(local.x(), canvas->plotRect().center().y()));
    return readout ? readout->seconds : -1.0;
}

} // namespace

class tst_TimeRange : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void zoomKeepsTheMomentZoomedAboutInPlace();
    void zoomStopsAtTheWholeSoundAndTheMinimumSpan();
    void panStopsAtEitherEndWithoutNarrowing();
    void resetAndANewSoundShowItWhole();
    void withoutASoundNothingMoves();
    void bothViewsFollowOneRange();
    void aSmallWobbleIsAClickALongerMoveADrag();
};

void tst_TimeRange::zoomKeepsTheMomentZoomedAboutInPlace()
{
    TimeRange range;
    range.setDuration(4.0);
    range.setVisible(1.0, 3.0);
    QCOMPARE(range.fractionAt(1.5), 0.25);

    range.zoomAbout(1.5, 0.5);  // in
    QCOMPARE(range.span(), 1.0);
    QCOMPARE(range.fractionAt(1.5), 0.25);
    range.zoomAbout(1.5, 1.6);  // out
    QVERIFY(qFuzzyCompare(range.span(), 1.6));
    QVERIFY(std::fabs(range.fractionAt(1.5) - 0.25) < 1e-12);
    QVERIFY(std::fabs(range.secondsAt(0.25) - 1.5) < 1e-12);
}

void tst_TimeRange::zoomStopsAtTheWholeSoundAndTheMinimumSpan()
{
    TimeRange range;
    range.setDuration(4.0);
    range.zoomAbout(2.0, 1e-9);
    QVERIFY(qFuzzyCompare(range.span(), TimeRange::kMinimumSpanSeconds));
    QVERIFY(range.start() <= 2.0 && range.end() >= 2.0);
    range.setVisible(3.9999, 4.0);  // a sliver at the end: widened inward, not past the end
    QVERIFY(qFuzzyCompare(range.span(), TimeRange::kMinimumSpanSeconds));
    QCOMPARE(range.end(), 4.0);

    range.zoomAbout(3.9995, 1e6);  // far out, about a moment near the end: the whole sound, no more
    QCOMPARE(range.visible(), std::make_pair(0.0, 4.0));
    range.setVisible(-5.0, 50.0);
    QCOMPARE(range.visible(), std::make_pair(0.0, 4.0));

    // A sound shorter than the minimum span is shown whole and cannot be zoomed into.
    range.setDuration(0.0005);
    range.zoomAbout(0.0002, 0.1);
    QCOMPARE(range.visible(), std::make_pair(0.0, 0.0005));
}

void tst_TimeRange::panStopsAtEitherEndWithoutNarrowing()
{
    TimeRange range;
    range.setDuration(4.0);
    range.setVisible(1.0, 2.0);
    range.panBy(0.5);
    QCOMPARE(range.visible(), std::make_pair(1.5, 2.5));
    range.panBy(100.0);
    QCOMPARE(range.visible(), std::make_pair(3.0, 4.0));
    range.panBy(-100.0);
    QCOMPARE(range.visible(), std::make_pair(0.0, 1.0));

    QSignalSpy spy(&range, &TimeRange::changed);
    range.panBy(-1.0);  // already at the start: nothing moves, nothing to redraw
    QCOMPARE(spy.count(), 0);
}

void tst_TimeRange::resetAndANewSoundShowItWhole()
{
    TimeRange range;
    QSignalSpy spy(&range, &TimeRange::changed);
    range.setDuration(4.0);
    QCOMPARE(range.visible(), std::make_pair(0.0, 4.0));
    range.setVisible(1.0, 2.0);
    const int before = spy.count();
    range.reset();
    QCOMPARE(range.visible(), std::make_pair(0.0, 4.0));
    QCOMPARE(spy.count(), before + 1);
    range.reset();
    QCOMPARE(spy.count(), before + 1);

    range.setVisible(1.0, 2.0);
    range.setDuration(6.0);  // another sound: shown whole
    QCOMPARE(range.visible(), std::make_pair(0.0, 6.0));
}

void tst_TimeRange::withoutASoundNothingMoves()
{
    TimeRange range;
    QVERIFY(range.isEmpty());
    range.setVisible(1.0, 2.0);
    range.zoomAbout(1.0, 0.5);
    range.panBy(1.0);
    QCOMPARE(range.visible(), std::make_pair(0.0, 0.0));
    range.setDuration(4.0);
    range.setDuration(0.0);
    QVERIFY(range.isEmpty());
    QCOMPARE(range.visible(), std::make_pair(0.0, 0.0));
}

void tst_TimeRange::bothViewsFollowOneRange()
{
    SoundViewPanel panel;
    panel.resize(1000, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.showSound(QStringLiteral("sine"), QString(), sineSound(4.0));
    WaveformView* waveform = panel.waveform();
    SpectrogramCanvas* canvas = panel.spectrogram()->canvas();
    TimeRange* range = panel.timeRange();
    QCOMPARE(waveform->timeRange(), range);
    QCOMPARE(panel.spectrogram()->timeRange(), range);
    QCOMPARE(range->visible(), std::make_pair(0.0, 4.0));

    // Stacked, the two plots start and end at the same x on screen.
    const QRectF plot = waveformPlot(waveform);
    const QPoint waveLeft = waveform->viewport()->mapToGlobal(plot.topLeft().toPoint());
    const QPoint waveRight = waveform->viewport()->mapToGlobal(plot.topRight().toPoint());
    QVERIFY(std::abs(waveLeft.x() - canvas->mapToGlobal(canvas->plotRect().topLeft()).x()) <= 2);
    QVERIFY(std::abs(waveRight.x() - canvas->mapToGlobal(canvas->plotRect().topRight()).x()) <= 2);

    // The wheel over the waveform, a quarter across: the moment under the pointer (1 s) stays
    // under it, and the spectrogram shows that same moment at that x.
    const QPointF quarter(plot.left() + 0.25 * plot.width(), plot.center().y());
    sendWheel(waveform->viewport(), quarter, QPoint(0, 120));
    QVERIFY(qFuzzyCompare(range->span(), 4.0 / 1.25));
    const double secondsPerPixel = range->span() / plot.width();
    QVERIFY(std::fabs(range->secondsAt(0.25) - 1.0) < 1e-9);
    QVERIFY(std::fabs(spectrogramSecondsUnder(waveform, quarter, canvas) - 1.0) <= 3 * secondsPerPixel);

    // The arrow key in the spectrogram pans the waveform too: a note band drawn from 1.5 s on the
    // waveform starts where the spectrogram shows 1.5 s.
    canvas->setFocus();
    const double startBefore = range->start();
    QTest::keyClick(canvas, Qt::Key_Right);
    QVERIFY(std::fabs(range->start() - (startBefore + 0.1 * range->span())) < 1e-9);
    waveform->setSegments({{1.5, 2.5, QStringLiteral("flute"), false}});
    const QRectF band = waveform->segmentBands().first();
    QVERIFY(!band.isEmpty());
    QVERIFY(std::fabs(spectrogramSecondsUnder(waveform, QPointF(band.left() + 1, band.center().y()), canvas) - 1.5)
            <= 3 * secondsPerPixel);
    // And the waveform draws the stretch the range shows: from its start to its end.
    const QList<QPointF> envelope = waveform->upperEnvelope();
    QVERIFY(std::fabs(envelope.first().x() - range->start()) < 0.01 * range->span());
    QVERIFY(std::fabs(envelope.last().x() - range->end()) < 0.01 * range->span());

    // Another panel (the evaluation tab shows two side by side) keeps its own range.
    SoundViewPanel other;
    other.showSound(QStringLiteral("other"), QString(), sineSound(4.0));
    QVERIFY(other.timeRange() != range);
    QCOMPARE(other.timeRange()->visible(), std::make_pair(0.0, 4.0));
    QVERIFY(range->start() > 0.0);
}

void tst_TimeRange::aSmallWobbleIsAClickALongerMoveADrag()
{
    SoundViewPanel panel;
    panel.resize(1000, 800);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.showSound(QStringLiteral("sine"), QString(), sineSound(4.0));
    WaveformView* waveform = panel.waveform();
    SpectrogramCanvas* canvas = panel.spectrogram()->canvas();
    TimeRange* range = panel.timeRange();
    range->setVisible(1.0, 3.0);
    QSignalSpy seek(&panel, &SoundViewPanel::seekRequested);

    // Pressed in the middle of the spectrogram and moved 2 px: a click, played from about 2 s.
    const QPointF middle = QRectF(canvas->plotRect()).center();
    sendMouse(canvas, QEvent::MouseButtonPress, middle, Qt::LeftButton);
    sendMouse(canvas, QEvent::MouseMove, middle + QPointF(2, 0), Qt::LeftButton);
    sendMouse(canvas, QEvent::MouseButtonRelease, middle + QPointF(2, 0), Qt::NoButton);
    QCOMPARE(seek.count(), 1);
    QVERIFY(std::fabs(seek.last().at(0).toDouble() - 2.0) < 0.02);
    QCOMPARE(range->visible(), std::make_pair(1.0, 3.0));

    // Dragged 60 px left on the waveform: the sound moves with the pointer in both views, no seek.
    const QRectF plot = waveformPlot(waveform);
    const QPointF from = plot.center();
    sendMouse(waveform->viewport(), QEvent::MouseButtonPress, from, Qt::LeftButton);
    sendMouse(waveform->viewport(), QEvent::MouseMove, from - QPointF(2, 0), Qt::LeftButton);
    sendMouse(waveform->viewport(), QEvent::MouseMove, from - QPointF(60, 0), Qt::LeftButton);
    sendMouse(waveform->viewport(), QEvent::MouseButtonRelease, from - QPointF(60, 0), Qt::NoButton);
    QCOMPARE(seek.count(), 1);
    QVERIFY(qFuzzyCompare(range->span(), 2.0));
    QVERIFY(std::fabs(range->start() - (1.0 + 60.0 / plot.width() * 2.0)) < 1e-9);

    // A press outside the plot (on the colour bar) neither seeks nor drags.
    const QPointF colourBar(canvas->plotRect().right() + 15, middle.y());
    const auto before = range->visible();
    sendMouse(canvas, QEvent::MouseButtonPress, colourBar, Qt::LeftButton);
    sendMouse(canvas, QEvent::MouseMove, colourBar - QPointF(40, 0), Qt::LeftButton);
    sendMouse(canvas, QEvent::MouseButtonRelease, colourBar - QPointF(40, 0), Qt::NoButton);
    QCOMPARE(seek.count(), 1);
    QCOMPARE(range->visible(), before);

    // A double-click in either shows the whole sound in both.
    sendMouse(canvas, QEvent::MouseButtonDblClick, middle, Qt::LeftButton);
    QCOMPARE(range->visible(), std::make_pair(0.0, 4.0));
}

QTEST_MAIN(tst_TimeRange)
#include "tst_TimeRange.moc"
