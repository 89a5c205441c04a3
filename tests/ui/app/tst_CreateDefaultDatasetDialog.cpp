// The "create the default dataset" dialog: says what is missing, shows a render failure and lets
// the user retry, cancelling a running render closes it without leaving a folder behind, and
// while another Timbrescope renders the folder it says so and then takes that set.
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <unistd.h>

#include "common/TinySoundFont.h"
#include "synth/RenderManifest.h"
#include "ui/app/CreateDefaultDatasetDialog.h"
#include "util/FileLock.h"

using ts::ui::CreateDefaultDatasetDialog;

namespace {
QPushButton* createButton(const CreateDefaultDatasetDialog& dialog)
{
    for (QAbstractButton* b : dialog.findChild<QDialogButtonBox*>()->buttons())
        if (dialog.findChild<QDialogButtonBox*>()->buttonRole(b) == QDialogButtonBox::AcceptRole)
            return qobject_cast<QPushButton*>(b);
    return nullptr;
}

QString allText(const CreateDefaultDatasetDialog& dialog)
{
    QStringList texts;
    for (const QLabel* label : dialog.findChildren<QLabel*>())
        texts << label->text();
    return texts.join(QLatin1Char('\n'));
}
} // namespace

namespace {
// The default dataset's request, from one SoundFont into `out` (the tests do not render 10,240 notes).
ts::synth::RenderRequest requestFor(const QString& soundFont, const QString& out)
{
    ts::synth::RenderRequest request;
    request.generators = {ts::synth::soundFontGenerator(soundFont.toStdString())};
    request.outFolder = out.toStdString();
    request.options.count = ts::synth::DatasetRenderer::kDefaultCount;
    request.options.seed = ts::synth::DatasetRenderer::kDefaultSeed;
    return request;
}
} // namespace

