// RenderManifest: the recipe that identifies a render, and the "already complete" check that
// lets `render --default` return at once.
#include <QtTest>

#include <fstream>

#include "common/TinySoundFont.h"
#include "synth/DatasetRenderer.h"
#include "synth/RenderManifest.h"

using ts::synth::RenderManifest;
using ts::synth::RenderOptions;

class tst_RenderManifest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void recipeNamesEverythingThatChangesTheOutput()
    {
        QTemporaryDir dir;
        const std::string font = dir.filePath(QStringLiteral("tiny.sf2")).toStdString();
        std::ofstream(font, std::ios::binary) << ts::test::tinySoundFontBytes();
        RenderOptions o;
        o.count = 10;
        auto base = RenderManifest::recipe(font, o);
        QVERIFY(base.ok());
        QCOMPARE(*RenderManifest::recipe(font, o), *base);
        RenderOptions seed = o, count = o, grid = o, ambiguous = o;
        seed.seed = 1;
        count.count = 11;
        grid.grid = true;
        ambiguous.includeAmbiguous = true;
        for (const auto& other : {seed, count, grid, ambiguous})
            QVERIFY(*RenderManifest::recipe(font, other) != *base);
        QVERIFY(base->find("fluidsynth=") != std::string::npos);
        auto missing = RenderManifest::recipe(dir.filePath(QStringLiteral("none.sf2")).toStdString(), o);
        QVERIFY(!missing.ok() && missing.error().code == ts::ErrorCode::NotFound);
    }

    void completeOnlyWhenEveryFileIsThereWithTheSameRecipe()
    {
        QTemporaryDir dir;
        const std::string font = dir.filePath(QStringLiteral("tiny.sf2")).toStdString();
        std::ofstream(font, std::ios::binary) << ts::test::tinySoundFontBytes();
        ts::synth::RenderRequest request;
        request.soundFont = font;
        request.outFolder = dir.filePath(QStringLiteral("set")).toStdString();
        request.options.count = 8;
        request.jobs = 1;
        auto summary = ts::synth::DatasetRenderer::render(request, {}, {});
        QVERIFY(summary.ok());
        const std::string recipe = *RenderManifest::recipe(font, request.options);
        std::size_t notes = 0;
        QVERIFY(RenderManifest::isComplete(request.outFolder, recipe, &notes));
        QCOMPARE(notes, std::size_t(8));

        RenderOptions other = request.options;
        other.seed = 99;
        QVERIFY(!RenderManifest::isComplete(request.outFolder, *RenderManifest::recipe(font, other)));
        QVERIFY(!RenderManifest::isComplete(dir.filePath(QStringLiteral("nothing")).toStdString(), recipe));

        // One WAV gone: no longer complete.
        const QStringList wavs = QDir(QString::fromStdString(request.outFolder) + "/audio").entryList(QDir::Files);
        QVERIFY(QFile::remove(QString::fromStdString(request.outFolder) + "/audio/" + wavs.front()));
        QVERIFY(!RenderManifest::isComplete(request.outFolder, recipe));

        // A damaged instruments.json is "not complete", never a crash.
        std::ofstream(request.outFolder + "/instruments.json") << "{\"recipe\": 12, \"note_count\": \"x\"";
        QVERIFY(!RenderManifest::isComplete(request.outFolder, recipe));
    }
};

QTEST_GUILESS_MAIN(tst_RenderManifest)
#include "tst_RenderManifest.moc"
