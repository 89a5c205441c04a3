// SpectrogramView: the hover readout maps a pixel to the right time, frequency (linear, log, mel),
// note name and level; zoom is clamped and signalled; Export PNG writes the picture atomically
// and refuses a path it cannot write with a message naming it.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "ui/sound/SpectrogramView.h"
#include "ui/sound/TimeRange.h"

using namespace ts::ui;

namespace {

std::vector<float> sine(double hz, double seconds)
{
    std::vector<float> s(std::size_t(seconds * 16000));
    for (std::size_t i = 0; i < s.size(); ++i)
        s[i] = float(std::sin(2.0 * M_PI * hz * double(i) / 16000.0));
    return s;
}

double slaneyMel(double hz)
{
    return hz < 1000.0 ? hz / (200.0 / 3.0) : 15.0 + std::log(hz / 1000.0) / (std::log(6.4) / 27.0);
}

double slaneyHz(double mel)
{
    return mel < 15.0 ? mel * (200.0 / 3.0) : 1000.0 * std::exp((mel - 15.0) * (std::log(6.4) / 27.0));
}

// The frequency at the centre of plot row `row` of `height` rows, from the scales' definitions.
double expectedHz(FrequencyScale scale, int row, int height)
{
    const double unit = 1.0 - (row + 0.5) / height;
    switch (scale) {
    case FrequencyScale::Linear: return unit * 8000.0;
    case FrequencyScale::Logarithmic: return 20.0 * std::pow(8000.0 / 20.0, unit);
    case FrequencyScale::Mel: return slaneyHz(unit * slaneyMel(8000.0));
    }
    return 0.0;
}

// The plot row whose centre is nearest to hz (search, to stay independent of FrequencyAxis).
int rowNearest(FrequencyScale scale, double hz, int height)
{
    int best = 0;
    for (int r = 1; r < height; ++r)
        if (std::fabs(expectedHz(scale, r, height) - hz) < std::fabs(expectedHz(scale, best, height) - hz))
            best = r;
    return best;
}

} // namespace

class tst_SpectrogramView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void hoverReadoutMapsPixels_data();
    void hoverReadoutMapsPixels();
    void readoutFollowsTheMouse();
    void outsideThePlotThereIsNoReadout();
    void zoomIsClampedAndSignalled();
    void exportWritesAPng();
    void longSignalsAreAnalysedOffTheGuiThread();
    void exportRefusesAnUnwritablePath();

private:
    SpectrogramView* m_view = nullptr;
};

void tst_SpectrogramView::init()
{
    m_view = new SpectrogramView;
    m_view->resize(1000, 500);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view));
    // A 4 s note: 440 Hz at full scale (A4; its peak lies at bin 28.16 of the 1024-point STFT).
    m_view->setSignal(sine(440.0, 4.0), 16000);
}

void tst_SpectrogramView::cleanup()
{
    delete m_view;
    m_view = nullptr;
}

void tst_SpectrogramView::hoverReadoutMapsPixels_data()
{
    QTest::addColumn<int>("scale");
    QTest::addRow("linear") << int(FrequencyScale::Linear);
    QTest::addRow("log") << int(FrequencyScale::Logarithmic);
    QTest::addRow("mel") << int(FrequencyScale::Mel);
}

void tst_SpectrogramView::hoverReadoutMapsPixels()
{
    QFETCH(int, scale);
    m_view->setFrequencyScale(FrequencyScale(scale));
    const SpectrogramCanvas* canvas = m_view->canvas();
    const QRect plot = canvas->plotRect();
    QVERIFY(plot.width() > 500 && plot.height() > 300);

    // Column 3/4 across is 3 s (pixel centres: (x + 0.5) / width of 4 s); the row nearest 440 Hz.
    const int column = plot.width() * 3 / 4;
    const int row = rowNearest(FrequencyScale(scale), 440.0, plot.height());
    const auto readout = canvas->readoutAt(QPointF(plot.left() + column + 0.3, plot.top() + row + 0.7));
    QVERIFY(readout);
    QVERIFY(std::fabs(readout->seconds - 4.0 * (column + 0.5) / plot.width()) < 1e-9);
    QVERIFY(std::fabs(readout->hz - expectedHz(FrequencyScale(scale), row, plot.height())) < 1e-6 * readout->hz);
    QCOMPARE(readout->noteName, QStringLiteral("A4"));
    QVERIFY(std::abs(readout->cents) <= 50);
    QVERIFY(readout->levelDb);
    // The row's centre is within half a row (< 0.6 bin) of 440 Hz, and the level is read from the
    // nearest bin: at most about 1.1 bins from the peak, where the Hann main lobe is above -8 dB.
    QVERIFY2(*readout->levelDb > -8.0 && *readout->levelDb <= 0.01, qPrintable(QString::number(*readout->levelDb)));

    // An octave and a fifth up is E6 (1318.5 Hz); far from the tone the level is low.
    const int e6 = rowNearest(FrequencyScale(scale), 1318.51, plot.height());
    const auto high = canvas->readoutAt(QPointF(plot.left() + column, plot.top() + e6));
    QVERIFY(high);
    QCOMPARE(high->noteName, QStringLiteral("E6"));
    QVERIFY(*high->levelDb < -60.0);
    QVERIFY(high->text().contains(QStringLiteral("E6")));
}

