#pragma once
// What the confusion viewer evaluates: a model file on a dataset folder's split (policy, seed and
// which part), and what a model file says about itself before it is evaluated (its summary).
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace ts::ui {

enum class EvaluationPart { Test, Validation, All };

// "test", "validation", "all".
QString evaluationPartName(EvaluationPart part);

struct EvaluationSetup {
    QString modelPath;
    QString dataFolder;
    QString split = QStringLiteral("instrument");  // "seed", "random" or "instrument"
    quint64 seed = 1;
    EvaluationPart part = EvaluationPart::Test;
};

// A model file's metadata as the setup needs it: the split and seed it was trained with are the
// defaults, so its test part stays unseen.
struct ModelSummary {
    QString path;
    QString architecture;  // "timbre-net"
    QStringList targets;   // "family", "source"
    QString split;
    quint64 seed = 1;
    int epochs = 0;
};

} // namespace ts::ui

Q_DECLARE_METATYPE(ts::ui::EvaluationSetup)
Q_DECLARE_METATYPE(ts::ui::ModelSummary)