class tst_CreateDefaultDatasetDialog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void missingSoundFontExplainsAndCannotStart()
    {
        QTemporaryDir dir;
        CreateDefaultDatasetDialog dialog(requestFor(QStringLiteral("/nonexistent/FluidR3_GM.sf2"), dir.filePath(QStringLiteral("default"))));
        QVERIFY(createButton(dialog));
        QVERIFY(!createButton(dialog)->isEnabled());
        QVERIFY(allText(dialog).contains(QStringLiteral("fluid-soundfont-gm")));
        QVERIFY(allText(dialog).contains(QStringLiteral("/nonexistent/FluidR3_GM.sf2")));
    }

    void renderFailureIsShownAndCanBeRetried()
    {
        // The tiny SoundFont cannot give 4,096 distinct notes: the renderer refuses the count.
        QTemporaryDir dir;
        const QString font = dir.filePath(QStringLiteral("tiny.sf2"));
        QFile file(font);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const std::string bytes = ts::test::tinySoundFontBytes();
        QCOMPARE(file.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
        file.close();
        const QString out = dir.filePath(QStringLiteral("default"));

        CreateDefaultDatasetDialog dialog(requestFor(font, out));
        QVERIFY(createButton(dialog)->isEnabled());
        QSignalSpy created(&dialog, &CreateDefaultDatasetDialog::datasetCreated);
        dialog.start();
        QVERIFY(dialog.isRendering());
        QVERIFY(!createButton(dialog)->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRendering(), 30000);
        QVERIFY2(allText(dialog).contains(QStringLiteral("Rendering failed")), qPrintable(allText(dialog)));
        QCOMPARE(created.count(), 0);
        QVERIFY(dialog.createdFolder().isEmpty());
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(createButton(dialog)->text(), QStringLiteral("Try Again"));
        QVERIFY(createButton(dialog)->isEnabled());
    }

    void defaultRequestNamesEveryInstalledGenerator()
    {
        CreateDefaultDatasetDialog dialog(ts::synth::DatasetRenderer::defaultRequest());
        for (const auto& g : ts::synth::installedGenerators())
            QVERIFY2(allText(dialog).contains(QString::fromStdString(g.name)), qPrintable(allText(dialog)));
        QVERIFY(allText(dialog).contains(QLocale().toString(qulonglong(ts::synth::DatasetRenderer::kDefaultCorpusCount))));
    }

    void outdatedDatasetIsExplained()
    {
        CreateDefaultDatasetDialog dialog(ts::synth::DatasetRenderer::defaultRequest(), true);
        QVERIFY2(allText(dialog).contains(QStringLiteral("older version")), qPrintable(allText(dialog)));
    }

    void cancellingStopsAndLeavesNothing()
    {
        const QString font = QStringLiteral("/usr/share/sounds/sf2/FluidR3_GM.sf2");
        if (!QFileInfo::exists(font))
            QSKIP("fluid-soundfont-gm is not installed");
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("default"));
        CreateDefaultDatasetDialog dialog(requestFor(font, out));
        dialog.show();
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.start();
        QVERIFY(dialog.isRendering());
        dialog.reject();  // the Cancel button, Escape or closing the dialog
        // Still open until the worker has stopped, so nothing outlives the dialog unseen.
        if (dialog.isRendering()) {
            QVERIFY(dialog.isVisible());
            QCOMPARE(finished.count(), 0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.at(0).at(0).toInt(), int(QDialog::Rejected));
        QVERIFY(!dialog.isRendering());
        QVERIFY(dialog.createdFolder().isEmpty());
        QVERIFY(!QFileInfo::exists(out));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot), QStringList());
    }

    void waitsWhileAnotherTimbrescopeRendersAndKeepsItsSet()
    {
        // `render --default` in a terminal (here: this test holding the folder's lock) renders the
        // same folder: the dialog says it is waiting for that process, then takes its set.
        QTemporaryDir dir;
        const QString font = dir.filePath(QStringLiteral("tiny.sf2"));
        QFile file(font);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const std::string bytes = ts::test::tinySoundFontBytes();
        QCOMPARE(file.write(bytes.data(), qint64(bytes.size())), qint64(bytes.size()));
        file.close();
        const QString out = dir.filePath(QStringLiteral("default"));
        auto held = ts::FileLock::acquire(dir.filePath(QStringLiteral(".default.lock")).toStdString());
        QVERIFY(held.ok());

        const ts::synth::RenderRequest request = requestFor(font, out);
        CreateDefaultDatasetDialog dialog(request);
        QSignalSpy created(&dialog, &CreateDefaultDatasetDialog::datasetCreated);
        dialog.start();
        const QString waiting = QStringLiteral("Waiting for another Timbrescope (pid %1) rendering %2…").arg(::getpid()).arg(out);
        QTRY_VERIFY_WITH_TIMEOUT(allText(dialog).contains(waiting), 10000);
        QVERIFY(dialog.isRendering());
        QCOMPARE(dialog.findChild<QProgressBar*>()->maximum(), 0);  // busy: nothing to count yet

        // The other process finishes its set and ends.
        auto recipe = ts::synth::RenderManifest::recipe(request.generators, request.options);
        QVERIFY(recipe.ok());
        QVERIFY(QDir().mkpath(out + QStringLiteral("/audio")));
        std::ofstream((out + QStringLiteral("/examples.json")).toStdString()) << "{}";
        std::ofstream((out + QStringLiteral("/instruments.json")).toStdString()) << "{\"recipe\": \"" << *recipe << "\", \"note_count\": 2}";
        std::ofstream((out + QStringLiteral("/audio/a.wav")).toStdString()) << "x";
        std::ofstream((out + QStringLiteral("/audio/b.wav")).toStdString()) << "x";
        { ts::FileLock release = std::move(held.value()); }

        QTRY_VERIFY_WITH_TIMEOUT(!dialog.isRendering(), 10000);
        QCOMPARE(created.count(), 1);
        QCOMPARE(dialog.createdFolder(), out);
        QVERIFY2(allText(dialog).contains(QStringLiteral("Done: 2 notes, rendered by another Timbrescope.")), qPrintable(allText(dialog)));
    }
};

QTEST_MAIN(tst_CreateDefaultDatasetDialog)
#include "tst_CreateDefaultDatasetDialog.moc"