void tst_SpectrogramView::readoutFollowsTheMouse()
{
    QCOMPARE(m_view->frequencyScale(), FrequencyScale::Logarithmic);  // the default
    m_view->setFrequencyScale(FrequencyScale::Linear);
    SpectrogramCanvas* canvas = m_view->canvas();
    const QRect plot = canvas->plotRect();
    const int row = rowNearest(FrequencyScale::Linear, 440.0, plot.height());
    const QPoint at(plot.left() + plot.width() / 2, plot.top() + row);
    QTest::mouseMove(canvas, at);
    QTRY_VERIFY(!m_view->readoutText().isEmpty());
    const QString text = m_view->readoutText();
    QVERIFY2(text.contains(QStringLiteral("A4")), qPrintable(text));
    const double seconds = 4.0 * (plot.width() / 2 + 0.5) / plot.width();
    QVERIFY2(text.startsWith(QString::number(seconds, 'f', 3) + QStringLiteral(" s")), qPrintable(text));
}

void tst_SpectrogramView::outsideThePlotThereIsNoReadout()
{
    const SpectrogramCanvas* canvas = m_view->canvas();
    const QRect plot = canvas->plotRect();
    QVERIFY(!canvas->readoutAt(QPointF(plot.left() - 1, plot.center().y())));
    QVERIFY(!canvas->readoutAt(QPointF(plot.center().x(), plot.bottom() + 1)));
    QVERIFY(canvas->readoutAt(QPointF(plot.left(), plot.top())));
    m_view->clear();
    QVERIFY(!canvas->readoutAt(plot.center()));
}

void tst_SpectrogramView::zoomIsClampedAndSignalled()
{
    SpectrogramCanvas* canvas = m_view->canvas();
    TimeRange* range = m_view->timeRange();
    QSignalSpy spy(range, &TimeRange::changed);
    range->setVisible(1.0, 2.0);
    QCOMPARE(range->visible(), std::make_pair(1.0, 2.0));
    QCOMPARE(spy.count(), 1);

    // The readout now maps columns into 1..2 s.
    const QRect plot = canvas->plotRect();
    const auto readout = canvas->readoutAt(QPointF(plot.left(), plot.center().y()));
    QVERIFY(std::fabs(readout->seconds - (1.0 + 0.5 / plot.width())) < 1e-9);

    canvas->setFocus();
    QTest::keyClick(canvas, Qt::Key_0);  // whole sound, emitted
    QCOMPARE(spy.count(), 2);
    QCOMPARE(range->visible(), std::make_pair(0.0, 4.0));

    QWheelEvent wheel(QPointF(plot.center()), QPointF(canvas->mapToGlobal(plot.center())), QPoint(), QPoint(0, 120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas, &wheel);
    QCOMPARE(spy.count(), 3);
    const auto [t0, t1] = range->visible();
    QVERIFY(std::fabs((t1 - t0) - 4.0 / 1.25) < 1e-9);

    range->setVisible(-5.0, 50.0);  // clamped to the sound
    QCOMPARE(range->visible(), std::make_pair(0.0, 4.0));
}

void tst_SpectrogramView::exportWritesAPng()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("view.png"));
    const ts::Status status = m_view->exportPng(path);
    QVERIFY2(status.ok(), status.ok() ? "" : status.error().describe().c_str());
    QImage image;
    QVERIFY(image.load(path, "PNG"));
    QCOMPARE(image.size(), m_view->canvas()->size() * m_view->canvas()->devicePixelRatio());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("view.png")});  // no temp left
}

void tst_SpectrogramView::exportRefusesAnUnwritablePath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing-folder/view.png"));
    const ts::Status status = m_view->exportPng(path);
    QVERIFY(!status.ok());
    QCOMPARE(status.error().code, ts::ErrorCode::WriteFailed);
    QVERIFY(QString::fromStdString(status.error().describe()).startsWith(path + QStringLiteral(": ")));
    m_view->clear();
    QVERIFY(!m_view->exportPng(dir.filePath(QStringLiteral("empty.png"))).ok());
}

void tst_SpectrogramView::longSignalsAreAnalysedOffTheGuiThread()
{
    // 70 s is past the synchronous limit: the view returns at once and the picture follows.
    m_view->setSignal(sine(220.0, 70.0), 16000);
    QVERIFY(!m_view->canvas()->hasData());
    QTRY_VERIFY_WITH_TIMEOUT(m_view->canvas()->hasData(), 10000);
    QCOMPARE(m_view->canvas()->renderer().data().durationSeconds, 70.0);
    QCOMPARE(m_view->timeRange()->visible(), std::make_pair(0.0, 70.0));

    // A newer signal set while an older one is analysed wins, whatever finishes first.
    m_view->setSignal(sine(220.0, 90.0), 16000);
    m_view->setSignal(sine(440.0, 2.0), 16000);
    QCOMPARE(m_view->canvas()->renderer().data().durationSeconds, 2.0);
    QTest::qWait(1500);
    QCOMPARE(m_view->canvas()->renderer().data().durationSeconds, 2.0);
}

QTEST_MAIN(tst_SpectrogramView)
#include "tst_SpectrogramView.moc"
