#pragma once
// What the confusion viewer evaluates: a model file on a dataset folder's split (policy, seed and
// which part, or the automatic part), and what a model file says about itself before it is
// evaluated (its summary).
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <optional>

#include "ml/EvaluationPart.h"

namespace ts::ui {

using ml::EvaluationPart;

// "all notes", "training part", "validation part", "test part"; "automatic part" for none.
QString partText(std::optional<EvaluationPart> part);

struct EvaluationSetup {
    QString modelPath;
    QString dataFolder;
    QString split = QStringLiteral("instrument");  // "seed", "random" or "instrument"
    quint64 seed = 1;
    // None: chosen when the dataset is loaded (ml::chooseEvaluationPart): the test part of the
    // dataset the model was trained on, every note of any other. A result's setup holds the part
    // that was evaluated and why.
    std::optional<EvaluationPart> part;
    QString partReason;
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
