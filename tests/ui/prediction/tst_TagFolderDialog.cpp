// File > Tag Folder…: the dialog classifies every sound file under a folder off the GUI thread with
// a timbre-net trained on tones (low = bass, high = flute), fills a table a user can sort by any
// column (confidence as a number), names an unreadable file in its row, exports the CSV the CLI
// writes, and plans a sort into family folders without touching anything.
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "common/ToyTimbreNet.h"
#include "ui/prediction/TagFolderDialog.h"

using namespace ts;

class tst_TagFolderDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_model, m_folder;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath(QStringLiteral("toy.tsm"));
        const QString trained = toymodel::trainToyTimbreNet(m_model);
        QVERIFY2(trained.isEmpty(), qPrintable(trained));
        m_folder = m_dir.filePath(QStringLiteral("samples"));
        std::filesystem::create_directories(m_folder.toStdString() + "/kit");
        int k = 0;
        for (double hz : {105.0, 1550.0, 115.0, 1650.0, 125.0})
            QVERIFY(audio::writeWav16(QStringLiteral("%1/kit/tone%2.wav").arg(m_folder).arg(k++).toStdString(), toymodel::toneAt16k(hz, 4.0), 16000).ok());
        std::ofstream((m_folder + QStringLiteral("/broken.wav")).toStdString()) << "RIFF but not really";
    }

    void tagsAFolderIntoASortableTable()
    {
        ui::TagFolderDialog dialog({m_model});
        QSignalSpy finished(&dialog, &ui::TagFolderDialog::taggingFinished);
        dialog.startTagging(m_folder);
        QVERIFY(dialog.isWorking());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.front().at(0).toInt(), 6);  // files
        QCOMPARE(finished.front().at(1).toInt(), 1);  // unreadable
        QCOMPARE(finished.front().at(2).toBool(), false);
        QVERIFY2(dialog.statusText().contains(QLatin1String("5 files classified")), qPrintable(dialog.statusText()));

        auto* model = dialog.tableModel();
        QCOMPARE(model->rowCount(), 6);
        QCOMPARE(model->item(0, ui::TagFolderDialog::FileColumn)->text(), QStringLiteral("broken.wav"));
        QVERIFY(model->item(0, ui::TagFolderDialog::ErrorColumn)->text().contains(QLatin1String("broken.wav")));
        QCOMPARE(model->item(1, ui::TagFolderDialog::FileColumn)->text(), QStringLiteral("kit/tone0.wav"));
        QCOMPARE(model->item(1, ui::TagFolderDialog::FamilyColumn)->text(), QStringLiteral("bass"));
        QCOMPARE(model->item(2, ui::TagFolderDialog::FamilyColumn)->text(), QStringLiteral("flute"));

        // Sorting by family puts the three bass tones together (the unreadable file, with none, first);
        // by confidence, numerically.
        dialog.table()->sortByColumn(ui::TagFolderDialog::FamilyColumn, Qt::AscendingOrder);
        const QAbstractItemModel* shown = dialog.table()->model();
        QCOMPARE(shown->index(0, ui::TagFolderDialog::FileColumn).data().toString(), QStringLiteral("broken.wav"));
        for (int r = 1; r < 6; ++r)
            QCOMPARE(shown->index(r, ui::TagFolderDialog::FamilyColumn).data().toString(), QString::fromLatin1(r < 4 ? "bass" : "flute"));
        dialog.table()->sortByColumn(ui::TagFolderDialog::FamilyConfidenceColumn, Qt::DescendingOrder);
        double previous = 101.0;
        int numbers = 0;
        for (int r = 0; r < 6; ++r) {  // numbers, not text: "100" after "99.5" would fail
            const QVariant v = shown->index(r, ui::TagFolderDialog::FamilyConfidenceColumn).data(Qt::UserRole + 1);
            if (!v.isValid() || v.toString().isEmpty())
                continue;  // the unreadable file
            QVERIFY(v.toDouble() <= previous);
            QVERIFY(v.toDouble() > 0.0 && v.toDouble() <= 100.0);
            previous = v.toDouble();
            ++numbers;
        }
        QCOMPARE(numbers, 5);

        const QString csv = m_dir.filePath(QStringLiteral("tags.csv"));
        QVERIFY(dialog.exportCsv(csv).ok());
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 7);
        QVERIFY(lines[0].startsWith(QLatin1String("file,family,family_confidence")));

        const QString dest = m_dir.filePath(QStringLiteral("sorted"));
        const auto plan = dialog.sortPlan(dest, ml::SortBy::Family);
        QCOMPARE(plan.size(), std::size_t(6));
        QCOMPARE(QString::fromStdString(plan[1].to), dest + QStringLiteral("/bass/kit/tone0.wav"));
        QCOMPARE(QString::fromStdString(plan[0].skipped), QStringLiteral("unreadable"));
        QVERIFY(!QFileInfo::exists(dest));
    }

    void aMissingFolderIsSaidAndNothingRuns()
    {
        ui::TagFolderDialog dialog({m_model});
        dialog.startTagging(m_dir.filePath(QStringLiteral("nowhere")));
        QVERIFY(!dialog.isWorking());
        QVERIFY2(dialog.statusText().contains(QLatin1String("nowhere")) && dialog.statusText().contains(QLatin1String("not a folder")),
                 qPrintable(dialog.statusText()));
    }

    void cancelStopsAndSaysSo()
    {
        ui::TagFolderDialog dialog({m_model});
        QSignalSpy finished(&dialog, &ui::TagFolderDialog::taggingFinished);
        dialog.startTagging(m_folder);
        dialog.cancel();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.front().at(2).toBool(), true);
        QVERIFY2(dialog.statusText().startsWith(QLatin1String("Cancelled")), qPrintable(dialog.statusText()));
    }
};

QTEST_MAIN(tst_TagFolderDialog)
#include "tst_TagFolderDialog.moc"
