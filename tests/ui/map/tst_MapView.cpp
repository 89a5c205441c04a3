// The map canvas as a user meets it: dots drawn where their points are, in their colours; the dot
// under the cursor found within a few pixels; a click on a dot picks it, a drag pans without
// picking; the wheel zooms about the cursor (the point under it stays there); a double-click fits.
#include <QtTest>

#include "ui/map/MapView.h"

using ts::ui::MapView;

class tst_MapView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dotsAreDrawnWhereTheirPointsAre()
    {
        MapView view;
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setPoints({{0, 0}, {10, 0}, {0, 5}}, {qRgb(255, 0, 0), qRgb(0, 255, 0), qRgb(0, 0, 255)});
        const QImage shot = view.grab().toImage();
        const QRgb colours[] = {qRgb(255, 0, 0), qRgb(0, 255, 0), qRgb(0, 0, 255)};
        const QPointF points[] = {{0, 0}, {10, 0}, {0, 5}};
        for (int i = 0; i < 3; ++i) {
            const QPoint at = view.toWidget(points[i]).toPoint();
            QVERIFY(view.rect().contains(at));
            QCOMPARE(shot.pixel(at * shot.devicePixelRatio()) & 0xffffff, colours[i] & 0xffffff);
        }
        // Up on the map is up on the screen, and the map is fitted with its aspect kept.
        QVERIFY(view.toWidget({0, 5}).y() < view.toWidget({0, 0}).y());
        QVERIFY(std::fabs((view.toWidget({10, 0}).x() - view.toWidget({0, 0}).x()) -
                          2.0 * (view.toWidget({0, 0}).y() - view.toWidget({0, 5}).y())) < 1.0);
    }

    void clickPicksTheNearestDotAndADragPans()
    {
        MapView view;
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setPoints({{0, 0}, {10, 0}, {0, 5}}, {});
        QSignalSpy clicked(&view, &MapView::pointClicked);
        const QPoint second = view.toWidget({10, 0}).toPoint();
        QCOMPARE(view.pointAt(second + QPoint(3, 2)), 1);
        QCOMPARE(view.pointAt(second + QPoint(30, 30)), -1);
        QTest::mouseClick(&view, Qt::LeftButton, {}, second + QPoint(2, 0));
        QCOMPARE(clicked.size(), 1);
        QCOMPARE(clicked.first().at(0).toInt(), 1);
        QCOMPARE(view.selected(), 1);
        // A drag of 50 pixels moves the map 50 pixels and picks nothing.
        const QPointF before = view.toWidget({0, 0});
        QTest::mousePress(&view, Qt::LeftButton, {}, QPoint(200, 150));
        QMouseEvent move(QEvent::MouseMove, QPointF(250, 150), view.mapToGlobal(QPointF(250, 150)), Qt::NoButton, Qt::LeftButton, {});
        QApplication::sendEvent(&view, &move);
        QTest::mouseRelease(&view, Qt::LeftButton, {}, QPoint(250, 150));
        QCOMPARE(clicked.size(), 1);
        QVERIFY(std::fabs(view.toWidget({0, 0}).x() - (before.x() + 50.0)) < 1e-6);
    }

    void wheelZoomsAboutTheCursorAndDoubleClickFits()
    {
        MapView view;
        view.resize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setPoints({{0, 0}, {10, 0}, {0, 5}}, {});
        const double fitted = view.scale();
        const QPointF cursor = view.toWidget({10, 0});
        QWheelEvent wheel(cursor, view.mapToGlobal(cursor), {}, QPoint(0, 240), Qt::NoButton, {}, Qt::NoScrollPhase, false);
        QApplication::sendEvent(&view, &wheel);
        QVERIFY(view.scale() > fitted * 1.3);
        QVERIFY((view.toWidget({10, 0}) - cursor).manhattanLength() < 1e-6);  // the point under the cursor stays
        QTest::mouseDClick(&view, Qt::LeftButton, {}, QPoint(5, 5));
        QCOMPARE(view.scale(), fitted);
    }
};

QTEST_MAIN(tst_MapView)
#include "tst_MapView.moc"
