// AppPaths must agree with Qt's QStandardPaths, which the GUI uses for the same folders.
#include <QCoreApplication>
#include <QStandardPaths>
#include <QtTest>

#include "util/AppPaths.h"
#include "util/AtomicFile.h"
#include "util/Result.h"

class tst_AppPaths : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dataFolderMatchesQt()
    {
        QCoreApplication::setApplicationName(QStringLiteral("timbrescope"));
        QCoreApplication::setOrganizationName(QString());
        const QString qt = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
        QCOMPARE(QString::fromStdString(ts::appDataFolder()), qt);
        QCOMPARE(QString::fromStdString(ts::defaultDatasetFolder()), qt + QStringLiteral("/datasets/default"));
        const QString qtCache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
        QCOMPARE(QString::fromStdString(ts::appCacheFolder()), qtCache);
    }

    void atomicWriteReplacesWholeFileAndLeavesNoTemp()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("out.bin")).toStdString();
        QVERIFY(ts::writeFileAtomically(path, std::string("first version, longer")).ok());
        QVERIFY(ts::writeFileAtomically(path, std::string("second")).ok());
        auto back = ts::readWholeFile(path);
        QVERIFY(back.ok());
        QCOMPARE(QString::fromStdString(*back), QStringLiteral("second"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 1);
    }

    void atomicWriteIntoMissingFolderFailsNamingThePath()
    {
        const std::string path = "/nonexistent-folder-ts/out.bin";
        auto st = ts::writeFileAtomically(path, std::string("x"));
        QVERIFY(!st.ok());
        QCOMPARE(st.error().code, ts::ErrorCode::WriteFailed);
        QVERIFY(QString::fromStdString(st.error().describe()).startsWith(QStringLiteral("/nonexistent-folder-ts/out.bin: ")));
    }

    void readMissingFileIsNotFound()
    {
        auto r = ts::readWholeFile("/nonexistent-ts-file");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ts::ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(tst_AppPaths)
#include "tst_AppPaths.moc"
