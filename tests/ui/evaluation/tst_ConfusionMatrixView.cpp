// ConfusionMatrixModel / Renderer / View: the counts are the evaluator's, row-normalised values are
// each row's shares, hover text is exact, clicks land on the cell under the pointer, class
// names always fit, the colour scale is sequential with readable text, and the painted cells have
// the scale's colours.
#include <QImage>
#include <QPainter>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "dataset/Labels.h"
#include "ml/Evaluator.h"
#include "ui/evaluation/ConfusionMatrixModel.h"
#include "ui/evaluation/ConfusionMatrixRenderer.h"
#include "ui/evaluation/ConfusionMatrixView.h"

using namespace ts::ui;

namespace {

std::vector<std::string> familyLabels()
{
    return {ts::dataset::kFamilyNames.begin(), ts::dataset::kFamilyNames.end()};
}

// 22 family predictions: guitar (3) 7 right, 3 as keyboard (4), 1 as bass (0); keyboard 5 right,
// 2 as guitar; bass 4 right; no other class present.
ts::ml::TargetReport familyReport()
{
    std::vector<int> truth, predicted;
    auto add = [&](int t, int p, int n) {
        for (int i = 0; i < n; ++i) {
            truth.push_back(t);
            predicted.push_back(p);
        }
    };
    add(3, 3, 7);
    add(3, 4, 3);
    add(4, 3, 2);
    add(0, 0, 4);
    add(3, 0, 1);
    add(4, 4, 5);
    return ts::ml::makeTargetReport(familyLabels(), truth, predicted);
}

double luminance(const QColor& c)
{
    return 0.2126 * c.redF() + 0.7152 * c.greenF() + 0.0722 * c.blueF();
}

} // namespace

class tst_ConfusionMatrixView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }
    void countsAreTheEvaluatorsReport();
    void rowNormalisedValuesAreEachRowsShare();
    void hoverTextSaysWhatACellHolds();
    void clickingACellReportsThatCell();
    void arrowKeysMoveTheSelectedCell();
    void classNamesAlwaysFitTheCanvas();
    void colourScaleIsSequentialWithReadableText();
    void paintedCellsHaveTheScalesColours();
};

void tst_ConfusionMatrixView::countsAreTheEvaluatorsReport()
{
    const ts::ml::TargetReport report = familyReport();
    const ConfusionMatrixModel model = ConfusionMatrixModel::fromReport(report);
    QCOMPARE(model.classCount(), 11);
    QCOMPARE(model.labels().at(9), QStringLiteral("synth_lead"));
    for (int t = 0; t < 11; ++t) {
        for (int p = 0; p < 11; ++p)
            QCOMPARE(model.count(t, p), report.confusion[std::size_t(t)][std::size_t(p)]);
        QCOMPARE(model.rowTotal(t), report.perClass[std::size_t(t)].support);
    }
    QCOMPARE(model.count(3, 4), 3);
    QCOMPARE(model.count(4, 3), 2);
    QCOMPARE(model.count(3, 0), 1);
    QCOMPARE(model.rowTotal(3), 11);
    QCOMPARE(model.columnTotal(3), 9);
    QCOMPARE(model.total(), 22);
    QCOMPARE(model.correct(), 16);
    QCOMPARE(model.maxCount(), 7);
    QCOMPARE(model.accuracy(), report.accuracy);
    QCOMPARE(model.accuracy(), 16.0 / 22.0);
}

void tst_ConfusionMatrixView::rowNormalisedValuesAreEachRowsShare()
{
    const ts::ml::TargetReport report = familyReport();
    const ConfusionMatrixModel model = ConfusionMatrixModel::fromReport(report);
    QCOMPARE(model.rowFraction(3, 4), 3.0 / 11.0);
    QCOMPARE(model.rowFraction(3, 3), 7.0 / 11.0);
    QCOMPARE(model.rowFraction(4, 3), 2.0 / 7.0);
    QCOMPARE(model.rowFraction(0, 0), 1.0);
    QCOMPARE(model.rowFraction(5, 5), 0.0);  // no mallet notes: 0, not NaN
    for (int t : {0, 3, 4}) {
        double sum = 0.0;
        for (int p = 0; p < 11; ++p)
            sum += model.rowFraction(t, p);
        QVERIFY(std::fabs(sum - 1.0) < 1e-12);
        // The normalised diagonal is the class's recall.
        QCOMPARE(model.rowFraction(t, t), report.perClass[std::size_t(t)].recall);
    }

    ConfusionMatrixRenderer renderer;
    renderer.setModel(model);
    renderer.setSize(QSize(900, 800));
    QCOMPARE(renderer.cellText(3, 4), QStringLiteral("3"));
    QCOMPARE(renderer.cellLevel(3, 3), 1.0);      // counts: 7 of the largest 7
    QCOMPARE(renderer.cellLevel(3, 4), 3.0 / 7.0);
    renderer.setNormalised(true);
    QCOMPARE(renderer.cellText(3, 4), QStringLiteral("27 %"));
    QCOMPARE(renderer.cellText(3, 3), QStringLiteral("64 %"));
    QCOMPARE(renderer.cellText(0, 0), QStringLiteral("100 %"));
    QCOMPARE(renderer.cellText(5, 2), QStringLiteral("0"));
    QCOMPARE(renderer.cellLevel(3, 4), 3.0 / 11.0);
    QCOMPARE(renderer.cellLevel(0, 0), 1.0);
}

