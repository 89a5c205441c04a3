// File → New Dataset from Folder…: choosing a folder previews its classes and file counts (and what
// is skipped) before anything is written; Import writes the dataset into the application's data
// folder and reports it; a folder that is not an import is never replaced, and the dialog says so.
#include <QDialogButtonBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "audio/AudioFile.h"
#include "dataset/Dataset.h"
#include "ui/app/ImportDatasetDialog.h"

using ts::ui::ImportDatasetDialog;

namespace {

QPushButton* importButton(const ImportDatasetDialog& dialog)
{
    auto* box = dialog.findChild<QDialogButtonBox*>();
    for (QAbstractButton* b : box->buttons())
        if (box->buttonRole(b) == QDialogButtonBox::AcceptRole)
            return qobject_cast<QPushButton*>(b);
    return nullptr;
}

bool writeTone(const QString& path, double hz)
{
    std::vector<float> x(16000);
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = float(0.4 * std::sin(2 * M_PI * hz * double(i) / 16000.0) * std::min(1.0, double(i) / 80.0));
    return ts::audio::writeWav16(path.toStdString(), x, 16000).ok();
}

} // namespace

class tst_ImportDatasetDialog : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_sounds;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath(QStringLiteral("data")).toUtf8());
        m_sounds = m_dir.filePath(QStringLiteral("my sounds"));
        for (const QString& kind : {QStringLiteral("low"), QStringLiteral("high")}) {
            QVERIFY(QDir().mkpath(m_sounds + "/" + kind));
            for (int k = 0; k < 3; ++k)
                QVERIFY(writeTone(m_sounds + QString("/%1/%2.wav").arg(kind).arg(k), (kind == "low" ? 110.0 : 880.0) * (1 + k)));
        }
        QVERIFY(writeTone(m_sounds + "/stray.wav", 440.0));
    }

    void previewsThenImports()
    {
        ImportDatasetDialog dialog;
        QVERIFY(!importButton(dialog)->isEnabled());
        QSignalSpy previewed(&dialog, &ImportDatasetDialog::previewReady);
        dialog.setSourceFolder(m_sounds);
        QVERIFY(previewed.wait(10000));
        QCOMPARE(dialog.previewLines(), (QStringList{"high\t3", "low\t3"}));
        QVERIFY2(dialog.statusText().contains("6 sound files in 2 classes"), qPrintable(dialog.statusText()));
        QVERIFY2(dialog.statusText().contains("stray.wav: not in a class folder"), qPrintable(dialog.statusText()));
        // The name comes from the folder, made a folder name; nothing was written by the preview.
        QVERIFY(dialog.datasetFolder().endsWith("/timbrescope/datasets/my_sounds"));
        QVERIFY(!QFileInfo::exists(dialog.datasetFolder()));
        QVERIFY(importButton(dialog)->isEnabled());

        QSignalSpy imported(&dialog, &ImportDatasetDialog::imported);
        importButton(dialog)->click();
        QVERIFY(imported.wait(20000));
        QCOMPARE(imported.first().first().toString(), dialog.datasetFolder());
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        auto data = ts::dataset::Dataset::load(dialog.importedFolder().toStdString());
        QVERIFY(data.ok());
        QCOMPARE(data->classNames(), (std::vector<std::string>{"high", "low"}));
        QCOMPARE(data->size(), std::size_t(6));
    }

    void saysWhyNothingCanBeImported()
    {
        ImportDatasetDialog dialog;
        QSignalSpy previewed(&dialog, &ImportDatasetDialog::previewReady);
        dialog.setSourceFolder(m_dir.filePath(QStringLiteral("nowhere")));
        QVERIFY(previewed.wait(10000));
        QVERIFY2(dialog.statusText().contains("no such folder"), qPrintable(dialog.statusText()));
        QVERIFY(!importButton(dialog)->isEnabled());
    }

    void neverReplacesAFolderThatIsNotAnImport()
    {
        ImportDatasetDialog dialog;
        QSignalSpy previewed(&dialog, &ImportDatasetDialog::previewReady);
        dialog.setDatasetName(QStringLiteral("default"));
        dialog.setSourceFolder(m_sounds);
        QVERIFY(previewed.wait(10000));
        QVERIFY(QDir().mkpath(dialog.datasetFolder()));
        QFile keep(dialog.datasetFolder() + "/examples.json");
        QVERIFY(keep.open(QIODevice::WriteOnly) && keep.write("{}") == 2);
        keep.close();
        importButton(dialog)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isImporting(), 20000);
        QVERIFY2(dialog.statusText().contains("is not an imported dataset"), qPrintable(dialog.statusText()));
        QVERIFY(dialog.importedFolder().isEmpty());
        QFile again(dialog.datasetFolder() + "/examples.json");
        QVERIFY(again.open(QIODevice::ReadOnly));
        QCOMPARE(again.readAll(), QByteArray("{}"));
    }
};

QTEST_MAIN(tst_ImportDatasetDialog)
#include "tst_ImportDatasetDialog.moc"
