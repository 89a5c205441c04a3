// The library table shows every note with the right texts, sorts numbers as numbers and marks a
// note whose WAV is missing.
#include <QBrush>
#include <QGuiApplication>
#include <QPalette>
#include <QTemporaryDir>
#include <QtTest>

#include "dataset/Dataset.h"
#include "ui/library/NoteTableModel.h"
#include "common/TinyDatasetFixture.h"

using ts::ui::NoteTableModel;

class tst_NoteTableModel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::shared_ptr<const ts::dataset::Dataset> m_dataset;
    const QString m_missing = QStringLiteral("keyboard_acoustic_003-072-127");

    int rowOf(const NoteTableModel& model, const QString& name)
    {
        for (int r = 0; r < model.rowCount(); ++r)
            if (model.data(model.index(r, NoteTableModel::NameColumn)).toString() == name)
                return r;
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(tinydataset::write(m_dir.path(), m_missing));
        auto loaded = ts::dataset::Dataset::load(m_dir.path().toStdString());
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : loaded.error().describe().c_str());
        m_dataset = std::make_shared<const ts::dataset::Dataset>(std::move(loaded).value());
    }

    void emptyWithoutDataset()
    {
        NoteTableModel model;
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(model.columnCount(), 8);
    }

    void headers()
    {
        NoteTableModel model;
        QStringList names;
        for (int c = 0; c < model.columnCount(); ++c)
            names << model.headerData(c, Qt::Horizontal).toString();
        QCOMPARE(names, (QStringList{"Name", "Family", "Source", "Pitch", "Velocity", "Instrument", "Generator", "Class"}));
    }

    void rowTexts()
    {
        NoteTableModel model;
        model.setDataset(m_dataset);
        QCOMPARE(model.rowCount(), tinydataset::kNoteCount);
        const int row = rowOf(model, QStringLiteral("guitar_electronic_002-060-075"));
        QVERIFY(row >= 0);
        auto text = [&](int column) { return model.data(model.index(row, column)).toString(); };
        QCOMPARE(text(NoteTableModel::FamilyColumn), QStringLiteral("guitar"));
        QCOMPARE(text(NoteTableModel::SourceColumn), QStringLiteral("electronic"));
        QCOMPARE(text(NoteTableModel::PitchColumn), QStringLiteral("C4"));
        QCOMPARE(text(NoteTableModel::VelocityColumn), QStringLiteral("75"));
        QCOMPARE(text(NoteTableModel::InstrumentColumn), QStringLiteral("guitar_electronic_002"));
        QCOMPARE(model.data(model.index(row, 0), NoteTableModel::NoteIndexRole).toInt(), row);
        QCOMPARE(model.note(row).pitch, 60);

        const int low = rowOf(model, QStringLiteral("bass_synthetic_000-048-025"));
        QCOMPARE(model.data(model.index(low, NoteTableModel::PitchColumn)).toString(), QStringLiteral("C3"));
        QCOMPARE(model.data(model.index(low, NoteTableModel::SourceColumn)).toString(), QStringLiteral("synthetic"));
    }

    void sortRoleIsNumeric()
    {
        NoteTableModel model;
        model.setDataset(m_dataset);
        const int row = rowOf(model, QStringLiteral("guitar_acoustic_001-072-127"));
        QCOMPARE(model.data(model.index(row, NoteTableModel::PitchColumn), NoteTableModel::SortRole).toInt(), 72);
        QCOMPARE(model.data(model.index(row, NoteTableModel::VelocityColumn), NoteTableModel::SortRole).toInt(), 127);
        QCOMPARE(model.data(model.index(row, NoteTableModel::FamilyColumn), NoteTableModel::SortRole).toInt(), 3);
    }

    void missingWavLooksDisabled()
    {
        NoteTableModel model;
        model.setDataset(m_dataset);
        const int missing = rowOf(model, m_missing);
        const int present = rowOf(model, QStringLiteral("keyboard_acoustic_003-072-075"));
        QVERIFY(missing >= 0 && present >= 0);
        const QVariant fg = model.data(model.index(missing, 0), Qt::ForegroundRole);
        QVERIFY(fg.isValid());
        QCOMPARE(fg.value<QBrush>().color(), QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
        QVERIFY(model.data(model.index(missing, 0), Qt::ToolTipRole).toString().contains(QStringLiteral("missing")));
        QVERIFY(!model.data(model.index(present, 0), Qt::ForegroundRole).isValid());
    }

    void resetToNothing()
    {
        NoteTableModel model;
        model.setDataset(m_dataset);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setDataset(nullptr);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(tst_NoteTableModel)
#include "tst_NoteTableModel.moc"