void tst_ConfusionMatrixView::hoverTextSaysWhatACellHolds()
{
    const ConfusionMatrixModel model = ConfusionMatrixModel::fromReport(familyReport());
    QCOMPARE(model.describeCell(3, 4), QStringLiteral("guitar predicted as keyboard: 3 notes, 27.3 % of guitar"));
    QCOMPARE(model.describeCell(3, 0), QStringLiteral("guitar predicted as bass: 1 note, 9.1 % of guitar"));
    QCOMPARE(model.describeCell(4, 4), QStringLiteral("keyboard predicted as keyboard (correct): 5 notes, 71.4 % of keyboard"));
    QCOMPARE(model.describeCell(8, 3), QStringLiteral("string predicted as guitar: no string notes in this part"));

    ConfusionMatrixView view;
    view.resize(900, 800);
    view.setModel(model);
    QCOMPARE(view.toolTipAt(view.cellRect(3, 4).center()), model.describeCell(3, 4));
    QCOMPARE(view.toolTipAt(view.cellRect(10, 0).topLeft() + QPoint(1, 1)), model.describeCell(10, 0));
    QCOMPARE(view.toolTipAt(QPoint(1, 1)), QString());
}

void tst_ConfusionMatrixView::clickingACellReportsThatCell()
{
    ConfusionMatrixView view;
    view.setModel(ConfusionMatrixModel::fromReport(familyReport()));
    view.resize(800, 700);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy clicked(&view, &ConfusionMatrixView::cellClicked);

    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(3, 4).center());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.at(0).at(0).toInt(), 3);
    QCOMPARE(clicked.at(0).at(1).toInt(), 4);
    QVERIFY(view.selectedCell() == (MatrixCell{3, 4}));

    // The last pixel of a cell still belongs to it; the row names and the legend to none.
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.cellRect(10, 9).bottomRight());
    QCOMPARE(clicked.count(), 2);
    QCOMPARE(clicked.at(1).at(0).toInt(), 10);
    QCOMPARE(clicked.at(1).at(1).toInt(), 9);
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.renderer().rowLabelRect(2).center());
    QTest::mouseClick(&view, Qt::LeftButton, {}, view.renderer().legendRect().center());
    QCOMPARE(clicked.count(), 2);
    QTest::mouseClick(&view, Qt::RightButton, {}, view.cellRect(1, 1).center());
    QCOMPARE(clicked.count(), 2);
}

void tst_ConfusionMatrixView::arrowKeysMoveTheSelectedCell()
{
    ConfusionMatrixView view;
    view.setModel(ConfusionMatrixModel::fromReport(familyReport()));
    view.resize(800, 700);
    QSignalSpy clicked(&view, &ConfusionMatrixView::cellClicked);
    view.setSelectedCell(MatrixCell{3, 3});
    QTest::keyClick(&view, Qt::Key_Right);
    QVERIFY(view.selectedCell() == (MatrixCell{3, 4}));
    QTest::keyClick(&view, Qt::Key_Up);
    QVERIFY(view.selectedCell() == (MatrixCell{2, 4}));
    QTest::keyClick(&view, Qt::Key_Enter);
    QCOMPARE(clicked.count(), 3);
    QCOMPARE(clicked.last().at(0).toInt(), 2);
    QCOMPARE(clicked.last().at(1).toInt(), 4);
}

void tst_ConfusionMatrixView::classNamesAlwaysFitTheCanvas()
{
    // The families include the long "synth_lead"; also long made-up names, first column included.
    const QStringList longNames = {QStringLiteral("an_unusually_long_class_name"), QStringLiteral("b"),
                                   QStringLiteral("another_quite_long_one")};
    const std::vector<ConfusionMatrixModel> models = {
        ConfusionMatrixModel::fromReport(familyReport()),
        ConfusionMatrixModel(longNames, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})};
    for (const ConfusionMatrixModel& model : models) {
        ConfusionMatrixRenderer renderer;
        renderer.setModel(model);
        const QFontMetrics fm(QFont{});
        for (const QSize& size : {renderer.minimumSize(), QSize(700, 600), QSize(1400, 1000)}) {
            renderer.setSize(size);
            const QRect canvas(QPoint(0, 0), renderer.size());
            QVERIFY2(canvas.contains(renderer.matrixRect()), qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));
            QVERIFY(canvas.contains(renderer.legendRect()));
            for (int c = 0; c < model.classCount(); ++c) {
                const QRectF column = renderer.columnLabelBounds(c);
                QVERIFY2(QRectF(canvas).contains(column), qPrintable(model.labels()[c]));
                QVERIFY(column.top() > renderer.matrixRect().bottom());  // under the matrix, not over it
                const QRect row = renderer.rowLabelRect(c);
                QVERIFY(canvas.contains(row));
                QVERIFY(row.width() >= fm.horizontalAdvance(model.labels()[c]));
                QVERIFY(row.right() < renderer.matrixRect().left());
            }
        }
    }
}

