#include "ui/prediction/PredictionRow.h"

#include <QApplication>
#include <QFileInfo>
#include <QStyle>

#include "ui/common/ConfidenceDelegate.h"

namespace ts::ui {
namespace {

const QColor kErrorColour(0xb0, 0x2a, 0x1e);

QString scoreText(const std::optional<ClassScores>& scores)
{
    if (!scores || scores->best() < 0)
        return QStringLiteral("—");
    if (scores->uncertain)
        return QObject::tr("uncertain (best: %1 %2 %)").arg(scores->bestLabel()).arg(100.0 * scores->bestScore(), 0, 'f', 0);
    return QStringLiteral("%1  ·  %2 %").arg(scores->bestLabel()).arg(100.0 * scores->bestScore(), 0, 'f', 0);
}

// A confident label in bold; an uncertain one is drawn by the delegate ("uncertain", then the best
// guess in lighter text).
void showScores(QTreeWidgetItem* item, int column, const std::optional<ClassScores>& scores, bool predicted)
{
    item->setText(column, predicted ? scoreText(scores) : QStringLiteral("—"));
    const bool uncertain = predicted && scores && scores->uncertain;
    item->setData(column, ConfidenceDelegate::kUncertainRole, uncertain ? QVariant(true) : QVariant());
    QFont font = item->font(column);
    font.setBold(predicted && scores && !uncertain && scores->best() >= 0);
    item->setFont(column, font);
}

QVariant confidence(const std::optional<ClassScores>& scores)
{
    return scores && scores->best() >= 0 ? QVariant(scores->bestScore()) : QVariant();
}

QString describeSound(const ts::audio::DecodedAudio& audio)
{
    const auto& source = audio.source;
    const QString channels = source.channels == 1 ? QObject::tr("mono")
                             : source.channels == 2 ? QObject::tr("stereo")
                                                    : QObject::tr("%1 channels").arg(source.channels);
    return QObject::tr("%1 s · %2 kHz %3 · %4")
        .arg(source.durationSeconds(), 0, 'f', 1)
        .arg(source.sampleRate / 1000.0, 0, 'g', 3)
        .arg(channels, QString::fromStdString(source.container));
}

} // namespace

PredictionRow::PredictionRow(QTreeWidget* tree, const QString& path) : QTreeWidgetItem(tree), m_path(path)
{
    setText(FileColumn, QFileInfo(path).fileName());
    setToolTip(FileColumn, path);
    showWaiting();
}

void PredictionRow::showWaiting()
{
    for (int column : {int(FamilyColumn), int(SourceColumn), int(ClassColumn)}) {
        setText(column, QObject::tr("…"));
        setData(column, ConfidenceDelegate::kConfidenceRole, QVariant());
        setData(column, ConfidenceDelegate::kUncertainRole, QVariant());
    }
    if (!m_result)
        setText(DetailsColumn, QObject::tr("Waiting"));
}

void PredictionRow::showResult(PredictionResult result)
{
    qDeleteAll(takeChildren());
    const bool predicted = result.ok() && result.predicted;
    setData(FamilyColumn, ConfidenceDelegate::kConfidenceRole, predicted ? confidence(result.family) : QVariant());
    setData(SourceColumn, ConfidenceDelegate::kConfidenceRole, predicted ? confidence(result.source) : QVariant());
    setData(ClassColumn, ConfidenceDelegate::kConfidenceRole, predicted ? confidence(result.ownClass) : QVariant());
    if (!result.ok()) {
        setIcon(FileColumn, QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning));
        showScores(this, FamilyColumn, std::nullopt, false);
        showScores(this, SourceColumn, std::nullopt, false);
        showScores(this, ClassColumn, std::nullopt, false);
        setText(FamilyColumn, QString());
        setText(SourceColumn, QString());
        setText(ClassColumn, QString());
        setText(DetailsColumn, result.error);
        setForeground(DetailsColumn, kErrorColour);
        setToolTip(DetailsColumn, m_path + QStringLiteral(": ") + result.error);
    } else {
        setIcon(FileColumn, QIcon());
        showScores(this, FamilyColumn, result.family, predicted);
        showScores(this, SourceColumn, result.source, predicted);
        showScores(this, ClassColumn, result.ownClass, predicted);
        QString details = result.audio ? describeSound(*result.audio) : QString();
        if (predicted && result.segments.size() > 1)
            details += QObject::tr(" · %n notes", nullptr, int(result.segments.size()));
        if (predicted)
            details += QObject::tr(" · %1 ms").arg(result.milliseconds, 0, 'f', 0);
        else
            details = QObject::tr("No model loaded · ") + details;
        setText(DetailsColumn, details);
        setData(DetailsColumn, Qt::ForegroundRole, QVariant());
        setToolTip(DetailsColumn, details);
        if (predicted && (result.family || result.source || result.ownClass)) {
            auto* charts = new QTreeWidgetItem(this);
            charts->setFirstColumnSpanned(true);
            charts->setFlags(Qt::ItemIsEnabled);
        }
    }
    m_result = std::move(result);
}

QTreeWidgetItem* PredictionRow::chartRow() const
{
    return childCount() > 0 ? child(0) : nullptr;
}

} // namespace ts::ui