void tst_ConfusionMatrixView::colourScaleIsSequentialWithReadableText()
{
    double previous = 2.0;
    for (int i = 0; i <= 20; ++i) {
        const QColor c = ConfusionMatrixRenderer::scaleColour(i / 20.0);
        QVERIFY2(luminance(c) < previous, qPrintable(QString::number(i)));  // darker with every step
        previous = luminance(c);
        // Text on every cell colour has a contrast ratio of at least 4.5 (WCAG AA).
        const QColor text = ConfusionMatrixRenderer::textColourOn(c);
        auto lin = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        auto rel = [&](const QColor& x) { return 0.2126 * lin(x.redF()) + 0.7152 * lin(x.greenF()) + 0.0722 * lin(x.blueF()); };
        const double a = rel(c), b = rel(text);
        QVERIFY2((std::max(a, b) + 0.05) / (std::min(a, b) + 0.05) >= 4.5, qPrintable(c.name()));
    }
    QCOMPARE(ConfusionMatrixRenderer::scaleColour(0.0).rgb(), qRgb(0xf7, 0xfb, 0xff));
    QCOMPARE(ConfusionMatrixRenderer::scaleColour(1.0).rgb(), qRgb(0x08, 0x30, 0x6b));
    QCOMPARE(ConfusionMatrixRenderer::scaleColour(-1.0), ConfusionMatrixRenderer::scaleColour(0.0));
    QCOMPARE(ConfusionMatrixRenderer::scaleColour(std::nan("")), ConfusionMatrixRenderer::scaleColour(0.0));
    // The diagonal's frame is warm, apart from the blue scale.
    const QColor diagonal = ConfusionMatrixRenderer::diagonalColour();
    QVERIFY(diagonal.hsvHue() < 40 && diagonal.hsvSaturation() > 200);
}

void tst_ConfusionMatrixView::paintedCellsHaveTheScalesColours()
{
    ConfusionMatrixRenderer renderer;
    renderer.setModel(ConfusionMatrixModel::fromReport(familyReport()));
    renderer.setSize(QSize(900, 800));
    renderer.setSelectedCell(MatrixCell{3, 4});
    QImage image(renderer.size(), QImage::Format_RGB32);
    {
        QPainter painter(&image);
        renderer.paint(painter, QPalette());
    }
    // A point inside a cell but away from its centred text and its frames.
    auto sample = [&](int t, int p) {
        const QRect cell = renderer.cellRect(t, p);
        return image.pixel(cell.left() + cell.width() / 5, cell.top() + cell.height() / 5);
    };
    QCOMPARE(sample(3, 0), ConfusionMatrixRenderer::scaleColour(1.0 / 7.0).rgb());
    QCOMPARE(sample(4, 3), ConfusionMatrixRenderer::scaleColour(2.0 / 7.0).rgb());
    QCOMPARE(sample(4, 0), ConfusionMatrixRenderer::scaleColour(0.0).rgb());
    QCOMPARE(sample(3, 3), ConfusionMatrixRenderer::scaleColour(1.0).rgb());
    // The diagonal's frame and the selection's are drawn on their cells' edges.
    const QRect diagonal = renderer.cellRect(0, 0);
    QCOMPARE(image.pixel(diagonal.left() + 1, diagonal.center().y()), ConfusionMatrixRenderer::diagonalColour().rgb());
    const QRect selected = renderer.cellRect(3, 4);
    QCOMPARE(image.pixel(selected.left(), selected.center().y()), QColor(Qt::black).rgb());

    renderer.setNormalised(true);
    {
        QPainter painter(&image);
        renderer.paint(painter, QPalette());
    }
    QCOMPARE(sample(4, 3), ConfusionMatrixRenderer::scaleColour(2.0 / 7.0).rgb());
    QCOMPARE(sample(3, 4), ConfusionMatrixRenderer::scaleColour(3.0 / 11.0).rgb());
    QCOMPARE(sample(0, 0), ConfusionMatrixRenderer::scaleColour(1.0).rgb());
}

QTEST_MAIN(tst_ConfusionMatrixView)
#include "tst_ConfusionMatrixView.moc"
